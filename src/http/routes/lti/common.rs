//! What the LTI handlers share: the URLs newslit gives platforms.

use actix_web::HttpRequest;

use crate::state::AppState;

/// The service's base URL as platforms and browsers reach it: the configured public URL, else
/// the scheme and host of the request.
pub fn base_url(req: &HttpRequest, state: &AppState) -> String {
    match &state.config.public_url {
        Some(url) => url.trim_end_matches('/').to_string(),
        None => {
            let info = req.connection_info();
            format!("{}://{}", info.scheme(), info.host())
        }
    }
}

/// Where platforms post launches (the OIDC `redirect_uri`).
pub fn launch_url(req: &HttpRequest, state: &AppState) -> String {
    format!("{}/v1/lti/launch", base_url(req, state))
}
