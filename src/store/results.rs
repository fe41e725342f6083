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
    db: impl sqlx::PgExecutor<'_>,
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
    .fetch_optional(db)
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

/// An exercise column of a gradebook: which exercise, where, what kind.
#[derive(Debug, Clone)]
pub struct GradebookColumnRow {
    pub exercise_id: Uuid,
    pub position: i32,
    pub kind: ExerciseKind,
}

/// The exercises of an assignment in the teacher's order, without their content.
pub async fn gradebook_columns(
    db: impl sqlx::PgExecutor<'_>,
    assignment_id: Uuid,
) -> Result<Vec<GradebookColumnRow>, sqlx::Error> {
    sqlx::query_as!(
        GradebookColumnRow,
        r#"SELECT ae.exercise_id, ae.position, e.kind AS "kind: ExerciseKind"
         FROM assignment_exercises ae JOIN exercises e ON e.id = ae.exercise_id
         WHERE ae.assignment_id = $1 ORDER BY ae.position"#,
        assignment_id
    )
    .fetch_all(db)
    .await
}

/// One student of a gradebook with every attempt they made at the assignment, as parallel
/// arrays (one element per attempt, in no particular order; `None` for a student with no
/// attempt at all). The counting rule is applied to them in [`crate::results::counting`].
#[derive(Debug, Clone)]
pub struct GradebookStudent {
    pub id: Uuid,
    pub subject: String,
    pub display_name: Option<String>,
    pub exercise_ids: Option<Vec<Uuid>>,
    pub attempts: Option<Vec<i32>>,
    pub scores: Option<Vec<Option<f64>>>,
    /// `status = 'graded'` (the other status is `pending_review`).
    pub graded: Option<Vec<bool>>,
    pub late: Option<Vec<bool>>,
}

/// The whole gradebook in one statement (so one snapshot, and no transaction to open), one row
/// per student in roster order (subject, id): the students enrolled plus anyone who submitted
/// (a student removed from the class keeps their results). The attempts are read once, from
/// `submissions_attempt` alone (an index-only scan of the assignment's range: it carries
/// score, status and late), and gathered per student; no per-student probe, no per-cell
/// aggregate, and the sort is over students, not cells.
pub fn gradebook_students<'c>(
    conn: &'c mut PgConnection,
    assignment_id: Uuid,
    class_id: Uuid,
) -> futures_util::stream::BoxStream<'c, Result<GradebookStudent, sqlx::Error>> {
    sqlx::query_as!(
        GradebookStudent,
        r#"SELECT u.id, u.subject, u.display_name,
                a.exercise_ids AS "exercise_ids?: Vec<Uuid>", a.attempts AS "attempts?: Vec<i32>",
                a.scores AS "scores?: Vec<Option<f64>>", a.graded AS "graded?: Vec<bool>",
                a.late AS "late?: Vec<bool>"
         FROM (SELECT s.student_id, array_agg(s.exercise_id) AS exercise_ids,
                      array_agg(s.attempt) AS attempts, array_agg(s.score) AS scores,
                      array_agg(s.status = 'graded') AS graded, array_agg(s.late) AS late
               FROM submissions s WHERE s.assignment_id = $1
               GROUP BY s.student_id) a
         FULL JOIN (SELECT m.user_id FROM class_members m WHERE m.class_id = $2 AND m.role = 'student') r
                ON r.user_id = a.student_id
         JOIN users u ON u.id = coalesce(a.student_id, r.user_id)
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
