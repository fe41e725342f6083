//! Token keys: how bearer tokens are checked and, with a shared secret, minted.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::config::{Config, Environment, KeyAlgorithm};
use crate::http::error::ApiError;
use crate::identity::{user_id, Caller, Role};

/// Used only in development when no key is configured; refused in production.
const DEVELOPMENT_SECRET: &str = "newslit-development-secret-never-use-in-production";

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
    /// One audience or several (RFC 7519 allows both).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<Audience>,
}

/// The `aud` claim: a string or an array of strings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Audience {
    One(String),
    Many(Vec<String>),
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
                Some(s) if !s.expose().is_empty() => s.expose(),
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
        // A configured issuer or audience is required, not merely checked when present.
        let mut required = vec!["exp", "sub"];
        validation.validate_nbf = true;
        validation.leeway = config.jwt_leeway_secs;
        match &config.jwt_issuer {
            Some(iss) => {
                validation.set_issuer(&[iss]);
                required.push("iss");
            }
            None => validation.iss = None,
        }
        match &config.jwt_audience {
            Some(aud) => {
                validation.set_audience(&[aud]);
                required.push("aud");
            }
            None => validation.validate_aud = false,
        }
        validation.set_required_spec_claims(&required);
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
            aud: config.jwt_audience.clone().map(Audience::One),
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
                ErrorKind::MissingRequiredClaim(claim) => {
                    return ApiError::Unauthorized(format!("the token lacks the required claim {claim:?}"))
                }
                _ => "the token is malformed",
            };
            ApiError::Unauthorized(why.to_string())
        })?;
        let claims = data.claims;
        // Claims end up in the database: refuse text PostgreSQL cannot store, naming the claim.
        crate::http::input::storable("token.sub", &claims.sub)?;
        if let Some(name) = &claims.name {
            crate::http::input::storable("token.name", name)?;
        }
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
