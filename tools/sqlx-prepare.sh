#!/usr/bin/env bash
# Regenerates `.sqlx/`, the offline data of the compile-checked queries (`query!`, `query_as!`,
# `query_scalar!`), so that the crate builds without a database (`SQLX_OFFLINE=true` in `.env`).
#
#   bash tools/sqlx-prepare.sh           rewrite .sqlx/ from the current queries and migrations
#   bash tools/sqlx-prepare.sh --check   fail if .sqlx/ differs from what they give (CI)
#
# It needs a PostgreSQL server (DATABASE_URL's, default postgres://postgres@127.0.0.1:5432);
# there it creates a scratch database, applies every migration in version order with psql, and
# checks the crate (all targets) with the macros online. The macros write one file per query
# into SQLX_OFFLINE_DIR (sqlx-macros-core reads it; no sqlx-cli needed). The scratch database is
# dropped afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-write}
case "$mode" in write | --check) ;; *) echo "usage: $0 [--check]" >&2; exit 2 ;; esac

server=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
server=${server%/*}
scratch="sqlx_prepare_$$"
url="$server/$scratch"

psql_on() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

out=$(mktemp -d)
cleanup() {
  psql_on "$server/postgres" -c "DROP DATABASE IF EXISTS $scratch WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$out"
}
trap cleanup EXIT

psql_on "$server/postgres" -c "CREATE DATABASE $scratch" >/dev/null
# Version order: short numbers (0001…) sort before timestamps, as sqlx::migrate! applies them.
for f in $(ls migrations/*.sql | sort); do
  psql_on "$url" -1 -f "$f" >/dev/null
done

# The macros only run when the crate is compiled again; touching the crate roots forces that.
touch src/lib.rs src/main.rs tests/api/main.rs benches/*.rs
SQLX_OFFLINE=false SQLX_OFFLINE_DIR="$out" DATABASE_URL="$url" cargo check --all-targets --locked -q

if [ "$mode" = --check ]; then
  if ! diff -r -q .sqlx "$out" >/dev/null 2>&1; then
    echo "sqlx-prepare: .sqlx/ is stale; run: bash tools/sqlx-prepare.sh" >&2
    diff -r -q .sqlx "$out" >&2 || true
    exit 1
  fi
  echo "sqlx-prepare: .sqlx/ matches the queries and migrations ($(ls "$out" | wc -l) queries)"
else
  rm -rf .sqlx
  mkdir .sqlx
  cp "$out"/*.json .sqlx/ 2>/dev/null || true
  echo "sqlx-prepare: wrote $(ls .sqlx | wc -l) queries to .sqlx/"
fi
