//! Service configuration, read from environment variables (or the matching flags).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

/// Everything the service reads from its environment. Each field names its variable.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address and port to listen on.
    #[arg(long, env = "NEWSLIT_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// PostgreSQL connection URL; the database is created if missing. Unset:
    /// postgres://postgres@127.0.0.1:5432/newslit, and for `serve`, when nothing answers there,
    /// a private cluster of its own (see NEWSLIT_PRIVATE_PG_DIR).
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<Secret>,

    /// Data folder of the private PostgreSQL cluster `serve` starts when no DATABASE_URL is
    /// given and nothing answers on 127.0.0.1:5432 (default: newslit-postgres-<uid> in the
    /// temporary folder). Kept between runs.
    #[arg(long, env = "NEWSLIT_PRIVATE_PG_DIR")]
    pub private_pg_dir: Option<PathBuf>,

    /// Maximum number of pooled database connections of the instance, split evenly over the
    /// server's workers (each has a pool of its own).
    #[arg(long, env = "NEWSLIT_DB_POOL_SIZE", default_value_t = 16)]
    pub db_pool_size: u32,

    /// How long a request waits for a free database connection before answering 503.
    #[arg(long, env = "NEWSLIT_DB_ACQUIRE_TIMEOUT_MS", default_value_t = 2000)]
    pub db_acquire_timeout_ms: u64,

    /// HTTP worker threads (0: one per core).
    #[arg(long, env = "NEWSLIT_WORKERS", default_value_t = 0)]
    pub workers: usize,

    /// Log line format.
    #[arg(long, env = "NEWSLIT_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    /// Log filter, in `tracing` env-filter syntax (e.g. `info,newslit=debug`).
    #[arg(long, env = "NEWSLIT_LOG", default_value = "info")]
    pub log: String,

    /// `production` refuses to start without a configured token key.
    #[arg(long, env = "NEWSLIT_ENV", value_enum, default_value_t = Environment::Development)]
    pub environment: Environment,

    /// Shared secret for HS256 tokens.
    #[arg(long, env = "NEWSLIT_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<Secret>,

    /// PEM public key file of an external identity provider (RS256, ES256 or EdDSA tokens).
    #[arg(long, env = "NEWSLIT_JWT_PUBLIC_KEY_FILE")]
    pub jwt_public_key_file: Option<PathBuf>,

    /// Algorithm of the tokens signed with the public key's private half.
    #[arg(long, env = "NEWSLIT_JWT_ALGORITHM", value_enum, default_value_t = KeyAlgorithm::Rs256)]
    pub jwt_algorithm: KeyAlgorithm,

    /// When set, tokens must carry this `iss`.
    #[arg(long, env = "NEWSLIT_JWT_ISSUER")]
    pub jwt_issuer: Option<String>,

    /// When set, tokens must carry this `aud`.
    #[arg(long, env = "NEWSLIT_JWT_AUDIENCE")]
    pub jwt_audience: Option<String>,

    /// Seconds of clock skew allowed when checking a token's `exp` and `nbf`.
    #[arg(long, env = "NEWSLIT_JWT_LEEWAY_SECS", default_value_t = 30)]
    pub jwt_leeway_secs: u64,

    /// Bearer token that `GET /metrics` requires. Unset: metrics are open on a separate
    /// metrics listener, or (development only) on the public one.
    #[arg(long, env = "NEWSLIT_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,

    /// A separate address serving only `GET /metrics` (for a scraper on a private network).
    /// When set, the public listener does not serve metrics.
    #[arg(long, env = "NEWSLIT_METRICS_LISTEN")]
    pub metrics_listen: Option<SocketAddr>,

    /// Largest accepted request body, in bytes.
    #[arg(long, env = "NEWSLIT_BODY_LIMIT", default_value_t = 1024 * 1024)]
    pub body_limit: usize,

    /// Comma-separated origins allowed to call the API from a browser (`*` for any).
    #[arg(long, env = "NEWSLIT_CORS_ORIGINS", value_delimiter = ',', default_value = "")]
    pub cors_origins: Vec<String>,

    /// Write requests (POST, PUT, PATCH, DELETE) allowed per user per minute; 0 turns the limit off.
    #[arg(long, env = "NEWSLIT_RATE_LIMIT_WRITES_PER_MINUTE", default_value_t = 600)]
    pub rate_limit_writes_per_minute: u32,

    /// Bytes of article text each user may add per day (refilled continuously); 0 turns the budget off.
    #[arg(long, env = "NEWSLIT_ARTICLE_BYTES_PER_DAY", default_value_t = 16 * 1024 * 1024)]
    pub article_bytes_per_day: u64,

    /// Whether `serve` creates and migrates the database and loads the seeds before serving
    /// (`false` when a deploy pipeline runs `newslit migrate` first).
    #[arg(long, env = "NEWSLIT_MIGRATE", default_value_t = true, action = clap::ArgAction::Set)]
    pub migrate: bool,

    /// Prepared statements each database connection keeps (0 behind a pooler in transaction
    /// mode, such as PgBouncer's, which cannot keep them).
    #[arg(long, env = "NEWSLIT_DB_STATEMENT_CACHE", default_value_t = 100)]
    pub db_statement_cache: usize,

    /// A folder of seed articles (`*.txt`) loaded at start as well as the built-in ones; a file
    /// named like a built-in seed replaces it.
    #[arg(long, env = "NEWSLIT_SEED_DIR")]
    pub seed_dir: Option<PathBuf>,

    /// Whether the seed articles built into the binary are loaded at start (`false`: only the
    /// files of `NEWSLIT_SEED_DIR`, if any).
    #[arg(long, env = "NEWSLIT_BUILTIN_SEEDS", default_value_t = true, action = clap::ArgAction::Set)]
    pub builtin_seeds: bool,

    /// How often an idle outbox worker looks for due events, in milliseconds.
    #[arg(long, env = "NEWSLIT_OUTBOX_POLL_MS", default_value_t = 1000)]
    pub outbox_poll_ms: u64,

    /// First retry delay of a failed delivery, in milliseconds; doubled per attempt (with jitter)
    /// up to an hour.
    #[arg(long, env = "NEWSLIT_OUTBOX_RETRY_BASE_MS", default_value_t = 5000)]
    pub outbox_retry_base_ms: u64,

    /// Attempts per event before it is given up (about a day at the default base).
    #[arg(long, env = "NEWSLIT_OUTBOX_MAX_ATTEMPTS", default_value_t = 30)]
    pub outbox_max_attempts: u32,

    /// A webhook subscription is disabled after this many failed deliveries in a row ...
    #[arg(long, env = "NEWSLIT_WEBHOOK_DISABLE_AFTER_FAILURES", default_value_t = 20)]
    pub webhook_disable_after_failures: u32,

    /// ... that span at least this many seconds (sustained, not a blip).
    #[arg(long, env = "NEWSLIT_WEBHOOK_DISABLE_AFTER_SECS", default_value_t = 24 * 3600)]
    pub webhook_disable_after_secs: u64,

    /// Timeout of one outbound HTTP request (webhook delivery, LTI platform call), milliseconds.
    #[arg(long, env = "NEWSLIT_OUTBOUND_TIMEOUT_MS", default_value_t = 10_000)]
    pub outbound_timeout_ms: u64,

    /// Allow outbound HTTP to loopback and private addresses, and plain `http://` URLs. Off in
    /// production; tests and local development against a local receiver turn it on.
    #[arg(long, env = "NEWSLIT_OUTBOUND_ALLOW_PRIVATE", default_value_t = false, action = clap::ArgAction::Set)]
    pub outbound_allow_private: bool,

    /// The service's public base URL as browsers and LMSs reach it (e.g.
    /// `https://newslit.example.org`); the LTI launch, login and key set URLs hang off it. Unset:
    /// taken from each request's Host and scheme.
    #[arg(long, env = "NEWSLIT_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// newslit's LTI 1.3 signing key: an RSA private key in PEM. Unset: LTI is off.
    #[arg(long, env = "NEWSLIT_LTI_KEY_FILE")]
    pub lti_key_file: Option<PathBuf>,

    /// The LTI key being rotated out: still published in the key set, no longer signing.
    #[arg(long, env = "NEWSLIT_LTI_PREVIOUS_KEY_FILE")]
    pub lti_previous_key_file: Option<PathBuf>,

    /// Where a finished LTI launch sends the browser: the front-end, given the newslit token and
    /// the assignment in the URL fragment. Unset: the launch answers with JSON.
    #[arg(long, env = "NEWSLIT_LTI_FRONTEND_URL")]
    pub lti_frontend_url: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Environment {
    Development,
    Production,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KeyAlgorithm {
    #[value(name = "RS256")]
    Rs256,
    #[value(name = "ES256")]
    Es256,
    #[value(name = "EdDSA")]
    EdDsa,
}

/// The database when no `DATABASE_URL` is given (and something answers there).
pub const DEFAULT_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/newslit";

impl Config {
    /// The PostgreSQL URL: the configured one, else [`DEFAULT_DATABASE_URL`].
    pub fn db_url(&self) -> &str {
        self.database_url
            .as_ref()
            .map_or(DEFAULT_DATABASE_URL, Secret::expose)
    }

    /// The configuration from environment variables and defaults alone, with no flags.
    pub fn from_env() -> Self {
        #[derive(clap::Parser)]
        struct Only {
            #[command(flatten)]
            config: Config,
        }
        // Parsing an empty command line cannot fail: every field has a default or is optional.
        #[allow(clippy::expect_used)]
        let only = <Only as clap::Parser>::try_parse_from(["newslit"]).expect("an empty command line parses");
        only.config
    }
}

/// A secret setting (the token secret, the database URL with its password): `Debug` and
/// `Display` never print it; [`Secret::expose`] is the one way to read it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Secret(s.to_string()))
    }
}

#[cfg(test)]
mod secret_tests {
    use super::Secret;

    #[test]
    fn a_secret_never_prints() {
        let s = Secret::new("hunter2");
        assert!(!format!("{s:?} {s}").contains("hunter2"));
        assert_eq!(s.expose(), "hunter2");
    }
}

#[cfg(test)]
mod readme_tests {
    use clap::Args;

    #[test]
    fn every_environment_variable_is_in_the_readme_table() {
        let readme = include_str!("../README.md");
        let command = super::Config::augment_args(clap::Command::new("newslit"));
        let missing: Vec<String> = command
            .get_arguments()
            .filter_map(|a| a.get_env())
            .map(|e| e.to_string_lossy().into_owned())
            .filter(|e| !readme.contains(&format!("| `{e}` |")))
            .collect();
        assert!(command.get_arguments().count() > 30);
        assert!(missing.is_empty(), "not in the README's table: {missing:?}");
    }
}
