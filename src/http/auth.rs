//! The `Caller` extractor: checks the bearer token, applies the write rate limit, and
//! provisions a user row the first time a subject is seen.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::header;
use actix_web::{web, FromRequest, HttpMessage as _, HttpRequest};

use crate::http::error::ApiError;
use crate::identity::Caller;
use crate::state::AppState;
use crate::store;

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        // The role guard has verified the token already on the routes the policy lists.
        let verified = req.extensions().get::<Caller>().cloned();
        let token = bearer_token(req);
        let writes = !req.method().is_safe();
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::internal("application state is not configured"))?;
            let caller = match verified {
                Some(caller) => caller,
                None => state.tokens.verify(&token?)?,
            };
            if writes {
                state.limits.check_write(&state.pool, caller.id).await?;
            }
            if !state.users.contains(&caller) {
                store::users::provision(&state.pool, &caller).await?;
                state.users.insert(&caller);
            }
            Ok(caller)
        })
    }
}

pub(crate) fn bearer_token(req: &HttpRequest) -> Result<String, ApiError> {
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or_else(|| ApiError::Unauthorized("send a token in the Authorization: Bearer header".into()))?;
    let value = value
        .to_str()
        .map_err(|_| ApiError::Unauthorized("the Authorization header is not valid text".into()))?;
    match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() => {
            Ok(token.trim().to_string())
        }
        _ => Err(ApiError::Unauthorized(
            "the Authorization header must be `Bearer <token>`".into(),
        )),
    }
}
