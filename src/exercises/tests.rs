//! Generator tests against hand-built analyses of the seeds (`fixtures.rs`).

use std::collections::BTreeSet;

use super::fixtures::{self, hash, seed_000, seed_001, seed_003, Fx};
use super::*;

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

#[test]
fn fixtures_split_where_a_reader_would() {
    let fx = seed_001();
    let s = fx.sentence("Republican Texas Gov. Rick Perry");
    assert!(
        fx.a.sentences[s].text.starts_with("“Narco-terrorists” is a term"),
        "{}",
        fx.a.sentences[s].text
    );
    for s in &fx.a.sentences {
        assert_eq!(chars(fx.text, s.start, s.end), s.text);
    }
}

#[test]
fn generation_is_deterministic() {
    for fx in all_fixtures() {
        let h = hash(fx.text);
        let a = generate(&art(&fx, &h));
        let fx2 = match fx.text {
            t if t == seed_000().text => seed_000(),
            t if t == seed_001().text => seed_001(),
            _ => seed_003(),
        };
        let b = generate(&art(&fx2, &h));
        assert!(!a.is_empty());
        assert_eq!(a, b);
    }
}

#[test]
fn ids_are_uuid_v5_over_hash_kind_subject_and_unique() {
    let fx = seed_001();
    let h = hash(fx.text);
    let ex = generate(&art(&fx, &h));
    let ids: BTreeSet<uuid::Uuid> = ex.iter().map(|e| e.id).collect();
    assert_eq!(ids.len(), ex.len(), "exercise ids collide");
    for e in &ex {
        assert_eq!(e.id.get_version_num(), 5);
    }
    let anon = of_kind(&ex, ExerciseKind::AnonymousSources);
    assert_eq!(
        anon[0].id,
        text::exercise_id(&h, ExerciseKind::AnonymousSources, "article")
    );
    // A different article hash gives different ids.
    let other = generate(&art(&fx, "00"));
    assert!(other.iter().all(|e| !ids.contains(&e.id)));
}

#[test]
fn every_quote_matches_the_article_text_and_avoids_clutter() {
    for fx in all_fixtures() {
        let h = hash(fx.text);
        for e in generate(&art(&fx, &h)) {
            let quotes = e
                .content
                .passage
                .iter()
                .chain(e.content.options.iter().filter_map(|o| o.quote.as_ref()));
            for q in quotes {
                assert_eq!(chars(fx.text, q.start, q.end), q.text, "{:?}", e.kind);
                for c in &fx.a.clutter {
                    assert!(
                        q.end <= c.start || c.end <= q.start,
                        "{:?} quotes clutter: {}",
                        e.kind,
                        q.text
                    );
                }
                if let Some(t) = &fx.a.title_span {
                    assert!(
                        q.end <= t.start || t.end <= q.start,
                        "{:?} quotes the title",
                        e.kind
                    );
                }
            }
        }
    }
}

#[test]
fn generated_content_is_well_formed() {
    for fx in all_fixtures() {
        let h = hash(fx.text);
        for e in generate(&art(&fx, &h)) {
            let c = &e.content;
            assert_eq!(c.validate(), Ok(()), "{:?}: {}", e.kind, c.prompt);
            if c.response_type == ResponseType::MultipleResponse {
                assert!(
                    c.options.len() >= 3,
                    "{:?} has {} options",
                    e.kind,
                    c.options.len()
                );
                assert!(
                    c.options.iter().any(|o| !o.correct),
                    "{:?} has no distractor",
                    e.kind
                );
            }
            if c.response_type == ResponseType::FreeText {
                assert!(c.rubric.as_deref().is_some_and(|r| !r.is_empty()));
            }
            for o in &c.options {
                assert!(
                    !o.explanation.trim().is_empty(),
                    "{:?} option {} unexplained",
                    e.kind,
                    o.text
                );
            }
            assert!(
                c.prompt.chars().count() < 300,
                "prompt too long for students: {}",
                c.prompt
            );
        }
    }
}

#[test]
fn the_key_is_never_the_odd_one_out_in_what_students_see() {
    // A student sees option text and whether an option highlights the article. If the key
    // were the only option with (or without) a highlight, the view would give it away.
    for fx in all_fixtures() {
        let h = hash(fx.text);
        for e in generate(&art(&fx, &h)) {
            let c = &e.content;
            if c.response_type != ResponseType::SingleChoice {
                continue;
            }
            let with: Vec<bool> = c.options.iter().map(|o| o.quote.is_some()).collect();
            let key = c.options.iter().position(|o| o.correct).expect("a key");
            // "No source is given" never has a highlight, key or not, so it tells nothing.
            if c.options[key].text == "No source is given" {
                continue;
            }
            let same = with.iter().filter(|&&w| w == with[key]).count();
            assert!(
                same > 1,
                "{:?}: the key alone {} a quote",
                e.kind,
                if with[key] { "has" } else { "lacks" }
            );
        }
    }
}

#[test]
fn student_view_of_generated_exercises_carries_no_key() {
    let fx = seed_003();
    let h = hash(fx.text);
    for e in generate(&art(&fx, &h)) {
        let v = e.student_view(b"student/exercise");
        assert_eq!(v.options.len(), e.content.options.len());
        let json = serde_json::to_string(&v).expect("serializes");
        assert!(!json.contains("\"correct\""));
        assert!(!json.contains("\"explanation\""));
        assert!(!json.contains("\"rubric\""));
    }
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

#[test]
fn seed_001_anonymous_sources_key() {
    let fx = seed_001();
    let h = hash(fx.text);
    let ex = generate(&art(&fx, &h));
    let anon = of_kind(&ex, ExerciseKind::AnonymousSources);
    assert_eq!(anon.len(), 1);
    let key = key_texts(anon[0]);
    assert!(
        key.iter()
            .any(|t| t.contains("two intelligence officials who requested anonymity")),
        "{key:#?}"
    );
    assert!(key.iter().all(|t| !t.contains("Rasmussen")), "{key:#?}");
    let anonymity = anon[0]
        .content
        .options
        .iter()
        .find(|o| o.text.contains("requested anonymity"))
        .expect("in the options");
    assert!(
        anonymity.explanation.contains("no name is given"),
        "{}",
        anonymity.explanation
    );
    // Distractors are named-source statements from the same article.
    for t in wrong_texts(anon[0]) {
        let s = fx.sentence(t);
        assert_eq!(fx.a.sentences[s].voice, crate::analysis::Voice::Attributed, "{t}");
    }
}

#[test]
fn seed_001_claim_chain_follows_bloomberg() {
    let fx = seed_001();
    let h = hash(fx.text);
    let ex = generate(&art(&fx, &h));
    let chains = of_kind(&ex, ExerciseKind::ClaimChain);
    let bl = chains
        .iter()
        .find(|e| {
            e.content
                .passage
                .as_ref()
                .is_some_and(|p| p.text.contains("according to Bloomberg"))
        })
        .expect("a claim chain through Bloomberg");
    assert_eq!(
        key_shown(bl),
        vec!["It comes from some intelligence officials, passed on through Bloomberg"]
    );
    assert_eq!(bl.content.difficulty, Difficulty::Hard);
}

#[test]
fn seed_001_source_of_claim_uses_named_pronoun_referent() {
    let fx = seed_001();
    let h = hash(fx.text);
    let ex = generate(&art(&fx, &h));
    let soc = of_kind(&ex, ExerciseKind::SourceOfClaim);
    assert!(!soc.is_empty());
    for e in &soc {
        assert!(e.content.options.iter().any(|o| o.text == "No source is given"));
        let key = key_texts(e);
        assert_eq!(key.len(), 1);
        // No option may name the same people as the key under another wording.
        let kw: BTreeSet<String> = text::content_words(key[0]).into_iter().collect();
        if key[0] != "No source is given" {
            for t in wrong_texts(e) {
                assert!(
                    text::content_words(t).iter().all(|w| !kw.contains(w)),
                    "{t} vs {}",
                    key[0]
                );
            }
        }
    }
}

#[test]
fn seed_003_author_opinion_key() {
    let fx = seed_003();
    let h = hash(fx.text);
    let ex = generate(&art(&fx, &h));
    let op = of_kind(&ex, ExerciseKind::AuthorOpinion);
    assert_eq!(op.len(), 1);
    let key = key_texts(op[0]);
    assert!(
        key.iter()
            .any(|t| t.starts_with("I suspect the exact opposite will occur")),
        "{key:#?}"
    );
    let o = op[0]
        .content
        .options
        .iter()
        .find(|o| o.text.starts_with("I suspect"))
        .expect("option");
    assert!(o.explanation.contains("“I suspect”"), "{}", o.explanation);
    for t in wrong_texts(op[0]) {
        let s = fx.sentence(t);
        assert_ne!(
            fx.a.sentences[s].voice,
            crate::analysis::Voice::AuthorOpinion,
            "{t}"
        );
    }
}

#[test]
fn seed_003_claim_chain_through_judicial_watch() {
    let fx = seed_003();
    let h = hash(fx.text);
    let ex = generate(&art(&fx, &h));
    let chains = of_kind(&ex, ExerciseKind::ClaimChain);
    let jw = chains
        .iter()
        .find(|e| {
            e.content
                .passage
                .as_ref()
                .is_some_and(|p| p.text.starts_with("According to Judicial Watch"))
        })
        .expect("informants → Judicial Watch");
    assert_eq!(
        key_shown(jw),
        vec!["It comes from cartel informants, passed on through Judicial Watch"]
    );
}

#[test]
fn seed_003_loaded_language_never_marks_a_loaded_term_neutral() {
    let fx = seed_003();
    let h = hash(fx.text);
    let ex = generate(&art(&fx, &h));
    let ll = of_kind(&ex, ExerciseKind::LoadedLanguage);
    assert_eq!(ll.len(), 1);
    let passage = ll[0].content.passage.as_ref().expect("passage");
    for o in &ll[0].content.options {
        let q = o.quote.as_ref().expect("quoted");
        assert!(
            passage.start <= q.start && q.end <= passage.end,
            "{} outside passage",
            o.text
        );
        let is_loaded =
            fx.a.loaded_terms
                .iter()
                .any(|m| m.start < q.end && q.start < m.end);
        assert_eq!(o.correct, is_loaded, "{}", o.text);
    }
}

#[test]
fn piece_types_match_the_seeds() {
    for (fx, want) in [
        (seed_000(), "interview"),
        (seed_001(), "news_report"),
        (seed_003(), "opinion"),
    ] {
        let h = hash(fx.text);
        let ex = generate(&art(&fx, &h));
        let pt = of_kind(&ex, ExerciseKind::PieceType);
        assert_eq!(pt.len(), 1);
        let key: Vec<&str> = pt[0]
            .content
            .options
            .iter()
            .filter(|o| o.correct)
            .map(|o| o.id.as_str())
            .collect();
        assert_eq!(key, vec![want]);
    }
}

#[test]
fn interview_gets_no_author_opinion_item() {
    let fx = seed_000();
    let h = hash(fx.text);
    assert!(of_kind(&generate(&art(&fx, &h)), ExerciseKind::AuthorOpinion).is_empty());
}

#[test]
fn the_three_seeds_cover_seven_kinds_including_a_comparison() {
    let fxs = all_fixtures();
    let hashes: Vec<String> = fxs.iter().map(|f| hash(f.text)).collect();
    let refs: Vec<ArticleRef> = fxs.iter().zip(&hashes).map(|(f, h)| art(f, h)).collect();
    let mut kinds = BTreeSet::new();
    for r in &refs {
        kinds.extend(generate(r).iter().map(|e| e.kind));
    }
    let cmp = compare_articles(&refs);
    assert!(!cmp.is_empty());
    kinds.extend(cmp.iter().map(|e| e.kind));
    assert!(kinds.len() >= 7, "{kinds:?}");
    assert!(kinds.contains(&ExerciseKind::CompareArticles));

    // 003 relies most on unnamed sources.
    let unnamed = cmp
        .iter()
        .find(|e| e.content.prompt.contains("does not name"))
        .expect("unnamed-sources comparison");
    let key: Vec<&ExerciseOption> = unnamed.content.options.iter().filter(|o| o.correct).collect();
    assert_eq!(key.len(), 1);
    assert_eq!(key[0].article_hash.as_deref(), Some(hashes[2].as_str()));
    assert!(key[0].explanation.contains(" of "), "{}", key[0].explanation);

    // 003 states the alleged cooperation as fact ("Mexican cartels have unified with ISIS").
    let fact = cmp
        .iter()
        .find(|e| e.content.prompt.contains("established fact"))
        .expect("established-fact comparison");
    let key: Vec<&ExerciseOption> = fact.content.options.iter().filter(|o| o.correct).collect();
    assert_eq!(key[0].article_hash.as_deref(), Some(hashes[2].as_str()));
    for e in &cmp {
        assert_eq!(e.content.validate(), Ok(()));
        assert_eq!(e.content.options.len(), 3);
        assert!(e.content.options.iter().all(|o| o.article_hash.is_some()));
    }
}

#[test]
fn comparison_is_order_independent_in_ids_and_deterministic() {
    let fxs = all_fixtures();
    let hashes: Vec<String> = fxs.iter().map(|f| hash(f.text)).collect();
    let refs: Vec<ArticleRef> = fxs.iter().zip(&hashes).map(|(f, h)| art(f, h)).collect();
    let a = compare_articles(&refs);
    assert_eq!(a, compare_articles(&refs));
    let rev: Vec<ArticleRef> = refs.iter().rev().copied().collect();
    let b = compare_articles(&rev);
    let ida: BTreeSet<_> = a.iter().map(|e| e.id).collect();
    let idb: BTreeSet<_> = b.iter().map(|e| e.id).collect();
    assert_eq!(ida, idb);
    // One article can't be compared with itself.
    assert!(compare_articles(&refs[..1]).is_empty());
    assert!(compare_articles(&[refs[0], refs[0]]).is_empty());
}

#[test]
fn empty_analysis_gives_no_exercises() {
    let text = "Title\n\nSome text here that was not analyzed at all.";
    let a = crate::analysis::analyze(text);
    let h = hash(text);
    let r = ArticleRef {
        content_hash: &h,
        title: "Title",
        text,
        analysis: &a,
    };
    assert!(generate(&r).is_empty());
}

/// Whatever the real analyzer makes of the seeds, what the generator builds from it is
/// well formed and quotes the text exactly.
#[test]
fn real_analyzer_output_gives_well_formed_exercises() {
    let texts = [fixtures::SEED_000, fixtures::SEED_001, fixtures::SEED_003];
    let (analyses, hashes) = real_seeds();
    let refs = real_refs(&analyses, &hashes);
    let mut all: Vec<(usize, Exercise)> = Vec::new();
    for (k, r) in refs.iter().enumerate() {
        all.extend(generate(r).into_iter().map(|e| (k, e)));
        assert_eq!(generate(r), generate(r));
    }
    for e in compare_articles(&refs) {
        assert_eq!(e.content.validate(), Ok(()));
    }
    for (k, e) in &all {
        assert_eq!(e.content.validate(), Ok(()), "{:?}", e.kind);
        for q in e
            .content
            .passage
            .iter()
            .chain(e.content.options.iter().filter_map(|o| o.quote.as_ref()))
        {
            assert_eq!(chars(texts[*k], q.start, q.end), q.text);
        }
    }
}

#[test]
fn public_types_publish_as_openapi_schemas() {
    use utoipa::OpenApi;
    #[derive(OpenApi)]
    #[openapi(components(schemas(
        Exercise,
        ExerciseContent,
        ExerciseOption,
        ExerciseKind,
        ResponseType,
        ScoringMode,
        Difficulty,
        Quote,
        StudentExercise,
        StudentOption,
        ContentError,
        Answer,
        AnswerError,
        Grade,
        OptionFeedback
    )))]
    struct Doc;
    let json = serde_json::to_value(Doc::openapi()).expect("serializes");
    let schemas = &json["components"]["schemas"];
    for name in ["Exercise", "StudentExercise", "Answer", "Grade", "ExerciseKind"] {
        assert!(schemas.get(name).is_some(), "{name} missing");
    }
    let kinds = schemas["ExerciseKind"].to_string();
    assert!(
        kinds.contains("anonymous_sources") && kinds.contains("compare_articles"),
        "{kinds}"
    );
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

/// What a careful teacher would set on the seeds, pinned on the real analyzer's output.
#[test]
fn real_analyzer_seed_001_anonymous_key() {
    let (a, h) = real_seeds();
    let refs = real_refs(&a, &h);
    let ex = generate(&refs[1]);
    let anon = of_kind(&ex, ExerciseKind::AnonymousSources);
    assert_eq!(anon.len(), 1);
    let key = key_texts(anon[0]);
    assert!(
        key.iter()
            .any(|t| t.contains("two intelligence officials who requested anonymity")),
        "{key:#?}"
    );
    assert!(key.iter().all(|t| !t.contains("Rasmussen")), "{key:#?}");
}

#[test]
fn real_analyzer_seed_003_author_opinion_key() {
    let (a, h) = real_seeds();
    let refs = real_refs(&a, &h);
    let ex = generate(&refs[2]);
    let op = of_kind(&ex, ExerciseKind::AuthorOpinion);
    assert_eq!(op.len(), 1);
    let key = key_texts(op[0]);
    assert!(
        key.iter()
            .any(|t| t.starts_with("I suspect the exact opposite will occur")),
        "{key:#?}"
    );
}

#[test]
fn real_analyzer_seeds_cover_seven_kinds_including_a_comparison() {
    let (a, h) = real_seeds();
    let refs = real_refs(&a, &h);
    let mut kinds: BTreeSet<ExerciseKind> = refs.iter().flat_map(|r| generate(r)).map(|e| e.kind).collect();
    let cmp = compare_articles(&refs);
    kinds.extend(cmp.iter().map(|e| e.kind));
    assert!(kinds.len() >= 7, "{kinds:?}");
    assert!(kinds.contains(&ExerciseKind::CompareArticles), "{kinds:?}");
}

/// Prints what the seeds yield, for eyeballing: `cargo test --lib dump_seed -- --ignored --nocapture`.
#[test]
#[ignore]
fn dump_seed_exercises() {
    let fxs = all_fixtures();
    let hashes: Vec<String> = fxs.iter().map(|f| hash(f.text)).collect();
    let refs: Vec<ArticleRef> = fxs.iter().zip(&hashes).map(|(f, h)| art(f, h)).collect();
    for r in &refs {
        println!("=== {}", r.title);
        for e in generate(r) {
            print_exercise(&e);
        }
    }
    println!("=== compare");
    for e in compare_articles(&refs) {
        print_exercise(&e);
    }
}

/// The same for the real analyzer: `cargo test --lib dump_real -- --ignored --nocapture`.
#[test]
#[ignore]
fn dump_real_seed_exercises() {
    let (analyses, hashes) = real_seeds();
    let refs = real_refs(&analyses, &hashes);
    for r in &refs {
        println!("=== {}", r.title);
        for e in generate(r) {
            print_exercise(&e);
        }
    }
    println!("=== compare");
    for e in compare_articles(&refs) {
        print_exercise(&e);
    }
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

mod props {
    use super::*;
    use crate::analysis::{
        Analysis, Attribution, Genre, Marker, Paragraph, QuoteType, Sentence, Source, SourceKind, Span, Voice,
    };
    use proptest::prelude::*;

    const TEXT: &str = super::super::fixtures::SEED_001;

    fn span(text: &str, s: usize, e: usize) -> Span {
        Span {
            start: s,
            end: e,
            text: text.chars().skip(s).take(e.saturating_sub(s)).collect(),
        }
    }

    /// Any analysis at all, offsets in or out of bounds, indices dangling, text fields
    /// true or not: the generator must neither panic nor quote wrongly.
    fn analysis() -> impl Strategy<Value = Analysis> {
        let n = TEXT.chars().count();
        let range = (0..n + 20, 0..400usize, any::<bool>());
        let sentences = proptest::collection::vec((range.clone(), 0..8usize, 0..3u8), 0..30);
        let kinds = [
            SourceKind::NamedPerson,
            SourceKind::NamedOrganization,
            SourceKind::UnnamedPerson,
            SourceKind::UnnamedGroup,
            SourceKind::Document,
            SourceKind::Author,
        ];
        let attrs = proptest::collection::vec(
            (
                range.clone(),
                range.clone(),
                0..7usize,
                0..40usize,
                proptest::option::of(0..40usize),
                any::<bool>(),
            ),
            0..25,
        );
        let markers = proptest::collection::vec((range.clone(), 0..40usize), 0..30);
        let paragraphs = proptest::collection::vec((range, any::<bool>()), 0..8);
        (sentences, attrs, markers.clone(), markers, paragraphs, 0..3u8).prop_map(
            move |(ss, ats, hs, ls, ps, g)| {
                let mk = |((s, len, honest), _): ((usize, usize, bool), usize)| {
                    let e = s + len;
                    let mut sp = span(TEXT, s, e);
                    if !honest {
                        sp.text.push('x');
                    }
                    sp
                };
                Analysis {
                    title: "t".into(),
                    title_span: None,
                    byline: vec![],
                    genre: [Genre::NewsReport, Genre::Interview, Genre::Opinion][g as usize],
                    genre_cues: vec!["cue".into()],
                    genre_confidence: 1.0,
                    paragraphs: ps
                        .into_iter()
                        .map(|((s, len, _), clutter)| Paragraph {
                            start: s,
                            end: s + len,
                            clutter,
                        })
                        .collect(),
                    clutter: vec![],
                    sentences: ss
                        .into_iter()
                        .map(|(r, p, v)| {
                            let sp = mk((r, 0));
                            Sentence {
                                start: sp.start,
                                end: sp.end,
                                text: sp.text,
                                paragraph: p,
                                voice: [Voice::Attributed, Voice::AuthorOpinion, Voice::AuthorReport]
                                    [v as usize],
                            }
                        })
                        .collect(),
                    attributions: ats
                        .into_iter()
                        .map(|(src, cue, k, sent, relay, has_src)| {
                            let s = mk((src, 0));
                            Attribution {
                                source: (has_src && k < 6).then(|| Source {
                                    start: s.start,
                                    end: s.end,
                                    text: s.text,
                                    kind: kinds[k % 6],
                                    refers_to: None,
                                }),
                                cue: mk((cue, 0)),
                                content: None,
                                quote: QuoteType::Indirect,
                                relayed_from: relay,
                                sentence: sent,
                                entity: None,
                                confidence: 1.0,
                                anonymity: None,
                            }
                        })
                        .collect(),
                    entities: vec![],
                    hedges: hs
                        .into_iter()
                        .map(|(r, sent)| {
                            let sp = mk((r, 0));
                            Marker {
                                start: sp.start,
                                end: sp.end,
                                text: sp.text,
                                sentence: sent,
                            }
                        })
                        .collect(),
                    loaded_terms: ls
                        .into_iter()
                        .map(|(r, sent)| {
                            let sp = mk((r, 0));
                            Marker {
                                start: sp.start,
                                end: sp.end,
                                text: sp.text,
                                sentence: sent,
                            }
                        })
                        .collect(),
                }
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn any_analysis_gives_well_formed_exercises(a in analysis(), b in analysis()) {
            let h = hash(TEXT);
            let r = ArticleRef { content_hash: &h, title: "Cartels and ISIS", text: TEXT, analysis: &a };
            let r2 = ArticleRef { content_hash: "other", title: "Cartels", text: TEXT, analysis: &b };
            let mut all = generate(&r);
            prop_assert_eq!(&all, &generate(&r));
            all.extend(compare_articles(&[r, r2]));
            let ids: BTreeSet<uuid::Uuid> = all.iter().map(|e| e.id).collect();
            prop_assert_eq!(ids.len(), all.len());
            for e in &all {
                prop_assert_eq!(e.content.validate(), Ok(()));
                let quotes = e.content.passage.iter()
                    .chain(e.content.options.iter().filter_map(|o| o.quote.as_ref()));
                for q in quotes {
                    prop_assert_eq!(&chars(TEXT, q.start, q.end), &q.text);
                }
                if e.content.response_type == ResponseType::MultipleResponse {
                    prop_assert!(e.content.options.len() >= 3);
                }
            }
        }
    }
}

mod guards {
    use super::*;
    use crate::analysis::{QuoteType, SourceKind, Voice};

    fn exercises(fx: &Fx) -> Vec<Exercise> {
        let h = hash(fx.text);
        generate(&art(fx, &h))
    }

    fn all_option_texts(ex: &[Exercise]) -> Vec<String> {
        ex.iter()
            .flat_map(|e| e.content.options.iter().map(|o| o.text.clone()))
            .collect()
    }

    #[test]
    fn a_garbled_source_span_never_becomes_an_option() {
        let mut fx = seed_003();
        // A span an analyzer might get wrong: a clause, not a source.
        fx.attr(
            "It was only a matter of time",
            Some((
                "before the cartels felt the real pinch",
                SourceKind::NamedOrganization,
            )),
            "felt",
            None,
            QuoteType::Indirect,
        );
        let ex = exercises(&fx);
        assert!(all_option_texts(&ex)
            .iter()
            .all(|t| !t.contains("before the cartels felt")));
        // Its sentence is no longer trusted as a keyed statement either.
        let s = fx.sentence("It was only a matter of time");
        let text = fx.a.sentences[s].text.trim().to_string();
        for e in &ex {
            for o in &e.content.options {
                assert!(
                    o.text != text || e.kind == ExerciseKind::HedgedClaims,
                    "{:?}",
                    e.kind
                );
            }
        }
    }

    #[test]
    fn a_relay_through_the_same_source_or_without_relaying_words_is_ignored() {
        let mut fx = seed_001();
        let a = fx.sentence("Francis Taylor, under secretary");
        let taylor =
            fx.a.attributions
                .iter()
                .position(|at| at.sentence == a)
                .expect("Taylor");
        let other = fx.attr(
            "Francis Taylor, under secretary",
            Some(("a Senate panel", SourceKind::NamedOrganization)),
            "told",
            None,
            QuoteType::Indirect,
        );
        fx.relay(taylor, other);
        let ex = exercises(&fx);
        assert!(of_kind(&ex, ExerciseKind::ClaimChain).iter().all(|e| !e
            .content
            .passage
            .as_ref()
            .is_some_and(|p| p.text.starts_with("Francis Taylor"))));
    }

    #[test]
    fn us_the_country_is_not_the_writer_speaking() {
        let mut fx = seed_003();
        fx.voice("A recent fusillade", Voice::AuthorOpinion);
        let ex = exercises(&fx);
        let op = of_kind(&ex, ExerciseKind::AuthorOpinion);
        for o in &op[0].content.options {
            assert!(!o.explanation.contains("“US"), "{}", o.explanation);
        }
    }

    #[test]
    fn named_sources_show_the_name_without_the_job_title() {
        let mut fx = seed_001();
        // An analyzer may take the whole appositive as the source.
        let long = "Francis Taylor, under secretary for intelligence and analysis at the Department of Homeland Security";
        let (start, end) = fx.find(long);
        let s = fx.sentence(long);
        let i =
            fx.a.attributions
                .iter()
                .position(|at| at.sentence == s)
                .expect("Taylor");
        if let Some(src) = fx.a.attributions[i].source.as_mut() {
            (src.start, src.end, src.text) = (start, end, long.to_string());
        }
        let ex = exercises(&fx);
        let texts = all_option_texts(
            &of_kind(&ex, ExerciseKind::SourceOfClaim)
                .into_iter()
                .cloned()
                .collect::<Vec<_>>(),
        );
        assert!(texts.iter().any(|t| t == "Francis Taylor"), "{texts:?}");
        assert!(texts.iter().all(|t| !t.contains("under secretary")));
    }
}

#[test]
fn ids_survive_a_changed_analysis_of_other_sentences() {
    // A teacher's correction is stored under an exercise id; an improved analyzer must not
    // orphan it when the exercise is about the same statement.
    let fx = seed_001();
    let h = hash(fx.text);
    let before: BTreeSet<uuid::Uuid> = generate(&art(&fx, &h)).iter().map(|e| e.id).collect();
    let mut fx2 = seed_001();
    fx2.loaded("Conservative pundit Allen West", "Conservative pundit");
    fx2.a.hedges.clear();
    let after = generate(&art(&fx2, &h));
    for e in &after {
        if matches!(
            e.kind,
            ExerciseKind::SourceOfClaim | ExerciseKind::AnonymousSources | ExerciseKind::PieceType
        ) {
            assert!(before.contains(&e.id), "{:?} changed id", e.kind);
        }
    }
}

#[test]
fn seed_003_unsourced_statement_item() {
    let fx = seed_003();
    let h = hash(fx.text);
    let ex = generate(&art(&fx, &h));
    let none_key: Vec<&Exercise> = of_kind(&ex, ExerciseKind::SourceOfClaim)
        .into_iter()
        .filter(|e| key_texts(e) == vec!["No source is given"])
        .collect();
    assert_eq!(none_key.len(), 1);
    let passage = none_key[0].content.passage.as_ref().expect("statement");
    let s = fx.sentence(&passage.text);
    assert_eq!(fx.a.sentences[s].voice, crate::analysis::Voice::AuthorReport);
    assert!(fx.a.attributions.iter().all(|a| a.sentence != s));
}

#[test]
fn pronoun_sources_are_explained_by_their_referent() {
    let fx = seed_001();
    let h = hash(fx.text);
    let ex = generate(&art(&fx, &h));
    let pry = of_kind(&ex, ExerciseKind::SourceOfClaim)
        .into_iter()
        .find(|e| {
            e.content
                .passage
                .as_ref()
                .is_some_and(|p| p.text.starts_with("He pointed"))
        })
        .expect("the pronoun item");
    let key = pry.content.options.iter().find(|o| o.correct).expect("key");
    assert_eq!(key.text, "Peter Pry");
    assert!(key.explanation.contains("“He pointed to”"), "{}", key.explanation);
    // The option highlights the name where it stands in the article.
    let q = key.quote.as_ref().expect("quote");
    assert_eq!(chars(fx.text, q.start, q.end), "Peter Pry");
}

mod mutations {
    use super::*;
    use crate::analysis::{SourceKind, Voice};
    use proptest::prelude::*;

    /// One small corruption of a realistic analysis.
    #[derive(Debug, Clone)]
    enum Mutation {
        Voice(usize, u8),
        Kind(usize, u8),
        Relay(usize, Option<usize>),
        ShiftSource(usize, i8),
        ShiftCue(usize, i8),
        Sentence(usize, usize),
        DropSource(usize),
        ShiftMarker(usize, i8),
        Clutter(usize),
    }

    fn shift(x: usize, by: i8) -> usize {
        (x as i64 + by as i64).max(0) as usize
    }

    fn apply(fx: &mut Fx, m: &Mutation) {
        let a = &mut fx.a;
        let na = a.attributions.len().max(1);
        let ns = a.sentences.len().max(1);
        let kinds = [
            SourceKind::NamedPerson,
            SourceKind::NamedOrganization,
            SourceKind::UnnamedPerson,
            SourceKind::UnnamedGroup,
            SourceKind::Document,
            SourceKind::Author,
        ];
        match *m {
            Mutation::Voice(s, v) => {
                if let Some(s) = a.sentences.get_mut(s % ns) {
                    s.voice = [Voice::Attributed, Voice::AuthorOpinion, Voice::AuthorReport][v as usize % 3];
                }
            }
            Mutation::Kind(i, k) => {
                if let Some(src) = a.attributions.get_mut(i % na).and_then(|x| x.source.as_mut()) {
                    src.kind = kinds[k as usize % 6];
                }
            }
            Mutation::Relay(i, r) => {
                if let Some(at) = a.attributions.get_mut(i % na) {
                    at.relayed_from = r.map(|r| r % (na + 2));
                }
            }
            Mutation::ShiftSource(i, by) => {
                if let Some(src) = a.attributions.get_mut(i % na).and_then(|x| x.source.as_mut()) {
                    src.start = shift(src.start, by);
                }
            }
            Mutation::ShiftCue(i, by) => {
                if let Some(at) = a.attributions.get_mut(i % na) {
                    at.cue.end = shift(at.cue.end, by);
                }
            }
            Mutation::Sentence(i, s) => {
                if let Some(at) = a.attributions.get_mut(i % na) {
                    at.sentence = s % (ns + 2);
                }
            }
            Mutation::DropSource(i) => {
                if let Some(at) = a.attributions.get_mut(i % na) {
                    at.source = None;
                }
            }
            Mutation::ShiftMarker(i, by) => {
                let n = a.loaded_terms.len().max(1);
                if let Some(m) = a.loaded_terms.get_mut(i % n) {
                    m.start = shift(m.start, by);
                }
            }
            Mutation::Clutter(p) => {
                let n = a.paragraphs.len().max(1);
                if let Some(p) = a.paragraphs.get_mut(p % n) {
                    p.clutter = !p.clutter;
                }
            }
        }
    }

    fn mutation() -> impl Strategy<Value = Mutation> {
        prop_oneof![
            (0..60usize, 0..3u8).prop_map(|(a, b)| Mutation::Voice(a, b)),
            (0..60usize, 0..6u8).prop_map(|(a, b)| Mutation::Kind(a, b)),
            (0..60usize, proptest::option::of(0..60usize)).prop_map(|(a, b)| Mutation::Relay(a, b)),
            (0..60usize, -5..5i8).prop_map(|(a, b)| Mutation::ShiftSource(a, b)),
            (0..60usize, -5..5i8).prop_map(|(a, b)| Mutation::ShiftCue(a, b)),
            (0..60usize, 0..60usize).prop_map(|(a, b)| Mutation::Sentence(a, b)),
            (0..60usize).prop_map(Mutation::DropSource),
            (0..60usize, -5..5i8).prop_map(|(a, b)| Mutation::ShiftMarker(a, b)),
            (0..60usize).prop_map(Mutation::Clutter),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(150))]
        /// Realistic analyses with a few things wrong: output stays well formed, quotes
        /// stay exact, and no key rests on a sentence whose attributions disagree.
        #[test]
        fn a_slightly_wrong_analysis_gives_well_formed_exercises(
            which in 0..2usize,
            muts in proptest::collection::vec(mutation(), 1..8),
        ) {
            let mut fx = if which == 0 { seed_001() } else { seed_003() };
            for m in &muts {
                apply(&mut fx, m);
            }
            let h = hash(fx.text);
            let ex = generate(&art(&fx, &h));
            prop_assert_eq!(&ex, &generate(&art(&fx, &h)));
            let ids: BTreeSet<uuid::Uuid> = ex.iter().map(|e| e.id).collect();
            prop_assert_eq!(ids.len(), ex.len());
            for e in &ex {
                prop_assert_eq!(e.content.validate(), Ok(()));
                for q in e.content.passage.iter().chain(e.content.options.iter().filter_map(|o| o.quote.as_ref())) {
                    prop_assert_eq!(&chars(fx.text, q.start, q.end), &q.text);
                    for c in &fx.a.clutter {
                        prop_assert!(q.end <= c.start || c.end <= q.start);
                    }
                }
                if e.content.response_type == ResponseType::MultipleResponse {
                    prop_assert!(e.content.options.len() >= 3);
                    prop_assert!(e.content.options.iter().any(|o| !o.correct));
                }
            }
        }
    }
}
