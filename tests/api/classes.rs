//! Classes: creation, join codes, enrolment, graders, removal, paging. Also the shared
//! classroom fixtures the assignment, submission and access tests use.

use newslit::identity::Role;
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::helpers::{assert_problem, insert_published_exercise, TestApp};

/// Sends `body` as JSON (or nothing) with the token.
pub async fn send(app: &TestApp, method: Method, path: &str, token: &str, body: Option<Value>) -> Response {
    let mut req = app.request(method, path, Some(token));
    if let Some(body) = body {
        req = req.json(&body);
    }
    req.send().await.expect("request sent")
}

pub async fn json_of(res: Response, status: StatusCode) -> Value {
    let url = res.url().to_string();
    let got = res.status();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    assert_eq!(got, status, "{url}: {body}");
    body
}

/// A class of `teacher`; returns (id, join code).
pub async fn create_class(app: &TestApp, teacher: &str, name: &str) -> (String, String) {
    let res = send(
        app,
        Method::POST,
        "/v1/classes",
        teacher,
        Some(json!({ "name": name })),
    )
    .await;
    let class = json_of(res, StatusCode::CREATED).await;
    (
        class["id"].as_str().unwrap().to_string(),
        class["join_code"].as_str().unwrap().to_string(),
    )
}

pub async fn join(app: &TestApp, student: &str, code: &str) -> StatusCode {
    send(
        app,
        Method::POST,
        "/v1/classes/join",
        student,
        Some(json!({ "join_code": code })),
    )
    .await
    .status()
}

/// Exercise content in the `ExerciseContent` shape: options `a`, `b`, `c`, `d` with the key
/// `correct` (ids of the correct ones).
pub fn choice_content(response_type: &str, correct: &[&str]) -> Value {
    let options: Vec<Value> = ["a", "b", "c", "d"]
        .iter()
        .map(|id| {
            json!({
                "id": id,
                "text": format!("Option {id}"),
                "quote": null,
                "article_hash": null,
                "correct": correct.contains(id),
                "explanation": format!("Explanation of {id}"),
            })
        })
        .collect();
    json!({
        "prompt": "Which statements come from unnamed sources?",
        "response_type": response_type,
        "passage": null,
        "options": options,
        "difficulty": "easy",
        "scoring": "partial",
        "rubric": null,
    })
}

pub fn reflection_content() -> Value {
    json!({
        "prompt": "Why might a source ask not to be named?",
        "response_type": "free_text",
        "passage": null,
        "options": [],
        "difficulty": "medium",
        "scoring": "partial",
        "rubric": "Mentions risk to the source.",
    })
}

pub async fn multiple_response_exercise(app: &TestApp) -> String {
    insert_published_exercise(
        &app.pool,
        "anonymous_sources",
        &choice_content("multiple_response", &["a", "b"]),
    )
    .await
    .to_string()
}

pub async fn reflection_exercise(app: &TestApp) -> String {
    insert_published_exercise(&app.pool, "reflection", &reflection_content())
        .await
        .to_string()
}

/// RFC 3339 of now + `secs`, with a +02:00 offset (stored as UTC).
pub fn at(secs: i64) -> String {
    let offset = chrono::FixedOffset::east_opt(2 * 3600).unwrap();
    (chrono::Utc::now() + chrono::Duration::seconds(secs))
        .with_timezone(&offset)
        .to_rfc3339()
}

/// Creates an assignment in the class from `extra` fields (title, dates and exercise ids have
/// defaults: open since an hour, due in an hour); returns the body.
pub async fn create_assignment(
    app: &TestApp,
    teacher: &str,
    class_id: &str,
    exercises: &[&str],
    extra: Value,
) -> Value {
    let mut body = json!({
        "title": "Week 1",
        "exercise_ids": exercises,
        "opens_at": at(-3600),
        "due_at": at(3600),
    });
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    let res = send(
        app,
        Method::POST,
        &format!("/v1/classes/{class_id}/assignments"),
        teacher,
        Some(body),
    )
    .await;
    json_of(res, StatusCode::CREATED).await
}

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

#[sqlx::test]
async fn a_teacher_creates_a_class_and_students_join_with_its_code(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let teacher = app.token(Role::Teacher, "t1");
    let sam = app.token(Role::Student, "sam");

    let res = send(
        &app,
        Method::POST,
        "/v1/classes",
        &teacher,
        Some(json!({"name": "  9B  "})),
    )
    .await;
    let location = res.headers()["location"].to_str().unwrap().to_string();
    let class = json_of(res, StatusCode::CREATED).await;
    assert_eq!(class["name"], "9B");
    assert_eq!(location, format!("/v1/classes/{}", class["id"].as_str().unwrap()));
    let code = class["join_code"].as_str().unwrap();
    assert_eq!(code.len(), 8);

    assert_eq!(join(&app, &sam, &code.to_lowercase()).await, StatusCode::CREATED);
    assert_eq!(
        join(&app, &sam, code).await,
        StatusCode::OK,
        "joining twice is harmless"
    );
    let res = send(
        &app,
        Method::POST,
        "/v1/classes/join",
        &sam,
        Some(json!({"join_code": "NOPE2345"})),
    )
    .await;
    assert_problem(res, StatusCode::NOT_FOUND).await;

    let mine = json_of(app.get("/v1/classes", Some(&sam)).await, StatusCode::OK).await;
    assert_eq!(ids(&mine), vec![class["id"].as_str().unwrap().to_string()]);
    assert!(
        mine["items"][0].get("join_code").is_none(),
        "students do not see the code"
    );
    assert!(mine["next_cursor"].is_null());

    // Enrolment by subject, before the student ever signed in; then a grader.
    let path = format!("/v1/classes/{}", class["id"].as_str().unwrap());
    let res = send(
        &app,
        Method::POST,
        &format!("{path}/students"),
        &teacher,
        Some(json!({"subject": "kim"})),
    )
    .await;
    let kim = json_of(res, StatusCode::CREATED).await;
    assert_eq!(kim["role"], "student");
    let res = send(
        &app,
        Method::POST,
        &format!("{path}/graders"),
        &teacher,
        Some(json!({"subject": "gus"})),
    )
    .await;
    json_of(res, StatusCode::CREATED).await;
    let res = send(
        &app,
        Method::POST,
        &format!("{path}/graders"),
        &teacher,
        Some(json!({"subject": "sam"})),
    )
    .await;
    let problem = assert_problem(res, StatusCode::CONFLICT).await;
    assert_eq!(problem["type"], "/problems/wrong-role");

    let kim_token = app.token(Role::Student, "kim");
    let gus = app.token(Role::Grader, "gus");
    for token in [&kim_token, &gus] {
        let page = json_of(app.get("/v1/classes", Some(token)).await, StatusCode::OK).await;
        assert_eq!(page["items"].as_array().unwrap().len(), 1);
    }
    let members = json_of(
        app.get(&format!("{path}/members"), Some(&gus)).await,
        StatusCode::OK,
    )
    .await;
    let subjects: Vec<&str> = members["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["subject"].as_str().unwrap())
        .collect();
    assert_eq!(subjects, ["sam", "kim", "gus"]);

    // Removing kim: the class is then out of her reach.
    let kim_id = kim["user_id"].as_str().unwrap();
    let res = send(
        &app,
        Method::DELETE,
        &format!("{path}/members/{kim_id}"),
        &teacher,
        None,
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = send(
        &app,
        Method::DELETE,
        &format!("{path}/members/{kim_id}"),
        &teacher,
        None,
    )
    .await;
    assert_problem(res, StatusCode::NOT_FOUND).await;
    assert_problem(app.get(&path, Some(&kim_token)).await, StatusCode::NOT_FOUND).await;
}

#[sqlx::test]
async fn class_lists_are_paged_with_cursors_and_link_headers(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let teacher = app.token(Role::Teacher, "t1");
    let mut created = Vec::new();
    for i in 0..5 {
        created.push(create_class(&app, &teacher, &format!("class {i}")).await.0);
    }
    create_class(&app, &app.token(Role::Teacher, "t2"), "not mine").await;

    let mut seen = Vec::new();
    let mut path = "/v1/classes?limit=2".to_string();
    let mut pages = 0;
    loop {
        let res = app.get(&path, Some(&teacher)).await;
        let link = res.headers().get("link").map(|l| l.to_str().unwrap().to_string());
        let page = json_of(res, StatusCode::OK).await;
        seen.extend(ids(&page));
        pages += 1;
        match page["next_cursor"].as_str() {
            Some(cursor) => {
                let link = link.expect("a Link header when there is a next page");
                assert!(link.ends_with("rel=\"next\""), "{link}");
                assert!(link.contains(cursor));
                path = link[1..link.find('>').unwrap()].to_string();
            }
            None => {
                assert!(link.is_none());
                break;
            }
        }
    }
    assert_eq!(seen, created, "each class once, in order, only mine");
    assert_eq!(pages, 3);

    let admin = json_of(
        app.get("/v1/classes", Some(&app.token(Role::Admin, "root")))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        admin["items"].as_array().unwrap().len(),
        6,
        "an admin sees all classes"
    );

    let problem = assert_problem(
        app.get("/v1/classes?cursor=garbage", Some(&teacher)).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "cursor");
    let problem = assert_problem(
        app.get("/v1/classes?limit=0", Some(&teacher)).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "limit");
}

#[sqlx::test]
async fn class_input_is_validated_and_roles_are_enforced(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let teacher = app.token(Role::Teacher, "t1");
    let res = send(
        &app,
        Method::POST,
        "/v1/classes",
        &teacher,
        Some(json!({"name": "  "})),
    )
    .await;
    let problem = assert_problem(res, StatusCode::BAD_REQUEST).await;
    assert_eq!(problem["errors"][0]["field"], "name");
    let res = send(
        &app,
        Method::POST,
        "/v1/classes",
        &teacher,
        Some(json!({"name": "a\u{0}b"})),
    )
    .await;
    assert_eq!(
        assert_problem(res, StatusCode::BAD_REQUEST).await["errors"][0]["field"],
        "name"
    );
    let res = send(
        &app,
        Method::POST,
        "/v1/classes/join",
        &app.token(Role::Student, "s"),
        Some(json!({"join_code": "\u{0}"})),
    )
    .await;
    assert_problem(res, StatusCode::BAD_REQUEST).await;
    let res = send(
        &app,
        Method::POST,
        "/v1/classes",
        &app.token(Role::Student, "s"),
        Some(json!({"name": "x"})),
    )
    .await;
    assert_problem(res, StatusCode::FORBIDDEN).await;
    let (class, _) = create_class(&app, &teacher, "9B").await;
    let res = send(
        &app,
        Method::POST,
        &format!("/v1/classes/{class}/students"),
        &teacher,
        Some(json!({"subject": "a", "user_id": uuid::Uuid::new_v4()})),
    )
    .await;
    assert_problem(res, StatusCode::BAD_REQUEST).await;
    let res = send(
        &app,
        Method::POST,
        &format!("/v1/classes/{class}/students"),
        &teacher,
        Some(json!({"user_id": uuid::Uuid::new_v4()})),
    )
    .await;
    let problem = assert_problem(res, StatusCode::BAD_REQUEST).await;
    assert_eq!(problem["errors"][0]["field"], "user_id");
}
