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
    pub fn new(config: Config, pool: PgPool, tokens: TokenKeys) -> Self {
        AppState {
            pool,
            tokens,
            users: ProvisionedUsers::default(),
            metrics: Metrics::default(),
            limits: RateLimiter::new(&config),
            config,
        }
    }
}
