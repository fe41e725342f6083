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
    /// The stored form (`submissions.status`).
    pub fn as_str(self) -> &'static str {
        match self {
            SubmissionStatus::Graded => "graded",
            SubmissionStatus::PendingReview => "pending_review",
        }
    }

    /// Reads the stored form; anything else is a fault of the stored data.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "graded" => Some(SubmissionStatus::Graded),
            "pending_review" => Some(SubmissionStatus::PendingReview),
            _ => None,
        }
    }
}
