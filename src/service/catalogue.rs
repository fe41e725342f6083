//! Adding an article: analyze it, store it, generate its exercises — in one transaction, so an
//! article is never stored without its exercises.

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use crate::analysis;
use crate::articles::ArticleText;
use crate::exercises::{self, ArticleRef, GENERATOR_VERSION};
use crate::review::ExerciseStatus;
use crate::store::articles::{self, ArticleRow, NewArticle};
use crate::store::exercises as exercise_store;

/// What is known about an article besides its text.
#[derive(Debug, Default, Clone)]
pub struct ArticleMeta {
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub source_url: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    /// The seed file it came from, with the version it becomes and the row it replaces.
    pub seed: Option<(String, i32, Option<Uuid>)>,
}

/// Stores the article unless the same text is already there; returns the row and whether it
/// is new. Exercises of a new article start in `status`.
pub async fn add_article(
    pool: &PgPool,
    text: &ArticleText,
    meta: &ArticleMeta,
    status: ExerciseStatus,
    created_by: Option<Uuid>,
) -> Result<(ArticleRow, bool), sqlx::Error> {
    let hash = text.content_hash();
    if let Some(existing) = articles::by_hash(pool, &hash).await? {
        return Ok((existing, false));
    }
    // Pure work before the transaction, so no connection is held while the analyzer runs.
    let analysis = analysis::analyze(text.as_str());
    let title = meta.title.clone().unwrap_or_else(|| analysis.title.clone());
    let generated = exercises::generate(&ArticleRef {
        content_hash: &hash,
        title: &title,
        text: text.as_str(),
        analysis: &analysis,
    });
    let (seed_name, version, supersedes) = match &meta.seed {
        Some((name, version, supersedes)) => (Some(name.as_str()), *version, *supersedes),
        None => (None, 1, None),
    };
    let mut tx = pool.begin().await?;
    let (row, created) = articles::insert_or_get(
        &mut tx,
        &NewArticle {
            id: Uuid::new_v4(),
            content_hash: &hash,
            title: &title,
            outlet: meta.outlet.as_deref(),
            source_url: meta.source_url.as_deref(),
            published_at: meta.published_at,
            body: text.as_str(),
            analysis: &analysis,
            analyzer_version: analyzer_version(),
            title_given: meta.title.is_some(),
            seed_name,
            version,
            supersedes,
            created_by,
        },
    )
    .await?;
    if created {
        for exercise in &generated {
            exercise_store::upsert_generated(&mut tx, exercise, &[row.id], status, generator_version())
                .await?;
        }
    }
    tx.commit().await?;
    Ok((row, created))
}

/// Re-generates the exercises of stored articles (e.g. after a generator upgrade). Teacher
/// corrections are kept.
pub async fn regenerate(
    pool: &PgPool,
    rows: &[ArticleRow],
    status_if_new: ExerciseStatus,
) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    for row in rows {
        let generated = exercises::generate(&ArticleRef {
            content_hash: &row.content_hash,
            title: &row.title,
            text: &row.body,
            analysis: &row.analysis,
        });
        for exercise in &generated {
            exercise_store::upsert_generated(
                &mut tx,
                exercise,
                &[row.id],
                status_if_new,
                generator_version(),
            )
            .await?;
        }
    }
    tx.commit().await
}

/// Generates the exercises that compare `rows` (articles on one topic).
pub async fn compare(
    pool: &PgPool,
    rows: &[ArticleRow],
    status: ExerciseStatus,
) -> Result<usize, sqlx::Error> {
    let refs: Vec<ArticleRef> = rows
        .iter()
        .map(|r| ArticleRef {
            content_hash: &r.content_hash,
            title: &r.title,
            text: &r.body,
            analysis: &r.analysis,
        })
        .collect();
    let generated = exercises::compare_articles(&refs);
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut tx = pool.begin().await?;
    for exercise in &generated {
        exercise_store::upsert_generated(&mut tx, exercise, &ids, status, generator_version()).await?;
    }
    tx.commit().await?;
    Ok(generated.len())
}

/// Re-analyzes every article a newer analyzer has not seen, and re-generates its exercises
/// (teacher corrections are kept; new exercises of seed articles ship published, others as
/// drafts). Returns how many articles were refreshed.
pub async fn refresh_stale(pool: &PgPool) -> Result<usize, sqlx::Error> {
    let candidates = articles::stale_analyses(pool, analyzer_version()).await?;
    let mut stale = Vec::with_capacity(candidates.len());
    for mut row in candidates {
        let analysis = analysis::analyze(&row.body);
        // A newer analyzer may have got there meanwhile: then its analysis stays.
        if !articles::refresh_analysis(pool, row.id, &analysis, analyzer_version()).await? {
            continue;
        }
        if !row.title_given {
            row.title = analysis.title.clone();
        }
        row.analysis = sqlx::types::Json(analysis);
        stale.push(row);
    }
    let count = stale.len();
    let (seeds, added): (Vec<ArticleRow>, Vec<ArticleRow>) =
        stale.into_iter().partition(|r| r.seed_name.is_some());
    regenerate(pool, &seeds, ExerciseStatus::Published).await?;
    regenerate(pool, &added, ExerciseStatus::Draft).await?;
    Ok(count)
}

fn analyzer_version() -> i32 {
    i32::try_from(analysis::ANALYZER_VERSION).unwrap_or(i32::MAX)
}

fn generator_version() -> i32 {
    i32::try_from(GENERATOR_VERSION).unwrap_or(i32::MAX)
}
