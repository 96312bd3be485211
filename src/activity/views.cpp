#include "activity/views.hpp"

#include <cmath>

#include "activity/rules.hpp"
#include "platform/text/text.hpp"

namespace chidoan::activity {

using nlohmann::json;

namespace {
json int_or_null(const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); }
}  // namespace

json to_json(const ActivityType& t) {
  return {{"id", t.id}, {"code", t.code}, {"name", t.name}, {"name_en", t.name_en}, {"expects_all", t.expects_all}};
}

json to_json(const Activity& a) {
  return {{"id", a.id},
          {"type", a.type_code},
          {"type_name", a.type_name},
          {"type_id", a.type_id},
          {"title", a.title},
          {"description", a.description},
          {"place", a.place},
          {"organiser", a.org_name},
          {"organiser_id", a.org_id},
          {"starts_at", a.starts_at},
          {"ends_at", a.ends_at},
          {"capacity", int_or_null(a.capacity)},
          {"signup_opens_at", a.signup_opens_at},
          {"signup_closes_at", a.signup_closes_at},
          {"expects_all", a.expects_all},
          {"attendance_taken", a.attendance_taken}};
}

json to_json(const Signup& s) {
  return {{"member_id", s.member_id}, {"name", s.member_name}, {"status", s.status}, {"created_at", s.created_at}};
}

json to_json(const Attendance& a) {
  return {{"member_id", a.member_id},   {"name", a.member_name},       {"branch_id", a.branch_id},
          {"unit_id", int_or_null(a.unit_id)},  {"on_date", a.on_date},         {"status", a.status},
          {"check_in_at", int_or_null(a.check_in_at)}, {"check_out_at", int_or_null(a.check_out_at)}, {"minutes", a.minutes},
          {"hours_state", a.hours_state}};
}

json rate_json(std::optional<double> rate) {
  if (!rate) return nullptr;
  return std::round(*rate * 10000.0) / 10000.0;  // four places: 0.9565
}

json to_json(const Tally& t) {
  auto rate = rules::participation_rate(t);
  return {{"present", t.present}, {"excused", t.excused}, {"absent", t.absent}, {"minutes", t.minutes},
          {"rate", rate_json(rate)}, {"rate_vn", rate ? text::format_percent(*rate, 1) : "—"}};
}

}  // namespace chidoan::activity
