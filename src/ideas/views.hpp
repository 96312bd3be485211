// JSON views of the ideas forum: the API's shapes, also the templates' input (docs/api.md
// "Ideas forum"). Labels and Vietnamese dates are added beside the API's fields.
#pragma once

#include <nlohmann/json.hpp>

#include "ideas/model.hpp"
#include "ideas/store.hpp"
#include "platform/core/date.hpp"

namespace chidoan::ideas {

// {id, org_id, org_name, title, description, kind, kind_label, held_on, opens_on, closes_on,
//  phase ("upcoming" | "open" | "closed"), open, post_scope, support_scope, support_threshold,
//  self_support, activity_id}
nlohmann::json forum_json(const Forum& f, Date today);
// {user_id, name, title}
nlohmann::json mentor_json(const Mentor& m);
// {member_id, name, role, status}
nlohmann::json author_json(const Author& a);
// The public list's item, exactly: {id, title, state, supports, authors: [names of accepted authors]}
nlohmann::json idea_item_json(const Idea& i);
// The whole idea: {id, forum_id, title, problem, proposal, benefit, state, state_label, answer,
//  outcome, implemented_on, hidden, created_at, updated_at, submitted_at, supports, progress
//  (0..100 towards the forum's threshold), threshold, authors: [author_json]}
nlohmann::json idea_json(const Idea& i, const Forum& f);
// {id, at, at_local, from_state, to_state, to_label, by, note}
nlohmann::json event_json(const Event& e);
// {id, file_name, mime, size, is_image, url}
nlohmann::json attachment_json(const Attachment& a);
// {by_state: [{state, label, count}], ideas, supports, reached_threshold, ranked: [idea_json],
//  implemented: [idea_json]}
nlohmann::json results_json(const Results& r, const Forum& f);

}  // namespace chidoan::ideas
