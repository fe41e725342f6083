//! Text PostgreSQL cannot store (a NUL), caught before any handler in every JSON body and query
//! string, so it is a 400 naming the field, never a 500. Single fields use `input::storable`.

use crate::http::error::ApiError;

/// The JSON pointer of the first string (member name or value) in `value` that PostgreSQL
/// cannot store, if any.
pub fn unstorable_pointer(value: &serde_json::Value) -> Option<String> {
    fn escape(key: &str) -> String {
        key.replace('~', "~0").replace('/', "~1")
    }
    match value {
        serde_json::Value::String(s) => s.contains('\0').then(String::new),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| unstorable_pointer(v).map(|p| format!("/{i}{p}"))),
        serde_json::Value::Object(map) => map.iter().find_map(|(k, v)| {
            if k.contains('\0') {
                return Some(format!("/{}", escape(&k.replace('\0', "\\u0000"))));
            }
            unstorable_pointer(v).map(|p| format!("/{}{p}", escape(k)))
        }),
        _ => None,
    }
}

/// Refuses, before any handler, a JSON body or a query parameter holding text PostgreSQL
/// cannot store, with a 400 naming the field (its JSON pointer without the leading `/`, or
/// the parameter's name). Bodies without the JSON escape of NUL pass untouched at the cost of
/// one scan; only a suspect body is parsed here.
pub async fn refuse_unstorable(
    mut req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<
    actix_web::dev::ServiceResponse<actix_web::body::EitherBody<impl actix_web::body::MessageBody>>,
    actix_web::Error,
> {
    use actix_web::ResponseError as _;
    let refuse = |req: actix_web::dev::ServiceRequest, e: ApiError| {
        Ok(req.into_response(e.error_response()).map_into_right_body())
    };
    let query = req.query_string();
    if query.contains("%00") {
        if let Ok(pairs) = actix_web::web::Query::<Vec<(String, String)>>::from_query(query) {
            if let Some((key, _)) = pairs.iter().find(|(k, v)| k.contains('\0') || v.contains('\0')) {
                let field = key.replace('\0', "\\u0000");
                return refuse(req, ApiError::invalid(field, "must not contain a NUL character"));
            }
        }
    }
    if req.path().contains("%00") {
        return refuse(req, ApiError::invalid("path", "must not contain a NUL character"));
    }
    let json = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("json"));
    if json && !req.method().is_safe() {
        let body = match req.extract::<actix_web::web::Bytes>().await {
            Ok(body) => body,
            Err(e) => {
                let limit =
                    e.as_response_error().status_code() == actix_web::http::StatusCode::PAYLOAD_TOO_LARGE;
                let api = if limit {
                    ApiError::PayloadTooLarge("The body is larger than the limit.".into())
                } else {
                    ApiError::BadRequest(format!("The body could not be read: {e}"))
                };
                return refuse(req, api);
            }
        };
        if body.windows(6).any(|w| w == b"\\u0000") {
            if let Some(pointer) = serde_json::from_slice::<serde_json::Value>(&body)
                .ok()
                .as_ref()
                .and_then(unstorable_pointer)
            {
                let field = pointer.trim_start_matches('/').to_string();
                return refuse(req, ApiError::invalid(field, "must not contain a NUL character"));
            }
        }
        req.set_payload(actix_web::dev::Payload::from(body));
    }
    Ok(next.call(req).await?.map_into_left_body())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_pointer_names_the_first_nul_wherever_it_hides() {
        assert_eq!(
            unstorable_pointer(&json!({"a": "ok", "b": [1, "x\u{0}"]})),
            Some("/b/1".into())
        );
        assert_eq!(
            unstorable_pointer(&json!({"answer": {"text": "\u{0}"}})),
            Some("/answer/text".into())
        );
        assert_eq!(unstorable_pointer(&json!({"a/b": "\u{0}"})), Some("/a~1b".into()));
        assert_eq!(unstorable_pointer(&json!({"fine": ["yes", 1, null]})), None);
    }
}
