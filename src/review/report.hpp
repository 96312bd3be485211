// The year-end report (báo cáo tổng kết năm) of an organisation, computed from the data of every
// module — never typed, never written into templates or code. One JSON document holds every
// figure; the HTML page, the command line and (later) PDF and XLSX are renderings of it.
//
// For a branch, the branch's year; for an upper level, every branch beneath it as of the year's
// end, rolled up. Parts without data are absent (not zero-filled), so a report says only what
// happened.
#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

#include "platform/core/clock.hpp"
#include "platform/core/result.hpp"
#include "platform/db/db.hpp"

namespace chidoan::review {

// The report of `org_id` for `year` (docs/review.md "The report's JSON"). At least:
//   org: {id, code, name, level, as_of "YYYY-12-31", events: [{on, kind, text}]}  // e.g. the split of 04/2021
//   members: {total, units, unit_names: [...], branches, by_sex: {male, female}, joined, left}
//   study: {campaigns, rate (0..1), completed, expected, narrative}
//   activities: {total, by_type: [{type, name, count}], volunteer_hours, participants, narrative}
//   campaigns: [{name, rounds: [{no, name, money_vnd}], money_vnd, in_kind: [{item, quantity, unit}], narrative}]
//   blood: {donors, donations, requests, narrative}
//   desk: {online, total, rate (0..1), target (0..1), met, shifts, assists, narrative}
//   ideas: {forums, ideas, supports, accepted, implemented, narrative}
//   produce: {cycles, orders, members, value_vnd, narrative}
//   dues: {paid_vnd, members_paid, narrative}
//   news: {posts}
//   awards: [{kind, kind_label, title, issuer, decision_no, decision_on, recipient}]
//   classification: null when nothing is recorded for the year, else classification_part's object
//                   (classification_store.hpp): the org's own level, and its branches' levels
//   narrative: [paragraphs in Vietnamese, one per part present]
// Errors: not_found for the org; invalid on "year" outside 1930..2100.
Result<nlohmann::json> year_report(db::Connection& db, const Clock& clock, int64_t org_id, int year);

}  // namespace chidoan::review
