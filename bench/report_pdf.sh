#!/usr/bin/env bash
# bench/report_pdf.sh — the year-end report's PDF of issue 9 (the demo's PDF report in ≤ 300 ms),
# one command: builds $BENCH_BUILD_DIR/bench/report_pdf_bench (Release), loads the demo into a
# fresh SQLite file and (unless BENCH_NO_PG=1) a throwaway PostgreSQL, then times BENCH_RUNS
# reports of Chi đoàn Văn phòng UBND tỉnh for 2021, computed and rendered as PDF, after a warm-up;
# every PDF checked equal to the first.
# Prints the markdown rows for docs/benchmarks.md with the date and commit.
# Environment: BENCH_RUNS (20), BENCH_NO_BUILD=1, BENCH_NO_PG=1, BENCH_BUILD_DIR (build-bench).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bench.sh

bench_build report_pdf_bench
bench_engines "$BUILD/report-pdf.db" --runs "${BENCH_RUNS:-20}"
bench_table "| date | commit | engine | runs | median | p90 | max | render (median) | PDF bytes | status |" \
  "|---|---|---|---:|---:|---:|---:|---:|---:|---|"
echo "$targets"
exit "$status"
