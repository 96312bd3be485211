#!/usr/bin/env bash
# bench/fund.sh — the campaign ledger benchmark of issue 4, both engines, one command:
#   builds build-bench/bench/fund_bench (Release), then runs it on
#   - SQLite: build-bench/fund.db, generated on the first run and reused after (sizes, the
#     generation time and the expected figures are in fund.db.meta; BENCH_REGEN=1 regenerates);
#   - PostgreSQL 15: a throwaway cluster (scripts/lib/pg.sh), the campaign generated into
#     database chidoan_fundbench every run, stopped and removed at the end.
# Each engine: campaign totals over 1,000,000 ledger entries (median and max of 10), then 32
# concurrent recorders with receipts for 5 s, twice (an open load of BENCH_RATE contributions a
# second each, the target's case; then saturated, the stress case), each with the receipt check.
# Prints a markdown row per engine for docs/benchmarks.md.
# Environment: BENCH_RUNS (10), BENCH_WRITERS (32), BENCH_SECONDS (5), BENCH_RATE (10), BENCH_NO_BUILD=1,
#   BENCH_NO_PG=1, BENCH_REGEN=1, BENCH_ARGS (more fund_bench options, e.g. "--entries 100000"),
#   BENCH_BUILD_DIR (build-bench), BENCH_TIMEOUT (seconds per engine, default 600).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh
source scripts/lib/pg.sh

BUILD=${BENCH_BUILD_DIR:-build-bench}
BIN=$BUILD/bench/fund_bench
TIMEOUT=${BENCH_TIMEOUT:-600}
read -r -a extra <<<"${BENCH_ARGS:-}"
args=(--runs "${BENCH_RUNS:-10}" --writers "${BENCH_WRITERS:-32}" --seconds "${BENCH_SECONDS:-5}" --rate "${BENCH_RATE:-10}"
  "${extra[@]}")
[[ ${BENCH_REGEN:-0} == 1 ]] && args+=(--regen)

if [[ ${BENCH_NO_BUILD:-0} != 1 || ! -x $BIN ]]; then
  step "Building $BIN (Release)"
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$BUILD" -j2 --target fund_bench
fi

pg_started=0
cleanup() {
  local rc=$?
  ((pg_started)) && pg_stop
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

out=$(mktemp "${TMPDIR:-/tmp}/chidoan-fund.XXXXXX")
status=0
step "SQLite"
timeout "$TIMEOUT" "$BIN" --sqlite "$BUILD/fund.db" --no-pg "${args[@]}" | tee "$out" || status=$?
rows=$(grep -E '^\| SQLite' "$out" || true)

if [[ ${BENCH_NO_PG:-0} != 1 ]]; then
  step "PostgreSQL (throwaway cluster)"
  pg_start
  pg_started=1
  timeout "$TIMEOUT" "$BIN" --pg "$CHIDOAN_TEST_PG" --no-sqlite "${args[@]}" | tee "$out" || status=$?
  rows+=$'\n'$(grep -E '^\| PostgreSQL' "$out" || true)
fi
rm -f "$out"

commit=$(git rev-parse --short HEAD 2>/dev/null || echo '?')
dirty=$(git status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo '+dirty' || true)
step "Result (paste into docs/benchmarks.md)"
echo
echo "| date | commit | engine | generation | entries | totals median | totals max | writers | load | recorded (per s) | p50 | p99 | max | receipts |"
echo "|---|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---|"
while IFS= read -r r; do
  [[ -n $r ]] && echo "| $(date -u +%F) | $commit$dirty ${r}"
done <<<"$rows"
echo
echo "Command: \`bench/fund.sh\` ($(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo))"
exit "$status"
