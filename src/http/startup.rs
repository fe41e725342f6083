//! Builds the application once, the same way for the server, the tests and the spec writer.

use std::net::TcpListener;
use std::rc::Rc;
use std::sync::Arc;

use actix_cors::Cors;
use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{ResourceDef, Server, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::Method;
use actix_web::middleware::{from_fn, ErrorHandlerResponse, ErrorHandlers, Next};
use actix_web::{web, App, HttpMessage, HttpRequest, HttpResponse, ResponseError};
use tracing_actix_web::{DefaultRootSpanBuilder, RequestId, RootSpanBuilder, TracingLogger};
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::http::conn::Guarded;
use crate::http::error::{self, ApiError, Problem, PROBLEM_JSON};
use crate::http::metrics::Recorder;
use crate::http::openapi::ApiDoc;
use crate::http::routes;
use crate::state::AppState;

/// The OpenAPI document of every registered handler.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, mut api) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(routes::configure)
        .split_for_parts();
    crate::http::openapi::finish(&mut api);
    api
}

/// Serves `$app` (an `App`) over HTTP/1 on connections wrapped in [`Guarded`], so the
/// parser's own bare error answers leave as problem documents.
macro_rules! http_service {
    ($app:expr, $shutdown:expr) => {{
        use actix_service::{IntoServiceFactory as _, ServiceFactoryExt as _};
        let app = $app
            .into_factory()
            .map_err(|e: actix_web::Error| e.error_response());
        let shutdown = $shutdown;
        // On a graceful stop, idle kept-alive connections close at once (as HttpServer does).
        let h1 = actix_http::HttpService::build()
            .graceful_shutdown_signal(move || {
                let signal = shutdown.clone();
                async move { signal.notified().await }
            })
            .h1(actix_service::map_config(app, |_| {
                actix_web::dev::AppConfig::default()
            }));
        actix_service::fn_service(|io: actix_rt::net::TcpStream| {
            let peer = io.peer_addr().ok();
            std::future::ready(Ok((Guarded::new(io), peer)))
        })
        .and_then(h1)
    }};
}

/// Starts serving on `listener` (and `GET /metrics` alone on the metrics listener when one is
/// configured). In-flight requests finish on SIGTERM/SIGINT (graceful stop).
///
/// Each server worker runs its own single-threaded runtime and gets a database pool of its own
/// (`NEWSLIT_DB_POOL_SIZE` split evenly), created on that runtime: a connection's socket belongs
/// to the runtime that opened it and fails once that runtime stops. With one pool shared by all
/// workers, a worker that finished its own requests at a graceful stop took the connections it
/// had opened with it, and a request still running on another worker failed (503) on one of
/// them. `state.pool` (on the caller's runtime) serves the outbox worker.
pub fn run(listener: TcpListener, state: AppState) -> std::io::Result<Server> {
    let spec = openapi();
    let routes = web::Data::new(RouteTable::from_spec(&spec));
    let limit = state.config.body_limit;
    let workers = state.config.workers;
    let worker_count = if workers > 0 {
        workers
    } else {
        std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)
    };
    let per_worker = pool_share(state.pool.options().get_max_connections(), worker_count);
    let origins = Arc::new(state.config.cors_origins.clone());
    // Every instance delivers the outbox; SKIP LOCKED keeps them off each other's rows.
    crate::service::outbox::spawn(
        state.pool.clone(),
        &state.config,
        state.tool_keys.clone(),
        state.service_tokens.clone(),
    );
    let metrics_listener = state
        .config
        .metrics_listen
        .map(std::net::TcpListener::bind)
        .transpose()?;
    if state.config.metrics_token.is_none() && metrics_listener.is_none() {
        if state.config.environment == crate::config::Environment::Production {
            tracing::warn!(
                "GET /metrics is not served: in production it needs NEWSLIT_METRICS_TOKEN or NEWSLIT_METRICS_LISTEN"
            );
        } else {
            tracing::warn!(
                "GET /metrics is open to anyone: set NEWSLIT_METRICS_TOKEN or NEWSLIT_METRICS_LISTEN"
            );
        }
    }
    let base = state.clone();
    let state = web::Data::new(state);
    // Called on each worker's thread, inside its runtime.
    let make_app = move || {
        let pool = base
            .pool
            .options()
            .clone()
            .max_connections(per_worker)
            .connect_lazy_with((*base.pool.connect_options()).clone());
        base.metrics.watch_pool(pool.clone());
        let recorder = Rc::new(Recorder::new(base.metrics.clone()));
        App::new()
            .into_utoipa_app()
            .configure(routes::configure)
            .into_app()
            .app_data(web::Data::new(base.for_worker(pool)))
            .app_data(routes.clone())
            .app_data(recorder)
            .app_data(
                web::JsonConfig::default()
                    .limit(limit)
                    .error_handler(error::extract::json),
            )
            .app_data(web::PayloadConfig::new(limit))
            .app_data(web::PathConfig::default().error_handler(path_error))
            .app_data(web::QueryConfig::default().error_handler(error::extract::query))
            .service(web::resource("/docs").get(|| async {
                HttpResponse::PermanentRedirect()
                    .insert_header((header::LOCATION, "/docs/"))
                    .finish()
            }))
            .service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", spec.clone()))
            .default_service(web::to(fallback))
            .wrap(from_fn(crate::http::text::refuse_unstorable))
            // Outside the body checks: a role the policy refuses is a 403 whatever it sent.
            .wrap(from_fn(crate::http::guard::enforce_policy))
            .wrap(cors(&origins))
            // Outside CORS, so a refused preflight is a problem document too.
            .wrap(ErrorHandlers::new().default_handler(as_problem))
            .wrap(from_fn(request_id_header))
            .wrap(from_fn(private_answers))
            .wrap(from_fn(crate::http::conn::limit_head))
            .wrap(from_fn(record_metrics))
            .wrap(TracingLogger::<RequestSpan>::new())
    };
    let mut server = actix_server::Server::build().shutdown_timeout(30);
    if workers > 0 {
        server = server.workers(workers);
    }
    let shutdown = server.graceful_shutdown_signal();
    let metrics_shutdown = shutdown.clone();
    server = server.listen("newslit", listener, move || {
        http_service!(make_app(), shutdown.clone())
    })?;
    if let Some(metrics_listener) = metrics_listener {
        let state = state.clone();
        server = server.listen("newslit-metrics", metrics_listener, move || {
            http_service!(
                App::new()
                    .app_data(state.clone())
                    .route("/metrics", web::get().to(routes::health::metrics_only)),
                metrics_shutdown.clone()
            )
        })?;
    }
    Ok(server.run())
}

/// Each worker's share of an instance's `total` connections, at least one.
fn pool_share(total: u32, workers: usize) -> u32 {
    let workers = u32::try_from(workers.max(1)).unwrap_or(u32::MAX);
    total.div_ceil(workers).max(1)
}

fn cors(origins: &[String]) -> Cors {
    let mut cors = Cors::default()
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::IF_MATCH,
            HeaderName::from_static("idempotency-key"),
        ])
        .expose_headers([
            header::ETAG,
            header::LINK,
            header::LOCATION,
            header::RETRY_AFTER,
            HeaderName::from_static("x-request-id"),
            HeaderName::from_static("idempotent-replayed"),
            header::CONTENT_DISPOSITION,
        ])
        .max_age(3600);
    for origin in origins.iter().map(|o| o.trim()).filter(|o| !o.is_empty()) {
        cors = if origin == "*" {
            cors.allow_any_origin()
        } else {
            cors.allowed_origin(origin)
        };
    }
    cors
}

/// Echoes the request id (which every log line of the request carries) to the client.
async fn request_id_header(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = req.extensions().get::<RequestId>().copied();
    let mut res = next.call(req).await?;
    if let Some(value) = id.and_then(|id| HeaderValue::from_str(&id.to_string()).ok()) {
        res.headers_mut()
            .insert(HeaderName::from_static("x-request-id"), value);
    }
    Ok(res)
}

/// Every answer is sniff-proof, and every answer to a request with a token (keys, grades,
/// gradebooks, exports) is private to that caller and never stored by a cache.
async fn private_answers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let with_token = req.headers().contains_key(header::AUTHORIZATION);
    let mut res = next.call(req).await?;
    let headers = res.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if with_token && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    Ok(res)
}

/// Counts the request and its latency under the matched route pattern, through the worker's
/// own [`Recorder`] (no lock). The pattern is read once the router has matched, from the
/// resource it chose, not by matching the path again.
async fn record_metrics(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = std::time::Instant::now();
    let recorder = req.app_data::<Rc<Recorder>>().cloned();
    // Label values are bounded: any method outside HTTP's usual ones counts as "other".
    let method = match *req.method() {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    };
    let res = next.call(req).await?;
    if let Some(recorder) = recorder {
        let route = res.request().match_pattern();
        recorder.observe(
            method,
            route.as_deref().unwrap_or("unmatched"),
            res.status().as_u16(),
            started.elapsed(),
        );
    }
    Ok(res)
}

/// The request's span, as tracing-actix-web's default builds it (method, route, client, status,
/// request id), when the log filter keeps it. When it does not (`NEWSLIT_LOG=warn`), no span is
/// built at all: the default builder gathers its fields before knowing whether the span is kept,
/// matching the path against the routes once more and parsing the connection's headers on
/// every request.
struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> tracing::Span {
        if tracing::enabled!(
            target: "tracing_actix_web::root_span_builder",
            tracing::Level::INFO
        ) {
            DefaultRootSpanBuilder::on_request_start(request)
        } else {
            tracing::Span::none()
        }
    }

    fn on_request_end<B: MessageBody>(
        span: tracing::Span,
        outcome: &Result<ServiceResponse<B>, actix_web::Error>,
    ) {
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}

/// Rewrites any error response that is not yet problem+json (the framework's, a middleware's).
fn as_problem<B: MessageBody>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let already = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes() == PROBLEM_JSON.as_bytes());
    if already {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let reason = status.canonical_reason().unwrap_or("Error");
    let detail = match res.response().error() {
        Some(e) if !status.is_server_error() => e.to_string(),
        _ => reason.to_string(),
    };
    let slug = reason.to_lowercase().replace(' ', "-");
    let problem = Problem {
        kind: format!("/problems/{slug}"),
        title: reason.to_string(),
        status: status.as_u16(),
        detail,
        errors: Vec::new(),
    };
    let (req, old) = res.into_parts();
    let mut new = HttpResponse::build(status);
    for (name, value) in old.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            new.append_header((name.clone(), value.clone()));
        }
    }
    let body = serde_json::to_string(&problem).unwrap_or_default();
    let new = new.insert_header((header::CONTENT_TYPE, PROBLEM_JSON)).body(body);
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, new).map_into_right_body(),
    ))
}

/// Which methods each documented path answers, to tell 405 from 404.
pub struct RouteTable(Vec<(ResourceDef, Vec<Method>)>);

impl RouteTable {
    fn from_spec(spec: &utoipa::openapi::OpenApi) -> Self {
        let mut table: Vec<(ResourceDef, Vec<Method>)> = spec
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let methods = [
                    (item.get.is_some(), Method::GET),
                    (item.post.is_some(), Method::POST),
                    (item.put.is_some(), Method::PUT),
                    (item.patch.is_some(), Method::PATCH),
                    (item.delete.is_some(), Method::DELETE),
                ];
                let allow = methods
                    .into_iter()
                    .filter_map(|(on, m)| on.then_some(m))
                    .collect();
                (ResourceDef::new(path.as_str()), allow)
            })
            .collect();
        for page in ["/openapi.json", "/docs"] {
            table.push((ResourceDef::new(page), vec![Method::GET]));
        }
        // Literal paths first: `/v1/classes/join` is that resource, not a class called "join".
        table.sort_by_key(|(def, _)| def.pattern().is_some_and(|p| p.contains('{')));
        RouteTable(table)
    }

    fn allowed(&self, path: &str) -> Option<&[Method]> {
        self.0
            .iter()
            .find(|(def, _)| def.is_match(path))
            .map(|(_, m)| m.as_slice())
    }
}

/// A path parameter that does not parse: usually a 400, but a method sent to a literal path
/// that does not answer it (`GET /v1/classes/join`) lands on the parameterised neighbour
/// (`/v1/classes/{class_id}`) and deserves the 405 it would get anywhere else.
fn path_error(err: actix_web::error::PathError, req: &HttpRequest) -> actix_web::Error {
    let allow = req
        .app_data::<web::Data<RouteTable>>()
        .and_then(|table| table.allowed(req.path()));
    match allow {
        Some(allow) if !allow.contains(req.method()) => ApiError::MethodNotAllowed {
            method: req.method().clone(),
            allow: allow.to_vec(),
        }
        .into(),
        _ => error::extract::path(err, req),
    }
}

async fn fallback(req: HttpRequest, table: web::Data<RouteTable>) -> HttpResponse<EitherBody<BoxBody>> {
    let error = match table.allowed(req.path()) {
        Some(allow) if !allow.contains(req.method()) => ApiError::MethodNotAllowed {
            method: req.method().clone(),
            allow: allow.to_vec(),
        },
        _ => ApiError::NotFound(format!("There is no resource at {}.", req.path())),
    };
    error.error_response().map_into_right_body()
}
