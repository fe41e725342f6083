//! The database: created if missing, migrated with the migrations embedded in the binary.

use std::time::Duration;

use sqlx::migrate::MigrateDatabase;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Postgres};

use crate::config::Config;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("DATABASE_URL is not a valid PostgreSQL URL: {0}")]
    Url(sqlx::Error),
    #[error("cannot reach PostgreSQL at {url}: {source}")]
    Connect { url: String, source: sqlx::Error },
    #[error("cannot apply migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// A pool that connects on demand: the service starts and answers `/health` even while the
/// database is away, and recovers by itself when it comes back.
pub fn pool(config: &Config) -> Result<PgPool, DbError> {
    let options: PgConnectOptions = config.database_url.parse().map_err(DbError::Url)?;
    Ok(pool_with(config, options))
}

pub fn pool_with(config: &Config, options: PgConnectOptions) -> PgPool {
    PgPoolOptions::new()
        .max_connections(config.db_pool_size.max(1))
        .min_connections(0)
        .acquire_timeout(Duration::from_millis(config.db_acquire_timeout_ms.max(1)))
        // A connection that died with the server is noticed before a request gets it.
        .test_before_acquire(true)
        .connect_lazy_with(options)
}

/// Creates the database when missing and applies pending migrations.
pub async fn prepare(config: &Config, pool: &PgPool) -> Result<(), DbError> {
    let url = &config.database_url;
    let exists = Postgres::database_exists(url)
        .await
        .map_err(|source| DbError::Connect {
            url: redact(url),
            source,
        })?;
    if !exists {
        tracing::info!(database = %redact(url), "creating database");
        Postgres::create_database(url)
            .await
            .map_err(|source| DbError::Connect {
                url: redact(url),
                source,
            })?;
    }
    MIGRATOR.run(pool).await?;
    Ok(())
}

/// The URL without its password, for logs and messages.
pub fn redact(url: &str) -> String {
    match url
        .split_once("://")
        .and_then(|(scheme, rest)| rest.split_once('@').map(|(cred, host)| (scheme, cred, host)))
    {
        Some((scheme, cred, host)) => {
            let user = cred.split(':').next().unwrap_or("");
            format!("{scheme}://{user}@{host}")
        }
        None => url.to_string(),
    }
}
