//! LTI 1.3 Advantage, the HTTP side: platform registrations (admins), the OIDC login
//! initiation, the launch, newslit's public key set, and the roster read from the LMS. One file
//! per use case; `common` holds what several share (no handlers).

use utoipa_actix_web::service_config::ServiceConfig;

mod common;
mod launch;
mod platforms;
mod roster;

/// Under `/v1/lti`.
pub fn routes(cfg: &mut ServiceConfig<'_>) {
    platforms::routes(cfg);
    launch::routes(cfg);
}

/// Under `/v1/classes`.
pub fn class_routes(cfg: &mut ServiceConfig<'_>) {
    roster::routes(cfg);
}
