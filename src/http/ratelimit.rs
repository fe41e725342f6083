//! Per-user limits every instance shares, kept in PostgreSQL (`store::limits`): write requests
//! per minute, and bytes of article text per day. A refusal is a 429 with `Retry-After`.

use sqlx::PgPool;
use uuid::Uuid;

use crate::config::Config;
use crate::http::error::ApiError;
use crate::store::limits::{self, Bucket};

pub struct RateLimiter {
    writes: Option<Bucket>,
    article_bytes: Option<Bucket>,
}

impl RateLimiter {
    /// A limit of 0 turns that limit off.
    pub fn new(config: &Config) -> Self {
        let writes = (config.rate_limit_writes_per_minute > 0).then(|| Bucket {
            kind: "writes",
            capacity: f64::from(config.rate_limit_writes_per_minute),
            per_second: f64::from(config.rate_limit_writes_per_minute) / 60.0,
        });
        let article_bytes = (config.article_bytes_per_day > 0).then(|| Bucket {
            kind: "article_bytes",
            capacity: config.article_bytes_per_day as f64,
            per_second: config.article_bytes_per_day as f64 / 86_400.0,
        });
        RateLimiter {
            writes,
            article_bytes,
        }
    }

    /// Charges one write request to `user`.
    pub async fn check_write(&self, pool: &PgPool, user: Uuid) -> Result<(), ApiError> {
        let Some(bucket) = &self.writes else {
            return Ok(());
        };
        let charge = limits::charge(pool, user, bucket, 1.0).await?;
        if charge.granted {
            return Ok(());
        }
        let retry_after_secs = retry_after(bucket, 1.0, charge.tokens);
        let limit = bucket.capacity as u32;
        Err(ApiError::TooManyRequests {
            detail: format!("You may make {limit} changes a minute; try again in {retry_after_secs} s."),
            retry_after_secs,
            limit,
            policy: "writes",
            window_secs: 60,
        })
    }

    /// Charges `bytes` of article text to `user`'s daily budget.
    pub async fn check_article_bytes(&self, pool: &PgPool, user: Uuid, bytes: usize) -> Result<(), ApiError> {
        let Some(bucket) = &self.article_bytes else {
            return Ok(());
        };
        let cost = bytes as f64;
        let charge = limits::charge(pool, user, bucket, cost).await?;
        if charge.granted {
            return Ok(());
        }
        let retry_after_secs = retry_after(bucket, cost, charge.tokens);
        let budget = bucket.capacity as u64;
        let detail = if cost > bucket.capacity {
            format!("This article ({bytes} bytes) is larger than the daily budget of {budget} bytes of article text.")
        } else {
            format!(
                "You may add {budget} bytes of article text a day; {} are left. Try again in {retry_after_secs} s.",
                charge.tokens.max(0.0).floor() as u64
            )
        };
        Err(ApiError::TooManyRequests {
            detail,
            retry_after_secs,
            limit: u32::try_from(budget).unwrap_or(u32::MAX),
            policy: "article_bytes",
            window_secs: 86_400,
        })
    }
}

/// Seconds until a bucket holding `tokens` holds `cost` (at least 1); for a cost the bucket can
/// never hold, the time to refill it completely.
fn retry_after(bucket: &Bucket, cost: f64, tokens: f64) -> u64 {
    let missing = if cost > bucket.capacity {
        bucket.capacity
    } else {
        cost - tokens
    };
    (missing / bucket.per_second).ceil().max(1.0) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_is_the_time_the_missing_tokens_take_to_flow_in() {
        let three_a_minute = Bucket {
            kind: "writes",
            capacity: 3.0,
            per_second: 3.0 / 60.0,
        };
        assert_eq!(retry_after(&three_a_minute, 1.0, 0.0), 20, "one every 20 s");
        assert_eq!(retry_after(&three_a_minute, 1.0, 0.5), 10);
        assert_eq!(
            retry_after(&three_a_minute, 1.0, 0.999),
            1,
            "never less than a second"
        );
        assert_eq!(
            retry_after(&three_a_minute, 5.0, 3.0),
            60,
            "more than the bucket holds: a full refill"
        );
    }
}
