#!/usr/bin/env bash
# The command line as an operator uses it: exit codes, stdin passwords, load/dump round trip,
# backup and restore, import with --dry-run. Usage: cli_test.sh PATH/TO/chidoan (CTest passes it).
# Runs on SQLite, and on PostgreSQL too when CHIDOAN_TEST_PG is set.
set -uo pipefail
BIN=$1
SRC=${CHIDOAN_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
DEMO=$SRC/data/demo/lam-dong-2021.json
tmp=$(mktemp -d)
pg_db=""
cleanup() {
  [[ -n $pg_db ]] && psql "$CHIDOAN_TEST_PG" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1
  rm -rf "$tmp"
}
trap cleanup EXIT
passed=0 failed=0
check() { # check NAME EXPECTED_RC COMMAND...
  local name=$1 want=$2
  shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  if [[ $rc == "$want" ]]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL $name: exit $rc, wanted $want"; sed 's/^/  | /' "$tmp/out" "$tmp/err" | head -20
  fi
}
expect() { # expect NAME CONDITION (a bash expression, evaluated)
  if eval "$2"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL $1: $2"; fi
}

# Arguments: exit code 2 and one line.
check "no subcommand" 2 "$BIN"
expect "one line" '[[ $(wc -l <"$tmp/err") == 1 ]]'
check "unknown option" 2 "$BIN" serve --bogus
check "missing file" 2 "$BIN" load
check "bad role" 2 "$BIN" user add --db "sqlite:$tmp/x.db" --username a --role king --org TW
check "help" 0 "$BIN" members import --help
expect "help names --dry-run" 'grep -q -- --dry-run "$tmp/out"'
check "notify bad date" 2 "$BIN" notify run --db "sqlite:$tmp/x.db" --date 2021-13-01

engine_run() { # engine_run LABEL URL
  local label=$1 url=$2
  check "$label migrate" 0 "$BIN" db migrate --db "$url"
  check "$label load" 0 "$BIN" load "$DEMO" --db "$url"
  expect "$label load counts" 'grep -q "29 members" "$tmp/out"'
  check "$label load twice is refused" 1 "$BIN" load "$DEMO" --db "$url"
  expect "$label load twice names the path" 'grep -q "\[\$.orgs\[0\].code\]" "$tmp/err"'
  check "$label dump" 0 "$BIN" dump --org TW --db "$url" -o "$tmp/dump-$label.json"
  expect "$label dump equals the demo" 'python3 -c "import json,sys; sys.exit(json.load(open(\"$DEMO\")) != json.load(open(\"$tmp/dump-$label.json\")))"'
  # The year-end report from the data: the article's figures, as JSON and as a printable page.
  check "$label report json" 0 "$BIN" report year --org VPUBND --year 2021 --db "$url" -o "$tmp/report-$label.json"
  expect "$label report figures" 'python3 -c "import json,sys; r=json.load(open(\"$tmp/report-$label.json\")); sys.exit(not (r[\"members\"][\"total\"]==23 and r[\"members\"][\"units\"]==4 and r[\"desk\"][\"online\"]==47416 and r[\"desk\"][\"total\"]==99537))"'
  check "$label report html" 0 "$BIN" report year --org VPUBND --year 2021 --format html --db "$url"
  expect "$label report html heading" 'grep -q "ĐOÀN TNCS HỒ CHÍ MINH" "$tmp/out" && grep -q "47,64%" "$tmp/out"'
  # PDF and XLSX: to -o FILE, or to stdout when it is not a terminal (here: a file).
  check "$label report pdf" 0 "$BIN" report year --org VPUBND --year 2021 --format pdf --db "$url" -o "$tmp/report-$label.pdf"
  pdftotext -layout "$tmp/report-$label.pdf" "$tmp/report-$label.txt"
  expect "$label report pdf text" 'grep -q "47,64%" "$tmp/report-$label.txt" && grep -q "ĐOÀN TNCS HỒ CHÍ MINH" "$tmp/report-$label.txt" && grep -q "Trang 1/" "$tmp/report-$label.txt"'
  check "$label report pdf to a pipe" 0 "$BIN" report year --org VPUBND --year 2021 --format pdf --db "$url"
  expect "$label report pdf on stdout" '[[ $(head -c 5 "$tmp/out") == "%PDF-" ]]'
  check "$label report pdf to a terminal" 2 script -qec "'$BIN' report year --org VPUBND --year 2021 --format pdf --db '$url'" /dev/null
  check "$label report xlsx" 0 "$BIN" report year --org VPUBND --year 2021 --format xlsx --db "$url" -o "$tmp/report-$label.xlsx"
  expect "$label report xlsx sheets" 'python3 -c "import zipfile,sys; w=zipfile.ZipFile(\"$tmp/report-$label.xlsx\").read(\"xl/workbook.xml\").decode(); sys.exit(not (\"Tổng quan\" in w and \"Hồ sơ trực tuyến mức độ 3, 4\" in w))"'
  check "$label report bad format" 2 "$BIN" report year --org VPUBND --year 2021 --format docx --db "$url"
  check "$label report unknown org" 1 "$BIN" report year --org NOWHERE --year 2021 --db "$url"
  # Passwords come from stdin, never argv; a short one is refused.
  check "$label short password" 1 bash -c "printf 'short\n' | '$BIN' user add --db '$url' --username sangpv --role branch_secretary --org VPUBND"
  check "$label user add" 0 bash -c "printf 'chidoan-demo-2021\n' | '$BIN' user add --db '$url' --username sangpv --role branch_secretary --org VPUBND"
  check "$label token" 0 "$BIN" token create --db "$url" --user sangpv
  expect "$label token shape" 'grep -qE "^cd_[A-Za-z0-9_-]{20,}$" "$tmp/out"'
  check "$label token unknown user" 1 "$BIN" token create --db "$url" --user nobody
  check "$label grant" 0 "$BIN" user grant --db "$url" --username sangpv --grant blood_coordinator --org VPUBND
  check "$label grant unknown" 2 "$BIN" user grant --db "$url" --username sangpv --grant king --org VPUBND
  # Import: a bad row fails the whole file, --dry-run writes nothing.
  printf 'Họ và tên,Ngày sinh,Giới tính\nNguyễn Văn Kiên,12/03/1998,Nam\nTrần Thị Mai,31/02/2000,Nữ\n' >"$tmp/bad.csv"
  check "$label import bad" 1 "$BIN" members import "$tmp/bad.csv" --branch VPUBND --db "$url"
  expect "$label import names the line" 'grep -q "dòng 3 \[birth_date\]" "$tmp/err"'
  printf 'Họ và tên,Ngày sinh,Giới tính\nNguyễn Văn Kiên,12/03/1998,Nam\n' >"$tmp/good.csv"
  check "$label import dry run" 0 "$BIN" members import "$tmp/good.csv" --branch VPUBND --db "$url" --dry-run
  check "$label import" 0 "$BIN" members import "$tmp/good.csv" --branch VPUBND --db "$url"
  expect "$label imported one" 'grep -q "imported 1 members" "$tmp/out"'
  check "$label import again" 1 "$BIN" members import "$tmp/good.csv" --branch VPUBND --db "$url"
  expect "$label import again refused" 'grep -q "đã được nhập" "$tmp/err"'
  check "$label not csv" 1 "$BIN" members import "$DEMO" --branch VPUBND --db "$url"
  # Reminders of a day, once: a second run enqueues nothing (no channel is configured here).
  check "$label notify run" 0 env -u CHIDOAN_SMTP_URL -u CHIDOAN_WEBHOOK_URL "$BIN" notify run --db "$url" --date 2021-12-01
  expect "$label notify counts" 'grep -qE "^[0-9]+ reminders enqueued; 0 sent" "$tmp/out"'
  check "$label notify run again" 0 env -u CHIDOAN_SMTP_URL -u CHIDOAN_WEBHOOK_URL "$BIN" notify run --db "$url" --date 2021-12-01
  expect "$label notify once" 'grep -q "^0 reminders enqueued" "$tmp/out"'
}

engine_run sqlite "sqlite:$tmp/cli.db"
check "sqlite backup" 0 "$BIN" db backup --db "sqlite:$tmp/cli.db" --to "$tmp/copy.db"
check "backup is a database" 0 "$BIN" dump --org TW --db "sqlite:$tmp/copy.db" -o "$tmp/from-backup.json"
check "restore into a new file" 0 "$BIN" db restore --from "$tmp/copy.db" --db "sqlite:$tmp/restored.db"
check "restored is the same" 0 "$BIN" dump --org TW --db "sqlite:$tmp/restored.db" -o "$tmp/from-restored.json"
expect "restored dump equal" 'cmp -s "$tmp/from-backup.json" "$tmp/from-restored.json"'
check "restore over a database refused" 1 "$BIN" db restore --from "$tmp/copy.db" --db "sqlite:$tmp/cli.db"
expect "restore names the reason" 'grep -q "already exists" "$tmp/err"'

if [[ -n ${CHIDOAN_TEST_PG:-} ]]; then
  pg_db=chidoan_cli_$$
  psql "$CHIDOAN_TEST_PG" -qc "CREATE DATABASE $pg_db TEMPLATE template0 ENCODING 'UTF8'" >/dev/null
  pg_url=$(python3 -c "import sys,re; print(re.sub(r'/[A-Za-z0-9_]+(\?|$)', '/$pg_db\\\\1', sys.argv[1], count=1))" "$CHIDOAN_TEST_PG")
  engine_run postgres "$pg_url"
  check "postgres backup prints pg_dump" 1 "$BIN" db backup --db "$pg_url" --to "$tmp/pg.dump"
  expect "pg_dump named" 'grep -q "pg_dump" "$tmp/err"'
fi

echo "$passed passed, $failed failed"
[[ $failed == 0 ]]
