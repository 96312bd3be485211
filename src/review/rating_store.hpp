// SQL of the annual member rating (migrations/0016_rating.sql, docs/review.md#member-rating): the
// guidelines, the figures of each member of a branch for a year read from the activity, dues and
// org tables, and the ratings with their steps (saved, confirmed by the branch, approved or
// returned by the level above), each dated and named.
//
// Every write names the version of the rating it read (0: none stored yet) and is refused as a
// conflict if it moved meanwhile. Every step writes its audit row (entity "member_rating", the
// rating's id; actions rating_save, rating_confirm, rating_approve, rating_return) in the same
// transaction. REQUIRES: write methods run inside Connection::transaction().
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
#include "review/rating_model.hpp"

namespace chidoan::review {

// Who takes a step: the user and request (for the audit log) and their name as shown then.
using RatingActor = ReviewActor;

// What a whole-sheet step did: the members confirmed / approved, and those left out (confirm: the
// members rated here whose judgement the committee has not saved yet).
struct SheetStep {
  std::vector<int64_t> done, skipped;
};

// A member on a branch's sheet for a year: the figures, the proposal (as stored once confirmed,
// else computed now) and the stored rating if any.
struct RatingRow {
  int64_t member_id = 0;
  std::string name;
  RatingInputs inputs;
  RatingProposal proposal;
  std::optional<MemberRating> stored;
  std::string state() const { return stored ? stored->state : std::string(); }
  int64_t version() const { return stored ? stored->version : 0; }
};

class RatingStore {
 public:
  RatingStore(db::Connection& conn, const Clock& clock) : db_(conn), clock_(clock) {}

  Result<std::vector<RatingGuideline>> guidelines();
  Result<RatingGuideline> guideline_for(int64_t year);
  // Corrects a guideline's code, title and note (the later guideline's number differs between
  // sources); conflict on "code" when another guideline has it. Audited (rating_guideline).
  Result<void> set_guideline(int64_t id, const std::string& code, const std::string& title, const std::string& note,
                             const RatingActor& by);

  // Every member who spent part of `year` in the branch, in Vietnamese name order.
  Result<std::vector<RatingRow>> sheet(const org::Org& branch, int year);
  Result<RatingRow> row(const org::Org& branch, int64_t member_id, int year);
  // A hash of the sheet's stored versions and proposals: changes with every write and with every
  // change of the figures behind a proposal not yet confirmed.
  static int64_t version_of(const std::vector<RatingRow>& rows);
  Result<int64_t> sheet_version(const org::Org& branch, int year);

  // The committee's entry (only while the rating is not confirmed).
  Result<void> save(const org::Org& branch, int64_t member_id, int year, int64_t expected_version, const RatingEntry& e,
                    const RatingActor& by);
  // The branch confirms: the proposal is frozen, the level is the committee's or the proposal.
  Result<void> confirm(const org::Org& branch, int64_t member_id, int year, int64_t expected_version, const RatingActor& by);
  // The level above approves ("approved") or returns ("returned", with the reason; the level is
  // cleared). Forbidden to the user who confirmed the rating.
  Result<void> decide(const org::Org& branch, int64_t member_id, int year, int64_t expected_version, std::string_view to,
                      const std::string& reason, const RatingActor& by);
  // The whole sheet at once, if it is still at `expected_sheet_version`: confirms every member
  // rated here whose rating may be confirmed and whose judgement is saved (the others are
  // skipped) / approves every confirmed one (forbidden if the user confirmed any of them).
  Result<SheetStep> confirm_all(const org::Org& branch, int year, int64_t expected_sheet_version, const RatingActor& by);
  Result<SheetStep> approve_all(const org::Org& branch, int year, int64_t expected_sheet_version, const RatingActor& by);

  // Low-level writer for the bundle loader: a rating as recorded elsewhere. A confirmed or
  // approved one keeps its figures and reasons (inputs_json, reasons_json); the others' are
  // computed now from the loaded data.
  Result<void> insert_loaded(const org::Org& branch, int64_t member_id, int year, const MemberRating& r);

 private:
  Result<RatingRow> row_of(const org::Org& branch, int64_t member_id, int year);
  Result<void> not_rated_elsewhere(const org::Org& branch, int64_t member_id, int year);
  Result<void> confirm_row(const org::Org& branch, const RatingRow& r, int year, const RatingGuideline& g, int64_t expected_version,
                           const RatingActor& by);
  Result<void> decide_row(const org::Org& branch, const RatingRow& r, int year, int64_t expected_version, std::string_view to,
                          const std::string& reason, const RatingActor& by);
  Result<void> audited(std::string_view action, int64_t rating_id, const nlohmann::json& detail, const RatingActor& by);
  db::Connection& db_;
  const Clock& clock_;
};

// The report's part (report.cpp): the CONFIRMED or APPROVED ratings of `year` of every branch
// whose path is LIKE `org_path_prefix_like` ("/1/5/%"): {"guideline" (the codes of the guidelines
// the ratings were made under), "rated", "approved",
// "levels": [{"level", "label", "count"} × 4 in order], "narrative"}; nullopt when there are none.
Result<std::optional<nlohmann::json>> ratings_part(db::Connection& db, std::string_view org_path_prefix_like, int year);

}  // namespace chidoan::review
