//! HTTP handlers, one module per resource. Each module's `routes` registers its handlers with
//! utoipa-actix-web, so a handler cannot exist without appearing in the spec.

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

/// Registers every API resource.
pub fn configure(cfg: &mut ServiceConfig<'_>) {
    health::routes(cfg);
    me::routes(cfg);
    articles::routes(cfg);
    exercises::routes(cfg);
    classes::routes(cfg);
    assignments::routes(cfg);
    submissions::routes(cfg);
    results::routes(cfg);
    webhooks::routes(cfg);
    lti::routes(cfg);
}
