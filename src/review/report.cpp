// The year-end report (report.hpp): every figure read through the modules' stores, or counted
// here with portable SQL where no store gives it; the narratives are phrased from those figures.
//
// An upper level is the sum of its subtree: the stores used here already take a subtree
// (member_count, study_progress, participation, forums); the desk's KPI is summed over every org
// of the subtree and its target recombined (kpi::combined_target); rates are recomputed from the
// sums, never averaged.
#include "review/report.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "activity/store.hpp"
#include "desk/kpi_rules.hpp"
#include "desk/kpi_store.hpp"
#include "fund/produce_store.hpp"
#include "fund/store.hpp"
#include "ideas/store.hpp"
#include "org/store.hpp"
#include "platform/core/date.hpp"
#include "platform/text/text.hpp"
#include "platform/text/words.hpp"
#include "review/awards.hpp"
#include "review/classification_store.hpp"
#include "review/rating_store.hpp"

namespace chidoan::review {
namespace {

using nlohmann::json;

// ---- wording ----

using text::curly;
using text::join;
using text::money_phrase;



// A common noun inside a sentence: "Sinh hoạt chi đoàn" -> "sinh hoạt chi đoàn"; an acronym stays
// ("HTX …"). ASCII first letters only (the activity types' names); others are left as they are.
std::string lower_first(std::string s) {
  if (s.size() >= 2 && s[0] >= 'A' && s[0] <= 'Z' && !(s[1] >= 'A' && s[1] <= 'Z')) s[0] = static_cast<char>(s[0] - 'A' + 'a');
  return s;
}

// A ratio as a percent, without decimals when whole: 1.0 -> "100%", 0.4764 -> "47,64%".
std::string percent(double ratio) {
  double hundredths = std::round(ratio * 10000.0);
  if (std::fmod(hundredths, 100.0) == 0.0) return text::format_percent(ratio, 0);
  return text::format_percent(ratio, 2);
}

// Minutes as hours with one decimal place at most, as a number: 150 -> 2.5.
double hours_of(int64_t minutes) { return std::round(static_cast<double>(minutes) / 6.0) / 10.0; }
std::string hours_vn(int64_t minutes) {
  if (minutes % 60 == 0) return text::format_int(minutes / 60);
  return text::format_decimal(hours_of(minutes), 1);
}

// Thousandths as a number: 5000 -> 5, 2500 -> 2.5.
double quantity_of(int64_t milli) { return static_cast<double>(milli) / 1000.0; }
std::string quantity_vn(int64_t milli) {
  if (milli % 1000 == 0) return text::format_int(milli / 1000);
  std::string s = text::format_decimal(quantity_of(milli), 3);
  while (s.ends_with("0")) s.pop_back();
  return s;
}

// Unix seconds of the year's first and next year's first instant, Vietnam time.
std::pair<int64_t, int64_t> year_instants(int year) {
  return {unix_of_local(std::to_string(year) + "-01-01T00:00"), unix_of_local(std::to_string(year + 1) + "-01-01T00:00")};
}

struct Scope {
  org::Org org;
  std::string from, to;  // the year, ISO
  std::string like;      // the subtree's path prefix for LIKE
  std::vector<org::Org> subtree;   // the org and everything below it
  std::vector<org::Org> branches;  // the branches of the subtree standing on `to`
};

// ---- org ----

Result<json> org_part(db::Connection& db, const Clock& clock, const Scope& s) {
  org::Store orgs(db, clock);
  CHIDOAN_TRY(rows, db.query("SELECT e.org_id, e.kind, e.effective_on, e.related_org_id, COALESCE(e.old_value, ''), "
                             "COALESCE(e.new_value, ''), e.note FROM org_events e JOIN orgs o ON o.id = e.org_id "
                             "LEFT JOIN orgs r ON r.id = e.related_org_id "
                             "WHERE (o.path LIKE ?1 OR r.path LIKE ?1) AND e.effective_on >= ?2 AND e.effective_on <= ?3 "
                             "ORDER BY e.effective_on, e.id",
                             {s.like, s.from, s.to}));
  // An org created by a split: the split says it already.
  std::set<std::pair<int64_t, std::string>> split_into;  // (new org, date)
  for (const auto& r : rows)
    if (r.str(1) == "split" && r.opt_i64(3)) split_into.insert({*r.opt_i64(3), r.str(2)});
  json events = json::array();
  for (const auto& r : rows) {
    const int64_t org_id = r.i64(0);
    if (r.str(1) == "create" && split_into.contains({org_id, r.str(2)})) continue;
    const std::string kind = r.str(1), on = r.str(2), old_value = r.str(4), new_value = r.str(5), note = r.str(6);
    const std::optional<int64_t> related = r.opt_i64(3);
    std::string text;
    if (kind == "split" && related) {
      CHIDOAN_TRY(from_name, orgs.org_name_on(org_id, s.from < on ? s.from : on));
      CHIDOAN_TRY(to_name, orgs.org_name_on(*related, on));
      text = "Tách " + to_name + " từ " + from_name;
      if (!new_value.empty() && new_value.find_first_not_of("0123456789") == std::string::npos)
        text += " với " + text::format_int(std::stoll(new_value)) + " đoàn viên";
    } else if (kind == "rename") {
      text = "Đổi tên " + old_value + " thành " + new_value;
    } else if (kind == "create") {
      text = "Thành lập " + new_value;
    } else if (kind == "merge" && related) {
      CHIDOAN_TRY(into, orgs.org_name_on(*related, on));
      CHIDOAN_TRY(from_name, orgs.org_name_on(org_id, s.from < on ? s.from : on));
      text = "Hợp nhất " + from_name + " vào " + into;
    } else if (kind == "dissolve") {
      CHIDOAN_TRY(name, orgs.org_name_on(org_id, s.from < on ? s.from : on));
      text = "Giải thể " + name;
    } else if (kind == "move") {
      CHIDOAN_TRY(name, orgs.org_name_on(org_id, on));
      text = "Chuyển " + name + " sang tổ chức cấp trên mới";
    } else {
      text = kind + (new_value.empty() ? "" : ": " + new_value);
    }
    if (!note.empty()) text += " (" + note + ")";
    events.push_back({{"on", on}, {"kind", kind}, {"text", text}});
  }
  CHIDOAN_TRY(name, orgs.org_name_on(s.org.id, s.to));
  return json{{"id", s.org.id}, {"code", s.org.code}, {"name", name}, {"level", s.org.level_name}, {"as_of", s.to}, {"events", events}};
}

std::string org_narrative(const json& org) {
  std::vector<std::string> parts;
  for (const auto& e : org["events"]) parts.push_back("ngày " + text::format_date(e["on"].get<std::string>()) + ": " + e["text"].get<std::string>());
  if (parts.empty()) return "";
  return "Trong năm, về tổ chức: " + join(parts, "; ", "; ") + ".";
}

// ---- members ----

Result<std::optional<json>> members_part(db::Connection& db, const Scope& s) {
  // The members standing on 31/12 by sex, which every member has (male or female, a CHECK of
  // the schema): their sum is the subtree's count, without a second pass over the stays.
  CHIDOAN_TRY(sex, db.query("SELECT m.sex, COUNT(*) FROM member_periods p JOIN orgs o ON o.id = p.branch_id "
                            "JOIN members m ON m.id = p.member_id "
                            "WHERE o.path LIKE ?1 AND p.from_on <= ?2 AND (p.to_on IS NULL OR p.to_on > ?2) GROUP BY m.sex",
                            {s.like, s.to}));
  int64_t male = 0, female = 0;
  for (const auto& r : sex) (r.str(0) == "male" ? male : female) += r.i64(1);
  const int64_t total = male + female;
  CHIDOAN_TRY(moves, db.query("SELECT e.kind, COUNT(*) FROM member_events e JOIN orgs o ON o.id = e.branch_id "
                              "WHERE o.path LIKE ?1 AND e.effective_on >= ?2 AND e.effective_on <= ?3 GROUP BY e.kind",
                              {s.like, s.from, s.to}));
  int64_t joined = 0, left = 0;
  for (const auto& r : moves) {
    const std::string k = r.str(0);
    if (k == "admit" || k == "enter" || k == "transfer_in") joined += r.i64(1);
    if (k == "transfer_out" || k == "mature" || k == "remove") left += r.i64(1);
  }
  // The units of the branches standing on 31/12: one read for the subtree, in the branches'
  // order and each branch's own.
  CHIDOAN_TRY(unit_rows, db.query("SELECT u.org_id, u.name FROM units u JOIN orgs o ON o.id = u.org_id WHERE o.path LIKE ?1 "
                                  "ORDER BY u.org_id, u.position, u.id",
                                  {s.like}));
  std::map<int64_t, std::vector<std::string>> units_of;
  for (const auto& r : unit_rows) units_of[r.i64(0)].push_back(r.str(1));
  json unit_names = json::array();
  for (const auto& b : s.branches)
    for (const auto& name : units_of[b.id]) unit_names.push_back(name);
  if (total == 0 && unit_names.empty()) return std::optional<json>{};
  json m{{"total", total},
         {"units", unit_names.size()},
         {"branches", s.branches.size()},
         {"by_sex", {{"male", male}, {"female", female}}},
         {"joined", joined},
         {"left", left}};
  if (s.org.holds_members) m["unit_names"] = unit_names;

  std::string n = "Đến ngày " + text::format_date(s.to) + ", ";
  if (s.org.holds_members) {
    n += "Chi đoàn có " + text::format_int(total) + " đoàn viên";
    if (!unit_names.empty()) {
      std::vector<std::string> names;
      for (const auto& u : unit_names) names.push_back(u.get<std::string>());
      n += " thuộc " + text::format_int(static_cast<int64_t>(names.size())) + " đơn vị công tác gồm: " + join(names, ", ", ", ");
    }
  } else {
    n += s.org.name + " có " + text::format_int(static_cast<int64_t>(s.branches.size())) + " chi đoàn với " + text::format_int(total) +
         " đoàn viên";
  }
  n += " (" + text::format_int(male) + " nam, " + text::format_int(female) + " nữ).";
  if (joined > 0 || left > 0) {
    std::vector<std::string> changes;
    if (joined > 0) changes.push_back(text::format_int(joined) + " đoàn viên được kết nạp hoặc chuyển đến");
    if (left > 0) changes.push_back(text::format_int(left) + " đoàn viên đi hoặc trưởng thành");
    n += " Trong năm có " + join(changes, ", ", " và ") + ".";
  }
  m["narrative"] = n;
  return std::optional<json>{m};
}

// ---- study ----

Result<std::optional<json>> study_part(db::Connection& db, const Clock& clock, const Scope& s, int year) {
  activity::Store acts(db, clock);
  CHIDOAN_TRY(progress, acts.study_progress(s.org, year));
  int64_t completed = 0, expected = 0;
  for (const auto& p : progress) {
    completed += p.completed;
    expected += p.expected;
  }
  if (progress.empty() || expected == 0) return std::optional<json>{};
  const double rate = static_cast<double>(completed) / static_cast<double>(expected);
  std::string who = s.org.holds_members ? "đoàn viên trong Chi đoàn" : "đoàn viên các chi đoàn trực thuộc";
  std::string n = percent(rate) + " " + who + " đã tham gia học tập, nghiên cứu các nghị quyết, chủ trương, chính sách, pháp luật của Đảng và "
                  "Nhà nước qua " + text::format_int(static_cast<int64_t>(progress.size())) + " đợt học tập (" +
                  text::format_int(completed) + "/" + text::format_int(expected) + " lượt hoàn thành).";
  return std::optional<json>{json{{"campaigns", progress.size()},
                                  {"rate", rate},
                                  {"completed", completed},
                                  {"expected", expected},
                                  {"narrative", n}}};
}

// ---- activities ----

Result<std::optional<json>> activities_part(db::Connection& db, const Clock& clock, const Scope& s, int year) {
  activity::Store acts(db, clock);
  CHIDOAN_TRY(by_type, acts.count_by_type(s.org, year));
  if (by_type.empty()) return std::optional<json>{};
  int64_t total = 0;
  for (const auto& t : by_type) total += t.count;
  CHIDOAN_TRY(part, acts.participation_totals(s.org, year));
  const int64_t participants = part.participants;
  json types = json::array();
  std::vector<std::string> phrases;
  for (const auto& t : by_type) {
    types.push_back({{"type", t.code}, {"name", t.name}, {"count", t.count}});
    phrases.push_back(text::format_int(t.count) + " " + lower_first(t.name));
  }
  std::string n = "Trong năm, " + std::string(s.org.holds_members ? "Chi đoàn" : s.org.name) + " tổ chức và tham gia " +
                  text::format_int(total) + " hoạt động (" + join(phrases, "; ", "; ") + ")";
  if (participants > 0) n += " với " + text::format_int(participants) + " đoàn viên tham gia";
  if (part.total.minutes > 0) n += ", tổng cộng " + hours_vn(part.total.minutes) + " giờ tình nguyện";
  n += ".";
  return std::optional<json>{json{{"total", total},
                                  {"by_type", types},
                                  {"volunteer_hours", hours_of(part.total.minutes)},
                                  {"participants", participants},
                                  {"narrative", n}}};
}

// ---- campaigns ----

Result<std::optional<json>> campaigns_part(db::Connection& db, const Clock& clock, const Scope& s) {
  // Campaigns organised in the subtree and running in the year (a level above's are its own report's).
  CHIDOAN_TRY(ids, db.query("SELECT c.id FROM campaigns c JOIN orgs o ON o.id = c.org_id WHERE o.path LIKE ?1 "
                            "AND c.starts_on <= ?3 AND (c.ends_on IS NULL OR c.ends_on >= ?2) ORDER BY c.starts_on, c.id",
                            {s.like, s.from, s.to}));
  fund::Store fund(db, clock);
  json out = json::array();
  for (const auto& r : ids) {
    const int64_t id = r.i64(0);
    CHIDOAN_TRY(c, fund.campaign(id));
    CHIDOAN_TRY(totals, fund.totals(id));
    if (totals.entries == 0) continue;
    CHIDOAN_TRY(buckets, fund.by_round(id));
    std::map<std::string, int64_t> money_of;
    for (const auto& b : buckets) money_of[b.key] = b.money_vnd;
    json rounds = json::array();
    for (const auto& rd : c.rounds)
      rounds.push_back({{"no", rd.no}, {"name", rd.name}, {"money_vnd", money_of[std::to_string(rd.no)]}});
    json in_kind = json::array();
    std::vector<std::string> things;
    for (const auto& i : totals.items) {
      if (i.quantity_milli <= 0) continue;
      in_kind.push_back({{"item", i.item}, {"quantity", quantity_of(i.quantity_milli)}, {"unit", i.unit}});
      things.push_back(quantity_vn(i.quantity_milli) + (i.unit.empty() ? "" : " " + i.unit) + " " + i.item);
    }
    std::string n = "Đóng góp " + curly(c.name);
    if (c.rounds.size() > 1) n += " qua " + text::format_int(static_cast<int64_t>(c.rounds.size())) + " đợt";
    if (totals.money_vnd > 0) n += " với số tiền " + money_phrase(totals.money_vnd);
    if (!things.empty()) n += std::string(totals.money_vnd > 0 ? " cùng " : " gồm ") + join(things, ", ", " và ");
    n += ".";
    out.push_back({{"name", c.name}, {"rounds", rounds}, {"money_vnd", totals.money_vnd}, {"in_kind", in_kind}, {"narrative", n}});
  }
  if (out.empty()) return std::optional<json>{};
  return std::optional<json>{out};
}

// ---- desk (the online-dossier KPI) ----

Result<std::optional<json>> desk_part(db::Connection& db, const Clock& clock, const Scope& s, int year) {
  desk::KpiStore kpi(db, clock);
  int64_t online = 0, received = 0, assisted = 0;
  std::vector<std::pair<int64_t, int64_t>> targets;  // {target_bp, received} per org with a target
  // Only the orgs of the subtree that keep a help desk can have figures.
  CHIDOAN_TRY(desk_orgs, db.query("SELECT DISTINCT c.org_id FROM desk_centers c JOIN orgs o ON o.id = c.org_id WHERE o.path LIKE ?1 "
                                  "ORDER BY c.org_id",
                                  {s.like}));
  for (const auto& row : desk_orgs) {
    const int64_t org_id = row.i64(0);
    CHIDOAN_TRY(months, kpi.org_months(org_id, year));
    int64_t org_received = 0;
    for (const auto& m : months) {
      online += m.online();
      org_received += m.received;
      assisted += m.assisted;
    }
    received += org_received;
    if (months.empty()) continue;
    CHIDOAN_TRY(target, kpi.org_target(org_id, year));
    if (target) targets.push_back({*target, org_received});
  }
  if (received == 0) return std::optional<json>{};
  const auto rate_bp = desk::kpi::ratio_bp(online, received);
  const auto target_bp = desk::kpi::combined_target(targets);
  const double rate = desk::kpi::fraction(*rate_bp);
  json d{{"online", online}, {"total", received}, {"rate", rate}, {"assisted", assisted}};
  std::string n = "Trong năm " + std::to_string(year) + ", số lượng hồ sơ trực tuyến phát sinh tại trung tâm là " +
                  text::format_int(online) + " hồ sơ trên " + text::format_int(received) +
                  " hồ sơ thủ tục hành chính, đạt tỷ lệ " + text::format_percent(rate, 2);
  if (target_bp) {
    const bool met = *rate_bp >= *target_bp;
    d["target"] = desk::kpi::fraction(*target_bp);
    d["met"] = met;
    n += std::string(met ? " (vượt chỉ tiêu " : " (chưa đạt chỉ tiêu ") + desk::kpi::target_vn(*target_bp) + " được giao)";
  } else {
    d["target"] = nullptr;
    d["met"] = nullptr;
  }
  n += ".";
  if (assisted > 0) n += " Đoàn viên đã trực tiếp hướng dẫn, hỗ trợ " + text::format_int(assisted) + " lượt hồ sơ.";
  d["narrative"] = n;
  return std::optional<json>{d};
}

// ---- ideas ----

Result<std::optional<json>> ideas_part(db::Connection& db, const Clock& clock, const Scope& s) {
  ideas::Store store(db, clock);
  CHIDOAN_TRY(forums, store.forums(s.org.id));
  std::vector<ideas::Forum> in_year;
  for (const auto& f : forums) {
    const bool event = f.kind == "event" && f.held_on;
    const bool in = event ? (*f.held_on >= s.from && *f.held_on <= s.to)
                          : (f.opens_on <= s.to && (!f.closes_on || *f.closes_on >= s.from));
    if (in) in_year.push_back(f);
  }
  if (in_year.empty()) return std::optional<json>{};
  std::sort(in_year.begin(), in_year.end(), [](const ideas::Forum& a, const ideas::Forum& b) {
    return std::pair(a.held_on.value_or(a.opens_on), a.id) < std::pair(b.held_on.value_or(b.opens_on), b.id);
  });
  int64_t ideas = 0, supports = 0, accepted = 0, implemented = 0;
  json list = json::array();
  std::vector<std::string> held;
  for (const auto& f : in_year) {
    CHIDOAN_TRY(r, store.results(f));
    const int64_t impl = static_cast<int64_t>(r.implemented.size());
    const int64_t acc = r.by_state["accepted"] + impl;  // implemented ideas were accepted first
    ideas += r.ideas;
    supports += r.supports;
    accepted += acc;
    implemented += impl;
    const std::string on = f.held_on.value_or(f.opens_on);
    list.push_back({{"id", f.id}, {"title", f.title}, {"kind", f.kind}, {"on", on}, {"ideas", r.ideas}, {"supports", r.supports}});
    const std::string title = f.title.starts_with("Diễn đàn") ? curly(f.title) : "Diễn đàn \u201C" + curly(f.title) + "\u201D";
    held.push_back(title + " ngày " + text::format_date(on));
  }
  std::string n = "Tổ chức " + join(held, ", ", " và ");
  if (ideas > 0) {
    n += "; đoàn viên đã gửi " + text::format_int(ideas) + " ý tưởng, nhận " + text::format_int(supports) + " lượt ủng hộ";
    if (accepted > 0) {
      n += ", " + text::format_int(accepted) + " ý tưởng được tiếp nhận";
      if (implemented > 0) n += ", trong đó " + text::format_int(implemented) + " ý tưởng đã được triển khai";
    }
  }
  n += ".";
  return std::optional<json>{json{{"forums", in_year.size()},
                                  {"list", list},
                                  {"ideas", ideas},
                                  {"supports", supports},
                                  {"accepted", accepted},
                                  {"implemented", implemented},
                                  {"narrative", n}}};
}

// ---- blood (counts only: no donor is named) ----

Result<std::optional<json>> blood_part(db::Connection& db, const Scope& s, int year) {
  CHIDOAN_TRY(clubs, db.query("SELECT b.id, b.name FROM blood_clubs b JOIN orgs o ON o.id = b.org_id WHERE o.path LIKE ?1 ORDER BY b.id",
                              {s.like}));
  if (clubs.empty()) return std::optional<json>{};
  CHIDOAN_TRY(given, db.query_one("SELECT COUNT(*), COUNT(DISTINCT d.donor_id) FROM blood_donations d "
                                  "JOIN blood_donors n ON n.id = d.donor_id JOIN blood_clubs b ON b.id = n.club_id "
                                  "JOIN orgs o ON o.id = b.org_id WHERE o.path LIKE ?1 AND d.on_date >= ?2 AND d.on_date <= ?3",
                                  {s.like, s.from, s.to}));
  auto [from, to] = year_instants(year);
  CHIDOAN_TRY(asked, db.query_one("SELECT COUNT(*), COALESCE(SUM(CASE WHEN r.status = 'served' THEN 1 ELSE 0 END), 0) "
                                  "FROM blood_requests r JOIN blood_clubs b ON b.id = r.club_id "
                                  "JOIN orgs o ON o.id = b.org_id WHERE o.path LIKE ?1 AND r.created_at >= ?2 AND r.created_at < ?3",
                                  {s.like, from, to}));
  const int64_t donations = given->i64(0), donors = given->i64(1), requests = asked->i64(0), served = asked->i64(1);
  if (donations == 0 && requests == 0) return std::optional<json>{};
  std::vector<std::string> names;
  for (const auto& c : clubs) names.push_back(c.str(1));
  std::string n = "Duy trì hoạt động của " + join(names, ", ", " và ");
  std::vector<std::string> figures;
  if (donations > 0)
    figures.push_back(text::format_int(donations) + " lượt hiến máu của " + text::format_int(donors) + " người hiến");
  if (requests > 0) figures.push_back("tiếp nhận " + text::format_int(requests) + " yêu cầu máu (đáp ứng " + text::format_int(served) + ")");
  n += ": " + join(figures, "; ", "; ") + ".";
  return std::optional<json>{json{{"donors", donors}, {"donations", donations}, {"requests", requests}, {"served", served}, {"narrative", n}}};
}

// ---- produce (the farm produce drive) ----

Result<std::optional<json>> produce_part(db::Connection& db, const Clock& clock, const Scope& s) {
  CHIDOAN_TRY(ids, db.query("SELECT c.id FROM produce_cycles c JOIN orgs o ON o.id = c.org_id WHERE o.path LIKE ?1 "
                            "AND c.opens_at >= ?2 AND c.opens_at <= ?3 ORDER BY c.opens_at, c.id",
                            {s.like, s.from, s.to + "T23:59"}));
  if (ids.empty()) return std::optional<json>{};
  fund::produce::ProduceStore store(db, clock);
  int64_t orders = 0, value = 0;
  std::set<int64_t> members;
  for (const auto& r : ids) {
    CHIDOAN_TRY(c, store.cycle(r.i64(0)));
    CHIDOAN_TRY(t, store.totals(c.id));
    const bool closed = c.status != fund::produce::CycleStatus::open;
    for (const auto& m : t.members) {
      bool ordered = false;
      for (const auto& item : m.ordered) ordered = ordered || item.second > 0;
      if (!ordered) continue;
      ++orders;
      members.insert(m.member_id);
    }
    value += closed ? t.amount_vnd : t.ordered_amount_vnd;
  }
  const auto cycles = static_cast<int64_t>(ids.size());
  std::string n = "Tổ chức " + text::format_int(cycles) + " đợt đặt mua nông sản giúp bà con nông dân tiêu thụ sản phẩm";
  if (orders > 0)
    n += ", với " + text::format_int(orders) + " lượt đặt hàng của " + text::format_int(static_cast<int64_t>(members.size())) +
         " đoàn viên, tổng giá trị " + money_phrase(value);
  n += ".";
  return std::optional<json>{json{{"cycles", cycles}, {"orders", orders}, {"members", members.size()}, {"value_vnd", value}, {"narrative", n}}};
}

// ---- dues (the months of the year paid, whenever they were paid) ----

// From the year's sums by member and branch (dues_paid_years, kept by triggers on the paid
// months: migration 0021), a tenth of the rows of the months themselves.
Result<std::optional<json>> dues_part(db::Connection& db, const Scope& s, int year) {
  const std::string y = std::to_string(year);
  CHIDOAN_TRY(row, db.query_one("SELECT CAST(COALESCE(SUM(p.amount), 0) AS BIGINT), COUNT(DISTINCT p.member_id) FROM dues_paid_years p "
                                "JOIN orgs o ON o.id = p.branch_id WHERE o.path LIKE ?1 AND p.year = ?2",
                                {s.like, int64_t{year}}));
  const int64_t paid = row->i64(0), members = row->i64(1);
  if (members == 0) return std::optional<json>{};
  std::string n = "Thu đoàn phí năm " + y + " được " + text::format_int(paid) + " đồng của " + text::format_int(members) + " đoàn viên.";
  return std::optional<json>{json{{"paid_vnd", paid}, {"members_paid", members}, {"narrative", n}}};
}

// ---- news ----

Result<std::optional<json>> news_part(db::Connection& db, const Scope& s, int year) {
  auto [from, to] = year_instants(year);
  CHIDOAN_TRY(row, db.query_one("SELECT COUNT(*) FROM news_posts p JOIN orgs o ON o.id = p.org_id WHERE o.path LIKE ?1 "
                                "AND p.state = 'published' AND p.published_at >= ?2 AND p.published_at < ?3",
                                {s.like, from, to}));
  if (row->i64(0) == 0) return std::optional<json>{};
  return std::optional<json>{json{{"posts", row->i64(0)}}};
}

}  // namespace

Result<nlohmann::json> year_report(db::Connection& db, const Clock& clock, int64_t org_id, int year) {
  if (year < 1930 || year > 2100) return fail(ErrorKind::invalid, "Năm phải từ 1930 đến 2100", "year");
  org::Store orgs(db, clock);
  Scope s;
  CHIDOAN_TRY(o, orgs.org(org_id));
  s.org = std::move(o);
  auto span = year_span(year);
  s.from = std::move(span.from);
  s.to = std::move(span.to);
  s.like = s.org.path + "%";
  CHIDOAN_TRY(subtree, orgs.orgs(s.org.id));
  s.subtree = std::move(subtree);
  for (const auto& x : s.subtree)
    if (x.holds_members && x.stands_on(s.to)) s.branches.push_back(x);

  json report;
  json narrative = json::array();
  CHIDOAN_TRY(org, org_part(db, clock, s));
  if (auto n = org_narrative(org); !n.empty()) narrative.push_back(n);
  report["org"] = org;

  auto put = [&](const char* key, const std::optional<json>& part) {
    if (!part) return;
    report[key] = *part;
    if (part->is_array()) {
      std::vector<std::string> sentences;
      for (const auto& x : *part) sentences.push_back(x["narrative"].get<std::string>());
      narrative.push_back(join(sentences, " ", " "));
    } else if (part->contains("narrative")) {
      narrative.push_back((*part)["narrative"]);
    }
  };
  CHIDOAN_TRY(members, members_part(db, s));
  put("members", members);
  CHIDOAN_TRY(study, study_part(db, clock, s, year));
  put("study", study);
  CHIDOAN_TRY(activities, activities_part(db, clock, s, year));
  put("activities", activities);
  CHIDOAN_TRY(campaigns, campaigns_part(db, clock, s));
  put("campaigns", campaigns);
  CHIDOAN_TRY(produce, produce_part(db, clock, s));
  put("produce", produce);
  CHIDOAN_TRY(blood, blood_part(db, s, year));
  put("blood", blood);
  CHIDOAN_TRY(desk, desk_part(db, clock, s, year));
  put("desk", desk);
  CHIDOAN_TRY(ideas, ideas_part(db, clock, s));
  put("ideas", ideas);
  CHIDOAN_TRY(dues, dues_part(db, s, year));
  put("dues", dues);
  CHIDOAN_TRY(ratings, ratings_part(db, s.like, year));
  put("ratings", ratings);
  CHIDOAN_TRY(news, news_part(db, s, year));
  put("news", news);

  // The classification of the year (the org's own sheet, and the branches beneath it approved).
  CHIDOAN_TRY(classification, classification_part(db, clock, s.org, year));
  if (classification.is_object()) narrative.push_back(classification["narrative"]);
  report["classification"] = classification;
  // Awards of the year in the registers of the subtree, by decision date; one sentence each.
  CHIDOAN_TRY(awards, AwardStore(db, clock).awards(s.org.id, year));
  json jawards = json::array();
  std::vector<std::string> award_sentences;
  for (const auto& a : awards) {
    jawards.push_back({{"kind", a.kind},
                       {"kind_label", kind_label(a.kind)},
                       {"title", a.title},
                       {"issuer", a.issuer},
                       {"decision_no", a.decision_no},
                       {"decision_on", a.decision_on},
                       {"recipient", a.recipient_name},
                       {"recipient_kind", a.member_id ? "member" : "org"}});
    award_sentences.push_back(a.recipient_name + " được nhận " + lower_first(kind_label(a.kind)) + " của " + a.issuer +
                              (a.decision_no.empty() ? std::string() : " (Quyết định số " + a.decision_no + ")") + ": " + a.title + ".");
  }
  if (!award_sentences.empty()) narrative.push_back(join(award_sentences, " ", " "));
  report["awards"] = jawards;
  report["narrative"] = narrative;
  return report;
}

}  // namespace chidoan::review
