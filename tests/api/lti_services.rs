//! LTI Advantage services against a platform played on loopback: its key set, an OAuth 2 token
//! endpoint that checks newslit's client assertion against newslit's published key set, a line
//! item recording the scores that arrive, and a roster in two pages.

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

use crate::classes::{create_assignment, json_of, multiple_response_exercise, reflection_exercise, send};
use crate::helpers::TestApp;
use crate::lti::{launch, login, CLIENT, ISSUER, MEMBERSHIP};

const SCORE_SCOPE: &str = "https://purl.imsglobal.org/spec/lti-ags/scope/score";
const TOKEN: &str = "platform-issued-token";

/// What the platform saw.
#[derive(Debug, Default)]
struct Seen {
    /// The scope of each token it issued.
    tokens: Vec<String>,
    /// Why each refused token request was refused.
    refused: Vec<String>,
    /// Each score posted to the line item, with its content type.
    scores: Vec<(String, Value)>,
    /// Each roster page asked for (its query), with the Accept header.
    roster_pages: Vec<(String, String)>,
}

const NRPS_SCOPE: &str = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly";

/// The course's roster: page 1 and, behind `Link: rel="next"`, page 2.
fn roster_page(base: &str, page: &str) -> (Value, Option<String>) {
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

struct MockPlatform {
    keys: ToolKeys,
    base: String,
    seen: Arc<Mutex<Seen>>,
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
    async fn start(tool_jwks: String) -> MockPlatform {
        let keys = ToolKeys::from_pem(include_bytes!("../fixtures/lti/platform.pem"), None).unwrap();
        let jwks = serde_json::to_value(keys.jwks()).unwrap();
        let seen = Arc::new(Mutex::new(Seen::default()));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        let (s, b) = (seen.clone(), base.clone());
        let server = HttpServer::new(move || {
            let (jwks, tool_jwks, seen, base) = (jwks.clone(), tool_jwks.clone(), s.clone(), b.clone());
            let seen2 = seen.clone();
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
                        let seen = seen2.clone();
                        async move {
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
        MockPlatform { keys, base, seen }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Waits (up to 15 s) until the line item holds `n` scores; returns them.
    async fn scores(&self, n: usize) -> Vec<(String, Value)> {
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

async fn services_app(pool: PgPool) -> TestApp {
    TestApp::spawn_with(pool, |c| {
        c.lti_key_file = Some("tests/fixtures/lti/tool.pem".into());
        c.outbound_allow_private = true;
        c.outbox_poll_ms = 50;
        c.outbox_retry_base_ms = 50;
    })
    .await
}

async fn register(app: &TestApp, platform: &MockPlatform) {
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
async fn launch_as(
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

fn ags_claim(platform: &MockPlatform) -> Value {
    json!({"https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": {
        "scope": [SCORE_SCOPE, "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly"],
        "lineitems": platform.url("/lineitems"),
        "lineitem": platform.url("/lineitems/1"),
    }})
}

async fn answer(app: &TestApp, token: &str, assignment: &str, exercise: &str, answer: Value) -> Value {
    let res = app
        .request(
            Method::POST,
            &format!("/v1/assignments/{assignment}/submissions"),
            Some(token),
        )
        .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
        .json(&json!({"exercise_id": exercise, "answer": answer}))
        .send()
        .await
        .unwrap();
    json_of(res, StatusCode::CREATED).await
}

async fn grade(app: &TestApp, token: &str, submission: &Value, score: f64) {
    let res = app
        .request(
            Method::PUT,
            &format!("/v1/submissions/{}/grade", submission["id"].as_str().unwrap()),
            Some(token),
        )
        // Neither answer was graded by a person before: both are at their first grade version.
        .header("If-Match", "\"g1\"")
        .json(&json!({"score": score}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{}", res.text().await.unwrap());
}

#[sqlx::test]
async fn the_students_score_arrives_at_the_line_item_as_graded_and_again_when_a_grader_changes_it(
    pool: PgPool,
) {
    let app = services_app(pool).await;
    let platform = MockPlatform::start(app.url("/v1/lti/jwks")).await;
    register(&app, &platform).await;

    let teacher = launch_as(
        &app,
        &platform,
        "teacher-1",
        "Instructor",
        json!({}),
        ags_claim(&platform),
    )
    .await;
    let t = teacher["token"].as_str().unwrap().to_string();
    let class_id = teacher["class_id"].as_str().unwrap();
    let choice = multiple_response_exercise(&app).await;
    let essay = reflection_exercise(&app).await;
    let assignment = create_assignment(
        &app,
        &t,
        class_id,
        &[&choice, &essay],
        json!({"feedback": "immediate"}),
    )
    .await;
    let assignment_id = assignment["id"].as_str().unwrap();
    let student = launch_as(
        &app,
        &platform,
        "student-1",
        "Learner",
        json!({"newslit_assignment_id": assignment_id}),
        ags_claim(&platform),
    )
    .await;
    let s = student["token"].as_str().unwrap();

    // The choice answer is machine-graded on arrival: 1 of 2, the essay not answered yet.
    let first = answer(
        &app,
        s,
        assignment_id,
        &choice,
        json!({"type": "choices", "option_ids": ["a", "b"]}),
    )
    .await;
    let got = platform.scores(1).await;
    let (content_type, score) = &got[0];
    assert_eq!(content_type, "application/vnd.ims.lis.v1.score+json");
    assert_eq!(score["userId"], "student-1");
    assert_eq!(score["scoreGiven"], 1.0);
    assert_eq!(score["scoreMaximum"], 2.0);
    assert_eq!(score["activityProgress"], "InProgress");
    assert_eq!(score["gradingProgress"], "FullyGraded");
    assert!(
        chrono::DateTime::parse_from_rfc3339(score["timestamp"].as_str().unwrap()).is_ok(),
        "{score}"
    );

    // The essay waits for a person: the score says so.
    let essay_answer = answer(
        &app,
        s,
        assignment_id,
        &essay,
        json!({"type": "text", "text": "They could lose their job."}),
    )
    .await;
    let got = platform.scores(2).await;
    assert_eq!(got[1].1["gradingProgress"], "Pending");
    assert_eq!(got[1].1["activityProgress"], "Completed");
    assert_eq!(got[1].1["scoreGiven"], 1.0);

    // A grader grades the essay, then corrects the machine's score.
    grade(&app, &t, &essay_answer, 0.5).await;
    let got = platform.scores(3).await;
    assert_eq!(
        (
            got[2].1["scoreGiven"].clone(),
            got[2].1["gradingProgress"].clone()
        ),
        (json!(1.5), json!("FullyGraded"))
    );
    grade(&app, &t, &first, 0.25).await;
    let got = platform.scores(4).await;
    assert_eq!(got[3].1["scoreGiven"], 0.75);
    assert!(
        got[3].1["timestamp"].as_str() > got[2].1["timestamp"].as_str(),
        "timestamps grow"
    );

    // What the platform holds is what the gradebook shows.
    let results = json_of(
        app.get(&format!("/v1/assignments/{assignment_id}/results"), Some(&t))
            .await,
        StatusCode::OK,
    )
    .await;
    let row = &results["students"][0];
    assert_eq!(
        (row["total"].clone(), row["max_total"].clone()),
        (json!(0.75), json!(2.0)),
        "{results}"
    );

    // One token, asked for with the score scope, served every score; no request was refused.
    let seen = platform.seen.lock().unwrap();
    assert_eq!(seen.tokens, [SCORE_SCOPE]);
    assert!(seen.refused.is_empty(), "{:?}", seen.refused);
    assert_eq!(seen.scores.len(), 4, "one score per change: {:?}", seen.scores);
}

/// The class's members as its teacher sees them: (name, role), sorted.
async fn members(app: &TestApp, teacher: &str, class_id: &str) -> Vec<(String, String)> {
    let page = json_of(
        app.get(&format!("/v1/classes/{class_id}/members"), Some(teacher))
            .await,
        StatusCode::OK,
    )
    .await;
    let mut out: Vec<(String, String)> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["name"].as_str().unwrap_or("").to_string(),
                m["role"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

#[sqlx::test]
async fn the_platforms_roster_appears_in_the_class_on_an_instructors_launch_and_on_demand(pool: PgPool) {
    let app = services_app(pool).await;
    let platform = MockPlatform::start(app.url("/v1/lti/jwks")).await;
    register(&app, &platform).await;
    let nrps = json!({"https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice": {
        "context_memberships_url": platform.url("/memberships"), "service_versions": ["2.0"]}});

    // The instructor's launch offers the roster: it is read in the background.
    let teacher = launch_as(&app, &platform, "teacher-1", "Instructor", json!({}), nrps).await;
    let t = teacher["token"].as_str().unwrap().to_string();
    let class_id = teacher["class_id"].as_str().unwrap().to_string();
    let expected = vec![
        ("Sam One".to_string(), "student".to_string()),
        ("Sue Two".to_string(), "student".to_string()),
        ("Tia Assistant".to_string(), "grader".to_string()),
    ];
    let mut got = Vec::new();
    for _ in 0..300 {
        got = members(&app, &t, &class_id).await;
        if got.len() >= 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        got, expected,
        "instructors, mentors and inactive members stay out"
    );
    {
        let seen = platform.seen.lock().unwrap();
        assert_eq!(seen.tokens, [NRPS_SCOPE]);
        let pages: Vec<&str> = seen.roster_pages.iter().map(|(q, _)| q.as_str()).collect();
        assert_eq!(pages, ["", "page=2"], "both pages, following Link: rel=next");
        assert!(seen
            .roster_pages
            .iter()
            .all(|(_, accept)| accept == "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"));
    }

    // On demand, again: nothing changes, and the answer says what the roster held.
    let res = send(
        &app,
        Method::POST,
        &format!("/v1/classes/{class_id}/lti/roster-sync"),
        &t,
        None,
    )
    .await;
    let done = json_of(res, StatusCode::OK).await;
    assert_eq!(
        (
            done["members"].clone(),
            done["students"].clone(),
            done["graders"].clone(),
            done["added"].clone(),
            done["skipped"].clone()
        ),
        (json!(6), json!(2), json!(1), json!(0), json!(3)),
        "{done}"
    );
    assert_eq!(members(&app, &t, &class_id).await, expected);

    // A student enrolled from the roster launches later as the same newslit user.
    let choice = multiple_response_exercise(&app).await;
    let assignment = create_assignment(&app, &t, &class_id, &[&choice], json!({})).await;
    let custom = json!({"newslit_assignment_id": assignment["id"]});
    let student = launch_as(&app, &platform, "student-2", "Learner", custom, json!({})).await;
    let me = json_of(
        app.get("/v1/me", Some(student["token"].as_str().unwrap())).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(me["name"], "Person student-2", "{me}");
    let ids: Vec<String> = json_of(
        app.get(&format!("/v1/classes/{class_id}/members"), Some(&t))
            .await,
        StatusCode::OK,
    )
    .await["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["user_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 3);
    assert!(ids.contains(&student["user_id"].as_str().unwrap().to_string()));

    // Only the class's teacher (or an admin) asks; a class from no LMS has no roster to read.
    let res = send(
        &app,
        Method::POST,
        &format!("/v1/classes/{class_id}/lti/roster-sync"),
        student["token"].as_str().unwrap(),
        None,
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let other = app.token(Role::Teacher, "tess");
    let (plain, _) = crate::classes::create_class(&app, &other, "9B").await;
    let res = send(
        &app,
        Method::POST,
        &format!("/v1/classes/{plain}/lti/roster-sync"),
        &other,
        None,
    )
    .await;
    let problem = crate::helpers::assert_problem(res, StatusCode::CONFLICT).await;
    assert!(problem["detail"].as_str().unwrap().contains("LMS"), "{problem}");
    let res = send(
        &app,
        Method::POST,
        &format!("/v1/classes/{class_id}/lti/roster-sync"),
        &other,
        None,
    )
    .await;
    assert_eq!(
        res.status(),
        StatusCode::NOT_FOUND,
        "another teacher's class is out of reach"
    );
}
