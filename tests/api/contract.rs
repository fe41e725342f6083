//! The spec as a contract: every answer a test receives is checked against the served OpenAPI
//! document (status, content type, headers, body schema), the way a generated client and a
//! validating proxy would read it. `helpers::Client` sends every test request through
//! [`check`].

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::{Map, Value};

/// Response headers about the connection and the message framing, or the CORS protocol (which
/// the spec describes in prose: OpenAPI has no place for it); every other header must be
/// documented on the response that carries it.
const TRANSPORT_HEADERS: &[&str] = &[
    "content-type",
    "content-length",
    "date",
    "connection",
    "keep-alive",
    "transfer-encoding",
    "vary",
];

/// No test reaches the service around the checking client: `reqwest::Client` is named only by
/// the helpers (raw sockets remain for request heads no HTTP client will send).
#[test]
fn every_test_request_goes_through_the_checking_client() {
    let mut dirs = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/api")];
    let mut files = Vec::new();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("a test folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let mut offenders = Vec::new();
    for path in files {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name == "helpers.rs" || name == "contract.rs" {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("test source");
        if text.contains(concat!("reqwest::", "Client")) {
            offenders.push(name.to_string());
        }
    }
    assert!(
        offenders.is_empty(),
        "tests with their own HTTP client: {offenders:?}"
    );
}

/// The spec with every object schema closed (`unevaluatedProperties: false`), so a field the
/// spec does not name is a violation, not silently accepted.
static SPEC: LazyLock<Value> = LazyLock::new(|| {
    let spec = serde_json::to_value(newslit::http::startup::openapi()).expect("spec as JSON");
    let schemas = spec["components"]["schemas"].clone();
    close(spec, &schemas, false)
});

static VALIDATORS: LazyLock<Mutex<HashMap<String, Arc<jsonschema::Validator>>>> =
    LazyLock::new(Mutex::default);

/// Checks one exchange against the spec; `Err` says what does not conform.
pub fn check(
    method: &Method,
    path: &str,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(), String> {
    // A CORS preflight is answered by the CORS layer, not by an operation.
    if method == Method::OPTIONS {
        return Ok(());
    }
    // The spec document itself and the API explorer are not operations of the API.
    if path == "/openapi.json" || path == "/docs" || path.starts_with("/docs/") {
        return Ok(());
    }
    let spec = &*SPEC;
    let Some(template) = match_path(spec, path) else {
        // No documented path: only the framework's own refusal, as a problem document.
        return check_problem(status, headers, body, &[404, 405, 413]);
    };
    let op_method = if method == Method::HEAD {
        "get".to_string()
    } else {
        method.as_str().to_ascii_lowercase()
    };
    let op_pointer = format!("/paths/{}/{op_method}", escape(&template));
    let Some(op) = spec.pointer(&op_pointer) else {
        return check_problem(status, headers, body, &[405]);
    };
    let code = status.as_str();
    let range = format!("{}XX", &code[..1]);
    let Some((key, response)) = [code, range.as_str(), "default"]
        .into_iter()
        .find_map(|k| op["responses"].get(k).map(|r| (k, r)))
    else {
        let documented: Vec<&String> = op["responses"]
            .as_object()
            .map(|r| r.keys().collect())
            .unwrap_or_default();
        return Err(format!(
            "{} {template}: status {code} is not documented (documented: {documented:?})",
            method.as_str()
        ));
    };
    let (response, response_pointer) = match response["$ref"].as_str() {
        Some(reference) => {
            let pointer = reference.trim_start_matches('#').to_string();
            (spec.pointer(&pointer).ok_or("dangling $ref")?, pointer)
        }
        None => (response, format!("{op_pointer}/responses/{key}")),
    };
    let at = format!("{} {template} {code}", method.as_str());

    let documented_headers: Vec<String> = response["headers"]
        .as_object()
        .map(|h| h.keys().map(|k| k.to_ascii_lowercase()).collect())
        .unwrap_or_default();
    for name in headers.keys() {
        let name = name.as_str();
        if !TRANSPORT_HEADERS.contains(&name)
            && !name.starts_with("access-control-")
            && !documented_headers.iter().any(|d| d == name)
        {
            return Err(format!("{at}: header {name} is not documented"));
        }
    }

    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(essence);
    let content = response["content"].as_object();
    let Some(content_type) = content_type else {
        if body.is_empty() {
            return Ok(());
        }
        return Err(format!("{at}: a body without a content type"));
    };
    let Some((media, _)) = content
        .into_iter()
        .flatten()
        .find(|(media, _)| essence(media) == content_type)
    else {
        let documented: Vec<&String> = content.map(|c| c.keys().collect()).unwrap_or_default();
        return Err(format!(
            "{at}: content type {content_type} is not documented (documented: {documented:?})"
        ));
    };
    if method == Method::HEAD || !content_type.ends_with("json") {
        return Ok(());
    }
    let pointer = format!("{response_pointer}/content/{}/schema", escape(media));
    if spec.pointer(&pointer).is_none() {
        return Ok(());
    }
    let instance: Value = serde_json::from_slice(body)
        .map_err(|e| format!("{at}: the {content_type} body is not JSON: {e}"))?;
    let validator = validator(&pointer)?;
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .take(5)
        .map(|e| format!("at {}: {e}", e.instance_path()))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{at}: the body does not match {pointer}:\n  {}",
            errors.join("\n  ")
        ))
    }
}

/// An answer outside any operation must still be a problem document with an expected status.
fn check_problem(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    statuses: &[u16],
) -> Result<(), String> {
    if !statuses.contains(&status.as_u16()) {
        return Err(format!("status {status} from no documented operation"));
    }
    let content_type = headers.get("content-type").and_then(|v| v.to_str().ok());
    if content_type != Some("application/problem+json") {
        return Err(format!("{status} as {content_type:?}, not a problem document"));
    }
    let instance: Value =
        serde_json::from_slice(body).map_err(|e| format!("problem body is not JSON: {e}"))?;
    let validator = validator("/components/schemas/Problem")?;
    validator
        .validate(&instance)
        .map_err(|e| format!("{status}: not a Problem: {e}"))
}

/// The compiled schema at `pointer` of the spec (references resolve inside the spec).
fn validator(pointer: &str) -> Result<Arc<jsonschema::Validator>, String> {
    let mut cache = VALIDATORS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(v) = cache.get(pointer) {
        return Ok(v.clone());
    }
    let mut root = SPEC.clone();
    // A URI fragment: the braces of path templates are percent-encoded.
    let fragment = pointer
        .replace('%', "%25")
        .replace('{', "%7B")
        .replace('}', "%7D");
    root["$ref"] = Value::String(format!("#{fragment}"));
    let compiled = jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&root)
        .map_err(|e| format!("the schema at {pointer} does not compile: {e}"))?;
    let compiled = Arc::new(compiled);
    cache.insert(pointer.to_string(), compiled.clone());
    Ok(compiled)
}

/// The documented path template `path` falls under; literal segments win over parameters
/// (`/v1/classes/join` before `/v1/classes/{class_id}`).
fn match_path(spec: &Value, path: &str) -> Option<String> {
    let segments: Vec<&str> = path.split('/').collect();
    spec["paths"]
        .as_object()?
        .keys()
        .filter_map(|template| {
            let parts: Vec<&str> = template.split('/').collect();
            if parts.len() != segments.len() {
                return None;
            }
            let mut literal = 0;
            for (part, segment) in parts.iter().zip(&segments) {
                if part.starts_with('{') && part.ends_with('}') {
                    if segment.is_empty() {
                        return None;
                    }
                } else if part == segment {
                    literal += 1;
                } else {
                    return None;
                }
            }
            Some((literal, template))
        })
        .max_by_key(|(literal, _)| *literal)
        .map(|(_, template)| template.clone())
}

/// JSON Pointer escaping of one reference token.
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// The media type without parameters, lower case.
fn essence(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Closes every object schema under `node`. The branches of an `allOf` stay open (each sees
/// only its own properties) and the `allOf` is closed as a whole, with referenced branches
/// inlined so the component stays closed where it is used alone.
fn close(node: Value, schemas: &Value, in_all_of: bool) -> Value {
    let Value::Object(map) = node else {
        return match node {
            Value::Array(items) => {
                Value::Array(items.into_iter().map(|v| close(v, schemas, false)).collect())
            }
            other => other,
        };
    };
    let mut out = Map::new();
    let has_all_of = map.contains_key("allOf");
    let has_properties = map.contains_key("properties");
    let open = map.contains_key("additionalProperties") || map.contains_key("unevaluatedProperties");
    for (key, value) in map {
        let value = match (key.as_str(), value) {
            ("allOf", Value::Array(branches)) => Value::Array(
                branches
                    .into_iter()
                    .map(|branch| {
                        let inlined = match branch["$ref"]
                            .as_str()
                            .and_then(|r| r.strip_prefix("#/components/schemas/"))
                        {
                            Some(name) => schemas[name].clone(),
                            None => branch,
                        };
                        close(inlined, schemas, true)
                    })
                    .collect(),
            ),
            ("oneOf" | "anyOf", Value::Array(branches)) => Value::Array(
                branches
                    .into_iter()
                    .map(|b| close(b, schemas, in_all_of))
                    .collect(),
            ),
            // Examples are data, not schemas.
            ("example" | "examples", v) => v,
            (_, v) => close(v, schemas, false),
        };
        out.insert(key, value);
    }
    if !in_all_of && !open && (has_properties || has_all_of) {
        out.insert("unevaluatedProperties".into(), Value::Bool(false));
    }
    Value::Object(out)
}
