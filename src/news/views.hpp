// JSON views of news: the API's shapes, also the templates' input (docs/api.md "News").
// Two audiences: the committee and authors (post_json, everything), and the public
// (public_post_json: no user ids, no author account, no state; the byline is a member's name only
// with their consent, else the organisation's).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "news/draft.hpp"
#include "news/model.hpp"

namespace chidoan::news {

// {id, org_id, org_name, title, summary, body, body_html, state, state_label, author_id,
//  author_name, byline, links: {activity_id, campaign_id, forum_id, produce_cycle_id}, note, version,
//  created_at, updated_at, submitted_at, published_at (unix seconds or null), published_on
//  ("dd/mm/yyyy" or ""), photos, first_photo_id}
nlohmann::json post_json(const Post& p);
// {id, alt, width, height, small_width, small_height, bytes, large_url, small_url} (signed-in URLs)
nlohmann::json photo_json(const PhotoInfo& ph);

// Public shapes. `base` is the site's absolute origin ("https://chidoan.example.vn"): share
// cards need absolute URLs.
// {id, url, title, description, summary, published_at (RFC 3339), published_on ("dd/mm/yyyy"),
//  org_id, org_name, byline, image: {url, small_url, width, height, alt} | null}
nlohmann::json public_item_json(const Post& p, const std::string& base);
// public_item_json and {body_html, photos: [{url, small_url, width, height, alt}],
//  links: [{kind, label, title}], share: [{network, label, url}]}
nlohmann::json public_post_json(const Post& p, const std::vector<PhotoInfo>& photos, const LinkTitles& links,
                                const std::string& base);

// URLs of the public pages.
std::string public_post_path(int64_t post_id);
std::string public_org_path(int64_t org_id);
std::string public_photo_path(int64_t photo_id, std::string_view size);

// RFC 3339 in Vietnam's offset: "2021-11-02T15:30:00+07:00".
std::string rfc3339(int64_t unix_seconds);

}  // namespace chidoan::news
