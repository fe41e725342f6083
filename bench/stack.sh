# The production shape on loopback, shared by bench/cluster.sh and bench/pooler.sh: a private
# PostgreSQL cluster, PgBouncer in front of it, `newslit migrate` run once straight against
# PostgreSQL, and instances started through PgBouncer with NEWSLIT_MIGRATE=false. Everything is
# started by this script's process and stopped by pid when it exits.
#
#   source bench/stack.sh
#   stack_init NAME LIMIT_SECONDS            # $NEWSLIT_BIN, $PGBOUNCER, $PGBIN, $WORK, $pids, the exit trap
#   stack_postgres PORT MAX_CONNECTIONS      # initdb + start; $DIRECT, $PSQL
#   stack_pgbouncer PORT MODE POOL MAX_CLIENTS [ADMIN]   # $POOLED; ADMIN=admin gives postgres the admin console
#   stack_migrate FILE                       # `newslit migrate` against $DIRECT, its output in FILE
#   stack_instance PORT LOG POOL_SIZE        # one instance through PgBouncer; its pid in $instance
#   stack_ready PORT...                      # waits for /ready on each, fails naming the logs
#   free_port FROM                           # the first port from FROM nobody listens on

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { local p=$1; while port_in_use "$p"; do p=$((p + 1)); done; echo "$p"; }

stack_init() { # name limit-seconds
  local name=$1 limit=$2
  PGBOUNCER=${PGBOUNCER:-$(bash bench/pgbouncer.sh)}
  if [ -z "${NEWSLIT_BIN:-}" ]; then
    cargo build --release --locked --bin newslit
    NEWSLIT_BIN=${CARGO_TARGET_DIR:-target}/release/newslit
  fi
  NEWSLIT_BIN=$(realpath "$NEWSLIT_BIN")
  PGBIN=/usr/lib/postgresql/$(ls /usr/lib/postgresql | sort -V | tail -1)/bin
  WORK=$(mktemp -d "/tmp/newslit-$name.XXXXXX")
  chmod 755 "$WORK"
  if [ "$(id -u)" = 0 ]; then chown postgres "$WORK"; AS_PG="runuser -u postgres --"; else AS_PG=""; fi
  # PgBouncer refuses to run as root: as root it runs as postgres, from a copy it can read.
  install -m 755 "$PGBOUNCER" "$WORK/pgbouncer"
  pids=()
  trap stack_cleanup EXIT
  trap 'exit 130' INT TERM
  # Bounded: the whole run may take at most LIMIT seconds. (The timer's sleep holds no output
  # pipe and dies with it.)
  ( trap 'kill $timer 2>/dev/null; exit 0' TERM; sleep "$limit" >/dev/null 2>&1 & timer=$!; wait $timer
    echo "$name: time limit of $limit s reached" >&2; kill -TERM $$ ) & pids+=($!)
  export NEWSLIT_JWT_SECRET=$name-secret NEWSLIT_LOG=warn NEWSLIT_RATE_LIMIT_WRITES_PER_MINUTE=0
}

stack_cleanup() {
  # Only what this script started, by pid. (set -e holds in traps: nothing here may fail.)
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$WORK/pgbouncer.pid" ] && kill "$(cat "$WORK/pgbouncer.pid")" 2>/dev/null || true
  [ -f "$WORK/data/postmaster.pid" ] && $AS_PG "$PGBIN/pg_ctl" -D "$WORK/data" -m immediate -w stop >/dev/null 2>&1 || true
  sleep 0.5; rm -rf "$WORK"
}

stack_postgres() { # port max-connections
  PGPORT=$1
  $AS_PG "$PGBIN/initdb" -D "$WORK/data" -U postgres --auth=trust >/dev/null
  $AS_PG "$PGBIN/pg_ctl" -D "$WORK/data" -o "-p $PGPORT -k $WORK -c listen_addresses=127.0.0.1 -c max_connections=$2" \
    -l "$WORK/postgres.log" -w start >/dev/null
  DIRECT="postgres://postgres@127.0.0.1:$PGPORT/newslit"
  PSQL="$PGBIN/psql -h 127.0.0.1 -p $PGPORT -U postgres -d newslit -X -q"
}

stack_pgbouncer() { # port pool-mode pool-size max-clients [admin]
  BOUNCER=$1
  cat > "$WORK/pgbouncer.ini" <<INI
[databases]
newslit = host=127.0.0.1 port=$PGPORT dbname=newslit
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BOUNCER
unix_socket_dir =
auth_type = trust
auth_file = $WORK/users.txt
$([ "${5:-}" = admin ] && echo "admin_users = postgres" || true)
pool_mode = $2
max_prepared_statements = 200
max_client_conn = $4
default_pool_size = $3
ignore_startup_parameters = extra_float_digits
logfile = $WORK/pgbouncer.log
pidfile = $WORK/pgbouncer.pid
INI
  echo '"postgres" ""' > "$WORK/users.txt"
  if [ "$(id -u)" = 0 ]; then chown postgres "$WORK/pgbouncer.ini" "$WORK/users.txt"; fi
  $AS_PG "$WORK/pgbouncer" -d "$WORK/pgbouncer.ini"
  for _ in $(seq 50); do port_in_use "$BOUNCER" && break; sleep 0.1; done
  POOLED="postgres://postgres@127.0.0.1:$BOUNCER/newslit"
}

stack_migrate() { # output-file
  DATABASE_URL=$DIRECT "$NEWSLIT_BIN" migrate > "$1"
}

stack_instance() { # port logfile pool-size
  DATABASE_URL=$POOLED NEWSLIT_MIGRATE=false NEWSLIT_DB_POOL_SIZE=$3 NEWSLIT_LISTEN=127.0.0.1:$1 \
    "$NEWSLIT_BIN" serve > "$2" 2>&1 &
  instance=$!
  pids+=($instance)
}

stack_ready() { # port...
  local port
  for port in "$@"; do
    for _ in $(seq 100); do curl -sf "127.0.0.1:$port/ready" >/dev/null && break; sleep 0.2; done
    curl -sf "127.0.0.1:$port/ready" >/dev/null || { echo "instance on $port not ready; see $out/*.log" >&2; exit 1; }
  done
}
