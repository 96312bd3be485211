// SQL of the blood-donation club: clubs, donors and their consents, donations,
// deferrals, emergency requests, matching, the call-out log, reminders and statistics.
//
// REQUIRES: write methods run inside Connection::transaction() (the caller audits in the same
// transaction: reveals of phone numbers, interval overrides, consent changes, deletions). On an
// error a write method may have written part of its work; the caller's rollback undoes it.
// The connection and clock outlive the Store; one Store per request or job, not thread-safe.
// Writes that check before they write (the donation interval, call counts, consents) first lock
// the donor row, so concurrent writers on one donor queue instead of both passing the check.
//
// Derived columns of blood_donors (callable, next_eligible_on, eligible_until, last donation,
// call statistics) are recomputed here after every change that affects them, through
// rules::standing and rules::response_bp. Deferrals may not start in the future (validated), so
// next_eligible_on <= d < eligible_until is exactly "eligible on d" for every d from today on.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "blood/model.hpp"
#include "blood/rules.hpp"
#include "platform/core/clock.hpp"
#include "platform/db/db.hpp"

namespace chidoan::blood {

class Store {
 public:
  Store(db::Connection& conn, const Clock& clock) : db_(conn), clock_(clock) {}

  // ---- Clubs (their coordinators hold auth::Grant::blood_coordinator on the club's org)
  Result<int64_t> create_club(int64_t org_id, const std::string& name);
  Result<Club> club(int64_t id);
  // The clubs of one org, or of every org when org_id is empty; by id.
  Result<std::vector<Club>> clubs(std::optional<int64_t> org_id = std::nullopt);

  // ---- Donors
  // Registration with the join consent and the consents in `in`, dated in.consented_on (today
  // when empty). A member's sex and birth date come from the roll; one registration per member
  // and club (ErrorKind::conflict on "member_id").
  Result<int64_t> register_donor(int64_t club_id, const DonorInput& in);
  // Rewrites the profile (not the consents): sensitive fields only with their consent.
  Result<void> update_donor(int64_t donor_id, const DonorInput& in);
  Result<Donor> donor(int64_t donor_id);
  // A member's registration in a club, if any; and in every club.
  Result<std::optional<int64_t>> donor_of_member(int64_t club_id, int64_t member_id);
  Result<std::vector<int64_t>> donors_of_member(int64_t member_id);
  Result<std::vector<Donor>> donors(int64_t club_id);  // by id
  // Gives a consent dated on_date (not in the future). Giving one already given changes nothing.
  Result<void> give_consent(int64_t donor_id, Consent c, const std::string& on_date);
  // Withdraws a consent at once: health clears the group, the phenotype and the deferrals;
  // location clears district and commune; call takes the donor out of matching and reminders;
  // join deletes the donor (delete_donor).
  Result<void> withdraw_consent(int64_t donor_id, Consent c, const std::string& on_date);
  // Deletes every row of the donor (consents, donations, deferrals, calls, reminders). Their
  // donations stay counted per year in blood_removed_donations, with nothing else.
  Result<void> delete_donor(int64_t donor_id);
  Result<std::vector<ConsentEvent>> consent_events(int64_t club_id);  // by id
  Result<rules::EligibilityFacts> eligibility_facts(int64_t donor_id);
  Result<rules::Eligibility> eligibility(int64_t donor_id, Date on);

  // ---- Donations and deferrals
  struct Recorded {
    int64_t id = 0;
    std::string override_reason;  // non-empty when the interval was overridden: audit it
  };
  // Not in the future, not before the birth date, the interval respected (rules::check_interval)
  // unless in.override_reason is given.
  Result<Recorded> record_donation(int64_t donor_id, const DonationInput& in, std::optional<int64_t> request_id = std::nullopt);
  Result<void> delete_donation(int64_t donation_id);  // a correction
  Result<std::vector<Donation>> donations_of(int64_t donor_id);  // by date
  Result<std::vector<Donation>> donations(int64_t club_id);      // by id
  // Needs the health consent (ErrorKind::conflict on "consent_health").
  Result<int64_t> record_deferral(int64_t donor_id, const DeferralInput& in);
  Result<void> delete_deferral(int64_t deferral_id);  // a correction
  Result<std::vector<Deferral>> deferrals_of(int64_t donor_id);  // by start
  Result<std::vector<Deferral>> deferrals(int64_t club_id);      // by id

  // ---- Requests, matching, call-outs
  Result<int64_t> create_request(int64_t club_id, const RequestInput& in, int64_t created_by);
  Result<BloodRequest> request(int64_t id);
  Result<std::vector<BloodRequest>> requests(int64_t club_id);  // newest first
  Result<void> set_request_status(int64_t id, RequestStatus s);

  static constexpr size_t kDefaultMatchLimit = 50;
  // The best `limit` donors for the request, ranked by rules::rank: one indexed query with a
  // bucket per compatible group (and, when the request names a district, per same/other
  // district), each read in ranking order up to `limit` rows, then ranked in C++. The cost is
  // bounded by the number of buckets × limit, not by the size of the club.
  Result<std::vector<Match>> match(const BloodRequest& r, size_t limit = kDefaultMatchLimit);
  Result<std::vector<Match>> match(int64_t request_id, size_t limit = kDefaultMatchLimit);

  struct CallLogged {
    int64_t call_id = 0;
    std::optional<int64_t> donation_id;  // for "donated"
    std::string override_reason;         // see Recorded
  };
  // Logs an outcome for a donor of the request's club who consented to be called; "donated"
  // records a donation today (rules::donation_type_for the component, at the hospital), subject
  // to the interval rule. Updates the donor's response statistics. A cancelled request refuses.
  Result<CallLogged> log_call(int64_t request_id, int64_t donor_id, const CallInput& in, int64_t logged_by);
  Result<std::vector<Call>> calls(int64_t request_id);        // by id
  Result<std::vector<Call>> calls_of_club(int64_t club_id);   // by id
  // The donor's phone for the requester: only when the donor's latest outcome for this request
  // is accepted or donated (ErrorKind::forbidden otherwise) and the call consent holds.
  // The caller audits every reveal.
  Result<std::string> reveal_phone(int64_t request_id, int64_t donor_id);

  // ---- Reminders
  // Donors with the call consent whose next_eligible_on is `on` or up to kReminderCatchUpDays
  // before it (a server that was down catches up) after a donation or a deferral, still of age,
  // not yet reminded for that date.
  static constexpr int kReminderCatchUpDays = 6;
  Result<std::vector<Reminder>> due_reminders(int64_t club_id, Date on);
  // Once per donor and date: ErrorKind::conflict the second time.
  Result<void> mark_reminder_sent(int64_t donor_id, const std::string& due_on);

  Result<ClubStats> stats(int64_t club_id);

  // Recomputes the derived columns of a donor (callable, last donation, next_eligible_on,
  // eligible_until, contacts, accepted, response_bp, last_contacted_at) from its rows. Every
  // method above calls it; a loader or benchmark that inserts rows directly must call it too.
  Result<void> refresh(int64_t donor_id);

 private:
  Date today() const { return chidoan::today(clock_); }
  // Takes the donor row's write lock (PostgreSQL) before a read-check-write on the donor.
  Result<void> lock_donor(int64_t donor_id);
  Result<void> add_consent_event(int64_t donor_id, Consent c, bool given, const std::string& on_date);
  db::Connection& db_;
  const Clock& clock_;
};

}  // namespace chidoan::blood
