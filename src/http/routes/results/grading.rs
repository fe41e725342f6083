//! Manual grading under If-Match, and the grade history.

use actix_web::http::header::{self, EntityTag};
use actix_web::{get, put, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::common::{submission_view, StaffSubmission};
use crate::classroom::{GradeChangeReason, SubmissionStatus};
use crate::http::conditional;
use crate::http::error::ApiError;
use crate::identity::policy;
use crate::identity::Caller;
use crate::state::AppState;
use crate::store;
use crate::store::results::GradeChange;

pub fn routes(cfg: &mut ServiceConfig<'_>) {
    cfg.service(put_grade).service(grade_history);
}

fn grade_etag(version: i32) -> EntityTag {
    conditional::etag("g", version)
}

/// A person's grade for a submission.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GradeRequest {
    /// Between 0 and the submission's max_score.
    pub score: f64,
    pub comment: Option<String>,
}

/// Grades a submission by hand (free text, or overriding a machine score). Send the ETag you
/// read (`"g<grade_version>"`) in `If-Match`; a stale one is refused with 412. Every change
/// is kept in the grade history.
#[utoipa::path(
    tag = "results",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Submission id"),
        ("If-Match" = String, Header, description = "The submission's ETag"),
    ),
    request_body = GradeRequest,
    responses(
        (status = 200, description = "The graded submission", body = StaffSubmission,
         headers(("ETag" = String, description = "The new grade version"))),
        (status = 400, description = "Score out of range", body = crate::http::error::Problem,
         content_type = "application/problem+json"),
        (status = 404, description = "No such submission within your reach", body = crate::http::error::Problem,
         content_type = "application/problem+json"),
        (status = 412, description = "The grade changed since you read it", body = crate::http::error::Problem,
         content_type = "application/problem+json"),
        (status = 428, description = "If-Match is missing", body = crate::http::error::Problem,
         content_type = "application/problem+json"),
    )
)]
#[put("/{id}/grade")]
async fn put_grade(
    caller: Caller,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<GradeRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::GRADE)?;
    let mut tx = state.pool.begin().await?;
    let row = store::results::submission_for_update(&mut tx, &caller, *id)
        .await?
        .ok_or_else(|| ApiError::not_found("submission"))?;
    if !body.score.is_finite() || body.score < 0.0 || body.score > row.max_score {
        return Err(ApiError::invalid(
            "score",
            format!("must be between 0 and {}", row.max_score),
        ));
    }
    let comment = body.comment.as_deref().map(str::trim).filter(|c| !c.is_empty());
    if comment.is_some_and(|c| c.chars().count() > 10_000) {
        return Err(ApiError::invalid("comment", "must be at most 10000 characters"));
    }
    // PostgreSQL text cannot hold NUL; refuse it here rather than fail in the database.
    if comment.is_some_and(|c| c.contains('\0')) {
        return Err(ApiError::invalid("comment", "must not contain NUL characters"));
    }
    // Judged after the body, so a grade that could never be stored gets the 400 naming why.
    let current = grade_etag(row.grade_version);
    conditional::check_if_match(
        &req,
        &current,
        "Send the submission's ETag (its grade_version) in If-Match, so two graders do not overwrite each \
         other unseen.",
        || format!("The grade has changed since you read it (it is now at ETag {current}); read it again."),
    )?;
    let updated = store::results::set_grade(
        &mut tx,
        &GradeChange {
            submission_id: row.id,
            changed_by: caller.id,
            reason: GradeChangeReason::Manual,
            old_score: row.score,
            new_score: Some(body.score),
            old_status: row.status,
            new_status: SubmissionStatus::Graded,
            comment,
            exercise_version: None,
        },
        true,
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, grade_etag(updated.grade_version).to_string()))
        .json(submission_view(updated)?))
}

/// One change of a submission's score.
#[derive(Debug, Serialize, ToSchema)]
pub struct GradeHistoryEntry {
    pub id: Uuid,
    pub changed_by: Uuid,
    pub changed_by_subject: String,
    pub changed_at: DateTime<Utc>,
    pub reason: GradeChangeReason,
    pub old_score: Option<f64>,
    pub new_score: Option<f64>,
    pub old_status: SubmissionStatus,
    pub new_status: SubmissionStatus,
    pub comment: Option<String>,
    /// The exercise version whose key a regrade used.
    pub exercise_version: Option<i32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GradeHistory {
    pub submission_id: Uuid,
    pub items: Vec<GradeHistoryEntry>,
}

/// Every change of a submission's grade, oldest first: who, when, old → new. Teachers and
/// admins only.
#[utoipa::path(
    tag = "results",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Submission id")),
    responses(
        (status = 200, description = "The history", body = GradeHistory),
        (status = 404, description = "No such submission within your reach", body = crate::http::error::Problem,
         content_type = "application/problem+json"),
    )
)]
#[get("/{id}/grade-history")]
async fn grade_history(
    caller: Caller,
    id: web::Path<Uuid>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::GRADE_HISTORY)?;
    let row = store::results::submission(&state.pool, &caller, *id)
        .await?
        .ok_or_else(|| ApiError::not_found("submission"))?;
    let items = store::results::history(&state.pool, row.id)
        .await?
        .into_iter()
        .map(|h| {
            Ok(GradeHistoryEntry {
                id: h.id,
                changed_by: h.changed_by,
                changed_by_subject: h.changed_by_subject,
                changed_at: h.changed_at,
                reason: h.reason,
                old_score: h.old_score,
                new_score: h.new_score,
                old_status: h.old_status,
                new_status: h.new_status,
                comment: h.comment,
                exercise_version: h.exercise_version,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(HttpResponse::Ok().json(GradeHistory {
        submission_id: row.id,
        items,
    }))
}
