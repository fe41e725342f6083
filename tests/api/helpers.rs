//! Starts the real application on a random port against a test database, and speaks to it.

use std::net::TcpListener;

use newslit::config::Config;
use newslit::http::startup;
use newslit::identity::{tokens::TokenKeys, Role};
use newslit::state::AppState;
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::{IntoUrl, Method, Response, ResponseBuilderExt, StatusCode};
use serde_json::Value;
use sqlx::PgPool;

pub const SECRET: &str = "test-secret-for-newslit-api-tests";

pub struct TestApp {
    pub address: String,
    pub client: Client,
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
            client: Client::new(),
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

    pub fn request(&self, method: Method, path: &str, token: Option<&str>) -> Request {
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

/// The only HTTP client of the tests: every answer it receives is checked against the spec
/// (`contract::check`) before the test sees it, and a violation fails the test.
#[derive(Clone)]
pub struct Client {
    inner: reqwest::Client,
}

impl Default for Client {
    fn default() -> Self {
        Self::new()
    }
}

impl Client {
    pub fn new() -> Self {
        Client {
            inner: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
        }
    }

    /// A client that opens a new connection for every request (so requests go to the server's
    /// workers in turn), giving up after 30 s.
    pub fn one_shot() -> Self {
        Client {
            inner: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .pool_max_idle_per_host(0)
                .timeout(std::time::Duration::from_secs(30))
                .build()
                .expect("client"),
        }
    }

    pub fn request(&self, method: Method, url: impl IntoUrl) -> Request {
        Request {
            inner: self.inner.request(method, url),
            client: self.inner.clone(),
        }
    }

    pub fn get(&self, url: impl IntoUrl) -> Request {
        self.request(Method::GET, url)
    }

    pub fn post(&self, url: impl IntoUrl) -> Request {
        self.request(Method::POST, url)
    }
}

/// A request being built; [`Request::send`] checks the answer against the spec.
pub struct Request {
    inner: reqwest::RequestBuilder,
    client: reqwest::Client,
}

impl Request {
    pub fn header<K, V>(self, key: K, value: V) -> Self
    where
        HeaderName: TryFrom<K>,
        <HeaderName as TryFrom<K>>::Error: Into<http::Error>,
        HeaderValue: TryFrom<V>,
        <HeaderValue as TryFrom<V>>::Error: Into<http::Error>,
    {
        self.map(|r| r.header(key, value))
    }

    pub fn bearer_auth(self, token: impl std::fmt::Display) -> Self {
        self.map(|r| r.bearer_auth(token))
    }

    pub fn json<T: serde::Serialize + ?Sized>(self, body: &T) -> Self {
        self.map(|r| r.json(body))
    }

    pub fn query<T: serde::Serialize + ?Sized>(self, query: &T) -> Self {
        self.map(|r| r.query(query))
    }

    pub fn form<T: serde::Serialize + ?Sized>(self, form: &T) -> Self {
        self.map(|r| r.form(form))
    }

    pub fn body(self, body: impl Into<reqwest::Body>) -> Self {
        self.map(|r| r.body(body))
    }

    fn map(self, f: impl FnOnce(reqwest::RequestBuilder) -> reqwest::RequestBuilder) -> Self {
        Request {
            inner: f(self.inner),
            client: self.client,
        }
    }

    /// Sends the request, reads the whole answer, and panics when it is not what the spec
    /// documents for the operation; the test then reads the answer as usual.
    pub async fn send(self) -> reqwest::Result<Response> {
        let request = self.inner.build()?;
        let (method, url) = (request.method().clone(), request.url().clone());
        let res = self.client.execute(request).await?;
        let (status, version, headers) = (res.status(), res.version(), res.headers().clone());
        let body = res.bytes().await?;
        if let Err(violation) = crate::contract::check(&method, url.path(), status, &headers, &body) {
            panic!(
                "the answer to {method} {url} breaks the spec: {violation}\nbody: {}",
                String::from_utf8_lossy(&body[..body.len().min(2000)])
            );
        }
        let mut checked = http::Response::builder().status(status).version(version).url(url);
        if let Some(h) = checked.headers_mut() {
            *h = headers;
        }
        Ok(Response::from(
            checked.body(body).expect("a response rebuilt from its parts"),
        ))
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
    sqlx::query!(
        "INSERT INTO exercises (id, article_ids, kind, status, version, content, generated, generator_version)
         VALUES ($1, '{}', $2, 'published', 1, $3, $3, 1)",
        id,
        kind,
        content,
    )
    .execute(pool)
    .await
    .expect("insert exercise");
    sqlx::query!(
        "INSERT INTO exercise_versions (exercise_id, version, status, content) VALUES ($1, 1, 'published', $2)",
        id,
        content,
    )
    .execute(pool)
    .await
    .expect("insert exercise version");
    id
}

// What is stored, for the tests that check that a refused or failed write stored nothing, or
// that a concurrent one stored exactly once. Everything else is asserted through the API.

pub async fn stored_articles(pool: &PgPool) -> i64 {
    sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM articles"#)
        .fetch_one(pool)
        .await
        .expect("count articles")
}

pub async fn stored_classes(pool: &PgPool) -> i64 {
    sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM classes"#)
        .fetch_one(pool)
        .await
        .expect("count classes")
}

pub async fn stored_submissions(pool: &PgPool) -> i64 {
    sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM submissions"#)
        .fetch_one(pool)
        .await
        .expect("count submissions")
}

pub async fn stored_users(pool: &PgPool) -> i64 {
    sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM users"#)
        .fetch_one(pool)
        .await
        .expect("count users")
}

pub async fn stored_exercises(pool: &PgPool) -> i64 {
    sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM exercises"#)
        .fetch_one(pool)
        .await
        .expect("count exercises")
}
