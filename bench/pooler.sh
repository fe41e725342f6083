#!/usr/bin/env bash
# The whole flow behind PgBouncer in transaction mode: a private PostgreSQL cluster, PgBouncer
# (≥ 1.21, transaction pooling, `max_prepared_statements` on, a server pool smaller than the
# instances' pools so transactions really are multiplexed), `newslit migrate` straight against
# PostgreSQL, two instances through PgBouncer with NEWSLIT_MIGRATE=false and the default statement
# cache. Then bench/pooler.py: students submit through both instances while a grader pulls the
# change feed with its cursor and grades by hand; then the gradebook. Acknowledged vs stored vs
# pulled; PgBouncer's own counters show the multiplexing. About 40 s (plus a one-time PgBouncer
# build, bench/pgbouncer.sh, about a minute).
#
# usage: bash bench/pooler.sh [SECONDS]   (default 8 of load)
#   NEWSLIT_BIN=/path/to/newslit  use that binary instead of building target/release/newslit
#   PGBOUNCER=/path/to/pgbouncer  use that PgBouncer (≥ 1.21) instead of bench/pgbouncer.sh's
# Needs PostgreSQL's server binaries and python3. Writes bench/out/pooler.md; exit status 1 when a
# check fails.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-8}
out=bench/out
mkdir -p "$out"

PGBOUNCER=$(bash bench/pgbouncer.sh)
if [ -z "${NEWSLIT_BIN:-}" ]; then
  cargo build --release --locked --bin newslit
  NEWSLIT_BIN=${CARGO_TARGET_DIR:-target}/release/newslit
fi
NEWSLIT_BIN=$(realpath "$NEWSLIT_BIN")
PGBIN=/usr/lib/postgresql/$(ls /usr/lib/postgresql | sort -V | tail -1)/bin

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { local p=$1; while port_in_use "$p"; do p=$((p + 1)); done; echo "$p"; }
PGPORT=$(free_port 5460); BOUNCER=$(free_port 6460)
APP_A=$(free_port 18360); APP_B=$(free_port $((APP_A + 1)))

WORK=$(mktemp -d /tmp/newslit-pooler.XXXXXX)
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
# Bounded: at most 5 minutes. (The timer's sleep holds no output pipe and dies with it.)
( trap 'kill $timer 2>/dev/null; exit 0' TERM; sleep 300 >/dev/null 2>&1 & timer=$!; wait $timer
  echo "pooler.sh: time limit reached" >&2; kill -TERM $$ ) & pids+=($!)

$AS_PG "$PGBIN/initdb" -D "$WORK/data" -U postgres --auth=trust >/dev/null
$AS_PG "$PGBIN/pg_ctl" -D "$WORK/data" -o "-p $PGPORT -k $WORK -c listen_addresses=127.0.0.1 -c max_connections=50" \
  -l "$WORK/postgres.log" -w start >/dev/null

# Transaction pooling: 2 instances × 8 client connections share 4 server connections.
cat > "$WORK/pgbouncer.ini" <<INI
[databases]
newslit = host=127.0.0.1 port=$PGPORT dbname=newslit
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BOUNCER
unix_socket_dir =
auth_type = trust
auth_file = $WORK/users.txt
admin_users = postgres
pool_mode = transaction
max_prepared_statements = 200
max_client_conn = 100
default_pool_size = 4
ignore_startup_parameters = extra_float_digits
logfile = $WORK/pgbouncer.log
pidfile = $WORK/pgbouncer.pid
INI
echo '"postgres" ""' > "$WORK/users.txt"
[ "$(id -u)" = 0 ] && chown postgres "$WORK/pgbouncer.ini" "$WORK/users.txt"
$AS_PG "$WORK/pgbouncer" -d "$WORK/pgbouncer.ini"
for _ in $(seq 50); do port_in_use "$BOUNCER" && break; sleep 0.1; done

export NEWSLIT_JWT_SECRET=pooler-secret NEWSLIT_LOG=warn NEWSLIT_RATE_LIMIT_WRITES_PER_MINUTE=0
DIRECT="postgres://postgres@127.0.0.1:$PGPORT/newslit"
POOLED="postgres://postgres@127.0.0.1:$BOUNCER/newslit"
DATABASE_URL=$DIRECT "$NEWSLIT_BIN" migrate > "$WORK/migrate.txt"
start_app() { # port name
  DATABASE_URL=$POOLED NEWSLIT_MIGRATE=false NEWSLIT_DB_POOL_SIZE=8 NEWSLIT_LISTEN=127.0.0.1:$1 \
    "$NEWSLIT_BIN" serve > "$out/pooler-$2.log" 2>&1 &
}
start_app "$APP_A" a; pids+=($!)
start_app "$APP_B" b; pids+=($!)
for port in $APP_A $APP_B; do
  for _ in $(seq 100); do curl -sf "127.0.0.1:$port/ready" >/dev/null && break; sleep 0.2; done
  curl -sf "127.0.0.1:$port/ready" >/dev/null || { echo "instance on $port not ready; see $out/pooler-*.log" >&2; exit 1; }
done

PSQL="$PGBIN/psql -h 127.0.0.1 -p $PGPORT -U postgres -d newslit -X -q"
ADMIN="$PGBIN/psql -h 127.0.0.1 -p $BOUNCER -U postgres -d pgbouncer -X -q -tA -F ,"
{
  echo "# The flow behind PgBouncer in transaction mode"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $("$WORK/pgbouncer" --version | head -1), binary $(basename "$(dirname "$NEWSLIT_BIN")")"
  echo "pool_mode $($ADMIN -c 'SHOW CONFIG' | awk -F, '$1 == "pool_mode" { print $2 }'), max_prepared_statements $($ADMIN -c 'SHOW CONFIG' | awk -F, '$1 == "max_prepared_statements" { print $2 }'), server pool 4; two instances with 8 pooled connections each and the default statement cache (NEWSLIT_DB_STATEMENT_CACHE unset: 100)"
  echo
  echo '```'
} | tee "$out/pooler.md"
set +e
BASES="http://127.0.0.1:$APP_A http://127.0.0.1:$APP_B" PSQL=$PSQL BIN=$NEWSLIT_BIN SECONDS=$secs \
  python3 bench/pooler.py | tee -a "$out/pooler.md"
status=${PIPESTATUS[0]}
set -e
# PgBouncer's counters (SHOW STATS, by column name): transactions, and how often a server
# connection was handed to a client (more than once per transaction would mean pinning).
stats=$($ADMIN -P tuples_only=off -c 'SHOW STATS' | awk -F, '
  NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
  $1 == "newslit" { print $col["total_xact_count"] " transactions, " $col["total_query_count"] " queries, " $col["total_server_assignment_count"] " server assignments" }')
servers=$($PSQL -tAc "SELECT count(*) FROM pg_stat_activity WHERE datname = 'newslit' AND backend_type = 'client backend' AND pid <> pg_backend_pid()")
errors=$(grep -c -E 'ERROR|WARNING' "$WORK/pgbouncer.log" || true)
app_errors=$(cat "$out"/pooler-a.log "$out"/pooler-b.log | grep -c -E '"level":"ERROR"|ERROR' || true)
{
  echo
  echo "PgBouncer: $stats through $servers server connections (pool 4); errors or warnings logged: $errors"
  echo "instances: errors logged: $app_errors"
  echo '```'
} | tee -a "$out/pooler.md"
if [ "$errors" != 0 ]; then grep -E 'ERROR|WARNING' "$WORK/pgbouncer.log" | head -5; status=1; fi
if [ "$app_errors" != 0 ]; then status=1; fi
exit "$status"
