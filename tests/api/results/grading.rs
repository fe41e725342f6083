//! Grading by hand (If-Match, history), release, and regrading after a key fix.

use std::collections::HashMap;

use newslit::exercises::ResponseType;
use newslit::identity::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::helpers::{assert_problem, TestApp};

use super::{choices, content, setup, submit, text, GRADER, TEACHER};

#[sqlx::test]
async fn manual_grades_need_if_match_and_keep_a_history(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let f = setup(&pool, "on_release", &[("ana", None)]).await;
    let sub = submit(
        &pool,
        &f,
        f.students[0],
        f.exercises[2],
        1,
        text("The officials"),
        None,
        false,
    )
    .await;
    let grader = app.token(Role::Grader, GRADER);
    let teacher = app.token(Role::Teacher, TEACHER);
    let path = format!("/v1/submissions/{sub}/grade");

    let res = app
        .request(Method::PUT, &path, Some(&grader))
        .json(&json!({"score": 1.0}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::PRECONDITION_REQUIRED).await;
    let res = app
        .request(Method::PUT, &path, Some(&grader))
        .header("if-match", "\"g1\"")
        .json(&json!({"score": 1.5}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::BAD_REQUEST).await;
    let res = app
        .request(Method::PUT, &path, Some(&grader))
        .header("if-match", "\"g1\"")
        .json(&json!({"score": 0.5, "comment": "nul \u{0} here"}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::BAD_REQUEST).await;
    assert_eq!(problem["errors"][0]["field"], "comment");
    let res = app
        .request(Method::PUT, &path, Some(&grader))
        .header("if-match", "\"g1\"")
        .json(&json!({"score": 0.5, "comment": "Names the source, not how they knew"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["etag"], "\"g2\"");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], "graded");
    assert_eq!(body["score"], 0.5);
    // The same ETag again is stale now.
    let res = app
        .request(Method::PUT, &path, Some(&teacher))
        .header("if-match", "\"g1\"")
        .json(&json!({"score": 1.0}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::PRECONDITION_FAILED).await;
    // A score out of range is a 400 saying so, stale ETag or not.
    let res = app
        .request(Method::PUT, &path, Some(&teacher))
        .header("if-match", "\"g1\"")
        .json(&json!({"score": 7.0}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::BAD_REQUEST).await;
    assert_eq!(problem["errors"][0]["field"], "score");
    let res = app
        .request(Method::PUT, &path, Some(&teacher))
        .header("if-match", "\"g2\"")
        .json(&json!({"score": 0.75}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    // Outside reach: 404.
    let res = app
        .request(Method::PUT, &path, Some(&app.token(Role::Grader, "olga")))
        .header("if-match", "\"g3\"")
        .json(&json!({"score": 0.0}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::NOT_FOUND).await;

    let history_path = format!("/v1/submissions/{sub}/grade-history");
    let res = app.get(&history_path, Some(&teacher)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let history: Value = res.json().await.unwrap();
    let items = history["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["changed_by_subject"], GRADER);
    assert_eq!(items[0]["old_score"], Value::Null);
    assert_eq!(items[0]["new_score"], 0.5);
    assert_eq!(items[0]["old_status"], "pending_review");
    assert_eq!(items[0]["reason"], "manual");
    assert_eq!(items[0]["comment"], "Names the source, not how they knew");
    assert_eq!(items[1]["changed_by_subject"], TEACHER);
    assert_eq!(items[1]["old_score"], 0.5);
    assert_eq!(items[1]["new_score"], 0.75);
    assert_problem(app.get(&history_path, Some(&grader)).await, StatusCode::FORBIDDEN).await;

    // Release: on_release assignments only; repeated release keeps the first time.
    // Release is the teacher's (and admins'): a grader is refused.
    let release = format!("/v1/assignments/{}/release", f.assignment_id);
    let res = app
        .request(Method::POST, &release, Some(&grader))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::FORBIDDEN).await;
    let res = app
        .request(Method::POST, &release, Some(&teacher))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let first: Value = res.json().await.unwrap();
    let res = app
        .request(Method::POST, &release, Some(&teacher))
        .send()
        .await
        .unwrap();
    let second: Value = res.json().await.unwrap();
    assert_eq!(first["released_at"], second["released_at"]);
    let stored = sqlx::query_scalar!(
        "SELECT released_at FROM assignments WHERE id = $1",
        f.assignment_id
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(stored.is_some());
    let res = app
        .request(
            Method::PATCH,
            &format!("/v1/assignments/{}", f.assignment_id),
            Some(&teacher),
        )
        .header("If-Match", "*")
        .json(&json!({"feedback": "immediate"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = app
        .request(Method::POST, &release, Some(&teacher))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::CONFLICT).await;
    assert_eq!(problem["type"], "/problems/not-on-release");
}

#[sqlx::test]
async fn a_regrade_after_a_key_fix_lists_then_applies_changes(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let f = setup(&pool, "immediate", &[("ana", None), ("ben", None), ("cy", None)]).await;
    let q2 = f.exercises[1];
    // Key a, b. Ana chose a, c: (1 − 1)/2 = 0. Ben chose a, b: 1. Cy chose c: 0, but a person
    // overrode it by hand.
    let ana = submit(
        &pool,
        &f,
        f.students[0],
        q2,
        1,
        choices(&["a", "c"]),
        Some(0.0),
        false,
    )
    .await;
    let ben = submit(
        &pool,
        &f,
        f.students[1],
        q2,
        1,
        choices(&["a", "b"]),
        Some(1.0),
        false,
    )
    .await;
    let cy = submit(&pool, &f, f.students[2], q2, 1, choices(&["c"]), Some(0.0), false).await;
    let teacher = app.token(Role::Teacher, TEACHER);
    let res = app
        .request(
            Method::PUT,
            &format!("/v1/submissions/{cy}/grade"),
            Some(&teacher),
        )
        .header("if-match", "\"g1\"")
        .json(&json!({"score": 0.25}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    // The teacher fixes the key: a and c are right, b is wrong.
    let fixed = content(
        ResponseType::MultipleResponse,
        &[("a", true), ("b", false), ("c", true)],
    );
    sqlx::query!(
        "UPDATE exercises SET content = $2, version = 2 WHERE id = $1",
        q2,
        serde_json::to_value(&fixed).unwrap(),
    )
    .execute(&pool)
    .await
    .unwrap();

    let path = format!("/v1/exercises/{q2}/regrade");
    let res = app
        .request(Method::POST, &format!("{path}?dry_run=true"), Some(&teacher))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let dry: Value = res.json().await.unwrap();
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["examined"], 2, "the hand-graded one is left alone");
    let changes: HashMap<String, (f64, f64)> = dry["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["submission_id"].as_str().unwrap().to_string(),
                (c["old_score"].as_f64().unwrap(), c["new_score"].as_f64().unwrap()),
            )
        })
        .collect();
    // Ana: a, c → 1. Ben: a, b → (1 − 1)/2 = 0.
    assert_eq!(changes[&ana.to_string()], (0.0, 1.0));
    assert_eq!(changes[&ben.to_string()], (1.0, 0.0));
    let score = sqlx::query_scalar!("SELECT score FROM submissions WHERE id = $1", ana)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(score, Some(0.0), "a dry run changes nothing");

    let res = app
        .request(Method::POST, &path, Some(&teacher))
        .send()
        .await
        .unwrap();
    let applied: Value = res.json().await.unwrap();
    assert_eq!(applied["changes"].as_array().unwrap().len(), 2);
    let score = sqlx::query_scalar!("SELECT score FROM submissions WHERE id = $1", ana)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(score, Some(1.0));
    let history: Value = app
        .get(&format!("/v1/submissions/{ana}/grade-history"), Some(&teacher))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(history["items"][0]["reason"], "regrade");
    assert_eq!(history["items"][0]["exercise_version"], 2);
    // Applying again finds nothing left to change.
    let res = app
        .request(Method::POST, &path, Some(&teacher))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.json::<Value>().await.unwrap()["changes"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    // Graders may not regrade.
    let res = app
        .request(Method::POST, &path, Some(&app.token(Role::Grader, GRADER)))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::FORBIDDEN).await;
}
