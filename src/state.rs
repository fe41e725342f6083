//! The application state every handler can reach: the pool, token keys, and the shared
//! counters (metrics, the write rate limit, the provisioned-users cache).

use std::sync::Arc;

use sqlx::PgPool;

use crate::config::Config;
use crate::http::metrics::Metrics;
use crate::http::ratelimit::RateLimiter;
use crate::identity::tokens::TokenKeys;
use crate::service::versions::ExerciseVersions;
use crate::store::users::ProvisionedUsers;

/// What every handler can reach. Everything but the pool is shared by the whole process; each
/// server worker has a pool of its own ([`AppState::with_pool`], see `http::startup`).
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
}

impl AppState {
    /// Fails only if the metrics cannot be registered (a duplicate name: a bug).
    pub fn new(config: Config, pool: PgPool, tokens: TokenKeys) -> Result<Self, prometheus::Error> {
        Ok(AppState {
            pool,
            tokens: Arc::new(tokens),
            users: Arc::default(),
            metrics: Arc::new(Metrics::new()?),
            limits: Arc::new(RateLimiter::new(&config)),
            versions: Arc::default(),
            config,
        })
    }

    /// The same shared state over another pool.
    pub fn with_pool(&self, pool: PgPool) -> AppState {
        AppState { pool, ..self.clone() }
    }
}
