//! LTI Advantage services: what a score for a line item is made of, and the roster a platform
//! lists, written onto newslit's users and class members.

use sqlx::PgPool;
use uuid::Uuid;

use crate::lti::ags::StudentResult;

/// A student's result on an assignment, counted as the gradebook counts it (per exercise of the
/// assignment the best graded attempt, by `counting_key`), and the database's clock when it was read.
pub async fn student_result(
    pool: &PgPool,
    assignment_id: Uuid,
    student_id: Uuid,
) -> Result<Option<(StudentResult, String)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"WITH cells AS (
               SELECT s.exercise_id, max(counting_key(s.status, s.score, s.attempt)) AS counted,
                      count(*) FILTER (WHERE s.status = 'pending_review') AS pending
               FROM submissions s
               WHERE s.assignment_id = $1 AND s.student_id = $2
                 AND s.exercise_id IN (SELECT exercise_id FROM assignment_exercises WHERE assignment_id = $1)
               GROUP BY s.exercise_id)
           SELECT (SELECT count(*) FROM assignment_exercises WHERE assignment_id = $1) AS "exercises!",
                  (SELECT count(*) FROM cells) AS "attempted!",
                  (SELECT coalesce(sum(CASE WHEN counted[1] = 1 THEN counted[2] END), 0)::float8 FROM cells) AS "total!",
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

/// Where a class's roster is read: the LMS course it is, and the roster URL its last
/// instructor launch announced.
#[derive(Debug, Clone)]
pub struct RosterSource {
    pub platform_id: Uuid,
    pub context_id: String,
    pub memberships_url: Option<String>,
}

pub async fn roster_source(pool: &PgPool, class_id: Uuid) -> Result<Option<RosterSource>, sqlx::Error> {
    sqlx::query_as!(
        RosterSource,
        "SELECT platform_id, context_id, memberships_url FROM lti_contexts WHERE class_id = $1",
        class_id,
    )
    .fetch_optional(pool)
    .await
}

/// Queues a roster sync of the class in the outbox, unless one is waiting already.
pub async fn queue_roster_sync(pool: &PgPool, class_id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO outbox (id, event_id, destination, event_type, payload)
         SELECT gen_random_uuid(), gen_random_uuid(), 'nrps', 'roster_sync', jsonb_build_object('class_id', $1::uuid)
         WHERE NOT EXISTS (SELECT 1 FROM outbox WHERE destination = 'nrps' AND delivered_at IS NULL
                             AND failed_at IS NULL AND payload->>'class_id' = $1::uuid::text)",
        class_id,
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Adds a member found in the roster; `true` when they were not in the class before.
pub async fn add_roster_member(
    pool: &PgPool,
    class_id: Uuid,
    user_id: Uuid,
    role: crate::identity::Role,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "INSERT INTO class_members (class_id, user_id, role) VALUES ($1, $2, $3)
         ON CONFLICT (class_id, user_id) DO NOTHING",
        class_id,
        user_id,
        role as _,
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records when the class's roster was last read from its platform.
pub async fn mark_roster_synced(
    pool: &PgPool,
    class_id: Uuid,
) -> Result<chrono::DateTime<chrono::Utc>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"UPDATE lti_contexts SET roster_synced_at = clock_timestamp() WHERE class_id = $1
           RETURNING roster_synced_at AS "at!""#,
        class_id,
    )
    .fetch_one(pool)
    .await
}
