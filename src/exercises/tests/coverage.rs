//! Articles that used to get few exercises, through the real analyzer: a prose interview asks
//! whose words a statement is; a report with two governments offers both; a person described
//! before the name is shown by the name; a "may" that carries the claim is a hedge and one in
//! a relative clause is neither keyed nor offered as certain.

use super::*;

const PROSE_INTERVIEW: &str = "A baker's long night

Wikinews interviewed Maria Ortiz, a baker who has run the same corner shop in the harbour district for thirty-one years.

The shop sells about four hundred loaves on a Saturday, most of them before nine o'clock in the morning.

Ms. Ortiz told us that the hardest part of the job is the hours, which start at three in the morning.

\"People think bread is simple, but every flour behaves differently,\" Ms. Ortiz said.

She says she will hand the ovens to her nephew next spring.
";

const REPORT: &str = "Court rules on fishing rights

On Tuesday, an international court ruled against Norland in a long dispute over fishing rights in the northern sea.

The Norland government rejected the decision, calling it \"unfair to our fishermen\".

The Sudland government said the ruling was \"a victory for small fishing towns\".

\"This is a fair result for everyone who works at sea,\" said a spokesman for the Sudland fishing board, Peter Hale.

The new harbour wall may collapse as the winter storms continue to batter the coast.

Tiny grains of sand that may be carried by the tide are not a danger to the boats.
";

fn exercises_of(text: &str) -> Vec<Exercise> {
    let a = crate::analysis::analyze(text);
    let h = fixtures::hash(text);
    generate(&ArticleRef {
        content_hash: &h,
        title: &a.title,
        text,
        analysis: &a,
    })
}

fn keyed_id(e: &Exercise) -> &str {
    e.content
        .options
        .iter()
        .find(|o| o.correct)
        .map(|o| o.id.as_str())
        .unwrap_or("")
}

#[test]
fn a_prose_interview_asks_whose_words_with_the_interviewee_named_in_full() {
    let ex = exercises_of(PROSE_INTERVIEW);
    let iv = of_kind(&ex, ExerciseKind::InterviewVoice);
    assert!(iv.len() >= 3, "{ex:#?}");
    for e in &iv {
        let p = e.content.passage.as_ref().expect("a passage");
        assert_eq!(chars(PROSE_INTERVIEW, p.start, p.end), p.text);
        // "Ms. Ortiz" in the text, "Maria Ortiz" as the introduction names her.
        assert!(
            e.content
                .options
                .iter()
                .any(|o| o.text == "Maria Ortiz, the person interviewed"),
            "{:#?}",
            e.content.options
        );
        let key = keyed_id(e);
        // Her cued words are hers; the writer's narration (no cue, no quotation) is the writer's.
        if p.text.contains("told us") || p.text.contains("said") || p.text.contains("says") {
            assert_eq!(key, "interviewee", "{}", p.text);
        } else {
            assert_eq!(key, "interviewer", "{}", p.text);
            assert!(!p.text.contains('"'), "{}", p.text);
        }
        assert!(!e.content.needs_review);
    }
    assert!(iv.iter().any(|e| keyed_id(e) == "interviewer"));
    assert!(iv.iter().any(|e| keyed_id(e) == "interviewee"));
}

#[test]
fn two_governments_are_two_sources_and_a_described_person_is_shown_by_name() {
    let ex = exercises_of(REPORT);
    let items = of_kind(&ex, ExerciseKind::SourceOfClaim);
    let names: BTreeSet<&str> = items
        .iter()
        .flat_map(|e| e.content.options.iter().map(|o| o.text.as_str()))
        .collect();
    for n in ["The Norland government", "The Sudland government", "Peter Hale"] {
        assert!(names.contains(n), "{names:#?}");
    }
    assert!(!names.iter().any(|n| n.contains("spokesman")), "{names:#?}");
    let hale = items
        .iter()
        .find(|e| {
            e.content
                .passage
                .as_ref()
                .is_some_and(|p| p.text.contains("Peter Hale"))
        })
        .expect("an item on the spokesman's statement");
    let key = key_shown(hale);
    assert_eq!(key, vec!["Peter Hale"]);
    // The option quotes the name where the article gives it.
    let o = hale.content.options.iter().find(|o| o.correct).unwrap();
    let q = o.quote.as_ref().expect("quoted");
    assert_eq!(chars(REPORT, q.start, q.end), "Peter Hale");
}

#[test]
fn a_may_that_carries_the_claim_is_a_hedge_and_one_in_a_relative_clause_is_left_out() {
    let ex = exercises_of(REPORT);
    let hc = of_kind(&ex, ExerciseKind::HedgedClaims);
    let [e] = hc[..] else {
        panic!("one hedged-claims item: {ex:#?}")
    };
    let keyed = key_texts(e);
    assert!(keyed.iter().any(|k| k.contains("may collapse")), "{keyed:#?}");
    // "grains of sand that may be carried" is neither keyed nor offered as certain.
    for o in &e.content.options {
        assert!(!o.text.contains("that may be carried"), "{}", o.text);
    }
}

/// A report with one source and no hedge: it used to get a piece-type question and one
/// checking question, nothing to assign beside them.
const ONE_SOURCE: &str = "Court strikes down fishing ban

The national court on Tuesday struck down a ban on winter fishing in the northern bay, three years after the ban was first imposed by the regional council.

The ban had closed the bay to small boats from November to March and had cost about forty families their main income each winter.

\"The council had no power to close the bay without a vote of parliament,\" Judge Maria Weller wrote in the ruling.

Fishing crews returned to the harbour on Wednesday morning and began repairing nets that had been stored since the ban began.

The regional council now has thirty days to ask for the case to be heard again by a larger panel of judges.

The northern bay has been fished by the same villages for more than two hundred years, and its cod were once sold across the whole country.
";

#[test]
fn a_one_source_report_gets_four_exercises_to_assign_of_three_kinds() {
    let ex = exercises_of(ONE_SOURCE);
    let published: Vec<&Exercise> = ex.iter().filter(|e| !e.content.needs_review).collect();
    assert!(published.len() >= 4, "{ex:#?}");
    let kinds: BTreeSet<ExerciseKind> = published.iter().map(|e| e.kind).collect();
    assert!(kinds.len() >= 3, "{kinds:?}");
    // The one source is set against "No source is given" on a claim the writer makes alone.
    let item = of_kind(&ex, ExerciseKind::SourceOfClaim)
        .into_iter()
        .find(|e| {
            e.content
                .options
                .iter()
                .any(|o| o.text == "No source is given" && o.correct)
        })
        .expect("a writer's-claim source item");
    let passage = &item.content.passage.as_ref().expect("a passage").text;
    assert!(!passage.contains("Weller") && !passage.contains('"'), "{passage}");
    let wrong: Vec<&str> = item
        .content
        .options
        .iter()
        .filter(|o| !o.correct)
        .map(|o| o.text.as_str())
        .collect();
    assert_eq!(wrong, ["Judge Maria Weller"]);
    // Every extra checking question is on a different claim.
    let passages: BTreeSet<&str> = of_kind(&ex, ExerciseKind::Reflection)
        .iter()
        .map(|e| e.content.passage.as_ref().expect("a passage").text.as_str())
        .collect();
    assert_eq!(passages.len(), of_kind(&ex, ExerciseKind::Reflection).len());
}
