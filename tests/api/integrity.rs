//! Results teachers and graders can rely on: one role policy, keys that stay hidden while
//! attempts remain, pulls that never miss an answer, grading from one submission, tokens whose
//! role always takes effect, text PostgreSQL cannot store refused by name, and one value per
//! instant.

use std::time::{Duration, Instant};

use newslit::identity::policy::{Access, POLICY};
use newslit::identity::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::classes::{choice_content, create_assignment, create_class, join, json_of, send};
use crate::helpers::{assert_problem, insert_published_exercise, TestApp};

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

// ---------------------------------------------------------------------------------------------
// Pulls that never miss

#[sqlx::test]
async fn a_grader_assigned_after_making_a_cursor_gets_every_earlier_answer_of_the_class(pool: PgPool) {
    let w = world(pool, json!({"max_attempts": null, "feedback": "immediate"})).await;
    let late = w.app.token(Role::Grader, "lou");
    // Lou pulls (nothing within reach yet) and keeps the cursor.
    let (ids, cursor) = pull(&w.app, &late, "").await;
    assert!(ids.is_empty());
    let mut answered = Vec::new();
    for _ in 0..9 {
        let res = answer(&w, &w.student, &["b"]).await;
        assert_eq!(res.status(), StatusCode::CREATED);
        answered.push(
            res.json::<Value>().await.unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    // Nothing of the class is Lou's yet.
    let (ids, cursor) = pull(&w.app, &late, &cursor).await;
    assert!(ids.is_empty(), "{ids:?}");
    json_of(
        send(
            &w.app,
            Method::POST,
            &format!("/v1/classes/{}/graders", w.class),
            &w.teacher,
            Some(json!({"subject": "lou"})),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let (ids, cursor) = pull(&w.app, &late, &cursor).await;
    assert_eq!(ids, answered, "the class's nine earlier answers, in order, once");
    let (ids, _) = pull(&w.app, &late, &cursor).await;
    assert!(ids.is_empty(), "nothing twice: {ids:?}");
}

#[sqlx::test]
async fn a_pull_during_a_long_read_only_transaction_returns_new_answers_at_once(pool: PgPool) {
    let w = world(
        pool.clone(),
        json!({"max_attempts": null, "feedback": "immediate"}),
    )
    .await;
    let (_, cursor) = pull(&w.app, &w.grader, "").await;
    // Someone else's long read (a gradebook download, a report) and an idle session in a
    // transaction that has written nothing yet.
    let mut reader = pool.begin().await.unwrap();
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .execute(&mut *reader)
        .await
        .unwrap();
    sqlx::query("SELECT count(*) FROM submissions")
        .execute(&mut *reader)
        .await
        .unwrap();
    let opened = Instant::now();
    let res = answer(&w, &w.student, &["a"]).await;
    let id = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let started = Instant::now();
    let (ids, _) = pull(&w.app, &w.grader, &cursor).await;
    assert_eq!(ids, vec![id], "the new answer, while the read is open");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
    // Hold the read for ten seconds in all, as a long download would: pulls stay immediate.
    while opened.elapsed() < Duration::from_secs(10) {
        let res = answer(&w, &w.student, &["b"]).await;
        let id = res.json::<Value>().await.unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let (ids, _) = pull(&w.app, &w.grader, &cursor).await;
        assert!(ids.contains(&id), "answer {id} missing while the read is open");
        tokio::time::sleep(Duration::from_millis(1500)).await;
    }
    reader.rollback().await.unwrap();
}

#[sqlx::test]
async fn an_answer_committed_after_later_ones_arrives_exactly_once(pool: PgPool) {
    let w = world(
        pool.clone(),
        json!({"max_attempts": null, "feedback": "immediate"}),
    )
    .await;
    let (_, cursor) = pull(&w.app, &w.grader, "").await;
    // A regrade-like change that starts first and commits last: it takes its transaction id
    // before the answers below, yet becomes visible after them.
    let first = answer(&w, &w.student, &["a"])
        .await
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (ids, cursor) = pull(&w.app, &w.grader, &cursor).await;
    assert_eq!(ids, vec![first.clone()]);
    let mut slow = pool.begin().await.unwrap();
    sqlx::query("UPDATE submissions SET grade_comment = 'slow' WHERE id = $1::uuid")
        .bind(&first)
        .execute(&mut *slow)
        .await
        .unwrap();
    let second = answer(&w, &w.student, &["b"])
        .await
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (ids, cursor) = pull(&w.app, &w.grader, &cursor).await;
    assert_eq!(ids, vec![second.clone()], "the later commit is not held back");
    slow.commit().await.unwrap();
    let (ids, cursor) = pull(&w.app, &w.grader, &cursor).await;
    assert_eq!(ids, vec![first], "the earlier-started change, once it commits");
    let (ids, _) = pull(&w.app, &w.grader, &cursor).await;
    assert!(ids.is_empty(), "nothing twice: {ids:?}");
}

// ---------------------------------------------------------------------------------------------
// Grading from one submission

#[sqlx::test]
async fn a_grader_grades_one_submission_with_the_etag_it_reads(pool: PgPool) {
    let w = world(pool, json!({"feedback": "immediate"})).await;
    let res = answer(&w, &w.student, &["b"]).await;
    let id = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let res = w.app.get(&format!("/v1/submissions/{id}"), Some(&w.grader)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let etag = res.headers()["etag"].to_str().unwrap().to_string();
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["grade_version"], 1);
    assert_eq!(etag, "\"g1\"");
    let res = w
        .app
        .request(
            Method::PUT,
            &format!("/v1/submissions/{id}/grade"),
            Some(&w.grader),
        )
        .header("If-Match", &etag)
        .json(&json!({"score": 0.5, "comment": "half"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["etag"], "\"g2\"");
    // The student sees neither the version nor an ETag.
    let res = w
        .app
        .get(&format!("/v1/submissions/{id}"), Some(&w.student))
        .await;
    assert!(res.headers().get("etag").is_none());
    let body: Value = res.json().await.unwrap();
    assert!(body.get("grade_version").is_none(), "{body}");
}

// ---------------------------------------------------------------------------------------------
// Feedback while attempts remain

#[sqlx::test]
async fn immediate_feedback_hides_the_key_while_attempts_remain(pool: PgPool) {
    let w = world(pool, json!({"max_attempts": 2, "feedback": "immediate"})).await;
    let first: Value = answer(&w, &w.student, &["b"]).await.json().await.unwrap();
    let fb = &first["feedback"];
    assert_eq!(fb["score"], 0.0);
    assert_eq!(fb["key_shown"], false);
    let options = fb["options"].as_array().unwrap();
    assert_eq!(options.len(), 1, "only the chosen option: {fb}");
    assert_eq!(options[0]["id"], "b");
    assert_eq!(options[0]["correct"], false);
    assert!(options[0].get("explanation").is_none(), "{fb}");
    assert!(!fb.to_string().contains("Explanation of a"), "{fb}");
    // The same holds when the answer is read back.
    let id = first["id"].as_str().unwrap();
    let read: Value = w
        .app
        .get(&format!("/v1/submissions/{id}"), Some(&w.student))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(read["feedback"]["key_shown"], false);
    assert_eq!(read["feedback"]["options"].as_array().unwrap().len(), 1);
    // The last attempt: the whole key and its explanations, on that answer and the first.
    let last: Value = answer(&w, &w.student, &["c"]).await.json().await.unwrap();
    assert_eq!(last["feedback"]["key_shown"], true);
    assert_eq!(last["feedback"]["options"].as_array().unwrap().len(), 4);
    let read: Value = w
        .app
        .get(&format!("/v1/submissions/{id}"), Some(&w.student))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(read["feedback"]["key_shown"], true);
    assert_eq!(read["feedback"]["options"][0]["explanation"], "Explanation of a");
    // Staff always see the key.
    let staff: Value = w
        .app
        .get(&format!("/v1/submissions/{id}"), Some(&w.grader))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(staff["feedback"]["options"].as_array().unwrap().len(), 4);
}

// ---------------------------------------------------------------------------------------------
// Token role and name, one instant

#[sqlx::test]
async fn a_tokens_role_takes_effect_on_the_next_request_every_time(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let teacher = app.token(Role::Teacher, "tia");
    let (class, _) = create_class(&app, &teacher, "9B").await;
    for role in [Role::Student, Role::Grader, Role::Student] {
        let me = json_of(
            app.get("/v1/me", Some(&app.token(role, "pat"))).await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(me["role"], role_name(role), "{me}");
    }
    let res = send(
        &app,
        Method::POST,
        &format!("/v1/classes/{class}/students"),
        &teacher,
        Some(json!({"subject": "pat"})),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED, "pat is a student again");
}

fn role_name(role: Role) -> &'static str {
    role.as_str()
}

#[sqlx::test]
async fn an_answer_shows_the_same_instant_when_stored_and_when_read(pool: PgPool) {
    let w = world(pool, json!({"feedback": "immediate"})).await;
    let posted: Value = answer(&w, &w.student, &["a"]).await.json().await.unwrap();
    let id = posted["id"].as_str().unwrap();
    let read: Value = w
        .app
        .get(&format!("/v1/submissions/{id}"), Some(&w.student))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(posted["submitted_at"], read["submitted_at"]);
    let stamp = posted["submitted_at"].as_str().unwrap();
    let fraction = stamp
        .split('.')
        .nth(1)
        .map_or(0, |f| f.trim_end_matches('Z').len());
    assert!(fraction <= 6, "{stamp}");
}

// ---------------------------------------------------------------------------------------------
// Text PostgreSQL cannot store

#[sqlx::test]
async fn nul_in_any_text_is_a_400_naming_the_field(pool: PgPool) {
    let w = world(pool, json!({"feedback": "immediate"})).await;
    let cases = [
        (
            Method::POST,
            "/v1/articles".to_string(),
            json!({"text": "A council said so.", "title": "a\u{0}b"}),
            "title",
        ),
        (
            Method::POST,
            "/v1/articles".to_string(),
            json!({"text": "A council said so.", "outlet": "\u{0}"}),
            "outlet",
        ),
        (
            Method::POST,
            "/v1/articles".to_string(),
            json!({"text": "A council said so.", "source_url": "https://x.example/\u{0}"}),
            "source_url",
        ),
        (
            Method::POST,
            "/v1/classes".to_string(),
            json!({"name": "9\u{0}B"}),
            "name",
        ),
    ];
    for (method, path, body, field) in cases {
        let res = send(&w.app, method, &path, &w.teacher, Some(body.clone())).await;
        let problem = assert_problem(res, StatusCode::BAD_REQUEST).await;
        assert_eq!(problem["errors"][0]["field"], field, "{path} {body}: {problem}");
    }
    // A correction's prompt.
    let res = w
        .app
        .request(
            Method::PATCH,
            &format!("/v1/exercises/{}", w.exercise),
            Some(&w.teacher),
        )
        .header("If-Match", "\"1\"")
        .json(&json!({"prompt": "Who\u{0}?"}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::BAD_REQUEST).await;
    assert_eq!(problem["errors"][0]["field"], "prompt", "{problem}");
    // A query parameter.
    let res = w.app.get("/v1/articles?cursor=%00", Some(&w.teacher)).await;
    let problem = assert_problem(res, StatusCode::BAD_REQUEST).await;
    assert_eq!(problem["errors"][0]["field"], "cursor", "{problem}");
    // Token claims: every request of such a token is a 400 naming the claim, never a 500.
    for (sub, name, field) in [
        ("nul\u{0}sub", "ok", "token.sub"),
        ("fine", "n\u{0}", "token.name"),
    ] {
        let token = w.app.token_with(Role::Student, sub, Some(name));
        let problem = assert_problem(w.app.get("/v1/me", Some(&token)).await, StatusCode::BAD_REQUEST).await;
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
}

// ---------------------------------------------------------------------------------------------
// Downloads

#[sqlx::test]
async fn downloads_with_keys_or_grades_are_private_and_sniff_proof(pool: PgPool) {
    let w = world(pool, json!({"feedback": "immediate"})).await;
    answer(&w, &w.student, &["a"]).await;
    for (path, accept) in [
        (format!("/v1/assignments/{}/results", w.assignment), "text/csv"),
        (
            format!("/v1/assignments/{}/results", w.assignment),
            "application/json",
        ),
        (
            format!("/v1/assignments/{}/export?format=qti", w.assignment),
            "*/*",
        ),
        (
            format!("/v1/assignments/{}/export?format=gift", w.assignment),
            "*/*",
        ),
        (format!("/v1/exercises/{}/qti", w.exercise), "*/*"),
    ] {
        let res = w
            .app
            .request(Method::GET, &path, Some(&w.teacher))
            .header("Accept", accept)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert_eq!(res.headers()["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(res.headers()["cache-control"], "private, no-store", "{path}");
    }
}

// ---------------------------------------------------------------------------------------------
// The role policy, walked

/// A body each write operation accepts, so the answer shows the policy rather than a 400.
fn sample_body(method: &str, path: &str, w: &World) -> Option<Value> {
    Some(match (method, path) {
        ("POST", "/v1/articles") => json!({"text": "The mayor said the bridge would reopen."}),
        ("PATCH", "/v1/exercises/{id}") => json!({"prompt": "Who speaks here?"}),
        ("POST", "/v1/classes") => json!({"name": "Policy"}),
        ("POST", "/v1/classes/join") => json!({"join_code": "NOSUCHCODE"}),
        ("POST", "/v1/classes/{class_id}/students") => json!({"subject": "sam"}),
        ("POST", "/v1/classes/{class_id}/graders") => json!({"subject": "gus"}),
        ("POST", "/v1/classes/{class_id}/assignments") => json!({
            "title": "Walk", "exercise_ids": [w.exercise],
            "opens_at": "2026-01-01T00:00:00Z", "due_at": "2031-01-01T00:00:00Z"}),
        ("PATCH", "/v1/assignments/{assignment_id}") => json!({"title": "Walked"}),
        ("PUT", "/v1/assignments/{assignment_id}/extensions/{student_id}") => {
            json!({"due_at": "2032-01-01T00:00:00Z"})
        }
        ("POST", "/v1/assignments/{assignment_id}/submissions") => {
            json!({"exercise_id": w.exercise, "answer": {"type": "choices", "option_ids": ["a"]}})
        }
        ("PUT", "/v1/submissions/{id}/grade") => json!({"score": 1.0}),
        ("POST", "/v1/webhooks") => json!({
            "url": "https://hooks.example.org/policy", "class_id": w.class,
            "events": ["submission.created"]}),
        _ => return None,
    })
}

#[sqlx::test]
async fn every_operation_answers_each_role_as_the_policy_table_says(pool: PgPool) {
    let w = world(pool, json!({"feedback": "on_release", "max_attempts": null})).await;
    let res = answer(&w, &w.student, &["a"]).await;
    let submission = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let student_id = json_of(w.app.get("/v1/me", Some(&w.student)).await, StatusCode::OK).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let article = json_of(
        send(
            &w.app,
            Method::POST,
            "/v1/articles",
            &w.teacher,
            Some(json!({"text": "The mayor said it."})),
        )
        .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let admin = w.app.token(Role::Admin, "ada");
    let tokens = [
        (Role::Student, w.student.clone()),
        (Role::Teacher, w.teacher.clone()),
        (Role::Grader, w.grader.clone()),
        (Role::Admin, admin),
    ];
    for rule in POLICY {
        let path = rule
            .path
            .replace("{class_id}", &w.class)
            .replace("{assignment_id}", &w.assignment)
            .replace("{submission_id}", &submission)
            .replace("{student_id}", &student_id)
            .replace("{user_id}", &student_id);
        let path = if path.starts_with("/v1/articles/") {
            path.replace("{id}", &article)
        } else if path.starts_with("/v1/exercises/") {
            path.replace("{id}", &w.exercise)
        } else if path.starts_with("/v1/submissions/") {
            path.replace("{id}", &submission)
        } else {
            path.replace("{id}", &w.assignment)
        };
        let path = if rule.path.ends_with("/export") {
            format!("{path}?format=gift")
        } else {
            path
        };
        for (role, token) in &tokens {
            let method = Method::from_bytes(rule.method.as_bytes()).unwrap();
            let mut req = w.app.request(method, &path, Some(token));
            if let Some(body) = sample_body(rule.method, rule.path, &w) {
                req = req.json(&body);
            }
            // Operations that need a precondition get a stale one: a 412 still shows the
            // role got past the policy.
            req = req
                .header("If-Match", "\"999\"")
                .header("Idempotency-Key", uuid::Uuid::new_v4().to_string());
            let res = req.send().await.unwrap();
            let status = res.status();
            let body = res.text().await.unwrap();
            match rule.access(*role) {
                Access::No => assert_eq!(
                    status,
                    StatusCode::FORBIDDEN,
                    "{} {} as {role:?}: {body}",
                    rule.method,
                    rule.path
                ),
                _ => assert!(
                    status != StatusCode::FORBIDDEN && !status.is_server_error(),
                    "{} {} as {role:?} answered {status}: {body}",
                    rule.method,
                    rule.path
                ),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Tokens: issuer, audience, leeway

fn signed(claims: &Value) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(crate::helpers::SECRET.as_bytes()),
    )
    .unwrap()
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

#[sqlx::test]
async fn a_configured_issuer_and_audience_are_required_and_audience_arrays_accepted(pool: PgPool) {
    let app = TestApp::spawn_with(pool, |c| {
        c.jwt_issuer = Some("https://id.school.example".into());
        c.jwt_audience = Some("newslit".into());
    })
    .await;
    let exp = now() + 600;
    let cases = [
        (
            json!({"sub": "a", "role": "teacher", "exp": exp, "iss": "https://id.school.example", "aud": "newslit"}),
            true,
        ),
        (
            json!({"sub": "a", "role": "teacher", "exp": exp, "aud": "newslit"}),
            false,
        ),
        (
            json!({"sub": "a", "role": "teacher", "exp": exp, "iss": "https://id.school.example"}),
            false,
        ),
        (
            json!({"sub": "a", "role": "teacher", "exp": exp, "iss": "https://id.school.example", "aud": ["lms", "newslit"]}),
            true,
        ),
        (
            json!({"sub": "a", "role": "teacher", "exp": exp, "iss": "https://id.school.example", "aud": ["lms"]}),
            false,
        ),
        (
            json!({"sub": "a", "role": "teacher", "exp": exp, "iss": "https://other.example", "aud": "newslit"}),
            false,
        ),
    ];
    for (claims, accepted) in cases {
        let res = app.get("/v1/me", Some(&signed(&claims))).await;
        if accepted {
            assert_eq!(res.status(), StatusCode::OK, "{claims}");
        } else {
            let res_headers = res.headers().clone();
            assert_problem(res, StatusCode::UNAUTHORIZED).await;
            assert!(res_headers.contains_key("www-authenticate"), "{claims}");
        }
    }
}

#[sqlx::test]
async fn the_leeway_on_expiry_is_configurable(pool: PgPool) {
    let strict = TestApp::spawn_with(pool.clone(), |c| c.jwt_leeway_secs = 0).await;
    let lenient = TestApp::spawn_with(pool, |c| c.jwt_leeway_secs = 120).await;
    let expired = signed(&json!({"sub": "a", "role": "teacher", "exp": now() - 30}));
    assert_problem(
        strict.get("/v1/me", Some(&expired)).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert_eq!(
        lenient.get("/v1/me", Some(&expired)).await.status(),
        StatusCode::OK
    );
    let early = signed(&json!({"sub": "a", "role": "teacher", "exp": now() + 600, "nbf": now() + 30}));
    assert_problem(strict.get("/v1/me", Some(&early)).await, StatusCode::UNAUTHORIZED).await;
    assert_eq!(lenient.get("/v1/me", Some(&early)).await.status(), StatusCode::OK);
}

// ---------------------------------------------------------------------------------------------
// Metrics

#[sqlx::test]
async fn metrics_labels_stay_bounded_whatever_method_or_path_is_sent(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let long = "X".repeat(5_000);
    for method in ["BREW", long.as_str(), "PROPFIND"] {
        let m = Method::from_bytes(method.as_bytes()).unwrap();
        app.request(m, &format!("/nowhere/{}", uuid::Uuid::new_v4()), None)
            .send()
            .await
            .unwrap();
    }
    let text = app.get("/metrics", None).await.text().await.unwrap();
    assert!(
        !text.contains("BREW") && !text.contains("PROPFIND") && !text.contains("XXXX"),
        "{text}"
    );
    assert!(text.contains("method=\"other\",route=\"unmatched\""), "{text}");
    assert!(text.len() < 20_000, "{} bytes", text.len());
}

#[sqlx::test]
async fn metrics_need_their_token_when_one_is_set_and_production_never_serves_them_open(pool: PgPool) {
    let app = TestApp::spawn_with(pool.clone(), |c| c.metrics_token = Some("scrape-me".into())).await;
    assert_problem(app.get("/metrics", None).await, StatusCode::UNAUTHORIZED).await;
    assert_problem(app.get("/metrics", Some("wrong")).await, StatusCode::UNAUTHORIZED).await;
    let res = app.get("/metrics", Some("scrape-me")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("newslit_http_requests_total"));

    let prod = TestApp::spawn_with(pool.clone(), |c| {
        c.environment = newslit::config::Environment::Production
    })
    .await;
    assert_problem(prod.get("/metrics", None).await, StatusCode::NOT_FOUND).await;

    // A separate metrics listener: metrics there, not on the public one.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let split = TestApp::spawn_with(pool, |c| {
        c.environment = newslit::config::Environment::Production;
        c.metrics_listen = Some(format!("127.0.0.1:{port}").parse().unwrap());
    })
    .await;
    assert_problem(split.get("/metrics", None).await, StatusCode::NOT_FOUND).await;
    let res = split
        .client
        .get(format!("http://127.0.0.1:{port}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

// ---------------------------------------------------------------------------------------------
// Request heads over the limit

/// Sends `head` raw on `stream` and reads one answer (head and a Content-Length body).
async fn exchange(stream: &mut tokio::net::TcpStream, head: &str) -> (String, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let _ = stream.write_all(head.as_bytes()).await;
    let mut got = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let text = String::from_utf8_lossy(&got).to_string();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length: ")
                        .map(|v| v.trim().parse::<usize>().unwrap())
                })
                .unwrap_or(0);
            if got.len() >= end + 4 + length {
                return (
                    text[..end].to_string(),
                    text[end + 4..end + 4 + length].to_string(),
                );
            }
        }
        match tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buf)).await {
            Ok(Ok(0)) | Err(_) => return (text, String::new()),
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
            Ok(Err(_)) => return (text, String::new()),
        }
    }
}

#[sqlx::test]
async fn a_request_head_over_the_limit_is_a_431_problem_on_fresh_and_kept_alive_connections(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let addr = app.address.trim_start_matches("http://").to_string();
    for size in [70_000, 130_000, 200_000] {
        let huge = format!(
            "GET /v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\r\n",
            "a".repeat(size)
        );
        // Fresh connection.
        let mut fresh = tokio::net::TcpStream::connect(&addr).await.unwrap();
        let (head, body) = exchange(&mut fresh, &huge).await;
        assert!(head.starts_with("HTTP/1.1 431"), "fresh, {size}: {head}");
        assert!(
            head.to_ascii_lowercase()
                .contains("content-type: application/problem+json"),
            "{head}"
        );
        let problem: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(problem["status"], 431);
        // Kept alive: one good request first.
        let mut kept = tokio::net::TcpStream::connect(&addr).await.unwrap();
        let (head, _) = exchange(&mut kept, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n").await;
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        let (head, body) = exchange(&mut kept, &huge).await;
        assert!(head.starts_with("HTTP/1.1 431"), "kept alive, {size}: {head}");
        let problem: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(problem["type"], "/problems/request-header-fields-too-large");
    }
    assert_eq!(app.get("/health", None).await.status(), StatusCode::OK);
}

// ---------------------------------------------------------------------------------------------
// Per-teacher keys

fn correct(content: &Value, key: &str) -> Value {
    let mut c = content.clone();
    for o in c["options"].as_array_mut().unwrap() {
        let id = o["id"].as_str().unwrap().to_string();
        o["correct"] = json!(id == key);
    }
    c
}

#[sqlx::test]
async fn another_teachers_correction_never_changes_my_students_scores(pool: PgPool) {
    let w = world(pool, json!({"feedback": "immediate", "max_attempts": null})).await;
    let other = w.app.token(Role::Teacher, "bea");
    let path = format!("/v1/exercises/{}", w.exercise);
    // Bea reads the shared exercise and "corrects" it: b is now right, for her.
    let res = w.app.get(&path, Some(&other)).await;
    let etag = res.headers()["etag"].to_str().unwrap().to_string();
    let shared: Value = res.json().await.unwrap();
    assert!(shared["owner_id"].is_null());
    let res = w
        .app
        .request(Method::PATCH, &path, Some(&other))
        .header("If-Match", &etag)
        .json(&json!({"options": correct(&shared["content"], "b")["options"]}))
        .send()
        .await
        .unwrap();
    let hers = json_of(res, StatusCode::OK).await;
    let bea_id = json_of(w.app.get("/v1/me", Some(&other)).await, StatusCode::OK).await["id"].clone();
    assert_eq!(hers["owner_id"], bea_id);
    assert_eq!(hers["content"]["options"][1]["correct"], true);
    // Tia, the admin and Tia's grader still see the catalogue's key.
    for token in [&w.teacher, &w.app.token(Role::Admin, "ada"), &w.grader] {
        let mine = json_of(w.app.get(&path, Some(token)).await, StatusCode::OK).await;
        assert!(mine["owner_id"].is_null(), "{mine}");
        assert_eq!(mine["content"]["options"][0]["correct"], true);
        assert_eq!(mine["version"], shared["version"]);
    }
    // Tia's student who answers a is still right.
    let res: Value = answer(&w, &w.student, &["a"]).await.json().await.unwrap();
    assert_eq!(res["feedback"]["score"], 1.0, "{res}");
    assert_eq!(res["exercise_version"], shared["version"]);
    // Tia's own correction is hers, and her class follows it from now on.
    let res = w
        .app
        .request(Method::PATCH, &path, Some(&w.teacher))
        .header("If-Match", &etag)
        .json(&json!({"options": correct(&shared["content"], "c")["options"]}))
        .send()
        .await
        .unwrap();
    let tias = json_of(res, StatusCode::OK).await;
    assert_ne!(
        tias["version"], hers["version"],
        "one numbering for every version"
    );
    let res: Value = answer(&w, &w.student, &["c"]).await.json().await.unwrap();
    assert_eq!(res["feedback"]["score"], 1.0, "{res}");
    assert_eq!(res["exercise_version"], tias["version"]);
    // Bea's version is untouched by Tia's.
    let still = json_of(w.app.get(&path, Some(&other)).await, StatusCode::OK).await;
    assert_eq!(still["version"], hers["version"]);
    assert_eq!(still["content"]["options"][1]["correct"], true);
    // A stale If-Match on one's own version is a 412.
    let res = w
        .app
        .request(Method::PATCH, &path, Some(&w.teacher))
        .header("If-Match", &etag)
        .json(&json!({"prompt": "Again?"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::PRECONDITION_FAILED).await;
}
