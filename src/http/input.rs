//! Checks of request input that several resources share; each failure is a 400 naming the field.

use chrono::{DateTime, Utc};

use crate::http::error::ApiError;

/// Refuses text PostgreSQL cannot store (a NUL character), as a 400 naming the field.
pub fn storable(field: &str, value: &str) -> Result<(), ApiError> {
    if value.contains('\0') {
        return Err(ApiError::invalid(field, "must not contain a NUL character"));
    }
    Ok(())
}

/// Parses an RFC 3339 date-time that carries an offset, into UTC, at the microsecond
/// precision PostgreSQL stores (so the answer to a write shows the instant later reads show).
pub fn parse_time(field: &str, value: &str) -> Result<DateTime<Utc>, ApiError> {
    DateTime::parse_from_rfc3339(value.trim())
        .map(|t| crate::wire::stored_instant(t.with_timezone(&Utc)))
        .map_err(|_| {
            ApiError::invalid(
                field,
                "must be an RFC 3339 date-time with an offset, e.g. 2026-03-02T08:00:00+01:00",
            )
        })
}
