// Pure rules of the organisation and member roll: validation, identity numbers, phone
// numbers, lifecycle preconditions. No I/O, no clock: "today" is passed in.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "org/model.hpp"
#include "platform/core/date.hpp"
#include "platform/core/fields.hpp"
#include "platform/core/result.hpp"

namespace chidoan::org::rules {

// The fields a member form or JSON body may carry; anything else is an error in the API.
bool is_member_field(std::string_view name);

// Validates and normalises every field (NFC, trimmed); the first problem is returned with the
// field named and a Vietnamese message. `today` bounds dates (nothing in the future).
Result<MemberInput> validate_member(const RawFields& raw, Date today);

// Căn cước công dân: 12 digits; the first three a province code (Circular 07/2016/TT-BCA,
// 59/2021/TT-BCA), the fourth the century and sex, the next two the year of birth. When
// birth date and sex are known they must agree with the number.
Result<std::string> check_cccd(std::string_view raw, std::optional<Date> birth, std::string_view sex);

// Vietnamese mobile (0[35789]xxxxxxxx) and landline (02xxxxxxxxx) numbers, with or without
// +84/84, spaces, dots, dashes or brackets, normalised to "+84…".
Result<std::string> normalize_phone(std::string_view raw);

Result<std::string> check_email(std::string_view raw);

// Accepts ISO "YYYY-MM-DD" and Vietnamese "dd/mm/yyyy" (import files); returns ISO.
Result<Date> parse_any_date(std::string_view raw, std::string_view field);

// Đoàn viên over 30 (trưởng thành); a branch may keep them to 35 (HD 22-HD/TWĐTN).
bool due_for_maturity(Date birth, Date today);

// Splits "Phan Văn Sang" into họ "Phan", đệm "Văn", tên "Sang" (import of "Họ và tên").
struct NameParts {
  std::string family, middle, given;
};
NameParts split_full_name(std::string_view full);

// Lifecycle actions other than creation.
enum class Lifecycle { transfer, transfer_out, mature, remove };
std::optional<Lifecycle> parse_lifecycle(std::string_view s);
// Preconditions shared by the API, the pages and the CLI.
Result<void> check_lifecycle(Lifecycle action, const Member& m, Date effective, Date today,
                             std::string_view reason, const Org* target_branch);

// Org rules: a child sits below its parent's level; branches are leaves; codes are
// [A-Z0-9_-]{2,32}.
Result<std::string> check_org_code(std::string_view raw);
Result<void> check_child_level(const Level& parent_level, const Level& child_level);

// The org tree page shows the levels from the top while they fit in `cap` orgs (a Tỉnh đoàn has
// 1,600, the nation 100,000): given how many orgs the list has at each depth (0 = its top),
// the deepest depth shown. At least depths 0 and 1, so that a page always lists the children of
// the top; an org whose children are left out links to its own page, which lists them.
size_t tree_depth_shown(const std::vector<size_t>& orgs_at_depth, size_t cap);

}  // namespace chidoan::org::rules
