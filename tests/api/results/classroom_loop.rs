//! The whole loop through the classroom API, from a student's answer to the released grade.

use newslit::identity::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::helpers::TestApp;

use super::{GRADER, TEACHER};

/// The whole loop through the classroom API: a student answers, a grader pulls the answers,
/// grades the free text, releases feedback, and the student then sees the grade.
#[sqlx::test]
async fn from_submission_to_released_grade_through_the_api(pool: PgPool) {
    use crate::classes::{
        create_assignment, create_class, join, json_of, multiple_response_exercise, reflection_exercise, send,
    };

    let app = TestApp::spawn(pool.clone()).await;
    let teacher = app.token(Role::Teacher, TEACHER);
    let grader = app.token(Role::Grader, GRADER);
    let student = app.token(Role::Student, "sam");
    // Tokens provision users on first use.
    assert_eq!(app.get("/v1/me", Some(&grader)).await.status(), StatusCode::OK);
    let (class, code) = create_class(&app, &teacher, "9B").await;
    assert_eq!(join(&app, &student, &code).await, StatusCode::CREATED);
    let res = send(
        &app,
        Method::POST,
        &format!("/v1/classes/{class}/graders"),
        &teacher,
        Some(json!({"subject": GRADER})),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let choice = multiple_response_exercise(&app).await;
    let essay = reflection_exercise(&app).await;
    let a = create_assignment(
        &app,
        &teacher,
        &class,
        &[&choice, &essay],
        json!({"feedback": "on_release"}),
    )
    .await;
    let assignment = a["id"].as_str().unwrap().to_string();

    let submit = |key: &'static str, body: Value| {
        app.request(
            Method::POST,
            &format!("/v1/assignments/{assignment}/submissions"),
            Some(&student),
        )
        .header("Idempotency-Key", key)
        .json(&body)
        .send()
    };
    let res = submit(
        "k1",
        json!({"exercise_id": choice, "answer": {"type": "choices", "option_ids": ["a"]}}),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = submit(
        "k2",
        json!({"exercise_id": essay, "answer": {"type": "text", "text": "They could lose their job."}}),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let essay_submission = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();

    let page = json_of(
        app.get(
            &format!("/v1/submissions?assignment_id={assignment}"),
            Some(&grader),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["score"], 0.5);
    assert_eq!(items[1]["status"], "pending_review");
    assert_eq!(items[1]["id"], essay_submission.as_str());
    let cursor = page["next_cursor"].as_str().unwrap().to_string();

    let res = app
        .request(
            Method::PUT,
            &format!("/v1/submissions/{essay_submission}/grade"),
            Some(&grader),
        )
        .header("if-match", format!("\"g{}\"", items[1]["grade_version"]))
        .json(&json!({"score": 0.75, "comment": "Good: names the risk."}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    // The next pull holds exactly the grade change.
    let page = json_of(
        app.get(&format!("/v1/submissions?cursor={cursor}"), Some(&grader))
            .await,
        StatusCode::OK,
    )
    .await;
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["score"], 0.75);
    assert_eq!(items[0]["grade_comment"], "Good: names the risk.");

    let book = json_of(
        app.get(&format!("/v1/assignments/{assignment}/results"), Some(&grader))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(book["students"][0]["total"], 1.25);
    assert_eq!(book["students"][0]["pending_review"], 0);

    let mine = format!("/v1/submissions/{essay_submission}");
    let before = json_of(app.get(&mine, Some(&student)).await, StatusCode::OK).await;
    assert!(
        before.get("feedback").is_none(),
        "on_release: nothing before the release: {before}"
    );
    let res = app
        .request(
            Method::POST,
            &format!("/v1/assignments/{assignment}/release"),
            Some(&teacher),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let after = json_of(app.get(&mine, Some(&student)).await, StatusCode::OK).await;
    assert_eq!(after["feedback"]["score"], 0.75, "{after}");
}
