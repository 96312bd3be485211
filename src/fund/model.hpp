// Donation campaigns (chiến dịch quyên góp), rounds (đợt), the contribution ledger and outflows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace chidoan::fund {

struct Round {
  int64_t no = 0;
  std::string name;
  std::string starts_on;
  std::string ends_on;
};

struct Campaign {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string org_name;
  std::string name;
  std::string purpose;
  std::string starts_on;
  std::string ends_on;
  std::string status = "open";  // open | closed
  std::optional<int64_t> goal_vnd;
  std::string goal_items;
  std::vector<Round> rounds;
  bool open() const { return status == "open"; }
};

// One ledger line (đóng góp): money or in kind; a reversal has the opposite amounts.
struct Contribution {
  int64_t id = 0;
  int64_t campaign_id = 0;
  std::optional<int64_t> round_no;
  std::string kind;  // money | in_kind
  int64_t amount_vnd = 0;
  std::string item;
  int64_t quantity_milli = 0;  // thousandths of `unit`
  std::string unit;
  int64_t value_vnd = 0;       // estimated value of an in-kind gift
  std::string contributor_kind;  // member | unit | agency | person | anonymous
  std::optional<int64_t> member_id;
  std::optional<int64_t> unit_id;
  std::string contributor_name;  // as printed: the member's or unit's name, the agency, the person
  int64_t collected_by = 0;
  std::string on_date;
  std::string method;  // cash | transfer | in_kind
  std::string note;
  std::optional<int64_t> reverses_id;
  std::optional<int64_t> reversed_by;
  std::optional<int64_t> receipt_no;
  std::string recorded_by;
  int64_t recorded_at = 0;
};

// Validated input for a contribution (from a form, the API or a bundle).
struct ContributionInput {
  std::optional<int64_t> round_no;
  std::string kind;
  int64_t amount_vnd = 0;
  std::string item;
  int64_t quantity_milli = 0;
  std::string unit;
  int64_t value_vnd = 0;
  std::string contributor_kind;
  std::optional<int64_t> member_id;
  std::optional<int64_t> unit_id;
  std::string contributor_name;
  std::string on_date;
  std::string method;
  std::string note;
};

struct Outflow {
  int64_t id = 0;
  int64_t campaign_id = 0;
  std::optional<int64_t> round_no;
  std::string on_date;
  std::string description;
  std::string recipients;
  bool recipients_consented = false;
  std::string kind;
  int64_t amount_vnd = 0;
  std::string item;
  int64_t quantity_milli = 0;
  std::string unit;
  int64_t value_vnd = 0;
  std::optional<int64_t> reverses_id;  // the outflow this one corrects, with opposite amounts
  std::optional<int64_t> reversed_by;
  std::string recorded_by;
};

// Totals of money and, apart, of each in-kind item.
struct ItemTotal {
  std::string item;
  std::string unit;
  int64_t quantity_milli = 0;
  int64_t value_vnd = 0;
};
struct Totals {
  int64_t money_vnd = 0;
  int64_t entries = 0;
  std::vector<ItemTotal> items;
};

}  // namespace chidoan::fund
