// JSON views of dues: the API's shapes, also the templates' input (docs/dues.md).
#pragma once

#include <nlohmann/json.hpp>

#include "activity/dues_model.hpp"

namespace chidoan::activity::dues {

std::string_view state_name(MonthState s);  // "none" | "paid" | "exempt" | "arrears" | "due" | "upcoming"

nlohmann::json to_json(const Rate& r);
nlohmann::json to_json(const Payment& p);
nlohmann::json to_json(const Exemption& e);
nlohmann::json to_json(const Remittance& r);
nlohmann::json to_json(const MonthFigures& f);
nlohmann::json to_json(const YearFigures& f);
// The dues book: {"org_id","year","as_of","members","figures","arrears","payments","exemptions",
// "remittances","rates"}; payments and exemptions carry the member's full_name.
nlohmann::json to_json(const Book& b);

}  // namespace chidoan::activity::dues
