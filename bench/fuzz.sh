#!/usr/bin/env bash
# Fuzzes the running service from its own OpenAPI document with schemathesis (PyPI), once per
# role, so every operation is tried by a student, a teacher, a grader and an admin. Checks:
# no 5xx, every status, content type, header and body as the spec documents them, bad input
# refused, and operations that should accept generated valid input do.
#
# usage: bench/fuzz.sh [MAX_EXAMPLES]     (default 40 per operation; writes bench/out/fuzz-*.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
examples=${1:-40}
port=18093
db=newslit_fuzz
out=bench/out
mkdir -p "$out"
pg_isready -h 127.0.0.1 -p 5432 -q
command -v schemathesis >/dev/null || python3 -m pip install -q 'schemathesis>=4,<5'

cargo build --release --locked --bin newslit
bin=target/release/newslit
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $db" >/dev/null

export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db"
export NEWSLIT_LISTEN="127.0.0.1:$port" NEWSLIT_LOG=warn NEWSLIT_JWT_SECRET=fuzz-secret
export NEWSLIT_RATE_LIMIT_WRITES_PER_MINUTE=0
$bin serve > "$out/fuzz-server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$port/ready" >/dev/null && break; sleep 0.5; done

# One published exercise for generated assignments to list (see bench/fuzz_hooks.py).
admin=$($bin token --role admin --sub fuzz-setup --ttl 1h)
article=$(curl -sf -H "Authorization: Bearer $admin" "http://127.0.0.1:$port/v1/articles?limit=1" \
          | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
export FUZZ_EXERCISE_ID=$(curl -sf -H "Authorization: Bearer $admin" \
    "http://127.0.0.1:$port/v1/articles/$article/exercises?status=published&limit=1" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
export SCHEMATHESIS_HOOKS=bench/fuzz_hooks.py

status=0
for role in student teacher grader admin; do
  token=$($bin token --role "$role" --sub "fuzz-$role" --ttl 2h)
  echo "== schemathesis as $role"
  if schemathesis run "http://127.0.0.1:$port/openapi.json" \
      --header "Authorization: Bearer $token" \
      --checks all \
      --max-examples "$examples" \
      --phases examples,coverage,fuzzing \
      --suppress-health-check all \
      --workers 2 \
      --seed 1 \
      > "$out/fuzz-$role.txt" 2>&1; then
    tail -n 3 "$out/fuzz-$role.txt"
  else
    status=1
    tail -n 40 "$out/fuzz-$role.txt"
  fi
done
if grep -qE '" 5[0-9][0-9] |panicked' "$out/fuzz-server.log"; then
  echo "server log shows errors:"; grep -E '" 5[0-9][0-9] |panicked' "$out/fuzz-server.log" | head
  status=1
fi
exit $status
