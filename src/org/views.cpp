#include "org/views.hpp"


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

void write_json(JsonWriter& w, const Member& m, bool detail) {
  w.begin_object()
      .field("id", m.id)
      .field("branch_id", m.branch_id)
      .field("family_name", m.family_name)
      .field("middle_name", m.middle_name)
      .field("given_name", m.given_name)
      .field("full_name", m.full_name())
      .field("sex", m.sex)
      .field("birth_date", m.birth_date)
      .field("joined_union_on", m.joined_union_on)
      .field("unit_id", m.unit_id)
      .field("unit", m.unit_name)
      .field("committee_role", m.committee_role)
      .field("status", m.status);
  if (detail) w.field("cccd", m.cccd).field("phone", m.phone).field("email", m.email).field("card_number", m.card_number);
  w.end_object();
}

json to_json(const Member& m, bool detail) {
  JsonWriter w(512);
  write_json(w, m, detail);
  return json::parse(w.str());
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
