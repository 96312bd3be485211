// JSON views of activity types: the API's shapes, also the templates' input.
#pragma once

#include <optional>

#include <nlohmann/json.hpp>

#include "activity/model.hpp"
#include "activity/store.hpp"

namespace chidoan::activity {

nlohmann::json to_json(const ActivityType& t);
nlohmann::json to_json(const Activity& a);
nlohmann::json to_json(const Signup& s);
nlohmann::json to_json(const Attendance& a);
// Counts and the participation rate (null when nothing was expected).
nlohmann::json to_json(const Tally& t);
nlohmann::json rate_json(std::optional<double> rate);

}  // namespace chidoan::activity
