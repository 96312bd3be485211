// The awards register (khen thưởng): certificates of merit (Bằng khen), commendations (Giấy
// khen) and the like, given to a member or an organisation, with the issuer, the decision number
// and its date (migrations/0015_review.sql). Recorded by the committee of the org that keeps the
// register; the year-end report lists the awards of its year.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/clock.hpp"
#include "platform/core/result.hpp"
#include "platform/db/db.hpp"

namespace chidoan::review {

// Kinds, as stored: certificate_of_merit (Bằng khen), commendation (Giấy khen), flag (Cờ thi
// đua), title (a title such as "Chi đoàn vững mạnh xuất sắc" given by a decision), other.
inline constexpr const char* kAwardKinds[] = {"certificate_of_merit", "commendation", "flag", "title", "other"};

struct Award {
  int64_t id = 0;
  int64_t org_id = 0;                      // the org whose register holds it
  std::optional<int64_t> member_id;        // a member's award, or
  std::optional<int64_t> recipient_org_id; // an organisation's
  std::string recipient_name;              // the member's full name or the org's name (read)
  std::string kind;                        // kAwardKinds
  std::string title;                       // "Đã có thành tích xuất sắc trong công tác Đoàn và phong trào thanh niên năm 2021"
  std::string issuer;                      // "Ban Chấp hành Trung ương Đoàn TNCS Hồ Chí Minh"
  std::string decision_no;                 // "123-QĐ/TWĐTN-VP"
  std::string decision_on;                 // "YYYY-MM-DD"
  int64_t year = 0;                        // the year the award is for
  std::string note;
};

struct AwardInput {
  std::optional<int64_t> member_id, recipient_org_id;  // exactly one
  std::string kind, title, issuer, decision_no, decision_on, note;
  int64_t year = 0;
};

// Fields member_id | recipient_org_id, kind, title (required, ≤ 300), issuer (required, ≤ 200),
// decision_no (≤ 60), decision_on (YYYY-MM-DD, required), year (1930..2100, required), note;
// invalid on the field with a Vietnamese message.
Result<AwardInput> validate_award(const std::map<std::string, std::string, std::less<>>& raw);
std::string kind_label(std::string_view kind);  // "Bằng khen", "Giấy khen", "Cờ thi đua", "Danh hiệu", "Khác"

class AwardStore {
 public:
  AwardStore(db::Connection& conn, const Clock& clock) : db_(conn), clock_(clock) {}
  // The recipient must be in the register's org subtree (invalid on member_id / recipient_org_id).
  Result<int64_t> add(int64_t org_id, const AwardInput& in);
  Result<void> remove(int64_t id);
  Result<Award> award(int64_t id);
  // Awards of the org's subtree (its registers and those below) for `year` (all years: nullopt),
  // by decision date.
  Result<std::vector<Award>> awards(int64_t org_id, std::optional<int64_t> year);

 private:
  db::Connection& db_;
  const Clock& clock_;
};

}  // namespace chidoan::review
