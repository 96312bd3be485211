#include "desk/store.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "activity/store.hpp"
#include "org/store.hpp"
#include "platform/auth/rules.hpp"
#include "platform/core/date.hpp"

namespace chidoan::desk {
namespace {

using db::nullable;
using db::Row;
using db::Value;

constexpr const char* kCenterColumns =
    "c.id, c.org_id, o.name, c.name, c.address, c.max_shifts_per_week, c.min_rest_minutes, c.no_show_limit "
    "FROM desk_centers c JOIN orgs o ON o.id = c.org_id";
Center center_from(const Row& r) {
  return Center{r.i64(0), r.i64(1), r.str(2), r.str(3), r.str(4), static_cast<int>(r.i64(5)), static_cast<int>(r.i64(6)),
                static_cast<int>(r.i64(7))};
}

constexpr const char* kRosterShiftColumns =
    "s.id, s.period_id, s.template_id, t.name, s.counter_id, k.name, s.on_date, s.starts_at, s.ends_at, s.min_staff, s.max_staff "
    "FROM desk_shifts s JOIN desk_templates t ON t.id = s.template_id JOIN desk_counters k ON k.id = s.counter_id";
Shift roster_shift_from(const Row& r) {
  return Shift{r.i64(0), r.i64(1), r.i64(2), r.str(3), r.i64(4), r.str(5), r.str(6), r.i64(7), r.i64(8),
               static_cast<int>(r.i64(9)), static_cast<int>(r.i64(10))};
}

Period period_from(const Row& r) { return Period{r.i64(0), r.i64(1), r.str(2), r.i64(3)}; }
constexpr const char* kPeriodColumns = "id, center_id, month, activity_id FROM desk_periods";


}  // namespace

// ---- Centers and counters

Result<int64_t> Store::create_center(int64_t org_id, const CenterInput& in) {
  CHIDOAN_TRY_VOID(rules::check_center(in));
  CHIDOAN_TRY(same, db_.query_one("SELECT id FROM desk_centers WHERE org_id = ?1 AND name = ?2", {org_id, in.name}));
  if (same) return fail(ErrorKind::conflict, "Đã có trung tâm cùng tên", "name");
  return db_.insert_id(
      "INSERT INTO desk_centers (org_id, name, address, max_shifts_per_week, min_rest_minutes, no_show_limit, created_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
      {org_id, in.name, in.address, int64_t{in.max_shifts_per_week}, int64_t{in.min_rest_minutes}, int64_t{in.no_show_limit},
       clock_.unix_seconds()});
}

Result<void> Store::update_center(int64_t id, const CenterInput& in) {
  CHIDOAN_TRY_VOID(rules::check_center(in));
  CHIDOAN_TRY(c, center(id));
  CHIDOAN_TRY(same, db_.query_one("SELECT id FROM desk_centers WHERE org_id = ?1 AND name = ?2 AND id <> ?3", {c.org_id, in.name, id}));
  if (same) return fail(ErrorKind::conflict, "Đã có trung tâm cùng tên", "name");
  CHIDOAN_TRY_VOID(db_.execute(
      "UPDATE desk_centers SET name = ?2, address = ?3, max_shifts_per_week = ?4, min_rest_minutes = ?5, no_show_limit = ?6 "
      "WHERE id = ?1",
      {id, in.name, in.address, int64_t{in.max_shifts_per_week}, int64_t{in.min_rest_minutes}, int64_t{in.no_show_limit}}));
  return {};
}

Result<Center> Store::center(int64_t id) {
  CHIDOAN_TRY(row, db_.query_one(std::string("SELECT ") + kCenterColumns + " WHERE c.id = ?1", {id}));
  if (!row) return fail(ErrorKind::not_found, "Không có trung tâm này");
  return center_from(*row);
}

Result<std::vector<Center>> Store::centers(int64_t org_id) {
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kCenterColumns + " WHERE c.org_id = ?1 ORDER BY c.name, c.id", {org_id}));
  std::vector<Center> out;
  for (const auto& r : rows) out.push_back(center_from(r));
  return out;
}

Result<int64_t> Store::add_counter(int64_t center_id, const std::string& name) {
  if (name.empty() || name.size() > 100) return fail(ErrorKind::invalid, "Cần tên quầy (tối đa 100 ký tự)", "name");
  CHIDOAN_TRY(same, db_.query_one("SELECT id FROM desk_counters WHERE center_id = ?1 AND name = ?2", {center_id, name}));
  if (same) return fail(ErrorKind::conflict, "Đã có quầy cùng tên", "name");
  return db_.insert_id("INSERT INTO desk_counters (center_id, name) VALUES (?1, ?2) RETURNING id", {center_id, name});
}

Result<std::vector<Counter>> Store::counters(int64_t center_id) {
  CHIDOAN_TRY(rows, db_.query("SELECT id, center_id, name FROM desk_counters WHERE center_id = ?1 ORDER BY name, id", {center_id}));
  std::vector<Counter> out;
  for (const auto& r : rows) out.push_back({r.i64(0), r.i64(1), r.str(2)});
  return out;
}

// ---- Periods and shifts

Result<Period> Store::period(int64_t id) {
  CHIDOAN_TRY(row, db_.query_one(std::string("SELECT ") + kPeriodColumns + " WHERE id = ?1", {id}));
  if (!row) return fail(ErrorKind::not_found, "Không có kỳ phân ca này");
  return period_from(*row);
}

Result<std::optional<Period>> Store::period_of(int64_t center_id, const std::string& month) {
  CHIDOAN_TRY(row, db_.query_one(std::string("SELECT ") + kPeriodColumns + " WHERE center_id = ?1 AND month = ?2", {center_id, month}));
  if (!row) return std::optional<Period>{};
  return std::optional<Period>{period_from(*row)};
}

Result<std::vector<Period>> Store::periods(int64_t center_id) {
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kPeriodColumns + " WHERE center_id = ?1 ORDER BY month DESC", {center_id}));
  std::vector<Period> out;
  for (const auto& r : rows) out.push_back(period_from(r));
  return out;
}

Result<std::vector<Shift>> Store::shifts(int64_t period_id) {
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kRosterShiftColumns + " WHERE s.period_id = ?1 ORDER BY s.starts_at, k.name, s.id",
                              {period_id}));
  std::vector<Shift> out;
  for (const auto& r : rows) out.push_back(roster_shift_from(r));
  return out;
}

Result<Shift> Store::shift(int64_t id) {
  CHIDOAN_TRY(row, db_.query_one(std::string("SELECT ") + kRosterShiftColumns + " WHERE s.id = ?1", {id}));
  if (!row) return fail(ErrorKind::not_found, "Không có ca trực này");
  return roster_shift_from(*row);
}

// ---- Volunteers

Result<std::vector<rules::Person>> Store::volunteers(const Center& c) {
  CHIDOAN_TRY(rows, db_.query("SELECT m.id, m.family_name, m.middle_name, m.given_name FROM members m "
                              "JOIN orgs b ON b.id = m.branch_id JOIN orgs top ON top.id = ?1 "
                              "WHERE m.status = 'active' AND b.path LIKE top.path || '%' "
                              "ORDER BY m.sort_key, m.id",
                              {c.org_id}));
  std::vector<rules::Person> out;
  for (const auto& r : rows) out.push_back({r.i64(0), org::full_name_of(r, 1)});
  return out;
}

Result<bool> Store::is_volunteer(const Center& c, int64_t member_id) {
  CHIDOAN_TRY(row, db_.query_one("SELECT m.id FROM members m JOIN orgs b ON b.id = m.branch_id JOIN orgs top ON top.id = ?1 "
                                 "WHERE m.id = ?2 AND m.status = 'active' AND b.path LIKE top.path || '%'",
                                 {c.org_id, member_id}));
  return row.has_value();
}

}  // namespace chidoan::desk

namespace chidoan::desk {
namespace {

constexpr const char* kTemplateColumns =
    "t.id, t.center_id, t.counter_id, k.name, t.name, t.weekdays, t.start_time, t.end_time, t.min_staff, t.max_staff, t.active "
    "FROM desk_templates t JOIN desk_counters k ON k.id = t.counter_id";
Template template_from(const db::Row& r) {
  return Template{r.i64(0), r.i64(1), r.i64(2),  r.str(3), r.str(4), r.str(5), r.str(6), r.str(7), static_cast<int>(r.i64(8)),
                  static_cast<int>(r.i64(9)), r.i64(10) != 0};
}

constexpr const char* kAssignmentColumns =
    "a.id, a.shift_id, a.member_id, m.family_name, m.middle_name, m.given_name, a.source, a.created_at, a.check_in_at, "
    "a.check_out_at, a.minutes, a.no_show FROM desk_assignments a JOIN members m ON m.id = a.member_id";
Assignment assignment_from(const db::Row& r) {
  return Assignment{r.i64(0), r.i64(1), r.i64(2), org::full_name_of(r, 3), r.str(6), r.i64(7), r.opt_i64(8), r.opt_i64(9), r.i64(10), r.i64(11) != 0};
}

constexpr const char* kRequestColumns =
    "q.id, q.kind, q.shift_id, q.from_member_id, f.family_name || ' ' || f.given_name, q.to_member_id, "
    "COALESCE(t.family_name || ' ' || t.given_name, ''), q.note, q.state, q.created_at, q.decided_at, q.decided_by "
    "FROM desk_requests q JOIN members f ON f.id = q.from_member_id LEFT JOIN members t ON t.id = q.to_member_id";
Request request_from(const db::Row& r) {
  return Request{r.i64(0), r.str(1), r.i64(2), r.i64(3), r.str(4), r.opt_i64(5), r.str(6), r.str(7), r.str(8), r.i64(9),
                 r.opt_i64(10), r.opt_i64(11)};
}

constexpr int64_t kWeek = 7 * 86400;

}  // namespace

// ---- Templates

Result<int64_t> Store::add_template(const Template& t) {
  CHIDOAN_TRY(counter, db_.query_one("SELECT center_id FROM desk_counters WHERE id = ?1", {t.counter_id}));
  if (!counter || counter->i64(0) != t.center_id) return fail(ErrorKind::invalid, "Quầy không thuộc trung tâm này", "counter_id");
  CHIDOAN_TRY(others, templates(t.center_id));
  CHIDOAN_TRY_VOID(rules::check_template(t, others));
  return db_.insert_id(
      "INSERT INTO desk_templates (center_id, counter_id, name, weekdays, start_time, end_time, min_staff, max_staff, active) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1) RETURNING id",
      {t.center_id, t.counter_id, t.name, t.weekdays, t.start_time, t.end_time, int64_t{t.min_staff}, int64_t{t.max_staff}});
}

Result<void> Store::set_template_active(int64_t template_id, bool active) {
  CHIDOAN_TRY(t, template_(template_id));
  if (active && !t.active) {
    CHIDOAN_TRY(others, templates(t.center_id));
    t.active = true;
    CHIDOAN_TRY_VOID(rules::check_template(t, others));
  }
  CHIDOAN_TRY_VOID(db_.execute("UPDATE desk_templates SET active = ?2 WHERE id = ?1", {template_id, int64_t{active}}));
  return {};
}

Result<Template> Store::template_(int64_t id) {
  CHIDOAN_TRY(row, db_.query_one(std::string("SELECT ") + kTemplateColumns + " WHERE t.id = ?1", {id}));
  if (!row) return fail(ErrorKind::not_found, "Không có ca mẫu này");
  return template_from(*row);
}

Result<std::vector<Template>> Store::templates(int64_t center_id) {
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kTemplateColumns + " WHERE t.center_id = ?1 ORDER BY k.name, t.start_time, t.id",
                              {center_id}));
  std::vector<Template> out;
  for (const auto& r : rows) out.push_back(template_from(r));
  return out;
}

// ---- Periods

Result<int64_t> Store::open_period(int64_t center_id, const std::string& month) {
  CHIDOAN_TRY_VOID(rules::check_month(month));
  CHIDOAN_TRY(c, center(center_id));
  CHIDOAN_TRY(existing, period_of(center_id, month));
  if (existing) return fail(ErrorKind::conflict, "Đã mở kỳ phân ca tháng " + month.substr(5, 2) + "/" + month.substr(0, 4), "month");
  CHIDOAN_TRY(all, templates(center_id));
  std::vector<Template> active;
  for (auto& t : all)
    if (t.active) active.push_back(t);
  if (active.empty()) return fail(ErrorKind::invalid, "Trung tâm chưa có ca mẫu nào đang dùng", "month");

  CHIDOAN_TRY(period_id, insert_period(c, month, std::nullopt));
  for (const auto& t : active)
    for (const auto& st : rules::shift_times(t, month))
      CHIDOAN_TRY_VOID(db_.execute("INSERT INTO desk_shifts (period_id, template_id, counter_id, on_date, starts_at, ends_at, min_staff, max_staff) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                                   {period_id, t.id, t.counter_id, st.on_date, st.starts_at, st.ends_at, int64_t{t.min_staff},
                                    int64_t{t.max_staff}}));
  return period_id;
}

Result<int64_t> Store::insert_period(const Center& c, const std::string& month, std::optional<int64_t> activity_id) {
  if (!activity_id) {
    activity::Store activities(db_, clock_);
    CHIDOAN_TRY(type, activities.type_by_code("volunteer"));
    if (!type) return fail(ErrorKind::internal, "Thiếu loại hoạt động tình nguyện");
    CHIDOAN_TRY(organiser, org::Store(db_, clock_).org(c.org_id));
    std::string last_day =
        to_iso(std::chrono::year_month_day(std::chrono::sys_days(*parse_date(rules::add_months(month, 1) + "-01")) - std::chrono::days(1)));
    activity::ActivityInput in;
    in.type_id = type->id;
    in.title = "Trực hướng dẫn dịch vụ công trực tuyến tháng " + month.substr(5, 2) + "/" + month.substr(0, 4);
    in.description = "Ca trực tại " + c.name + ". Giờ trực được ghi theo giờ nhận ca và trả ca.";
    in.place = c.name;
    in.starts_at = month + "-01T00:00";
    in.ends_at = last_day + "T23:59";
    in.expects_all = false;
    CHIDOAN_TRY(id, activities.create(organiser, in));
    activity_id = id;
  }
  return db_.insert_id("INSERT INTO desk_periods (center_id, month, activity_id, created_at) VALUES (?1, ?2, ?3, ?4) RETURNING id",
                       {c.id, month, *activity_id, clock_.unix_seconds()});
}

// ---- Availability

Result<void> Store::set_availability(int64_t period_id, int64_t member_id, const std::vector<Availability>& rows) {
  CHIDOAN_TRY(list, shifts(period_id));
  std::set<int64_t> ids;
  for (const auto& s : list) ids.insert(s.id);
  for (const auto& a : rows)
    if (!ids.contains(a.shift_id)) return fail(ErrorKind::invalid, "Ca #" + std::to_string(a.shift_id) + " không thuộc kỳ phân ca này", "shift_id");
  CHIDOAN_TRY_VOID(db_.execute("DELETE FROM desk_availability WHERE member_id = ?1 AND shift_id IN (SELECT id FROM desk_shifts WHERE period_id = ?2)",
                               {member_id, period_id}));
  for (const auto& a : rows)
    CHIDOAN_TRY_VOID(db_.execute("INSERT INTO desk_availability (shift_id, member_id, preferred) VALUES (?1, ?2, ?3) "
                                 "ON CONFLICT (shift_id, member_id) DO UPDATE SET preferred = excluded.preferred",
                                 {a.shift_id, member_id, int64_t{a.preferred}}));
  return {};
}

Result<std::vector<Availability>> Store::availability(int64_t period_id) {
  CHIDOAN_TRY(rows, db_.query("SELECT a.shift_id, a.member_id, a.preferred FROM desk_availability a JOIN desk_shifts s ON s.id = a.shift_id "
                              "WHERE s.period_id = ?1 ORDER BY a.member_id, s.starts_at, a.shift_id",
                              {period_id}));
  std::vector<Availability> out;
  for (const auto& r : rows) out.push_back({r.i64(0), r.i64(1), r.i64(2) != 0});
  return out;
}

Result<std::vector<Availability>> Store::availability_of(int64_t period_id, int64_t member_id) {
  CHIDOAN_TRY(all, availability(period_id));
  std::erase_if(all, [&](const Availability& a) { return a.member_id != member_id; });
  return all;
}

// ---- Assignments

Result<std::vector<Assignment>> Store::assignments(int64_t period_id) {
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kAssignmentColumns +
                                  " JOIN desk_shifts s ON s.id = a.shift_id WHERE s.period_id = ?1 ORDER BY s.starts_at, a.shift_id, m.sort_key, a.id",
                              {period_id}));
  std::vector<Assignment> out;
  for (const auto& r : rows) out.push_back(assignment_from(r));
  return out;
}

Result<std::vector<Assignment>> Store::assignments_of_shift(int64_t shift_id) {
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kAssignmentColumns + " WHERE a.shift_id = ?1 ORDER BY m.sort_key, a.id", {shift_id}));
  std::vector<Assignment> out;
  for (const auto& r : rows) out.push_back(assignment_from(r));
  return out;
}

Result<Assignment> Store::assignment(int64_t id) {
  CHIDOAN_TRY(row, db_.query_one(std::string("SELECT ") + kAssignmentColumns + " WHERE a.id = ?1", {id}));
  if (!row) return fail(ErrorKind::not_found, "Không có phân công này");
  return assignment_from(*row);
}

Result<std::optional<Assignment>> Store::assignment_on(int64_t shift_id, int64_t member_id) {
  CHIDOAN_TRY(row, db_.query_one(std::string("SELECT ") + kAssignmentColumns + " WHERE a.shift_id = ?1 AND a.member_id = ?2", {shift_id, member_id}));
  if (!row) return std::optional<Assignment>{};
  return std::optional<Assignment>{assignment_from(*row)};
}

Result<std::vector<rules::Duty>> Store::duties_of(int64_t member_id, int64_t from, int64_t to) {
  CHIDOAN_TRY(rows, db_.query("SELECT s.id, p.center_id, s.starts_at, s.ends_at FROM desk_assignments a JOIN desk_shifts s ON s.id = a.shift_id "
                              "JOIN desk_periods p ON p.id = s.period_id WHERE a.member_id = ?1 AND s.starts_at >= ?2 AND s.starts_at < ?3 "
                              "ORDER BY s.starts_at",
                              {member_id, from, to}));
  std::vector<rules::Duty> out;
  for (const auto& r : rows) out.push_back({r.i64(0), r.i64(1), r.i64(2), r.i64(3)});
  return out;
}

Result<std::vector<Store::MemberShift>> Store::member_shifts(int64_t member_id, int64_t from, int64_t to) {
  CHIDOAN_TRY(rows, db_.query("SELECT " + std::string(kRosterShiftColumns).substr(0, std::string(kRosterShiftColumns).find(" FROM ")) +
                                  ", c.name, c.address, a.id, a.source, a.created_at, a.check_in_at, a.check_out_at, a.minutes, a.no_show "
                                  "FROM desk_assignments a JOIN desk_shifts s ON s.id = a.shift_id "
                                  "JOIN desk_templates t ON t.id = s.template_id JOIN desk_counters k ON k.id = s.counter_id "
                                  "JOIN desk_periods p ON p.id = s.period_id JOIN desk_centers c ON c.id = p.center_id "
                                  "WHERE a.member_id = ?1 AND s.starts_at >= ?2 AND s.starts_at < ?3 ORDER BY s.starts_at, s.id",
                              {member_id, from, to}));
  std::vector<MemberShift> out;
  for (const auto& r : rows) {
    Shift s = roster_shift_from(r);
    Assignment a{r.i64(13), s.id, member_id, "", r.str(14), r.i64(15), r.opt_i64(16), r.opt_i64(17), r.i64(18), r.i64(19) != 0};
    out.push_back({s, r.str(11), r.str(12), a});
  }
  return out;
}

Result<int> Store::no_shows(int64_t center_id, int64_t member_id) {
  CHIDOAN_TRY(row, db_.query_one("SELECT COUNT(*) FROM desk_assignments a JOIN desk_shifts s ON s.id = a.shift_id "
                                 "JOIN desk_periods p ON p.id = s.period_id WHERE a.member_id = ?1 AND p.center_id = ?2 "
                                 "AND a.no_show = 1 AND s.starts_at >= ?3",
                                 {member_id, center_id, clock_.unix_seconds() - 365 * 86400}));
  return static_cast<int>(row->i64(0));
}

Result<int64_t> Store::take(const Center& c, const Shift& s, int64_t member_id, const std::string& source) {
  // The center's takers and its roster queue here (PostgreSQL; SQLite's writers already run one
  // at a time), so that two shifts taken at once by one member are checked against each other.
  CHIDOAN_TRY_VOID(db::lock_until_commit(db_, kCenterLocks, c.id));
  // Lock the shift row: concurrent takers of one shift queue here.
  CHIDOAN_TRY_VOID(db_.execute("UPDATE desk_shifts SET max_staff = max_staff WHERE id = ?1", {s.id}));
  CHIDOAN_TRY(volunteer, is_volunteer(c, member_id));
  if (!volunteer) return fail(ErrorKind::invalid, "Đoàn viên không thuộc chi đoàn trực tại trung tâm này", "member_id");
  if (source == "signup" || source == "swap") {  // the member's own choice: not while locked out
    CHIDOAN_TRY(count, no_shows(c.id, member_id));
    CHIDOAN_TRY_VOID(rules::check_lock(c, count));
  }
  CHIDOAN_TRY(staff, db_.query_one("SELECT COUNT(*) FROM desk_assignments WHERE shift_id = ?1", {s.id}));
  CHIDOAN_TRY(duties, duties_of(member_id, s.starts_at - kWeek, s.starts_at + kWeek));
  CHIDOAN_TRY_VOID(rules::check_take(c, s, static_cast<int>(staff->i64(0)), duties, clock_.unix_seconds()));
  return db_.insert_id("INSERT INTO desk_assignments (shift_id, member_id, source, created_at) VALUES (?1, ?2, ?3, ?4) RETURNING id",
                       {s.id, member_id, source, clock_.unix_seconds()});
}

Result<void> Store::remove(int64_t shift_id, int64_t member_id) {
  CHIDOAN_TRY(a, assignment_on(shift_id, member_id));
  if (!a) return fail(ErrorKind::not_found, "Đoàn viên không có tên trong ca này", "member_id");
  if (a->check_in_at) return fail(ErrorKind::conflict, "Đoàn viên đã nhận ca, không rút tên được", "member_id");
  CHIDOAN_TRY_VOID(db_.execute("UPDATE desk_requests SET state = 'cancelled', decided_at = ?3 "
                               "WHERE shift_id = ?1 AND from_member_id = ?2 AND state = 'open'",
                               {shift_id, member_id, clock_.unix_seconds()}));
  CHIDOAN_TRY_VOID(db_.execute("DELETE FROM desk_assignments WHERE id = ?1", {a->id}));
  return {};
}

Result<int64_t> Store::release_member(int64_t member_id) {
  const int64_t now = clock_.unix_seconds();
  // The centers where the member has a shift ahead or is offered one.
  CHIDOAN_TRY(rows, db_.query("SELECT DISTINCT p.center_id FROM desk_shifts s JOIN desk_periods p ON p.id = s.period_id WHERE s.starts_at > ?2 "
                              "AND (s.id IN (SELECT shift_id FROM desk_assignments WHERE member_id = ?1 AND check_in_at IS NULL) "
                              "OR s.id IN (SELECT shift_id FROM desk_requests WHERE to_member_id = ?1 AND state = 'open')) ORDER BY p.center_id",
                              {member_id, now}));
  int64_t released = 0;
  for (const auto& r : rows) {
    CHIDOAN_TRY(c, center(r.i64(0)));
    CHIDOAN_TRY(still, is_volunteer(c, member_id));
    if (still) continue;
    CHIDOAN_TRY_VOID(db::lock_until_commit(db_, kCenterLocks, c.id));  // not while its roster is solved
    CHIDOAN_TRY(shifts, db_.query("SELECT a.shift_id FROM desk_assignments a JOIN desk_shifts s ON s.id = a.shift_id "
                                  "JOIN desk_periods p ON p.id = s.period_id WHERE a.member_id = ?1 AND p.center_id = ?2 "
                                  "AND s.starts_at > ?3 AND a.check_in_at IS NULL",
                                  {member_id, c.id, now}));
    for (const auto& s : shifts) {
      CHIDOAN_TRY_VOID(remove(s.i64(0), member_id));
      ++released;
    }
    // Swaps offered to them there, which they can no longer take.
    CHIDOAN_TRY_VOID(db_.execute("UPDATE desk_requests SET state = 'cancelled', decided_at = ?3 WHERE to_member_id = ?1 AND state = 'open' "
                                 "AND shift_id IN (SELECT s.id FROM desk_shifts s JOIN desk_periods p ON p.id = s.period_id "
                                 "WHERE p.center_id = ?2 AND s.starts_at > ?3)",
                                 {member_id, c.id, now}));
  }
  return released;
}

// ---- Requests

Result<int64_t> Store::create_request(const Request& r) {
  if (r.kind != "swap" && r.kind != "drop") return fail(ErrorKind::invalid, "Loại yêu cầu không hợp lệ", "kind");
  if (r.note.size() > 500) return fail(ErrorKind::invalid, "Ghi chú quá dài (tối đa 500 ký tự)", "note");
  CHIDOAN_TRY(on, assignment_on(r.shift_id, r.from_member_id));
  if (!on) return fail(ErrorKind::conflict, "Bạn không có tên trong ca này", "shift_id");
  if (r.to_member_id && *r.to_member_id == r.from_member_id) return fail(ErrorKind::invalid, "Không đổi ca với chính mình", "to_member_id");
  CHIDOAN_TRY(open, db_.query_one("SELECT id FROM desk_requests WHERE shift_id = ?1 AND from_member_id = ?2 AND state = 'open'",
                                  {r.shift_id, r.from_member_id}));
  if (open) return fail(ErrorKind::conflict, "Đã có một yêu cầu đang chờ cho ca này", "shift_id");
  return db_.insert_id("INSERT INTO desk_requests (kind, shift_id, from_member_id, to_member_id, note, state, created_at) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, 'open', ?6) RETURNING id",
                       {r.kind, r.shift_id, r.from_member_id, db::nullable(r.to_member_id), r.note, clock_.unix_seconds()});
}

Result<Request> Store::request(int64_t id) {
  CHIDOAN_TRY(row, db_.query_one(std::string("SELECT ") + kRequestColumns + " WHERE q.id = ?1", {id}));
  if (!row) return fail(ErrorKind::not_found, "Không có yêu cầu này");
  return request_from(*row);
}

Result<std::vector<Request>> Store::requests(int64_t period_id, bool open_only) {
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kRequestColumns +
                                  " JOIN desk_shifts s ON s.id = q.shift_id WHERE s.period_id = ?1" +
                                  (open_only ? " AND q.state = 'open'" : "") + " ORDER BY s.starts_at, q.id",
                              {period_id}));
  std::vector<Request> out;
  for (const auto& r : rows) out.push_back(request_from(r));
  return out;
}

Result<void> Store::accept_swap(const Center& c, const Request& r, int64_t member_id) {
  if (r.kind != "swap" || r.state != "open") return fail(ErrorKind::conflict, "Yêu cầu đổi ca không còn mở", "request_id");
  if (r.to_member_id && *r.to_member_id != member_id) return fail(ErrorKind::forbidden, "Yêu cầu đổi ca này dành cho người khác", "request_id");
  if (member_id == r.from_member_id) return fail(ErrorKind::invalid, "Không nhận ca của chính mình", "request_id");
  CHIDOAN_TRY(s, shift(r.shift_id));
  // Still open when written: of two members accepting at once, one takes the shift.
  CHIDOAN_TRY(accepted, db_.execute("UPDATE desk_requests SET state = 'accepted', decided_at = ?2, decided_by = ?3 WHERE id = ?1 AND state = 'open'",
                                    {r.id, clock_.unix_seconds(), member_id}));
  if (accepted == 0) return fail(ErrorKind::conflict, "Yêu cầu đổi ca không còn mở", "request_id");
  CHIDOAN_TRY(from, assignment_on(s.id, r.from_member_id));
  if (!from) return fail(ErrorKind::conflict, "Người nhờ đổi ca không còn trong ca này", "request_id");
  CHIDOAN_TRY_VOID(db_.execute("DELETE FROM desk_assignments WHERE id = ?1", {from->id}));
  CHIDOAN_TRY_VOID(take(c, s, member_id, "swap"));
  return {};
}

Result<void> Store::decide(int64_t request_id, const std::string& state, std::optional<int64_t> by_member) {
  CHIDOAN_TRY(n, db_.execute("UPDATE desk_requests SET state = ?2, decided_at = ?3, decided_by = ?4 WHERE id = ?1 AND state = 'open'",
                             {request_id, state, clock_.unix_seconds(), db::nullable(by_member)}));
  if (n == 0) return fail(ErrorKind::conflict, "Yêu cầu không còn mở", "request_id");
  return {};
}

// ---- Hours and no-shows

Result<void> Store::check_in(int64_t assignment_id, int64_t at) {
  CHIDOAN_TRY(a, assignment(assignment_id));
  if (a.check_in_at) return fail(ErrorKind::conflict, "Đã nhận ca lúc " + local_time(*a.check_in_at).substr(11), "check_in_at");
  CHIDOAN_TRY(s, shift(a.shift_id));
  CHIDOAN_TRY_VOID(rules::check_check_in(s, at));
  CHIDOAN_TRY_VOID(db_.execute("UPDATE desk_assignments SET check_in_at = ?2, no_show = 0 WHERE id = ?1", {assignment_id, at}));
  return {};
}

Result<void> Store::check_out(int64_t assignment_id, int64_t at) {
  CHIDOAN_TRY(a, assignment(assignment_id));
  if (!a.check_in_at) return fail(ErrorKind::conflict, "Chưa nhận ca thì chưa trả ca được", "check_out_at");
  if (a.check_out_at) return fail(ErrorKind::conflict, "Đã trả ca lúc " + local_time(*a.check_out_at).substr(11), "check_out_at");
  CHIDOAN_TRY(s, shift(a.shift_id));
  CHIDOAN_TRY(minutes, rules::duty_minutes(s, *a.check_in_at, at));
  CHIDOAN_TRY_VOID(db_.execute("UPDATE desk_assignments SET check_out_at = ?2, minutes = ?3 WHERE id = ?1", {assignment_id, at, minutes}));
  return feed_hours(s.period_id, a.member_id);
}

Result<void> Store::feed_hours(int64_t period_id, int64_t member_id) {
  CHIDOAN_TRY(p, period(period_id));
  CHIDOAN_TRY(total, db_.query_one("SELECT COALESCE(SUM(a.minutes), 0) FROM desk_assignments a JOIN desk_shifts s ON s.id = a.shift_id "
                                   "WHERE s.period_id = ?1 AND a.member_id = ?2 AND a.check_out_at IS NOT NULL",
                                   {period_id, member_id}));
  activity::Store activities(db_, clock_);
  CHIDOAN_TRY(act, activities.get(p.activity_id));
  return activities.record_checked_minutes(act, member_id, total->i64(0));
}

Result<void> Store::set_no_show(int64_t assignment_id, bool no_show) {
  CHIDOAN_TRY(a, assignment(assignment_id));
  CHIDOAN_TRY(s, shift(a.shift_id));
  if (no_show && a.check_in_at) return fail(ErrorKind::conflict, "Đoàn viên đã nhận ca, không phải vắng", "no_show");
  if (no_show && clock_.unix_seconds() < s.starts_at) return fail(ErrorKind::conflict, "Ca chưa bắt đầu", "no_show");
  CHIDOAN_TRY_VOID(db_.execute("UPDATE desk_assignments SET no_show = ?2 WHERE id = ?1", {assignment_id, int64_t{no_show}}));
  return {};
}

// ---- The automatic roster

Result<Store::RosterOutcome> Store::auto_roster(const Center& c, const Period& p) {
  CHIDOAN_TRY_VOID(db::lock_until_commit(db_, kCenterLocks, c.id));  // no sign-up while it solves
  CHIDOAN_TRY(list, shifts(p.id));
  CHIDOAN_TRY(on_duty, assignments(p.id));
  CHIDOAN_TRY(avail, availability(p.id));
  CHIDOAN_TRY(people, volunteers(c));
  std::map<int64_t, std::string> names;
  for (const auto& v : people) names[v.member_id] = v.name;

  // Shifts already started keep whom they have: nobody is added to them.
  const int64_t now = clock_.unix_seconds();
  std::vector<solver::Shift> in_shifts;
  std::map<int64_t, size_t> index;
  for (const auto& s : list) {
    index[s.id] = in_shifts.size();
    in_shifts.push_back({s.id, s.starts_at, s.ends_at, s.starts_at <= now ? 0 : s.min_staff, s.max_staff, {}});
  }
  for (const auto& a : on_duty) in_shifts[index[a.shift_id]].fixed.push_back(a.member_id);

  // Volunteers who gave availability; shifts already started are not offered.
  std::map<int64_t, solver::Volunteer> by_member;
  for (const auto& a : avail) {
    if (!names.contains(a.member_id) || list[index[a.shift_id]].starts_at <= now) continue;
    auto& v = by_member[a.member_id];
    v.id = a.member_id;
    v.name = names[a.member_id];
    v.available.push_back(a.shift_id);
    if (a.preferred) v.preferred.push_back(a.shift_id);
  }
  // Those already on a shift without having given availability (a sign-up, the coordinator's
  // choice, one who has since left the branch) are offered nothing new, but their shifts count.
  for (const auto& a : on_duty) {
    auto& v = by_member[a.member_id];
    v.id = a.member_id;
    if (v.name.empty()) v.name = a.member_name;
  }
  // Their shifts outside the period in the weeks it touches count for the weekly limit and the
  // rest between shifts: they go in as shifts of their own that need nobody.
  if (!list.empty()) {
    int64_t from = list.front().starts_at - kWeek, to = list.back().starts_at + kWeek;
    std::set<int64_t> members;
    for (const auto& [id, v] : by_member) members.insert(id);
    for (const auto& a : on_duty) members.insert(a.member_id);
    std::map<int64_t, solver::Shift> outside;
    for (int64_t m : members) {
      CHIDOAN_TRY(duties, duties_of(m, from, to));
      for (const auto& d : duties) {
        if (index.contains(d.shift_id)) continue;
        if (d.center_id != c.id) {  // another center: only double booking matters
          if (by_member.contains(m))
            std::erase_if(by_member[m].available, [&](int64_t sid) {
              const auto& s = list[index[sid]];
              return s.starts_at < d.ends_at && d.starts_at < s.ends_at;
            });
          continue;
        }
        auto& o = outside[d.shift_id];
        o.id = d.shift_id;
        o.start = d.starts_at;
        o.end = d.ends_at;
        o.fixed.push_back(m);
        o.min_staff = 0;
        o.max_staff = static_cast<int>(o.fixed.size());
      }
    }
    for (auto& [id, o] : outside) in_shifts.push_back(o);
  }
  std::vector<solver::Volunteer> volunteers;
  for (auto& [id, v] : by_member) volunteers.push_back(std::move(v));

  auto solved = solver::solve(in_shifts, volunteers, solver::Rules{c.max_shifts_per_week, c.min_rest_minutes});
  RosterOutcome out;
  if (!solved) {
    out.shortfalls = solved.error();
    return out;
  }
  for (const auto& a : solved->added) {
    CHIDOAN_TRY_VOID(db_.execute("INSERT INTO desk_assignments (shift_id, member_id, source, created_at) VALUES (?1, ?2, 'roster', ?3)",
                                 {a.shift_id, a.volunteer_id, now}));
  }
  out.added = solved->added;
  return out;
}

// ---- Calendar feed

Result<std::string> Store::rotate_feed(int64_t member_id) {
  std::string token = auth::random_token();
  CHIDOAN_TRY_VOID(db_.execute("DELETE FROM desk_feeds WHERE member_id = ?1", {member_id}));
  CHIDOAN_TRY_VOID(db_.execute("INSERT INTO desk_feeds (member_id, token_hash, created_at) VALUES (?1, ?2, ?3)",
                               {member_id, auth::token_hash(token), clock_.unix_seconds()}));
  return token;
}

Result<std::optional<int64_t>> Store::feed_member(const std::string& token) {
  CHIDOAN_TRY(r, db_.query_one("SELECT member_id FROM desk_feeds WHERE token_hash = ?1", {auth::token_hash(token)}));
  if (!r) return std::optional<int64_t>();
  return std::optional<int64_t>(r->i64(0));
}

// ---- Bundle

Result<int64_t> Store::insert_assignment(const Assignment& a) {
  return db_.insert_id("INSERT INTO desk_assignments (shift_id, member_id, source, created_at, check_in_at, check_out_at, minutes, no_show) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
                       {a.shift_id, a.member_id, a.source, a.created_at, db::nullable(a.check_in_at), db::nullable(a.check_out_at),
                        a.minutes, int64_t{a.no_show}});
}

}  // namespace chidoan::desk
