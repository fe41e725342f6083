//! Classes: created by teachers, joined by students with a code, graders assigned.

use actix_web::http::header;
use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::classroom;
use crate::http::error::ApiError;
use crate::http::input::storable;
use crate::http::pagination::PageParams;
use crate::http::pagination::{self as paging, Page};
use crate::identity::policy;
use crate::identity::{Caller, Role};
use crate::state::AppState;
use crate::store;
use crate::store::classes::{AddOutcome, ClassRow, MemberRow, Person};

pub fn routes(cfg: &mut ServiceConfig<'_>) {
    cfg.service(create_class)
        .service(list_classes)
        .service(join_class)
        .service(get_class)
        .service(enroll_student)
        .service(assign_grader)
        .service(list_members)
        .service(remove_member);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Class {
    pub id: Uuid,
    pub name: String,
    pub teacher_id: Uuid,
    /// Students join with this code. Shown to the class's teacher and admins only.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "K7QMX2PA")]
    pub join_code: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl Class {
    fn from_row(row: ClassRow, caller: &Caller) -> Self {
        let shows_code = caller.role == Role::Admin || row.teacher_id == caller.id;
        Class {
            id: row.id,
            name: row.name,
            teacher_id: row.teacher_id,
            join_code: shows_code.then_some(row.join_code),
            created_at: row.created_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewClass {
    /// 1–200 characters, not all blank.
    #[schema(
        example = "Media literacy 9B",
        min_length = 1,
        max_length = 200,
        pattern = r"\S"
    )]
    pub name: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JoinRequest {
    #[schema(example = "K7QMX2PA", min_length = 1, pattern = r"\S")]
    pub join_code: String,
}

/// Who to enroll or assign: exactly one of `subject` (the person's token `sub`; they need not
/// have signed in yet) or `user_id` (a user newslit already knows).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberRequest {
    /// 1–255 bytes, not all blank.
    #[schema(example = "sam", min_length = 1, max_length = 255, pattern = r"\S")]
    pub subject: Option<String>,
    #[schema(pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    pub user_id: Option<Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Member {
    pub user_id: Uuid,
    pub subject: String,
    pub name: Option<String>,
    /// `student` or `grader`.
    #[schema(example = "student")]
    pub role: String,
    /// When they joined or were added.
    pub added_at: DateTime<Utc>,
}

impl From<MemberRow> for Member {
    fn from(r: MemberRow) -> Self {
        Member {
            user_id: r.user_id,
            subject: r.subject,
            name: r.display_name,
            role: r.role.as_str().to_string(),
            added_at: r.created_at,
        }
    }
}

/// The class, or 404 when it is outside the caller's reach.
async fn reachable(state: &AppState, caller: &Caller, id: Uuid) -> Result<ClassRow, ApiError> {
    store::classes::get_for(&state.pool, caller, id)
        .await?
        .ok_or_else(|| ApiError::not_found("class"))
}

/// Creates a class owned by the calling teacher, with a fresh join code.
#[utoipa::path(
    tag = "classes",
    security(("bearer" = [])),
    request_body = NewClass,
    responses((status = 201, description = "Created; `Location` names it", body = Class,
               headers(("Location" = String, description = "The class's URL"))))
)]
#[post("")]
async fn create_class(
    caller: Caller,
    state: web::Data<AppState>,
    body: web::Json<NewClass>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::CREATE_CLASS)?;
    let name = body.name.trim();
    storable("name", name)?;
    if name.is_empty() || name.chars().count() > 200 {
        return Err(ApiError::invalid("name", "must be 1 to 200 characters"));
    }
    let id = Uuid::now_v7();
    let mut tries = 0;
    let row = loop {
        let random = Uuid::new_v4();
        let mut bits = [0u8; 5];
        bits.copy_from_slice(&random.as_bytes()[..5]);
        let code = classroom::join_code(bits);
        match store::classes::create(&state.pool, id, name, caller.id, &code).await {
            Ok(row) => break row,
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() && tries < 5 => tries += 1,
            Err(e) => return Err(e.into()),
        }
    };
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/v1/classes/{}", row.id)))
        .json(Class::from_row(row, &caller)))
}

/// The classes within the caller's reach: a teacher's own, a student's enrolled, a grader's
/// assigned, all for an admin.
#[utoipa::path(
    tag = "classes",
    security(("bearer" = [])),
    params(PageParams),
    responses((status = 200, description = "One page, oldest first", body = Page<Class>,
               headers(("Link" = String, description = "`<…>; rel=\"next\"` when there is a next page"))))
)]
#[get("")]
async fn list_classes(
    req: HttpRequest,
    caller: Caller,
    state: web::Data<AppState>,
    query: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::LIST_CLASSES)?;
    let (after, limit) = paging::parse(&query)?;
    let rows = store::classes::list_for(&state.pool, &caller, after, limit + 1).await?;
    let (rows, next) = paging::split(rows, limit, |r| paging::cursor(r.created_at, r.id));
    Ok(paging::respond_page(
        &req,
        rows.into_iter().map(|r| Class::from_row(r, &caller)).collect(),
        next,
    ))
}

/// One class.
#[utoipa::path(
    tag = "classes",
    security(("bearer" = [])),
    params(("class_id" = Uuid, Path)),
    responses((status = 200, description = "The class", body = Class))
)]
#[get("/{class_id}")]
async fn get_class(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::GET_CLASS)?;
    let row = reachable(&state, &caller, path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(Class::from_row(row, &caller)))
}

/// A student joins a class with its join code (joining twice is harmless: 200).
#[utoipa::path(
    tag = "classes",
    security(("bearer" = [])),
    request_body = JoinRequest,
    responses(
        (status = 201, description = "Joined", body = Class,
         headers(("Location" = String, description = "The class's URL"))),
        (status = 200, description = "Already a member", body = Class),
        (status = 404, description = "No class has this join code", body = crate::http::error::Problem,
         content_type = "application/problem+json"),
    )
)]
#[post("/join")]
async fn join_class(
    caller: Caller,
    state: web::Data<AppState>,
    body: web::Json<JoinRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::JOIN_CLASS)?;
    let code = body.join_code.trim().to_uppercase();
    storable("join_code", &code)?;
    if code.is_empty() {
        return Err(ApiError::invalid("join_code", "must not be empty"));
    }
    let class = store::classes::find_by_code(&state.pool, &code)
        .await?
        .ok_or_else(|| ApiError::NotFound("No class has this join code.".into()))?;
    let outcome = store::classes::add_member(
        &state.pool,
        class.id,
        Person::Id(caller.id),
        Role::Student,
        caller.id,
    )
    .await?;
    let location = format!("/v1/classes/{}", class.id);
    let class = Class::from_row(class, &caller);
    match outcome {
        AddOutcome::Added(_) => Ok(HttpResponse::Created()
            .insert_header((header::LOCATION, location))
            .json(class)),
        AddOutcome::AlreadyMember(_) => Ok(HttpResponse::Ok().json(class)),
        _ => Err(ApiError::Conflict {
            rule: "membership-conflict",
            detail: "You are already in this class in another role.".into(),
        }),
    }
}

async fn add(
    caller: Caller,
    state: web::Data<AppState>,
    class_id: Uuid,
    body: MemberRequest,
    role: Role,
) -> Result<HttpResponse, ApiError> {
    let class = reachable(&state, &caller, class_id).await?;
    let person = match (&body.subject, body.user_id) {
        (Some(s), None) => {
            let s = s.trim();
            storable("subject", s)?;
            if s.is_empty() || s.len() > 255 {
                return Err(ApiError::invalid("subject", "must be 1 to 255 bytes"));
            }
            Person::Subject(s)
        }
        (None, Some(id)) => Person::Id(id),
        _ => {
            return Err(ApiError::invalid(
                "subject",
                "give exactly one of subject or user_id",
            ))
        }
    };
    let outcome = store::classes::add_member(&state.pool, class.id, person, role, caller.id).await?;
    let location = |m: &MemberRow| format!("/v1/classes/{}/members/{}", class.id, m.user_id);
    match outcome {
        AddOutcome::Added(m) => Ok(HttpResponse::Created()
            .insert_header((header::LOCATION, location(&m)))
            .json(Member::from(m))),
        AddOutcome::AlreadyMember(m) => Ok(HttpResponse::Ok().json(Member::from(m))),
        AddOutcome::NoSuchUser => Err(ApiError::invalid(
            "user_id",
            "no user has this id; enroll someone who has not signed in yet by subject",
        )),
        AddOutcome::WrongRole { user_role } => Err(ApiError::Conflict {
            rule: "wrong-role",
            detail: format!(
                "This user's role is {}; only a {} can be added here.",
                user_role.as_str(),
                role.as_str()
            ),
        }),
        AddOutcome::OtherMembership { role } => Err(ApiError::Conflict {
            rule: "membership-conflict",
            detail: format!("This user is already in the class as a {}.", role.as_str()),
        }),
    }
}

/// Enrolls a student in the class (teacher of the class, admin).
#[utoipa::path(
    tag = "classes",
    security(("bearer" = [])),
    params(("class_id" = Uuid, Path)),
    request_body = MemberRequest,
    responses(
        (status = 201, description = "Enrolled", body = Member,
         headers(("Location" = String, description = "The membership's URL"))),
        (status = 200, description = "Already enrolled", body = Member),
        (status = 409, description = "The user's role is not student (`/problems/wrong-role`), or they \
                                      are in the class as a grader (`/problems/membership-conflict`)",
         body = crate::http::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{class_id}/students")]
async fn enroll_student(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    body: web::Json<MemberRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::ENROLL_STUDENT)?;
    add(caller, state, path.into_inner(), body.into_inner(), Role::Student).await
}

/// Assigns a grader to the class (teacher of the class, admin).
#[utoipa::path(
    tag = "classes",
    security(("bearer" = [])),
    params(("class_id" = Uuid, Path)),
    request_body = MemberRequest,
    responses(
        (status = 201, description = "Assigned", body = Member,
         headers(("Location" = String, description = "The membership's URL"))),
        (status = 200, description = "Already assigned", body = Member),
        (status = 409, description = "The user's role is not grader (`/problems/wrong-role`), or they \
                                      are in the class as a student (`/problems/membership-conflict`)",
         body = crate::http::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{class_id}/graders")]
async fn assign_grader(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    body: web::Json<MemberRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::ASSIGN_GRADER)?;
    add(caller, state, path.into_inner(), body.into_inner(), Role::Grader).await
}

/// The class's students and graders (teacher of the class, its graders, admin).
#[utoipa::path(
    tag = "classes",
    security(("bearer" = [])),
    params(("class_id" = Uuid, Path), PageParams),
    responses((status = 200, description = "One page, in the order they joined", body = Page<Member>,
               headers(("Link" = String, description = "`<…>; rel=\"next\"` when there is a next page"))))
)]
#[get("/{class_id}/members")]
async fn list_members(
    req: HttpRequest,
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    query: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::LIST_MEMBERS)?;
    let (after, limit) = paging::parse(&query)?;
    let class = reachable(&state, &caller, path.into_inner()).await?;
    let rows = store::classes::members(&state.pool, class.id, after, limit + 1).await?;
    let (rows, next) = paging::split(rows, limit, |r| paging::cursor(r.created_at, r.user_id));
    Ok(paging::respond_page(
        &req,
        rows.into_iter().map(Member::from).collect(),
        next,
    ))
}

/// Removes a student or grader from the class (teacher of the class, admin). Their stored
/// answers stay.
#[utoipa::path(
    tag = "classes",
    security(("bearer" = [])),
    params(("class_id" = Uuid, Path), ("user_id" = Uuid, Path)),
    responses((status = 204, description = "Removed"))
)]
#[delete("/{class_id}/members/{user_id}")]
async fn remove_member(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::REMOVE_MEMBER)?;
    let (class_id, user_id) = path.into_inner();
    let class = reachable(&state, &caller, class_id).await?;
    if !store::classes::remove_member(&state.pool, class.id, user_id).await? {
        return Err(ApiError::not_found("member"));
    }
    Ok(HttpResponse::NoContent().finish())
}
