//! The outbox: claiming due rows (FOR UPDATE SKIP LOCKED, so instances never take the same row
//! at once) and recording what a delivery attempt did.

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

/// A claimed row with what delivering it needs.
#[derive(Debug, Clone)]
pub struct Job {
    pub id: Uuid,
    pub event_id: Uuid,
    pub destination: String,
    pub subscription_id: Option<Uuid>,
    pub event_type: String,
    pub payload: serde_json::Value,
    /// This attempt's number (1 for the first).
    pub attempts: i32,
    pub url: Option<String>,
    pub secret: Option<String>,
    pub previous_secret: Option<String>,
    pub previous_secret_until: Option<DateTime<Utc>>,
}

/// Claims up to `limit` due rows for `lease_ms`: each row's next attempt is moved past the
/// lease and its attempt count raised, in one statement. Rows of disabled subscriptions wait.
pub async fn claim(pool: &PgPool, limit: i64, lease_ms: i64) -> Result<Vec<Job>, sqlx::Error> {
    sqlx::query_as!(
        Job,
        r#"WITH due AS (
             SELECT o.id FROM outbox o
             WHERE o.delivered_at IS NULL AND o.failed_at IS NULL AND o.next_attempt_at <= clock_timestamp()
               AND (o.subscription_id IS NULL OR EXISTS (
                      SELECT 1 FROM webhook_subscriptions s WHERE s.id = o.subscription_id AND s.enabled))
             ORDER BY o.next_attempt_at
             LIMIT $1
             FOR UPDATE OF o SKIP LOCKED),
         claimed AS (
             UPDATE outbox o SET attempts = o.attempts + 1,
                    next_attempt_at = clock_timestamp() + make_interval(secs => $2::float8 / 1000)
             FROM due WHERE o.id = due.id
             RETURNING o.id, o.event_id, o.destination, o.subscription_id, o.event_type, o.payload, o.attempts)
         SELECT c.id AS "id!", c.event_id AS "event_id!", c.destination AS "destination!",
                c.subscription_id AS "subscription_id?", c.event_type AS "event_type!", c.payload AS "payload!",
                c.attempts AS "attempts!", s.url AS "url?", s.secret AS "secret?",
                s.previous_secret AS "previous_secret?", s.previous_secret_until AS "previous_secret_until?"
         FROM claimed c LEFT JOIN webhook_subscriptions s ON s.id = c.subscription_id"#,
        limit,
        lease_ms as f64,
    )
    .fetch_all(pool)
    .await
}

/// What one attempt did.
#[derive(Debug, Clone)]
pub struct Outcome<'a> {
    pub status: Option<i32>,
    /// `None` on success.
    pub error: Option<&'a str>,
    /// When to try again; `None` once attempts are exhausted (the row is given up).
    pub retry_at: Option<DateTime<Utc>>,
}

/// Records a delivered row (once: a second worker that delivered it after a lease ran out
/// changes nothing) and starts its subscription's failure count over.
pub async fn delivered(pool: &PgPool, job: &Job, status: i32) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "UPDATE outbox SET delivered_at = clock_timestamp(), last_attempt_at = clock_timestamp(),
                last_status = $2, last_error = NULL
         WHERE id = $1 AND delivered_at IS NULL",
        job.id,
        status,
    )
    .execute(&mut *tx)
    .await?;
    if let Some(sub) = job.subscription_id {
        sqlx::query!(
            "UPDATE webhook_subscriptions SET consecutive_failures = 0, failing_since = NULL
             WHERE id = $1 AND consecutive_failures <> 0",
            sub
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

/// Records a failed attempt; counts it against the subscription and disables the subscription
/// when it has failed `disable_after` times in a row over at least `disable_secs`.
pub async fn failed(
    pool: &PgPool,
    job: &Job,
    outcome: &Outcome<'_>,
    disable_after: i32,
    disable_secs: f64,
) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "UPDATE outbox SET last_attempt_at = clock_timestamp(), last_status = $2, last_error = $3,
                next_attempt_at = coalesce($4, next_attempt_at),
                failed_at = CASE WHEN $4::timestamptz IS NULL THEN clock_timestamp() END
         WHERE id = $1 AND delivered_at IS NULL",
        job.id,
        outcome.status,
        outcome.error,
        outcome.retry_at,
    )
    .execute(&mut *tx)
    .await?;
    if let Some(sub) = job.subscription_id {
        sqlx::query!(
            "UPDATE webhook_subscriptions SET consecutive_failures = consecutive_failures + 1,
                    failing_since = coalesce(failing_since, clock_timestamp())
             WHERE id = $1",
            sub
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            "UPDATE webhook_subscriptions
             SET enabled = false, disabled_at = clock_timestamp(),
                 disabled_reason = format('%s deliveries in a row failed since %s; the last: %s',
                                          consecutive_failures,
                                          to_char(failing_since AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),
                                          $4::text)
             WHERE id = $1 AND enabled AND consecutive_failures >= $2
               AND failing_since <= clock_timestamp() - make_interval(secs => $3)",
            sub,
            disable_after,
            disable_secs,
            outcome.error.unwrap_or("failed"),
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}
