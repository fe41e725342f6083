#!/usr/bin/env bash
# Starts a service with the README's quick-start command, then, against it:
#  1. every shell block of README.md, in the order printed (blocks marked `<!-- ci: skip (…) -->`
#     excepted, each with its reason), with `curl` failing on any HTTP error, so the README
#     cannot rot;
#  2. the TypeScript client's story (clients/typescript; `npm ci` and `tsc` done by .ci/run).
# With DATABASE_URL set, the service gets a fresh database on that server; unset, it does what
# the quick start does on a fresh machine. Needs curl and jq.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
port=${NEWSLIT_CHECK_PORT:-8080}
taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
while taken "$port"; do port=$((port + 1)); done
url="http://127.0.0.1:$port"
if [ -n "${DATABASE_URL:-}" ]; then
  export DATABASE_URL="${DATABASE_URL%/*}/newslit_readme_$(date +%s)_$$"
fi

# The README's blocks, split into the service command and the walkthroughs.
awk -v out="$work" '
  /^<!-- ci: skip/ { mode = "skip"; next }
  /^<!-- ci: service -->/ { mode = "service"; next }
  /^```sh$/ { inblock = 1; n++; if (mode == "") print "echo \"== README.md line " NR "\"" >> (out "/blocks.sh"); next }
  /^```/ && inblock { inblock = 0; mode = ""; next }
  inblock && mode == "service" { print >> (out "/service.sh"); next }
  inblock && mode == "" { print >> (out "/blocks.sh") }
' README.md
[ -s "$work/service.sh" ] || { echo "readme: no block marked <!-- ci: service -->" >&2; exit 1; }

echo "readme: starting the service as the quick start says ($(tr '\n' ' ' < "$work/service.sh")) on $url"
# In a process group of its own, so stopping it stops cargo and the service cargo started too.
NEWSLIT_LISTEN="127.0.0.1:$port" NEWSLIT_LOG=warn setsid bash "$work/service.sh" > "$work/service.log" 2>&1 &
service=$!
stop() {
  kill -TERM -- "-$service" 2>/dev/null && wait "$service" 2>/dev/null || true
  rm -rf "$work"
}
trap stop EXIT
for _ in $(seq 1 300); do
  curl -sf "$url/ready" > /dev/null && break
  kill -0 "$service" 2>/dev/null || { cat "$work/service.log" >&2; echo "readme: the service exited" >&2; exit 1; }
  sleep 1
done
curl -sf "$url/ready" > /dev/null || { cat "$work/service.log" >&2; exit 1; }

{
  echo 'set -euo pipefail'
  echo '# As in the README, plus: an HTTP error status fails the run.'
  echo 'curl() { command curl --fail-with-body -sS "$@"; }'
  sed "s#http://127.0.0.1:8080#$url#g" "$work/blocks.sh"
} > "$work/run.sh"
echo "readme: running $(grep -c '^echo "== README' "$work/run.sh") shell blocks"
bash "$work/run.sh"
echo "readme: every block ran"

if [ "${1:-}" != "--readme-only" ]; then
  echo "client: the TypeScript story against $url"
  mint() { cargo run -q -- token --role "$1" --sub "$2" 2>/dev/null; }
  (cd clients/typescript &&
    NEWSLIT_URL=$url TEACHER=$(mint teacher story-teacher) STUDENT=$(mint student story-student) \
      GRADER=$(mint grader story-grader) node dist/story.js)
fi
