//! LTI 1.3 launches, orchestrated: the OIDC login initiation, then the launch that comes back
//! (its `id_token` checked against the platform's published keys, cached and refetched when
//! the platform rotates), mapped onto a class, a user and an assignment.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::Engine;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use reqwest::Url;
use sqlx::PgPool;
use uuid::Uuid;

use crate::http::error::ApiError;
use crate::identity::{user_id, Caller, Role};
use crate::lti::{self, IdToken, MessageKind};
use crate::service::outbound::{Outbound, OutboundError};
use crate::store::lti::{self as store, AgsLinks, PlatformRow};

/// How long a login waits for its launch.
const LOGIN_TTL_SECS: i64 = 600;
/// How long fetched platform keys are trusted before they are fetched again.
const KEYS_TTL: Duration = Duration::from_secs(3600);
/// A `kid` missing from the cached set triggers a refetch, at most this often per platform.
const REFETCH_AFTER: Duration = Duration::from_secs(10);
/// Largest key set read from a platform.
const JWKS_LIMIT: usize = 64 * 1024;
/// Clock skew allowed on `exp` and `iat`.
const LEEWAY_SECS: u64 = 60;

/// A random token of 256 bits, URL-safe.
pub fn random_token() -> Result<String, ApiError> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

struct Cached {
    keys: JwkSet,
    fetched: Instant,
}

/// Platforms' public keys, per registration, kept per process (every instance fetches its own).
#[derive(Default)]
pub struct PlatformKeys {
    cache: Mutex<HashMap<Uuid, Cached>>,
}

impl PlatformKeys {
    fn cached(&self, platform: Uuid, kid: Option<&str>, max_age: Duration) -> Option<DecodingKey> {
        let cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        let c = cache.get(&platform)?;
        if c.fetched.elapsed() > max_age {
            return None;
        }
        pick(&c.keys, kid)
    }

    /// The key that signed a token with `kid`: from the cache, else from the platform's key set.
    async fn key(
        &self,
        outbound: &Outbound,
        platform: &PlatformRow,
        kid: Option<&str>,
    ) -> Result<DecodingKey, ApiError> {
        if let Some(key) = self.cached(platform.id, kid, KEYS_TTL) {
            return Ok(key);
        }
        let recent = {
            let cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
            cache
                .get(&platform.id)
                .is_some_and(|c| c.fetched.elapsed() < REFETCH_AFTER)
        };
        if !recent {
            let keys = fetch_jwks(outbound, &platform.jwks_url).await?;
            let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
            cache.insert(
                platform.id,
                Cached {
                    keys,
                    fetched: Instant::now(),
                },
            );
        }
        self.cached(platform.id, kid, KEYS_TTL).ok_or_else(|| {
            ApiError::Unauthorized(format!(
                "the platform's key set has no RS256 signing key {}",
                kid.map_or_else(
                    || "(the token names no kid)".to_string(),
                    |k| format!("with kid {k:?}")
                )
            ))
        })
    }
}

fn pick(keys: &JwkSet, kid: Option<&str>) -> Option<DecodingKey> {
    let usable = keys.keys.iter().filter(|k| {
        k.common
            .key_algorithm
            .is_none_or(|a| a == jsonwebtoken::jwk::KeyAlgorithm::RS256)
            && !matches!(&k.common.public_key_use, Some(u) if *u != jsonwebtoken::jwk::PublicKeyUse::Signature)
    });
    let mut found = match kid {
        Some(kid) => usable
            .filter(|k| k.common.key_id.as_deref() == Some(kid))
            .collect::<Vec<_>>(),
        None => usable.collect::<Vec<_>>(),
    };
    // Without a kid the token is only accepted when the set leaves no doubt.
    if found.len() != 1 {
        return None;
    }
    found.pop().and_then(|jwk| DecodingKey::from_jwk(jwk).ok())
}

async fn fetch_jwks(outbound: &Outbound, url: &str) -> Result<JwkSet, ApiError> {
    let unavailable = |why: String| ApiError::Unavailable {
        detail: format!("cannot read the platform's key set: {why}"),
        retry_after_secs: 5,
    };
    let url = outbound.check_url(url).map_err(unavailable)?;
    let request = outbound.client().get(url).header("accept", "application/json");
    let reply = outbound.send(request, JWKS_LIMIT).await.map_err(|e| match e {
        OutboundError::Refused(e) | OutboundError::Transport(e) => unavailable(e),
    })?;
    if reply.status != 200 || reply.truncated {
        return Err(unavailable(format!(
            "HTTP {}{}",
            reply.status,
            if reply.truncated { ", too large" } else { "" }
        )));
    }
    serde_json::from_slice(&reply.body).map_err(|e| unavailable(format!("not a JWK set: {e}")))
}

/// The login initiation request a platform sends (query or form).
#[derive(Debug, Clone, serde::Deserialize, utoipa::IntoParams, utoipa::ToSchema)]
pub struct LoginRequest {
    /// The platform's issuer.
    pub iss: String,
    /// The platform's opaque user hint, returned to it unchanged.
    pub login_hint: String,
    /// Where the launch should land (a newslit launch URL).
    pub target_link_uri: String,
    pub lti_message_hint: Option<String>,
    /// newslit's client id at the platform (needed when one issuer registered several).
    pub client_id: Option<String>,
    pub lti_deployment_id: Option<String>,
}

/// Starts a launch: remembers a fresh `state` and `nonce` and returns the platform's
/// authorization URL to send the browser to.
pub async fn login(pool: &PgPool, req: &LoginRequest, redirect_uri: &str) -> Result<Url, ApiError> {
    let found = store::platforms_of(pool, &req.iss, req.client_id.as_deref()).await?;
    let platform = match found.as_slice() {
        [one] => one,
        [] => {
            return Err(ApiError::BadRequest(format!(
                "no LTI platform is registered with issuer {:?}{}",
                req.iss,
                req.client_id
                    .as_ref()
                    .map_or(String::new(), |c| format!(" and client id {c:?}"))
            )))
        }
        _ => {
            return Err(ApiError::invalid(
                "client_id",
                "the issuer has several registrations: name the client id",
            ))
        }
    };
    if let Some(d) = &req.lti_deployment_id {
        if !platform.deployment_ids.contains(d) {
            return Err(ApiError::invalid(
                "lti_deployment_id",
                format!("{d:?} is not registered"),
            ));
        }
    }
    let state = random_token()?;
    let nonce = random_token()?;
    store::begin_login(
        pool,
        &state,
        &nonce,
        platform.id,
        &req.target_link_uri,
        LOGIN_TTL_SECS,
    )
    .await?;
    let mut url = Url::parse(&platform.auth_url).map_err(|e| ApiError::internal(e.to_string()))?;
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("scope", "openid")
            .append_pair("response_type", "id_token")
            .append_pair("response_mode", "form_post")
            .append_pair("prompt", "none")
            .append_pair("client_id", &platform.client_id)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("login_hint", &req.login_hint)
            .append_pair("state", &state)
            .append_pair("nonce", &nonce);
        if let Some(hint) = &req.lti_message_hint {
            q.append_pair("lti_message_hint", hint);
        }
    }
    Ok(url)
}

/// A launch that passed every check, mapped onto newslit.
#[derive(Debug, Clone)]
pub struct Launched {
    pub kind: MessageKind,
    pub platform_id: Uuid,
    pub caller: Caller,
    pub class_id: Uuid,
    /// The assignment to land on (none yet for a teacher on an unlinked placement, or in deep
    /// linking mode).
    pub assignment_id: Option<Uuid>,
    pub claims: IdToken,
}

fn unauthorized(e: impl std::fmt::Display) -> ApiError {
    ApiError::Unauthorized(format!("the launch is refused: {e}"))
}

/// Checks a launch (`id_token` and `state` as the platform posted them) and maps it.
pub async fn launch(
    pool: &PgPool,
    keys: &PlatformKeys,
    outbound: &Outbound,
    id_token: &str,
    state: &str,
) -> Result<Launched, ApiError> {
    let login = store::consume_login(pool, state).await?.ok_or_else(|| {
        unauthorized("the state is unknown, expired or used already; start the launch again")
    })?;
    let platform = store::platform(pool, login.platform_id)
        .await?
        .ok_or_else(|| unauthorized("the platform is no longer registered"))?;
    let header = jsonwebtoken::decode_header(id_token)
        .map_err(|e| unauthorized(format!("the id_token is malformed: {e}")))?;
    if header.alg != Algorithm::RS256 {
        return Err(unauthorized("the id_token must be signed with RS256"));
    }
    let key = keys.key(outbound, &platform, header.kid.as_deref()).await?;
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_issuer(&[&platform.issuer]);
    validation.set_audience(&[&platform.client_id]);
    validation.set_required_spec_claims(&["exp", "iss", "aud"]);
    validation.leeway = LEEWAY_SECS;
    let claims = jsonwebtoken::decode::<IdToken>(id_token, &key, &validation)
        .map_err(|e| unauthorized(format!("the id_token does not verify: {e}")))?
        .claims;
    let now = chrono::Utc::now().timestamp();
    if claims.iat > now + i64::try_from(LEEWAY_SECS).unwrap_or(60) {
        return Err(unauthorized("the id_token was issued in the future"));
    }
    let kind = lti::check(
        &claims,
        &lti::Expected {
            client_id: &platform.client_id,
            deployment_ids: &platform.deployment_ids,
            nonce: &login.nonce,
            target_link_uri: &login.target_link_uri,
        },
    )
    .map_err(unauthorized)?;
    let role = lti::role(&claims.roles).ok_or_else(|| {
        ApiError::Forbidden(
            "newslit is for the course's instructors, teaching assistants and learners".into(),
        )
    })?;
    let sub = claims.sub.clone().unwrap_or_default();
    let subject = lti::subject(platform.id, &sub);
    let caller = Caller {
        id: user_id(&subject),
        subject,
        role,
        name: lti::display_name(&claims),
    };
    store::link_user(pool, platform.id, &sub, &caller).await?;
    let class_id = map_context(pool, &platform, &claims, &caller).await?;
    let assignment_id = match (kind, &claims.resource_link) {
        (MessageKind::ResourceLink, Some(link)) => {
            let candidate = claims
                .custom
                .get(lti::CUSTOM_ASSIGNMENT)
                .and_then(|v| v.as_str())
                .and_then(|s| Uuid::parse_str(s.trim()).ok());
            let ags = claims.ags.clone().unwrap_or_default();
            let found = store::resolve_link(
                pool,
                platform.id,
                &link.id,
                class_id,
                candidate,
                &AgsLinks {
                    lineitems_url: ags.lineitems.as_deref(),
                    lineitem_url: ags.lineitem.as_deref(),
                    scopes: &ags.scope,
                },
            )
            .await?;
            if found.is_none() && role != Role::Teacher {
                return Err(ApiError::Conflict {
                    rule: "lti-link-unset",
                    detail: "no newslit assignment is linked to this placement yet: the instructor picks one first".into(),
                });
            }
            found
        }
        _ => None,
    };
    Ok(Launched {
        kind,
        platform_id: platform.id,
        caller,
        class_id,
        assignment_id,
        claims,
    })
}

/// The class of the launch's course: made (taught by the launching instructor) on an
/// instructor's first launch; a learner or assistant joins it.
async fn map_context(
    pool: &PgPool,
    platform: &PlatformRow,
    claims: &IdToken,
    caller: &Caller,
) -> Result<Uuid, ApiError> {
    let Some(context) = &claims.context else {
        return Err(unauthorized("the launch needs the context claim"));
    };
    let roster = claims.nrps.as_ref().map(|n| n.context_memberships_url.as_str());
    let row = match store::context(pool, platform.id, &context.id, roster).await? {
        Some(row) => row,
        None if caller.role == Role::Teacher => {
            let title: String = context
                .title
                .as_deref()
                .or(context.label.as_deref())
                .unwrap_or("LMS course")
                .trim()
                .chars()
                .take(200)
                .collect();
            let mut tries = 0;
            loop {
                let mut bits = [0u8; 5];
                bits.copy_from_slice(&Uuid::new_v4().as_bytes()[..5]);
                let code = crate::classroom::join_code(bits);
                match store::create_context(pool, platform.id, &context.id, &title, caller.id, &code, roster)
                    .await
                {
                    Ok(row) => break row,
                    Err(sqlx::Error::Database(e)) if e.is_unique_violation() && tries < 5 => tries += 1,
                    Err(e) => return Err(e.into()),
                }
            }
        }
        None => {
            return Err(ApiError::Conflict {
                rule: "lti-course-unset",
                detail: "this course has no newslit class yet: an instructor launches newslit from it first"
                    .into(),
            })
        }
    };
    match caller.role {
        Role::Student | Role::Grader => store::add_member(pool, row.class_id, caller.id, caller.role).await?,
        // An instructor's launch that offers the roster has it read, in the background.
        Role::Teacher if claims.nrps.is_some() => {
            crate::store::lti_services::queue_roster_sync(pool, row.class_id).await?
        }
        Role::Teacher | Role::Admin => {}
    }
    Ok(row.class_id)
}
