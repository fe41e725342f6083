//! The exercise data types: what a teacher sees (with the key) and what a student sees
//! (without it), plus the checks a teacher's edit must pass.
//!
//! The student view is a separate type with no `correct`/`explanation`/`rubric` fields, so
//! handing a key to a student is a compile error rather than a serialization slip.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::text::sha256;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExerciseKind {
    AnonymousSources,
    SourceOfClaim,
    AuthorOpinion,
    HedgedClaims,
    LoadedLanguage,
    ClaimChain,
    PieceType,
    CompareArticles,
    Reflection,
    /// In an interview: whose words a statement is (interviewer, interviewee, someone the
    /// interviewee quotes).
    InterviewVoice,
}

impl ExerciseKind {
    /// The snake_case name, as in JSON; part of every exercise id, so it must never change.
    pub fn as_str(self) -> &'static str {
        match self {
            ExerciseKind::AnonymousSources => "anonymous_sources",
            ExerciseKind::SourceOfClaim => "source_of_claim",
            ExerciseKind::AuthorOpinion => "author_opinion",
            ExerciseKind::HedgedClaims => "hedged_claims",
            ExerciseKind::LoadedLanguage => "loaded_language",
            ExerciseKind::ClaimChain => "claim_chain",
            ExerciseKind::PieceType => "piece_type",
            ExerciseKind::CompareArticles => "compare_articles",
            ExerciseKind::Reflection => "reflection",
            ExerciseKind::InterviewVoice => "interview_voice",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResponseType {
    SingleChoice,
    MultipleResponse,
    FreeText,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScoringMode {
    /// max(0, (correct chosen − wrong chosen) / correct total).
    Partial,
    /// 1 when the chosen set equals the key, else 0.
    AllOrNothing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Difficulty {
    Easy,
    Medium,
    Hard,
}

/// A stretch of one article's text: char (Unicode scalar) offsets, end exclusive;
/// `text` is exactly those chars.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub struct Quote {
    #[serde(deserialize_with = "crate::wire::offset")]
    #[schema(maximum = 4294967295_u64)]
    pub start: usize,
    #[serde(deserialize_with = "crate::wire::offset")]
    #[schema(maximum = 4294967295_u64)]
    pub end: usize,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Exercise {
    /// UUIDv5 over article hash + kind + subject; stable across generator versions.
    pub id: Uuid,
    pub kind: ExerciseKind,
    pub content: ExerciseContent,
}

/// An exercise with its answer key: the teacher's (and grader's) view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ExerciseContent {
    pub prompt: String,
    pub response_type: ResponseType,
    /// The stretch of text the question is about: the passage of a loaded-language item, the
    /// statement of a source/claim-chain/reflection item, the opening of a piece-type item.
    pub passage: Option<Quote>,
    pub options: Vec<ExerciseOption>,
    pub difficulty: Difficulty,
    pub scoring: ScoringMode,
    /// For free-text items: what a good answer covers, for the person grading.
    pub rubric: Option<String>,
    /// How sure the generator is that the key and every explanation are right, from 0 to 1:
    /// the least sure of the analysis findings the options rest on. Content stored before
    /// this field existed reads as 1.
    #[serde(default = "full_confidence")]
    #[schema(minimum = 0.0, maximum = 1.0)]
    pub confidence: f32,
    /// The generator was not sure enough to offer this exercise as it stands: a teacher
    /// should check the key before assigning it (see `review_notes`).
    #[serde(default)]
    pub needs_review: bool,
    /// What the generator was unsure of, in words a teacher can check against the text
    /// (staff only, like the key).
    #[serde(default)]
    pub review_notes: Vec<String>,
}

fn full_confidence() -> f32 {
    1.0
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ExerciseOption {
    /// Stable (a short hash of what the option is about) and unique within the exercise.
    pub id: String,
    pub text: String,
    /// Where the option's text sits in the article, for highlighting.
    pub quote: Option<Quote>,
    /// For cross-article items: the content hash of the article this option names.
    pub article_hash: Option<String>,
    pub correct: bool,
    /// Why the option is right or wrong, naming the evidence in the text.
    pub explanation: String,
}

/// What a student is shown: no key, no explanations, no rubric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StudentExercise {
    pub id: Uuid,
    pub kind: ExerciseKind,
    pub prompt: String,
    pub response_type: ResponseType,
    pub passage: Option<Quote>,
    pub options: Vec<StudentOption>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StudentOption {
    pub id: String,
    pub text: String,
    pub quote: Option<Quote>,
}

/// Why an exercise's content (e.g. after a teacher's edit) is not usable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, ToSchema)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum ContentError {
    #[error("the prompt is empty")]
    EmptyPrompt,
    #[error("an option has an empty id")]
    EmptyOptionId,
    #[error("option id {id:?} is used more than once")]
    DuplicateOptionId { id: String },
    #[error("option {id:?} has no text")]
    EmptyOptionText { id: String },
    #[error("a choice exercise needs at least 2 options, found {found}")]
    TooFewOptions { found: usize },
    #[error("a single-choice exercise needs exactly one correct option, found {found}")]
    SingleChoiceKey { found: usize },
    #[error("a multiple-response exercise needs at least one correct option")]
    NoCorrectOption,
    #[error("a free-text exercise takes no options, found {found}")]
    FreeTextWithOptions { found: usize },
}

impl ExerciseContent {
    /// Checks the shape of the content; quote bounds are the caller's job (it has the text).
    pub fn validate(&self) -> Result<(), ContentError> {
        if self.prompt.trim().is_empty() {
            return Err(ContentError::EmptyPrompt);
        }
        let mut seen = std::collections::BTreeSet::new();
        for o in &self.options {
            if o.id.trim().is_empty() {
                return Err(ContentError::EmptyOptionId);
            }
            if !seen.insert(o.id.as_str()) {
                return Err(ContentError::DuplicateOptionId { id: o.id.clone() });
            }
            if o.text.trim().is_empty() {
                return Err(ContentError::EmptyOptionText { id: o.id.clone() });
            }
        }
        let correct = self.options.iter().filter(|o| o.correct).count();
        match self.response_type {
            ResponseType::FreeText => {
                if !self.options.is_empty() {
                    return Err(ContentError::FreeTextWithOptions {
                        found: self.options.len(),
                    });
                }
            }
            ResponseType::SingleChoice | ResponseType::MultipleResponse => {
                if self.options.len() < 2 {
                    return Err(ContentError::TooFewOptions {
                        found: self.options.len(),
                    });
                }
                if self.response_type == ResponseType::SingleChoice && correct != 1 {
                    return Err(ContentError::SingleChoiceKey { found: correct });
                }
                if correct == 0 {
                    return Err(ContentError::NoCorrectOption);
                }
            }
        }
        Ok(())
    }

    /// The student's view, options in an order fixed by `shuffle_seed` (the caller passes
    /// student id + exercise id, so one student always sees the same order and neighbours
    /// see different ones). Piece-type and interview-voice options keep their natural
    /// order: they are a fixed list of categories, and shuffling them only makes the list
    /// harder to read.
    pub fn student_view(&self, id: Uuid, kind: ExerciseKind, shuffle_seed: &[u8]) -> StudentExercise {
        let mut options: Vec<StudentOption> = self
            .options
            .iter()
            .map(|o| StudentOption {
                id: o.id.clone(),
                text: o.text.clone(),
                quote: o.quote.clone(),
            })
            .collect();
        if !matches!(kind, ExerciseKind::PieceType | ExerciseKind::InterviewVoice) {
            // Sorting by a keyed hash is a deterministic shuffle that needs no RNG crate.
            options.sort_by_cached_key(|o| {
                let mut input = Vec::with_capacity(shuffle_seed.len() + 1 + o.id.len());
                input.extend_from_slice(shuffle_seed);
                input.push(0);
                input.extend_from_slice(o.id.as_bytes());
                (sha256(&input), o.id.clone())
            });
        }
        StudentExercise {
            id,
            kind,
            prompt: self.prompt.clone(),
            response_type: self.response_type,
            passage: self.passage.clone(),
            options,
        }
    }
}

impl Exercise {
    /// Shorthand for `self.content.student_view(self.id, self.kind, shuffle_seed)`.
    pub fn student_view(&self, shuffle_seed: &[u8]) -> StudentExercise {
        self.content.student_view(self.id, self.kind, shuffle_seed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opt(id: &str, correct: bool) -> ExerciseOption {
        ExerciseOption {
            id: id.to_string(),
            text: format!("text {id}"),
            quote: None,
            article_hash: None,
            correct,
            explanation: format!("why {id}"),
        }
    }

    fn content(response_type: ResponseType, key: &[bool]) -> ExerciseContent {
        ExerciseContent {
            prompt: "Which one?".into(),
            response_type,
            passage: None,
            options: key
                .iter()
                .enumerate()
                .map(|(i, &c)| opt(&((b'a' + i as u8) as char).to_string(), c))
                .collect(),
            difficulty: Difficulty::Medium,
            scoring: ScoringMode::Partial,
            rubric: None,
            confidence: 1.0,
            needs_review: false,
            review_notes: Vec::new(),
        }
    }

    #[test]
    fn validate_accepts_well_formed_content() {
        assert_eq!(
            content(ResponseType::SingleChoice, &[false, true, false]).validate(),
            Ok(())
        );
        assert_eq!(
            content(ResponseType::MultipleResponse, &[true, true, false]).validate(),
            Ok(())
        );
        assert_eq!(content(ResponseType::FreeText, &[]).validate(), Ok(()));
    }

    #[test]
    fn validate_rejects_each_problem() {
        let mut c = content(ResponseType::SingleChoice, &[true, false]);
        c.prompt = "  ".into();
        assert_eq!(c.validate(), Err(ContentError::EmptyPrompt));

        let mut c = content(ResponseType::MultipleResponse, &[true, false, false]);
        c.options[2].id = "a".into();
        assert_eq!(
            c.validate(),
            Err(ContentError::DuplicateOptionId { id: "a".into() })
        );

        let mut c = content(ResponseType::MultipleResponse, &[true, false]);
        c.options[1].id = "".into();
        assert_eq!(c.validate(), Err(ContentError::EmptyOptionId));

        let mut c = content(ResponseType::MultipleResponse, &[true, false]);
        c.options[1].text = " ".into();
        assert_eq!(
            c.validate(),
            Err(ContentError::EmptyOptionText { id: "b".into() })
        );

        assert_eq!(
            content(ResponseType::SingleChoice, &[true]).validate(),
            Err(ContentError::TooFewOptions { found: 1 })
        );
        assert_eq!(
            content(ResponseType::SingleChoice, &[true, true, false]).validate(),
            Err(ContentError::SingleChoiceKey { found: 2 })
        );
        assert_eq!(
            content(ResponseType::SingleChoice, &[false, false]).validate(),
            Err(ContentError::SingleChoiceKey { found: 0 })
        );
        assert_eq!(
            content(ResponseType::MultipleResponse, &[false, false, false]).validate(),
            Err(ContentError::NoCorrectOption)
        );
        assert_eq!(
            content(ResponseType::FreeText, &[false]).validate(),
            Err(ContentError::FreeTextWithOptions { found: 1 })
        );
    }

    fn order(v: &StudentExercise) -> Vec<String> {
        v.options.iter().map(|o| o.id.clone()).collect()
    }

    #[test]
    fn shuffle_is_deterministic_per_seed_and_varies_across_seeds() {
        let c = content(
            ResponseType::MultipleResponse,
            &[true, false, true, false, false, true],
        );
        let id = Uuid::nil();
        let kind = ExerciseKind::HedgedClaims;
        let a1 = c.student_view(id, kind, b"student-1/ex");
        let a2 = c.student_view(id, kind, b"student-1/ex");
        assert_eq!(a1, a2);
        let orders: std::collections::BTreeSet<Vec<String>> = (0..20)
            .map(|i| order(&c.student_view(id, kind, format!("student-{i}/ex").as_bytes())))
            .collect();
        // 20 seeds over 720 orders: all equal would mean no shuffle at all.
        assert!(orders.len() > 5, "only {} distinct orders", orders.len());
        // A shuffle, not a filter.
        let mut ids = order(&a1);
        ids.sort();
        assert_eq!(ids, vec!["a", "b", "c", "d", "e", "f"]);
    }

    #[test]
    fn piece_type_keeps_its_category_order() {
        let c = content(ResponseType::SingleChoice, &[false, false, true]);
        for seed in [&b"x"[..], b"y", b"z"] {
            assert_eq!(
                order(&c.student_view(Uuid::nil(), ExerciseKind::PieceType, seed)),
                ["a", "b", "c"]
            );
        }
    }

    #[test]
    fn student_view_json_has_no_key() {
        let c = content(ResponseType::SingleChoice, &[false, true]);
        let v = c.student_view(Uuid::nil(), ExerciseKind::SourceOfClaim, b"s");
        let json = serde_json::to_string(&v).expect("serializes");
        for leak in ["correct", "explanation", "rubric", "why "] {
            assert!(!json.contains(leak), "{leak} in {json}");
        }
        assert!(json.contains("\"kind\":\"source_of_claim\""));
        assert!(json.contains("\"response_type\":\"single_choice\""));
    }
}
