#!/usr/bin/env bash
# bench/pages.sh — server time of single pages on the demo (SQLite), one request at a time:
#   wrk -t1 -c1 -d5s --latency -H "Authorization: Bearer TOKEN" URL
# for each URL below; prints a markdown row per URL (p50, p99, req/s) for docs/benchmarks.md.
# The latency includes loopback and wrk: an upper bound on the server's time.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/deps.sh
install_deps
install_bench_deps
BIN=${CHIDOAN_BIN:-build/chidoan}
[[ -x $BIN && ${BENCH_NO_BUILD:-0} == 1 ]] || build

tmp=$(mktemp -d "${TMPDIR:-/tmp}/chidoan-pages.XXXXXX")
server_pid=""
cleanup() {
  [[ -n $server_pid ]] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
db="sqlite:$tmp/demo.db"
"$BIN" load data/demo/lam-dong-2021.json --db "$db" >/dev/null
printf 'chidoan-bench-2021\n' | "$BIN" user add --db "$db" --username sangpv --role branch_secretary --org VPUBND >/dev/null
token=$("$BIN" token create --db "$db" --user sangpv | tail -n 1)
branch=$(sqlite3 "$tmp/demo.db" "SELECT id FROM orgs WHERE code = 'VPUBND'")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN" serve --db "$db" --listen "127.0.0.1:$port" >"$tmp/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 200); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.05; done

echo "| date | commit | page | p50 | p99 | req/s |"
echo "|---|---|---|---:|---:|---:|"
for path in "/api/v1/orgs/$branch/participation?year=2021" "/orgs/$branch/participation?year=2021" \
            "/orgs/$branch/activities?year=2021" "/orgs/$branch/dues?year=2021" "/orgs/$branch"; do
  out=$(timeout 30 wrk -t1 -c1 -d5s --latency -H "Authorization: Bearer $token" "http://127.0.0.1:$port$path")
  p50=$(awk '/ 50%/ {print $2}' <<<"$out")
  p99=$(awk '/ 99%/ {print $2}' <<<"$out")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  echo "| $(date +%F) | $(git rev-parse --short HEAD) | \`${path/$branch/{VPUBND\}}\` | $p50 | $p99 | $rps |"
done
echo
echo "Command: bench/pages.sh (wrk -t1 -c1 -d5s --latency, one connection, demo SQLite database)."
