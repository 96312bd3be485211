#include "fund/views.hpp"

#include "fund/rules.hpp"
#include "platform/text/text.hpp"

namespace chidoan::fund {

using nlohmann::json;

namespace {
json int_or_null(const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); }
double quantity(int64_t milli) { return static_cast<double>(milli) / 1000.0; }
}  // namespace

json to_json(const Campaign& c) {
  json rounds = json::array();
  for (const auto& r : c.rounds) rounds.push_back({{"no", r.no}, {"name", r.name}, {"starts_on", r.starts_on}, {"ends_on", r.ends_on}});
  return {{"id", c.id},           {"org_id", c.org_id},     {"organiser", c.org_name}, {"name", c.name},
          {"purpose", c.purpose}, {"starts_on", c.starts_on}, {"ends_on", c.ends_on},  {"status", c.status},
          {"goal_vnd", int_or_null(c.goal_vnd)}, {"goal_items", c.goal_items}, {"rounds", rounds}};
}

json to_json(const Contribution& c) {
  json j = {{"id", c.id},
            {"campaign_id", c.campaign_id},
            {"round_no", int_or_null(c.round_no)},
            {"kind", c.kind},
            {"contributor_kind", c.contributor_kind},
            {"contributor", c.contributor_name},
            {"member_id", int_or_null(c.member_id)},
            {"unit_id", int_or_null(c.unit_id)},
            {"on_date", c.on_date},
            {"method", c.method},
            {"note", c.note},
            {"reverses_id", int_or_null(c.reverses_id)},
            {"reversed_by", int_or_null(c.reversed_by)},
            {"receipt_no", int_or_null(c.receipt_no)},
            {"recorded_by", c.recorded_by}};
  if (c.kind == "money") {
    j["amount_vnd"] = c.amount_vnd;
  } else {
    j["item"] = c.item;
    j["quantity"] = quantity(c.quantity_milli);
    j["unit"] = c.unit;
    j["value_vnd"] = c.value_vnd;
  }
  return j;
}

json to_json(const Outflow& o) {
  json j = {{"id", o.id},          {"campaign_id", o.campaign_id}, {"round_no", int_or_null(o.round_no)}, {"on_date", o.on_date}, {"description", o.description},
            {"recipients", o.recipients}, {"recipients_consented", o.recipients_consented}, {"kind", o.kind},
            {"reverses_id", int_or_null(o.reverses_id)}, {"reversed_by", int_or_null(o.reversed_by)}};
  if (o.kind == "money") {
    j["amount_vnd"] = o.amount_vnd;
  } else {
    j["item"] = o.item;
    j["quantity"] = quantity(o.quantity_milli);
    j["unit"] = o.unit;
    j["value_vnd"] = o.value_vnd;
  }
  return j;
}

json to_json(const Totals& t) {
  json items = json::array();
  for (const auto& i : t.items)
    items.push_back({{"item", i.item}, {"quantity", quantity(i.quantity_milli)}, {"unit", i.unit}, {"value_vnd", i.value_vnd},
                     {"quantity_vn", rules::format_quantity(i.quantity_milli)}, {"value_vn", text::format_vnd(i.value_vnd)}});
  return {{"money_vnd", t.money_vnd}, {"money_vn", text::format_vnd(t.money_vnd)}, {"entries", t.entries}, {"in_kind", items}};
}

json to_json(const std::vector<Bucket>& b) {
  json out = json::array();
  for (const auto& x : b)
    out.push_back({{"key", x.key}, {"money_vnd", x.money_vnd}, {"in_kind_value_vnd", x.in_kind_value_vnd}, {"entries", x.entries},
                   {"money_vn", text::format_vnd(x.money_vnd)}, {"in_kind_value_vn", text::format_vnd(x.in_kind_value_vnd)}});
  return out;
}

}  // namespace chidoan::fund
