//! LTI platform registrations: an admin records what an LMS told them when newslit was added
//! there (issuer, client id, deployments, its OIDC, token and key set URLs).

use actix_web::http::header;
use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::common;
use crate::http::error::ApiError;
use crate::http::input::storable;
use crate::http::pagination::{self as paging, Page, PageParams};
use crate::identity::policy;
use crate::identity::Caller;
use crate::service::outbound;
use crate::state::AppState;
use crate::store;
use crate::store::lti::{NewPlatform, PlatformRow};

pub fn routes(cfg: &mut ServiceConfig<'_>) {
    cfg.service(create_platform)
        .service(list_platforms)
        .service(get_platform)
        .service(delete_platform);
}

/// 1 to 50 ids of 1 to 255 characters (not blank), as `create_platform` checks them.
fn deployment_ids_schema() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(255))
                .pattern(Some(r"\S")),
        )
        .min_items(Some(1))
        .max_items(Some(50))
        .description(Some(
            "The deployment ids launches may carry (1 to 50, each 1 to 255 characters, not blank).",
        ))
        .build()
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewLtiPlatform {
    /// The platform's issuer (`iss` of its tokens), e.g. `https://canvas.instructure.com`.
    #[schema(
        example = "https://lms.example.edu",
        min_length = 1,
        max_length = 500,
        pattern = r"\S"
    )]
    pub issuer: String,
    /// The client id the platform gave newslit.
    #[schema(example = "10000000000042", min_length = 1, max_length = 255, pattern = r"\S")]
    pub client_id: String,
    /// The deployment ids launches may carry (1 to 50, each 1 to 255 characters).
    #[schema(schema_with = deployment_ids_schema)]
    pub deployment_ids: Vec<String>,
    /// The platform's OIDC authorization endpoint.
    #[schema(
        example = "https://lms.example.edu/api/lti/authorize_redirect",
        format = "uri",
        max_length = 2000
    )]
    pub auth_url: String,
    /// The platform's OAuth 2 token endpoint (grade passback, rosters).
    #[schema(
        example = "https://lms.example.edu/login/oauth2/token",
        format = "uri",
        max_length = 2000
    )]
    pub token_url: String,
    /// The platform's public key set.
    #[schema(
        example = "https://lms.example.edu/api/lti/security/jwks",
        format = "uri",
        max_length = 2000
    )]
    pub jwks_url: String,
    /// A name for admins (up to 200 characters).
    #[schema(max_length = 200)]
    pub name: Option<String>,
}

/// A registered platform, with the URLs to give it for newslit.
#[derive(Debug, Serialize, ToSchema)]
pub struct LtiPlatform {
    pub id: Uuid,
    pub issuer: String,
    pub client_id: String,
    pub deployment_ids: Vec<String>,
    pub auth_url: String,
    pub token_url: String,
    pub jwks_url: String,
    pub name: Option<String>,
    pub created_at: DateTime<Utc>,
    /// What to enter at the platform for newslit.
    pub tool: ToolUrls,
}

/// The URLs a platform needs for newslit.
#[derive(Debug, Serialize, ToSchema)]
pub struct ToolUrls {
    /// OIDC login initiation URL.
    pub login_url: String,
    /// Target link URI and redirect URI.
    pub launch_url: String,
    /// newslit's public key set.
    pub jwks_url: String,
}

impl LtiPlatform {
    fn from_row(r: PlatformRow, req: &HttpRequest, state: &AppState) -> Self {
        let base = common::base_url(req, state);
        LtiPlatform {
            id: r.id,
            issuer: r.issuer,
            client_id: r.client_id,
            deployment_ids: r.deployment_ids,
            auth_url: r.auth_url,
            token_url: r.token_url,
            jwks_url: r.jwks_url,
            name: r.name,
            created_at: r.created_at,
            tool: ToolUrls {
                login_url: format!("{base}/v1/lti/login"),
                launch_url: common::launch_url(req, state),
                jwks_url: format!("{base}/v1/lti/jwks"),
            },
        }
    }
}

fn text(field: &str, value: &str, max: usize) -> Result<String, ApiError> {
    let value = value.trim();
    storable(field, value)?;
    if value.is_empty() || value.chars().count() > max {
        return Err(ApiError::invalid(field, format!("must be 1 to {max} characters")));
    }
    Ok(value.to_string())
}

fn url(state: &AppState, field: &str, value: &str) -> Result<String, ApiError> {
    outbound::check_url(value.trim(), state.config.outbound_allow_private)
        .map(|u| u.to_string())
        .map_err(|m| ApiError::invalid(field, m))
}

/// Registers an LMS (admins). The answer names the URLs to enter at the LMS for newslit.
#[utoipa::path(
    tag = "lti",
    security(("bearer" = [])),
    request_body = NewLtiPlatform,
    responses(
        (status = 201, description = "Registered", body = LtiPlatform,
         headers(("Location" = String, description = "The registration's URL"))),
        (status = 409, description = "The issuer and client id are registered already", body = crate::http::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/platforms")]
async fn create_platform(
    req: HttpRequest,
    caller: Caller,
    state: web::Data<AppState>,
    body: web::Json<NewLtiPlatform>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::CREATE_LTI_PLATFORM)?;
    let body = body.into_inner();
    let issuer = text("issuer", &body.issuer, 500)?;
    let client_id = text("client_id", &body.client_id, 255)?;
    if body.deployment_ids.is_empty() || body.deployment_ids.len() > 50 {
        return Err(ApiError::invalid(
            "deployment_ids",
            "must list 1 to 50 deployment ids",
        ));
    }
    let mut deployment_ids = body
        .deployment_ids
        .iter()
        .map(|d| text("deployment_ids", d, 255))
        .collect::<Result<Vec<_>, _>>()?;
    deployment_ids.sort();
    deployment_ids.dedup();
    let name = match body.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) => Some(text("name", n, 200)?),
        None => None,
    };
    let (auth_url, token_url, jwks_url) = (
        url(&state, "auth_url", &body.auth_url)?,
        url(&state, "token_url", &body.token_url)?,
        url(&state, "jwks_url", &body.jwks_url)?,
    );
    let row = store::lti::create_platform(
        &state.pool,
        caller.id,
        &NewPlatform {
            issuer: &issuer,
            client_id: &client_id,
            deployment_ids: &deployment_ids,
            auth_url: &auth_url,
            token_url: &token_url,
            jwks_url: &jwks_url,
            name: name.as_deref(),
        },
    )
    .await?
    .ok_or_else(|| ApiError::Conflict {
        rule: "lti-platform-exists",
        detail: format!(
            "a platform with issuer {issuer:?} and client id {client_id:?} is registered already"
        ),
    })?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/v1/lti/platforms/{}", row.id)))
        .json(LtiPlatform::from_row(row, &req, &state)))
}

/// The registered platforms (admins), oldest first.
#[utoipa::path(
    tag = "lti",
    security(("bearer" = [])),
    params(PageParams),
    responses((status = 200, description = "One page", body = Page<LtiPlatform>,
               headers(("Link" = String, description = "`<…>; rel=\"next\"` when there is a next page"))))
)]
#[get("/platforms")]
async fn list_platforms(
    req: HttpRequest,
    caller: Caller,
    state: web::Data<AppState>,
    query: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::LIST_LTI_PLATFORMS)?;
    let (after, limit) = paging::parse(&query)?;
    let rows = store::lti::list_platforms(&state.pool, after, limit + 1).await?;
    let (rows, next) = paging::split(rows, limit, |r| paging::cursor(r.created_at, r.id));
    let items = rows
        .into_iter()
        .map(|r| LtiPlatform::from_row(r, &req, &state))
        .collect();
    Ok(paging::respond_page(&req, items, next))
}

/// One registered platform (admins).
#[utoipa::path(
    tag = "lti",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "The registration", body = LtiPlatform))
)]
#[get("/platforms/{id}")]
async fn get_platform(
    req: HttpRequest,
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::GET_LTI_PLATFORM)?;
    let row = store::lti::platform(&state.pool, *id)
        .await?
        .ok_or_else(|| ApiError::not_found("LTI platform"))?;
    Ok(HttpResponse::Ok().json(LtiPlatform::from_row(row, &req, &state)))
}

/// Removes a registration (admins): its launches stop; classes made from its courses stay.
#[utoipa::path(
    tag = "lti",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204, description = "Deleted"))
)]
#[delete("/platforms/{id}")]
async fn delete_platform(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::DELETE_LTI_PLATFORM)?;
    if store::lti::delete_platform(&state.pool, *id).await? {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::not_found("LTI platform"))
    }
}
