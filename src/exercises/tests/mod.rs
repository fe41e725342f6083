//! Generator tests against hand-built analyses of the seeds (`fixtures.rs`).

//!
//! One file per subject: `identity.rs` (determinism, ids), `well_formed.rs` (quotes, shape,
//! student view, schemas), `seeds.rs` (the keys a teacher settled on for the seeds), `props.rs`
//! (any analysis), `guards.rs` (what is never offered), `mutations.rs` (edited analyses).

use std::collections::BTreeSet;

use super::fixtures::{self, hash, seed_000, seed_001, seed_003, Fx};
use super::*;

mod columns;
mod coverage;
mod guards;
mod identity;
mod mutations;
mod props;
mod reports;
mod seeds;
mod transcripts;
mod well_formed;

fn chars(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

fn art<'a>(fx: &'a Fx, h: &'a str) -> ArticleRef<'a> {
    ArticleRef {
        content_hash: h,
        title: &fx.a.title,
        text: fx.text,
        analysis: &fx.a,
    }
}

fn all_fixtures() -> Vec<Fx> {
    vec![seed_000(), seed_001(), seed_003()]
}

fn of_kind(ex: &[Exercise], kind: ExerciseKind) -> Vec<&Exercise> {
    ex.iter().filter(|e| e.kind == kind).collect()
}

/// The article text each option quotes (a trimmed option's exact stretch), else its text.
fn option_quote(o: &ExerciseOption) -> &str {
    o.quote.as_ref().map_or(o.text.as_str(), |q| q.text.as_str())
}

fn key_texts(e: &Exercise) -> Vec<&str> {
    e.content
        .options
        .iter()
        .filter(|o| o.correct)
        .map(option_quote)
        .collect()
}

/// What the keyed options show.
fn key_shown(e: &Exercise) -> Vec<&str> {
    e.content
        .options
        .iter()
        .filter(|o| o.correct)
        .map(|o| o.text.as_str())
        .collect()
}

fn wrong_texts(e: &Exercise) -> Vec<&str> {
    e.content
        .options
        .iter()
        .filter(|o| !o.correct)
        .map(option_quote)
        .collect()
}

/// The seeds through the real analyzer, as the service runs them.
fn real_seeds() -> (Vec<crate::analysis::Analysis>, Vec<String>) {
    let texts = [fixtures::SEED_000, fixtures::SEED_001, fixtures::SEED_003];
    (
        texts.iter().map(|t| crate::analysis::analyze(t)).collect(),
        texts.iter().map(|t| hash(t)).collect(),
    )
}

fn real_refs<'a>(analyses: &'a [crate::analysis::Analysis], hashes: &'a [String]) -> Vec<ArticleRef<'a>> {
    let texts = [fixtures::SEED_000, fixtures::SEED_001, fixtures::SEED_003];
    texts
        .iter()
        .zip(analyses)
        .zip(hashes)
        .map(|((t, a), h)| ArticleRef {
            content_hash: h,
            title: &a.title,
            text: t,
            analysis: a,
        })
        .collect()
}

fn print_exercise(e: &Exercise) {
    let c = &e.content;
    println!(
        "\n[{:?} {:?} {:?}] {}",
        e.kind, c.difficulty, c.response_type, c.prompt
    );
    if let Some(p) = &c.passage {
        println!("  passage: {}", p.text);
    }
    for o in &c.options {
        println!(
            "  {} {} — {}",
            if o.correct { "[x]" } else { "[ ]" },
            o.text,
            o.explanation
        );
    }
    if let Some(r) = &c.rubric {
        println!("  rubric: {r}");
    }
}

/// The project's limit holds inside the generator too: no file of `src/exercises/` over 600
/// lines.
#[test]
fn no_file_of_the_generator_is_over_600_lines() {
    fn walk(dir: &std::path::Path, out: &mut Vec<(String, usize)>) {
        for entry in std::fs::read_dir(dir).expect("readable folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let n = std::fs::read_to_string(&path)
                    .expect("readable file")
                    .lines()
                    .count();
                out.push((path.display().to_string(), n));
            }
        }
    }
    let mut files = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/exercises"),
        &mut files,
    );
    assert!(
        files.len() > 20,
        "the generator's files were not found: {files:?}"
    );
    let long: Vec<_> = files.into_iter().filter(|(_, n)| *n > 600).collect();
    assert!(long.is_empty(), "over 600 lines: {long:?}");
}
