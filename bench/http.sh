#!/usr/bin/env bash
# bench/http.sh — HTTP throughput of `chidoan serve` against nginx serving the same response body
# as a static file, in one run, on loopback:
#   wrk -t2 -c64 -d10s --latency -H "Authorization: Bearer TOKEN" \
#       http://127.0.0.1:PORT/api/v1/orgs/{BRANCH}/members?limit=50
# Also: idle RSS of the server after start, its highest RSS through the runs (sampled every
# 0.2 s), and the time from start to the first successful GET /healthz. Prints markdown rows for
# docs/benchmarks.md.
# BENCH_PAGE selects what is measured:
#   members      the member list API with a bearer token (issues 2 and 10);
#   member_page  the branch's HTML member page, logged in through the form with a session cookie
#                (issue 10: ratio ≥ 0.3);
#   news         the branch's public news page without a token, a visitor (issue 12: ratio ≥ 0.5).
# BENCH_DB=URL measures on an existing database instead of a throwaway copy of the demo (e.g.
#   sqlite:build-bench/nation.db from bench/nation.sh), BENCH_BRANCH its branch code (VPUBND,
#   the demo's; P46-K01-C0001 in generated data); a user bench_http is added when missing.
# Environment: BENCH_DURATION (default 10s), BENCH_CONNECTIONS (64), BENCH_THREADS (2),
#   BENCH_WARMUP (2s; 0 to skip), BENCH_STRICT=1 to exit 1 when a target is missed,
#   BENCH_NO_BUILD=1 to measure the existing binary, CHIDOAN_BIN (default build/chidoan).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/deps.sh

PAGE=${BENCH_PAGE:-members}
[[ $PAGE == members || $PAGE == member_page || $PAGE == news ]] ||
  { echo "BENCH_PAGE is members, member_page or news" >&2; exit 2; }
DURATION=${BENCH_DURATION:-10s}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
WARMUP=${BENCH_WARMUP:-2s}
BIN=${CHIDOAN_BIN:-build/chidoan}
BRANCH_CODE=${BENCH_BRANCH:-VPUBND}
PASSWORD=chidoan-bench-2021
BENCH_USER=bench_http

install_deps
install_bench_deps
[[ -x $BIN && ${BENCH_NO_BUILD:-0} == 1 ]] || build

tmp=$(mktemp -d "${TMPDIR:-/tmp}/chidoan-bench.XXXXXX")
chmod 755 "$tmp" # nginx workers may run as nobody
server_pid="" nginx_pid=""
cleanup() {
  local rc=$?
  [[ -n $nginx_pid ]] && kill -TERM "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
  [[ -n $server_pid ]] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- database and token ---------------------------------------------------------------------------
if [[ -n ${BENCH_DB:-} ]]; then
  DB=$BENCH_DB
  step "Database $DB"
  "$BIN" db migrate --db "$DB" >/dev/null
else
  step "Demo database in $tmp"
  DB="sqlite:$tmp/bench.db"
  "$BIN" db migrate --db "$DB" >/dev/null
  "$BIN" load data/demo/lam-dong-2021.json --db "$DB" >/dev/null
fi
# The user may be there from an earlier run on the same database.
printf '%s\n' "$PASSWORD" |
  "$BIN" user add --db "$DB" --username "$BENCH_USER" --role branch_secretary --org "$BRANCH_CODE" >"$tmp/user.log" 2>&1 ||
  grep -q '\[username\]' "$tmp/user.log" || { cat "$tmp/user.log" >&2; die "user add failed"; }
TOKEN=$("$BIN" token create --db "$DB" --user "$BENCH_USER" | tail -n 1 | tr -d '[:space:]')
[[ -n $TOKEN ]] || die "token create printed no token"
AUTH="Authorization: Bearer $TOKEN"

# --- chidoan: start, ready time, idle RSS --------------------------------------------------------
step "Starting chidoan serve"
port=$(free_port)
base="http://127.0.0.1:$port"
t0=$(now_ms)
"$BIN" serve --db "$DB" --listen "127.0.0.1:$port" >"$tmp/serve.log" 2>&1 &
server_pid=$!
ready_ms=""
deadline=$((t0 + 10000))
while (($(now_ms) < deadline)); do
  if [[ $(curl -s --max-time 1 "$base/healthz" 2>/dev/null) =~ \"status\"[[:space:]]*:[[:space:]]*\"ok\" ]]; then
    ready_ms=$(($(now_ms) - t0))
    break
  fi
  kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/serve.log" >&2; die "chidoan serve exited"; }
  sleep 0.005
done
[[ -n $ready_ms ]] || { tail -n 20 "$tmp/serve.log" >&2; die "chidoan serve not ready after 10 s"; }
info "ready after $ready_ms ms (includes curl start-up, ~a few ms)"

branch_id=$(curl -fsS --max-time 5 -H "$AUTH" "$base/api/v1/orgs" |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{
    const o=JSON.parse(s).items.find(i=>i.code===process.argv[1]);
    if(!o){process.exit(1)} console.log(o.id)})' "$BRANCH_CODE") ||
  die "org $BRANCH_CODE not found through GET /api/v1/orgs"
case $PAGE in
news)
  path_q="/public/orgs/$branch_id/news"
  WRK_AUTH=()
  BODY_TYPE="text/html; charset=utf-8"
  TARGET_RATIO=0.5 TARGET_P99=20
  ;;
member_page)
  # Log in through the form as a person would: the login page sets a CSRF cookie and field.
  jar="$tmp/cookies.txt"
  csrf=$(curl -fsS -c "$jar" "$base/login" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
  [[ -n $csrf ]] || die "no CSRF field on /login"
  curl -fsS -b "$jar" -c "$jar" -o /dev/null --data-urlencode "_csrf=$csrf" --data-urlencode "username=$BENCH_USER" \
    --data-urlencode "password=$PASSWORD" "$base/login"
  session=$(awk '$6 == "chidoan_session" { print $7 }' "$jar")
  [[ -n $session ]] || die "login did not set a session cookie"
  path_q="/orgs/$branch_id/members"
  WRK_AUTH=(-H "Cookie: chidoan_session=$session")
  BODY_TYPE="text/html; charset=utf-8"
  TARGET_RATIO=0.3 TARGET_P99=20
  ;;
*)
  path_q="/api/v1/orgs/$branch_id/members?limit=50"
  WRK_AUTH=(-H "$AUTH")
  BODY_TYPE=application/json
  TARGET_RATIO=0.5 TARGET_P99=10
  ;;
esac

sleep 1
rss_kb=$(ps -o rss= -p "$server_pid" | tr -d ' ')
idle_rss=$(awk -v k="$rss_kb" 'BEGIN { printf "%.1f", k / 1024 }')
info "idle RSS $idle_rss MB"

# --- the body, served by nginx -------------------------------------------------------------------
mkdir -p "$tmp/nginx/www" "$tmp/nginx/tmp"
code=$(curl -sS --max-time 5 "${WRK_AUTH[@]}" -o "$tmp/nginx/www/members.json" -w '%{http_code}' "$base$path_q")
[[ $code == 200 ]] || die "GET $path_q answered $code: $(head -c 300 "$tmp/nginx/www/members.json")"
body_bytes=$(stat -c %s "$tmp/nginx/www/members.json")
if [[ $PAGE == news ]]; then
  items="$(grep -c '<article class="news-item' "$tmp/nginx/www/members.json" || true) posts"
elif [[ $PAGE == member_page ]]; then
  items="$(grep -c '<tr' "$tmp/nginx/www/members.json" || true) table rows"
else
  items="$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).items.length)' \
    "$tmp/nginx/www/members.json") members"
fi
chmod -R a+rX "$tmp/nginx"
info "body: $items, $body_bytes bytes"

step "Starting nginx"
nport=$(free_port)
user_line=""
[[ $(id -u) -eq 0 ]] && user_line="user root;"
sed -e "s|@PREFIX@|$tmp/nginx|g" -e "s|@PORT@|$nport|g" -e "s|@USER@|$user_line|" -e "s|@TYPE@|$BODY_TYPE|" \
  bench/nginx.conf.in >"$tmp/nginx/nginx.conf"
nginx -p "$tmp/nginx" -e "$tmp/nginx/error.log" -c "$tmp/nginx/nginx.conf" &
nginx_pid=$!
nbase="http://127.0.0.1:$nport"
for _ in $(seq 200); do
  curl -fs --max-time 1 -o /dev/null "$nbase$path_q" && break
  kill -0 "$nginx_pid" 2>/dev/null || { cat "$tmp/nginx/error.log" >&2; die "nginx exited"; }
  sleep 0.025
done
cmp -s <(curl -fsS "$nbase$path_q") "$tmp/nginx/www/members.json" || die "nginx does not serve the body"

# --- wrk -------------------------------------------------------------------------------------------
WRK=(wrk "-t$THREADS" "-c$CONNECTIONS" "-d$DURATION" --latency --timeout 5s "${WRK_AUTH[@]}")

run_wrk() { # name url
  local name=$1 url=$2
  if [[ $WARMUP != 0 ]]; then
    timeout 60 wrk "-t$THREADS" "-c$CONNECTIONS" "-d$WARMUP" --timeout 5s "${WRK_AUTH[@]}" "$url" >/dev/null
  fi
  step "wrk → $name ($url)"
  timeout 120 "${WRK[@]}" "$url" | tee "$tmp/wrk-$name.txt"
}
# The server's highest RSS while wrk runs on it, sampled every 0.2 s.
( max=0
  while kill -0 "$server_pid" 2>/dev/null; do
    r=$(ps -o rss= -p "$server_pid" | tr -d ' ')
    [[ -n $r ]] && ((r > max)) && max=$r && echo "$max" >"$tmp/rss-max"
    sleep 0.2
  done ) &
sampler_pid=$!
run_wrk chidoan "$base$path_q"
kill "$sampler_pid" 2>/dev/null || true
wait "$sampler_pid" 2>/dev/null || true
run_wrk nginx "$nbase$path_q"
rss_after_kb=$(ps -o rss= -p "$server_pid" | tr -d ' ')
max_rss=$(awk '{ printf "%.1f", $1 / 1024 }' "$tmp/rss-max")

rps() { awk '/^Requests\/sec:/ { print $2 }' "$1"; }
# p99 in ms from the --latency distribution ("99%  12.34ms"; units us, ms or s).
p99_ms() {
  awk '$1 == "99%" {
    v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
    if (u == "us") v /= 1000; else if (u == "s") v *= 1000; else if (u == "m") v *= 60000
    printf "%.2f", v }' "$1"
}
bad_responses() { # prints a note when wrk saw errors or non-2xx answers
  grep -E 'Non-2xx|Socket errors' "$1" | tr -s ' ' | paste -sd ';' - || true
}

c_rps=$(rps "$tmp/wrk-chidoan.txt") n_rps=$(rps "$tmp/wrk-nginx.txt")
c_p99=$(p99_ms "$tmp/wrk-chidoan.txt") n_p99=$(p99_ms "$tmp/wrk-nginx.txt")
ratio=$(awk -v a="$c_rps" -v b="$n_rps" 'BEGIN { printf "%.2f", a / b }')
c_bad=$(bad_responses "$tmp/wrk-chidoan.txt") n_bad=$(bad_responses "$tmp/wrk-nginx.txt")
after_rss=$(awk -v k="$rss_after_kb" 'BEGIN { printf "%.1f", k / 1024 }')

# SIGTERM must stop the server with exit code 0.
kill -TERM "$server_pid"
set +e
wait "$server_pid"
term_rc=$?
set -e
server_pid=""

# --- report ----------------------------------------------------------------------------------------
commit=$(git rev-parse --short HEAD 2>/dev/null || echo '?')
dirty=$(git status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo '+dirty' || true)
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)

check() { # label ok?
  if [[ $2 == 1 ]]; then echo "met"; else echo "MISSED"; fi
}
t_ratio=$(awk -v r="$ratio" -v t="$TARGET_RATIO" 'BEGIN { print (r >= t) }')
t_p99=$(awk -v p="$c_p99" -v t="$TARGET_P99" 'BEGIN { print (p <= t) }')
t_max_rss=$(awk -v m="$max_rss" 'BEGIN { print (m < 300) }')
t_rss=$(awk -v m="$idle_rss" 'BEGIN { print (m <= 30) }')
t_ready=$((ready_ms <= 300 ? 1 : 0))

step "Result (paste into docs/benchmarks.md)"
cat <<MD

| date | commit | page | chidoan req/s | nginx req/s | ratio | chidoan p99 | nginx p99 | idle RSS | max RSS | ready |
|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|
| $(date -u +%F) | $commit$dirty | $PAGE | $c_rps | $n_rps | $ratio | $c_p99 ms | $n_p99 ms | $idle_rss MB | $max_rss MB | $ready_ms ms |

Command: \`BENCH_PAGE=$PAGE bench/http.sh\`, which runs \`wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency --timeout 5s ${WRK_AUTH[*]:+-H "Authorization: Bearer TOKEN" }URL\` (same run, chidoan then nginx;
${WARMUP} warm-up each), URL \`$path_q\` ($items, $body_bytes bytes),
$(nproc) cores ($cpu), wrk and the servers on the same machine over loopback; nginx 1 file,
2 workers, access_log off. Database: ${BENCH_DB:-the demo, SQLite}. Highest RSS while wrk ran on chidoan: $max_rss MB;
after the runs: $after_rss MB. SIGTERM exit code: $term_rc.

Targets (issue 10 for the member API and page; issue 12 for the news page; issue 2 for RSS and
start): ratio ≥ $TARGET_RATIO $(check ratio "$t_ratio"); p99 ≤ $TARGET_P99 ms $(check p99 "$t_p99"); RSS through the run < 300 MB
$(check rss "$t_max_rss"); idle RSS ≤ 30 MB $(check rss "$t_rss"); ready ≤ 300 ms $(check ready "$t_ready").
MD
[[ -z $c_bad ]] || warn "chidoan run: $c_bad (the figures are not valid)"
[[ -z $n_bad ]] || warn "nginx run: $n_bad"
[[ $term_rc == 0 ]] || warn "chidoan serve exited $term_rc on SIGTERM"

if [[ ${BENCH_STRICT:-0} == 1 ]] && ((t_ratio + t_p99 + t_max_rss < 3)); then
  exit 1
fi
