#include "org/views.hpp"

#include "platform/text/text.hpp"

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

json to_json(const Member& m, bool detail) {
  json j = {{"id", m.id},
            {"branch_id", m.branch_id},
            {"family_name", m.family_name},
            {"middle_name", m.middle_name},
            {"given_name", m.given_name},
            {"full_name", m.full_name()},
            {"sex", m.sex},
            {"birth_date", m.birth_date},
            {"birth_date_vn", text::format_date(m.birth_date)},
            {"joined_union_on", m.joined_union_on},
            {"unit_id", opt(m.unit_id)},
            {"unit", m.unit_name},
            {"committee_role", m.committee_role},
            {"status", m.status}};
  if (detail) {
    j["cccd"] = m.cccd;
    j["phone"] = m.phone;
    j["email"] = m.email;
    j["card_number"] = m.card_number;
  }
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
