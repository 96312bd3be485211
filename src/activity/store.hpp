// SQL for activities, sign-ups, attendance, hours and study campaigns.
//
// REQUIRES: write methods run inside Connection::transaction() (the caller adds the audit
// entry in the same transaction). The connection and clock must outlive the Store. One Store
// per request; not thread-safe.
#pragma once

#include <map>
#include <set>
#include <optional>
#include <string>
#include <vector>

#include "activity/model.hpp"
#include "activity/rules.hpp"
#include "org/model.hpp"
#include "platform/core/clock.hpp"
#include "platform/db/db.hpp"

namespace chidoan::activity {

// Counts of one activity for lists.
struct ActivitySummary {
  Activity activity;
  int64_t signed_up = 0;  // confirmed sign-ups
  int64_t attended = 0;   // present
};

// Participation of an org over a year: per member, per unit, and in total.
struct MemberTally {
  int64_t member_id = 0;
  std::string name;
  std::optional<int64_t> unit_id;
  std::string unit_name;
  int64_t branch_id = 0;
  Tally tally;
};
struct Participation {
  std::vector<MemberTally> members;                 // Vietnamese name order
  std::vector<std::pair<std::string, Tally>> units; // unit name ("" = none) -> tally
  Tally total;
};

struct ParticipationTotals {
  Tally total;
  int64_t participants = 0;  // members present at least once
};

struct TypeCount {
  std::string code, name;
  int64_t count = 0;
};

struct CampaignProgress {
  Activity campaign;
  int64_t expected = 0;
  int64_t completed = 0;
  std::vector<std::pair<std::string, std::pair<int64_t, int64_t>>> units;  // unit -> (completed, expected)
};

// A member expected at a study campaign: the branch of their period on its day, their unit.
struct StudyMember {
  int64_t member_id = 0;
  int64_t branch_id = 0;
  std::optional<int64_t> unit_id;
  bool completed = false;
};
// A study campaign and the members of the subtree expected at it, by member id.
struct StudyExpectation {
  Activity campaign;
  std::vector<StudyMember> members;
};

class Store {
 public:
  Store(db::Connection& conn, const Clock& clock);

  Result<std::vector<ActivityType>> types();
  Result<ActivityType> type(int64_t id);
  Result<std::optional<ActivityType>> type_by_code(const std::string& code);

  // Creates an activity organised by `org`. A branch takes part in its own activities; the
  // branches below an organiser of a higher level join its activities one by one.
  Result<int64_t> create(const org::Org& organiser, const ActivityInput& in);
  Result<void> update(int64_t id, const ActivityInput& in);
  Result<Activity> get(int64_t id);
  // Activities organised in, or joined by, the subtree of `org`, in a year, by start time.
  Result<std::vector<ActivitySummary>> for_org(const org::Org& org, int year);
  // Activities of a type for the subtree of `org` in a year (meetings, study campaigns).
  Result<std::vector<Activity>> of_type(const org::Org& org, int year, const std::string& type_code);
  // How many of for_org()'s activities each type has, types in the order their first activity
  // comes (by start time): what a year-end report counts, without reading each activity.
  Result<std::vector<TypeCount>> count_by_type(const org::Org& org, int year);
  Result<std::vector<int64_t>> taking_part(int64_t activity_id);
  // Activities of the levels above `org` in a year, not over yet, that it has not joined.
  Result<std::vector<Activity>> joinable(const org::Org& org, int year);
  // A branch (or any org) joins an activity of a level above.
  Result<void> join(int64_t activity_id, int64_t org_id);
  // Is `branch_path` inside an org taking part in the activity?
  Result<bool> takes_part(int64_t activity_id, const std::string& branch_path);

  // Sign-ups. signup() serialises on the activity row, so concurrent sign-ups never exceed
  // the capacity; a cancellation promotes the earliest waitlisted member.
  Result<rules::SignupOutcome> signup(const Activity& a, int64_t member_id);
  Result<void> cancel(const Activity& a, int64_t member_id);
  Result<std::vector<Signup>> signups(int64_t activity_id);

  // The members expected at an activity: members of the taking-part orgs on its date (when
  // it expects everyone) and those with a confirmed sign-up.
  Result<std::vector<Expected>> expected(const Activity& a);
  // Records the register: every expected member gets a row (unlisted ones: absent). A member
  // who was not expected is refused. Keeps check-in times and hours. With `branches`, only the
  // members of those branches are recorded (a branch taking part in a level above's activity
  // keeps its own register).
  Result<void> take_attendance(const Activity& a, const std::map<int64_t, std::string>& statuses,
                               const std::set<int64_t>* branches = nullptr);
  Result<std::vector<Attendance>> attendance(int64_t activity_id);
  Result<void> check_in(const Activity& a, int64_t member_id);
  Result<void> check_out(const Activity& a, int64_t member_id);
  // Hours entered by the member ("claimed") or by the committee ("approved").
  Result<void> set_minutes(const Activity& a, int64_t member_id, int64_t minutes, bool approved);
  Result<void> approve_minutes(const Activity& a, int64_t member_id, bool approve);
  // Hours kept by another module (the help desk's check-ins): the member is present with
  // `minutes`, counted as checked. Refused for a member not allowed at the activity.
  Result<void> record_checked_minutes(const Activity& a, int64_t member_id, int64_t minutes);

  // Study campaigns.
  Result<void> record_completion(const Activity& a, const StudyCompletion& c);
  Result<std::vector<StudyCompletion>> completions(int64_t activity_id);
  // The study campaigns of the subtree of `org` in a year (as of_type() lists them) with, for
  // each, who of the subtree was expected at it — what expected() says, once per member — and
  // whether they completed it. study_progress() sums it; a rating sheet counts it per member.
  Result<std::vector<StudyExpectation>> study_expectations(const org::Org& org, int year);
  Result<std::vector<CampaignProgress>> study_progress(const org::Org& org, int year);

  // Participation of the subtree of `org` in a year, from the attendance register.
  Result<Participation> participation(const org::Org& org, int year);
  // The totals of participation() alone (its `total`, and how many members were present at
  // least once), in one aggregate: a province's year without a row per member.
  Result<ParticipationTotals> participation_totals(const org::Org& org, int year);
  // Unexcused absences from monthly meetings, per member: "YYYY-MM" months.
  Result<std::map<int64_t, std::vector<std::string>>> meeting_absences(const org::Org& org, int year);

  // A member's activities (signed up, expected or attended), newest first.
  Result<std::vector<std::pair<Activity, std::optional<Attendance>>>> member_history(int64_t member_id);
  Result<std::vector<Activity>> signed_up_activities(int64_t member_id);

  // The member's secret calendar feed: a new token (the old one stops working).
  Result<std::string> rotate_feed(int64_t member_id);
  Result<std::optional<int64_t>> feed_member(const std::string& token);

  // Low-level writers for the bundle loader.
  Result<void> insert_signup(int64_t activity_id, int64_t member_id, const std::string& status, int64_t at);
  Result<void> insert_attendance(const Attendance& a);

 private:
  Result<std::optional<Expected>> expected_member(const Activity& a, int64_t member_id);
  std::string now_local() const;

  db::Connection& db_;
  const Clock& clock_;
};

}  // namespace chidoan::activity
