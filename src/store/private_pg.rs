//! A private PostgreSQL cluster, for a machine with PostgreSQL installed but not running or not
//! configured: when no `DATABASE_URL` is given and nothing answers on `127.0.0.1:5432`,
//! `newslit serve` initialises a cluster in a data folder it names (`NEWSLIT_PRIVATE_PG_DIR`),
//! starts it on a free loopback port with the installed binaries, and stops it when it stops.
//!
//! Hand-written over `initdb` and `pg_ctl` rather than taken from a crate: the maintained crates
//! either download PostgreSQL builds (no network here, and not the installed version) or, like
//! pgtemp, run the server with `fsync=off` (a service that acknowledges answers must not lose
//! them), need `sudo` when run as root, and panic on failure.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{bail, Context};

/// Where a development install of PostgreSQL answers.
pub const DEFAULT_SERVER: &str = "127.0.0.1:5432";

/// Whether something accepts TCP connections at `addr` (within half a second).
pub fn answers(addr: &str) -> bool {
    addr.parse::<SocketAddr>()
        .is_ok_and(|a| TcpStream::connect_timeout(&a, Duration::from_millis(500)).is_ok())
}

/// The folder a private cluster uses when none is configured: one per user, under the
/// temporary folder (which a user running as root shares with the `postgres` user).
pub fn default_data_dir() -> PathBuf {
    let uid = std::fs::metadata("/proc/self").map(|m| m.uid()).unwrap_or(0);
    std::env::temp_dir().join(format!("newslit-postgres-{uid}"))
}

/// The folder holding `initdb` and `pg_ctl`: `pg_config --bindir`, else the newest
/// `/usr/lib/postgresql/<version>/bin` (Debian's layout), else the `PATH`.
pub fn bin_dir() -> Option<PathBuf> {
    let has_initdb = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if out.status.success() && has_initdb(&dir) {
            return Some(dir);
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, dir)| has_initdb(dir))
        .collect();
    versions.sort();
    if let Some((_, dir)) = versions.pop() {
        return Some(dir);
    }
    std::env::split_paths(&std::env::var_os("PATH")?).find(|d| has_initdb(d))
}

/// A running cluster. Dropping it stops the server if this process started it.
#[derive(Debug)]
pub struct PrivateCluster {
    bin: PathBuf,
    data: PathBuf,
    port: u16,
    /// PostgreSQL refuses to run as root: as root, its commands run as the `postgres` user.
    as_postgres: bool,
    /// Started by this process (else found running, e.g. by another instance, and left alone).
    owned: bool,
}

impl PrivateCluster {
    /// Initialises `data` when it holds no cluster yet, then starts the server on a free
    /// loopback port, or uses the server already running on that folder.
    pub fn start(data: &Path) -> anyhow::Result<Self> {
        let bin = bin_dir().context(
            "no PostgreSQL server binaries (initdb, pg_ctl) found: install PostgreSQL, or set DATABASE_URL",
        )?;
        let as_postgres = std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
        std::fs::create_dir_all(data)
            .with_context(|| format!("cannot create the data folder {}", data.display()))?;
        let data = data.canonicalize()?;
        let mut cluster = PrivateCluster {
            bin,
            data,
            port: 0,
            as_postgres,
            owned: false,
        };
        if as_postgres {
            cluster.run(
                Command::new("chown").args(["-R", "postgres"]).arg(&cluster.data),
                "chown",
            )?;
        }
        if !cluster.data.join("PG_VERSION").is_file() {
            tracing::info!(data = %cluster.data.display(), "initialising a private PostgreSQL cluster");
            let mut initdb = cluster.pg("initdb");
            initdb.arg("-D").arg(&cluster.data);
            initdb.args(["-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"]);
            cluster.run(&mut initdb, "initdb")?;
        }
        if let Some(port) = cluster.running_port() {
            cluster.port = port;
            tracing::info!(data = %cluster.data.display(), port, "using the private PostgreSQL cluster already running there");
            return Ok(cluster);
        }
        cluster.port = free_port()?;
        let log = cluster.log_file();
        // Its own session (setsid): a Ctrl-C meant for the service does not stop the database
        // under requests still finishing; the service stops it after them.
        let mut start = Command::new("setsid");
        start.arg("--wait");
        let pg_ctl = cluster.pg("pg_ctl");
        start.arg(pg_ctl.get_program()).args(pg_ctl.get_args());
        start.arg("-D").arg(&cluster.data).arg("-l").arg(&log);
        start.args(["-w", "-t", "60", "-o"]);
        start.arg(format!(
            "-p {} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''",
            cluster.port
        ));
        start.arg("start");
        cluster.run(&mut start, "pg_ctl start")?;
        cluster.owned = true;
        tracing::info!(
            data = %cluster.data.display(),
            log = %log.display(),
            port = cluster.port,
            "started a private PostgreSQL cluster; it stops when newslit stops"
        );
        Ok(cluster)
    }

    /// The URL of database `name` on this cluster.
    pub fn url(&self, name: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    pub fn data_dir(&self) -> &Path {
        &self.data
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    fn log_file(&self) -> PathBuf {
        self.data.join("newslit-postgresql.log")
    }

    /// Stops the server if this process started it (fast mode: open sessions are ended).
    pub fn stop(&mut self) -> anyhow::Result<()> {
        if !std::mem::take(&mut self.owned) {
            return Ok(());
        }
        let mut stop = self.pg("pg_ctl");
        stop.arg("-D").arg(&self.data).args(["-m", "fast", "-w", "stop"]);
        self.run(&mut stop, "pg_ctl stop")?;
        tracing::info!(data = %self.data.display(), "stopped the private PostgreSQL cluster");
        Ok(())
    }

    /// The port of a server running on this data folder, if one is.
    fn running_port(&self) -> Option<u16> {
        let mut status = self.pg("pg_ctl");
        status.arg("-D").arg(&self.data).arg("status");
        let running = status.output().is_ok_and(|o| o.status.success());
        let pid = std::fs::read_to_string(self.data.join("postmaster.pid")).ok()?;
        // postmaster.pid: pid, data folder, start time, port, ...
        running.then(|| pid.lines().nth(3)?.trim().parse().ok()).flatten()
    }

    fn pg(&self, program: &str) -> Command {
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(self.bin.join(program));
            c
        } else {
            Command::new(self.bin.join(program))
        }
    }

    fn run(&self, command: &mut Command, what: &str) -> anyhow::Result<()> {
        let out = command
            .output()
            .with_context(|| format!("cannot run {what} ({:?})", command.get_program()))?;
        if !out.status.success() {
            bail!(
                "{what} failed ({}): {}{}",
                out.status,
                String::from_utf8_lossy(&out.stdout).trim(),
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        Ok(())
    }
}

impl Drop for PrivateCluster {
    fn drop(&mut self) {
        if let Err(e) = self.stop() {
            tracing::warn!(error = %e, data = %self.data.display(), "could not stop the private PostgreSQL cluster");
        }
    }
}

fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}
