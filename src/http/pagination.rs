//! Lists: opaque keyset cursors over (timestamp, id), the one-extra-row test for a next page,
//! the [`Page`] body every list returns, and the `Link: <…>; rel="next"` header.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::http::error::ApiError;

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 500;

/// Paging parameters every list takes.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// The `next_cursor` of the previous page; absent for the first page.
    #[param(pattern = r"^[0-9a-f]{48}$")]
    pub cursor: Option<String>,
    /// Items per page (1 to 500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

impl PageParams {
    pub fn limit(&self) -> Result<i64, ApiError> {
        match self.limit {
            None => Ok(DEFAULT_LIMIT),
            Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            Some(_) => Err(ApiError::invalid(
                "limit",
                format!("must be between 1 and {MAX_LIMIT}"),
            )),
        }
    }

    pub fn cursor(&self) -> Result<Option<Cursor>, ApiError> {
        self.cursor.as_deref().map(Cursor::decode).transpose()
    }
}

/// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z: what a cursor's instant may be.
const EARLIEST_MICROS: i64 = -62_135_596_800_000_000;
const LATEST_MICROS: i64 = 253_402_300_799_999_999;

/// A position in a list ordered by (at, id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub at: DateTime<Utc>,
    pub id: Uuid,
}

impl Cursor {
    /// 48 hex digits: the timestamp in microseconds (two's complement), then the id.
    pub fn encode(&self) -> String {
        let mut out = format!("{:016x}", self.at.timestamp_micros());
        out.push_str(&self.id.simple().to_string());
        out
    }

    pub fn decode(s: &str) -> Result<Cursor, ApiError> {
        let bad = || ApiError::invalid("cursor", "is not a cursor this service issued");
        if s.len() != 48 || !s.is_ascii() {
            return Err(bad());
        }
        // Every 48-hex-digit string is a position. One outside the years 1 to 9999 (which no
        // row has) is moved to that edge, so it still means "after everything" or "before".
        let micros = u64::from_str_radix(&s[..16], 16).map_err(|_| bad())? as i64;
        let at =
            DateTime::from_timestamp_micros(micros.clamp(EARLIEST_MICROS, LATEST_MICROS)).ok_or_else(bad)?;
        let id = Uuid::try_parse(&s[16..]).map_err(|_| bad())?;
        Ok(Cursor { at, id })
    }
}

/// The `Link` header value for the next page of `path`, keeping the other query parameters.
pub fn next_link(path: &str, query: &str, next: &str) -> String {
    let mut params: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("cursor="))
        .collect();
    let cursor = format!("cursor={next}");
    params.push(&cursor);
    format!("<{path}?{}>; rel=\"next\"", params.join("&"))
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T: ToSchema> {
    pub items: Vec<T>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

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
        res.insert_header((header::LINK, next_link(req.path(), req.query_string(), next)));
    }
    res.json(body)
}

/// A cursor at `(at, id)`.
pub fn cursor(at: chrono::DateTime<chrono::Utc>, id: uuid::Uuid) -> Cursor {
    Cursor { at, id }
}

/// 200 with the page of `items`, plus a `Link` header to the next page when there is one.
pub fn respond_page<T: ToSchema + Serialize>(
    req: &HttpRequest,
    items: Vec<T>,
    next_cursor: Option<String>,
) -> HttpResponse {
    let link = next_cursor.clone();
    respond(req, link.as_deref(), &Page { items, next_cursor })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_survives_the_round_trip_and_garbage_is_refused() {
        let c = Cursor {
            at: DateTime::from_timestamp_micros(1_700_000_000_123_456).unwrap(),
            id: Uuid::new_v4(),
        };
        assert_eq!(Cursor::decode(&c.encode()).unwrap(), c);
        assert!(Cursor::decode("zz").is_err());
        assert!(Cursor::decode(&"g".repeat(48)).is_err());
    }

    #[test]
    fn any_position_in_the_documented_form_is_a_cursor() {
        let before_1970 = Cursor {
            at: DateTime::from_timestamp_micros(-1_000_000).unwrap(),
            id: Uuid::new_v4(),
        };
        assert_eq!(Cursor::decode(&before_1970.encode()).unwrap(), before_1970);
        let far = Cursor::decode(&format!("{}{}", "7".repeat(16), "0".repeat(32))).unwrap();
        assert_eq!(far.at, DateTime::from_timestamp_micros(LATEST_MICROS).unwrap());
        let early = Cursor::decode(&format!("{}{}", "8".repeat(16), "0".repeat(32))).unwrap();
        assert_eq!(
            early.at,
            DateTime::from_timestamp_micros(EARLIEST_MICROS).unwrap()
        );
        assert_eq!(early.at.to_rfc3339(), "0001-01-01T00:00:00+00:00");
    }

    #[test]
    fn the_next_link_replaces_the_cursor_and_keeps_the_rest() {
        let link = next_link("/v1/articles", "limit=2&cursor=old", "new");
        assert_eq!(link, "</v1/articles?limit=2&cursor=new>; rel=\"next\"");
    }
}
