#include "activity/store.hpp"

#include <algorithm>
#include <set>

#include <sodium.h>

#include "platform/auth/rules.hpp"
#include "platform/core/date.hpp"
#include "platform/text/text.hpp"

namespace chidoan::activity {
namespace {

using db::Row;
using db::Value;

constexpr const char* kActivityColumns =
    "a.id, a.org_id, o.name, a.type_id, t.code, t.name, a.title, a.description, a.place, a.starts_at, a.ends_at, "
    "a.capacity, COALESCE(a.signup_opens_at, ''), COALESCE(a.signup_closes_at, ''), a.expects_all, a.attendance_taken, "
    "a.qr_secret";
constexpr const char* kActivityFrom =
    " FROM activities a JOIN orgs o ON o.id = a.org_id JOIN activity_types t ON t.id = a.type_id";

Activity activity_from(const Row& r) {
  Activity a;
  a.id = r.i64(0);
  a.org_id = r.i64(1);
  a.org_name = r.str(2);
  a.type_id = r.i64(3);
  a.type_code = r.str(4);
  a.type_name = r.str(5);
  a.title = r.str(6);
  a.description = r.str(7);
  a.place = r.str(8);
  a.starts_at = r.str(9);
  a.ends_at = r.str(10);
  a.capacity = r.opt_i64(11);
  a.signup_opens_at = r.str(12);
  a.signup_closes_at = r.str(13);
  a.expects_all = r.i64(14) != 0;
  a.attendance_taken = r.i64(15) != 0;
  a.qr_secret = r.str(16);
  return a;
}


std::string name_at(const Row& r, size_t i) {
  std::string s = r.str(i);
  if (!r.str(i + 1).empty()) s += " " + r.str(i + 1);
  return s + " " + r.str(i + 2);
}

std::pair<std::string, std::string> year_span(int year) {
  return {std::to_string(year) + "-01-01", std::to_string(year) + "-12-31"};
}

void add(Tally& t, const std::string& status, int64_t n, int64_t minutes) {
  if (status == "present") t.present += n;
  else if (status == "excused") t.excused += n;
  else t.absent += n;
  t.minutes += minutes;
}

}  // namespace

Store::Store(db::Connection& conn, const Clock& clock) : db_(conn), clock_(clock) {}

std::string Store::now_local() const { return local_time(clock_.unix_seconds()); }

Result<std::vector<ActivityType>> Store::types() {
  CHIDOAN_TRY(rows, db_.query("SELECT id, code, name, name_en, expects_all FROM activity_types ORDER BY position, id"));
  std::vector<ActivityType> out;
  for (const auto& r : rows) out.push_back({r.i64(0), r.str(1), r.str(2), r.str(3), r.i64(4) != 0});
  return out;
}

Result<ActivityType> Store::type(int64_t id) {
  CHIDOAN_TRY(r, db_.query_one("SELECT id, code, name, name_en, expects_all FROM activity_types WHERE id = ?1", {id}));
  if (!r) return fail(ErrorKind::invalid, "Loại hoạt động không tồn tại", "type_id");
  return ActivityType{r->i64(0), r->str(1), r->str(2), r->str(3), r->i64(4) != 0};
}

Result<std::optional<ActivityType>> Store::type_by_code(const std::string& code) {
  CHIDOAN_TRY(r, db_.query_one("SELECT id, code, name, name_en, expects_all FROM activity_types WHERE code = ?1", {code}));
  if (!r) return std::optional<ActivityType>();
  return std::optional<ActivityType>(ActivityType{r->i64(0), r->str(1), r->str(2), r->str(3), r->i64(4) != 0});
}

Result<int64_t> Store::create(const org::Org& organiser, const ActivityInput& in) {
  CHIDOAN_TRY(t, type(in.type_id));
  if (!organiser.active()) return fail(ErrorKind::invalid, "Tổ chức đã giải thể", "org_id");
  unsigned char secret[16];
  randombytes_buf(secret, sizeof secret);
  char hex[33];
  sodium_bin2hex(hex, sizeof hex, secret, sizeof secret);
  bool all = in.expects_all.value_or(t.expects_all);
  CHIDOAN_TRY(id, db_.insert_id(
                      "INSERT INTO activities (org_id, type_id, title, description, place, starts_at, ends_at, capacity, "
                      "signup_opens_at, signup_closes_at, expects_all, qr_secret, created_at) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) RETURNING id",
                      {organiser.id, in.type_id, in.title, in.description, in.place, in.starts_at, in.ends_at, db::nullable(in.capacity),
                       db::nullable(in.signup_opens_at), db::nullable(in.signup_closes_at), int64_t{all}, std::string(hex), clock_.unix_seconds()}));
  // A branch takes part in its own activities; above branch level, branches join.
  if (organiser.holds_members) CHIDOAN_TRY_VOID(join(id, organiser.id));
  return id;
}

Result<void> Store::update(int64_t id, const ActivityInput& in) {
  CHIDOAN_TRY(a, get(id));
  CHIDOAN_TRY(t, type(in.type_id));
  // The register's rows carry the day (and so the year their hours and presence count in): once
  // there is any — a register, a check-in, hours entered — the day stays.
  if (in.starts_at.substr(0, 10) != a.date()) {
    CHIDOAN_TRY(recorded, db_.query_one("SELECT 1 FROM attendance WHERE activity_id = ?1 LIMIT 1", {id}));
    if (a.attendance_taken || recorded)
      return fail(ErrorKind::conflict, "Đã điểm danh hoặc ghi số giờ: không đổi được ngày của hoạt động", "starts_at");
  }
  CHIDOAN_TRY_VOID(db_.execute(
      "UPDATE activities SET type_id = ?1, title = ?2, description = ?3, place = ?4, starts_at = ?5, ends_at = ?6, "
      "capacity = ?7, signup_opens_at = ?8, signup_closes_at = ?9, expects_all = ?10 WHERE id = ?11",
      {in.type_id, in.title, in.description, in.place, in.starts_at, in.ends_at, db::nullable(in.capacity), db::nullable(in.signup_opens_at),
       db::nullable(in.signup_closes_at), int64_t{in.expects_all.value_or(t.expects_all)}, id}));
  return {};
}

Result<Activity> Store::get(int64_t id) {
  CHIDOAN_TRY(r, db_.query_one(std::string("SELECT ") + kActivityColumns + kActivityFrom + " WHERE a.id = ?1", {id}));
  if (!r) return fail(ErrorKind::not_found, "Không tìm thấy hoạt động", "activity_id");
  return activity_from(*r);
}

// The activities of the subtree of the org with path ?1 in [?2, ?3]: organised in the subtree, or
// joined by an org of the subtree — or by one of its ancestors (?4, the org's path: a
// province-wide activity concerns every branch below it). `a` the activity, `o` its organiser.
// Written as one uncorrelated IN list, which both engines compute once per statement — the orgs
// first, then their activities through activities_org_start and activity_orgs_org — rather than
// a test per activity of the year (a branch's year: 1 ms instead of 20 ms in the province of
// bench/report.sh). One list, the union of the two ways in, not `org_id IN (…) OR id IN (…)`:
// PostgreSQL cannot read an OR of two lists through their indexes and tested each of the
// nation's 400,000 activities against both (145 ms for a province's study list; 89 ms so).
constexpr const char* kInScope =
    " a.starts_at >= ?2 AND a.starts_at <= ?3 AND a.id IN ("
    "SELECT sa.id FROM activities sa WHERE sa.org_id IN (SELECT so.id FROM orgs so WHERE so.path LIKE ?1) "
    "AND sa.starts_at >= ?2 AND sa.starts_at <= ?3 "
    "UNION SELECT ao.activity_id FROM activity_orgs ao WHERE ao.org_id IN ("
    "SELECT j.id FROM orgs j WHERE j.path LIKE ?1 OR ?4 LIKE j.path || '%'))";
static std::vector<Value> in_scope_params(const org::Org& org, int year) {
  auto [from, to] = year_span(year);
  return {org.path + "%", from, to + "T23:59", org.path};
}

Result<std::vector<ActivitySummary>> Store::for_org(const org::Org& org, int year) {
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kActivityColumns +
                                  ", (SELECT COUNT(*) FROM signups s WHERE s.activity_id = a.id AND s.status = 'confirmed'), "
                                  "(SELECT COUNT(*) FROM attendance d WHERE d.activity_id = a.id AND d.status = 'present')" +
                                  kActivityFrom + " WHERE" + kInScope + " ORDER BY a.starts_at, a.id",
                              in_scope_params(org, year)));
  std::vector<ActivitySummary> out;
  for (const auto& r : rows) out.push_back({activity_from(r), r.i64(17), r.i64(18)});
  return out;
}

Result<std::vector<Activity>> Store::of_type(const org::Org& org, int year, const std::string& type_code) {
  auto params = in_scope_params(org, year);
  params.push_back(type_code);
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kActivityColumns + kActivityFrom + " WHERE t.code = ?5 AND" + kInScope +
                                  " ORDER BY a.starts_at, a.id",
                              params));
  std::vector<Activity> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(activity_from(r));
  return out;
}

Result<std::vector<TypeCount>> Store::count_by_type(const org::Org& org, int year) {
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT t.code, t.name, COUNT(*), MIN(a.starts_at), MIN(a.id)") + kActivityFrom + " WHERE" +
                                  kInScope + " GROUP BY t.code, t.name ORDER BY MIN(a.starts_at), MIN(a.id)",
                              in_scope_params(org, year)));
  std::vector<TypeCount> out;
  for (const auto& r : rows) out.push_back({r.str(0), r.str(1), r.i64(2)});
  return out;
}

Result<std::vector<int64_t>> Store::taking_part(int64_t activity_id) {
  CHIDOAN_TRY(rows, db_.query("SELECT org_id FROM activity_orgs WHERE activity_id = ?1 ORDER BY org_id", {activity_id}));
  std::vector<int64_t> out;
  for (const auto& r : rows) out.push_back(r.i64(0));
  return out;
}

Result<std::vector<Activity>> Store::joinable(const org::Org& org, int year) {
  auto [from, to] = year_span(year);
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kActivityColumns + kActivityFrom +
                                  " WHERE a.starts_at >= ?2 AND a.starts_at <= ?3 AND a.ends_at >= ?5 AND ?1 LIKE o.path || '%' AND o.id <> ?4 "
                                  "AND NOT EXISTS (SELECT 1 FROM activity_orgs ao JOIN orgs j ON j.id = ao.org_id "
                                  "WHERE ao.activity_id = a.id AND ?1 LIKE j.path || '%') ORDER BY a.starts_at, a.id",
                              {org.path, from, to + "T23:59", org.id, now_local()}));
  std::vector<Activity> out;
  for (const auto& r : rows) out.push_back(activity_from(r));
  return out;
}

Result<void> Store::join(int64_t activity_id, int64_t org_id) {
  CHIDOAN_TRY(existing, db_.query_one("SELECT 1 FROM activity_orgs WHERE activity_id = ?1 AND org_id = ?2", {activity_id, org_id}));
  if (existing) return fail(ErrorKind::conflict, "Tổ chức đã tham gia hoạt động này", "org_id");
  CHIDOAN_TRY_VOID(db_.execute("INSERT INTO activity_orgs (activity_id, org_id) VALUES (?1, ?2)", {activity_id, org_id}));
  return {};
}

Result<bool> Store::takes_part(int64_t activity_id, const std::string& branch_path) {
  CHIDOAN_TRY(r, db_.query_one("SELECT 1 FROM activity_orgs ao JOIN orgs j ON j.id = ao.org_id "
                               "WHERE ao.activity_id = ?1 AND ?2 LIKE j.path || '%'",
                               {activity_id, branch_path}));
  return r.has_value();
}

Result<rules::SignupOutcome> Store::signup(const Activity& a, int64_t member_id) {
  CHIDOAN_TRY_VOID(rules::check_signup_window(a, now_local()));
  CHIDOAN_TRY(m, db_.query_one("SELECT o.path, m.status FROM members m JOIN orgs o ON o.id = m.branch_id WHERE m.id = ?1", {member_id}));
  if (!m || m->str(1) != "active") return fail(ErrorKind::invalid, "Đoàn viên không còn sinh hoạt", "member_id");
  CHIDOAN_TRY(part, takes_part(a.id, m->str(0)));
  if (!part) return fail(ErrorKind::invalid, "Chi đoàn của đoàn viên không tham gia hoạt động này", "member_id");
  // Taking the activity row's write lock first serialises concurrent sign-ups (PostgreSQL row
  // lock; SQLite's BEGIN IMMEDIATE already holds the database's), so the count below is exact.
  CHIDOAN_TRY_VOID(db_.execute("UPDATE activities SET signup_seq = signup_seq + 1 WHERE id = ?1", {a.id}));
  CHIDOAN_TRY(prior, db_.query_one("SELECT status FROM signups WHERE activity_id = ?1 AND member_id = ?2", {a.id, member_id}));
  if (prior && prior->str(0) != "cancelled") return fail(ErrorKind::conflict, "Đoàn viên đã đăng ký hoạt động này", "member_id");
  CHIDOAN_TRY(count, db_.query_one("SELECT COUNT(*) FROM signups WHERE activity_id = ?1 AND status = 'confirmed'", {a.id}));
  auto outcome = rules::decide_signup(a, count->i64(0));
  std::string status = outcome == rules::SignupOutcome::confirmed ? "confirmed" : "waitlisted";
  int64_t now = clock_.unix_seconds();
  if (prior) {
    CHIDOAN_TRY_VOID(db_.execute("UPDATE signups SET status = ?1, created_at = ?2, updated_at = ?2 WHERE activity_id = ?3 AND member_id = ?4",
                                 {status, now, a.id, member_id}));
  } else {
    CHIDOAN_TRY_VOID(insert_signup(a.id, member_id, status, now));
  }
  return outcome;
}

Result<void> Store::cancel(const Activity& a, int64_t member_id) {
  if (now_local() > a.starts_at) return fail(ErrorKind::invalid, "Hoạt động đã bắt đầu: không hủy đăng ký được", "signup");
  CHIDOAN_TRY_VOID(db_.execute("UPDATE activities SET signup_seq = signup_seq + 1 WHERE id = ?1", {a.id}));
  CHIDOAN_TRY(prior, db_.query_one("SELECT status FROM signups WHERE activity_id = ?1 AND member_id = ?2", {a.id, member_id}));
  if (!prior || prior->str(0) == "cancelled") return fail(ErrorKind::invalid, "Đoàn viên chưa đăng ký hoạt động này", "member_id");
  int64_t now = clock_.unix_seconds();
  CHIDOAN_TRY_VOID(db_.execute("UPDATE signups SET status = 'cancelled', updated_at = ?1 WHERE activity_id = ?2 AND member_id = ?3",
                               {now, a.id, member_id}));
  if (prior->str(0) == "confirmed") {
    CHIDOAN_TRY(next, db_.query_one("SELECT member_id FROM signups WHERE activity_id = ?1 AND status = 'waitlisted' "
                                    "ORDER BY created_at, id LIMIT 1",
                                    {a.id}));
    if (next)
      CHIDOAN_TRY_VOID(db_.execute("UPDATE signups SET status = 'confirmed', updated_at = ?1 WHERE activity_id = ?2 AND member_id = ?3",
                                   {now, a.id, next->i64(0)}));
  }
  return {};
}

Result<std::vector<Signup>> Store::signups(int64_t activity_id) {
  CHIDOAN_TRY(rows, db_.query("SELECT s.member_id, m.family_name, m.middle_name, m.given_name, s.status, s.created_at "
                              "FROM signups s JOIN members m ON m.id = s.member_id WHERE s.activity_id = ?1 "
                              "ORDER BY CASE s.status WHEN 'confirmed' THEN 0 WHEN 'waitlisted' THEN 1 ELSE 2 END, s.created_at, s.id",
                              {activity_id}));
  std::vector<Signup> out;
  for (const auto& r : rows) out.push_back({r.i64(0), name_at(r, 1), r.str(4), r.i64(5)});
  return out;
}

Result<std::vector<Expected>> Store::expected(const Activity& a) {
  std::string date = a.date();
  // The branch each member belonged to on the day, from the dated history.
  std::string base =
      "SELECT m.id, m.family_name, m.middle_name, m.given_name, p.branch_id, m.unit_id, m.sort_key "
      "FROM member_periods p JOIN members m ON m.id = p.member_id JOIN orgs o ON o.id = p.branch_id "
      "WHERE p.from_on <= ?2 AND (p.to_on IS NULL OR p.to_on > ?2) AND ";
  std::string sql = base + "EXISTS (SELECT 1 FROM signups s WHERE s.activity_id = ?1 AND s.member_id = m.id AND s.status = 'confirmed')";
  if (a.expects_all)
    sql = base + "(EXISTS (SELECT 1 FROM activity_orgs ao JOIN orgs j ON j.id = ao.org_id WHERE ao.activity_id = ?1 "
                 "AND o.path LIKE j.path || '%') OR EXISTS (SELECT 1 FROM signups s WHERE s.activity_id = ?1 "
                 "AND s.member_id = m.id AND s.status = 'confirmed'))";
  CHIDOAN_TRY(rows, db_.query(sql + " ORDER BY m.sort_key, m.id", {a.id, date}));
  std::vector<Expected> out;
  for (const auto& r : rows) out.push_back({r.i64(0), name_at(r, 1), r.i64(4), r.opt_i64(5)});
  return out;
}

Result<std::optional<Expected>> Store::expected_member(const Activity& a, int64_t member_id) {
  CHIDOAN_TRY(all, expected(a));
  for (auto& e : all)
    if (e.member_id == member_id) return std::optional<Expected>(std::move(e));
  // Not expected, but may still come (a volunteer walking in): a member of a taking-part branch.
  CHIDOAN_TRY(r, db_.query_one("SELECT m.id, m.family_name, m.middle_name, m.given_name, p.branch_id, m.unit_id, o.path "
                               "FROM member_periods p JOIN members m ON m.id = p.member_id JOIN orgs o ON o.id = p.branch_id "
                               "WHERE m.id = ?1 AND p.from_on <= ?2 AND (p.to_on IS NULL OR p.to_on > ?2)",
                               {member_id, a.date()}));
  if (!r) return std::optional<Expected>();
  CHIDOAN_TRY(part, takes_part(a.id, r->str(6)));
  if (!part) return std::optional<Expected>();
  return std::optional<Expected>(Expected{r->i64(0), name_at(*r, 1), r->i64(4), r->opt_i64(5)});
}

Result<void> Store::take_attendance(const Activity& a, const std::map<int64_t, std::string>& statuses,
                                    const std::set<int64_t>* branches) {
  CHIDOAN_TRY(list, expected(a));
  std::map<int64_t, Expected> by_id;
  for (auto& e : list)
    if (!branches || branches->contains(e.branch_id)) by_id.emplace(e.member_id, e);
  for (const auto& [member_id, status] : statuses) {
    if (status != "present" && status != "excused" && status != "absent")
      return fail(ErrorKind::invalid, "Trạng thái điểm danh không hợp lệ: " + status, "status");
    if (!by_id.contains(member_id)) {
      CHIDOAN_TRY(walk_in, expected_member(a, member_id));
      if (walk_in && branches && !branches->contains(walk_in->branch_id)) walk_in.reset();
      if (!walk_in) return fail(ErrorKind::invalid, "Đoàn viên #" + std::to_string(member_id) + " không thuộc chi đoàn tham gia hoạt động", "member_id");
      by_id.emplace(member_id, *walk_in);
    }
  }
  int64_t now = clock_.unix_seconds();
  for (const auto& [id, e] : by_id) {
    auto it = statuses.find(id);
    std::string status = it == statuses.end() ? "absent" : it->second;
    CHIDOAN_TRY_VOID(db_.execute(
        "INSERT INTO attendance (activity_id, member_id, branch_id, unit_id, on_date, status, recorded_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (activity_id, member_id) DO UPDATE SET status = excluded.status, "
        // Hours belong to someone who was there: marked absent or excused, they no longer count.
        "minutes = CASE WHEN excluded.status = 'present' THEN attendance.minutes ELSE 0 END, "
        "hours_state = CASE WHEN excluded.status = 'present' THEN attendance.hours_state ELSE 'none' END, "
        "recorded_at = excluded.recorded_at",
        {a.id, id, e.branch_id, db::nullable(e.unit_id), a.date(), status, now}));
  }
  CHIDOAN_TRY_VOID(db_.execute("UPDATE activities SET attendance_taken = 1 WHERE id = ?1", {a.id}));
  return {};
}

Result<std::vector<Attendance>> Store::attendance(int64_t activity_id) {
  CHIDOAN_TRY(rows, db_.query("SELECT d.activity_id, d.member_id, m.family_name, m.middle_name, m.given_name, d.branch_id, d.unit_id, "
                              "d.on_date, d.status, d.check_in_at, d.check_out_at, d.minutes, d.hours_state "
                              "FROM attendance d JOIN members m ON m.id = d.member_id WHERE d.activity_id = ?1 ORDER BY m.sort_key, m.id",
                              {activity_id}));
  std::vector<Attendance> out;
  for (const auto& r : rows)
    out.push_back({r.i64(0), r.i64(1), name_at(r, 2), r.i64(5), r.opt_i64(6), r.str(7), r.str(8), r.opt_i64(9), r.opt_i64(10),
                   r.i64(11), r.str(12)});
  return out;
}

Result<void> Store::check_in(const Activity& a, int64_t member_id) {
  CHIDOAN_TRY(e, expected_member(a, member_id));
  if (!e) return fail(ErrorKind::invalid, "Đoàn viên không thuộc chi đoàn tham gia hoạt động", "member_id");
  int64_t now = clock_.unix_seconds();
  CHIDOAN_TRY_VOID(db_.execute(
      "INSERT INTO attendance (activity_id, member_id, branch_id, unit_id, on_date, status, check_in_at, recorded_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, 'present', ?6, ?6) ON CONFLICT (activity_id, member_id) DO UPDATE SET status = 'present', "
      "check_in_at = COALESCE(attendance.check_in_at, excluded.check_in_at), recorded_at = excluded.recorded_at",
      {a.id, member_id, e->branch_id, db::nullable(e->unit_id), a.date(), now}));
  return {};
}

Result<void> Store::check_out(const Activity& a, int64_t member_id) {
  CHIDOAN_TRY(row, db_.query_one("SELECT check_in_at, check_out_at, hours_state, status FROM attendance WHERE activity_id = ?1 AND member_id = ?2",
                                 {a.id, member_id}));
  if (!row || row->is_null(0) || row->str(3) != "present") return fail(ErrorKind::invalid, "Đoàn viên chưa điểm danh vào", "member_id");
  // Once: a second check-out would stretch the time, and hours entered, approved or rejected
  // since are the committee's to change, not the QR code's.
  if (!row->is_null(1)) return fail(ErrorKind::conflict, "Đã điểm danh ra lúc " + local_time(row->i64(1)).substr(11), "member_id");
  if (row->str(2) != "none") return fail(ErrorKind::conflict, "Số giờ của hoạt động này đã được ghi", "member_id");
  int64_t now = clock_.unix_seconds();
  CHIDOAN_TRY(minutes, rules::check_minutes(a, rules::minutes_between(a, row->i64(0), now)));
  CHIDOAN_TRY(changed, db_.execute("UPDATE attendance SET check_out_at = ?1, minutes = ?2, hours_state = 'checked', recorded_at = ?1 "
                                   "WHERE activity_id = ?3 AND member_id = ?4 AND check_out_at IS NULL AND hours_state = 'none'",
                                   {now, minutes, a.id, member_id}));
  if (changed == 0) return fail(ErrorKind::conflict, "Số giờ của hoạt động này đã được ghi", "member_id");
  return {};
}

Result<void> Store::set_minutes(const Activity& a, int64_t member_id, int64_t minutes, bool approved) {
  CHIDOAN_TRY(valid, rules::check_minutes(a, minutes));
  CHIDOAN_TRY(row, db_.query_one("SELECT status FROM attendance WHERE activity_id = ?1 AND member_id = ?2", {a.id, member_id}));
  if (!row) {
    // Hours the committee enters imply presence: record it (the member must be allowed to be
    // there). A member's own claim does not: presence comes from the QR code or the register,
    // and a claim rejected later would have left it behind.
    if (!approved)
      return fail(ErrorKind::invalid, "Chưa được ghi nhận có mặt tại hoạt động: điểm danh bằng mã QR hoặc nhờ BCH chi đoàn ghi số giờ", "member_id");
    CHIDOAN_TRY_VOID(check_in(a, member_id));
  } else if (row->str(0) != "present") {
    return fail(ErrorKind::invalid, "Đoàn viên không có mặt tại hoạt động", "member_id");
  }
  CHIDOAN_TRY_VOID(db_.execute("UPDATE attendance SET minutes = ?1, hours_state = ?2, recorded_at = ?3 WHERE activity_id = ?4 AND member_id = ?5",
                               {valid, approved ? "approved" : "claimed", clock_.unix_seconds(), a.id, member_id}));
  return {};
}

Result<void> Store::record_checked_minutes(const Activity& a, int64_t member_id, int64_t minutes) {
  CHIDOAN_TRY(valid, rules::check_minutes(a, minutes));
  CHIDOAN_TRY(e, expected_member(a, member_id));
  if (!e) return fail(ErrorKind::invalid, "Đoàn viên không thuộc chi đoàn tham gia hoạt động", "member_id");
  int64_t now = clock_.unix_seconds();
  CHIDOAN_TRY_VOID(db_.execute(
      "INSERT INTO attendance (activity_id, member_id, branch_id, unit_id, on_date, status, minutes, hours_state, recorded_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, 'present', ?6, 'checked', ?7) ON CONFLICT (activity_id, member_id) DO UPDATE SET "
      "status = 'present', minutes = excluded.minutes, hours_state = 'checked', recorded_at = excluded.recorded_at",
      {a.id, member_id, e->branch_id, db::nullable(e->unit_id), a.date(), valid, now}));
  return {};
}

Result<void> Store::approve_minutes(const Activity& a, int64_t member_id, bool approve) {
  CHIDOAN_TRY(row, db_.query_one("SELECT hours_state FROM attendance WHERE activity_id = ?1 AND member_id = ?2", {a.id, member_id}));
  if (!row || row->str(0) != "claimed") return fail(ErrorKind::invalid, "Không có số giờ chờ duyệt", "member_id");
  CHIDOAN_TRY_VOID(db_.execute("UPDATE attendance SET hours_state = ?1 WHERE activity_id = ?2 AND member_id = ?3",
                               {approve ? "approved" : "rejected", a.id, member_id}));
  return {};
}

Result<void> Store::record_completion(const Activity& a, const StudyCompletion& c) {
  if (a.type_code != "study") return fail(ErrorKind::invalid, "Hoạt động không phải đợt học tập nghị quyết", "activity_id");
  auto on = parse_date(c.completed_on);
  if (!on) return fail(ErrorKind::invalid, "Ngày hoàn thành không hợp lệ", "completed_on");
  if (c.completed_on < a.date()) return fail(ErrorKind::invalid, "Ngày hoàn thành trước ngày bắt đầu đợt học tập", "completed_on");
  if (c.completed_on > to_iso(today(clock_))) return fail(ErrorKind::invalid, "Ngày hoàn thành không được ở tương lai", "completed_on");
  if (c.mode != "in_person" && c.mode != "online") return fail(ErrorKind::invalid, "Hình thức học tập không hợp lệ", "mode");
  CHIDOAN_TRY(e, expected_member(a, c.member_id));
  if (!e) return fail(ErrorKind::invalid, "Đoàn viên không thuộc chi đoàn tham gia đợt học tập", "member_id");
  CHIDOAN_TRY_VOID(db_.execute(
      "INSERT INTO study_completions (activity_id, member_id, completed_on, mode, certificate_no) VALUES (?1, ?2, ?3, ?4, ?5) "
      "ON CONFLICT (activity_id, member_id) DO UPDATE SET completed_on = excluded.completed_on, mode = excluded.mode, "
      "certificate_no = excluded.certificate_no",
      {a.id, c.member_id, c.completed_on, c.mode, c.certificate_no}));
  return {};
}

Result<std::vector<StudyCompletion>> Store::completions(int64_t activity_id) {
  CHIDOAN_TRY(rows, db_.query("SELECT activity_id, member_id, completed_on, mode, certificate_no FROM study_completions "
                              "WHERE activity_id = ?1 ORDER BY member_id",
                              {activity_id}));
  std::vector<StudyCompletion> out;
  for (const auto& r : rows) out.push_back({r.i64(0), r.i64(1), r.str(2), r.str(3), r.str(4)});
  return out;
}

// A handful of statements for any subtree (a province's year is thousands of campaigns over
// 100,000 members), then the matching in memory: who was expected at each campaign is what
// expected() says — a member whose period covers the campaign's day in a branch under one of the
// orgs taking part (expects_all), or with a confirmed sign-up — restricted to the subtree. A
// member with two overlapping periods on the day is expected once (expected() lists a row per
// period), with the first period found: in a branch under a taking-part org (by path), else
// any period of a signed-up member.
Result<std::vector<StudyExpectation>> Store::study_expectations(const org::Org& org, int year) {
  CHIDOAN_TRY(campaigns, of_type(org, year, "study"));
  if (campaigns.empty()) return std::vector<StudyExpectation>{};
  // activity -> the paths of the orgs taking part (in path order); its confirmed sign-ups; its
  // completions. One statement with the scope evaluated once for the three: not the loaded
  // campaigns' ids as a list, since every connection keeps each statement text it prepared and a
  // list would make a new text for every set of campaigns.
  std::map<int64_t, std::vector<std::string>> taking;
  std::map<int64_t, std::set<int64_t>> signed_up, completed;
  CHIDOAN_TRY(rows, db_.query(std::string("WITH c AS (SELECT a.id") + kActivityFrom + " WHERE t.code = 'study' AND" + kInScope + ") "
                              "SELECT 0, ta.activity_id, tj.path, 0 FROM activity_orgs ta JOIN orgs tj ON tj.id = ta.org_id "
                              "WHERE ta.activity_id IN (SELECT id FROM c) "
                              "UNION ALL SELECT 1, ss.activity_id, '', ss.member_id FROM signups ss "
                              "WHERE ss.status = 'confirmed' AND ss.activity_id IN (SELECT id FROM c) "
                              "UNION ALL SELECT 2, sc.activity_id, '', sc.member_id FROM study_completions sc "
                              "WHERE sc.activity_id IN (SELECT id FROM c)",
                              in_scope_params(org, year)));
  for (const auto& r : rows) {
    if (r.i64(0) == 0) taking[r.i64(1)].push_back(r.str(2));
    else (r.i64(0) == 1 ? signed_up : completed)[r.i64(1)].insert(r.i64(3));
  }
  for (auto& campaign_paths : taking) std::ranges::sort(campaign_paths.second);

  // The periods of the subtree's members that touch the year, by branch; branches by path.
  auto [from, to] = year_span(year);
  struct Period {
    int64_t member_id, branch_id;
    std::string from_on, to_on;  // to_on empty: open
    std::optional<int64_t> unit_id;
  };
  CHIDOAN_TRY(period_rows, db_.query("SELECT p.branch_id, o.path, p.member_id, p.from_on, COALESCE(p.to_on, ''), m.unit_id "
                                     "FROM member_periods p JOIN members m ON m.id = p.member_id JOIN orgs o ON o.id = p.branch_id "
                                     "WHERE o.path LIKE ?1 AND p.from_on <= ?2 AND (p.to_on IS NULL OR p.to_on > ?3)",
                                     {org.path + "%", to, from}));
  std::map<std::string, std::vector<Period>> by_branch_path;  // ordered: a subtree is a range of paths
  std::map<int64_t, std::vector<const Period*>> by_member;
  for (const auto& r : period_rows) by_branch_path[r.str(1)].push_back({r.i64(2), r.i64(0), r.str(3), r.str(4), r.opt_i64(5)});
  for (const auto& [path, periods] : by_branch_path)
    for (const auto& p : periods) by_member[p.member_id].push_back(&p);
  auto covers = [](const Period& p, const std::string& day) { return p.from_on <= day && (p.to_on.empty() || p.to_on > day); };

  std::vector<StudyExpectation> out;
  out.reserve(campaigns.size());
  for (auto& c : campaigns) {
    const std::string day = c.date();
    std::map<int64_t, const Period*> expected;  // member -> the period of the day
    if (c.expects_all) {
      for (const auto& prefix : taking[c.id])
        for (auto it = by_branch_path.lower_bound(prefix); it != by_branch_path.end() && it->first.starts_with(prefix); ++it)
          for (const auto& p : it->second)
            if (covers(p, day)) expected.emplace(p.member_id, &p);
    }
    for (int64_t m : signed_up[c.id]) {
      auto found = by_member.find(m);
      if (found == by_member.end()) continue;
      for (const Period* p : found->second)
        if (covers(*p, day)) expected.emplace(m, p);
    }
    StudyExpectation e{std::move(c), {}};
    e.members.reserve(expected.size());
    const auto& done = completed[e.campaign.id];
    for (const auto& [member, period] : expected) e.members.push_back({member, period->branch_id, period->unit_id, done.contains(member)});
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::vector<CampaignProgress>> Store::study_progress(const org::Org& org, int year) {
  CHIDOAN_TRY(campaigns, study_expectations(org, year));
  if (campaigns.empty()) return std::vector<CampaignProgress>{};
  // Units are named when they belong to the subtree ("" otherwise, as for no unit).
  CHIDOAN_TRY(unit_rows, db_.query("SELECT u.id, u.name FROM units u JOIN orgs o ON o.id = u.org_id WHERE o.path LIKE ?1", {org.path + "%"}));
  std::map<int64_t, std::string> unit_names;
  for (const auto& r : unit_rows) unit_names[r.i64(0)] = r.str(1);
  std::vector<CampaignProgress> out;
  out.reserve(campaigns.size());
  for (auto& c : campaigns) {
    CampaignProgress progress;
    std::map<std::string, std::pair<int64_t, int64_t>> units;
    for (const auto& m : c.members) {
      ++progress.expected;
      progress.completed += m.completed;
      auto name = m.unit_id ? unit_names.find(*m.unit_id) : unit_names.end();
      auto& u = units[name == unit_names.end() ? std::string() : name->second];
      u.first += m.completed;
      ++u.second;
    }
    progress.campaign = std::move(c.campaign);
    progress.units.assign(units.begin(), units.end());
    out.push_back(std::move(progress));
  }
  return out;
}

namespace {
// The rows of `table_alias` whose branch_id is in the subtree of `org`: the condition and its
// parameter ?1 (a branch is its own subtree).
std::pair<std::string, Value> branches_of(const org::Org& org, const std::string& table_alias) {
  if (org.holds_members) return {table_alias + ".branch_id = ?1", Value(org.id)};
  return {table_alias + ".branch_id IN (SELECT id FROM orgs WHERE path LIKE ?1)", Value(org.path + "%")};
}
// The attendance rows of the subtree of `org` in a year, `d` the register: the condition and its
// parameters ?1..?3.
std::pair<std::string, std::vector<Value>> register_of(const org::Org& org, int year) {
  auto [from, to] = year_span(year);
  auto [where, scope] = branches_of(org, "d");
  return {where + " AND d.on_date >= ?2 AND d.on_date <= ?3", {scope, from, to}};
}
constexpr const char* kTallyColumns =
    "SUM(CASE WHEN d.status = 'present' THEN 1 ELSE 0 END) AS present, "
    "SUM(CASE WHEN d.status = 'excused' THEN 1 ELSE 0 END) AS excused, "
    "SUM(CASE WHEN d.status IN ('present', 'excused') THEN 0 ELSE 1 END) AS absent, "
    "SUM(CASE WHEN d.hours_state IN ('checked', 'approved') THEN d.minutes ELSE 0 END) AS minutes ";
}  // namespace

Result<Participation> Store::participation(const org::Org& org, int year) {
  auto [where, params] = register_of(org, year);
  // One pass over the register (a province-year is 5 million rows, read from the covering
  // index attendance_branch_cover of migration 0003): per member, joined to the names and
  // units, in Vietnamese order.
  CHIDOAN_TRY(rows, db_.query("SELECT m.id, m.family_name, m.middle_name, m.given_name, m.unit_id, COALESCE(u.name, ''), m.branch_id, "
                              "t.present, t.excused, t.absent, t.minutes FROM (SELECT d.member_id, " + std::string(kTallyColumns) +
                              "FROM attendance d WHERE " + where + " "
                              "GROUP BY d.member_id) t JOIN members m ON m.id = t.member_id LEFT JOIN units u ON u.id = m.unit_id "
                              "ORDER BY m.sort_key, m.id",
                              params));
  Participation p;
  std::map<std::string, Tally> units;
  p.members.reserve(rows.size());
  for (const auto& r : rows) {
    MemberTally mt{r.i64(0), name_at(r, 1), r.opt_i64(4), r.str(5), r.i64(6), Tally{}};
    add(mt.tally, "present", r.i64(7), r.i64(10));
    add(mt.tally, "excused", r.i64(8), 0);
    add(mt.tally, "absent", r.i64(9), 0);
    Tally& u = units[mt.unit_name];
    u.present += mt.tally.present;
    u.excused += mt.tally.excused;
    u.absent += mt.tally.absent;
    u.minutes += mt.tally.minutes;
    p.total.present += mt.tally.present;
    p.total.excused += mt.tally.excused;
    p.total.absent += mt.tally.absent;
    p.total.minutes += mt.tally.minutes;
    p.members.push_back(std::move(mt));
  }
  p.units.assign(units.begin(), units.end());
  return p;
}

Result<ParticipationTotals> Store::participation_totals(const org::Org& org, int year) {
  // From the register's yearly sums (attendance_years, migration 0024: a row a member, branch
  // and year, kept by triggers), not the register: a third of the rows for the nation. The
  // members present are counted once even when they were present in two branches.
  auto [where, scope] = branches_of(org, "y");
  // SUM over no rows is NULL (an empty register is all zeros), and a bigint's SUM is numeric on
  // PostgreSQL.
  std::string sums;
  for (const char* c : {"present", "excused", "absent", "minutes"})
    sums += std::string("CAST(COALESCE(SUM(y.") + c + "), 0) AS BIGINT), ";
  CHIDOAN_TRY(r, db_.query_one("SELECT " + sums + "COUNT(DISTINCT CASE WHEN y.present > 0 THEN y.member_id END) "
                               "FROM attendance_years y WHERE " + where + " AND y.year = ?2",
                               {scope, static_cast<int64_t>(year)}));
  ParticipationTotals out;
  if (!r) return out;
  out.total = {r->i64(0), r->i64(1), r->i64(2), r->i64(3)};
  out.participants = r->i64(4);
  return out;
}

Result<std::map<int64_t, std::vector<std::string>>> Store::meeting_absences(const org::Org& org, int year) {
  auto [from, to] = year_span(year);
  CHIDOAN_TRY(rows, db_.query("SELECT d.member_id, SUBSTR(d.on_date, 1, 7) FROM attendance d JOIN activities a ON a.id = d.activity_id "
                              "JOIN activity_types t ON t.id = a.type_id JOIN orgs o ON o.id = d.branch_id "
                              "WHERE t.code = 'meeting' AND d.status = 'absent' AND o.path LIKE ?1 AND d.on_date >= ?2 AND d.on_date <= ?3 "
                              "ORDER BY d.member_id, d.on_date",
                              {org.path + "%", from, to}));
  std::map<int64_t, std::vector<std::string>> out;
  for (const auto& r : rows) out[r.i64(0)].push_back(r.str(1));
  return out;
}

Result<std::vector<std::pair<Activity, std::optional<Attendance>>>> Store::member_history(int64_t member_id) {
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kActivityColumns + kActivityFrom +
                                  " WHERE a.id IN (SELECT activity_id FROM attendance WHERE member_id = ?1 UNION "
                                  "SELECT activity_id FROM signups WHERE member_id = ?1 AND status <> 'cancelled') "
                                  "ORDER BY a.starts_at DESC, a.id DESC",
                              {member_id}));
  CHIDOAN_TRY(att, db_.query("SELECT activity_id, status, minutes, hours_state, check_in_at, check_out_at, branch_id, unit_id, on_date "
                             "FROM attendance WHERE member_id = ?1",
                             {member_id}));
  std::map<int64_t, Attendance> by_activity;
  for (const auto& r : att)
    by_activity[r.i64(0)] = Attendance{r.i64(0), member_id, "", r.i64(6), r.opt_i64(7), r.str(8), r.str(1), r.opt_i64(4), r.opt_i64(5),
                                       r.i64(2), r.str(3)};
  std::vector<std::pair<Activity, std::optional<Attendance>>> out;
  for (const auto& r : rows) {
    Activity a = activity_from(r);
    auto it = by_activity.find(a.id);
    out.emplace_back(a, it == by_activity.end() ? std::nullopt : std::optional<Attendance>(it->second));
  }
  return out;
}

Result<std::vector<Activity>> Store::signed_up_activities(int64_t member_id) {
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kActivityColumns + kActivityFrom +
                                  " JOIN signups s ON s.activity_id = a.id WHERE s.member_id = ?1 AND s.status = 'confirmed' "
                                  "ORDER BY a.starts_at, a.id",
                              {member_id}));
  std::vector<Activity> out;
  for (const auto& r : rows) out.push_back(activity_from(r));
  return out;
}

Result<std::string> Store::rotate_feed(int64_t member_id) {
  std::string token = auth::random_token();
  CHIDOAN_TRY_VOID(db_.execute("DELETE FROM member_feeds WHERE member_id = ?1", {member_id}));
  CHIDOAN_TRY_VOID(db_.execute("INSERT INTO member_feeds (member_id, token_hash, created_at) VALUES (?1, ?2, ?3)",
                               {member_id, auth::token_hash(token), clock_.unix_seconds()}));
  return token;
}

Result<std::optional<int64_t>> Store::feed_member(const std::string& token) {
  CHIDOAN_TRY(r, db_.query_one("SELECT member_id FROM member_feeds WHERE token_hash = ?1", {auth::token_hash(token)}));
  if (!r) return std::optional<int64_t>();
  return std::optional<int64_t>(r->i64(0));
}

Result<void> Store::insert_signup(int64_t activity_id, int64_t member_id, const std::string& status, int64_t at) {
  CHIDOAN_TRY_VOID(db_.execute("INSERT INTO signups (activity_id, member_id, status, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
                               {activity_id, member_id, status, at}));
  return {};
}

Result<void> Store::insert_attendance(const Attendance& a) {
  CHIDOAN_TRY_VOID(db_.execute(
      "INSERT INTO attendance (activity_id, member_id, branch_id, unit_id, on_date, status, check_in_at, check_out_at, minutes, "
      "hours_state, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
      {a.activity_id, a.member_id, a.branch_id, db::nullable(a.unit_id), a.on_date, a.status, db::nullable(a.check_in_at), db::nullable(a.check_out_at),
       a.minutes, a.hours_state, clock_.unix_seconds()}));
  return {};
}

}  // namespace chidoan::activity
