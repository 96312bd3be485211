// JSON views of the produce drive: the API's shapes, also the templates' input (docs/produce.md).
#pragma once

#include <optional>

#include <nlohmann/json.hpp>

#include "fund/produce_model.hpp"

namespace chidoan::fund::produce {

// {"id","org_id","name","kind","place","note","active"} and "contact" only when `with_contact`
// (personal data: the committee's).
nlohmann::json to_json(const Supplier& s, bool with_contact);
// {"id","supplier_id","name","unit","price_vnd","case_size","step","active"}
nlohmann::json to_json(const Product& p);
// {"id","title","supplier":{"id","name"},"org":{"id","name"},"opens_at","closes_at","pickup_on",
//  "pickup_place","status","closed_at","products":[{"product_id","name","unit","price_vnd",
//  "case_size","step","cases","units"}]}
nlohmann::json to_json(const Cycle& c);
// {"id","cycle_id","member_id","member_name","created_at","updated_at","picked_up","paid",
//  "items":[{"product_id","quantity","tolerance","ordered_at","allocated"}]}
nlohmann::json to_json(const Order& o);
// Per product: {"product_id","name","unit","price_vnd","case_size","ordered","tolerance","cases",
// "units","filled_by_tolerance","cut","amount_vnd"}; and "amount_vnd", "ordered_amount_vnd",
// "paid_vnd", "orders", "members_picked_up", "members_paid".
nlohmann::json totals_json(const CycleTotals& t);
// The pickup checklist: per member {"member_id","member_name","items":[{"product_id","name",
// "unit","ordered","allocated","amount_vnd"}],"amount_vnd","picked_up","paid"}.
nlohmann::json checklist_json(const Cycle& c, const CycleTotals& t);

}  // namespace chidoan::fund::produce
