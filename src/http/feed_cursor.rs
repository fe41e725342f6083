//! The cursor of the submission change feed: the snapshot the last pull read in (what it has
//! handed out), and while a window spans pages, the snapshot it ends at and the last row given.
//!
//! Text form: `1_<since>_<until>_<after>_<updated_since>`, snapshots as `xmin-xmax-xip.xip…`,
//! `after` as `<xid>.<32 hex id>`, `updated_since` in microseconds; empty parts are absent.
//! Only URL-safe characters, so it travels in a query string and a `Link` header unescaped.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::http::error::ApiError;

/// A snapshot no transaction is visible in: where a first pull starts.
pub const NOTHING_SEEN: &str = "1:1:";

/// Most transactions a snapshot may list as running (PostgreSQL's own bound is the number of
/// backends; a cursor naming more was not made here).
const MAX_RUNNING: usize = 65_536;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedCursor {
    /// `pg_snapshot` text (`xmin:xmax:xip,…`).
    pub since: String,
    pub until: Option<String>,
    pub after: Option<(i64, Uuid)>,
    pub updated_since: Option<DateTime<Utc>>,
}

fn bad() -> ApiError {
    ApiError::invalid(
        "cursor",
        "is not a cursor of this feed (a cursor from an older version of the service cannot resume: \
         start again with updated_since)",
    )
}

/// `xmin:xmax:xip,…` → `xmin-xmax-xip.…`, validated as PostgreSQL would.
fn snapshot_from_wire(s: &str) -> Result<String, ApiError> {
    let mut parts = s.split('-');
    let (Some(xmin), Some(xmax), Some(xip), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    let num = |t: &str| -> Result<i64, ApiError> {
        if t.is_empty() || t.len() > 19 || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        t.parse::<i64>().map_err(|_| bad())
    };
    let (xmin, xmax) = (num(xmin)?, num(xmax)?);
    if xmin < 1 || xmax < xmin {
        return Err(bad());
    }
    let running: Vec<i64> = if xip.is_empty() {
        Vec::new()
    } else {
        xip.split('.').map(num).collect::<Result<_, _>>()?
    };
    if running.len() > MAX_RUNNING
        || running.iter().any(|x| *x < xmin || *x >= xmax)
        || running.windows(2).any(|w| w[0] >= w[1])
    {
        return Err(bad());
    }
    let xip: Vec<String> = running.iter().map(i64::to_string).collect();
    Ok(format!("{xmin}:{xmax}:{}", xip.join(",")))
}

fn snapshot_to_wire(s: &str) -> String {
    s.replace(':', "-").replace(',', ".")
}

impl FeedCursor {
    pub fn first(updated_since: Option<DateTime<Utc>>) -> Self {
        FeedCursor {
            since: NOTHING_SEEN.to_string(),
            until: None,
            after: None,
            updated_since,
        }
    }

    pub fn encode(&self) -> String {
        let after = self
            .after
            .map(|(xid, id)| format!("{xid}.{}", id.simple()))
            .unwrap_or_default();
        let since = self
            .updated_since
            .map(|t| t.timestamp_micros().to_string())
            .unwrap_or_default();
        format!(
            "1_{}_{}_{after}_{since}",
            snapshot_to_wire(&self.since),
            self.until.as_deref().map(snapshot_to_wire).unwrap_or_default()
        )
    }

    pub fn decode(s: &str) -> Result<Self, ApiError> {
        if s.len() > 1_500_000 {
            return Err(bad());
        }
        let parts: Vec<&str> = s.split('_').collect();
        let [version, since, until, after, updated_since] = parts[..] else {
            return Err(bad());
        };
        if version != "1" {
            return Err(bad());
        }
        let since = snapshot_from_wire(since)?;
        let until = match until {
            "" => None,
            u => Some(snapshot_from_wire(u)?),
        };
        let after = match after {
            "" => None,
            a => {
                let (xid, id) = a.split_once('.').ok_or_else(bad)?;
                if xid.is_empty() || !xid.bytes().all(|b| b.is_ascii_digit()) || id.len() != 32 {
                    return Err(bad());
                }
                let xid = xid.parse::<i64>().map_err(|_| bad())?;
                let id = Uuid::try_parse(id).map_err(|_| bad())?;
                Some((xid, id))
            }
        };
        // A position only makes sense inside a window with an end.
        if after.is_some() && until.is_none() {
            return Err(bad());
        }
        let updated_since = match updated_since {
            "" => None,
            t => {
                let micros = t.parse::<i64>().map_err(|_| bad())?;
                Some(DateTime::from_timestamp_micros(micros).ok_or_else(bad)?)
            }
        };
        Ok(FeedCursor {
            since,
            until,
            after,
            updated_since,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_survives_its_text_form_and_forgeries_are_refused() {
        let c = FeedCursor {
            since: "100:105:101,103".into(),
            until: Some("104:110:".into()),
            after: Some((102, Uuid::from_u128(7))),
            updated_since: DateTime::from_timestamp_micros(1_700_000_000_123_456),
        };
        let text = c.encode();
        assert!(
            text.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b)),
            "{text}"
        );
        assert_eq!(FeedCursor::decode(&text).unwrap(), c);
        assert_eq!(
            FeedCursor::decode(&FeedCursor::first(None).encode()).unwrap(),
            FeedCursor::first(None)
        );
        for forged in [
            "",
            "2_1-1-____",
            "1_5-3-____",           // xmax below xmin
            "1_100-105-106___",     // running xid outside the range
            "1_100-105-103.101___", // not ascending
            "1_1-1-__5.00_",        // a position without an end
            "1_1-1-_x_",
            "0123456789abcdef0123456789abcdef0123456789abcdef",
        ] {
            assert!(FeedCursor::decode(forged).is_err(), "{forged:?} was accepted");
        }
    }
}
