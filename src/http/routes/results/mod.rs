//! Results for graders and teachers: the gradebook (JSON or streamed CSV), incremental
//! submission pulls, manual grading with history, feedback release, regrade after a key fix,
//! item analysis, and QTI / GIFT exports.
//!
//! Reach: admins see everything, teachers their own classes, graders the classes they are
//! assigned to; anything else answers 404. Students are refused (403): nothing here is theirs.
//!
//! Counting rule: a student's counted score for an exercise is their **best graded attempt**
//! (ties: the earliest), as Moodle's default "highest grade". Attempts awaiting review count
//! as pending, never as 0. The rule is one SQL function (`counting_key`, in the migrations)
//! that the gradebook, its CSV and item analysis all read.
//!
//! One file per use case; `common` holds what several of them share (no handlers).

use utoipa_actix_web::service_config::ServiceConfig;

mod changes;
mod common;
mod export;
mod gradebook;
mod grading;
mod item_analysis;
mod regrade;
mod release;

/// Under `/v1/assignments`.
pub fn assignment_routes(cfg: &mut ServiceConfig<'_>) {
    gradebook::routes(cfg);
    release::routes(cfg);
    item_analysis::routes(cfg);
    export::routes(cfg);
}

/// Under `/v1/submissions`.
pub fn submission_routes(cfg: &mut ServiceConfig<'_>) {
    changes::routes(cfg);
    grading::routes(cfg);
}

/// Under `/v1/exercises`.
pub fn exercise_routes(cfg: &mut ServiceConfig<'_>) {
    regrade::routes(cfg);
    export::exercise_routes(cfg);
}
