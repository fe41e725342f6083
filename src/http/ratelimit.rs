//! Per-user limits on write requests: a token bucket per user, refilled continuously.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use uuid::Uuid;

pub struct RateLimiter {
    per_minute: u32,
    buckets: Mutex<HashMap<Uuid, (f64, Instant)>>,
}

/// A refusal: how long until the next write is allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitReached {
    pub retry_after_secs: u64,
    pub limit: u32,
}

impl RateLimiter {
    /// `per_minute == 0` turns limiting off.
    pub fn new(per_minute: u32) -> Self {
        RateLimiter {
            per_minute,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    pub fn limit(&self) -> u32 {
        self.per_minute
    }

    pub fn check(&self, user: Uuid) -> Result<(), LimitReached> {
        self.check_at(user, Instant::now())
    }

    fn check_at(&self, user: Uuid, now: Instant) -> Result<(), LimitReached> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let capacity = f64::from(self.per_minute);
        let per_sec = capacity / 60.0;
        let Ok(mut buckets) = self.buckets.lock() else {
            return Ok(());
        };
        if buckets.len() > 100_000 {
            // Full buckets carry no information; dropping them keeps memory bounded.
            buckets.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * per_sec < capacity
            });
        }
        let (tokens, at) = buckets.entry(user).or_insert((capacity, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * per_sec).min(capacity);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            let wait = ((1.0 - *tokens) / per_sec).ceil().max(1.0);
            Err(LimitReached {
                retry_after_secs: wait as u64,
                limit: self.per_minute,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_user_gets_the_burst_then_waits_while_others_are_unaffected() {
        let limiter = RateLimiter::new(3);
        let (alice, bob) = (Uuid::new_v4(), Uuid::new_v4());
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(limiter.check_at(alice, t0).is_ok());
        }
        let refusal = limiter.check_at(alice, t0).unwrap_err();
        assert_eq!(refusal.retry_after_secs, 20, "3 per minute: one every 20 s");
        assert!(limiter.check_at(bob, t0).is_ok());
        assert!(limiter.check_at(alice, t0 + Duration::from_secs(20)).is_ok());
    }

    #[test]
    fn zero_means_off() {
        let limiter = RateLimiter::new(0);
        let u = Uuid::new_v4();
        assert!((0..10_000).all(|_| limiter.check(u).is_ok()));
    }
}
