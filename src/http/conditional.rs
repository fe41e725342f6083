//! Conditional writes: `If-Match` checked against the resource's current `ETag` with the
//! strong comparison RFC 9110 (§13.1.1) requires for it. A list of tags and `*` are accepted;
//! a weak tag (`W/"3"`) never matches.

use actix_web::http::header::{EntityTag, Header, IfMatch};
use actix_web::HttpRequest;

use crate::http::error::ApiError;

/// The strong ETag of version `version`, with an optional prefix (`"g3"` for a grade).
pub fn etag(prefix: &str, version: i32) -> EntityTag {
    EntityTag::new_strong(format!("{prefix}{version}"))
}

/// Passes when `If-Match` is `*` or names `current`. Without the header: 428 with
/// `missing` as the detail; with one that does not match: 412 with `stale` as the detail.
pub fn check_if_match(
    req: &HttpRequest,
    current: &EntityTag,
    missing: &str,
    stale: impl FnOnce() -> String,
) -> Result<(), ApiError> {
    if !req.headers().contains_key(actix_web::http::header::IF_MATCH) {
        return Err(ApiError::PreconditionRequired(missing.to_string()));
    }
    let matches = match IfMatch::parse(req) {
        Ok(IfMatch::Any) => true,
        Ok(IfMatch::Items(tags)) => tags.iter().any(|t| t.strong_eq(current)),
        Err(_) => false,
    };
    if matches {
        Ok(())
    } else {
        Err(ApiError::PreconditionFailed(stale()))
    }
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    fn check(value: Option<&str>) -> Result<(), ApiError> {
        let mut req = TestRequest::default();
        if let Some(v) = value {
            req = req.insert_header(("If-Match", v));
        }
        check_if_match(&req.to_http_request(), &etag("g", 3), "send it", || {
            "stale".into()
        })
    }

    #[test]
    fn strong_tags_lists_and_star_match_weak_and_other_tags_do_not() {
        assert!(check(Some("\"g3\"")).is_ok());
        assert!(check(Some("\"g1\", \"g3\"")).is_ok());
        assert!(check(Some("*")).is_ok());
        assert!(matches!(
            check(Some("W/\"g3\"")),
            Err(ApiError::PreconditionFailed(_))
        ));
        assert!(matches!(
            check(Some("\"g2\"")),
            Err(ApiError::PreconditionFailed(_))
        ));
        assert!(matches!(check(Some("g3")), Err(ApiError::PreconditionFailed(_))));
        assert!(matches!(check(None), Err(ApiError::PreconditionRequired(_))));
    }
}
