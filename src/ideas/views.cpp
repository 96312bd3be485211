#include "ideas/views.hpp"

#include "ideas/rules.hpp"
#include "platform/text/text.hpp"

namespace chidoan::ideas {

using nlohmann::json;

namespace {
json opt(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }
json opt(const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); }
std::string date_vn(const std::optional<std::string>& d) { return d ? text::format_date(*d) : std::string(); }
}  // namespace

json forum_json(const Forum& f, Date today) {
  std::string phase = rules::forum_phase(f, today);
  return {{"id", f.id},
          {"org_id", f.org_id},
          {"org_name", f.org_name},
          {"title", f.title},
          {"description", f.description},
          {"kind", f.kind},
          {"kind_label", rules::kind_label(f.kind)},
          {"held_on", opt(f.held_on)},
          {"held_on_vn", date_vn(f.held_on)},
          {"opens_on", f.opens_on},
          {"opens_on_vn", text::format_date(f.opens_on)},
          {"closes_on", opt(f.closes_on)},
          {"closes_on_vn", date_vn(f.closes_on)},
          {"phase", phase},
          {"phase_label", rules::phase_label(phase)},
          {"open", phase == "open"},
          {"post_scope", f.post_scope},
          {"post_scope_label", rules::scope_label(f.post_scope)},
          {"support_scope", f.support_scope},
          {"support_scope_label", rules::scope_label(f.support_scope)},
          {"support_threshold", f.support_threshold},
          {"has_threshold", f.support_threshold > 0},
          {"self_support", f.self_support},
          {"activity_id", opt(f.activity_id)}};
}

json mentor_json(const Mentor& m) { return {{"user_id", m.user_id}, {"name", m.display_name}, {"title", m.title}}; }

json author_json(const Author& a) {
  return {{"member_id", a.member_id}, {"name", a.name},      {"role", a.role}, {"role_label", rules::role_label(a.role)},
          {"status", a.status},       {"requested", a.status == "requested"}};
}

json idea_item_json(const Idea& i) {
  json authors = json::array();
  for (const auto& a : i.authors)
    if (a.status == "accepted") authors.push_back(a.name);
  return {{"id", i.id}, {"title", i.title}, {"state", i.state}, {"supports", i.supports}, {"authors", authors}};
}

json idea_json(const Idea& i, const Forum& f) {
  json authors = json::array();
  for (const auto& a : i.authors) authors.push_back(author_json(a));
  return {{"id", i.id},
          {"forum_id", i.forum_id},
          {"title", i.title},
          {"problem", i.problem},
          {"proposal", i.proposal},
          {"benefit", i.benefit},
          {"state", i.state},
          {"state_label", rules::state_label(i.state)},
          {"answer", i.answer},
          {"outcome", i.outcome},
          {"implemented_on", opt(i.implemented_on)},
          {"implemented_on_vn", date_vn(i.implemented_on)},
          {"hidden", i.hidden},
          {"created_at", i.created_at},
          {"updated_at", i.updated_at},
          {"submitted_at", opt(i.submitted_at)},
          {"supports", i.supports},
          {"threshold", f.support_threshold},
          {"has_threshold", f.support_threshold > 0},
          {"progress", rules::progress_percent(i.supports, f.support_threshold)},
          {"reached", f.support_threshold > 0 && i.supports >= f.support_threshold},
          {"authors", authors}};
}

json event_json(const Event& e) {
  std::string at = local_time(e.at);
  return {{"id", e.id},
          {"at", e.at},
          {"at_local", at},
          {"at_vn", text::format_date(at.substr(0, 10)) + " " + at.substr(11, 5)},
          {"from_state", opt(e.from_state)},
          {"to_state", e.to_state},
          {"to_label", rules::state_label(e.to_state)},
          {"by", e.user_name},
          {"note", e.note}};
}

json attachment_json(const Attachment& a) {
  return {{"id", a.id},
          {"file_name", a.file_name},
          {"mime", a.mime},
          {"size", a.size},
          {"size_vn", text::format_int((a.size + 1023) / 1024) + " KB"},
          {"is_image", a.mime.starts_with("image/")},
          {"url", "/ideas/attachments/" + std::to_string(a.id)}};
}

json results_json(const Results& r, const Forum& f) {
  json by_state = json::array();
  for (const char* s : kStates)
    if (auto it = r.by_state.find(s); it != r.by_state.end())
      by_state.push_back({{"state", s}, {"label", rules::state_label(s)}, {"count", it->second}});
  json ranked = json::array();
  for (const auto& i : r.ranked) ranked.push_back(idea_json(i, f));
  json implemented = json::array();
  for (const auto& i : r.implemented) implemented.push_back(idea_json(i, f));
  return {{"by_state", by_state},
          {"ideas", r.ideas},
          {"supports", r.supports},
          {"reached_threshold", r.reached_threshold},
          {"ranked", ranked},
          {"implemented", implemented}};
}

}  // namespace chidoan::ideas
