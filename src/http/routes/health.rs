//! Liveness and readiness.

use std::time::Duration;

use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::config::Environment;
use crate::http::error::ApiError;
use crate::state::AppState;

pub fn routes(cfg: &mut ServiceConfig<'_>) {
    cfg.service(health).service(ready).service(metrics);
}

#[derive(Serialize, ToSchema)]
pub struct Status {
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// The process is alive. Touches no database.
#[utoipa::path(tag = "operations", responses((status = 200, description = "Alive", body = Status)))]
#[get("/health")]
async fn health() -> HttpResponse {
    HttpResponse::Ok().json(Status { status: "ok" })
}

/// The service can reach its database.
#[utoipa::path(
    tag = "operations",
    responses(
        (status = 200, description = "Ready to serve", body = Status),
        (status = 503, description = "The database is unreachable", body = crate::http::error::Problem,
         content_type = "application/problem+json"),
    )
)]
#[get("/ready")]
async fn ready(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let probe = crate::store::pool::ping(&state.pool);
    let unavailable = |detail: &str| ApiError::Unavailable {
        detail: detail.to_string(),
        retry_after_secs: 2,
    };
    match tokio::time::timeout(Duration::from_secs(2), probe).await {
        Ok(Ok(_)) => Ok(HttpResponse::Ok().json(Status { status: "ready" })),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness probe failed");
            Err(unavailable("The database is unreachable."))
        }
        Err(_) => Err(unavailable("The database did not answer within 2 seconds.")),
    }
}

/// Prometheus metrics: requests by route and status, latency histogram, database pool use.
///
/// With `NEWSLIT_METRICS_TOKEN` set, send it as `Authorization: Bearer <token>`. With
/// `NEWSLIT_METRICS_LISTEN` set, metrics are served there only (404 here). In production one of
/// the two is needed; without either, this answers 404.
#[utoipa::path(
    tag = "operations",
    security((), ("metrics_token" = [])),
    responses(
        (status = 200, description = "Prometheus text exposition format", body = String,
         content_type = "text/plain; version=0.0.4"),
        (status = 401, description = "`NEWSLIT_METRICS_TOKEN` is set and the request does not carry it",
         body = crate::http::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "Metrics are served on the metrics listener, or not at all \
                                      (production without a metrics token)",
         body = crate::http::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/metrics")]
async fn metrics(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let config = &state.config;
    let not_here = || ApiError::NotFound("There is no resource at /metrics.".into());
    if config.metrics_listen.is_some() {
        return Err(not_here());
    }
    match config.metrics_token.as_deref().filter(|t| !t.is_empty()) {
        Some(expected) => {
            let given = req
                .headers()
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .unwrap_or("");
            if !same(given.trim().as_bytes(), expected.as_bytes()) {
                return Err(ApiError::Unauthorized(
                    "send the metrics token as a bearer token".into(),
                ));
            }
        }
        None if config.environment == Environment::Production => return Err(not_here()),
        None => {}
    }
    Ok(metrics_only(state).await)
}

/// Compares two secrets in time that depends on their lengths only.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The metrics themselves, as the metrics listener serves them (no token: that listener is
/// meant for a private network).
pub async fn metrics_only(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render(&state.pool))
}
