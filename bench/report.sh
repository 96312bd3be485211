#!/usr/bin/env bash
# bench/report.sh — the year-end report benchmark of issue 9, both engines, one command:
#   builds build-bench/report_bench (Release), then times review::year_report for the synthetic
#   province (and for single branches) on
#   - SQLite: build-bench/province.db, shared with bench/participation.sh (generated on the first
#     run and reused after; BENCH_REGEN=1 regenerates);
#   - PostgreSQL 15: a throwaway cluster (scripts/lib/pg.sh), the province generated every run.
# Prints a markdown row per engine for docs/benchmarks.md.
# Environment: BENCH_RUNS (3), BENCH_NO_BUILD=1, BENCH_NO_PG=1, BENCH_REGEN=1, BENCH_ARGS (more
#   report_bench options), BENCH_TIMEOUT (seconds per engine, default 900).
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_TIMEOUT=${BENCH_TIMEOUT:-900}
source scripts/lib/bench.sh

read -r -a extra <<<"${BENCH_ARGS:-}"
args=(--runs "${BENCH_RUNS:-3}" "${extra[@]}")
[[ ${BENCH_REGEN:-0} == 1 ]] && args+=(--regen)

bench_build report_bench
bench_engines "$BUILD/province.db" "${args[@]}"
bench_table "| date | commit | engine | generation | province median (max) | members | branches | JSON | branch p50 | branch max |" \
  "|---|---|---|---:|---:|---:|---:|---:|---:|---:|"
exit "$status"
