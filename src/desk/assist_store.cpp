#include "desk/assist_store.hpp"

#include <algorithm>

#include "desk/store.hpp"
#include "org/store.hpp"

namespace chidoan::desk {
namespace {

using db::Row;
using db::Value;

db::Value flag(bool b) { return int64_t{b ? 1 : 0}; }

constexpr const char* kProcedureColumns = "id, center_id, code, name, field, level, documents, active FROM desk_procedures";
Procedure procedure_from(const Row& r) {
  return Procedure{r.i64(0), r.i64(1), r.str(2), r.str(3), r.str(4), r.str(5), assist_rules::documents_of(r.str(6)), r.i64(7) != 0};
}

constexpr const char* kAssistColumns =
    "a.id, a.center_id, a.shift_id, a.member_id, m.family_name, m.middle_name, m.given_name, a.at, a.procedure_id, p.code, p.name, "
    "a.level, a.step_scanned, a.step_account, a.step_fileset, a.step_submitted, a.outcome, a.phone, a.phone_consent_at, a.note "
    "FROM desk_assists a JOIN members m ON m.id = a.member_id JOIN desk_procedures p ON p.id = a.procedure_id";


Assist assist_from(const Row& r) {
  Assist a;
  a.id = r.i64(0);
  a.center_id = r.i64(1);
  a.shift_id = r.opt_i64(2);
  a.member_id = r.i64(3);
  a.member_name = org::full_name_of(r, 4);
  a.at = r.i64(7);
  a.procedure_id = r.i64(8);
  a.procedure_code = r.str(9);
  a.procedure_name = r.str(10);
  a.level = r.str(11);
  a.step_scanned = r.i64(12) != 0;
  a.step_account = r.i64(13) != 0;
  a.step_fileset = r.i64(14) != 0;
  a.step_submitted = r.i64(15) != 0;
  a.outcome = r.str(16);
  a.phone = r.opt_str(17);
  a.phone_consent_at = r.opt_i64(18);
  a.note = r.str(19);
  return a;
}

constexpr const char* kShiftColumns =
    "s.id, s.period_id, s.template_id, t.name, s.counter_id, k.name, s.on_date, s.starts_at, s.ends_at, s.min_staff, s.max_staff, "
    "p.center_id FROM desk_shifts s JOIN desk_periods p ON p.id = s.period_id JOIN desk_templates t ON t.id = s.template_id "
    "JOIN desk_counters k ON k.id = s.counter_id";
Shift shift_from(const Row& r) {
  return Shift{r.i64(0), r.i64(1), r.i64(2), r.str(3), r.i64(4), r.str(5), r.str(6), r.i64(7), r.i64(8),
               static_cast<int>(r.i64(9)), static_cast<int>(r.i64(10))};
}

AssistCount count_from(const Row& r, size_t i) { return AssistCount{r.i64(i), r.i64(i + 1)}; }
constexpr const char* kCounts = "COUNT(*), SUM(CASE WHEN a.outcome = 'submitted' THEN 1 ELSE 0 END)";

}  // namespace

// ---- The catalogue

Result<int64_t> AssistStore::add_procedure(int64_t center_id, const assist_rules::ProcedureInput& in) {
  CHIDOAN_TRY(same, procedure_by_code(center_id, in.code));
  if (same) return fail(ErrorKind::conflict, "Danh mục đã có thủ tục mã " + in.code, "code");
  return db_.insert_id(
      "INSERT INTO desk_procedures (center_id, code, name, field, level, documents, active) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1) RETURNING id",
      {center_id, in.code, in.name, in.field, in.level, assist_rules::join_documents(in.documents)});
}

Result<void> AssistStore::update_procedure(int64_t id, const assist_rules::ProcedureInput& in) {
  CHIDOAN_TRY(p, procedure(id));
  CHIDOAN_TRY(same, procedure_by_code(p.center_id, in.code));
  if (same && same->id != id) return fail(ErrorKind::conflict, "Danh mục đã có thủ tục mã " + in.code, "code");
  CHIDOAN_TRY_VOID(db_.execute("UPDATE desk_procedures SET code = ?2, name = ?3, field = ?4, level = ?5, documents = ?6 WHERE id = ?1",
                               {id, in.code, in.name, in.field, in.level, assist_rules::join_documents(in.documents)}));
  return {};
}

Result<void> AssistStore::set_procedure_active(int64_t id, bool active) {
  CHIDOAN_TRY(n, db_.execute("UPDATE desk_procedures SET active = ?2 WHERE id = ?1", {id, flag(active)}));
  if (n == 0) return fail(ErrorKind::not_found, "Không có thủ tục này");
  return {};
}

Result<Procedure> AssistStore::procedure(int64_t id) {
  CHIDOAN_TRY(row, db_.query_one(std::string("SELECT ") + kProcedureColumns + " WHERE id = ?1", {id}));
  if (!row) return fail(ErrorKind::not_found, "Không có thủ tục này");
  return procedure_from(*row);
}

Result<std::optional<Procedure>> AssistStore::procedure_by_code(int64_t center_id, const std::string& code) {
  CHIDOAN_TRY(row, db_.query_one(std::string("SELECT ") + kProcedureColumns + " WHERE center_id = ?1 AND code = ?2", {center_id, code}));
  if (!row) return std::optional<Procedure>();
  return std::optional<Procedure>(procedure_from(*row));
}

Result<std::vector<Procedure>> AssistStore::procedures(int64_t center_id, bool active_only) {
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kProcedureColumns + " WHERE center_id = ?1" + (active_only ? " AND active = 1" : "") +
                                  " ORDER BY code, id",
                              {center_id}));
  std::vector<Procedure> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(procedure_from(r));
  return out;
}

Result<AssistStore::ImportOutcome> AssistStore::import_procedures(int64_t center_id, const assist_rules::ProcedureTable& table) {
  if (!table.errors.empty()) return std::unexpected(assist_rules::import_error(table.errors));
  ImportOutcome out;
  for (const auto& row : table.rows) {
    CHIDOAN_TRY(known, procedure_by_code(center_id, row.in.code));
    if (known) {
      CHIDOAN_TRY_VOID(update_procedure(known->id, row.in));
      if (!known->active) CHIDOAN_TRY_VOID(set_procedure_active(known->id, true));
      ++out.updated;
    } else {
      CHIDOAN_TRY_VOID(add_procedure(center_id, row.in));
      ++out.added;
    }
  }
  return out;
}

// ---- The log

Result<int64_t> AssistStore::log(const Center& c, int64_t member_id, assist_rules::AssistInput in) {
  auto p = procedure(in.procedure_id);
  if (!p && p.error().kind != ErrorKind::not_found) return std::unexpected(p.error());
  if (!p || p->center_id != c.id) return fail(ErrorKind::invalid, "Thủ tục không có trong danh mục của trung tâm", "procedure_id");
  if (!p->active) return fail(ErrorKind::invalid, "Thủ tục " + p->code + " đã ngừng áp dụng", "procedure_id");
  if (in.level.empty()) in.level = p->level;
  if (in.shift_id) {
    auto s = shift_with_center(*in.shift_id);
    if (!s && s.error().kind != ErrorKind::not_found) return std::unexpected(s.error());
    if (!s || s->second != c.id) return fail(ErrorKind::invalid, "Ca trực không thuộc trung tâm này", "shift_id");
    CHIDOAN_TRY_VOID(assist_rules::check_in_shift(in.at, s->first));
  }
  CHIDOAN_TRY(volunteer, Store(db_, clock_).is_volunteer(c, member_id));
  if (!volunteer) return fail(ErrorKind::invalid, "Người hướng dẫn phải là đoàn viên đang sinh hoạt ở " + c.org_name, "member_id");
  return insert(c.id, member_id, in);
}

Result<int64_t> AssistStore::insert(int64_t center_id, int64_t member_id, const assist_rules::AssistInput& in) {
  CHIDOAN_TRY_VOID(assist_rules::check_assist(in));
  return db_.insert_id(
      "INSERT INTO desk_assists (center_id, shift_id, member_id, at, procedure_id, level, step_scanned, step_account, step_fileset, "
      "step_submitted, outcome, phone, phone_consent_at, note, created_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) RETURNING id",
      {center_id, db::nullable(in.shift_id), member_id, in.at, in.procedure_id, in.level, flag(in.steps.scanned), flag(in.steps.account),
       flag(in.steps.fileset), flag(in.steps.submitted), in.outcome, in.phone ? Value(*in.phone) : Value(nullptr),
       db::nullable(in.phone_consent_at), in.note, clock_.unix_seconds()});
}

Result<Assist> AssistStore::assist(int64_t id) {
  CHIDOAN_TRY(row, db_.query_one(std::string("SELECT ") + kAssistColumns + " WHERE a.id = ?1", {id}));
  if (!row) return fail(ErrorKind::not_found, "Không có lượt hướng dẫn này");
  return assist_from(*row);
}

Result<void> AssistStore::remove(int64_t id) {
  CHIDOAN_TRY(n, db_.execute("DELETE FROM desk_assists WHERE id = ?1", {id}));
  if (n == 0) return fail(ErrorKind::not_found, "Không có lượt hướng dẫn này");
  return {};
}

Result<std::vector<Assist>> AssistStore::assists(int64_t center_id, const std::string& month, std::optional<int64_t> member_id, size_t limit,
                                                 size_t offset) {
  if (month.size() != 7) return fail(ErrorKind::invalid, "Tháng phải viết dạng YYYY-MM, ví dụ 2021-11", "month");
  CHIDOAN_TRY(range, assist_rules::period_range(month, "month"));
  std::string sql = std::string("SELECT ") + kAssistColumns + " WHERE a.center_id = ?1 AND a.at >= ?2 AND a.at < ?3";
  std::vector<Value> params = {center_id, range.first, range.second};
  if (member_id) {
    sql += " AND a.member_id = ?4";
    params.push_back(*member_id);
  }
  sql += " ORDER BY a.at DESC, a.id DESC";
  if (limit > 0) sql += " LIMIT " + std::to_string(limit) + " OFFSET " + std::to_string(offset);
  CHIDOAN_TRY(rows, db_.query(sql, params));
  std::vector<Assist> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(assist_from(r));
  return out;
}

Result<std::vector<Shift>> AssistStore::shifts_on(int64_t center_id, const std::string& date) {
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kShiftColumns + " WHERE p.center_id = ?1 AND s.on_date = ?2 ORDER BY s.starts_at, k.name, s.id",
                              {center_id, date}));
  std::vector<Shift> out;
  for (const auto& r : rows) out.push_back(shift_from(r));
  return out;
}

Result<std::pair<Shift, int64_t>> AssistStore::shift_with_center(int64_t shift_id) {
  CHIDOAN_TRY(row, db_.query_one(std::string("SELECT ") + kShiftColumns + " WHERE s.id = ?1", {shift_id}));
  if (!row) return fail(ErrorKind::not_found, "Không có ca trực này");
  return std::pair{shift_from(*row), row->i64(11)};
}

// ---- Counts

Result<AssistStats> AssistStore::stats(int64_t center_id, const std::string& period) {
  CHIDOAN_TRY(range, assist_rules::period_range(period, period.size() == 4 ? "year" : "month"));
  const std::vector<Value> params = {center_id, range.first, range.second};
  const std::string where = " WHERE a.center_id = ?1 AND a.at >= ?2 AND a.at < ?3";
  AssistStats s;
  s.period = period;

  CHIDOAN_TRY(total, db_.query_one(std::string("SELECT ") + kCounts + " FROM desk_assists a" + where, params));
  if (total) s.total = count_from(*total, 0);

  CHIDOAN_TRY(volunteers, db_.query(std::string("SELECT a.member_id, m.family_name, m.middle_name, m.given_name, m.sort_key, ") + kCounts +
                                        " FROM desk_assists a JOIN members m ON m.id = a.member_id" + where +
                                        " GROUP BY a.member_id, m.family_name, m.middle_name, m.given_name, m.sort_key",
                                    params));
  std::vector<std::pair<std::string, AssistStats::Volunteer>> v;
  for (const auto& r : volunteers) v.push_back({r.str(4), {r.i64(0), org::full_name_of(r, 1), count_from(r, 5)}});
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
    if (a.second.n.helped != b.second.n.helped) return a.second.n.helped > b.second.n.helped;
    if (a.first != b.first) return a.first < b.first;
    return a.second.member_id < b.second.member_id;
  });
  for (auto& [key, row] : v) s.by_volunteer.push_back(std::move(row));

  CHIDOAN_TRY(shifts, db_.query(std::string("SELECT a.shift_id, s.on_date, t.name, k.name, s.starts_at, s.ends_at, ") + kCounts +
                                    " FROM desk_assists a LEFT JOIN desk_shifts s ON s.id = a.shift_id "
                                    "LEFT JOIN desk_templates t ON t.id = s.template_id LEFT JOIN desk_counters k ON k.id = s.counter_id" +
                                    where + " GROUP BY a.shift_id, s.on_date, t.name, k.name, s.starts_at, s.ends_at",
                                params));
  for (const auto& r : shifts)
    s.by_shift.push_back({r.opt_i64(0), r.str(1), r.str(2), r.str(3), r.i64(4), r.i64(5), count_from(r, 6)});
  std::sort(s.by_shift.begin(), s.by_shift.end(), [](const auto& a, const auto& b) {
    if (a.shift_id.has_value() != b.shift_id.has_value()) return a.shift_id.has_value();
    if (a.starts_at != b.starts_at) return a.starts_at < b.starts_at;
    if (a.counter_name != b.counter_name) return a.counter_name < b.counter_name;
    return a.shift_id < b.shift_id;
  });

  CHIDOAN_TRY(procedures, db_.query(std::string("SELECT a.procedure_id, p.code, p.name, p.level, ") + kCounts +
                                        " FROM desk_assists a JOIN desk_procedures p ON p.id = a.procedure_id" + where +
                                        " GROUP BY a.procedure_id, p.code, p.name, p.level",
                                    params));
  for (const auto& r : procedures) s.by_procedure.push_back({r.i64(0), r.str(1), r.str(2), r.str(3), count_from(r, 4)});
  std::sort(s.by_procedure.begin(), s.by_procedure.end(), [](const auto& a, const auto& b) {
    if (a.n.helped != b.n.helped) return a.n.helped > b.n.helped;
    return a.code < b.code;
  });

  for (const auto& month : assist_rules::months_of(period)) {
    CHIDOAN_TRY(m, assist_rules::period_range(month, "month"));
    CHIDOAN_TRY(row, db_.query_one(std::string("SELECT ") + kCounts + " FROM desk_assists a" + where, {center_id, m.first, m.second}));
    s.by_month.push_back({month, row ? count_from(*row, 0) : AssistCount{}});
  }

  for (auto o : assist_rules::kOutcomes) s.by_outcome[std::string(o)] = 0;
  for (auto l : assist_rules::kLevels) s.by_level[std::string(l)] = 0;
  CHIDOAN_TRY(outcomes, db_.query("SELECT a.outcome, COUNT(*) FROM desk_assists a" + where + " GROUP BY a.outcome", params));
  for (const auto& r : outcomes) s.by_outcome[r.str(0)] = r.i64(1);
  CHIDOAN_TRY(levels, db_.query("SELECT a.level, COUNT(*) FROM desk_assists a" + where + " GROUP BY a.level", params));
  for (const auto& r : levels) s.by_level[r.str(0)] = r.i64(1);
  return s;
}

}  // namespace chidoan::desk
