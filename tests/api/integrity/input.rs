//! Text PostgreSQL cannot store, downloads that carry keys or grades, request heads over the
//! limit.

use std::time::Duration;

use newslit::identity::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::classes::send;
use crate::helpers::{assert_problem, TestApp};

use super::{answer, world};

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
        (
            format!("/v1/assignments/{}/results.csv", w.assignment),
            "text/csv",
        ),
        (
            format!("/v1/assignments/{}/results", w.assignment),
            "application/json",
        ),
        (format!("/v1/assignments/{}/export.zip", w.assignment), "*/*"),
        (format!("/v1/assignments/{}/export.gift", w.assignment), "*/*"),
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
