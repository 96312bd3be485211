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
BENCH_TIMEOUT=${BENCH_TIMEOUT:-900}
source scripts/lib/bench.sh

read -r -a extra <<<"${BENCH_ARGS:-}"
args=(--runs "${BENCH_RUNS:-20}" --province-runs "${BENCH_PROVINCE_RUNS:-3}" "${extra[@]}")
[[ ${BENCH_REGEN:-0} == 1 ]] && args+=(--regen)

bench_build participation_bench
bench_engines "$BUILD/province.db" "${args[@]}"
bench_table "| date | commit | engine | generation | branch p50 | branch max | province median (max) | demo p50 | demo max |" \
  "|---|---|---|---:|---:|---:|---:|---:|---:|"
exit "$status"
