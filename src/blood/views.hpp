// JSON views of the blood-donation club: the API's shapes, also the templates' input.
// Phones are never in these views: a phone leaves the server only through an audited reveal.
#pragma once

#include <nlohmann/json.hpp>

#include "blood/model.hpp"
#include "blood/rules.hpp"

namespace chidoan::blood {

nlohmann::json to_json(const Club& c);
// The donor as a coordinator or the donor sees it (sensitive fields included, phone excluded).
nlohmann::json to_json(const Donor& d);
nlohmann::json to_json(const rules::Eligibility& e);
nlohmann::json to_json(const Donation& d);
nlohmann::json to_json(const Deferral& d);
nlohmann::json to_json(const BloodRequest& r);
nlohmann::json to_json(const Match& m);
nlohmann::json to_json(const Call& c);
nlohmann::json to_json(const ClubStats& s);

// Adds the Vietnamese labels and dates a page shows (e.g. "group_vn", "on_vn") to a view.
void add_labels(nlohmann::json& view);

}  // namespace chidoan::blood
