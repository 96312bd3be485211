#!/usr/bin/env bash
# bench/participation.sh — the participation benchmark of issue 3, both engines, one command:
#   builds build-bench/participation_bench (Release), then runs it on
#   - SQLite: build-bench/province.db, generated on the first run and reused after (the sizes
#     and the generation time are in province.db.meta; BENCH_REGEN=1 regenerates);
#   - PostgreSQL 15: a throwaway cluster (scripts/lib/pg.sh), the province generated into
#     database chidoan_bench every run, stopped and removed at the end.
# Prints a markdown row per engine for docs/benchmarks.md.
# Environment: BENCH_RUNS (20), BENCH_PROVINCE_RUNS (3), BENCH_NO_BUILD=1, BENCH_NO_PG=1,
#   BENCH_REGEN=1, BENCH_ARGS (more participation_bench options, e.g. "--branches 200"),
#   BENCH_TIMEOUT (seconds per engine, default 900).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh
source scripts/lib/pg.sh

BUILD=${BENCH_BUILD_DIR:-build-bench}
BIN=$BUILD/bench/participation_bench
TIMEOUT=${BENCH_TIMEOUT:-900}
read -r -a extra <<<"${BENCH_ARGS:-}"
args=(--runs "${BENCH_RUNS:-20}" --province-runs "${BENCH_PROVINCE_RUNS:-3}" "${extra[@]}")
[[ ${BENCH_REGEN:-0} == 1 ]] && args+=(--regen)

if [[ ${BENCH_NO_BUILD:-0} != 1 || ! -x $BIN ]]; then
  step "Building $BIN (Release)"
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$BUILD" -j2 --target participation_bench
fi

pg_started=0
cleanup() {
  local rc=$?
  ((pg_started)) && pg_stop
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

out=$(mktemp "${TMPDIR:-/tmp}/chidoan-participation.XXXXXX")
step "SQLite"
timeout "$TIMEOUT" "$BIN" --sqlite "$BUILD/province.db" --no-pg "${args[@]}" | tee "$out"
rows=$(grep -E '^\| SQLite' "$out" || true)

if [[ ${BENCH_NO_PG:-0} != 1 ]]; then
  step "PostgreSQL (throwaway cluster)"
  pg_start
  pg_started=1
  timeout "$TIMEOUT" "$BIN" --pg "$CHIDOAN_TEST_PG" --no-sqlite "${args[@]}" | tee "$out"
  rows+=$'\n'$(grep -E '^\| PostgreSQL' "$out" || true)
fi
rm -f "$out"

commit=$(git rev-parse --short HEAD 2>/dev/null || echo '?')
dirty=$(git status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo '+dirty' || true)
step "Result (paste into docs/benchmarks.md)"
echo
echo "| date | commit | engine | generation | branch p50 | branch max | province median (max) | demo p50 | demo max |"
echo "|---|---|---|---:|---:|---:|---:|---:|---:|"
while IFS= read -r r; do
  [[ -n $r ]] && echo "| $(date -u +%F) | $commit$dirty ${r}"
done <<<"$rows"
echo
echo "Command: \`bench/participation.sh\` ($(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo))"
