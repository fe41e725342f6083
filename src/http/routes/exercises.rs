//! Exercises: the teacher view (with keys) and the student view (without), and teacher review
//! with ETag / If-Match.

use actix_web::http::header;
use actix_web::{get, patch, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::exercises::review_page::{self, ReviewItem, ReviewPage};
use crate::exercises::{Exercise, ExerciseContent, ExerciseKind, StudentExercise};
use crate::http::conditional;
use crate::http::error::ApiError;
use crate::identity::policy;
use crate::identity::{Caller, STAFF};
use crate::review::{check_quotes, ExercisePatch, ExerciseStatus};
use crate::state::AppState;
use crate::store;
use crate::store::exercises::ExerciseRow;

/// Under `/v1/exercises`.
pub fn routes(cfg: &mut ServiceConfig<'_>) {
    cfg.service(get_exercise).service(patch_exercise);
}

/// Under `/v1/articles`.
pub fn article_routes(cfg: &mut ServiceConfig<'_>) {
    cfg.service(article_exercises).service(article_review);
}

/// An exercise as teachers, graders and admins see it: with its key and explanations.
#[derive(Debug, Serialize, ToSchema)]
pub struct TeacherExercise {
    pub id: Uuid,
    pub kind: ExerciseKind,
    pub status: ExerciseStatus,
    /// Counts up with every change; the ETag carries it.
    pub version: i32,
    /// The articles the exercise is about (several for comparisons).
    pub article_ids: Vec<Uuid>,
    /// A teacher has corrected it: re-generation keeps the correction.
    pub corrected: bool,
    /// Whose version this is: `null` for the shared catalogue (seed and generated exercises,
    /// corrected only by admins), or the teacher whose own version it is. A teacher sees their
    /// own version once they have corrected the exercise; everyone else sees the catalogue's.
    pub owner_id: Option<Uuid>,
    pub generator_version: i32,
    pub content: ExerciseContent,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One exercise in the caller's view: staff get the teacher view, students the student view
/// (the two share no required field, so `oneOf` tells them apart).
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum ExerciseView {
    Teacher(TeacherExercise),
    Student(StudentExercise),
}

/// A list of exercises in the caller's view.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum ExerciseItems {
    Teacher(Vec<TeacherExercise>),
    Student(Vec<StudentExercise>),
}

/// Staff get [`TeacherExercise`]s, students [`StudentExercise`]s. `anyOf`, not `oneOf`: an
/// empty list is both.
fn exercise_items_schema() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{AnyOfBuilder, ArrayBuilder, Schema};
    use utoipa::openapi::Ref;
    Schema::AnyOf(
        AnyOfBuilder::new()
            .item(ArrayBuilder::new().items(Ref::from_schema_name("TeacherExercise")))
            .item(ArrayBuilder::new().items(Ref::from_schema_name("StudentExercise")))
            .build(),
    )
}

const ALL_STATUSES: [ExerciseStatus; 3] = [
    ExerciseStatus::Draft,
    ExerciseStatus::Published,
    ExerciseStatus::Retired,
];

#[derive(Debug, Serialize, ToSchema)]
pub struct ExerciseList {
    #[schema(schema_with = exercise_items_schema)]
    pub items: ExerciseItems,
    /// Always `null`: an article's exercises come in one page (the shape every list has).
    pub next_cursor: Option<String>,
}

fn teacher_view(row: ExerciseRow) -> Result<TeacherExercise, ApiError> {
    Ok(TeacherExercise {
        id: row.id,
        kind: row.kind,
        status: row.status,
        version: row.version,
        article_ids: row.article_ids,
        corrected: row.corrected_by.is_some(),
        owner_id: row.owner_id,
        generator_version: row.generator_version,
        content: row.content.0,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// The student view: options shuffled the same way every time for the same student.
pub fn student_view(row: &ExerciseRow, student: Uuid) -> Result<StudentExercise, ApiError> {
    let seed = [student.as_bytes().as_slice(), row.id.as_bytes().as_slice()].concat();
    Ok(row.content.0.student_view(row.id, row.kind, &seed))
}

async fn exercise_list(
    pool: &PgPool,
    caller: &Caller,
    article_id: Uuid,
    status: Option<ExerciseStatus>,
) -> Result<ExerciseList, ApiError> {
    if STAFF.contains(&caller.role) {
        let statuses: Vec<ExerciseStatus> = match status {
            Some(s) => vec![s],
            None => ALL_STATUSES.to_vec(),
        };
        let rows = store::exercises::for_article(pool, article_id, &statuses, caller.own_versions()).await?;
        let items = rows.into_iter().map(teacher_view).collect::<Result<_, _>>()?;
        Ok(ExerciseList {
            items: ExerciseItems::Teacher(items),
            next_cursor: None,
        })
    } else {
        let rows =
            store::exercises::for_article(pool, article_id, &[ExerciseStatus::Published], None).await?;
        let items = rows
            .iter()
            .map(|r| student_view(r, caller.id))
            .collect::<Result<_, _>>()?;
        Ok(ExerciseList {
            items: ExerciseItems::Student(items),
            next_cursor: None,
        })
    }
}

fn etag(version: i32) -> String {
    conditional::etag("", version).to_string()
}

/// An exercise. Staff get the full exercise with an ETag; students get the published
/// exercise without its key.
#[utoipa::path(
    tag = "exercises",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Exercise id")),
    responses(
        (status = 200, description = "Teacher view (staff) or student view", body = ExerciseView,
         headers(("ETag" = String, description = "The exercise version, for If-Match (staff only)"))),
    )
)]
#[get("/{id}")]
async fn get_exercise(
    caller: Caller,
    id: web::Path<Uuid>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::GET_EXERCISE)?;
    let row = store::exercises::get_as(&state.pool, *id, caller.own_versions())
        .await?
        .ok_or_else(|| ApiError::not_found("exercise"))?;
    if STAFF.contains(&caller.role) {
        let tag = etag(row.version);
        return Ok(HttpResponse::Ok()
            .insert_header((header::ETAG, tag))
            .json(ExerciseView::Teacher(teacher_view(row)?)));
    }
    if row.status != ExerciseStatus::Published {
        return Err(ApiError::not_found("exercise"));
    }
    Ok(HttpResponse::Ok().json(ExerciseView::Student(student_view(&row, caller.id)?)))
}

/// Corrects, publishes or retires an exercise. A teacher's change makes (or updates) their
/// own version: the shared catalogue and other teachers' versions never change, and from now
/// on that teacher sees their version and their classes are shown and graded against it (an
/// answer already stored keeps the version it was graded against; regrade is explicit). An
/// admin's change corrects the shared catalogue, which every teacher without their own version
/// sees. Send the ETag you read in `If-Match`: a stale one is refused (412).
#[utoipa::path(
    tag = "exercises",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Exercise id"),
        ("If-Match" = String, Header, description = "The ETag of the version you edited"),
    ),
    request_body = ExercisePatch,
    responses(
        (status = 200, description = "The exercise after the change", body = TeacherExercise,
         headers(("ETag" = String, description = "The new version"))),
        (status = 412, description = "The exercise changed since you read it", body = crate::http::error::Problem,
         content_type = "application/problem+json"),
        (status = 428, description = "If-Match is missing", body = crate::http::error::Problem,
         content_type = "application/problem+json"),
    )
)]
#[patch("/{id}")]
async fn patch_exercise(
    caller: Caller,
    req: HttpRequest,
    id: web::Path<Uuid>,
    patch: web::Json<ExercisePatch>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::CORRECT_EXERCISE)?;
    let row = store::exercises::get_as(&state.pool, *id, caller.own_versions())
        .await?
        .ok_or_else(|| ApiError::not_found("exercise"))?;
    // The body is judged before the precondition: an edit that could never apply gets the 400
    // naming its fault rather than a 412 that sends the client to fetch and fail again.
    let (content, status) = patch.apply(&row.content.0, row.status);
    content
        .validate()
        .map_err(|e| ApiError::invalid("content", e.to_string()))?;
    if let [article_id] = row.article_ids[..] {
        if content.passage.is_some() || content.options.iter().any(|o| o.quote.is_some()) {
            let article = store::articles::get(&state.pool, article_id)
                .await?
                .ok_or_else(|| ApiError::not_found("article"))?;
            check_quotes(&content, &article.body).map_err(|e| ApiError::invalid("options", e))?;
        }
    }
    conditional::check_if_match(
        &req,
        &conditional::etag("", row.version),
        "Send the exercise's ETag in If-Match, so concurrent edits are not lost.",
        || stale_detail(row.version),
    )?;
    let expected = row.version;
    let mut tx = state.pool.begin().await?;
    // A teacher's correction is their own version (copy on write); an admin's corrects the
    // shared catalogue.
    let updated = match caller.own_versions() {
        Some(teacher) => {
            store::exercises::correct_own(&mut tx, row.id, teacher, expected, &content, status).await?
        }
        None => store::exercises::update(&mut tx, row.id, expected, &content, status, caller.id).await?,
    };
    tx.commit().await?;
    let updated = updated.ok_or_else(|| stale(row.version + 1))?;
    let tag = etag(updated.version);
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, tag))
        .json(teacher_view(updated)?))
}

fn stale_detail(current: i32) -> String {
    format!(
        "The exercise has changed since you read it (it is now at ETag {}); read it again and redo your change.",
        etag(current)
    )
}

fn stale(current: i32) -> ApiError {
    ApiError::PreconditionFailed(stale_detail(current))
}

/// The exercises built from an article. Teachers, graders and admins see every exercise with
/// its key; students see published exercises only, without keys.
#[utoipa::path(
    tag = "articles",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Article id"),
        ("status" = Option<ExerciseStatus>, Query, description = "Only exercises in this status (staff)"),
    ),
    responses((status = 200, description = "The article's exercises", body = ExerciseList))
)]
#[get("/{id}/exercises")]
async fn article_exercises(
    caller: Caller,
    id: web::Path<Uuid>,
    filter: web::Query<StatusFilter>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::ARTICLE_EXERCISES)?;
    store::articles::get(&state.pool, *id)
        .await?
        .ok_or_else(|| ApiError::not_found("article"))?;
    let list = exercise_list(&state.pool, &caller, *id, filter.status).await?;
    Ok(HttpResponse::Ok().json(list))
}

#[derive(Debug, Deserialize)]
pub struct StatusFilter {
    pub status: Option<ExerciseStatus>,
}

/// The article and every exercise built from it as one HTML page for review (staff): sources
/// highlighted by kind, cues, hedges and loaded terms marked, page clutter greyed, each exercise
/// with its key, confidence and review notes beside the paragraph it quotes. Self-contained
/// (works offline); links to the JSON.
#[utoipa::path(
    tag = "articles",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Article id")),
    responses(
        (status = 200, description = "The review page", content_type = "text/html", body = String,
         headers(("Content-Security-Policy" = String, description = "The page runs no script and fetches nothing"))),
    )
)]
#[get("/{id}/review")]
async fn article_review(
    caller: Caller,
    id: web::Path<Uuid>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::ARTICLE_REVIEW)?;
    let article = store::articles::get(&state.pool, *id)
        .await?
        .ok_or_else(|| ApiError::not_found("article"))?;
    let rows =
        store::exercises::for_article(&state.pool, article.id, &ALL_STATUSES, caller.own_versions()).await?;
    let exercises = rows
        .iter()
        .map(|r| {
            Ok(Exercise {
                id: r.id,
                kind: r.kind,
                content: r.content.0.clone(),
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    let items: Vec<ReviewItem<'_>> = exercises
        .iter()
        .zip(&rows)
        .map(|(exercise, r)| ReviewItem {
            exercise,
            status: r.status.as_str(),
        })
        .collect();
    let html = review_page::render(&ReviewPage {
        title: &article.title,
        text: &article.body,
        analysis: &article.analysis,
        items: &items,
        article_json: &format!("/v1/articles/{}", article.id),
        exercises_json: &format!("/v1/articles/{}/exercises", article.id),
    });
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        // Nothing but its own inline styles: no script, nothing fetched.
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'",
        ))
        .body(html))
}
