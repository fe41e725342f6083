//! The application state every handler can reach: the pool, token keys, and the shared
//! counters (metrics, the write rate limit, the provisioned-users cache).

use sqlx::PgPool;

use crate::config::Config;
use crate::http::metrics::Metrics;
use crate::http::ratelimit::RateLimiter;
use crate::identity::tokens::TokenKeys;
use crate::store::users::ProvisionedUsers;

/// What every handler can reach.
pub struct AppState {
    pub pool: PgPool,
    pub tokens: TokenKeys,
    pub users: ProvisionedUsers,
    pub metrics: Metrics,
    /// The per-user limits every instance shares (write requests, article bytes).
    pub limits: RateLimiter,
    pub config: Config,
}

impl AppState {
    /// Fails only if the metrics cannot be registered (a duplicate name: a bug).
    pub fn new(config: Config, pool: PgPool, tokens: TokenKeys) -> Result<Self, prometheus::Error> {
        Ok(AppState {
            pool,
            tokens,
            users: ProvisionedUsers::default(),
            metrics: Metrics::new()?,
            limits: RateLimiter::new(&config),
            config,
        })
    }
}
