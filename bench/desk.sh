#!/usr/bin/env bash
# bench/desk.sh — the automatic duty roster of issue 6 (a month for 60 volunteers and 44 shifts
# solves in ≤ 1 s), one command:
#   builds build-bench/bench/desk_bench (Release), then solves two generated months of November
#   2021 (22 weekdays × 2 shifts) for 60 volunteers: "month" (min 2 staff, ≤ 3 shifts a week,
#   60 min rest) and "hard" (min 3 staff, ≤ 3 a week, 180 min rest: one shift a day), BENCH_RUNS
#   timed solves each after a warm-up; median, p90, max; every roster checked against the rules
#   and against the first run's; then BENCH_SWEEP random shapes beyond the target (20–100
#   volunteers, 10–90 shifts of four lengths, min staff 1–3), one solve each. No database: the
#   solver is pure.
# Prints the markdown rows for docs/benchmarks.md with the date and commit.
# Environment: BENCH_RUNS (20), BENCH_SEED (2021), BENCH_SWEEP (30), BENCH_NO_BUILD=1,
#   BENCH_BUILD_DIR (build-bench), BENCH_ARGS (more desk_bench options, e.g. "--volunteers 120").
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bench.sh

read -r -a extra <<<"${BENCH_ARGS:-}"
args=(--runs "${BENCH_RUNS:-20}" --seed "${BENCH_SEED:-2021}" --sweep "${BENCH_SWEEP:-30}" "${extra[@]}")

bench_build desk_bench
out=$(mktemp "${TMPDIR:-/tmp}/chidoan-bench.XXXXXX")
trap 'rm -f "$out"' EXIT
status=0
step "Solving"
timeout "$TIMEOUT" "$BIN" "${args[@]}" | tee "$out" || status=$?
# shellcheck disable=SC2034  # read by bench_table
rows=$(grep -E '^\| (month|hard)' "$out" || true)
bench_table "| date | commit | variant | volunteers | shifts | fixed | added | Σ minutes² | hours | preferred | runs | median | p90 | max | status |" \
  "|---|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---|"
echo "Command line: $BIN ${args[*]}"
sed -n '/^| sweep/,/^| seed/p' "$out"
grep -E '^Targets' "$out" || echo "Targets (issue 6): MISSED (no result)"
exit "$status"
