//! Speaker-labelled transcripts through the real analyzer: the labels are layout, cut off
//! what students read, and an abbreviated label ("ML:") is the interviewee named in full.

use super::*;

const TRANSCRIPT: &str = "Newsroom interviews chess coach Maria Lopez

Monday, May 6, 2024

The Daily Ledger interviewed Maria Lopez, the coach of the Toledo school chess team, about the team's season and its plans.

((DL)) Your team won the state title in March. How did the final feel?

Maria Lopez: It was the best day of my coaching life. The players stayed calm even when the last game went on for four hours.

((DL)) What will the team work on next?

ML: We will study endgames twice a week. The players also want to travel to more tournaments next year, so we are raising money for buses.

((DL)) Who helped you most this season?

ML: The parents drove the team to every match. Our principal let us use the library after school.

((DL)) Will you coach again next year?

ML: Yes, I have already signed on for two more seasons.
";

fn interview_items() -> Vec<Exercise> {
    let a = crate::analysis::analyze(TRANSCRIPT);
    let h = fixtures::hash(TRANSCRIPT);
    let r = ArticleRef {
        content_hash: &h,
        title: &a.title,
        text: TRANSCRIPT,
        analysis: &a,
    };
    generate(&r)
        .into_iter()
        .filter(|e| e.kind == ExerciseKind::InterviewVoice)
        .collect()
}

fn keyed(e: &Exercise) -> &ExerciseOption {
    e.content
        .options
        .iter()
        .find(|o| o.correct)
        .expect("one keyed option")
}

#[test]
fn transcript_answers_under_initials_are_the_interviewees() {
    let items = interview_items();
    assert!(items.len() >= 3, "{items:#?}");
    for e in &items {
        let p = e.content.passage.as_ref().expect("a passage");
        // The label would give the answer away; the quote still matches the text.
        for label in ["ML:", "((DL))", "Maria Lopez:", "DL)"] {
            assert!(!p.text.starts_with(label), "{}", p.text);
        }
        assert_eq!(chars(TRANSCRIPT, p.start, p.end), p.text);
    }
    let endgames = items
        .iter()
        .find(|e| {
            e.content
                .passage
                .as_ref()
                .is_some_and(|p| p.text.starts_with("We will study endgames"))
        })
        .expect("an item on the answer under “ML:”");
    let key = keyed(endgames);
    assert_eq!(key.text, "Maria Lopez, the person interviewed");
    assert!(key.explanation.contains("“ML:”"), "{}", key.explanation);
}

#[test]
fn transcript_questions_are_the_interviewers_with_their_label_quoted() {
    let items = interview_items();
    let question = items
        .iter()
        .find(|e| e.content.passage.as_ref().is_some_and(|p| p.text.ends_with('?')))
        .expect("an item on a question");
    let key = keyed(question);
    assert_eq!(key.id, "interviewer");
    assert!(key.explanation.contains("“((DL))”"), "{}", key.explanation);
    assert!(!key.explanation.contains("“)”"), "{}", key.explanation);
}

/// A transcript as some pages leave it: the interviewer's label lost in image names, the
/// interviewee's kept.
const LOST_LABELS: &str = "Wikinews interviews rowing coach Anna Berg

London, England — On Tuesday, Wikinews interviewed Anna Berg, the coach of the national rowing team.

Wikinews waves Left.pngJo BrownWikinews waves Right.png How did the final race go?

Anna Berg: The crew rowed the best race of their lives in the last five hundred metres.

Wikinews waves Left.pngJo BrownWikinews waves Right.png What comes next?

Anna Berg: We will train twice a day at the lake until the world championships in August.

Wikinews waves Left.pngJo BrownWikinews waves Right.png Who helped the most?

Anna Berg: The parents drove the rowers to every early session at the boathouse.

Wikinews waves Left.pngJo BrownWikinews waves Right.png Will you stay on?

Anna Berg: Yes, I have already signed on for two more seasons with the team. (laughter)
";

#[test]
fn labelled_answers_are_asked_about_when_the_interviewers_label_is_lost() {
    let a = crate::analysis::analyze(LOST_LABELS);
    let h = fixtures::hash(LOST_LABELS);
    let items: Vec<Exercise> = generate(&ArticleRef {
        content_hash: &h,
        title: &a.title,
        text: LOST_LABELS,
        analysis: &a,
    })
    .into_iter()
    .filter(|e| e.kind == ExerciseKind::InterviewVoice)
    .collect();
    assert!(items.len() >= 3, "{items:#?}");
    for e in &items {
        let p = e.content.passage.as_ref().expect("a passage");
        // Answers only, shown without the label, keyed to the person interviewed.
        assert!(
            !p.text.ends_with('?') && !p.text.starts_with("Anna Berg"),
            "{}",
            p.text
        );
        let key = key_shown(e);
        assert_eq!(key, ["Anna Berg, the person interviewed"], "{}", p.text);
        // An answer cut from the "(laughter)" after it is a fragment of the turn.
        assert!(!p.text.contains("signed on"), "{}", p.text);
    }
}

const INITIALS: &str = "Wikinews interviews an ecologist about river frogs

Ecologist Ann Lee Brown and her team have found that river frogs avoid ponds where fish live. The journal Ecology published their paper on Monday.

Today, Wikinews interviewed Ann Lee Brown about the study.

((Wikinews)) What did you find in the ponds?

Ann Lee Brown: We found that frogs avoid every pond that holds fish, whatever the fish eat. That held for all six species we tested.

((Wikinews)) Was that a surprise to you?

ALB: Not really. Our colleague Tom Hart said years ago that frogs can smell fish in the water.

((Wikinews)) What comes next for the team?

ALB: We want to test the same ponds in winter, when the frogs are less active and the fish move deeper.
";

#[test]
fn a_speakers_initials_are_never_a_second_source_beside_their_name() {
    let a = crate::analysis::analyze(INITIALS);
    let h = hash(INITIALS);
    let ex = generate(&ArticleRef {
        content_hash: &h,
        title: &a.title,
        text: INITIALS,
        analysis: &a,
    });
    // "ALB:" labels Ann Lee Brown's answers: offering both as sources would make two right
    // answers of one.
    for e in &ex {
        let texts: Vec<&str> = e.content.options.iter().map(|o| o.text.as_str()).collect();
        assert!(
            !(texts.contains(&"ALB") && texts.iter().any(|t| t.ends_with("Ann Lee Brown"))),
            "{e:#?}"
        );
    }
}
