//! Starts the real application on a random port against a test database, and speaks to it.

use std::net::TcpListener;

use newslit::config::Config;
use newslit::http::startup;
use newslit::identity::{tokens::TokenKeys, Role};
use newslit::state::AppState;
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::Value;
use sqlx::PgPool;

pub const SECRET: &str = "test-secret-for-newslit-api-tests";

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub pool: PgPool,
    pub config: Config,
    keys: TokenKeys,
}

impl TestApp {
    pub async fn spawn(pool: PgPool) -> TestApp {
        Self::spawn_with(pool, |_| {}).await
    }

    /// Starts the app with a configuration adjusted by `adjust`.
    pub async fn spawn_with(pool: PgPool, adjust: impl FnOnce(&mut Config)) -> TestApp {
        let mut config = Config::from_env();
        config.jwt_secret = Some(newslit::config::Secret::new(SECRET));
        config.jwt_public_key_file = None;
        config.jwt_issuer = None;
        config.jwt_audience = None;
        config.workers = 2;
        config.rate_limit_writes_per_minute = 0;
        config.cors_origins = vec!["https://classroom.example".to_string()];
        adjust(&mut config);
        let keys = TokenKeys::from_config(&config).expect("test keys");
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
        let port = listener.local_addr().expect("local address").port();
        let state = AppState::new(
            config.clone(),
            pool.clone(),
            TokenKeys::from_config(&config).expect("keys"),
        )
        .expect("metrics register");
        let server = startup::run(listener, state).expect("server starts");
        tokio::spawn(server);
        TestApp {
            address: format!("http://127.0.0.1:{port}"),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            pool,
            config,
            keys,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// A valid token for `sub` in `role`.
    pub fn token(&self, role: Role, sub: &str) -> String {
        self.keys
            .mint(
                sub,
                role,
                Some(sub),
                std::time::Duration::from_secs(3600),
                &self.config,
            )
            .expect("mint")
    }

    /// A valid token for `sub` in `role` with the display name `name`.
    pub fn token_with(&self, role: Role, sub: &str, name: Option<&str>) -> String {
        self.keys
            .mint(
                sub,
                role,
                name,
                std::time::Duration::from_secs(3600),
                &self.config,
            )
            .expect("mint")
    }

    pub fn request(&self, method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let req = self.client.request(method, self.url(path));
        match token {
            Some(t) => req.bearer_auth(t),
            None => req,
        }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        self.request(Method::GET, path, token)
            .send()
            .await
            .expect("request sent")
    }
}

/// Asserts that `res` is a problem+json with `status`, and returns its body.
pub async fn assert_problem(res: Response, status: StatusCode) -> Value {
    assert_eq!(res.status(), status, "status of {}", res.url());
    let content_type = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap_or("").to_string());
    assert_eq!(content_type.as_deref(), Some("application/problem+json"));
    let body: Value = res.json().await.expect("problem body is JSON");
    assert_eq!(body["status"], status.as_u16(), "problem status field: {body}");
    for field in ["type", "title", "detail"] {
        assert!(
            body[field].as_str().is_some_and(|s| !s.is_empty()),
            "problem lacks {field}: {body}"
        );
    }
    body
}

/// Test fixture: stores a published exercise (row in `exercises` + its version 1 in
/// `exercise_versions`) whose `content` is a serialized `ExerciseContent`, and returns its id.
/// Stands in for the article → exercise pipeline in classroom tests.
pub async fn insert_published_exercise(pool: &PgPool, kind: &str, content: &Value) -> uuid::Uuid {
    let id = uuid::Uuid::new_v4();
    sqlx::query(
        "INSERT INTO exercises (id, article_ids, kind, status, version, content, generated, generator_version)
         VALUES ($1, '{}', $2, 'published', 1, $3, $3, 1)",
    )
    .bind(id)
    .bind(kind)
    .bind(content)
    .execute(pool)
    .await
    .expect("insert exercise");
    sqlx::query(
        "INSERT INTO exercise_versions (exercise_id, version, status, content) VALUES ($1, 1, 'published', $2)",
    )
    .bind(id)
    .bind(content)
    .execute(pool)
    .await
    .expect("insert exercise version");
    id
}
