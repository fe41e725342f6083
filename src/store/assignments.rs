//! Assignments, their exercises and per-student extensions.

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use crate::classroom::{FeedbackPolicy, LatePolicy};
use crate::exercises::ScoringMode;
use crate::http::pagination::Cursor;
use crate::identity::Caller;
use crate::review::ExerciseStatus;

#[derive(Debug, Clone)]
pub struct AssignmentRow {
    pub id: Uuid,
    pub class_id: Uuid,
    pub title: String,
    pub opens_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub max_attempts: Option<i32>,
    pub scoring: ScoringMode,
    pub feedback: FeedbackPolicy,
    pub late_policy: LatePolicy,
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
    pub scoring: ScoringMode,
    pub feedback: FeedbackPolicy,
    pub late_policy: LatePolicy,
}

#[derive(Debug, Clone)]
pub struct ExtensionRow {
    pub student_id: Uuid,
    pub due_at: DateTime<Utc>,
}

// Every query returning an `AssignmentRow` lists its columns (the query macros take literal
// SQL only): the assignment's, the database's clock as `read_at`, and its exercise ids in order.

/// The status of each of `ids` that exists, as the class's `teacher` sees it (their own
/// version where they made one).
pub async fn exercise_statuses(
    pool: &PgPool,
    ids: &[Uuid],
    teacher: Uuid,
) -> Result<Vec<(Uuid, ExerciseStatus)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT e.id, COALESCE(t.status, e.status) AS "status!: ExerciseStatus" FROM exercises e
         LEFT JOIN teacher_exercises t ON t.exercise_id = e.id AND t.teacher_id = $2
         WHERE e.id = ANY($1)"#,
        ids,
        teacher,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.status)).collect())
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
    sqlx::query!(
        "INSERT INTO assignments (id, class_id, title, opens_at, due_at, max_attempts, scoring, feedback,
                                  late_policy, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        id,
        class_id,
        f.title,
        f.opens_at,
        f.due_at,
        f.max_attempts,
        f.scoring as _,
        f.feedback as _,
        f.late_policy as _,
        created_by,
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "INSERT INTO assignment_exercises (assignment_id, position, exercise_id)
         SELECT $1, t.pos, t.id FROM unnest($2::uuid[]) WITH ORDINALITY AS t(id, pos)",
        id,
        exercise_ids,
    )
    .execute(&mut *tx)
    .await?;
    let row = sqlx::query_as!(
        AssignmentRow,
        r#"SELECT a.id, a.class_id, a.title, a.opens_at, a.due_at, a.max_attempts,
                a.scoring AS "scoring: ScoringMode", a.feedback AS "feedback: FeedbackPolicy",
                a.late_policy AS "late_policy: LatePolicy", a.released_at, a.version, a.created_at, a.updated_at,
                now() AS "read_at!",
                ARRAY(SELECT e.exercise_id FROM assignment_exercises e WHERE e.assignment_id = a.id ORDER BY e.position)
                  AS "exercise_ids!"
         FROM assignments a WHERE a.id = $1"#,
        id
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(row)
}

/// The assignment, if its class is within the caller's reach.
pub async fn get_for(pool: &PgPool, caller: &Caller, id: Uuid) -> Result<Option<AssignmentRow>, sqlx::Error> {
    sqlx::query_as!(
        AssignmentRow,
        r#"SELECT a.id, a.class_id, a.title, a.opens_at, a.due_at, a.max_attempts,
                a.scoring AS "scoring: ScoringMode", a.feedback AS "feedback: FeedbackPolicy",
                a.late_policy AS "late_policy: LatePolicy", a.released_at, a.version, a.created_at, a.updated_at,
                now() AS "read_at!",
                ARRAY(SELECT e.exercise_id FROM assignment_exercises e WHERE e.assignment_id = a.id ORDER BY e.position)
                  AS "exercise_ids!"
         FROM assignments a
         WHERE a.id = $3 AND a.class_id IN (SELECT r FROM classes_in_reach($1, $2) r)"#,
        caller.id,
        caller.role as _,
        id,
    )
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
    sqlx::query_as!(
        AssignmentRow,
        r#"SELECT a.id, a.class_id, a.title, a.opens_at, a.due_at, a.max_attempts,
                a.scoring AS "scoring: ScoringMode", a.feedback AS "feedback: FeedbackPolicy",
                a.late_policy AS "late_policy: LatePolicy", a.released_at, a.version, a.created_at, a.updated_at,
                now() AS "read_at!",
                ARRAY(SELECT e.exercise_id FROM assignment_exercises e WHERE e.assignment_id = a.id ORDER BY e.position)
                  AS "exercise_ids!"
         FROM assignments a
         WHERE a.class_id = $1 AND ($2::timestamptz IS NULL OR (a.created_at, a.id) > ($2, $3))
         ORDER BY a.created_at, a.id LIMIT $4"#,
        class_id,
        after.map(|c| c.at),
        after.map(|c| c.id),
        limit,
    )
    .fetch_all(pool)
    .await
}

#[derive(Debug, Clone)]
pub struct StudentAssignmentRow {
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
    let rows = sqlx::query!(
        r#"SELECT a.id, a.class_id, a.title, a.opens_at, a.due_at, a.max_attempts,
                a.scoring AS "scoring: ScoringMode", a.feedback AS "feedback: FeedbackPolicy",
                a.late_policy AS "late_policy: LatePolicy", a.released_at, a.version, a.created_at, a.updated_at,
                now() AS "read_at!",
                ARRAY(SELECT e.exercise_id FROM assignment_exercises e WHERE e.assignment_id = a.id ORDER BY e.position)
                  AS "exercise_ids!",
            x.due_at AS "extended_due_at?",
            (SELECT count(DISTINCT s.exercise_id) FROM submissions s
              WHERE s.assignment_id = a.id AND s.student_id = $1) AS "answered!",
            EXISTS (SELECT 1 FROM submissions s
              WHERE s.assignment_id = a.id AND s.student_id = $1 AND s.late) AS "any_late!"
         FROM class_members m
         JOIN assignments a ON a.class_id = m.class_id
         LEFT JOIN assignment_extensions x ON x.assignment_id = a.id AND x.student_id = $1
         WHERE m.user_id = $1 AND m.role = 'student'
           AND ($2::timestamptz IS NULL OR (a.created_at, a.id) > ($2, $3))
         ORDER BY a.created_at, a.id LIMIT $4"#,
        student_id,
        after.map(|c| c.at),
        after.map(|c| c.id),
        limit,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| StudentAssignmentRow {
            assignment: AssignmentRow {
                id: r.id,
                class_id: r.class_id,
                title: r.title,
                opens_at: r.opens_at,
                due_at: r.due_at,
                max_attempts: r.max_attempts,
                scoring: r.scoring,
                feedback: r.feedback,
                late_policy: r.late_policy,
                released_at: r.released_at,
                version: r.version,
                created_at: r.created_at,
                updated_at: r.updated_at,
                read_at: r.read_at,
                exercise_ids: r.exercise_ids,
            },
            extended_due_at: r.extended_due_at,
            answered: r.answered,
            any_late: r.any_late,
        })
        .collect())
}

/// The extensions of an assignment; only `student`'s when given.
pub async fn extensions(
    pool: &PgPool,
    assignment_id: Uuid,
    student: Option<Uuid>,
) -> Result<Vec<ExtensionRow>, sqlx::Error> {
    sqlx::query_as!(
        ExtensionRow,
        "SELECT student_id, due_at FROM assignment_extensions
         WHERE assignment_id = $1 AND ($2::uuid IS NULL OR student_id = $2)
         ORDER BY created_at, student_id",
        assignment_id,
        student,
    )
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
    sqlx::query_as!(
        AssignmentRow,
        r#"UPDATE assignments a SET title = $3, opens_at = $4, due_at = $5, max_attempts = $6, scoring = $7,
            feedback = $8, late_policy = $9, version = a.version + 1, updated_at = clock_timestamp()
         WHERE a.id = $1 AND a.version = $2
         RETURNING a.id, a.class_id, a.title, a.opens_at, a.due_at, a.max_attempts,
                a.scoring AS "scoring: ScoringMode", a.feedback AS "feedback: FeedbackPolicy",
                a.late_policy AS "late_policy: LatePolicy", a.released_at, a.version, a.created_at, a.updated_at,
                now() AS "read_at!",
                ARRAY(SELECT e.exercise_id FROM assignment_exercises e WHERE e.assignment_id = a.id ORDER BY e.position)
                  AS "exercise_ids!""#,
        id,
        expected,
        f.title,
        f.opens_at,
        f.due_at,
        f.max_attempts,
        f.scoring as _,
        f.feedback as _,
        f.late_policy as _,
    )
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
    let row = sqlx::query_as!(
        AssignmentRow,
        r#"UPDATE assignments a SET version = a.version + 1, updated_at = clock_timestamp()
         WHERE a.id = $1 AND a.version = $2
         RETURNING a.id, a.class_id, a.title, a.opens_at, a.due_at, a.max_attempts,
                a.scoring AS "scoring: ScoringMode", a.feedback AS "feedback: FeedbackPolicy",
                a.late_policy AS "late_policy: LatePolicy", a.released_at, a.version, a.created_at, a.updated_at,
                now() AS "read_at!",
                ARRAY(SELECT e.exercise_id FROM assignment_exercises e WHERE e.assignment_id = a.id ORDER BY e.position)
                  AS "exercise_ids!""#,
        id,
        expected,
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let created = sqlx::query_scalar!(
        r#"INSERT INTO assignment_extensions (assignment_id, student_id, due_at, granted_by)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (assignment_id, student_id) DO UPDATE
           SET due_at = EXCLUDED.due_at, granted_by = EXCLUDED.granted_by, updated_at = clock_timestamp()
         RETURNING (xmax = 0) AS "created!""#,
        id,
        student_id,
        due_at,
        granted_by,
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some((row, created)))
}

/// What the assignment view needs, if the caller may reach the assignment: when it opens and
/// its exercises' current versions, in order. One statement: reach, dates and versions.
#[derive(Debug, Clone)]
pub struct ViewRow {
    pub opens_at: DateTime<Utc>,
    /// The database's clock at the read.
    pub read_at: DateTime<Utc>,
    pub exercise_ids: Vec<Uuid>,
    pub versions: Vec<i32>,
}

pub async fn view_for(pool: &PgPool, caller: &Caller, id: Uuid) -> Result<Option<ViewRow>, sqlx::Error> {
    sqlx::query_as!(
        ViewRow,
        r#"SELECT a.opens_at, now() AS "read_at!", COALESCE(l.exercise_ids, '{}') AS "exercise_ids!",
                COALESCE(l.versions, '{}') AS "versions!"
         FROM assignments a JOIN classes c ON c.id = a.class_id
         CROSS JOIN LATERAL (
             SELECT array_agg(e.exercise_id ORDER BY e.position) AS exercise_ids,
                    array_agg(COALESCE(te.version, x.version) ORDER BY e.position) AS versions
             FROM assignment_exercises e JOIN exercises x ON x.id = e.exercise_id
             LEFT JOIN teacher_exercises te ON te.exercise_id = e.exercise_id AND te.teacher_id = c.teacher_id
             WHERE e.assignment_id = a.id) l
         WHERE a.id = $3 AND c.id IN (SELECT r FROM classes_in_reach($1, $2) r)"#,
        caller.id,
        caller.role as _,
        id,
    )
    .fetch_optional(pool)
    .await
}
