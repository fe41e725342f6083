//! Assignment and Grade Services, delivered from the outbox: a `score` row names a student, an
//! assignment and a line item; delivering it reads the student's result as it stands and posts
//! it to `{lineitem}/scores` with a service token.

use serde::Deserialize;
use sqlx::PgPool;
use uuid::Uuid;

use crate::lti::ags::{self, SCOPE_SCORE, SCORE_MEDIA_TYPE};
use crate::lti::keys::ToolKeys;
use crate::service::lti_services::{http_error, CallError, ServiceTokens, REPLY_LIMIT};
use crate::service::outbound::Outbound;
use crate::store;

/// What an outbox `score` row carries (migration `lti_services_outbox`).
#[derive(Debug, Deserialize)]
struct ScoreJob {
    platform_id: Uuid,
    lineitem_url: String,
    assignment_id: Uuid,
    student_id: Uuid,
    lti_user_id: String,
}

/// What a delivery needs besides the row.
pub struct Services<'a> {
    pub pool: &'a PgPool,
    pub outbound: &'a Outbound,
    pub keys: &'a ToolKeys,
    pub tokens: &'a ServiceTokens,
}

/// Publishes the score a row names; returns the platform's HTTP status on success.
pub async fn publish(services: &Services<'_>, payload: &serde_json::Value) -> Result<i32, CallError> {
    let job = ScoreJob::deserialize(payload)
        .map_err(|e| CallError::new(None, format!("a malformed score row: {e}")))?;
    let platform = store::lti::platform(services.pool, job.platform_id)
        .await
        .map_err(|e| CallError::new(None, format!("cannot read the platform: {e}")))?
        .ok_or_else(|| CallError::new(None, "the platform is no longer registered"))?;
    let (result, timestamp) =
        store::lti_services::student_result(services.pool, job.assignment_id, job.student_id)
            .await
            .map_err(|e| CallError::new(None, format!("cannot read the result: {e}")))?
            .ok_or_else(|| CallError::new(None, "the assignment is gone"))?;
    let score = ags::score(&job.lti_user_id, &result, timestamp);
    let body = serde_json::to_vec(&score).map_err(|e| CallError::new(None, e.to_string()))?;
    let url = ags::scores_url(&job.lineitem_url).map_err(|e| CallError::new(None, e))?;
    let url = services
        .outbound
        .check_url(url.as_str())
        .map_err(|e| CallError::new(None, format!("the line item URL {e}")))?;
    let token = services
        .tokens
        .token(services.outbound, services.keys, &platform, SCOPE_SCORE)
        .await?;
    let request = services
        .outbound
        .client()
        .post(url)
        .bearer_auth(token)
        .header("content-type", SCORE_MEDIA_TYPE)
        .body(body);
    let reply = services.outbound.send(request, REPLY_LIMIT).await?;
    match reply.status {
        200..=299 => Ok(i32::from(reply.status)),
        401 => {
            // The token was revoked or expired early: the retry asks for a new one.
            services.tokens.forget(platform.id, SCOPE_SCORE);
            Err(http_error(
                "the platform refused the score",
                reply.status,
                &reply.body,
            ))
        }
        status => Err(http_error("the platform refused the score", status, &reply.body)),
    }
}
