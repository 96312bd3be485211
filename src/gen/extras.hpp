// The rest of a realistic year for a generated province (gen/province.hpp): the members'
// lifecycle, dues, donation campaigns, the blood club's donors and the help desks' log and
// dossier figures — written as the modules' stores write them, so their reads and the year
// report (src/review/report.cpp) work on the result.
//
// For the subtree of `root_id` (path `root_path`, e.g. "/1/7/"), in `year` (up to the clock's
// today when the year is the current one):
//
//   lifecycle  members' first stay starts at their admission when that came later (and the
//              attendance before it goes); one event each as org::Store::add_member records it
//              ('admit' at joined_union_on when they were admitted in the branch, else 'enter'
//              at the stay's start); ~1.5 % leave (org::Store::apply_lifecycle: 'mature' /
//              matured when over 30 that day, else 'transfer_out' / transferred_out or 'remove'
//              / removed, with a reason); ~3 % transfer to another branch of the subtree
//              (org::Store::move_member: old stay closed, new one opened, branch and unit
//              changed, transfer_out + transfer_in, attendance moved); ~2.5 % newly admitted
//              ('admit', a stay from that day, attendance from then). At least one of each.
//   dues       ~22 % unsalaried (70 % of those 22 or younger, 8 % of the rest) from their first
//              stay; a payment per member, branch and quarter for the months owed to that
//              branch (docs/dues.md), at the rates in force; ~20 % of members skip ~40 % of
//              quarters. dues_paid_months rows as DuesStore::record_payment writes them.
//   fund       two campaigns of the province with two rounds each: members' money (35 % and
//              20 % take part a round), work units' goods (half of them a round), a few
//              sponsors per district; every line receipted (gapless), contribution_sums and
//              last_receipt kept, one outflow per round.
//   blood      one club at the root; ~4 % of active adult members as donors: group O 42 %,
//              B 31 %, A 21 %, AB 6 %, RhD− 0.1 %, 8 % untested (no health consent); call
//              consent, districts, donations 84+ days apart, derived columns from
//              blood::rules::standing as blood::Store::refresh computes them.
//   desk       a center at the first branch of every tenth district (at least one): a counter,
//              a catalogue of 8 procedures, 3–10 assists per working day by the branch's
//              members, and the 12 months' dossier figures (assisted = the log's count) with
//              a 30 % online target.
//
// Deterministic for `seed` on the same engine and starting database (ids included).
// REQUIRES: inside a transaction (the caller's); the connection used by this thread only.
#pragma once

#include <cstdint>
#include <string>

#include "gen/province.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/result.hpp"
#include "platform/db/db.hpp"

namespace chidoan::gen {

struct ExtrasInfo {
  int64_t events = 0;         // member_events rows written
  int64_t transfers = 0;      // members moved between branches
  int64_t left = 0;           // members who left (matured, transferred out, removed)
  int64_t admitted = 0;       // members admitted in the year (rows added to the roll)
  int64_t attendance = 0;     // attendance rows added less those removed (before joining, after moving)
  int64_t dues = 0;           // dues_payments rows
  int64_t campaigns = 0;
  int64_t contributions = 0;  // ledger lines
  int64_t donors = 0;
  int64_t desk_entries = 0;   // desk_assists rows
  int64_t dossier_rows = 0;   // desk_kpi_months rows
};

Result<ExtrasInfo> add_extras(db::Connection& conn, const Clock& clock, uint64_t seed, int64_t root_id,
                              const std::string& root_path, int year, const Progress& progress = {});

}  // namespace chidoan::gen
