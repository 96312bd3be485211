// JSON views of org types: the API's shapes, also the templates' input.
#pragma once

#include <nlohmann/json.hpp>

#include "org/model.hpp"
#include "platform/core/json_writer.hpp"

namespace chidoan::org {

nlohmann::json to_json(const Level& l);
nlohmann::json to_json(const Org& o);
nlohmann::json to_json(const Unit& u);
// The member shape, written once: the API streams it (member lists are the hottest
// response), and to_json() reads the same bytes back for templates, so the two cannot drift.
// `detail` adds contact and identity fields (for those allowed to see them).
void write_json(JsonWriter& w, const Member& m, bool detail);
nlohmann::json to_json(const Member& m, bool detail);
nlohmann::json to_json(const Period& p);
nlohmann::json to_json(const MemberEvent& e);
nlohmann::json to_json(const OrgEvent& e);

}  // namespace chidoan::org
