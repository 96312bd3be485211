// SQL of branch classification (migrations/0017_classification.sql): the schemes, the year's
// measures of a branch read from the other modules' data, the sheets and their steps, and the
// classification part of the year-end report.
//
// Every write names the sheet's version it was made against (0: no sheet yet); a sheet changed
// meanwhile, or in a state that does not allow the step, gives a conflict and nothing is written.
// Every write records its audit entry itself, dated by the clock, as `by`.
// REQUIRES: writes run inside Connection::transaction(). The connection and clock outlive the
// store; one store per request or job, not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "org/model.hpp"
#include "platform/auth/model.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/result.hpp"
#include "platform/db/db.hpp"
#include "review/actor.hpp"
#include "review/classification_model.hpp"
#include "review/classification_rules.hpp"

namespace chidoan::review::classification {

// Who takes a step: the audit's actor and the name the sheet shows (review/actor.hpp).
using By = ReviewActor;

// A sheet as its page shows it: stored lines once confirmed, live ones before.
struct SheetView {
  org::Org org;
  int64_t year = 0;
  Scheme scheme;
  std::optional<Sheet> sheet;  // none: nothing recorded yet
  std::vector<Line> lines;
  Proposal proposal;           // live, or as frozen at confirmation
  std::string state() const { return sheet ? sheet->state : "none"; }
  int64_t version() const { return sheet ? sheet->version : 0; }
};

// A branch beneath an upper level with its sheet of the year, for the approval list.
struct BranchState {
  org::Org org;
  std::optional<Sheet> sheet;
};

class Store {
 public:
  Store(db::Connection& conn, const Clock& clock) : db_(conn), clock_(clock) {}

  Result<std::vector<Scheme>> schemes();
  // The scheme of `year`; invalid on "year" when no scheme covers it.
  Result<Scheme> scheme_for(int64_t year);
  Result<Scheme> scheme(int64_t id);
  // The year's data of a branch: study, meetings, activities, volunteers, dues, and the members'
  // ratings of the year confirmed by the branch or approved above.
  Result<Measures> measures(const org::Org& branch, int64_t year);

  Result<std::optional<Sheet>> sheet(int64_t org_id, int64_t year);
  Result<std::map<int64_t, StoredScore>> scores(int64_t sheet_id);
  // The branch's sheet of the year (invalid on "org_id" for an org that holds no members).
  Result<SheetView> view(const org::Org& branch, int64_t year);
  // The branches of the subtree of `upper` standing on 31/12 of the year, below it, in tree order.
  Result<std::vector<BranchState>> below(const org::Org& upper, int64_t year);

  // The committee's points for an entered criterion (step "score").
  Result<Sheet> set_score(const org::Org& branch, int64_t year, int64_t expected_version, const std::string& criterion,
                          const std::string& points, const std::string& note, const By& by);
  // The branch confirms the sheet as it stands: its computed criteria, total and proposal are
  // frozen; every entered criterion must be scored (invalid on "points" otherwise).
  Result<Sheet> confirm(const org::Org& branch, int64_t year, int64_t expected_version, const std::string& note, const By& by);
  // The level above (`upper`: the org the approver acts for) approves, or returns with a reason.
  // Forbidden to the user who confirmed the sheet (confirmed_by): two people take the two steps.
  Result<Sheet> decide(const org::Org& branch, int64_t year, int64_t expected_version, std::string_view step, const Decision& d,
                       const org::Org& upper, const By& by);

 private:
  Result<Sheet> write_step(const org::Org& branch, int64_t year, int64_t expected_version, std::string_view step, const Scheme& scheme);
  db::Connection& db_;
  const Clock& clock_;
};

// The "classification" part of the year-end report of `org` (and its subtree): JSON null when nothing is recorded, else {scheme, level, label, score,
// max_score, state, approved_by, approved_on, narrative} for the org's own confirmed or approved
// sheet, and "branches": {total, levels: [{level, label, count}]} over the approved sheets of the
// branches beneath, each named by its own sheet's scheme (the levels of the schemes in use, best
// first; docs/review.md).
Result<nlohmann::json> classification_part(db::Connection& db, const Clock& clock, const org::Org& org, int year);

}  // namespace chidoan::review::classification

namespace chidoan::review {
using classification::classification_part;
}  // namespace chidoan::review
