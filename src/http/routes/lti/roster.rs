//! A class's roster read from its LMS course on demand (Names and Role Provisioning Services):
//! the class's teacher or an admin asks; an instructor's launch queues the same in the outbox.

use actix_web::{post, web, HttpResponse};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::http::error::ApiError;
use crate::identity::policy;
use crate::identity::Caller;
use crate::service::lti_nrps::{self, RosterSync, SyncError};
use crate::state::AppState;
use crate::store;

pub fn routes(cfg: &mut ServiceConfig<'_>) {
    cfg.service(roster_sync);
}

/// Reads the class's roster from its LMS (every page) and enrolls its active learners as
/// students and its teaching assistants as graders. Idempotent: who is enrolled stays enrolled,
/// nobody is removed. The class must have been made by an LTI launch whose platform offered
/// the roster (the Names and Role Provisioning claim).
#[utoipa::path(
    tag = "lti",
    security(("bearer" = [])),
    params(("class_id" = Uuid, Path)),
    responses(
        (status = 200, description = "The roster was read; what it changed", body = RosterSync),
        (status = 404, description = "No such class within your reach", body = crate::http::error::Problem,
         content_type = "application/problem+json"),
        (status = 409, description = "The class is not an LMS course's, or its LMS has not offered the roster \
                                      (`/problems/lti-no-roster`)",
         body = crate::http::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "The LMS did not give the roster (token or roster refused, unreachable)",
         body = crate::http::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{class_id}/lti/roster-sync")]
async fn roster_sync(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::LTI_ROSTER_SYNC)?;
    let class = store::classes::get_for(&state.pool, &caller, *path)
        .await?
        .ok_or_else(|| ApiError::not_found("class"))?;
    let services = lti_nrps::Services {
        pool: &state.pool,
        outbound: &state.outbound,
        keys: &state.tool_keys,
        tokens: &state.service_tokens,
    };
    match lti_nrps::sync(&services, class.id).await {
        Ok(done) => Ok(HttpResponse::Ok().json(done)),
        Err(SyncError::NoRoster(detail)) => Err(ApiError::Conflict {
            rule: "lti-no-roster",
            detail,
        }),
        Err(SyncError::Platform(e)) => Err(ApiError::Unavailable {
            detail: format!("the LMS did not give the roster: {e}"),
            retry_after_secs: 30,
        }),
        Err(SyncError::Database(e)) => Err(e.into()),
    }
}
