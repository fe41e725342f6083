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
