//! Where a submission stands: scored, or waiting for a person.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubmissionStatus {
    /// Scored (on arrival, or by a grader).
    Graded,
    /// Free text, waiting for a person.
    PendingReview,
}

impl SubmissionStatus {
    /// Its JSON name (also what `submissions.status` stores).
    pub fn as_str(self) -> &'static str {
        match self {
            SubmissionStatus::Graded => "graded",
            SubmissionStatus::PendingReview => "pending_review",
        }
    }
}

/// Why a submission's grade changed (`grade_history.reason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GradeChangeReason {
    /// A person set the score.
    Manual,
    /// A regrade after the answer key was corrected.
    Regrade,
}
