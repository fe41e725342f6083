//! Submissions: a student's answer to one exercise of an assignment, stored exactly once per
//! Idempotency-Key and graded on arrival where a key decides it.

use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::classroom::{self, SubmissionStatus};
use crate::exercises::{grade, Answer, ExerciseContent, OptionFeedback};
use crate::http::error::ApiError;
use crate::http::input::storable;
use crate::http::pagination::PageParams;
use crate::http::pagination::{self as paging, Page};
use crate::identity::policy;
use crate::identity::{Caller, Role};
use crate::service::submit::{submit_answer, NewAnswer, Outcome, Refused};
use crate::state::AppState;
use crate::store;
use crate::store::submissions::SubmissionRow;

/// Under `/v1/assignments`.
pub fn assignment_routes(cfg: &mut ServiceConfig<'_>) {
    cfg.service(submit).service(list_assignment_submissions);
}

/// Under `/v1/submissions`.
pub fn routes(cfg: &mut ServiceConfig<'_>) {
    cfg.service(get_submission);
}

const IDEMPOTENCY_KEY: &str = "idempotency-key";
/// The longest free-text answer accepted, in characters.
pub const TEXT_MAX: usize = 20_000;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmissionRequest {
    /// An exercise of the assignment.
    pub exercise_id: Uuid,
    pub answer: Answer,
}

/// Score and explanations: present only when the assignment's feedback policy allows it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Feedback {
    /// `null` while pending review.
    pub score: Option<f64>,
    pub max_score: f64,
    /// `true`: every option with its correctness and explanation (the key). `false` while
    /// the student still has attempts left before the due time and release: only the options
    /// they chose, each with whether it was right, and no explanations.
    pub key_shown: bool,
    /// Per option: chosen, correct and why (empty for free text); only the chosen ones while
    /// `key_shown` is false.
    pub options: Vec<OptionResult>,
}

/// One option of a graded answer.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OptionResult {
    pub id: String,
    pub chosen: bool,
    pub correct: bool,
    /// Why the option is right or wrong; only once the key is shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
}

/// The feedback a student may see: the full key, or (while attempts remain) only whether each
/// chosen option was right.
fn student_feedback(
    score: Option<f64>,
    max_score: f64,
    per_option: Vec<OptionFeedback>,
    key_shown: bool,
) -> Feedback {
    let options = per_option
        .into_iter()
        .filter(|o| key_shown || o.chosen)
        .map(|o| OptionResult {
            id: o.id,
            chosen: o.chosen,
            correct: o.correct,
            explanation: key_shown.then_some(o.explanation),
        })
        .collect();
    Feedback {
        score,
        max_score,
        key_shown,
        options,
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Submission {
    pub id: Uuid,
    pub assignment_id: Uuid,
    pub exercise_id: Uuid,
    /// The exercise version this answer was graded against.
    pub exercise_version: i32,
    pub student_id: Uuid,
    /// 1 for the first answer to this exercise, then 2, …
    pub attempt: i32,
    pub answer: Answer,
    pub status: SubmissionStatus,
    /// Arrived after the student's due time (accepted under `accept_flagged`).
    pub late: bool,
    pub submitted_at: DateTime<Utc>,
    /// Absent until the feedback policy allows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<Feedback>,
    /// For staff only: the grade's version; `"g<grade_version>"` is the `ETag` to send as
    /// `If-Match` to `PUT /v1/submissions/{id}/grade`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade_version: Option<i32>,
}

fn idempotency_key(req: &HttpRequest) -> Result<String, ApiError> {
    let field = "Idempotency-Key";
    let value = req.headers().get(IDEMPOTENCY_KEY).ok_or_else(|| {
        ApiError::invalid(field, "is required: a unique value per answer, reused on retries")
    })?;
    let value = value
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|v| !v.is_empty() && v.len() <= 255)
        .ok_or_else(|| ApiError::invalid(field, "must be 1 to 255 visible ASCII characters"))?;
    Ok(value.to_string())
}

/// The fingerprint of a request: the assignment and the body, re-serialized canonically.
fn request_hash(assignment_id: Uuid, body: &SubmissionRequest) -> Result<String, ApiError> {
    let mut h = Sha256::new();
    h.update(assignment_id.as_bytes());
    h.update(serde_json::to_vec(body).map_err(ApiError::internal)?);
    Ok(hex::encode(h.finalize()))
}

fn key_reused() -> ApiError {
    ApiError::Unprocessable(
        "This Idempotency-Key was already used for a different request; use a new key for a new answer."
            .into(),
    )
}

/// The stored score with the per-option explanations of the version answered.
fn feedback_of(
    content: &ExerciseContent,
    answer: &Answer,
    score: Option<f64>,
    max_score: f64,
    key_shown: bool,
) -> Feedback {
    let per_option = grade(content, answer, content.scoring).per_option;
    student_feedback(score, max_score, per_option, key_shown)
}

/// Submits an answer to one exercise of the assignment (a student of its class).
///
/// Send a fresh `Idempotency-Key` per answer and the same one on retries: a retry with the same
/// key and body replays the stored response (same id, `Idempotent-Replayed: true`); the same key
/// with another body is a 422. A 201 means the answer is committed.
#[utoipa::path(
    tag = "submissions",
    security(("bearer" = [])),
    params(("assignment_id" = Uuid, Path),
           ("Idempotency-Key" = String, Header, description = "Unique per answer; reused on retries. \
            1 to 255 visible ASCII characters", pattern = "^[!-~]{1,255}$")),
    request_body = SubmissionRequest,
    responses(
        (status = 201, description = "Stored (or replayed); score and explanations only if the \
                                      feedback policy allows them now", body = Submission,
         headers(
             ("Location" = String, description = "The submission's URL"),
             ("Idempotent-Replayed" = String, description = "`true` when this is the stored answer to an earlier request with the same Idempotency-Key"),
         )),
        (status = 409, description = "Refused by a rule: `/problems/not-open-yet`, \
                                      `/problems/attempts-exhausted` or `/problems/past-due`",
         body = crate::http::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The Idempotency-Key was used for a different request",
         body = crate::http::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{assignment_id}/submissions")]
async fn submit(
    req: HttpRequest,
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    body: web::Json<SubmissionRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::SUBMIT)?;
    let assignment_id = path.into_inner();
    let key = idempotency_key(&req)?;
    let body = body.into_inner();
    if let Answer::Text { text } = &body.answer {
        storable("answer", text)?;
        if text.chars().count() > TEXT_MAX {
            return Err(ApiError::invalid(
                "answer",
                format!("the answer text is longer than {TEXT_MAX} characters"),
            ));
        }
    }
    let hash = request_hash(assignment_id, &body)?;
    let new = NewAnswer {
        assignment_id,
        student_id: caller.id,
        exercise_id: body.exercise_id,
        answer: &body.answer,
        idempotency_key: &key,
        request_hash: &hash,
    };
    let accepted = match submit_answer(&state.pool, &state.versions, state.batcher.as_ref(), &new).await {
        Ok(Outcome::Accepted(a)) => a,
        Ok(Outcome::Replay) => return replay(&state, caller.id, &key).await,
        Err(refused) => return Err(problem_of(refused)),
    };
    let submission = Submission {
        id: accepted.id,
        assignment_id,
        exercise_id: body.exercise_id,
        exercise_version: accepted.exercise_version,
        student_id: caller.id,
        attempt: accepted.attempt,
        answer: body.answer,
        status: accepted.status,
        late: accepted.late,
        submitted_at: accepted.submitted_at,
        feedback: accepted.feedback.map(|key| {
            let g = accepted.grade;
            student_feedback(g.score, g.max_score, g.per_option, key)
        }),
        grade_version: None,
    };
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/v1/submissions/{}", accepted.id)))
        .json(submission))
}

/// The problem a refused answer is answered with.
fn problem_of(refused: Refused) -> ApiError {
    match refused {
        Refused::NoAssignment => ApiError::not_found("assignment"),
        Refused::KeyReused => key_reused(),
        Refused::NotAnExercise => ApiError::invalid("exercise_id", "is not an exercise of this assignment"),
        Refused::InvalidAnswer(detail) => ApiError::invalid("answer", detail),
        Refused::Rule(r) => ApiError::Conflict {
            rule: r.rule(),
            detail: r.detail(),
        },
        Refused::Contended => ApiError::Unavailable {
            detail: "Too many answers to this exercise arrived at once; try again.".into(),
            retry_after_secs: 1,
        },
        Refused::Failed(e) => e,
    }
}

/// The response an answer stored under this key got, rebuilt from its row: the score and
/// status it was stored with, feedback if it was shown then.
async fn replay(state: &AppState, student_id: Uuid, key: &str) -> Result<HttpResponse, ApiError> {
    let row = store::submissions::replay(&state.pool, student_id, key)
        .await?
        .ok_or_else(|| ApiError::internal("a stored answer vanished"))?;
    let created = |body: String, id: Uuid| {
        HttpResponse::Created()
            .insert_header((header::LOCATION, format!("/v1/submissions/{id}")))
            .insert_header(("Idempotent-Replayed", "true"))
            .content_type("application/json")
            .body(body)
    };
    if let Some(response) = row.response {
        return Ok(created(response.to_string(), row.id));
    }
    let answer = row.answer.0;
    let feedback = if row.feedback_shown == Some(true) {
        let version = state
            .versions
            .get(&state.pool, row.exercise_id, row.exercise_version)
            .await?
            .ok_or_else(|| ApiError::internal("an answered exercise version is not stored"))?;
        // The key as it was shown then: judged at the answer's own time.
        let key = classroom::key_shown(
            row.max_attempts,
            row.attempt,
            row.due_at,
            row.released_at,
            row.submitted_at,
        );
        let per_option = grade(&version.content, &answer, version.content.scoring).per_option;
        Some(student_feedback(row.score, row.max_score, per_option, key))
    } else {
        None
    };
    let submission = Submission {
        id: row.id,
        assignment_id: row.assignment_id,
        exercise_id: row.exercise_id,
        exercise_version: row.exercise_version,
        student_id,
        attempt: row.attempt,
        answer,
        status: row.status,
        late: row.late,
        submitted_at: row.submitted_at,
        feedback,
        grade_version: None,
    };
    let body = serde_json::to_string(&submission).map_err(ApiError::internal)?;
    Ok(created(body, row.id))
}

/// A stored submission as `caller` may see it now.
fn view(row: SubmissionRow, caller: &Caller) -> Result<Submission, ApiError> {
    let now = row.read_at;
    let answer = row.answer.0;
    let policy = row.feedback;
    let staff = caller.role != Role::Student;
    let visible = staff || classroom::feedback_visible(policy, row.student_due_at, row.released_at, now);
    let shown = staff
        || classroom::key_shown(
            row.max_attempts,
            row.attempts_used,
            row.student_due_at,
            row.released_at,
            now,
        );
    let feedback = if visible {
        Some(feedback_of(
            &row.content.0,
            &answer,
            row.score,
            row.max_score,
            shown,
        ))
    } else {
        None
    };
    Ok(Submission {
        id: row.id,
        assignment_id: row.assignment_id,
        exercise_id: row.exercise_id,
        exercise_version: row.exercise_version,
        student_id: row.student_id,
        attempt: row.attempt,
        answer,
        status: row.status,
        late: row.late,
        submitted_at: row.submitted_at,
        feedback,
        grade_version: staff.then_some(row.grade_version),
    })
}

/// An assignment's submissions: a student's own, or everyone's for its teacher, graders and
/// admins. Scores and explanations show for a student only once the feedback policy allows.
#[utoipa::path(
    tag = "submissions",
    operation_id = "list_assignment_submissions",
    security(("bearer" = [])),
    params(("assignment_id" = Uuid, Path), PageParams),
    responses((status = 200, description = "One page, oldest first", body = Page<Submission>,
               headers(("Link" = String, description = "`<…>; rel=\"next\"` when there is a next page"))))
)]
#[get("/{assignment_id}/submissions")]
async fn list_assignment_submissions(
    req: HttpRequest,
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    query: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::ASSIGNMENT_SUBMISSIONS)?;
    let (after, limit) = paging::parse(&query)?;
    let assignment = store::assignments::get_for(&state.pool, &caller, path.into_inner())
        .await?
        .ok_or_else(|| ApiError::not_found("assignment"))?;
    let only = (caller.role == Role::Student).then_some(caller.id);
    let rows = store::submissions::list(&state.pool, assignment.id, only, after, limit + 1).await?;
    let (rows, next) = paging::split(rows, limit, |r| paging::cursor(r.submitted_at, r.id));
    let items = rows
        .into_iter()
        .map(|r| view(r, &caller))
        .collect::<Result<_, _>>()?;
    Ok(paging::respond_page::<Submission>(&req, items, next))
}

/// One submission (its student; the class's teacher and graders; admins). Staff also get
/// `grade_version` and the `ETag` to send as `If-Match` when grading it.
#[utoipa::path(
    tag = "submissions",
    security(("bearer" = [])),
    params(("submission_id" = Uuid, Path)),
    responses((status = 200, description = "The submission", body = Submission,
               headers(("ETag" = String, description = "Staff only: `\"g<grade_version>\"`, for \
                        `If-Match` on `PUT /v1/submissions/{id}/grade`"))))
)]
#[get("/{submission_id}")]
async fn get_submission(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::GET_SUBMISSION)?;
    let row = store::submissions::get_for(&state.pool, &caller, path.into_inner())
        .await?
        .ok_or_else(|| ApiError::not_found("submission"))?;
    let submission = view(row, &caller)?;
    let mut res = HttpResponse::Ok();
    if let Some(version) = submission.grade_version {
        res.insert_header((header::ETAG, format!("\"g{version}\"")));
    }
    Ok(res.json(submission))
}
