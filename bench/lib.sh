# Shared by the bench scripts: build the release binary, start it on loopback against a fresh
# database on the local PostgreSQL (127.0.0.1, port $PGPORT, else 5432, as psql and pgbench read
# it), and stop it when the script exits.
#
#   source bench/lib.sh
#   start_service PORT DATABASE LOGFILE     # sets $bin (the binary), $server (its pid), $base (its URL)
#
# The environment the service reads (NEWSLIT_*) can be set before the call; writes are not rate
# limited here unless NEWSLIT_RATE_LIMIT_WRITES_PER_MINUTE says otherwise.

out=${out:-bench/out}
mkdir -p "$out"

require_postgres() {
  pg_isready -h 127.0.0.1 -p "${PGPORT:-5432}" -q ||
    { echo "PostgreSQL does not answer on 127.0.0.1:${PGPORT:-5432}" >&2; exit 1; }
}

start_service() { # port database logfile
  local port=$1 db=$2 log=$3
  require_postgres
  # NEWSLIT_BIN=/path/to/newslit skips the build and uses that binary.
  if [ -n "${NEWSLIT_BIN:-}" ]; then
    bin=$NEWSLIT_BIN
  else
    cargo build --release --locked --bin newslit
    bin=${CARGO_TARGET_DIR:-target}/release/newslit
  fi
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $db" >/dev/null
  export DATABASE_URL="postgres://postgres@127.0.0.1:${PGPORT:-5432}/$db"
  export NEWSLIT_LISTEN="127.0.0.1:$port"
  export NEWSLIT_LOG=${NEWSLIT_LOG:-warn} NEWSLIT_JWT_SECRET=${NEWSLIT_JWT_SECRET:-bench-secret}
  export NEWSLIT_RATE_LIMIT_WRITES_PER_MINUTE=${NEWSLIT_RATE_LIMIT_WRITES_PER_MINUTE:-0}
  $bin serve > "$log" 2>&1 &
  server=$!
  # (set -e holds in the trap too: a server the script already stopped must not fail the exit.)
  trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
  base="http://127.0.0.1:$port"
  for _ in $(seq 1 60); do
    curl -sf "$base/ready" >/dev/null && return
    kill -0 "$server" 2>/dev/null || { echo "the service exited; see $log" >&2; exit 1; }
    sleep 0.5
  done
  echo "the service did not become ready; see $log" >&2
  exit 1
}
