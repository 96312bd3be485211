#include "org/views.hpp"

#include <type_traits>

namespace chidoan::org {

using nlohmann::json;

namespace {
json opt(const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); }
}  // namespace

json to_json(const Level& l) {
  return {{"id", l.id}, {"rank", l.rank}, {"name", l.name}, {"holds_members", l.holds_members}};
}

json to_json(const Org& o) {
  return {{"id", o.id},           {"code", o.code},         {"name", o.name},
          {"level", o.level_name}, {"level_id", o.level_id}, {"level_rank", o.level_rank},
          {"is_branch", o.holds_members}, {"parent_id", opt(o.parent_id)}, {"status", o.status},
          {"founded_on", o.founded_on}, {"ended_on", o.ended_on}};
}

json to_json(const Unit& u) { return {{"id", u.id}, {"org_id", u.org_id}, {"name", u.name}, {"position", u.position}}; }

namespace {
// A member's fields, for both the streamed writer and a JSON value: `put(key, value)`.
template <typename Put>
void member_fields(const Member& m, bool detail, Put&& put) {
  put("id", m.id);
  put("branch_id", m.branch_id);
  put("family_name", m.family_name);
  put("middle_name", m.middle_name);
  put("given_name", m.given_name);
  put("full_name", m.full_name());
  put("sex", m.sex);
  put("birth_date", m.birth_date);
  put("joined_union_on", m.joined_union_on);
  put("unit_id", m.unit_id);
  put("unit", m.unit_name);
  put("committee_role", m.committee_role);
  put("status", m.status);
  if (detail) {
    put("cccd", m.cccd);
    put("phone", m.phone);
    put("email", m.email);
    put("card_number", m.card_number);
  }
}
}  // namespace

void write_json(JsonWriter& w, const Member& m, bool detail) {
  w.begin_object();
  member_fields(m, detail, [&](std::string_view k, const auto& v) { w.field(k, v); });
  w.end_object();
}

json to_json(const Member& m, bool detail) {
  json j = json::object();
  member_fields(m, detail, [&](const char* k, const auto& v) {
    if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::optional<int64_t>>) j[k] = opt(v);
    else j[k] = v;
  });
  return j;
}

json to_json(const Period& p) { return {{"branch_id", p.branch_id}, {"from_on", p.from_on}, {"to_on", p.to_on}}; }

json to_json(const MemberEvent& e) {
  return {{"kind", e.kind}, {"effective_on", e.effective_on}, {"branch_id", e.branch_id},
          {"other_branch_id", opt(e.other_branch_id)}, {"reason", e.reason}};
}

json to_json(const OrgEvent& e) {
  return {{"org_id", e.org_id},     {"kind", e.kind},           {"effective_on", e.effective_on},
          {"related_org_id", opt(e.related_org_id)}, {"old_value", e.old_value}, {"new_value", e.new_value},
          {"note", e.note}};
}

}  // namespace chidoan::org
