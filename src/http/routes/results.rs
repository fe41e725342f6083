//! Results for graders and teachers: the gradebook (JSON or streamed CSV), incremental
//! submission pulls, manual grading with history, feedback release, regrade after a key fix,
//! item analysis, and QTI / GIFT exports.
//!
//! Reach: admins see everything, teachers their own classes, graders the classes they are
//! assigned to; anything else answers 404. Students are refused (403): nothing here is theirs.
//!
//! Counting rule: a student's counted score for an exercise is their **best graded attempt**
//! (ties: the earliest), as Moodle's default "highest grade". Attempts awaiting review count
//! as pending, never as 0.

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::exercises::{grade, Answer, Exercise, ExerciseContent, ExerciseKind, ScoringMode};
use crate::http::error::ApiError;
use crate::http::negotiate::negotiate;
use crate::http::pagination::{next_link, DEFAULT_LIMIT, MAX_LIMIT};
use crate::http::routes::exercises::own_versions;
use crate::http::routes::submissions::SubmissionStatus;
use crate::identity::policy;
use crate::identity::Caller;
use crate::results::item_analysis::{self, ItemResponse, ItemSpec, ItemStats};
use crate::results::{csv, gift, qti};
use crate::review::parse_kind;
use crate::state::AppState;
use crate::store;
use crate::store::results::{
    AssignmentRow, ChangeFilter, GradeChange, GradebookCell, RosterRow, SubmissionRow, Window,
};
use crate::http::feed_cursor::FeedCursor;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(gradebook)
        .service(list_submissions)
        .service(put_grade)
        .service(grade_history)
        .service(release)
        .service(regrade)
        .service(item_analysis_report)
        .service(exercise_qti)
        .service(export_assignment);
}

async fn reachable_assignment(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
) -> Result<AssignmentRow, ApiError> {
    store::results::assignment(&state.pool, caller, id)
        .await?
        .ok_or_else(|| ApiError::not_found("assignment"))
}

fn scoring_of(a: &AssignmentRow) -> Result<ScoringMode, ApiError> {
    match a.scoring.as_str() {
        "partial" => Ok(ScoringMode::Partial),
        "all_or_nothing" => Ok(ScoringMode::AllOrNothing),
        other => Err(ApiError::internal(format!(
            "stored assignment scoring {other:?} is unknown"
        ))),
    }
}

fn kind_of(kind: &str) -> Result<ExerciseKind, ApiError> {
    parse_kind(kind).ok_or_else(|| ApiError::internal(format!("stored exercise kind {kind:?} is unknown")))
}

// ---------------------------------------------------------------------------------------------
// Gradebook

/// One exercise column of a gradebook.
#[derive(Debug, Serialize, ToSchema)]
pub struct GradebookColumn {
    pub exercise_id: Uuid,
    pub position: i32,
    pub kind: ExerciseKind,
    /// The column header used in CSV.
    pub label: String,
    pub max_score: f64,
}

/// One student's result for one exercise.
#[derive(Debug, Serialize, ToSchema)]
pub struct GradebookCellView {
    pub exercise_id: Uuid,
    /// The best graded attempt's score; null when nothing is graded yet.
    pub score: Option<f64>,
    pub attempts: i64,
    /// Attempts waiting for a person's grade.
    pub pending_review: i64,
    /// The counted attempt arrived after the student's due time.
    pub late: bool,
}

/// One student's row.
#[derive(Debug, Serialize, ToSchema)]
pub struct GradebookRow {
    pub student_id: Uuid,
    pub subject: String,
    pub display_name: Option<String>,
    pub cells: Vec<GradebookCellView>,
    /// Sum of the counted scores (ungraded exercises add nothing).
    pub total: f64,
    pub max_total: f64,
    /// Any attempt of this student on this assignment was late.
    pub late: bool,
    pub pending_review: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Gradebook {
    pub assignment_id: Uuid,
    pub title: String,
    /// Always `best_graded_attempt`: the highest graded score counts.
    pub counting_rule: String,
    pub columns: Vec<GradebookColumn>,
    pub students: Vec<GradebookRow>,
}

fn label(position: i32, kind: ExerciseKind, id: Uuid) -> String {
    let short: String = id.simple().to_string().chars().take(8).collect();
    format!("Q{position} {} ({short})", qti::title(kind))
}

/// Builds one student's row, an exercise at a time in assignment order.
struct RowBuilder {
    row: GradebookRow,
}

impl RowBuilder {
    fn start(student: RosterRow) -> Self {
        RowBuilder {
            row: GradebookRow {
                student_id: student.id,
                subject: student.subject,
                display_name: student.display_name,
                cells: Vec::new(),
                total: 0.0,
                max_total: 0.0,
                late: false,
                pending_review: 0,
            },
        }
    }

    /// The next exercise's cell: `None` when the student has not attempted it.
    fn push(&mut self, exercise_id: Uuid, cell: Option<&GradebookCell>) {
        let row = &mut self.row;
        row.max_total += 1.0;
        let Some(cell) = cell else {
            row.cells.push(GradebookCellView {
                exercise_id,
                score: None,
                attempts: 0,
                pending_review: 0,
                late: false,
            });
            return;
        };
        row.total += cell.best_score.unwrap_or(0.0);
        row.pending_review += cell.pending;
        row.late |= cell.any_late;
        row.cells.push(GradebookCellView {
            exercise_id,
            score: cell.best_score,
            attempts: cell.attempts,
            pending_review: cell.pending,
            late: cell.counted_late.unwrap_or(false),
        });
    }

    fn finish(self) -> GradebookRow {
        self.row
    }
}

fn csv_row(row: &GradebookRow) -> String {
    let mut cells = vec![
        csv::Cell::Text(&row.subject),
        row.display_name
            .as_deref()
            .map_or(csv::Cell::Empty, csv::Cell::Text),
    ];
    cells.extend(
        row.cells
            .iter()
            .map(|c| c.score.map_or(csv::Cell::Empty, csv::Cell::Number)),
    );
    cells.push(csv::Cell::Number(row.total));
    cells.push(csv::Cell::Text(if row.late { "yes" } else { "no" }));
    cells.push(csv::Cell::Number(row.pending_review as f64));
    csv::row(&cells)
}

/// The gradebook's opening in JSON: every field of [`Gradebook`] up to the open `students`
/// array, whose rows follow one by one.
fn json_head(assignment: &AssignmentRow, columns: &[GradebookColumn]) -> Result<String, ApiError> {
    #[derive(Serialize)]
    struct Head<'a> {
        assignment_id: Uuid,
        title: &'a str,
        counting_rule: &'a str,
        columns: &'a [GradebookColumn],
    }
    let mut head = serde_json::to_string(&Head {
        assignment_id: assignment.id,
        title: &assignment.title,
        counting_rule: COUNTING_RULE,
        columns,
    })
    .map_err(ApiError::internal)?;
    head.pop(); // the closing brace: `students` comes next
    head.push_str(",\"students\":[");
    Ok(head)
}

const COUNTING_RULE: &str = "best_graded_attempt";

/// Bytes gathered before a chunk goes to the client: large enough to keep the per-chunk cost
/// low, small enough that a class of any size holds only a few chunks in memory.
const CHUNK: usize = 32 * 1024;

/// How a gradebook body is written: its opening, one student row at a time, its end.
#[derive(Clone, Copy)]
enum GradebookFormat {
    Json,
    Csv,
}

impl GradebookFormat {
    fn push_row(self, out: &mut String, row: &GradebookRow, first: bool) -> Result<(), serde_json::Error> {
        match self {
            GradebookFormat::Csv => out.push_str(&csv_row(row)),
            GradebookFormat::Json => {
                if !first {
                    out.push(',');
                }
                out.push_str(&serde_json::to_string(row)?);
            }
        }
        Ok(())
    }

    fn tail(self) -> &'static str {
        match self {
            GradebookFormat::Csv => "",
            GradebookFormat::Json => "]}",
        }
    }
}

/// Students whose cells one query reads: large enough that a class of a thousand takes two
/// round trips, small enough that a batch's cells stay a few hundred kilobytes.
const STUDENTS_PER_BATCH: usize = 500;

/// Streams a gradebook body: `head`, then each student's row, then the format's end. The
/// roster (one short row per student) is read first; cells are read a batch of students at a
/// time, all in one read-only snapshot, so memory grows with neither the class nor its answers
/// beyond the roster. The connection is taken before the response starts, so a database that
/// is down or busy still gets a 503 problem; a failure after that can only cut the body short,
/// which a client sees as a broken transfer rather than a complete file.
fn gradebook_body(
    mut conn: sqlx::pool::PoolConnection<sqlx::Postgres>,
    assignment: (Uuid, Uuid),
    exercise_ids: Vec<Uuid>,
    head: String,
    format: GradebookFormat,
) -> impl futures_util::Stream<Item = Result<web::Bytes, std::io::Error>> {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<web::Bytes, std::io::Error>>(4);
    actix_web::rt::spawn(async move {
        let (assignment_id, class_id) = assignment;
        let result = async {
            let mut snapshot = store::results::gradebook_snapshot(&mut conn).await?;
            let roster = store::results::gradebook_roster(&mut snapshot, assignment_id, class_id).await?;
            let mut buf = head;
            let mut first = true;
            let mut students = roster.into_iter().peekable();
            while students.peek().is_some() {
                let batch: Vec<RosterRow> = students.by_ref().take(STUDENTS_PER_BATCH).collect();
                let ids: Vec<Uuid> = batch.iter().map(|s| s.id).collect();
                let cells = store::results::gradebook_cells(&mut snapshot, assignment_id, &ids).await?;
                let by_key: HashMap<(Uuid, Uuid), &GradebookCell> =
                    cells.iter().map(|c| ((c.student_id, c.exercise_id), c)).collect();
                for student in batch {
                    let id = student.id;
                    let mut row = RowBuilder::start(student);
                    for &exercise in &exercise_ids {
                        row.push(exercise, by_key.get(&(id, exercise)).copied());
                    }
                    format.push_row(&mut buf, &row.finish(), first)?;
                    first = false;
                    if buf.len() >= CHUNK {
                        let chunk = std::mem::replace(&mut buf, String::with_capacity(CHUNK + 1024));
                        if tx.send(Ok(web::Bytes::from(chunk))).await.is_err() {
                            return Ok(()); // the client went away
                        }
                    }
                }
            }
            snapshot.commit().await?;
            buf.push_str(format.tail());
            let _ = tx.send(Ok(web::Bytes::from(buf))).await;
            Ok::<(), GradebookStreamError>(())
        }
        .await;
        if let Err(e) = result {
            tracing::error!(error = %e, "gradebook stream failed");
            let _ = tx
                .send(Err(std::io::Error::other("the gradebook could not be completed")))
                .await;
        }
    });
    futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|item| (item, rx)) })
}

#[derive(Debug, thiserror::Error)]
enum GradebookStreamError {
    #[error("query: {0}")]
    Query(#[from] sqlx::Error),
    #[error("encoding: {0}")]
    Encoding(#[from] serde_json::Error),
}

/// The gradebook of an assignment: per student each exercise's counted score (best graded
/// attempt), total, late flag and pending-review count. JSON by default; with
/// `Accept: text/csv` a CSV (one row per student, one column per exercise, header row naming
/// them). Both stream as the database returns the rows, so a large class never sits in
/// memory. An `Accept` that allows neither gets 406.
#[utoipa::path(
    tag = "results",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Assignment id")),
    responses(
        (status = 200, description = "The gradebook: JSON, or CSV with `Accept: text/csv`", content(
            (Gradebook = "application/json"),
            (String = "text/csv"),
        )),
        (status = 404, description = "No such assignment within your reach", body = crate::http::error::Problem,
         content_type = "application/problem+json"),
        (status = 406, description = "The `Accept` header allows neither JSON nor CSV", body = crate::http::error::Problem,
         content_type = "application/problem+json"),
    )
)]
#[get("/v1/assignments/{id}/results")]
async fn gradebook(
    caller: Caller,
    req: HttpRequest,
    id: web::Path<Uuid>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::GRADEBOOK)?;
    let media = negotiate(&req, &["application/json", "text/csv"])?;
    let assignment = reachable_assignment(&state, &caller, *id).await?;
    let exercises = store::results::assignment_exercises(&state.pool, assignment.id).await?;
    let columns: Vec<GradebookColumn> = exercises
        .iter()
        .map(|e| {
            let kind = kind_of(&e.kind)?;
            Ok(GradebookColumn {
                exercise_id: e.exercise_id,
                position: e.position,
                kind,
                label: label(e.position, kind, e.exercise_id),
                max_score: 1.0,
            })
        })
        .collect::<Result<_, ApiError>>()?;

    let mut response = HttpResponse::Ok();
    let (format, head) = if media == "text/csv" {
        let mut names: Vec<String> = vec!["student".into(), "name".into()];
        names.extend(columns.iter().map(|c| c.label.clone()));
        names.extend(["total".into(), "late".into(), "pending_review".into()]);
        response.content_type("text/csv; charset=utf-8").insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"results-{}.csv\"", assignment.id),
        ));
        (GradebookFormat::Csv, csv::header(&names))
    } else {
        response.content_type("application/json");
        (GradebookFormat::Json, json_head(&assignment, &columns)?)
    };
    response.insert_header((header::VARY, "Accept"));
    let conn = state.pool.acquire().await?;
    let exercise_ids = exercises.iter().map(|e| e.exercise_id).collect();
    Ok(response.streaming(gradebook_body(
        conn,
        (assignment.id, assignment.class_id),
        exercise_ids,
        head,
        format,
    )))
}

// ---------------------------------------------------------------------------------------------
// Submissions: incremental pulls and manual grading

/// A submission as graders and teachers see it: score, grade and history version always shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffSubmission {
    pub id: Uuid,
    pub assignment_id: Uuid,
    pub class_id: Uuid,
    pub exercise_id: Uuid,
    pub exercise_version: i32,
    pub student_id: Uuid,
    pub attempt: i32,
    pub answer: Answer,
    pub score: Option<f64>,
    pub max_score: f64,
    pub status: SubmissionStatus,
    pub late: bool,
    pub submitted_at: DateTime<Utc>,
    /// When the submission last changed (stored, graded, regraded): the pull order.
    pub updated_at: DateTime<Utc>,
    /// The ETag for `PUT /v1/submissions/{id}/grade`.
    pub grade_version: i32,
    pub graded_by: Option<Uuid>,
    pub grade_comment: Option<String>,
}

fn submission_view(row: SubmissionRow) -> Result<StaffSubmission, ApiError> {
    Ok(StaffSubmission {
        id: row.id,
        assignment_id: row.assignment_id,
        class_id: row.class_id,
        exercise_id: row.exercise_id,
        exercise_version: row.exercise_version,
        student_id: row.student_id,
        attempt: row.attempt,
        answer: row.answer.0,
        score: row.score,
        max_score: row.max_score,
        status: SubmissionStatus::parse(&row.status)?,
        late: row.late,
        submitted_at: row.submitted_at,
        updated_at: row.updated_at,
        grade_version: row.grade_version,
        graded_by: row.graded_by,
        grade_comment: row.grade_comment,
    })
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SubmissionQuery {
    pub class_id: Option<Uuid>,
    pub assignment_id: Option<Uuid>,
    pub student_id: Option<Uuid>,
    pub status: Option<SubmissionStatus>,
    /// Only changes at or after this instant (RFC 3339), on a first pull; the cursor keeps it.
    pub updated_since: Option<DateTime<Utc>>,
    /// The `next_cursor` of the previous pull.
    #[param(pattern = r"^1_[0-9.-]+_[0-9.-]*_[0-9a-f.]*_-?[0-9]*$", max_length = 1500000)]
    pub cursor: Option<String>,
    /// Items per page (1 to 500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SubmissionChanges {
    pub items: Vec<StaffSubmission>,
    /// Where the next pull resumes. Always present: keep it and pass it as `cursor` next time
    /// to get exactly the changes made since, each once.
    pub next_cursor: String,
    /// More changes are ready now (the `Link: rel="next"` header is set).
    pub has_more: bool,
}

/// Submissions changed since your last pull, in change order.
///
/// **Guarantee.** Keep `next_cursor` and pass it as `cursor` next time: each pull returns every
/// submission you can see now that you have not been given since it last changed, each once.
/// A submission comes again only when it changes again (a grade, a regrade). An answer whose
/// transaction was still running at your last pull, or committed after later ones, comes with
/// the first pull that can see it; a class you are assigned to after your cursor was made
/// brings its earlier answers with the next pull. Nothing waits for other work on the database:
/// a long gradebook download or an idle transaction elsewhere never delays a pull.
///
/// How: the cursor holds the database snapshot the last pull read in; a pull hands out what
/// its own snapshot sees that that one did not (by the transaction that made each change), and
/// pages through that set in (transaction, id) order while `has_more` is true.
///
/// `updated_since` (on a first pull, without a cursor) keeps to changes at or after an instant;
/// the cursor carries it, so every later pull keeps to it too.
#[utoipa::path(
    tag = "results",
    security(("bearer" = [])),
    params(SubmissionQuery),
    responses(
        (status = 200, description = "One page of changes", body = SubmissionChanges,
         headers(("Link" = String, description = "`<…>; rel=\"next\"` when more changes are ready"))),
        (status = 400, description = "Bad filter, cursor or limit", body = crate::http::error::Problem,
         content_type = "application/problem+json"),
    )
)]
#[get("/v1/submissions")]
async fn list_submissions(
    caller: Caller,
    req: HttpRequest,
    query: web::Query<SubmissionQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::PULL_SUBMISSIONS)?;
    let limit = match query.limit {
        None => DEFAULT_LIMIT,
        Some(n) if (1..=MAX_LIMIT).contains(&n) => n,
        Some(_) => {
            return Err(ApiError::invalid(
                "limit",
                format!("must be between 1 and {MAX_LIMIT}"),
            ))
        }
    };
    let cursor = query.cursor.as_deref().map(FeedCursor::decode).transpose()?;
    // Keep instants inside what PostgreSQL's timestamptz holds, so odd input is a 400, not a
    // database error.
    let in_range = |t: DateTime<Utc>| (1..=9999).contains(&t.year());
    if query.updated_since.is_some_and(|t| !in_range(t)) {
        return Err(ApiError::invalid(
            "updated_since",
            "must be between the years 1 and 9999",
        ));
    }
    let cursor = cursor.unwrap_or_else(|| FeedCursor::first(query.updated_since));
    let filter = ChangeFilter {
        class_id: query.class_id,
        assignment_id: query.assignment_id,
        student_id: query.student_id,
        status: query.status.map(|s| s.as_str().to_string()),
        updated_since: cursor.updated_since.filter(|t| in_range(*t)),
    };
    let window = Window {
        since: &cursor.since,
        until: cursor.until.as_deref(),
        after: cursor.after,
    };
    let page = store::results::changes(&state.pool, &caller, &filter, &window, limit + 1).await?;
    let mut rows = page.rows;
    let has_more = rows.len() as i64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next = match rows.last() {
        // The window goes on: the same end, after the last row given.
        Some(last) if has_more => FeedCursor {
            since: cursor.since.clone(),
            until: Some(page.until),
            after: Some((last.change_xid, last.submission.id)),
            updated_since: cursor.updated_since,
        },
        // Everything the snapshot sees is given: the next pull starts from it.
        _ => FeedCursor {
            since: page.until,
            until: None,
            after: None,
            updated_since: cursor.updated_since,
        },
    };
    let next_cursor = next.encode();
    let items = rows
        .into_iter()
        .map(|r| submission_view(r.submission))
        .collect::<Result<Vec<_>, _>>()?;
    let mut res = HttpResponse::Ok();
    if has_more {
        res.insert_header((
            header::LINK,
            next_link(req.path(), req.query_string(), &next_cursor),
        ));
    }
    Ok(res.json(SubmissionChanges {
        items,
        next_cursor,
        has_more,
    }))
}

fn grade_etag(version: i32) -> String {
    format!("\"g{version}\"")
}

fn if_match_grade(req: &HttpRequest) -> Result<i32, ApiError> {
    let value = req.headers().get(header::IF_MATCH).ok_or_else(|| {
        ApiError::PreconditionRequired(
            "Send the submission's ETag (its grade_version) in If-Match, so two graders do not overwrite \
             each other unseen."
                .into(),
        )
    })?;
    value
        .to_str()
        .ok()
        .map(|v| {
            v.trim()
                .trim_start_matches("W/")
                .trim_matches('"')
                .trim_start_matches('g')
        })
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| {
            ApiError::PreconditionFailed("If-Match does not hold an ETag this service issued.".into())
        })
}

/// A person's grade for a submission.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GradeRequest {
    /// Between 0 and the submission's max_score.
    pub score: f64,
    pub comment: Option<String>,
}

/// Grades a submission by hand (free text, or overriding a machine score). Send the ETag you
/// read (`"g<grade_version>"`) in `If-Match`; a stale one is refused with 412. Every change
/// is kept in the grade history.
#[utoipa::path(
    tag = "results",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Submission id"),
        ("If-Match" = String, Header, description = "The submission's ETag"),
    ),
    request_body = GradeRequest,
    responses(
        (status = 200, description = "The graded submission", body = StaffSubmission,
         headers(("ETag" = String, description = "The new grade version"))),
        (status = 400, description = "Score out of range", body = crate::http::error::Problem,
         content_type = "application/problem+json"),
        (status = 404, description = "No such submission within your reach", body = crate::http::error::Problem,
         content_type = "application/problem+json"),
        (status = 412, description = "The grade changed since you read it", body = crate::http::error::Problem,
         content_type = "application/problem+json"),
        (status = 428, description = "If-Match is missing", body = crate::http::error::Problem,
         content_type = "application/problem+json"),
    )
)]
#[put("/v1/submissions/{id}/grade")]
async fn put_grade(
    caller: Caller,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<GradeRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::GRADE)?;
    let mut tx = state.pool.begin().await?;
    let row = store::results::submission_for_update(&mut tx, &caller, *id)
        .await?
        .ok_or_else(|| ApiError::not_found("submission"))?;
    if !body.score.is_finite() || body.score < 0.0 || body.score > row.max_score {
        return Err(ApiError::invalid(
            "score",
            format!("must be between 0 and {}", row.max_score),
        ));
    }
    let comment = body.comment.as_deref().map(str::trim).filter(|c| !c.is_empty());
    if comment.is_some_and(|c| c.chars().count() > 10_000) {
        return Err(ApiError::invalid("comment", "must be at most 10000 characters"));
    }
    // PostgreSQL text cannot hold NUL; refuse it here rather than fail in the database.
    if comment.is_some_and(|c| c.contains('\0')) {
        return Err(ApiError::invalid("comment", "must not contain NUL characters"));
    }
    // Judged after the body, so a grade that could never be stored gets the 400 naming why.
    let expected = if_match_grade(&req)?;
    if expected != row.grade_version {
        return Err(ApiError::PreconditionFailed(format!(
            "The grade has changed since you read it (it is now at ETag {}); read it again.",
            grade_etag(row.grade_version)
        )));
    }
    let updated = store::results::set_grade(
        &mut tx,
        &GradeChange {
            submission_id: row.id,
            changed_by: caller.id,
            reason: "manual",
            old_score: row.score,
            new_score: Some(body.score),
            old_status: &row.status,
            new_status: "graded",
            comment,
            exercise_version: None,
        },
        true,
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, grade_etag(updated.grade_version)))
        .json(submission_view(updated)?))
}

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GradeChangeReason {
    /// A person set the score.
    Manual,
    /// A regrade after the answer key was corrected.
    Regrade,
}

/// One change of a submission's score.
#[derive(Debug, Serialize, ToSchema)]
pub struct GradeHistoryEntry {
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
    /// The exercise version whose key a regrade used.
    pub exercise_version: Option<i32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GradeHistory {
    pub submission_id: Uuid,
    pub items: Vec<GradeHistoryEntry>,
}

/// Every change of a submission's grade, oldest first: who, when, old → new. Teachers and
/// admins only.
#[utoipa::path(
    tag = "results",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Submission id")),
    responses(
        (status = 200, description = "The history", body = GradeHistory),
        (status = 404, description = "No such submission within your reach", body = crate::http::error::Problem,
         content_type = "application/problem+json"),
    )
)]
#[get("/v1/submissions/{id}/grade-history")]
async fn grade_history(
    caller: Caller,
    id: web::Path<Uuid>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::GRADE_HISTORY)?;
    let row = store::results::submission(&state.pool, &caller, *id)
        .await?
        .ok_or_else(|| ApiError::not_found("submission"))?;
    let items = store::results::history(&state.pool, row.id)
        .await?
        .into_iter()
        .map(|h| {
            Ok(GradeHistoryEntry {
                id: h.id,
                changed_by: h.changed_by,
                changed_by_subject: h.changed_by_subject,
                changed_at: h.changed_at,
                reason: match h.reason.as_str() {
                    "manual" => GradeChangeReason::Manual,
                    "regrade" => GradeChangeReason::Regrade,
                    other => return Err(ApiError::internal(format!("stored reason {other:?} is unknown"))),
                },
                old_score: h.old_score,
                new_score: h.new_score,
                old_status: SubmissionStatus::parse(&h.old_status)?,
                new_status: SubmissionStatus::parse(&h.new_status)?,
                comment: h.comment,
                exercise_version: h.exercise_version,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(HttpResponse::Ok().json(GradeHistory {
        submission_id: row.id,
        items,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Release {
    pub assignment_id: Uuid,
    /// When feedback was released (the first release; releasing again changes nothing).
    pub released_at: DateTime<Utc>,
}

/// Releases feedback of an assignment whose feedback policy is `on_release`: students see
/// scores and explanations from now on. Releasing again is harmless.
#[utoipa::path(
    tag = "results",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Assignment id")),
    responses(
        (status = 200, description = "Released", body = Release),
        (status = 404, description = "No such assignment within your reach", body = crate::http::error::Problem,
         content_type = "application/problem+json"),
        (status = 409, description = "The assignment's feedback is not released by hand",
         body = crate::http::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/v1/assignments/{id}/release")]
async fn release(
    caller: Caller,
    id: web::Path<Uuid>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::RELEASE)?;
    let assignment = reachable_assignment(&state, &caller, *id).await?;
    if assignment.feedback != "on_release" {
        return Err(ApiError::Conflict {
            rule: "not-on-release",
            detail: format!(
                "This assignment's feedback policy is {}; only on_release assignments are released by hand.",
                assignment.feedback
            ),
        });
    }
    let released_at = store::results::release(&state.pool, assignment.id).await?;
    Ok(HttpResponse::Ok().json(Release {
        assignment_id: assignment.id,
        released_at,
    }))
}

// ---------------------------------------------------------------------------------------------
// Regrade

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegradeQuery {
    /// List the scores that would change without changing them.
    #[serde(default)]
    pub dry_run: bool,
}

/// A score a regrade changes (or would change).
#[derive(Debug, Serialize, ToSchema)]
pub struct RegradeChange {
    pub submission_id: Uuid,
    pub assignment_id: Uuid,
    pub student_id: Uuid,
    pub old_score: Option<f64>,
    pub new_score: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegradeReport {
    pub exercise_id: Uuid,
    /// The exercise version whose key was applied.
    pub exercise_version: i32,
    pub dry_run: bool,
    /// Machine-graded submissions looked at (hand-graded ones are left alone).
    pub examined: u64,
    pub changes: Vec<RegradeChange>,
}

/// Rescores the machine-graded submissions of an exercise within your reach against the key
/// each one's class goes by now (its teacher's own version, else the catalogue's), each under
/// its assignment's scoring: a teacher's regrade after their correction rescores their classes. `dry_run=true` lists what
/// would change; otherwise the changes are applied and recorded in the grade history.
/// Submissions a person graded by hand keep their grade.
#[utoipa::path(
    tag = "results",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Exercise id"), RegradeQuery),
    responses(
        (status = 200, description = "What changed (or would)", body = RegradeReport),
        (status = 404, description = "No such exercise", body = crate::http::error::Problem,
         content_type = "application/problem+json"),
    )
)]
#[post("/v1/exercises/{id}/regrade")]
async fn regrade(
    caller: Caller,
    id: web::Path<Uuid>,
    query: web::Query<RegradeQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::REGRADE)?;
    let exercise = store::exercises::get_as(&state.pool, *id, own_versions(&caller))
        .await?
        .ok_or_else(|| ApiError::not_found("exercise"))?;
    let mut tx = state.pool.begin().await?;
    let candidates = store::results::regrade_candidates(&mut tx, &caller, exercise.id).await?;
    let examined = candidates.len() as u64;
    let mut changes = Vec::new();
    for c in candidates {
        let mode = match c.scoring.as_str() {
            "all_or_nothing" => ScoringMode::AllOrNothing,
            _ => ScoringMode::Partial,
        };
        // Each answer against the key its class goes by (its teacher's version).
        let Some(new_score) = grade(&c.key.0, &c.answer.0, mode).score else {
            continue; // free text: a person's job
        };
        if c.score.is_some_and(|old| (old - new_score).abs() < 1e-9) {
            continue;
        }
        if !query.dry_run {
            store::results::set_grade(
                &mut tx,
                &GradeChange {
                    submission_id: c.id,
                    changed_by: caller.id,
                    reason: "regrade",
                    old_score: c.score,
                    new_score: Some(new_score),
                    old_status: &c.status,
                    new_status: "graded",
                    comment: None,
                    exercise_version: Some(c.key_version),
                },
                false,
            )
            .await?;
        }
        changes.push(RegradeChange {
            submission_id: c.id,
            assignment_id: c.assignment_id,
            student_id: c.student_id,
            old_score: c.score,
            new_score,
        });
    }
    if query.dry_run {
        tx.rollback().await?;
    } else {
        tx.commit().await?;
    }
    Ok(HttpResponse::Ok().json(RegradeReport {
        exercise_id: exercise.id,
        exercise_version: exercise.version,
        dry_run: query.dry_run,
        examined,
        changes,
    }))
}

// ---------------------------------------------------------------------------------------------
// Item analysis

#[derive(Debug, Serialize, ToSchema)]
pub struct ItemReport {
    pub exercise_id: Uuid,
    pub position: i32,
    pub kind: ExerciseKind,
    pub stats: ItemStats,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ItemAnalysisReport {
    pub assignment_id: Uuid,
    /// Students with at least one answer.
    pub students: u64,
    /// Students with a score for every exercise: the rows discrimination and alpha use.
    pub complete_students: u64,
    pub mean_total: Option<f64>,
    pub total_standard_deviation: Option<f64>,
    /// Cronbach's alpha (Moodle's coefficient of internal consistency, as a fraction).
    pub cronbach_alpha: Option<f64>,
    pub items: Vec<ItemReport>,
}

/// Item statistics of an assignment over each student's counted attempt: facility,
/// discrimination (item vs rest of test, as Moodle), option counts, Cronbach's alpha.
#[utoipa::path(
    tag = "results",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Assignment id")),
    responses(
        (status = 200, description = "The statistics", body = ItemAnalysisReport),
        (status = 404, description = "No such assignment within your reach", body = crate::http::error::Problem,
         content_type = "application/problem+json"),
    )
)]
#[get("/v1/assignments/{id}/item-analysis")]
async fn item_analysis_report(
    caller: Caller,
    id: web::Path<Uuid>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::ITEM_ANALYSIS)?;
    let assignment = reachable_assignment(&state, &caller, *id).await?;
    let exercises = store::results::assignment_exercises(&state.pool, assignment.id).await?;
    let specs: Vec<ItemSpec> = exercises
        .iter()
        .map(|e| ItemSpec {
            max_score: 1.0,
            option_ids: e.content.0.options.iter().map(|o| o.id.clone()).collect(),
        })
        .collect();
    let index: std::collections::HashMap<Uuid, usize> = exercises
        .iter()
        .enumerate()
        .map(|(i, e)| (e.exercise_id, i))
        .collect();
    let mut rows: Vec<Vec<Option<ItemResponse>>> = Vec::new();
    let mut current: Option<Uuid> = None;
    for a in store::results::counted_answers(&state.pool, assignment.id).await? {
        let Some(&i) = index.get(&a.exercise_id) else {
            continue; // an exercise since removed from the assignment
        };
        if current != Some(a.student_id) {
            current = Some(a.student_id);
            rows.push(vec![None; specs.len()]);
        }
        let chosen = match a.answer.0 {
            Answer::Choices { option_ids } => option_ids,
            Answer::Text { .. } => Vec::new(),
        };
        if let Some(row) = rows.last_mut() {
            row[i] = Some(ItemResponse {
                score: a.score,
                chosen,
            });
        }
    }
    let analysis = item_analysis::analyze(&specs, &rows);
    let items = exercises
        .iter()
        .zip(analysis.items)
        .map(|(e, stats)| {
            Ok(ItemReport {
                exercise_id: e.exercise_id,
                position: e.position,
                kind: kind_of(&e.kind)?,
                stats,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(HttpResponse::Ok().json(ItemAnalysisReport {
        assignment_id: assignment.id,
        students: analysis.students,
        complete_students: analysis.complete_students,
        mean_total: analysis.mean_total,
        total_standard_deviation: analysis.total_standard_deviation,
        cronbach_alpha: analysis.cronbach_alpha,
        items,
    }))
}

// ---------------------------------------------------------------------------------------------
// Exports

const QTI_XML: &str = "application/xml; charset=utf-8";

/// An exercise as a QTI 3.0 assessment item (with its key: staff only).
#[utoipa::path(
    tag = "results",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Exercise id")),
    responses(
        (status = 200, description = "The qti-assessment-item", content_type = "application/xml", body = String),
        (status = 404, description = "No such exercise", body = crate::http::error::Problem,
         content_type = "application/problem+json"),
    )
)]
#[get("/v1/exercises/{id}/qti")]
async fn exercise_qti(
    caller: Caller,
    id: web::Path<Uuid>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::EXERCISE_QTI)?;
    let row = store::exercises::get_as(&state.pool, *id, own_versions(&caller))
        .await?
        .ok_or_else(|| ApiError::not_found("exercise"))?;
    let exercise = Exercise {
        id: row.id,
        kind: kind_of(&row.kind)?,
        content: row.content.0,
    };
    Ok(HttpResponse::Ok()
        .content_type(QTI_XML)
        .body(qti::item_xml(&exercise)))
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// A QTI 3.0 content package (ZIP with imsmanifest.xml).
    Qti,
    /// Moodle GIFT text.
    Gift,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    pub format: ExportFormat,
}

/// An assignment's exercises for another system: a QTI 3.0 package (`format=qti`) or GIFT
/// (`format=gift`). Each exercise is exported with the assignment's scoring mode, since that
/// is how it was scored here.
#[utoipa::path(
    tag = "results",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Assignment id"), ExportQuery),
    responses(
        (status = 200, description = "A QTI 3.0 content package (ZIP) or a GIFT text file", content(
            (String = "application/zip"),
            (String = "text/plain"),
        )),
        (status = 404, description = "No such assignment within your reach", body = crate::http::error::Problem,
         content_type = "application/problem+json"),
    )
)]
#[get("/v1/assignments/{id}/export")]
async fn export_assignment(
    caller: Caller,
    id: web::Path<Uuid>,
    query: web::Query<ExportQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::EXPORT)?;
    let assignment = reachable_assignment(&state, &caller, *id).await?;
    let mode = scoring_of(&assignment)?;
    let exercises = store::results::assignment_exercises(&state.pool, assignment.id)
        .await?
        .into_iter()
        .map(|e| {
            let content = ExerciseContent {
                scoring: mode,
                ..e.content.0
            };
            Ok(Exercise {
                id: e.exercise_id,
                kind: kind_of(&e.kind)?,
                content,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    match query.format {
        ExportFormat::Qti => {
            let zip =
                qti::package(assignment.id, &assignment.title, &exercises).map_err(ApiError::internal)?;
            Ok(HttpResponse::Ok()
                .content_type("application/zip")
                .insert_header((
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"assignment-{}-qti.zip\"", assignment.id),
                ))
                .body(zip))
        }
        ExportFormat::Gift => Ok(HttpResponse::Ok()
            .content_type("text/plain; charset=utf-8")
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"assignment-{}.gift.txt\"", assignment.id),
            ))
            .body(gift::document(&exercises))),
    }
}
