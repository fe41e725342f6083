//! The application state every handler can reach: the pool, token keys, and the shared
//! counters (metrics, the write rate limit, the provisioned-users cache).

use std::sync::Arc;

use sqlx::PgPool;

use crate::config::Config;
use crate::http::metrics::Metrics;
use crate::http::ratelimit::RateLimiter;
use crate::identity::tokens::TokenKeys;
use crate::lti::keys::{KeyError, ToolKeys};
use crate::service::batcher::Batcher;
use crate::service::lti::PlatformKeys;
use crate::service::lti_services::ServiceTokens;
use crate::service::outbound::Outbound;
use crate::service::versions::ExerciseVersions;
use crate::store::users::ProvisionedUsers;

/// What every handler can reach. Everything but the pool is shared by the whole process; each
/// server worker has a pool of its own ([`AppState::for_worker`], see `http::startup`).
#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub tokens: Arc<TokenKeys>,
    pub users: Arc<ProvisionedUsers>,
    pub metrics: Arc<Metrics>,
    /// The per-user limits every instance shares (write requests, article bytes).
    pub limits: Arc<RateLimiter>,
    /// Immutable exercise versions, decoded and rendered once per process.
    pub versions: Arc<ExerciseVersions>,
    pub config: Config,
    /// newslit's own LTI signing keys (none: LTI is off).
    pub tool_keys: Arc<ToolKeys>,
    /// LTI platforms' public keys, cached per process.
    pub platform_keys: Arc<PlatformKeys>,
    /// Access tokens for LTI platforms' services, cached per process.
    pub service_tokens: Arc<ServiceTokens>,
    /// The one outbound HTTP client (LTI platform calls).
    pub outbound: Outbound,
    /// The worker's group commit of answers over its pool ([`AppState::for_worker`]); `None`
    /// stores each answer on its own.
    pub batcher: Option<Batcher>,
}

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// A duplicate metric name: a bug.
    #[error("cannot register the metrics: {0}")]
    Metrics(#[from] prometheus::Error),
    #[error(transparent)]
    LtiKeys(#[from] KeyError),
    #[error("cannot build the outbound HTTP client: {0}")]
    Outbound(#[from] reqwest::Error),
}

impl AppState {
    /// Fails if the LTI key files cannot be read or the metrics cannot be registered.
    pub fn new(config: Config, pool: PgPool, tokens: TokenKeys) -> Result<Self, StateError> {
        Ok(AppState {
            tool_keys: Arc::new(ToolKeys::from_files(
                config.lti_key_file.as_deref(),
                config.lti_previous_key_file.as_deref(),
            )?),
            platform_keys: Arc::new(PlatformKeys::default()),
            service_tokens: Arc::default(),
            outbound: Outbound::new(&config)?,
            pool,
            tokens: Arc::new(tokens),
            users: Arc::default(),
            metrics: Arc::new(Metrics::new()?),
            limits: Arc::new(RateLimiter::new(&config)),
            versions: Arc::default(),
            batcher: None,
            config,
        })
    }

    /// A server worker's state: its own pool, and a batcher of answers over it, started on the
    /// worker's runtime (call it there).
    pub fn for_worker(&self, pool: PgPool) -> AppState {
        AppState {
            batcher: Some(Batcher::for_pool(pool.clone())),
            pool,
            ..self.clone()
        }
    }
}
