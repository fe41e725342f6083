//! The database: created if missing, migrated with the migrations embedded in the binary, under
//! an advisory lock so that instances starting together migrate once.

use std::time::Duration;

use sqlx::migrate::MigrateDatabase;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, PgConnection, PgPool, Postgres};

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
    Ok(pool_with(config, connect_options(config)?))
}

/// The connection settings: the URL's, with the configured statement cache.
pub fn connect_options(config: &Config) -> Result<PgConnectOptions, DbError> {
    let options: PgConnectOptions = config.db_url().parse().map_err(DbError::Url)?;
    Ok(options.statement_cache_capacity(config.db_statement_cache))
}

/// How long a connection may have waited in the pool before it is pinged on being handed out.
const PING_AFTER_IDLE: Duration = Duration::from_secs(1);

pub fn pool_with(config: &Config, options: PgConnectOptions) -> PgPool {
    PgPoolOptions::new()
        .max_connections(config.db_pool_size.max(1))
        .min_connections(0)
        .acquire_timeout(Duration::from_millis(config.db_acquire_timeout_ms.max(1)))
        // A connection that died with the server is noticed before a request gets it: one
        // that has waited in the pool a while is pinged first. One handed back moments ago is
        // not (the pool pinged it on its way back, and a ping per request is a round trip to
        // PostgreSQL per request, as many as the query itself costs a one-statement read).
        .test_before_acquire(false)
        .before_acquire(|conn, meta| {
            Box::pin(async move {
                if meta.idle_for >= PING_AFTER_IDLE {
                    conn.ping().await?;
                }
                Ok(true)
            })
        })
        .connect_lazy_with(options)
}

/// Creates the database when missing. Instances starting together may all try: losing that
/// race (PostgreSQL reports the name as taken) is success, since the database now exists.
pub async fn ensure_database(config: &Config) -> Result<(), DbError> {
    let url = config.db_url();
    let failed = |source| DbError::Connect {
        url: redact(url),
        source,
    };
    if Postgres::database_exists(url).await.map_err(failed)? {
        return Ok(());
    }
    tracing::info!(database = %redact(url), "creating database");
    match Postgres::create_database(url).await {
        Ok(()) => Ok(()),
        // 42P04 duplicate_database; 23505 when both reached the catalogue's unique index.
        Err(sqlx::Error::Database(e)) if matches!(e.code().as_deref(), Some("42P04" | "23505")) => {
            tracing::info!(database = %redact(url), "another instance created the database first");
            Ok(())
        }
        Err(e) => Err(failed(e)),
    }
}

/// One session-level advisory lock serializes migrating and seeding across instances.
pub const SETUP_LOCK: i64 = 0x6e65_7773_6c69_7401;

/// A connection of its own holding [`SETUP_LOCK`] until [`SetupLock::release`]; while it is
/// held, [`SetupLock::migrate`] applies pending migrations on it.
///
/// A session lock needs a session: run this against PostgreSQL itself, not through a pooler in
/// transaction mode (`newslit migrate` with a direct `DATABASE_URL`, then `serve` with
/// `NEWSLIT_MIGRATE=false` through the pooler).
pub struct SetupLock {
    conn: PgConnection,
}

impl SetupLock {
    pub async fn acquire(config: &Config) -> Result<SetupLock, DbError> {
        let url = config.db_url();
        let failed = |source| DbError::Connect {
            url: redact(url),
            source,
        };
        let options = connect_options(config)?;
        let mut conn = PgConnection::connect_with(&options).await.map_err(failed)?;
        sqlx::query!("SELECT pg_advisory_lock($1)", SETUP_LOCK)
            .fetch_one(&mut conn)
            .await
            .map_err(failed)?;
        Ok(SetupLock { conn })
    }

    pub async fn migrate(&mut self) -> Result<(), DbError> {
        MIGRATOR.run_direct(&mut self.conn).await?;
        Ok(())
    }

    pub async fn release(mut self) -> Result<(), sqlx::Error> {
        sqlx::query!("SELECT pg_advisory_unlock($1)", SETUP_LOCK)
            .fetch_one(&mut self.conn)
            .await?;
        self.conn.close().await
    }
}

/// The readiness probe: one round trip to the database.
pub async fn ping(pool: &PgPool) -> Result<(), sqlx::Error> {
    sqlx::query!("SELECT 1 AS one").fetch_one(pool).await.map(|_| ())
}

/// Creates the database when missing and applies pending migrations, under [`SETUP_LOCK`].
pub async fn prepare(config: &Config) -> Result<(), DbError> {
    ensure_database(config).await?;
    let mut lock = SetupLock::acquire(config).await?;
    lock.migrate().await?;
    lock.release().await.map_err(|source| DbError::Connect {
        url: redact(config.db_url()),
        source,
    })?;
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
