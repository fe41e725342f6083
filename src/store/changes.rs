//! The change feed of submissions for staff: what a pull's snapshot sees that the previous
//! pull's did not, within the caller's staff reach (`classes_in_staff_reach`).

use chrono::{DateTime, Utc};
use sqlx::types::Json;
use sqlx::PgPool;
use uuid::Uuid;

use crate::classroom::SubmissionStatus;
use crate::exercises::Answer;
use crate::identity::Caller;
use crate::store::results::StaffSubmissionRow;

/// Filters of an incremental pull.
#[derive(Debug, Clone, Default)]
pub struct ChangeFilter {
    pub class_id: Option<Uuid>,
    pub assignment_id: Option<Uuid>,
    pub student_id: Option<Uuid>,
    pub status: Option<SubmissionStatus>,
    pub updated_since: Option<DateTime<Utc>>,
}

/// A window of the change feed: what `until` sees that `since` did not, resumed after a
/// position (change xid, submission id) when the window spans several pages. Snapshots are in
/// PostgreSQL's `pg_snapshot` text form (`xmin:xmax:xip,…`).
#[derive(Debug, Clone)]
pub struct Window<'a> {
    pub since: &'a str,
    /// `None`: the window ends at the snapshot this pull reads in.
    pub until: Option<&'a str>,
    pub after: Option<(i64, Uuid)>,
}

/// One page of a pull and the snapshot its window ends at.
#[derive(Debug)]
pub struct ChangePage {
    pub rows: Vec<ChangeRow>,
    pub until: String,
}

#[derive(Debug, Clone)]
pub struct ChangeRow {
    pub submission: StaffSubmissionRow,
    /// The transaction that last changed the submission (the feed's order).
    pub change_xid: i64,
}

/// A `ChangeRow` as the feed's queries return it, one column each.
struct ChangeLine {
    id: Uuid,
    assignment_id: Uuid,
    class_id: Uuid,
    exercise_id: Uuid,
    exercise_version: i32,
    student_id: Uuid,
    attempt: i32,
    answer: Json<Answer>,
    score: Option<f64>,
    max_score: f64,
    status: SubmissionStatus,
    late: bool,
    submitted_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    grade_version: i32,
    graded_by: Option<Uuid>,
    grade_comment: Option<String>,
    change_xid: i64,
}

impl From<ChangeLine> for ChangeRow {
    fn from(l: ChangeLine) -> Self {
        ChangeRow {
            submission: StaffSubmissionRow {
                id: l.id,
                assignment_id: l.assignment_id,
                class_id: l.class_id,
                exercise_id: l.exercise_id,
                exercise_version: l.exercise_version,
                student_id: l.student_id,
                attempt: l.attempt,
                answer: l.answer,
                score: l.score,
                max_score: l.max_score,
                status: l.status,
                late: l.late,
                submitted_at: l.submitted_at,
                updated_at: l.updated_at,
                grade_version: l.grade_version,
                graded_by: l.graded_by,
                grade_comment: l.grade_comment,
            },
            change_xid: l.change_xid,
        }
    }
}

/// Submissions within the caller's reach that the window's end sees and its start did not
/// (changed since, or in a class whose grader assignment of the caller is new since), in
/// (change xid, id) order after `window.after`; `limit` rows at most. Read in one read-only
/// transaction, so the snapshot returned is the one the rows were read in; nothing here waits
/// for, or looks at, other sessions.
pub async fn changes(
    pool: &PgPool,
    caller: &Caller,
    filter: &ChangeFilter,
    window: &Window<'_>,
    limit: i64,
) -> Result<ChangePage, sqlx::Error> {
    use sqlx::Connection as _;
    let mut conn = pool.acquire().await?;
    let mut tx = conn
        .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .await?;
    let until: String = match window.until {
        Some(u) => u.to_string(),
        None => {
            sqlx::query_scalar!(r#"SELECT pg_current_snapshot()::text AS "snapshot!""#)
                .fetch_one(&mut *tx)
                .await?
        }
    };
    // Classes whose grader assignment of the caller falls in the window: their earlier
    // answers come into reach now. (Teachers own their classes from the start; admins see all.)
    let granted: Vec<Uuid> = if caller.role == crate::identity::Role::Grader {
        sqlx::query_scalar!(
            "SELECT class_id FROM class_members
             WHERE user_id = $1 AND role = 'grader'
               AND NOT pg_visible_in_snapshot(granted_xid, $2::text::pg_snapshot)
               AND pg_visible_in_snapshot(granted_xid, $3::text::pg_snapshot)",
            caller.id,
            window.since,
            until,
        )
        .fetch_all(&mut *tx)
        .await?
    } else {
        Vec::new()
    };
    // Two statements rather than one with a spliced condition: the feed's usual query keeps its
    // range scan on (change_xid, id); only a pull after a new grader assignment also takes that
    // class's earlier answers.
    let lines = if granted.is_empty() {
        sqlx::query_as!(
            ChangeLine,
            r#"SELECT s.id, s.assignment_id, a.class_id, s.exercise_id, s.exercise_version, s.student_id,
                s.attempt, s.answer AS "answer: Json<Answer>", s.score, s.max_score,
                s.status AS "status: SubmissionStatus", s.late, s.submitted_at, s.updated_at,
                s.grade_version, s.graded_by, s.grade_comment,
                    s.change_xid::text::int8 AS "change_xid!"
             FROM submissions s JOIN assignments a ON a.id = s.assignment_id
             WHERE a.class_id IN (SELECT r FROM classes_in_staff_reach($1, $2) r)
               AND pg_visible_in_snapshot(s.change_xid, $4::text::pg_snapshot)
               AND ((s.change_xid >= pg_snapshot_xmin($3::text::pg_snapshot)
                     AND NOT pg_visible_in_snapshot(s.change_xid, $3::text::pg_snapshot)))
               AND ($5::int8 IS NULL OR (s.change_xid, s.id) > ($5::int8::text::xid8, $6))
               AND ($7::timestamptz IS NULL OR s.updated_at >= $7)
               AND ($8::uuid IS NULL OR a.class_id = $8)
               AND ($9::uuid IS NULL OR s.assignment_id = $9)
               AND ($10::uuid IS NULL OR s.student_id = $10)
               AND ($11::text IS NULL OR s.status = $11)
             ORDER BY s.change_xid, s.id
             LIMIT $12"#,
            caller.id,
            caller.role as _,
            window.since,
            until,
            window.after.map(|a| a.0),
            window.after.map(|a| a.1).unwrap_or_default(),
            filter.updated_since,
            filter.class_id,
            filter.assignment_id,
            filter.student_id,
            filter.status as _,
            limit,
        )
        .fetch_all(&mut *tx)
        .await?
    } else {
        sqlx::query_as!(
            ChangeLine,
            r#"SELECT s.id, s.assignment_id, a.class_id, s.exercise_id, s.exercise_version, s.student_id,
                s.attempt, s.answer AS "answer: Json<Answer>", s.score, s.max_score,
                s.status AS "status: SubmissionStatus", s.late, s.submitted_at, s.updated_at,
                s.grade_version, s.graded_by, s.grade_comment,
                    s.change_xid::text::int8 AS "change_xid!"
             FROM submissions s JOIN assignments a ON a.id = s.assignment_id
             WHERE a.class_id IN (SELECT r FROM classes_in_staff_reach($1, $2) r)
               AND pg_visible_in_snapshot(s.change_xid, $4::text::pg_snapshot)
               AND ((s.change_xid >= pg_snapshot_xmin($3::text::pg_snapshot)
                     AND NOT pg_visible_in_snapshot(s.change_xid, $3::text::pg_snapshot))
                    OR a.class_id = ANY($13))
               AND ($5::int8 IS NULL OR (s.change_xid, s.id) > ($5::int8::text::xid8, $6))
               AND ($7::timestamptz IS NULL OR s.updated_at >= $7)
               AND ($8::uuid IS NULL OR a.class_id = $8)
               AND ($9::uuid IS NULL OR s.assignment_id = $9)
               AND ($10::uuid IS NULL OR s.student_id = $10)
               AND ($11::text IS NULL OR s.status = $11)
             ORDER BY s.change_xid, s.id
             LIMIT $12"#,
            caller.id,
            caller.role as _,
            window.since,
            until,
            window.after.map(|a| a.0),
            window.after.map(|a| a.1).unwrap_or_default(),
            filter.updated_since,
            filter.class_id,
            filter.assignment_id,
            filter.student_id,
            filter.status as _,
            limit,
            &granted,
        )
        .fetch_all(&mut *tx)
        .await?
    };
    let rows = lines.into_iter().map(ChangeRow::from).collect();
    tx.commit().await?;
    Ok(ChangePage { rows, until })
}
