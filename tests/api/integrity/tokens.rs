//! Tokens (issuer, audience, leeway) and the metrics endpoint.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::helpers::{assert_problem, TestApp};

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
