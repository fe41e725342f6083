//! Content negotiation: picks which of the representations an endpoint offers the client's
//! `Accept` header prefers (RFC 9110 §12.5.1), or answers 406 when it accepts none of them.
//!
//! Each offer takes the quality of the most specific media range that matches it (`text/csv`
//! before `text/*` before `*/*`); the highest quality wins and ties go to the offer listed
//! first, so an endpoint lists its default first. No `Accept` header, or one that cannot be
//! read, means "anything".

use actix_web::http::header;
use actix_web::HttpRequest;

use crate::http::error::ApiError;

/// One media range of an `Accept` header: `type/subtype` with its quality.
#[derive(Debug, Clone, PartialEq)]
struct Range<'a> {
    kind: &'a str,
    subtype: &'a str,
    q: f32,
}

impl Range<'_> {
    /// How specifically this range names `offer` (2: exactly, 1: by type, 0: `*/*`), or `None`
    /// when it does not match it.
    fn specificity(&self, kind: &str, subtype: &str) -> Option<u8> {
        match (self.kind, self.subtype) {
            ("*", "*") => Some(0),
            (k, "*") if k.eq_ignore_ascii_case(kind) => Some(1),
            (k, s) if k.eq_ignore_ascii_case(kind) && s.eq_ignore_ascii_case(subtype) => Some(2),
            _ => None,
        }
    }
}

fn parse(accept: &str) -> Vec<Range<'_>> {
    accept
        .split(',')
        .filter_map(|item| {
            let mut parts = item.split(';');
            let (kind, subtype) = parts.next()?.trim().split_once('/')?;
            let (kind, subtype) = (kind.trim(), subtype.trim());
            if kind.is_empty() || subtype.is_empty() {
                return None;
            }
            let q = parts
                .filter_map(|p| p.split_once('='))
                .find(|(name, _)| name.trim().eq_ignore_ascii_case("q"))
                .map_or(Some(1.0), |(_, v)| v.trim().parse::<f32>().ok())?;
            Some(Range {
                kind,
                subtype,
                q: q.clamp(0.0, 1.0),
            })
        })
        .collect()
}

/// The offer `accept` prefers, if it accepts any. `offers` are `type/subtype` strings, the
/// default first.
pub fn choose<'o>(accept: Option<&str>, offers: &[&'o str]) -> Option<&'o str> {
    let ranges = match accept.map(str::trim) {
        None | Some("") => return offers.first().copied(),
        Some(a) => parse(a),
    };
    if ranges.is_empty() {
        return offers.first().copied();
    }
    let mut best: Option<(&'o str, f32)> = None;
    for &offer in offers {
        let (kind, subtype) = offer.split_once('/').unwrap_or((offer, ""));
        let q = ranges
            .iter()
            .filter_map(|r| r.specificity(kind, subtype).map(|s| (s, r.q)))
            .max_by_key(|(s, _)| *s)
            .map_or(0.0, |(_, q)| q);
        if q > 0.0 && best.is_none_or(|(_, b)| q > b) {
            best = Some((offer, q));
        }
    }
    best.map(|(offer, _)| offer)
}

/// The representation of a response to `req` among `offers` (default first), or a 406 problem
/// naming what the endpoint can produce.
pub fn negotiate<'o>(req: &HttpRequest, offers: &[&'o str]) -> Result<&'o str, ApiError> {
    let accept = req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok());
    choose(accept, offers).ok_or_else(|| {
        ApiError::NotAcceptable(format!(
            "this resource is available as {}; the Accept header allows none of them",
            offers.join(" or ")
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const OFFERS: [&str; 2] = ["application/json", "text/csv"];

    #[test]
    fn no_or_blank_accept_gets_the_default() {
        assert_eq!(choose(None, &OFFERS), Some("application/json"));
        assert_eq!(choose(Some("  "), &OFFERS), Some("application/json"));
        assert_eq!(choose(Some("*/*"), &OFFERS), Some("application/json"));
    }

    #[test]
    fn exact_ranges_win() {
        assert_eq!(choose(Some("text/csv"), &OFFERS), Some("text/csv"));
        assert_eq!(choose(Some("TEXT/CSV; charset=utf-8"), &OFFERS), Some("text/csv"));
        assert_eq!(
            choose(Some("application/json"), &OFFERS),
            Some("application/json")
        );
    }

    #[test]
    fn quality_orders_the_offers() {
        assert_eq!(
            choose(Some("application/json;q=0.5, text/csv"), &OFFERS),
            Some("text/csv")
        );
        assert_eq!(
            choose(Some("text/csv;q=0.2, */*;q=0.9"), &OFFERS),
            Some("application/json")
        );
        // A browser's typical header: anything, at a low quality, still reaches the default.
        assert_eq!(
            choose(Some("text/html,application/xhtml+xml,*/*;q=0.8"), &OFFERS),
            Some("application/json")
        );
    }

    #[test]
    fn the_most_specific_range_sets_the_quality() {
        // `text/*` would allow CSV, but `text/csv;q=0` refuses it.
        assert_eq!(choose(Some("text/*, text/csv;q=0"), &OFFERS), None);
        assert_eq!(choose(Some("text/*"), &OFFERS), Some("text/csv"));
        assert_eq!(
            choose(Some("*/*, application/json;q=0"), &OFFERS),
            Some("text/csv")
        );
    }

    #[test]
    fn nothing_acceptable_is_none() {
        assert_eq!(choose(Some("application/xml"), &OFFERS), None);
        assert_eq!(choose(Some("image/png, text/html"), &OFFERS), None);
    }

    #[test]
    fn unreadable_ranges_are_ignored() {
        assert_eq!(choose(Some("garbage"), &OFFERS), Some("application/json"));
        assert_eq!(
            choose(Some("text/csv;q=abc, text/csv"), &OFFERS),
            Some("text/csv")
        );
        assert_eq!(choose(Some("/, text/csv"), &OFFERS), Some("text/csv"));
    }
}
