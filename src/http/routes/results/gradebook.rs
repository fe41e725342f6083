//! The gradebook: per student each exercise's counted score, streamed as JSON or CSV.

use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::exercises::ExerciseKind;
use crate::http::error::ApiError;
use crate::http::negotiate::negotiate;
use crate::identity::policy;
use crate::identity::Caller;
use crate::results::counting::{Attempts, Cell};
use crate::results::{csv, qti};
use crate::state::AppState;
use crate::store;
use crate::store::results::{GradebookStudent, ResultsAssignmentRow};

pub fn routes(cfg: &mut ServiceConfig<'_>) {
    cfg.service(gradebook).service(gradebook_csv);
}

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

/// A student's attempts as the counting rule reads them.
fn attempts_of(student: &GradebookStudent) -> Attempts<'_> {
    match (
        &student.exercise_ids,
        &student.attempts,
        &student.scores,
        &student.graded,
        &student.late,
    ) {
        (Some(exercise_ids), Some(attempts), Some(scores), Some(graded), Some(late)) => Attempts {
            exercise_ids,
            attempts,
            scores,
            graded,
            late,
        },
        _ => Attempts::NONE,
    }
}

/// One student's row: each column's cell by the counting rule, in assignment order.
fn student_row(student: GradebookStudent, exercise_ids: &[Uuid]) -> GradebookRow {
    let attempts = attempts_of(&student);
    let mut totals = Totals::default();
    let mut cells = Vec::with_capacity(exercise_ids.len());
    for &exercise_id in exercise_ids {
        let cell = attempts.cell(exercise_id);
        totals.add(cell.as_ref());
        cells.push(match cell {
            None => GradebookCellView {
                exercise_id,
                score: None,
                attempts: 0,
                pending_review: 0,
                late: false,
            },
            Some(cell) => GradebookCellView {
                exercise_id,
                score: cell.score,
                attempts: cell.attempts,
                pending_review: cell.pending,
                late: cell.counted_late,
            },
        });
    }
    GradebookRow {
        student_id: student.id,
        subject: student.subject,
        display_name: student.display_name,
        cells,
        total: totals.total,
        max_total: totals.max_total,
        late: totals.late,
        pending_review: totals.pending,
    }
}

/// A row's totals as its cells add up: each column counts 1 towards the maximum, each
/// counted score towards the total; answers awaiting review are summed, and the row is late
/// when any attempt in it was.
#[derive(Default)]
struct Totals {
    total: f64,
    max_total: f64,
    late: bool,
    pending: i64,
}

impl Totals {
    fn add(&mut self, cell: Option<&Cell>) {
        self.max_total += 1.0;
        if let Some(cell) = cell {
            self.total += cell.score.unwrap_or(0.0);
            self.pending += cell.pending;
            self.late |= cell.any_late;
        }
    }
}

/// The gradebook's columns as a body writer needs them: the exercise ids in order and, for
/// the JSON, each cell's constant opening (`{"exercise_id":"…","score":`) formatted once per
/// request instead of once per student.
struct Columns {
    ids: Vec<Uuid>,
    json_cell_heads: Vec<Vec<u8>>,
}

impl Columns {
    fn new(ids: Vec<Uuid>) -> Self {
        let json_cell_heads = ids
            .iter()
            .map(|id| format!("{{\"exercise_id\":\"{}\",\"score\":", id.hyphenated()).into_bytes())
            .collect();
        Columns { ids, json_cell_heads }
    }
}

fn push_json<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) -> Result<(), serde_json::Error> {
    serde_json::to_writer(&mut *out, value)
}

/// One student's row in JSON, byte for byte what serde writes for [`student_row`]'s
/// [`GradebookRow`] (a unit test holds the two together), without building the row: the
/// field names and each column's exercise id are constants, so per cell only the numbers are
/// formatted.
fn write_json_row(
    out: &mut Vec<u8>,
    student: &GradebookStudent,
    columns: &Columns,
) -> Result<(), serde_json::Error> {
    let attempts = attempts_of(student);
    out.extend_from_slice(b"{\"student_id\":\"");
    out.extend_from_slice(
        student
            .id
            .hyphenated()
            .encode_lower(&mut Uuid::encode_buffer())
            .as_bytes(),
    );
    out.extend_from_slice(b"\",\"subject\":");
    push_json(out, student.subject.as_str())?;
    out.extend_from_slice(b",\"display_name\":");
    push_json(out, &student.display_name)?;
    out.extend_from_slice(b",\"cells\":[");
    let mut totals = Totals::default();
    for (i, (&exercise_id, head)) in columns.ids.iter().zip(&columns.json_cell_heads).enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(head);
        let cell = attempts.cell(exercise_id);
        totals.add(cell.as_ref());
        match cell {
            None => out.extend_from_slice(b"null,\"attempts\":0,\"pending_review\":0,\"late\":false}"),
            Some(cell) => {
                push_json(out, &cell.score)?;
                out.extend_from_slice(b",\"attempts\":");
                push_json(out, &cell.attempts)?;
                out.extend_from_slice(b",\"pending_review\":");
                push_json(out, &cell.pending)?;
                out.extend_from_slice(if cell.counted_late {
                    b",\"late\":true}"
                } else {
                    b",\"late\":false}"
                });
            }
        }
    }
    out.extend_from_slice(b"],\"total\":");
    push_json(out, &totals.total)?;
    out.extend_from_slice(b",\"max_total\":");
    push_json(out, &totals.max_total)?;
    out.extend_from_slice(if totals.late {
        b",\"late\":true"
    } else {
        b",\"late\":false"
    });
    out.extend_from_slice(b",\"pending_review\":");
    push_json(out, &totals.pending)?;
    out.push(b'}');
    Ok(())
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
fn json_head(assignment: &ResultsAssignmentRow, columns: &[GradebookColumn]) -> Result<String, ApiError> {
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
    fn push_row(
        self,
        out: &mut Vec<u8>,
        student: GradebookStudent,
        columns: &Columns,
        first: bool,
    ) -> Result<(), serde_json::Error> {
        match self {
            GradebookFormat::Csv => {
                out.extend_from_slice(csv_row(&student_row(student, &columns.ids)).as_bytes())
            }
            GradebookFormat::Json => {
                if !first {
                    out.push(b',');
                }
                // Straight into the chunk, no string per row.
                write_json_row(out, &student, columns)?;
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

/// Streams a gradebook body: `head`, then each student's row, then the format's end. One
/// statement reads every row (one snapshot, no transaction), and rows are written as
/// PostgreSQL sends them, so memory holds one student's cells and a chunk of output. The
/// connection is taken before the response starts, so a database that is down or busy still
/// gets a 503 problem; a failure after that can only cut the body short, which a client sees
/// as a broken transfer rather than a complete file.
fn gradebook_body(
    mut conn: sqlx::pool::PoolConnection<sqlx::Postgres>,
    assignment: (Uuid, Uuid),
    columns: Columns,
    head: String,
    format: GradebookFormat,
) -> impl futures_util::Stream<Item = Result<web::Bytes, std::io::Error>> {
    use futures_util::StreamExt as _;
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<web::Bytes, std::io::Error>>(4);
    actix_web::rt::spawn(async move {
        let (assignment_id, class_id) = assignment;
        let result = async {
            let mut students = store::results::gradebook_students(&mut conn, assignment_id, class_id);
            let mut buf = head.into_bytes();
            buf.reserve(CHUNK);
            let mut first = true;
            while let Some(student) = students.next().await.transpose()? {
                format.push_row(&mut buf, student, &columns, first)?;
                first = false;
                if buf.len() >= CHUNK {
                    let chunk = std::mem::replace(&mut buf, Vec::with_capacity(CHUNK + 1024));
                    if tx.send(Ok(web::Bytes::from(chunk))).await.is_err() {
                        return Ok(()); // the client went away
                    }
                }
            }
            buf.extend_from_slice(format.tail().as_bytes());
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
/// attempt), total, late flag and pending-review count. Streamed as the database returns the
/// rows, so a large class never sits in memory. The CSV is its own operation
/// (`/results.csv`), so generated clients type each body on its own.
#[utoipa::path(
    tag = "results",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Assignment id")),
    responses(
        (status = 200, description = "The gradebook", body = Gradebook),
        (status = 404, description = "No such assignment within your reach", body = crate::http::error::Problem,
         content_type = "application/problem+json"),
        (status = 406, description = "The `Accept` header does not allow JSON (the CSV is `/results.csv`)",
         body = crate::http::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/{id}/results")]
async fn gradebook(
    caller: Caller,
    req: HttpRequest,
    id: web::Path<Uuid>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::GRADEBOOK)?;
    negotiate(&req, &["application/json"])?;
    serve(caller, *id, state, "application/json").await
}

/// The gradebook as CSV for spreadsheets: one row per student, one column per exercise, a
/// header row naming them; streamed like the JSON.
#[utoipa::path(
    tag = "results",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Assignment id")),
    responses(
        (status = 200, description = "The gradebook as CSV", body = String, content_type = "text/csv",
         headers(("Content-Disposition" = String, description = "`attachment; filename=\"results-<id>.csv\"`"))),
        (status = 404, description = "No such assignment within your reach", body = crate::http::error::Problem,
         content_type = "application/problem+json"),
        (status = 406, description = "The `Accept` header does not allow CSV", body = crate::http::error::Problem,
         content_type = "application/problem+json"),
    )
)]
#[get("/{id}/results.csv")]
async fn gradebook_csv(
    caller: Caller,
    req: HttpRequest,
    id: web::Path<Uuid>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::GRADEBOOK_CSV)?;
    negotiate(&req, &["text/csv"])?;
    serve(caller, *id, state, "text/csv").await
}

async fn serve(
    caller: Caller,
    id: Uuid,
    state: web::Data<AppState>,
    media: &str,
) -> Result<HttpResponse, ApiError> {
    // One connection for the three statements (reach, columns, rows): one pool wait per
    // request, taken before the response starts.
    let mut conn = state.pool.acquire().await?;
    let assignment = store::results::assignment(&mut *conn, &caller, id)
        .await?
        .ok_or_else(|| ApiError::not_found("assignment"))?;
    let exercises = store::results::gradebook_columns(&mut *conn, assignment.id).await?;
    let columns: Vec<GradebookColumn> = exercises
        .iter()
        .map(|e| {
            let kind = e.kind;
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
    let columns = Columns::new(exercises.iter().map(|e| e.exercise_id).collect());
    Ok(response.streaming(gradebook_body(
        conn,
        (assignment.id, assignment.class_id),
        columns,
        head,
        format,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn student(
        subject: &str,
        display_name: Option<&str>,
        attempts: &[(Uuid, i32, Option<f64>, bool, bool)],
    ) -> GradebookStudent {
        let some = !attempts.is_empty();
        GradebookStudent {
            id: Uuid::now_v7(),
            subject: subject.into(),
            display_name: display_name.map(Into::into),
            exercise_ids: some.then(|| attempts.iter().map(|a| a.0).collect()),
            attempts: some.then(|| attempts.iter().map(|a| a.1).collect()),
            scores: some.then(|| attempts.iter().map(|a| a.2).collect()),
            graded: some.then(|| attempts.iter().map(|a| a.3).collect()),
            late: some.then(|| attempts.iter().map(|a| a.4).collect()),
        }
    }

    #[test]
    fn the_json_row_writer_writes_what_serde_writes_for_the_row() {
        let ids: Vec<Uuid> = (1..=4).map(|_| Uuid::new_v4()).collect();
        let other = Uuid::new_v4(); // an exercise no longer in the assignment
        let students = [
            student(
                "ana",
                Some("Ana \"A\" B\\ \u{1}é"),
                &[
                    (ids[0], 1, Some(0.0), true, false),
                    (ids[0], 2, Some(1.0), true, true),
                    (ids[1], 1, None, false, true),
                    (ids[2], 1, Some(0.333_333_333_3), true, false),
                    (ids[2], 2, None, true, false),
                    (other, 1, Some(5.0), true, true),
                ],
            ),
            student("=HYPERLINK(\"x\")", None, &[]),
            student(
                "cy",
                None,
                &[
                    (ids[3], 7, Some(-0.0), true, false),
                    (ids[3], 3, Some(f64::NAN), true, true),
                ],
            ),
        ];
        let columns = Columns::new(ids.clone());
        for s in students {
            let mut fast = Vec::new();
            write_json_row(&mut fast, &s, &columns).unwrap();
            let reference = serde_json::to_vec(&student_row(s, &ids)).unwrap();
            assert_eq!(
                String::from_utf8(fast).unwrap(),
                String::from_utf8(reference).unwrap()
            );
        }
    }
}
