#!/usr/bin/env bash
# Load benchmark: a release build on loopback against the local PostgreSQL, driven by wrk.
# Scenarios: a student's assignment view (GET), answer submission (POST, unique Idempotency-Keys),
# a teacher's gradebook pull (GET); each at 16, 64 and 256 connections. Then pgbench on the same
# server (one-row insert transaction, one-row select) as the ceiling, and the ratio.
#
# usage: bench/load.sh [SECONDS_PER_RUN]      (default 10; writes bench/out/load.md)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
port=18090
db=newslit_bench
out=bench/out
mkdir -p "$out"
export BENCH_DIR="$out"

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
command -v pgbench >/dev/null || { echo "pgbench is needed (Debian: postgresql-contrib / postgresql)"; exit 1; }
pg_isready -h 127.0.0.1 -p 5432 -q

cargo build --release --locked --bin newslit
bin=target/release/newslit
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $db" >/dev/null

export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db"
export NEWSLIT_LISTEN="127.0.0.1:$port" NEWSLIT_LOG=warn NEWSLIT_JWT_SECRET=bench-secret
export NEWSLIT_RATE_LIMIT_WRITES_PER_MINUTE=0 NEWSLIT_DB_POOL_SIZE=${NEWSLIT_DB_POOL_SIZE:-32}
$bin serve > "$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$port/ready" >/dev/null && break; sleep 0.5; done

python3 bench/setup.py "http://127.0.0.1:$port" "$bin" "$out" 256

run() { # scenario connections
  cat "bench/$1.lua" bench/report.lua > "$out/$1.run.lua"
  wrk -t2 -c"$2" -d"${secs}s" --latency -s "$out/$1.run.lua" "http://127.0.0.1:$port" | grep '^RESULT' | sed "s/^RESULT/$1 c=$2/"
}

{
  echo "# newslit load benchmark"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, ${secs} s per run, release build, PostgreSQL $(psql -h 127.0.0.1 -U postgres -tAc 'SHOW server_version'), pool ${NEWSLIT_DB_POOL_SIZE}"
  echo
  echo '```'
  for scenario in student_view submit gradebook; do
    for c in 16 64 256; do run $scenario $c; done
  done
  echo '```'
} | tee "$out/load.md"

stored=$(psql -h 127.0.0.1 -U postgres -d $db -tAc "SELECT count(*) FROM submissions")
acked=$(grep -E '^submit ' "$out/load.md" | sed -E 's/.*requests=([0-9]+).*non2xx=([0-9]+).*/\1 \2/' | awk '{s += $1 - $2} END {print s}')
echo "submissions acknowledged (2xx): $acked, rows stored: $stored (stored >= acknowledged: requests in flight when a run ends are committed but not counted by wrk)" | tee -a "$out/load.md"

# The ceiling: pgbench on the same server, one-row insert and one-row select.
psql -h 127.0.0.1 -U postgres -d $db -qc "DROP TABLE IF EXISTS pgbench_rows; CREATE TABLE pgbench_rows (id bigserial PRIMARY KEY, payload jsonb NOT NULL, at timestamptz NOT NULL DEFAULT now()); INSERT INTO pgbench_rows (payload) SELECT '{}' FROM generate_series(1, 10000);"
echo "INSERT INTO pgbench_rows (payload) VALUES ('{\"answer\": [\"a\"]}');" > "$out/insert.sql"
printf '\\set id random(1, 10000)\nSELECT * FROM pgbench_rows WHERE id = :id;\n' > "$out/select.sql"
{
  echo
  echo '```'
  # pgbench opens one server connection per client: 256 would pass PostgreSQL's default
  # max_connections (100), so the ceiling is measured at 16 and 64 clients.
  for c in 16 64; do
    for kind in insert select; do
      tps=$(pgbench -h 127.0.0.1 -U postgres -n -M prepared -c "$c" -j 2 -T "$secs" -f "$out/$kind.sql" $db 2>/dev/null \
            | awk '/^tps = /{print $3}')
      echo "pgbench $kind c=$c tps=$tps"
    done
  done
  echo '```'
} | tee -a "$out/load.md"

python3 - "$out/load.md" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rps = {(m[0], m[1]): float(m[2]) for m in re.findall(r"^(\w+) c=(\d+) rps=([\d.]+)", text, re.M)}
pg = {(m[0], m[1]): float(m[2]) for m in re.findall(r"^pgbench (\w+) c=(\d+) tps=([\d.]+)", text, re.M)}
lines = ["", "| connections | submissions/s | pgbench inserts/s | ratio |", "|---|---|---|---|"]
best = max((v for (k, _), v in pg.items() if k == "insert"), default=None)
for c in ("16", "64", "256"):
    s, p = rps.get(("submit", c)), pg.get(("insert", c), best)
    if s and p:
        lines.append(f"| {c} | {s:.0f} | {p:.0f} | {s / p:.0%} |")
open(sys.argv[1], "a").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
