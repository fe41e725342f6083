//! Reading numbers as JSON Schema defines them: an `integer` is any number with a zero
//! fractional part, so `3.0` is as good as `3`. Clients built from the spec (and JavaScript,
//! which has one number type) may send either.

use chrono::{DateTime, SubsecRound, Utc};
use serde::de::Error;
use serde::{Deserialize, Deserializer};

fn whole(x: f64, min: f64, max: f64) -> Result<f64, String> {
    if x.fract() == 0.0 && (min..=max).contains(&x) {
        Ok(x)
    } else {
        Err(format!("expected a whole number from {min} to {max}, got {x}"))
    }
}

/// An optional `i32` (`null` is `None`), written as an integer or a whole float.
#[allow(
    clippy::cast_possible_truncation,
    reason = "`whole` checked the value is a whole number in range"
)]
pub fn opt_i32<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i32>, D::Error> {
    Option::<f64>::deserialize(d)?
        .map(|x| whole(x, f64::from(i32::MIN), f64::from(i32::MAX)).map(|x| x as i32))
        .transpose()
        .map_err(D::Error::custom)
}

/// A `usize` within 32 bits (text offsets), written as an integer or a whole float.
#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "`whole` checked the value is a whole number from 0 to u32::MAX"
)]
pub fn offset<'de, D: Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    let x = f64::deserialize(d)?;
    whole(x, 0.0, f64::from(u32::MAX))
        .map(|x| x as usize)
        .map_err(D::Error::custom)
}

/// An instant at the precision PostgreSQL's `timestamptz` keeps (microseconds): every instant
/// the service stores or answers with goes through here first, so one instant has one value.
pub fn stored_instant(t: DateTime<Utc>) -> DateTime<Utc> {
    t.round_subsecs(6)
}

/// The current instant at stored precision.
pub fn now() -> DateTime<Utc> {
    stored_instant(Utc::now())
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize, Debug, PartialEq)]
    struct Probe {
        #[serde(default, deserialize_with = "super::opt_i32")]
        n: Option<i32>,
        #[serde(default, deserialize_with = "super::offset")]
        at: usize,
    }

    fn parse(json: &str) -> Result<Probe, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn integers_and_whole_floats_read_alike() {
        assert_eq!(parse(r#"{"n": 3, "at": 7}"#), Ok(Probe { n: Some(3), at: 7 }));
        assert_eq!(parse(r#"{"n": 3.0, "at": 7.0}"#), Ok(Probe { n: Some(3), at: 7 }));
        assert_eq!(parse(r#"{"n": null}"#), Ok(Probe { n: None, at: 0 }));
        assert_eq!(parse(r#"{"n": -2147483648}"#).unwrap().n, Some(i32::MIN));
    }

    #[test]
    fn fractions_and_out_of_range_numbers_are_refused() {
        assert!(parse(r#"{"n": 2.5}"#).unwrap_err().contains("whole number"));
        assert!(parse(r#"{"n": 2147483648}"#).is_err());
        assert!(parse(r#"{"at": -1}"#).is_err());
        assert!(parse(r#"{"at": 1e300}"#).is_err());
        assert!(parse(r#"{"n": "3"}"#).is_err());
    }
}
