//! Exports for other systems: QTI 3.0 items and packages, Moodle GIFT.

use actix_web::http::header;
use actix_web::{get, web, HttpResponse};

use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::common::reachable_assignment;
use crate::exercises::{Exercise, ExerciseContent};
use crate::http::error::ApiError;
use crate::identity::policy;
use crate::identity::Caller;
use crate::results::{gift, qti};
use crate::state::AppState;
use crate::store;

/// Under `/v1/assignments`.
pub fn routes(cfg: &mut ServiceConfig<'_>) {
    cfg.service(export_qti).service(export_gift);
}

/// Under `/v1/exercises`.
pub fn exercise_routes(cfg: &mut ServiceConfig<'_>) {
    cfg.service(exercise_qti);
}

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
#[get("/{id}/qti")]
async fn exercise_qti(
    caller: Caller,
    id: web::Path<Uuid>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::EXERCISE_QTI)?;
    let row = store::exercises::get_as(&state.pool, *id, caller.own_versions())
        .await?
        .ok_or_else(|| ApiError::not_found("exercise"))?;
    let exercise = Exercise {
        id: row.id,
        kind: row.kind,
        content: row.content.0,
    };
    Ok(HttpResponse::Ok()
        .content_type(QTI_XML)
        .body(qti::item_xml(&exercise)))
}

/// A QTI 3.0 content package: bytes, never to be parsed as text.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary, content_media_type = "application/zip")]
pub struct QtiPackage(#[allow(dead_code, reason = "a schema only")] Vec<u8>);

/// An assignment's exercises for another system as a QTI 3.0 content package (a ZIP with
/// imsmanifest.xml). Each exercise is exported with the assignment's scoring mode, since that
/// is how it was scored here.
#[utoipa::path(
    tag = "results",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Assignment id")),
    responses(
        (status = 200, description = "A QTI 3.0 content package", content_type = "application/zip",
         body = QtiPackage,
         headers(("Content-Disposition" = String, description = "`attachment; filename=\"assignment-<id>-qti.zip\"`"))),
        (status = 404, description = "No such assignment within your reach", body = crate::http::error::Problem,
         content_type = "application/problem+json"),
    )
)]
#[get("/{id}/export.zip")]
async fn export_qti(
    caller: Caller,
    id: web::Path<Uuid>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::EXPORT_QTI)?;
    let (assignment, exercises) = exportable(&state, &caller, *id).await?;
    let zip = qti::package(assignment.id, &assignment.title, &exercises).map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/zip")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"assignment-{}-qti.zip\"", assignment.id),
        ))
        .body(zip))
}

/// An assignment's exercises as Moodle GIFT text, with the assignment's scoring mode.
#[utoipa::path(
    tag = "results",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Assignment id")),
    responses(
        (status = 200, description = "A GIFT text file", content_type = "text/plain", body = String,
         headers(("Content-Disposition" = String, description = "`attachment; filename=\"assignment-<id>.gift.txt\"`"))),
        (status = 404, description = "No such assignment within your reach", body = crate::http::error::Problem,
         content_type = "application/problem+json"),
    )
)]
#[get("/{id}/export.gift")]
async fn export_gift(
    caller: Caller,
    id: web::Path<Uuid>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::EXPORT_GIFT)?;
    let (assignment, exercises) = exportable(&state, &caller, *id).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"assignment-{}.gift.txt\"", assignment.id),
        ))
        .body(gift::document(&exercises)))
}

/// The assignment within the caller's reach and its exercises, each with the assignment's
/// scoring mode.
async fn exportable(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
) -> Result<(crate::store::results::ResultsAssignmentRow, Vec<Exercise>), ApiError> {
    let assignment = reachable_assignment(state, caller, id).await?;
    let mode = assignment.scoring;
    let exercises = store::results::assignment_exercises(&state.pool, assignment.id)
        .await?
        .into_iter()
        .map(|e| Exercise {
            id: e.exercise_id,
            kind: e.kind,
            content: ExerciseContent {
                scoring: mode,
                ..e.content.0
            },
        })
        .collect();
    Ok((assignment, exercises))
}
