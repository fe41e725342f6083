//! Assignments, their exercises and per-student extensions.

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use crate::http::pagination::Cursor;
use crate::identity::Caller;
use crate::store::classes::REACH;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AssignmentRow {
    pub id: Uuid,
    pub class_id: Uuid,
    pub title: String,
    pub opens_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub max_attempts: Option<i32>,
    pub scoring: String,
    pub feedback: String,
    pub late_policy: String,
    pub released_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The database's clock when the row was read: the one clock every instance shares, for
    /// "open yet?" and "late?".
    pub read_at: DateTime<Utc>,
    pub exercise_ids: Vec<Uuid>,
}

/// The writable fields of an assignment.
#[derive(Debug, Clone)]
pub struct AssignmentFields {
    pub title: String,
    pub opens_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub max_attempts: Option<i32>,
    pub scoring: &'static str,
    pub feedback: &'static str,
    pub late_policy: &'static str,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExtensionRow {
    pub student_id: Uuid,
    pub due_at: DateTime<Utc>,
}

const COLUMNS: &str =
    "a.id, a.class_id, a.title, a.opens_at, a.due_at, a.max_attempts, a.scoring, a.feedback,
    a.late_policy, a.released_at, a.version, a.created_at, a.updated_at, now() AS read_at,
    ARRAY(SELECT e.exercise_id FROM assignment_exercises e WHERE e.assignment_id = a.id ORDER BY e.position)
      AS exercise_ids";

/// The status of each of `ids` that exists, as the class's `teacher` sees it (their own
/// version where they made one).
pub async fn exercise_statuses(
    pool: &PgPool,
    ids: &[Uuid],
    teacher: Uuid,
) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT e.id, COALESCE(t.status, e.status) FROM exercises e
         LEFT JOIN teacher_exercises t ON t.exercise_id = e.id AND t.teacher_id = $2
         WHERE e.id = ANY($1)",
    )
    .bind(ids)
    .bind(teacher)
    .fetch_all(pool)
    .await
}

pub async fn create(
    pool: &PgPool,
    id: Uuid,
    class_id: Uuid,
    created_by: Uuid,
    f: &AssignmentFields,
    exercise_ids: &[Uuid],
) -> Result<AssignmentRow, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO assignments (id, class_id, title, opens_at, due_at, max_attempts, scoring, feedback,
                                  late_policy, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(id)
    .bind(class_id)
    .bind(&f.title)
    .bind(f.opens_at)
    .bind(f.due_at)
    .bind(f.max_attempts)
    .bind(f.scoring)
    .bind(f.feedback)
    .bind(f.late_policy)
    .bind(created_by)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO assignment_exercises (assignment_id, position, exercise_id)
         SELECT $1, t.pos, t.id FROM unnest($2::uuid[]) WITH ORDINALITY AS t(id, pos)",
    )
    .bind(id)
    .bind(exercise_ids)
    .execute(&mut *tx)
    .await?;
    let row = sqlx::query_as(&format!("SELECT {COLUMNS} FROM assignments a WHERE a.id = $1"))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(row)
}

/// The assignment, if its class is within the caller's reach.
pub async fn get_for(pool: &PgPool, caller: &Caller, id: Uuid) -> Result<Option<AssignmentRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM assignments a JOIN classes c ON c.id = a.class_id
         WHERE a.id = $3 AND {REACH}"
    );
    sqlx::query_as(&sql)
        .bind(caller.id)
        .bind(caller.role.as_str())
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// One page of a class's assignments, oldest first.
pub async fn list_for_class(
    pool: &PgPool,
    class_id: Uuid,
    after: Option<Cursor>,
    limit: i64,
) -> Result<Vec<AssignmentRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM assignments a
         WHERE a.class_id = $1 AND ($2::timestamptz IS NULL OR (a.created_at, a.id) > ($2, $3))
         ORDER BY a.created_at, a.id LIMIT $4"
    ))
    .bind(class_id)
    .bind(after.map(|c| c.at))
    .bind(after.map(|c| c.id))
    .bind(limit)
    .fetch_all(pool)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StudentAssignmentRow {
    #[sqlx(flatten)]
    pub assignment: AssignmentRow,
    /// The student's extension, if any.
    pub extended_due_at: Option<DateTime<Utc>>,
    /// Distinct exercises the student has answered.
    pub answered: i64,
    pub any_late: bool,
}

/// One page of the assignments of every class the student is enrolled in, with their progress.
pub async fn list_for_student(
    pool: &PgPool,
    student_id: Uuid,
    after: Option<Cursor>,
    limit: i64,
) -> Result<Vec<StudentAssignmentRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS},
            x.due_at AS extended_due_at,
            (SELECT count(DISTINCT s.exercise_id) FROM submissions s
              WHERE s.assignment_id = a.id AND s.student_id = $1) AS answered,
            EXISTS (SELECT 1 FROM submissions s
              WHERE s.assignment_id = a.id AND s.student_id = $1 AND s.late) AS any_late
         FROM class_members m
         JOIN assignments a ON a.class_id = m.class_id
         LEFT JOIN assignment_extensions x ON x.assignment_id = a.id AND x.student_id = $1
         WHERE m.user_id = $1 AND m.role = 'student'
           AND ($2::timestamptz IS NULL OR (a.created_at, a.id) > ($2, $3))
         ORDER BY a.created_at, a.id LIMIT $4"
    ))
    .bind(student_id)
    .bind(after.map(|c| c.at))
    .bind(after.map(|c| c.id))
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// The extensions of an assignment; only `student`'s when given.
pub async fn extensions(
    pool: &PgPool,
    assignment_id: Uuid,
    student: Option<Uuid>,
) -> Result<Vec<ExtensionRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT student_id, due_at FROM assignment_extensions
         WHERE assignment_id = $1 AND ($2::uuid IS NULL OR student_id = $2)
         ORDER BY created_at, student_id",
    )
    .bind(assignment_id)
    .bind(student)
    .fetch_all(pool)
    .await
}

/// Replaces the writable fields if the stored version is still `expected`; `None` when it is not.
pub async fn update(
    pool: &PgPool,
    id: Uuid,
    expected: i32,
    f: &AssignmentFields,
) -> Result<Option<AssignmentRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "UPDATE assignments a SET title = $3, opens_at = $4, due_at = $5, max_attempts = $6, scoring = $7,
            feedback = $8, late_policy = $9, version = a.version + 1, updated_at = clock_timestamp()
         WHERE a.id = $1 AND a.version = $2
         RETURNING {COLUMNS}"
    ))
    .bind(id)
    .bind(expected)
    .bind(&f.title)
    .bind(f.opens_at)
    .bind(f.due_at)
    .bind(f.max_attempts)
    .bind(f.scoring)
    .bind(f.feedback)
    .bind(f.late_policy)
    .fetch_optional(pool)
    .await
}

/// Sets a student's due time if the assignment's version is still `expected` (bumping it);
/// `None` when it is not. The bool is true when the extension is new.
pub async fn put_extension(
    pool: &PgPool,
    id: Uuid,
    expected: i32,
    student_id: Uuid,
    due_at: DateTime<Utc>,
    granted_by: Uuid,
) -> Result<Option<(AssignmentRow, bool)>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let row: Option<AssignmentRow> = sqlx::query_as(&format!(
        "UPDATE assignments a SET version = a.version + 1, updated_at = clock_timestamp()
         WHERE a.id = $1 AND a.version = $2
         RETURNING {COLUMNS}"
    ))
    .bind(id)
    .bind(expected)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let created: bool = sqlx::query_scalar(
        "INSERT INTO assignment_extensions (assignment_id, student_id, due_at, granted_by)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (assignment_id, student_id) DO UPDATE
           SET due_at = EXCLUDED.due_at, granted_by = EXCLUDED.granted_by, updated_at = clock_timestamp()
         RETURNING (xmax = 0)",
    )
    .bind(id)
    .bind(student_id)
    .bind(due_at)
    .bind(granted_by)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some((row, created)))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AssignmentExerciseRow {
    pub id: Uuid,
    pub kind: String,
    pub version: i32,
    pub content: serde_json::Value,
}

/// The current version of each exercise of the assignment as its class's teacher has it (their
/// own version where they made one), in the assignment's order.
pub async fn exercises(
    pool: &PgPool,
    assignment_id: Uuid,
) -> Result<Vec<AssignmentExerciseRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT x.id, x.kind, COALESCE(t.version, x.version) AS version, COALESCE(t.content, x.content) AS content
         FROM assignment_exercises e JOIN exercises x ON x.id = e.exercise_id
         JOIN assignments a ON a.id = e.assignment_id JOIN classes c ON c.id = a.class_id
         LEFT JOIN teacher_exercises t ON t.exercise_id = x.id AND t.teacher_id = c.teacher_id
         WHERE e.assignment_id = $1 ORDER BY e.position",
    )
    .bind(assignment_id)
    .fetch_all(pool)
    .await
}

/// What the assignment view needs, if the caller may reach the assignment: when it opens and
/// its exercises' current versions, in order. One statement: reach, dates and versions.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ViewRow {
    pub opens_at: DateTime<Utc>,
    /// The database's clock at the read.
    pub read_at: DateTime<Utc>,
    pub exercise_ids: Vec<Uuid>,
    pub versions: Vec<i32>,
}

pub async fn view_for(pool: &PgPool, caller: &Caller, id: Uuid) -> Result<Option<ViewRow>, sqlx::Error> {
    let sql = format!(
        "SELECT a.opens_at, now() AS read_at, COALESCE(l.exercise_ids, '{{}}') AS exercise_ids, COALESCE(l.versions, '{{}}') AS versions
         FROM assignments a JOIN classes c ON c.id = a.class_id
         CROSS JOIN LATERAL (
             SELECT array_agg(e.exercise_id ORDER BY e.position) AS exercise_ids,
                    array_agg(COALESCE(te.version, x.version) ORDER BY e.position) AS versions
             FROM assignment_exercises e JOIN exercises x ON x.id = e.exercise_id
             LEFT JOIN teacher_exercises te ON te.exercise_id = e.exercise_id AND te.teacher_id = c.teacher_id
             WHERE e.assignment_id = a.id) l
         WHERE a.id = $3 AND {REACH}"
    );
    sqlx::query_as(&sql)
        .bind(caller.id)
        .bind(caller.role.as_str())
        .bind(id)
        .fetch_optional(pool)
        .await
}
