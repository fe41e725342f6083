#!/usr/bin/env bash
# Results benchmark: a release build on loopback against the local PostgreSQL. Loads a class of
# 1,000 students x 20 exercises through the API, times the gradebook (JSON, CSV) and a full
# incremental pull, then scales the answers up to 1,000,000 in SQL and streams the CSV
# gradebook while sampling the server's memory.
#
# usage: bench/results.sh [STUDENTS EXERCISES LARGE]   (defaults 1000 20 1000000; writes bench/out/results.md)
set -euo pipefail
cd "$(dirname "$0")/.."
port=18091
db=newslit_results_bench
out=bench/out
mkdir -p "$out"
pg_isready -h 127.0.0.1 -p 5432 -q

cargo build --release --locked --bin newslit
bin=target/release/newslit
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $db" >/dev/null

export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db"
export NEWSLIT_LISTEN="127.0.0.1:$port" NEWSLIT_LOG=warn NEWSLIT_JWT_SECRET=bench-secret
export NEWSLIT_RATE_LIMIT_WRITES_PER_MINUTE=0
$bin serve > "$out/results-server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$port/ready" >/dev/null && break; sleep 0.5; done

{
  echo "# newslit results benchmark"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, release build, PostgreSQL $(psql -h 127.0.0.1 -U postgres -tAc 'SHOW server_version')"
  echo
} > "$out/results.md"
python3 bench/results.py "http://127.0.0.1:$port" "$server" "$db" "$out/results.body.md" "$@"
cat "$out/results.body.md" >> "$out/results.md"
rm "$out/results.body.md"
