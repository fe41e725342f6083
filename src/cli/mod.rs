//! Command line: `newslit [serve|migrate|openapi|token|analyze|eval-attributions|...]`.

use std::io::{Read, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};

use crate::analysis;
use crate::articles::ArticleText;
use crate::config::Config;
use crate::http::startup;
use crate::identity::{tokens::TokenKeys, Role};
use crate::service::{seed, setup};
use crate::state::AppState;
use crate::store::pool as db;
use crate::store::private_pg::{self, PrivateCluster};

pub mod telemetry;

#[derive(Debug, Parser)]
#[command(
    name = "newslit",
    version,
    about = "Media-literacy exercises from news articles"
)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP service (the default): creates and migrates the database, loads the seeds.
    Serve,
    /// Create the database if missing, apply pending migrations and load the seeds, then exit.
    Migrate,
    /// Print the OpenAPI document.
    Openapi,
    /// Print a token signed with the configured secret, for local use and front-end development.
    Token {
        #[arg(long, value_enum)]
        role: Role,
        /// The user's stable identifier (the token's `sub`).
        #[arg(long)]
        sub: String,
        /// Display name.
        #[arg(long)]
        name: Option<String>,
        /// Lifetime: seconds, or a number with s, m, h or d.
        #[arg(long, default_value = "8h", value_parser = parse_ttl)]
        ttl: std::time::Duration,
    },
    /// Run a command with DATABASE_URL pointing at PostgreSQL, starting a private cluster for
    /// it when none is configured or answering (what `cargo test` runs test binaries through).
    #[command(hide = true)]
    WithPostgres {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, required = true)]
        command: Vec<std::ffi::OsString>,
    },
    /// Load the seed articles into the database: the built-in ones (unless
    /// NEWSLIT_BUILTIN_SEEDS=false) and those of DIR (default: NEWSLIT_SEED_DIR).
    Seed { dir: Option<PathBuf> },
    /// Print the exercises generated from an article file, as JSON (for authors and tests).
    Exercises {
        /// An article file; `-` reads standard input.
        file: PathBuf,
    },
    /// Print the analysis of articles (files, or `-` for standard input) as JSON or text.
    Analyze {
        /// Article files; `-` or none reads standard input.
        files: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
    /// Score the analyzer against a PolNeAR-layout folder (`text/`, `attributions/`).
    EvalAttributions {
        /// Gold folder, e.g. ../shared/polnear/dev
        gold_dir: PathBuf,
        /// Also write one `<name>.json` prediction per article here, for the reference scorer.
        #[arg(long)]
        pred_out: Option<PathBuf>,
        /// Print the figures as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Json,
    Text,
}

/// Reads the named files, or standard input for `-` or no names, as (label, text) pairs.
fn read_inputs(files: &[PathBuf]) -> anyhow::Result<Vec<(String, String)>> {
    if files.is_empty() || files.iter().all(|f| f.as_os_str() == "-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("reading standard input")?;
        return Ok(vec![("-".to_string(), text)]);
    }
    files
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(f).with_context(|| format!("reading {}", f.display()))?;
            Ok((f.display().to_string(), text))
        })
        .collect()
}

pub fn analyze(files: &[PathBuf], format: Format) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    // One buffer for every article's output, written whole per article.
    let mut buf = Vec::new();
    for (_, text) in read_inputs(files)? {
        let analysis = analysis::analyze(&text);
        buf.clear();
        match format {
            Format::Json => {
                serde_json::to_writer(&mut buf, &analysis)?;
                buf.push(b'\n');
            }
            Format::Text => buf.extend_from_slice(analysis::render_text(&text, &analysis).as_bytes()),
        }
        stdout.write_all(&buf)?;
    }
    stdout.flush()?;
    Ok(())
}

pub fn eval_attributions(
    gold_dir: &std::path::Path,
    pred_out: Option<&std::path::Path>,
    json: bool,
) -> anyhow::Result<()> {
    let report = analysis::eval::evaluate(gold_dir, pred_out)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{report}");
    }
    Ok(())
}

fn parse_ttl(s: &str) -> Result<std::time::Duration, String> {
    let s = s.trim();
    let (digits, unit) = match s.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => s.split_at(i),
        None => (s, "s"),
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("{s:?} is not a duration like 90s, 30m, 8h or 7d"))?;
    let secs = match unit {
        "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        "d" => n * 86_400,
        _ => return Err(format!("unknown unit {unit:?}: use s, m, h or d")),
    };
    Ok(std::time::Duration::from_secs(secs))
}

/// Serves until SIGTERM or SIGINT; in-flight requests finish first. Unless told not to
/// (`NEWSLIT_MIGRATE=false`), first creates and migrates the database and loads the seeds, once
/// across all instances starting together.
pub async fn serve(mut config: Config) -> anyhow::Result<()> {
    telemetry::init(&config);
    let cluster = private_database(&mut config)?;
    let tokens = TokenKeys::from_config(&config)?;
    let pool = db::pool(&config)?;
    if config.migrate {
        setup::run(&config, &pool).await?;
    } else {
        tracing::info!("NEWSLIT_MIGRATE=false: serving without migrating or seeding");
    }
    let listener = std::net::TcpListener::bind(config.listen)
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    tracing::info!(address = %listener.local_addr()?, database = %db::redact(config.db_url()), "newslit is listening");
    startup::run(listener, AppState::new(config, pool, tokens)?)?.await?;
    if let Some(mut cluster) = cluster {
        cluster.stop()?;
    }
    tracing::info!("stopped");
    Ok(())
}

/// With no `DATABASE_URL` and nothing answering on 127.0.0.1:5432, starts a private cluster
/// from the installed PostgreSQL binaries and points `config` at it.
fn private_database(config: &mut Config) -> anyhow::Result<Option<PrivateCluster>> {
    if config.database_url.is_some() || private_pg::answers(private_pg::DEFAULT_SERVER) {
        return Ok(None);
    }
    let dir = config
        .private_pg_dir
        .clone()
        .unwrap_or_else(private_pg::default_data_dir);
    tracing::info!(
        data = %dir.display(),
        "no DATABASE_URL and nothing answers on {}: starting a private PostgreSQL cluster",
        private_pg::DEFAULT_SERVER
    );
    let cluster = PrivateCluster::start(&dir)?;
    config.database_url = Some(crate::config::Secret::new(cluster.url("newslit")));
    Ok(Some(cluster))
}

pub async fn seed_command(config: Config, dir: Option<PathBuf>) -> anyhow::Result<()> {
    telemetry::init(&config);
    let pool = db::pool(&config)?;
    db::ensure_database(&config).await?;
    let mut lock = db::SetupLock::acquire(&config).await?;
    lock.migrate().await?;
    let dir = dir.or_else(|| config.seed_dir.clone());
    let report = match seed::SeedSet::configured(config.builtin_seeds, dir.as_deref()) {
        Ok(seeds) => seed::load(&pool, &seeds).await,
        Err(e) => Err(e),
    };
    lock.release().await?;
    let report = report?;
    println!(
        "{}: {} added, {} new versions, {} unchanged, {} comparison exercises",
        seed_origin(&config, dir.as_deref()),
        report.added,
        report.new_versions,
        report.unchanged,
        report.compare_exercises
    );
    Ok(())
}

pub fn exercises(file: &std::path::Path) -> anyhow::Result<()> {
    let (_, text) = read_inputs(&[file.to_path_buf()])?
        .into_iter()
        .next()
        .context("no input")?;
    let text = ArticleText::parse(text).context("the article is empty")?;
    let analysis = analysis::analyze(text.as_str());
    let hash = text.content_hash();
    let generated = crate::exercises::generate(&crate::exercises::ArticleRef {
        content_hash: &hash,
        title: &analysis.title,
        text: text.as_str(),
        analysis: &analysis,
    });
    println!("{}", serde_json::to_string_pretty(&generated)?);
    Ok(())
}

/// For deploy pipelines: create and migrate the database and load the seeds (what `serve` does
/// first by default), then exit.
pub async fn migrate(config: Config) -> anyhow::Result<()> {
    telemetry::init(&config);
    let pool = db::pool(&config)?;
    let report = setup::run(&config, &pool).await?;
    pool.close().await;
    let seeds = match report.seeds {
        Some(s) => format!(
            "seeds from {}: {} added, {} new versions, {} unchanged",
            seed_origin(&config, config.seed_dir.as_deref()),
            s.added,
            s.new_versions,
            s.unchanged
        ),
        None => "no seed articles configured".to_string(),
    };
    println!("database {} is up to date; {seeds}", db::redact(config.db_url()));
    Ok(())
}

/// Where the loaded seeds came from, for the command's summary line.
fn seed_origin(config: &Config, dir: Option<&std::path::Path>) -> String {
    match (config.builtin_seeds, dir) {
        (true, Some(d)) => format!("the built-in set and {}", d.display()),
        (true, None) => "the built-in set".to_string(),
        (false, Some(d)) => d.display().to_string(),
        (false, None) => "nowhere".to_string(),
    }
}

/// Runs `command` with `DATABASE_URL` pointing at a PostgreSQL server: as it is when
/// `DATABASE_URL` is set or something answers on 127.0.0.1:5432, else at the `postgres` database
/// of a private cluster started for this run in a fresh temporary folder, stopped and removed
/// afterwards. Cargo runs the test binaries through it (`.cargo/config.toml`), so `cargo test`
/// needs no PostgreSQL set-up. Returns the command's exit code.
pub fn with_postgres(command: &[std::ffi::OsString]) -> anyhow::Result<i32> {
    let (program, args) = command.split_first().context("with-postgres needs a command")?;
    let mut child = std::process::Command::new(program);
    child.args(args);
    if std::env::var_os("DATABASE_URL").is_some() || private_pg::answers(private_pg::DEFAULT_SERVER) {
        use std::os::unix::process::CommandExt;
        return Err(child.exec()).with_context(|| format!("cannot run {program:?}"));
    }
    let dir = std::env::temp_dir().join(format!("newslit-test-postgres-{}", std::process::id()));
    eprintln!(
        "newslit: nothing answers on {} and DATABASE_URL is unset: the tests get a private PostgreSQL cluster in {}",
        private_pg::DEFAULT_SERVER,
        dir.display()
    );
    let mut cluster = PrivateCluster::start(&dir)?;
    let status = child.env("DATABASE_URL", cluster.url("postgres")).status();
    cluster.stop()?;
    std::fs::remove_dir_all(&dir).with_context(|| format!("cannot remove {}", dir.display()))?;
    let status = status.with_context(|| format!("cannot run {program:?}"))?;
    Ok(status.code().unwrap_or(1))
}

pub fn openapi() -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(&startup::openapi())?);
    Ok(())
}

pub fn token(
    config: &Config,
    role: Role,
    sub: &str,
    name: Option<&str>,
    ttl: std::time::Duration,
) -> anyhow::Result<()> {
    telemetry::init(config);
    let keys = TokenKeys::from_config(config)?;
    println!("{}", keys.mint(sub, role, name, ttl, config)?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::parse_ttl;

    #[test]
    fn ttl_accepts_units_and_refuses_nonsense() {
        assert_eq!(parse_ttl("8h").unwrap().as_secs(), 8 * 3600);
        assert_eq!(parse_ttl("90").unwrap().as_secs(), 90);
        assert_eq!(parse_ttl("2d").unwrap().as_secs(), 2 * 86_400);
        assert!(parse_ttl("8y").is_err());
        assert!(parse_ttl("h").is_err());
    }
}
