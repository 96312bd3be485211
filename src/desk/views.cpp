#include "desk/views.hpp"

#include <chrono>

#include "platform/core/date.hpp"

namespace chidoan::desk {

using web::Json;

Json to_json(const Counter& c) { return Json{{"id", c.id}, {"center_id", c.center_id}, {"name", c.name}}; }

Json to_json(const Template& t) {
  return Json{{"id", t.id},
              {"center_id", t.center_id},
              {"counter_id", t.counter_id},
              {"counter_name", t.counter_name},
              {"name", t.name},
              {"weekdays", t.weekdays},
              {"start_time", t.start_time},
              {"end_time", t.end_time},
              {"min_staff", t.min_staff},
              {"max_staff", t.max_staff},
              {"active", t.active}};
}

Json to_json(const Period& p) { return Json{{"id", p.id}, {"center_id", p.center_id}, {"month", p.month}, {"activity_id", p.activity_id}}; }

Json to_json(const Shift& s) {
  return Json{{"id", s.id},
              {"period_id", s.period_id},
              {"template_id", s.template_id},
              {"template_name", s.template_name},
              {"counter_id", s.counter_id},
              {"counter_name", s.counter_name},
              {"date", s.on_date},
              {"starts_at", local_time(s.starts_at)},
              {"ends_at", local_time(s.ends_at)},
              {"min_staff", s.min_staff},
              {"max_staff", s.max_staff}};
}

Json to_json(const Assignment& a) {
  Json j{{"id", a.id},
         {"shift_id", a.shift_id},
         {"member_id", a.member_id},
         {"member_name", a.member_name},
         {"source", a.source},
         {"check_in_at", a.check_in_at ? Json(local_time(*a.check_in_at)) : Json()},
         {"check_out_at", a.check_out_at ? Json(local_time(*a.check_out_at)) : Json()},
         {"minutes", a.minutes},
         {"no_show", a.no_show}};
  return j;
}

Json to_json(const Request& r) {
  return Json{{"id", r.id},
              {"kind", r.kind},
              {"shift_id", r.shift_id},
              {"from_member_id", r.from_member_id},
              {"from_name", r.from_name},
              {"to_member_id", r.to_member_id ? Json(*r.to_member_id) : Json()},
              {"to_name", r.to_name},
              {"note", r.note},
              {"state", r.state},
              {"created_at", local_time(r.created_at)}};
}

Json to_json(const solver::Shortfall& s) { return Json{{"shift_id", s.shift_id}, {"needed", s.needed}, {"reason", s.reason}}; }

std::string day_label(const std::string& iso_date) {
  static const char* const kNames[] = {"", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"};
  auto d = parse_date(iso_date);
  if (!d) return iso_date;
  unsigned wd = std::chrono::weekday(std::chrono::sys_days(*d)).iso_encoding();
  return std::string(kNames[wd]) + " " + iso_date.substr(8, 2) + "/" + iso_date.substr(5, 2);
}

std::string clock_label(int64_t unix_seconds) { return local_time(unix_seconds).substr(11, 5); }

}  // namespace chidoan::desk
