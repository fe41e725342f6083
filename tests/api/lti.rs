//! LTI 1.3 launches: an LMS played on loopback (its key set served, its launches signed with a
//! test key) launches an instructor and a student into newslit.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use actix_web::{web, App, HttpResponse, HttpServer};
use newslit::identity::Role;
use newslit::lti::keys::ToolKeys;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::classes::{create_assignment, json_of, multiple_response_exercise, send};
use crate::helpers::{assert_problem, TestApp};

pub const ISSUER: &str = "https://lms.example.edu";
pub const CLIENT: &str = "newslit-client";
pub const MEMBERSHIP: &str = "http://purl.imsglobal.org/vocab/lis/v2/membership#";

/// The LMS: its signing key, and its key set served on a loopback port (counting fetches).
struct Platform {
    keys: ToolKeys,
    jwks_url: String,
    fetches: Arc<AtomicUsize>,
}

impl Platform {
    async fn start() -> Platform {
        let keys = ToolKeys::from_pem(include_bytes!("../fixtures/lti/platform.pem"), None).unwrap();
        let jwks = serde_json::to_value(keys.jwks()).unwrap();
        let fetches = Arc::new(AtomicUsize::new(0));
        let counter = fetches.clone();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = HttpServer::new(move || {
            let (jwks, counter) = (jwks.clone(), counter.clone());
            App::new().route(
                "/jwks",
                web::get().to(move || {
                    counter.fetch_add(1, Ordering::SeqCst);
                    let jwks = jwks.clone();
                    async move { HttpResponse::Ok().json(jwks) }
                }),
            )
        })
        .workers(1)
        .listen(listener)
        .unwrap()
        .run();
        tokio::spawn(server);
        Platform {
            keys,
            jwks_url: format!("http://127.0.0.1:{port}/jwks"),
            fetches,
        }
    }
}

async fn lti_app(pool: PgPool) -> TestApp {
    TestApp::spawn_with(pool, |c| {
        c.lti_key_file = Some("tests/fixtures/lti/tool.pem".into());
        c.outbound_allow_private = true;
    })
    .await
}

async fn register(app: &TestApp, platform: &Platform) -> Value {
    let res = send(
        app,
        Method::POST,
        "/v1/lti/platforms",
        &app.token(Role::Admin, "root"),
        Some(json!({
            "issuer": ISSUER, "client_id": CLIENT, "deployment_ids": ["dep-1"],
            "auth_url": "http://127.0.0.1:9/authorize", "token_url": "http://127.0.0.1:9/token",
            "jwks_url": platform.jwks_url, "name": "Test LMS",
        })),
    )
    .await;
    json_of(res, StatusCode::CREATED).await
}

/// Starts a login as the platform would; returns the `state` and `nonce` newslit sent back.
pub async fn login(app: &TestApp) -> (String, String) {
    let res = app
        .request(Method::GET, "/v1/lti/login", None)
        .query(&[
            ("iss", ISSUER),
            ("login_hint", "hint-1"),
            ("target_link_uri", &app.url("/v1/lti/launch")),
            ("lti_message_hint", "msg-1"),
            ("client_id", CLIENT),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    let to = reqwest::Url::parse(res.headers()["location"].to_str().unwrap()).unwrap();
    assert!(to.as_str().starts_with("http://127.0.0.1:9/authorize?"));
    let q: std::collections::HashMap<String, String> = to.query_pairs().into_owned().collect();
    assert_eq!(q["client_id"], CLIENT);
    assert_eq!(q["redirect_uri"], app.url("/v1/lti/launch"));
    assert_eq!(q["response_mode"], "form_post");
    assert_eq!(q["login_hint"], "hint-1");
    assert_eq!(q["lti_message_hint"], "msg-1");
    (q["state"].clone(), q["nonce"].clone())
}

fn id_token(app: &TestApp, platform: &Platform, nonce: &str, sub: &str, role: &str, custom: Value) -> String {
    let now = chrono::Utc::now().timestamp();
    platform
        .keys
        .sign(&json!({
            "iss": ISSUER, "aud": CLIENT, "azp": CLIENT, "sub": sub, "name": format!("Person {sub}"),
            "iat": now, "exp": now + 300, "nonce": nonce,
            "https://purl.imsglobal.org/spec/lti/claim/message_type": "LtiResourceLinkRequest",
            "https://purl.imsglobal.org/spec/lti/claim/version": "1.3.0",
            "https://purl.imsglobal.org/spec/lti/claim/deployment_id": "dep-1",
            "https://purl.imsglobal.org/spec/lti/claim/target_link_uri": app.url("/v1/lti/launch"),
            "https://purl.imsglobal.org/spec/lti/claim/roles": [format!("{MEMBERSHIP}{role}")],
            "https://purl.imsglobal.org/spec/lti/claim/context": {"id": "course-7", "title": "Media literacy 7B"},
            "https://purl.imsglobal.org/spec/lti/claim/resource_link": {"id": "link-1"},
            "https://purl.imsglobal.org/spec/lti/claim/custom": custom,
        }))
        .unwrap()
}

pub async fn launch(app: &TestApp, id_token: &str, state: &str) -> reqwest::Response {
    app.client
        .post(app.url("/v1/lti/launch"))
        .form(&[("id_token", id_token), ("state", state)])
        .send()
        .await
        .unwrap()
}

#[sqlx::test]
async fn an_instructor_then_a_student_launch_from_the_course_into_the_assignment(pool: PgPool) {
    let app = lti_app(pool).await;
    let platform = Platform::start().await;
    let registered = register(&app, &platform).await;
    assert_eq!(registered["tool"]["launch_url"], app.url("/v1/lti/launch"));

    // The instructor's first launch makes the course's class, taught by them.
    let (state, nonce) = login(&app).await;
    let res = launch(
        &app,
        &id_token(&app, &platform, &nonce, "teacher-1", "Instructor", json!({})),
        &state,
    )
    .await;
    let teacher = json_of(res, StatusCode::OK).await;
    assert_eq!(teacher["role"], "teacher");
    assert!(teacher["assignment_id"].is_null());
    let class_id = teacher["class_id"].as_str().unwrap().to_string();
    assert_eq!(teacher["landing"], format!("/v1/classes/{class_id}"));
    let t = teacher["token"].as_str().unwrap().to_string();
    let class = json_of(
        app.get(&format!("/v1/classes/{class_id}"), Some(&t)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(class["name"], "Media literacy 7B");

    // The placement carries the assignment (as newslit's deep linking response sets it).
    let ex = multiple_response_exercise(&app).await;
    let assignment = create_assignment(&app, &t, &class_id, &[&ex], json!({})).await;
    let assignment_id = assignment["id"].as_str().unwrap().to_string();

    let (state, nonce) = login(&app).await;
    let token = id_token(
        &app,
        &platform,
        &nonce,
        "student-1",
        "Learner",
        json!({"newslit_assignment_id": assignment_id}),
    );
    let student = json_of(launch(&app, &token, &state).await, StatusCode::OK).await;
    assert_eq!(student["role"], "student");
    assert_eq!(student["class_id"], class_id.as_str());
    assert_eq!(student["assignment_id"], assignment_id.as_str());
    assert_eq!(student["landing"], format!("/v1/assignments/{assignment_id}"));

    // The student's token opens the assignment and answers it.
    let s = student["token"].as_str().unwrap();
    json_of(
        app.get(&format!("/v1/assignments/{assignment_id}"), Some(s))
            .await,
        StatusCode::OK,
    )
    .await;
    let res = app
        .request(
            Method::POST,
            &format!("/v1/assignments/{assignment_id}/submissions"),
            Some(s),
        )
        .header("Idempotency-Key", "lti-1")
        .json(&json!({"exercise_id": ex, "answer": {"type": "choices", "option_ids": ["a"]}}))
        .send()
        .await
        .unwrap();
    json_of(res, StatusCode::CREATED).await;

    // The same launch posted again (a replay) finds its state used up.
    let replay = launch(&app, &token, &state).await;
    let problem = assert_problem(replay, StatusCode::UNAUTHORIZED).await;
    assert!(problem["detail"].as_str().unwrap().contains("state"), "{problem}");

    // The class roster shows the student, by the name the LMS gave.
    let members = json_of(
        app.get(&format!("/v1/classes/{class_id}/members"), Some(&t))
            .await,
        StatusCode::OK,
    )
    .await;
    let names: Vec<&str> = members["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["name"].as_str())
        .collect();
    assert_eq!(names, ["Person student-1"], "{members}");
    // Both launches used one fetch of the platform's keys.
    assert_eq!(platform.fetches.load(Ordering::SeqCst), 1);
}

#[sqlx::test]
async fn a_launch_that_does_not_verify_is_refused_and_uses_up_its_state(pool: PgPool) {
    let app = lti_app(pool).await;
    let platform = Platform::start().await;
    register(&app, &platform).await;

    // Signed with another key (newslit's own, which the platform's set does not list).
    let (state, nonce) = login(&app).await;
    let forger = ToolKeys::from_pem(include_bytes!("../fixtures/lti/tool_previous.pem"), None).unwrap();
    let now = chrono::Utc::now().timestamp();
    let forged = forger
        .sign(
            &json!({"iss": ISSUER, "aud": CLIENT, "sub": "x", "iat": now, "exp": now + 300, "nonce": nonce}),
        )
        .unwrap();
    let problem = assert_problem(launch(&app, &forged, &state).await, StatusCode::UNAUTHORIZED).await;
    assert!(problem["detail"].as_str().unwrap().contains("kid"), "{problem}");

    // A nonce from another login.
    let (state, _) = login(&app).await;
    let token = id_token(&app, &platform, "someone-elses-nonce", "s", "Learner", json!({}));
    let problem = assert_problem(launch(&app, &token, &state).await, StatusCode::UNAUTHORIZED).await;
    assert!(problem["detail"].as_str().unwrap().contains("nonce"), "{problem}");

    // A student arriving before any instructor set the course up.
    let (state, nonce) = login(&app).await;
    let token = id_token(&app, &platform, &nonce, "s", "Learner", json!({}));
    assert_problem(launch(&app, &token, &state).await, StatusCode::CONFLICT).await;

    // An unknown issuer cannot start a login.
    let res = app
        .request(Method::GET, "/v1/lti/login", None)
        .query(&[
            ("iss", "https://other.example"),
            ("login_hint", "h"),
            ("target_link_uri", &app.url("/v1/lti/launch")),
        ])
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::BAD_REQUEST).await;
}

#[sqlx::test]
async fn the_key_set_publishes_newslits_key_and_registrations_are_for_admins(pool: PgPool) {
    let app = lti_app(pool).await;
    let jwks = json_of(app.get("/v1/lti/jwks", None).await, StatusCode::OK).await;
    let keys = jwks["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0]["kty"], "RSA");
    assert_eq!(keys[0]["alg"], "RS256");
    assert!(keys[0].get("d").is_none(), "no private part: {jwks}");

    let platform = Platform::start().await;
    register(&app, &platform).await;
    // The same issuer and client id twice is a conflict; a bad URL names its field.
    let again = send(
        &app,
        Method::POST,
        "/v1/lti/platforms",
        &app.token(Role::Admin, "root"),
        Some(json!({"issuer": ISSUER, "client_id": CLIENT, "deployment_ids": ["d"],
                    "auth_url": "http://127.0.0.1:9/a", "token_url": "http://127.0.0.1:9/t", "jwks_url": platform.jwks_url})),
    )
    .await;
    assert_problem(again, StatusCode::CONFLICT).await;
    let bad = send(
        &app,
        Method::POST,
        "/v1/lti/platforms",
        &app.token(Role::Admin, "root"),
        Some(json!({"issuer": ISSUER, "client_id": "c2", "deployment_ids": ["d"],
                    "auth_url": "ftp://x", "token_url": "http://127.0.0.1:9/t", "jwks_url": platform.jwks_url})),
    )
    .await;
    let problem = assert_problem(bad, StatusCode::BAD_REQUEST).await;
    assert!(
        problem["detail"].as_str().unwrap().starts_with("auth_url"),
        "{problem}"
    );
    let list = json_of(
        app.get("/v1/lti/platforms", Some(&app.token(Role::Admin, "root")))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
}

#[sqlx::test]
async fn without_a_key_lti_is_off(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    assert_problem(app.get("/v1/lti/jwks", None).await, StatusCode::NOT_FOUND).await;
}
