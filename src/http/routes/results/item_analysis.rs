//! Item statistics of an assignment over each student's counted attempt.

use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::common::reachable_assignment;
use crate::exercises::{Answer, ExerciseKind};
use crate::http::error::ApiError;
use crate::identity::policy;
use crate::identity::Caller;
use crate::results::item_analysis::{self, ItemResponse, ItemSpec, ItemStats};
use crate::state::AppState;
use crate::store;

pub fn routes(cfg: &mut ServiceConfig<'_>) {
    cfg.service(item_analysis_report);
}

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
#[get("/{id}/item-analysis")]
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
                kind: e.kind,
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
