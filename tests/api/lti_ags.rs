//! Assignment and Grade Services: a student's assignment score arrives at the platform's line
//! item as the gradebook counts it, again on every change, after the platform's outages, and
//! only after the release of an assignment that releases feedback by hand.

use std::sync::atomic::Ordering;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::classes::{create_assignment, json_of, multiple_response_exercise, reflection_exercise, send};
use crate::helpers::TestApp;
use crate::lti_platform::{ags_claim, launch_as, register, services_app, MockPlatform, SCORE_SCOPE};

/// A course as the platform launches it: an instructor, an assignment (`extra` fields added)
/// of one choice exercise and, with `with_essay`, a reflection after it, and a student launched
/// into the assignment.
struct Course {
    app: TestApp,
    platform: MockPlatform,
    teacher: String,
    assignment: String,
    choice: String,
    essay: Option<String>,
    student: String,
}

async fn course(pool: PgPool, extra: Value, with_essay: bool) -> Course {
    let app = services_app(pool).await;
    let platform = MockPlatform::start(app.url("/v1/lti/jwks")).await;
    register(&app, &platform).await;
    let teacher = launch_as(
        &app,
        &platform,
        "teacher-1",
        "Instructor",
        json!({}),
        ags_claim(&platform),
    )
    .await;
    let t = teacher["token"].as_str().unwrap().to_string();
    let choice = multiple_response_exercise(&app).await;
    let essay = if with_essay {
        Some(reflection_exercise(&app).await)
    } else {
        None
    };
    let exercises: Vec<&str> = std::iter::once(choice.as_str()).chain(essay.as_deref()).collect();
    let assignment =
        create_assignment(&app, &t, teacher["class_id"].as_str().unwrap(), &exercises, extra).await;
    let id = assignment["id"].as_str().unwrap().to_string();
    let custom = json!({"newslit_assignment_id": id});
    let student = launch_as(
        &app,
        &platform,
        "student-1",
        "Learner",
        custom,
        ags_claim(&platform),
    )
    .await;
    let student = student["token"].as_str().unwrap().to_string();
    Course {
        app,
        platform,
        teacher: t,
        assignment: id,
        choice,
        essay,
        student,
    }
}

async fn answer(app: &TestApp, token: &str, assignment: &str, exercise: &str, answer: Value) -> Value {
    let res = app
        .request(
            Method::POST,
            &format!("/v1/assignments/{assignment}/submissions"),
            Some(token),
        )
        .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
        .json(&json!({"exercise_id": exercise, "answer": answer}))
        .send()
        .await
        .unwrap();
    json_of(res, StatusCode::CREATED).await
}

async fn grade(app: &TestApp, token: &str, submission: &Value, score: f64) {
    let res = app
        .request(
            Method::PUT,
            &format!("/v1/submissions/{}/grade", submission["id"].as_str().unwrap()),
            Some(token),
        )
        // Neither answer was graded by a person before: both are at their first grade version.
        .header("If-Match", "\"g1\"")
        .json(&json!({"score": score}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{}", res.text().await.unwrap());
}

#[sqlx::test]
async fn the_students_score_arrives_at_the_line_item_as_graded_and_again_when_a_grader_changes_it(
    pool: PgPool,
) {
    let Course {
        app,
        platform,
        teacher: t,
        assignment,
        choice,
        essay,
        student,
    } = course(pool, json!({"feedback": "immediate"}), true).await;
    let (assignment_id, s) = (assignment.as_str(), student.as_str());
    let essay = essay.unwrap();

    // The choice answer is machine-graded on arrival: 1 of 2, the essay not answered yet.
    let first = answer(
        &app,
        s,
        assignment_id,
        &choice,
        json!({"type": "choices", "option_ids": ["a", "b"]}),
    )
    .await;
    let got = platform.scores(1).await;
    let (content_type, score) = &got[0];
    assert_eq!(content_type, "application/vnd.ims.lis.v1.score+json");
    assert_eq!(score["userId"], "student-1");
    assert_eq!(score["scoreGiven"], 1.0);
    assert_eq!(score["scoreMaximum"], 2.0);
    assert_eq!(score["activityProgress"], "InProgress");
    assert_eq!(score["gradingProgress"], "FullyGraded");
    assert!(
        chrono::DateTime::parse_from_rfc3339(score["timestamp"].as_str().unwrap()).is_ok(),
        "{score}"
    );

    // The essay waits for a person: the score says so.
    let essay_answer = answer(
        &app,
        s,
        assignment_id,
        &essay,
        json!({"type": "text", "text": "They could lose their job."}),
    )
    .await;
    let got = platform.scores(2).await;
    assert_eq!(got[1].1["gradingProgress"], "Pending");
    assert_eq!(got[1].1["activityProgress"], "Completed");
    assert_eq!(got[1].1["scoreGiven"], 1.0);

    // A grader grades the essay, then corrects the machine's score.
    grade(&app, &t, &essay_answer, 0.5).await;
    let got = platform.scores(3).await;
    assert_eq!(
        (
            got[2].1["scoreGiven"].clone(),
            got[2].1["gradingProgress"].clone()
        ),
        (json!(1.5), json!("FullyGraded"))
    );
    grade(&app, &t, &first, 0.25).await;
    let got = platform.scores(4).await;
    assert_eq!(got[3].1["scoreGiven"], 0.75);
    assert!(
        got[3].1["timestamp"].as_str() > got[2].1["timestamp"].as_str(),
        "timestamps grow"
    );

    // What the platform holds is what the gradebook shows.
    let results = json_of(
        app.get(&format!("/v1/assignments/{assignment_id}/results"), Some(&t))
            .await,
        StatusCode::OK,
    )
    .await;
    let row = &results["students"][0];
    assert_eq!(
        (row["total"].clone(), row["max_total"].clone()),
        (json!(0.75), json!(2.0)),
        "{results}"
    );

    // One token, asked for with the score scope, served every score; no request was refused.
    let seen = platform.seen.lock().unwrap();
    assert_eq!(seen.tokens, [SCORE_SCOPE]);
    assert!(seen.refused.is_empty(), "{:?}", seen.refused);
    assert_eq!(seen.scores.len(), 4, "one score per change: {:?}", seen.scores);
}

#[sqlx::test]
async fn a_score_the_platform_refuses_is_retried_until_it_arrives(pool: PgPool) {
    let Course {
        app,
        platform,
        assignment,
        choice,
        student: s,
        ..
    } = course(pool, json!({"feedback": "immediate"}), false).await;
    platform.refuse_scores.store(3, Ordering::SeqCst);
    answer(
        &app,
        &s,
        &assignment,
        &choice,
        json!({"type": "choices", "option_ids": ["a", "b"]}),
    )
    .await;

    let got = platform.scores(1).await;
    assert_eq!(got[0].1["scoreGiven"], 1.0);
    assert_eq!(platform.seen.lock().unwrap().scores_refused, 3);
    // The outbox row shows the attempts it took (recorded just after the platform answered).
    let mut row = (0, false);
    for _ in 0..100 {
        let r = sqlx::query!(
            r#"SELECT attempts, delivered_at IS NOT NULL AS "delivered!" FROM outbox WHERE destination = 'ags'"#
        )
        .fetch_one(&app.pool)
        .await
        .unwrap();
        row = (r.attempts, r.delivered);
        if row.1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let (attempts, delivered): (i32, bool) = row;
    assert_eq!((attempts, delivered), (4, true));
    assert_eq!(platform.seen.lock().unwrap().scores.len(), 1);
}

#[sqlx::test]
async fn an_on_release_assignment_holds_the_score_back_until_the_release(pool: PgPool) {
    let Course {
        app,
        platform,
        teacher: t,
        assignment,
        choice,
        student: s,
        ..
    } = course(pool, json!({"feedback": "on_release"}), false).await;
    answer(
        &app,
        &s,
        &assignment,
        &choice,
        json!({"type": "choices", "option_ids": ["a", "b"]}),
    )
    .await;
    let got = platform.scores(1).await;
    assert_eq!(got[0].1["gradingProgress"], "Pending");
    assert!(
        got[0].1.get("scoreGiven").is_none(),
        "no score before the release: {}",
        got[0].1
    );

    let res = send(
        &app,
        Method::POST,
        &format!("/v1/assignments/{assignment}/release"),
        &t,
        None,
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let got = platform.scores(2).await;
    assert_eq!(got[1].1["gradingProgress"], "FullyGraded");
    assert_eq!(got[1].1["scoreGiven"], 1.0);
    assert_eq!(got[1].1["userId"], "student-1");
}
