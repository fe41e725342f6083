//! What several results use cases share: the staff view of a submission and reach lookups.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::classroom::SubmissionStatus;
use crate::exercises::Answer;
use crate::http::error::ApiError;
use crate::identity::Caller;
use crate::state::AppState;
use crate::store;
use crate::store::results::{ResultsAssignmentRow, StaffSubmissionRow};

pub(super) async fn reachable_assignment(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
) -> Result<ResultsAssignmentRow, ApiError> {
    store::results::assignment(&state.pool, caller, id)
        .await?
        .ok_or_else(|| ApiError::not_found("assignment"))
}

/// A submission as graders and teachers see it: score, grade and history version always shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffSubmission {
    pub id: Uuid,
    pub assignment_id: Uuid,
    pub class_id: Uuid,
    pub exercise_id: Uuid,
    pub exercise_version: i32,
    pub student_id: Uuid,
    pub attempt: i32,
    pub answer: Answer,
    pub score: Option<f64>,
    pub max_score: f64,
    pub status: SubmissionStatus,
    pub late: bool,
    pub submitted_at: DateTime<Utc>,
    /// When the submission last changed (stored, graded, regraded): the pull order.
    pub updated_at: DateTime<Utc>,
    /// The ETag for `PUT /v1/submissions/{id}/grade`.
    pub grade_version: i32,
    pub graded_by: Option<Uuid>,
    pub grade_comment: Option<String>,
}

pub(super) fn submission_view(row: StaffSubmissionRow) -> Result<StaffSubmission, ApiError> {
    Ok(StaffSubmission {
        id: row.id,
        assignment_id: row.assignment_id,
        class_id: row.class_id,
        exercise_id: row.exercise_id,
        exercise_version: row.exercise_version,
        student_id: row.student_id,
        attempt: row.attempt,
        answer: row.answer.0,
        score: row.score,
        max_score: row.max_score,
        status: row.status,
        late: row.late,
        submitted_at: row.submitted_at,
        updated_at: row.updated_at,
        grade_version: row.grade_version,
        graded_by: row.graded_by,
        grade_comment: row.grade_comment,
    })
}
