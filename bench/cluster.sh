#!/usr/bin/env bash
# The production shape on one machine, loopback only: a private PostgreSQL cluster, PgBouncer in
# front of it, `newslit migrate` run once against PostgreSQL directly, two instances started at
# the same instant through PgBouncer (NEWSLIT_MIGRATE=false), and HAProxy balancing them with
# health checks on /ready. Then:
#   1. the load bench's submission scenario (wrk) through the proxy;
#   2. a submission load through the proxy during which one instance is killed (SIGKILL):
#      HAProxy fails over, every failed request is retried with its Idempotency-Key, and the
#      script prints acknowledged vs stored (bench/cluster.py).
# docker-compose.yml describes the same topology; keep the two in step by hand.
#
# usage: bash bench/cluster.sh [SECONDS]   (default 10 per phase; about a minute after the build)
#   NEWSLIT_BIN=/path/to/newslit  use that binary instead of building target/release/newslit
#   POOL_MODE=transaction|session PgBouncer's pool mode (default transaction)
#   PGBOUNCER=/path/to/pgbouncer  use that PgBouncer (≥ 1.21) instead of bench/pgbouncer.sh's
# Needs PgBouncer ≥ 1.21 (bench/pgbouncer.sh builds Debian trixie's once per machine), Debian's
# haproxy and wrk (installed with apt-get when missing), PostgreSQL's server binaries, python3.
# Writes bench/out/cluster.md; exit status 1 when an answer is lost.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
out=bench/out
mkdir -p "$out"
POOL_MODE=${POOL_MODE:-transaction}

for tool in haproxy wrk; do
  command -v $tool >/dev/null || PATH=$PATH:/usr/sbin command -v $tool >/dev/null || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy wrk; }
done
export PATH=$PATH:/usr/sbin
PGBOUNCER=$(bash bench/pgbouncer.sh)
if [ -z "${NEWSLIT_BIN:-}" ]; then
  cargo build --release --locked --bin newslit
  NEWSLIT_BIN=${CARGO_TARGET_DIR:-target}/release/newslit
fi
NEWSLIT_BIN=$(realpath "$NEWSLIT_BIN")
PGBIN=/usr/lib/postgresql/$(ls /usr/lib/postgresql | sort -V | tail -1)/bin

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { local p=$1; while port_in_use "$p"; do p=$((p + 1)); done; echo "$p"; }
PGPORT=$(free_port 5440); BOUNCER=$(free_port 6440); PROXY=$(free_port 18300)
APP_A=$(free_port $((PROXY + 1))); APP_B=$(free_port $((APP_A + 1)))

WORK=$(mktemp -d /tmp/newslit-cluster.XXXXXX)
chmod 755 "$WORK"
if [ "$(id -u)" = 0 ]; then chown postgres "$WORK"; AS_PG="runuser -u postgres --"; else AS_PG=""; fi
# PgBouncer refuses to run as root: as root it runs as postgres, from a copy it can read.
install -m 755 "$PGBOUNCER" "$WORK/pgbouncer"
pids=()
cleanup() {
  # Only what this script started, by pid.
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$WORK/pgbouncer.pid" ] && kill "$(cat "$WORK/pgbouncer.pid")" 2>/dev/null || true
  [ -f "$WORK/data/postmaster.pid" ] && $AS_PG "$PGBIN/pg_ctl" -D "$WORK/data" -m immediate -w stop >/dev/null 2>&1 || true
  sleep 0.5; rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# Bounded: the whole run may take at most 10 minutes. (The timer's sleep holds no output pipe.)
( trap 'kill $timer 2>/dev/null; exit 0' TERM; sleep 600 >/dev/null 2>&1 & timer=$!; wait $timer
  echo "cluster.sh: time limit reached" >&2; kill -TERM $$ ) & pids+=($!)

# PostgreSQL, private cluster on loopback.
$AS_PG "$PGBIN/initdb" -D "$WORK/data" -U postgres --auth=trust >/dev/null
$AS_PG "$PGBIN/pg_ctl" -D "$WORK/data" -o "-p $PGPORT -k $WORK -c listen_addresses=127.0.0.1 -c max_connections=100" \
  -l "$WORK/postgres.log" -w start >/dev/null

# PgBouncer in front of it.
cat > "$WORK/pgbouncer.ini" <<INI
[databases]
newslit = host=127.0.0.1 port=$PGPORT dbname=newslit
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BOUNCER
unix_socket_dir =
auth_type = trust
auth_file = $WORK/users.txt
pool_mode = $POOL_MODE
max_prepared_statements = 200
max_client_conn = 200
default_pool_size = 20
ignore_startup_parameters = extra_float_digits
logfile = $WORK/pgbouncer.log
pidfile = $WORK/pgbouncer.pid
INI
echo '"postgres" ""' > "$WORK/users.txt"
[ "$(id -u)" = 0 ] && chown postgres "$WORK/pgbouncer.ini" "$WORK/users.txt"
$AS_PG "$WORK/pgbouncer" -d "$WORK/pgbouncer.ini"
for _ in $(seq 50); do port_in_use "$BOUNCER" && break; sleep 0.1; done

export NEWSLIT_JWT_SECRET=cluster-secret NEWSLIT_LOG=warn NEWSLIT_RATE_LIMIT_WRITES_PER_MINUTE=0
DIRECT="postgres://postgres@127.0.0.1:$PGPORT/newslit"
POOLED="postgres://postgres@127.0.0.1:$BOUNCER/newslit"
# Deploy step: migrate and seed once, directly against PostgreSQL (a session advisory lock).
DATABASE_URL=$DIRECT "$NEWSLIT_BIN" migrate | tee "$WORK/migrate.txt"

# Two instances, started at the same instant, through PgBouncer, without migrating.
start_app() { # port name
  DATABASE_URL=$POOLED NEWSLIT_MIGRATE=false NEWSLIT_DB_POOL_SIZE=16 NEWSLIT_LISTEN=127.0.0.1:$1 \
    "$NEWSLIT_BIN" serve > "$out/cluster-$2.log" 2>&1 &
}
start_app "$APP_A" a; A_PID=$!; pids+=($A_PID)
start_app "$APP_B" b; B_PID=$!; pids+=($B_PID)
for port in $APP_A $APP_B; do
  for _ in $(seq 100); do curl -sf "127.0.0.1:$port/ready" >/dev/null && break; sleep 0.2; done
  curl -sf "127.0.0.1:$port/ready" >/dev/null || { echo "instance on $port not ready; see $out/cluster-*.log" >&2; exit 1; }
done

# HAProxy: round robin, health checks on /ready every 500 ms, a request that found a dead
# instance (refused, or closed without a response) goes to the other one.
cat > "$WORK/haproxy.cfg" <<CFG
global
  maxconn 2000
defaults
  mode http
  timeout connect 1s
  timeout client 30s
  timeout server 30s
  retries 3
  option redispatch
  retry-on conn-failure empty-response
frontend api
  bind 127.0.0.1:$PROXY
  default_backend newslit
backend newslit
  balance roundrobin
  option httpchk GET /ready
  http-check expect status 200
  default-server inter 500ms fall 2 rise 2
  server a 127.0.0.1:$APP_A check
  server b 127.0.0.1:$APP_B check
CFG
haproxy -f "$WORK/haproxy.cfg" -db > "$WORK/haproxy.log" 2>&1 & pids+=($!)
base="http://127.0.0.1:$PROXY"
for _ in $(seq 50); do curl -sf "$base/ready" >/dev/null && break; sleep 0.2; done

python3 bench/setup.py "$base" "$NEWSLIT_BIN" "$WORK" 64 >/dev/null
export BENCH_DIR=$WORK
PSQL="$PGBIN/psql -h 127.0.0.1 -p $PGPORT -U postgres -d newslit -X -q"
{
  echo "# newslit cluster: PostgreSQL, PgBouncer ($POOL_MODE, $("$WORK/pgbouncer" --version | head -1)), two instances, HAProxy"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, binary $(basename "$(dirname "$NEWSLIT_BIN")"), ${secs} s per phase"
  echo
  echo "start: $(cat "$WORK/migrate.txt"); then both instances ready through PgBouncer"
  echo "seed articles stored: $($PSQL -tAc 'SELECT count(*) FROM articles'), exercises at a version other than 1: $($PSQL -tAc 'SELECT count(*) FROM exercises WHERE version <> 1')"
  echo
  echo '```'
  cat bench/submit.lua bench/report.lua > "$WORK/submit.run.lua"
  for c in 16 64; do
    wrk -t2 -c$c -d"${secs}s" --latency -s "$WORK/submit.run.lua" "$base" | grep '^RESULT' | sed "s/^RESULT/submit via proxy c=$c/"
  done
  echo '```'
  echo
  echo "### One instance killed (SIGKILL) mid-load"
  echo
} | tee "$out/cluster.md"
set +e
PROXY=$base PSQL=$PSQL VICTIM=$A_PID SETUP=$WORK SECONDS=$secs python3 bench/cluster.py | tee -a "$out/cluster.md"
status=${PIPESTATUS[0]}
set -e
{
  echo
  echo "instance b still serving: $(curl -s -o /dev/null -w '%{http_code}' "127.0.0.1:$APP_B/ready"); through the proxy: $(curl -s -o /dev/null -w '%{http_code}' "$base/ready")"
  echo "PgBouncer errors logged: $(grep -c -E 'ERROR|WARNING' "$WORK/pgbouncer.log" || true); instance b errors logged: $(grep -c ERROR "$out/cluster-b.log" || true)"
} | tee -a "$out/cluster.md"
exit "$status"
