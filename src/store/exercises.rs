//! Exercises, their versions, and corrections: the shared catalogue (edited by the generator
//! and admins) and each teacher's own versions (copy on write), under one version numbering.

use chrono::{DateTime, Utc};
use sqlx::types::Json;
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use crate::exercises::{Exercise, ExerciseContent, ExerciseKind};
use crate::review::ExerciseStatus;

#[derive(Debug, Clone)]
pub struct ExerciseRow {
    pub id: Uuid,
    pub article_ids: Vec<Uuid>,
    pub kind: ExerciseKind,
    pub status: ExerciseStatus,
    pub version: i32,
    pub content: Json<ExerciseContent>,
    pub generator_version: i32,
    pub corrected_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Whose version this is: `None` for the shared catalogue, else the teacher's id.
    pub owner_id: Option<Uuid>,
}

// The catalogue's row as an `ExerciseRow` (no owner):
//   id, article_ids, kind AS "kind: ExerciseKind", status AS "status: ExerciseStatus", version,
//   content AS "content: Json<ExerciseContent>", generator_version, corrected_by, created_at,
//   updated_at, NULL::uuid AS owner_id
// The exercise as a viewer sees it (`e` the catalogue row, `t` the viewer's own version,
// left-joined): their own version where they have one, else the catalogue's. Both lists are
// spelled out in each query below: the query macros take literal SQL only.

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
    sqlx::query!(
        "WITH up AS (
           INSERT INTO exercises (id, article_ids, kind, status, version, content, generated, generator_version)
           VALUES ($1, $2, $3, $4, 1, $5, $5, $6)
           ON CONFLICT (id) DO UPDATE SET
             generated = EXCLUDED.generated,
             generator_version = EXCLUDED.generator_version,
             article_ids = EXCLUDED.article_ids,
             content = CASE WHEN exercises.corrected_by IS NULL THEN EXCLUDED.content ELSE exercises.content END,
             version = CASE WHEN exercises.corrected_by IS NULL AND exercises.content IS DISTINCT FROM EXCLUDED.content
                            THEN greatest(exercises.last_version, exercises.version) + 1 ELSE exercises.version END,
             last_version = CASE WHEN exercises.corrected_by IS NULL AND exercises.content IS DISTINCT FROM EXCLUDED.content
                            THEN greatest(exercises.last_version, exercises.version) + 1 ELSE exercises.last_version END,
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
        exercise.id,
        article_ids,
        exercise.kind as _,
        status_if_new as _,
        Json(&exercise.content) as _,
        generator_version,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The catalogue's version of an exercise.
pub async fn get(conn: impl PgExecutor<'_>, id: Uuid) -> Result<Option<ExerciseRow>, sqlx::Error> {
    sqlx::query_as!(
        ExerciseRow,
        r#"SELECT id, article_ids, kind AS "kind: ExerciseKind", status AS "status: ExerciseStatus", version,
                content AS "content: Json<ExerciseContent>", generator_version, corrected_by, created_at,
                updated_at, NULL::uuid AS owner_id
         FROM exercises WHERE id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// An exercise as `teacher` sees it (their own version if they made one); `None` for the
/// catalogue's.
pub async fn get_as(
    conn: impl PgExecutor<'_>,
    id: Uuid,
    teacher: Option<Uuid>,
) -> Result<Option<ExerciseRow>, sqlx::Error> {
    sqlx::query_as!(
        ExerciseRow,
        r#"SELECT e.id, e.article_ids, e.kind AS "kind: ExerciseKind",
                COALESCE(t.status, e.status) AS "status!: ExerciseStatus",
                COALESCE(t.version, e.version) AS "version!",
                COALESCE(t.content, e.content) AS "content!: Json<ExerciseContent>",
                e.generator_version,
                CASE WHEN t.teacher_id IS NULL THEN e.corrected_by ELSE t.teacher_id END AS corrected_by,
                e.created_at, COALESCE(t.updated_at, e.updated_at) AS "updated_at!", t.teacher_id AS "owner_id?"
         FROM exercises e
         LEFT JOIN teacher_exercises t ON t.exercise_id = e.id AND t.teacher_id = $2
         WHERE e.id = $1"#,
        id,
        teacher,
    )
    .fetch_optional(conn)
    .await
}

/// The exercises built from an article (alone or among others), in a stable order, as
/// `teacher` sees them (`None`: the catalogue), with a status among `statuses`.
pub async fn for_article(
    conn: impl PgExecutor<'_>,
    article_id: Uuid,
    statuses: &[ExerciseStatus],
    teacher: Option<Uuid>,
) -> Result<Vec<ExerciseRow>, sqlx::Error> {
    sqlx::query_as!(
        ExerciseRow,
        r#"SELECT e.id, e.article_ids, e.kind AS "kind: ExerciseKind",
                COALESCE(t.status, e.status) AS "status!: ExerciseStatus",
                COALESCE(t.version, e.version) AS "version!",
                COALESCE(t.content, e.content) AS "content!: Json<ExerciseContent>",
                e.generator_version,
                CASE WHEN t.teacher_id IS NULL THEN e.corrected_by ELSE t.teacher_id END AS corrected_by,
                e.created_at, COALESCE(t.updated_at, e.updated_at) AS "updated_at!", t.teacher_id AS "owner_id?"
         FROM exercises e
         LEFT JOIN teacher_exercises t ON t.exercise_id = e.id AND t.teacher_id = $3
         WHERE $1 = ANY(e.article_ids) AND COALESCE(t.status, e.status) = ANY($2)
         ORDER BY cardinality(e.article_ids), e.kind, e.created_at, e.id"#,
        article_id,
        statuses as _,
        teacher,
    )
    .fetch_all(conn)
    .await
}

/// A teacher's correction: a new version owned by `teacher`, which from now on is what they
/// see and what their classes are shown and graded against; the catalogue and every other
/// teacher's version stay as they are. Applies only if the teacher's current view is still at
/// `expected_version`; returns their new view, or `None` when it moved on.
pub async fn correct_own(
    conn: &mut PgConnection,
    id: Uuid,
    teacher: Uuid,
    expected_version: i32,
    content: &ExerciseContent,
    status: ExerciseStatus,
) -> Result<Option<ExerciseRow>, sqlx::Error> {
    // The catalogue row's lock orders every version allocation of this exercise.
    let current = sqlx::query_scalar!(
        r#"SELECT COALESCE(t.version, e.version) AS "version!" FROM exercises e
         LEFT JOIN teacher_exercises t ON t.exercise_id = e.id AND t.teacher_id = $2
         WHERE e.id = $1 FOR UPDATE OF e"#,
        id,
        teacher,
    )
    .fetch_optional(&mut *conn)
    .await?;
    if current != Some(expected_version) {
        return Ok(None);
    }
    let version = sqlx::query_scalar!(
        "UPDATE exercises SET last_version = greatest(last_version, version) + 1 WHERE id = $1
         RETURNING last_version",
        id
    )
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO exercise_versions (exercise_id, version, status, content, created_by, owner_id)
         VALUES ($1, $2, $3, $4, $5, $5)",
        id,
        version,
        status as _,
        Json(content) as _,
        teacher,
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO teacher_exercises (exercise_id, teacher_id, version, status, content)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (exercise_id, teacher_id) DO UPDATE
           SET version = EXCLUDED.version, status = EXCLUDED.status, content = EXCLUDED.content,
               updated_at = clock_timestamp()",
        id,
        teacher,
        version,
        status as _,
        Json(content) as _,
    )
    .execute(&mut *conn)
    .await?;
    get_as(&mut *conn, id, Some(teacher)).await
}

/// An admin's correction of the shared catalogue (teachers who made their own version keep
/// it). Applies only if the exercise is still at `expected_version`; returns the new row, or
/// `None` when the version moved on (or the exercise is gone).
pub async fn update(
    conn: &mut PgConnection,
    id: Uuid,
    expected_version: i32,
    content: &ExerciseContent,
    status: ExerciseStatus,
    teacher: Uuid,
) -> Result<Option<ExerciseRow>, sqlx::Error> {
    let row = sqlx::query_as!(
        ExerciseRow,
        r#"UPDATE exercises SET
           content = $3,
           status = $4,
           corrected_by = CASE WHEN content IS DISTINCT FROM $3 THEN $5 ELSE corrected_by END,
           version = greatest(last_version, version) + 1,
           last_version = greatest(last_version, version) + 1,
           updated_at = clock_timestamp()
         WHERE id = $1 AND version = $2
         RETURNING id, article_ids, kind AS "kind: ExerciseKind", status AS "status: ExerciseStatus", version,
                   content AS "content: Json<ExerciseContent>", generator_version, corrected_by, created_at,
                   updated_at, NULL::uuid AS owner_id"#,
        id,
        expected_version,
        Json(content) as _,
        status as _,
        teacher,
    )
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(row) = &row {
        sqlx::query!(
            "INSERT INTO exercise_versions (exercise_id, version, status, content, created_by)
             VALUES ($1, $2, $3, $4, $5)",
            row.id,
            row.version,
            row.status as _,
            &row.content as _,
            teacher,
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(row)
}

/// One stored version of an exercise: its number, kind and content.
#[derive(Debug, Clone)]
pub struct StoredVersion {
    pub version: i32,
    pub kind: ExerciseKind,
    pub content: Json<ExerciseContent>,
}

/// Version `version` of the exercise (the catalogue's or any teacher's).
pub async fn version(
    conn: impl PgExecutor<'_>,
    id: Uuid,
    version: i32,
) -> Result<Option<StoredVersion>, sqlx::Error> {
    sqlx::query_as!(
        StoredVersion,
        r#"SELECT v.version, e.kind AS "kind: ExerciseKind", v.content AS "content: Json<ExerciseContent>"
         FROM exercise_versions v JOIN exercises e ON e.id = v.exercise_id
         WHERE v.exercise_id = $1 AND v.version = $2"#,
        id,
        version,
    )
    .fetch_optional(conn)
    .await
}

/// The catalogue's current version of the exercise.
pub async fn catalogue_version(
    conn: impl PgExecutor<'_>,
    id: Uuid,
) -> Result<Option<StoredVersion>, sqlx::Error> {
    sqlx::query_as!(
        StoredVersion,
        r#"SELECT v.version, e.kind AS "kind: ExerciseKind", v.content AS "content: Json<ExerciseContent>"
         FROM exercises e
         JOIN exercise_versions v ON v.exercise_id = e.id AND v.version = e.version
         WHERE e.id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await
}
