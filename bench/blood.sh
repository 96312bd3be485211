#!/usr/bin/env bash
# bench/blood.sh — the matching benchmark of issue 5 (Store::match among 100,000 donors,
# target p99 ≤ 10 ms), both engines, one command:
#   builds build-bench/bench/blood_bench (Release), then runs it on
#   - SQLite: build-bench/blood.db, generated on the first run and reused after (seed, sizes,
#     the blood migration's text and the generation time are in blood.db.meta; BENCH_REGEN=1
#     regenerates);
#   - PostgreSQL 15: a throwaway cluster (scripts/lib/pg.sh), the club generated into database
#     chidoan_bloodbench every run, then ANALYZE; stopped and removed at the end.
# Each engine: one warm-up pass over the 200 requests, then BENCH_CALLS timed calls cycling
# through them (p50, p99, max), then the checks (admissible, complete, ranked as rules::rank,
# derived columns as Store::refresh). Prints a markdown row per engine for docs/benchmarks.md.
# Environment: BENCH_CALLS (2000), BENCH_NO_BUILD=1, BENCH_NO_PG=1, BENCH_REGEN=1,
#   BENCH_ARGS (more blood_bench options, e.g. "--rank-check 200"), BENCH_BUILD_DIR (build-bench),
#   BENCH_TIMEOUT (seconds per engine, default 600).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh
source scripts/lib/pg.sh

BUILD=${BENCH_BUILD_DIR:-build-bench}
BIN=$BUILD/bench/blood_bench
TIMEOUT=${BENCH_TIMEOUT:-600}
read -r -a extra <<<"${BENCH_ARGS:-}"
args=(--calls "${BENCH_CALLS:-2000}" "${extra[@]}")
[[ ${BENCH_REGEN:-0} == 1 ]] && args+=(--regen)

if [[ ${BENCH_NO_BUILD:-0} != 1 || ! -x $BIN ]]; then
  step "Building $BIN (Release)"
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$BUILD" -j2 --target blood_bench
fi

pg_started=0
cleanup() {
  local rc=$?
  ((pg_started)) && pg_stop
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

out=$(mktemp "${TMPDIR:-/tmp}/chidoan-blood.XXXXXX")
status=0
step "SQLite"
timeout "$TIMEOUT" "$BIN" --sqlite "$BUILD/blood.db" --no-pg "${args[@]}" | tee "$out" || status=$?
rows=$(grep -E '^\| SQLite' "$out" || true)
targets=$(grep -E '^Targets' "$out" || true)

if [[ ${BENCH_NO_PG:-0} != 1 ]]; then
  step "PostgreSQL (throwaway cluster)"
  pg_start
  pg_started=1
  timeout "$TIMEOUT" "$BIN" --pg "$CHIDOAN_TEST_PG" --no-sqlite "${args[@]}" | tee "$out" || status=$?
  rows+=$'\n'$(grep -E '^\| PostgreSQL' "$out" || true)
  targets+=$'\n'$(grep -E '^Targets' "$out" || true)
fi
rm -f "$out"

commit=$(git rev-parse --short HEAD 2>/dev/null || echo '?')
dirty=$(git status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo '+dirty' || true)
step "Result (paste into docs/benchmarks.md)"
echo
echo "| date | commit | engine | donors | generation | requests | calls | p50 | p99 | max | checked |"
echo "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|"
met=1
while IFS= read -r r; do
  [[ -n $r ]] && echo "| $(date -u +%F) | $commit$dirty ${r}"
done <<<"$rows"
# The target over every engine that ran: met only if each engine's line says so.
while IFS= read -r t; do
  [[ -n $t && $t != *": met;"* ]] && met=0
done <<<"$targets"
[[ -z ${rows//[$'\n']/} ]] && met=0
echo
echo "Targets (issue 5): matching p99 ≤ 10 ms: $( ((met)) && echo met || echo MISSED)"
echo "Command: \`bench/blood.sh\` ($(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo))"
exit "$status"
