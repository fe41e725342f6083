//! An LMS played on loopback for the LTI Advantage services tests: its key set, an OAuth 2 token
//! endpoint that checks newslit's client assertion against newslit's published key set, a line
//! item recording the scores that arrive (refusing the first ones when told to), and a roster in
//! two pages.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use newslit::identity::Role;
use newslit::lti::keys::ToolKeys;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::classes::{json_of, send};
use crate::helpers::TestApp;
use crate::lti::{launch, login, CLIENT, ISSUER, MEMBERSHIP};

pub const SCORE_SCOPE: &str = "https://purl.imsglobal.org/spec/lti-ags/scope/score";
pub const TOKEN: &str = "platform-issued-token";

/// What the platform saw.
#[derive(Debug, Default)]
pub struct Seen {
    /// The scope of each token it issued.
    pub tokens: Vec<String>,
    /// Why each refused token request was refused.
    pub refused: Vec<String>,
    /// Each score posted to the line item and kept, with its content type.
    pub scores: Vec<(String, Value)>,
    /// Each roster page asked for (its query), with the Accept header.
    pub roster_pages: Vec<(String, String)>,
    /// Score posts answered 503.
    pub scores_refused: usize,
}

pub const NRPS_SCOPE: &str = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly";

/// The course's roster: page 1 and, behind `Link: rel="next"`, page 2.
pub fn roster_page(base: &str, page: &str) -> (Value, Option<String>) {
    let lis = "http://purl.imsglobal.org/vocab/lis/v2/membership#";
    match page {
        "2" => (
            json!({"id": format!("{base}/memberships"), "context": {"id": "course-7"}, "members": [
                {"user_id": "ta-1", "roles": [format!("{lis}TeachingAssistant")], "name": "Tia Assistant"},
                {"user_id": "mentor-1", "roles": [format!("{lis}Mentor")], "name": "Max Mentor"},
                {"user_id": "student-3", "roles": ["Learner"], "status": "Inactive", "name": "Gone Student"},
            ]}),
            None,
        ),
        _ => (
            json!({"id": format!("{base}/memberships"), "context": {"id": "course-7"}, "members": [
                {"user_id": "teacher-1", "roles": [format!("{lis}Instructor")], "name": "Person teacher-1"},
                {"user_id": "student-1", "roles": [format!("{lis}Learner")], "status": "Active",
                 "given_name": "Sam", "family_name": "One"},
                {"user_id": "student-2", "roles": [format!("{lis}Learner")], "name": "Sue Two"},
            ]}),
            Some(format!("{base}/memberships?page=2")),
        ),
    }
}

pub struct MockPlatform {
    keys: ToolKeys,
    base: String,
    pub seen: Arc<Mutex<Seen>>,
    /// How many of the next score posts to refuse with a 503.
    pub refuse_scores: Arc<AtomicUsize>,
}

/// Checks a token request as a platform must (1EdTech Security Framework 4.1): the grant, the
/// assertion type, and the assertion signed by the tool's key from its published key set, for
/// this token URL, issued by and about the tool's client id.
async fn check_token_request(
    form: &[(String, String)],
    tool_jwks: &str,
    token_url: &str,
) -> Result<String, String> {
    let field = |k: &str| {
        form.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .ok_or(format!("no {k}"))
    };
    if field("grant_type")? != "client_credentials" {
        return Err("grant_type".into());
    }
    if field("client_assertion_type")? != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" {
        return Err("client_assertion_type".into());
    }
    let assertion = field("client_assertion")?;
    let header = jsonwebtoken::decode_header(&assertion).map_err(|e| e.to_string())?;
    let jwks: JwkSet = reqwest::get(tool_jwks)
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    let jwk = jwks
        .find(header.kid.as_deref().ok_or("no kid")?)
        .ok_or("kid not in the tool's key set")?;
    let mut v = Validation::new(Algorithm::RS256);
    v.set_audience(&[token_url]);
    v.set_issuer(&[CLIENT]);
    v.sub = Some(CLIENT.to_string());
    v.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    let key = DecodingKey::from_jwk(jwk).map_err(|e| e.to_string())?;
    let claims = jsonwebtoken::decode::<Value>(&assertion, &key, &v).map_err(|e| e.to_string())?;
    if claims.claims["jti"].as_str().is_none_or(str::is_empty) {
        return Err("no jti".into());
    }
    field("scope")
}

impl MockPlatform {
    pub async fn start(tool_jwks: String) -> MockPlatform {
        let keys = ToolKeys::from_pem(include_bytes!("../fixtures/lti/platform.pem"), None).unwrap();
        let jwks = serde_json::to_value(keys.jwks()).unwrap();
        let seen = Arc::new(Mutex::new(Seen::default()));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        let refuse_scores = Arc::new(AtomicUsize::new(0));
        let (s, b, r) = (seen.clone(), base.clone(), refuse_scores.clone());
        let server = HttpServer::new(move || {
            let (jwks, tool_jwks, seen, base) = (jwks.clone(), tool_jwks.clone(), s.clone(), b.clone());
            let (seen2, refuse) = (seen.clone(), r.clone());
            let (seen3, base3) = (seen.clone(), base.clone());
            App::new()
                .route(
                    "/memberships",
                    web::get().to(move |req: HttpRequest| {
                        let (seen, base) = (seen3.clone(), base3.clone());
                        async move {
                            let auth = req.headers().get("authorization").and_then(|v| v.to_str().ok());
                            if auth != Some(&format!("Bearer {TOKEN}")) {
                                return HttpResponse::Unauthorized().finish();
                            }
                            let accept = req
                                .headers()
                                .get("accept")
                                .and_then(|v| v.to_str().ok())
                                .unwrap_or("")
                                .to_string();
                            seen.lock()
                                .unwrap()
                                .roster_pages
                                .push((req.query_string().to_string(), accept));
                            let page = req.query_string().strip_prefix("page=").unwrap_or("1");
                            let (body, next) = roster_page(&base, page);
                            let mut res = HttpResponse::Ok();
                            res.content_type("application/vnd.ims.lti-nrps.v2.membershipcontainer+json");
                            if let Some(next) = next {
                                res.insert_header(("link", format!("<{next}>; rel=\"next\"")));
                            }
                            res.body(body.to_string())
                        }
                    }),
                )
                .route(
                    "/jwks",
                    web::get().to(move || {
                        let jwks = jwks.clone();
                        async move { HttpResponse::Ok().json(jwks) }
                    }),
                )
                .route(
                    "/token",
                    web::post().to(move |form: web::Form<Vec<(String, String)>>| {
                        let (seen, tool_jwks, token_url) =
                            (seen.clone(), tool_jwks.clone(), format!("{base}/token"));
                        async move {
                            match check_token_request(&form, &tool_jwks, &token_url).await {
                                Ok(scope) => {
                                    seen.lock().unwrap().tokens.push(scope.clone());
                                    HttpResponse::Ok()
                                        .json(json!({"access_token": TOKEN, "token_type": "Bearer",
                                                                   "expires_in": 3600, "scope": scope}))
                                }
                                Err(why) => {
                                    seen.lock().unwrap().refused.push(why.clone());
                                    HttpResponse::BadRequest()
                                        .json(json!({"error": "invalid_client", "why": why}))
                                }
                            }
                        }
                    }),
                )
                .route(
                    "/lineitems/1/scores",
                    web::post().to(move |req: HttpRequest, body: web::Bytes| {
                        let (seen, refuse) = (seen2.clone(), refuse.clone());
                        async move {
                            let refused =
                                refuse.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1));
                            if refused.is_ok() {
                                seen.lock().unwrap().scores_refused += 1;
                                return HttpResponse::ServiceUnavailable().body("down for maintenance");
                            }
                            let auth = req.headers().get("authorization").and_then(|v| v.to_str().ok());
                            if auth != Some(&format!("Bearer {TOKEN}")) {
                                return HttpResponse::Unauthorized().finish();
                            }
                            let ct = req
                                .headers()
                                .get("content-type")
                                .and_then(|v| v.to_str().ok())
                                .unwrap_or("")
                                .to_string();
                            let Ok(score) = serde_json::from_slice::<Value>(&body) else {
                                return HttpResponse::BadRequest().finish();
                            };
                            seen.lock().unwrap().scores.push((ct, score));
                            HttpResponse::Ok().finish()
                        }
                    }),
                )
        })
        .workers(1)
        .listen(listener)
        .unwrap()
        .run();
        tokio::spawn(server);
        MockPlatform {
            keys,
            base,
            seen,
            refuse_scores,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Waits (up to 15 s) until the line item holds `n` scores; returns them.
    pub async fn scores(&self, n: usize) -> Vec<(String, Value)> {
        for _ in 0..300 {
            let got = self.seen.lock().unwrap().scores.clone();
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "the line item holds {:?}, not {n} scores",
            self.seen.lock().unwrap()
        );
    }
}

pub async fn services_app(pool: PgPool) -> TestApp {
    services_app_with(pool, |_| {}).await
}

pub async fn services_app_with(pool: PgPool, adjust: impl FnOnce(&mut newslit::config::Config)) -> TestApp {
    TestApp::spawn_with(pool, |c| {
        c.lti_key_file = Some("tests/fixtures/lti/tool.pem".into());
        c.outbound_allow_private = true;
        c.outbox_poll_ms = 50;
        c.outbox_retry_base_ms = 50;
        adjust(c);
    })
    .await
}

pub async fn register(app: &TestApp, platform: &MockPlatform) {
    let res = send(
        app,
        Method::POST,
        "/v1/lti/platforms",
        &app.token(Role::Admin, "root"),
        Some(json!({
            "issuer": ISSUER, "client_id": CLIENT, "deployment_ids": ["dep-1"],
            // The browser, not newslit, goes to the authorization URL: the login checks its address.
            "auth_url": "http://127.0.0.1:9/authorize", "token_url": platform.url("/token"),
            "jwks_url": platform.url("/jwks"),
        })),
    )
    .await;
    json_of(res, StatusCode::CREATED).await;
}

/// A launch from the course `course-7`, placement `link-1`, with the services the platform
/// offers; returns newslit's answer.
pub async fn launch_as(
    app: &TestApp,
    platform: &MockPlatform,
    sub: &str,
    role: &str,
    custom: Value,
    services: Value,
) -> Value {
    let (state, nonce) = login(app).await;
    let now = chrono::Utc::now().timestamp();
    let mut claims = json!({
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
    });
    for (k, v) in services.as_object().unwrap() {
        claims[k] = v.clone();
    }
    let token = platform.keys.sign(&claims).unwrap();
    json_of(launch(app, &token, &state).await, StatusCode::OK).await
}

pub fn ags_claim(platform: &MockPlatform) -> Value {
    json!({"https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": {
        "scope": [SCORE_SCOPE, "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly"],
        "lineitems": platform.url("/lineitems"),
        "lineitem": platform.url("/lineitems/1"),
    }})
}
