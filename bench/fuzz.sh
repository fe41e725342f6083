#!/usr/bin/env bash
# Fuzzes the running service from its own OpenAPI document with schemathesis (PyPI), once per
# role, so every operation is tried by a student, a teacher, a grader and an admin. Checks:
# no 5xx, every status, content type, header and body as the spec documents them, bad input
# refused, and operations that should accept generated valid input do. bench/schemathesis.toml
# holds the few places where the generator cannot know what the service rightly requires.
#
# usage: bench/fuzz.sh [MAX_EXAMPLES]     (default 40 per operation; writes bench/out/fuzz-*.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
examples=${1:-40}
port=18093
db=newslit_fuzz
source bench/lib.sh
schemathesis --version 2>/dev/null | grep -q ' 4\.32\.5$' || python3 -m pip install -q 'schemathesis==4.32.5'
export NEWSLIT_JWT_SECRET=fuzz-secret
start_service $port $db "$out/fuzz-server.log"

# One published exercise, for generated assignments to list: an id the schema cannot invent.
admin=$($bin token --role admin --sub fuzz-setup --ttl 1h)
article=$(curl -sf -H "Authorization: Bearer $admin" "$base/v1/articles?limit=1" \
          | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
exercise=$(curl -sf -H "Authorization: Bearer $admin" \
    "$base/v1/articles/$article/exercises?status=published&limit=1" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
config="$out/schemathesis.toml"
sed "s/@EXERCISE_ID@/$exercise/" bench/schemathesis.toml > "$config"

status=0
for role in student teacher grader admin; do
  token=$($bin token --role "$role" --sub "fuzz-$role" --ttl 2h)
  echo "== schemathesis as $role"
  if schemathesis --config-file "$config" run "$base/openapi.json" \
      --header "Authorization: Bearer $token" \
      --checks all \
      --max-examples "$examples" \
      --phases examples,coverage,fuzzing \
      --suppress-health-check all \
      --workers 1 \
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
