#include "review/rating_bundle.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "org/bundle.hpp"
#include "org/store.hpp"
#include "platform/core/date.hpp"
#include "platform/core/json_reader.hpp"
#include "review/bundle_records.hpp"
#include "review/rating_rules.hpp"
#include "review/rating_store.hpp"

namespace chidoan::review {
namespace {

struct RatingIn {
  std::string path, branch, member;
  int year = 0;
  MemberRating r;
};

constexpr std::initializer_list<const char*> kKeys = {"branch", "member", "year", "state", "discipline", "conduct", "note",
                                                      "proposed_level", "chosen_level", "level_reason", "level", "confirmed_at",
                                                      "confirmed_by", "decided_at", "decided_by", "return_reason", "inputs", "reasons"};

// A guideline's corrections (matched on from_year and to_year, the years it covers).
struct GuidelineIn {
  std::string path;
  RatingGuideline g;
};

struct SectionIn {
  std::vector<GuidelineIn> guidelines;
  std::vector<RatingIn> ratings;
};

Result<std::optional<std::string>> opt_level(const JsonReader& r, const char* key) {
  CHIDOAN_TRY(v, r.str(key, false));
  if (v.empty()) return std::optional<std::string>();
  if (!rating::is_level(v)) return fail(ErrorKind::invalid, "mức xếp loại không hợp lệ: " + v.substr(0, 40), r.path + "." + key);
  return std::optional<std::string>(v);
}

Result<std::optional<int64_t>> opt_instant(const JsonReader& r, const char* key) {
  CHIDOAN_TRY(v, r.str(key, false));
  if (v.empty()) return std::optional<int64_t>();
  auto at = parse_local_seconds(v);
  if (!at) return fail(ErrorKind::invalid, "thời điểm không hợp lệ (YYYY-MM-DDTHH:MM:SS): " + v.substr(0, 40), r.path + "." + key);
  return at;
}

Result<RatingIn> parse_rating(const JsonReader& r) {
  CHIDOAN_TRY_VOID(r.only(kKeys));
  RatingIn out;
  out.path = r.path;
  CHIDOAN_TRY(branch, r.str("branch", true));
  out.branch = branch;
  CHIDOAN_TRY(member, r.str("member", true));
  out.member = member;
  CHIDOAN_TRY(year, r.integer("year"));
  if (year < 1930 || year > 2100) return fail(ErrorKind::invalid, "năm phải từ 1930 đến 2100", r.path + ".year");
  out.year = static_cast<int>(year);
  CHIDOAN_TRY(state, r.str("state", true));
  if (state != "draft" && state != "confirmed" && state != "approved" && state != "returned")
    return fail(ErrorKind::invalid, "trạng thái phải là draft, confirmed, approved hoặc returned", r.path + ".state");
  out.r.state = state;
  RawFields raw;
  for (const char* key : {"discipline", "conduct", "note", "level_reason"}) {
    CHIDOAN_TRY(v, r.str(key, false));
    raw[key] = v;
  }
  auto entry = rating::validate_entry(raw);
  if (!entry) return fail(ErrorKind::invalid, entry.error().message, r.path + "." + entry.error().field);
  out.r.judgement = entry->judgement;
  out.r.level_reason = entry->level_reason;
  CHIDOAN_TRY(proposed, opt_level(r, "proposed_level"));
  CHIDOAN_TRY(chosen, opt_level(r, "chosen_level"));
  CHIDOAN_TRY(level, opt_level(r, "level"));
  out.r.proposed_level = proposed;
  out.r.chosen_level = chosen;
  out.r.level = level;
  if (chosen && chosen != proposed && out.r.level_reason.empty())
    return fail(ErrorKind::invalid, "cần lý do (level_reason) khi mức chọn khác mức đề xuất", r.path + ".level_reason");
  CHIDOAN_TRY(confirmed_at, opt_instant(r, "confirmed_at"));
  CHIDOAN_TRY(decided_at, opt_instant(r, "decided_at"));
  out.r.confirmed_at = confirmed_at;
  out.r.decided_at = decided_at;
  const bool confirmed = state == "confirmed" || state == "approved";
  if (confirmed && (!level || !confirmed_at))
    return fail(ErrorKind::invalid, "kết quả đã xác nhận cần mức (level) và thời điểm xác nhận (confirmed_at)", r.path + ".level");
  if (!confirmed && level) return fail(ErrorKind::invalid, "chỉ kết quả đã xác nhận mới có mức (level)", r.path + ".level");
  // The frozen record of a confirmed rating: the proposal, the figures and the reasons it was confirmed with.
  if (confirmed && (!proposed || *level != chosen.value_or(*proposed)))
    return fail(ErrorKind::invalid, "mức (level) phải là mức chọn (chosen_level), không có thì là mức đề xuất (proposed_level)",
                r.path + ".level");
  const auto inputs = r.j.find("inputs");
  const auto reasons = r.j.find("reasons");
  const bool has_inputs = inputs != r.j.end() && !inputs->is_null(), has_reasons = reasons != r.j.end() && !reasons->is_null();
  if (confirmed) {
    if (!has_inputs || !inputs->is_object())
      return fail(ErrorKind::invalid, "kết quả đã xác nhận cần số liệu lúc xác nhận (inputs: một đối tượng)", r.path + ".inputs");
    if (!has_reasons || !reasons->is_array() ||
        !std::all_of(reasons->begin(), reasons->end(), [](const json& x) { return x.is_string(); }))
      return fail(ErrorKind::invalid, "kết quả đã xác nhận cần lý do đề xuất (reasons: một mảng chuỗi)", r.path + ".reasons");
    out.r.inputs_json = inputs->dump();
    out.r.reasons_json = reasons->dump();
  } else if (has_inputs || has_reasons) {
    return fail(ErrorKind::invalid, "chỉ kết quả đã xác nhận mang số liệu và lý do (inputs, reasons): còn lại tính khi nạp",
                r.path + (has_inputs ? ".inputs" : ".reasons"));
  }
  if ((state == "approved" || state == "returned") && !decided_at)
    return fail(ErrorKind::invalid, "cần thời điểm cấp trên quyết định (decided_at)", r.path + ".decided_at");
  for (auto [key, field] : {std::pair{"confirmed_by", &out.r.confirmed_by_name}, std::pair{"decided_by", &out.r.decided_by_name},
                            std::pair{"return_reason", &out.r.return_reason}}) {
    CHIDOAN_TRY(v, r.str(key, false));
    *field = v;
  }
  if (state == "returned" && out.r.return_reason.empty())
    return fail(ErrorKind::invalid, "kết quả bị trả lại cần lý do (return_reason)", r.path + ".return_reason");
  return out;
}

Result<GuidelineIn> parse_guideline(const JsonReader& r) {
  CHIDOAN_TRY_VOID(r.only({"code", "title", "note", "from_year", "to_year", "min_months"}));
  RawFields raw;
  for (const char* key : {"code", "title", "note"}) {
    CHIDOAN_TRY(v, r.str(key, key != std::string_view("note")));
    raw[key] = v;
  }
  auto in = rating::validate_guideline(raw);
  if (!in) return fail(ErrorKind::invalid, in.error().message, r.path + "." + in.error().field);
  GuidelineIn out;
  out.path = r.path;
  out.g.code = in->code;
  out.g.title = in->title;
  out.g.note = in->note;
  CHIDOAN_TRY(from_year, r.integer("from_year"));
  CHIDOAN_TRY(to_year, r.opt_integer("to_year"));
  CHIDOAN_TRY(min_months, r.integer("min_months"));
  if (min_months < 0 || min_months > 12) return fail(ErrorKind::invalid, "số tháng tối thiểu phải từ 0 đến 12", r.path + ".min_months");
  out.g.from_year = from_year;
  out.g.to_year = to_year;
  out.g.min_months = min_months;
  return out;
}

Result<SectionIn> parse_ratings(const json& section) {
  JsonReader top{"$.rating", section};
  CHIDOAN_TRY_VOID(top.only({"guidelines", "ratings"}));
  CHIDOAN_TRY(guidelines, records(top, "guidelines", parse_guideline));
  CHIDOAN_TRY(ratings, records(top, "ratings", parse_rating));
  return SectionIn{std::move(guidelines), std::move(ratings)};
}

// The stored guideline covering the same years as `in`; invalid on its path when there is none.
Result<int64_t> guideline_id(db::Connection& conn, const GuidelineIn& in) {
  CHIDOAN_TRY(row, conn.query_one("SELECT id FROM rating_guidelines WHERE from_year = ?1 AND COALESCE(to_year, -1) = ?2",
                                  {in.g.from_year, in.g.to_year.value_or(-1)}));
  if (!row)
    return fail(ErrorKind::invalid, "không có hướng dẫn đánh giá cho các năm " + std::to_string(in.g.from_year) + "–" +
                                        (in.g.to_year ? std::to_string(*in.g.to_year) : std::string("nay")),
                in.path + ".from_year");
  return row->i64(0);
}

Result<void> validate_ratings(db::Connection& conn, const json& section, const Known& known) {
  CHIDOAN_TRY(in, parse_ratings(section));
  for (const auto& g : in.guidelines) CHIDOAN_TRY_VOID(guideline_id(conn, g));
  SystemClock clock;
  RatingStore store(conn, clock);
  for (const auto& r : in.ratings) {
    CHIDOAN_TRY_VOID(known_org(conn, known, r.branch, r.path + ".branch"));
    if (!known.member_refs.contains(r.member)) return fail(ErrorKind::invalid, "đoàn viên không có trong bundle: " + r.member, r.path + ".member");
    auto g = store.guideline_for(r.year);
    if (!g) return fail(ErrorKind::invalid, g.error().message, r.path + ".year");
  }
  return {};
}

Result<void> load_ratings(db::Connection& conn, const Clock& clock, const json& section, const Refs& refs) {
  CHIDOAN_TRY(in, parse_ratings(section));
  // Corrections first: min_months decides who is rated by which branch.
  for (const auto& g : in.guidelines) {
    CHIDOAN_TRY(id, guideline_id(conn, g));
    auto set = conn.execute("UPDATE rating_guidelines SET code = ?1, title = ?2, note = ?3, min_months = ?4 WHERE id = ?5",
                            {g.g.code, g.g.title, g.g.note, g.g.min_months, id});
    if (!set) return fail(ErrorKind::invalid, set.error().message, g.path + ".code");
  }
  org::Store orgs(conn, clock);
  RatingStore store(conn, clock);
  for (const auto& r : in.ratings) {
    CHIDOAN_TRY(branch_id, org::bundle::org_ref(conn, refs, r.branch, r.path + ".branch"));
    CHIDOAN_TRY(branch, orgs.org(branch_id));
    if (!branch.holds_members) return fail(ErrorKind::invalid, "không phải chi đoàn: " + r.branch, r.path + ".branch");
    auto done = store.insert_loaded(branch, refs.members.at(r.member), r.year, r.r);
    if (!done) return fail(ErrorKind::invalid, done.error().message, r.path + ".member");
  }
  return {};
}

json opt(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }
json opt_time(const std::optional<int64_t>& t) { return t ? json(local_seconds(*t)) : json(nullptr); }

Result<json> dump_ratings(db::Connection& conn, const Clock&, const DumpScope& scope) {
  CHIDOAN_TRY(rows, conn.query("SELECT r.branch_id, r.member_id, r.year, r.state, r.discipline, r.conduct, r.note, r.proposed_level, "
                               "r.chosen_level, r.level_reason, r.level, r.confirmed_at, r.confirmed_by_name, r.decided_at, "
                               "r.decided_by_name, r.return_reason, r.inputs, r.reasons, r.guideline_id FROM member_ratings r "
                               "JOIN orgs o ON o.id = r.branch_id "
                               "WHERE o.path LIKE ?1 ORDER BY r.id",
                               {scope.root_path + "%"}));
  json out = json::array();
  std::set<int64_t> guidelines;
  for (const auto& r : rows) {
    auto member = scope.member_refs.find(r.i64(1));
    if (member == scope.member_refs.end()) continue;  // a member the bundle does not name
    auto text = [&](size_t i) { return r.is_null(i) ? std::optional<std::string>() : std::optional<std::string>(r.str(i)); };
    out.push_back({{"branch", scope.org_codes.at(r.i64(0))},
                   {"member", member->second},
                   {"year", r.i64(2)},
                   {"state", r.str(3)},
                   {"discipline", r.str(4)},
                   {"conduct", r.str(5)},
                   {"note", r.str(6)},
                   {"proposed_level", opt(text(7))},
                   {"chosen_level", opt(text(8))},
                   {"level_reason", r.str(9)},
                   {"level", opt(text(10))},
                   {"confirmed_at", opt_time(r.opt_i64(11))},
                   {"confirmed_by", r.str(12)},
                   {"decided_at", opt_time(r.opt_i64(13))},
                   {"decided_by", r.str(14)},
                   {"return_reason", r.str(15)}});
    const bool frozen = r.str(3) == "confirmed" || r.str(3) == "approved";
    out.back()["inputs"] = frozen ? json::parse(r.str(16), nullptr, false) : json(nullptr);
    out.back()["reasons"] = frozen ? json::parse(r.str(17), nullptr, false) : json(nullptr);
    guidelines.insert(r.i64(18));
  }
  if (out.empty()) return json(nullptr);
  // The guidelines the ratings were made under, with their corrections.
  CHIDOAN_TRY(gs, conn.query("SELECT id, code, title, note, from_year, to_year, min_months FROM rating_guidelines ORDER BY from_year, id"));
  json gout = json::array();
  for (const auto& g : gs) {
    if (!guidelines.contains(g.i64(0))) continue;
    gout.push_back({{"code", g.str(1)}, {"title", g.str(2)}, {"note", g.str(3)}, {"from_year", g.i64(4)},
                    {"to_year", g.is_null(5) ? json(nullptr) : json(g.i64(5))}, {"min_months", g.i64(6)}});
  }
  return json{{"guidelines", gout}, {"ratings", out}};
}

}  // namespace

chidoan::bundle::Section rating_bundle_section() { return {"rating", validate_ratings, load_ratings, dump_ratings}; }

}  // namespace chidoan::review
