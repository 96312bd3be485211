#include "ideas/talk_views.hpp"

#include <map>

#include "platform/markdown/markdown.hpp"
#include "platform/text/text.hpp"

namespace chidoan::ideas {
namespace {

using web::Json;
using talk_rules::Comment;

Json comment_json(const TalkIdea& idea, const Comment& c, const TalkRights& r, const std::set<int64_t>& reported) {
  const bool shown = !c.hidden || r.moderator;
  const bool open = talk_rules::open_for_talk(idea.state) && !idea.hidden;
  Json j{{"id", c.id},
         {"idea_id", c.idea_id},
         {"parent_id", c.parent_id ? Json(*c.parent_id) : Json(nullptr)},
         {"thread", c.thread},
         {"author_name", c.author_name},
         {"mentor", !c.mentor_title.empty()},
         {"mentor_title", c.mentor_title},
         {"created_at", c.created_at},
         {"at_vn", when_vn(c.created_at)},
         {"hidden", c.hidden},
         {"shown", shown},
         {"body", shown ? c.body : ""},
         {"body_html", shown ? markdown::to_html(c.body) : ""},
         {"mine", r.signed_in && c.user_id == r.user_id},
         {"reported_by_me", reported.contains(c.id)}};
  const bool top = !c.parent_id;
  bool can_reply = false;
  if (top && open && !c.hidden)
    can_reply = c.thread == "mentor" ? (r.writer.mentor || r.writer.author) : (r.writer.may_view || r.writer.mentor || r.writer.author);
  j["can_reply"] = can_reply;
  j["can_report"] = r.signed_in && !j["mine"].get<bool>() && !reported.contains(c.id) && !c.hidden;
  j["can_hide"] = r.moderator && !c.hidden;
  j["can_restore"] = r.moderator && (c.hidden || c.pending_reports > 0);
  if (r.moderator) j["pending_reports"] = c.pending_reports;
  j["has_reports"] = r.moderator && c.pending_reports > 0;
  j["post_path"] = "/ideas/" + std::to_string(c.idea_id) + (c.thread == "mentor" ? "/mentoring" : "/comments");
  j["replies"] = Json::array();
  j["has_replies"] = false;
  return j;
}

// Top-level comments of one thread with their replies nested.
Json thread_json(const TalkIdea& idea, const std::vector<Comment>& all, const std::string& thread, const TalkRights& r,
                 const std::set<int64_t>& reported) {
  Json items = Json::array();
  std::map<int64_t, size_t> index;
  int64_t count = 0;
  for (const auto& c : all) {
    if (c.thread != thread || c.parent_id) continue;
    index[c.id] = items.size();
    items.push_back(comment_json(idea, c, r, reported));
    ++count;
  }
  for (const auto& c : all) {
    if (c.thread != thread || !c.parent_id) continue;
    auto it = index.find(*c.parent_id);
    if (it == index.end()) continue;
    items[it->second]["replies"].push_back(comment_json(idea, c, r, reported));
    ++count;
  }
  for (auto& i : items) i["has_replies"] = !i["replies"].empty();
  return Json{{"items", items}, {"count", count}, {"empty", items.empty()}};
}

}  // namespace

std::string when_vn(int64_t unix_seconds) {
  std::string at = local_time(unix_seconds);
  return text::format_date(at.substr(0, 10)) + " " + at.substr(11, 5);
}

Json talk_json(const TalkIdea& idea, const std::vector<Comment>& comments, const TalkRights& rights, const std::set<int64_t>& reported,
               bool idea_reported) {
  const bool open = talk_rules::open_for_talk(idea.state) && !idea.hidden;
  const auto& w = rights.writer;
  Json mentor = thread_json(idea, comments, "mentor", rights, reported);
  mentor["can_start"] = open && w.mentor;
  Json discussion = thread_json(idea, comments, "comment", rights, reported);
  discussion["can_post"] = open && (w.may_view || w.mentor || w.author);
  return Json{{"idea_id", idea.id},
              {"forum_id", idea.forum_id},
              {"org_id", idea.org_id},
              {"open", open},
              {"draft", idea.state == "draft"},
              {"archived", idea.state == "archived"},
              {"idea_hidden", idea.hidden},
              {"mentor_thread", mentor},
              {"comments", discussion},
              {"is_mentor", w.mentor},
              {"is_author", w.author},
              {"moderator", rights.moderator},
              {"can_report_idea", rights.signed_in && !w.author && !idea_reported && !idea.hidden},
              {"idea_reported", idea_reported},
              {"can_hide_idea", rights.moderator && !idea.hidden},
              {"can_restore_idea", rights.moderator && idea.hidden},
              {"max_body", talk_rules::kMaxBodyChars},
              {"max_reason", talk_rules::kMaxReasonChars}};
}

Json queue_item_json(const QueueItem& q) {
  Json reports = Json::array();
  for (const auto& r : q.pending)
    reports.push_back({{"id", r.id}, {"reporter", r.reporter}, {"reason", r.reason}, {"created_at", r.created_at}, {"at_vn", when_vn(r.created_at)}});
  return Json{{"target", q.target},
              {"is_idea", q.target == "idea"},
              {"target_id", q.target_id},
              {"idea_id", q.idea_id},
              {"idea_title", q.idea_title},
              {"forum_id", q.forum_id},
              {"forum_title", q.forum_title},
              {"text", talk_rules::excerpt(q.text, 300)},
              {"author", q.author},
              {"hidden", q.hidden},
              {"pending", reports.size()},
              {"has_pending", !reports.empty()},
              {"reports", reports},
              {"path", q.target == "idea" ? "/ideas/" + std::to_string(q.idea_id)
                                          : "/ideas/" + std::to_string(q.idea_id) + "#comment-" + std::to_string(q.target_id)},
              {"action_base", q.target == "idea" ? "/ideas/" + std::to_string(q.target_id) : "/ideas/comments/" + std::to_string(q.target_id)}};
}

Json notice_json(const notices::Notice& n) {
  return Json{{"id", n.id},
              {"idea_id", n.idea_id},
              {"idea_title", n.idea_title},
              {"forum_id", n.forum_id},
              {"kind", n.kind},
              {"text", n.text},
              {"created_at", n.created_at},
              {"at_vn", when_vn(n.created_at)},
              {"read", n.read_at.has_value()},
              {"path", "/ideas/" + std::to_string(n.idea_id) + "#talk"}};
}

}  // namespace chidoan::ideas
