//! Students' answers. The write path is one read (everything the rules need, in one statement)
//! and one INSERT … ON CONFLICT on the idempotency key (its own transaction): a 2xx is a commit.

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use crate::http::pagination::Cursor;
use crate::identity::Caller;
use crate::store::classes::REACH;

/// What deciding on one answer needs. `None` from [`context`] means the assignment is not
/// within the student's reach.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SubmitContext {
    pub opens_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub extended_due_at: Option<DateTime<Utc>>,
    pub max_attempts: Option<i32>,
    pub scoring: String,
    pub feedback: String,
    pub late_policy: String,
    pub released_at: Option<DateTime<Utc>>,
    /// `None` when the exercise is not part of the assignment.
    pub exercise_kind: Option<String>,
    pub exercise_version: Option<i32>,
    pub exercise_content: Option<serde_json::Value>,
    pub attempts_used: i64,
    /// An earlier submission with the same idempotency key, if any.
    pub prior_hash: Option<String>,
    pub prior_response: Option<serde_json::Value>,
    pub prior_id: Option<Uuid>,
    /// The database's clock at the read: the time the answer is judged and stored at, the same
    /// for every instance.
    pub db_now: DateTime<Utc>,
}

pub async fn context(
    pool: &PgPool,
    student_id: Uuid,
    assignment_id: Uuid,
    exercise_id: Uuid,
    idempotency_key: &str,
) -> Result<Option<SubmitContext>, sqlx::Error> {
    // Attempts are numbered 1, 2, … without gaps (each is the attempts used + 1, under a unique
    // constraint), so the highest is the count: one step down the attempt index, however many
    // attempts an unlimited assignment has collected.
    sqlx::query_as(
        "SELECT a.opens_at, a.due_at, x.due_at AS extended_due_at, a.max_attempts, a.scoring, a.feedback,
                a.late_policy, a.released_at,
                ex.kind AS exercise_kind, COALESCE(te.version, ex.version) AS exercise_version,
                COALESCE(te.content, ex.content) AS exercise_content,
                COALESCE((SELECT s.attempt FROM submissions s
                           WHERE s.assignment_id = a.id AND s.exercise_id = $3 AND s.student_id = $1
                           ORDER BY s.attempt DESC LIMIT 1), 0)::int8 AS attempts_used,
                p.request_hash AS prior_hash, p.response AS prior_response, p.id AS prior_id,
                now() AS db_now
         FROM assignments a
         JOIN class_members m ON m.class_id = a.class_id AND m.user_id = $1 AND m.role = 'student'
         LEFT JOIN assignment_exercises ae ON ae.assignment_id = a.id AND ae.exercise_id = $3
         LEFT JOIN exercises ex ON ex.id = ae.exercise_id
         JOIN classes c ON c.id = a.class_id
         LEFT JOIN teacher_exercises te ON te.exercise_id = ex.id AND te.teacher_id = c.teacher_id
         LEFT JOIN assignment_extensions x ON x.assignment_id = a.id AND x.student_id = $1
         LEFT JOIN submissions p ON p.student_id = $1 AND p.idempotency_key = $4
         WHERE a.id = $2",
    )
    .bind(student_id)
    .bind(assignment_id)
    .bind(exercise_id)
    .bind(idempotency_key)
    .fetch_optional(pool)
    .await
}

/// A submission to store.
#[derive(Debug, Clone)]
pub struct NewSubmission<'a> {
    pub id: Uuid,
    pub assignment_id: Uuid,
    pub exercise_id: Uuid,
    pub exercise_version: i32,
    pub student_id: Uuid,
    pub attempt: i32,
    pub answer: &'a serde_json::Value,
    pub score: Option<f64>,
    pub max_score: f64,
    pub status: &'static str,
    pub late: bool,
    pub submitted_at: DateTime<Utc>,
    pub idempotency_key: &'a str,
    pub request_hash: &'a str,
    pub response: &'a serde_json::Value,
}

pub enum Inserted {
    Stored,
    /// Another request with the same idempotency key was stored first: its hash and response.
    KeyTaken {
        request_hash: String,
        response: serde_json::Value,
    },
    /// Another answer (with another key) took this attempt number meanwhile.
    AttemptTaken,
}

pub async fn insert(pool: &PgPool, s: &NewSubmission<'_>) -> Result<Inserted, sqlx::Error> {
    let stored = sqlx::query_scalar::<_, Uuid>(
        "INSERT INTO submissions (id, assignment_id, exercise_id, exercise_version, student_id, attempt, answer,
                                  score, max_score, status, late, submitted_at, updated_at, idempotency_key,
                                  request_hash, response)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14, $15)
         ON CONFLICT (student_id, idempotency_key) DO NOTHING
         RETURNING id",
    )
    .bind(s.id)
    .bind(s.assignment_id)
    .bind(s.exercise_id)
    .bind(s.exercise_version)
    .bind(s.student_id)
    .bind(s.attempt)
    .bind(s.answer)
    .bind(s.score)
    .bind(s.max_score)
    .bind(s.status)
    .bind(s.late)
    .bind(s.submitted_at)
    .bind(s.idempotency_key)
    .bind(s.request_hash)
    .bind(s.response)
    .fetch_optional(pool)
    .await;
    match stored {
        Ok(Some(_)) => Ok(Inserted::Stored),
        Ok(None) => {
            let (request_hash, response) = sqlx::query_as(
                "SELECT request_hash, response FROM submissions WHERE student_id = $1 AND idempotency_key = $2",
            )
            .bind(s.student_id)
            .bind(s.idempotency_key)
            .fetch_one(pool)
            .await?;
            Ok(Inserted::KeyTaken {
                request_hash,
                response,
            })
        }
        Err(sqlx::Error::Database(e)) if e.constraint() == Some("submissions_attempt") => {
            Ok(Inserted::AttemptTaken)
        }
        Err(e) => Err(e),
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SubmissionRow {
    pub id: Uuid,
    pub assignment_id: Uuid,
    pub exercise_id: Uuid,
    pub exercise_version: i32,
    pub student_id: Uuid,
    pub attempt: i32,
    pub answer: serde_json::Value,
    pub score: Option<f64>,
    pub max_score: f64,
    pub status: String,
    pub late: bool,
    pub submitted_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The content of the exercise version answered (for explanations).
    pub content: serde_json::Value,
    pub feedback: String,
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

const ROW: &str = "s.id, s.assignment_id, s.exercise_id, s.exercise_version, s.student_id, s.attempt, s.answer,
    s.score, s.max_score, s.status, s.late, s.submitted_at, s.updated_at, v.content, a.feedback, a.released_at,
    COALESCE(x.due_at, a.due_at) AS student_due_at, a.max_attempts,
    (SELECT max(o.attempt) FROM submissions o
      WHERE o.assignment_id = s.assignment_id AND o.exercise_id = s.exercise_id
        AND o.student_id = s.student_id) AS attempts_used,
    s.grade_version, now() AS read_at
    FROM submissions s
    JOIN assignments a ON a.id = s.assignment_id
    JOIN classes c ON c.id = a.class_id
    JOIN exercise_versions v ON v.exercise_id = s.exercise_id AND v.version = s.exercise_version
    LEFT JOIN assignment_extensions x ON x.assignment_id = a.id AND x.student_id = s.student_id";

/// One submission, if the caller may reach it: a student only their own; staff and graders of
/// its class.
pub async fn get_for(pool: &PgPool, caller: &Caller, id: Uuid) -> Result<Option<SubmissionRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {ROW} WHERE s.id = $3 AND {REACH} AND ($2 <> 'student' OR s.student_id = $1)"
    ))
    .bind(caller.id)
    .bind(caller.role.as_str())
    .bind(id)
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
    sqlx::query_as(&format!(
        "SELECT {ROW} WHERE s.assignment_id = $1 AND ($2::uuid IS NULL OR s.student_id = $2)
           AND ($3::timestamptz IS NULL OR (s.submitted_at, s.id) > ($3, $4))
         ORDER BY s.submitted_at, s.id LIMIT $5"
    ))
    .bind(assignment_id)
    .bind(student)
    .bind(after.map(|c| c.at))
    .bind(after.map(|c| c.id))
    .bind(limit)
    .fetch_all(pool)
    .await
}
