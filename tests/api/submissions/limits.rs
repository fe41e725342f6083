//! What an answer must fit in: attempts, the opening time, the due time with its late policies and extensions.

use newslit::identity::Role;
use reqwest::{Method, StatusCode};
use serde_json::json;
use sqlx::PgPool;

use crate::classes::{at, create_assignment, join, json_of};
use crate::helpers::{assert_problem, stored_submissions};

use super::{choices, setup, submit};

#[sqlx::test]
async fn the_attempt_limit_is_enforced(pool: PgPool) {
    let (s, ex) = setup(pool, 2, json!({"max_attempts": 2})).await;
    for key in ["a1", "a2"] {
        submit(&s.app, &s.student, &s.assignment, key, &choices(&ex[0], &["a"]))
            .await
            .error_for_status()
            .unwrap();
    }
    let problem = assert_problem(
        submit(&s.app, &s.student, &s.assignment, "a3", &choices(&ex[0], &["a"])).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(problem["type"], "/problems/attempts-exhausted");
    // The limit is per exercise.
    let res = submit(&s.app, &s.student, &s.assignment, "b1", &choices(&ex[1], &["a"])).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    // A replay of an accepted answer still replays after the limit is reached.
    let res = submit(&s.app, &s.student, &s.assignment, "a1", &choices(&ex[0], &["a"])).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(stored_submissions(&s.app.pool).await, 3);
}

#[sqlx::test]
async fn opening_time_boundary_one_second_either_side(pool: PgPool) {
    let (s, ex) = setup(pool, 1, json!({"opens_at": at(2), "due_at": at(3600)})).await;
    let problem = assert_problem(
        submit(
            &s.app,
            &s.student,
            &s.assignment,
            "early",
            &choices(&ex[0], &["a"]),
        )
        .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(problem["type"], "/problems/not-open-yet");
    let open = create_assignment(
        &s.app,
        &s.teacher,
        &s.class,
        &[&ex[0]],
        json!({"opens_at": at(-1), "due_at": at(3600)}),
    )
    .await;
    let res = submit(
        &s.app,
        &s.student,
        open["id"].as_str().unwrap(),
        "on-time",
        &choices(&ex[0], &["a"]),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);
}

#[sqlx::test]
async fn due_time_boundaries_late_policies_and_extensions(pool: PgPool) {
    let (s, ex) = setup(
        pool,
        1,
        json!({"opens_at": at(-60), "due_at": at(-1), "late_policy": "reject"}),
    )
    .await;
    let app = &s.app;
    let body = choices(&ex[0], &["a"]);
    // reject, one second past due → refused.
    let problem = assert_problem(
        submit(app, &s.student, &s.assignment, "late", &body).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(problem["type"], "/problems/past-due");
    // reject, due in two seconds → on time.
    let ok = create_assignment(
        app,
        &s.teacher,
        &s.class,
        &[&ex[0]],
        json!({"opens_at": at(-60), "due_at": at(2), "late_policy": "reject"}),
    )
    .await;
    let res = json_of(
        submit(app, &s.student, ok["id"].as_str().unwrap(), "in-time", &body).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(res["late"], false);
    // accept_flagged, one second past due → stored and flagged.
    let flagged = create_assignment(
        app,
        &s.teacher,
        &s.class,
        &[&ex[0]],
        json!({"opens_at": at(-60), "due_at": at(-1), "late_policy": "accept_flagged"}),
    )
    .await;
    let flagged_id = flagged["id"].as_str().unwrap();
    let res = json_of(
        submit(app, &s.student, flagged_id, "flagged", &body).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(res["late"], true);
    let mine = json_of(
        app.get("/v1/me/assignments", Some(&s.student)).await,
        StatusCode::OK,
    )
    .await;
    let status_of = |id: &str| {
        mine["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status_of(flagged_id), "late");
    assert_eq!(status_of(&s.assignment), "not_started");

    // An extension moves the student's own due time: the rejected assignment now accepts.
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
        .json(&json!({"due_at": at(60)}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = json_of(
        submit(app, &s.student, &s.assignment, "extended", &body).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(res["late"], false);
    // Another student without the extension is still refused.
    let kim = app.token(Role::Student, "kim");
    join(app, &kim, &s.code).await;
    let problem = assert_problem(
        submit(app, &kim, &s.assignment, "kim", &body).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(problem["type"], "/problems/past-due");
}
