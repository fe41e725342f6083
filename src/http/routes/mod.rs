//! HTTP handlers, one module per resource. Each module's `routes` registers its handlers with
//! utoipa-actix-web, so a handler cannot exist without appearing in the spec.

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

pub mod articles;
pub mod assignments;
pub mod classes;
pub mod exercises;
pub mod health;
pub mod lti;
pub mod me;
pub mod results;
pub mod submissions;
pub mod webhooks;

/// Registers every API resource, grouped under one scope per first path segment after `/v1`
/// (in the spec, each handler's path is its scope's prefix and its own). The router tries a
/// scope by its literal prefix, so a request is matched against the patterns of its own scope
/// only, not against every pattern of the API one after the other. Within a scope, literal
/// paths come before the parameterised neighbour that would also match them (`/join` before
/// `/{class_id}`).
pub fn configure(cfg: &mut ServiceConfig<'_>) {
    health::routes(cfg);
    // The student view, the gradebook and answers first: most requests are theirs.
    cfg.service(scope("/v1/assignments").configure(|cfg| {
        assignments::routes(cfg);
        submissions::assignment_routes(cfg);
        results::assignment_routes(cfg);
    }))
    .service(scope("/v1/submissions").configure(|cfg| {
        submissions::routes(cfg);
        results::submission_routes(cfg);
    }))
    .service(scope("/v1/me").configure(|cfg| {
        me::routes(cfg);
        assignments::me_routes(cfg);
    }))
    .service(scope("/v1/articles").configure(|cfg| {
        articles::routes(cfg);
        exercises::article_routes(cfg);
    }))
    .service(scope("/v1/exercises").configure(|cfg| {
        exercises::routes(cfg);
        results::exercise_routes(cfg);
    }))
    .service(scope("/v1/classes").configure(|cfg| {
        classes::routes(cfg);
        assignments::class_routes(cfg);
        lti::class_routes(cfg);
    }))
    .service(scope("/v1/webhooks").configure(webhooks::routes))
    .service(scope("/v1/lti").configure(lti::routes));
}
