//! Pure grading: checks a student's answer against an exercise's shape and scores it
//! against the key. No I/O; the caller stores the result.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::{ExerciseContent, ResponseType, ScoringMode};

/// A student's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Answer {
    /// The chosen option ids (single choice: exactly one; multiple response: one or more).
    Choices { option_ids: Vec<String> },
    /// A free-text answer.
    Text {
        /// Not blank; at most 20,000 characters.
        #[schema(min_length = 1, max_length = 20000, pattern = r"\S")]
        text: String,
    },
}

/// Why an answer cannot be accepted for an exercise. Each message names the problem and
/// the offending option id where there is one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, ToSchema)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum AnswerError {
    #[error("option id {id:?} is not an option of this exercise")]
    UnknownOption { id: String },
    #[error("option id {id:?} is chosen more than once")]
    DuplicateOption { id: String },
    #[error("a single-choice exercise takes exactly one option, got {got}")]
    NotExactlyOne { got: usize },
    #[error("a multiple-response exercise takes at least one option, got none")]
    NoOptionChosen,
    #[error("this exercise takes a {expected} answer, got a {got} answer")]
    WrongAnswerType { expected: String, got: String },
    #[error("the answer text is empty")]
    EmptyText,
}

/// Feedback on one option of a graded choice exercise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OptionFeedback {
    pub id: String,
    pub chosen: bool,
    pub correct: bool,
    pub explanation: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Grade {
    /// `None`: pending review by a person (free text).
    pub score: Option<f64>,
    /// Always 1.0.
    pub max_score: f64,
    /// One entry per option, in the exercise's order (empty for free text).
    pub per_option: Vec<OptionFeedback>,
}

fn answer_type(a: &Answer) -> &'static str {
    match a {
        Answer::Choices { .. } => "choices",
        Answer::Text { .. } => "text",
    }
}

/// Checks that `answer` fits `content`: right answer type, known and distinct option ids,
/// right number of choices, non-blank text.
pub fn validate_answer(content: &ExerciseContent, answer: &Answer) -> Result<(), AnswerError> {
    let expected = match content.response_type {
        ResponseType::FreeText => "text",
        ResponseType::SingleChoice | ResponseType::MultipleResponse => "choices",
    };
    if expected != answer_type(answer) {
        return Err(AnswerError::WrongAnswerType {
            expected: expected.to_string(),
            got: answer_type(answer).to_string(),
        });
    }
    match answer {
        Answer::Text { text } => {
            if text.trim().is_empty() {
                return Err(AnswerError::EmptyText);
            }
        }
        Answer::Choices { option_ids } => {
            let mut seen = BTreeSet::new();
            for id in option_ids {
                if !content.options.iter().any(|o| &o.id == id) {
                    return Err(AnswerError::UnknownOption { id: id.clone() });
                }
                if !seen.insert(id.as_str()) {
                    return Err(AnswerError::DuplicateOption { id: id.clone() });
                }
            }
            match content.response_type {
                ResponseType::SingleChoice if option_ids.len() != 1 => {
                    return Err(AnswerError::NotExactlyOne {
                        got: option_ids.len(),
                    });
                }
                ResponseType::MultipleResponse if option_ids.is_empty() => {
                    return Err(AnswerError::NoOptionChosen);
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// Scores `answer` against the key of `content` under `mode`.
///
/// Free text is left for a person (`score: None`). Choice items: single choice is 1 or 0
/// under either mode; multiple response is `max(0, (correct chosen − wrong chosen) /
/// correct total)` under `Partial` and 1 only for exactly the key under `AllOrNothing`.
/// Answers that fail [`validate_answer`] score 0 (unknown ids count as wrong choices), so
/// a caller that skips validation never awards credit for a malformed answer.
pub fn grade(content: &ExerciseContent, answer: &Answer, mode: ScoringMode) -> Grade {
    let chosen: BTreeSet<&str> = match answer {
        Answer::Choices { option_ids } => option_ids.iter().map(String::as_str).collect(),
        Answer::Text { .. } => BTreeSet::new(),
    };
    let per_option: Vec<OptionFeedback> = content
        .options
        .iter()
        .map(|o| OptionFeedback {
            id: o.id.clone(),
            chosen: chosen.contains(o.id.as_str()),
            correct: o.correct,
            explanation: o.explanation.clone(),
        })
        .collect();
    if content.response_type == ResponseType::FreeText {
        let score = match answer {
            Answer::Text { .. } => None,
            Answer::Choices { .. } => Some(0.0),
        };
        return Grade {
            score,
            max_score: 1.0,
            per_option,
        };
    }
    if validate_answer(content, answer).is_err() {
        return Grade {
            score: Some(0.0),
            max_score: 1.0,
            per_option,
        };
    }
    let correct_total = per_option.iter().filter(|f| f.correct).count();
    let correct_chosen = per_option.iter().filter(|f| f.correct && f.chosen).count();
    let wrong_chosen = per_option.iter().filter(|f| !f.correct && f.chosen).count();
    let exact = correct_chosen == correct_total && wrong_chosen == 0;
    let score = match (content.response_type, mode) {
        (ResponseType::MultipleResponse, ScoringMode::Partial) if correct_total > 0 => {
            let raw = (correct_chosen as f64 - wrong_chosen as f64) / correct_total as f64;
            raw.max(0.0)
        }
        // Single choice (either mode), all-or-nothing, and a key-less item (which validate
        // rejects) all come down to "exactly the key".
        _ => {
            if exact && correct_total > 0 {
                1.0
            } else {
                0.0
            }
        }
    };
    Grade {
        score: Some(score),
        max_score: 1.0,
        per_option,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exercises::model::{Difficulty, ExerciseOption};

    fn opt(id: &str, correct: bool) -> ExerciseOption {
        ExerciseOption {
            id: id.to_string(),
            text: format!("option {id}"),
            quote: None,
            article_hash: None,
            correct,
            explanation: format!("because {id}"),
        }
    }

    fn content(response_type: ResponseType, key: &[bool]) -> ExerciseContent {
        let ids = ["a", "b", "c", "d", "e", "f"];
        ExerciseContent {
            prompt: "Which?".to_string(),
            response_type,
            passage: None,
            options: key.iter().zip(ids).map(|(&c, id)| opt(id, c)).collect(),
            difficulty: Difficulty::Easy,
            scoring: ScoringMode::Partial,
            rubric: None,
            confidence: 1.0,
            needs_review: false,
            review_notes: Vec::new(),
        }
    }

    fn choose(ids: &[&str]) -> Answer {
        Answer::Choices {
            option_ids: ids.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn score(c: &ExerciseContent, ids: &[&str], mode: ScoringMode) -> f64 {
        grade(c, &choose(ids), mode)
            .score
            .expect("choice items are scored")
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn partial_arithmetic_by_hand() {
        // Key: a, b, c correct; d, e wrong.
        let c = content(ResponseType::MultipleResponse, &[true, true, true, false, false]);
        let p = ScoringMode::Partial;
        assert!(close(score(&c, &["a", "b", "c"], p), 1.0));
        assert!(close(score(&c, &["a", "b"], p), 2.0 / 3.0));
        assert!(close(score(&c, &["a"], p), 1.0 / 3.0));
        // (3 − 1) / 3
        assert!(close(score(&c, &["a", "b", "c", "d"], p), 2.0 / 3.0));
        // (1 − 1) / 3 = 0
        assert!(close(score(&c, &["a", "d"], p), 0.0));
        // (1 − 2) / 3 < 0 → 0
        assert!(close(score(&c, &["a", "d", "e"], p), 0.0));
        // (3 − 2) / 3: choosing everything is not full marks
        assert!(close(score(&c, &["a", "b", "c", "d", "e"], p), 1.0 / 3.0));
        assert!(close(score(&c, &["d"], p), 0.0));
    }

    #[test]
    fn partial_with_two_of_four_correct() {
        let c = content(ResponseType::MultipleResponse, &[false, true, false, true]);
        let p = ScoringMode::Partial;
        assert!(close(score(&c, &["b"], p), 0.5));
        assert!(close(score(&c, &["b", "d"], p), 1.0));
        assert!(close(score(&c, &["b", "d", "a"], p), 0.5));
    }

    #[test]
    fn all_or_nothing_needs_exactly_the_key() {
        let c = content(ResponseType::MultipleResponse, &[true, true, false, false]);
        let m = ScoringMode::AllOrNothing;
        assert!(close(score(&c, &["a", "b"], m), 1.0));
        assert!(close(score(&c, &["b", "a"], m), 1.0));
        assert!(close(score(&c, &["a"], m), 0.0));
        assert!(close(score(&c, &["a", "b", "c"], m), 0.0));
    }

    #[test]
    fn single_choice_is_one_or_zero_in_both_modes() {
        let c = content(ResponseType::SingleChoice, &[false, true, false]);
        for m in [ScoringMode::Partial, ScoringMode::AllOrNothing] {
            assert!(close(score(&c, &["b"], m), 1.0));
            assert!(close(score(&c, &["a"], m), 0.0));
            // Invalid (two choices) scores 0 even though it contains the key.
            assert!(close(score(&c, &["a", "b"], m), 0.0));
        }
    }

    #[test]
    fn feedback_lists_every_option_in_order() {
        let c = content(ResponseType::MultipleResponse, &[true, false, true]);
        let g = grade(&c, &choose(&["a", "b"]), ScoringMode::Partial);
        assert_eq!(g.max_score, 1.0);
        let got: Vec<(&str, bool, bool)> = g
            .per_option
            .iter()
            .map(|f| (f.id.as_str(), f.chosen, f.correct))
            .collect();
        assert_eq!(
            got,
            vec![("a", true, true), ("b", true, false), ("c", false, true)]
        );
        assert_eq!(g.per_option[1].explanation, "because b");
    }

    #[test]
    fn free_text_is_pending_review() {
        let c = content(ResponseType::FreeText, &[]);
        let g = grade(
            &c,
            &Answer::Text {
                text: "I would look for the Bloomberg article.".into(),
            },
            ScoringMode::Partial,
        );
        assert_eq!(g.score, None);
        assert!(g.per_option.is_empty());
        assert_eq!(grade(&c, &choose(&[]), ScoringMode::Partial).score, Some(0.0));
    }

    #[test]
    fn unknown_ids_never_earn_credit() {
        let c = content(ResponseType::MultipleResponse, &[true, false, false]);
        assert!(close(score(&c, &["a", "zz"], ScoringMode::Partial), 0.0));
    }

    #[test]
    fn validate_answer_errors_name_the_problem() {
        let single = content(ResponseType::SingleChoice, &[true, false, false]);
        let multi = content(ResponseType::MultipleResponse, &[true, true, false]);
        let free = content(ResponseType::FreeText, &[]);

        assert_eq!(validate_answer(&single, &choose(&["b"])), Ok(()));
        assert_eq!(validate_answer(&multi, &choose(&["a", "c"])), Ok(()));

        let e = validate_answer(&single, &choose(&["x"])).expect_err("must be rejected");
        assert_eq!(e, AnswerError::UnknownOption { id: "x".into() });
        assert!(e.to_string().contains("\"x\""), "{e}");

        let e = validate_answer(&multi, &choose(&["a", "c", "a"])).expect_err("must be rejected");
        assert_eq!(e, AnswerError::DuplicateOption { id: "a".into() });
        assert!(e.to_string().contains("\"a\""), "{e}");

        assert_eq!(
            validate_answer(&single, &choose(&["a", "b"])),
            Err(AnswerError::NotExactlyOne { got: 2 })
        );
        assert_eq!(
            validate_answer(&single, &choose(&[])),
            Err(AnswerError::NotExactlyOne { got: 0 })
        );
        assert_eq!(
            validate_answer(&multi, &choose(&[])),
            Err(AnswerError::NoOptionChosen)
        );

        let e = validate_answer(&multi, &Answer::Text { text: "a".into() }).expect_err("must be rejected");
        assert_eq!(
            e,
            AnswerError::WrongAnswerType {
                expected: "choices".into(),
                got: "text".into()
            }
        );
        assert!(validate_answer(&free, &choose(&["a"])).is_err());
        assert_eq!(
            validate_answer(&free, &Answer::Text { text: " \n\t".into() }),
            Err(AnswerError::EmptyText)
        );
        assert_eq!(
            validate_answer(
                &free,
                &Answer::Text {
                    text: "Check it".into()
                }
            ),
            Ok(())
        );
    }

    #[test]
    fn answer_json_shape() {
        let a: Answer =
            serde_json::from_str(r#"{"type":"choices","option_ids":["a","b"]}"#).expect("choices parse");
        assert_eq!(a, choose(&["a", "b"]));
        let t: Answer = serde_json::from_str(r#"{"type":"text","text":"hi"}"#).expect("text parses");
        assert_eq!(t, Answer::Text { text: "hi".into() });
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn scores_stay_in_unit_interval(
                key in proptest::collection::vec(any::<bool>(), 3..7),
                pick in proptest::collection::vec(any::<bool>(), 7),
                partial in any::<bool>(),
            ) {
                let mut key = key;
                key[0] = true;
                let c = content(ResponseType::MultipleResponse, &key);
                let ids: Vec<String> = c.options.iter().zip(&pick)
                    .filter(|(_, p)| **p).map(|(o, _)| o.id.clone()).collect();
                let mode = if partial { ScoringMode::Partial } else { ScoringMode::AllOrNothing };
                let g = grade(&c, &Answer::Choices { option_ids: ids.clone() }, mode);
                let s = g.score.unwrap_or(-1.0);
                prop_assert!((0.0..=1.0).contains(&s));
                let exact = c.options.iter().all(|o| o.correct == ids.contains(&o.id));
                prop_assert_eq!(s == 1.0, exact);
            }
        }
    }
}
