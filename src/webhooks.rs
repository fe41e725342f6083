//! Webhooks as the Standard Webhooks specification defines them: event types, `whsec_` secrets,
//! the `v1,` HMAC-SHA256 signature over `id.timestamp.body`, and the retry schedule. Pure code.

use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use utoipa::ToSchema;

/// What a subscriber can be told about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub enum EventType {
    /// A student's answer was stored.
    #[serde(rename = "submission.created")]
    SubmissionCreated,
    /// An answer got its score (on arrival, or when a person graded free text).
    #[serde(rename = "submission.graded")]
    SubmissionGraded,
    /// A graded answer's score changed (a grader's correction, a regrade).
    #[serde(rename = "grade.changed")]
    GradeChanged,
    /// An `on_release` assignment's feedback was released.
    #[serde(rename = "assignment.released")]
    AssignmentReleased,
}

impl EventType {
    pub const ALL: [EventType; 4] = [
        EventType::SubmissionCreated,
        EventType::SubmissionGraded,
        EventType::GradeChanged,
        EventType::AssignmentReleased,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventType::SubmissionCreated => "submission.created",
            EventType::SubmissionGraded => "submission.graded",
            EventType::GradeChanged => "grade.changed",
            EventType::AssignmentReleased => "assignment.released",
        }
    }

    pub fn parse(s: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

const SECRET_PREFIX: &str = "whsec_";

/// A fresh signing secret: `whsec_` and the base64 of 32 random bytes.
pub fn new_secret() -> Result<String, getrandom::Error> {
    let mut key = [0u8; 32];
    getrandom::getrandom(&mut key)?;
    Ok(format!("{SECRET_PREFIX}{}", STANDARD.encode(key)))
}

/// The key bytes of a `whsec_` secret, or `None` when it is not one.
pub fn secret_key(secret: &str) -> Option<Vec<u8>> {
    let b64 = secret.strip_prefix(SECRET_PREFIX)?;
    STANDARD.decode(b64).ok().filter(|k| !k.is_empty())
}

/// One signature: `v1,` and the base64 HMAC-SHA256 of `{id}.{timestamp}.{body}`.
pub fn sign(key: &[u8], id: &str, timestamp: i64, body: &[u8]) -> String {
    // HMAC accepts keys of any length; an error here is impossible for SHA-256.
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable_hmac(),
    };
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

#[cold]
fn unreachable_hmac() -> ! {
    // `Hmac::new_from_slice` only fails for MACs with a fixed key size, which HMAC is not.
    panic!("HMAC-SHA256 accepted no key")
}

/// The `webhook-signature` header: one signature per secret still valid, space-separated (the
/// current secret first; the previous one for a while after a rotation).
pub fn signature_header(keys: &[Vec<u8>], id: &str, timestamp: i64, body: &[u8]) -> String {
    keys.iter()
        .map(|k| sign(k, id, timestamp, body))
        .collect::<Vec<_>>()
        .join(" ")
}

/// How long to wait before attempt `attempt + 1` after `attempt` failed (1-based): `base`
/// doubled per attempt, capped at `cap`, then scaled by `jitter` in [0, 1) to between 50% and
/// 100% of that ("equal jitter"), so receivers that come back are not hit by every sender at once.
pub fn backoff(attempt: u32, base: Duration, cap: Duration, jitter: f64) -> Duration {
    let exp = attempt.saturating_sub(1).min(30);
    let full = base.saturating_mul(1u32 << exp).min(cap);
    full.mul_f64(0.5 + 0.5 * jitter.clamp(0.0, 1.0))
}

/// A uniform random number in [0, 1) for jitter (0.5 if the system has no randomness to give).
pub fn jitter() -> f64 {
    let mut b = [0u8; 8];
    match getrandom::getrandom(&mut b) {
        Ok(()) => (u64::from_le_bytes(b) >> 11) as f64 / (1u64 << 53) as f64,
        Err(_) => 0.5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_matches_the_specifications_test_vector() {
        // The example of the Standard Webhooks reference libraries' tests.
        let key = secret_key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let sig = sign(
            &key,
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            br#"{"test": 2432232314}"#,
        );
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn a_rotated_subscription_signs_with_both_secrets() {
        let a = secret_key(&new_secret().unwrap()).unwrap();
        let b = secret_key(&new_secret().unwrap()).unwrap();
        assert_ne!(a, b);
        let header = signature_header(&[a.clone(), b.clone()], "e1", 1, b"{}");
        let parts: Vec<&str> = header.split(' ').collect();
        assert_eq!(parts, vec![sign(&a, "e1", 1, b"{}"), sign(&b, "e1", 1, b"{}")]);
    }

    #[test]
    fn secrets_without_the_prefix_are_refused() {
        assert!(secret_key("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").is_none());
        assert!(secret_key("whsec_").is_none());
        assert_eq!(new_secret().unwrap().len(), 6 + 44);
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_and_jitter_stays_within_half() {
        let base = Duration::from_secs(5);
        let cap = Duration::from_secs(3600);
        assert_eq!(backoff(1, base, cap, 0.999_999).as_secs(), 4); // just under 5 s
        assert_eq!(backoff(1, base, cap, 0.0), Duration::from_millis(2500));
        assert_eq!(backoff(3, base, cap, 0.0), Duration::from_secs(10));
        assert_eq!(backoff(30, base, cap, 0.0), Duration::from_secs(1800));
        for _ in 0..100 {
            let j = jitter();
            assert!((0.0..1.0).contains(&j));
        }
    }

    #[test]
    fn event_types_round_trip() {
        for e in EventType::ALL {
            assert_eq!(EventType::parse(e.as_str()), Some(e));
            assert_eq!(serde_json::to_value(e).unwrap(), e.as_str());
        }
        assert_eq!(EventType::parse("submission.deleted"), None);
    }
}
