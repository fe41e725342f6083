#!/bin/sh
# Cargo runs every test and bench binary through this (.cargo/config.toml). A test binary runs
# under `newslit with-postgres`, which leaves DATABASE_URL alone when it is set or something
# answers on 127.0.0.1:5432, and otherwise gives the tests a private PostgreSQL cluster for the
# run. Anything else (`cargo run`) runs as it is.
case "$1" in
  */deps/*)
    newslit="$(dirname "$1")/../newslit"
    if [ -x "$newslit" ]; then exec "$newslit" with-postgres "$@"; fi ;;
esac
exec "$@"
