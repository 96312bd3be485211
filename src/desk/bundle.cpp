#include "desk/bundle.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "desk/rules.hpp"
#include "desk/store.hpp"
#include "org/bundle.hpp"
#include "platform/core/date.hpp"
#include "platform/core/json_reader.hpp"

namespace chidoan::desk {
namespace {

using nlohmann::json;
using chidoan::bundle::DumpScope;
using chidoan::bundle::Known;
using chidoan::bundle::Refs;

// ---- The section, parsed and checked (no database): validation and loading read the document
// through the same parse_desks, so what is loaded is what was validated.

struct StaffIn {
  std::string member, source;
  std::optional<int64_t> check_in_at, check_out_at;
  int64_t minutes = 0;
  bool no_show = false;
};
struct AvailableIn {
  std::string member;
  bool preferred = false;
};
struct RequestIn {
  std::string kind, from, to, note, state;
  int64_t created_at = 0;
};
struct ShiftIn {
  std::string path, template_name, date, start, end;
  int min_staff = 0, max_staff = 0;
  std::vector<StaffIn> staff;
  std::vector<AvailableIn> available;
  std::vector<RequestIn> requests;
};
struct PeriodIn {
  std::string path, month, activity_title, activity_starts_at;  // the activity: "" = make one
  std::vector<ShiftIn> shifts;
};
struct DeskCenterIn {
  std::string path, org;
  CenterInput input;
  std::vector<std::string> counters;
  std::vector<Template> templates;  // counter_name set, ids not
  std::vector<PeriodIn> periods;
};

Result<DeskCenterIn> parse_center(const JsonReader& r) {
  CHIDOAN_TRY_VOID(r.only({"org", "name", "address", "max_shifts_per_week", "min_rest_minutes", "no_show_limit", "counters", "templates", "periods"}));
  DeskCenterIn c;
  c.path = r.path;
  CHIDOAN_TRY(org, r.str("org", true));
  CHIDOAN_TRY(name, r.str("name", true));
  CHIDOAN_TRY(address, r.str("address", false));
  CHIDOAN_TRY(week, r.integer("max_shifts_per_week"));
  CHIDOAN_TRY(rest, r.integer("min_rest_minutes"));
  CHIDOAN_TRY(limit, r.integer("no_show_limit"));
  c.org = org;
  c.input = CenterInput{name, address, static_cast<int>(week), static_cast<int>(rest), static_cast<int>(limit)};
  if (auto ok = rules::check_center(c.input); !ok) return fail(ErrorKind::invalid, ok.error().message, r.path + "." + ok.error().field);
  CHIDOAN_TRY(counters, r.array("counters"));
  for (const auto& k : *counters) {
    if (!k.is_string() || k.get<std::string>().empty()) return fail(ErrorKind::invalid, "tên quầy phải là chuỗi", r.path + ".counters");
    c.counters.push_back(k.get<std::string>());
  }
  std::set<std::string> counter_names(c.counters.begin(), c.counters.end());
  CHIDOAN_TRY(templates, r.array("templates"));
  for (size_t i = 0; i < templates->size(); ++i) {
    JsonReader t = r.element("templates", i);
    CHIDOAN_TRY_VOID(t.only({"name", "counter", "weekdays", "start_time", "end_time", "min_staff", "max_staff", "active"}));
    Template tm;
    tm.id = static_cast<int64_t>(i) + 1;  // distinct, for the overlap check among themselves
    CHIDOAN_TRY(tname, t.str("name", true));
    CHIDOAN_TRY(counter, t.str("counter", true));
    CHIDOAN_TRY(days, t.str("weekdays", true));
    CHIDOAN_TRY(start, t.str("start_time", true));
    CHIDOAN_TRY(end, t.str("end_time", true));
    CHIDOAN_TRY(lo, t.integer("min_staff"));
    CHIDOAN_TRY(hi, t.integer("max_staff"));
    CHIDOAN_TRY(active, t.boolean("active"));
    if (!counter_names.contains(counter)) return fail(ErrorKind::invalid, "quầy không có trong counters: " + counter, t.path + ".counter");
    tm.name = tname;
    tm.counter_name = counter;
    tm.counter_id = static_cast<int64_t>(std::distance(counter_names.begin(), counter_names.find(counter))) + 1;
    tm.weekdays = days;
    tm.start_time = start;
    tm.end_time = end;
    tm.min_staff = static_cast<int>(lo);
    tm.max_staff = static_cast<int>(hi);
    tm.active = active;
    if (auto ok = rules::check_template(tm, c.templates); !ok) return fail(ErrorKind::invalid, ok.error().message, t.path + "." + ok.error().field);
    c.templates.push_back(tm);
  }
  CHIDOAN_TRY(periods, r.array("periods"));
  std::set<std::string> months;
  for (size_t i = 0; i < periods->size(); ++i) {
    JsonReader p = r.element("periods", i);
    CHIDOAN_TRY_VOID(p.only({"month", "activity", "shifts"}));
    PeriodIn pin;
    pin.path = p.path;
    CHIDOAN_TRY(month, p.str("month", true));
    if (auto ok = rules::check_month(month); !ok) return fail(ErrorKind::invalid, ok.error().message, p.path + ".month");
    if (!months.insert(month).second) return fail(ErrorKind::invalid, "tháng lặp lại", p.path + ".month");
    pin.month = month;
    if (p.j.contains("activity") && !p.j["activity"].is_null()) {
      JsonReader a{p.path + ".activity", p.j["activity"]};
      CHIDOAN_TRY_VOID(a.only({"title", "starts_at"}));
      CHIDOAN_TRY(title, a.str("title", true));
      CHIDOAN_TRY(starts, a.str("starts_at", true));
      pin.activity_title = title;
      pin.activity_starts_at = starts;
    }
    CHIDOAN_TRY(shifts, p.array("shifts"));
    for (size_t k = 0; k < shifts->size(); ++k) {
      JsonReader s = p.element("shifts", k);
      CHIDOAN_TRY_VOID(s.only({"template", "date", "start", "end", "min_staff", "max_staff", "staff", "available", "requests"}));
      ShiftIn sin;
      sin.path = s.path;
      CHIDOAN_TRY(tname, s.str("template", true));
      CHIDOAN_TRY(date, s.date("date", true));
      CHIDOAN_TRY(start, s.str("start", true));
      CHIDOAN_TRY(end, s.str("end", true));
      CHIDOAN_TRY(lo, s.integer("min_staff"));
      CHIDOAN_TRY(hi, s.integer("max_staff"));
      if (std::ranges::none_of(c.templates, [&](const Template& t) { return t.name == tname; }))
        return fail(ErrorKind::invalid, "ca mẫu không có: " + tname, s.path + ".template");
      if (date.substr(0, 7) != month) return fail(ErrorKind::invalid, "ngày ngoài tháng của kỳ", s.path + ".date");
      CHIDOAN_TRY(sm, rules::clock_minutes(start, s.path + ".start"));
      CHIDOAN_TRY(em, rules::clock_minutes(end, s.path + ".end"));
      if (em <= sm) return fail(ErrorKind::invalid, "giờ kết thúc phải sau giờ bắt đầu", s.path + ".end");
      if (lo < 0 || hi < 1 || lo > hi) return fail(ErrorKind::invalid, "số người tối thiểu/tối đa không hợp lệ", s.path + ".min_staff");
      sin.template_name = tname;
      sin.date = date;
      sin.start = start;
      sin.end = end;
      sin.min_staff = static_cast<int>(lo);
      sin.max_staff = static_cast<int>(hi);
      CHIDOAN_TRY(staff, s.array("staff"));
      std::set<std::string> on;
      for (size_t m = 0; m < staff->size(); ++m) {
        JsonReader a = s.element("staff", m);
        CHIDOAN_TRY_VOID(a.only({"member", "source", "check_in_at", "check_out_at", "minutes", "no_show"}));
        StaffIn st;
        CHIDOAN_TRY(member, a.str("member", true));
        CHIDOAN_TRY(source, a.str("source", true));
        CHIDOAN_TRY(in, a.opt_integer("check_in_at"));
        CHIDOAN_TRY(out, a.opt_integer("check_out_at"));
        CHIDOAN_TRY(minutes, a.opt_integer("minutes"));
        CHIDOAN_TRY(no_show, a.boolean("no_show"));
        if (source != "signup" && source != "roster" && source != "swap" && source != "coordinator")
          return fail(ErrorKind::invalid, "nguồn phân công không hợp lệ: " + source, a.path + ".source");
        if (out && (!in || *out < *in)) return fail(ErrorKind::invalid, "giờ trả ca trước giờ nhận ca", a.path + ".check_out_at");
        if (!on.insert(member).second) return fail(ErrorKind::invalid, "đoàn viên lặp lại trong ca", a.path + ".member");
        st.member = member;
        st.source = source;
        st.check_in_at = in;
        st.check_out_at = out;
        st.minutes = minutes.value_or(0);
        if (st.minutes < 0) return fail(ErrorKind::invalid, "số phút không được âm", a.path + ".minutes");
        st.no_show = no_show;
        sin.staff.push_back(st);
      }
      if (static_cast<int>(sin.staff.size()) > sin.max_staff) return fail(ErrorKind::invalid, "quá số người tối đa", s.path + ".staff");
      CHIDOAN_TRY(avail, s.array("available"));
      for (size_t m = 0; m < avail->size(); ++m) {
        JsonReader a = s.element("available", m);
        CHIDOAN_TRY_VOID(a.only({"member", "preferred"}));
        CHIDOAN_TRY(member, a.str("member", true));
        CHIDOAN_TRY(preferred, a.boolean("preferred"));
        sin.available.push_back({member, preferred});
      }
      CHIDOAN_TRY(requests, s.array("requests"));
      for (size_t m = 0; m < requests->size(); ++m) {
        JsonReader a = s.element("requests", m);
        CHIDOAN_TRY_VOID(a.only({"kind", "from", "to", "note", "state", "created_at"}));
        RequestIn q;
        CHIDOAN_TRY(kind, a.str("kind", true));
        CHIDOAN_TRY(from, a.str("from", true));
        CHIDOAN_TRY(to, a.str("to", false));
        CHIDOAN_TRY(note, a.str("note", false));
        CHIDOAN_TRY(state, a.str("state", true));
        CHIDOAN_TRY(created, a.integer("created_at"));
        static const std::set<std::string> kStates = {"open", "accepted", "approved", "refused", "cancelled"};
        if (kind != "swap" && kind != "drop") return fail(ErrorKind::invalid, "loại yêu cầu không hợp lệ", a.path + ".kind");
        if (!kStates.contains(state)) return fail(ErrorKind::invalid, "trạng thái yêu cầu không hợp lệ", a.path + ".state");
        sin.requests.push_back({kind, from, to, note, state, created});
      }
      pin.shifts.push_back(sin);
    }
    c.periods.push_back(pin);
  }
  return c;
}

Result<std::vector<DeskCenterIn>> parse_desks(const json& section) {
  JsonReader r{"$.desk", section};
  CHIDOAN_TRY_VOID(r.only({"centers"}));
  CHIDOAN_TRY(centers, r.array("centers"));
  std::vector<DeskCenterIn> out;
  for (size_t i = 0; i < centers->size(); ++i) {
    CHIDOAN_TRY(c, parse_center(r.element("centers", i)));
    out.push_back(c);
  }
  return out;
}

// Every member named anywhere in a center, with the path to report.
void each_member(const DeskCenterIn& c, const std::function<void(const std::string&, const std::string&)>& fn) {
  for (const auto& p : c.periods)
    for (const auto& s : p.shifts) {
      for (const auto& a : s.staff) fn(a.member, s.path + ".staff");
      for (const auto& a : s.available) fn(a.member, s.path + ".available");
      for (const auto& q : s.requests) {
        fn(q.from, s.path + ".requests");
        if (!q.to.empty()) fn(q.to, s.path + ".requests");
      }
    }
}

Result<void> validate_desks(db::Connection&, const json& section, const Known& known) {
  CHIDOAN_TRY(centers, parse_desks(section));
  for (const auto& c : centers) {
    if (!known.org_codes.contains(c.org)) return fail(ErrorKind::invalid, "tổ chức không có trong gói: " + c.org, c.path + ".org");
    std::optional<Error> missing;
    each_member(c, [&](const std::string& ref, const std::string& where) {
      if (!missing && !known.member_refs.contains(ref)) missing = Error{ErrorKind::invalid, "đoàn viên không có trong gói: " + ref, where};
    });
    if (missing) return std::unexpected(*missing);
  }
  return {};
}

Result<void> load_desks(db::Connection& conn, const Clock& clock, const json& section, const Refs& refs) {
  CHIDOAN_TRY(centers, parse_desks(section));
  Store store(conn, clock);
  for (const auto& c : centers) {
    CHIDOAN_TRY(center_id, store.create_center(refs.orgs.at(c.org), c.input));
    std::map<std::string, int64_t> counters, templates;
    for (const auto& k : c.counters) {
      CHIDOAN_TRY(id, store.add_counter(center_id, k));
      counters[k] = id;
    }
    for (auto t : c.templates) {
      t.center_id = center_id;
      t.counter_id = counters.at(t.counter_name);
      CHIDOAN_TRY(id, conn.insert_id("INSERT INTO desk_templates (center_id, counter_id, name, weekdays, start_time, end_time, min_staff, "
                                     "max_staff, active) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id",
                                     {center_id, t.counter_id, t.name, t.weekdays, t.start_time, t.end_time, int64_t{t.min_staff},
                                      int64_t{t.max_staff}, int64_t{t.active}}));
      templates[t.name] = id;
    }
    CHIDOAN_TRY(center, store.center(center_id));
    for (const auto& p : c.periods) {
      std::optional<int64_t> activity_id;
      if (!p.activity_title.empty()) {
        CHIDOAN_TRY(row, conn.query_one("SELECT id FROM activities WHERE org_id = ?1 AND title = ?2 AND starts_at = ?3",
                                        {center.org_id, p.activity_title, p.activity_starts_at}));
        if (!row) return fail(ErrorKind::invalid, "không có hoạt động: " + p.activity_title, p.path + ".activity");
        activity_id = row->i64(0);
      }
      CHIDOAN_TRY(period_id, store.insert_period(center, p.month, activity_id));
      std::set<int64_t> checked;  // members whose checked hours go to the activity
      for (const auto& s : p.shifts) {
        int64_t midnight = unix_of_local(s.date + "T00:00");
        CHIDOAN_TRY(sm, rules::clock_minutes(s.start, "start"));
        CHIDOAN_TRY(em, rules::clock_minutes(s.end, "end"));
        int64_t template_id = templates.at(s.template_name);
        CHIDOAN_TRY(tm, store.template_(template_id));
        CHIDOAN_TRY(shift_id, conn.insert_id("INSERT INTO desk_shifts (period_id, template_id, counter_id, on_date, starts_at, ends_at, "
                                             "min_staff, max_staff) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
                                             {period_id, template_id, tm.counter_id, s.date, midnight + sm * 60, midnight + em * 60,
                                              int64_t{s.min_staff}, int64_t{s.max_staff}}));
        for (const auto& a : s.staff) {
          Assignment row;
          row.shift_id = shift_id;
          row.member_id = refs.members.at(a.member);
          row.source = a.source;
          row.created_at = midnight;
          row.check_in_at = a.check_in_at;
          row.check_out_at = a.check_out_at;
          row.minutes = a.minutes;
          row.no_show = a.no_show;
          CHIDOAN_TRY_VOID(store.insert_assignment(row));
          if (a.check_out_at) checked.insert(row.member_id);
        }
        for (const auto& a : s.available)
          CHIDOAN_TRY_VOID(conn.execute("INSERT INTO desk_availability (shift_id, member_id, preferred) VALUES (?1, ?2, ?3)",
                                        {shift_id, refs.members.at(a.member), int64_t{a.preferred}}));
        for (const auto& q : s.requests)
          CHIDOAN_TRY_VOID(conn.execute("INSERT INTO desk_requests (kind, shift_id, from_member_id, to_member_id, note, state, created_at) "
                                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                        {q.kind, shift_id, refs.members.at(q.from),
                                         q.to.empty() ? db::Value(nullptr) : db::Value(refs.members.at(q.to)), q.note, q.state, q.created_at}));
      }
      // A period whose activity came with the bundle keeps the activity's own register.
      if (!activity_id)
        for (int64_t m : checked) CHIDOAN_TRY_VOID(store.feed_hours(period_id, m));
    }
  }
  return {};
}

Result<json> dump_desks(db::Connection& conn, const Clock& clock, const DumpScope& scope) {
  Store store(conn, clock);
  CHIDOAN_TRY(rows, conn.query("SELECT c.id FROM desk_centers c JOIN orgs o ON o.id = c.org_id WHERE o.path LIKE ?1 ORDER BY c.id",
                               {scope.root_path + "%"}));
  if (rows.empty()) return json(nullptr);
  auto ref = [&](int64_t member_id) -> std::string {
    auto it = scope.member_refs.find(member_id);
    return it == scope.member_refs.end() ? std::string() : it->second;
  };
  json centers = json::array();
  for (const auto& r : rows) {
    CHIDOAN_TRY(c, store.center(r.i64(0)));
    json j{{"org", scope.org_codes.at(c.org_id)},        {"name", c.name},
           {"address", c.address},                       {"max_shifts_per_week", c.max_shifts_per_week},
           {"min_rest_minutes", c.min_rest_minutes},     {"no_show_limit", c.no_show_limit}};
    CHIDOAN_TRY(counters, store.counters(c.id));
    j["counters"] = json::array();
    for (const auto& k : counters) j["counters"].push_back(k.name);
    CHIDOAN_TRY(templates, store.templates(c.id));
    j["templates"] = json::array();
    for (const auto& t : templates)
      j["templates"].push_back(json{{"name", t.name}, {"counter", t.counter_name}, {"weekdays", t.weekdays}, {"start_time", t.start_time},
                                    {"end_time", t.end_time}, {"min_staff", t.min_staff}, {"max_staff", t.max_staff}, {"active", t.active}});
    CHIDOAN_TRY(periods, store.periods(c.id));
    j["periods"] = json::array();
    for (auto it = periods.rbegin(); it != periods.rend(); ++it) {
      const Period& p = *it;
      CHIDOAN_TRY(act, conn.query_one("SELECT title, starts_at FROM activities WHERE id = ?1", {p.activity_id}));
      json pj{{"month", p.month}, {"activity", {{"title", act->str(0)}, {"starts_at", act->str(1)}}}, {"shifts", json::array()}};
      CHIDOAN_TRY(shifts, store.shifts(p.id));
      CHIDOAN_TRY(staff, store.assignments(p.id));
      CHIDOAN_TRY(avail, store.availability(p.id));
      CHIDOAN_TRY(requests, store.requests(p.id, false));
      for (const auto& s : shifts) {
        json sj{{"template", s.template_name}, {"date", s.on_date}, {"start", local_time(s.starts_at).substr(11)},
                {"end", local_time(s.ends_at).substr(11)}, {"min_staff", s.min_staff}, {"max_staff", s.max_staff},
                {"staff", json::array()}, {"available", json::array()}, {"requests", json::array()}};
        for (const auto& a : staff)
          if (a.shift_id == s.id && !ref(a.member_id).empty())
            sj["staff"].push_back(json{{"member", ref(a.member_id)}, {"source", a.source},
                                       {"check_in_at", a.check_in_at ? json(*a.check_in_at) : json(nullptr)},
                                       {"check_out_at", a.check_out_at ? json(*a.check_out_at) : json(nullptr)},
                                       {"minutes", a.minutes}, {"no_show", a.no_show}});
        for (const auto& a : avail)
          if (a.shift_id == s.id && !ref(a.member_id).empty())
            sj["available"].push_back(json{{"member", ref(a.member_id)}, {"preferred", a.preferred}});
        for (const auto& q : requests)
          if (q.shift_id == s.id && !ref(q.from_member_id).empty())
            sj["requests"].push_back(json{{"kind", q.kind}, {"from", ref(q.from_member_id)},
                                          {"to", q.to_member_id ? json(ref(*q.to_member_id)) : json(nullptr)}, {"note", q.note},
                                          {"state", q.state}, {"created_at", q.created_at}});
        // By member ref, so that a dump does not depend on ids or name order.
        for (const char* key : {"staff", "available"})
          std::sort(sj[key].begin(), sj[key].end(), [](const json& a, const json& b) { return a["member"].get<std::string>() < b["member"].get<std::string>(); });
        pj["shifts"].push_back(sj);
      }
      j["periods"].push_back(pj);
    }
    centers.push_back(j);
  }
  return json{{"centers", centers}};
}

}  // namespace

chidoan::bundle::Section bundle_section() { return {"desk", validate_desks, load_desks, dump_desks}; }

Result<int64_t> bundle_center(db::Connection& conn, const Refs& refs, const std::string& org_code, const std::string& center_name,
                              const std::string& path) {
  CHIDOAN_TRY(org_id, org::bundle::org_ref(conn, refs, org_code, path + ".org"));
  CHIDOAN_TRY(row, conn.query_one("SELECT id FROM desk_centers WHERE org_id = ?1 AND name = ?2", {org_id, center_name}));
  if (!row)
    return fail(ErrorKind::invalid,
                "không có trung tâm “" + center_name + "” của " + org_code + " (trung tâm do phần \"desk\" của bundle tạo, hoặc đã có trong cơ sở dữ liệu)",
                path + ".center");
  return row->i64(0);
}

}  // namespace chidoan::desk
