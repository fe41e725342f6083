//! The caller's own account.

use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::http::error::ApiError;
use crate::identity::policy;
use crate::identity::{Caller, Role};
use crate::state::AppState;
use crate::store;

pub fn routes(cfg: &mut ServiceConfig<'_>) {
    cfg.service(get_me);
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    pub id: Uuid,
    /// The token's `sub`.
    pub subject: String,
    pub role: Role,
    pub name: Option<String>,
    /// When newslit first saw this user.
    pub created_at: DateTime<Utc>,
}

/// Who the token belongs to, as newslit knows them.
#[utoipa::path(
    tag = "account",
    security(("bearer" = [])),
    responses((status = 200, description = "The caller", body = Me))
)]
#[get("")]
async fn get_me(caller: Caller, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::ME)?;
    let row = store::users::get(&state.pool, caller.id)
        .await?
        .ok_or_else(|| ApiError::not_found("user"))?;
    Ok(HttpResponse::Ok().json(Me {
        id: row.id,
        subject: row.subject,
        role: caller.role,
        name: row.display_name,
        created_at: row.created_at,
    }))
}
