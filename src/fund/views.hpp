// JSON views of the ledger: the API's shapes, also the templates' input.
#pragma once

#include <nlohmann/json.hpp>

#include "fund/model.hpp"
#include "fund/store.hpp"

namespace chidoan::fund {

nlohmann::json to_json(const Campaign& c);
nlohmann::json to_json(const Contribution& c);
nlohmann::json to_json(const Outflow& o);
nlohmann::json to_json(const Totals& t);
nlohmann::json to_json(const std::vector<Bucket>& b);

}  // namespace chidoan::fund
