//! The one error type of the HTTP API, rendered as `application/problem+json` (RFC 9457).
//!
//! Handlers return `Result<_, ApiError>`; the framework's own failures (bad JSON, path or query,
//! payload too large, unknown route) are routed here too, so every non-2xx looks the same.
//! 5xx causes are logged inside the request's span (which carries the request id), never sent.

use actix_web::http::{header, Method, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// An RFC 9457 problem document.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema)]
pub struct Problem {
    /// URI reference naming the kind of problem; stable, for programs to switch on.
    #[serde(rename = "type")]
    #[schema(example = "/problems/not-found")]
    pub kind: String,
    /// Short summary of the kind of problem.
    #[schema(example = "Not found")]
    pub title: String,
    /// The HTTP status code.
    #[schema(example = 404)]
    pub status: u16,
    /// What went wrong in this occurrence, for a person to read.
    pub detail: String,
    /// Field-level problems, when the request body or parameters failed validation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// One invalid field of a request.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema)]
pub struct FieldError {
    /// JSON pointer or parameter name of the offending field.
    pub field: String,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{detail}")]
    Invalid { detail: String, errors: Vec<FieldError> },
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{method} is not allowed here")]
    MethodNotAllowed { method: Method, allow: Vec<Method> },
    #[error("{detail}")]
    Conflict { rule: &'static str, detail: String },
    #[error("{0}")]
    PreconditionFailed(String),
    #[error("{0}")]
    PreconditionRequired(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    HeaderTooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{0}")]
    NotAcceptable(String),
    #[error("{0}")]
    Unprocessable(String),
    #[error("{detail}")]
    TooManyRequests {
        detail: String,
        retry_after_secs: u64,
        limit: u32,
        /// The policy's name and window in seconds, for the RateLimit headers.
        policy: &'static str,
        window_secs: u64,
    },
    #[error("{detail}")]
    Unavailable { detail: String, retry_after_secs: u64 },
    #[error("internal error: {0}")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl ApiError {
    pub fn internal(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        ApiError::Internal(e.into())
    }

    pub fn not_found(what: &str) -> Self {
        ApiError::NotFound(format!("{what} not found"))
    }

    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        let (field, message) = (field.into(), message.into());
        ApiError::Invalid {
            detail: format!("{field}: {message}"),
            errors: vec![FieldError { field, message }],
        }
    }

    /// The problem `type` slug and title.
    fn kind(&self) -> (&'static str, &'static str) {
        match self {
            ApiError::BadRequest(_) => ("bad-request", "Bad request"),
            ApiError::Invalid { .. } => ("invalid-request", "Invalid request"),
            ApiError::Unauthorized(_) => ("unauthorized", "Authentication required"),
            ApiError::Forbidden(_) => ("forbidden", "Forbidden"),
            ApiError::NotFound(_) => ("not-found", "Not found"),
            ApiError::MethodNotAllowed { .. } => ("method-not-allowed", "Method not allowed"),
            ApiError::Conflict { rule, .. } => (rule, "Conflict"),
            ApiError::PreconditionFailed(_) => ("precondition-failed", "Precondition failed"),
            ApiError::PreconditionRequired(_) => ("precondition-required", "Precondition required"),
            ApiError::PayloadTooLarge(_) => ("payload-too-large", "Payload too large"),
            ApiError::HeaderTooLarge(_) => (
                "request-header-fields-too-large",
                "Request Header Fields Too Large",
            ),
            ApiError::UnsupportedMediaType(_) => ("unsupported-media-type", "Unsupported media type"),
            ApiError::NotAcceptable(_) => ("not-acceptable", "Not acceptable"),
            ApiError::Unprocessable(_) => ("unprocessable", "Unprocessable request"),
            ApiError::TooManyRequests { .. } => ("rate-limited", "Too many requests"),
            ApiError::Unavailable { .. } => ("unavailable", "Service unavailable"),
            ApiError::Internal(_) => ("internal", "Internal server error"),
        }
    }

    pub fn problem(&self) -> Problem {
        let (slug, title) = self.kind();
        let status = self.status_code();
        let detail = match self {
            // Never send internals: the cause is logged with the request id instead.
            ApiError::Internal(_) => {
                "The server failed to handle this request; the cause is logged under the request id \
                 in the X-Request-Id header."
                    .to_string()
            }
            other => other.to_string(),
        };
        let errors = match self {
            ApiError::Invalid { errors, .. } => errors.clone(),
            _ => Vec::new(),
        };
        Problem {
            kind: format!("/problems/{slug}"),
            title: title.to_string(),
            status: status.as_u16(),
            detail,
            errors,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) | ApiError::Invalid { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            ApiError::PreconditionRequired(_) => StatusCode::PRECONDITION_REQUIRED,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::HeaderTooLarge(_) => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::NotAcceptable(_) => StatusCode::NOT_ACCEPTABLE,
            ApiError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            ApiError::Internal(cause) => tracing::error!(error = %cause, debug = ?cause, "request failed"),
            ApiError::Unavailable { detail, .. } => tracing::warn!(%detail, "answering 503"),
            _ => {}
        }
        let mut res = HttpResponse::build(self.status_code());
        res.insert_header((header::CONTENT_TYPE, PROBLEM_JSON));
        match self {
            ApiError::Unauthorized(reason) => {
                let reason = reason.replace('"', "'");
                res.insert_header((
                    header::WWW_AUTHENTICATE,
                    format!(r#"Bearer realm="newslit", error="invalid_token", error_description="{reason}""#),
                ));
            }
            ApiError::MethodNotAllowed { allow, .. } => {
                let allow: Vec<&str> = allow.iter().map(Method::as_str).collect();
                res.insert_header((header::ALLOW, allow.join(", ")));
            }
            ApiError::TooManyRequests {
                retry_after_secs,
                limit,
                policy,
                window_secs,
                ..
            } => {
                res.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
                // IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers).
                res.insert_header((
                    "RateLimit-Policy",
                    format!("\"{policy}\";q={limit};w={window_secs}"),
                ));
                res.insert_header(("RateLimit", format!("\"{policy}\";r=0;t={retry_after_secs}")));
            }
            ApiError::Unavailable { retry_after_secs, .. } => {
                res.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            _ => {}
        }
        res.body(problem_body(&self.problem()))
    }
}

fn problem_body(problem: &Problem) -> String {
    // A struct of strings and numbers always serializes; keep a hand-written fallback anyway.
    serde_json::to_string(problem).unwrap_or_else(|_| {
        format!(
            r#"{{"type":"/problems/internal","title":"Internal server error","status":{}}}"#,
            problem.status
        )
    })
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::PoolTimedOut => ApiError::Unavailable {
                detail: "The database is busy; try again shortly.".into(),
                retry_after_secs: 1,
            },
            sqlx::Error::Io(_) | sqlx::Error::PoolClosed | sqlx::Error::Tls(_) => {
                tracing::warn!(error = %e, "database unreachable");
                ApiError::Unavailable {
                    detail: "The database is unreachable; try again shortly.".into(),
                    retry_after_secs: 2,
                }
            }
            sqlx::Error::Database(db) if is_connection_loss(db.code().as_deref()) => {
                tracing::warn!(error = %e, "database connection lost");
                ApiError::Unavailable {
                    detail: "The database is restarting; try again shortly.".into(),
                    retry_after_secs: 2,
                }
            }
            _ => ApiError::internal(e),
        }
    }
}

/// SQLSTATE classes that mean "the server went away or is starting", not "your query is wrong".
fn is_connection_loss(code: Option<&str>) -> bool {
    matches!(code, Some(c) if c.starts_with("08") || c.starts_with("57P"))
}

/// Turns the framework's own request errors into problems.
pub mod extract {
    use super::ApiError;
    use actix_web::error::{JsonPayloadError, PathError, PayloadError, QueryPayloadError};
    use actix_web::HttpRequest;

    pub fn json(err: JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
        let api = match &err {
            JsonPayloadError::OverflowKnownLength { length, limit } => {
                ApiError::PayloadTooLarge(format!("The body is {length} bytes; the limit is {limit} bytes."))
            }
            JsonPayloadError::Overflow { limit } => {
                ApiError::PayloadTooLarge(format!("The body is larger than the limit of {limit} bytes."))
            }
            JsonPayloadError::ContentType => {
                ApiError::UnsupportedMediaType("Send the body as application/json.".into())
            }
            JsonPayloadError::Deserialize(e) => {
                ApiError::BadRequest(format!("The JSON body is not valid: {e}"))
            }
            JsonPayloadError::Payload(PayloadError::Overflow) => {
                ApiError::PayloadTooLarge("The body is larger than the limit.".into())
            }
            other => ApiError::BadRequest(format!("The body could not be read: {other}")),
        };
        api.into()
    }

    /// Every path parameter is an id: name the first one that is not a UUID.
    pub fn path(err: PathError, req: &HttpRequest) -> actix_web::Error {
        let bad = req
            .match_info()
            .iter()
            .find(|(_, value)| uuid::Uuid::parse_str(value).is_err());
        match bad {
            Some((name, _)) => ApiError::invalid(name, "must be a UUID"),
            None => ApiError::invalid("path", format!("is not valid: {err}")),
        }
        .into()
    }

    /// Names the parameter when the parser says which one (`missing field `format``).
    pub fn query(err: QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
        let message = match &err {
            QueryPayloadError::Deserialize(e) => e.to_string(),
            other => other.to_string(),
        };
        let field = message
            .split('`')
            .nth(1)
            .filter(|_| message.starts_with("missing field") || message.starts_with("unknown field"))
            .unwrap_or("query")
            .to_string();
        ApiError::invalid(field, message).into()
    }
}
