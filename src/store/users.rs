//! Users, provisioned from token claims.

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use crate::auth::Caller;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: Uuid,
    pub subject: String,
    pub role: String,
    pub display_name: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Creates the caller's user row, or brings its role and name up to date.
pub async fn provision(pool: &PgPool, caller: &Caller) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO users (id, subject, role, display_name) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE
           SET role = EXCLUDED.role,
               display_name = COALESCE(EXCLUDED.display_name, users.display_name),
               updated_at = now()
         WHERE users.role IS DISTINCT FROM EXCLUDED.role
            OR (EXCLUDED.display_name IS NOT NULL AND users.display_name IS DISTINCT FROM EXCLUDED.display_name)",
    )
    .bind(caller.id)
    .bind(&caller.subject)
    .bind(caller.role.as_str())
    .bind(&caller.name)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn get(pool: &PgPool, id: Uuid) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, subject, role, display_name, created_at FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
}
