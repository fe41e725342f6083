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
source bench/lib.sh
start_service $port $db "$out/results-server.log"

{
  echo "# newslit results benchmark"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, release build, PostgreSQL $(psql -h 127.0.0.1 -U postgres -tAc 'SHOW server_version')"
  echo
} > "$out/results.md"
NEWSLIT_BIN="$bin" python3 bench/results.py "$base" "$server" "$db" "$out/results.body.md" "$@"
cat "$out/results.body.md" >> "$out/results.md"
rm "$out/results.body.md"
