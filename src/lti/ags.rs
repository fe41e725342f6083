//! Assignment and Grade Services 2.0, the pure part: the score newslit publishes to a line item
//! for one student's result on one assignment, from the numbers the gradebook shows.

use serde::Serialize;

/// The scope newslit asks for to publish scores.
pub const SCOPE_SCORE: &str = "https://purl.imsglobal.org/spec/lti-ags/scope/score";
/// The media type of a score (AGS 2.0, 3.4).
pub const SCORE_MEDIA_TYPE: &str = "application/vnd.ims.lis.v1.score+json";

/// A student's result on an assignment as the gradebook counts it: per exercise the best graded
/// attempt, each exercise worth 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StudentResult {
    /// Exercises in the assignment (the gradebook's `max_total`).
    pub exercises: i64,
    /// Exercises the student answered at least once.
    pub attempted: i64,
    /// Sum of the counted scores (the gradebook's `total`).
    pub total: f64,
    /// Answers waiting for a person's grade.
    pub pending_review: i64,
    /// The assignment releases feedback by hand and has not yet: the score is not shown.
    pub held_back: bool,
}

/// A score as the platform receives it (`POST {lineitem}/scores`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Score {
    pub user_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score_given: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score_maximum: Option<f64>,
    pub activity_progress: &'static str,
    pub grading_progress: &'static str,
    /// RFC 3339 with milliseconds; platforms ignore a score older than the last they kept.
    pub timestamp: String,
}

/// The score to publish for `result`. A result waiting for a grader goes out with what is graded
/// so far and `Pending`; a held-back one without any score (the platform shows it as pending).
pub fn score(user_id: &str, result: &StudentResult, timestamp: String) -> Score {
    let activity_progress = match result.attempted {
        0 => "Initialized",
        n if n < result.exercises => "InProgress",
        _ => "Completed",
    };
    let (grading_progress, shown) = if result.attempted == 0 {
        ("NotReady", false)
    } else if result.held_back {
        ("Pending", false)
    } else if result.pending_review > 0 {
        ("Pending", true)
    } else {
        ("FullyGraded", true)
    };
    let max = result.exercises as f64;
    Score {
        user_id: user_id.to_string(),
        score_given: shown.then_some(result.total),
        score_maximum: shown.then_some(max),
        activity_progress,
        grading_progress,
        timestamp,
    }
}

/// Where scores of a line item are posted: `{lineitem}/scores`, the line item's query kept.
pub fn scores_url(lineitem: &str) -> Result<reqwest::Url, String> {
    let mut url =
        reqwest::Url::parse(lineitem).map_err(|e| format!("the line item URL is not a URL: {e}"))?;
    let path = format!("{}/scores", url.path().trim_end_matches('/'));
    url.set_path(&path);
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(attempted: i64, total: f64, pending_review: i64, held_back: bool) -> StudentResult {
        StudentResult {
            exercises: 3,
            attempted,
            total,
            pending_review,
            held_back,
        }
    }

    #[test]
    fn a_fully_graded_result_carries_the_gradebook_total_out_of_the_exercise_count() {
        let s = score("u1", &result(3, 2.5, 0, false), "t".into());
        assert_eq!(s.score_given, Some(2.5));
        assert_eq!(s.score_maximum, Some(3.0));
        assert_eq!(s.activity_progress, "Completed");
        assert_eq!(s.grading_progress, "FullyGraded");
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["userId"], "u1");
        assert_eq!(json["scoreGiven"], 2.5);
        assert_eq!(json["gradingProgress"], "FullyGraded");
    }

    #[test]
    fn answers_awaiting_a_grader_are_pending_and_a_held_back_result_shows_no_score() {
        let s = score("u1", &result(1, 0.0, 1, false), "t".into());
        assert_eq!(
            (s.activity_progress, s.grading_progress),
            ("InProgress", "Pending")
        );
        assert_eq!(s.score_given, Some(0.0));
        let held = score("u1", &result(3, 3.0, 0, true), "t".into());
        assert_eq!(held.grading_progress, "Pending");
        let json = serde_json::to_value(&held).unwrap();
        assert!(
            json.get("scoreGiven").is_none() && json.get("scoreMaximum").is_none(),
            "{json}"
        );
        let none = score("u1", &result(0, 0.0, 0, false), "t".into());
        assert_eq!(
            (none.activity_progress, none.grading_progress),
            ("Initialized", "NotReady")
        );
    }

    #[test]
    fn scores_go_below_the_line_item_keeping_its_query() {
        assert_eq!(
            scores_url("https://lms.example/api/lti/courses/7/line_items/3?type=x")
                .unwrap()
                .as_str(),
            "https://lms.example/api/lti/courses/7/line_items/3/scores?type=x"
        );
        assert_eq!(
            scores_url("https://lms.example/li/3/").unwrap().as_str(),
            "https://lms.example/li/3/scores"
        );
        assert!(scores_url("nope").is_err());
    }
}
