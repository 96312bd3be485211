# Generates the "desk" section of the demo bundle: the help desk of the provincial public administrative
# service center in November 2021 (a roster of 44 shifts with check-in times, one no-show, one swap).
# Deterministic (seeded). Run from the repository root: python3 tools/demo/desk_roster.py, then
# tools/demo/desk_assist.py (its log sits on these shifts), then load the bundle into a fresh
# database and dump it (`chidoan dump --org TW`): the dump adds the period's volunteer activity to
# the "activity" section and names it in the period; copy those two sections back into the demo
# so that a load followed by a dump gives the demo again (tests/cli).
import json, datetime, random, fcntl
rng = random.Random(2021)
vols = ["M0001","M0002","M0006","M0012","M0013","M0019","M0026","M0003","M0004","M0020"]
def unix(date, hhmm):
    h, m = map(int, hhmm.split(":"))
    d = datetime.datetime(date.year, date.month, date.day, h, m, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
    return int(d.timestamp())
T = [("Ca sáng", "07:30", "11:30"), ("Ca chiều", "13:30", "17:00")]
shifts = []
day = datetime.date(2021, 11, 1)
while day.month == 11:
    if day.isoweekday() <= 5:
        for name, s, e in T: shifts.append((day, name, s, e))
    day += datetime.timedelta(days=1)
hours = {v: 0 for v in vols}
week = {}
avail = {v: set() for v in vols}
for i, sh in enumerate(shifts):
    for v in vols:
        if rng.random() < 0.6: avail[v].add(i)
out = []
for i, (d, name, s, e) in enumerate(shifts):
    need = 2 if (name == "Ca sáng" and d.isoweekday() in (1, 3, 5)) else 1
    wk = d.isocalendar()[1]
    cands = [v for v in vols if week.get((v, wk), 0) < 3]
    cands.sort(key=lambda v: (i not in avail[v], hours[v], vols.index(v)))
    staff = []
    for v in cands[:need]:
        avail[v].add(i)
        week[(v, wk)] = week.get((v, wk), 0) + 1
        start, end = unix(d, s), unix(d, e)
        cin = start + rng.randint(-10, 8) * 60
        cout = end + rng.randint(0, 15) * 60
        minutes = (min(cout, end + 3600) - max(cin, start - 3600)) // 60
        hours[v] += minutes
        staff.append({"member": v, "source": "roster", "check_in_at": cin, "check_out_at": cout, "minutes": minutes, "no_show": False})
    out.append({"template": name, "date": d.isoformat(), "start": s, "end": e, "min_staff": 1, "max_staff": 2, "staff": staff, "requests": []})
# One no-show and one accepted swap.
ns = next(x for x in out if x["date"] == "2021-11-17" and x["template"] == "Ca chiều")
a = ns["staff"][0]; hours[a["member"]] -= a["minutes"]
a.update({"check_in_at": None, "check_out_at": None, "minutes": 0, "no_show": True})
sw = next(x for x in out if x["date"] == "2021-11-24" and x["template"] == "Ca sáng")
old = sw["staff"][0]["member"]
new = next(v for v in ["M0019", "M0013", "M0026"] if v not in [y["member"] for y in sw["staff"]] and v != old)
sw["staff"][0]["member"] = new; sw["staff"][0]["source"] = "swap"
sw["requests"].append({"kind": "swap", "from": old, "to": None, "note": "Bận họp cơ quan", "state": "accepted", "created_at": unix(datetime.date(2021, 11, 22), "16:05")})
for i, x in enumerate(out):
    on = {y["member"] for y in x["staff"]}
    x["available"] = sorted(({"member": v, "preferred": (i % 3 == vols.index(v) % 3)} for v in vols if i in avail[v] or v in on),
                            key=lambda a: a["member"])
    x["staff"].sort(key=lambda a: a["member"])
section = {"centers": [{
    "org": "VPUBND", "name": "Trung tâm Phục vụ hành chính công tỉnh Lâm Đồng", "address": "36 Trần Phú, Phường 4, TP Đà Lạt",
    "max_shifts_per_week": 3, "min_rest_minutes": 60, "no_show_limit": 3,
    "counters": ["Bàn hướng dẫn nộp hồ sơ trực tuyến"],
    "templates": [{"name": n, "counter": "Bàn hướng dẫn nộp hồ sơ trực tuyến", "weekdays": "12345", "start_time": s, "end_time": e,
                   "min_staff": 1, "max_staff": 2, "active": True} for n, s, e in T],
    "periods": [{"month": "2021-11", "activity": None, "shifts": out}]}]}
with open("/tmp/demo-bundle.lock", "w") as lock:
    fcntl.flock(lock, fcntl.LOCK_EX)
    p = "data/demo/lam-dong-2021.json"
    d = json.load(open(p))
    d["desk"] = section
    with open(p, "w") as f:
        json.dump(d, f, ensure_ascii=False, indent=2, sort_keys=True); f.write("\n")
print({v: round(h / 60, 1) for v, h in hours.items()})
