#include "review/classification_bundle.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "review/bundle_records.hpp"
#include "review/classification_store.hpp"

namespace chidoan::review {
namespace {

namespace cls = classification;

struct ScoreIn {
  std::string path, criterion, source, note;
  int64_t points = 0;
  std::optional<int64_t> value;
};

struct SheetIn {
  std::string path, org, scheme, state, proposed_level, level, note, confirmed_on, confirmed_by, decided_on, decided_by,
      decided_by_org, decision_note;
  int64_t year = 0;
  std::optional<int64_t> score;
  std::vector<std::string> reasons;
  std::vector<ScoreIn> scores;
};

Result<ScoreIn> parse_score(const JsonReader& r) {
  CHIDOAN_TRY_VOID(r.only({"criterion", "source", "points", "value", "note"}));
  ScoreIn s;
  s.path = r.path;
  CHIDOAN_TRY(criterion, r.str("criterion", true));
  CHIDOAN_TRY(source, r.str("source", true));
  if (source != "computed" && source != "entered") return fail(ErrorKind::invalid, "phải là computed hoặc entered", r.path + ".source");
  CHIDOAN_TRY(points, r.integer("points"));
  CHIDOAN_TRY(value, r.opt_integer("value"));
  if ((source == "computed") != value.has_value())
    return fail(ErrorKind::invalid, "tiêu chí tính từ số liệu (và chỉ nó) có giá trị số liệu", r.path + ".value");
  CHIDOAN_TRY(note, r.str("note", false));
  s.criterion = criterion, s.source = source, s.points = points, s.value = value, s.note = note;
  return s;
}

Result<SheetIn> parse_sheet(const JsonReader& r) {
  CHIDOAN_TRY_VOID(r.only({"org", "year", "scheme", "state", "score", "proposed_level", "reasons", "level", "note", "confirmed_on",
                           "confirmed_by", "decided_on", "decided_by", "decided_by_org", "decision_note", "scores"}));
  SheetIn s;
  s.path = r.path;
  CHIDOAN_TRY(org, r.str("org", true));
  CHIDOAN_TRY(year, r.integer("year"));
  if (year < 1930 || year > 2100) return fail(ErrorKind::invalid, "năm phải từ 1930 đến 2100", r.path + ".year");
  CHIDOAN_TRY(scheme, r.str("scheme", true));
  CHIDOAN_TRY(state, r.str("state", true));
  if (std::none_of(std::begin(cls::kStates), std::end(cls::kStates), [&](const char* x) { return state == x; }))
    return fail(ErrorKind::invalid, "trạng thái phải là draft, confirmed, approved hoặc returned", r.path + ".state");
  CHIDOAN_TRY(score, r.opt_integer("score"));
  CHIDOAN_TRY(proposed, r.str("proposed_level", false));
  CHIDOAN_TRY(level, r.str("level", false));
  CHIDOAN_TRY(note, r.str("note", false));
  CHIDOAN_TRY(confirmed_on, r.date("confirmed_on", false));
  CHIDOAN_TRY(confirmed_by, r.str("confirmed_by", false));
  CHIDOAN_TRY(decided_on, r.date("decided_on", false));
  CHIDOAN_TRY(decided_by, r.str("decided_by", false));
  CHIDOAN_TRY(decided_by_org, r.str("decided_by_org", false));
  CHIDOAN_TRY(decision_note, r.str("decision_note", false));
  s.org = org, s.year = year, s.scheme = scheme, s.state = state, s.score = score, s.proposed_level = proposed, s.level = level;
  s.note = note, s.confirmed_on = confirmed_on, s.confirmed_by = confirmed_by, s.decided_on = decided_on, s.decided_by = decided_by;
  s.decided_by_org = decided_by_org, s.decision_note = decision_note;
  CHIDOAN_TRY(reasons, r.array("reasons"));
  for (size_t i = 0; i < reasons->size(); ++i) {
    if (!(*reasons)[i].is_string()) return fail(ErrorKind::invalid, "phải là chuỗi", r.path + ".reasons[" + std::to_string(i) + "]");
    s.reasons.push_back((*reasons)[i].get<std::string>());
  }
  CHIDOAN_TRY(scores, records(r, "scores", parse_score));
  s.scores = std::move(scores);

  // The steps taken must be whole: a confirmed sheet has its total, proposal and date; a decided one its org and date.
  const bool frozen = state == "confirmed" || state == "approved";
  const bool decided = state == "approved" || state == "returned";
  if (frozen && !score) return fail(ErrorKind::invalid, "bảng điểm đã xác nhận cần tổng điểm", r.path + ".score");
  if (frozen && confirmed_on.empty()) return fail(ErrorKind::invalid, "thiếu ngày chi đoàn xác nhận", r.path + ".confirmed_on");
  if (state != "approved" && !level.empty()) return fail(ErrorKind::invalid, "chỉ bảng điểm đã duyệt có mức được duyệt", r.path + ".level");
  if (decided && (decided_on.empty() || decided_by_org.empty()))
    return fail(ErrorKind::invalid, "bảng điểm đã duyệt hoặc trả lại cần ngày và tổ chức cấp trên", r.path + ".decided_on");
  if (state == "returned" && decision_note.empty()) return fail(ErrorKind::invalid, "cần lý do trả lại", r.path + ".decision_note");
  return s;
}

Result<std::vector<SheetIn>> parse_classification(const json& section) {
  JsonReader top{"$.classification", section};
  CHIDOAN_TRY_VOID(top.only({"sheets"}));
  return records(top, "sheets", parse_sheet);
}

// The sheet against its scheme: its proposed and approved levels are the scheme's (another level
// than the proposal with a reason); known criteria, each once, points within the maximum; a
// confirmed sheet scores every criterion and its total is their sum.
Result<cls::Scheme> check_scores(db::Connection& conn, const SheetIn& s) {
  const SystemClock reads_only;  // the reads below never ask the clock
  cls::Store store(conn, reads_only);
  CHIDOAN_TRY(all, store.schemes());
  auto it = std::find_if(all.begin(), all.end(), [&](const cls::Scheme& x) { return x.code == s.scheme; });
  if (it == all.end()) return fail(ErrorKind::invalid, "không có thang xếp loại " + s.scheme, s.path + ".scheme");
  // Levels are the scheme's own.
  if ((s.state == "confirmed" || s.state == "approved") && !cls::is_level(*it, s.proposed_level))
    return fail(ErrorKind::invalid, "mức đề xuất không có trong thang " + s.scheme + ": " + s.proposed_level, s.path + ".proposed_level");
  if (s.state == "approved" && !cls::is_level(*it, s.level))
    return fail(ErrorKind::invalid, "mức được duyệt không có trong thang " + s.scheme + ": " + s.level, s.path + ".level");
  if (s.state == "approved" && s.level != s.proposed_level && s.decision_note.empty())
    return fail(ErrorKind::invalid, "duyệt ở mức khác mức đề xuất cần lý do", s.path + ".decision_note");
  int64_t total = 0;
  std::set<std::string> seen;
  for (const auto& sc : s.scores) {
    auto c = std::find_if(it->criteria.begin(), it->criteria.end(), [&](const cls::Criterion& x) { return x.code == sc.criterion; });
    if (c == it->criteria.end()) return fail(ErrorKind::invalid, "tiêu chí không có trong thang " + s.scheme + ": " + sc.criterion, sc.path + ".criterion");
    if (!seen.insert(sc.criterion).second) return fail(ErrorKind::invalid, "tiêu chí ghi hai lần: " + sc.criterion, sc.path + ".criterion");
    if (sc.points < 0 || sc.points > c->max_points)
      return fail(ErrorKind::invalid, "điểm phải từ 0 đến " + std::to_string(c->max_points), sc.path + ".points");
    if (sc.source == "computed" && c->source != "computed")
      return fail(ErrorKind::invalid, "tiêu chí này do Ban Chấp hành chấm", sc.path + ".source");
    total += sc.points;
  }
  if (s.state == "confirmed" || s.state == "approved") {
    if (seen.size() != it->criteria.size()) return fail(ErrorKind::invalid, "bảng điểm đã xác nhận cần điểm của mọi tiêu chí", s.path + ".scores");
    if (*s.score != total)
      return fail(ErrorKind::invalid, "tổng điểm " + std::to_string(*s.score) + " khác tổng các tiêu chí " + std::to_string(total), s.path + ".score");
  } else {
    for (const auto& sc : s.scores)
      if (sc.source == "computed") return fail(ErrorKind::invalid, "chỉ bảng điểm đã xác nhận giữ điểm tính từ số liệu", sc.path + ".source");
  }
  return *it;
}

Result<void> validate_classification(db::Connection& conn, const json& section, const Known& known) {
  CHIDOAN_TRY(in, parse_classification(section));
  for (const auto& s : in) {
    CHIDOAN_TRY_VOID(known_org(conn, known, s.org, s.path + ".org"));
    if (!s.decided_by_org.empty()) CHIDOAN_TRY_VOID(known_org(conn, known, s.decided_by_org, s.path + ".decided_by_org"));
    CHIDOAN_TRY_VOID(check_scores(conn, s));
  }
  return {};
}

Result<void> load_classification(db::Connection& conn, const Clock& clock, const json& section, const Refs& refs) {
  CHIDOAN_TRY(in, parse_classification(section));
  for (const auto& s : in) {
    CHIDOAN_TRY(scheme, check_scores(conn, s));
    CHIDOAN_TRY(org_id, org::bundle::org_ref(conn, refs, s.org, s.path + ".org"));
    CHIDOAN_TRY(branch, conn.query_one("SELECT o.path FROM orgs o JOIN org_levels l ON l.id = o.level_id WHERE o.id = ?1 AND l.holds_members <> 0",
                                       {org_id}));
    if (!branch) return fail(ErrorKind::invalid, "chỉ chi đoàn có bảng điểm xếp loại", s.path + ".org");
    std::optional<int64_t> upper;
    if (!s.decided_by_org.empty()) {
      CHIDOAN_TRY(u, org::bundle::org_ref(conn, refs, s.decided_by_org, s.path + ".decided_by_org"));
      CHIDOAN_TRY(above, conn.query_one("SELECT 1 FROM orgs WHERE id = ?1 AND ?2 LIKE path || '%' AND id <> ?3", {u, branch->str(0), org_id}));
      if (!above) return fail(ErrorKind::invalid, "tổ chức duyệt phải là cấp trên của chi đoàn", s.path + ".decided_by_org");
      upper = u;
    }
    const std::string reasons = cls::reasons_text(s.reasons);
    auto text_or_null = [](const std::string& v) { return v.empty() ? db::Value(nullptr) : db::Value(v); };
    CHIDOAN_TRY(id, conn.insert_id(
        "INSERT INTO classification_sheets (org_id, year, scheme_id, state, version, score, proposed_level, reasons, level, note, "
        "confirmed_on, confirmed_by_name, decided_on, decided_by_name, decided_by_org_id, decision_note, created_at, updated_at) "
        "VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16) RETURNING id",
        {org_id, s.year, scheme.id, s.state, db::nullable(s.score), text_or_null(s.proposed_level), reasons, text_or_null(s.level), s.note,
         text_or_null(s.confirmed_on), s.confirmed_by, text_or_null(s.decided_on), s.decided_by, db::nullable(upper), s.decision_note,
         clock.unix_seconds()}));
    for (const auto& sc : s.scores) {
      auto c = std::find_if(scheme.criteria.begin(), scheme.criteria.end(), [&](const cls::Criterion& x) { return x.code == sc.criterion; });
      CHIDOAN_TRY_VOID(conn.execute("INSERT INTO classification_scores (sheet_id, criterion_id, source, points, measure_value, note) "
                                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                    {id, c->id, sc.source, sc.points, db::nullable(sc.value), sc.note}));
    }
  }
  return {};
}

Result<json> dump_classification(db::Connection& conn, const Clock&, const DumpScope& scope) {
  CHIDOAN_TRY(rows, conn.query("SELECT s.id, s.org_id, s.year, c.code, s.state, s.score, COALESCE(s.proposed_level, ''), s.reasons, "
                               "COALESCE(s.level, ''), s.note, COALESCE(s.confirmed_on, ''), s.confirmed_by_name, COALESCE(s.decided_on, ''), "
                               "s.decided_by_name, s.decided_by_org_id, s.decision_note FROM classification_sheets s "
                               "JOIN orgs o ON o.id = s.org_id JOIN classification_schemes c ON c.id = s.scheme_id "
                               "WHERE o.path LIKE ?1 ORDER BY s.id",
                               {scope.root_path + "%"}));
  auto null_if_empty = [](const std::string& v) { return v.empty() ? json(nullptr) : json(v); };
  json sheets = json::array();
  for (const auto& r : rows) {
    json sheet{{"org", scope.org_codes.at(r.i64(1))},
               {"year", r.i64(2)},
               {"scheme", r.str(3)},
               {"state", r.str(4)},
               {"score", r.opt_i64(5) ? json(*r.opt_i64(5)) : json(nullptr)},
               {"proposed_level", null_if_empty(r.str(6))},
               {"reasons", cls::reasons_of(r.str(7))},
               {"level", null_if_empty(r.str(8))},
               {"note", r.str(9)},
               {"confirmed_on", null_if_empty(r.str(10))},
               {"confirmed_by", r.str(11)},
               {"decided_on", null_if_empty(r.str(12))},
               {"decided_by", r.str(13)},
               {"decided_by_org", r.opt_i64(14) ? json(scope.org_codes.at(*r.opt_i64(14))) : json(nullptr)},
               {"decision_note", r.str(15)}};
    CHIDOAN_TRY(scores, conn.query("SELECT c.code, x.source, x.points, x.measure_value, x.note FROM classification_scores x "
                                   "JOIN classification_criteria c ON c.id = x.criterion_id WHERE x.sheet_id = ?1 ORDER BY c.position, c.id",
                                   {r.i64(0)}));
    json js = json::array();
    for (const auto& x : scores)
      js.push_back({{"criterion", x.str(0)}, {"source", x.str(1)}, {"points", x.i64(2)},
                    {"value", x.opt_i64(3) ? json(*x.opt_i64(3)) : json(nullptr)}, {"note", x.str(4)}});
    sheet["scores"] = js;
    sheets.push_back(std::move(sheet));
  }
  return section_of("sheets", std::move(sheets));
}

}  // namespace

chidoan::bundle::Section classification_bundle_section() { return {"classification", validate_classification, load_classification, dump_classification}; }

}  // namespace chidoan::review
