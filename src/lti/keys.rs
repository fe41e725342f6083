//! newslit's own LTI signing keys (RS256, from PEM files): the current key signs deep linking
//! responses and service-token assertions; the JWKS publishes it and, during a rotation, the
//! previous key too, so a platform holding a cached key set keeps verifying.

use jsonwebtoken::jwk::{Jwk, JwkSet, KeyAlgorithm, PublicKeyUse, ThumbprintHash};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read the LTI key file {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("the LTI key file {path} is not an RSA private key in PEM: {source}")]
    Parse {
        path: String,
        source: jsonwebtoken::errors::Error,
    },
    #[error("LTI is not configured: set NEWSLIT_LTI_KEY_FILE to an RSA private key (PEM)")]
    NotConfigured,
    #[error("cannot sign: {0}")]
    Sign(jsonwebtoken::errors::Error),
}

struct SigningKey {
    key: EncodingKey,
    kid: String,
}

/// The tool's keys: at most one that signs, and every one the JWKS publishes.
pub struct ToolKeys {
    signing: Option<SigningKey>,
    jwks: JwkSet,
}

fn public_jwk(key: &EncodingKey) -> Result<(Jwk, String), jsonwebtoken::errors::Error> {
    let mut jwk = Jwk::from_encoding_key(key, Algorithm::RS256)?;
    // RFC 7638 thumbprint: the same key always has the same kid, on every instance.
    let kid = jwk.thumbprint(ThumbprintHash::SHA256);
    jwk.common.key_id = Some(kid.clone());
    jwk.common.public_key_use = Some(PublicKeyUse::Signature);
    jwk.common.key_algorithm = Some(KeyAlgorithm::RS256);
    Ok((jwk, kid))
}

impl ToolKeys {
    /// No keys: LTI answers that it is not configured.
    pub fn none() -> Self {
        ToolKeys {
            signing: None,
            jwks: JwkSet { keys: Vec::new() },
        }
    }

    /// The current key (signs, published first) and an optional previous one (published only).
    pub fn from_pem(current: &[u8], previous: Option<&[u8]>) -> Result<Self, jsonwebtoken::errors::Error> {
        let key = EncodingKey::from_rsa_pem(current)?;
        let (jwk, kid) = public_jwk(&key)?;
        let mut keys = vec![jwk];
        if let Some(prev) = previous {
            let (old, old_kid) = public_jwk(&EncodingKey::from_rsa_pem(prev)?)?;
            if old_kid != kid {
                keys.push(old);
            }
        }
        Ok(ToolKeys {
            signing: Some(SigningKey { key, kid }),
            jwks: JwkSet { keys },
        })
    }

    pub fn from_files(
        current: Option<&std::path::Path>,
        previous: Option<&std::path::Path>,
    ) -> Result<Self, KeyError> {
        let Some(current) = current else {
            return Ok(ToolKeys::none());
        };
        let read = |path: &std::path::Path| {
            std::fs::read(path).map_err(|source| KeyError::Read {
                path: path.display().to_string(),
                source,
            })
        };
        let pem = read(current)?;
        let old = previous.map(read).transpose()?;
        ToolKeys::from_pem(&pem, old.as_deref()).map_err(|source| KeyError::Parse {
            path: match previous {
                Some(p) => format!("{} (or {})", current.display(), p.display()),
                None => current.display().to_string(),
            },
            source,
        })
    }

    pub fn configured(&self) -> bool {
        self.signing.is_some()
    }

    /// The public key set platforms fetch.
    pub fn jwks(&self) -> &JwkSet {
        &self.jwks
    }

    /// Signs `claims` with the current key (RS256, its `kid` in the header).
    pub fn sign<T: Serialize>(&self, claims: &T) -> Result<String, KeyError> {
        let signing = self.signing.as_ref().ok_or(KeyError::NotConfigured)?;
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(signing.kid.clone());
        jsonwebtoken::encode(&header, claims, &signing.key).map_err(KeyError::Sign)
    }
}
