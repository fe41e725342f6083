use reqwest::StatusCode;
use serde_json::Value;
use sqlx::PgPool;

use crate::helpers::TestApp;

const COMMITTED: &str = include_str!("../../openapi/openapi.json");

#[test]
fn the_committed_spec_matches_the_code() {
    let generated = serde_json::to_string_pretty(&newslit::http::startup::openapi()).unwrap();
    assert!(
        generated.trim() == COMMITTED.trim(),
        "openapi/openapi.json is stale; rewrite it with `cargo run -q -- openapi > openapi/openapi.json`"
    );
}

#[sqlx::test]
async fn the_served_spec_is_openapi_3_1_with_bearer_auth_and_problem_errors(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let res = app.get("/openapi.json", None).await;
    assert_eq!(res.status(), StatusCode::OK);
    let spec: Value = res.json().await.unwrap();
    assert_eq!(spec["openapi"], "3.1.0");
    for field in ["title", "description", "version"] {
        assert!(spec["info"][field].is_string(), "info.{field}");
    }
    assert!(spec["info"]["license"]["name"].is_string());
    assert_eq!(
        spec["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    let me = &spec["paths"]["/v1/me"]["get"];
    assert!(me["security"].is_array());
    assert_eq!(
        me["responses"]["401"]["$ref"],
        "#/components/responses/Unauthorized"
    );
    let unauthorized =
        &spec["components"]["responses"]["Unauthorized"]["content"]["application/problem+json"];
    assert_eq!(unauthorized["schema"]["$ref"], "#/components/schemas/Problem");
}

#[sqlx::test]
async fn every_documented_path_is_routed(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let spec = serde_json::to_value(newslit::http::startup::openapi()).unwrap();
    for (path, item) in spec["paths"].as_object().unwrap() {
        let concrete = path.replace(['{', '}'], "");
        for method in item.as_object().unwrap().keys() {
            let method: reqwest::Method = method.to_uppercase().parse().unwrap();
            let res = app.request(method.clone(), &concrete, None).send().await.unwrap();
            let body = res.text().await.unwrap_or_default();
            assert!(
                !body.contains("There is no resource at"),
                "{method} {path} is documented but not routed"
            );
        }
    }
}

/// Every `$ref` in the spec points at something the spec defines (a dangling one breaks client
/// generators and validators).
#[test]
fn every_reference_in_the_spec_resolves() {
    fn walk<'a>(value: &'a Value, refs: &mut Vec<&'a str>) {
        match value {
            Value::Object(map) => {
                for (key, v) in map {
                    match (key.as_str(), v) {
                        ("$ref", Value::String(r)) => refs.push(r),
                        _ => walk(v, refs),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, refs)),
            _ => {}
        }
    }
    let spec = serde_json::to_value(newslit::http::startup::openapi()).unwrap();
    let mut refs = Vec::new();
    walk(&spec, &mut refs);
    assert!(!refs.is_empty());
    let dangling: Vec<&str> = refs
        .into_iter()
        .filter(|r| spec.pointer(r.trim_start_matches('#')).is_none())
        .collect();
    assert!(dangling.is_empty(), "references to nothing: {dangling:?}");
}

/// Client generators name methods after operation ids; two alike make them fail.
#[test]
fn operation_ids_are_unique() {
    let spec = serde_json::to_value(newslit::http::startup::openapi()).unwrap();
    let mut seen = std::collections::BTreeMap::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap_or_default().to_string();
            if let Some(previous) = seen.insert(id.clone(), format!("{method} {path}")) {
                panic!("operationId {id} is used by {previous} and {method} {path}");
            }
        }
    }
}
