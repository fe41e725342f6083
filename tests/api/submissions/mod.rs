//! Submissions: the student story, idempotency, concurrency, attempts, dates, feedback policies.
//! Classes, assignments and answers are made through the API.

mod batch;
mod feedback;
mod idempotency;
mod limits;
mod references;
mod story;

use newslit::identity::Role;
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::classes::{create_assignment, create_class, join, multiple_response_exercise};
use crate::helpers::TestApp;

/// A teacher, a class with one joined student, and an assignment over `exercises` with `extra`.
struct Setup {
    app: TestApp,
    teacher: String,
    student: String,
    /// The class's id and join code.
    class: String,
    code: String,
    assignment: String,
}

async fn setup(pool: PgPool, exercises: usize, extra: Value) -> (Setup, Vec<String>) {
    let app = TestApp::spawn(pool).await;
    let teacher = app.token(Role::Teacher, "t1");
    let student = app.token(Role::Student, "sam");
    let (class, code) = create_class(&app, &teacher, "9B").await;
    assert_eq!(join(&app, &student, &code).await, StatusCode::CREATED);
    let mut ids = Vec::new();
    for _ in 0..exercises {
        ids.push(multiple_response_exercise(&app).await);
    }
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let a = create_assignment(&app, &teacher, &class, &refs, extra).await;
    let assignment = a["id"].as_str().unwrap().to_string();
    (
        Setup {
            app,
            teacher,
            student,
            class,
            code,
            assignment,
        },
        ids,
    )
}

async fn submit(app: &TestApp, token: &str, assignment: &str, key: &str, body: &Value) -> Response {
    app.request(
        Method::POST,
        &format!("/v1/assignments/{assignment}/submissions"),
        Some(token),
    )
    .header("Idempotency-Key", key)
    .json(body)
    .send()
    .await
    .unwrap()
}

fn choices(exercise: &str, ids: &[&str]) -> Value {
    json!({"exercise_id": exercise, "answer": {"type": "choices", "option_ids": ids}})
}
