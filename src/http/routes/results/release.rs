//! Releasing the feedback of an `on_release` assignment.

use actix_web::{post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::common::reachable_assignment;
use crate::classroom::FeedbackPolicy;
use crate::http::error::ApiError;
use crate::identity::policy;
use crate::identity::Caller;
use crate::state::AppState;
use crate::store;

pub fn routes(cfg: &mut ServiceConfig<'_>) {
    cfg.service(release);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Release {
    pub assignment_id: Uuid,
    /// When feedback was released (the first release; releasing again changes nothing).
    pub released_at: DateTime<Utc>,
}

/// Releases feedback of an assignment whose feedback policy is `on_release`: students see
/// scores and explanations from now on. Releasing again is harmless.
#[utoipa::path(
    tag = "results",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Assignment id")),
    responses(
        (status = 200, description = "Released", body = Release),
        (status = 404, description = "No such assignment within your reach", body = crate::http::error::Problem,
         content_type = "application/problem+json"),
        (status = 409, description = "The assignment's feedback is not released by hand",
         body = crate::http::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/release")]
async fn release(
    caller: Caller,
    id: web::Path<Uuid>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::RELEASE)?;
    let assignment = reachable_assignment(&state, &caller, *id).await?;
    if assignment.feedback != FeedbackPolicy::OnRelease {
        return Err(ApiError::Conflict {
            rule: "not-on-release",
            detail: format!(
                "This assignment's feedback policy is {}; only on_release assignments are released by hand.",
                assignment.feedback.as_str()
            ),
        });
    }
    let released_at = store::results::release(&state.pool, assignment.id).await?;
    Ok(HttpResponse::Ok().json(Release {
        assignment_id: assignment.id,
        released_at,
    }))
}
