//! An opinion column with no "I" and no stock judging phrase: its genre shows in how much of
//! it is the writer's own judgement and how little is attributed, and those judgements can be
//! asked about as the writer's opinion.

use super::*;
use crate::analysis::{Genre, QuoteType, SourceKind, Voice};

const COLUMN: &str = "The town library deserves better than another round of cuts

The council's plan to close the town library three days a week is a mistake.

A library is not a luxury; it is one of the few places where anyone can sit, read and learn without paying.

The savings are far too small to justify the damage the closures will do.

Children who have no quiet place to study at home will lose the most.

The library opened in 1911 and lends about 90,000 books a year.

The council's finance chief, Tom Baker, said the building costs too much to heat.

That is a reason to fix the roof, not to shut the doors.

The council should think again before the vote next month.

A town that gives up its library gives up part of what makes it a town.
";

fn column(genre_confidence: f32) -> Fx {
    let mut fx = Fx::new(
        COLUMN,
        Genre::Opinion,
        &["most sentences are the writer's own judgement"],
    );
    fx.a.genre_confidence = genre_confidence;
    for s in [
        "is a mistake",
        "is not a luxury",
        "far too small",
        "a reason to fix the roof",
        "should think again",
        "gives up part of what",
    ] {
        fx.voice(s, Voice::AuthorOpinion);
    }
    fx.attr(
        "costs too much to heat",
        Some(("Tom Baker", SourceKind::NamedPerson)),
        "said",
        Some("the building costs too much to heat"),
        QuoteType::Indirect,
    );
    fx
}

fn piece_type_key(fx: &Fx) -> Option<(String, bool)> {
    let h = hash(fx.text);
    let ex = generate(&art(fx, &h));
    let pt = of_kind(&ex, ExerciseKind::PieceType);
    let e = pt.first()?;
    let key = e.content.options.iter().find(|o| o.correct)?;
    Some((key.id.clone(), e.content.needs_review))
}

#[test]
fn a_column_of_plain_judgements_is_keyed_an_opinion_piece() {
    assert_eq!(piece_type_key(&column(0.7)), Some(("opinion".to_string(), false)));
}

#[test]
fn a_column_the_analysis_is_unsure_of_gets_no_piece_type_item() {
    assert_eq!(piece_type_key(&column(0.5)), None);
}

#[test]
fn a_columns_plain_judgements_are_keyed_the_writers_opinion_and_the_source_is_not() {
    let fx = column(0.7);
    let h = hash(fx.text);
    let ex = generate(&art(&fx, &h));
    let op = of_kind(&ex, ExerciseKind::AuthorOpinion);
    let [e] = op[..] else {
        panic!("one author-opinion item: {ex:#?}")
    };
    let keyed = key_texts(e);
    assert!(keyed.len() >= 2 && keyed.len() <= 4, "{keyed:#?}");
    for k in &keyed {
        assert!(!k.contains("Tom Baker") && !k.contains("opened in 1911"), "{k}");
        // A judgement with no word that weighs is left out rather than guessed at.
        assert!(!k.contains("not a luxury"), "{k}");
    }
    assert!(wrong_texts(e).iter().any(|t| t.contains("Tom Baker")));
    // Less sure than a stock phrase, but not a draft; the notes say what rests on the analysis.
    assert!(!e.content.needs_review);
    assert!(e
        .content
        .review_notes
        .iter()
        .any(|n| n.contains("weighs rather than reports")));
    // Only judgements with a word that weighs are keyed, and the explanation quotes it.
    for o in e.content.options.iter().filter(|o| o.correct) {
        assert!(
            o.explanation.contains("“mistake”") || o.explanation.contains("“too”"),
            "{}",
            o.explanation
        );
    }
}

#[test]
fn an_unsure_column_gets_no_opinion_item_from_the_analysis_alone() {
    let fx = column(0.6);
    let h = hash(fx.text);
    assert!(of_kind(&generate(&art(&fx, &h)), ExerciseKind::AuthorOpinion).is_empty());
}

const PROSE_INTERVIEW: &str = "A baker's long night

Maria Ortiz has baked bread in the same corner shop in the harbour district for thirty-one years.

She says the hardest part of the job is the hours, which start at three in the morning.

The shop sells about four hundred loaves on a Saturday, most of them before nine o'clock.

She says she will hand the ovens to her nephew next spring.
";

#[test]
fn a_prose_interview_still_asks_about_the_writers_own_claims_but_a_transcript_does_not() {
    let mut prose = Fx::new(
        PROSE_INTERVIEW,
        Genre::Interview,
        &["told in the present (\"says\")"],
    );
    for (s, content) in [
        ("the hardest part", "the hardest part of the job is the hours"),
        (
            "hand the ovens",
            "she will hand the ovens to her nephew next spring",
        ),
    ] {
        prose.attr(
            s,
            Some(("She", SourceKind::NamedPerson)),
            "says",
            Some(content),
            QuoteType::Indirect,
        );
    }
    let h = hash(prose.text);
    let ex = generate(&art(&prose, &h));
    let writer: Vec<&Exercise> = of_kind(&ex, ExerciseKind::Reflection)
        .into_iter()
        .filter(|e| e.content.prompt.starts_with("The writer states this"))
        .collect();
    // One, and a second on a piece this short (it supports few other exercises).
    assert!(!writer.is_empty() && writer.len() <= 2, "{ex:#?}");
    for w in &writer {
        let p = w.content.passage.as_ref().expect("a passage");
        assert!(!p.text.contains("says"), "{}", p.text);
    }

    let qa = seed_000();
    let h = hash(qa.text);
    assert!(of_kind(&generate(&art(&qa, &h)), ExerciseKind::Reflection)
        .iter()
        .all(|e| !e.content.prompt.starts_with("The writer")));
}
