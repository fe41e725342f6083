//! The student story: a class, an assignment, answers scored by the assignment's rule and
//! checked against the exercise.

use newslit::identity::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::classes::{
    choice_content, create_assignment, create_class, join, json_of, multiple_response_exercise,
    reflection_exercise,
};
use crate::helpers::{assert_problem, insert_published_exercise, stored_submissions, TestApp};

use super::{choices, setup, submit};

#[sqlx::test]
async fn the_whole_story_from_class_to_graded_answers(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let teacher = app.token(Role::Teacher, "t1");
    let sam = app.token(Role::Student, "sam");
    let (class, code) = create_class(&app, &teacher, "9B").await;
    assert_eq!(join(&app, &sam, &code).await, StatusCode::CREATED);
    let choice = multiple_response_exercise(&app).await;
    let reflection = reflection_exercise(&app).await;
    let a = create_assignment(
        &app,
        &teacher,
        &class,
        &[&choice, &reflection],
        json!({"feedback": "immediate"}),
    )
    .await;
    let id = a["id"].as_str().unwrap();

    let mine = json_of(app.get("/v1/me/assignments", Some(&sam)).await, StatusCode::OK).await;
    assert_eq!(mine["items"][0]["status"], "not_started");
    assert_eq!(mine["items"][0]["exercise_count"], 2);
    let exercises = json_of(
        app.get(&format!("/v1/assignments/{id}/exercises"), Some(&sam))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(exercises["items"].as_array().unwrap().len(), 2);

    // Partial credit: one right (a), one wrong (c) of the key {a, b} → max(0, (1 − 1) / 2) = 0;
    // so answer a alone: (1 − 0) / 2 = 0.5.
    let res = submit(&app, &sam, id, "k1", &choices(&choice, &["a"])).await;
    let location = res.headers()["location"].to_str().unwrap().to_string();
    let graded = json_of(res, StatusCode::CREATED).await;
    assert_eq!(
        location,
        format!("/v1/submissions/{}", graded["id"].as_str().unwrap())
    );
    assert_eq!(graded["status"], "graded");
    assert_eq!(graded["attempt"], 1);
    assert_eq!(graded["exercise_version"], 1);
    assert_eq!(graded["late"], false);
    assert_eq!(graded["feedback"]["score"], 0.5);
    assert_eq!(graded["feedback"]["max_score"], 1.0);
    let options = graded["feedback"]["options"].as_array().unwrap();
    assert_eq!(options.len(), 4);
    assert_eq!(
        options[0],
        json!({"id": "a", "chosen": true, "correct": true, "explanation": "Explanation of a"})
    );

    let mine = json_of(app.get("/v1/me/assignments", Some(&sam)).await, StatusCode::OK).await;
    assert_eq!(mine["items"][0]["status"], "in_progress");

    let text =
        json!({"exercise_id": reflection, "answer": {"type": "text", "text": "They could lose their job."}});
    let pending = json_of(submit(&app, &sam, id, "k2", &text).await, StatusCode::CREATED).await;
    assert_eq!(pending["status"], "pending_review");
    assert!(pending["feedback"]["score"].is_null());

    let mine = json_of(app.get("/v1/me/assignments", Some(&sam)).await, StatusCode::OK).await;
    assert_eq!(mine["items"][0]["status"], "submitted");
    assert_eq!(mine["items"][0]["answered"], 2);

    // The teacher sees both answers; the stored row is what the gradebook will read.
    let all = json_of(
        app.get(&format!("/v1/assignments/{id}/submissions"), Some(&teacher))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(all["items"].as_array().unwrap().len(), 2);
    let stored = sqlx::query!("SELECT score, status FROM submissions WHERE idempotency_key = 'k1'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!((stored.score, stored.status.as_str()), (Some(0.5), "graded"));
    let one = json_of(app.get(&location, Some(&sam)).await, StatusCode::OK).await;
    assert_eq!(one["feedback"]["score"], 0.5);
}

#[sqlx::test]
async fn all_or_nothing_scores_only_the_exact_key(pool: PgPool) {
    let (s, ex) = setup(
        pool,
        1,
        json!({"scoring": "all_or_nothing", "max_attempts": null}),
    )
    .await;
    let half = json_of(
        submit(&s.app, &s.student, &s.assignment, "k1", &choices(&ex[0], &["a"])).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(half["feedback"]["score"], 0.0);
    let full = json_of(
        submit(
            &s.app,
            &s.student,
            &s.assignment,
            "k2",
            &choices(&ex[0], &["b", "a"]),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(full["feedback"]["score"], 1.0);
    assert_eq!(full["attempt"], 2);
}

#[sqlx::test]
async fn answers_are_validated_against_the_exercise(pool: PgPool) {
    let (s, ex) = setup(pool, 1, json!({"max_attempts": null})).await;
    let single = insert_published_exercise(
        &s.app.pool,
        "source_of_claim",
        &choice_content("single_choice", &["a"]),
    )
    .await;
    let reflection = reflection_exercise(&s.app).await;
    // A second assignment in the same class over the other kinds.
    let other = create_assignment(
        &s.app,
        &s.teacher,
        &s.class,
        &[&single.to_string(), &reflection],
        json!({"max_attempts": null}),
    )
    .await;
    let other = other["id"].as_str().unwrap();
    let single = single.to_string();
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        (&s.assignment, choices(&ex[0], &["a", "z"]), "answer", "\"z\""),
        (&s.assignment, choices(&ex[0], &[]), "answer", "at least one"),
        (
            &s.assignment,
            choices(&ex[0], &["a", "a"]),
            "answer",
            "more than once",
        ),
        (other, choices(&single, &["a", "b"]), "answer", "exactly one"),
        (
            other,
            json!({"exercise_id": reflection, "answer": {"type": "text", "text": "  "}}),
            "answer",
            "empty",
        ),
        (other, choices(&reflection, &["a"]), "answer", "text"),
        (
            other,
            json!({"exercise_id": reflection, "answer": {"type": "text", "text": "a\u{0}b"}}),
            "answer/text",
            "NUL",
        ),
        (
            other,
            json!({"exercise_id": reflection, "answer": {"type": "text", "text": "x".repeat(20_001)}}),
            "answer",
            "longer than",
        ),
        (
            &s.assignment,
            choices(&single, &["a"]),
            "exercise_id",
            "not an exercise of this assignment",
        ),
    ];
    for (i, (assignment, body, field, says)) in cases.into_iter().enumerate() {
        let res = submit(&s.app, &s.student, assignment, &format!("bad{i}"), &body).await;
        let problem = assert_problem(res, StatusCode::BAD_REQUEST).await;
        assert_eq!(problem["errors"][0]["field"], field, "{body}");
        assert!(
            problem["detail"].as_str().unwrap().contains(says),
            "{body}: {problem}"
        );
    }
    let res = submit(
        &s.app,
        &s.student,
        &s.assignment,
        "junk",
        &json!({"exercise_id": ex[0], "answer": {"type": "essay"}}),
    )
    .await;
    assert_problem(res, StatusCode::BAD_REQUEST).await;
    assert_eq!(stored_submissions(&s.app.pool).await, 0);
}
