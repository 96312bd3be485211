#include "gen/extras.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <map>
#include <random>
#include <unordered_map>
#include <vector>

#include "blood/rules.hpp"
#include "gen/names.hpp"
#include "org/rules.hpp"
#include "platform/core/date.hpp"
#include "platform/db/bulk.hpp"

namespace chidoan::gen {
namespace {

using db::Value;
namespace bulk = db::bulk;
using std::chrono::days;
using std::chrono::sys_days;

constexpr int64_t k31 = 2147483648;  // 2^31

std::string num(int64_t v) { return std::to_string(v); }
std::string quote(const std::string& s) { return "'" + s + "'"; }  // our own constants only: no quotes inside

// A well-mixed hash in [0, 2^32) of a non-negative integer SQL expression, salted: a
// multiplicative hash, a 15-bit rotation and a second multiplication, all within BIGINT on both
// engines (no XOR in SQLite). Salts differ by more than a shift, so two choices are independent.
std::string mix_sql(const std::string& x, int64_t salt) {
  const std::string a = "((((" + x + ") + " + num(salt) + ") % 2147483648) * 2654435761 % 4294967296)";
  return "((((" + a + " % 65536) * 32768 + " + a + " / 131072) % 2147483648) * 2246822519 % 4294967296)";
}
// The hash scaled to [0, n).
std::string pick_sql(const std::string& x, int64_t salt, int64_t n) { return "(" + mix_sql(x, salt) + " * " + num(n) + " / 4294967296)"; }

// "CASE <e> WHEN 0 THEN v0 WHEN 1 THEN v1 ... ELSE vLast END" for SQL values (already quoted).
std::string case_of(const std::string& e, const std::vector<std::string>& values) {
  std::string s = "CASE " + e;
  for (size_t i = 0; i + 1 < values.size(); ++i) s += " WHEN " + num(static_cast<int64_t>(i)) + " THEN " + values[i];
  return s + " ELSE " + values.back() + " END";
}

struct Ctx {
  db::Connection& conn;
  const Clock& clock;
  uint64_t seed;
  int64_t root_id;
  std::string root_path, like;
  std::string root_name;
  int year;
  int64_t now;
  sys_days jan1, last;  // the year's first day and its last day not after today
  std::vector<int64_t> branches;
  ExtrasInfo info;
  const Progress& progress;

  void say(const std::string& s) const {
    if (progress) progress(s);
  }
  // Salts for the SQL hashes: one per choice.
  int64_t salt(int k) const { return static_cast<int64_t>((seed + static_cast<uint64_t>(k) * 1000003ull) % static_cast<uint64_t>(k31)); }
  std::mt19937_64 rng(uint64_t k) const { return std::mt19937_64(seed ^ (0x9e3779b97f4a7c15ull * (k + 1))); }
  int64_t span_days() const { return (last - jan1).count() + 1; }
  std::string y() const { return std::to_string(year); }
};

// The attendance of members at their branch's activities from a date on, as gen::add_activities
// writes it (same statuses for the same member and activity). `from` gives (member id, branch,
// unit, date) rows: "SELECT ... AS mid, ... AS bid, ... AS uid, ... AS since FROM ...".
Result<int64_t> add_attendance(Ctx& c, const std::string& from, const std::vector<Value>& params, int pnow, int pseed) {
  const std::string p_now = "CAST(?" + num(pnow) + " AS BIGINT)", p_seed = "CAST(?" + num(pseed) + " AS BIGINT)";
  return c.conn.execute(
      "INSERT INTO attendance (activity_id, member_id, branch_id, unit_id, on_date, status, minutes, hours_state, recorded_at) "
      "SELECT x.aid, x.mid, x.bid, x.uid, x.on_date, "
      "CASE WHEN x.h < 85 THEN 'present' WHEN x.h < 90 THEN 'excused' ELSE 'absent' END, "
      "CASE WHEN x.vol = 1 AND x.h < 85 THEN 180 ELSE 0 END, "
      "CASE WHEN x.vol = 1 AND x.h < 85 THEN 'approved' ELSE 'none' END, " + p_now + " "
      "FROM (SELECT a.id AS aid, g.mid AS mid, g.bid AS bid, g.uid AS uid, SUBSTR(a.starts_at, 1, 10) AS on_date, "
      "CASE WHEN t.code IN ('volunteer', 'blood_drive', 'social_work') THEN 1 ELSE 0 END AS vol, "
      "((((g.mid * 65537 + a.id * 31 + " + p_seed + ") % 2147483648) * 2654435761) % 4294967296) * 100 / 4294967296 AS h "
      "FROM (" + from + ") g JOIN activities a ON a.org_id = g.bid AND a.starts_at >= g.since "
      "JOIN activity_types t ON t.id = a.type_id "
      "WHERE NOT EXISTS (SELECT 1 FROM attendance z WHERE z.activity_id = a.id AND z.member_id = g.mid)) x "
      "ORDER BY x.aid, x.mid",
      params);
}

// ---- lifecycle ------------------------------------------------------------------------------

constexpr std::array kTransferOutReasons = {"Chuyển sinh hoạt về địa phương nơi cư trú", "Chuyển công tác sang tỉnh khác",
                                            "Đi học đại học ở tỉnh khác", "Chuyển sinh hoạt theo nơi làm việc mới"};
constexpr std::array kRemoveReasons = {"Bỏ sinh hoạt quá 6 tháng không có lý do", "Tự nguyện xin ra khỏi tổ chức Đoàn"};
constexpr std::array kTransferReasons = {"Chuyển công tác", "Điều động sang đơn vị mới", "Thay đổi nơi làm việc"};

Result<void> lifecycle(Ctx& c) {
  const std::string in_subtree = "SELECT m.id FROM members m JOIN orgs o ON o.id = m.branch_id WHERE o.path LIKE ?1";
  // A member's first stay begins with their admission when that came later (the province's
  // stays all start on one date): org::Store records admission as the start of the stay.
  CHIDOAN_TRY_VOID(c.conn.execute(
      "UPDATE member_periods SET from_on = (SELECT m.joined_union_on FROM members m WHERE m.id = member_periods.member_id) "
      "WHERE member_id IN (" + in_subtree + " AND m.joined_union_on IS NOT NULL) "
      "AND from_on < (SELECT m.joined_union_on FROM members m WHERE m.id = member_periods.member_id) "
      "AND (to_on IS NULL OR to_on > (SELECT m.joined_union_on FROM members m WHERE m.id = member_periods.member_id)) "
      "AND NOT EXISTS (SELECT 1 FROM member_periods q WHERE q.member_id = member_periods.member_id AND q.from_on < member_periods.from_on)",
      {c.like}));
  CHIDOAN_TRY(before_joining, c.conn.execute(
      "DELETE FROM attendance WHERE member_id IN (" + in_subtree + " AND m.joined_union_on > ?2) "
      "AND on_date < (SELECT m.joined_union_on FROM members m WHERE m.id = attendance.member_id)",
      {c.like, iso(c.jan1)}));
  c.info.attendance -= before_joining;
  // One admission or entry event each, as org::Store::add_member records it.
  CHIDOAN_TRY(base, c.conn.execute(
                        "INSERT INTO member_events (member_id, kind, effective_on, branch_id, other_branch_id, reason, recorded_at) "
                        "SELECT m.id, CASE WHEN m.joined_union_on = p.from_on THEN 'admit' ELSE 'enter' END, p.from_on, p.branch_id, NULL, '', "
                        "CAST(?2 AS BIGINT) FROM members m JOIN orgs o ON o.id = m.branch_id JOIN member_periods p ON p.member_id = m.id "
                        "WHERE o.path LIKE ?1 "
                        "AND NOT EXISTS (SELECT 1 FROM member_periods q WHERE q.member_id = m.id AND q.from_on < p.from_on) "
                        "AND NOT EXISTS (SELECT 1 FROM member_events e WHERE e.member_id = m.id) ORDER BY m.id",
                        {c.like, c.now}));
  c.info.events += base;
  c.say("lifecycle: " + num(base) + " admissions and entries");
  if (c.last < c.jan1) return {};

  // Who leaves and who moves: the active members first in a hashed order, so the shares are
  // exact and at least one of each.
  CHIDOAN_TRY(active, c.conn.query_one("SELECT COUNT(*) FROM members m JOIN orgs o ON o.id = m.branch_id "
                                       "WHERE o.path LIKE ?1 AND m.status = 'active'",
                                       {c.like}));
  const int64_t n_active = active->i64(0);
  const int64_t n_leave = n_active > 0 ? std::max<int64_t>(1, n_active * 15 / 1000) : 0;
  const int64_t n_move = n_active > 1 && c.branches.size() > 1 ? std::max<int64_t>(1, n_active * 30 / 1000) : 0;
  CHIDOAN_TRY(chosen, c.conn.query("SELECT m.id, m.branch_id, m.birth_date, p.from_on FROM members m "
                                   "JOIN orgs o ON o.id = m.branch_id JOIN member_periods p ON p.member_id = m.id AND p.to_on IS NULL "
                                   "WHERE o.path LIKE ?1 AND m.status = 'active' ORDER BY " + mix_sql("m.id", c.salt(1)) +
                                       ", m.id LIMIT " + num(n_leave + n_move),
                                   {c.like}));
  struct Pick {
    int64_t id, branch;
    std::string birth, since;
    bool leave;
  };
  std::vector<Pick> picks;
  for (size_t i = 0; i < chosen.size(); ++i)
    picks.push_back({chosen[i].i64(0), chosen[i].i64(1), chosen[i].str(2), chosen[i].str(3), static_cast<int64_t>(i) < n_leave});
  std::sort(picks.begin(), picks.end(), [](const Pick& a, const Pick& b) { return a.id < b.id; });
  auto rng = c.rng(1);
  std::vector<Value> moves;
  for (const auto& p : picks) {
    sys_days on = c.jan1 + days(static_cast<int64_t>(rng() % static_cast<uint64_t>(c.span_days())));
    auto since = parse_date(p.since);
    if (since && on <= sys_days{*since}) {
      sys_days next = sys_days{*since} + days(1);
      if (next > c.last) continue;
      on = next + days(static_cast<int64_t>(rng() % static_cast<uint64_t>((c.last - next).count() + 1)));
    }
    std::string kind, reason;
    int64_t to = 0;
    if (p.leave) {
      auto birth = parse_date(p.birth);
      if (birth && org::rules::due_for_maturity(*birth, Date{on})) {
        kind = "mature";
        reason = "Quá 30 tuổi, trưởng thành Đoàn";
      } else if (rng() % 10 < 7) {
        kind = "transfer_out";
        reason = kTransferOutReasons[rng() % kTransferOutReasons.size()];
      } else {
        kind = "remove";
        reason = kRemoveReasons[rng() % kRemoveReasons.size()];
      }
    } else {
      kind = "transfer";
      reason = kTransferReasons[rng() % kTransferReasons.size()];
      size_t k = rng() % (c.branches.size() - 1);
      to = c.branches[k];
      if (to == p.branch) to = c.branches.back();
      if (to == p.branch) continue;
    }
    moves.insert(moves.end(), {Value(p.id), Value(kind), Value(p.branch), to ? Value(to) : Value(nullptr), Value(iso(on)), Value(reason)});
  }

  CHIDOAN_TRY_VOID(c.conn.execute("CREATE TEMP TABLE gen_extras_moves (member_id BIGINT PRIMARY KEY, kind TEXT NOT NULL, "
                                  "from_branch BIGINT NOT NULL, to_branch BIGINT, on_date TEXT NOT NULL, reason TEXT NOT NULL)"));
  CHIDOAN_TRY_VOID(bulk::insert_rows(c.conn, "INSERT INTO gen_extras_moves (member_id, kind, from_branch, to_branch, on_date, reason) VALUES ",
                                     6, moves));
  const std::string g = "(SELECT g.on_date FROM gen_extras_moves g WHERE g.member_id = ";
  // Attendance from the day on belongs to the new branch, or to no one.
  CHIDOAN_TRY(after_moving, c.conn.execute("DELETE FROM attendance WHERE member_id IN (SELECT member_id FROM gen_extras_moves) "
                                            "AND on_date >= " + g + "attendance.member_id)"));
  c.info.attendance -= after_moving;
  CHIDOAN_TRY_VOID(c.conn.execute("UPDATE member_periods SET to_on = " + g + "member_periods.member_id) "
                                  "WHERE to_on IS NULL AND member_id IN (SELECT member_id FROM gen_extras_moves)"));
  CHIDOAN_TRY_VOID(c.conn.execute("INSERT INTO member_periods (member_id, branch_id, from_on) "
                                  "SELECT member_id, to_branch, on_date FROM gen_extras_moves WHERE kind = 'transfer' ORDER BY member_id"));
  // The unit belongs to the old branch's agency; the member takes one of the new branch's.
  CHIDOAN_TRY_VOID(c.conn.execute(
      "UPDATE members SET branch_id = (SELECT g.to_branch FROM gen_extras_moves g WHERE g.member_id = members.id), "
      "unit_id = (SELECT MIN(u.id) FROM units u JOIN gen_extras_moves g ON g.to_branch = u.org_id WHERE g.member_id = members.id), "
      "committee_role = '', updated_at = CAST(?1 AS BIGINT) "
      "WHERE id IN (SELECT member_id FROM gen_extras_moves WHERE kind = 'transfer')",
      {c.now}));
  CHIDOAN_TRY(left, c.conn.execute(
                        "UPDATE members SET status = (SELECT CASE g.kind WHEN 'mature' THEN 'matured' WHEN 'transfer_out' THEN 'transferred_out' "
                        "ELSE 'removed' END FROM gen_extras_moves g WHERE g.member_id = members.id), updated_at = CAST(?1 AS BIGINT) "
                        "WHERE id IN (SELECT member_id FROM gen_extras_moves WHERE kind <> 'transfer')",
                        {c.now}));
  c.info.left += left;
  CHIDOAN_TRY(events, c.conn.execute(
                          "INSERT INTO member_events (member_id, kind, effective_on, branch_id, other_branch_id, reason, recorded_at) "
                          "SELECT x.member_id, x.kind, x.on_date, x.branch_id, x.other_id, x.reason, CAST(?1 AS BIGINT) FROM ("
                          "SELECT member_id, 1 AS seq, CASE WHEN kind = 'transfer' THEN 'transfer_out' ELSE kind END AS kind, on_date, "
                          "from_branch AS branch_id, to_branch AS other_id, reason FROM gen_extras_moves "
                          "UNION ALL SELECT member_id, 2 AS seq, 'transfer_in' AS kind, on_date, to_branch AS branch_id, "
                          "from_branch AS other_id, reason FROM gen_extras_moves WHERE kind = 'transfer') x ORDER BY x.member_id, x.seq",
                          {c.now}));
  c.info.events += events;
  CHIDOAN_TRY(transfers, c.conn.query_one("SELECT COUNT(*) FROM gen_extras_moves WHERE kind = 'transfer'"));
  c.info.transfers += transfers->i64(0);
  CHIDOAN_TRY(in_new_branch, add_attendance(c,
                                  "SELECT g.member_id AS mid, g.to_branch AS bid, m.unit_id AS uid, g.on_date AS since "
                                  "FROM gen_extras_moves g JOIN members m ON m.id = g.member_id WHERE g.kind = 'transfer'",
                                  {c.now, static_cast<int64_t>(c.seed % static_cast<uint64_t>(k31))}, 1, 2));
  c.info.attendance += in_new_branch;
  CHIDOAN_TRY_VOID(c.conn.execute("DROP TABLE gen_extras_moves"));
  c.say("lifecycle: " + num(c.info.transfers) + " transfers, " + num(c.info.left) + " left");

  // New members admitted in the year, most at the 26 March ceremonies.
  CHIDOAN_TRY(units, c.conn.query("SELECT u.org_id, u.id FROM units u JOIN orgs o ON o.id = u.org_id WHERE o.path LIKE ?1 "
                                  "ORDER BY u.org_id, u.position, u.id",
                                  {c.like}));
  std::unordered_map<int64_t, std::vector<int64_t>> units_of;
  for (const auto& r : units) units_of[r.i64(0)].push_back(r.i64(1));
  const int64_t n_new = n_active > 0 && !c.branches.empty() ? std::max<int64_t>(1, n_active * 25 / 1000) : 0;
  auto arng = c.rng(2);
  NameKeys keys;
  std::vector<Value> rows;
  const sys_days ceremony{std::chrono::year{c.year} / 3 / 26};
  for (int64_t i = 0; i < n_new; ++i) {
    const int64_t b = c.branches[arng() % c.branches.size()];
    PersonName pn = draw_person(arng);
    sys_days on = arng() % 2 == 0 && ceremony <= c.last ? ceremony
                                                        : c.jan1 + days(static_cast<int64_t>(arng() % static_cast<uint64_t>(c.span_days())));
    sys_days born = on - days(16 * 365 + 4 + static_cast<int64_t>(arng() % (4 * 365)));
    const auto& k = keys.of(pn);
    const auto& us = units_of[b];
    Value unit = us.empty() ? Value(nullptr) : Value(us[arng() % us.size()]);
    rows.insert(rows.end(), {Value(b), Value(pn.family), Value(pn.middle), Value(pn.given), Value(k.sort_key), Value(k.search_text),
                             Value(std::string(pn.female ? "female" : "male")), Value(iso(born)), Value(iso(on)), unit, Value(c.now),
                             Value(c.now)});
  }
  CHIDOAN_TRY(first_new, max_id(c.conn, "members"));
  CHIDOAN_TRY_VOID(bulk::insert_rows(c.conn,
                                     "INSERT INTO members (branch_id, family_name, middle_name, given_name, sort_key, search_text, sex, "
                                     "birth_date, joined_union_on, unit_id, created_at, updated_at) VALUES ",
                                     12, rows));
  const std::string fresh = "FROM members m JOIN orgs o ON o.id = m.branch_id WHERE m.id > ?1 AND o.path LIKE ?2";
  CHIDOAN_TRY_VOID(c.conn.execute("INSERT INTO member_periods (member_id, branch_id, from_on) SELECT m.id, m.branch_id, m.joined_union_on " +
                                      fresh + " ORDER BY m.id",
                                  {first_new, c.like}));
  CHIDOAN_TRY(admitted, c.conn.execute("INSERT INTO member_events (member_id, kind, effective_on, branch_id, other_branch_id, reason, recorded_at) "
                                       "SELECT m.id, 'admit', m.joined_union_on, m.branch_id, NULL, '', CAST(?3 AS BIGINT) " +
                                           fresh + " ORDER BY m.id",
                                       {first_new, c.like, c.now}));
  c.info.events += admitted;
  c.info.admitted += admitted;
  CHIDOAN_TRY(of_admitted, add_attendance(c,
                                  "SELECT m.id AS mid, m.branch_id AS bid, m.unit_id AS uid, m.joined_union_on AS since " + fresh,
                                  {first_new, c.like, c.now, static_cast<int64_t>(c.seed % static_cast<uint64_t>(k31))}, 3, 4));
  c.info.attendance += of_admitted;
  c.say("lifecycle: " + num(admitted) + " admitted in the year");
  return {};
}

// ---- dues -----------------------------------------------------------------------------------

Result<void> dues(Ctx& c) {
  if (c.last < c.jan1) return {};
  // The rates in force each month of the year.
  CHIDOAN_TRY(rates, c.conn.query("SELECT category, amount, valid_from, COALESCE(valid_to, '9999-12') FROM dues_rates"));
  std::string months;
  int64_t sal0 = 0, unsal0 = 0;
  bool constant_rates = true;
  for (unsigned mo = 1; mo <= 12; ++mo) {
    char m[8];
    std::snprintf(m, sizeof m, "%04d-%02u", c.year, mo);
    int64_t sal = 0, unsal = 0;
    for (const auto& r : rates)
      if (r.str(2) <= m && r.str(3) >= m) (r.str(0) == "salaried" ? sal : unsal) = r.i64(1);
    if (sal == 0 || unsal == 0) return fail(ErrorKind::internal, std::string("no dues rate for ") + m);
    if (mo == 1) {
      sal0 = sal;
      unsal0 = unsal;
    }
    if (sal != sal0 || unsal != unsal0) constant_rates = false;
    months += std::string(months.empty() ? "" : " UNION ALL ") + "SELECT '" + m + "' AS mo, '" + m + "-01' AS first_day, " +
              num((mo - 1) / 3 + 1) + " AS q, " + num(sal) + " AS sal, " + num(unsal) + " AS unsal";
  }
  // Students and the young are mostly without a salary.
  CHIDOAN_TRY_VOID(c.conn.execute(
      "INSERT INTO dues_categories (member_id, valid_from, category, recorded_at, recorded_by) "
      "SELECT m.id, MIN(SUBSTR(p.from_on, 1, 7)), 'unsalaried', CAST(?2 AS BIGINT), NULL "
      "FROM members m JOIN orgs o ON o.id = m.branch_id JOIN member_periods p ON p.member_id = m.id "
      "WHERE o.path LIKE ?1 AND NOT EXISTS (SELECT 1 FROM dues_categories x WHERE x.member_id = m.id) "
      "AND ((m.birth_date >= ?3 AND " + pick_sql("m.id", c.salt(10), 100) + " < 70) OR (m.birth_date < ?3 AND " +
          pick_sql("m.id", c.salt(10), 100) + " < 8)) GROUP BY m.id ORDER BY m.id",
      {c.like, c.now, num(c.year - 22) + "-01-01"}));
  c.say("dues: categories written");
  // Each stay's owed months as month numbers (year * 12 + month - 1; docs/dues.md): from the
  // month of its first day when that is the 1st or the member was admitted then (no earlier
  // stay), else the next; to the month before its end when that is the 1st, else that month.
  const int64_t y0 = int64_t{c.year} * 12;
  auto month_no = [](const std::string& col) {
    return "(CAST(SUBSTR(" + col + ", 1, 4) AS INTEGER) * 12 + CAST(SUBSTR(" + col + ", 6, 2) AS INTEGER) - 1)";
  };
  auto month_text = [&](const std::string& no) {
    const std::string mm = "(" + no + " - " + num(y0) + " + 1)";
    return "'" + c.y() + "-' || CASE WHEN " + mm + " < 10 THEN '0' ELSE '' END || CAST(" + mm + " AS TEXT)";
  };
  const std::string stays =
      "SELECT p.member_id AS mid, p.branch_id AS bid, p.from_on AS since, "
      "CASE WHEN SUBSTR(p.from_on, 9, 2) = '01' OR NOT EXISTS (SELECT 1 FROM member_periods q2 WHERE q2.member_id = p.member_id "
      "AND q2.from_on < p.from_on) THEN " + month_no("p.from_on") + " ELSE " + month_no("p.from_on") + " + 1 END AS s, "
      "CASE WHEN p.to_on IS NULL THEN " + num(y0 + 11) + " WHEN SUBSTR(p.to_on, 9, 2) = '01' THEN " + month_no("p.to_on") + " - 1 ELSE " +
      month_no("p.to_on") + " END AS e, "
      "CASE WHEN c.valid_from IS NULL THEN 999999 ELSE " + month_no("c.valid_from || '-01'") + " END AS vf, "
      "CASE WHEN " + pick_sql("p.member_id", c.salt(12), 100) + " < 20 THEN 1 ELSE 0 END AS skipper "
      "FROM member_periods p JOIN orgs o ON o.id = p.branch_id "
      "LEFT JOIN dues_categories c ON c.member_id = p.member_id AND c.category = 'unsalaried' "
      "WHERE o.path LIKE ?1 AND p.from_on <= ?2 AND (p.to_on IS NULL OR p.to_on > ?3)";
  const std::string quarters = "(SELECT 0 AS q UNION ALL SELECT 1 AS q UNION ALL SELECT 2 AS q UNION ALL SELECT 3 AS q)";
  // A payment a member, branch and quarter, at the end of its last month; a fifth of the
  // members skip some quarters.
  const std::string parts =
      "SELECT a.mid AS mid, a.bid AS bid, a.since AS since, k.q AS q, a.vf AS vf, "
      "CASE WHEN a.s > " + num(y0) + " + 3 * k.q THEN a.s ELSE " + num(y0) + " + 3 * k.q END AS lo, "
      "CASE WHEN a.e < " + num(y0 + 2) + " + 3 * k.q THEN a.e ELSE " + num(y0 + 2) + " + 3 * k.q END AS hi "
      "FROM gen_extras_stays a CROSS JOIN " + quarters + " k "
      "WHERE NOT (a.skipper = 1 AND " + pick_sql("a.mid * 4 + k.q", c.salt(13), 100) + " < 40)";
  const std::string day = "(5 + (b.mid * 7 + b.q * 5 + " + num(c.salt(11) % 21) + ") % 21)";
  const std::string n_unsal = "(CASE WHEN b.hi < b.vf THEN 0 WHEN b.lo >= b.vf THEN b.hi - b.lo + 1 ELSE b.hi - b.vf + 1 END)";
  const std::string payments =
      "SELECT b.mid AS mid, b.bid AS bid, " + month_text("b.lo") + " AS f, " + month_text("b.hi") + " AS t, " + n_unsal + " * " +
      num(unsal0) + " + (b.hi - b.lo + 1 - " + n_unsal + ") * " + num(sal0) + " AS amount, b.since AS since, " + month_text("b.hi") +
      " || '-' || CASE WHEN " + day + " < 10 THEN '0' ELSE '' END || CAST(" + day + " AS TEXT) AS paid_on "
      "FROM (" + parts + ") b WHERE b.lo <= b.hi";
  // The stays, computed once (a subquery would be flattened into every use of its columns).
  CHIDOAN_TRY_VOID(c.conn.execute("CREATE TEMP TABLE gen_extras_stays (mid BIGINT NOT NULL, bid BIGINT NOT NULL, since TEXT NOT NULL, "
                                  "s BIGINT NOT NULL, e BIGINT NOT NULL, vf BIGINT NOT NULL, skipper BIGINT NOT NULL)"));
  CHIDOAN_TRY_VOID(c.conn.execute("INSERT INTO gen_extras_stays (mid, bid, since, s, e, vf, skipper) " + stays,
                                  {c.like, c.y() + "-12-31", c.y() + "-01-01"}));
  CHIDOAN_TRY(first_payment, max_id(c.conn, "dues_payments"));
  CHIDOAN_TRY(paid, c.conn.execute(
                        "WITH x AS MATERIALIZED (" + payments + ") "
                        "INSERT INTO dues_payments (member_id, branch_id, from_month, to_month, amount, paid_on, receipt_no, note, recorded_at) "
                        "SELECT x.mid, x.bid, x.f, x.t, x.amount, CASE WHEN x.paid_on < x.since THEN x.since ELSE x.paid_on END, '', '', "
                        "CAST(?1 AS BIGINT) FROM x WHERE x.paid_on <= ?2 ORDER BY x.mid, x.f",
                        {c.now, iso(c.last)}));
  c.info.dues += paid;
  CHIDOAN_TRY_VOID(c.conn.execute("DROP TABLE gen_extras_stays"));
  c.say("dues: payments written");
  // The months each payment pays, as DuesStore::record_payment writes them, each at its rate.
  CHIDOAN_TRY_VOID(c.conn.execute("INSERT INTO dues_paid_months (member_id, month, payment_id, branch_id, amount) "
                                  "SELECT d.member_id, g.mo, d.id, d.branch_id, "
                                  "CASE WHEN x.valid_from IS NOT NULL AND x.valid_from <= g.mo THEN g.unsal ELSE g.sal END "
                                  "FROM dues_payments d JOIN orgs o ON o.id = d.branch_id "
                                  "JOIN (" + months + ") g ON g.mo >= d.from_month AND g.mo <= d.to_month "
                                  "LEFT JOIN dues_categories x ON x.member_id = d.member_id AND x.category = 'unsalaried' "
                                  "WHERE d.id > ?1 AND o.path LIKE ?2 ORDER BY d.id, g.mo",
                                  {first_payment, c.like}));
  if (!constant_rates)  // a rate changed during the year: the amounts are the months' sums
    CHIDOAN_TRY_VOID(c.conn.execute("UPDATE dues_payments SET amount = (SELECT SUM(x.amount) FROM dues_paid_months x WHERE "
                                    "x.member_id = dues_payments.member_id AND x.month >= dues_payments.from_month AND "
                                    "x.month <= dues_payments.to_month) WHERE id > ?1 AND branch_id IN (SELECT id FROM orgs WHERE path LIKE ?2)",
                                    {first_payment, c.like}));
  c.say("dues: " + num(paid) + " payments");
  return {};
}

// ---- fund -----------------------------------------------------------------------------------

struct CampaignPlan {
  std::string name, purpose, goal_items;
  sys_days starts, ends;
  sys_days round2;
  int64_t goal_per_member;
  int member_share1, member_share2;  // % of members giving money in each round
};

Result<void> fund(Ctx& c) {
  CHIDOAN_TRY(members, c.conn.query_one("SELECT COUNT(*) FROM members m JOIN orgs o ON o.id = m.branch_id WHERE o.path LIKE ?1 "
                                        "AND m.status = 'active'",
                                        {c.like}));
  const int64_t n_members = members->i64(0);
  const std::chrono::year yr{c.year};
  const std::vector<CampaignPlan> plans = {
      {"Xuân yêu thương " + c.y(), "Quà Tết cho thiếu nhi và gia đình có hoàn cảnh khó khăn", "2.000 phần quà",
       sys_days{yr / 1 / 4}, sys_days{yr / 2 / 5}, sys_days{yr / 1 / 20}, 20000, 20, 15},
      {"Chung tay hướng về miền Trung " + c.y(), "Hỗ trợ đồng bào các tỉnh miền Trung bị thiệt hại do bão lũ",
       "10 tấn gạo, 2.000 thùng mì", sys_days{yr / 10 / 15}, sys_days{yr / 12 / 15}, sys_days{yr / 11 / 15}, 30000, 35, 20}};
  int ci = 0;
  for (const auto& p : plans) {
    ++ci;
    if (p.starts > c.last) continue;
    const sys_days end = std::min(p.ends, c.last);
    const std::string status = p.ends < sys_days{today(c.clock)} ? "closed" : "open";
    const int64_t goal = std::max<int64_t>(1, n_members * p.goal_per_member / 1000000) * 1000000;
    CHIDOAN_TRY(cid, c.conn.insert_id("INSERT INTO campaigns (org_id, name, purpose, starts_on, ends_on, status, goal_vnd, goal_items, "
                                      "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id",
                                      {c.root_id, p.name, p.purpose, iso(p.starts), iso(p.ends), status, goal, p.goal_items, c.now}));
    ++c.info.campaigns;
    const bool two = p.round2 <= end;
    CHIDOAN_TRY_VOID(c.conn.execute("INSERT INTO campaign_rounds (campaign_id, no, name, starts_on, ends_on) VALUES (?1, 1, 'Đợt 1', ?2, ?3), "
                                    "(?1, 2, 'Đợt 2', ?4, ?5)",
                                    {cid, iso(p.starts), iso(p.round2 - days(1)), iso(p.round2), iso(p.ends)}));
    // Eight collection days per round (spread over its span up to today).
    auto dates_of = [&](sys_days from, sys_days to) {
      std::vector<std::string> out;
      const int64_t span = std::max<int64_t>(0, (to - from).count());
      for (int k = 0; k < 8; ++k) out.push_back(quote(iso(from + days(span * k / 7))));
      return out;
    };
    const auto d1 = dates_of(p.starts, two ? p.round2 - days(1) : end), d2 = dates_of(p.round2, end);
    auto date_of = [&](const std::string& key, int salt) {
      return "CASE WHEN r.no = 1 THEN " + case_of(pick_sql(key + " * 2 + r.no", c.salt(salt), 8), d1) + " ELSE " +
             case_of(pick_sql(key + " * 2 + r.no", c.salt(salt), 8), d2) + " END";
    };
    const std::string rounds = two ? "(SELECT 1 AS no UNION ALL SELECT 2 AS no)" : "(SELECT 1 AS no)";
    const int s = 20 + ci * 10;
    const std::string mkey = "m.id * 2 + r.no";
    const std::string members_money =
        "SELECT 1 AS src, z.mid AS k, z.rno AS round_no, 'money' AS kind, z.amount AS amount_vnd, '' AS item, 0 AS quantity_milli, "
        "'' AS unit, 0 AS value_vnd, 'member' AS contributor_kind, z.mid AS member_id, z.uid AS unit_id, z.name AS contributor_name, "
        "z.bid AS collected_by, z.d AS on_date, z.method AS method FROM (SELECT m.id AS mid, r.no AS rno, p.branch_id AS bid, "
        "CASE WHEN p.to_on IS NULL AND p.branch_id = m.branch_id THEN m.unit_id ELSE NULL END AS uid, "
        "m.family_name || CASE WHEN m.middle_name = '' THEN '' ELSE ' ' || m.middle_name END || ' ' || m.given_name AS name, "
        "p.from_on AS from_on, p.to_on AS to_on, " + date_of("m.id", s) + " AS d, " +
        case_of(pick_sql(mkey, c.salt(s + 1), 10), {"20000", "20000", "50000", "50000", "50000", "100000", "100000", "100000", "200000", "500000"}) +
        " AS amount, CASE WHEN " + pick_sql(mkey, c.salt(s + 2), 100) + " < 30 THEN 'transfer' ELSE 'cash' END AS method "
        "FROM members m JOIN member_periods p ON p.member_id = m.id JOIN orgs o ON o.id = p.branch_id CROSS JOIN " + rounds + " r "
        "WHERE o.path LIKE ?2 AND " + pick_sql(mkey, c.salt(s + 3), 100) + " < CASE WHEN r.no = 1 THEN " + num(p.member_share1) +
        " ELSE " + num(p.member_share2) + " END) z WHERE z.from_on <= z.d AND (z.to_on IS NULL OR z.to_on > z.d)";
    const std::string ukey = "u.id * 2 + r.no";
    const std::string units_goods =
        "SELECT 2 AS src, z.uid AS k, z.rno AS round_no, 'in_kind' AS kind, 0 AS amount_vnd, " +
        case_of("z.i", {"'Gạo'", "'Mì tôm'", "'Nước uống đóng chai'", "'Quần áo'", "'Sách vở'"}) + " AS item, z.qn * 1000 AS quantity_milli, " +
        case_of("z.i", {"'kg'", "'thùng'", "'thùng'", "'bộ'", "'bộ'"}) + " AS unit, z.qn * " +
        case_of("z.i", {"15000", "100000", "80000", "50000", "40000"}) + " AS value_vnd, 'unit' AS contributor_kind, NULL AS member_id, "
        "z.uid AS unit_id, z.uname AS contributor_name, z.bid AS collected_by, z.d AS on_date, 'in_kind' AS method "
        "FROM (SELECT u.id AS uid, u.name AS uname, u.org_id AS bid, r.no AS rno, " + date_of("u.id", s + 4) + " AS d, " +
        pick_sql(ukey, c.salt(s + 5), 5) + " AS i, 5 + " + pick_sql(ukey, c.salt(s + 6), 46) + " AS qn "
        "FROM units u JOIN orgs o ON o.id = u.org_id CROSS JOIN " + rounds + " r WHERE o.path LIKE ?2 AND o.status = 'active' AND " +
        pick_sql(ukey, c.salt(s + 7), 100) + " < 50) z";
    const std::string dkey = "d.id * 2 + r.no";
    const std::string sponsors =
        "SELECT 3 AS src, d.id AS k, r.no AS round_no, 'money' AS kind, (2 + " + pick_sql(dkey, c.salt(s + 8), 19) +
        ") * 1000000 AS amount_vnd, '' AS item, 0 AS quantity_milli, '' AS unit, 0 AS value_vnd, 'agency' AS contributor_kind, "
        "NULL AS member_id, NULL AS unit_id, " +
        case_of(pick_sql(dkey, c.salt(s + 9), 6), {"'Công ty Cổ phần Sữa Cao Nguyên'", "'Ngân hàng TMCP Đầu tư và Phát triển – Chi nhánh tỉnh'",
                                                   "'Công ty TNHH Thực phẩm Langbiang'", "'Hội Doanh nhân trẻ tỉnh'", "'Công ty Điện lực tỉnh'",
                                                   "'Bưu điện tỉnh'"}) +
        " AS contributor_name, d.id AS collected_by, " + date_of("d.id", s + 10) + " AS on_date, 'transfer' AS method "
        "FROM orgs d CROSS JOIN " + rounds + " r WHERE d.parent_id = ?3 AND d.status = 'active' AND " + pick_sql(dkey, c.salt(s + 11), 100) +
        " < 50";
    CHIDOAN_TRY(n, c.conn.execute(
                       "INSERT INTO contributions (campaign_id, round_no, kind, amount_vnd, item, quantity_milli, unit, value_vnd, "
                       "contributor_kind, member_id, unit_id, contributor_name, collected_by, on_date, method, note, recorded_by, "
                       "recorded_at, receipt_no, receipted_at) "
                       "SELECT CAST(?1 AS BIGINT), y.round_no, y.kind, y.amount_vnd, y.item, y.quantity_milli, y.unit, y.value_vnd, "
                       "y.contributor_kind, y.member_id, y.unit_id, y.contributor_name, y.collected_by, y.on_date, y.method, '', '', "
                       "CAST(?4 AS BIGINT), ROW_NUMBER() OVER (ORDER BY y.on_date, y.src, y.k, y.round_no), CAST(?4 AS BIGINT) FROM (" +
                           members_money + " UNION ALL " + units_goods + " UNION ALL " + sponsors + ") y "
                           "ORDER BY y.on_date, y.src, y.k, y.round_no",
                       {cid, c.like, c.root_id, c.now}));
    c.info.contributions += n;
    // The running sums every ledger insert keeps (fund::Store::add_to_sums), and the counter.
    CHIDOAN_TRY_VOID(c.conn.execute(
        "INSERT INTO contribution_sums (campaign_id, round_no, kind, contributor_kind, unit_id, collected_by, item, unit, amount_vnd, "
        "quantity_milli, value_vnd, entries) SELECT campaign_id, COALESCE(round_no, 0), kind, contributor_kind, COALESCE(unit_id, 0), "
        "collected_by, item, unit, SUM(amount_vnd), SUM(quantity_milli), SUM(value_vnd), COUNT(*) FROM contributions "
        "WHERE campaign_id = ?1 GROUP BY campaign_id, COALESCE(round_no, 0), kind, contributor_kind, COALESCE(unit_id, 0), collected_by, "
        "item, unit ORDER BY 2, 3, 4, 5, 6, 7, 8",
        {cid}));
    CHIDOAN_TRY_VOID(c.conn.execute("UPDATE campaigns SET last_receipt = (SELECT COALESCE(MAX(receipt_no), 0) FROM contributions "
                                    "WHERE campaign_id = ?1) WHERE id = ?1",
                                    {cid}));
    // What was handed out: most of each round's money, at its end.
    CHIDOAN_TRY(by_round, c.conn.query("SELECT round_no, CAST(SUM(amount_vnd) AS BIGINT) FROM contributions WHERE campaign_id = ?1 "
                                       "AND kind = 'money' GROUP BY round_no ORDER BY round_no",
                                       {cid}));
    for (const auto& r : by_round) {
      const int64_t amount = r.i64(1) * 9 / 10 / 1000 * 1000;
      const sys_days on = r.i64(0) == 1 ? (two ? p.round2 - days(1) : end) : end;
      if (amount <= 0 || on > c.last) continue;
      CHIDOAN_TRY_VOID(c.conn.execute("INSERT INTO outflows (campaign_id, round_no, on_date, description, recipients, kind, amount_vnd, "
                                      "recorded_by, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, 'money', ?6, '', ?7)",
                                      {cid, r.i64(0), iso(on), "Trao tiền hỗ trợ đợt " + num(r.i64(0)),
                                       num(std::max<int64_t>(1, amount / 1000000)) + " hộ gia đình có hoàn cảnh khó khăn", amount, c.now}));
    }
  }
  c.say("fund: " + num(c.info.campaigns) + " campaigns, " + num(c.info.contributions) + " contributions");
  return {};
}

// ---- blood ----------------------------------------------------------------------------------

constexpr std::array kAvailability = {"Buổi tối các ngày trong tuần", "Cuối tuần", "Bất kỳ lúc nào", ""};
constexpr std::array kPlaces = {"Ngày hội Giọt hồng", "Bệnh viện Đa khoa tỉnh", "Hành trình Đỏ", "Lễ hội Xuân hồng"};

Result<void> blood(Ctx& c) {
  if (c.last < c.jan1) return {};
  const std::string club_name = "Câu lạc bộ Hiến máu tình nguyện " + c.root_name;
  CHIDOAN_TRY(existing, c.conn.query_one("SELECT id FROM blood_clubs WHERE org_id = ?1 AND name = ?2", {c.root_id, club_name}));
  int64_t club = 0;
  if (existing) {
    club = existing->i64(0);
  } else {
    CHIDOAN_TRY(id, c.conn.insert_id("INSERT INTO blood_clubs (org_id, name, created_at) VALUES (?1, ?2, ?3) RETURNING id",
                                     {c.root_id, club_name, c.now}));
    club = id;
  }
  const sys_days last = c.last;
  const Date today = chidoan::today(c.clock);
  CHIDOAN_TRY(active, c.conn.query_one("SELECT COUNT(*) FROM members m JOIN orgs o ON o.id = m.branch_id WHERE o.path LIKE ?1 "
                                       "AND m.status = 'active'",
                                       {c.like}));
  const int64_t n = active->i64(0) > 0 ? std::max<int64_t>(1, active->i64(0) * 4 / 100) : 0;
  CHIDOAN_TRY(people, c.conn.query("SELECT m.id, m.sex, m.birth_date, d.name FROM members m JOIN orgs o ON o.id = m.branch_id "
                                   "JOIN orgs d ON d.id = o.parent_id WHERE o.path LIKE ?1 AND m.status = 'active' AND m.birth_date <= ?2 "
                                   "AND NOT EXISTS (SELECT 1 FROM blood_donors x WHERE x.club_id = ?3 AND x.member_id = m.id) "
                                   "ORDER BY " + mix_sql("m.id", c.salt(40)) + ", m.id LIMIT " + num(n),
                                   {c.like, iso(sys_days{add_years(Date{last}, -18)}), club}));
  namespace br = blood::rules;
  const auto& reg = br::rules_of(br::regulation_on(today));
  auto rng = c.rng(40);
  struct Planned {
    int64_t member;
    std::vector<std::pair<std::string, std::string>> consents;  // kind, date
    std::vector<std::pair<br::DonationFact, int64_t>> donations;  // fact, volume (0: none)
  };
  std::vector<Planned> planned;
  std::vector<Value> rows;
  const sys_days from = sys_days{std::chrono::year{c.year - 2} / 1 / 1};
  for (const auto& r : people) {
    auto birth = parse_date(r.str(2));
    if (!birth) continue;
    const bool female = r.str(1) == "female";
    sys_days joined = from + days(static_cast<int64_t>(rng() % static_cast<uint64_t>((last - from).count() + 1)));
    joined = std::max(joined, sys_days{add_years(*birth, 18)});
    if (joined > last) continue;
    // Group: O 42 %, B 31 %, A 21 %, AB 6 %; RhD− one in a thousand; 8 % not tested yet.
    const uint64_t g = rng() % 1000;
    const bool negative = rng() % 1000 == 0;
    const bool tested = rng() % 100 >= 8;
    std::string group = std::string(g < 420 ? "O" : g < 730 ? "B" : g < 940 ? "A" : "AB") + (negative ? "-" : "+");
    const bool call = tested && rng() % 100 < 85;
    const bool location = rng() % 100 < 60;
    const uint64_t w = rng() % 100;
    const char* weight = female ? (w < 55 ? ">=50" : w < 90 ? "45-50" : "42-45") : (w < 90 ? ">=50" : "45-50");
    Planned p{r.i64(0), {{"join", iso(joined)}}, {}};
    if (tested) p.consents.push_back({"health", iso(joined)});
    if (call) p.consents.push_back({"call", iso(joined)});
    if (location) p.consents.push_back({"location", iso(joined)});
    // Donations: most have given before, 84 days or more apart.
    br::EligibilityFacts facts;
    facts.sex = female ? blood::Sex::female : blood::Sex::male;
    facts.birth_date = *birth;
    facts.weight = *br::parse_weight_class(weight);
    if (rng() % 10 >= 3) {
      sys_days on = joined + days(static_cast<int64_t>(rng() % 120));
      while (on <= last && p.donations.size() < 6) {
        const uint64_t t = rng() % 100;
        blood::DonationType type = t < 85 ? blood::DonationType::whole_blood : t < 95 ? blood::DonationType::platelets : blood::DonationType::plasma;
        const uint64_t v = rng() % 100;
        int64_t volume = type == blood::DonationType::whole_blood ? (v < 70 ? 350 : v < 95 ? 250 : 450) : 0;
        br::DonationFact f{Date{on}, type};
        p.donations.push_back({f, volume});
        facts.donations.push_back(f);
        on += days(br::interval_days(blood::DonationType::whole_blood, reg) + static_cast<int64_t>(rng() % 240));
      }
    }
    const br::Standing st = br::standing(facts, today);
    std::optional<br::DonationFact> latest;
    for (const auto& d : facts.donations)
      if (!latest || d.on > latest->on) latest = d;
    auto opt = [](bool on, const std::string& v) { return on ? Value(v) : Value(nullptr); };
    rows.insert(rows.end(),
                {Value(club), Value(p.member), Value(std::string()), Value(nullptr), Value(r.str(1)), Value(r.str(2)), Value(std::string(weight)),
                 opt(tested, group), Value(std::string(blood::kUnknownPhenotype)), Value(nullptr), Value(std::string()),
                 Value(location ? r.str(3) : std::string()), Value(std::string()), Value(int64_t{call ? 1 : 0}),
                 Value(std::string(kAvailability[rng() % kAvailability.size()])), Value(iso(joined)), opt(tested, iso(joined)),
                 opt(call, iso(joined)), opt(location, iso(joined)), Value(int64_t{tested && call ? 1 : 0}),
                 latest ? Value(to_iso(latest->on)) : Value(nullptr),
                 latest ? Value(std::string(br::to_string(latest->type))) : Value(nullptr),
                 st.next_eligible_on ? Value(to_iso(*st.next_eligible_on)) : Value(nullptr), Value(to_iso(st.eligible_until)), Value(c.now),
                 Value(c.now)});
    planned.push_back(std::move(p));
  }
  CHIDOAN_TRY(first_donor, max_id(c.conn, "blood_donors"));
  CHIDOAN_TRY_VOID(bulk::insert_rows(c.conn,
                                     "INSERT INTO blood_donors (club_id, member_id, name, phone, sex, birth_date, weight_class, blood_group, "
                                     "phenotype, phenotype_tested_on, phenotype_lab, district, commune, on_call, availability, consent_join_on, "
                                     "consent_health_on, consent_call_on, consent_location_on, callable, last_donation_on, last_donation_type, "
                                     "next_eligible_on, eligible_until, created_at, updated_at) VALUES ",
                                     26, rows));
  rows.clear();
  CHIDOAN_TRY(ids, c.conn.query("SELECT member_id, id FROM blood_donors WHERE club_id = ?1 AND id > ?2", {club, first_donor}));
  std::unordered_map<int64_t, int64_t> donor_of;
  for (const auto& r : ids) donor_of[r.i64(0)] = r.i64(1);
  std::vector<Value> consents, donations;
  for (const auto& p : planned) {
    const int64_t donor = donor_of[p.member];
    for (const auto& [kind, on] : p.consents)
      consents.insert(consents.end(), {Value(donor), Value(kind), Value(int64_t{1}), Value(on), Value(c.now)});
    for (const auto& [f, volume] : p.donations)
      donations.insert(donations.end(), {Value(donor), Value(to_iso(f.on)), Value(std::string(br::to_string(f.type))),
                                         volume ? Value(volume) : Value(nullptr), Value(std::string(kPlaces[rng() % kPlaces.size()])),
                                         Value(c.now)});
  }
  CHIDOAN_TRY_VOID(bulk::insert_rows(c.conn, "INSERT INTO blood_consent_events (donor_id, kind, given, on_date, recorded_at) VALUES ", 5,
                                     consents));
  CHIDOAN_TRY_VOID(bulk::insert_rows(c.conn, "INSERT INTO blood_donations (donor_id, on_date, type, volume_ml, place, recorded_at) VALUES ",
                                     6, donations));
  c.info.donors += static_cast<int64_t>(planned.size());
  c.say("blood: " + num(static_cast<int64_t>(planned.size())) + " donors, " + num(static_cast<int64_t>(donations.size() / 6)) + " donations");
  return {};
}

// ---- desk -----------------------------------------------------------------------------------

struct ProcedureDef {
  const char *code, *name, *field, *level;
};
constexpr std::array<ProcedureDef, 8> kProcedures = {{
    {"1.001756", "Đăng ký thường trú", "Đăng ký, quản lý cư trú", "4"},
    {"1.004604", "Cấp bản sao trích lục hộ tịch", "Hộ tịch", "3"},
    {"2.001610", "Đăng ký khai sinh", "Hộ tịch", "4"},
    {"2.001193", "Đăng ký kết hôn", "Hộ tịch", "3"},
    {"2.001199", "Cấp phiếu lý lịch tư pháp", "Lý lịch tư pháp", "4"},
    {"1.001612", "Đăng ký thành lập hộ kinh doanh", "Thành lập và hoạt động của hộ kinh doanh", "4"},
    {"1.002804", "Cấp đổi giấy phép lái xe", "Đường bộ", "3"},
    {"1.000894", "Đăng ký tạm trú", "Đăng ký, quản lý cư trú", "4"},
}};

Result<void> desk(Ctx& c) {
  if (c.last < c.jan1) return {};
  CHIDOAN_TRY(districts, c.conn.query("SELECT id, name, path FROM orgs WHERE parent_id = ?1 AND status = 'active' ORDER BY id", {c.root_id}));
  auto rng = c.rng(50);
  std::vector<Value> assists, months, targets;
  for (size_t di = 0; di < districts.size(); di += 10) {
    CHIDOAN_TRY(branch, c.conn.query_one("SELECT MIN(o.id) FROM orgs o JOIN org_levels l ON l.id = o.level_id WHERE l.holds_members = 1 "
                                         "AND o.status = 'active' AND o.path LIKE ?1",
                                         {districts[di].str(2) + "%"}));
    if (!branch || branch->is_null(0)) continue;
    const int64_t org_id = branch->i64(0);
    const std::string name = "Trung tâm Phục vụ hành chính công " + (di == 0 ? "tỉnh" : "– " + districts[di].str(1));
    CHIDOAN_TRY(found, c.conn.query_one("SELECT id FROM desk_centers WHERE org_id = ?1 AND name = ?2", {org_id, name}));
    if (found) continue;
    CHIDOAN_TRY(center, c.conn.insert_id("INSERT INTO desk_centers (org_id, name, address, max_shifts_per_week, min_rest_minutes, "
                                         "no_show_limit, created_at) VALUES (?1, ?2, '', 3, 60, 3, ?3) RETURNING id",
                                         {org_id, name, c.now}));
    CHIDOAN_TRY_VOID(c.conn.execute("INSERT INTO desk_counters (center_id, name) VALUES (?1, 'Bàn hướng dẫn nộp hồ sơ trực tuyến')", {center}));
    std::vector<Value> procs;
    for (const auto& p : kProcedures)
      procs.insert(procs.end(), {Value(center), Value(std::string(p.code)), Value(std::string(p.name)), Value(std::string(p.field)),
                                 Value(std::string(p.level)), Value(std::string()), Value(int64_t{1})});
    CHIDOAN_TRY_VOID(bulk::insert_rows(c.conn, "INSERT INTO desk_procedures (center_id, code, name, field, level, documents, active) VALUES ",
                                       7, procs));
    CHIDOAN_TRY(proc_rows, c.conn.query("SELECT id, level FROM desk_procedures WHERE center_id = ?1 ORDER BY code", {center}));
    CHIDOAN_TRY(volunteer_rows, c.conn.query("SELECT id FROM members WHERE branch_id = ?1 AND status = 'active' ORDER BY id", {org_id}));
    std::vector<int64_t> volunteers;
    for (const auto& r : volunteer_rows) volunteers.push_back(r.i64(0));
    // The log: 3–10 citizens helped each working day, 07:30–16:30.
    std::array<int64_t, 12> per_month{};
    for (sys_days d = c.jan1; d <= c.last && !volunteers.empty() && !proc_rows.empty(); d += days(1)) {
      const std::chrono::weekday wd{d};
      if (wd == std::chrono::Saturday || wd == std::chrono::Sunday) continue;
      const unsigned month = static_cast<unsigned>(Date{d}.month());
      const int count = 3 + static_cast<int>(rng() % 8);
      std::vector<int64_t> minutes;
      for (int k = 0; k < count; ++k) minutes.push_back(7 * 60 + 30 + static_cast<int64_t>(rng() % (9 * 60)));
      std::sort(minutes.begin(), minutes.end());
      for (int64_t m : minutes) {
        const int64_t at = std::chrono::sys_seconds(d).time_since_epoch().count() + m * 60 - 7 * 3600;
        const auto& proc = proc_rows[rng() % proc_rows.size()];
        const uint64_t o = rng() % 100;
        const bool submitted = o < 78, missing = !submitted && o < 93;
        const int64_t account = submitted ? 1 : missing ? static_cast<int64_t>(rng() % 2) : 0;
        assists.insert(assists.end(), {Value(center), Value(nullptr), Value(volunteers[rng() % volunteers.size()]), Value(at), Value(proc.i64(0)),
                                       Value(proc.str(1)), Value(int64_t{submitted || missing ? 1 : 0}), Value(account),
                                       Value(int64_t{submitted ? 1 : 0}), Value(int64_t{submitted ? 1 : 0}),
                                       Value(std::string(submitted ? "submitted" : missing ? "missing_papers" : "referred")), Value(nullptr),
                                       Value(nullptr), Value(std::string()), Value(c.now)});
        ++per_month[month - 1];
      }
    }
    // The center's monthly figures: online dossiers grow through the year.
    const unsigned last_month = static_cast<unsigned>(Date{c.last}.month());
    for (unsigned mo = 1; mo <= last_month; ++mo) {
      char m[8];
      std::snprintf(m, sizeof m, "%04d-%02u", c.year, mo);
      const int64_t received = 6000 + static_cast<int64_t>(rng() % 3500);
      const int64_t settled = received * (95 + static_cast<int64_t>(rng() % 5)) / 100;
      const int64_t a = received * (24 + static_cast<int64_t>(rng() % 8)) / 100;
      const int64_t b = received * (8 + static_cast<int64_t>(mo) * 3 / 2 + static_cast<int64_t>(rng() % 5)) / 100;
      // Decree 42/2022: from 2023 the classes are full and partial instead of levels 3 and 4.
      const bool classes = c.year >= 2023;
      months.insert(months.end(), {Value(center), Value(std::string(m)), Value(received), Value(settled), Value(classes ? 0 : a),
                                   Value(classes ? 0 : b), Value(classes ? b : 0), Value(classes ? a : 0),
                                   Value(std::min(received, per_month[mo - 1])), Value(c.now)});
    }
    targets.insert(targets.end(), {Value(center), Value(int64_t{c.year}), Value(int64_t{3000}), Value(std::string("Văn phòng Chính phủ"))});
  }
  CHIDOAN_TRY_VOID(bulk::insert_rows(c.conn,
                                     "INSERT INTO desk_assists (center_id, shift_id, member_id, at, procedure_id, level, step_scanned, "
                                     "step_account, step_fileset, step_submitted, outcome, phone, phone_consent_at, note, created_at) VALUES ",
                                     15, assists));
  CHIDOAN_TRY_VOID(bulk::insert_rows(c.conn,
                                     "INSERT INTO desk_kpi_months (center_id, month, received, settled, online_level3, online_level4, "
                                     "online_full, online_partial, assisted, updated_at) VALUES ",
                                     10, months));
  CHIDOAN_TRY_VOID(bulk::insert_rows(c.conn, "INSERT INTO desk_kpi_targets (center_id, year, target_bp, source) VALUES ", 4, targets));
  c.info.desk_entries += static_cast<int64_t>(assists.size() / 15);
  c.info.dossier_rows += static_cast<int64_t>(months.size() / 10);
  c.say("desk: " + num(c.info.desk_entries) + " assists, " + num(c.info.dossier_rows) + " monthly figures");
  return {};
}

}  // namespace

Result<ExtrasInfo> add_extras(db::Connection& conn, const Clock& clock, uint64_t seed, int64_t root_id, const std::string& root_path,
                              int year, const Progress& progress) {
  CHIDOAN_TRY(root, conn.query_one("SELECT name, path FROM orgs WHERE id = ?1", {root_id}));
  if (!root || root->str(1) != root_path) return fail(ErrorKind::invalid, "root org and path do not match", "root_id");
  const Date t = today(clock);
  if (year < 2000 || year > static_cast<int>(t.year())) return fail(ErrorKind::invalid, "year must be 2000..this year", "year");
  const sys_days jan1{std::chrono::year{year} / 1 / 1}, dec31{std::chrono::year{year} / 12 / 31};
  Ctx c{conn, clock, seed, root_id, root_path, root_path + "%", root->str(0), year, clock.unix_seconds(), jan1,
        std::min(dec31, sys_days{t}), {}, {}, progress};
  CHIDOAN_TRY(branches, conn.query("SELECT o.id FROM orgs o JOIN org_levels l ON l.id = o.level_id "
                                   "WHERE l.holds_members = 1 AND o.status = 'active' AND o.path LIKE ?1 ORDER BY o.id",
                                   {c.like}));
  for (const auto& r : branches) c.branches.push_back(r.i64(0));
  CHIDOAN_TRY_VOID(lifecycle(c));
  CHIDOAN_TRY_VOID(dues(c));
  CHIDOAN_TRY_VOID(fund(c));
  CHIDOAN_TRY_VOID(blood(c));
  CHIDOAN_TRY_VOID(desk(c));
  return c.info;
}

}  // namespace chidoan::gen
