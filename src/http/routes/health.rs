//! Liveness and readiness.

use std::time::Duration;

use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

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
    let probe = sqlx::query("SELECT 1").execute(&state.pool);
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
#[utoipa::path(
    tag = "operations",
    responses((status = 200, description = "Prometheus text exposition format", body = String,
               content_type = "text/plain; version=0.0.4"))
)]
#[get("/metrics")]
async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render(&state.pool))
}
