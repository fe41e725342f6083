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
source bench/stack.sh
stack_init cluster 600
PGPORT=$(free_port 5440); BOUNCER=$(free_port 6440); PROXY=$(free_port 18300)
APP_A=$(free_port $((PROXY + 1))); APP_B=$(free_port $((APP_A + 1)))
stack_postgres "$PGPORT" 100
stack_pgbouncer "$BOUNCER" "$POOL_MODE" 20 200
# Deploy step: migrate and seed once, directly against PostgreSQL (a session advisory lock).
stack_migrate "$WORK/migrate.txt"
cat "$WORK/migrate.txt"

# Two instances, started at the same instant, through PgBouncer, without migrating.
stack_instance "$APP_A" "$out/cluster-a.log" 16; A_PID=$instance
stack_instance "$APP_B" "$out/cluster-b.log" 16
stack_ready "$APP_A" "$APP_B"

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
