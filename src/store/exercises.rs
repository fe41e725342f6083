//! Exercises, their versions, and teacher corrections.

use chrono::{DateTime, Utc};
use sqlx::types::Json;
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use crate::exercises::{Exercise, ExerciseContent};
use crate::review::ExerciseStatus;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExerciseRow {
    pub id: Uuid,
    pub article_ids: Vec<Uuid>,
    pub kind: String,
    pub status: String,
    pub version: i32,
    pub content: Json<ExerciseContent>,
    pub generator_version: i32,
    pub corrected_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const COLUMNS: &str =
    "id, article_ids, kind, status, version, content, generator_version, corrected_by, created_at, updated_at";

/// Stores a freshly generated exercise. A new one starts in `status_if_new`; an existing one
/// takes the new content (as a new version) unless a teacher has corrected it, in which case
/// the correction stays and only the generator's output is remembered. An exercise last written
/// by a newer generator than `generator_version` is left as it is.
pub async fn upsert_generated(
    conn: &mut PgConnection,
    exercise: &Exercise,
    article_ids: &[Uuid],
    status_if_new: ExerciseStatus,
    generator_version: i32,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "WITH up AS (
           INSERT INTO exercises (id, article_ids, kind, status, version, content, generated, generator_version)
           VALUES ($1, $2, $3, $4, 1, $5, $5, $6)
           ON CONFLICT (id) DO UPDATE SET
             generated = EXCLUDED.generated,
             generator_version = EXCLUDED.generator_version,
             article_ids = EXCLUDED.article_ids,
             content = CASE WHEN exercises.corrected_by IS NULL THEN EXCLUDED.content ELSE exercises.content END,
             version = CASE WHEN exercises.corrected_by IS NULL AND exercises.content IS DISTINCT FROM EXCLUDED.content
                            THEN exercises.version + 1 ELSE exercises.version END,
             updated_at = CASE WHEN exercises.corrected_by IS NULL AND exercises.content IS DISTINCT FROM EXCLUDED.content
                               THEN clock_timestamp() ELSE exercises.updated_at END
           -- An older generator (a binary still running during a rolling deploy) never
           -- overwrites what a newer one wrote.
           WHERE exercises.generator_version <= EXCLUDED.generator_version
           RETURNING id, version, status, content
         )
         INSERT INTO exercise_versions (exercise_id, version, status, content)
         SELECT id, version, status, content FROM up
         ON CONFLICT (exercise_id, version) DO NOTHING",
    )
    .bind(exercise.id)
    .bind(article_ids)
    .bind(exercise.kind.as_str())
    .bind(status_if_new.as_str())
    .bind(Json(&exercise.content))
    .bind(generator_version)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn get(conn: impl PgExecutor<'_>, id: Uuid) -> Result<Option<ExerciseRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM exercises WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// The exercises built from an article (alone or among others), in a stable order.
pub async fn for_article(
    conn: impl PgExecutor<'_>,
    article_id: Uuid,
    statuses: &[&str],
) -> Result<Vec<ExerciseRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM exercises WHERE $1 = ANY(article_ids) AND status = ANY($2)
         ORDER BY cardinality(article_ids), kind, created_at, id"
    ))
    .bind(article_id)
    .bind(statuses)
    .fetch_all(conn)
    .await
}

/// A teacher's edit. Applies only if the exercise is still at `expected_version`; returns the
/// new row, or `None` when the version moved on (or the exercise is gone).
pub async fn update(
    conn: &mut PgConnection,
    id: Uuid,
    expected_version: i32,
    content: &ExerciseContent,
    status: ExerciseStatus,
    teacher: Uuid,
) -> Result<Option<ExerciseRow>, sqlx::Error> {
    let row: Option<ExerciseRow> = sqlx::query_as(&format!(
        "UPDATE exercises SET
           content = $3,
           status = $4,
           corrected_by = CASE WHEN content IS DISTINCT FROM $3 THEN $5 ELSE corrected_by END,
           version = version + 1,
           updated_at = clock_timestamp()
         WHERE id = $1 AND version = $2
         RETURNING {COLUMNS}"
    ))
    .bind(id)
    .bind(expected_version)
    .bind(Json(content))
    .bind(status.as_str())
    .bind(teacher)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(row) = &row {
        sqlx::query(
            "INSERT INTO exercise_versions (exercise_id, version, status, content, created_by)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(row.id)
        .bind(row.version)
        .bind(&row.status)
        .bind(&row.content)
        .bind(teacher)
        .execute(&mut *conn)
        .await?;
    }
    Ok(row)
}
