#include "org/rules.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

#include "platform/text/text.hpp"

namespace chidoan::org::rules {
namespace {

constexpr std::array<std::string_view, 13> kMemberFields = {
    "family_name", "middle_name", "given_name", "sex", "birth_date", "cccd", "phone",
    "email", "joined_union_on", "card_number", "branch_since", "unit_id", "committee_role"};

// Province codes that open a CCCD (Circular 07/2016/TT-BCA, annex; kept by 59/2021/TT-BCA).
constexpr std::array<int, 63> kProvinceCodes = {
    1,  2,  4,  6,  8,  10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33,
    34, 35, 36, 37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66,
    67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96};

Result<std::string> clean(const RawFields& raw, std::string_view field) {
  auto n = text::normalize(field_of(raw, field));
  if (!n) return fail(ErrorKind::invalid, n.error().message, std::string(field));
  return *n;
}

Result<std::string> name_part(const RawFields& raw, std::string_view field, std::string_view label,
                              bool required) {
  CHIDOAN_TRY(v, clean(raw, field));
  if (required && v.empty()) return fail(ErrorKind::invalid, std::string(label) + " không được để trống", std::string(field));
  if (v.size() > 100) return fail(ErrorKind::invalid, std::string(label) + " quá dài (tối đa 100 ký tự)", std::string(field));
  return v;
}

Result<std::string> optional_date(const RawFields& raw, std::string_view field, std::string_view label, Date today) {
  CHIDOAN_TRY(v, clean(raw, field));
  if (v.empty()) return std::string();
  CHIDOAN_TRY(d, parse_any_date(v, field));
  if (d > today) return fail(ErrorKind::invalid, std::string(label) + " không được ở tương lai", std::string(field));
  return to_iso(d);
}

std::string digits_only(std::string_view s) {
  std::string out;
  for (char c : s)
    if (std::isdigit(static_cast<unsigned char>(c))) out += c;
  return out;
}

}  // namespace

bool is_member_field(std::string_view name) {
  return std::find(kMemberFields.begin(), kMemberFields.end(), name) != kMemberFields.end();
}

Result<Date> parse_any_date(std::string_view raw, std::string_view field) {
  std::string iso(raw);
  if (raw.size() >= 8 && raw.size() <= 10 && raw.find('/') != std::string_view::npos) {
    // dd/mm/yyyy with optional leading zeros.
    std::vector<std::string> parts(1);
    for (char c : raw) {
      if (c == '/') parts.emplace_back();
      else parts.back() += c;
    }
    if (parts.size() == 3 && parts[2].size() == 4 && !parts[0].empty() && parts[0].size() <= 2 &&
        !parts[1].empty() && parts[1].size() <= 2) {
      auto pad = [](const std::string& s) { return s.size() == 1 ? "0" + s : s; };
      iso = parts[2] + "-" + pad(parts[1]) + "-" + pad(parts[0]);
    }
  }
  auto d = parse_date(iso);
  if (!d) return fail(ErrorKind::invalid, "Ngày không hợp lệ: \"" + std::string(raw) + "\" (dùng dd/mm/yyyy)", std::string(field));
  return *d;
}

Result<std::string> check_cccd(std::string_view raw, std::optional<Date> birth, std::string_view sex) {
  std::string s;
  for (char c : raw)
    if (c != ' ' && c != '.' && c != '-') s += c;
  if (s.size() != 12 || digits_only(s) != s)
    return fail(ErrorKind::invalid, "Số CCCD phải gồm đúng 12 chữ số", "cccd");
  int province = std::stoi(s.substr(0, 3));
  if (std::find(kProvinceCodes.begin(), kProvinceCodes.end(), province) == kProvinceCodes.end())
    return fail(ErrorKind::invalid, "Số CCCD có mã tỉnh \"" + s.substr(0, 3) + "\" không tồn tại", "cccd");
  int code = s[3] - '0';
  if (code > 9) return fail(ErrorKind::invalid, "Số CCCD không hợp lệ", "cccd");
  int century = 1900 + 100 * (code / 2);  // 0/1: 20th century, 2/3: 21st, 4/5: 22nd …
  bool female = code % 2 == 1;
  int year = century + std::stoi(s.substr(4, 2));
  if (birth && static_cast<int>(birth->year()) != year)
    return fail(ErrorKind::invalid, "Số CCCD không khớp năm sinh (CCCD ghi năm " + std::to_string(year) + ")", "cccd");
  if (!sex.empty() && (sex == "female") != female)
    return fail(ErrorKind::invalid, "Số CCCD không khớp giới tính", "cccd");
  return s;
}

Result<std::string> normalize_phone(std::string_view raw) {
  for (char c : raw)
    if (!std::isdigit(static_cast<unsigned char>(c)) && std::string_view(" .-()+").find(c) == std::string_view::npos)
      return fail(ErrorKind::invalid, "Số điện thoại chỉ gồm chữ số", "phone");
  std::string d = digits_only(raw);
  if (d.starts_with("84") && (raw.find('+') != std::string_view::npos || d.size() == 11 || d.size() == 12))
    d = "0" + d.substr(2);
  bool mobile = d.size() == 10 && d[0] == '0' && std::string_view("35789").find(d[1]) != std::string_view::npos;
  bool landline = d.size() == 11 && d.starts_with("02");
  if (!mobile && !landline)
    return fail(ErrorKind::invalid, "Số điện thoại không đúng định dạng Việt Nam (ví dụ 0912 345 678)", "phone");
  return "+84" + d.substr(1);
}

Result<std::string> check_email(std::string_view raw) {
  auto at = raw.find('@');
  bool ok = raw.size() <= 254 && at != std::string_view::npos && at > 0 && raw.find('@', at + 1) == std::string_view::npos &&
            raw.find(' ') == std::string_view::npos;
  if (ok) {
    auto domain = raw.substr(at + 1);
    auto dot = domain.find('.');
    ok = dot != std::string_view::npos && dot > 0 && dot + 1 < domain.size();
  }
  if (!ok) return fail(ErrorKind::invalid, "Địa chỉ email không hợp lệ", "email");
  std::string out(raw);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

Result<MemberInput> validate_member(const RawFields& raw, Date today) {
  MemberInput m;
  CHIDOAN_TRY(family, name_part(raw, "family_name", "Họ", true));
  CHIDOAN_TRY(middle, name_part(raw, "middle_name", "Tên đệm", false));
  CHIDOAN_TRY(given, name_part(raw, "given_name", "Tên", true));
  m.family_name = family;
  m.middle_name = middle;
  m.given_name = given;

  CHIDOAN_TRY(sex_raw, clean(raw, "sex"));
  // The API's "male"/"female", or the import template's "Nam"/"Nữ" in any case.
  std::string sex = text::search_fold(sex_raw);
  if (sex == "nam") sex = "male";
  if (sex == "nu") sex = "female";
  if (sex != "male" && sex != "female") return fail(ErrorKind::invalid, "Giới tính phải là nam hoặc nữ", "sex");
  m.sex = sex;

  CHIDOAN_TRY(birth_raw, clean(raw, "birth_date"));
  if (birth_raw.empty()) return fail(ErrorKind::invalid, "Ngày sinh không được để trống", "birth_date");
  CHIDOAN_TRY(birth, parse_any_date(birth_raw, "birth_date"));
  if (birth > today) return fail(ErrorKind::invalid, "Ngày sinh không được ở tương lai", "birth_date");
  if (age_on(birth, today) > 120) return fail(ErrorKind::invalid, "Ngày sinh không hợp lệ", "birth_date");
  m.birth_date = to_iso(birth);

  CHIDOAN_TRY(cccd_raw, clean(raw, "cccd"));
  if (!cccd_raw.empty()) {
    CHIDOAN_TRY(cccd, check_cccd(cccd_raw, birth, m.sex));
    m.cccd = cccd;
  }
  CHIDOAN_TRY(phone_raw, clean(raw, "phone"));
  if (!phone_raw.empty()) {
    CHIDOAN_TRY(phone, normalize_phone(phone_raw));
    m.phone = phone;
  }
  CHIDOAN_TRY(email_raw, clean(raw, "email"));
  if (!email_raw.empty()) {
    CHIDOAN_TRY(email, check_email(email_raw));
    m.email = email;
  }

  CHIDOAN_TRY(joined, optional_date(raw, "joined_union_on", "Ngày vào Đoàn", today));
  if (!joined.empty()) {
    int age = age_on(birth, *parse_date(joined));
    if (age < 16 || age > 30)
      return fail(ErrorKind::invalid, "Tuổi khi vào Đoàn phải từ 16 đến 30 (Điều lệ Đoàn)", "joined_union_on");
  }
  m.joined_union_on = joined;

  CHIDOAN_TRY(since, optional_date(raw, "branch_since", "Ngày sinh hoạt tại chi đoàn", today));
  m.branch_since = since.empty() ? to_iso(today) : since;
  if (!joined.empty() && m.branch_since < joined)
    return fail(ErrorKind::invalid, "Ngày sinh hoạt tại chi đoàn không được trước ngày vào Đoàn", "branch_since");
  if (m.branch_since < m.birth_date)
    return fail(ErrorKind::invalid, "Ngày sinh hoạt tại chi đoàn không được trước ngày sinh", "branch_since");

  CHIDOAN_TRY(card, clean(raw, "card_number"));
  if (card.size() > 30) return fail(ErrorKind::invalid, "Số thẻ đoàn quá dài", "card_number");
  m.card_number = card;

  CHIDOAN_TRY(unit, clean(raw, "unit_id"));
  if (!unit.empty()) {
    if (unit.size() > 18 || digits_only(unit) != unit)
      return fail(ErrorKind::invalid, "Đơn vị công tác không hợp lệ", "unit_id");
    m.unit_id = std::stoll(unit);
  }
  CHIDOAN_TRY(role, clean(raw, "committee_role"));
  if (role != "" && role != "secretary" && role != "deputy_secretary" && role != "committee_member")
    return fail(ErrorKind::invalid, "Chức vụ trong BCH không hợp lệ", "committee_role");
  m.committee_role = role;
  return m;
}

bool due_for_maturity(Date birth, Date today) { return today > add_years(birth, 30); }

NameParts split_full_name(std::string_view full) {
  std::vector<std::string> words;
  std::string cur;
  for (char c : full) {
    if (c == ' ') {
      if (!cur.empty()) words.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) words.push_back(std::move(cur));
  NameParts p;
  if (words.empty()) return p;
  p.given = words.back();
  if (words.size() >= 2) p.family = words.front();
  for (size_t i = 1; i + 1 < words.size(); ++i) p.middle += (p.middle.empty() ? "" : " ") + words[i];
  return p;
}

std::optional<Lifecycle> parse_lifecycle(std::string_view s) {
  if (s == "transfer") return Lifecycle::transfer;
  if (s == "transfer_out") return Lifecycle::transfer_out;
  if (s == "mature") return Lifecycle::mature;
  if (s == "remove") return Lifecycle::remove;
  return std::nullopt;
}

Result<void> check_lifecycle(Lifecycle action, const Member& m, Date effective, Date today,
                             std::string_view reason, const Org* target_branch) {
  if (m.status != "active") return fail(ErrorKind::conflict, "Đoàn viên không còn sinh hoạt tại chi đoàn", "status");
  if (effective > today) return fail(ErrorKind::invalid, "Ngày hiệu lực không được ở tương lai", "effective_on");
  switch (action) {
    case Lifecycle::transfer:
      if (!target_branch) return fail(ErrorKind::invalid, "Chưa chọn chi đoàn chuyển đến", "target_branch_id");
      if (!target_branch->holds_members)
        return fail(ErrorKind::invalid, "Nơi chuyển đến không phải là chi đoàn", "target_branch_id");
      if (!target_branch->active())
        return fail(ErrorKind::invalid, "Chi đoàn \"" + target_branch->name + "\" đã giải thể hoặc hợp nhất", "target_branch_id");
      if (target_branch->id == m.branch_id)
        return fail(ErrorKind::invalid, "Đoàn viên đang sinh hoạt tại chi đoàn này", "target_branch_id");
      break;
    case Lifecycle::transfer_out:
      if (reason.empty()) return fail(ErrorKind::invalid, "Ghi rõ nơi chuyển sinh hoạt đến", "reason");
      break;
    case Lifecycle::mature: {
      auto birth = parse_date(m.birth_date);
      if (birth && !due_for_maturity(*birth, effective))
        return fail(ErrorKind::invalid, "Đoàn viên chưa quá 30 tuổi tại ngày hiệu lực", "effective_on");
      break;
    }
    case Lifecycle::remove:
      if (reason.empty()) return fail(ErrorKind::invalid, "Ghi rõ lý do xóa tên", "reason");
      break;
  }
  return {};
}

Result<std::string> check_org_code(std::string_view raw) {
  std::string s;
  for (char c : raw) s += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  bool ok = s.size() >= 2 && s.size() <= 32 &&
            std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; });
  if (!ok) return fail(ErrorKind::invalid, "Mã tổ chức gồm 2–32 chữ cái không dấu, chữ số, '-' hoặc '_'", "code");
  return s;
}

Result<void> check_child_level(const Level& parent_level, const Level& child_level) {
  if (parent_level.holds_members) return fail(ErrorKind::invalid, "Chi đoàn không có tổ chức cấp dưới", "parent_id");
  if (child_level.rank <= parent_level.rank)
    return fail(ErrorKind::invalid, "Cấp của tổ chức phải thấp hơn cấp của tổ chức cấp trên", "level_id");
  return {};
}


size_t tree_depth_shown(const std::vector<size_t>& orgs_at_depth, size_t cap) {
  size_t shown = 0, total = 0;
  for (size_t d = 0; d < orgs_at_depth.size(); ++d) {
    total += orgs_at_depth[d];
    if (d > 1 && total > cap) break;
    shown = d;
  }
  return shown;
}

}  // namespace chidoan::org::rules

namespace chidoan::org {
std::string Member::full_name() const {
  std::string s = family_name;
  if (!middle_name.empty()) s += " " + middle_name;
  if (!given_name.empty()) s += (s.empty() ? "" : " ") + given_name;
  return s;
}
}  // namespace chidoan::org
