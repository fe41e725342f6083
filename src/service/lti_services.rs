//! Calls newslit makes to an LTI platform's services (Assignment and Grade Services, Names and
//! Role Provisioning): the OAuth 2 access token, obtained with the client-credentials grant and a
//! JWT client assertion signed by newslit's LTI key (RFC 7523, 1EdTech Security Framework 4.1),
//! cached per instance until shortly before it expires.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::lti::keys::ToolKeys;
use crate::service::lti::random_token;
use crate::service::outbound::{Outbound, OutboundError};
use crate::store::lti::PlatformRow;

/// Largest token or service answer read from a platform.
pub const REPLY_LIMIT: usize = 256 * 1024;
/// A cached token is dropped this long before the platform said it expires.
const EXPIRY_MARGIN: Duration = Duration::from_secs(60);
/// How long the client assertion is valid.
const ASSERTION_TTL_SECS: i64 = 300;

/// A failed service call: the HTTP status if the platform answered, and what went wrong.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct CallError {
    pub status: Option<i32>,
    pub message: String,
}

impl CallError {
    pub fn new(status: Option<i32>, message: impl Into<String>) -> Self {
        CallError {
            status,
            message: message.into(),
        }
    }
}

impl From<OutboundError> for CallError {
    fn from(e: OutboundError) -> Self {
        match e {
            OutboundError::Refused(e) => CallError::new(None, format!("refused: {e}")),
            OutboundError::Transport(e) => CallError::new(None, e),
        }
    }
}

/// The status and a short excerpt of an answer that was not a success.
pub fn http_error(what: &str, status: u16, body: &[u8]) -> CallError {
    let excerpt = String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned();
    CallError::new(
        Some(i32::from(status)),
        format!("{what}: HTTP {status}: {}", excerpt.trim()),
    )
}

#[derive(Serialize)]
struct Assertion<'a> {
    iss: &'a str,
    sub: &'a str,
    aud: &'a str,
    iat: i64,
    exp: i64,
    jti: String,
}

#[derive(Deserialize)]
struct TokenReply {
    access_token: String,
    expires_in: Option<u64>,
}

/// Access tokens per platform and scope, kept in this process only: each instance asks for its
/// own (platforms issue several at once without trouble), and a restart asks again.
#[derive(Default)]
pub struct ServiceTokens {
    cache: Mutex<HashMap<(Uuid, String), (String, Instant)>>,
}

impl ServiceTokens {
    /// A token for `scope` at `platform`: the cached one while it is valid, else a new one.
    pub async fn token(
        &self,
        outbound: &Outbound,
        keys: &ToolKeys,
        platform: &PlatformRow,
        scope: &str,
    ) -> Result<String, CallError> {
        let key = (platform.id, scope.to_string());
        {
            let cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
            if let Some((token, until)) = cache.get(&key) {
                if Instant::now() < *until {
                    return Ok(token.clone());
                }
            }
        }
        let (token, lifetime) = request_token(outbound, keys, platform, scope).await?;
        let until = Instant::now() + lifetime.saturating_sub(EXPIRY_MARGIN);
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        cache.insert(key, (token.clone(), until));
        Ok(token)
    }

    /// Drops a token the platform refused (revoked, or expired early).
    pub fn forget(&self, platform: Uuid, scope: &str) {
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        cache.remove(&(platform, scope.to_string()));
    }
}

async fn request_token(
    outbound: &Outbound,
    keys: &ToolKeys,
    platform: &PlatformRow,
    scope: &str,
) -> Result<(String, Duration), CallError> {
    let now = chrono::Utc::now().timestamp();
    let jti = random_token().map_err(|e| CallError::new(None, e.to_string()))?;
    let assertion = keys
        .sign(&Assertion {
            iss: &platform.client_id,
            sub: &platform.client_id,
            aud: &platform.token_url,
            iat: now,
            exp: now + ASSERTION_TTL_SECS,
            jti,
        })
        .map_err(|e| CallError::new(None, e.to_string()))?;
    let url = outbound
        .check_url(&platform.token_url)
        .map_err(|e| CallError::new(None, format!("the token URL {e}")))?;
    let request = outbound
        .client()
        .post(url)
        .header("accept", "application/json")
        .form(&[
            ("grant_type", "client_credentials"),
            (
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ),
            ("client_assertion", assertion.as_str()),
            ("scope", scope),
        ]);
    let reply = outbound.send(request, REPLY_LIMIT).await?;
    if reply.status != 200 {
        return Err(http_error(
            "the platform refused a service token",
            reply.status,
            &reply.body,
        ));
    }
    let token: TokenReply = serde_json::from_slice(&reply.body)
        .map_err(|e| CallError::new(Some(200), format!("the token answer is not a token: {e}")))?;
    // Without `expires_in` (it is only recommended), assume the common hour.
    let lifetime = Duration::from_secs(token.expires_in.unwrap_or(3600));
    Ok((token.access_token, lifetime))
}
