//! Exports for other systems: QTI 3.0 items and packages, Moodle GIFT.

use actix_web::http::header;
use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
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

pub fn routes(cfg: &mut ServiceConfig<'_>) {
    cfg.service(exercise_qti).service(export_assignment);
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
#[get("/v1/exercises/{id}/qti")]
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
        ), headers(("Content-Disposition" = String, description = "`attachment` with the file's name"))),
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
    let mode = assignment.scoring;
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
                kind: e.kind,
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
