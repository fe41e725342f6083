//! Results teachers and graders can rely on: one role policy, keys that stay hidden while
//! attempts remain, pulls that never miss an answer, grading from one submission, tokens whose
//! role always takes effect, text PostgreSQL cannot store refused by name, and one value per
//! instant.

use newslit::identity::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::classes::{choice_content, create_assignment, create_class, join, json_of, send};
use crate::helpers::{insert_published_exercise, TestApp};

mod feed;
mod input;
mod policy;
mod tokens;

/// A teacher's class with one joined student and one assigned grader, an assignment over one
/// single-choice exercise (key: `a`) with `extra` fields.
struct World {
    app: TestApp,
    teacher: String,
    student: String,
    grader: String,
    class: String,
    exercise: String,
    assignment: String,
}

async fn world(pool: PgPool, extra: Value) -> World {
    let app = TestApp::spawn(pool).await;
    let teacher = app.token(Role::Teacher, "tia");
    let student = app.token(Role::Student, "sam");
    let grader = app.token(Role::Grader, "gus");
    let (class, code) = create_class(&app, &teacher, "9B").await;
    assert_eq!(join(&app, &student, &code).await, StatusCode::CREATED);
    json_of(
        send(&app, Method::GET, "/v1/me", &grader, None).await,
        StatusCode::OK,
    )
    .await;
    json_of(
        send(
            &app,
            Method::POST,
            &format!("/v1/classes/{class}/graders"),
            &teacher,
            Some(json!({"subject": "gus"})),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let exercise = insert_published_exercise(
        &app.pool,
        "anonymous_sources",
        &choice_content("single_choice", &["a"]),
    )
    .await
    .to_string();
    let a = create_assignment(&app, &teacher, &class, &[&exercise], extra).await;
    let assignment = a["id"].as_str().unwrap().to_string();
    World {
        app,
        teacher,
        student,
        grader,
        class,
        exercise,
        assignment,
    }
}

async fn answer(w: &World, token: &str, options: &[&str]) -> reqwest::Response {
    w.app
        .request(
            Method::POST,
            &format!("/v1/assignments/{}/submissions", w.assignment),
            Some(token),
        )
        .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
        .json(&json!({"exercise_id": w.exercise, "answer": {"type": "choices", "option_ids": options}}))
        .send()
        .await
        .unwrap()
}

/// Every page of the feed from `cursor` (empty: a first pull); returns the ids and the cursor.
async fn pull(app: &TestApp, token: &str, cursor: &str) -> (Vec<String>, String) {
    let mut cursor = cursor.to_string();
    let mut ids = Vec::new();
    loop {
        let path = if cursor.is_empty() {
            "/v1/submissions?limit=2".to_string()
        } else {
            format!("/v1/submissions?limit=2&cursor={cursor}")
        };
        let page = json_of(app.get(&path, Some(token)).await, StatusCode::OK).await;
        ids.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["id"].as_str().unwrap().to_string()),
        );
        cursor = page["next_cursor"].as_str().unwrap().to_string();
        if page["has_more"] == false {
            return (ids, cursor);
        }
    }
}
