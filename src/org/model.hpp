// Organisation tree, units and the member roll: plain types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chidoan::org {

// A level of the tree (cấp): Trung ương, tỉnh, huyện, cơ sở, chi đoàn. Data, not code.
struct Level {
  int64_t id = 0;
  int64_t rank = 0;  // 0 = top
  std::string name;
  bool holds_members = false;  // the branch level (chi đoàn)
};

// Any node of the tree (tổ chức Đoàn). A Branch (chi đoàn) is an Org whose level holds members.
struct Org {
  int64_t id = 0;
  std::string code;
  std::string name;
  int64_t level_id = 0;
  int64_t level_rank = 0;
  std::string level_name;
  bool holds_members = false;
  std::optional<int64_t> parent_id;
  std::string path;  // "/1/5/12/"
  std::string status = "active";  // active | dissolved | merged
  std::string founded_on;
  std::string ended_on;
  // roll_versions.version: moves with every change to what the branch's member list shows
  // (migration 0020's triggers); 0 before the first.
  int64_t roll_version = 0;
  // roll_versions.active_members: the org's own members whose status is active, kept by the
  // same triggers (migration 0023); 0 for an org that holds none.
  int64_t active_members = 0;
  bool active() const { return status == "active"; }
  // Did it stand on the ISO date `on`: founded by then (or undated) and not ended by then.
  bool stands_on(std::string_view on) const {
    return (founded_on.empty() || founded_on <= on) && (ended_on.empty() || ended_on > on);
  }
};

// A dated change of the tree: create, rename, move, split, merge, dissolve.
struct OrgEvent {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string kind;
  std::string effective_on;
  std::optional<int64_t> related_org_id;
  std::string old_value;
  std::string new_value;
  std::string note;
};

// A work unit (đơn vị công tác) of a branch's agency.
struct Unit {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string name;
  int64_t position = 0;
};

enum class Sex { male, female };

// Đoàn viên. branch_id and status are the current state; periods and events the history.
struct Member {
  int64_t id = 0;
  int64_t branch_id = 0;
  std::string family_name;  // họ
  std::string middle_name;  // tên đệm
  std::string given_name;   // tên
  std::string sex;          // "male" | "female"
  std::string birth_date;
  std::string cccd;         // citizen identity number, 12 digits, or empty
  std::string phone;        // +84…, or empty
  std::string email;
  std::string joined_union_on;
  std::string card_number;
  std::optional<int64_t> unit_id;
  std::string unit_name;
  std::string committee_role;  // "" | secretary | deputy_secretary | committee_member
  std::string status = "active";  // active | transferred_out | matured | removed
  std::string full_name() const;
};

// A stay of a member in a branch: [from_on, to_on).
struct Period {
  int64_t branch_id = 0;
  std::string from_on;
  std::string to_on;  // empty while current
};

struct MemberEvent {
  int64_t id = 0;
  int64_t member_id = 0;
  std::string kind;  // admit | enter | transfer_out | transfer_in | split_move | mature | remove
  std::string effective_on;
  int64_t branch_id = 0;
  std::optional<int64_t> other_branch_id;
  std::string reason;
};

// Validated input for a new member or an edit. Produced only by rules::validate_member.
struct MemberInput {
  std::string family_name, middle_name, given_name;
  std::string sex;
  std::string birth_date;
  std::string cccd, phone, email;
  std::string joined_union_on;
  std::string card_number;
  std::string branch_since;
  std::optional<int64_t> unit_id;
  std::string committee_role;
};

// Filters of the member list.
struct MemberQuery {
  std::string q;                   // accent-insensitive search
  std::optional<int64_t> unit_id;
  std::string status = "active";   // a status, or "all"
  bool due_for_maturity = false;
  std::string as_of;               // ISO date: members in the org on that day (history)
  int64_t limit = 50;
  int64_t offset = 0;
};

// Counting the members of a list stops past this many (a search for "nguyen" across the nation
// matches millions): MemberPage::total is then a lower bound.
inline constexpr int64_t kMemberCountCap = 10000;
// A search in a scope larger than one branch counts at most this many.
inline constexpr int64_t kMemberSearchCountCap = 1000;

struct MemberPage {
  std::vector<Member> items;
  // The number of matching members. Past kMemberCountCap matches counting stops: total is then
  // kMemberCountCap (or offset + items, if larger) and total_is_lower_bound is set: "more than".
  int64_t total = 0;
  bool total_is_lower_bound = false;
};

}  // namespace chidoan::org
