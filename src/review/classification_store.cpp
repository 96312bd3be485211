#include "review/classification_store.hpp"

#include <algorithm>
#include <set>

#include "activity/dues_store.hpp"
#include "activity/store.hpp"
#include "org/store.hpp"
#include "platform/auth/audit.hpp"
#include "platform/core/date.hpp"
#include "platform/text/text.hpp"
#include "platform/text/words.hpp"

namespace chidoan::review::classification {
namespace {

using nlohmann::json;

constexpr const char* kSheetSelect =
    "SELECT s.id, s.org_id, s.year, s.scheme_id, s.state, s.version, s.score, COALESCE(s.proposed_level, ''), s.reasons, "
    "COALESCE(s.level, ''), s.note, COALESCE(s.confirmed_on, ''), s.confirmed_by, s.confirmed_by_name, COALESCE(s.decided_on, ''), "
    "s.decided_by, s.decided_by_name, s.decided_by_org_id, s.decision_note, COALESCE(d.name, '') "
    "FROM classification_sheets s LEFT JOIN orgs d ON d.id = s.decided_by_org_id ";

Sheet sheet_of(const db::Row& r) {
  Sheet s;
  s.id = r.i64(0);
  s.org_id = r.i64(1);
  s.year = r.i64(2);
  s.scheme_id = r.i64(3);
  s.state = r.str(4);
  s.version = r.i64(5);
  s.score = r.opt_i64(6);
  s.proposed_level = r.str(7);
  s.reasons = r.str(8);
  s.level = r.str(9);
  s.note = r.str(10);
  s.confirmed_on = r.str(11);
  s.confirmed_by = r.opt_i64(12);
  s.confirmed_by_name = r.str(13);
  s.decided_on = r.str(14);
  s.decided_by = r.opt_i64(15);
  s.decided_by_name = r.str(16);
  s.decided_by_org_id = r.opt_i64(17);
  s.decision_note = r.str(18);
  s.decided_by_org_name = r.str(19);
  return s;
}

Error stale() {
  return Error{ErrorKind::conflict, "Bảng điểm vừa được người khác thay đổi; hãy tải lại trang rồi làm lại", "version"};
}

}  // namespace

// ---- Schemes

Result<std::vector<Scheme>> Store::schemes() {
  CHIDOAN_TRY(rows, db_.query("SELECT id, code, name, source, valid_from, valid_to FROM classification_schemes ORDER BY valid_from, id"));
  std::vector<Scheme> out;
  for (const auto& r : rows) {
    Scheme s{r.i64(0), r.str(1), r.str(2), r.str(3), r.i64(4), r.opt_i64(5), {}, {}};
    CHIDOAN_TRY(cs, db_.query("SELECT id, code, name, max_points, source, COALESCE(measure, ''), COALESCE(full_at, 0) "
                              "FROM classification_criteria WHERE scheme_id = ?1 ORDER BY position, id",
                              {s.id}));
    for (const auto& c : cs) s.criteria.push_back({c.i64(0), c.str(1), c.str(2), c.i64(3), c.str(4), c.str(5), c.i64(6)});
    CHIDOAN_TRY(ls, db_.query("SELECT level, name, min_score, max_not_completed_bp FROM classification_levels WHERE scheme_id = ?1 "
                              "ORDER BY position",
                              {s.id}));
    for (const auto& l : ls) s.levels.push_back({l.str(0), l.str(1), l.i64(2), l.opt_i64(3)});
    out.push_back(std::move(s));
  }
  return out;
}

Result<Scheme> Store::scheme_for(int64_t year) {
  CHIDOAN_TRY(all, schemes());
  const Scheme* s = scheme_for_year(all, year);
  if (!s) return fail(ErrorKind::invalid, "Chưa có thang xếp loại chi đoàn cho năm " + std::to_string(year), "year");
  return *s;
}

Result<Scheme> Store::scheme(int64_t id) {
  CHIDOAN_TRY(all, schemes());
  for (const auto& s : all)
    if (s.id == id) return s;
  return fail(ErrorKind::not_found, "Không tìm thấy thang xếp loại");
}

// ---- Measures

Result<Measures> Store::measures(const org::Org& b, int64_t year) {
  Measures m;
  const int y = static_cast<int>(year);
  const auto [from, to] = year_span(year);
  activity::Store acts(db_, clock_);

  CHIDOAN_TRY(progress, acts.study_progress(b, y));
  int64_t completed = 0, expected = 0;
  for (const auto& p : progress) completed += p.completed, expected += p.expected;
  if (expected > 0) m.values["study_rate"] = basis_points(completed, expected);

  // Months of the year the branch stood, and those of them with a branch meeting.
  const std::string first = std::max(from, b.founded_on.empty() ? from : b.founded_on).substr(0, 7);
  std::string last = to.substr(0, 7);
  if (!b.ended_on.empty() && b.ended_on <= to) last = std::min(last, b.ended_on.substr(0, 7));
  if (first <= last) {
    const int64_t months = std::stoi(last.substr(5)) - std::stoi(first.substr(5)) + 1;
    CHIDOAN_TRY(meetings, acts.of_type(b, y, "meeting"));
    std::set<std::string> held;
    for (const auto& a : meetings)
      if (a.starts_at.substr(0, 7) >= first && a.starts_at.substr(0, 7) <= last) held.insert(a.starts_at.substr(0, 7));
    m.values["meetings_rate"] = basis_points(static_cast<int64_t>(held.size()), months);
  }

  CHIDOAN_TRY(by_type, acts.count_by_type(b, y));
  int64_t held_total = 0;
  for (const auto& t : by_type) held_total += t.count;
  m.values["activities_held"] = held_total;

  CHIDOAN_TRY(members, org::Store(db_, clock_).member_count(b, to));
  if (members > 0) {
    CHIDOAN_TRY(v, db_.query_one("SELECT COUNT(DISTINCT t.member_id) FROM attendance t JOIN activities a ON a.id = t.activity_id "
                                 "WHERE t.branch_id = ?1 AND t.status = 'present' AND a.expects_all = 0 AND t.on_date >= ?2 AND t.on_date <= ?3",
                                 {b.id, from, to}));
    m.values["volunteer_rate"] = std::min<int64_t>(10000, basis_points(v->i64(0), members));
  }

  // Dues of the months up to now (the whole year once it is over).
  const Date d = today(clock_);
  const auto now = activity::dues::Month::of(static_cast<int>(d.year()), static_cast<unsigned>(d.month()));
  const auto current = std::min(activity::dues::Month::of(y, 12), now);
  if (current >= activity::dues::Month::of(y, 1)) {
    CHIDOAN_TRY(book, activity::dues::DuesStore(db_, clock_).book(b.id, y, current));
    int64_t owed = 0, paid = 0;
    for (const auto& mf : book.months)
      if (mf.month <= current) owed += mf.expected, paid += mf.paid;
    if (owed > 0) m.values["dues_rate"] = std::min<int64_t>(10000, basis_points(paid, owed));
  }

  // Members' ratings of the year kept by the branch (member_ratings, migration 0016, written by the
  // member-rating module): those confirmed by the branch or approved above (a returned one counts
  // again once the branch confirms it anew).
  CHIDOAN_TRY(rows, db_.query("SELECT r.level, COUNT(*) FROM member_ratings r WHERE r.year = ?1 AND r.branch_id = ?2 "
                              "AND r.state IN ('confirmed', 'approved') GROUP BY r.level",
                              {year, b.id}));
  int64_t good = 0;
  for (const auto& r : rows) {
    const std::string level = r.str(0);
    m.rated += r.i64(1);
    if (level == "excellent" || level == "good") good += r.i64(1);
    if (level == "not_completed") m.not_completed += r.i64(1);
  }
  if (m.rated > 0) m.values["ratings_good_rate"] = basis_points(good, m.rated);
  return m;
}

// ---- Sheets

Result<std::optional<Sheet>> Store::sheet(int64_t org_id, int64_t year) {
  CHIDOAN_TRY(row, db_.query_one(std::string(kSheetSelect) + "WHERE s.org_id = ?1 AND s.year = ?2", {org_id, year}));
  if (!row) return std::optional<Sheet>();
  return std::optional<Sheet>(sheet_of(*row));
}

Result<std::map<int64_t, StoredScore>> Store::scores(int64_t sheet_id) {
  CHIDOAN_TRY(rows, db_.query("SELECT criterion_id, source, points, measure_value, note FROM classification_scores WHERE sheet_id = ?1",
                              {sheet_id}));
  std::map<int64_t, StoredScore> out;
  for (const auto& r : rows) out[r.i64(0)] = StoredScore{r.str(1), r.i64(2), r.opt_i64(3), r.str(4)};
  return out;
}

Result<SheetView> Store::view(const org::Org& branch, int64_t year) {
  if (!branch.holds_members) return fail(ErrorKind::invalid, "Chỉ chi đoàn có bảng điểm xếp loại", "org_id");
  SheetView v;
  v.org = branch;
  v.year = year;
  CHIDOAN_TRY(sheet, this->sheet(branch.id, year));
  v.sheet = sheet;
  if (sheet) {
    CHIDOAN_TRY(s, scheme(sheet->scheme_id));
    v.scheme = std::move(s);
  } else {
    CHIDOAN_TRY(s, scheme_for(year));
    v.scheme = std::move(s);
  }
  std::map<int64_t, StoredScore> stored;
  if (sheet) {
    CHIDOAN_TRY(sc, scores(sheet->id));
    stored = std::move(sc);
  }
  const bool frozen = sheet && (sheet->state == "confirmed" || sheet->state == "approved");
  if (frozen) {
    for (const auto& c : v.scheme.criteria) {
      Line l{c, "entered", std::nullopt, std::nullopt, ""};
      if (auto it = stored.find(c.id); it != stored.end()) l = Line{c, it->second.source, it->second.value, it->second.points, it->second.note};
      v.proposal.max_score += c.max_points;
      v.lines.push_back(std::move(l));
    }
    v.proposal.score = sheet->score.value_or(0);
    v.proposal.level = sheet->proposed_level;
    v.proposal.reasons = reasons_of(sheet->reasons);
    return v;
  }
  CHIDOAN_TRY(m, measures(branch, year));
  std::map<int64_t, Entered> entered;
  for (const auto& [id, s] : stored)
    if (s.source == "entered") entered[id] = Entered{s.points, s.note};
  v.lines = live_lines(v.scheme, m, entered);
  v.proposal = propose(v.scheme, v.lines, m);
  return v;
}

Result<std::vector<BranchState>> Store::below(const org::Org& upper, int64_t year) {
  CHIDOAN_TRY(all, org::Store(db_, clock_).orgs(upper.id));
  const std::string to = year_span(year).to;
  std::vector<BranchState> out;
  for (const auto& o : all) {
    if (o.id == upper.id || !o.holds_members || !o.stands_on(to)) continue;
    CHIDOAN_TRY(s, sheet(o.id, year));
    out.push_back({o, s});
  }
  return out;
}

// ---- Steps

// Creates the sheet if there is none yet (version 0), checks the step against its state, and
// moves its version on from `expected_version`: the row stays locked to this transaction.
Result<Sheet> Store::write_step(const org::Org& branch, int64_t year, int64_t expected_version, std::string_view step,
                                const Scheme& scheme) {
  const int64_t now = clock_.unix_seconds();
  if (step == "score" || step == "confirm")
    CHIDOAN_TRY_VOID(db_.execute("INSERT INTO classification_sheets (org_id, year, scheme_id, state, version, created_at, updated_at) "
                                 "VALUES (?1, ?2, ?3, 'draft', 0, ?4, ?4) ON CONFLICT (org_id, year) DO NOTHING",
                                 {branch.id, year, scheme.id, now}));
  CHIDOAN_TRY(current, sheet(branch.id, year));
  if (!current) return fail(ErrorKind::not_found, "Chi đoàn chưa có bảng điểm xếp loại năm " + std::to_string(year), "year");
  CHIDOAN_TRY_VOID(check_step(current->state, step));
  CHIDOAN_TRY(n, db_.execute("UPDATE classification_sheets SET version = version + 1, updated_at = ?1 WHERE id = ?2 AND version = ?3",
                             {now, current->id, expected_version}));
  if (n != 1) return std::unexpected(stale());
  current->version = expected_version + 1;
  return *current;
}

Result<Sheet> Store::set_score(const org::Org& branch, int64_t year, int64_t expected_version, const std::string& criterion,
                               const std::string& points, const std::string& note, const By& by) {
  if (!branch.holds_members) return fail(ErrorKind::invalid, "Chỉ chi đoàn có bảng điểm xếp loại", "org_id");
  CHIDOAN_TRY(existing, sheet(branch.id, year));
  CHIDOAN_TRY(scheme, existing ? this->scheme(existing->scheme_id) : scheme_for(year));
  CHIDOAN_TRY(m, measures(branch, year));
  CHIDOAN_TRY(in, validate_entered(scheme, m, criterion, points, note));
  CHIDOAN_TRY(s, write_step(branch, year, expected_version, "score", scheme));
  CHIDOAN_TRY_VOID(db_.execute("INSERT INTO classification_scores (sheet_id, criterion_id, source, points, note) VALUES (?1, ?2, 'entered', ?3, ?4) "
                               "ON CONFLICT (sheet_id, criterion_id) DO UPDATE SET source = 'entered', points = ?3, note = ?4, measure_value = NULL",
                               {s.id, in.first->id, in.second.points, in.second.note}));
  audit::AuditEntry e{by.actor.user_id, by.actor.username, "score", "classification_sheet", s.id,
                      json{{"org_id", branch.id}, {"year", year}, {"criterion", criterion}, {"points", in.second.points}, {"note", in.second.note}}.dump(),
                      by.actor.request_id, by.actor.ip};
  CHIDOAN_TRY_VOID(audit::record(db_, clock_, e));
  return s;
}

Result<Sheet> Store::confirm(const org::Org& branch, int64_t year, int64_t expected_version, const std::string& note, const By& by) {
  CHIDOAN_TRY(clean, text::clean_field(note, "note", "Ghi chú", 500, true));
  CHIDOAN_TRY(v, view(branch, year));
  if (v.proposal.missing > 0 || v.proposal.level.empty()) {
    const std::string why = v.proposal.reasons.size() > 1 ? v.proposal.reasons[1] : "Bảng điểm chưa đủ để đề xuất mức xếp loại";
    return fail(ErrorKind::invalid, why, "points");
  }
  CHIDOAN_TRY(s, write_step(branch, year, expected_version, "confirm", v.scheme));
  CHIDOAN_TRY_VOID(db_.execute("DELETE FROM classification_scores WHERE sheet_id = ?1", {s.id}));
  for (const auto& l : v.lines)
    CHIDOAN_TRY_VOID(db_.execute("INSERT INTO classification_scores (sheet_id, criterion_id, source, points, measure_value, note) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                 {s.id, l.criterion.id, l.source, l.points.value_or(0), db::nullable(l.value), l.note}));
  const std::string reasons = reasons_text(v.proposal.reasons);
  const std::string on = to_iso(today(clock_));
  CHIDOAN_TRY_VOID(db_.execute("UPDATE classification_sheets SET state = 'confirmed', score = ?1, proposed_level = ?2, reasons = ?3, "
                               "level = NULL, note = ?4, confirmed_on = ?5, confirmed_by = ?6, confirmed_by_name = ?7, decided_on = NULL, "
                               "decided_by = NULL, decided_by_name = '', decided_by_org_id = NULL, decision_note = '' WHERE id = ?8",
                               {v.proposal.score, v.proposal.level, reasons, clean, on, db::nullable(by.actor.user_id), by.name, s.id}));
  audit::AuditEntry e{by.actor.user_id, by.actor.username, "confirm", "classification_sheet", s.id,
                      json{{"org_id", branch.id}, {"year", year}, {"score", v.proposal.score}, {"proposed_level", v.proposal.level}, {"note", clean}}.dump(),
                      by.actor.request_id, by.actor.ip};
  CHIDOAN_TRY_VOID(audit::record(db_, clock_, e));
  CHIDOAN_TRY(after, sheet(branch.id, year));
  return *after;
}

Result<Sheet> Store::decide(const org::Org& branch, int64_t year, int64_t expected_version, std::string_view step, const Decision& d,
                            const org::Org& upper, const By& by) {
  if (step != "approve" && step != "return") return fail(ErrorKind::invalid, "Bước không hợp lệ", "step");
  CHIDOAN_TRY(current, sheet(branch.id, year));
  if (!current) return fail(ErrorKind::not_found, "Chi đoàn chưa có bảng điểm xếp loại năm " + std::to_string(year), "year");
  // Two people take the two steps: whoever confirmed the sheet for the branch does not decide on it.
  if (current->confirmed_by && by.actor.user_id == current->confirmed_by)
    return fail(ErrorKind::forbidden, "Người đã xác nhận bảng điểm cho chi đoàn không tự duyệt hoặc trả lại bảng điểm đó", "step");
  CHIDOAN_TRY(scheme, this->scheme(current->scheme_id));
  CHIDOAN_TRY(s, write_step(branch, year, expected_version, step, scheme));
  const std::string on = to_iso(today(clock_));
  const bool approve = step == "approve";
  CHIDOAN_TRY_VOID(db_.execute("UPDATE classification_sheets SET state = ?1, level = ?2, decided_on = ?3, decided_by = ?4, decided_by_name = ?5, "
                               "decided_by_org_id = ?6, decision_note = ?7 WHERE id = ?8",
                               {std::string(approve ? "approved" : "returned"), approve ? db::Value(d.level) : db::Value(nullptr), on,
                                db::nullable(by.actor.user_id), by.name, upper.id, d.note, s.id}));
  json detail{{"org_id", branch.id}, {"year", year}, {"by_org_id", upper.id}, {"note", d.note}};
  if (approve) {
    detail["level"] = d.level;
    detail["proposed_level"] = s.proposed_level;
  }
  audit::AuditEntry e{by.actor.user_id, by.actor.username, std::string(step), "classification_sheet", s.id, detail.dump(),
                      by.actor.request_id, by.actor.ip};
  CHIDOAN_TRY_VOID(audit::record(db_, clock_, e));
  CHIDOAN_TRY(after, sheet(branch.id, year));
  return *after;
}

// ---- The year-end report's part

Result<json> classification_part(db::Connection& db, const Clock& clock, const org::Org& org, int year) {
  Store store(db, clock);
  json out = json::object();
  std::vector<std::string> sentences;

  // Only a branch keeps a score sheet of its own.
  std::optional<Sheet> own;
  if (org.holds_members) {
    CHIDOAN_TRY(sheet, store.sheet(org.id, year));
    own = std::move(sheet);
  }
  if (own && (own->state == "confirmed" || own->state == "approved")) {
    CHIDOAN_TRY(scheme, store.scheme(own->scheme_id));
    int64_t max_score = 0;
    for (const auto& c : scheme.criteria) max_score += c.max_points;
    const bool approved = own->state == "approved";
    const std::string level = approved ? own->level : own->proposed_level;
    const std::string label = level_name(scheme, level);
    out["scheme"] = scheme.name;
    out["level"] = level;
    out["label"] = label;
    out["score"] = own->score.value_or(0);
    out["max_score"] = max_score;
    out["state"] = own->state;
    out["approved_by"] = approved ? json(own->decided_by_org_name) : json(nullptr);
    out["approved_on"] = approved ? json(own->decided_on) : json(nullptr);
    sentences.push_back(narrative(year, label, own->score.value_or(0), max_score, own->state, own->decided_by_org_name, own->decided_on));
  }

  // The branches below with an approved sheet, each level named by its own sheet's scheme.
  CHIDOAN_TRY(rows, db.query("SELECT s.scheme_id, s.level, COUNT(*) FROM classification_sheets s JOIN orgs o ON o.id = s.org_id "
                             "WHERE o.path LIKE ?1 AND o.id <> ?2 AND s.year = ?3 AND s.state = 'approved' GROUP BY s.scheme_id, s.level",
                             {org.path + "%", org.id, static_cast<int64_t>(year)}));
  if (!rows.empty()) {
    std::map<std::pair<int64_t, std::string>, int64_t> counts;  // (scheme id, level) -> branches
    int64_t total = 0;
    for (const auto& r : rows) counts[{r.i64(0), r.str(1)}] += r.i64(2), total += r.i64(2);
    // The levels of the schemes in use, best first (a level of the same code and name once).
    json levels = json::array();
    std::vector<std::string> parts;
    CHIDOAN_TRY(all, store.schemes());
    for (const auto& scheme : all) {
      if (std::none_of(counts.begin(), counts.end(), [&](const auto& c) { return c.first.first == scheme.id; })) continue;
      for (const auto& l : scheme.levels) {
        const int64_t n = counts[{scheme.id, l.level}];
        auto same = std::find_if(levels.begin(), levels.end(), [&](const json& x) { return x["level"] == l.level && x["label"] == l.name; });
        if (same != levels.end())
          (*same)["count"] = (*same)["count"].get<int64_t>() + n;
        else
          levels.push_back({{"level", l.level}, {"label", l.name}, {"count", n}});
      }
    }
    for (const auto& l : levels)
      if (l["count"].get<int64_t>() > 0)
        parts.push_back(text::format_int(l["count"].get<int64_t>()) + " chi đoàn \u201C" + l["label"].get<std::string>() + "\u201D");
    out["branches"] = {{"total", total}, {"levels", levels}};
    sentences.push_back("Năm " + std::to_string(year) + ", " + text::format_int(total) + " chi đoàn trong toàn " + org.name +
                        " được cấp trên công nhận xếp loại: " + text::join(parts, ", ", " và ") + ".");
  }
  if (out.empty()) return json(nullptr);
  out["narrative"] = text::join(sentences, " ", " ");
  return out;
}

}  // namespace chidoan::review::classification
