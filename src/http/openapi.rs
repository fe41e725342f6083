//! The OpenAPI document's frame: info, security scheme, tags, and the error responses every
//! operation can give, added from what the operation takes (auth, path ids, a body).

use utoipa::openapi::header::{Header, HeaderBuilder};
use utoipa::openapi::path::Operation;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use crate::http::error::{FieldError, Problem, PROBLEM_JSON};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "newslit",
        description = "Media-literacy exercises from news articles: who says what in an article, turned \
                       into exercises with answer keys, assigned to classes, answered, graded and exported.\n\n\
                       Every error is `application/problem+json` (RFC 9457). Lists are paged with opaque \
                       cursors and a `Link: <…>; rel=\"next\"` header. Authenticate with \
                       `Authorization: Bearer <JWT>`; the token's `role` claim is one of teacher, student, \
                       grader, admin.",
        license(name = "MIT OR Apache-2.0", identifier = "MIT OR Apache-2.0"),
    ),
    servers((url = "/", description = "The service serving this document")),
    components(schemas(Problem, FieldError)),
    tags(
        (name = "operations", description = "Liveness, readiness"),
        (name = "account", description = "The caller"),
        (name = "articles", description = "The article catalogue: text, analysis, generated exercises"),
        (name = "exercises", description = "Exercises: teacher view with keys, student view without, review"),
        (name = "classes", description = "Classes, join codes, enrolled students and assigned graders"),
        (name = "assignments", description = "Exercises assigned to a class with dates, attempts, scoring, feedback and late rules"),
        (name = "submissions", description = "Students' answers: idempotent, graded on arrival where possible"),
        (name = "results", description = "Gradebook, incremental pulls, manual grading, regrade, item analysis, QTI and GIFT exports"),
        (name = "webhooks", description = "Signed event deliveries (Standard Webhooks) per class or assignment, secret rotation, delivery log"),
    ),
)]
pub struct ApiDoc;

/// The spec as served: the derive's frame, the registered paths, then the shared responses.
pub fn finish(api: &mut utoipa::openapi::OpenApi) {
    Frame.modify(api);
}

struct Frame;

/// (status, component name, description) of the shared error responses.
const ERRORS: &[(&str, &str, &str)] = &[
    (
        "400",
        "BadRequest",
        "The request is malformed or fails validation",
    ),
    (
        "401",
        "Unauthorized",
        "No valid bearer token (see WWW-Authenticate)",
    ),
    ("403", "Forbidden", "The token's role may not do this"),
    ("404", "NotFound", "No such resource within the caller's reach"),
    ("413", "PayloadTooLarge", "The body exceeds the configured limit"),
    (
        "415",
        "UnsupportedMediaType",
        "The body's content type is not accepted",
    ),
    (
        "429",
        "TooManyRequests",
        "Too many changes by this user; retry after Retry-After seconds",
    ),
    (
        "500",
        "Internal",
        "The server failed; the cause is logged under the X-Request-Id",
    ),
    (
        "503",
        "Unavailable",
        "The database is unreachable or busy; retry after Retry-After seconds",
    ),
];

impl Modify for Frame {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let components = api.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        components.add_security_scheme(
            "metrics_token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        for (_, name, description) in ERRORS {
            components
                .responses
                .insert(name.to_string(), RefOr::T(problem_response(description)));
        }
        // A member is named by exactly one of two fields: say so, so generated bodies that
        // give both or neither are known to be invalid.
        exactly_one_of(components, "MemberRequest", &["subject", "user_id"]);
        // A subscription watches one class or one assignment.
        exactly_one_of(components, "NewWebhook", &["class_id", "assignment_id"]);
        ref_page_items(components);
        for (path, item) in api.paths.paths.iter_mut() {
            let public = matches!(path.as_str(), "/health" | "/ready" | "/metrics");
            let reads = item.get.iter_mut().map(|op| (op, false));
            let writes = [&mut item.put, &mut item.post, &mut item.delete, &mut item.patch]
                .into_iter()
                .flatten()
                .map(|op| (op, true));
            for (op, is_write) in reads.chain(writes) {
                if op.security.is_none() {
                    // No token needed (the probes, and the LTI endpoints a platform calls, which
                    // carry their own signed proof): an empty list, not an absent one.
                    op.security = Some(Vec::new());
                }
                add_errors(op, path.contains('{'), public, is_write);
                for (status, response) in op.responses.responses.iter_mut() {
                    if let RefOr::T(response) = response {
                        add_common_headers(response);
                        add_error_headers(status, response);
                    }
                }
            }
        }
        for (status, name, _) in ERRORS {
            if let Some(RefOr::T(response)) = components.responses.get_mut(*name) {
                add_common_headers(response);
                add_error_headers(status, response);
            }
        }
    }
}

fn string_header(description: &str) -> Header {
    HeaderBuilder::new()
        .schema(ObjectBuilder::new().schema_type(Type::String))
        .description(Some(description))
        .build()
}

fn integer_header(description: &str) -> Header {
    HeaderBuilder::new()
        .schema(ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(0)))
        .description(Some(description))
        .build()
}

/// Headers every answer carries (set by middleware, whatever the operation).
fn add_common_headers(response: &mut Response) {
    let common = [
        (
            "X-Request-Id",
            "The request's id; the service logs every line of the request under it",
        ),
        (
            "X-Content-Type-Options",
            "Always `nosniff`: the content type is the one sent",
        ),
        (
            "Cache-Control",
            "`private, no-store` on every answer to a request with a token",
        ),
    ];
    for (name, description) in common {
        response
            .headers
            .entry(name.to_string())
            .or_insert_with(|| string_header(description));
    }
}

/// The headers an error answer with `status` carries besides the common ones.
fn add_error_headers(status: &str, response: &mut Response) {
    let extra: &[(&str, Header)] = match status {
        "401" => &[(
            "WWW-Authenticate",
            string_header("`Bearer realm=\"newslit\"` with the RFC 6750 error and its description"),
        )],
        "429" => &[
            (
                "Retry-After",
                integer_header("Seconds until a change is allowed again"),
            ),
            (
                "RateLimit-Policy",
                string_header("The write limit: `\"<policy>\";q=<limit>;w=<window seconds>`"),
            ),
            (
                "RateLimit",
                string_header("What is left: `\"<policy>\";r=0;t=<seconds until reset>`"),
            ),
        ],
        "503" => &[("Retry-After", integer_header("Seconds to wait before retrying"))],
        _ => &[],
    };
    for (header, value) in extra {
        response.headers.insert(header.to_string(), value.clone());
    }
}

/// Wraps the component `name` so that exactly one of `fields` is given as a string: `allOf`
/// the derived object and a `oneOf` with one branch per field.
/// utoipa inlines a generic parameter's schema, so `Page_Class.items` would repeat `Class`
/// field by field: point each page's items at the named schema instead, so generated clients
/// get one `Class` type for a page's items and for a single class alike.
fn ref_page_items(components: &mut utoipa::openapi::Components) {
    use utoipa::openapi::schema::{ArrayItems, Schema};
    let names: Vec<String> = components.schemas.keys().cloned().collect();
    for name in names {
        let Some(item) = name.strip_prefix("Page_") else {
            continue;
        };
        if !components.schemas.contains_key(item) {
            continue;
        }
        let Some(RefOr::T(Schema::Object(page))) = components.schemas.get_mut(&name) else {
            continue;
        };
        if let Some(RefOr::T(Schema::Array(items))) = page.properties.get_mut("items") {
            items.items =
                ArrayItems::RefOrSchema(Box::new(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(item))));
        }
    }
}

fn exactly_one_of(components: &mut utoipa::openapi::Components, name: &str, fields: &[&str]) {
    use utoipa::openapi::schema::{AllOfBuilder, ObjectBuilder, OneOfBuilder, Schema, Type};
    let Some(derived) = components.schemas.remove(name) else {
        return;
    };
    let branches = fields.iter().fold(OneOfBuilder::new(), |one_of, field| {
        one_of.item(
            ObjectBuilder::new()
                .property(*field, ObjectBuilder::new().schema_type(Type::String))
                .required(*field),
        )
    });
    let wrapped = AllOfBuilder::new().item(derived).item(branches).build();
    components
        .schemas
        .insert(name.to_string(), RefOr::T(Schema::AllOf(wrapped)));
}

fn add_errors(op: &mut Operation, has_path_params: bool, public: bool, is_write: bool) {
    let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
    let has_body = op.request_body.is_some();
    for (status, name, _) in ERRORS {
        let applies = match *status {
            // A NUL in any query parameter or token claim is refused on every operation.
            "400" => true,
            "401" | "403" => secured,
            "404" => has_path_params,
            "413" | "415" => has_body,
            "429" => secured && is_write,
            "500" | "503" => !public,
            _ => false,
        };
        if applies {
            op.responses
                .responses
                .entry(status.to_string())
                .or_insert_with(|| RefOr::Ref(Ref::from_response_name(*name)));
        }
    }
}

fn problem_response(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(PROBLEM_JSON, Content::new(Some(Ref::from_schema_name("Problem"))))
        .build()
}
