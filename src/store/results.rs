//! SQL of the results side: the assignments a member of staff may reach, gradebook cells,
//! incremental submission pulls, manual grades with their history, release and regrade.

use chrono::{DateTime, Utc};
use sqlx::types::Json;
use sqlx::{PgConnection, PgPool, Postgres, Transaction};
use uuid::Uuid;

use crate::classroom::{FeedbackPolicy, GradeChangeReason, SubmissionStatus};
use crate::exercises::{Answer, ExerciseContent, ExerciseKind, ScoringMode};
use crate::identity::Caller;

// Results are staff's: every query below limits itself to the classes in the caller's staff
// reach (`classes_in_staff_reach`, a function in the schema: admins all classes, teachers
// their own, graders the classes they are assigned to, students none).

#[derive(Debug, Clone)]
pub struct ResultsAssignmentRow {
    pub id: Uuid,
    pub class_id: Uuid,
    pub title: String,
    pub due_at: DateTime<Utc>,
    pub scoring: ScoringMode,
    pub feedback: FeedbackPolicy,
    pub released_at: Option<DateTime<Utc>>,
}

/// The assignment, if the caller may see its results.
pub async fn assignment(
    pool: &PgPool,
    caller: &Caller,
    id: Uuid,
) -> Result<Option<ResultsAssignmentRow>, sqlx::Error> {
    sqlx::query_as!(
        ResultsAssignmentRow,
        r#"SELECT a.id, a.class_id, a.title, a.due_at, a.scoring AS "scoring: ScoringMode",
                a.feedback AS "feedback: FeedbackPolicy", a.released_at
         FROM assignments a
         WHERE a.id = $3 AND a.class_id IN (SELECT r FROM classes_in_staff_reach($1, $2) r)"#,
        caller.id,
        caller.role as _,
        id,
    )
    .fetch_optional(pool)
    .await
}

#[derive(Debug, Clone)]
pub struct AssignedExercise {
    pub exercise_id: Uuid,
    pub position: i32,
    pub kind: ExerciseKind,
    pub version: i32,
    pub content: Json<ExerciseContent>,
}

/// The exercises of an assignment in the teacher's order, with the content the class's teacher
/// has now (their own version where they made one).
pub async fn assignment_exercises(
    pool: &PgPool,
    assignment_id: Uuid,
) -> Result<Vec<AssignedExercise>, sqlx::Error> {
    sqlx::query_as!(
        AssignedExercise,
        r#"SELECT ae.exercise_id, ae.position, e.kind AS "kind: ExerciseKind",
                COALESCE(t.version, e.version) AS "version!",
                COALESCE(t.content, e.content) AS "content!: Json<ExerciseContent>"
         FROM assignment_exercises ae JOIN exercises e ON e.id = ae.exercise_id
         JOIN assignments a ON a.id = ae.assignment_id JOIN classes c ON c.id = a.class_id
         LEFT JOIN teacher_exercises t ON t.exercise_id = e.id AND t.teacher_id = c.teacher_id
         WHERE ae.assignment_id = $1 ORDER BY ae.position"#,
        assignment_id
    )
    .fetch_all(pool)
    .await
}

/// A student listed in a gradebook.
#[derive(Debug, Clone)]
pub struct RosterRow {
    pub id: Uuid,
    pub subject: String,
    pub display_name: Option<String>,
}

/// One (student, exercise) cell of a gradebook, for an exercise the student attempted.
#[derive(Debug, Clone)]
pub struct GradebookCell {
    pub student_id: Uuid,
    pub exercise_id: Uuid,
    /// The counted attempt's score (the best graded one); None when no attempt is graded yet.
    pub best_score: Option<f64>,
    pub attempts: i64,
    pub pending: i64,
    /// Whether the counted (best) attempt was late.
    pub counted_late: Option<bool>,
    pub any_late: bool,
}

/// An exercise column of a gradebook: which exercise, where, what kind.
#[derive(Debug, Clone)]
pub struct GradebookColumnRow {
    pub exercise_id: Uuid,
    pub position: i32,
    pub kind: ExerciseKind,
}

/// The exercises of an assignment in the teacher's order, without their content.
pub async fn gradebook_columns(
    pool: &PgPool,
    assignment_id: Uuid,
) -> Result<Vec<GradebookColumnRow>, sqlx::Error> {
    sqlx::query_as!(
        GradebookColumnRow,
        r#"SELECT ae.exercise_id, ae.position, e.kind AS "kind: ExerciseKind"
         FROM assignment_exercises ae JOIN exercises e ON e.id = ae.exercise_id
         WHERE ae.assignment_id = $1 ORDER BY ae.position"#,
        assignment_id
    )
    .fetch_all(pool)
    .await
}

/// One line of a gradebook: a student and one exercise they attempted (the cell fields are
/// `None` for a student with no attempt at all), in roster order (subject, id).
#[derive(Debug, Clone)]
pub struct GradebookLine {
    pub id: Uuid,
    pub subject: String,
    pub display_name: Option<String>,
    pub exercise_id: Option<Uuid>,
    pub best_score: Option<f64>,
    pub attempts: Option<i64>,
    pub pending: Option<i64>,
    pub counted_late: Option<bool>,
    pub any_late: Option<bool>,
}

/// The whole gradebook in one statement (so one snapshot, and no transaction to open): the
/// students enrolled plus anyone who submitted (a student removed from the class keeps their
/// results), each with the cells they attempted, read from `submissions_attempt` alone (it
/// carries score, status and late). Rows arrive as PostgreSQL produces them.
pub fn gradebook_lines<'c>(
    conn: &'c mut PgConnection,
    assignment_id: Uuid,
    class_id: Uuid,
) -> futures_util::stream::BoxStream<'c, Result<GradebookLine, sqlx::Error>> {
    sqlx::query_as!(
        GradebookLine,
        r#"SELECT u.id, u.subject, u.display_name, c.exercise_id AS "exercise_id?",
                CASE WHEN c.counted[1] = 1 THEN c.counted[2] END AS best_score,
                c.attempts AS "attempts?", c.pending AS "pending?",
                CASE WHEN c.counted[1] = 1 THEN c.counted[4] = 1 END AS counted_late,
                c.any_late AS "any_late?"
         FROM users u
         LEFT JOIN LATERAL (
             SELECT s.exercise_id,
                    -- The counted attempt's key (graded?, score, -attempt) and its late flag:
                    -- the greatest of the cell, so no sort per cell.
                    max(counting_key(s.status, s.score, s.attempt) || s.late::int::double precision) AS counted,
                    count(*) AS attempts,
                    count(*) FILTER (WHERE s.status = 'pending_review') AS pending,
                    bool_or(s.late) AS any_late
             FROM submissions s
             WHERE s.assignment_id = $1 AND s.student_id = u.id
             GROUP BY s.exercise_id) c ON true
         WHERE u.id IN (SELECT user_id FROM class_members WHERE class_id = $2 AND role = 'student')
            OR u.id IN (SELECT student_id FROM submissions WHERE assignment_id = $1)
         ORDER BY u.subject, u.id"#,
        assignment_id,
        class_id,
    )
    .fetch(conn)
}

/// A submission as graders see it.
#[derive(Debug, Clone)]
pub struct StaffSubmissionRow {
    pub id: Uuid,
    pub assignment_id: Uuid,
    pub class_id: Uuid,
    pub exercise_id: Uuid,
    pub exercise_version: i32,
    pub student_id: Uuid,
    pub attempt: i32,
    pub answer: Json<Answer>,
    pub score: Option<f64>,
    pub max_score: f64,
    pub status: SubmissionStatus,
    pub late: bool,
    pub submitted_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub grade_version: i32,
    pub graded_by: Option<Uuid>,
    pub grade_comment: Option<String>,
}

// Every query returning a `StaffSubmissionRow` lists the same columns of `submissions s` and
// `assignments a` (the query macros take literal SQL only).

/// One submission within the caller's reach, locked for update when `tx` is a transaction.
pub async fn submission_for_update(
    tx: &mut Transaction<'_, Postgres>,
    caller: &Caller,
    id: Uuid,
) -> Result<Option<StaffSubmissionRow>, sqlx::Error> {
    sqlx::query_as!(
        StaffSubmissionRow,
        r#"SELECT s.id, s.assignment_id, a.class_id, s.exercise_id, s.exercise_version, s.student_id,
                s.attempt, s.answer AS "answer: Json<Answer>", s.score, s.max_score,
                s.status AS "status: SubmissionStatus", s.late, s.submitted_at, s.updated_at,
                s.grade_version, s.graded_by, s.grade_comment
         FROM submissions s JOIN assignments a ON a.id = s.assignment_id
         WHERE s.id = $3 AND a.class_id IN (SELECT r FROM classes_in_staff_reach($1, $2) r)
         FOR UPDATE OF s"#,
        caller.id,
        caller.role as _,
        id,
    )
    .fetch_optional(&mut **tx)
    .await
}

/// One submission within the caller's reach.
pub async fn submission(
    pool: &PgPool,
    caller: &Caller,
    id: Uuid,
) -> Result<Option<StaffSubmissionRow>, sqlx::Error> {
    sqlx::query_as!(
        StaffSubmissionRow,
        r#"SELECT s.id, s.assignment_id, a.class_id, s.exercise_id, s.exercise_version, s.student_id,
                s.attempt, s.answer AS "answer: Json<Answer>", s.score, s.max_score,
                s.status AS "status: SubmissionStatus", s.late, s.submitted_at, s.updated_at,
                s.grade_version, s.graded_by, s.grade_comment
         FROM submissions s JOIN assignments a ON a.id = s.assignment_id
         WHERE s.id = $3 AND a.class_id IN (SELECT r FROM classes_in_staff_reach($1, $2) r)"#,
        caller.id,
        caller.role as _,
        id,
    )
    .fetch_optional(pool)
    .await
}

/// What a grade change records.
#[derive(Debug, Clone)]
pub struct GradeChange<'a> {
    pub submission_id: Uuid,
    pub changed_by: Uuid,
    pub reason: GradeChangeReason,
    pub old_score: Option<f64>,
    pub new_score: Option<f64>,
    pub old_status: SubmissionStatus,
    pub new_status: SubmissionStatus,
    pub comment: Option<&'a str>,
    pub exercise_version: Option<i32>,
}

/// Sets a submission's score, bumps its grade version and records the change in the history,
/// inside `tx`. `manual` marks the score as set by a person (regrades leave those alone).
pub async fn set_grade(
    tx: &mut Transaction<'_, Postgres>,
    change: &GradeChange<'_>,
    manual: bool,
) -> Result<StaffSubmissionRow, sqlx::Error> {
    sqlx::query!(
        "UPDATE submissions SET score = $2, status = $3, grade_version = grade_version + 1,
                graded_by = CASE WHEN $4 THEN $5 ELSE graded_by END,
                grade_comment = CASE WHEN $4 THEN $6 ELSE grade_comment END
         WHERE id = $1",
        change.submission_id,
        change.new_score,
        change.new_status as _,
        manual,
        change.changed_by,
        change.comment,
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query!(
        "INSERT INTO grade_history (id, submission_id, changed_by, reason, old_score, new_score,
                                    old_status, new_status, comment, exercise_version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        Uuid::now_v7(),
        change.submission_id,
        change.changed_by,
        change.reason as _,
        change.old_score,
        change.new_score,
        change.old_status as _,
        change.new_status as _,
        change.comment,
        change.exercise_version,
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query_as!(
        StaffSubmissionRow,
        r#"SELECT s.id, s.assignment_id, a.class_id, s.exercise_id, s.exercise_version, s.student_id,
                s.attempt, s.answer AS "answer: Json<Answer>", s.score, s.max_score,
                s.status AS "status: SubmissionStatus", s.late, s.submitted_at, s.updated_at,
                s.grade_version, s.graded_by, s.grade_comment
         FROM submissions s JOIN assignments a ON a.id = s.assignment_id
         WHERE s.id = $1"#,
        change.submission_id
    )
    .fetch_one(&mut **tx)
    .await
}

#[derive(Debug, Clone)]
pub struct HistoryRow {
    pub id: Uuid,
    pub changed_by: Uuid,
    pub changed_by_subject: String,
    pub changed_at: DateTime<Utc>,
    pub reason: GradeChangeReason,
    pub old_score: Option<f64>,
    pub new_score: Option<f64>,
    pub old_status: SubmissionStatus,
    pub new_status: SubmissionStatus,
    pub comment: Option<String>,
    pub exercise_version: Option<i32>,
}

/// Every grade change of a submission, oldest first.
pub async fn history(pool: &PgPool, submission_id: Uuid) -> Result<Vec<HistoryRow>, sqlx::Error> {
    sqlx::query_as!(
        HistoryRow,
        r#"SELECT h.id, h.changed_by, u.subject AS changed_by_subject, h.changed_at,
                h.reason AS "reason: GradeChangeReason", h.old_score, h.new_score,
                h.old_status AS "old_status: SubmissionStatus", h.new_status AS "new_status: SubmissionStatus",
                h.comment, h.exercise_version
         FROM grade_history h JOIN users u ON u.id = h.changed_by
         WHERE h.submission_id = $1 ORDER BY h.changed_at, h.id"#,
        submission_id
    )
    .fetch_all(pool)
    .await
}

/// Releases feedback: sets `released_at` once (a second release keeps the first time).
pub async fn release(pool: &PgPool, assignment_id: Uuid) -> Result<DateTime<Utc>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"UPDATE assignments SET released_at = coalesce(released_at, clock_timestamp()),
                version = version + CASE WHEN released_at IS NULL THEN 1 ELSE 0 END,
                updated_at = CASE WHEN released_at IS NULL THEN clock_timestamp() ELSE updated_at END
         WHERE id = $1 RETURNING released_at AS "released_at!""#,
        assignment_id
    )
    .fetch_one(pool)
    .await
}

/// A machine-graded submission a regrade may rescore, with its assignment's scoring.
#[derive(Debug, Clone)]
pub struct RegradeCandidate {
    pub id: Uuid,
    pub assignment_id: Uuid,
    pub student_id: Uuid,
    pub answer: Json<Answer>,
    pub score: Option<f64>,
    pub status: SubmissionStatus,
    pub scoring: ScoringMode,
    /// The key the submission's class goes by now: its teacher's own version, else the
    /// catalogue's.
    pub key_version: i32,
    pub key: Json<ExerciseContent>,
}

/// The graded submissions of an exercise within the caller's reach that no person has
/// graded by hand (a person's grade wins over a regrade), locked when `tx` is used to apply.
pub async fn regrade_candidates(
    tx: &mut Transaction<'_, Postgres>,
    caller: &Caller,
    exercise_id: Uuid,
) -> Result<Vec<RegradeCandidate>, sqlx::Error> {
    sqlx::query_as!(
        RegradeCandidate,
        r#"SELECT s.id, s.assignment_id, s.student_id, s.answer AS "answer: Json<Answer>", s.score,
                s.status AS "status: SubmissionStatus", a.scoring AS "scoring: ScoringMode",
                COALESCE(t.version, e.version) AS "key_version!",
                COALESCE(t.content, e.content) AS "key!: Json<ExerciseContent>"
         FROM submissions s JOIN assignments a ON a.id = s.assignment_id JOIN classes c ON c.id = a.class_id
         JOIN exercises e ON e.id = s.exercise_id
         LEFT JOIN teacher_exercises t ON t.exercise_id = e.id AND t.teacher_id = c.teacher_id
         WHERE s.exercise_id = $3 AND s.status = 'graded' AND s.graded_by IS NULL
           AND a.class_id IN (SELECT r FROM classes_in_staff_reach($1, $2) r)
         ORDER BY s.assignment_id, s.student_id, s.attempt
         FOR UPDATE OF s"#,
        caller.id,
        caller.role as _,
        exercise_id,
    )
    .fetch_all(&mut **tx)
    .await
}

/// One student's counted answer to one exercise, for item analysis.
#[derive(Debug, Clone)]
pub struct CountedAnswer {
    pub student_id: Uuid,
    pub exercise_id: Uuid,
    pub answer: Json<Answer>,
    pub score: Option<f64>,
}

/// Per student and exercise the counted attempt, by the gradebook's rule (`counting_key` in the
/// migrations): the best graded one (ties: the earliest), else the earliest awaiting review.
pub async fn counted_answers(pool: &PgPool, assignment_id: Uuid) -> Result<Vec<CountedAnswer>, sqlx::Error> {
    sqlx::query_as!(
        CountedAnswer,
        r#"SELECT DISTINCT ON (student_id, exercise_id) student_id, exercise_id, answer AS "answer: Json<Answer>", score
         FROM submissions WHERE assignment_id = $1
         ORDER BY student_id, exercise_id, counting_key(status, score, attempt) DESC"#,
        assignment_id
    )
    .fetch_all(pool)
    .await
}
