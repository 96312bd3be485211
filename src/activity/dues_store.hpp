// SQL of dues (đoàn phí): rates, member categories, payments and their reversals, exemptions,
// remittances, and the dues book of a branch-year.
//
// REQUIRES: write methods run inside Connection::transaction() — the caller owns the
// transaction so that a write and its audit entry commit together, and a bundle load commits
// all or nothing. Every write first checks its rules (dues_rules.hpp) and writes nothing when
// one fails; the primary keys of the *_months tables keep a month from being paid, exempted or
// remitted twice even under concurrent requests (ErrorKind::conflict).
// The Store does not own the connection or the clock; both must outlive it. Not thread-safe
// (one per request).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "activity/dues_model.hpp"
#include "activity/dues_rules.hpp"
#include "platform/core/clock.hpp"
#include "platform/db/db.hpp"

namespace chidoan::activity::dues {

class DuesStore {
 public:
  DuesStore(db::Connection& conn, const Clock& clock) : db_(conn), clock_(clock) {}

  // Rates, by category then start.
  Result<std::vector<Rate>> rates();
  // Adds a rate (rules::check_new_rate); the rate it succeeds is closed the month before.
  Result<Rate> add_rate(const RateInput& in, Month current);

  // Everything the rules need about one member (stays in every branch, categories, paid and
  // exempt months). Unknown member: invalid, field member_id.
  Result<MemberLedger> ledger(int64_t member_id);

  // Sets the member's category from a month on. Refused when a month from then on is paid
  // already (valid_from) or the member never was in the branch (member_id).
  Result<void> set_category(int64_t branch_id, const CategoryInput& in, Recorded rec = {});
  Result<std::vector<std::pair<int64_t, CategoryChange>>> all_categories();  // (member_id, change), by member, month

  // Records a payment of the computed amount (the entered one must equal it); see
  // rules::charges for the refusals. The date paid must not fall in a month already remitted
  // upward (paid_on): remitted months are closed.
  Result<Payment> record_payment(int64_t branch_id, const PaymentInput& in, Month current, Recorded rec = {});
  // Reverses a payment of this branch: a new row with the opposite amount; its months become
  // unpaid. A reversal cannot be reversed, a payment is reversed once (payment_id).
  Result<Payment> reverse_payment(int64_t branch_id, int64_t payment_id, const ReversalInput& in, Recorded rec = {});
  Result<std::optional<Payment>> payment(int64_t id);

  Result<Exemption> add_exemption(int64_t branch_id, const ExemptionInput& in, Month current, Recorded rec = {});

  // Remits floor(collected / 3) of the months to the branch's parent (or `to_org_id`).
  // Refuses months already remitted (from_month), nothing collected (from_month), a wrong
  // entered amount (amount).
  Result<Remittance> add_remittance(int64_t branch_id, const RemittanceInput& in, Month current, Recorded rec = {},
                                    std::optional<int64_t> to_org_id = std::nullopt);
  // Cash received by the branch in [from, to] by date paid (reversals count negative).
  Result<int64_t> collected(int64_t branch_id, Month from, Month to);

  // The dues book of a branch for a year, as of the current month.
  Result<Book> book(int64_t branch_id, int year, Month current);

  // Everything recorded for the branches under `root_path` (orgs.path prefix), in the order it
  // was recorded (recorded_at, id): for the bundle.
  Result<std::vector<Payment>> payments_under(const std::string& root_path);
  Result<std::vector<Exemption>> exemptions_under(const std::string& root_path);
  Result<std::vector<Remittance>> remittances_under(const std::string& root_path);

 private:
  // The spaces of db::lock_until_commit for the dues writes.
  static constexpr int64_t kBranchLocks = 21, kMemberLocks = 22;
  // Waits for the other dues writes of the branch (and of the member) until commit.
  Result<void> serialise(int64_t branch_id, std::optional<int64_t> member_id);
  Result<std::optional<int64_t>> require_branch(int64_t branch_id);  // -> the parent
  Result<void> check_open_month(int64_t branch_id, const std::string& date, const char* field);
  Result<std::vector<Payment>> payments_where(const std::string& where, const std::vector<db::Value>& params);
  int64_t at(const Recorded& r) const { return r.at ? *r.at : clock_.unix_seconds(); }

  db::Connection& db_;
  const Clock& clock_;
};

}  // namespace chidoan::activity::dues
