#include "org/import.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "platform/auth/rules.hpp"
#include "platform/text/text.hpp"

namespace chidoan::org {
namespace {

// Folded header -> field. Folding (accents, case, đ) is text::search_fold; punctuation and
// spaces are dropped so "Số CMND/CCCD" and "so cmnd cccd" meet.
const std::map<std::string, std::string, std::less<>>& header_table() {
  static const std::map<std::string, std::string, std::less<>> table = {
      {"hovaten", "full_name"},       {"hoten", "full_name"},          {"fullname", "full_name"},
      {"ho", "family_name"},          {"familyname", "family_name"},   {"tendem", "middle_name"},
      {"dem", "middle_name"},         {"middlename", "middle_name"},   {"ten", "given_name"},
      {"givenname", "given_name"},    {"ngaysinh", "birth_date"},      {"ngaythangnamsinh", "birth_date"},
      {"birthdate", "birth_date"},    {"gioitinh", "sex"},             {"sex", "sex"},
      {"socccd", "cccd"},             {"cccd", "cccd"},                {"socmndcccd", "cccd"},
      {"socancuoccongdan", "cccd"},   {"sodinhdanhcanhan", "cccd"},    {"sodienthoai", "phone"},
      {"dienthoai", "phone"},         {"sdt", "phone"},                {"phone", "phone"},
      {"email", "email"},             {"thudientu", "email"},          {"ngayvaodoan", "joined_union_on"},
      {"ngayketnapdoan", "joined_union_on"}, {"joinedunionon", "joined_union_on"}, {"sothedoan", "card_number"},
      {"sothedoanvien", "card_number"}, {"cardnumber", "card_number"}, {"donvi", "unit"},
      {"donvicongtac", "unit"},       {"unit", "unit"},                {"chucvu", "committee_role"},
      {"chucvudoan", "committee_role"}, {"committeerole", "committee_role"}, {"ngaysinhhoattaichidoan", "branch_since"},
      {"branchsince", "branch_since"},
  };
  return table;
}

std::string squash(std::string_view s) {
  std::string out;
  for (char c : text::search_fold(s))
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out += c;
  return out;
}

// "Bí thư" -> secretary, …; the API names are accepted too.
std::optional<std::string> committee_role(std::string_view raw) {
  std::string s = squash(raw);
  if (s.empty()) return std::string();
  if (s == "bithu" || s == "secretary") return std::string("secretary");
  if (s == "phobithu" || s == "deputysecretary") return std::string("deputy_secretary");
  if (s == "uyvienbch" || s == "uyvien" || s == "committeemember" || s == "bch") return std::string("committee_member");
  if (s == "doanvien" || s == "member") return std::string();
  return std::nullopt;
}

const char* role_label(const std::string& role) {
  if (role == "secretary") return "Bí thư";
  if (role == "deputy_secretary") return "Phó Bí thư";
  if (role == "committee_member") return "Ủy viên BCH";
  return "";
}

}  // namespace

std::string map_header(std::string_view header) {
  auto it = header_table().find(squash(header));
  return it == header_table().end() ? std::string() : it->second;
}

Result<ImportPlan> plan_import(const tabular::Table& table, Store& store, int64_t branch_id, Date today) {
  CHIDOAN_TRY(branch, store.org(branch_id));
  if (!branch.holds_members) return fail(ErrorKind::invalid, "Chỉ nhập đoàn viên vào chi đoàn", "org_id");
  if (!branch.active()) return fail(ErrorKind::invalid, "Chi đoàn đã giải thể hoặc hợp nhất", "org_id");
  ImportPlan plan;
  std::set<std::string> seen;
  for (const auto& h : table.header) {
    std::string f = map_header(h);
    if (f.empty() && !squash(h).empty() && squash(h) != "stt") plan.ignored_headers.push_back(h);
    if (!f.empty() && !seen.insert(f).second) return fail(ErrorKind::invalid, "Cột \"" + h + "\" bị lặp", "file");
    plan.columns.push_back(f);
  }
  bool has_full = seen.contains("full_name"), has_parts = seen.contains("given_name");
  if (!has_full && !has_parts) return fail(ErrorKind::invalid, "Tệp thiếu cột \"Họ và tên\"", "file");
  if (!seen.contains("birth_date")) return fail(ErrorKind::invalid, "Tệp thiếu cột \"Ngày sinh\"", "file");
  if (!seen.contains("sex")) return fail(ErrorKind::invalid, "Tệp thiếu cột \"Giới tính\"", "file");
  if (table.rows.empty()) return fail(ErrorKind::invalid, "Tệp không có dòng dữ liệu nào", "file");

  CHIDOAN_TRY(units, store.units(branch_id));
  std::map<std::string, int64_t> unit_ids;
  for (const auto& u : units) unit_ids[squash(u.name)] = u.id;

  std::map<std::string, size_t> cccd_lines;
  for (size_t i = 0; i < table.rows.size(); ++i) {
    ImportRow row;
    row.line = i < table.row_numbers.size() ? table.row_numbers[i] : i + 2;
    const auto& cells = table.rows[i];
    std::string unit_name, role_raw;
    for (size_t c = 0; c < plan.columns.size() && c < cells.size(); ++c) {
      const std::string& f = plan.columns[c];
      if (f == "full_name") {
        auto parts = rules::split_full_name(cells[c]);
        row.raw["family_name"] = parts.family;
        row.raw["middle_name"] = parts.middle;
        row.raw["given_name"] = parts.given;
      } else if (f == "unit") {
        unit_name = cells[c];
      } else if (f == "committee_role") {
        role_raw = cells[c];
      } else if (!f.empty()) {
        row.raw[f] = cells[c];
      }
    }
    auto fail_row = [&](std::string field, std::string message) {
      row.error = Error{ErrorKind::invalid, std::move(message), std::move(field)};
    };
    if (!unit_name.empty()) {
      auto it = unit_ids.find(squash(unit_name));
      if (it == unit_ids.end()) fail_row("unit", "Không có đơn vị \"" + unit_name + "\" trong chi đoàn");
      else row.raw["unit_id"] = std::to_string(it->second);
    }
    if (!row.error) {
      auto role = committee_role(role_raw);
      if (!role) fail_row("committee_role", "Chức vụ \"" + role_raw + "\" không hợp lệ");
      else row.raw["committee_role"] = *role;
    }
    if (!row.error) {
      auto input = rules::validate_member(row.raw, today);
      if (!input) {
        row.error = input.error();
      } else if (!input->cccd.empty()) {
        auto [it, fresh] = cccd_lines.emplace(input->cccd, row.line);
        if (!fresh) fail_row("cccd", "Số CCCD trùng với dòng " + std::to_string(it->second));
        else row.input = *input;  // unless the database has it (below)
      } else {
        row.input = *input;
      }
    }
    plan.rows.push_back(std::move(row));
  }
  // The CCCDs first seen in the file, against the database at once.
  std::vector<std::string> cccds;
  for (const auto& row : plan.rows)
    if (row.input && !row.input->cccd.empty()) cccds.push_back(row.input->cccd);
  CHIDOAN_TRY(in_use, store.cccds_in_use(cccds));
  for (auto& row : plan.rows) {
    if (row.input && in_use.contains(row.input->cccd)) {
      row.input.reset();
      row.error = Error{ErrorKind::invalid, "Số CCCD đã có trong danh sách đoàn viên", "cccd"};
    }
    if (row.error) ++plan.bad;
  }
  return plan;
}

Result<size_t> commit_import(const ImportPlan& plan, Store& store, int64_t branch_id,
                             const std::function<void(size_t, size_t)>& progress) {
  if (!plan.ok()) return fail(ErrorKind::invalid, "Tệp còn " + std::to_string(plan.bad) + " dòng lỗi: không nhập dòng nào", "file");
  size_t done = 0;
  std::vector<MemberInput> batch;
  while (done < plan.rows.size()) {
    const size_t n = std::min(kImportBatch, plan.rows.size() - done);
    batch.clear();
    for (size_t i = done; i < done + n; ++i) batch.push_back(*plan.rows[i].input);
    size_t failed = 0;
    auto ids = store.add_members(branch_id, batch, &failed);
    if (!ids) {
      Error e = ids.error();
      e.message = "Dòng " + std::to_string(plan.rows[done + failed].line) + ": " + e.message;
      return std::unexpected(e);
    }
    done += n;
    if (progress) progress(done, plan.rows.size());
  }
  return done;
}

std::string file_fingerprint(std::string_view data) { return auth::token_hash(data); }

namespace {
// "14:05 ngày 28/11/2026", Vietnam's time.
std::string when(int64_t unix_seconds) {
  const std::string t = local_time(unix_seconds);
  return t.substr(11, 5) + " ngày " + text::format_date(t.substr(0, 10));
}
}  // namespace

Result<void> check_not_imported(Store& store, db::Connection& conn, int64_t branch_id, const std::string& fingerprint) {
  CHIDOAN_TRY_VOID(store.lock_roll(branch_id));
  // The branch's imports are few: their audit entries are read by the entity's index.
  CHIDOAN_TRY(rows, conn.query("SELECT at, detail FROM audit_log WHERE entity = 'org' AND entity_id = ?1 AND action = 'import' ORDER BY id",
                               {branch_id}));
  for (const auto& r : rows) {
    auto detail = nlohmann::json::parse(r.str(1), nullptr, false);
    if (!detail.is_object() || detail.value("sha256", std::string()) != fingerprint) continue;
    return fail(ErrorKind::conflict,
                "Tệp này đã được nhập vào chi đoàn (" + std::to_string(detail.value("rows", int64_t{0})) + " đoàn viên, " +
                    "lúc " + when(r.i64(0)) + "): không nhập lần nữa",
                "file");
  }
  return {};
}

Result<tabular::Table> export_table(Store& store, const Org& org, Date today, int64_t page_size) {
  tabular::Table t;
  t.header = {"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Số điện thoại", "Email",
              "Ngày vào Đoàn", "Số thẻ đoàn", "Đơn vị công tác", "Chức vụ"};
  MemberQuery q;
  q.limit = page_size;
  for (q.offset = 0;; q.offset += q.limit) {
    CHIDOAN_TRY(page, store.members(org, q, today));
    for (const auto& m : page.items) {
      t.rows.push_back({std::to_string(t.rows.size() + 1), m.full_name(), text::format_date(m.birth_date),
                        m.sex == "female" ? "Nữ" : "Nam", m.cccd, m.phone, m.email, text::format_date(m.joined_union_on),
                        m.card_number, m.unit_name, role_label(m.committee_role)});
    }
    // Until a page comes back short: past kMemberCountCap the page's total is only a lower bound.
    if (static_cast<int64_t>(page.items.size()) < q.limit) break;
  }
  return t;
}

}  // namespace chidoan::org
