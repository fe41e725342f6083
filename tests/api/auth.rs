use jsonwebtoken::{EncodingKey, Header};
use newslit::identity::Role;
use reqwest::StatusCode;
use serde_json::json;
use sqlx::PgPool;

use crate::helpers::{assert_problem, stored_users, TestApp, SECRET};

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn sign(claims: serde_json::Value, secret: &str) -> String {
    jsonwebtoken::encode(
        &Header::default(),
        &claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

async fn assert_rejected(app: &TestApp, token: &str, why: &str) {
    let res = app.get("/v1/me", Some(token)).await;
    let www = res
        .headers()
        .get("www-authenticate")
        .map(|v| v.to_str().unwrap().to_string());
    assert!(
        www.as_deref().is_some_and(|w| w.starts_with("Bearer")),
        "{why}: WWW-Authenticate {www:?}"
    );
    let problem = assert_problem(res, StatusCode::UNAUTHORIZED).await;
    assert_eq!(problem["type"], "/problems/unauthorized", "{why}");
}

/// A front-end that fires its first requests in parallel must not see a 500 because two of
/// them provision the same new user at once (found by schemathesis).
#[sqlx::test]
async fn concurrent_first_requests_of_one_person_all_succeed(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    for round in 0..40 {
        let token = app.token(Role::Teacher, &format!("racer-{round}"));
        let requests = (0..24).map(|i| {
            let req = if i % 2 == 0 {
                app.request(reqwest::Method::GET, "/v1/me", Some(&token))
            } else {
                app.request(reqwest::Method::POST, "/v1/classes", Some(&token))
                    .json(&json!({"name": format!("Class {i}")}))
            };
            req.send()
        });
        for res in futures_util::future::join_all(requests).await {
            let res = res.unwrap();
            assert!(res.status().is_success(), "round {round}: {}", res.status());
        }
    }
    let rows = stored_users(&app.pool).await;
    assert_eq!(rows, 40);
}

#[sqlx::test]
async fn a_minted_token_identifies_the_caller_and_provisions_them_once(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let token = app.token(Role::Teacher, "alice");
    let first: serde_json::Value = app.get("/v1/me", Some(&token)).await.json().await.unwrap();
    assert_eq!(first["subject"], "alice");
    assert_eq!(first["role"], "teacher");
    assert_eq!(first["name"], "alice");
    let again: serde_json::Value = app.get("/v1/me", Some(&token)).await.json().await.unwrap();
    assert_eq!(first["id"], again["id"]);
    let rows = stored_users(&app.pool).await;
    assert_eq!(rows, 1);
}

#[sqlx::test]
async fn a_role_change_in_the_token_is_recorded(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.get("/v1/me", Some(&app.token(Role::Student, "bo"))).await;
    let me: serde_json::Value = app
        .get("/v1/me", Some(&app.token(Role::Grader, "bo")))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["role"], "grader");
    let role = sqlx::query_scalar!("SELECT role FROM users WHERE subject = 'bo'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(role, "grader");
}

#[sqlx::test]
async fn missing_malformed_and_foreign_tokens_are_401(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let res = app.get("/v1/me", None).await;
    assert_problem(res, StatusCode::UNAUTHORIZED).await;

    let res = app
        .client
        .get(app.url("/v1/me"))
        .header("Authorization", "Basic YWxpY2U6eA==")
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::UNAUTHORIZED).await;

    assert_rejected(&app, "not.a.token", "garbage").await;
    let good = json!({"sub": "alice", "role": "teacher", "exp": now() + 600});
    assert_rejected(&app, &sign(good.clone(), "some-other-secret"), "wrong signature").await;

    let expired = json!({"sub": "alice", "role": "teacher", "exp": now() - 3600});
    assert_rejected(&app, &sign(expired, SECRET), "expired").await;

    let not_yet = json!({"sub": "alice", "role": "teacher", "exp": now() + 7200, "nbf": now() + 3600});
    assert_rejected(&app, &sign(not_yet, SECRET), "not yet valid").await;

    let no_exp = json!({"sub": "alice", "role": "teacher"});
    assert_rejected(&app, &sign(no_exp, SECRET), "missing exp").await;

    let unknown_role = json!({"sub": "alice", "role": "principal", "exp": now() + 600});
    assert_rejected(&app, &sign(unknown_role, SECRET), "unknown role").await;

    // alg "none": a header and payload with an empty signature.
    use base64_like::encode;
    let unsigned = format!(
        "{}.{}.",
        encode(br#"{"alg":"none","typ":"JWT"}"#),
        encode(
            json!({"sub": "alice", "role": "admin", "exp": now() + 600})
                .to_string()
                .as_bytes()
        )
    );
    assert_rejected(&app, &unsigned, "alg none").await;

    // A tampered payload keeps the old signature.
    let token = app.token(Role::Student, "mallory");
    let parts: Vec<&str> = token.split('.').collect();
    let forged = encode(
        json!({"sub": "mallory", "role": "admin", "exp": now() + 600})
            .to_string()
            .as_bytes(),
    );
    assert_rejected(&app, &format!("{}.{}.{}", parts[0], forged, parts[2]), "tampered").await;
}

#[sqlx::test]
async fn issuer_and_audience_are_checked_when_configured(pool: PgPool) {
    let app = TestApp::spawn_with(pool, |c| {
        c.jwt_issuer = Some("https://id.school.example".into());
        c.jwt_audience = Some("newslit".into());
    })
    .await;
    let exp = now() + 600;
    let ok = json!({"sub": "a", "role": "teacher", "exp": exp, "iss": "https://id.school.example", "aud": "newslit"});
    assert_eq!(
        app.get("/v1/me", Some(&sign(ok, SECRET))).await.status(),
        StatusCode::OK
    );
    let wrong_iss =
        json!({"sub": "a", "role": "teacher", "exp": exp, "iss": "https://evil.example", "aud": "newslit"});
    assert_rejected(&app, &sign(wrong_iss, SECRET), "wrong iss").await;
    let wrong_aud = json!({"sub": "a", "role": "teacher", "exp": exp, "iss": "https://id.school.example", "aud": "other"});
    assert_rejected(&app, &sign(wrong_aud, SECRET), "wrong aud").await;
    assert_eq!(
        app.get("/v1/me", Some(&app.token(Role::Teacher, "a")))
            .await
            .status(),
        StatusCode::OK,
        "minted tokens carry iss/aud"
    );
}

/// Unpadded base64url, enough to hand-craft token parts.
mod base64_like {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    pub fn encode(bytes: &[u8]) -> String {
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..=chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            }
        }
        out
    }
}

fn key_path(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/keys")
        .join(name)
}

fn provider_token(alg: jsonwebtoken::Algorithm, key: EncodingKey, claims: serde_json::Value) -> String {
    jsonwebtoken::encode(&Header::new(alg), &claims, &key).unwrap()
}

#[sqlx::test]
async fn tokens_from_an_external_provider_are_checked_with_its_rsa_public_key(pool: PgPool) {
    use newslit::config::KeyAlgorithm;
    let app = TestApp::spawn_with(pool, |c| {
        c.jwt_secret = None;
        c.jwt_public_key_file = Some(key_path("rsa_public.pem"));
        c.jwt_algorithm = KeyAlgorithm::Rs256;
    })
    .await;
    let private = std::fs::read(key_path("rsa_private.pem")).unwrap();
    let claims = json!({"sub": "idp|42", "role": "student", "exp": now() + 600, "name": "Ines"});
    let token = provider_token(
        jsonwebtoken::Algorithm::RS256,
        EncodingKey::from_rsa_pem(&private).unwrap(),
        claims.clone(),
    );
    let me: serde_json::Value = app.get("/v1/me", Some(&token)).await.json().await.unwrap();
    assert_eq!(me["subject"], "idp|42");
    assert_eq!(me["name"], "Ines");

    // The classic confusion attack: HS256 "signed" with the public key as the secret.
    let public = std::fs::read(key_path("rsa_public.pem")).unwrap();
    let forged = sign_with(claims.clone(), &public);
    assert_rejected(&app, &forged, "HS256 with the public key").await;
    // And a token signed with our test secret is not accepted either.
    assert_rejected(
        &app,
        &sign(claims, SECRET),
        "HS256 secret when RS256 is configured",
    )
    .await;
}

fn sign_with(claims: serde_json::Value, secret: &[u8]) -> String {
    jsonwebtoken::encode(&Header::default(), &claims, &EncodingKey::from_secret(secret)).unwrap()
}

#[sqlx::test]
async fn eddsa_provider_tokens_are_accepted_with_the_ed25519_public_key(pool: PgPool) {
    use newslit::config::KeyAlgorithm;
    let app = TestApp::spawn_with(pool, |c| {
        c.jwt_secret = None;
        c.jwt_public_key_file = Some(key_path("ed25519_public.pem"));
        c.jwt_algorithm = KeyAlgorithm::EdDsa;
    })
    .await;
    let private = std::fs::read(key_path("ed25519_private.pem")).unwrap();
    let token = provider_token(
        jsonwebtoken::Algorithm::EdDSA,
        EncodingKey::from_ed_pem(&private).unwrap(),
        json!({"sub": "idp|7", "role": "grader", "exp": now() + 600}),
    );
    assert_eq!(app.get("/v1/me", Some(&token)).await.status(), StatusCode::OK);
}

#[test]
fn production_refuses_the_development_secret_and_minting_needs_a_secret() {
    use newslit::config::{Config, Environment};
    use newslit::identity::tokens::{KeyError, TokenKeys};
    let mut config = Config::from_env();
    config.jwt_secret = None;
    config.jwt_public_key_file = None;
    config.environment = Environment::Production;
    assert!(matches!(
        TokenKeys::from_config(&config),
        Err(KeyError::NoKeyInProduction)
    ));

    config.jwt_public_key_file = Some(key_path("rsa_public.pem"));
    let keys = TokenKeys::from_config(&config).unwrap();
    let minted = keys.mint(
        "a",
        Role::Teacher,
        None,
        std::time::Duration::from_secs(60),
        &config,
    );
    assert!(matches!(minted, Err(KeyError::CannotMint)));
}
