#!/usr/bin/env python3
"""bench/checkin_cost.py — what attendance_years' triggers (0024, 0025) add to a check-in.

Runs the statement activity::Store::check_in runs (an upsert that turns an 'absent' row of the
register into 'present') for N rows of an existing database, with the attendance triggers and,
in a second transaction, with them dropped (SQLite) or disabled (PostgreSQL); every transaction
is rolled back, so the database is left as it was. The statement is prepared once, as in the
server: Python's statement cache on SQLite, PREPARE/EXECUTE in one psql session on PostgreSQL
(whose round trips are in both figures alike). On SQLite the rows' pages are read before each
timed loop; on PostgreSQL the first round is the cold one.

  bench/checkin_cost.py sqlite:FILE|postgresql://… [N] [ROUNDS]

N rows (1000) whose status is 'absent', from the later half of the activities; ROUNDS (3) pairs
of loops, alternating. Prints µs a check-in.
"""
import sqlite3
import subprocess
import sys
import time

UPSERT = ("INSERT INTO attendance (activity_id, member_id, branch_id, unit_id, on_date, status, check_in_at, recorded_at) "
          "VALUES (?1, ?2, ?3, ?4, ?5, 'present', ?6, ?6) ON CONFLICT (activity_id, member_id) DO UPDATE SET status = 'present', "
          "check_in_at = COALESCE(attendance.check_in_at, excluded.check_in_at), recorded_at = excluded.recorded_at")


TRIGGERS = ("attendance_years_insert", "attendance_years_update")  # those an upsert fires
PICK = ("SELECT activity_id, member_id, branch_id, unit_id, on_date FROM attendance "
        "WHERE activity_id >= (SELECT MAX(id) / 2 FROM activities) AND status = 'absent' LIMIT {n}")


def order(rounds):
    """With the triggers, then without, `rounds` times."""
    return [with_triggers for _ in range(rounds) for with_triggers in (True, False)]


def sqlite_rounds(path, n, rounds):
    c = sqlite3.connect(path, isolation_level=None)
    c.execute("PRAGMA foreign_keys = ON")
    c.execute("PRAGMA cache_size = -262144")
    rows = c.execute(PICK.format(n=n)).fetchall()
    if len(rows) < n:
        sys.exit(f"only {len(rows)} absent rows")
    args = [(a, m, b, u, d, 1764300000) for a, m, b, u, d in rows]
    for triggers in order(rounds):
        c.execute("BEGIN")
        for name in () if triggers else TRIGGERS:
            c.execute(f"DROP TRIGGER {name}")
        for a, m, b, _u, d, _t in args:
            c.execute("SELECT status FROM attendance WHERE activity_id = ?1 AND member_id = ?2", (a, m)).fetchall()
            c.execute("SELECT present FROM attendance_years WHERE branch_id = ?1 AND year = ?2 AND member_id = ?3",
                      (b, int(d[:4]), m)).fetchall()
        t0 = time.perf_counter()
        for a in args:
            c.execute(UPSERT, a)
        yield triggers, (time.perf_counter() - t0) * 1e6 / n
        c.execute("ROLLBACK")


def postgres_rounds(url, n, rounds):
    psql = ["psql", "-X", "-qAt", "-v", "ON_ERROR_STOP=1", url]
    out = subprocess.run(psql + ["-F", "|", "-c", PICK.format(n=n)], check=True, capture_output=True, text=True).stdout
    rows = [line.split("|") for line in out.splitlines() if line]
    if len(rows) < n:
        sys.exit(f"only {len(rows)} absent rows")
    upsert = UPSERT.replace("?", "$")
    lines = ["PREPARE ci(bigint, bigint, bigint, bigint, text, bigint) AS " + upsert + ";"]
    for triggers in order(rounds):
        lines.append("BEGIN;")
        lines += [f"ALTER TABLE attendance DISABLE TRIGGER {name};" for name in (() if triggers else TRIGGERS)]
        lines.append("SELECT clock_timestamp() AS t0 \\gset")
        lines += [f"EXECUTE ci({a}, {m}, {b}, {u or 'NULL'}, '{d}', 1764300000);" for a, m, b, u, d in rows]
        lines.append(f"SELECT {int(triggers)}, extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) * 1e6 / {n};")
        lines.append("ROLLBACK;")
    out = subprocess.run(psql, input="\n".join(lines) + "\n", check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        flag, us = line.split("|")
        yield flag == "1", float(us)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    url, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    if url.startswith("sqlite:"):
        results = sqlite_rounds(url[len("sqlite:"):], n, rounds)
    elif url.startswith("postgres"):
        results = postgres_rounds(url, n, rounds)
    else:
        sys.exit("the database is sqlite:FILE or postgresql://…")
    for triggers, us in results:
        print(f"{'with' if triggers else 'without'} the attendance triggers: {us:.1f} µs a check-in ({n} rows)")


main()
