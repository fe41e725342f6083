//! Request and response bodies of the assignment routes, and the checks of their fields.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::classroom::{AssignmentStatus, FeedbackPolicy, LatePolicy};
use crate::exercises::{ScoringMode, StudentExercise};
use crate::http::error::ApiError;
use crate::http::input::storable;
use crate::store::assignments::{AssignmentFields, AssignmentRow, ExtensionRow};

/// The longest title accepted.
pub(super) const TITLE_MAX: usize = 200;
/// The most exercises in one assignment.
pub(super) const EXERCISES_MAX: usize = 100;

#[derive(Debug, Serialize, ToSchema)]
pub struct Assignment {
    pub id: Uuid,
    pub class_id: Uuid,
    pub title: String,
    /// Answers are accepted from this time on (UTC).
    pub opens_at: DateTime<Utc>,
    /// The due time (UTC); a student's extension replaces it for them.
    pub due_at: DateTime<Utc>,
    /// Attempts per exercise; `null` means unlimited.
    pub max_attempts: Option<i32>,
    pub scoring: ScoringMode,
    pub feedback: FeedbackPolicy,
    pub late_policy: LatePolicy,
    /// When results were released (feedback policy `on_release`).
    pub released_at: Option<DateTime<Utc>>,
    /// The exercises, in order.
    pub exercise_ids: Vec<Uuid>,
    /// Per-student due times: all of them for staff, a student's own for a student.
    pub extensions: Vec<Extension>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Extension {
    pub student_id: Uuid,
    pub due_at: DateTime<Utc>,
}

impl From<ExtensionRow> for Extension {
    fn from(r: ExtensionRow) -> Self {
        Extension {
            student_id: r.student_id,
            due_at: r.due_at,
        }
    }
}

/// A stored policy column back to its type (the table's CHECK constraints keep them valid).
pub(super) fn policies(row: &AssignmentRow) -> Result<(ScoringMode, FeedbackPolicy, LatePolicy), ApiError> {
    Ok((row.scoring, row.feedback, row.late_policy))
}

impl Assignment {
    pub fn from_row(row: AssignmentRow, extensions: Vec<ExtensionRow>) -> Result<Self, ApiError> {
        let (scoring, feedback, late_policy) = policies(&row)?;
        Ok(Assignment {
            id: row.id,
            class_id: row.class_id,
            title: row.title,
            opens_at: row.opens_at,
            due_at: row.due_at,
            max_attempts: row.max_attempts,
            scoring,
            feedback,
            late_policy,
            released_at: row.released_at,
            exercise_ids: row.exercise_ids,
            extensions: extensions.into_iter().map(Extension::from).collect(),
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// An assignment as one student sees it in their list.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyAssignment {
    pub id: Uuid,
    pub class_id: Uuid,
    pub title: String,
    pub opens_at: DateTime<Utc>,
    /// This student's due time: their extension if they have one.
    pub due_at: DateTime<Utc>,
    pub max_attempts: Option<i32>,
    pub feedback: FeedbackPolicy,
    pub late_policy: LatePolicy,
    pub exercise_count: usize,
    /// How many of the exercises this student has answered.
    pub answered: i64,
    pub status: AssignmentStatus,
}

/// An exercise of an assignment, as a student sees it: no key, options in this student's order.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssignmentExercise {
    /// The exercise version an answer submitted now is graded against.
    pub version: i32,
    pub exercise: StudentExercise,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssignmentExercises {
    pub items: Vec<AssignmentExercise>,
    /// Always `null`: an assignment's exercises come in one page (the shape every list has).
    pub next_cursor: Option<String>,
}

fn one() -> Option<i32> {
    Some(1)
}

/// `null` → `Some(None)`; a number → `Some(Some(n))`; absent → the field's default.
fn nullable<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<i32>>, D::Error> {
    crate::wire::opt_i32(d).map(Some)
}

fn nullable_one<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i32>, D::Error> {
    crate::wire::opt_i32(d)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAssignment {
    /// 1–200 characters.
    #[schema(
        example = "Who is speaking? Week 3",
        min_length = 1,
        max_length = 200,
        pattern = r"\S"
    )]
    pub title: String,
    /// Published exercises, in the order students see them (1–100, no repeats).
    #[schema(min_items = 1, max_items = 100)]
    pub exercise_ids: Vec<Uuid>,
    /// RFC 3339 with an offset, e.g. `2026-03-02T08:00:00+01:00`; stored in UTC.
    #[schema(value_type = String, format = DateTime, example = "2026-03-02T08:00:00+01:00")]
    pub opens_at: String,
    /// RFC 3339 with an offset; not before `opens_at`.
    #[schema(value_type = String, format = DateTime, example = "2026-03-09T23:59:00+01:00")]
    pub due_at: String,
    /// Attempts per exercise (≥ 1); default 1; `null` for unlimited.
    #[serde(default = "one", deserialize_with = "nullable_one")]
    #[schema(minimum = 1, default = 1)]
    pub max_attempts: Option<i32>,
    /// Default `partial`.
    #[serde(default)]
    pub scoring: Option<ScoringMode>,
    /// Default `immediate`.
    #[serde(default)]
    pub feedback: Option<FeedbackPolicy>,
    /// Default `accept_flagged`.
    #[serde(default)]
    pub late_policy: Option<LatePolicy>,
}

/// The fields to change; absent fields keep their value.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignmentPatch {
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub title: Option<String>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub opens_at: Option<String>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub due_at: Option<String>,
    /// A number ≥ 1, or `null` for unlimited.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i32>, minimum = 1)]
    pub max_attempts: Option<Option<i32>>,
    pub scoring: Option<ScoringMode>,
    pub feedback: Option<FeedbackPolicy>,
    pub late_policy: Option<LatePolicy>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtensionRequest {
    /// The student's own due time, RFC 3339 with an offset.
    #[schema(value_type = String, format = DateTime, example = "2026-03-11T23:59:00+01:00")]
    pub due_at: String,
}

pub(super) fn check_fields(f: &AssignmentFields) -> Result<(), ApiError> {
    storable("title", &f.title)?;
    if f.title.is_empty() || f.title.chars().count() > TITLE_MAX {
        return Err(ApiError::invalid(
            "title",
            format!("must be 1 to {TITLE_MAX} characters"),
        ));
    }
    if f.due_at < f.opens_at {
        return Err(ApiError::invalid("due_at", "must not be before opens_at"));
    }
    if f.max_attempts.is_some_and(|n| n < 1) {
        return Err(ApiError::invalid(
            "max_attempts",
            "must be at least 1, or null for unlimited",
        ));
    }
    Ok(())
}
