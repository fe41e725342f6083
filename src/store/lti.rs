//! LTI 1.3: platform registrations, logins in flight (state and nonce, consumed once), and the
//! mappings of LMS courses, people and links onto classes, users and assignments.

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use crate::http::pagination::Cursor;
use crate::identity::{Caller, Role};

#[derive(Debug, Clone)]
pub struct PlatformRow {
    pub id: Uuid,
    pub issuer: String,
    pub client_id: String,
    pub deployment_ids: Vec<String>,
    pub auth_url: String,
    pub token_url: String,
    pub jwks_url: String,
    pub name: Option<String>,
    pub created_at: DateTime<Utc>,
}

pub struct NewPlatform<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub deployment_ids: &'a [String],
    pub auth_url: &'a str,
    pub token_url: &'a str,
    pub jwks_url: &'a str,
    pub name: Option<&'a str>,
}

/// Registers a platform; `None` when the issuer and client id are registered already.
pub async fn create_platform(
    pool: &PgPool,
    created_by: Uuid,
    p: &NewPlatform<'_>,
) -> Result<Option<PlatformRow>, sqlx::Error> {
    sqlx::query_as!(
        PlatformRow,
        "INSERT INTO lti_platforms (id, issuer, client_id, deployment_ids, auth_url, token_url, jwks_url, name, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (issuer, client_id) DO NOTHING
         RETURNING id, issuer, client_id, deployment_ids, auth_url, token_url, jwks_url, name, created_at",
        Uuid::now_v7(),
        p.issuer,
        p.client_id,
        p.deployment_ids,
        p.auth_url,
        p.token_url,
        p.jwks_url,
        p.name,
        created_by,
    )
    .fetch_optional(pool)
    .await
}

pub async fn platform(pool: &PgPool, id: Uuid) -> Result<Option<PlatformRow>, sqlx::Error> {
    sqlx::query_as!(
        PlatformRow,
        "SELECT id, issuer, client_id, deployment_ids, auth_url, token_url, jwks_url, name, created_at
         FROM lti_platforms WHERE id = $1",
        id,
    )
    .fetch_optional(pool)
    .await
}

/// The registrations of an issuer (one per client id), oldest first.
pub async fn platforms_of(
    pool: &PgPool,
    issuer: &str,
    client_id: Option<&str>,
) -> Result<Vec<PlatformRow>, sqlx::Error> {
    sqlx::query_as!(
        PlatformRow,
        "SELECT id, issuer, client_id, deployment_ids, auth_url, token_url, jwks_url, name, created_at
         FROM lti_platforms WHERE issuer = $1 AND ($2::text IS NULL OR client_id = $2)
         ORDER BY created_at, id LIMIT 2",
        issuer,
        client_id,
    )
    .fetch_all(pool)
    .await
}

pub async fn list_platforms(
    pool: &PgPool,
    after: Option<Cursor>,
    limit: i64,
) -> Result<Vec<PlatformRow>, sqlx::Error> {
    sqlx::query_as!(
        PlatformRow,
        "SELECT id, issuer, client_id, deployment_ids, auth_url, token_url, jwks_url, name, created_at
         FROM lti_platforms
         WHERE ($1::timestamptz IS NULL OR (created_at, id) > ($1, $2::uuid))
         ORDER BY created_at, id LIMIT $3",
        after.map(|c| c.at),
        after.map(|c| c.id),
        limit,
    )
    .fetch_all(pool)
    .await
}

pub async fn delete_platform(pool: &PgPool, id: Uuid) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!("DELETE FROM lti_platforms WHERE id = $1", id)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Remembers a login for `ttl_secs`, and forgets logins that expired (no launch came back).
pub async fn begin_login(
    pool: &PgPool,
    state: &str,
    nonce: &str,
    platform_id: Uuid,
    target_link_uri: &str,
    ttl_secs: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "WITH gone AS (DELETE FROM lti_logins WHERE expires_at < clock_timestamp() - interval '1 hour')
         INSERT INTO lti_logins (state, nonce, platform_id, target_link_uri, expires_at)
         VALUES ($1, $2, $3, $4, clock_timestamp() + make_interval(secs => $5::bigint))",
        state,
        nonce,
        platform_id,
        target_link_uri,
        ttl_secs,
    )
    .execute(pool)
    .await?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct LoginRow {
    pub nonce: String,
    pub platform_id: Uuid,
    pub target_link_uri: String,
}

/// Takes the login `state` names, once: a replayed launch finds nothing.
pub async fn consume_login(pool: &PgPool, state: &str) -> Result<Option<LoginRow>, sqlx::Error> {
    sqlx::query_as!(
        LoginRow,
        "DELETE FROM lti_logins WHERE state = $1 AND expires_at > clock_timestamp()
         RETURNING nonce, platform_id, target_link_uri",
        state,
    )
    .fetch_optional(pool)
    .await
}

/// Links an LMS user to the newslit user `caller` (made or updated first).
pub async fn link_user(
    pool: &PgPool,
    platform_id: Uuid,
    sub: &str,
    caller: &Caller,
) -> Result<(), sqlx::Error> {
    crate::store::users::provision(pool, caller).await?;
    sqlx::query!(
        "INSERT INTO lti_users (platform_id, sub, user_id) VALUES ($1, $2, $3)
         ON CONFLICT (platform_id, sub) DO NOTHING",
        platform_id,
        sub,
        caller.id,
    )
    .execute(pool)
    .await?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct ContextRow {
    pub class_id: Uuid,
    pub teacher_id: Uuid,
    pub memberships_url: Option<String>,
}

/// The class of an LMS course, if it has one; records the roster URL the launch announced.
pub async fn context(
    pool: &PgPool,
    platform_id: Uuid,
    context_id: &str,
    memberships_url: Option<&str>,
) -> Result<Option<ContextRow>, sqlx::Error> {
    sqlx::query_as!(
        ContextRow,
        "UPDATE lti_contexts x SET memberships_url = coalesce($3, x.memberships_url)
         FROM classes c
         WHERE x.platform_id = $1 AND x.context_id = $2 AND c.id = x.class_id
         RETURNING x.class_id, c.teacher_id, x.memberships_url",
        platform_id,
        context_id,
        memberships_url,
    )
    .fetch_optional(pool)
    .await
}

/// Makes the class of an LMS course, taught by `teacher_id`, in one transaction; when another
/// launch made it first, that one's class is the course's (and this one is not created).
pub async fn create_context(
    pool: &PgPool,
    platform_id: Uuid,
    context_id: &str,
    title: &str,
    teacher_id: Uuid,
    join_code: &str,
    memberships_url: Option<&str>,
) -> Result<ContextRow, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let class_id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO classes (id, name, teacher_id, join_code) VALUES ($1, $2, $3, $4)",
        class_id,
        title,
        teacher_id,
        join_code,
    )
    .execute(&mut *tx)
    .await?;
    let made = sqlx::query!(
        "INSERT INTO lti_contexts (platform_id, context_id, class_id, title, memberships_url)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (platform_id, context_id) DO NOTHING",
        platform_id,
        context_id,
        class_id,
        title,
        memberships_url,
    )
    .execute(&mut *tx)
    .await?;
    if made.rows_affected() == 1 {
        tx.commit().await?;
        return Ok(ContextRow {
            class_id,
            teacher_id,
            memberships_url: memberships_url.map(str::to_string),
        });
    }
    tx.rollback().await?;
    context(pool, platform_id, context_id, memberships_url)
        .await?
        .ok_or(sqlx::Error::RowNotFound)
}

/// Enrolls a student or assigns a grader, keeping a membership that is already there.
pub async fn add_member(pool: &PgPool, class_id: Uuid, user_id: Uuid, role: Role) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO class_members (class_id, user_id, role) VALUES ($1, $2, $3)
         ON CONFLICT (class_id, user_id) DO NOTHING",
        class_id,
        user_id,
        role as _,
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// The Assignment and Grade Services endpoints a launch announced for its link.
#[derive(Debug, Clone, Default)]
pub struct AgsLinks<'a> {
    pub lineitems_url: Option<&'a str>,
    pub lineitem_url: Option<&'a str>,
    pub scopes: &'a [String],
}

/// The assignment a resource link opens: the one it was linked to, else `candidate` when that is
/// an assignment of `class_id` (the link is remembered then). Updates the link's AGS endpoints.
pub async fn resolve_link(
    pool: &PgPool,
    platform_id: Uuid,
    resource_link_id: &str,
    class_id: Uuid,
    candidate: Option<Uuid>,
    ags: &AgsLinks<'_>,
) -> Result<Option<Uuid>, sqlx::Error> {
    let known = sqlx::query_scalar!(
        "UPDATE lti_resource_links SET lineitems_url = coalesce($3, lineitems_url),
                lineitem_url = coalesce($4, lineitem_url),
                ags_scopes = CASE WHEN cardinality($5::text[]) > 0 THEN $5 ELSE ags_scopes END,
                updated_at = clock_timestamp()
         WHERE platform_id = $1 AND resource_link_id = $2 RETURNING assignment_id",
        platform_id,
        resource_link_id,
        ags.lineitems_url,
        ags.lineitem_url,
        ags.scopes,
    )
    .fetch_optional(pool)
    .await?;
    if known.is_some() {
        return Ok(known);
    }
    let Some(candidate) = candidate else {
        return Ok(None);
    };
    sqlx::query_scalar!(
        "WITH a AS (SELECT id FROM assignments WHERE id = $3 AND class_id = $4)
         INSERT INTO lti_resource_links (platform_id, resource_link_id, assignment_id, lineitems_url, lineitem_url, ags_scopes)
         SELECT $1, $2, a.id, $5, $6, $7 FROM a
         ON CONFLICT (platform_id, resource_link_id) DO UPDATE SET updated_at = clock_timestamp()
         RETURNING assignment_id",
        platform_id,
        resource_link_id,
        candidate,
        class_id,
        ags.lineitems_url,
        ags.lineitem_url,
        ags.scopes,
    )
    .fetch_optional(pool)
    .await
}
