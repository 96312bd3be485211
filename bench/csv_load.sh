#!/usr/bin/env bash
# bench/csv_load.sh — loading members from CSV (issue 10): `chidoan members import` of N members
# into one branch, against the same file loaded by the database's own bulk loader into a bare
# table of TEXT columns (no checks, no indexes), in the same run:
#   SQLite:      sqlite3 bare.db ".import --csv --skip 1 members.csv bare"
#   PostgreSQL:  psql -c "\copy bare FROM 'members.csv' WITH (FORMAT csv, HEADER true)"
# chidoan's import does what a person's import does: parses the file, checks every row (names,
# dates, CCCD against the birth year and province, phone, e-mail, duplicates in the file and in
# the database), computes sort keys and search forms, and writes each member with their stay and
# admission event, all or nothing. The file: BENCH_ROWS (100000) valid members with Vietnamese
# names, made by a fixed seed.
# Target: chidoan's rows/s ≥ 50 % of the bulk loader's. Prints markdown rows for docs/benchmarks.md.
# Environment: BENCH_ROWS, BENCH_NO_PG=1, BENCH_NO_BUILD=1, CHIDOAN_BIN (default build/chidoan).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bench.sh

ROWS=${BENCH_ROWS:-100000}
BIN=${CHIDOAN_BIN:-build/chidoan}
[[ -x $BIN && ${BENCH_NO_BUILD:-0} == 1 ]] || { source scripts/lib/deps.sh; build; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/chidoan-csv.XXXXXX")
pg_started=0
cleanup() {
  local rc=$?
  ((pg_started)) && pg_stop
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step "Writing $ROWS members to $tmp/members.csv"
python3 - "$ROWS" "$tmp/members.csv" <<'PY'
import random, sys
n, path = int(sys.argv[1]), sys.argv[2]
rng = random.Random(2021)
provinces = [1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37, 38, 40, 42,
             44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86,
             87, 89, 91, 92, 93, 94, 95, 96]
family = ["Nguyễn"] * 38 + ["Trần"] * 11 + ["Lê"] * 9 + ["Phạm"] * 7 + ["Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
                                                                       "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"] * 2
middle = {False: ["Văn", "Văn", "Đức", "Minh", "Quốc", "Hữu", "Thanh", "Gia"], True: ["Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim"]}
given = {False: ["Anh", "Huy", "Minh", "Nam", "Tuấn", "Dũng", "Hùng", "Long", "Khoa", "Phúc", "Đạt", "Sơn"],
         True: ["Linh", "Trang", "Hương", "Thảo", "Mai", "Lan", "Vy", "Nhi", "Ngọc", "Hà", "Yến", "Quỳnh"]}
units = ["Phòng Hành chính – Tổng hợp", "Phòng Kinh tế", "Phòng Văn hóa – Xã hội", "Ban Tiếp công dân"]
with open(path, "w", encoding="utf-8") as f:
    f.write("STT,Họ và tên,Ngày sinh,Giới tính,Số CCCD,Số điện thoại,Email,Ngày vào Đoàn,Số thẻ đoàn viên,"
            "Ngày sinh hoạt tại chi đoàn\n")
    for i in range(n):
        female = rng.random() < 0.5
        name = f"{rng.choice(family)} {rng.choice(middle[female])} {rng.choice(given[female])}"
        y, m, d = rng.randint(1992, 2004), rng.randint(1, 12), rng.randint(1, 28)
        century = 0 if y < 2000 else 2
        cccd = "%03d%d%02d%06d" % (rng.choice(provinces), century + (1 if female else 0), y % 100, i)
        phone = "09%08d" % rng.randint(0, 99999999)
        f.write(f"{i + 1},{name},{d:02d}/{m:02d}/{y},{'Nữ' if female else 'Nam'},{cccd},{phone},dv{i}@example.vn,"
                f"{d:02d}/{m:02d}/{y + 16},{200000 + i},01/01/2021\n")
PY
bytes=$(stat -c %s "$tmp/members.csv")
BARE="CREATE TABLE bare (stt TEXT, full_name TEXT, birth_date TEXT, sex TEXT, cccd TEXT, phone TEXT, email TEXT, joined TEXT, card TEXT, since TEXT)"

secs() { # command... : wall seconds with 3 decimals
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >"$tmp/out.log" 2>&1 || { cat "$tmp/out.log" >&2; die "$* failed"; }
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}
row() { # engine chidoan_s ref_s ref_name
  awk -v e="$1" -v c="$2" -v r="$3" -v n="$ROWS" -v ref="$4" 'BEGIN {
    printf "| %s | %d | %.2f s | %d rows/s | %s %.2f s | %d rows/s | %.2f |\n", e, n, c, n / c, ref, r, n / r, (n / c) / (n / r) }'
}

rows=""
step "SQLite"
db="$tmp/chidoan.db"
"$BIN" load data/demo/lam-dong-2021.json --db "sqlite:$db" >/dev/null
c_s=$(secs "$BIN" members import "$tmp/members.csv" --branch VPUBND --db "sqlite:$db")
grep -q "imported $ROWS members" "$tmp/out.log" || { cat "$tmp/out.log" >&2; die "chidoan did not import every row"; }
sqlite3 "$tmp/bare.db" "$BARE"
r_s=$(secs sqlite3 "$tmp/bare.db" ".import --csv --skip 1 $tmp/members.csv bare")
[[ $(sqlite3 "$tmp/bare.db" "SELECT COUNT(*) FROM bare") == "$ROWS" ]] || die "sqlite3 .import did not load every row"
rows+=$(row SQLite "$c_s" "$r_s" "sqlite3 .import")$'\n'
info "chidoan $c_s s, sqlite3 .import $r_s s"

if [[ ${BENCH_NO_PG:-0} != 1 ]]; then
  step "PostgreSQL (throwaway cluster)"
  pg_start
  pg_started=1
  "$BIN" load data/demo/lam-dong-2021.json --db "$CHIDOAN_TEST_PG" >/dev/null
  c_s=$(secs "$BIN" members import "$tmp/members.csv" --branch VPUBND --db "$CHIDOAN_TEST_PG")
  grep -q "imported $ROWS members" "$tmp/out.log" || { cat "$tmp/out.log" >&2; die "chidoan did not import every row"; }
  dir=${CHIDOAN_PG_DIR:?}
  port=$CHIDOAN_PG_PORT_USED
  psql -q -h "$dir" -p "$port" -U postgres -d chidoan_test -c "$BARE"
  r_s=$(secs psql -q -h "$dir" -p "$port" -U postgres -d chidoan_test -c "\\copy bare FROM '$tmp/members.csv' WITH (FORMAT csv, HEADER true)")
  rows+=$(row PostgreSQL "$c_s" "$r_s" "psql \\copy")$'\n'
  info "chidoan $c_s s, psql \\copy $r_s s"
fi

bench_table "| date | commit | engine | rows | chidoan import | chidoan rate | bulk loader | bulk rate | ratio |" \
  "|---|---|---|---:|---:|---:|---:|---:|---:|"
echo "(BENCH_ROWS=$ROWS, $bytes bytes of CSV.) Target: ratio ≥ 0.5."
