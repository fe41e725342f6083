//! Webhook subscriptions and their delivery log (the subscription's rows of the outbox).

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use crate::http::pagination::Cursor;
use crate::identity::{Caller, Role};
use crate::webhooks::EventType;

#[derive(Debug, Clone)]
pub struct SubscriptionRow {
    pub id: Uuid,
    pub owner_id: Uuid,
    pub class_id: Option<Uuid>,
    pub assignment_id: Option<Uuid>,
    pub url: String,
    pub events: Vec<EventType>,
    pub description: Option<String>,
    pub secret: String,
    pub previous_secret: Option<String>,
    pub previous_secret_until: Option<DateTime<Utc>>,
    pub enabled: bool,
    pub disabled_at: Option<DateTime<Utc>>,
    pub disabled_reason: Option<String>,
    pub consecutive_failures: i32,
    pub failing_since: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

// Every query returning a `SubscriptionRow` lists its columns (the query macros take literal SQL only).

pub struct NewSubscription<'a> {
    pub id: Uuid,
    pub owner_id: Uuid,
    pub class_id: Option<Uuid>,
    pub assignment_id: Option<Uuid>,
    pub url: &'a str,
    pub events: &'a [EventType],
    pub description: Option<&'a str>,
    pub secret: &'a str,
}

pub async fn create(pool: &PgPool, s: &NewSubscription<'_>) -> Result<SubscriptionRow, sqlx::Error> {
    sqlx::query_as!(
        SubscriptionRow,
        r#"INSERT INTO webhook_subscriptions (id, owner_id, class_id, assignment_id, url, events, description, secret)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         RETURNING id, owner_id, class_id, assignment_id, url, events AS "events: Vec<EventType>", description, secret,
                previous_secret, previous_secret_until, enabled, disabled_at, disabled_reason, consecutive_failures,
                failing_since, created_at"#,
        s.id,
        s.owner_id,
        s.class_id,
        s.assignment_id,
        s.url,
        s.events as _,
        s.description,
        s.secret,
    )
    .fetch_one(pool)
    .await
}

// A subscription is the caller's ($1 id, $2 role) when they own it, or any for an admin:
// `($2 = 'admin' OR owner_id = $1)` in each query below.

/// A subscription the caller owns (any for an admin).
pub async fn get_for(
    pool: &PgPool,
    caller: &Caller,
    id: Uuid,
) -> Result<Option<SubscriptionRow>, sqlx::Error> {
    sqlx::query_as!(
        SubscriptionRow,
        r#"SELECT id, owner_id, class_id, assignment_id, url, events AS "events: Vec<EventType>", description, secret,
                previous_secret, previous_secret_until, enabled, disabled_at, disabled_reason, consecutive_failures,
                failing_since, created_at
         FROM webhook_subscriptions WHERE id = $3 AND ($2 = 'admin' OR owner_id = $1)"#,
        caller.id,
        caller.role as _,
        id,
    )
    .fetch_optional(pool)
    .await
}

/// One page of the caller's subscriptions (all for an admin), oldest first.
pub async fn list_for(
    pool: &PgPool,
    caller: &Caller,
    after: Option<Cursor>,
    limit: i64,
) -> Result<Vec<SubscriptionRow>, sqlx::Error> {
    sqlx::query_as!(
        SubscriptionRow,
        r#"SELECT id, owner_id, class_id, assignment_id, url, events AS "events: Vec<EventType>", description, secret,
                previous_secret, previous_secret_until, enabled, disabled_at, disabled_reason, consecutive_failures,
                failing_since, created_at
         FROM webhook_subscriptions
         WHERE ($2 = 'admin' OR owner_id = $1) AND ($3::timestamptz IS NULL OR (created_at, id) > ($3, $4))
         ORDER BY created_at, id LIMIT $5"#,
        caller.id,
        caller.role as _,
        after.map(|c| c.at),
        after.map(|c| c.id),
        limit,
    )
    .fetch_all(pool)
    .await
}

pub async fn delete_for(pool: &PgPool, caller: &Caller, id: Uuid) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "DELETE FROM webhook_subscriptions WHERE id = $3 AND ($2 = 'admin' OR owner_id = $1)",
        caller.id,
        caller.role as _,
        id,
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Replaces the secret; the old one keeps signing (as a second signature) until `old_until`.
pub async fn rotate_secret(
    pool: &PgPool,
    caller: &Caller,
    id: Uuid,
    secret: &str,
    old_until: DateTime<Utc>,
) -> Result<Option<SubscriptionRow>, sqlx::Error> {
    sqlx::query_as!(
        SubscriptionRow,
        r#"UPDATE webhook_subscriptions SET previous_secret = secret, previous_secret_until = $5, secret = $4
         WHERE id = $3 AND ($2 = 'admin' OR owner_id = $1)
         RETURNING id, owner_id, class_id, assignment_id, url, events AS "events: Vec<EventType>", description, secret,
                previous_secret, previous_secret_until, enabled, disabled_at, disabled_reason, consecutive_failures,
                failing_since, created_at"#,
        caller.id,
        caller.role as _,
        id,
        secret,
        old_until,
    )
    .fetch_optional(pool)
    .await
}

/// Enables a (disabled) subscription again: its failure count starts over and the deliveries
/// it still owes resume.
pub async fn enable(
    pool: &PgPool,
    caller: &Caller,
    id: Uuid,
) -> Result<Option<SubscriptionRow>, sqlx::Error> {
    sqlx::query_as!(
        SubscriptionRow,
        r#"UPDATE webhook_subscriptions SET enabled = true, disabled_at = NULL, disabled_reason = NULL,
                consecutive_failures = 0, failing_since = NULL
         WHERE id = $3 AND ($2 = 'admin' OR owner_id = $1)
         RETURNING id, owner_id, class_id, assignment_id, url, events AS "events: Vec<EventType>", description, secret,
                previous_secret, previous_secret_until, enabled, disabled_at, disabled_reason, consecutive_failures,
                failing_since, created_at"#,
        caller.id,
        caller.role as _,
        id,
    )
    .fetch_optional(pool)
    .await
}

#[derive(Debug, Clone)]
pub struct DeliveryRow {
    pub id: Uuid,
    pub event_id: Uuid,
    /// A webhook row's type (the outbox's CHECK keeps it one of these).
    pub event_type: EventType,
    /// The event document as it is POSTed (relayed, never read).
    pub payload: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub failed_at: Option<DateTime<Utc>>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
}

/// One page of a subscription's deliveries, newest first.
pub async fn deliveries(
    pool: &PgPool,
    subscription_id: Uuid,
    after: Option<Cursor>,
    limit: i64,
) -> Result<Vec<DeliveryRow>, sqlx::Error> {
    sqlx::query_as!(
        DeliveryRow,
        r#"SELECT id, event_id, event_type AS "event_type: EventType", payload, created_at, attempts,
                next_attempt_at, delivered_at, failed_at, last_attempt_at, last_status, last_error
         FROM outbox WHERE subscription_id = $1
           AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3))
         ORDER BY created_at DESC, id DESC LIMIT $4"#,
        subscription_id,
        after.map(|c| c.at),
        after.map(|c| c.id),
        limit,
    )
    .fetch_all(pool)
    .await
}

/// Whether the caller may subscribe to a class: its teacher, or an admin.
pub async fn may_watch_class(pool: &PgPool, caller: &Caller, class_id: Uuid) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM classes WHERE id = $2 AND ($3 OR teacher_id = $1)) AS "exists!""#,
        caller.id,
        class_id,
        caller.role == Role::Admin,
    )
    .fetch_one(pool)
    .await
}

/// Whether the caller may subscribe to an assignment: its class's teacher, or an admin.
pub async fn may_watch_assignment(
    pool: &PgPool,
    caller: &Caller,
    assignment_id: Uuid,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM assignments a JOIN classes c ON c.id = a.class_id
                        WHERE a.id = $2 AND ($3 OR c.teacher_id = $1)) AS "exists!""#,
        caller.id,
        assignment_id,
        caller.role == Role::Admin,
    )
    .fetch_one(pool)
    .await
}
