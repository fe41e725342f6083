//! When an answer is accepted, whether it is late, when feedback shows, and a student's status.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// When a student may see scores and explanations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FeedbackPolicy {
    /// In the answer's response.
    Immediate,
    /// Once the student's due time (with any extension) has passed.
    AfterDue,
    /// Once the assignment's results are released.
    OnRelease,
}

/// What happens to an answer that arrives after the student's due time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LatePolicy {
    /// Stored and flagged `late`.
    AcceptFlagged,
    /// Refused with 409 `/problems/past-due`.
    Reject,
}

/// A student's progress on an assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AssignmentStatus {
    /// No answer yet.
    NotStarted,
    /// Some exercises answered, not all.
    InProgress,
    /// Every exercise answered, on time.
    Submitted,
    /// At least one answer arrived after the due time.
    Late,
}

macro_rules! text_enum {
    ($t:ty { $($v:ident => $s:literal),+ $(,)? }) => {
        impl $t {
            pub fn as_str(self) -> &'static str {
                match self { $(<$t>::$v => $s),+ }
            }
        }
    };
}

text_enum!(FeedbackPolicy { Immediate => "immediate", AfterDue => "after_due", OnRelease => "on_release" });
text_enum!(LatePolicy { AcceptFlagged => "accept_flagged", Reject => "reject" });

/// The parts of an assignment that decide whether one student's answer is accepted.
#[derive(Debug, Clone, Copy)]
pub struct SubmissionRules {
    pub opens_at: DateTime<Utc>,
    /// The student's due time: their extension if they have one, else the assignment's.
    pub due_at: DateTime<Utc>,
    /// `None`: unlimited.
    pub max_attempts: Option<i32>,
    pub late_policy: LatePolicy,
}

/// Why an answer is refused (each a distinct problem type).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    NotOpenYet { opens_at: DateTime<Utc> },
    AttemptsExhausted { max: i32 },
    PastDue { due_at: DateTime<Utc> },
}

impl Refusal {
    /// The problem type slug.
    pub fn rule(&self) -> &'static str {
        match self {
            Refusal::NotOpenYet { .. } => "not-open-yet",
            Refusal::AttemptsExhausted { .. } => "attempts-exhausted",
            Refusal::PastDue { .. } => "past-due",
        }
    }

    pub fn detail(&self) -> String {
        match self {
            Refusal::NotOpenYet { opens_at } => {
                format!(
                    "The assignment opens at {}; answers are accepted from then.",
                    rfc3339(*opens_at)
                )
            }
            Refusal::AttemptsExhausted { max } => format!(
                "This exercise allows {max} attempt{}; all are used.",
                if *max == 1 { "" } else { "s" }
            ),
            Refusal::PastDue { due_at } => format!(
                "The assignment was due at {} and does not accept late answers.",
                rfc3339(*due_at)
            ),
        }
    }
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Decides on an answer arriving at `now` when `attempts_used` answers to the same exercise are
/// already stored. `Ok(late)` accepts it. The opening time counts as open; the due time itself
/// is still on time.
pub fn check_submission(
    rules: &SubmissionRules,
    now: DateTime<Utc>,
    attempts_used: i64,
) -> Result<bool, Refusal> {
    if now < rules.opens_at {
        return Err(Refusal::NotOpenYet {
            opens_at: rules.opens_at,
        });
    }
    if let Some(max) = rules.max_attempts {
        if attempts_used >= i64::from(max) {
            return Err(Refusal::AttemptsExhausted { max });
        }
    }
    let late = now > rules.due_at;
    if late && rules.late_policy == LatePolicy::Reject {
        return Err(Refusal::PastDue { due_at: rules.due_at });
    }
    Ok(late)
}

/// Whether a student may see scores and explanations at `now`.
pub fn feedback_visible(
    policy: FeedbackPolicy,
    student_due_at: DateTime<Utc>,
    released_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    match policy {
        FeedbackPolicy::Immediate => true,
        FeedbackPolicy::AfterDue => now > student_due_at,
        FeedbackPolicy::OnRelease => released_at.is_some_and(|r| r <= now),
    }
}

/// Whether a student who may see feedback also sees the key: once no attempt is left, the due
/// time has passed, or results are released. Only `immediate` feedback shows anything before
/// that, so only it is ever partial.
pub fn key_shown(
    max_attempts: Option<i32>,
    attempts_used: i32,
    due_at: DateTime<Utc>,
    released_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    max_attempts.is_some_and(|m| attempts_used >= m) || now > due_at || released_at.is_some_and(|r| r <= now)
}

impl AssignmentStatus {
    /// From how many of the assignment's `total` exercises the student answered, and whether
    /// any answer was late.
    pub fn of(answered: i64, total: i64, any_late: bool) -> Self {
        if any_late {
            AssignmentStatus::Late
        } else if answered == 0 {
            AssignmentStatus::NotStarted
        } else if answered >= total {
            AssignmentStatus::Submitted
        } else {
            AssignmentStatus::InProgress
        }
    }
}

/// An 8-character join code from 40 random bits (31^8 codes), in an alphabet without look-alikes (no 0/O,
/// 1/I/L).
pub fn join_code(random: [u8; 5]) -> String {
    const ALPHABET: &[u8; 31] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut n = random.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
    let mut out = String::with_capacity(8);
    for _ in 0..8 {
        out.push(char::from(ALPHABET[(n % 31) as usize]));
        n /= 31;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn rules(late_policy: LatePolicy, max_attempts: Option<i32>) -> (SubmissionRules, DateTime<Utc>) {
        let t0 = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        (
            SubmissionRules {
                opens_at: t0,
                due_at: t0 + Duration::hours(1),
                max_attempts,
                late_policy,
            },
            t0,
        )
    }

    #[test]
    fn opening_and_due_boundaries() {
        let (r, t0) = rules(LatePolicy::Reject, Some(1));
        let s = Duration::seconds(1);
        assert!(matches!(
            check_submission(&r, t0 - s, 0),
            Err(Refusal::NotOpenYet { .. })
        ));
        assert_eq!(check_submission(&r, t0, 0), Ok(false));
        assert_eq!(check_submission(&r, r.due_at, 0), Ok(false));
        assert!(matches!(
            check_submission(&r, r.due_at + s, 0),
            Err(Refusal::PastDue { .. })
        ));
        let (r, _) = rules(LatePolicy::AcceptFlagged, Some(1));
        assert_eq!(check_submission(&r, r.due_at + s, 0), Ok(true));
    }

    #[test]
    fn attempts_are_counted_and_unlimited_means_unlimited() {
        let (r, t0) = rules(LatePolicy::Reject, Some(2));
        assert_eq!(check_submission(&r, t0, 1), Ok(false));
        assert_eq!(
            check_submission(&r, t0, 2),
            Err(Refusal::AttemptsExhausted { max: 2 })
        );
        let (r, _) = rules(LatePolicy::Reject, None);
        assert_eq!(check_submission(&r, t0, 10_000), Ok(false));
    }

    #[test]
    fn feedback_follows_the_policy() {
        let t = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let s = Duration::seconds(1);
        assert!(feedback_visible(FeedbackPolicy::Immediate, t, None, t - s));
        assert!(!feedback_visible(FeedbackPolicy::AfterDue, t, None, t));
        assert!(feedback_visible(FeedbackPolicy::AfterDue, t, None, t + s));
        assert!(!feedback_visible(FeedbackPolicy::OnRelease, t, None, t + s));
        assert!(feedback_visible(FeedbackPolicy::OnRelease, t, Some(t), t + s));
    }

    #[test]
    fn status_and_join_codes() {
        assert_eq!(AssignmentStatus::of(0, 3, false), AssignmentStatus::NotStarted);
        assert_eq!(AssignmentStatus::of(1, 3, false), AssignmentStatus::InProgress);
        assert_eq!(AssignmentStatus::of(3, 3, false), AssignmentStatus::Submitted);
        assert_eq!(AssignmentStatus::of(1, 3, true), AssignmentStatus::Late);
        let code = join_code([1, 2, 3, 4, 5]);
        assert_eq!(code.len(), 8);
        assert_eq!(code, join_code([1, 2, 3, 4, 5]));
        assert_ne!(code, join_code([1, 2, 3, 4, 6]));
    }
}
