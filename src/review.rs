//! Teacher review of generated exercises: statuses and corrections, as pure values.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::exercises::{Difficulty, ExerciseContent, ExerciseOption, Quote, ScoringMode};

/// Where an exercise is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExerciseStatus {
    /// Generated from an article added through the API; waits for a teacher.
    Draft,
    /// Students can see it and it can be assigned.
    Published,
    /// Kept for existing answers, no longer offered.
    Retired,
}

impl ExerciseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ExerciseStatus::Draft => "draft",
            ExerciseStatus::Published => "published",
            ExerciseStatus::Retired => "retired",
        }
    }
}

/// A teacher's correction: every field is optional; what is given replaces what was there.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExercisePatch {
    pub prompt: Option<String>,
    /// The answer options, with their `correct` flags (the key) and explanations.
    pub options: Option<Vec<ExerciseOption>>,
    pub passage: Option<Quote>,
    pub rubric: Option<String>,
    pub difficulty: Option<Difficulty>,
    pub scoring: Option<ScoringMode>,
    /// `published` to publish, `retired` to retire, `draft` to take back.
    pub status: Option<ExerciseStatus>,
}

impl ExercisePatch {
    /// The content after the patch, and the status after it.
    pub fn apply(
        &self,
        content: &ExerciseContent,
        status: ExerciseStatus,
    ) -> (ExerciseContent, ExerciseStatus) {
        let mut next = content.clone();
        if let Some(p) = &self.prompt {
            next.prompt = p.clone();
        }
        if let Some(o) = &self.options {
            next.options = o.clone();
        }
        if let Some(p) = &self.passage {
            next.passage = Some(p.clone());
        }
        if let Some(r) = &self.rubric {
            next.rubric = Some(r.clone());
        }
        if let Some(d) = self.difficulty {
            next.difficulty = d;
        }
        if let Some(s) = self.scoring {
            next.scoring = s;
        }
        (next, self.status.unwrap_or(status))
    }
}

/// Checks that every quote of `content` is a real stretch of `text` (char offsets, end exclusive).
pub fn check_quotes(content: &ExerciseContent, text: &str) -> Result<(), String> {
    let quotes = content.passage.iter().map(|q| ("passage".to_string(), q)).chain(
        content
            .options
            .iter()
            .filter_map(|o| o.quote.as_ref().map(|q| (format!("options[{}].quote", o.id), q))),
    );
    let chars: Vec<char> = text.chars().collect();
    for (field, q) in quotes {
        if q.start >= q.end || q.end > chars.len() {
            return Err(format!(
                "{field}: offsets {}..{} are outside the article",
                q.start, q.end
            ));
        }
        let actual: String = chars[q.start..q.end].iter().collect();
        if actual != q.text {
            return Err(format!(
                "{field}: the text does not match the article at {}..{}",
                q.start, q.end
            ));
        }
    }
    Ok(())
}
