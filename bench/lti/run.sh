#!/usr/bin/env bash
# newslit against a third-party LTI 1.3 platform, end to end (bench/lti/e2e.py): PyPI's
# lti1p3platform 0.1.8 plays the LMS on loopback; an instructor and a student launch, the
# student answers, the score is checked at the platform's line item, a grader regrades, the
# score is checked again, and the course roster is checked in the class.
#
# usage: bash bench/lti/run.sh        (about a minute after the build; bounded by timeouts)
#
# Needs: cargo, python3 (3.9+) with venv, openssl, a PostgreSQL server at DATABASE_URL's host
# (default postgres://postgres@127.0.0.1:5432; a throw-away database is made there and dropped).
# NEWSLIT_BIN=/path/to/newslit skips the build. The venv (lti1p3platform and its dependencies)
# is made once under bench/out/lti-venv. Exit status: 0 when every check passes.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=bench/out
mkdir -p "$out"

if [ -z "${NEWSLIT_BIN:-}" ]; then
  cargo build --release --locked --bin newslit
  NEWSLIT_BIN=${CARGO_TARGET_DIR:-target}/release/newslit
fi
NEWSLIT_BIN=$(realpath "$NEWSLIT_BIN")

venv=$out/lti-venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import lti1p3platform' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q 'lti1p3platform==0.1.8'
fi

server=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
server=${server%/*}
db="newslit_lti_bench_$$"
work=$(mktemp -d /tmp/newslit-lti.XXXXXX)
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=18300
while port_in_use "$port"; do port=$((port + 1)); done

svc=""
cleanup() {
  # Only what this script started: the service, its database, its scratch folder.
  [ -n "$svc" ] && kill "$svc" 2>/dev/null && wait "$svc" 2>/dev/null || true
  psql -X -q "$server/postgres" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

psql -X -q "$server/postgres" -c "CREATE DATABASE $db" >/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/tool.pem" 2>/dev/null

export DATABASE_URL="$server/$db"
export NEWSLIT_LISTEN="127.0.0.1:$port"
export NEWSLIT_LOG=${NEWSLIT_LOG:-warn} NEWSLIT_JWT_SECRET=lti-bench-secret
export NEWSLIT_RATE_LIMIT_WRITES_PER_MINUTE=0
export NEWSLIT_LTI_KEY_FILE="$work/tool.pem"
# The platform is on loopback, over http: allowed here only.
export NEWSLIT_OUTBOUND_ALLOW_PRIVATE=true
export NEWSLIT_OUTBOX_POLL_MS=100
"$NEWSLIT_BIN" serve > "$out/lti-service.log" 2>&1 &
svc=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 120); do
  curl -sf "$base/ready" >/dev/null && break
  kill -0 "$svc" 2>/dev/null || { echo "the service exited; see $out/lti-service.log" >&2; exit 1; }
  sleep 0.5
done
curl -sf "$base/ready" >/dev/null || { echo "the service did not become ready" >&2; exit 1; }

echo "lti1p3platform $("$venv/bin/pip" show lti1p3platform 2>/dev/null | sed -n 's/^Version: //p') against newslit $("$NEWSLIT_BIN" --version 2>/dev/null | awk '{print $2}')"
timeout 120 "$venv/bin/python" bench/lti/e2e.py "$base" "$NEWSLIT_BIN" | tee "$out/lti.txt"
