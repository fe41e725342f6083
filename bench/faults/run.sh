#!/usr/bin/env bash
# Fault injection: what newslit acknowledges (2xx) against what PostgreSQL stores, when
#   1. PostgreSQL is stopped (fast shutdown) for ~5 s during a submission load, then started again;
#   2. the service gets SIGTERM during a submission load (graceful shutdown);
#   3. the connection pool (2) is exhausted by queries blocked on a table lock held by psql;
#   4. the outbox: answers and grade changes through a PostgreSQL outage and a service restart,
#      every webhook delivery verified by the Standard Webhooks reference library (webhooks.py).
# Each scenario prints a summary table; the verdict lists PASS/FAIL per property (zero
# acknowledged-but-lost answers, 503s as problem+json with Retry-After, recovery within 5 s, ...).
#
# usage: bash bench/faults/run.sh          (about 1 to 2 minutes after the build; writes bench/out/faults.md)
#
# Needs: cargo, python3 (3.11, standard library only), PostgreSQL server binaries under
# /usr/lib/postgresql/<version>/bin (the newest version is used). Runs a PRIVATE throw-away
# cluster on a free port from 5433 up; the shared PostgreSQL (5432) is never touched. As root the
# cluster runs as the `postgres` user (runuser), otherwise as the calling user. The service listens
# on a free port from 18092 up; its logs go to bench/out/faults-*.log.
# NEWSLIT_BIN=/path/to/newslit skips the build and uses that binary instead of target/release/newslit.
# Exit status: 0 when every property holds, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=bench/out
mkdir -p "$out"

if [ -z "${NEWSLIT_BIN:-}" ]; then
  cargo build --release --locked --bin newslit
  NEWSLIT_BIN=${CARGO_TARGET_DIR:-target}/release/newslit
fi
NEWSLIT_BIN=$(realpath "$NEWSLIT_BIN")

pgver=$(ls /usr/lib/postgresql | sort -V | tail -1)
PGBIN=/usr/lib/postgresql/$pgver/bin
[ -x "$PGBIN/initdb" ] || { echo "no PostgreSQL server binaries in $PGBIN" >&2; exit 1; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { local p=$1; while port_in_use "$p"; do p=$((p + 1)); done; echo "$p"; }
PGPORT=$(free_port 5433)
SVC_PORT=$(free_port 18092)

WORK=$(mktemp -d /tmp/newslit-faults.XXXXXX)
chmod 755 "$WORK"
if [ "$(id -u)" = 0 ]; then
  chown postgres "$WORK"
  AS_PG="runuser -u postgres --"
else
  AS_PG=""
fi
PGDATA=$WORK/data
PGLOG=$WORK/postgres.log
PG_OPTS="-p $PGPORT -k $WORK -c listen_addresses=127.0.0.1"

cleanup() {
  # Only what this script started: the service whose pid faults.py recorded, and the private cluster.
  if [ -f "$WORK/service.pid" ]; then
    pid=$(cat "$WORK/service.pid")
    kill -TERM "$pid" 2>/dev/null && sleep 1 && kill -KILL "$pid" 2>/dev/null || true
  fi
  if [ -f "$PGDATA/postmaster.pid" ]; then
    $AS_PG "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

$AS_PG "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust >/dev/null
$AS_PG "$PGBIN/pg_ctl" -D "$PGDATA" -o "$PG_OPTS" -l "$PGLOG" -w start >/dev/null

export NEWSLIT_BIN PGBIN PGDATA PGPORT PG_OPTS PGLOG AS_PG SVC_PORT WORK LOG_DIR="$out"
set +e
python3 bench/faults/faults.py | tee "$out/faults.md"
status=${PIPESTATUS[0]}
# Scenario 4, the outbox (acknowledged grades vs delivered webhook events), needs the Standard
# Webhooks reference library: a virtual environment with it pinned (FAULTS_VENV reuses one).
if [ "${FAULTS_OUTBOX:-1}" = 1 ]; then
  venv=${FAULTS_VENV:-$WORK/venv}
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import standardwebhooks' 2>/dev/null; then
    python3 -m venv "$venv" && "$venv/bin/pip" install -q "standardwebhooks==1.1.0"
  fi
  "$venv/bin/python" bench/faults/webhooks.py | tee -a "$out/faults.md"
  [ "${PIPESTATUS[0]}" = 0 ] || status=1
fi
set -e
exit "$status"
