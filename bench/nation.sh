#!/usr/bin/env bash
# bench/nation.sh — the nation-scale benchmark of issue 10, both engines, one command:
#   builds build-bench/bench/nation_bench (Release), then on
#   - SQLite: build-bench/nation.db (`chidoan gen --scale nation`, generated on the first run —
#     about an hour and 17 GB with 4 activities a branch — and reused after; BENCH_REGEN=1
#     regenerates);
#   - PostgreSQL 15: a throwaway cluster (scripts/lib/pg.sh), generated every run;
#   times the member search across the nation, a province dashboard and the nation's roll-up.
# Prints a markdown row per engine for docs/benchmarks.md.
# Environment: BENCH_ARGS (more nation_bench options, e.g. "--provinces 8" or
#   "--activities-per-branch 4"), BENCH_NO_BUILD=1, BENCH_NO_PG=1, BENCH_REGEN=1,
#   BENCH_TIMEOUT (seconds per engine, default 7200).
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_TIMEOUT=${BENCH_TIMEOUT:-7200}
source scripts/lib/bench.sh

read -r -a extra <<<"${BENCH_ARGS:-}"
args=("${extra[@]}")
[[ ${BENCH_REGEN:-0} == 1 ]] && args+=(--regen)

bench_build nation_bench
bench_engines "$BUILD/nation.db" "${args[@]}"
bench_table "| date | commit | engine | provinces | generation | members | branches | search p50 | search p99 (max) | province dashboard median (max) | nation roll-up |" \
  "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
exit "$status"
