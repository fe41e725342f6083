//! Webhooks: a subscriber on loopback receives every event of its class, signed per Standard
//! Webhooks, retried when it fails, and is disabled (with the reason) when it keeps failing.

use std::sync::atomic::{AtomicU16, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use newslit::identity::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sha2::Sha256;
use sqlx::PgPool;

use crate::classes::{at, create_assignment, create_class, join, json_of, multiple_response_exercise, send};
use crate::helpers::{assert_problem, TestApp};

#[derive(Debug, Clone)]
struct Received {
    id: String,
    timestamp: String,
    signature: String,
    body: String,
}

/// A webhook receiver on a loopback port: records every request; answers `status` (200 unless
/// changed) after first answering 503 to the first `fail_first` requests.
#[derive(Clone)]
struct Receiver {
    url: String,
    got: Arc<Mutex<Vec<Received>>>,
    status: Arc<AtomicU16>,
    fail_first: Arc<AtomicUsize>,
}

impl Receiver {
    async fn start() -> Receiver {
        let got = Arc::new(Mutex::new(Vec::new()));
        let status = Arc::new(AtomicU16::new(200));
        let fail_first = Arc::new(AtomicUsize::new(0));
        let (g, s, f) = (got.clone(), status.clone(), fail_first.clone());
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = HttpServer::new(move || {
            let (g, s, f) = (g.clone(), s.clone(), f.clone());
            App::new().default_service(web::to(move |req: HttpRequest, body: web::Bytes| {
                let (g, s, f) = (g.clone(), s.clone(), f.clone());
                async move {
                    let h = |n: &str| {
                        req.headers()
                            .get(n)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("")
                            .to_string()
                    };
                    g.lock().unwrap().push(Received {
                        id: h("webhook-id"),
                        timestamp: h("webhook-timestamp"),
                        signature: h("webhook-signature"),
                        body: String::from_utf8_lossy(&body).into_owned(),
                    });
                    let failing = f
                        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                        .is_ok();
                    let code = if failing { 503 } else { s.load(Ordering::SeqCst) };
                    HttpResponse::build(actix_web::http::StatusCode::from_u16(code).unwrap()).body("ok")
                }
            }))
        })
        .workers(1)
        .listen(listener)
        .unwrap()
        .run();
        tokio::spawn(server);
        Receiver {
            url: format!("http://127.0.0.1:{port}/hooks"),
            got,
            status,
            fail_first,
        }
    }

    fn received(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }

    /// Waits until `pred` holds for what arrived (at most 15 s).
    async fn wait_for(&self, what: &str, pred: impl Fn(&[Received]) -> bool) -> Vec<Received> {
        for _ in 0..300 {
            let got = self.received();
            if pred(&got) {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("timed out waiting for {what}; received {:#?}", self.received());
    }
}

/// Verifies one delivery as the Standard Webhooks specification says a receiver must: the
/// HMAC-SHA256 of `id.timestamp.body` under the base64-decoded `whsec_` secret, base64 after `v1,`.
fn verifies(r: &Received, secret: &str) -> bool {
    let key = base64::engine::general_purpose::STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap())
        .unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{}.{}.{}", r.id, r.timestamp, r.body).as_bytes());
    let expected = format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    );
    r.signature.split(' ').any(|s| s == expected)
}

fn kinds(got: &[Received]) -> Vec<String> {
    got.iter()
        .map(|r| {
            serde_json::from_str::<Value>(&r.body).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

struct Setup {
    app: TestApp,
    teacher: String,
    student: String,
    class: String,
    assignment: String,
    exercise: String,
}

async fn setup(pool: PgPool, adjust: impl FnOnce(&mut newslit::config::Config)) -> Setup {
    let app = TestApp::spawn_with(pool, |c| {
        c.outbound_allow_private = true;
        c.outbox_poll_ms = 50;
        c.outbox_retry_base_ms = 50;
        adjust(c);
    })
    .await;
    let teacher = app.token(Role::Teacher, "tess");
    let student = app.token(Role::Student, "sam");
    let (class, code) = create_class(&app, &teacher, "9B").await;
    assert_eq!(join(&app, &student, &code).await, StatusCode::CREATED);
    let exercise = multiple_response_exercise(&app).await;
    let a = create_assignment(
        &app,
        &teacher,
        &class,
        &[&exercise],
        json!({"opens_at": at(-60), "due_at": at(86_400), "feedback": "on_release", "max_attempts": null}),
    )
    .await;
    Setup {
        assignment: a["id"].as_str().unwrap().to_string(),
        app,
        teacher,
        student,
        class,
        exercise,
    }
}

async fn subscribe(s: &Setup, url: &str, events: Value) -> Value {
    let res = send(
        &s.app,
        Method::POST,
        "/v1/webhooks",
        &s.teacher,
        Some(json!({"url": url, "class_id": s.class, "events": events})),
    )
    .await;
    json_of(res, StatusCode::CREATED).await
}

async fn answer(s: &Setup, options: &[&str]) -> Value {
    let res = s
        .app
        .request(
            Method::POST,
            &format!("/v1/assignments/{}/submissions", s.assignment),
            Some(&s.student),
        )
        .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
        .json(&json!({"exercise_id": s.exercise, "answer": {"type": "choices", "option_ids": options}}))
        .send()
        .await
        .unwrap();
    json_of(res, StatusCode::CREATED).await
}

#[sqlx::test]
async fn a_subscriber_receives_each_event_of_its_class_signed(pool: PgPool) {
    let s = setup(pool, |_| {}).await;
    let rx = Receiver::start().await;
    let hook = subscribe(
        &s,
        &rx.url,
        json!([
            "submission.created",
            "submission.graded",
            "grade.changed",
            "assignment.released"
        ]),
    )
    .await;
    let secret = hook["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_"), "{hook}");

    // The answer is machine-graded on arrival: created and graded.
    let sub = answer(&s, &["a", "b"]).await;
    let got = rx.wait_for("created + graded", |g| g.len() >= 2).await;
    assert_eq!(kinds(&got), ["submission.created", "submission.graded"]);
    for r in &got {
        assert!(verifies(r, &secret), "signature does not verify: {r:?}");
        let body: Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(body["id"], r.id.as_str(), "the body's id is the webhook-id");
        assert_eq!(body["data"]["submission_id"], sub["id"]);
        assert_eq!(body["data"]["student_subject"], "sam");
        assert_eq!(body["data"]["score"], 1.0);
        assert_eq!(body["data"]["class_id"], s.class.as_str());
    }
    assert_ne!(got[0].id, got[1].id, "each event has its own id");

    // A teacher's correction of the score, then the release.
    let id = sub["id"].as_str().unwrap();
    let res = s
        .app
        .request(
            Method::PUT,
            &format!("/v1/submissions/{id}/grade"),
            Some(&s.teacher),
        )
        .header("If-Match", "\"g1\"")
        .json(&json!({"score": 0.5, "comment": "half"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = send(
        &s.app,
        Method::POST,
        &format!("/v1/assignments/{}/release", s.assignment),
        &s.teacher,
        None,
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let got = rx.wait_for("grade.changed + released", |g| g.len() >= 4).await;
    assert_eq!(kinds(&got)[2..], ["grade.changed", "assignment.released"]);
    let changed: Value = serde_json::from_str(&got[2].body).unwrap();
    assert_eq!(changed["data"]["score"], 0.5);
    assert_eq!(changed["data"]["old_score"], 1.0);
    assert!(got.iter().all(|r| verifies(r, &secret)));

    // The delivery log shows all four delivered, newest first. The worker records a delivery
    // after the receiver has answered, so the log may lag the receiver by a moment.
    let hook_id = hook["id"].as_str().unwrap();
    let all_delivered = |log: &Value| {
        let items = log["items"].as_array().unwrap();
        items.len() == 4
            && items
                .iter()
                .all(|d| d["state"] == "delivered" && d["last_status"] == 200)
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let log = loop {
        let log = json_of(
            s.app
                .get(&format!("/v1/webhooks/{hook_id}/deliveries"), Some(&s.teacher))
                .await,
            StatusCode::OK,
        )
        .await;
        if all_delivered(&log) || std::time::Instant::now() > deadline {
            break log;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(
        all_delivered(&log),
        "four deliveries, each delivered with a 200: {log}"
    );
    let items = log["items"].as_array().unwrap();
    assert_eq!(items[0]["event_type"], "assignment.released");
    // Listing never shows the secret again.
    let shown = json_of(
        s.app
            .get(&format!("/v1/webhooks/{hook_id}"), Some(&s.teacher))
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(shown.get("secret").is_none(), "{shown}");
}

#[sqlx::test]
async fn a_failed_delivery_is_retried_under_the_same_id(pool: PgPool) {
    let s = setup(pool, |_| {}).await;
    let rx = Receiver::start().await;
    rx.fail_first.store(2, Ordering::SeqCst);
    let hook = subscribe(&s, &rx.url, json!(["submission.created"])).await;
    let secret = hook["secret"].as_str().unwrap();
    answer(&s, &["a"]).await;
    let got = rx.wait_for("three attempts", |g| g.len() >= 3).await;
    assert!(
        got.iter().all(|r| r.id == got[0].id),
        "one id on every retry: {got:?}"
    );
    assert!(got.iter().all(|r| verifies(r, secret)));
    let hook_id = hook["id"].as_str().unwrap();
    let mut log = Value::Null;
    for _ in 0..100 {
        log = json_of(
            s.app
                .get(&format!("/v1/webhooks/{hook_id}/deliveries"), Some(&s.teacher))
                .await,
            StatusCode::OK,
        )
        .await;
        if log["items"][0]["state"] == "delivered" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(log["items"][0]["state"], "delivered", "{log}");
    assert_eq!(log["items"][0]["attempts"], 3, "{log}");
}

#[sqlx::test]
async fn a_subscriber_that_keeps_failing_is_disabled_with_the_reason(pool: PgPool) {
    let s = setup(pool, |c| {
        c.webhook_disable_after_failures = 3;
        c.webhook_disable_after_secs = 0;
    })
    .await;
    let rx = Receiver::start().await;
    rx.status.store(500, Ordering::SeqCst);
    let hook = subscribe(&s, &rx.url, json!(["submission.created"])).await;
    let hook_id = hook["id"].as_str().unwrap().to_string();
    answer(&s, &["a"]).await;
    let mut shown = Value::Null;
    for _ in 0..200 {
        shown = json_of(
            s.app
                .get(&format!("/v1/webhooks/{hook_id}"), Some(&s.teacher))
                .await,
            StatusCode::OK,
        )
        .await;
        if shown["enabled"] == false {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(shown["enabled"], false, "{shown}");
    let reason = shown["disabled_reason"].as_str().unwrap();
    assert!(
        reason.contains("3 deliveries in a row failed") && reason.contains("HTTP 500"),
        "{reason}"
    );
    let log = json_of(
        s.app
            .get(&format!("/v1/webhooks/{hook_id}/deliveries"), Some(&s.teacher))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(log["items"][0]["state"], "pending", "{log}");
    assert_eq!(log["items"][0]["last_status"], 500, "{log}");
    // Nothing more is tried while disabled ...
    let tried = rx.received().len();
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(rx.received().len(), tried);
    // ... and once the receiver is mended and the subscription enabled, the event arrives.
    rx.status.store(200, Ordering::SeqCst);
    let res = send(
        &s.app,
        Method::POST,
        &format!("/v1/webhooks/{hook_id}/enable"),
        &s.teacher,
        None,
    )
    .await;
    let enabled = json_of(res, StatusCode::OK).await;
    assert_eq!(enabled["enabled"], true);
    assert_eq!(enabled["consecutive_failures"], 0);
    rx.wait_for("delivery after enabling", |g| g.len() > tried).await;
}

#[sqlx::test]
async fn after_a_rotation_both_secrets_verify_for_a_day(pool: PgPool) {
    let s = setup(pool, |_| {}).await;
    let rx = Receiver::start().await;
    let hook = subscribe(&s, &rx.url, json!(["submission.created"])).await;
    let old = hook["secret"].as_str().unwrap().to_string();
    let id = hook["id"].as_str().unwrap();
    let rotated = json_of(
        send(
            &s.app,
            Method::POST,
            &format!("/v1/webhooks/{id}/rotate-secret"),
            &s.teacher,
            None,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let new = rotated["secret"].as_str().unwrap().to_string();
    assert_ne!(new, old);
    assert!(rotated["previous_secret_valid_until"].is_string(), "{rotated}");
    answer(&s, &["a"]).await;
    let got = rx.wait_for("one delivery", |g| !g.is_empty()).await;
    assert_eq!(got[0].signature.split(' ').count(), 2, "{:?}", got[0]);
    assert!(verifies(&got[0], &new) && verifies(&got[0], &old));
}

#[sqlx::test]
async fn only_the_classs_teacher_subscribes_and_only_to_allowed_urls(pool: PgPool) {
    let s = setup(pool, |c| c.outbound_allow_private = false).await;
    let other = s.app.token(Role::Teacher, "tom");
    let body =
        json!({"url": "https://hooks.example.org/x", "class_id": s.class, "events": ["submission.created"]});
    let res = send(
        &s.app,
        Method::POST,
        "/v1/webhooks",
        &s.student,
        Some(body.clone()),
    )
    .await;
    assert_problem(res, StatusCode::FORBIDDEN).await;
    let res = send(&s.app, Method::POST, "/v1/webhooks", &other, Some(body.clone())).await;
    assert_problem(res, StatusCode::NOT_FOUND).await;
    for (url, why) in [
        ("http://127.0.0.1:9/x", "https"),
        ("https://127.0.0.1:9/x", "private"),
        ("https://169.254.169.254/latest", "private"),
    ] {
        let res = send(
            &s.app,
            Method::POST,
            "/v1/webhooks",
            &s.teacher,
            Some(json!({"url": url, "class_id": s.class, "events": ["submission.created"]})),
        )
        .await;
        let p = assert_problem(res, StatusCode::BAD_REQUEST).await;
        assert!(p.to_string().contains(why), "{url}: {p}");
    }
    let res = send(
        &s.app,
        Method::POST,
        "/v1/webhooks",
        &s.teacher,
        Some(json!({"url": "https://hooks.example.org/x", "class_id": s.class, "events": ["submission.deleted"]})),
    )
    .await;
    assert_problem(res, StatusCode::BAD_REQUEST).await;
    let created = json_of(
        send(&s.app, Method::POST, "/v1/webhooks", &s.teacher, Some(body)).await,
        StatusCode::CREATED,
    )
    .await;
    // Another teacher cannot see, rotate or delete it.
    let id = created["id"].as_str().unwrap();
    assert_problem(
        s.app.get(&format!("/v1/webhooks/{id}"), Some(&other)).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    let res = send(
        &s.app,
        Method::DELETE,
        &format!("/v1/webhooks/{id}"),
        &other,
        None,
    )
    .await;
    assert_problem(res, StatusCode::NOT_FOUND).await;
    let list = json_of(s.app.get("/v1/webhooks", Some(&other)).await, StatusCode::OK).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 0);
    let res = send(
        &s.app,
        Method::DELETE,
        &format!("/v1/webhooks/{id}"),
        &s.teacher,
        None,
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
}

#[sqlx::test]
async fn the_event_commits_with_the_answer_or_not_at_all(pool: PgPool) {
    let s = setup(pool, |c| c.outbox_poll_ms = 60_000).await;
    let rx = Receiver::start().await;
    subscribe(&s, &rx.url, json!(["submission.created", "submission.graded"])).await;
    let count = |p: &PgPool| {
        let p = p.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT count(*) FROM outbox WHERE delivered_at IS NULL")
                .fetch_one(&p)
                .await
                .unwrap()
        }
    };
    // The worker's first look came before anything was queued; the next is a minute away.
    tokio::time::sleep(Duration::from_millis(200)).await;
    answer(&s, &["a"]).await;
    // The 201 came back: both events are already committed beside the answer.
    let rows = sqlx::query_scalar!("SELECT event_type FROM outbox ORDER BY created_at, event_type")
        .fetch_all(&s.app.pool)
        .await
        .unwrap();
    let types: Vec<&str> = rows.iter().map(String::as_str).collect();
    assert_eq!(types, ["submission.created", "submission.graded"]);
    // A second answer whose transaction rolls back leaves no event behind.
    let mut tx = s.app.pool.begin().await.unwrap();
    sqlx::query!(
        "INSERT INTO submissions (id, assignment_id, exercise_id, exercise_version, student_id, attempt, answer,
                                  score, max_score, status, late, submitted_at, updated_at, idempotency_key,
                                  request_hash, response)
         SELECT gen_random_uuid(), assignment_id, exercise_id, exercise_version, student_id, attempt + 1, answer,
                score, max_score, status, late, now(), now(), 'other', request_hash, response FROM submissions"
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    let inside = sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM outbox"#)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(inside, 4);
    tx.rollback().await.unwrap();
    assert_eq!(count(&s.app.pool).await, 2);
    assert!(rx.received().is_empty());
}
