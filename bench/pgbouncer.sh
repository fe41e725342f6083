#!/usr/bin/env bash
# Prints the path of a PgBouncer that can pool transactions for newslit (≥ 1.21, which tracks
# protocol-level prepared statements: `max_prepared_statements`), building it once per machine
# when none is found. Debian bookworm's own package is 1.18, too old; this builds Debian trixie's
# source package (1.24.1, with Debian's patches) fetched with apt from the mirror this machine's
# apt already uses, into a cache folder outside the repository.
#
# usage: pgbouncer=$(bash bench/pgbouncer.sh)
#   PGBOUNCER=/path/to/pgbouncer      use that binary (checked for ≥ 1.21)
#   NEWSLIT_TOOL_CACHE=DIR            where builds are kept (default ~/.cache/newslit, or
#                                     $XDG_CACHE_HOME/newslit)
# Needs apt-get (sources from /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list), a C
# compiler and make; installs libevent-dev, libssl-dev and pkg-config with apt-get when missing
# (as root). Logs go to stderr; stdout is the binary's path only.
set -euo pipefail

version=1.24.1
log() { echo "pgbouncer.sh: $*" >&2; }

new_enough() { # binary
  local v
  v=$("$1" --version 2>/dev/null | head -1 | grep -oE '[0-9]+\.[0-9]+(\.[0-9]+)?' | head -1) || return 1
  [ -n "$v" ] || return 1
  [ "$(printf '%s\n1.21\n' "$v" | sort -V | head -1)" = 1.21 ]
}

if [ -n "${PGBOUNCER:-}" ]; then
  new_enough "$PGBOUNCER" || { log "$PGBOUNCER is older than 1.21"; exit 1; }
  echo "$PGBOUNCER"
  exit 0
fi
for candidate in "$(command -v pgbouncer || true)" /usr/sbin/pgbouncer; do
  if [ -n "$candidate" ] && [ -x "$candidate" ] && new_enough "$candidate"; then
    echo "$candidate"
    exit 0
  fi
done

cache=${NEWSLIT_TOOL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/newslit}
prefix=$cache/pgbouncer-$version
if [ -x "$prefix/bin/pgbouncer" ] && new_enough "$prefix/bin/pgbouncer"; then
  echo "$prefix/bin/pgbouncer"
  exit 0
fi

mkdir -p "$cache"
# One build at a time per machine; a second caller waits and then finds the binary.
exec 8>"$cache/pgbouncer.lock"
flock 8
if [ -x "$prefix/bin/pgbouncer" ] && new_enough "$prefix/bin/pgbouncer"; then
  echo "$prefix/bin/pgbouncer"
  exit 0
fi

log "building PgBouncer $version from Debian trixie's source package into $prefix"
need=()
pkg-config --exists libevent 2>/dev/null || need+=(libevent-dev)
pkg-config --exists openssl 2>/dev/null || need+=(libssl-dev)
command -v pkg-config >/dev/null || need+=(pkg-config)
command -v cc >/dev/null || need+=(build-essential)
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { log "missing ${need[*]}: install them (apt-get install ${need[*]})"; exit 1; }
  log "installing ${need[*]}"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
fi

build=$(mktemp -d "${TMPDIR:-/tmp}/newslit-pgbouncer.XXXXXX")
trap 'rm -rf "$build"' EXIT
mkdir -p "$build/apt/parts" "$build/apt/state/lists/partial" "$build/apt/cache/archives/partial" "$build/src"
: > "$build/apt/empty.list"
# A source-package list for trixie, derived from the mirror(s) apt is configured with here.
if compgen -G "/etc/apt/sources.list.d/*.sources" >/dev/null; then
  for f in /etc/apt/sources.list.d/*.sources; do
    # Keep the stanzas of the main archive (not -security, -updates or other repositories).
    awk 'BEGIN { RS = ""; ORS = "\n\n" }
         /Suites:[^\n]*(bookworm|bullseye|trixie|sid|stable|testing)( |\n|$)/ && !/security/ {
           gsub(/Types:[^\n]*/, "Types: deb-src")
           gsub(/Suites:[^\n]*/, "Suites: trixie")
           gsub(/Components:[^\n]*/, "Components: main")
           print }' "$f"
  done > "$build/apt/parts/trixie-src.sources"
fi
if [ ! -s "$build/apt/parts/trixie-src.sources" ] && [ -f /etc/apt/sources.list ]; then
  awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i !~ /^\[/) { print "deb-src " $i " trixie main"; exit } }' \
    /etc/apt/sources.list > "$build/apt/parts/trixie-src.list"
fi
compgen -G "$build/apt/parts/*" >/dev/null && [ -s "$(ls "$build"/apt/parts/* | head -1)" ] ||
  { log "no Debian mirror found in apt's sources"; exit 1; }
apt_opts=(-o "Dir::Etc::SourceList=$build/apt/empty.list" -o "Dir::Etc::SourceParts=$build/apt/parts"
  -o "Dir::State=$build/apt/state" -o "Dir::Cache=$build/apt/cache" -o "APT::Sandbox::User=root")
apt-get "${apt_opts[@]}" -qq update >&2
(cd "$build/src" && apt-get "${apt_opts[@]}" -qq source --download-only pgbouncer >&2)
orig=$(ls "$build"/src/pgbouncer_*.orig.tar.* | head -1)
tar -C "$build/src" -xf "$orig"
srcdir=$(ls -d "$build"/src/pgbouncer-*/ | head -1)
if debian=$(ls "$build"/src/pgbouncer_*.debian.tar.* 2>/dev/null | head -1) && [ -n "$debian" ]; then
  tar -C "$srcdir" -xf "$debian"
  # Debian's fixes (security patches); its packaging-only patch (paths of the Debian package) is left out.
  while read -r p _; do
    case "$p" in '' | '#'* | debian-config) continue ;; esac
    patch -d "$srcdir" -p1 -s < "$srcdir/debian/patches/$p" >&2
  done < "$srcdir/debian/patches/series"
fi
(cd "$srcdir" && ./configure -q --prefix="$prefix" --without-cares --with-openssl >&2 &&
  make -s -j"$(nproc)" >&2 && make -s install >&2)
new_enough "$prefix/bin/pgbouncer" || { log "the build did not produce PgBouncer ≥ 1.21"; exit 1; }
log "built $("$prefix/bin/pgbouncer" --version | head -1)"
echo "$prefix/bin/pgbouncer"
