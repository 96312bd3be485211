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
BENCH_TIMEOUT=${BENCH_TIMEOUT:-600}
source scripts/lib/bench.sh

read -r -a extra <<<"${BENCH_ARGS:-}"
args=(--calls "${BENCH_CALLS:-2000}" "${extra[@]}")
[[ ${BENCH_REGEN:-0} == 1 ]] && args+=(--regen)

bench_build blood_bench
bench_engines "$BUILD/blood.db" "${args[@]}"
bench_table "| date | commit | engine | donors | generation | requests | calls | p50 | p99 | max | checked |" \
  "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|"
# The target over every engine that ran: met only if each engine's line says so.
met=1
while IFS= read -r t; do
  [[ -n $t && $t != *": met;"* ]] && met=0
done <<<"$targets"
[[ -z ${rows//[$'\n']/} ]] && met=0
echo "Targets (issue 5): matching p99 ≤ 10 ms: $( ((met)) && echo met || echo MISSED)"
exit "$status"
