//! Classroom rules as pure functions: when an answer may be submitted, whether it is late, when
//! feedback may be shown, a student's status on an assignment, and join codes.
//! No I/O and no clock: callers pass `now`.

pub mod rules;
pub mod status;

pub use rules::{
    check_submission, feedback_visible, join_code, key_shown, AssignmentStatus, FeedbackPolicy, LatePolicy,
    Refusal, SubmissionRules,
};
pub use status::{GradeChangeReason, SubmissionStatus};
