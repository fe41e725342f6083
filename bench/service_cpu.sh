#!/usr/bin/env bash
# The service's own CPU time per request of a read scenario, for one or more binaries in turn,
# on the database `bench/load.sh` left (`newslit_bench`, its tokens and ids in bench/out).
# CPU time of the service process (utime + stime from /proc) divided by the requests wrk got
# answered moves far less with the machine's load than req/s does, so two builds can be set
# side by side on a shared machine. Each binary is started on the same database in turn, ROUNDS
# times (alternating), and warmed up for 2 s before each measured run.
#
# usage: bench/service_cpu.sh SCENARIO SECONDS ROUNDS BINARY...
#   e.g. bench/service_cpu.sh student_view 8 2 old/newslit target/release/newslit
#   SCENARIO is a bench/*.lua read scenario (student_view, gradebook); 64 connections.
#   PostgreSQL is 127.0.0.1:${PGPORT:-5432}; the service listens on ${BENCH_PORT:-18090}.
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=$1 secs=$2 rounds=$3
shift 3
out=${out:-bench/out}
port=${BENCH_PORT:-18090}
base="http://127.0.0.1:$port"
[ -f "$out/tokens.txt" ] || { echo "run bench/load.sh first (no $out/tokens.txt)" >&2; exit 1; }
export BENCH_DIR="$out"
export DATABASE_URL="postgres://postgres@127.0.0.1:${PGPORT:-5432}/newslit_bench"
export NEWSLIT_LISTEN="127.0.0.1:$port" NEWSLIT_LOG=${NEWSLIT_LOG:-warn}
export NEWSLIT_JWT_SECRET=${NEWSLIT_JWT_SECRET:-bench-secret} NEWSLIT_RATE_LIMIT_WRITES_PER_MINUTE=0
export NEWSLIT_DB_POOL_SIZE=${NEWSLIT_DB_POOL_SIZE:-32} NEWSLIT_DB_ACQUIRE_TIMEOUT_MS=${NEWSLIT_DB_ACQUIRE_TIMEOUT_MS:-10000}
cat "bench/$scenario.lua" bench/report.lua > "$out/$scenario.cpu.lua"
ticks=$(getconf CLK_TCK)
server=
trap '[ -z "$server" ] || { kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; }' EXIT
for round in $(seq 1 "$rounds"); do
  for bin in "$@"; do
    "$bin" serve > "$out/service_cpu.log" 2>&1 &
    server=$!
    for _ in $(seq 1 60); do curl -sf "$base/ready" >/dev/null && break; sleep 0.5; done
    wrk -t2 -c64 -d2s --timeout 10s -s "$out/$scenario.cpu.lua" "$base" >/dev/null
    cpu0=$(awk '{print $14 + $15}' "/proc/$server/stat")
    result=$(wrk -t2 -c64 -d"${secs}s" --timeout 10s --latency -s "$out/$scenario.cpu.lua" "$base" | grep '^RESULT')
    cpu1=$(awk '{print $14 + $15}' "/proc/$server/stat")
    kill "$server"; wait "$server" 2>/dev/null || true; server=
    requests=$(echo "$result" | sed -E 's/.*requests=([0-9]+).*/\1/')
    echo "$scenario round=$round bin=$bin $(echo "$result" | sed 's/^RESULT //') service_us_per_request=$(echo "($cpu1 - $cpu0) * 1000000 / $ticks / $requests" | bc)"
  done
done
