// Pure rules of dues (đoàn phí), NQ 07-NQ/TWĐTN (2010): month arithmetic, rates, categories,
// what a payment or an exemption may cover, the 1/3 remittance, the dues book's figures.
// No I/O, no clock: the current month is passed in. Errors name the field at fault and carry a
// Vietnamese message.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "activity/dues_model.hpp"
#include "platform/core/date.hpp"
#include "platform/core/fields.hpp"
#include "platform/core/result.hpp"

namespace chidoan::activity::dues {

// Upper bounds (docs/dues.md).
inline constexpr int kMaxMonthsAhead = 12;      // a payment or exemption may reach today's month + 12
inline constexpr int kMaxExemptMonthsPerYear = 6;
inline constexpr int kMaxRangeMonths = 120;     // a payment covers at most 10 years at once

// ---- months ----
// Strict "YYYY-MM" (year 1900..9999, month 01..12).
std::optional<Month> parse_month(std::string_view s);
std::string to_string(Month m);    // "2021-03"
std::string format_month(Month m); // "03/2021"
Month month_of(Date d);
Month month_of_iso(std::string_view iso_date);  // REQUIRES: a valid ISO date
inline Month operator+(Month m, int n) { return Month{m.index + n}; }
inline Month operator-(Month m, int n) { return Month{m.index - n}; }
inline int operator-(Month a, Month b) { return a.index - b.index; }
std::string first_day(Month m);  // "2021-03-01"
int months_in(Month from, Month to);  // inclusive count, 0 when to < from

// ---- categories and rates ----
std::string_view category_name(Category c);  // "salaried" | "unsalaried"
std::optional<Category> parse_category(std::string_view s);
// The category in force in month m: the latest change at or before m; salaried without one.
Category category_on(const std::vector<CategoryChange>& changes, Month m);
// The rate of `category` in month m, if the table has one.
std::optional<int64_t> rate_for(const std::vector<Rate>& rates, Category category, Month m);

// A new rate must not overlap another of its category. One exception makes a change of rate
// possible without editing rows: a rate starting after the start of the category's open rate
// (valid_to empty) succeeds it, and that rate is closed the month before. A new rate may not
// start before the current month (payments already made were computed at the old rate).
struct RateChange {
  std::optional<int64_t> close_id;  // the open rate to close
  Month close_to;
};
Result<RateChange> check_new_rate(const std::vector<Rate>& existing, const RateInput& in, Month current);

// ---- membership ----
// The branch a member owes month m to: the branch of the stay that contains the month's first
// day; for a member who arrives during the month with no stay on its first day (admission),
// the branch of the stay that starts in it. A transfer in mid-month therefore owes that month
// to the old branch and the next to the new one.
std::optional<int64_t> branch_of_month(const std::vector<Stay>& stays, Month m);
// The branch that records a member's category from month m on: the branch of the month; before
// the member's first stay, the first stay's branch; after their last, the last one's (stays in
// order of from_on). nullopt without stays.
std::optional<int64_t> category_branch(const std::vector<Stay>& stays, Month m);

// Every month of [from, to] must be owed to `branch`: else member_id (never in the branch),
// from_month (before the member joined it, or a month owed elsewhere) or to_month (after they
// left).
Result<void> check_membership(const MemberLedger& member, int64_t branch, Month from, Month to);

// ---- payments, exemptions ----
// The months a payment of [from, to] to `branch` charges and their amounts (rate of the
// member's category each month); exempted months are skipped (owe nothing). Refuses, naming
// the field: to < from, more than kMaxMonthsAhead after `current`, a range over
// kMaxRangeMonths, a month not owed to the branch, a month already paid, a month without a
// rate, or nothing left to pay.
Result<std::vector<Charge>> charges(const MemberLedger& member, int64_t branch, Month from, Month to,
                                    const std::vector<Rate>& rates, Month current);
int64_t total(const std::vector<Charge>& charges);
// The entered amount must equal the computed one (field "amount").
Result<void> check_amount(std::optional<int64_t> entered, int64_t computed);

// An exemption of [from, to]: same range bounds as a payment; refuses a month already
// exempted or paid (from_month), and more than kMaxExemptMonthsPerYear exempt months of one
// calendar year in total (to_month).
Result<void> check_exemption(const MemberLedger& member, int64_t branch, Month from, Month to, Month current);

// ---- remittance ----
// Each level keeps 2/3 and remits 1/3: remit = floor(collected / 3) in whole VND (nothing when
// collected <= 0), keep = collected - remit. The rounding favours the branch by at most 2 VND.
struct Split {
  int64_t remit = 0;
  int64_t keep = 0;
};
Split split(int64_t collected);
// A remittance covers whole months of one calendar year, none after the current month.
Result<void> check_remittance_range(Month from, Month to, Month current);

// ---- the dues book ----
// State of month m for a member in `branch`.
MonthState state_of(const MemberLedger& member, int64_t branch, Month m, Month current);
// What the member owes `branch` for month m (0 when not owed there, or exempted); the rate of
// the month, or 0 when the table has none.
int64_t owed_for(const MemberLedger& member, int64_t branch, Month m, const std::vector<Rate>& rates);
// Arrears as of `current`: months of [from, to] before `current` owed to `branch`, unpaid.
std::vector<Month> arrears(const MemberLedger& member, int64_t branch, Month from, Month to, Month current);
// One row of the book for `year`.
BookRow book_row(const MemberLedger& member, int64_t branch, int year, const std::vector<Rate>& rates, Month current);
// Monthly and yearly figures of a branch for `year`: rows (from book_row), cash collected by
// month (payments minus reversals, by date), the year's remittances.
void book_figures(Book& book, const std::map<Month, int64_t>& collected_by_month);

// ---- input parsing (forms, JSON, bundle) ----
// Raw fields as strings, named as in the API. `today` bounds dates (none in the future).
Result<PaymentInput> parse_payment(const RawFields& raw, Date today);
Result<ReversalInput> parse_reversal(const RawFields& raw, Date today);
Result<ExemptionInput> parse_exemption(const RawFields& raw);
Result<RemittanceInput> parse_remittance(const RawFields& raw, Date today);
Result<CategoryInput> parse_category_change(const RawFields& raw);
Result<RateInput> parse_rate(const RawFields& raw);

}  // namespace chidoan::activity::dues
