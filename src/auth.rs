//! Bearer-token authentication: token keys, claims, roles, and the `AuthUser` extractor that
//! provisions a user row the first time a subject is seen.

use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;
use std::sync::RwLock;

use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::config::{Config, Environment, KeyAlgorithm};
use crate::error::ApiError;
use crate::startup::AppState;
use crate::store;

/// Used only in development when no key is configured; refused in production.
const DEVELOPMENT_SECRET: &str = "newslit-development-secret-never-use-in-production";

/// Namespace of user ids: a user's id is UUIDv5(namespace, token subject).
const USER_NAMESPACE: Uuid = Uuid::from_u128(0x6e65_7773_6c69_7475_7365_7273_0000_0001);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Teacher,
    Student,
    Grader,
    Admin,
}

/// Who may see answer keys and everyone's results: teachers, graders and admins.
pub const STAFF: &[Role] = &[Role::Teacher, Role::Grader, Role::Admin];

/// Who may author and manage (articles, exercises, classes, assignments): teachers and admins.
pub const MANAGERS: &[Role] = &[Role::Teacher, Role::Admin];

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Teacher => "teacher",
            Role::Student => "student",
            Role::Grader => "grader",
            Role::Admin => "admin",
        }
    }

    fn parse(s: &str) -> Option<Role> {
        match s {
            "teacher" => Some(Role::Teacher),
            "student" => Some(Role::Student),
            "grader" => Some(Role::Grader),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// The claims newslit reads from a token. `role` stays a string here so an unknown role is a
/// clear 401 rather than a generic decoding failure.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub role: String,
    pub exp: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("NEWSLIT_ENV=production needs NEWSLIT_JWT_SECRET or NEWSLIT_JWT_PUBLIC_KEY_FILE")]
    NoKeyInProduction,
    #[error("cannot read the public key file {path}: {source}")]
    ReadKey { path: String, source: std::io::Error },
    #[error("the public key is not a valid PEM key for the configured algorithm: {0}")]
    BadKey(jsonwebtoken::errors::Error),
    #[error(
        "tokens are issued by the identity provider whose public key is configured; newslit cannot mint them"
    )]
    CannotMint,
    #[error("cannot sign the token: {0}")]
    Sign(jsonwebtoken::errors::Error),
}

/// How tokens are checked (and, with a shared secret, minted).
pub struct TokenKeys {
    decoding: DecodingKey,
    encoding: Option<EncodingKey>,
    validation: Validation,
    algorithm: Algorithm,
}

impl TokenKeys {
    pub fn from_config(config: &Config) -> Result<Self, KeyError> {
        let (algorithm, decoding, encoding) = if let Some(path) = &config.jwt_public_key_file {
            let pem = std::fs::read(path).map_err(|source| KeyError::ReadKey {
                path: path.display().to_string(),
                source,
            })?;
            let (alg, key) = match config.jwt_algorithm {
                KeyAlgorithm::Rs256 => (Algorithm::RS256, DecodingKey::from_rsa_pem(&pem)),
                KeyAlgorithm::Es256 => (Algorithm::ES256, DecodingKey::from_ec_pem(&pem)),
                KeyAlgorithm::EdDsa => (Algorithm::EdDSA, DecodingKey::from_ed_pem(&pem)),
            };
            (alg, key.map_err(KeyError::BadKey)?, None)
        } else {
            let secret = match &config.jwt_secret {
                Some(s) if !s.is_empty() => s.as_str(),
                _ if config.environment == Environment::Production => {
                    return Err(KeyError::NoKeyInProduction)
                }
                _ => {
                    tracing::warn!(
                        "NEWSLIT_JWT_SECRET is not set: using the built-in DEVELOPMENT secret. Anyone can mint \
                         tokens for this server. Set NEWSLIT_JWT_SECRET (and NEWSLIT_ENV=production) before \
                         real use."
                    );
                    DEVELOPMENT_SECRET
                }
            };
            let bytes = secret.as_bytes();
            (
                Algorithm::HS256,
                DecodingKey::from_secret(bytes),
                Some(EncodingKey::from_secret(bytes)),
            )
        };
        let mut validation = Validation::new(algorithm);
        // Only the configured algorithm is accepted: no `none`, no HS256-with-the-public-key.
        validation.algorithms = vec![algorithm];
        validation.set_required_spec_claims(&["exp", "sub"]);
        validation.validate_nbf = true;
        validation.leeway = 30;
        match &config.jwt_issuer {
            Some(iss) => validation.set_issuer(&[iss]),
            None => validation.iss = None,
        }
        match &config.jwt_audience {
            Some(aud) => validation.set_audience(&[aud]),
            None => validation.validate_aud = false,
        }
        Ok(TokenKeys {
            decoding,
            encoding,
            validation,
            algorithm,
        })
    }

    /// Signs a token for `sub` with `role`, valid for `ttl`.
    pub fn mint(
        &self,
        sub: &str,
        role: Role,
        name: Option<&str>,
        ttl: std::time::Duration,
        config: &Config,
    ) -> Result<String, KeyError> {
        let key = self.encoding.as_ref().ok_or(KeyError::CannotMint)?;
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: sub.to_string(),
            role: role.as_str().to_string(),
            exp: now.saturating_add(i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX)),
            iat: Some(now),
            nbf: None,
            name: name.map(str::to_string),
            iss: config.jwt_issuer.clone(),
            aud: config.jwt_audience.clone(),
        };
        jsonwebtoken::encode(&Header::new(self.algorithm), &claims, key).map_err(KeyError::Sign)
    }

    /// Checks a token and returns its caller.
    pub fn verify(&self, token: &str) -> Result<Caller, ApiError> {
        use jsonwebtoken::errors::ErrorKind;
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation).map_err(|e| {
            let why = match e.kind() {
                ErrorKind::ExpiredSignature => "the token has expired",
                ErrorKind::ImmatureSignature => "the token is not valid yet",
                ErrorKind::InvalidSignature => "the token signature is not valid",
                ErrorKind::InvalidAlgorithm | ErrorKind::InvalidAlgorithmName => {
                    "the token algorithm is not accepted"
                }
                ErrorKind::InvalidIssuer => "the token issuer is not accepted",
                ErrorKind::InvalidAudience => "the token audience is not accepted",
                ErrorKind::MissingRequiredClaim(_) => "the token lacks a required claim (sub, exp, role)",
                _ => "the token is malformed",
            };
            ApiError::Unauthorized(why.to_string())
        })?;
        let claims = data.claims;
        let role = Role::parse(&claims.role).ok_or_else(|| {
            ApiError::Unauthorized(format!(
                "the role {:?} is not one of teacher, student, grader, admin",
                claims.role
            ))
        })?;
        if claims.sub.trim().is_empty() || claims.sub.len() > 255 {
            return Err(ApiError::Unauthorized(
                "the token subject is empty or too long".into(),
            ));
        }
        let name = claims
            .name
            .filter(|n| !n.trim().is_empty())
            .map(|n| n.chars().take(200).collect());
        Ok(Caller {
            id: user_id(&claims.sub),
            subject: claims.sub,
            role,
            name,
        })
    }
}

/// The stable id of the user a token subject names.
pub fn user_id(subject: &str) -> Uuid {
    Uuid::new_v5(&USER_NAMESPACE, subject.as_bytes())
}

/// The authenticated caller of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub id: Uuid,
    pub subject: String,
    pub role: Role,
    pub name: Option<String>,
}

impl Caller {
    /// Refuses (403) a caller whose role is not among `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), ApiError> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            let allowed: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
            Err(ApiError::Forbidden(format!(
                "this needs the role {}; the token's role is {}",
                allowed.join(" or "),
                self.role.as_str()
            )))
        }
    }
}

/// Remembers which (subject, role, name) triples are already stored, so a request costs a
/// database write only the first time a user (or their role or name) is seen.
#[derive(Default)]
pub struct ProvisionedUsers(RwLock<HashSet<(String, Role, Option<String>)>>);

impl ProvisionedUsers {
    fn key(c: &Caller) -> (String, Role, Option<String>) {
        (c.subject.clone(), c.role, c.name.clone())
    }

    fn contains(&self, c: &Caller) -> bool {
        self.0
            .read()
            .map(|set| set.contains(&Self::key(c)))
            .unwrap_or(false)
    }

    fn insert(&self, c: &Caller) {
        if let Ok(mut set) = self.0.write() {
            // Bounded: forgetting only costs one idempotent upsert per user.
            if set.len() > 200_000 {
                set.clear();
            }
            set.insert(Self::key(c));
        }
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer_token(req);
        let writes = !req.method().is_safe();
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::internal("application state is not configured"))?;
            let caller = state.tokens.verify(&token?)?;
            if writes {
                state
                    .writes
                    .check(caller.id)
                    .map_err(|r| ApiError::TooManyRequests {
                        detail: format!(
                            "You may make {} changes a minute; try again in {} s.",
                            r.limit, r.retry_after_secs
                        ),
                        retry_after_secs: r.retry_after_secs,
                        limit: r.limit,
                    })?;
            }
            if !state.users.contains(&caller) {
                store::users::provision(&state.pool, &caller).await?;
                state.users.insert(&caller);
            }
            Ok(caller)
        })
    }
}

fn bearer_token(req: &HttpRequest) -> Result<String, ApiError> {
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
