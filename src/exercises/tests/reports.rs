//! A short local news report through the real analyzer: who was told is never the source,
//! and the writer's own claim gets a checking question that says no source is named.

use super::*;

const REPORT: &str = "City bridge to close for repairs

By Ana Ruiz

The Harbour Bridge will close for six weeks from Monday while crews replace its worn steel cables.

The bridge carries about 40,000 cars a day between the port district and the city centre.

Transport officials said the work could not wait another winter.

\"The cables are near the end of their life,\" the city engineer, Paul Kim, told reporters on Friday.

Buses will run on a longer route through the tunnel during the closure, adding about 15 minutes to most trips.

Shop owners near the bridge said they feared losing customers.
";

fn report_exercises() -> Vec<Exercise> {
    let a = crate::analysis::analyze(REPORT);
    let h = fixtures::hash(REPORT);
    generate(&ArticleRef {
        content_hash: &h,
        title: &a.title,
        text: REPORT,
        analysis: &a,
    })
}

#[test]
fn the_reporters_a_source_told_are_never_keyed_as_the_source() {
    for e in report_exercises() {
        for o in e.content.options.iter().filter(|o| o.correct) {
            assert!(
                !o.text.eq_ignore_ascii_case("reporters"),
                "{:?}: {}",
                e.kind,
                o.text
            );
            assert!(
                !o.explanation.contains("“told reporters”"),
                "{:?}: {}",
                e.kind,
                o.explanation
            );
        }
        for point in e.content.rubric.iter() {
            assert!(!point.contains("“told reporters”"), "{point}");
        }
    }
}

#[test]
fn the_writers_unsourced_claim_gets_a_checking_question() {
    let ex = report_exercises();
    let writer: Vec<&Exercise> = of_kind(&ex, ExerciseKind::Reflection)
        .into_iter()
        .filter(|e| {
            e.content
                .prompt
                .starts_with("The writer states this without naming a source")
        })
        .collect();
    // The best claim first; a report this short gets a second question on the next one.
    let (Some(&e), true) = (writer.first(), writer.len() <= 2) else {
        panic!("one or two writer's-claim questions: {ex:#?}")
    };
    let p = e.content.passage.as_ref().expect("the claim is quoted");
    assert_eq!(chars(REPORT, p.start, p.end), p.text);
    // Never a sentence with a word of saying in it: that claim is someone's.
    for q in writer.iter().filter_map(|e| e.content.passage.as_ref()) {
        for w in ["said", "told", "feared"] {
            assert!(!q.text.contains(w), "{}", q.text);
        }
    }
    assert!(e.content.prompt.contains(&p.text), "{}", e.content.prompt);
    assert!(!e.content.needs_review);
    assert!(e
        .content
        .rubric
        .as_deref()
        .is_some_and(|r| r.contains("names no source")));
}
