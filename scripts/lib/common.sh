# shellcheck shell=bash
# Shared helpers for scripts/*, bench/* and .ci/run. Source it; it defines functions only
# (and CHIDOAN_ROOT), and changes no shell options of the caller.

CHIDOAN_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export CHIDOAN_ROOT

# Colour only on a terminal.
if [[ -t 1 ]]; then
  _c_bold=$'\e[1m' _c_red=$'\e[31m' _c_green=$'\e[32m' _c_off=$'\e[0m'
else
  _c_bold='' _c_red='' _c_green='' _c_off=''
fi

step() { printf '\n%s==> %s%s\n' "$_c_bold" "$*" "$_c_off"; }
info() { printf '    %s\n' "$*"; }
ok()   { printf '%s    ok: %s%s\n' "$_c_green" "$*" "$_c_off"; }
warn() { printf '%s    warning: %s%s\n' "$_c_red" "$*" "$_c_off" >&2; }
die()  { printf '%serror: %s%s\n' "$_c_red" "$*" "$_c_off" >&2; exit 1; }

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [[ $(id -u) -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root for: $* (install sudo or run as root)"
  fi
}

# Prints a TCP port that was free on 127.0.0.1 a moment ago.
free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
  else
    node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
  fi
}

# Milliseconds since the epoch.
now_ms() { date +%s%3N; }

# Seconds as "1m23s".
fmt_secs() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }
