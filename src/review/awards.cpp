#include "review/awards.hpp"

#include <algorithm>
#include <charconv>

#include "org/store.hpp"
#include "platform/core/date.hpp"
#include "platform/core/fields.hpp"
#include "platform/text/text.hpp"

namespace chidoan::review {
namespace {

constexpr size_t kMaxTitleChars = 300, kMaxIssuerChars = 200, kMaxDecisionNoChars = 60, kMaxNoteChars = 1000;
constexpr int64_t kMinYear = 1930, kMaxYear = 2100;

// A whole number written in decimal digits only ("12"), or nullopt.
std::optional<int64_t> whole_number(const std::string& s) {
  if (s.empty() || s.size() > 18 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
  int64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

Result<std::optional<int64_t>> opt_id(const RawFields& raw, const std::string& field, const std::string& message) {
  std::string s = field_of(raw, field);
  if (s.empty()) return std::optional<int64_t>();
  auto v = whole_number(s);
  if (!v || *v <= 0) return fail(ErrorKind::invalid, message, field);
  return v;
}

// The columns of an award read with its recipient's name: a.* then the member's three name parts
// and the recipient org's name.
constexpr const char* kAwardSelect =
    "SELECT a.id, a.org_id, a.member_id, a.recipient_org_id, a.kind, a.title, a.issuer, a.decision_no, a.decision_on, a.year, a.note, "
    "m.family_name, m.middle_name, m.given_name, r.name FROM awards a LEFT JOIN members m ON m.id = a.member_id "
    "LEFT JOIN orgs r ON r.id = a.recipient_org_id ";

Award award_of(const db::Row& r) {
  Award a;
  a.id = r.i64(0);
  a.org_id = r.i64(1);
  a.member_id = r.opt_i64(2);
  a.recipient_org_id = r.opt_i64(3);
  a.kind = r.str(4);
  a.title = r.str(5);
  a.issuer = r.str(6);
  a.decision_no = r.str(7);
  a.decision_on = r.str(8);
  a.year = r.i64(9);
  a.note = r.str(10);
  a.recipient_name = a.member_id ? org::full_name_of(r, 11) : r.str(14);
  return a;
}

}  // namespace

Result<AwardInput> validate_award(const RawFields& raw) {
  AwardInput in;
  CHIDOAN_TRY(member, opt_id(raw, "member_id", "Đoàn viên được khen thưởng không hợp lệ"));
  CHIDOAN_TRY(recipient, opt_id(raw, "recipient_org_id", "Tổ chức được khen thưởng không hợp lệ"));
  if (!member && !recipient) return fail(ErrorKind::invalid, "Chọn đoàn viên hoặc tổ chức được khen thưởng", "member_id");
  if (member && recipient)
    return fail(ErrorKind::invalid, "Chỉ chọn một: đoàn viên hoặc tổ chức được khen thưởng, không chọn cả hai", "recipient_org_id");
  in.member_id = member;
  in.recipient_org_id = recipient;

  in.kind = field_of(raw, "kind");
  if (in.kind.empty()) return fail(ErrorKind::invalid, "Chọn hình thức khen thưởng", "kind");
  if (std::none_of(std::begin(kAwardKinds), std::end(kAwardKinds), [&](const char* k) { return in.kind == k; }))
    return fail(ErrorKind::invalid, "Hình thức khen thưởng không hợp lệ: " + in.kind.substr(0, 40), "kind");

  CHIDOAN_TRY(title, text::clean_field(field_of(raw, "title"), "title", "Nội dung khen thưởng", kMaxTitleChars, false));
  if (title.empty()) return fail(ErrorKind::invalid, "Cần nội dung khen thưởng", "title");
  in.title = title;
  CHIDOAN_TRY(issuer, text::clean_field(field_of(raw, "issuer"), "issuer", "Cấp khen thưởng", kMaxIssuerChars, false));
  if (issuer.empty()) return fail(ErrorKind::invalid, "Cần cấp khen thưởng (cơ quan, tổ chức ra quyết định)", "issuer");
  in.issuer = issuer;
  CHIDOAN_TRY(decision_no, text::clean_field(field_of(raw, "decision_no"), "decision_no", "Số quyết định", kMaxDecisionNoChars, false));
  in.decision_no = decision_no;

  in.decision_on = field_of(raw, "decision_on");
  if (in.decision_on.empty()) return fail(ErrorKind::invalid, "Cần ngày quyết định", "decision_on");
  if (in.decision_on.size() != 10 || !parse_date(in.decision_on))
    return fail(ErrorKind::invalid, "Ngày quyết định phải viết dạng YYYY-MM-DD và là một ngày có thật", "decision_on");

  std::string year = field_of(raw, "year");
  if (year.empty()) return fail(ErrorKind::invalid, "Cần năm khen thưởng", "year");
  auto y = whole_number(year);
  if (!y || *y < kMinYear || *y > kMaxYear)
    return fail(ErrorKind::invalid, "Năm khen thưởng phải là một năm từ 1930 đến 2100", "year");
  in.year = *y;

  CHIDOAN_TRY(note, text::clean_field(field_of(raw, "note"), "note", "Ghi chú", kMaxNoteChars, true));
  in.note = note;
  return in;
}

std::string kind_label(std::string_view kind) {
  if (kind == "certificate_of_merit") return "Bằng khen";
  if (kind == "commendation") return "Giấy khen";
  if (kind == "flag") return "Cờ thi đua";
  if (kind == "title") return "Danh hiệu";
  if (kind == "other") return "Khác";
  return std::string(kind);
}

Result<int64_t> AwardStore::add(int64_t org_id, const AwardInput& in) {
  CHIDOAN_TRY(top, db_.query_one("SELECT id FROM orgs WHERE id = ?1", {org_id}));
  if (!top) return fail(ErrorKind::not_found, "Không tìm thấy tổ chức", "org_id");
  if (in.member_id.has_value() == in.recipient_org_id.has_value())
    return fail(ErrorKind::invalid, "Chọn đoàn viên hoặc tổ chức được khen thưởng (một trong hai)", "member_id");
  if (in.member_id) {
    CHIDOAN_TRY(row, db_.query_one("SELECT m.id FROM members m JOIN orgs o ON o.id = m.branch_id JOIN orgs top ON top.id = ?2 "
                                   "WHERE m.id = ?1 AND o.path LIKE top.path || '%'",
                                   {*in.member_id, org_id}));
    if (!row) return fail(ErrorKind::invalid, "Đoàn viên được khen thưởng không thuộc tổ chức này hoặc các tổ chức trực thuộc", "member_id");
  } else {
    CHIDOAN_TRY(row, db_.query_one("SELECT o.id FROM orgs o JOIN orgs top ON top.id = ?2 WHERE o.id = ?1 AND o.path LIKE top.path || '%'",
                                   {*in.recipient_org_id, org_id}));
    if (!row)
      return fail(ErrorKind::invalid, "Tổ chức được khen thưởng không phải là tổ chức này hoặc một tổ chức trực thuộc", "recipient_org_id");
  }
  return db_.insert_id(
      "INSERT INTO awards (org_id, member_id, recipient_org_id, kind, title, issuer, decision_no, decision_on, year, note, created_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id",
      {org_id, db::nullable(in.member_id), db::nullable(in.recipient_org_id), in.kind, in.title, in.issuer, in.decision_no, in.decision_on,
       in.year, in.note, clock_.unix_seconds()});
}

Result<void> AwardStore::remove(int64_t id) {
  CHIDOAN_TRY(n, db_.execute("DELETE FROM awards WHERE id = ?1", {id}));
  if (n == 0) return fail(ErrorKind::not_found, "Không tìm thấy khen thưởng");
  return {};
}

Result<Award> AwardStore::award(int64_t id) {
  CHIDOAN_TRY(row, db_.query_one(std::string(kAwardSelect) + "WHERE a.id = ?1", {id}));
  if (!row) return fail(ErrorKind::not_found, "Không tìm thấy khen thưởng");
  return award_of(*row);
}

Result<std::vector<Award>> AwardStore::awards(int64_t org_id, std::optional<int64_t> year) {
  std::string sql = std::string(kAwardSelect) +
                    "JOIN orgs o ON o.id = a.org_id JOIN orgs top ON top.id = ?1 WHERE o.path LIKE top.path || '%'";
  std::vector<db::Value> params{org_id};
  if (year) {
    sql += " AND a.year = ?2";
    params.emplace_back(*year);
  }
  sql += " ORDER BY a.decision_on, a.id";
  CHIDOAN_TRY(rows, db_.query(sql, params));
  std::vector<Award> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(award_of(r));
  return out;
}

}  // namespace chidoan::review
