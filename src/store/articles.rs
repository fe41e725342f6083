//! Articles and their stored analysis.

use chrono::{DateTime, Utc};
use sqlx::types::Json;
use sqlx::{PgExecutor, PgPool};
use uuid::Uuid;

use crate::analysis::Analysis;
use crate::http::pagination::Cursor;

/// An article as stored, with its text and analysis.
#[derive(Debug, Clone)]
pub struct ArticleRow {
    pub id: Uuid,
    pub content_hash: String,
    pub title: String,
    pub outlet: Option<String>,
    pub source_url: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub body: String,
    pub analysis: Json<Analysis>,
    pub seed_name: Option<String>,
    pub version: i32,
    pub supersedes: Option<Uuid>,
    pub title_given: bool,
    pub created_at: DateTime<Utc>,
}

/// An article in a list: no text, no analysis.
#[derive(Debug, Clone)]
pub struct ArticleSummaryRow {
    pub id: Uuid,
    pub title: String,
    pub outlet: Option<String>,
    pub source_url: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub seed_name: Option<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
}

pub struct NewArticle<'a> {
    pub id: Uuid,
    pub content_hash: &'a str,
    pub title: &'a str,
    pub outlet: Option<&'a str>,
    pub source_url: Option<&'a str>,
    pub published_at: Option<DateTime<Utc>>,
    pub body: &'a str,
    pub analysis: &'a Analysis,
    pub analyzer_version: i32,
    pub title_given: bool,
    pub seed_name: Option<&'a str>,
    pub version: i32,
    pub supersedes: Option<Uuid>,
    pub created_by: Option<Uuid>,
}

/// Inserts the article unless one with the same text exists; returns the stored row and
/// whether this call created it. Safe under concurrent identical inserts.
pub async fn insert_or_get(
    conn: &mut sqlx::PgConnection,
    new: &NewArticle<'_>,
) -> Result<(ArticleRow, bool), sqlx::Error> {
    let inserted = sqlx::query_as!(
        ArticleRow,
        r#"INSERT INTO articles (id, content_hash, title, outlet, source_url, published_at, body, analysis,
                               seed_name, version, supersedes, created_by, analyzer_version, title_given)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         ON CONFLICT (content_hash) DO NOTHING
         RETURNING id, content_hash, title, outlet, source_url, published_at, body,
                analysis AS "analysis: Json<Analysis>", seed_name, version, supersedes, title_given, created_at"#,
        new.id,
        new.content_hash,
        new.title,
        new.outlet,
        new.source_url,
        new.published_at,
        new.body,
        Json(new.analysis) as _,
        new.seed_name,
        new.version,
        new.supersedes,
        new.created_by,
        new.analyzer_version,
        new.title_given,
    )
    .fetch_optional(&mut *conn)
    .await?;
    match inserted {
        Some(row) => Ok((row, true)),
        None => {
            let row = by_hash(&mut *conn, new.content_hash)
                .await?
                .ok_or(sqlx::Error::RowNotFound)?;
            Ok((row, false))
        }
    }
}

pub async fn by_hash(conn: impl PgExecutor<'_>, hash: &str) -> Result<Option<ArticleRow>, sqlx::Error> {
    sqlx::query_as!(
        ArticleRow,
        r#"SELECT id, content_hash, title, outlet, source_url, published_at, body,
                analysis AS "analysis: Json<Analysis>", seed_name, version, supersedes, title_given, created_at
         FROM articles WHERE content_hash = $1"#,
        hash
    )
    .fetch_optional(conn)
    .await
}

pub async fn get(pool: &PgPool, id: Uuid) -> Result<Option<ArticleRow>, sqlx::Error> {
    sqlx::query_as!(
        ArticleRow,
        r#"SELECT id, content_hash, title, outlet, source_url, published_at, body,
                analysis AS "analysis: Json<Analysis>", seed_name, version, supersedes, title_given, created_at
         FROM articles WHERE id = $1"#,
        id
    )
    .fetch_optional(pool)
    .await
}

/// The newest stored version of a seed file's article.
pub async fn latest_seed(
    conn: impl PgExecutor<'_>,
    seed_name: &str,
) -> Result<Option<ArticleRow>, sqlx::Error> {
    sqlx::query_as!(
        ArticleRow,
        r#"SELECT id, content_hash, title, outlet, source_url, published_at, body,
                analysis AS "analysis: Json<Analysis>", seed_name, version, supersedes, title_given, created_at
         FROM articles WHERE seed_name = $1 ORDER BY version DESC LIMIT 1"#,
        seed_name
    )
    .fetch_optional(conn)
    .await
}

/// The newest version of every seed article, in file-name order.
pub async fn current_seeds(conn: impl PgExecutor<'_>) -> Result<Vec<ArticleRow>, sqlx::Error> {
    sqlx::query_as!(
        ArticleRow,
        r#"SELECT DISTINCT ON (seed_name) id, content_hash, title, outlet, source_url, published_at, body,
                analysis AS "analysis: Json<Analysis>", seed_name, version, supersedes, title_given, created_at
         FROM articles WHERE seed_name IS NOT NULL
         ORDER BY seed_name, version DESC"#,
    )
    .fetch_all(conn)
    .await
}

/// Newest first, `limit` rows after `after`.
pub async fn page(
    pool: &PgPool,
    after: Option<Cursor>,
    limit: i64,
) -> Result<Vec<ArticleSummaryRow>, sqlx::Error> {
    sqlx::query_as!(
        ArticleSummaryRow,
        "SELECT id, title, outlet, source_url, published_at, seed_name, version, created_at FROM articles
         WHERE ($1::timestamptz IS NULL OR (created_at, id) < ($1, $2))
         ORDER BY created_at DESC, id DESC LIMIT $3",
        after.map(|c| c.at),
        after.map(|c| c.id),
        limit,
    )
    .fetch_all(pool)
    .await
}

/// Articles analyzed by an older analyzer than `current`.
pub async fn stale_analyses(conn: impl PgExecutor<'_>, current: i32) -> Result<Vec<ArticleRow>, sqlx::Error> {
    sqlx::query_as!(
        ArticleRow,
        r#"SELECT id, content_hash, title, outlet, source_url, published_at, body,
                analysis AS "analysis: Json<Analysis>", seed_name, version, supersedes, title_given, created_at
         FROM articles WHERE analyzer_version < $1 ORDER BY created_at, id"#,
        current
    )
    .fetch_all(conn)
    .await
}

/// Stores a fresh analysis; a title read from the text follows the new analysis. Returns false
/// (and changes nothing) when a newer analyzer than `analyzer_version` wrote the stored one.
pub async fn refresh_analysis(
    conn: impl PgExecutor<'_>,
    id: Uuid,
    analysis: &Analysis,
    analyzer_version: i32,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE articles SET analysis = $2, analyzer_version = $3,
                title = CASE WHEN title_given THEN title ELSE $4 END
         WHERE id = $1 AND analyzer_version <= $3",
        id,
        Json(analysis) as _,
        analyzer_version,
        analysis.title,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
