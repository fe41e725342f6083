//! Assignments: a class's exercises with dates and rules; a student's list and exercise view.

use actix_web::http::header;
use actix_web::{get, patch, post, put, web, HttpRequest, HttpResponse};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::classroom::{self, AssignmentStatus, FeedbackPolicy, LatePolicy};
use crate::exercises::ScoringMode;
use crate::http::conditional;
use crate::http::error::ApiError;
use crate::http::input::parse_time;
use crate::http::pagination::PageParams;
use crate::http::pagination::{self as paging, Page};
use crate::identity::policy;
use crate::identity::{Caller, Role};
use crate::review::ExerciseStatus;
use crate::state::AppState;
use crate::store;
use crate::store::assignments::{AssignmentFields, AssignmentRow};

mod bodies;

use bodies::{
    check_fields, policies, Assignment, AssignmentExercises, AssignmentPatch, ExtensionRequest, MyAssignment,
    NewAssignment, EXERCISES_MAX,
};

/// Under `/v1/assignments`: the student view first, the most requested of them.
pub fn routes(cfg: &mut ServiceConfig<'_>) {
    cfg.service(assignment_exercises)
        .service(get_assignment)
        .service(update_assignment)
        .service(put_extension);
}

/// Under `/v1/classes`.
pub fn class_routes(cfg: &mut ServiceConfig<'_>) {
    cfg.service(create_assignment).service(list_class_assignments);
}

/// Under `/v1/me`.
pub fn me_routes(cfg: &mut ServiceConfig<'_>) {
    cfg.service(my_assignments);
}

pub fn etag(row: &AssignmentRow) -> String {
    conditional::etag("", row.version).to_string()
}

/// 428 without `If-Match`, 412 when it names neither the current version nor `*`.
fn check_if_match(req: &HttpRequest, current: &AssignmentRow) -> Result<(), ApiError> {
    let tag = conditional::etag("", current.version);
    conditional::check_if_match(
        req,
        &tag,
        "Send If-Match with the assignment's ETag (from GET), so a concurrent change is not overwritten.",
        || {
            format!(
                "The assignment has changed (its ETag is now {tag}); GET it again and reapply your change."
            )
        },
    )
}

async fn reachable_assignment(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
) -> Result<AssignmentRow, ApiError> {
    store::assignments::get_for(&state.pool, caller, id)
        .await?
        .ok_or_else(|| ApiError::not_found("assignment"))
}

fn with_etag(mut res: actix_web::HttpResponseBuilder, row: &AssignmentRow) -> actix_web::HttpResponseBuilder {
    res.insert_header((header::ETAG, etag(row)));
    res
}

/// Assigns published exercises to the class (its teacher, admin).
#[utoipa::path(
    tag = "assignments",
    security(("bearer" = [])),
    params(("class_id" = Uuid, Path)),
    request_body = NewAssignment,
    responses(
        (status = 201, description = "Created", body = Assignment, headers(
            ("Location" = String, description = "The assignment's URL"),
            ("ETag" = String, description = "Its version, for If-Match"))),
        (status = 409, description = "An exercise is not published (`/problems/exercise-not-published`)",
         body = crate::http::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{class_id}/assignments")]
async fn create_assignment(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    body: web::Json<NewAssignment>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::CREATE_ASSIGNMENT)?;
    let class = store::classes::get_for(&state.pool, &caller, path.into_inner())
        .await?
        .ok_or_else(|| ApiError::not_found("class"))?;
    let body = body.into_inner();
    let fields = AssignmentFields {
        title: body.title.trim().to_string(),
        opens_at: parse_time("opens_at", &body.opens_at)?,
        due_at: parse_time("due_at", &body.due_at)?,
        max_attempts: body.max_attempts,
        scoring: body.scoring.unwrap_or(ScoringMode::Partial),
        feedback: body.feedback.unwrap_or(FeedbackPolicy::Immediate),
        late_policy: body.late_policy.unwrap_or(LatePolicy::AcceptFlagged),
    };
    check_fields(&fields)?;
    let ids = &body.exercise_ids;
    if ids.is_empty() || ids.len() > EXERCISES_MAX {
        return Err(ApiError::invalid(
            "exercise_ids",
            format!("must list 1 to {EXERCISES_MAX} exercises"),
        ));
    }
    for (i, id) in ids.iter().enumerate() {
        if ids[..i].contains(id) {
            return Err(ApiError::invalid(
                format!("exercise_ids/{i}"),
                format!("{id} is listed twice"),
            ));
        }
    }
    // Published as the class's teacher has it: their own version where they made one.
    let statuses = store::assignments::exercise_statuses(&state.pool, ids, class.teacher_id).await?;
    for (i, id) in ids.iter().enumerate() {
        match statuses.iter().find(|(x, _)| x == id) {
            None => {
                return Err(ApiError::invalid(
                    format!("exercise_ids/{i}"),
                    format!("no exercise has the id {id}"),
                ))
            }
            Some((_, status)) if *status != ExerciseStatus::Published => {
                return Err(ApiError::Conflict {
                    rule: "exercise-not-published",
                    detail: format!(
                        "Exercise {id} is {}; only published exercises can be assigned.",
                        status.as_str()
                    ),
                })
            }
            Some(_) => {}
        }
    }
    let row =
        store::assignments::create(&state.pool, Uuid::now_v7(), class.id, caller.id, &fields, ids).await?;
    let location = format!("/v1/assignments/{}", row.id);
    Ok(with_etag(HttpResponse::Created(), &row)
        .insert_header((header::LOCATION, location))
        .json(Assignment::from_row(row, Vec::new())?))
}

/// A class's assignments (its teacher, its graders, admin).
#[utoipa::path(
    tag = "assignments",
    security(("bearer" = [])),
    params(("class_id" = Uuid, Path), PageParams),
    responses((status = 200, description = "One page, oldest first", body = Page<Assignment>,
               headers(("Link" = String, description = "`<…>; rel=\"next\"` when there is a next page"))))
)]
#[get("/{class_id}/assignments")]
async fn list_class_assignments(
    req: HttpRequest,
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    query: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::CLASS_ASSIGNMENTS)?;
    let (after, limit) = paging::parse(&query)?;
    let class = store::classes::get_for(&state.pool, &caller, path.into_inner())
        .await?
        .ok_or_else(|| ApiError::not_found("class"))?;
    let rows = store::assignments::list_for_class(&state.pool, class.id, after, limit + 1).await?;
    let (rows, next) = paging::split(rows, limit, |r| paging::cursor(r.created_at, r.id));
    let items = rows
        .into_iter()
        .map(|r| Assignment::from_row(r, Vec::new()))
        .collect::<Result<_, _>>()?;
    Ok(paging::respond_page::<Assignment>(&req, items, next))
}

/// The calling student's assignments across their classes, with their progress on each.
#[utoipa::path(
    tag = "assignments",
    security(("bearer" = [])),
    params(PageParams),
    responses((status = 200, description = "One page, oldest first", body = Page<MyAssignment>,
               headers(("Link" = String, description = "`<…>; rel=\"next\"` when there is a next page"))))
)]
#[get("/assignments")]
async fn my_assignments(
    req: HttpRequest,
    caller: Caller,
    state: web::Data<AppState>,
    query: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::MY_ASSIGNMENTS)?;
    let (after, limit) = paging::parse(&query)?;
    let rows = store::assignments::list_for_student(&state.pool, caller.id, after, limit + 1).await?;
    let (rows, next) = paging::split(rows, limit, |r| {
        paging::cursor(r.assignment.created_at, r.assignment.id)
    });
    let mut items = Vec::with_capacity(rows.len());
    for r in rows {
        let (_, feedback, late_policy) = policies(&r.assignment)?;
        let a = r.assignment;
        let total = a.exercise_ids.len();
        items.push(MyAssignment {
            id: a.id,
            class_id: a.class_id,
            title: a.title,
            opens_at: a.opens_at,
            due_at: r.extended_due_at.unwrap_or(a.due_at),
            max_attempts: a.max_attempts,
            feedback,
            late_policy,
            exercise_count: total,
            answered: r.answered,
            status: AssignmentStatus::of(r.answered, i64::try_from(total).unwrap_or(i64::MAX), r.any_late),
        });
    }
    Ok(paging::respond_page::<MyAssignment>(&req, items, next))
}

/// One assignment, with an `ETag` for conditional updates.
#[utoipa::path(
    tag = "assignments",
    security(("bearer" = [])),
    params(("assignment_id" = Uuid, Path)),
    responses((status = 200, description = "The assignment", body = Assignment,
               headers(("ETag" = String, description = "Its version, for If-Match"))))
)]
#[get("/{assignment_id}")]
async fn get_assignment(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::GET_ASSIGNMENT)?;
    let row = reachable_assignment(&state, &caller, path.into_inner()).await?;
    let only = (caller.role == Role::Student).then_some(caller.id);
    let extensions = store::assignments::extensions(&state.pool, row.id, only).await?;
    Ok(with_etag(HttpResponse::Ok(), &row).json(Assignment::from_row(row, extensions)?))
}

/// Changes an assignment's title, dates or policies (its teacher, admin). Needs `If-Match`.
#[utoipa::path(
    tag = "assignments",
    security(("bearer" = [])),
    params(("assignment_id" = Uuid, Path),
           ("If-Match" = String, Header, description = "The ETag of the assignment as last read")),
    request_body = AssignmentPatch,
    responses(
        (status = 200, description = "Updated", body = Assignment,
         headers(("ETag" = String, description = "The new version"))),
        (status = 412, description = "The assignment changed since it was read",
         body = crate::http::error::Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match is missing",
         body = crate::http::error::Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/{assignment_id}")]
async fn update_assignment(
    req: HttpRequest,
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    body: web::Json<AssignmentPatch>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::UPDATE_ASSIGNMENT)?;
    let current = reachable_assignment(&state, &caller, path.into_inner()).await?;
    // The body is judged before the precondition: a request that could never succeed gets the
    // 400 naming its fault, not a 412 that sends the client to fetch and fail again.
    let p = body.into_inner();
    let (scoring, feedback, late_policy) = policies(&current)?;
    let fields = AssignmentFields {
        title: p
            .title
            .map_or_else(|| current.title.clone(), |t| t.trim().to_string()),
        opens_at: match &p.opens_at {
            Some(t) => parse_time("opens_at", t)?,
            None => current.opens_at,
        },
        due_at: match &p.due_at {
            Some(t) => parse_time("due_at", t)?,
            None => current.due_at,
        },
        max_attempts: p.max_attempts.unwrap_or(current.max_attempts),
        scoring: p.scoring.unwrap_or(scoring),
        feedback: p.feedback.unwrap_or(feedback),
        late_policy: p.late_policy.unwrap_or(late_policy),
    };
    check_fields(&fields)?;
    check_if_match(&req, &current)?;
    let row = store::assignments::update(&state.pool, current.id, current.version, &fields)
        .await?
        .ok_or_else(|| {
            ApiError::PreconditionFailed(
                "The assignment changed while this update was applied; GET it again.".into(),
            )
        })?;
    let extensions = store::assignments::extensions(&state.pool, row.id, None).await?;
    Ok(with_etag(HttpResponse::Ok(), &row).json(Assignment::from_row(row, extensions)?))
}

/// Gives one enrolled student their own due time (its teacher, admin). Needs `If-Match`: an
/// extension is part of the assignment and changes its ETag.
#[utoipa::path(
    tag = "assignments",
    security(("bearer" = [])),
    params(("assignment_id" = Uuid, Path), ("student_id" = Uuid, Path),
           ("If-Match" = String, Header, description = "The ETag of the assignment as last read")),
    request_body = ExtensionRequest,
    responses(
        (status = 201, description = "Extension granted", body = Assignment, headers(
            ("ETag" = String, description = "The assignment's new version"),
            ("Location" = String, description = "The extension's URL"))),
        (status = 200, description = "Extension changed", body = Assignment,
         headers(("ETag" = String, description = "The assignment's new version"))),
        (status = 412, description = "The assignment changed since it was read",
         body = crate::http::error::Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match is missing",
         body = crate::http::error::Problem, content_type = "application/problem+json"),
    )
)]
#[put("/{assignment_id}/extensions/{student_id}")]
async fn put_extension(
    req: HttpRequest,
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<(Uuid, Uuid)>,
    body: web::Json<ExtensionRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::PUT_EXTENSION)?;
    let (assignment_id, student_id) = path.into_inner();
    let current = reachable_assignment(&state, &caller, assignment_id).await?;
    if !store::classes::is_student(&state.pool, current.class_id, student_id).await? {
        return Err(ApiError::NotFound(
            "That student is not enrolled in this assignment's class.".into(),
        ));
    }
    let due_at = parse_time("due_at", &body.due_at)?;
    if due_at < current.opens_at {
        return Err(ApiError::invalid(
            "due_at",
            "must not be before the assignment's opens_at",
        ));
    }
    check_if_match(&req, &current)?;
    let (row, created) = store::assignments::put_extension(
        &state.pool,
        current.id,
        current.version,
        student_id,
        due_at,
        caller.id,
    )
    .await?
    .ok_or_else(|| {
        ApiError::PreconditionFailed(
            "The assignment changed while this update was applied; GET it again.".into(),
        )
    })?;
    let extensions = store::assignments::extensions(&state.pool, row.id, None).await?;
    let mut res = if created {
        let mut res = with_etag(HttpResponse::Created(), &row);
        res.insert_header((
            header::LOCATION,
            format!("/v1/assignments/{}/extensions/{student_id}", row.id),
        ));
        res
    } else {
        with_etag(HttpResponse::Ok(), &row)
    };
    Ok(res.json(Assignment::from_row(row, extensions)?))
}

/// The assignment's exercises as the caller sees them: without keys, options in an order fixed
/// per student. Students see them once the assignment is open.
#[utoipa::path(
    tag = "assignments",
    security(("bearer" = [])),
    params(("assignment_id" = Uuid, Path)),
    responses(
        (status = 200, description = "The exercises, in order", body = AssignmentExercises),
        (status = 409, description = "The assignment is not open yet (`/problems/not-open-yet`)",
         body = crate::http::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/{assignment_id}/exercises")]
async fn assignment_exercises(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::ASSIGNMENT_EXERCISES)?;
    // One query (reach, opening, the class's teacher's version of each exercise); the versions
    // themselves are immutable and rendered once per process, so only the option order is
    // computed here.
    let row = store::assignments::view_for(&state.pool, &caller, path.into_inner())
        .await?
        .ok_or_else(|| ApiError::not_found("assignment"))?;
    // The database's clock, not this instance's: every instance judges alike.
    if caller.role == Role::Student && row.read_at < row.opens_at {
        let refusal = classroom::Refusal::NotOpenYet {
            opens_at: row.opens_at,
        };
        return Err(ApiError::Conflict {
            rule: refusal.rule(),
            detail: refusal.detail(),
        });
    }
    let mut versions = Vec::with_capacity(row.exercise_ids.len());
    for (&id, &version) in row.exercise_ids.iter().zip(&row.versions) {
        let v = state
            .versions
            .get(&state.pool, id, version)
            .await?
            .ok_or_else(|| ApiError::internal("an assigned exercise version is not stored"))?;
        versions.push(v);
    }
    let mut body = String::with_capacity(16 + versions.iter().map(|v| v.rendered_len() + 1).sum::<usize>());
    body.push_str("{\"items\":[");
    for (n, v) in versions.iter().enumerate() {
        if n > 0 {
            body.push(',');
        }
        v.render_for(caller.id, &mut body);
    }
    body.push_str("],\"next_cursor\":null}");
    Ok(HttpResponse::Ok().content_type("application/json").body(body))
}

/// The seed of a student's option order for one exercise.
pub fn shuffle_seed(student: Uuid, exercise: Uuid) -> [u8; 32] {
    let mut seed = [0u8; 32];
    seed[..16].copy_from_slice(student.as_bytes());
    seed[16..].copy_from_slice(exercise.as_bytes());
    seed
}
