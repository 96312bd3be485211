#include "review/rating_store.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "activity/store.hpp"
#include "org/store.hpp"
#include "platform/auth/audit.hpp"
#include "platform/core/hash.hpp"
#include "platform/text/text.hpp"
#include "platform/text/words.hpp"
#include "review/rating_rules.hpp"

namespace chidoan::review {
namespace {

using nlohmann::json;

Error stale() {
  return Error{ErrorKind::conflict, "Kết quả đánh giá vừa được người khác thay đổi; hãy tải lại trang rồi làm lại", "version"};
}

std::string year_from(int year) { return std::to_string(year) + "-01-01"; }
std::string year_to(int year) { return std::to_string(year) + "-12-31"; }

json inputs_json(const RatingInputs& in) {
  return {{"months_in_branch", in.months_in_branch},
          {"in_branch_at_year_end", in.in_branch_at_year_end},
          {"previous_branch", in.previous_branch},
          {"activities_recorded", in.activities_recorded},
          {"activities_present", in.activities_present},
          {"meetings_recorded", in.meetings_recorded},
          {"meetings_present", in.meetings_present},
          {"meeting_absences", in.meeting_absences},
          {"study_expected", in.study_expected},
          {"study_completed", in.study_completed},
          {"dues_due_months", in.dues_due_months},
          {"dues_paid_months", in.dues_paid_months},
          {"volunteer_minutes", in.volunteer_minutes},
          {"dues_kept", in.dues_kept},
          {"hours_kept", in.hours_kept}};
}

RatingInputs inputs_from(const json& j) {
  RatingInputs in;
  if (!j.is_object()) return in;
  auto num = [&](const char* k) { return j.contains(k) && j[k].is_number_integer() ? j[k].get<int64_t>() : int64_t{0}; };
  in.months_in_branch = num("months_in_branch");
  in.in_branch_at_year_end = j.value("in_branch_at_year_end", false);
  in.previous_branch = j.value("previous_branch", std::string());
  in.activities_recorded = num("activities_recorded");
  in.activities_present = num("activities_present");
  in.meetings_recorded = num("meetings_recorded");
  in.meetings_present = num("meetings_present");
  in.meeting_absences = num("meeting_absences");
  in.study_expected = num("study_expected");
  in.study_completed = num("study_completed");
  in.dues_due_months = num("dues_due_months");
  in.dues_paid_months = num("dues_paid_months");
  in.volunteer_minutes = num("volunteer_minutes");
  in.dues_kept = j.value("dues_kept", false);
  in.hours_kept = j.value("hours_kept", false);
  return in;
}

constexpr const char* kRatingColumns =
    "SELECT r.id, r.member_id, r.branch_id, r.year, r.guideline_id, r.state, r.discipline, r.conduct, r.note, r.proposed_level, "
    "r.inputs, r.reasons, r.chosen_level, r.level_reason, r.level, r.confirmed_at, r.confirmed_by_name, r.decided_at, "
    "r.decided_by_name, r.return_reason, r.version, r.confirmed_by FROM member_ratings r ";

MemberRating rating_of(const db::Row& r) {
  MemberRating m;
  m.id = r.i64(0);
  m.member_id = r.i64(1);
  m.branch_id = r.i64(2);
  m.year = r.i64(3);
  m.guideline_id = r.i64(4);
  m.state = r.str(5);
  m.judgement = {r.str(6), r.str(7), r.str(8)};
  if (!r.is_null(9)) m.proposed_level = r.str(9);
  m.inputs_json = r.str(10);
  m.reasons_json = r.str(11);
  if (!r.is_null(12)) m.chosen_level = r.str(12);
  m.level_reason = r.str(13);
  if (!r.is_null(14)) m.level = r.str(14);
  m.confirmed_at = r.opt_i64(15);
  m.confirmed_by_name = r.str(16);
  m.decided_at = r.opt_i64(17);
  m.decided_by_name = r.str(18);
  m.return_reason = r.str(19);
  m.version = r.i64(20);
  m.confirmed_by = r.opt_i64(21);
  return m;
}

// The members with a period in the branch during the year (a subquery on ?1 branch, ?2/?3 the year).
constexpr const char* kSheetMembers =
    "SELECT member_id FROM member_periods WHERE branch_id = ?1 AND from_on <= ?3 AND (to_on IS NULL OR to_on > ?2)";

db::Value opt_text(const std::optional<std::string>& s) { return s ? db::Value(*s) : db::Value(nullptr); }

Result<std::vector<RatingGuideline>> load_guidelines(db::Connection& db) {
  CHIDOAN_TRY(rows, db.query("SELECT id, code, title, from_year, to_year, note, min_months FROM rating_guidelines ORDER BY from_year, id"));
  CHIDOAN_TRY(ts, db.query("SELECT guideline_id, level, min_participation_pct, min_meeting_pct, max_meeting_absences, min_study_pct, "
                            "min_dues_pct, min_volunteer_hours, max_discipline, min_conduct, basis FROM rating_thresholds"));
  std::vector<RatingGuideline> out;
  for (const auto& r : rows) {
    RatingGuideline g{r.i64(0), r.str(1), r.str(2), r.i64(3), r.opt_i64(4), r.str(5), r.i64(6), {}};
    // Best level first: the proposal takes the first level whose criteria are all met.
    for (const char* level : kRatingLevels)
      for (const auto& t : ts)
        if (t.i64(0) == g.id && t.str(1) == level)
          g.thresholds.push_back({t.str(1), t.i64(2), t.i64(3), t.i64(4), t.i64(5), t.i64(6), t.i64(7), t.str(8), t.str(9), t.str(10)});
    out.push_back(std::move(g));
  }
  return out;
}

Result<RatingGuideline> guideline_of_year(db::Connection& db, int64_t year) {
  CHIDOAN_TRY(all, load_guidelines(db));
  return rating::guideline_for(year, all);
}

}  // namespace

Result<std::vector<RatingGuideline>> RatingStore::guidelines() { return load_guidelines(db_); }
Result<RatingGuideline> RatingStore::guideline_for(int64_t year) { return guideline_of_year(db_, year); }

Result<void> RatingStore::set_guideline(int64_t id, const std::string& code, const std::string& title, const std::string& note,
                                        const RatingActor& by) {
  CHIDOAN_TRY(old, db_.query_one("SELECT code FROM rating_guidelines WHERE id = ?1", {id}));
  if (!old) return fail(ErrorKind::not_found, "Không có hướng dẫn này");
  CHIDOAN_TRY(taken, db_.query_one("SELECT id FROM rating_guidelines WHERE code = ?1 AND id <> ?2", {code, id}));
  if (taken) return fail(ErrorKind::conflict, "Đã có hướng dẫn khác mang số hiệu " + code, "code");
  CHIDOAN_TRY_VOID(db_.execute("UPDATE rating_guidelines SET code = ?1, title = ?2, note = ?3 WHERE id = ?4", {code, title, note, id}));
  audit::AuditEntry e{by.actor.user_id, by.actor.username, "rating_guideline", "rating_guideline", id,
                      json{{"old_code", old->str(0)}, {"code", code}, {"title", title}}.dump(), by.actor.request_id, by.actor.ip};
  return audit::record(db_, clock_, e);
}

Result<std::vector<RatingRow>> RatingStore::sheet(const org::Org& branch, int year) {
  const std::string from = year_from(year), to = year_to(year), y = std::to_string(year);
  CHIDOAN_TRY(g, guideline_for(year));
  CHIDOAN_TRY(members, db_.query("SELECT m.id, m.family_name, m.middle_name, m.given_name, m.sort_key FROM members m WHERE m.id IN (" +
                                     std::string(kSheetMembers) + ") ORDER BY m.sort_key, m.id",
                                 {branch.id, from, to}));
  std::vector<RatingRow> rows;
  std::map<int64_t, size_t> at;
  for (const auto& m : members) {
    at[m.i64(0)] = rows.size();
    RatingRow row;
    row.member_id = m.i64(0);
    row.name = org::full_name_of(m, 1);
    rows.push_back(std::move(row));
  }
  if (rows.empty()) return rows;

  // Months in the branch, whether still there at the year's end, and the branch they came from.
  CHIDOAN_TRY(periods, db_.query("SELECT p.member_id, p.branch_id, p.from_on, COALESCE(p.to_on, ''), o.name FROM member_periods p "
                                 "JOIN orgs o ON o.id = p.branch_id WHERE p.member_id IN (" + std::string(kSheetMembers) +
                                     ") AND p.from_on <= ?3 AND (p.to_on IS NULL OR p.to_on > ?2) ORDER BY p.member_id, p.from_on, p.id",
                                 {branch.id, from, to}));
  std::map<int64_t, std::vector<std::pair<std::string, std::string>>> here;
  for (const auto& p : periods) {
    RatingInputs& in = rows[at.at(p.i64(0))].inputs;
    const std::string p_from = p.str(2), p_to = p.str(3);
    if (p.i64(1) == branch.id) {
      here[p.i64(0)].push_back({p_from, p_to});
      if (p_to.empty() || p_to > to) in.in_branch_at_year_end = true;
    } else if (here[p.i64(0)].empty()) {
      in.previous_branch = p.str(4);  // the latest other branch before the first period here
    }
  }
  for (auto& r : rows) r.inputs.months_in_branch = rating::months_in_year(here[r.member_id], year);
  // Come in the year from a branch outside the database (entered or transferred in): the old branch
  // is unnamed but exists.
  CHIDOAN_TRY(entered, db_.query("SELECT member_id FROM member_events WHERE branch_id = ?1 AND kind IN ('enter', 'transfer_in') "
                                 "AND effective_on >= ?2 AND effective_on <= ?3",
                                 {branch.id, from, to}));
  for (const auto& e : entered) {
    auto it = at.find(e.i64(0));
    if (it != at.end() && rows[it->second].inputs.previous_branch.empty())
      rows[it->second].inputs.previous_branch = "chi đoàn nơi sinh hoạt trước khi chuyển đến";
  }

  // The branch's attendance registers of the year; an excused absence is in no denominator.
  CHIDOAN_TRY(att, db_.query("SELECT d.member_id, CAST(SUM(CASE WHEN d.status <> 'excused' THEN 1 ELSE 0 END) AS BIGINT), "
                             "CAST(SUM(CASE WHEN d.status = 'present' THEN 1 ELSE 0 END) AS BIGINT), "
                             "CAST(SUM(CASE WHEN t.code = 'meeting' AND d.status <> 'excused' THEN 1 ELSE 0 END) AS BIGINT), "
                             "CAST(SUM(CASE WHEN t.code = 'meeting' AND d.status = 'present' THEN 1 ELSE 0 END) AS BIGINT), "
                             "CAST(SUM(CASE WHEN t.code = 'meeting' AND d.status = 'absent' THEN 1 ELSE 0 END) AS BIGINT), "
                             "CAST(SUM(CASE WHEN d.hours_state IN ('checked', 'approved') THEN d.minutes ELSE 0 END) AS BIGINT) "
                             "FROM attendance d JOIN activities a ON a.id = d.activity_id JOIN activity_types t ON t.id = a.type_id "
                             "WHERE d.branch_id = ?1 AND d.on_date >= ?2 AND d.on_date <= ?3 GROUP BY d.member_id",
                             {branch.id, from, to}));
  for (const auto& r : att) {
    auto it = at.find(r.i64(0));
    if (it == at.end()) continue;
    RatingInputs& in = rows[it->second].inputs;
    in.activities_recorded = r.i64(1);
    in.activities_present = r.i64(2);
    in.meetings_recorded = r.i64(3);
    in.meetings_present = r.i64(4);
    in.meeting_absences = r.i64(5);
    in.volunteer_minutes = r.i64(6);
  }
  // The branch keeps an hours register when it recorded volunteer hours for anyone in the year.
  CHIDOAN_TRY(hours, db_.query_one("SELECT COUNT(*) FROM attendance WHERE branch_id = ?1 AND on_date >= ?2 AND on_date <= ?3 "
                                   "AND hours_state <> 'none'",
                                   {branch.id, from, to}));
  for (auto& r : rows) r.inputs.hours_kept = hours->i64(0) > 0;

  // Study campaigns: expected in this branch (their period of the campaign's day is here), and
  // completed. A member with two overlapping periods on the day counts once.
  activity::Store acts(db_, clock_);
  CHIDOAN_TRY(campaigns, acts.study_expectations(branch, year));
  for (const auto& c : campaigns) {
    for (const auto& e : c.members) {
      auto it = at.find(e.member_id);
      if (e.branch_id != branch.id || it == at.end()) continue;
      ++rows[it->second].inputs.study_expected;
      rows[it->second].inputs.study_completed += e.completed;
    }
  }

  // Dues: the months spent here (as counted above) not exempt are due; paid wherever they were.
  // A branch that never recorded a dues payment keeps no dues register: not counted.
  CHIDOAN_TRY(register_rows, db_.query_one("SELECT COUNT(*) FROM dues_payments WHERE branch_id = ?1", {branch.id}));
  const bool dues_kept = register_rows->i64(0) > 0;
  for (auto& r : rows) r.inputs.dues_kept = dues_kept;
  CHIDOAN_TRY(paid, db_.query("SELECT member_id, month FROM dues_paid_months WHERE member_id IN (" + std::string(kSheetMembers) +
                                  ") AND month >= ?4 AND month <= ?5",
                              {branch.id, from, to, y + "-01", y + "-12"}));
  if (dues_kept) {
    CHIDOAN_TRY(exempt, db_.query("SELECT member_id, from_month, to_month FROM dues_exemptions WHERE member_id IN (" +
                                      std::string(kSheetMembers) + ") AND from_month <= ?5 AND to_month >= ?4",
                                  {branch.id, from, to, y + "-01", y + "-12"}));
    std::set<std::pair<int64_t, std::string>> paid_months;
    for (const auto& p : paid) paid_months.insert({p.i64(0), p.str(1)});
    for (auto& r : rows) {
      for (int m = 1; m <= 12; ++m) {
        const std::string month = rating::month_of(year, m);
        if (!rating::within(here[r.member_id], month + "-15")) continue;
        if (std::any_of(exempt.begin(), exempt.end(), [&](const db::Row& e) {
              return e.i64(0) == r.member_id && e.str(1) <= month && month <= e.str(2);
            }))
          continue;
        ++r.inputs.dues_due_months;
        r.inputs.dues_paid_months += paid_months.contains({r.member_id, month});
      }
    }
  }

  // What is stored; a confirmed rating shows the proposal it was confirmed with.
  CHIDOAN_TRY(stored, db_.query(std::string(kRatingColumns) + "WHERE r.branch_id = ?1 AND r.year = ?2", {branch.id, int64_t{year}}));
  for (const auto& s : stored) {
    auto it = at.find(s.i64(1));
    if (it == at.end()) continue;
    rows[it->second].stored = rating_of(s);
  }
  for (auto& r : rows) {
    if (r.stored && (r.stored->state == "confirmed" || r.stored->state == "approved")) {
      r.inputs = inputs_from(json::parse(r.stored->inputs_json, nullptr, false));
      r.proposal.tenure = rating::tenure_of(r.inputs, g.min_months);
      r.proposal.level = r.stored->proposed_level;
      json reasons = json::parse(r.stored->reasons_json, nullptr, false);
      if (reasons.is_array())
        for (const auto& x : reasons) r.proposal.reasons.push_back(x.get<std::string>());
    } else {
      r.proposal = rating::propose(g, r.inputs, r.stored ? r.stored->judgement : RatingJudgement{});
    }
  }
  return rows;
}

Result<RatingRow> RatingStore::row_of(const org::Org& branch, int64_t member_id, int year) {
  CHIDOAN_TRY(rows, sheet(branch, year));
  for (auto& r : rows)
    if (r.member_id == member_id) return std::move(r);
  return fail(ErrorKind::not_found, "Đoàn viên không sinh hoạt tại chi đoàn trong năm " + std::to_string(year), "member_id");
}

Result<void> RatingStore::audited(std::string_view action, int64_t rating_id, const json& detail, const RatingActor& by) {
  audit::AuditEntry e{by.actor.user_id, by.actor.username, std::string(action), "member_rating", rating_id, detail.dump(),
                      by.actor.request_id, by.actor.ip};
  return audit::record(db_, clock_, e);
}

Result<RatingRow> RatingStore::row(const org::Org& branch, int64_t member_id, int year) { return row_of(branch, member_id, year); }

int64_t RatingStore::version_of(const std::vector<RatingRow>& rows) {
  // FNV-1a over each member's stored version and proposal: moves with every write and with every
  // change of the figures behind an unconfirmed proposal. 52 bits, exact in JSON numbers.
  Fnv1a h;
  for (const auto& r : rows) {
    h.field(std::to_string(r.member_id)).field(std::to_string(r.version())).field(r.proposal.level.value_or(""));
    for (const auto& reason : r.proposal.reasons) h.field(reason);
  }
  return static_cast<int64_t>(h.value() & ((uint64_t{1} << 52) - 1));
}

Result<int64_t> RatingStore::sheet_version(const org::Org& branch, int year) {
  CHIDOAN_TRY(rows, sheet(branch, year));
  return version_of(rows);
}

namespace {

Result<void> rated_here(const RatingRow& r) {
  if (r.proposal.tenure == Tenure::not_rated_here)
    return fail(ErrorKind::invalid, "Chi đoàn không đánh giá, xếp loại đoàn viên này năm nay: " + r.proposal.reasons.front(), "member_id");
  return {};
}

// An insert that lost a race for (member, year) to another request is a stale read, not the DB's message.
Error stale_if_conflict(const Error& e) { return e.kind == ErrorKind::conflict ? stale() : e; }

}  // namespace

// A member has one rating a year: one kept by another branch (confirmed there before a transfer)
// is refused with its name.
Result<void> RatingStore::not_rated_elsewhere(const org::Org& branch, int64_t member_id, int year) {
  CHIDOAN_TRY(other, db_.query_one("SELECT o.name FROM member_ratings r JOIN orgs o ON o.id = r.branch_id "
                                   "WHERE r.member_id = ?1 AND r.year = ?2 AND r.branch_id <> ?3",
                                   {member_id, int64_t{year}, branch.id}));
  if (other)
    return fail(ErrorKind::conflict,
                "Đoàn viên đã có kết quả đánh giá, xếp loại năm " + std::to_string(year) + " do " + other->str(0) + " lưu; mỗi năm chỉ một kết quả",
                "member_id");
  return {};
}

Result<void> RatingStore::save(const org::Org& branch, int64_t member_id, int year, int64_t expected_version, const RatingEntry& e,
                               const RatingActor& by) {
  CHIDOAN_TRY(r, row_of(branch, member_id, year));
  CHIDOAN_TRY_VOID(rated_here(r));
  if (r.version() != expected_version) return std::unexpected(stale());
  if (!rating::may_edit(r.state()))
    return fail(ErrorKind::conflict, "Kết quả đã được chi đoàn xác nhận: chỉ sửa được khi cấp trên trả lại", "state");
  CHIDOAN_TRY(g, guideline_for(year));
  RatingProposal p = rating::propose(g, r.inputs, e.judgement);
  CHIDOAN_TRY(entry, rating::against_proposal(e, p.level));
  const std::string state = r.state().empty() ? "draft" : r.state();
  const json reasons = p.reasons;
  std::vector<db::Value> params{member_id,
                                branch.id,
                                int64_t{year},
                                g.id,
                                state,
                                entry.judgement.discipline,
                                entry.judgement.conduct,
                                entry.judgement.note,
                                opt_text(p.level),
                                inputs_json(r.inputs).dump(),
                                reasons.dump(),
                                opt_text(entry.chosen_level),
                                entry.level_reason,
                                clock_.unix_seconds()};
  const json detail{{"member_id", member_id}, {"branch_id", branch.id}, {"year", year}, {"discipline", entry.judgement.discipline},
                    {"conduct", entry.judgement.conduct}, {"proposed_level", p.level ? json(*p.level) : json(nullptr)},
                    {"chosen_level", entry.chosen_level ? json(*entry.chosen_level) : json(nullptr)}, {"level_reason", entry.level_reason}};
  if (!r.stored) {
    CHIDOAN_TRY_VOID(not_rated_elsewhere(branch, member_id, year));
    auto id = db_.insert_id("INSERT INTO member_ratings (member_id, branch_id, year, guideline_id, state, discipline, conduct, note, "
                            "proposed_level, inputs, reasons, chosen_level, level_reason, created_at, updated_at) "
                            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14) RETURNING id",
                            params);
    if (!id) return std::unexpected(stale_if_conflict(id.error()));
    return audited("rating_save", *id, detail, by);
  }
  params.push_back(r.stored->id);
  params.push_back(expected_version);
  CHIDOAN_TRY(n, db_.execute("UPDATE member_ratings SET guideline_id = ?4, state = ?5, discipline = ?6, conduct = ?7, note = ?8, "
                             "proposed_level = ?9, inputs = ?10, reasons = ?11, chosen_level = ?12, level_reason = ?13, updated_at = ?14, "
                             "version = version + 1 WHERE id = ?15 AND version = ?16 AND member_id = ?1 AND branch_id = ?2 AND year = ?3",
                             params));
  if (n != 1) return std::unexpected(stale());
  return audited("rating_save", r.stored->id, detail, by);
}

Result<void> RatingStore::confirm(const org::Org& branch, int64_t member_id, int year, int64_t expected_version, const RatingActor& by) {
  CHIDOAN_TRY(r, row_of(branch, member_id, year));
  CHIDOAN_TRY(g, guideline_for(year));
  return confirm_row(branch, r, year, g, expected_version, by);
}

Result<void> RatingStore::confirm_row(const org::Org& branch, const RatingRow& r, int year, const RatingGuideline& g,
                                      int64_t expected_version, const RatingActor& by) {
  CHIDOAN_TRY_VOID(rated_here(r));
  if (r.version() != expected_version) return std::unexpected(stale());
  if (!rating::may_confirm(r.state()))
    return fail(ErrorKind::conflict, "Kết quả đã được chi đoàn xác nhận (" + rating::state_label(r.state()) + ")", "state");
  const int64_t member_id = r.member_id;
  const RatingJudgement j = r.stored ? r.stored->judgement : RatingJudgement{};
  RatingProposal p = rating::propose(g, r.inputs, j);
  RatingEntry e{j, r.stored ? r.stored->chosen_level : std::nullopt, r.stored ? r.stored->level_reason : std::string()};
  CHIDOAN_TRY(entry, rating::against_proposal(e, p.level));
  const std::string level = entry.chosen_level.value_or(*p.level);
  const json reasons = p.reasons;
  const int64_t now = clock_.unix_seconds();
  std::vector<db::Value> params{member_id,       branch.id,         int64_t{year},
                                g.id,            j.discipline,      j.conduct,
                                j.note,          *p.level,          inputs_json(r.inputs).dump(),
                                reasons.dump(),  opt_text(entry.chosen_level), entry.level_reason,
                                level,           now,               db::nullable(by.actor.user_id),
                                by.name};
  const json detail{{"member_id", member_id}, {"branch_id", branch.id}, {"year", year}, {"proposed_level", *p.level}, {"level", level}};
  if (!r.stored) {
    CHIDOAN_TRY_VOID(not_rated_elsewhere(branch, member_id, year));
    auto id = db_.insert_id("INSERT INTO member_ratings (member_id, branch_id, year, guideline_id, state, discipline, conduct, note, "
                            "proposed_level, inputs, reasons, chosen_level, level_reason, level, confirmed_at, confirmed_by, "
                            "confirmed_by_name, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, 'confirmed', ?5, ?6, ?7, ?8, ?9, ?10, "
                            "?11, ?12, ?13, ?14, ?15, ?16, ?14, ?14) RETURNING id",
                            params);
    if (!id) return std::unexpected(stale_if_conflict(id.error()));
    return audited("rating_confirm", *id, detail, by);
  }
  params.push_back(r.stored->id);
  params.push_back(expected_version);
  CHIDOAN_TRY(n, db_.execute("UPDATE member_ratings SET guideline_id = ?4, state = 'confirmed', discipline = ?5, conduct = ?6, note = ?7, "
                             "proposed_level = ?8, inputs = ?9, reasons = ?10, chosen_level = ?11, level_reason = ?12, level = ?13, "
                             "confirmed_at = ?14, confirmed_by = ?15, confirmed_by_name = ?16, decided_at = NULL, decided_by = NULL, "
                             "decided_by_name = '', updated_at = ?14, version = version + 1 "
                             "WHERE id = ?17 AND version = ?18 AND member_id = ?1 AND branch_id = ?2 AND year = ?3",
                             params));
  if (n != 1) return std::unexpected(stale());
  return audited("rating_confirm", r.stored->id, detail, by);
}

Result<void> RatingStore::decide(const org::Org& branch, int64_t member_id, int year, int64_t expected_version, std::string_view to,
                                 const std::string& reason, const RatingActor& by) {
  CHIDOAN_TRY(r, row_of(branch, member_id, year));
  return decide_row(branch, r, year, expected_version, to, reason, by);
}

Result<void> RatingStore::decide_row(const org::Org& branch, const RatingRow& r, int year, int64_t expected_version, std::string_view to,
                                     const std::string& reason, const RatingActor& by) {
  CHIDOAN_TRY(note, rating::check_decision(to, reason));
  if (r.version() != expected_version) return std::unexpected(stale());
  if (!rating::may_decide(r.state()))
    return fail(ErrorKind::conflict, "Chỉ phê duyệt hoặc trả lại được kết quả chi đoàn đã xác nhận (hiện: " + rating::state_label(r.state()) + ")",
                "state");
  // Two people: whoever confirmed for the branch never decides for the level above too.
  if (r.stored->confirmed_by && r.stored->confirmed_by == by.actor.user_id)
    return fail(ErrorKind::forbidden, "Người đã xác nhận kết quả cho chi đoàn không tự phê duyệt hoặc trả lại kết quả đó");
  // A return keeps its reason and clears the level (it counts nowhere until confirmed again); an
  // approval keeps the last return's reason for the record.
  CHIDOAN_TRY(n, db_.execute("UPDATE member_ratings SET state = ?1, decided_at = ?2, decided_by = ?3, decided_by_name = ?4, updated_at = ?2, "
                             "version = version + 1, return_reason = CASE WHEN ?1 = 'returned' THEN ?7 ELSE return_reason END, "
                             "level = CASE WHEN ?1 = 'returned' THEN NULL ELSE level END "
                             "WHERE id = ?5 AND version = ?6 AND state = 'confirmed'",
                             {std::string(to), clock_.unix_seconds(), db::nullable(by.actor.user_id), by.name, r.stored->id,
                              expected_version, note}));
  if (n != 1) return std::unexpected(stale());
  return audited(to == "approved" ? "rating_approve" : "rating_return", r.stored->id,
                 {{"member_id", r.member_id}, {"branch_id", branch.id}, {"year", year}, {"level", r.stored->level.value_or("")}, {"reason", note}},
                 by);
}

Result<SheetStep> RatingStore::confirm_all(const org::Org& branch, int year, int64_t expected_sheet_version, const RatingActor& by) {
  CHIDOAN_TRY(rows, sheet(branch, year));
  if (version_of(rows) != expected_sheet_version) return std::unexpected(stale());
  CHIDOAN_TRY(g, guideline_for(year));
  SheetStep out;
  for (const auto& r : rows) {
    if (r.proposal.tenure == Tenure::not_rated_here || !rating::may_confirm(r.state())) continue;
    // The committee judges discipline and conduct: a member it has not saved is not confirmed blind.
    if (!r.stored) {
      out.skipped.push_back(r.member_id);
      continue;
    }
    CHIDOAN_TRY_VOID(confirm_row(branch, r, year, g, r.version(), by));
    out.done.push_back(r.member_id);
  }
  return out;
}

Result<SheetStep> RatingStore::approve_all(const org::Org& branch, int year, int64_t expected_sheet_version, const RatingActor& by) {
  CHIDOAN_TRY(rows, sheet(branch, year));
  if (version_of(rows) != expected_sheet_version) return std::unexpected(stale());
  SheetStep out;
  for (const auto& r : rows) {
    if (!rating::may_decide(r.state())) continue;
    CHIDOAN_TRY_VOID(decide_row(branch, r, year, r.version(), "approved", "", by));
    out.done.push_back(r.member_id);
  }
  return out;
}

Result<void> RatingStore::insert_loaded(const org::Org& branch, int64_t member_id, int year, const MemberRating& m) {
  CHIDOAN_TRY(r, row_of(branch, member_id, year));
  CHIDOAN_TRY_VOID(rated_here(r));
  CHIDOAN_TRY(g, guideline_for(year));
  // A confirmed or approved rating keeps the figures and reasons it was confirmed with; the others
  // are recomputed from the loaded data, as the sheet does.
  const bool frozen = m.state == "confirmed" || m.state == "approved";
  std::string inputs = m.inputs_json, reasons = m.reasons_json;
  if (!frozen) {
    RatingProposal p = rating::propose(g, r.inputs, m.judgement);
    inputs = inputs_json(r.inputs).dump();
    reasons = json(p.reasons).dump();
  }
  const int64_t created = m.confirmed_at.value_or(clock_.unix_seconds());
  CHIDOAN_TRY_VOID(db_.execute("INSERT INTO member_ratings (member_id, branch_id, year, guideline_id, state, discipline, conduct, note, proposed_level, "
                     "inputs, reasons, chosen_level, level_reason, level, confirmed_at, confirmed_by_name, decided_at, decided_by_name, "
                     "return_reason, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
                     "?17, ?18, ?19, ?20, ?20)",
                     {member_id, branch.id, int64_t{year}, g.id, m.state, m.judgement.discipline, m.judgement.conduct, m.judgement.note,
                      opt_text(m.proposed_level), inputs, reasons, opt_text(m.chosen_level),
                      m.level_reason, opt_text(m.level), db::nullable(m.confirmed_at), m.confirmed_by_name,
                      db::nullable(m.decided_at), m.decided_by_name, m.return_reason, created}));
  return {};
}

Result<std::optional<nlohmann::json>> ratings_part(db::Connection& db, std::string_view org_path_prefix_like, int year) {
  // The guideline each rating was made under (the year's may have been corrected since).
  CHIDOAN_TRY(rows, db.query("SELECT r.level, g.code, COUNT(*), CAST(SUM(CASE WHEN r.state = 'approved' THEN 1 ELSE 0 END) AS BIGINT) "
                             "FROM member_ratings r JOIN orgs o ON o.id = r.branch_id JOIN rating_guidelines g ON g.id = r.guideline_id "
                             "WHERE o.path LIKE ?1 AND r.year = ?2 AND r.state IN ('confirmed', 'approved') GROUP BY r.level, g.code "
                             "ORDER BY g.code",
                             {std::string(org_path_prefix_like), int64_t{year}}));
  if (rows.empty()) return std::optional<json>{};
  std::map<std::string, int64_t> count;
  std::vector<std::string> codes;
  int64_t rated = 0, approved = 0;
  for (const auto& r : rows) {
    count[r.str(0)] += r.i64(2);
    if (std::find(codes.begin(), codes.end(), r.str(1)) == codes.end()) codes.push_back(r.str(1));
    rated += r.i64(2);
    approved += r.i64(3);
  }
  const std::string guideline = text::join(codes, ", ", " và ");
  json levels = json::array();
  std::vector<std::string> phrases;
  for (const char* level : kRatingLevels) {
    levels.push_back({{"level", level}, {"label", rating::level_label(level)}, {"count", count[level]}});
    if (count[level] == 0) continue;
    phrases.push_back(text::format_int(count[level]) + " đoàn viên " + rating::level_in_sentence(level) + " (" +
                      text::format_percent(static_cast<double>(count[level]) / static_cast<double>(rated), 2) + ")");
  }
  std::string n = "Năm " + std::to_string(year) + ", " + text::format_int(rated) + " đoàn viên được đánh giá, xếp loại theo " + guideline + ": " +
                  text::join(phrases, ", ", " và ") + "; " +
                  (approved == rated ? std::string("kết quả đã được cấp trên phê duyệt.")
                   : approved == 0   ? std::string("kết quả đã được chi đoàn xác nhận, đang chờ cấp trên phê duyệt.")
                                     : text::format_int(approved) + " kết quả đã được cấp trên phê duyệt, số còn lại đang chờ phê duyệt.");
  return std::optional<json>{json{{"guideline", guideline}, {"rated", rated}, {"approved", approved}, {"levels", levels}, {"narrative", n}}};
}

}  // namespace chidoan::review
