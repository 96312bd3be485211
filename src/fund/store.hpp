// SQL of the campaign ledger.
//
// REQUIRES: write methods run inside Connection::transaction() (the caller audits in the same
// transaction). Receipt numbers come from a counter on the campaign row, incremented in the
// same transaction as the receipt: two recorders never share a number and a rolled-back
// receipt leaves no gap. The connection and clock outlive the Store; one per request.
//
// Concurrent recorders of one campaign in one process take ledger_lock(campaign) around their
// transaction. The row lock on the counter keeps numbers right across processes; the FIFO
// queue in front of it keeps 32 recorders from convoying on that row lock, which on
// PostgreSQL cost seconds at the tail (docs/benchmarks.md, bench/fund.sh).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fund/model.hpp"
#include "fund/rules.hpp"
#include "org/model.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/fair_mutex.hpp"
#include "platform/db/db.hpp"

namespace chidoan::fund {

struct CampaignInput {
  std::string name, purpose, starts_on, ends_on, goal_items;
  std::optional<int64_t> goal_vnd;
  int64_t rounds = 0;  // number of rounds (đợt) to create; 0 = none
};
// Validates a campaign form (name, dates, goal).
Result<CampaignInput> validate_campaign(const RawFields& raw);

// A total in one bucket (round, contributor kind, unit, collecting org).
struct Bucket {
  std::string key;    // round number, contributor kind, unit or org name ("" = none)
  int64_t money_vnd = 0;
  int64_t in_kind_value_vnd = 0;
  int64_t entries = 0;
};

FairMutex& ledger_lock(int64_t campaign_id);

class Store {
 public:
  Store(db::Connection& conn, const Clock& clock) : db_(conn), clock_(clock) {}

  Result<int64_t> create_campaign(const org::Org& organiser, const CampaignInput& in);
  Result<void> add_round(int64_t campaign_id, const Round& r);
  // The campaign's next round (one more than the highest), named "Đợt N" unless `name`; refused
  // when lines without a round exist.
  Result<int64_t> add_next_round(const Campaign& c, const std::string& name, const std::string& starts_on);
  Result<void> set_status(int64_t campaign_id, const std::string& status);
  Result<Campaign> campaign(int64_t id);
  // Campaigns organised in the subtree of `org` or by the levels above it, running in `year`.
  Result<std::vector<Campaign>> campaigns_for(const org::Org& org, int year);

  // Records a line; names the contributor from the member or unit; with `receipt`, numbers it.
  Result<int64_t> record(const Campaign& c, const ContributionInput& in, int64_t collected_by, const std::string& recorded_by,
                         bool receipt);
  // The reversing entry of contribution `id`, in the open campaign `c`: in the original's buckets
  // (its collector and work unit), so that each total nets to zero where the line was counted.
  Result<int64_t> reverse(const Campaign& c, int64_t id, const std::string& date, const std::string& reason,
                          const std::string& recorded_by, Date today);
  Result<int64_t> issue_receipt(const Campaign& c, int64_t id);
  // The note and printed name may change until a receipt is issued; nothing else ever does.
  Result<void> edit(int64_t id, const std::string& contributor_name, const std::string& note);
  Result<Contribution> contribution(int64_t id);
  Result<std::vector<Contribution>> ledger(int64_t campaign_id, int64_t limit, int64_t offset);
  Result<int64_t> ledger_size(int64_t campaign_id);

  Result<Totals> totals(int64_t campaign_id);
  Result<std::vector<Bucket>> by_round(int64_t campaign_id);
  Result<std::vector<Bucket>> by_contributor_kind(int64_t campaign_id);
  Result<std::vector<Bucket>> by_unit(int64_t campaign_id);
  Result<std::vector<Bucket>> by_collector(int64_t campaign_id);

  // Adds one ledger line to the running sums (contribution_sums). REQUIRES: the same
  // transaction as the line's insert. Used by record() and the bundle loader.
  Result<void> add_to_sums(const Contribution& line);

  // An outflow of `c`, dated neither in the future nor before the campaign began.
  Result<int64_t> record_outflow(const Campaign& c, const Outflow& o, Date today);
  // The reversing outflow of outflow `id` of `c` (rules::outflow_reversal_of); a second reversal of
  // the same outflow, even by a recorder at the same moment, is refused (409).
  Result<int64_t> reverse_outflow(const Campaign& c, int64_t id, const std::string& date, const std::string& reason,
                                  const std::string& recorded_by, Date today);
  Result<Outflow> outflow(int64_t id);
  Result<std::vector<Outflow>> outflows(int64_t campaign_id);
  Result<Totals> outflow_totals(int64_t campaign_id);

 private:
  // `c` with its status as it is now, its row locked until commit; with `receipt`, the next
  // receipt number taken.
  struct Lock {
    Campaign now;
    std::optional<int64_t> receipt_no;
  };
  Result<Lock> lock(const Campaign& c, bool receipt);
  // Writes a checked line as it is, with its running sums, numbered `receipt_no` if any.
  Result<int64_t> insert_line(const Campaign& c, const ContributionInput& in, int64_t collected_by, const std::string& recorded_by,
                              std::optional<int64_t> receipt_no);
  Result<int64_t> next_receipt_no(int64_t campaign_id);
  Result<int64_t> insert_outflow(const Campaign& c, const Outflow& o);
  Result<std::vector<Bucket>> buckets(const std::string& key_sql, const std::string& join, int64_t campaign_id);
  db::Connection& db_;
  const Clock& clock_;
};

}  // namespace chidoan::fund
