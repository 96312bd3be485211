#include "news/views.hpp"

#include <cstdio>

#include "news/rules.hpp"
#include "platform/core/date.hpp"
#include "platform/http/http.hpp"
#include "platform/markdown/markdown.hpp"
#include "platform/text/text.hpp"

namespace chidoan::news {

using nlohmann::json;

namespace {
json opt(const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); }
std::string date_vn(const std::optional<int64_t>& t) { return t ? text::format_date(local_time(*t).substr(0, 10)) : std::string(); }
std::string private_photo_path(int64_t id, std::string_view size) { return "/news/photos/" + std::to_string(id) + "/" + std::string(size); }

json links_json(const Links& l) {
  return {{"activity_id", opt(l.activity_id)}, {"campaign_id", opt(l.campaign_id)}, {"forum_id", opt(l.forum_id)},
          {"produce_cycle_id", opt(l.produce_cycle_id)}};
}

json public_photo(const PhotoInfo& ph, const std::string& base) {
  return {{"id", ph.id},
          {"url", base + public_photo_path(ph.id, "large")},
          {"small_url", base + public_photo_path(ph.id, "small")},
          {"width", ph.width},
          {"height", ph.height},
          {"small_width", ph.small_width},
          {"alt", ph.alt}};
}
}  // namespace

std::string public_post_path(int64_t post_id) { return "/public/news/" + std::to_string(post_id); }
std::string public_org_path(int64_t org_id) { return "/public/orgs/" + std::to_string(org_id) + "/news"; }
std::string public_photo_path(int64_t photo_id, std::string_view size) {
  return "/public/news/photos/" + std::to_string(photo_id) + "/" + std::string(size) + ".jpg";
}

std::string rfc3339(int64_t unix_seconds) { return chidoan::local_seconds(unix_seconds) + "+07:00"; }

json post_json(const Post& p) {
  return {{"id", p.id},
          {"org_id", p.org_id},
          {"org_name", p.org_name},
          {"title", p.title},
          {"summary", p.summary},
          {"body", p.body},
          {"body_html", markdown::to_html(p.body)},
          {"state", p.state},
          {"state_label", rules::state_label(p.state)},
          {"author_id", opt(p.author_id)},
          {"author_name", p.author_name},
          {"author_member_id", opt(p.author_member_id)},
          {"byline", p.byline ? *p.byline : p.org_name},
          {"links", links_json(p.links)},
          {"note", p.note},
          {"version", p.version},
          {"created_at", p.created_at},
          {"updated_at", p.updated_at},
          {"updated_vn", date_vn(p.updated_at)},
          {"submitted_at", opt(p.submitted_at)},
          {"published_at", opt(p.published_at)},
          {"published_on", date_vn(p.published_at)},
          {"withdrawn_at", opt(p.withdrawn_at)},
          {"photos", p.photos},
          {"first_photo_id", opt(p.first_photo_id)},
          {"public_url", p.state == "published" ? json(public_post_path(p.id)) : json(nullptr)}};
}

json photo_json(const PhotoInfo& ph) {
  return {{"id", ph.id},
          {"alt", ph.alt},
          {"position", ph.position},
          {"width", ph.width},
          {"height", ph.height},
          {"small_width", ph.small_width},
          {"small_height", ph.small_height},
          {"bytes", ph.bytes},
          {"large_url", private_photo_path(ph.id, "large")},
          {"small_url", private_photo_path(ph.id, "small")}};
}

json public_item_json(const Post& p, const std::string& base) {
  json v{{"id", p.id},
         {"url", base + public_post_path(p.id)},
         {"path", public_post_path(p.id)},
         {"title", p.title},
         {"summary", p.summary},
         {"description", rules::description(p)},
         {"published_at", p.published_at ? json(rfc3339(*p.published_at)) : json(nullptr)},
         {"published_on", date_vn(p.published_at)},
         {"org_id", p.org_id},
         {"org_name", p.org_name},
         {"byline", p.byline ? *p.byline : p.org_name},
         {"image", nullptr}};
  return v;
}

json public_post_json(const Post& p, const std::vector<PhotoInfo>& photos, const LinkTitles& links, const std::string& base) {
  json v = public_item_json(p, base);
  v["body_html"] = markdown::to_html(p.body);
  json list = json::array();
  for (const auto& ph : photos) list.push_back(public_photo(ph, base));
  if (!list.empty()) v["image"] = list.front();
  v["photos"] = list;
  v["more_photos"] = list.size() > 1 ? json(std::vector<json>(list.begin() + 1, list.end())) : json::array();
  json l = json::array();
  auto add = [&](const char* kind, const char* label, const std::string& title) {
    if (!title.empty()) l.push_back({{"kind", kind}, {"label", label}, {"title", title}});
  };
  add("activity", "Hoạt động", links.activity);
  add("campaign", "Chiến dịch", links.campaign);
  add("forum", "Diễn đàn", links.forum);
  add("produce", "Đợt đặt hàng nông sản", links.produce_cycle);
  v["links"] = l;
  std::string url = base + public_post_path(p.id);
  std::string u = http::url_encode(url);
  v["share"] = json::array({
      {{"network", "facebook"}, {"label", "Facebook"}, {"url", "https://www.facebook.com/sharer/sharer.php?u=" + u}},
      {{"network", "x"}, {"label", "X"}, {"url", "https://twitter.com/intent/tweet?url=" + u + "&text=" + http::url_encode(p.title)}},
      {{"network", "email"}, {"label", "E-mail"}, {"url", "mailto:?subject=" + http::url_encode(p.title) + "&body=" + u}},
  });
  return v;
}

}  // namespace chidoan::news
