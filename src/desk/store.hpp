// SQL of the help desk's roster: centers, counters, shift templates, roster periods and their
// shifts, availability, assignments (sign-ups, the automatic roster, swaps, drops, no-shows,
// check-in and check-out). The assistance log and the dossier figures have stores of their own
// (assist_store.hpp, kpi_store.hpp).
//
// REQUIRES: write methods run inside Connection::transaction() (the caller audits in the same
// transaction); on an error the caller's rollback undoes any part written. The connection and
// clock outlive the Store; one Store per request or job, not thread-safe. Writes that check a
// shift's staff before adding to it first lock the shift row, so concurrent sign-ups queue.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "desk/model.hpp"
#include "desk/rules.hpp"
#include "desk/solver.hpp"
#include "platform/core/clock.hpp"
#include "platform/db/db.hpp"

namespace chidoan::desk {

class Store {
 public:
  Store(db::Connection& conn, const Clock& clock) : db_(conn), clock_(clock) {}

  // ---- Centers and counters
  Result<int64_t> create_center(int64_t org_id, const CenterInput& in);
  Result<void> update_center(int64_t id, const CenterInput& in);
  Result<Center> center(int64_t id);
  Result<std::vector<Center>> centers(int64_t org_id);  // by name
  Result<int64_t> add_counter(int64_t center_id, const std::string& name);
  Result<std::vector<Counter>> counters(int64_t center_id);  // by name

  // ---- Shift templates: two active templates of one counter never overlap (rules).
  Result<int64_t> add_template(const Template& t);
  Result<void> set_template_active(int64_t template_id, bool active);
  Result<Template> template_(int64_t id);
  Result<std::vector<Template>> templates(int64_t center_id);  // by counter, start time

  // ---- Roster periods. open_period makes the month's shifts from the active templates and the
  // volunteer activity that carries their hours (ErrorKind::conflict when the month is open).
  Result<int64_t> open_period(int64_t center_id, const std::string& month);
  // The period row alone, with its activity (made when not given); for open_period and bundles.
  Result<int64_t> insert_period(const Center& c, const std::string& month, std::optional<int64_t> activity_id);
  Result<Period> period(int64_t id);
  Result<std::optional<Period>> period_of(int64_t center_id, const std::string& month);
  Result<std::vector<Period>> periods(int64_t center_id);  // newest first
  Result<std::vector<Shift>> shifts(int64_t period_id);    // by start, counter
  Result<Shift> shift(int64_t id);

  // ---- Volunteers: the active members of the center's org and the orgs below it.
  Result<std::vector<rules::Person>> volunteers(const Center& c);
  Result<bool> is_volunteer(const Center& c, int64_t member_id);

  // ---- Availability: replaces a member's availability for the shifts of a period.
  Result<void> set_availability(int64_t period_id, int64_t member_id, const std::vector<Availability>& rows);
  Result<std::vector<Availability>> availability(int64_t period_id);  // every member's
  Result<std::vector<Availability>> availability_of(int64_t period_id, int64_t member_id);

  // ---- Assignments
  Result<std::vector<Assignment>> assignments(int64_t period_id);  // by shift, then name
  Result<std::vector<Assignment>> assignments_of_shift(int64_t shift_id);
  Result<Assignment> assignment(int64_t id);
  Result<std::optional<Assignment>> assignment_on(int64_t shift_id, int64_t member_id);
  // A member's shifts (any center) with starts in [from, to): for the rules and the calendar.
  Result<std::vector<rules::Duty>> duties_of(int64_t member_id, int64_t from, int64_t to);
  // A member's shifts with starts in [from, to), with their center and the assignment, in one
  // query (the member's page and calendar feed).
  struct MemberShift {
    Shift shift;
    std::string center_name, center_address;
    Assignment assignment;
  };
  Result<std::vector<MemberShift>> member_shifts(int64_t member_id, int64_t from, int64_t to);
  // No-shows of a member at a center whose shift started in the 365 days before now.
  Result<int> no_shows(int64_t center_id, int64_t member_id);

  // Puts a member on a shift after rules::check_take (sign-up, coordinator, swap); locks the
  // shift row first. A member's own sign-up also checks the no-show lock (rules::check_lock).
  Result<int64_t> take(const Center& c, const Shift& s, int64_t member_id, const std::string& source);
  // Takes a member off a shift (their drop at least 24 h ahead, a coordinator, an approved drop).
  Result<void> remove(int64_t shift_id, int64_t member_id);
  // A member who moved out of a branch (org::Store's moves): off the shifts not yet started, and
  // not checked in, of every center they no longer volunteer for, their open requests there
  // cancelled, so that the shifts show as short and the roster fills them. Returns how many.
  Result<int64_t> release_member(int64_t member_id);

  // Swap and drop requests.
  Result<int64_t> create_request(const Request& r);
  Result<Request> request(int64_t id);
  Result<std::vector<Request>> requests(int64_t period_id, bool open_only);
  // The member accepts a swap: they take the shift (rules::check_take) and the offerer leaves it.
  Result<void> accept_swap(const Center& c, const Request& r, int64_t member_id);
  Result<void> decide(int64_t request_id, const std::string& state, std::optional<int64_t> by_member);

  // Hours. Check-out before check-in, or twice, is refused. After check-out the member's checked
  // minutes of the period go to the period's volunteer activity (activity::Store).
  Result<void> check_in(int64_t assignment_id, int64_t at);
  Result<void> check_out(int64_t assignment_id, int64_t at);
  Result<void> set_no_show(int64_t assignment_id, bool no_show);
  // Writes a member's checked minutes of the period to the period's volunteer activity.
  Result<void> feed_hours(int64_t period_id, int64_t member_id);

  // ---- The automatic roster: fills every shift of the period to its minimum (solver.hpp).
  // Writes nothing when the solver finds the roster cannot be filled: the shortfall is returned.
  struct RosterOutcome {
    std::vector<solver::Shortfall> shortfalls;  // empty: done
    std::vector<solver::Assignment> added;
  };
  Result<RosterOutcome> auto_roster(const Center& c, const Period& p);

  // ---- The secret link to a member's iCalendar feed of shifts: a new token (the old one stops
  // working), and the member of a token.
  Result<std::string> rotate_feed(int64_t member_id);
  Result<std::optional<int64_t>> feed_member(const std::string& token);

  // ---- Low-level writer for the bundle loader.
  Result<int64_t> insert_assignment(const Assignment& a);

 private:
  static constexpr int64_t kCenterLocks = 31;  // db::lock_until_commit: a center's takers and roster
  db::Connection& db_;
  const Clock& clock_;
};

}  // namespace chidoan::desk
