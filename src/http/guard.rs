//! The role policy enforced before any handler runs: a caller whose token's role the policy
//! row of the matched operation refuses gets 403 whatever the body, before the body is read
//! or checked. Requests without a valid token pass on, to be answered 401 by the `Caller`
//! extractor; reach (404) stays the store's business.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage as _, ResponseError as _};

use crate::http::auth::bearer_token;
use crate::identity::policy::{self, Rule};
use crate::state::AppState;

/// The policy row of the operation `method` `pattern` (the matched route's pattern).
fn rule_for(method: &str, pattern: &str) -> Option<&'static Rule> {
    policy::POLICY
        .iter()
        .find(|r| r.method == method && r.path == pattern)
}

pub async fn enforce_policy(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let rule = req
        .match_pattern()
        .and_then(|pattern| rule_for(req.method().as_str(), &pattern));
    let state = req.app_data::<web::Data<AppState>>().cloned();
    if let (Some(rule), Some(state)) = (rule, state) {
        if let Some(caller) = bearer_token(req.request())
            .ok()
            .and_then(|token| state.tokens.verify(&token).ok())
        {
            if let Err(refused) = caller.may(rule) {
                let res = refused.error_response();
                return Ok(req.into_response(res).map_into_right_body());
            }
            // Verified once: the extractor takes it from here.
            req.extensions_mut().insert(caller);
        }
    }
    next.call(req).await.map(ServiceResponse::map_into_left_body)
}
