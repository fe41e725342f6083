#!/usr/bin/env bash
# Opens a seed article's review page (GET /v1/articles/{id}/review) in headless Chromium and
# saves a screenshot, to check the page as a teacher's browser draws it, offline.
#
#   bench/review_screenshot.sh [OUT.png]        # default bench/out/review.png
#
# Needs PostgreSQL on 127.0.0.1:5432 and Debian's chromium (apt-get install -y chromium). Uses
# $NEWSLIT_BIN, else the debug build (built if missing). The page must not fetch anything: the
# browser runs with networking features off, and the service sends a CSP that forbids it.
set -euo pipefail
cd "$(dirname "$0")/.."
shot=${1:-bench/out/review.png}
mkdir -p "$(dirname "$shot")"
port=${PORT:-18093}
db=newslit_review_shot
command -v chromium >/dev/null || { echo "chromium is not installed (apt-get install -y chromium)" >&2; exit 1; }
pg_isready -h 127.0.0.1 -p 5432 -q || { echo "PostgreSQL does not answer on 127.0.0.1:5432" >&2; exit 1; }
bin=${NEWSLIT_BIN:-${CARGO_TARGET_DIR:-target}/debug/newslit}
[ -x "$bin" ] || cargo build --locked --bin newslit
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $db" >/dev/null
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db" NEWSLIT_LISTEN="127.0.0.1:$port"
export NEWSLIT_LOG=warn NEWSLIT_JWT_SECRET=review-shot-secret
log=$(mktemp)
"$bin" serve > "$log" 2>&1 &
server=$!
profile=$(mktemp -d)
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true; rm -rf "$profile" "$log"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 1 120); do
  curl -sf "$base/ready" >/dev/null && break
  kill -0 "$server" 2>/dev/null || { echo "the service exited:" >&2; cat "$log" >&2; exit 1; }
  sleep 0.5
done
token=$("$bin" token --role teacher --sub reviewer --name "Review Teacher")
# A seed news report (the service loads the seeds at start); ARTICLE picks another by title.
want=${ARTICLE:-Intelligence Officials Say}
id=$(curl -sf -H "Authorization: Bearer $token" "$base/v1/articles" | WANT="$want" python3 -c '
import json, os, sys
items = json.load(sys.stdin)["items"]
hit = [a["id"] for a in items if os.environ["WANT"] in a["title"]]
print(hit[0] if hit else (items[0]["id"] if items else ""))')
[ -n "$id" ] || { echo "no article" >&2; exit 1; }
page="$profile/review.html"
curl -sf -H "Authorization: Bearer $token" "$base/v1/articles/$id/review" -o "$page"
echo "review page of article $id: $(wc -c < "$page") bytes"
# The page is opened from a file: the browser needs no token and nothing from the network.
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile/chrome" --screenshot="$shot" --window-size=1400,2000 "file://$page" 2>/dev/null
[ -s "$shot" ] || { echo "no screenshot written" >&2; exit 1; }
echo "screenshot: $shot"
