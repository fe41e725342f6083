//! Incremental pulls of changed submissions: a change feed keyed by database snapshots (see
//! `store::changes::changes`), paged in (transaction, id) order.

use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::common::{submission_view, StaffSubmission};
use crate::classroom::SubmissionStatus;
use crate::http::error::ApiError;
use crate::http::feed_cursor::FeedCursor;
use crate::http::pagination::{next_link, DEFAULT_LIMIT, MAX_LIMIT};
use crate::identity::policy;
use crate::identity::Caller;
use crate::state::AppState;
use crate::store;
use crate::store::changes::{ChangeFilter, Window};

pub fn routes(cfg: &mut ServiceConfig<'_>) {
    cfg.service(pull_submission_changes);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SubmissionQuery {
    pub class_id: Option<Uuid>,
    pub assignment_id: Option<Uuid>,
    pub student_id: Option<Uuid>,
    pub status: Option<SubmissionStatus>,
    /// Only changes at or after this instant (RFC 3339), on a first pull; the cursor keeps it.
    pub updated_since: Option<DateTime<Utc>>,
    /// The `next_cursor` of the previous pull.
    #[param(pattern = r"^1_[0-9.-]+_[0-9.-]*_[0-9a-f.]*_-?[0-9]*$", max_length = 1500000)]
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

/// Submissions changed since your last pull, in change order.
///
/// **Guarantee.** Keep `next_cursor` and pass it as `cursor` next time: each pull returns every
/// submission you can see now that you have not been given since it last changed, each once.
/// A submission comes again only when it changes again (a grade, a regrade). An answer whose
/// transaction was still running at your last pull, or committed after later ones, comes with
/// the first pull that can see it; a class you are assigned to after your cursor was made
/// brings its earlier answers with the next pull. Nothing waits for other work on the database:
/// a long gradebook download or an idle transaction elsewhere never delays a pull.
///
/// How: the cursor holds the database snapshot the last pull read in; a pull hands out what
/// its own snapshot sees that that one did not (by the transaction that made each change), and
/// pages through that set in (transaction, id) order while `has_more` is true.
///
/// `updated_since` (on a first pull, without a cursor) keeps to changes at or after an instant;
/// the cursor carries it, so every later pull keeps to it too.
#[utoipa::path(
    tag = "results",
    // The operation id clients already use; the handler's name says what it lists.
    operation_id = "list_submissions",
    security(("bearer" = [])),
    params(SubmissionQuery),
    responses(
        (status = 200, description = "One page of changes", body = SubmissionChanges,
         headers(("Link" = String, description = "`<…>; rel=\"next\"` when more changes are ready"))),
        (status = 400, description = "Bad filter, cursor or limit", body = crate::http::error::Problem,
         content_type = "application/problem+json"),
    )
)]
#[get("")]
async fn pull_submission_changes(
    caller: Caller,
    req: HttpRequest,
    query: web::Query<SubmissionQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.may(&policy::PULL_SUBMISSIONS)?;
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
    let cursor = query.cursor.as_deref().map(FeedCursor::decode).transpose()?;
    // Keep instants inside what PostgreSQL's timestamptz holds, so odd input is a 400, not a
    // database error.
    let in_range = |t: DateTime<Utc>| (1..=9999).contains(&t.year());
    if query.updated_since.is_some_and(|t| !in_range(t)) {
        return Err(ApiError::invalid(
            "updated_since",
            "must be between the years 1 and 9999",
        ));
    }
    let cursor = cursor.unwrap_or_else(|| FeedCursor::first(query.updated_since));
    let filter = ChangeFilter {
        class_id: query.class_id,
        assignment_id: query.assignment_id,
        student_id: query.student_id,
        status: query.status,
        updated_since: cursor.updated_since.filter(|t| in_range(*t)),
    };
    let window = Window {
        since: &cursor.since,
        until: cursor.until.as_deref(),
        after: cursor.after,
    };
    let want = usize::try_from(limit).unwrap_or(usize::MAX);
    let page = store::changes::changes(&state.pool, &caller, &filter, &window, limit + 1).await?;
    let mut rows = page.rows;
    // (window start, window end, where the rows of this page from the current window begin)
    let mut since = cursor.since.clone();
    let mut until = page.until;
    let mut current_from = 0;
    if window.until.is_some() && rows.len() <= want {
        // A window an earlier page pinned is done: fill the page with what is new since it.
        let next_window = Window {
            since: &until,
            until: None,
            after: None,
        };
        let room = i64::try_from(want + 1 - rows.len()).unwrap_or(1);
        let fresh = store::changes::changes(&state.pool, &caller, &filter, &next_window, room).await?;
        since = std::mem::replace(&mut until, fresh.until);
        current_from = rows.len();
        rows.extend(fresh.rows);
    }
    let has_more = rows.len() > want;
    rows.truncate(want);
    let next = match rows.last() {
        // The window goes on: the same end, after the last row given from it (or from its
        // start, when every row of this page came from the window before).
        _ if has_more => FeedCursor {
            since,
            until: Some(until),
            after: rows
                .get(current_from..)
                .and_then(|r| r.last())
                .map(|last| (last.change_xid, last.submission.id)),
            updated_since: cursor.updated_since,
        },
        // Everything the snapshot sees is given: the next pull starts from it.
        _ => FeedCursor {
            since: until,
            until: None,
            after: None,
            updated_since: cursor.updated_since,
        },
    };
    let next_cursor = next.encode();
    let items = rows
        .into_iter()
        .map(|r| submission_view(r.submission))
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
