//! The outbox worker every instance runs: claims due rows (store::outbox), delivers each, and
//! records the outcome, retrying with exponential backoff and jitter. Delivery is at least
//! once: a worker that dies after sending but before recording leaves the row to be sent again
//! when its lease runs out, under the same event id, which receivers dedupe on.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use sqlx::PgPool;

use crate::config::Config;
use crate::lti::keys::ToolKeys;
use crate::service::lti_services::ServiceTokens;
use crate::service::outbound::{Outbound, OutboundError};
use crate::service::{lti_ags, lti_nrps};
use crate::store::outbox::{self as store, Job, Outcome};
use crate::webhooks;

/// Rows one worker claims at a time.
const BATCH: i64 = 32;
/// How long a claim holds a row: longer than a delivery can take (the outbound timeout).
const LEASE_SLACK_MS: u64 = 20_000;
/// What is kept of a receiver's answer in the delivery log.
const REPLY_LIMIT: usize = 16 * 1024;
const RETRY_CAP: Duration = Duration::from_secs(3600);

#[derive(Clone)]
pub struct Worker {
    pool: PgPool,
    outbound: Outbound,
    /// newslit's LTI key (signs service-token assertions) and the tokens it got, per instance.
    tool_keys: Arc<ToolKeys>,
    service_tokens: Arc<ServiceTokens>,
    poll: Duration,
    retry_base: Duration,
    max_attempts: i32,
    disable_after: i32,
    disable_secs: f64,
    lease_ms: i64,
}

impl Worker {
    pub fn new(
        pool: PgPool,
        config: &Config,
        tool_keys: Arc<ToolKeys>,
        service_tokens: Arc<ServiceTokens>,
    ) -> Result<Worker, reqwest::Error> {
        Ok(Worker {
            pool,
            outbound: Outbound::new(config)?,
            tool_keys,
            service_tokens,
            poll: Duration::from_millis(config.outbox_poll_ms.max(10)),
            retry_base: Duration::from_millis(config.outbox_retry_base_ms.max(1)),
            max_attempts: i32::try_from(config.outbox_max_attempts.max(1)).unwrap_or(i32::MAX),
            disable_after: i32::try_from(config.webhook_disable_after_failures.max(1)).unwrap_or(i32::MAX),
            disable_secs: config.webhook_disable_after_secs as f64,
            lease_ms: i64::try_from(config.outbound_timeout_ms + LEASE_SLACK_MS).unwrap_or(i64::MAX),
        })
    }

    /// Runs until the runtime stops. Errors (PostgreSQL away, say) are logged and waited out.
    pub async fn run(self) {
        loop {
            match self.tick().await {
                Ok(n) if n > 0 => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "outbox: cannot claim events; retrying"),
            }
            tokio::time::sleep(self.poll).await;
        }
    }

    /// Claims one batch and delivers it; returns how many rows it handled.
    pub async fn tick(&self) -> Result<usize, sqlx::Error> {
        let jobs = store::claim(&self.pool, BATCH, self.lease_ms).await?;
        let n = jobs.len();
        futures_util::future::join_all(jobs.into_iter().map(|job| self.handle(job))).await;
        Ok(n)
    }

    async fn handle(&self, job: Job) {
        let result = match job.destination.as_str() {
            "webhook" => self.deliver_webhook(&job).await,
            "ags" => {
                let services = lti_ags::Services {
                    pool: &self.pool,
                    outbound: &self.outbound,
                    keys: &self.tool_keys,
                    tokens: &self.service_tokens,
                };
                lti_ags::publish(&services, &job.payload)
                    .await
                    .map_err(|e| (e.status, e.message))
            }
            "nrps" => {
                let services = lti_nrps::Services {
                    pool: &self.pool,
                    outbound: &self.outbound,
                    keys: &self.tool_keys,
                    tokens: &self.service_tokens,
                };
                lti_nrps::sync_from_outbox(&services, &job.payload)
                    .await
                    .map_err(|e| (e.status, e.message))
            }
            other => Err((None, format!("unknown destination {other}"))),
        };
        let recorded = match result {
            Ok(status) => store::delivered(&self.pool, &job, status).await,
            Err((status, error)) => {
                let retry_at = (job.attempts < self.max_attempts).then(|| {
                    let attempt = u32::try_from(job.attempts).unwrap_or(1);
                    let wait = webhooks::backoff(attempt, self.retry_base, RETRY_CAP, webhooks::jitter());
                    Utc::now() + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(1))
                });
                tracing::info!(event_id = %job.event_id, attempt = job.attempts, error = %error,
                               retry_at = ?retry_at, "outbox: delivery failed");
                let outcome = Outcome {
                    status,
                    error: Some(&error),
                    retry_at,
                };
                store::failed(&self.pool, &job, &outcome, self.disable_after, self.disable_secs).await
            }
        };
        if let Err(e) = recorded {
            // The lease runs out and the row is delivered again: at least once.
            tracing::warn!(event_id = %job.event_id, error = %e, "outbox: outcome not recorded");
        }
    }

    /// POSTs the event, signed per Standard Webhooks; a 2xx is delivered.
    async fn deliver_webhook(&self, job: &Job) -> Result<i32, (Option<i32>, String)> {
        let (Some(url), Some(secret)) = (&job.url, &job.secret) else {
            return Err((None, "the subscription is gone".into()));
        };
        let mut keys = Vec::new();
        keys.extend(webhooks::secret_key(secret));
        if let (Some(old), Some(until)) = (&job.previous_secret, job.previous_secret_until) {
            if until > Utc::now() {
                keys.extend(webhooks::secret_key(old));
            }
        }
        if keys.is_empty() {
            return Err((None, "the subscription's secret does not parse".into()));
        }
        let body = serde_json::to_vec(&job.payload).map_err(|e| (None, e.to_string()))?;
        let id = job.event_id.to_string();
        let timestamp = Utc::now().timestamp();
        let signature = webhooks::signature_header(&keys, &id, timestamp, &body);
        let request = self
            .outbound
            .client()
            .post(url.as_str())
            .header("content-type", "application/json")
            .header("webhook-id", &id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(body);
        match self.outbound.send(request, REPLY_LIMIT).await {
            Ok(reply) if (200..300).contains(&reply.status) => Ok(i32::from(reply.status)),
            Ok(reply) => {
                let excerpt = String::from_utf8_lossy(&reply.body[..reply.body.len().min(200)]).into_owned();
                Err((
                    Some(i32::from(reply.status)),
                    format!("HTTP {}: {}", reply.status, excerpt.trim()),
                ))
            }
            Err(OutboundError::Refused(e)) => Err((None, format!("refused: {e}"))),
            Err(OutboundError::Transport(e)) => Err((None, e)),
        }
    }
}

/// Starts the worker on the current runtime.
pub fn spawn(pool: PgPool, config: &Config, tool_keys: Arc<ToolKeys>, service_tokens: Arc<ServiceTokens>) {
    match Worker::new(pool, config, tool_keys, service_tokens) {
        Ok(worker) => {
            tokio::spawn(worker.run());
        }
        Err(e) => tracing::error!(error = %e, "outbox: no HTTP client; events stay queued"),
    }
}
