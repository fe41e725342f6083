//! LTI Advantage services: what a score for a line item is made of, and the roster a platform
//! lists, written onto newslit's users and class members.

use sqlx::PgPool;
use uuid::Uuid;

use crate::lti::ags::StudentResult;

/// A student's result on an assignment, counted as the gradebook counts it (per exercise of the
/// assignment the best graded attempt), and the database's clock when it was read.
pub async fn student_result(
    pool: &PgPool,
    assignment_id: Uuid,
    student_id: Uuid,
) -> Result<Option<(StudentResult, String)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"WITH cells AS (
               SELECT s.exercise_id, max(s.score) FILTER (WHERE s.status = 'graded') AS best,
                      count(*) FILTER (WHERE s.status = 'pending_review') AS pending
               FROM submissions s
               WHERE s.assignment_id = $1 AND s.student_id = $2
                 AND s.exercise_id IN (SELECT exercise_id FROM assignment_exercises WHERE assignment_id = $1)
               GROUP BY s.exercise_id)
           SELECT (SELECT count(*) FROM assignment_exercises WHERE assignment_id = $1) AS "exercises!",
                  (SELECT count(*) FROM cells) AS "attempted!",
                  (SELECT coalesce(sum(best), 0)::float8 FROM cells) AS "total!",
                  (SELECT coalesce(sum(pending), 0)::int8 FROM cells) AS "pending_review!",
                  (a.feedback = 'on_release' AND a.released_at IS NULL) AS "held_back!",
                  to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "timestamp!"
           FROM assignments a WHERE a.id = $1"#,
        assignment_id,
        student_id,
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| {
        (
            StudentResult {
                exercises: r.exercises,
                attempted: r.attempted,
                total: r.total,
                pending_review: r.pending_review,
                held_back: r.held_back,
            },
            r.timestamp,
        )
    }))
}
