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
BENCH_TIMEOUT=${BENCH_TIMEOUT:-600}
source scripts/lib/bench.sh

read -r -a extra <<<"${BENCH_ARGS:-}"
args=(--runs "${BENCH_RUNS:-10}" --writers "${BENCH_WRITERS:-32}" --seconds "${BENCH_SECONDS:-5}" --rate "${BENCH_RATE:-10}"
  "${extra[@]}")
[[ ${BENCH_REGEN:-0} == 1 ]] && args+=(--regen)

bench_build fund_bench
bench_engines "$BUILD/fund.db" "${args[@]}"
bench_table "| date | commit | engine | generation | entries | totals median | totals max | writers | load | recorded (per s) | p50 | p99 | max | receipts |" \
  "|---|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---|"
exit "$status"
