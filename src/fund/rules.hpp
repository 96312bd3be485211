// Pure rules of the campaign ledger: amounts, quantities, contributors, reversals, receipts.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "fund/model.hpp"
#include "platform/core/date.hpp"
#include "platform/core/fields.hpp"
#include "platform/core/result.hpp"

namespace chidoan::fund::rules {

inline constexpr int64_t kMaxVnd = 1'000'000'000'000'000;  // 10^15

// A whole, positive number of VND up to 10^15 ("130.000.000", "130000000" and "130 000 000"
// are accepted; "-5", "0", "1,5", "1e6" are not).
Result<int64_t> parse_vnd(std::string_view raw, std::string_view field, bool allow_zero = false);
// A positive quantity with up to three decimals ("2,5", "2.5", "50"), as thousandths.
Result<int64_t> parse_quantity(std::string_view raw, std::string_view field);
// "2.500" -> "2,5"; 50000 -> "50" (Vietnamese decimal comma).
std::string format_quantity(int64_t milli);

bool is_contribution_field(std::string_view name);
// Money: amount and method cash|transfer. In kind: item, quantity, unit, estimated value (≥ 0).
// Contributor: member (member_id), unit (unit_id), agency or person (name), anonymous.
Result<ContributionInput> validate_contribution(const RawFields& raw, Date today);

// A contribution may go to an open campaign, in one of its rounds (when it has rounds), on a
// date within the campaign.
Result<void> check_campaign(const Campaign& c, const ContributionInput& in);

// The reversing entry of `original`: the same line (round, contributor, work unit) with opposite
// amounts, dated `date` (empty: today), which is neither in the future nor before the original.
Result<ContributionInput> reversal_of(const Contribution& original, std::string_view date, std::string_view reason, Date today);
// The reversing outflow of `original`: the same round, recipients and item with opposite amounts,
// the reason as its description, dated as a contribution's reversal is.
Result<Outflow> outflow_reversal_of(const Outflow& original, std::string_view date, std::string_view reason, Date today);

std::string kind_label(std::string_view contributor_kind);  // "Đoàn viên", "Đơn vị công tác", …
std::string method_label(std::string_view method);          // "Tiền mặt", "Chuyển khoản", "Hiện vật"

}  // namespace chidoan::fund::rules
