//! Cursor paging of list endpoints: `?cursor=&limit=`, `next_cursor` in the body and a
//! `Link: <…>; rel="next"` header.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;

use crate::classroom::Cursor;
use crate::error::ApiError;

pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 200;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// The `next_cursor` of the previous page; absent for the first page.
    pub cursor: Option<String>,
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

impl PageQuery {
    /// The decoded cursor and the limit, or a 400 naming the bad parameter.
    pub fn parse(&self) -> Result<(Option<Cursor>, i64), ApiError> {
        let cursor = match self.cursor.as_deref() {
            None => None,
            Some(s) => Some(
                Cursor::decode(s)
                    .ok_or_else(|| ApiError::invalid("cursor", "is not a cursor this service issued"))?,
            ),
        };
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::invalid(
                "limit",
                format!("must be between 1 and {MAX_LIMIT}"),
            ));
        }
        Ok((cursor, i64::from(limit)))
    }
}

/// Cuts the one-extra row fetched to tell whether another page exists, and returns the next
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
pub fn respond<B: Serialize>(req: &HttpRequest, limit: i64, next: Option<&str>, body: &B) -> HttpResponse {
    let mut res = HttpResponse::Ok();
    if let Some(next) = next {
        res.insert_header((
            header::LINK,
            format!("<{}?cursor={next}&limit={limit}>; rel=\"next\"", req.path()),
        ));
    }
    res.json(body)
}
