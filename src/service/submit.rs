//! Submitting an answer: grading it against the exercise version it answers, storing it once
//! per Idempotency-Key, and the classroom's decision on it (open yet, attempts left, due time
//! and late policy, whether feedback shows now). The HTTP route only translates.

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use crate::classroom::{self, Refusal, SubmissionRules, SubmissionStatus};
use crate::exercises::{grade, validate_answer, Answer, Grade, ScoringMode};
use crate::http::error::ApiError;
use crate::service::batcher::Batcher;
use crate::service::versions::ExerciseVersions;
use crate::store;
use crate::store::submissions::{Attempt, SubmitError};

/// How often a try is repeated when a concurrent answer took our attempt number or the
/// exercise changed version in between, before the caller is asked to retry.
const TRIES: usize = 16;

/// One answer as a student sent it.
#[derive(Debug, Clone, Copy)]
pub struct NewAnswer<'a> {
    pub assignment_id: Uuid,
    pub student_id: Uuid,
    pub exercise_id: Uuid,
    pub answer: &'a Answer,
    pub idempotency_key: &'a str,
    /// The fingerprint of the request, to tell a retry from a reused key.
    pub request_hash: &'a str,
}

/// An answer stored now.
#[derive(Debug, Clone)]
pub struct Accepted {
    pub id: Uuid,
    pub exercise_version: i32,
    pub attempt: i32,
    pub status: SubmissionStatus,
    pub late: bool,
    pub submitted_at: DateTime<Utc>,
    /// The grade under the assignment's scoring mode.
    pub grade: Grade,
    /// `None`: the feedback policy shows nothing yet. `Some(key_shown)`: the score shows, and
    /// the full key with explanations when `key_shown`.
    pub feedback: Option<bool>,
}

#[derive(Debug)]
pub enum Outcome {
    Accepted(Accepted),
    /// A retry of an answer stored earlier under the same key and body: answer as then.
    Replay,
}

/// Why an answer is not stored.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    #[error("the assignment is not within the student's reach")]
    NoAssignment,
    #[error("the Idempotency-Key was used for a different request")]
    KeyReused,
    #[error("the exercise is not part of the assignment")]
    NotAnExercise,
    #[error("the answer does not fit the exercise: {0}")]
    InvalidAnswer(String),
    #[error("{}", .0.detail())]
    Rule(Refusal),
    #[error("too many answers to this exercise arrived at once")]
    Contended,
    #[error(transparent)]
    Failed(#[from] ApiError),
}

impl From<sqlx::Error> for Refused {
    fn from(e: sqlx::Error) -> Self {
        Refused::Failed(e.into())
    }
}

pub fn status_of_grade(score: Option<f64>) -> SubmissionStatus {
    match score {
        Some(_) => SubmissionStatus::Graded,
        None => SubmissionStatus::PendingReview,
    }
}

/// Grades and stores `new`, or says why not.
///
/// One statement per try: it reads the rules' inputs and stores the answer when they allow it.
/// The answer is graded beforehand against the exercise version this process believes current
/// (versions are immutable, so each is read once); the statement stores it only if that is
/// still the current one, else it is graded again against the newer version. A concurrent
/// answer with another key may take our attempt number: then decide again. With a `batcher`,
/// each try is stored together with the answers that arrive meanwhile (group commit, same
/// rules and outcomes); without one, on its own.
pub async fn submit_answer(
    pool: &PgPool,
    versions: &ExerciseVersions,
    batcher: Option<&Batcher>,
    new: &NewAnswer<'_>,
) -> Result<Outcome, Refused> {
    let id = Uuid::now_v7();
    let mut believed = versions.latest(pool, new.exercise_id).await?;
    for _ in 0..TRIES {
        let checked = believed.as_ref().map(|v| {
            let valid = validate_answer(&v.content, new.answer);
            let partial = grade(&v.content, new.answer, ScoringMode::Partial);
            let all_or_nothing = grade(&v.content, new.answer, ScoringMode::AllOrNothing);
            (v.clone(), valid, partial, all_or_nothing)
        });
        let valid_version = checked
            .as_ref()
            .and_then(|(v, valid, _, _)| valid.is_ok().then_some(v.version));
        let (score_partial, score_all_or_nothing, status, max_score) = match &checked {
            Some((_, _, p, a)) => (p.score, a.score, status_of_grade(p.score), p.max_score),
            None => (None, None, SubmissionStatus::PendingReview, 1.0),
        };
        let attempt = Attempt {
            id,
            assignment_id: new.assignment_id,
            exercise_id: new.exercise_id,
            exercise_version: valid_version,
            student_id: new.student_id,
            answer: new.answer.clone(),
            score_partial,
            score_all_or_nothing,
            max_score,
            status,
            idempotency_key: new.idempotency_key.to_string(),
            request_hash: new.request_hash.to_string(),
        };
        let stored = match batcher {
            Some(batcher) => batcher.submit(attempt).await,
            None => store::submissions::submit(pool, &attempt).await,
        };
        let ctx = match stored {
            Ok(Some(ctx)) => ctx,
            Ok(None) => return Err(Refused::NoAssignment),
            Err(SubmitError::AttemptTaken | SubmitError::KeyTaken) => continue,
            Err(SubmitError::Db(e)) => return Err(e.into()),
        };
        if let Some(prior_hash) = &ctx.prior_hash {
            return if prior_hash == new.request_hash {
                Ok(Outcome::Replay)
            } else {
                Err(Refused::KeyReused)
            };
        }
        let Some(current) = ctx.current_version else {
            return Err(Refused::NotAnExercise);
        };
        let Some((version, valid, partial, all_or_nothing)) =
            checked.filter(|(v, _, _, _)| v.version == current)
        else {
            believed = versions.get(pool, new.exercise_id, current).await?;
            continue;
        };
        valid.map_err(|e| Refused::InvalidAnswer(e.to_string()))?;
        let (Some(attempt), Some(late), Some(shown)) =
            (ctx.stored_attempt, ctx.stored_late, ctx.stored_feedback_shown)
        else {
            // Not stored: a rule refused (say which), else try again.
            let rules = SubmissionRules {
                opens_at: ctx.opens_at,
                due_at: ctx.due_at,
                max_attempts: ctx.max_attempts,
                late_policy: ctx.late_policy,
            };
            classroom::check_submission(&rules, ctx.now, ctx.attempts_used).map_err(Refused::Rule)?;
            continue;
        };
        let grade = match ctx.scoring {
            ScoringMode::Partial => partial,
            ScoringMode::AllOrNothing => all_or_nothing,
        };
        let feedback = shown
            .then(|| classroom::key_shown(ctx.max_attempts, attempt, ctx.due_at, ctx.released_at, ctx.now));
        return Ok(Outcome::Accepted(Accepted {
            id,
            exercise_version: version.version,
            attempt,
            status: status_of_grade(grade.score),
            late,
            submitted_at: ctx.now,
            grade,
            feedback,
        }));
    }
    Err(Refused::Contended)
}
