// Dues (đoàn phí, NQ 07-NQ/TWĐTN 2010): plain types. Rules in dues_rules.hpp, SQL in
// dues_store.hpp, the user's and API's description in docs/dues.md.
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace chidoan::activity::dues {

// A calendar month (tháng), "YYYY-MM". index = year * 12 + (month - 1), so months compare and
// add as integers.
struct Month {
  int32_t index = 0;
  static Month of(int year, unsigned month) { return Month{year * 12 + static_cast<int32_t>(month) - 1}; }
  int year() const { return index / 12; }
  unsigned month() const { return static_cast<unsigned>(index % 12) + 1; }
  auto operator<=>(const Month&) const = default;
};

// Member category for the rate: có hưởng lương (salaried) or không hưởng lương.
enum class Category { salaried, unsalaried };

// A national rate (mức đoàn phí) for one category, valid over [from, to] (to open while in force).
struct Rate {
  int64_t id = 0;
  Category category = Category::salaried;
  int64_t amount = 0;  // VND per month
  Month from;
  std::optional<Month> to;
  std::string source;
};

// A member's category from a month on (no change at all: salaried).
struct CategoryChange {
  Month from;
  Category category = Category::salaried;
};

// A stay of a member in a branch: [from, to) as ISO dates (to empty while current).
struct Stay {
  int64_t branch_id = 0;
  std::string from_on;
  std::string to_on;
};

// What the rules need to know about one member: stays, categories, months paid (with the
// amount paid for each) and months exempted. Months are those of every branch.
struct MemberLedger {
  int64_t member_id = 0;
  std::vector<Stay> stays;
  std::vector<CategoryChange> categories;  // sorted by `from`
  std::map<Month, int64_t> paid;
  std::set<Month> exempt;
};

// One month charged by a payment.
struct Charge {
  Month month;
  Category category = Category::salaried;
  int64_t amount = 0;
};

// Đóng đoàn phí: a member pays a branch for the months [from, to]. A reversal (bút toán đảo)
// has reverses_id set and the opposite amount.
struct Payment {
  int64_t id = 0;
  int64_t member_id = 0;
  int64_t branch_id = 0;
  Month from, to;
  int64_t amount = 0;
  std::string paid_on;
  std::string receipt_no;
  std::string note;
  std::optional<int64_t> reverses_id;
  std::optional<int64_t> reversed_by;  // the reversal of this payment, if any
  int64_t recorded_at = 0;
  std::optional<int64_t> recorded_by;
};

// Miễn đoàn phí: hardship exemption of a member for the months [from, to].
struct Exemption {
  int64_t id = 0;
  int64_t member_id = 0;
  int64_t branch_id = 0;
  Month from, to;
  std::string reason;
  int64_t recorded_at = 0;
  std::optional<int64_t> recorded_by;
};

// Nộp đoàn phí lên cấp trên: the branch's 1/3 of what it collected in [from, to].
struct Remittance {
  int64_t id = 0;
  int64_t branch_id = 0;
  int64_t to_org_id = 0;
  Month from, to;
  int64_t collected = 0;
  int64_t amount = 0;
  std::string remitted_on;
  std::string note;
  int64_t recorded_at = 0;
  std::optional<int64_t> recorded_by;
};

// Validated inputs (from rules::parse_*). recorded_at empty: now.
struct PaymentInput {
  int64_t member_id = 0;
  Month from, to;
  std::optional<int64_t> amount;  // empty: the computed amount is stored
  std::string paid_on;
  std::string receipt_no;
  std::string note;
};
struct ReversalInput {
  std::string on;  // the date of the reversal (counted as negative collection that day)
  std::string reason;
};
struct ExemptionInput {
  int64_t member_id = 0;
  Month from, to;
  std::string reason;
};
struct RemittanceInput {
  Month from, to;
  std::optional<int64_t> amount;
  std::string remitted_on;
  std::string note;
};
struct CategoryInput {
  int64_t member_id = 0;
  Category category = Category::salaried;
  Month from;
};
struct RateInput {
  Category category = Category::salaried;
  int64_t amount = 0;
  Month from;
  std::optional<Month> to;
  std::string source;
};

// Who wrote an entry and when (bundle loads keep the recorded instant).
struct Recorded {
  std::optional<int64_t> by;  // users.id
  std::optional<int64_t> at;  // unix seconds; empty: the clock's now
};

// The state of one member-month in the dues book.
enum class MonthState {
  none,      // not in this branch that month
  paid,      // paid
  exempt,    // exempted
  arrears,   // owed, unpaid, and the month is over
  due,       // owed, unpaid, the current month
  upcoming,  // owed later
};

// One row of the dues book: a member over the 12 months of a year.
struct BookRow {
  int64_t member_id = 0;
  std::string full_name;
  Category category = Category::salaried;  // in the last month of the year they are in the branch
  std::vector<MonthState> states;          // 12
  std::vector<int64_t> amounts;            // 12: paid, or what is owed (0 for none/exempt)
  int64_t paid = 0;                        // paid for months of the year
  std::vector<Month> arrears;
  int64_t arrears_amount = 0;
};

struct MonthFigures {
  Month month;
  int64_t expected = 0;   // owed for the month by the members of the branch that month, after exemptions
  int64_t paid = 0;       // paid for the month (whenever paid)
  int64_t exempted = 0;   // waived for the month
  int64_t arrears = 0;    // owed for the month, unpaid, month over
  int64_t collected = 0;  // cash received in the month (payments by paid_on, minus reversals)
  int64_t share_up = 0;   // floor(collected / 3)
  int64_t kept = 0;       // collected - share_up
  bool remitted = false;  // covered by a remittance
};

struct YearFigures {
  int64_t expected = 0, paid = 0, exempted = 0, arrears = 0, collected = 0;
  int64_t share_up = 0;  // floor(year's collected / 3)
  int64_t kept = 0;      // collected - share_up
  int64_t remitted = 0;  // remittances of months of the year
  int64_t to_remit = 0;  // floor(collected in the year's months up to now not yet remitted / 3)
};

// The dues book (sổ đoàn phí) of a branch for a year.
struct Book {
  int64_t branch_id = 0;
  int year = 0;
  Month current;
  std::vector<BookRow> rows;
  std::vector<MonthFigures> months;
  YearFigures totals;
  std::vector<Payment> payments;
  std::vector<Exemption> exemptions;
  std::vector<Remittance> remittances;
  std::vector<Rate> rates;
  std::map<int64_t, std::string> member_names;  // every member the book mentions
};

}  // namespace chidoan::activity::dues
