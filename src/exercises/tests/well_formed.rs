//! Whatever the analysis, generated exercises are well formed: exact quotes, no clutter, no key in the student view.

use super::*;

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
