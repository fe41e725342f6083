//! When a student sees the score and explanations, and against which version of the exercise.

use newslit::identity::Role;
use reqwest::{Method, StatusCode};
use serde_json::json;
use sqlx::PgPool;

use crate::classes::{at, choice_content, join, json_of};

use super::{choices, setup, submit};

#[sqlx::test]
async fn feedback_waits_for_the_due_time_or_the_release(pool: PgPool) {
    let (s, ex) = setup(pool, 1, json!({"feedback": "after_due", "due_at": at(3600)})).await;
    let app = &s.app;
    let body = choices(&ex[0], &["a", "b"]);
    let res = json_of(
        submit(app, &s.student, &s.assignment, "k", &body).await,
        StatusCode::CREATED,
    )
    .await;
    assert!(
        res.get("feedback").is_none(),
        "no score before the due time: {res}"
    );
    assert_eq!(res["status"], "graded");
    let sub = format!("/v1/submissions/{}", res["id"].as_str().unwrap());
    assert!(json_of(app.get(&sub, Some(&s.student)).await, StatusCode::OK)
        .await
        .get("feedback")
        .is_none());
    // The teacher always sees it.
    assert_eq!(
        json_of(app.get(&sub, Some(&s.teacher)).await, StatusCode::OK).await["feedback"]["score"],
        1.0
    );
    // Once due (the teacher moves the due time into the past), the student sees it.
    let res = app
        .request(
            Method::PATCH,
            &format!("/v1/assignments/{}", s.assignment),
            Some(&s.teacher),
        )
        .header("If-Match", "*")
        .json(&json!({"opens_at": at(-120), "due_at": at(-1)}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let seen = json_of(app.get(&sub, Some(&s.student)).await, StatusCode::OK).await;
    assert_eq!(seen["feedback"]["score"], 1.0);
    assert_eq!(seen["feedback"]["options"][0]["explanation"], "Explanation of a");

    // on_release: hidden until released_at is set (the release endpoint comes with results).
    let res = app
        .request(
            Method::PATCH,
            &format!("/v1/assignments/{}", s.assignment),
            Some(&s.teacher),
        )
        .header("If-Match", "*")
        .json(&json!({"feedback": "on_release"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let list = format!("/v1/assignments/{}/submissions", s.assignment);
    let page = json_of(app.get(&list, Some(&s.student)).await, StatusCode::OK).await;
    assert!(page["items"][0].get("feedback").is_none());
    let res = app
        .request(
            Method::POST,
            &format!("/v1/assignments/{}/release", s.assignment),
            Some(&s.teacher),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let page = json_of(app.get(&list, Some(&s.student)).await, StatusCode::OK).await;
    assert_eq!(page["items"][0]["feedback"]["score"], 1.0);
}

#[sqlx::test]
async fn a_later_exercise_edit_does_not_change_what_an_answer_was_graded_against(pool: PgPool) {
    let (s, ex) = setup(pool, 1, json!({"max_attempts": null})).await;
    let app = &s.app;
    let first = json_of(
        submit(
            app,
            &s.student,
            &s.assignment,
            "v1",
            &choices(&ex[0], &["a", "b"]),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(first["feedback"]["score"], 1.0);
    // A teacher corrects the key: version 2 makes only "c" correct.
    let mut v2 = choice_content("multiple_response", &["c"]);
    v2["options"][2]["explanation"] = json!("Corrected");
    let id = uuid::Uuid::parse_str(&ex[0]).unwrap();
    sqlx::query!(
        "INSERT INTO exercise_versions (exercise_id, version, status, content) VALUES ($1, 2, 'published', $2)",
        id,
        v2
    )
    .execute(&app.pool)
    .await
    .unwrap();
    sqlx::query!(
        "UPDATE exercises SET version = 2, content = $2 WHERE id = $1",
        id,
        v2
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let stored = json_of(
        app.get(
            &format!("/v1/submissions/{}", first["id"].as_str().unwrap()),
            Some(&s.student),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(stored["exercise_version"], 1);
    assert_eq!(stored["feedback"]["score"], 1.0);
    assert_eq!(
        stored["feedback"]["options"][0]["correct"], true,
        "explained by version 1"
    );
    let second = json_of(
        submit(
            app,
            &s.student,
            &s.assignment,
            "v2",
            &choices(&ex[0], &["a", "b"]),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(second["exercise_version"], 2);
    assert_eq!(second["feedback"]["score"], 0.0);
}

#[sqlx::test]
async fn after_due_feedback_follows_each_students_own_due_time(pool: PgPool) {
    let (s, ex) = setup(
        pool,
        1,
        json!({"feedback": "after_due", "opens_at": at(-60), "due_at": at(-1)}),
    )
    .await;
    let app = &s.app;
    let sam_id = json_of(app.get("/v1/me", Some(&s.student)).await, StatusCode::OK).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let res = app
        .request(
            Method::PUT,
            &format!("/v1/assignments/{}/extensions/{sam_id}", s.assignment),
            Some(&s.teacher),
        )
        .header("If-Match", "*")
        .json(&json!({"due_at": at(3600)}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let kim = app.token(Role::Student, "kim");
    join(app, &kim, &s.code).await;

    let body = choices(&ex[0], &["a", "b"]);
    let sam = json_of(
        submit(app, &s.student, &s.assignment, "sam", &body).await,
        StatusCode::CREATED,
    )
    .await;
    assert!(
        sam.get("feedback").is_none(),
        "sam's own due time is an hour away"
    );
    assert_eq!(sam["late"], false);
    let kim = json_of(
        submit(app, &kim, &s.assignment, "kim", &body).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(kim["feedback"]["score"], 1.0, "kim's due time has passed");
    assert_eq!(kim["late"], true);
}
