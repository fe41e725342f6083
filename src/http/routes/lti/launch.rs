//! The LTI 1.3 launch, as a browser makes it: the platform starts an OIDC login here, newslit
//! sends the browser to the platform's authorization URL, the platform posts the signed
//! `id_token` back to the launch URL, and newslit answers with a token for its API and the
//! assignment to open. Also newslit's public key set.

use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::common;
use crate::http::error::ApiError;
use crate::identity::Role;
use crate::lti::MessageKind;
use crate::service::lti::{self as lti, LoginRequest};
use crate::state::AppState;

pub fn routes(cfg: &mut ServiceConfig<'_>) {
    cfg.service(login_get)
        .service(login_post)
        .service(launch)
        .service(jwks);
}

/// How long the newslit token of a launch is valid.
const TOKEN_TTL_SECS: u64 = 8 * 3600;

fn configured(state: &AppState) -> Result<(), ApiError> {
    if state.tool_keys.configured() {
        Ok(())
    } else {
        Err(ApiError::NotFound(
            "LTI is not enabled on this server (NEWSLIT_LTI_KEY_FILE is not set)".into(),
        ))
    }
}

async fn start(req: HttpRequest, state: &AppState, login: &LoginRequest) -> Result<HttpResponse, ApiError> {
    configured(state)?;
    let launch_url = common::launch_url(&req, state);
    if !login.target_link_uri.starts_with(&launch_url) {
        return Err(ApiError::invalid(
            "target_link_uri",
            format!("must be newslit's launch URL {launch_url}"),
        ));
    }
    let to = lti::login(&state.pool, login, &launch_url).await?;
    Ok(HttpResponse::Found()
        .insert_header((header::LOCATION, to.as_str()))
        .finish())
}

/// OIDC third-party login initiation (the platform's first step of a launch): answers with a
/// redirect to the platform's authorization endpoint carrying a fresh `state` and `nonce`.
#[utoipa::path(
    tag = "lti",
    params(LoginRequest),
    responses((status = 302, description = "To the platform's authorization endpoint",
               headers(("Location" = String, description = "The authorization request"))),
               (status = 404, description = "LTI is not enabled on this server", body = crate::http::error::Problem, content_type = "application/problem+json"))
)]
#[get("/login")]
async fn login_get(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    start(req, &state, &query).await
}

/// The same login initiation, posted as a form.
#[utoipa::path(
    tag = "lti",
    request_body(content = LoginRequest, content_type = "application/x-www-form-urlencoded"),
    responses((status = 302, description = "To the platform's authorization endpoint",
               headers(("Location" = String, description = "The authorization request"))),
               (status = 404, description = "LTI is not enabled on this server", body = crate::http::error::Problem, content_type = "application/problem+json"))
)]
#[post("/login")]
async fn login_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    start(req, &state, &form).await
}

/// What the platform posts to the launch URL.
#[derive(Debug, Deserialize, ToSchema, IntoParams)]
pub struct LaunchForm {
    /// The platform's signed launch message.
    pub id_token: String,
    /// The `state` newslit issued at login.
    pub state: String,
}

/// A finished launch: the newslit token for the front-end's API calls and where to land.
#[derive(Debug, Serialize, ToSchema)]
pub struct LaunchResult {
    /// Bearer token for the newslit API, for this person in this role.
    pub token: String,
    pub token_type: &'static str,
    pub expires_in: u64,
    pub role: Role,
    pub user_id: Uuid,
    /// The newslit class of the LMS course.
    pub class_id: Uuid,
    /// The assignment this placement opens (absent while an instructor has not linked one).
    pub assignment_id: Option<Uuid>,
    /// The API path to open: the assignment, or the class when none is linked.
    #[schema(example = "/v1/assignments/0190f0a4-3b1e-7c3e-9a55-1f2e3d4c5b6a")]
    pub landing: String,
}

/// The launch (OIDC `redirect_uri`): checks the `id_token` (signature against the platform's
/// key set, `iss`, `aud`/`azp`, `exp`, the single-use `state` and `nonce`, the deployment),
/// maps the course to a class and the person to a user, and answers with a newslit token and
/// the assignment, as JSON, or as a redirect to the front-end when one is configured.
#[utoipa::path(
    tag = "lti",
    request_body(content = LaunchForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "Launched", body = LaunchResult),
        (status = 303, description = "Launched: to the front-end, the result in the URL fragment",
         headers(("Location" = String, description = "The front-end URL"))),
        (status = 401, description = "The launch does not verify", body = crate::http::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The person's course roles have no newslit role", body = crate::http::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "LTI is not enabled on this server", body = crate::http::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The course or the placement is not set up yet", body = crate::http::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "The platform's key set cannot be read, or newslit cannot issue tokens", body = crate::http::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/launch")]
async fn launch(state: web::Data<AppState>, form: web::Form<LaunchForm>) -> Result<HttpResponse, ApiError> {
    configured(&state)?;
    let done = lti::launch(
        &state.pool,
        &state.platform_keys,
        &state.outbound,
        &form.id_token,
        &form.state,
    )
    .await?;
    if done.kind == MessageKind::DeepLinking {
        return Err(ApiError::BadRequest(
            "deep linking launches are not supported by this server yet".into(),
        ));
    }
    let token = state
        .tokens
        .mint(
            &done.caller.subject,
            done.caller.role,
            done.caller.name.as_deref(),
            std::time::Duration::from_secs(TOKEN_TTL_SECS),
            &state.config,
        )
        .map_err(|e| ApiError::Unavailable {
            detail: format!("cannot issue a newslit token: {e}"),
            retry_after_secs: 3600,
        })?;
    let landing = match done.assignment_id {
        Some(a) => format!("/v1/assignments/{a}"),
        None => format!("/v1/classes/{}", done.class_id),
    };
    let result = LaunchResult {
        token,
        token_type: "Bearer",
        expires_in: TOKEN_TTL_SECS,
        role: done.caller.role,
        user_id: done.caller.id,
        class_id: done.class_id,
        assignment_id: done.assignment_id,
        landing,
    };
    if let Some(frontend) = &state.config.lti_frontend_url {
        // The fragment never reaches a server log.
        let mut fragment = url_fragment(&[
            ("token", &result.token),
            ("class_id", &result.class_id.to_string()),
            ("landing", &result.landing),
        ]);
        if let Some(a) = result.assignment_id {
            fragment.push_str(&format!("&assignment_id={a}"));
        }
        return Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, format!("{frontend}#{fragment}")))
            .finish());
    }
    Ok(HttpResponse::Ok().json(result))
}

/// `pairs` form-encoded, as a URL fragment carries them.
fn url_fragment(pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (k, v) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.extend(reqwest::Url::parse("http://x/").into_iter().flat_map(|mut u| {
            u.query_pairs_mut().append_pair(k, v);
            u.query().map(str::to_string)
        }));
    }
    out
}

/// newslit's public keys (JWKS), which platforms use to check what newslit signs: deep linking
/// responses and service-token assertions. During a key rotation it lists both keys.
#[utoipa::path(
    tag = "lti",
    responses((status = 200, description = "The key set (RFC 7517)", body = Object),
              (status = 404, description = "LTI is not enabled on this server", body = crate::http::error::Problem, content_type = "application/problem+json"))
)]
#[get("/jwks")]
async fn jwks(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    configured(&state)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .json(state.tool_keys.jwks()))
}
