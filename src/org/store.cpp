#include "org/store.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "platform/auth/audit.hpp"
#include "platform/db/bulk.hpp"
#include "platform/text/text.hpp"

namespace chidoan::org {

std::string full_name_of(const db::Row& r, size_t family) {
  std::string name = r.str(family);
  if (!r.str(family + 1).empty()) name.append(" ").append(r.str(family + 1));
  return name.append(" ").append(r.str(family + 2));
}

namespace {

using db::Row;
using db::Value;

constexpr const char* kOrgColumns =
    "o.id, o.code, o.name, o.level_id, l.rank, l.name, l.holds_members, o.parent_id, o.path, o.status, "
    "COALESCE(o.founded_on, ''), COALESCE(o.ended_on, ''), COALESCE(rv.version, 0), COALESCE(rv.active_members, 0)";
constexpr const char* kOrgFrom =
    " FROM orgs o JOIN org_levels l ON l.id = o.level_id LEFT JOIN roll_versions rv ON rv.org_id = o.id";

Org org_from(const Row& r) {
  Org o;
  o.id = r.i64(0);
  o.code = r.str(1);
  o.name = r.str(2);
  o.level_id = r.i64(3);
  o.level_rank = r.i64(4);
  o.level_name = r.str(5);
  o.holds_members = r.i64(6) != 0;
  o.parent_id = r.opt_i64(7);
  o.path = r.str(8);
  o.status = r.str(9);
  o.founded_on = r.str(10);
  o.ended_on = r.str(11);
  o.roll_version = r.i64(12);
  o.active_members = r.i64(13);
  return o;
}

constexpr const char* kMemberColumns =
    "m.id, m.branch_id, m.family_name, m.middle_name, m.given_name, m.sex, m.birth_date, "
    "COALESCE(m.cccd, ''), COALESCE(m.phone, ''), COALESCE(m.email, ''), COALESCE(m.joined_union_on, ''), "
    "COALESCE(m.card_number, ''), m.unit_id, COALESCE(u.name, ''), m.committee_role, m.status";

Member member_from(const Row& r) {
  Member m;
  m.id = r.i64(0);
  m.branch_id = r.i64(1);
  m.family_name = r.str(2);
  m.middle_name = r.str(3);
  m.given_name = r.str(4);
  m.sex = r.str(5);
  m.birth_date = r.str(6);
  m.cccd = r.str(7);
  m.phone = r.str(8);
  m.email = r.str(9);
  m.joined_union_on = r.str(10);
  m.card_number = r.str(11);
  m.unit_id = r.opt_i64(12);
  m.unit_name = r.str(13);
  m.committee_role = r.str(14);
  m.status = r.str(15);
  return m;
}

// The columns add_member writes, in the order the *_values functions below append them.
constexpr const char* kMemberInsertColumns =
    "branch_id, family_name, middle_name, given_name, sort_key, search_text, sex, birth_date, cccd, phone, email, "
    "joined_union_on, card_number, unit_id, committee_role, status, created_at, updated_at";
constexpr size_t kMemberInsertCount = 18;
constexpr const char* kPeriodColumns = "member_id, branch_id, from_on, to_on";
constexpr size_t kPeriodCount = 4;
constexpr const char* kEventColumns = "member_id, kind, effective_on, branch_id, other_branch_id, reason, recorded_at";
constexpr size_t kEventCount = 7;

void append_member_values(std::vector<Value>& out, int64_t branch_id, const MemberInput& in, const std::string& status, int64_t at) {
  Member tmp{.family_name = in.family_name, .middle_name = in.middle_name, .given_name = in.given_name};
  out.insert(out.end(), {branch_id, in.family_name, in.middle_name, in.given_name,
                         text::name_sort_key(in.family_name, in.middle_name, in.given_name), text::search_fold(tmp.full_name()),
                         in.sex, in.birth_date, db::nullable(in.cccd), db::nullable(in.phone), db::nullable(in.email),
                         db::nullable(in.joined_union_on), db::nullable(in.card_number), db::nullable(in.unit_id),
                         in.committee_role, status, at, at});
}

void append_period_values(std::vector<Value>& out, int64_t member_id, const Period& p) {
  out.insert(out.end(), {member_id, p.branch_id, p.from_on, db::nullable(p.to_on)});
}

void append_event_values(std::vector<Value>& out, const MemberEvent& e, int64_t at) {
  out.insert(out.end(), {e.member_id, e.kind, e.effective_on, e.branch_id, db::nullable(e.other_branch_id), e.reason, at});
}

// "INSERT INTO table (columns) VALUES (?1, …)" for one row, with `tail` after it.
std::string insert_one(const char* table, const char* columns, size_t ncols, const char* tail = "") {
  return std::string("INSERT INTO ") + table + " (" + columns + ") VALUES " + db::bulk::parameter_tuples(ncols, 1) + tail;
}

// A new member's stay in their branch and the event that starts it.
Period first_period(int64_t branch_id, const MemberInput& in) { return Period{branch_id, in.branch_since, ""}; }
MemberEvent first_event(int64_t member_id, int64_t branch_id, const MemberInput& in) {
  std::string kind = in.joined_union_on == in.branch_since ? "admit" : "enter";
  return MemberEvent{0, member_id, kind, in.branch_since, branch_id, std::nullopt, ""};
}

// add_member's reference errors (one at a time or in bulk).
std::unexpected<Error> unit_not_in_branch() {
  return fail(ErrorKind::invalid, "Đơn vị công tác không thuộc chi đoàn này", "unit_id");
}
std::unexpected<Error> cccd_in_use() { return fail(ErrorKind::conflict, "Số CCCD đã được dùng cho một đoàn viên khác", "cccd"); }

// Accumulates "AND …" clauses with numbered parameters.
struct Where {
  std::string sql;
  std::vector<Value> params;
  std::string next() { return "?" + std::to_string(params.size() + 1); }
  void add(const std::string& clause_template, Value v) {
    std::string c = clause_template;
    c.replace(c.find('#'), 1, next());
    sql += " AND " + c;
    params.push_back(std::move(v));
  }
};

}  // namespace

auth::Scope scope_of(const Org& o) { return auth::Scope{Store::path_ids(o.path), std::nullopt}; }

std::string Store::path_end(const std::string& path) {
  std::string end = path;
  end.back() = static_cast<char>(end.back() + 1);  // "/1/5/" -> "/1/50"
  return end;
}

Result<bool> Store::covers_everything(const std::string& path) {
  CHIDOAN_TRY(outside, db_.query_one("SELECT 1 FROM orgs WHERE path < ?1 OR path >= ?2 LIMIT 1", {path, path_end(path)}));
  return !outside;
}

std::vector<int64_t> Store::path_ids(const std::string& path) {
  std::vector<int64_t> ids;
  int64_t cur = -1;
  for (char c : path) {
    if (c == '/') {
      if (cur >= 0) ids.push_back(cur);
      cur = -1;
    } else {
      cur = (cur < 0 ? 0 : cur * 10) + (c - '0');
    }
  }
  return ids;
}

// ---- levels ----

Result<std::vector<Level>> Store::levels() {
  CHIDOAN_TRY(rows, db_.query("SELECT id, rank, name, holds_members FROM org_levels ORDER BY rank"));
  std::vector<Level> out;
  for (const auto& r : rows) out.push_back(Level{r.i64(0), r.i64(1), r.str(2), r.i64(3) != 0});
  return out;
}

Result<Level> Store::level(int64_t id) {
  CHIDOAN_TRY(row, db_.query_one("SELECT id, rank, name, holds_members FROM org_levels WHERE id = ?1", {id}));
  if (!row) return fail(ErrorKind::invalid, "Cấp tổ chức không tồn tại", "level_id");
  return Level{row->i64(0), row->i64(1), row->str(2), row->i64(3) != 0};
}

Result<int64_t> Store::add_level(const Level& level) {
  return db_.insert_id("INSERT INTO org_levels (rank, name, holds_members) VALUES (?1, ?2, ?3) RETURNING id",
                       {level.rank, level.name, int64_t{level.holds_members}});
}

Result<void> Store::install_default_levels() {
  CHIDOAN_TRY(existing, levels());
  if (!existing.empty()) return {};
  // Điều lệ Đoàn: Trung ương; tỉnh và tương đương; huyện và tương đương; cơ sở; chi đoàn.
  const std::array<const char*, 5> names = {"Trung ương Đoàn", "Tỉnh đoàn / Đoàn khối", "Huyện đoàn và tương đương",
                                            "Đoàn cơ sở", "Chi đoàn"};
  for (size_t i = 0; i < names.size(); ++i) {
    CHIDOAN_TRY_VOID(add_level(Level{0, static_cast<int64_t>(i), names[i], i + 1 == names.size()}));
  }
  return {};
}

// ---- orgs ----

Result<std::vector<Org>> Store::orgs(std::optional<int64_t> under) {
  std::string sql = std::string("SELECT ") + kOrgColumns + kOrgFrom;
  // The whole tree is the subtree of the root path "/".
  std::string prefix = "/";
  if (under) {
    CHIDOAN_TRY(root, org(*under));
    prefix = root.path;
  }
  sql += " WHERE o.path LIKE ?1 ORDER BY o.path";
  CHIDOAN_TRY(rows, db_.query(sql, {prefix + "%"}));
  std::vector<Org> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(org_from(r));
  return out;
}

Result<std::vector<Org>> Store::children(int64_t id) {
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kOrgColumns +
                                  kOrgFrom + " WHERE o.parent_id = ?1 ORDER BY o.path",
                              {id}));
  std::vector<Org> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(org_from(r));
  return out;
}

Result<Org> Store::org(int64_t id) {
  // Every request that names an org reads it (a kept member list costs little else): the text is
  // built once.
  static const std::string sql = std::string("SELECT ") + kOrgColumns + kOrgFrom + " WHERE o.id = ?1";
  CHIDOAN_TRY(row, db_.query_one(sql, {id}));
  if (!row) return fail(ErrorKind::not_found, "Không tìm thấy tổ chức", "org_id");
  return org_from(*row);
}

Result<std::optional<Org>> Store::org_by_code(const std::string& code) {
  CHIDOAN_TRY(row, db_.query_one(std::string("SELECT ") + kOrgColumns +
                                     kOrgFrom + " WHERE o.code = ?1",
                                 {code}));
  if (!row) return std::optional<Org>();
  return std::optional<Org>(org_from(*row));
}

Result<int64_t> Store::add_org_event(const OrgEvent& e) {
  return db_.insert_id(
      "INSERT INTO org_events (org_id, kind, effective_on, related_org_id, old_value, new_value, note, recorded_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
      {e.org_id, e.kind, e.effective_on, db::nullable(e.related_org_id), db::nullable(e.old_value), db::nullable(e.new_value), e.note, now()});
}

Result<int64_t> Store::create_org(const NewOrg& in, bool record_event) {
  CHIDOAN_TRY(code, rules::check_org_code(in.code));
  CHIDOAN_TRY(name, text::normalize(in.name));
  if (name.empty()) return fail(ErrorKind::invalid, "Tên tổ chức không được để trống", "name");
  CHIDOAN_TRY(lvl, level(in.level_id));
  std::string parent_path = "/";
  if (in.parent_id) {
    auto parent = org(*in.parent_id);
    if (!parent) return fail(ErrorKind::invalid, "Tổ chức cấp trên không tồn tại", "parent_id");
    if (!parent->active()) return fail(ErrorKind::invalid, "Tổ chức cấp trên đã giải thể", "parent_id");
    CHIDOAN_TRY(parent_level, level(parent->level_id));
    CHIDOAN_TRY_VOID(rules::check_child_level(parent_level, lvl));
    parent_path = parent->path;
  }
  CHIDOAN_TRY(dup, org_by_code(code));
  if (dup) return fail(ErrorKind::conflict, "Mã tổ chức \"" + code + "\" đã được dùng", "code");
  std::string founded = in.founded_on;
  if (!founded.empty() && !parse_date(founded)) return fail(ErrorKind::invalid, "Ngày thành lập không hợp lệ", "founded_on");
  // The path needs the new id: insert with a temporary unique path, then set it.
  CHIDOAN_TRY(id, db_.insert_id(
                      "INSERT INTO orgs (code, name, level_id, parent_id, path, founded_on, search_text) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
                      {code, name, in.level_id, db::nullable(in.parent_id), "pending:" + code, db::nullable(founded), text::search_fold(name)}));
  CHIDOAN_TRY_VOID(db_.execute("UPDATE orgs SET path = ?1 WHERE id = ?2", {parent_path + std::to_string(id) + "/", id}));
  if (record_event && !founded.empty())
    CHIDOAN_TRY_VOID(add_org_event(OrgEvent{0, id, "create", founded, std::nullopt, "", name, ""}));
  return id;
}

Result<void> Store::set_org_end(int64_t id, const std::string& status, const std::string& ended_on) {
  CHIDOAN_TRY_VOID(db_.execute("UPDATE orgs SET status = ?1, ended_on = ?2 WHERE id = ?3", {status, db::nullable(ended_on), id}));
  return {};
}

Result<void> Store::check_effective(const Org& o, const std::string& on) const {
  auto day = parse_date(on);
  if (!day) return fail(ErrorKind::invalid, "Ngày hiệu lực không hợp lệ", "effective_on");
  if (*day > today(clock_)) return fail(ErrorKind::invalid, "Ngày hiệu lực không được ở tương lai", "effective_on");
  if (!o.founded_on.empty() && on < o.founded_on)
    return fail(ErrorKind::invalid, "Ngày hiệu lực trước ngày thành lập " + o.name + " (" + text::format_date(o.founded_on) + ")", "effective_on");
  return {};
}

Result<void> Store::rename_org(int64_t id, const std::string& raw_name, const std::string& effective_on) {
  CHIDOAN_TRY_VOID(lock_org(id));
  CHIDOAN_TRY(o, org(id));
  CHIDOAN_TRY(name, text::normalize(raw_name));
  if (name.empty()) return fail(ErrorKind::invalid, "Tên tổ chức không được để trống", "name");
  CHIDOAN_TRY_VOID(check_effective(o, effective_on));
  // The current name is the last rename's: an earlier date would make the history disagree with it.
  CHIDOAN_TRY(last, db_.query_one("SELECT MAX(effective_on) FROM org_events WHERE org_id = ?1 AND kind = 'rename'", {id}));
  if (last && !last->is_null(0) && effective_on < last->str(0))
    return fail(ErrorKind::invalid, "Ngày hiệu lực trước lần đổi tên gần nhất (" + text::format_date(last->str(0)) + ")", "effective_on");
  CHIDOAN_TRY_VOID(db_.execute("UPDATE orgs SET name = ?1, search_text = ?2 WHERE id = ?3", {name, text::search_fold(name), id}));
  CHIDOAN_TRY_VOID(add_org_event(OrgEvent{0, id, "rename", effective_on, std::nullopt, o.name, name, ""}));
  return {};
}

Result<void> Store::move_org(int64_t id, int64_t new_parent_id, const std::string& effective_on) {
  CHIDOAN_TRY_VOID(lock_org(std::min(id, new_parent_id)));  // the new parent is not dissolved meanwhile
  if (new_parent_id != id) CHIDOAN_TRY_VOID(lock_org(std::max(id, new_parent_id)));
  CHIDOAN_TRY(o, org(id));
  auto parent = org(new_parent_id);
  if (!parent) return fail(ErrorKind::invalid, "Tổ chức cấp trên không tồn tại", "parent_id");
  if (!parent->active()) return fail(ErrorKind::invalid, "Tổ chức cấp trên đã giải thể", "parent_id");
  if (parent->path.starts_with(o.path))
    return fail(ErrorKind::invalid, "Không thể chuyển tổ chức vào tổ chức cấp dưới của chính nó", "parent_id");
  CHIDOAN_TRY_VOID(check_effective(o, effective_on));
  CHIDOAN_TRY_VOID(check_effective(*parent, effective_on));
  CHIDOAN_TRY(parent_level, level(parent->level_id));
  CHIDOAN_TRY(own_level, level(o.level_id));
  CHIDOAN_TRY_VOID(rules::check_child_level(parent_level, own_level));
  std::string new_path = parent->path + std::to_string(id) + "/";
  // Rewrite the path of the whole subtree: prefix replacement.
  CHIDOAN_TRY_VOID(db_.execute("UPDATE orgs SET path = ?1 || SUBSTR(path, ?2) WHERE path LIKE ?3",
                               {new_path, static_cast<int64_t>(o.path.size() + 1), o.path + "%"}));
  CHIDOAN_TRY_VOID(db_.execute("UPDATE orgs SET parent_id = ?1 WHERE id = ?2", {new_parent_id, id}));
  std::string old_parent_code;
  if (o.parent_id) {
    CHIDOAN_TRY(old_parent, org(*o.parent_id));
    old_parent_code = old_parent.code;
  }
  // Parents are recorded by code: readable in the history and stable across databases.
  CHIDOAN_TRY_VOID(add_org_event(OrgEvent{0, id, "move", effective_on, new_parent_id, old_parent_code, parent->code, ""}));
  // The subtree's members stay in their branches, which are now elsewhere in the tree: what the
  // levels they left held for them (a center's shifts) goes.
  if (moved_) {
    CHIDOAN_TRY(rows, db_.query("SELECT m.id, m.branch_id FROM members m JOIN orgs b ON b.id = m.branch_id "
                                "WHERE b.path LIKE ?1 AND m.status = 'active' ORDER BY m.id",
                                {new_path + "%"}));
    for (const auto& r : rows) CHIDOAN_TRY_VOID(moved_(r.i64(0), r.i64(1)));
  }
  return {};
}

Result<void> Store::close_period(int64_t member_id, const std::string& on) {
  CHIDOAN_TRY(open, db_.query_one("SELECT from_on FROM member_periods WHERE member_id = ?1 AND to_on IS NULL", {member_id}));
  if (open && open->str(0) > on)
    return fail(ErrorKind::invalid, "Ngày hiệu lực trước ngày bắt đầu sinh hoạt tại chi đoàn hiện tại", "effective_on");
  CHIDOAN_TRY(closed, db_.execute("UPDATE member_periods SET to_on = ?1 WHERE member_id = ?2 AND to_on IS NULL", {on, member_id}));
  // The stay read above was closed meanwhile: the other change wins, this one is refused whole.
  if (open && closed != 1) return fail(ErrorKind::conflict, "Đoàn viên vừa được thay đổi: tải lại trang và thử lại", "member_id");
  return {};
}

Result<void> Store::move_member(int64_t member_id, int64_t from_branch, int64_t to_branch, const std::string& on,
                                const std::string& out_kind, const std::string& in_kind, const std::string& reason, bool keep_unit) {
  CHIDOAN_TRY_VOID(close_period(member_id, on));
  CHIDOAN_TRY_VOID(add_period(member_id, Period{to_branch, on, ""}));
  std::optional<int64_t> unit;
  if (keep_unit) {
    CHIDOAN_TRY(held, db_.query_one("SELECT u.name FROM members m JOIN units u ON u.id = m.unit_id WHERE m.id = ?1", {member_id}));
    if (held) {
      CHIDOAN_TRY(there, db_.query_one("SELECT id FROM units WHERE org_id = ?1 AND name = ?2", {to_branch, held->str(0)}));
      if (there) {
        unit = there->i64(0);
      } else {
        CHIDOAN_TRY(made, add_unit(to_branch, held->str(0)));
        unit = made;
      }
    }
  }
  CHIDOAN_TRY_VOID(db_.execute("UPDATE members SET branch_id = ?1, unit_id = ?4, committee_role = '', updated_at = ?2 WHERE id = ?3",
                               {to_branch, now(), member_id, db::nullable(unit)}));
  CHIDOAN_TRY_VOID(add_member_event(MemberEvent{0, member_id, out_kind, on, from_branch, to_branch, reason}));
  CHIDOAN_TRY_VOID(add_member_event(MemberEvent{0, member_id, in_kind, on, to_branch, from_branch, reason}));
  return follow_member(member_id, from_branch, to_branch);
}

Result<void> Store::follow_member(int64_t member_id, int64_t from_branch, std::optional<int64_t> to_branch) {
  static const std::string held = "SELECT id FROM users WHERE member_id = ?1 AND org_id = ?2 AND role IN ('member', 'branch_secretary')";
  // Each account changed is audited with what happened to it (the move itself is the caller's).
  CHIDOAN_TRY(accounts, db_.query("SELECT u.id, u.username, u.role, (SELECT COUNT(*) FROM user_grants g WHERE g.user_id = u.id AND g.org_id = ?2) "
                                  "FROM users u WHERE u.id IN (" + held + ")",
                                  {member_id, from_branch}));
  for (const auto& a : accounts) {
    nlohmann::json detail{{"member_id", member_id}, {"from_org_id", from_branch}, {"role", a.str(2)}, {"grants_ended", a.i64(3)}};
    if (to_branch) detail["to_org_id"] = *to_branch;
    CHIDOAN_TRY_VOID(audit::record(db_, clock_, audit::AuditEntry{std::nullopt, "", to_branch ? "account_follows_member" : "disable_user",
                                                                  "user", a.i64(0), detail.dump(), "", ""}));
  }
  CHIDOAN_TRY_VOID(db_.execute("DELETE FROM user_grants WHERE org_id = ?2 AND user_id IN (" + held + ")", {member_id, from_branch}));
  if (to_branch) {
    CHIDOAN_TRY_VOID(db_.execute("UPDATE users SET org_id = ?3, role = 'member' WHERE id IN (" + held + ")", {member_id, from_branch, *to_branch}));
  } else {
    CHIDOAN_TRY_VOID(db_.execute("DELETE FROM sessions WHERE user_id IN (" + held + ")", {member_id, from_branch}));
    CHIDOAN_TRY_VOID(db_.execute("UPDATE users SET disabled = 1 WHERE id IN (" + held + ")", {member_id, from_branch}));
  }
  if (moved_) CHIDOAN_TRY_VOID(moved_(member_id, to_branch));
  return {};
}

Result<int64_t> Store::split_branch(int64_t source_id, const NewOrg& new_branch, const std::vector<int64_t>& member_ids,
                                    const std::string& effective_on) {
  CHIDOAN_TRY_VOID(lock_org(source_id));
  CHIDOAN_TRY(src, org(source_id));
  if (!src.holds_members) return fail(ErrorKind::invalid, "Chỉ tách được chi đoàn", "org_id");
  if (!src.active()) return fail(ErrorKind::invalid, "Chi đoàn đã giải thể", "org_id");
  CHIDOAN_TRY_VOID(check_effective(src, effective_on));
  if (member_ids.empty()) return fail(ErrorKind::invalid, "Chọn ít nhất một đoàn viên chuyển sang chi đoàn mới", "member_ids");
  std::set<int64_t> moving(member_ids.begin(), member_ids.end());
  for (int64_t mid : moving) CHIDOAN_TRY_VOID(lock_member(mid));
  NewOrg in = new_branch;
  if (!in.parent_id) in.parent_id = src.parent_id;
  if (in.level_id == 0) in.level_id = src.level_id;
  if (in.founded_on.empty()) in.founded_on = effective_on;
  CHIDOAN_TRY(id, create_org(in));
  for (int64_t mid : moving) {
    auto m = member(mid);
    if (!m || m->branch_id != source_id || m->status != "active")
      return fail(ErrorKind::invalid, "Đoàn viên #" + std::to_string(mid) + " không sinh hoạt tại chi đoàn này", "member_ids");
    CHIDOAN_TRY_VOID(move_member(mid, source_id, id, effective_on, "split_move", "split_move", "", true));
  }
  CHIDOAN_TRY_VOID(add_org_event(OrgEvent{0, source_id, "split", effective_on, id, "", std::to_string(moving.size()), ""}));
  return id;
}

Result<void> Store::merge_branch(int64_t from_id, int64_t into_id, const std::string& effective_on) {
  CHIDOAN_TRY_VOID(lock_org(std::min(from_id, into_id)));
  if (into_id != from_id) CHIDOAN_TRY_VOID(lock_org(std::max(from_id, into_id)));
  CHIDOAN_TRY(from, org(from_id));
  auto into = org(into_id);
  if (!into) return fail(ErrorKind::invalid, "Chi đoàn nhận không tồn tại", "into_id");
  if (!from.holds_members || !into->holds_members) return fail(ErrorKind::invalid, "Chỉ hợp nhất được các chi đoàn", "into_id");
  if (!from.active() || !into->active()) return fail(ErrorKind::invalid, "Chi đoàn đã giải thể hoặc hợp nhất", "into_id");
  if (from_id == into_id) return fail(ErrorKind::invalid, "Không thể hợp nhất chi đoàn với chính nó", "into_id");
  CHIDOAN_TRY_VOID(check_effective(from, effective_on));
  CHIDOAN_TRY_VOID(check_effective(*into, effective_on));
  // Nobody joins the branch meanwhile (adding a member locks it); each member is read again once
  // locked, as one leaving meanwhile has left.
  CHIDOAN_TRY(rows, db_.query("SELECT id FROM members WHERE branch_id = ?1 AND status = 'active' ORDER BY id", {from_id}));
  for (const auto& r : rows) {
    CHIDOAN_TRY_VOID(lock_member(r.i64(0)));
    CHIDOAN_TRY(m, member(r.i64(0)));
    if (m.branch_id != from_id || m.status != "active") continue;
    CHIDOAN_TRY_VOID(move_member(m.id, from_id, into_id, effective_on, "transfer_out", "transfer_in", "Hợp nhất chi đoàn", true));
  }
  CHIDOAN_TRY_VOID(db_.execute("UPDATE orgs SET status = 'merged', ended_on = ?1 WHERE id = ?2", {effective_on, from_id}));
  CHIDOAN_TRY_VOID(add_org_event(OrgEvent{0, from_id, "merge", effective_on, into_id, "", "", ""}));
  return {};
}

Result<void> Store::dissolve_org(int64_t id, const std::string& effective_on, const std::string& reason) {
  CHIDOAN_TRY_VOID(lock_org(id));
  CHIDOAN_TRY(o, org(id));
  if (!o.active()) return fail(ErrorKind::conflict, "Tổ chức đã giải thể hoặc hợp nhất", "org_id");
  CHIDOAN_TRY_VOID(check_effective(o, effective_on));
  CHIDOAN_TRY(children, db_.query_one("SELECT COUNT(*) FROM orgs WHERE parent_id = ?1 AND status = 'active'", {id}));
  if (children->i64(0) > 0) return fail(ErrorKind::conflict, "Tổ chức còn tổ chức cấp dưới đang hoạt động", "org_id");
  CHIDOAN_TRY(members_left, db_.query_one("SELECT COUNT(*) FROM members WHERE branch_id = ?1 AND status = 'active'", {id}));
  if (members_left->i64(0) > 0)
    return fail(ErrorKind::conflict, "Chi đoàn còn " + std::to_string(members_left->i64(0)) + " đoàn viên: chuyển sinh hoạt trước khi giải thể", "org_id");
  CHIDOAN_TRY_VOID(db_.execute("UPDATE orgs SET status = 'dissolved', ended_on = ?1 WHERE id = ?2", {effective_on, id}));
  CHIDOAN_TRY_VOID(add_org_event(OrgEvent{0, id, "dissolve", effective_on, std::nullopt, "", "", reason}));
  return {};
}

Result<std::vector<OrgEvent>> Store::org_events(int64_t id) {
  CHIDOAN_TRY(rows, db_.query("SELECT id, org_id, kind, effective_on, related_org_id, COALESCE(old_value, ''), "
                              "COALESCE(new_value, ''), note FROM org_events WHERE org_id = ?1 OR related_org_id = ?1 "
                              "ORDER BY effective_on, id",
                              {id}));
  std::vector<OrgEvent> out;
  for (const auto& r : rows)
    out.push_back(OrgEvent{r.i64(0), r.i64(1), r.str(2), r.str(3), r.opt_i64(4), r.str(5), r.str(6), r.str(7)});
  return out;
}

Result<std::string> Store::org_name_on(int64_t id, const std::string& date) {
  CHIDOAN_TRY(o, org(id));
  CHIDOAN_TRY(rows, db_.query("SELECT effective_on, COALESCE(old_value, '') FROM org_events "
                              "WHERE org_id = ?1 AND kind = 'rename' AND effective_on > ?2 ORDER BY effective_on, id LIMIT 1",
                              {id, date}));
  // The first rename after the date tells the name the org had then.
  if (!rows.empty() && !rows[0].str(1).empty()) return rows[0].str(1);
  return o.name;
}

Result<int64_t> Store::member_count(int64_t org_id, const std::string& as_of) {
  CHIDOAN_TRY(o, org(org_id));
  return member_count(o, as_of);
}

// The stays that cover `as_of`. A branch's are counted (member_periods_branch: its own stays,
// whatever the day). A larger subtree's are the open stays (kept by branch in open_stays,
// migration 0026) less those that begin after the day, plus the closed ones that began by it
// and end after it. The corrections read the stays dated after the day through
// member_periods_open_from and member_periods_closing: for today, none unless something was
// recorded ahead (the pages' counts); for a day long past, as many as have changed since, in
// the whole nation. CROSS JOIN keeps SQLite from starting at the subtree's branches and reading
// each one's stays instead (PostgreSQL plans it as a join, from its statistics).
Result<int64_t> Store::member_count(const Org& o, const std::string& as_of) {
  if (o.holds_members) {
    CHIDOAN_TRY(row, db_.query_one("SELECT COUNT(*) FROM member_periods "
                                   "WHERE branch_id = ?1 AND from_on <= ?2 AND (to_on IS NULL OR to_on > ?2)",
                                   {o.id, as_of}));
    return row->i64(0);
  }
  CHIDOAN_TRY(row, db_.query_one(
                       "SELECT (SELECT COALESCE(SUM(s.stays), 0) FROM orgs o JOIN open_stays s ON s.branch_id = o.id "
                       "        WHERE o.path >= ?1 AND o.path < ?3)"
                       " - (SELECT COUNT(*) FROM member_periods p CROSS JOIN orgs o "
                       "    WHERE o.id = p.branch_id AND p.to_on IS NULL AND p.from_on > ?2 AND o.path >= ?1 AND o.path < ?3)"
                       " + (SELECT COUNT(*) FROM member_periods p CROSS JOIN orgs o "
                       "    WHERE o.id = p.branch_id AND p.to_on > ?2 AND p.from_on <= ?2 AND o.path >= ?1 AND o.path < ?3)",
                       {o.path, as_of, path_end(o.path)}));
  return row->i64(0);
}

// ---- units ----

Result<std::vector<Unit>> Store::units(int64_t org_id) {
  CHIDOAN_TRY(rows, db_.query("SELECT id, org_id, name, position FROM units WHERE org_id = ?1 ORDER BY position, id", {org_id}));
  std::vector<Unit> out;
  for (const auto& r : rows) out.push_back(Unit{r.i64(0), r.i64(1), r.str(2), r.i64(3)});
  return out;
}

Result<int64_t> Store::add_unit(int64_t org_id, const std::string& raw_name) {
  CHIDOAN_TRY(name, text::normalize(raw_name));
  if (name.empty()) return fail(ErrorKind::invalid, "Tên đơn vị không được để trống", "name");
  CHIDOAN_TRY(o, org(org_id));
  CHIDOAN_TRY(pos, db_.query_one("SELECT COALESCE(MAX(position), 0) + 1 FROM units WHERE org_id = ?1", {o.id}));
  auto id = db_.insert_id("INSERT INTO units (org_id, name, position) VALUES (?1, ?2, ?3) RETURNING id", {o.id, name, pos->i64(0)});
  if (!id && id.error().kind == ErrorKind::conflict) return fail(ErrorKind::conflict, "Đơn vị \"" + name + "\" đã có", "name");
  return id;
}

// ---- members ----

// The list is in (sort_key, id) order, a page at a time, with the number of matches; counting
// stops after count_cap + 1 matches (MemberPage::total_is_lower_bound).
//
// A search in a scope larger than one branch goes through member_names (migration 0018): the
// distinct names matching the pattern, walked in sort order a chunk at a time (a few names,
// then more: chunk, 4 × chunk, …), and for each chunk the members bearing those names in the
// scope, through members_sort, until the page (offset + limit rows) is full. The names are few
// (a name is borne by dozens of members), so this reads the matching names once and only as
// many members as the page shows — whether the matches are spread through the order
// ("nguyen") or sit in one block late in it ("trang", a given name). Everything else (one
// branch, history, no search) is one plain query.
Result<MemberPage> Store::members(const Org& scope, const MemberQuery& q, Date today) {
  const bool history = !q.as_of.empty();
  const bool search = !q.q.empty() && !history && !scope.holds_members;
  if (search && db_.engine() == db::Engine::postgres && !db_.in_transaction()) {
    // Plans made for each call's keys: the statements are prepared once per connection and
    // PostgreSQL would, after five runs, settle on a generic plan for an IN list of unknown
    // keys — a scan of the members table. SET LOCAL lasts for this transaction only, in which
    // this function runs again (and takes the branch below).
    MemberPage page;
    CHIDOAN_TRY_VOID(db_.transaction([&]() -> Result<void> {
      CHIDOAN_TRY_VOID(db_.exec_script("SET LOCAL plan_cache_mode = force_custom_plan"));
      CHIDOAN_TRY(p, members(scope, q, today));
      page = std::move(p);
      return {};
    }));
    return page;
  }
  const std::string path_end = Store::path_end(scope.path);
  // The national level's subtree is every org: no join with orgs, no filter (at the top, joining
  // 100,000 orgs to each row costs more than the search).
  bool everything = false;
  if (!history && !scope.holds_members) {
    CHIDOAN_TRY(all, covers_everything(scope.path));
    everything = all;
  }
  // The filters shared by every query below, after `first` parameters of the query's own.
  auto filters = [&](size_t first) {
    Where w;
    w.params.resize(first);
    if (history) {
      w.add("o.path LIKE #", scope.path + "%");
      w.add("p.from_on <= #", q.as_of);
      w.add("(p.to_on IS NULL OR p.to_on > #)", q.as_of);
    } else {
      if (scope.holds_members) {
        w.add("m.branch_id = #", scope.id);
      } else if (!everything) {
        // The subtree as a range of paths (path_end): the same rows as LIKE '/1/5/%'.
        w.add("o.path >= #", scope.path);
        w.add("o.path < #", path_end);
      }
      if (q.status != "all") w.add("m.status = #", q.status);
    }
    if (!q.q.empty()) w.add("m.search_text LIKE # ESCAPE '\\'", text::search_pattern(q.q));
    if (q.unit_id) w.add("m.unit_id = #", *q.unit_id);
    if (q.due_for_maturity) w.add("m.birth_date < #", to_iso(add_years(today, -30)));
    return w;
  };
  auto params_of = [](Where& w, std::vector<Value> own) {
    std::vector<Value> p = std::move(w.params);
    for (size_t k = 0; k < own.size(); ++k) p[k] = std::move(own[k]);
    return p;
  };
  std::string from;
  if (history) from = " FROM member_periods p JOIN members m ON m.id = p.member_id JOIN orgs o ON o.id = p.branch_id";
  else if (scope.holds_members || everything) from = " FROM members m";
  // A search reads members by name first: SQLite's CROSS JOIN keeps that order of the loops
  // (it might otherwise start from the scope's orgs and read all their members).
  else if (search && db_.engine() == db::Engine::sqlite) from = " FROM members m CROSS JOIN orgs o ON o.id = m.branch_id";
  else from = " FROM members m JOIN orgs o ON o.id = m.branch_id";

  MemberPage page;
  // A search across a province or the nation counts fewer: nobody reads a thousand search
  // results, and counting them is most of the time a common name's search takes.
  const int64_t cap = search ? limits_.search_cap : limits_.count_cap;
  if (!search) {
    Where w = filters(0);
    auto params = w.params;
    std::string limit = "?" + std::to_string(params.size() + 1), offset = "?" + std::to_string(params.size() + 2);
    params.push_back(q.limit);
    params.push_back(q.offset);
    CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kMemberColumns + from + " LEFT JOIN units u ON u.id = m.unit_id WHERE 1 = 1" +
                                    w.sql + " ORDER BY m.sort_key, m.id LIMIT " + limit + " OFFSET " + offset,
                                params));
    page.items.reserve(rows.size());
    for (const auto& r : rows) page.items.push_back(member_from(r));
    const auto n = static_cast<int64_t>(page.items.size());
    // A page that is not full tells the total (unless it is past the end); otherwise count.
    if (n < q.limit && (q.offset == 0 || n > 0)) {
      page.total = q.offset + n;
    } else {
      auto cparams = w.params;
      cparams.push_back(cap + 1);
      CHIDOAN_TRY(count, db_.query_one("SELECT COUNT(*) FROM (SELECT 1" + from + " WHERE 1 = 1" + w.sql + " LIMIT ?" +
                                           std::to_string(cparams.size()) + ") t",
                                       cparams));
      page.total = count->i64(0);
      if (page.total > cap) {
        page.total = std::max(cap, q.offset + n);
        page.total_is_lower_bound = true;
      }
    }
  } else {
    // PostgreSQL reads the names through their trigram index, which it reads by bitmap only, and
    // the members through members_sort, in its order — but it takes the bearers of a chunk's
    // names who also match the pattern for one row (the LIKE on the folded name, which every
    // bearer matches, looks rare to it), and would then fetch all of them by bitmap and sort
    // them rather than read members_sort in order and stop at the page's end: 68 ms against
    // 2 ms for "thị tâm" and its 4,809 bearers on the nation's data. So bitmaps are off for the
    // members' statements, on for the names', and on again at the end (SET LOCAL: this
    // transaction only).
    bool bitmaps = true;
    auto use_bitmaps = [&](bool on) -> Result<void> {
      if (db_.engine() != db::Engine::postgres || on == bitmaps) return {};
      bitmaps = on;
      return db_.exec_script(on ? "SET LOCAL enable_bitmapscan = on" : "SET LOCAL enable_bitmapscan = off");
    };
    // The names, a chunk at a time, after the last sort key seen.
    const std::string pattern = text::search_pattern(q.q);
    std::optional<std::string> after;
    bool names_done = false;
    int64_t chunk = limits_.first_chunk;
    auto next_names = [&]() -> Result<std::vector<std::string>> {
      std::vector<std::string> keys;
      if (names_done) return keys;
      CHIDOAN_TRY_VOID(use_bitmaps(true));
      CHIDOAN_TRY(rows, after ? db_.query("SELECT sort_key FROM member_names WHERE search_text LIKE ?1 ESCAPE '\\' AND sort_key > ?2 "
                                          "ORDER BY sort_key LIMIT ?3",
                                          {pattern, *after, chunk})
                              : db_.query("SELECT sort_key FROM member_names WHERE search_text LIKE ?1 ESCAPE '\\' "
                                          "ORDER BY sort_key LIMIT ?2",
                                          {pattern, chunk}));
      names_done = static_cast<int64_t>(rows.size()) < chunk;
      for (const auto& r : rows)
        if (keys.empty() || keys.back() != r.str(0)) keys.push_back(r.str(0));
      if (!rows.empty()) after = rows.back().str(0);
      // As many keys as the chunk's size (the last one repeated): the statements below are
      // prepared and kept per connection by their text, so their IN lists come in a few lengths
      // only, not in every length from 1 to 1,024.
      if (!keys.empty()) keys.resize(static_cast<size_t>(chunk), keys.back());
      chunk = std::min<int64_t>(chunk * 4, 1024);
      return keys;
    };
    // `m.sort_key IN (…)` for a chunk: its own parameters come first.
    auto in_list = [](size_t n) {
      std::string s = "m.sort_key IN (";
      for (size_t k = 0; k < n; ++k) s += (k ? ",?" : "?") + std::to_string(k + 1);
      return s + ")";
    };
    // The page is read from the start of the matches, so how deep a search may page is bounded
    // (an offset of a billion would read the whole nation): its first `cap` matches, which is also
    // as far as it counts.
    if (q.offset >= cap)
      return fail(ErrorKind::invalid,
                  "Tìm kiếm trong nhiều chi đoàn chỉ xem được " + text::format_int(cap) +
                      " kết quả đầu: hãy gõ thêm tên để thu hẹp, hoặc tìm trong một chi đoàn",
                  "offset");
    const int64_t want = q.offset + q.limit;
    std::vector<Member> got;
    int64_t counted = 0;       // matches seen, while counting past the page
    int64_t counting_names = 0;  // names read only to count
    while (true) {
      CHIDOAN_TRY(keys, next_names());
      if (keys.empty()) break;
      // Counting has its own budget: in a small part of the nation (a province) most bearers of
      // a common name are elsewhere, and an exact count could read a million members. Past
      // limits_.count_names names the total is what was counted, "at least".
      if (static_cast<int64_t>(got.size()) >= want && (counting_names += static_cast<int64_t>(keys.size())) > limits_.count_names) {
        page.total_is_lower_bound = true;
        break;
      }
      Where w = filters(keys.size());
      std::vector<Value> own(keys.begin(), keys.end());
      auto params = params_of(w, own);
      const int64_t collected = static_cast<int64_t>(got.size());
      CHIDOAN_TRY_VOID(use_bitmaps(false));
      if (collected < want) {
        params.push_back(want - collected);
        CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kMemberColumns + from + " LEFT JOIN units u ON u.id = m.unit_id WHERE " +
                                        in_list(keys.size()) + w.sql + " ORDER BY m.sort_key, m.id LIMIT ?" +
                                        std::to_string(params.size()),
                                    params));
        for (const auto& r : rows) got.push_back(member_from(r));
        counted = static_cast<int64_t>(got.size());
        // A chunk that did not fill the page may still have more rows than the limit let through.
        if (static_cast<int64_t>(rows.size()) == want - collected) {
          // The page is full; the rest of this chunk is counted with the chunks after it.
          params.back() = Value(cap + 1);
          CHIDOAN_TRY(n, db_.query_one("SELECT COUNT(*) FROM (SELECT 1" + from + " WHERE " + in_list(keys.size()) + w.sql +
                                           " LIMIT ?" + std::to_string(params.size()) + ") t",
                                       params));
          counted = collected + n->i64(0);
        }
      } else {
        params.push_back(cap + 1 - counted);
        CHIDOAN_TRY(n, db_.query_one("SELECT COUNT(*) FROM (SELECT 1" + from + " WHERE " + in_list(keys.size()) + w.sql + " LIMIT ?" +
                                         std::to_string(params.size()) + ") t",
                                     params));
        counted += n->i64(0);
      }
      // Past the cap with the page full: "at least cap". (While the page is not full, every
      // match is read anyway, so a short last page tells the exact total.)
      if (static_cast<int64_t>(got.size()) >= want && counted > cap) break;
    }
    CHIDOAN_TRY_VOID(use_bitmaps(true));
    const auto from_row = std::min<int64_t>(q.offset, static_cast<int64_t>(got.size()));
    page.items.assign(std::make_move_iterator(got.begin() + from_row), std::make_move_iterator(got.end()));
    page.total = counted;
    if (counted > cap && static_cast<int64_t>(got.size()) >= want) page.total_is_lower_bound = true;
    if (page.total_is_lower_bound) {
      // Whether the cap or the names' budget stopped the count: at least what the page shows.
      page.total = std::max(std::min(page.total, cap), q.offset + static_cast<int64_t>(page.items.size()));
    }
  }
  return page;
}

Result<Member> Store::member(int64_t id) {
  CHIDOAN_TRY(row, db_.query_one(std::string("SELECT ") + kMemberColumns +
                                     " FROM members m LEFT JOIN units u ON u.id = m.unit_id WHERE m.id = ?1",
                                 {id}));
  if (!row) return fail(ErrorKind::not_found, "Không tìm thấy đoàn viên", "member_id");
  return member_from(*row);
}

Result<std::optional<int64_t>> Store::member_by_cccd(const std::string& cccd) {
  CHIDOAN_TRY(row, db_.query_one("SELECT id FROM members WHERE cccd = ?1", {cccd}));
  if (!row) return std::optional<int64_t>();
  return std::optional<int64_t>(row->i64(0));
}

Result<std::set<std::string>> Store::cccds_in_use(std::span<const std::string> cccds) {
  std::set<std::string> used;
  CHIDOAN_TRY_VOID(db::bulk::select_in(db_, "SELECT cccd FROM members WHERE cccd IN ", {}, cccds,
                                       [&](const Row& r) { used.insert(r.str(0)); }));
  return used;
}

Result<void> Store::check_member_refs(int64_t branch_id, const MemberInput& in, std::optional<int64_t> self) {
  if (in.unit_id) {
    CHIDOAN_TRY(u, db_.query_one("SELECT org_id FROM units WHERE id = ?1", {*in.unit_id}));
    if (!u || u->i64(0) != branch_id) return unit_not_in_branch();
  }
  if (!in.cccd.empty()) {
    CHIDOAN_TRY(other, member_by_cccd(in.cccd));
    if (other && other != self) return cccd_in_use();
  }
  return {};
}

Result<void> Store::check_member_branch(int64_t branch_id) {
  CHIDOAN_TRY_VOID(lock_org(branch_id));  // not merged or dissolved until this member is in
  CHIDOAN_TRY(branch, org(branch_id));
  if (!branch.holds_members) return fail(ErrorKind::invalid, "Chỉ thêm đoàn viên vào chi đoàn", "org_id");
  if (!branch.active()) return fail(ErrorKind::invalid, "Chi đoàn \"" + branch.name + "\" đã giải thể hoặc hợp nhất", "org_id");
  return {};
}

Result<int64_t> Store::insert_member(int64_t branch_id, const MemberInput& in, const std::string& status) {
  static const std::string sql = insert_one("members", kMemberInsertColumns, kMemberInsertCount, " RETURNING id");
  std::vector<Value> values;
  append_member_values(values, branch_id, in, status, now());
  return db_.insert_id(sql, values);
}

Result<int64_t> Store::add_member(int64_t branch_id, const MemberInput& in) {
  CHIDOAN_TRY_VOID(check_member_branch(branch_id));
  CHIDOAN_TRY_VOID(check_member_refs(branch_id, in, std::nullopt));
  CHIDOAN_TRY(id, insert_member(branch_id, in, "active"));
  CHIDOAN_TRY_VOID(add_period(id, first_period(branch_id, in)));
  CHIDOAN_TRY_VOID(add_member_event(first_event(id, branch_id, in)));
  return id;
}

// add_member for each input, in order, in a few statements: the branch and its units read once,
// the CCCDs looked up in chunks, then the members (with ids reserved ahead, so that their stays
// and events can name them), the stays and the events, each a multi-row INSERT.
Result<std::vector<int64_t>> Store::add_members(int64_t branch_id, std::span<const MemberInput> in, size_t* failed) {
  if (failed) *failed = 0;
  std::vector<int64_t> ids;
  if (in.empty()) return ids;
  CHIDOAN_TRY_VOID(check_member_branch(branch_id));
  CHIDOAN_TRY(units, this->units(branch_id));
  std::set<int64_t> unit_ids;
  for (const auto& u : units) unit_ids.insert(u.id);
  std::vector<std::string> cccds;
  for (const auto& m : in)
    if (!m.cccd.empty()) cccds.push_back(m.cccd);
  // Those in the database, then each one as it is taken (a second use in the batch is refused
  // like a second add_member would be).
  CHIDOAN_TRY(taken, cccds_in_use(cccds));
  for (size_t i = 0; i < in.size(); ++i) {
    const bool unit_ok = !in[i].unit_id || unit_ids.contains(*in[i].unit_id);
    const bool cccd_ok = unit_ok && (in[i].cccd.empty() || taken.insert(in[i].cccd).second);
    if (!unit_ok || !cccd_ok) {
      if (failed) *failed = i;
      return unit_ok ? cccd_in_use() : unit_not_in_branch();
    }
  }
  CHIDOAN_TRY(reserved, db::bulk::reserve_ids(db_, "members", in.size()));
  ids = std::move(reserved);
  // ~2,000 parameters a statement: fewer rows a statement than the generators' 8,000 cost nothing
  // here, and each text SQLite prepares (full batches, the last one) costs 16 times less.
  auto insert_all = [&](const std::string& table_and_columns, size_t ncols, const std::vector<Value>& values) {
    return db::bulk::insert_rows(db_, "INSERT INTO " + table_and_columns + " VALUES ", ncols, values, db::bulk::batch_for(ncols, 2000));
  };
  const int64_t at = now();
  std::vector<Value> values;
  values.reserve(in.size() * (kMemberInsertCount + 1));
  for (size_t i = 0; i < in.size(); ++i) {
    values.emplace_back(ids[i]);
    append_member_values(values, branch_id, in[i], "active", at);
  }
  CHIDOAN_TRY_VOID(insert_all(std::string("members (id, ") + kMemberInsertColumns + ")", kMemberInsertCount + 1, values));
  values.clear();
  for (size_t i = 0; i < in.size(); ++i) append_period_values(values, ids[i], first_period(branch_id, in[i]));
  CHIDOAN_TRY_VOID(insert_all(std::string("member_periods (") + kPeriodColumns + ")", kPeriodCount, values));
  values.clear();
  for (size_t i = 0; i < in.size(); ++i) append_event_values(values, first_event(ids[i], branch_id, in[i]), at);
  CHIDOAN_TRY_VOID(insert_all(std::string("member_events (") + kEventColumns + ")", kEventCount, values));
  return ids;
}

Result<void> Store::update_member(int64_t id, const MemberInput& in) {
  CHIDOAN_TRY_VOID(lock_member(id));  // not against the branch a transfer is taking them out of
  CHIDOAN_TRY(m, member(id));
  CHIDOAN_TRY_VOID(check_member_refs(m.branch_id, in, id));
  Member tmp{.family_name = in.family_name, .middle_name = in.middle_name, .given_name = in.given_name};
  CHIDOAN_TRY_VOID(db_.execute(
      "UPDATE members SET family_name = ?1, middle_name = ?2, given_name = ?3, sort_key = ?4, search_text = ?5, "
      "sex = ?6, birth_date = ?7, cccd = ?8, phone = ?9, email = ?10, joined_union_on = ?11, card_number = ?12, "
      "unit_id = ?13, committee_role = ?14, updated_at = ?15 WHERE id = ?16",
      {in.family_name, in.middle_name, in.given_name, text::name_sort_key(in.family_name, in.middle_name, in.given_name),
       text::search_fold(tmp.full_name()), in.sex, in.birth_date, db::nullable(in.cccd), db::nullable(in.phone), db::nullable(in.email),
       db::nullable(in.joined_union_on), db::nullable(in.card_number), db::nullable(in.unit_id), in.committee_role, now(), id}));
  return {};
}

Result<void> Store::apply_lifecycle(int64_t member_id, rules::Lifecycle action, const std::string& effective_on,
                                    const std::string& reason, std::optional<int64_t> target_branch_id, Date today) {
  if (target_branch_id) CHIDOAN_TRY_VOID(lock_org(*target_branch_id));
  CHIDOAN_TRY_VOID(lock_member(member_id));
  CHIDOAN_TRY(m, member(member_id));
  auto effective = parse_date(effective_on);
  if (!effective) return fail(ErrorKind::invalid, "Ngày hiệu lực không hợp lệ", "effective_on");
  std::optional<Org> target;
  if (target_branch_id) {
    auto t = org(*target_branch_id);
    if (!t) return fail(ErrorKind::invalid, "Chi đoàn chuyển đến không tồn tại", "target_branch_id");
    target = *t;
  }
  CHIDOAN_TRY_VOID(rules::check_lifecycle(action, m, *effective, today, reason, target ? &*target : nullptr));
  if (target && !target->founded_on.empty() && effective_on < target->founded_on)
    return fail(ErrorKind::invalid, "Ngày chuyển trước ngày thành lập " + target->name + " (" + text::format_date(target->founded_on) + ")", "effective_on");
  using rules::Lifecycle;
  if (action == Lifecycle::transfer) {
    return move_member(member_id, m.branch_id, target->id, effective_on, "transfer_out", "transfer_in", reason, false);
  }
  const char* status = action == Lifecycle::transfer_out ? "transferred_out" : action == Lifecycle::mature ? "matured" : "removed";
  const char* kind = action == Lifecycle::transfer_out ? "transfer_out" : action == Lifecycle::mature ? "mature" : "remove";
  CHIDOAN_TRY_VOID(close_period(member_id, effective_on));
  CHIDOAN_TRY_VOID(db_.execute("UPDATE members SET status = ?1, updated_at = ?2 WHERE id = ?3", {status, now(), member_id}));
  CHIDOAN_TRY_VOID(add_member_event(MemberEvent{0, member_id, kind, effective_on, m.branch_id, std::nullopt, reason}));
  return follow_member(member_id, m.branch_id, std::nullopt);
}

Result<std::vector<Period>> Store::periods(int64_t member_id) {
  CHIDOAN_TRY(rows, db_.query("SELECT branch_id, from_on, COALESCE(to_on, '') FROM member_periods WHERE member_id = ?1 ORDER BY from_on",
                              {member_id}));
  std::vector<Period> out;
  for (const auto& r : rows) out.push_back(Period{r.i64(0), r.str(1), r.str(2)});
  return out;
}

Result<std::vector<MemberEvent>> Store::member_events(int64_t member_id) {
  CHIDOAN_TRY(rows, db_.query("SELECT id, member_id, kind, effective_on, branch_id, other_branch_id, reason "
                              "FROM member_events WHERE member_id = ?1 ORDER BY effective_on, id",
                              {member_id}));
  std::vector<MemberEvent> out;
  for (const auto& r : rows) out.push_back(MemberEvent{r.i64(0), r.i64(1), r.str(2), r.str(3), r.i64(4), r.opt_i64(5), r.str(6)});
  return out;
}

Result<void> Store::add_period(int64_t member_id, const Period& p) {
  static const std::string sql = insert_one("member_periods", kPeriodColumns, kPeriodCount);
  std::vector<Value> values;
  append_period_values(values, member_id, p);
  CHIDOAN_TRY_VOID(db_.execute(sql, values));
  return {};
}

Result<void> Store::add_member_event(const MemberEvent& e) {
  static const std::string sql = insert_one("member_events", kEventColumns, kEventCount);
  std::vector<Value> values;
  append_event_values(values, e, now());
  CHIDOAN_TRY_VOID(db_.execute(sql, values));
  return {};
}

}  // namespace chidoan::org
