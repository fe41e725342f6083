//! Who may reach what: every classroom endpoint against every role and every other tenant.
//! Outside the caller's reach is 404 (ids leak nothing); a role that may never do it is 403.

use newslit::identity::Role;
use reqwest::{Method, StatusCode};
use std::collections::BTreeSet;

use serde_json::{json, Value};
use sqlx::PgPool;

use crate::classes::{at, create_assignment, create_class, join, json_of, multiple_response_exercise, send};
use crate::helpers::{stored_submissions, TestApp};

/// The callers, in the order of the expectation strings below.
const CALLERS: [(&str, Role); 8] = [
    ("t1", Role::Teacher), // owns class A
    ("t2", Role::Teacher), // another teacher (owns classes B and C)
    ("s1", Role::Student), // in A, author of the submission
    ("s2", Role::Student), // in B only
    ("s3", Role::Student), // in A, a classmate of s1
    ("g1", Role::Grader),  // assigned to A
    ("g2", Role::Grader),  // assigned to B
    ("root", Role::Admin),
];

/// Per caller: `O` answers 2xx, `F` 403, `N` 404, `C` 409 (reached, but the resource's state
/// refuses it), `-` allowed but not sent (destructive).
struct Case {
    method: Method,
    /// The operation's path as the spec writes it (`/v1/classes/{class_id}`).
    template: &'static str,
    path: String,
    body: Option<Value>,
    expect: &'static str,
}

/// Every operation of the served spec that takes a bearer token, as (METHOD, path template).
/// (`GET /metrics` has its own token, not a role: it is not part of the role matrix.)
async fn secured_operations(app: &TestApp) -> BTreeSet<(String, String)> {
    let spec: Value = app.get("/openapi.json", None).await.json().await.unwrap();
    let mut ops = BTreeSet::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let secured = op["security"]
                .as_array()
                .is_some_and(|s| s.iter().any(|r| r.get("bearer").is_some()));
            if secured {
                ops.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    ops
}

/// Fills a template's parameters from `ids` (parameter name → value), the resource's
/// own `{id}` taken from the collection it follows.
fn fill(template: &str, ids: &[(&str, &str)]) -> String {
    let mut out = String::new();
    let mut collection = "";
    for segment in template.split('/').filter(|s| !s.is_empty()) {
        out.push('/');
        if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            let key = if name == "id" { collection } else { name };
            let value = ids
                .iter()
                .find(|(k, _)| *k == key)
                .unwrap_or_else(|| panic!("no id for {{{name}}} in {template}"))
                .1;
            out.push_str(value);
        } else {
            collection = segment;
            out.push_str(segment);
        }
    }
    out
}

#[sqlx::test]
async fn every_endpoint_refuses_every_role_and_tenant_that_must_not_reach_it(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let tok = |sub: &str| {
        let role = CALLERS.iter().find(|(s, _)| *s == sub).unwrap().1;
        app.token(role, sub)
    };
    let (a, code_a) = create_class(&app, &tok("t1"), "A").await;
    let (b, code_b) = create_class(&app, &tok("t2"), "B").await;
    let (_, code_c) = create_class(&app, &tok("t2"), "C").await;
    for (s, code) in [("s1", &code_a), ("s3", &code_a), ("s2", &code_b)] {
        assert_eq!(join(&app, &tok(s), code).await, StatusCode::CREATED);
    }
    for (g, class, teacher) in [("g1", &a, "t1"), ("g2", &b, "t2")] {
        let res = send(
            &app,
            Method::POST,
            &format!("/v1/classes/{class}/graders"),
            &tok(teacher),
            Some(json!({"subject": g})),
        )
        .await;
        json_of(res, StatusCode::CREATED).await;
    }
    let ex = multiple_response_exercise(&app).await;
    let x = create_assignment(
        &app,
        &tok("t1"),
        &a,
        &[&ex],
        json!({"max_attempts": null, "feedback": "on_release"}),
    )
    .await;
    let x = x["id"].as_str().unwrap().to_string();
    let answer = json!({"exercise_id": ex, "answer": {"type": "choices", "option_ids": ["a"]}});
    let res = app
        .request(
            Method::POST,
            &format!("/v1/assignments/{x}/submissions"),
            Some(&tok("s1")),
        )
        .header("Idempotency-Key", "setup")
        .json(&answer)
        .send()
        .await
        .unwrap();
    let submission = json_of(res, StatusCode::CREATED).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let s1_id = json_of(app.get("/v1/me", Some(&tok("s1"))).await, StatusCode::OK).await["id"]
        .as_str()
        .unwrap()
        .to_string();

    let article = json_of(
        send(
            &app,
            Method::POST,
            "/v1/articles",
            &tok("t1"),
            Some(json!({"text": "Council votes\n\nThe mayor said the vote was close."})),
        )
        .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let hook = json_of(
        send(
            &app,
            Method::POST,
            "/v1/webhooks",
            &tok("t1"),
            Some(json!({"url": "https://hooks.example.org/a", "class_id": a, "events": ["grade.changed"]})),
        )
        .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let platform_body = |client: &str| {
        json!({"issuer": "https://lms.example.edu", "client_id": client, "deployment_ids": ["d1"],
               "auth_url": "https://lms.example.edu/auth", "token_url": "https://lms.example.edu/token",
               "jwks_url": "https://lms.example.edu/jwks"})
    };
    let platform = json_of(
        send(
            &app,
            Method::POST,
            "/v1/lti/platforms",
            &tok("root"),
            Some(platform_body("setup")),
        )
        .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let ids = [
        ("platforms", platform.as_str()),
        ("webhooks", hook.as_str()),
        ("classes", a.as_str()),
        ("class_id", a.as_str()),
        ("assignments", x.as_str()),
        ("assignment_id", x.as_str()),
        ("student_id", s1_id.as_str()),
        ("user_id", s1_id.as_str()),
        ("submissions", submission.as_str()),
        ("submission_id", submission.as_str()),
        ("exercises", ex.as_str()),
        ("articles", article.as_str()),
    ];
    let case = |method: Method, template: &'static str, body: Option<Value>, expect: &'static str| Case {
        method,
        template,
        path: fill(template, &ids),
        body,
        expect,
    };
    // A case whose request needs a query string.
    let query = |mut c: Case, query: &str| {
        c.path.push_str(query);
        c
    };
    let new_assignment = json!({"title": "T", "exercise_ids": [ex], "opens_at": at(-60), "due_at": at(3600)});
    //                                                                              t1 t2 s1 s2 s3 g1 g2 ad
    let cases = vec![
        case(Method::GET, "/v1/me", None, "OOOOOOOO"),
        case(
            Method::POST,
            "/v1/articles",
            Some(json!({"text": "Budget passes\n\nThe treasurer said it balances."})),
            "OOFFFFFO",
        ),
        case(Method::GET, "/v1/articles", None, "OOOOOOOO"),
        case(Method::GET, "/v1/articles/{id}", None, "OOOOOOOO"),
        case(Method::GET, "/v1/articles/{id}/exercises", None, "OOOOOOOO"),
        case(Method::GET, "/v1/articles/{id}/review", None, "OOFFFOOO"),
        case(Method::GET, "/v1/exercises/{id}", None, "OOOOOOOO"),
        case(
            Method::PATCH,
            "/v1/exercises/{id}",
            Some(json!({"status": "published"})),
            "OOFFFFFO",
        ),
        case(Method::GET, "/v1/exercises/{id}/qti", None, "OOFFFFFO"),
        query(
            case(Method::POST, "/v1/exercises/{id}/regrade", None, "OOFFFFFO"),
            "?dry_run=true",
        ),
        case(
            Method::POST,
            "/v1/classes",
            Some(json!({"name": "n"})),
            "OOFFFFFO",
        ),
        case(Method::GET, "/v1/classes", None, "OOOOOOOO"),
        case(Method::GET, "/v1/classes/{class_id}", None, "ONONOONO"),
        case(
            Method::POST,
            "/v1/classes/join",
            Some(json!({"join_code": code_c})),
            "FFOOOFFF",
        ),
        case(
            Method::POST,
            "/v1/classes/{class_id}/students",
            Some(json!({"subject": "newbie"})),
            "ONFFFFFO",
        ),
        case(
            Method::POST,
            "/v1/classes/{class_id}/graders",
            Some(json!({"subject": "g9"})),
            "ONFFFFFO",
        ),
        case(Method::GET, "/v1/classes/{class_id}/members", None, "ONFFFONO"),
        case(
            Method::DELETE,
            "/v1/classes/{class_id}/members/{user_id}",
            None,
            "-NFFFFF-",
        ),
        case(
            Method::POST,
            "/v1/classes/{class_id}/assignments",
            Some(new_assignment),
            "ONFFFFFO",
        ),
        case(
            Method::GET,
            "/v1/classes/{class_id}/assignments",
            None,
            "ONFFFONO",
        ),
        case(Method::GET, "/v1/me/assignments", None, "FFOOOFFF"),
        case(Method::GET, "/v1/assignments/{assignment_id}", None, "ONONOONO"),
        case(
            Method::PATCH,
            "/v1/assignments/{assignment_id}",
            Some(json!({"title": "renamed"})),
            "ONFFFFFO",
        ),
        case(
            Method::PUT,
            "/v1/assignments/{assignment_id}/extensions/{student_id}",
            Some(json!({"due_at": at(7200)})),
            "ONFFFFFO",
        ),
        case(
            Method::GET,
            "/v1/assignments/{assignment_id}/exercises",
            None,
            "ONONOONO",
        ),
        case(
            Method::POST,
            "/v1/assignments/{assignment_id}/submissions",
            Some(answer.clone()),
            "FFONOFFF",
        ),
        case(
            Method::GET,
            "/v1/assignments/{assignment_id}/submissions",
            None,
            "ONONOONO",
        ),
        case(Method::GET, "/v1/submissions/{submission_id}", None, "ONONNONO"),
        case(Method::GET, "/v1/assignments/{id}/results", None, "ONFFFONO"),
        case(Method::GET, "/v1/assignments/{id}/results.csv", None, "ONFFFONO"),
        case(
            Method::GET,
            "/v1/assignments/{id}/item-analysis",
            None,
            "ONFFFONO",
        ),
        case(Method::GET, "/v1/assignments/{id}/export.zip", None, "ONFFFFFO"),
        case(Method::GET, "/v1/assignments/{id}/export.gift", None, "ONFFFFFO"),
        case(Method::POST, "/v1/assignments/{id}/release", None, "ONFFFFFO"),
        case(Method::GET, "/v1/submissions", None, "OOFFFOOO"),
        case(
            Method::PUT,
            "/v1/submissions/{id}/grade",
            Some(json!({"score": 1.0})),
            "ONFFFONO",
        ),
        case(
            Method::GET,
            "/v1/submissions/{id}/grade-history",
            None,
            "ONFFFFFO",
        ),
        case(
            Method::POST,
            "/v1/webhooks",
            Some(
                json!({"url": "https://hooks.example.org/b", "class_id": a, "events": ["submission.created"]}),
            ),
            "ONFFFFFO",
        ),
        case(Method::GET, "/v1/webhooks", None, "OOFFFFFO"),
        case(Method::GET, "/v1/webhooks/{id}", None, "ONFFFFFO"),
        case(Method::DELETE, "/v1/webhooks/{id}", None, "-NFFFFF-"),
        case(Method::POST, "/v1/webhooks/{id}/rotate-secret", None, "ONFFFFFO"),
        case(Method::POST, "/v1/webhooks/{id}/enable", None, "ONFFFFFO"),
        case(Method::GET, "/v1/webhooks/{id}/deliveries", None, "ONFFFFFO"),
        case(
            Method::POST,
            "/v1/lti/platforms",
            Some(platform_body("matrix")),
            "FFFFFFFO",
        ),
        case(Method::GET, "/v1/lti/platforms", None, "FFFFFFFO"),
        case(Method::GET, "/v1/lti/platforms/{id}", None, "FFFFFFFO"),
        case(Method::DELETE, "/v1/lti/platforms/{id}", None, "FFFFFFF-"),
        // Class A is no LMS course: its teacher and an admin get past the policy and reach
        // it, and are told it has no roster to read.
        case(
            Method::POST,
            "/v1/classes/{class_id}/lti/roster-sync",
            None,
            "CNFFFFFC",
        ),
    ];

    // Every secured operation the spec serves has its row here, and every row is one.
    let rows: BTreeSet<(String, String)> = cases
        .iter()
        .map(|c| (c.method.to_string(), c.template.to_string()))
        .collect();
    let served = secured_operations(&app).await;
    let missing: Vec<_> = served.difference(&rows).collect();
    assert!(
        missing.is_empty(),
        "secured operations without an access row: {missing:?}"
    );
    let unknown: Vec<_> = rows.difference(&served).collect();
    assert!(
        unknown.is_empty(),
        "access rows for operations the spec does not serve: {unknown:?}"
    );
    assert_eq!(rows.len(), cases.len(), "one row per operation");

    let mut failures = Vec::new();
    for (n, c) in cases.iter().enumerate() {
        for ((sub, _), expect) in CALLERS.iter().zip(c.expect.chars()) {
            if expect == '-' {
                continue;
            }
            let mut req = app
                .request(c.method.clone(), &c.path, Some(&tok(sub)))
                .header("If-Match", "*")
                .header("Idempotency-Key", format!("matrix-{n}-{sub}"));
            if let Some(body) = &c.body {
                req = req.json(body);
            }
            let status = req.send().await.unwrap().status();
            let ok = match expect {
                'O' => status.is_success(),
                'F' => status == StatusCode::FORBIDDEN,
                'N' => status == StatusCode::NOT_FOUND,
                'C' => status == StatusCode::CONFLICT,
                _ => unreachable!(),
            };
            if !ok {
                failures.push(format!(
                    "{} {} as {sub}: expected {expect}, got {status}",
                    c.method, c.path
                ));
            }
        }
        // Without a token, everything is 401.
        let status = app
            .request(c.method.clone(), &c.path, None)
            .send()
            .await
            .unwrap()
            .status();
        if status != StatusCode::UNAUTHORIZED {
            failures.push(format!("{} {} without a token: {status}", c.method, c.path));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // Lists show only what is within reach.
    let classes_of = |page: Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_string())
            .collect()
    };
    let s2_classes =
        classes_of(json_of(app.get("/v1/classes", Some(&tok("s2"))).await, StatusCode::OK).await);
    assert_eq!(s2_classes, ["B", "C"]);
    let g2_classes =
        classes_of(json_of(app.get("/v1/classes", Some(&tok("g2"))).await, StatusCode::OK).await);
    assert_eq!(g2_classes, ["B"]);
    let s2_assignments = json_of(
        app.get("/v1/me/assignments", Some(&tok("s2"))).await,
        StatusCode::OK,
    )
    .await;
    assert!(s2_assignments["items"].as_array().unwrap().is_empty());
    let s3_id = json_of(app.get("/v1/me", Some(&tok("s3"))).await, StatusCode::OK).await["id"].clone();
    let s3_answers = json_of(
        app.get(&format!("/v1/assignments/{x}/submissions"), Some(&tok("s3")))
            .await,
        StatusCode::OK,
    )
    .await;
    let items = s3_answers["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "only s3's own answer from the matrix");
    assert!(
        items.iter().all(|i| i["student_id"] == s3_id),
        "a classmate sees none of s1's answers"
    );
    // Nothing refused was stored: the setup answer and the matrix answers of s1 and s3 only.
    let stored = stored_submissions(&app.pool).await;
    assert_eq!(stored, 3);
}
