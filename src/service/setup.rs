//! Start-up work that must happen once however many instances start together: create the
//! database, apply migrations, load the seeds — all under one PostgreSQL advisory lock, so the
//! first instance does the work and the others wait for it, then find nothing left to do.

use sqlx::PgPool;

use crate::config::Config;
use crate::service::{catalogue, seed};
use crate::store::pool::{self as db, SetupLock};

/// What the set-up did with the seeds.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SetupReport {
    pub seeds: Option<seed::SeedReport>,
    /// Stored analyses refreshed by a newer analyzer when no seed folder was loaded.
    pub refreshed: usize,
}

/// Creates the database if missing, migrates it and loads the seeds (the built-in ones and
/// `config.seed_dir`), holding the set-up lock throughout (`pool` does the seeding).
pub async fn run(config: &Config, pool: &PgPool) -> anyhow::Result<SetupReport> {
    db::ensure_database(config).await?;
    let mut lock = SetupLock::acquire(config).await?;
    let outcome = async {
        lock.migrate().await?;
        load_seeds(pool, config).await
    }
    .await;
    // The lock goes with its connection if releasing fails.
    if let Err(e) = lock.release().await {
        tracing::warn!(error = %e, "could not release the set-up lock; it ends with the connection");
    }
    outcome
}

/// Loads the configured seeds (which also refreshes analyses a newer analyzer would change).
async fn load_seeds(pool: &PgPool, config: &Config) -> anyhow::Result<SetupReport> {
    let seeds = seed::SeedSet::configured(config.builtin_seeds, config.seed_dir.as_deref())?;
    if seeds.is_empty() {
        let refreshed = catalogue::refresh_stale(pool).await?;
        tracing::info!(
            refreshed,
            "no seed articles configured; stored analyses brought up to date"
        );
        return Ok(SetupReport {
            seeds: None,
            refreshed,
        });
    }
    let report = seed::load(pool, &seeds).await?;
    tracing::info!(
        builtin = config.builtin_seeds,
        dir = ?config.seed_dir,
        files = ?seeds.names().collect::<Vec<_>>(),
        added = report.added,
        new_versions = report.new_versions,
        unchanged = report.unchanged,
        reanalyzed = report.reanalyzed,
        compare_exercises = report.compare_exercises,
        "seed articles loaded"
    );
    Ok(SetupReport {
        seeds: Some(report),
        refreshed: 0,
    })
}
