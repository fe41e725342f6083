//! Rescoring an exercise's machine-graded submissions after its key was corrected.

use actix_web::{post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::classroom::{GradeChangeReason, SubmissionStatus};
use crate::exercises::grade;
use crate::http::error::ApiError;
use crate::identity::policy;
use crate::identity::Caller;
use crate::state::AppState;
use crate::store;
use crate::store::results::GradeChange;

pub fn routes(cfg: &mut ServiceConfig<'_>) {
    cfg.service(regrade);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegradeQuery {
    /// List the scores that would change without changing them.
    #[serde(default)]
    pub dry_run: bool,
}

/// A score a regrade changes (or would change).
#[derive(Debug, Serialize, ToSchema)]
pub struct RegradeChange {
    pub submission_id: Uuid,
    pub assignment_id: Uuid,
    pub student_id: Uuid,
    pub old_score: Option<f64>,
    pub new_score: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegradeReport {
    pub exercise_id: Uuid,
    /// The exercise version whose key was applied.
    pub exercise_version: i32,
    pub dry_run: bool,
    /// Machine-graded submissions looked at (hand-graded ones are left alone).
    pub examined: u64,
    pub changes: Vec<RegradeChange>,
}

/// Rescores the machine-graded submissions of an exercise within your reach against the key
/// each one's class goes by now (its teacher's own version, else the catalogue's), each under
/// its assignment's scoring: a teacher's regrade after their correction rescores their classes. `dry_run=true` lists what
/// would change; otherwise the changes are applied and recorded in the grade history.
/// Submissions a person graded by hand keep their grade.
#[utoipa::path(
    tag = "results",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Exercise id"), RegradeQuery),
    responses(
        (status = 200, description = "What changed (or would)", body = RegradeReport),
        (status = 404, description = "No such exercise", body = crate::http::error::Problem,
         content_type = "application/problem+json"),
    )
)]
#[post("/{id}/regrade")]
async fn regrade(
    caller: Caller,
    id: web::Path<Uuid>,
    query: web::Query<RegradeQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::REGRADE)?;
    let exercise = store::exercises::get_as(&state.pool, *id, caller.own_versions())
        .await?
        .ok_or_else(|| ApiError::not_found("exercise"))?;
    let mut tx = state.pool.begin().await?;
    let candidates = store::results::regrade_candidates(&mut tx, &caller, exercise.id).await?;
    let examined = candidates.len() as u64;
    let mut changes = Vec::new();
    for c in candidates {
        let mode = c.scoring;
        // Each answer against the key its class goes by (its teacher's version).
        let Some(new_score) = grade(&c.key.0, &c.answer.0, mode).score else {
            continue; // free text: a person's job
        };
        if c.score.is_some_and(|old| (old - new_score).abs() < 1e-9) {
            continue;
        }
        if !query.dry_run {
            store::results::set_grade(
                &mut tx,
                &GradeChange {
                    submission_id: c.id,
                    changed_by: caller.id,
                    reason: GradeChangeReason::Regrade,
                    old_score: c.score,
                    new_score: Some(new_score),
                    old_status: c.status,
                    new_status: SubmissionStatus::Graded,
                    comment: None,
                    exercise_version: Some(c.key_version),
                },
                false,
            )
            .await?;
        }
        changes.push(RegradeChange {
            submission_id: c.id,
            assignment_id: c.assignment_id,
            student_id: c.student_id,
            old_score: c.score,
            new_score,
        });
    }
    if query.dry_run {
        tx.rollback().await?;
    } else {
        tx.commit().await?;
    }
    Ok(HttpResponse::Ok().json(RegradeReport {
        exercise_id: exercise.id,
        exercise_version: exercise.version,
        dry_run: query.dry_run,
        examined,
        changes,
    }))
}
