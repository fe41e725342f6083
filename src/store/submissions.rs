//! Students' answers. The write path is one statement ([`submit`]): the rules' inputs, an
//! earlier answer under the same idempotency key, and the INSERT … ON CONFLICT that stores the
//! answer only when every rule holds (its own transaction): a 2xx is a commit.

use chrono::{DateTime, Utc};
use sqlx::types::Json;
use sqlx::PgPool;
use uuid::Uuid;

use crate::classroom::{FeedbackPolicy, LatePolicy, SubmissionStatus};
use crate::exercises::{Answer, ExerciseContent, ScoringMode};
use crate::http::pagination::Cursor;
use crate::identity::Caller;

/// An answer the service has graded against `exercise_version` under either scoring mode;
/// the statement stores it only if that is still the exercise's current version.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub id: Uuid,
    pub assignment_id: Uuid,
    pub exercise_id: Uuid,
    /// The version graded against; `None` stores nothing (only the context is read).
    pub exercise_version: Option<i32>,
    pub student_id: Uuid,
    pub answer: Answer,
    pub score_partial: Option<f64>,
    pub score_all_or_nothing: Option<f64>,
    pub max_score: f64,
    pub status: SubmissionStatus,
    pub idempotency_key: String,
    pub request_hash: String,
}

/// What [`submit`] saw and did. `None` from it: the assignment is not within the student's
/// reach.
#[derive(Debug, Clone)]
pub struct Submitted {
    pub opens_at: DateTime<Utc>,
    /// The student's due time (with their extension).
    pub due_at: DateTime<Utc>,
    pub max_attempts: Option<i32>,
    pub scoring: ScoringMode,
    pub feedback: FeedbackPolicy,
    pub late_policy: LatePolicy,
    pub released_at: Option<DateTime<Utc>>,
    /// The exercise's current version; `None` when it is not part of the assignment.
    pub current_version: Option<i32>,
    pub attempts_used: i64,
    /// The database's clock for this statement: the answer's `submitted_at`.
    pub now: DateTime<Utc>,
    /// Set when this statement stored the answer.
    pub stored_attempt: Option<i32>,
    pub stored_late: Option<bool>,
    pub stored_feedback_shown: Option<bool>,
    /// An earlier answer under the same idempotency key, if any.
    pub prior_id: Option<Uuid>,
    pub prior_hash: Option<String>,
}

/// Checks the rules and stores the answer in one statement. Stored only if the student is a
/// member of the class, the exercise is part of the assignment at `exercise_version`, no
/// answer holds the key yet, the assignment is open, attempts remain and the answer is not
/// past due under a `reject` policy — the same rules as `classroom::check_submission`, which
/// the caller applies to the returned context to say which one refused. Attempt numbers come
/// from the highest stored one, under the unique `submissions_attempt`: two answers racing for
/// one number make one of the statements fail on it, and the caller runs it again. Two racing
/// under one idempotency key likewise fail on the unique `submissions_idempotency` (a plain
/// INSERT: `ON CONFLICT` would cost a speculative insertion on every answer for a race that is
/// rare), and the caller's next try replays the one stored. The statement also says whether
/// anything listens to the assignment's events (`events`: the outbox trigger skips the answer
/// when nothing does) and checks the exercise version exists (it has no foreign key: see
/// migration `20261201210000_submission_insert_path.sql`).
pub async fn submit(pool: &PgPool, a: &Attempt) -> Result<Option<Submitted>, SubmitError> {
    let row = sqlx::query_as!(
        Submitted,
        r#"WITH ctx AS (
             SELECT a.opens_at, COALESCE(x.due_at, a.due_at) AS due_at, a.max_attempts, a.scoring, a.feedback,
                    a.late_policy, a.released_at, COALESCE(te.version, ex.version) AS current_version,
                    COALESCE((SELECT s.attempt FROM submissions s
                               WHERE s.assignment_id = a.id AND s.student_id = $1 AND s.exercise_id = $3
                               ORDER BY s.attempt DESC LIMIT 1), 0)::int8 AS attempts_used,
                    now() AS now,
                    EXISTS (SELECT 1 FROM exercise_versions v
                             WHERE v.exercise_id = $3 AND v.version = COALESCE(te.version, ex.version)) AS version_stored,
                    EXISTS (SELECT 1 FROM webhook_subscriptions w WHERE w.enabled AND w.class_id = a.class_id)
                    OR EXISTS (SELECT 1 FROM webhook_subscriptions w WHERE w.enabled AND w.assignment_id = a.id)
                    OR EXISTS (SELECT 1 FROM lti_resource_links l
                                WHERE l.assignment_id = a.id AND l.lineitem_url IS NOT NULL) AS events
             FROM assignments a
             JOIN class_members m ON m.class_id = a.class_id AND m.user_id = $1 AND m.role = 'student'
             LEFT JOIN assignment_exercises ae ON ae.assignment_id = a.id AND ae.exercise_id = $3
             LEFT JOIN exercises ex ON ex.id = ae.exercise_id
             JOIN classes cl ON cl.id = a.class_id
             LEFT JOIN teacher_exercises te ON te.exercise_id = ex.id AND te.teacher_id = cl.teacher_id
             LEFT JOIN assignment_extensions x ON x.assignment_id = a.id AND x.student_id = $1
             WHERE a.id = $2),
         prior AS (
             SELECT p.id, p.request_hash FROM submissions p WHERE p.student_id = $1 AND p.idempotency_key = $4),
         ins AS (
             INSERT INTO submissions (id, assignment_id, exercise_id, exercise_version, student_id, attempt, answer,
                                      score, max_score, status, late, submitted_at, updated_at, idempotency_key,
                                      request_hash, feedback_shown, events)
             SELECT $5, $2, $3, c.current_version, $1, c.attempts_used + 1, $7,
                    CASE c.scoring WHEN 'partial' THEN $8::float8 ELSE $9::float8 END, $10::float8, $11, c.now > c.due_at, c.now, c.now,
                    $4, $12,
                    CASE c.feedback WHEN 'immediate' THEN true
                                    WHEN 'after_due' THEN c.now > c.due_at
                                    ELSE COALESCE(c.released_at <= c.now, false) END,
                    c.events
             FROM ctx c
             WHERE c.current_version = $6 AND c.version_stored
               AND NOT EXISTS (SELECT 1 FROM prior)
               AND c.now >= c.opens_at
               AND (c.max_attempts IS NULL OR c.attempts_used < c.max_attempts)
               AND NOT (c.now > c.due_at AND c.late_policy = 'reject')
             RETURNING attempt, late, feedback_shown)
         SELECT c.opens_at AS "opens_at!", c.due_at AS "due_at!", c.max_attempts AS "max_attempts?",
                c.scoring AS "scoring!: ScoringMode", c.feedback AS "feedback!: FeedbackPolicy",
                c.late_policy AS "late_policy!: LatePolicy", c.released_at AS "released_at?",
                c.current_version AS "current_version?", c.attempts_used AS "attempts_used!", c.now AS "now!",
                i.attempt AS "stored_attempt?", i.late AS "stored_late?", i.feedback_shown AS "stored_feedback_shown?",
                p.id AS "prior_id?", p.request_hash AS "prior_hash?"
         FROM ctx c LEFT JOIN ins i ON true LEFT JOIN prior p ON true"#,
        a.student_id,
        a.assignment_id,
        a.exercise_id,
        a.idempotency_key,
        a.id,
        a.exercise_version,
        Json(&a.answer) as _,
        a.score_partial,
        a.score_all_or_nothing,
        a.max_score,
        a.status as _,
        a.request_hash,
    )
    .fetch_optional(pool)
    .await;
    match row {
        Ok(row) => Ok(row),
        Err(sqlx::Error::Database(e)) if e.constraint() == Some("submissions_attempt") => {
            Err(SubmitError::AttemptTaken)
        }
        Err(sqlx::Error::Database(e)) if e.constraint() == Some("submissions_idempotency") => {
            Err(SubmitError::KeyTaken)
        }
        Err(e) => Err(SubmitError::Db(e)),
    }
}

/// [`submit`] for several answers at once: one statement, one transaction, one commit. Each
/// answer is decided by the same rules against its own context (a LATERAL read per row), and
/// its outcome is returned at its position in `batch`; `None` there: the assignment is not
/// within that student's reach. The caller sends at most one answer per student, so no
/// answer's context depends on another of the same batch; the rows are inserted in student
/// order, so two batches waiting for each other's rows cannot wait in a circle. `ON CONFLICT DO NOTHING` (no arbiter: both unique
/// constraints): an answer that loses a race with a concurrent transaction for its attempt
/// number or its key is left out (its `stored_attempt` is `None` while every rule allowed
/// it), as a single [`submit`] failing on the constraint would be, without failing the others;
/// the caller tries it again as it would that one. Any error fails the whole statement, and
/// nothing of it is stored.
pub async fn submit_batch(pool: &PgPool, batch: &[&Attempt]) -> Result<Vec<Option<Submitted>>, sqlx::Error> {
    let mut students = Vec::with_capacity(batch.len());
    let mut assignments = Vec::with_capacity(batch.len());
    let mut exercises = Vec::with_capacity(batch.len());
    let mut keys = Vec::with_capacity(batch.len());
    let mut ids = Vec::with_capacity(batch.len());
    let mut versions = Vec::with_capacity(batch.len());
    let mut answers = Vec::with_capacity(batch.len());
    let mut partial = Vec::with_capacity(batch.len());
    let mut all_or_nothing = Vec::with_capacity(batch.len());
    let mut max_scores = Vec::with_capacity(batch.len());
    let mut statuses = Vec::with_capacity(batch.len());
    let mut hashes = Vec::with_capacity(batch.len());
    for a in batch {
        students.push(a.student_id);
        assignments.push(a.assignment_id);
        exercises.push(a.exercise_id);
        keys.push(a.idempotency_key.as_str());
        ids.push(a.id);
        versions.push(a.exercise_version);
        answers.push(Json(&a.answer));
        partial.push(a.score_partial);
        all_or_nothing.push(a.score_all_or_nothing);
        max_scores.push(a.max_score);
        statuses.push(a.status.as_str());
        hashes.push(a.request_hash.as_str());
    }
    let rows = sqlx::query!(
        r#"WITH input AS (
             SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::uuid[], $6::int4[], $7::jsonb[],
                                  $8::float8[], $9::float8[], $10::float8[], $11::text[], $12::text[])
                      WITH ORDINALITY AS t(student_id, assignment_id, exercise_id, idempotency_key, id, version, answer,
                                           score_partial, score_all_or_nothing, max_score, status, request_hash, n)),
         ctx AS (
             SELECT i.n, c.* FROM input i CROSS JOIN LATERAL (
                 SELECT a.opens_at, COALESCE(x.due_at, a.due_at) AS due_at, a.max_attempts, a.scoring, a.feedback,
                        a.late_policy, a.released_at, COALESCE(te.version, ex.version) AS current_version,
                        COALESCE((SELECT s.attempt FROM submissions s
                                   WHERE s.assignment_id = a.id AND s.student_id = i.student_id AND s.exercise_id = i.exercise_id
                                   ORDER BY s.attempt DESC LIMIT 1), 0)::int8 AS attempts_used,
                        now() AS now,
                        EXISTS (SELECT 1 FROM exercise_versions v
                                 WHERE v.exercise_id = i.exercise_id AND v.version = COALESCE(te.version, ex.version)) AS version_stored,
                        EXISTS (SELECT 1 FROM webhook_subscriptions w WHERE w.enabled AND w.class_id = a.class_id)
                        OR EXISTS (SELECT 1 FROM webhook_subscriptions w WHERE w.enabled AND w.assignment_id = a.id)
                        OR EXISTS (SELECT 1 FROM lti_resource_links l
                                    WHERE l.assignment_id = a.id AND l.lineitem_url IS NOT NULL) AS events
                 FROM assignments a
                 JOIN class_members m ON m.class_id = a.class_id AND m.user_id = i.student_id AND m.role = 'student'
                 LEFT JOIN assignment_exercises ae ON ae.assignment_id = a.id AND ae.exercise_id = i.exercise_id
                 LEFT JOIN exercises ex ON ex.id = ae.exercise_id
                 JOIN classes cl ON cl.id = a.class_id
                 LEFT JOIN teacher_exercises te ON te.exercise_id = ex.id AND te.teacher_id = cl.teacher_id
                 LEFT JOIN assignment_extensions x ON x.assignment_id = a.id AND x.student_id = i.student_id
                 WHERE a.id = i.assignment_id) c),
         prior AS (
             SELECT i.n, p.id, p.request_hash FROM input i
             JOIN submissions p ON p.student_id = i.student_id AND p.idempotency_key = i.idempotency_key),
         ins AS (
             INSERT INTO submissions (id, assignment_id, exercise_id, exercise_version, student_id, attempt, answer,
                                      score, max_score, status, late, submitted_at, updated_at, idempotency_key,
                                      request_hash, feedback_shown, events)
             SELECT i.id, i.assignment_id, i.exercise_id, c.current_version, i.student_id, c.attempts_used + 1, i.answer,
                    CASE c.scoring WHEN 'partial' THEN i.score_partial ELSE i.score_all_or_nothing END, i.max_score,
                    i.status, c.now > c.due_at, c.now, c.now, i.idempotency_key, i.request_hash,
                    CASE c.feedback WHEN 'immediate' THEN true
                                    WHEN 'after_due' THEN c.now > c.due_at
                                    ELSE COALESCE(c.released_at <= c.now, false) END,
                    c.events
             FROM input i JOIN ctx c ON c.n = i.n
             WHERE c.current_version = i.version AND c.version_stored
               AND NOT EXISTS (SELECT 1 FROM prior p WHERE p.n = i.n)
               AND c.now >= c.opens_at
               AND (c.max_attempts IS NULL OR c.attempts_used < c.max_attempts)
               AND NOT (c.now > c.due_at AND c.late_policy = 'reject')
             ORDER BY i.student_id
             ON CONFLICT DO NOTHING
             RETURNING id, attempt, late, feedback_shown)
         SELECT i.n AS "n!", c.opens_at AS "opens_at?", c.due_at AS "due_at?", c.max_attempts AS "max_attempts?",
                c.scoring AS "scoring?: ScoringMode", c.feedback AS "feedback?: FeedbackPolicy",
                c.late_policy AS "late_policy?: LatePolicy", c.released_at AS "released_at?",
                c.current_version AS "current_version?", c.attempts_used AS "attempts_used?", c.now AS "now?",
                r.attempt AS "stored_attempt?", r.late AS "stored_late?", r.feedback_shown AS "stored_feedback_shown?",
                p.id AS "prior_id?", p.request_hash AS "prior_hash?"
         FROM input i LEFT JOIN ctx c ON c.n = i.n LEFT JOIN ins r ON r.id = i.id LEFT JOIN prior p ON p.n = i.n"#,
        &students,
        &assignments,
        &exercises,
        &keys as &[&str],
        &ids,
        &versions as &[Option<i32>],
        &answers as _,
        &partial as &[Option<f64>],
        &all_or_nothing as &[Option<f64>],
        &max_scores,
        &statuses as &[&str],
        &hashes as &[&str],
    )
    .fetch_all(pool)
    .await?;
    let mut out: Vec<Option<Submitted>> = vec![None; batch.len()];
    for r in rows {
        let Some(slot) = usize::try_from(r.n)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| out.get_mut(i))
        else {
            continue;
        };
        // No context row: the assignment is not within this student's reach.
        let (
            Some(opens_at),
            Some(due_at),
            Some(scoring),
            Some(feedback),
            Some(late_policy),
            Some(attempts_used),
            Some(now),
        ) = (
            r.opens_at,
            r.due_at,
            r.scoring,
            r.feedback,
            r.late_policy,
            r.attempts_used,
            r.now,
        )
        else {
            continue;
        };
        *slot = Some(Submitted {
            opens_at,
            due_at,
            max_attempts: r.max_attempts,
            scoring,
            feedback,
            late_policy,
            released_at: r.released_at,
            current_version: r.current_version,
            attempts_used,
            now,
            stored_attempt: r.stored_attempt,
            stored_late: r.stored_late,
            stored_feedback_shown: r.stored_feedback_shown,
            prior_id: r.prior_id,
            prior_hash: r.prior_hash,
        });
    }
    Ok(out)
}

#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    /// Another answer (with another key) took this attempt number meanwhile.
    #[error("the attempt number was taken by a concurrent answer")]
    AttemptTaken,
    /// A concurrent answer under the same idempotency key was stored meanwhile.
    #[error("the idempotency key was taken by a concurrent answer")]
    KeyTaken,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// A stored answer as its submission response needs it, to replay a retry.
#[derive(Debug, Clone)]
pub struct Replay {
    pub id: Uuid,
    pub assignment_id: Uuid,
    pub exercise_id: Uuid,
    pub exercise_version: i32,
    pub attempt: i32,
    pub answer: Json<Answer>,
    /// The score and status the answer was stored with (before any later grade).
    pub score: Option<f64>,
    pub max_score: f64,
    pub status: SubmissionStatus,
    pub late: bool,
    pub submitted_at: DateTime<Utc>,
    pub feedback_shown: Option<bool>,
    /// The rules the key's visibility was judged by when the answer was stored.
    pub max_attempts: Option<i32>,
    pub due_at: DateTime<Utc>,
    pub released_at: Option<DateTime<Utc>>,
    /// The whole response, for answers stored before responses were rebuilt from the row:
    /// replayed byte for byte as JSON, never read.
    pub response: Option<serde_json::Value>,
}

/// The answer stored under `student`'s idempotency key, as it was stored.
pub async fn replay(
    pool: &PgPool,
    student_id: Uuid,
    idempotency_key: &str,
) -> Result<Option<Replay>, sqlx::Error> {
    sqlx::query_as!(
        Replay,
        r#"SELECT s.id, s.assignment_id, s.exercise_id, s.exercise_version, s.attempt,
                s.answer AS "answer: Json<Answer>",
                CASE WHEN h.submission_id IS NULL THEN s.score ELSE h.old_score END AS score,
                s.max_score, COALESCE(h.old_status, s.status) AS "status!: SubmissionStatus", s.late, s.submitted_at,
                s.feedback_shown, a.max_attempts, COALESCE(x.due_at, a.due_at) AS "due_at!", a.released_at,
                s.response
         FROM submissions s
         JOIN assignments a ON a.id = s.assignment_id
         LEFT JOIN assignment_extensions x ON x.assignment_id = a.id AND x.student_id = s.student_id
         LEFT JOIN LATERAL (SELECT g.submission_id, g.old_score, g.old_status FROM grade_history g
                            WHERE g.submission_id = s.id ORDER BY g.changed_at, g.id LIMIT 1) h ON true
         WHERE s.student_id = $1 AND s.idempotency_key = $2"#,
        student_id,
        idempotency_key,
    )
    .fetch_optional(pool)
    .await
}

#[derive(Debug, Clone)]
pub struct SubmissionRow {
    pub id: Uuid,
    pub assignment_id: Uuid,
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
    /// The content of the exercise version answered (for explanations).
    pub content: Json<ExerciseContent>,
    pub feedback: FeedbackPolicy,
    pub released_at: Option<DateTime<Utc>>,
    /// The student's due time (with their extension).
    pub student_due_at: DateTime<Utc>,
    pub max_attempts: Option<i32>,
    /// The student's attempts at this exercise of this assignment so far.
    pub attempts_used: i32,
    /// The submission's ETag for manual grading.
    pub grade_version: i32,
    /// The database's clock at the read (whether feedback shows yet).
    pub read_at: DateTime<Utc>,
}

// Both queries returning a `SubmissionRow` read the same columns and joins (spelled out in
// each: the query macros take literal SQL only).

/// One submission, if the caller may reach it: a student only their own; staff and graders of
/// its class.
pub async fn get_for(pool: &PgPool, caller: &Caller, id: Uuid) -> Result<Option<SubmissionRow>, sqlx::Error> {
    sqlx::query_as!(
        SubmissionRow,
        r#"SELECT s.id, s.assignment_id, s.exercise_id, s.exercise_version, s.student_id, s.attempt,
                s.answer AS "answer: Json<Answer>", s.score, s.max_score, s.status AS "status: SubmissionStatus",
                s.late, s.submitted_at, s.updated_at, v.content AS "content: Json<ExerciseContent>",
                a.feedback AS "feedback: FeedbackPolicy", a.released_at,
                COALESCE(x.due_at, a.due_at) AS "student_due_at!", a.max_attempts,
                (SELECT max(o.attempt) FROM submissions o
                  WHERE o.assignment_id = s.assignment_id AND o.exercise_id = s.exercise_id
                    AND o.student_id = s.student_id) AS "attempts_used!",
                s.grade_version, now() AS "read_at!"
         FROM submissions s
         JOIN assignments a ON a.id = s.assignment_id
         JOIN exercise_versions v ON v.exercise_id = s.exercise_id AND v.version = s.exercise_version
         LEFT JOIN assignment_extensions x ON x.assignment_id = a.id AND x.student_id = s.student_id
         WHERE s.id = $3 AND a.class_id IN (SELECT r FROM classes_in_reach($1, $2) r)
           AND ($2 <> 'student' OR s.student_id = $1)"#,
        caller.id,
        caller.role as _,
        id,
    )
    .fetch_optional(pool)
    .await
}

/// One page of an assignment's submissions (only `student`'s when given), oldest first.
pub async fn list(
    pool: &PgPool,
    assignment_id: Uuid,
    student: Option<Uuid>,
    after: Option<Cursor>,
    limit: i64,
) -> Result<Vec<SubmissionRow>, sqlx::Error> {
    sqlx::query_as!(
        SubmissionRow,
        r#"SELECT s.id, s.assignment_id, s.exercise_id, s.exercise_version, s.student_id, s.attempt,
                s.answer AS "answer: Json<Answer>", s.score, s.max_score, s.status AS "status: SubmissionStatus",
                s.late, s.submitted_at, s.updated_at, v.content AS "content: Json<ExerciseContent>",
                a.feedback AS "feedback: FeedbackPolicy", a.released_at,
                COALESCE(x.due_at, a.due_at) AS "student_due_at!", a.max_attempts,
                (SELECT max(o.attempt) FROM submissions o
                  WHERE o.assignment_id = s.assignment_id AND o.exercise_id = s.exercise_id
                    AND o.student_id = s.student_id) AS "attempts_used!",
                s.grade_version, now() AS "read_at!"
         FROM submissions s
         JOIN assignments a ON a.id = s.assignment_id
         JOIN exercise_versions v ON v.exercise_id = s.exercise_id AND v.version = s.exercise_version
         LEFT JOIN assignment_extensions x ON x.assignment_id = a.id AND x.student_id = s.student_id
         WHERE s.assignment_id = $1 AND ($2::uuid IS NULL OR s.student_id = $2)
           AND ($3::timestamptz IS NULL OR (s.submitted_at, s.id) > ($3, $4))
         ORDER BY s.submitted_at, s.id LIMIT $5"#,
        assignment_id,
        student,
        after.map(|c| c.at),
        after.map(|c| c.id),
        limit,
    )
    .fetch_all(pool)
    .await
}
