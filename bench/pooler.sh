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

source bench/stack.sh
stack_init pooler 300
PGPORT=$(free_port 5460); BOUNCER=$(free_port 6460)
APP_A=$(free_port 18360); APP_B=$(free_port $((APP_A + 1)))
stack_postgres "$PGPORT" 50
# Transaction pooling: 2 instances × 8 client connections share 4 server connections.
stack_pgbouncer "$BOUNCER" transaction 4 100 admin
stack_migrate "$WORK/migrate.txt"
stack_instance "$APP_A" "$out/pooler-a.log" 8
stack_instance "$APP_B" "$out/pooler-b.log" 8
stack_ready "$APP_A" "$APP_B"

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
