//! Incremental pulls of changed submissions, keyset-paged on (updated_at, id).

use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Datelike, Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::common::{submission_view, StaffSubmission};
use crate::classroom::SubmissionStatus;
use crate::http::error::ApiError;
use crate::http::pagination::{next_link, Cursor, DEFAULT_LIMIT, MAX_LIMIT};
use crate::identity::{Caller, STAFF};
use crate::state::AppState;
use crate::store;
use crate::store::results::ChangeFilter;

pub fn routes(cfg: &mut ServiceConfig<'_>) {
    cfg.service(list_submissions);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SubmissionQuery {
    pub class_id: Option<Uuid>,
    pub assignment_id: Option<Uuid>,
    pub student_id: Option<Uuid>,
    pub status: Option<SubmissionStatus>,
    /// Only changes at or after this instant (RFC 3339). Ignored once a cursor is given.
    pub updated_since: Option<DateTime<Utc>>,
    /// The `next_cursor` of the previous pull.
    #[param(pattern = r"^[0-9a-f]{48}$")]
    pub cursor: Option<String>,
    /// Items per page (1 to 500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SubmissionChanges {
    pub items: Vec<StaffSubmission>,
    /// Where the next pull resumes. Always present: keep it and pass it as `cursor` next time
    /// to get exactly the changes made since, each once.
    pub next_cursor: String,
    /// More changes are ready now (the `Link: rel="next"` header is set).
    pub has_more: bool,
}

/// Submissions changed since a point, in change order, keyset-paged on (updated_at, id).
///
/// **Guarantee.** Following `next_cursor` from pull to pull returns every change exactly once:
/// a submission is returned again only if it changed again (a grade, a regrade). Rows sharing
/// a timestamp are ordered by id, so a page boundary between them loses none and repeats none.
/// A change whose transaction is still running when you pull is not skipped: every write
/// stamps `updated_at` with the database clock at write time, and a pull only hands out rows
/// older than the start of the oldest transaction still running, so a row that commits later
/// always sorts after the cursor you hold. The cost: a change appears once every transaction
/// that was open when it was made has finished (normally milliseconds; a long-running
/// transaction on the database delays pulls, never loses rows). The guarantee assumes the
/// database server's clock does not step backwards.
///
/// `updated_since` starts a pull at a time instead (rows at exactly that instant included);
/// after the first page, use the cursor.
#[utoipa::path(
    tag = "results",
    security(("bearer" = [])),
    params(SubmissionQuery),
    responses(
        (status = 200, description = "One page of changes", body = SubmissionChanges,
         headers(("Link" = String, description = "`<…>; rel=\"next\"` when more changes are ready"))),
        (status = 400, description = "Bad filter, cursor or limit", body = crate::http::error::Problem,
         content_type = "application/problem+json"),
    )
)]
#[get("/v1/submissions")]
async fn list_submissions(
    caller: Caller,
    req: HttpRequest,
    query: web::Query<SubmissionQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.require(STAFF)?;
    let limit = match query.limit {
        None => DEFAULT_LIMIT,
        Some(n) if (1..=MAX_LIMIT).contains(&n) => n,
        Some(_) => {
            return Err(ApiError::invalid(
                "limit",
                format!("must be between 1 and {MAX_LIMIT}"),
            ))
        }
    };
    let after = query.cursor.as_deref().map(Cursor::decode).transpose()?;
    // Keep instants inside what PostgreSQL's timestamptz holds, so odd input is a 400, not a
    // database error.
    let in_range = |t: DateTime<Utc>| (1..=9999).contains(&t.year());
    if query.updated_since.is_some_and(|t| !in_range(t)) {
        return Err(ApiError::invalid(
            "updated_since",
            "must be between the years 1 and 9999",
        ));
    }
    let filter = ChangeFilter {
        class_id: query.class_id,
        assignment_id: query.assignment_id,
        student_id: query.student_id,
        status: query.status.map(|s| s.as_str().to_string()),
        updated_since: if after.is_some() {
            None
        } else {
            query.updated_since
        },
    };
    // Read first, in its own statement: see store::results::change_watermark.
    let watermark = store::results::change_watermark(&state.pool).await?;
    let mut rows = store::results::changes(
        &state.pool,
        &caller,
        &filter,
        after.map(|c| (c.at, c.id)),
        watermark,
        limit + 1,
    )
    .await?;
    let has_more = i64::try_from(rows.len()).unwrap_or(i64::MAX) > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next = match (rows.last(), after) {
        (Some(last), _) => Cursor {
            at: last.updated_at,
            id: last.id,
        },
        (None, Some(after)) => after,
        // Nothing yet: everything before the watermark is seen, so resume just below it
        // (timestamps are microseconds; the max id sorts after any row at that microsecond).
        // A start time in the future resumes from there instead.
        (None, None) => Cursor {
            at: filter
                .updated_since
                .map_or(watermark, |since| since.max(watermark))
                - Duration::microseconds(1),
            id: Uuid::from_u128(u128::MAX),
        },
    };
    let next_cursor = next.encode();
    let items = rows
        .into_iter()
        .map(submission_view)
        .collect::<Result<Vec<_>, _>>()?;
    let mut res = HttpResponse::Ok();
    if has_more {
        res.insert_header((
            header::LINK,
            next_link(req.path(), req.query_string(), &next_cursor),
        ));
    }
    Ok(res.json(SubmissionChanges {
        items,
        next_cursor,
        has_more,
    }))
}
