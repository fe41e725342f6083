//! List helpers over the shared [`crate::http::pagination`]: one extra row tells whether a
//! next page exists; `next_cursor` goes in the body and a `Link: <…>; rel="next"` header.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;

use crate::http::error::ApiError;
use crate::http::pagination::{self, Cursor, PageParams};

/// The decoded cursor and the limit, or a 400 naming the bad parameter.
pub fn parse(params: &PageParams) -> Result<(Option<Cursor>, i64), ApiError> {
    Ok((params.cursor()?, params.limit()?))
}

/// Cuts the one extra row fetched to tell whether another page exists, and returns the next
/// cursor if one does.
pub fn split<T>(mut rows: Vec<T>, limit: i64, key: impl Fn(&T) -> Cursor) -> (Vec<T>, Option<String>) {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    if rows.len() > limit {
        rows.truncate(limit);
        let next = rows.last().map(|r| key(r).encode());
        (rows, next)
    } else {
        (rows, None)
    }
}

/// 200 with `body`, plus a `Link` header to the next page when there is one.
pub fn respond<B: Serialize>(req: &HttpRequest, next: Option<&str>, body: &B) -> HttpResponse {
    let mut res = HttpResponse::Ok();
    if let Some(next) = next {
        res.insert_header((
            header::LINK,
            pagination::next_link(req.path(), req.query_string(), next),
        ));
    }
    res.json(body)
}

/// A cursor at `(at, id)`.
pub fn cursor(at: chrono::DateTime<chrono::Utc>, id: uuid::Uuid) -> Cursor {
    Cursor { at, id }
}
