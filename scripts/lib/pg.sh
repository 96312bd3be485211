# Throwaway PostgreSQL 15 cluster for tests. Source this file, then:
#   pg_start        # starts a cluster on a Unix socket only, creates database chidoan_test,
#                   # exports CHIDOAN_TEST_PG=postgresql://postgres@/chidoan_test?host=DIR&port=PORT
#   ctest ...       # storage tests also run on PostgreSQL
#   pg_stop         # stops it and removes its directory
# Trust authentication, no TCP listener: the socket lives in a private mktemp directory.
# CHIDOAN_PG_OPTS adds server settings ("-c shared_buffers=4GB …"; the nation benchmark's are in
# docs/benchmarks.md).
# Works as root (initdb/pg_ctl run as the postgres user via runuser) or as any other user.

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

_pg_as() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_start() {
  if [ -n "${CHIDOAN_PG_DIR:-}" ] && [ -d "$CHIDOAN_PG_DIR" ]; then
    echo "pg_start: already running in $CHIDOAN_PG_DIR" >&2
    return 0
  fi
  local dir port
  dir=$(mktemp -d "${TMPDIR:-/tmp}/chidoan-pg.XXXXXX") || return 1
  chmod 755 "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
  if ! _pg_as "$PG_BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C >"$dir/initdb.log" 2>&1; then
    echo "pg_start: initdb failed:" >&2; cat "$dir/initdb.log" >&2; rm -rf "$dir"; return 1
  fi
  # Only a Unix socket in our own directory, so the port just has to be free of our own
  # sockets and of other clusters' shared memory; try a few in turn.
  port=${CHIDOAN_PG_PORT:-55432}
  local tries=0
  until _pg_as "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
      -o "-p $port -k $dir -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 ${CHIDOAN_PG_OPTS:-}" \
      start >/dev/null 2>&1; do
    tries=$((tries + 1))
    if [ $tries -ge 20 ]; then
      echo "pg_start: could not start PostgreSQL:" >&2; tail -n 20 "$dir/server.log" >&2; rm -rf "$dir"; return 1
    fi
    port=$((port + 1))
  done
  if ! "$PG_BIN/psql" -q -h "$dir" -p "$port" -U postgres -d postgres -c 'CREATE DATABASE chidoan_test' >/dev/null; then
    echo "pg_start: CREATE DATABASE failed" >&2
    _pg_as "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1; rm -rf "$dir"; return 1
  fi
  export CHIDOAN_PG_DIR="$dir" CHIDOAN_PG_PORT_USED="$port"
  export CHIDOAN_TEST_PG="postgresql://postgres@/chidoan_test?host=$dir&port=$port"
  echo "pg_start: CHIDOAN_TEST_PG=$CHIDOAN_TEST_PG" >&2
}

pg_stop() {
  local dir=${CHIDOAN_PG_DIR:-}
  if [ -z "$dir" ] || [ ! -d "$dir" ]; then
    echo "pg_stop: nothing running" >&2
    return 0
  fi
  _pg_as "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 ||
    _pg_as "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
  rm -rf "$dir"
  unset CHIDOAN_PG_DIR CHIDOAN_PG_PORT_USED CHIDOAN_TEST_PG
}
