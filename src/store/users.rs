//! Users, provisioned from token claims.

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use crate::identity::{Caller, Role};

#[derive(Debug, Clone)]
pub struct UserRow {
    pub id: Uuid,
    pub subject: String,
    pub role: Role,
    pub display_name: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Creates the caller's user row, or brings its role and name up to date.
///
/// Two first requests of one person can race here. `ON CONFLICT (id)` settles a race on the
/// primary key, but PostgreSQL may meet the other transaction's row first in the `subject`
/// index, which is not the arbiter, and then reports a unique violation instead; by then the
/// row is committed, so a second try takes the update path.
pub async fn provision(pool: &PgPool, caller: &Caller) -> Result<(), sqlx::Error> {
    match upsert(pool, caller).await {
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => upsert(pool, caller).await,
        other => other,
    }
}

async fn upsert(pool: &PgPool, caller: &Caller) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO users (id, subject, role, display_name) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE
           SET role = EXCLUDED.role,
               display_name = COALESCE(EXCLUDED.display_name, users.display_name),
               updated_at = now()
         WHERE users.role IS DISTINCT FROM EXCLUDED.role
            OR (EXCLUDED.display_name IS NOT NULL AND users.display_name IS DISTINCT FROM EXCLUDED.display_name)",
        caller.id,
        caller.subject,
        caller.role as _,
        caller.name.as_deref(),
    )
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn get(pool: &PgPool, id: Uuid) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as!(
        UserRow,
        r#"SELECT id, subject, role AS "role: Role", display_name, created_at FROM users WHERE id = $1"#,
        id
    )
    .fetch_optional(pool)
    .await
}

/// Remembers, per subject, the role and name this process last stored, so a request costs a
/// database write only when a user is new or their token's role or name differs from what was
/// stored: a token that moves student → grader → student writes each change.
///
/// Another instance may have stored a different role meanwhile; an entry is trusted for
/// [`TRUST`] only, after which the next request writes again (one idempotent upsert).
#[derive(Default)]
pub struct ProvisionedUsers(RwLock<HashMap<String, Remembered>>);

/// The role and name last stored for a subject, and when.
type Remembered = (Role, Option<String>, Instant);

/// How long a remembered (role, name) is trusted without writing it again.
const TRUST: Duration = Duration::from_secs(10);

impl ProvisionedUsers {
    pub fn contains(&self, c: &Caller) -> bool {
        self.0.read().is_ok_and(|map| {
            map.get(&c.subject)
                .is_some_and(|(role, name, at)| *role == c.role && *name == c.name && at.elapsed() < TRUST)
        })
    }

    pub fn insert(&self, c: &Caller) {
        if let Ok(mut map) = self.0.write() {
            // Bounded: forgetting only costs one idempotent upsert per user.
            if map.len() > 200_000 {
                map.clear();
            }
            map.insert(c.subject.clone(), (c.role, c.name.clone(), Instant::now()));
        }
    }
}
