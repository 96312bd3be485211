# shellcheck shell=bash
# What the bench/*.sh scripts share: build one Release benchmark, run it on SQLite and on a
# throwaway PostgreSQL, collect the markdown rows it prints, and print them with the date and
# commit for docs/benchmarks.md.
#
#   source scripts/lib/bench.sh
#   bench_build fund_bench                        # sets BIN (BENCH_NO_BUILD=1 reuses it)
#   bench_engines "$BUILD/fund.db" "${args[@]}"   # sets rows, targets and status
#   bench_table "| date | commit | engine | … |" "|---|---|---|…|"
# Environment: BENCH_BUILD_DIR (build-bench), BENCH_TIMEOUT (seconds per engine, default 600),
#   BENCH_NO_BUILD=1, BENCH_NO_PG=1, BENCH_NO_SQLITE=1 (PostgreSQL only).

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
# shellcheck source=pg.sh
source "$(dirname "${BASH_SOURCE[0]}")/pg.sh"

BUILD=${BENCH_BUILD_DIR:-build-bench}
TIMEOUT=${BENCH_TIMEOUT:-600}

# bench_build TARGET: builds $BUILD/bench/TARGET in Release unless it is there and BENCH_NO_BUILD=1.
bench_build() {
  BIN=$BUILD/bench/$1
  if [[ ${BENCH_NO_BUILD:-0} != 1 || ! -x $BIN ]]; then
    step "Building $BIN (Release)"
    cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$BUILD" -j2 --target "$1"
  fi
}

_bench_pg_started=0
_bench_cleanup() {
  local rc=$?
  ((_bench_pg_started)) && pg_stop
  exit "$rc"
}

# bench_engines SQLITE_FILE ARGS...: runs $BIN on the SQLite file (unless BENCH_NO_SQLITE=1), then
# (unless BENCH_NO_PG=1) on a throwaway PostgreSQL cluster; sets rows (the "| SQLite …" and "| PostgreSQL …" lines), targets
# (the "Targets …" lines) and status (the first failing exit code, else 0).
bench_engines() {
  local file=$1 out
  shift
  trap _bench_cleanup EXIT
  trap 'exit 130' INT TERM
  out=$(mktemp "${TMPDIR:-/tmp}/chidoan-bench.XXXXXX")
  status=0 rows='' targets=''
  if [[ ${BENCH_NO_SQLITE:-0} != 1 ]]; then
    step "SQLite"
    timeout "$TIMEOUT" "$BIN" --sqlite "$file" --no-pg "$@" | tee "$out" || status=$?
    rows=$(grep -E '^\| SQLite' "$out" || true)
    targets=$(grep -E '^Targets' "$out" || true)
  fi
  if [[ ${BENCH_NO_PG:-0} != 1 ]]; then
    step "PostgreSQL (throwaway cluster)"
    pg_start
    _bench_pg_started=1
    timeout "$TIMEOUT" "$BIN" --pg "$CHIDOAN_TEST_PG" --no-sqlite "$@" | tee "$out" || { ((status)) || status=$?; }
    rows+=$'\n'$(grep -E '^\| PostgreSQL' "$out" || true)
    targets+=$'\n'$(grep -E '^Targets' "$out" || true)
  fi
  rm -f "$out"
}

# bench_table HEADER SEPARATOR: the rows with the date and commit in front, then the command line.
bench_table() {
  local commit dirty r
  commit=$(git rev-parse --short HEAD 2>/dev/null || echo '?')
  dirty=$(git status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo '+dirty' || true)
  step "Result (paste into docs/benchmarks.md)"
  echo
  echo "$1"
  echo "$2"
  while IFS= read -r r; do
    [[ -n $r ]] && echo "| $(date -u +%F) | $commit$dirty ${r}"
  done <<<"$rows"
  echo
  echo "Command: \`$0\` ($(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo))"
}
