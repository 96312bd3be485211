#include "fund/produce_views.hpp"

#include "fund/produce_rules.hpp"

namespace chidoan::fund::produce {
namespace {

using nlohmann::json;

json opt(const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); }

}  // namespace

json to_json(const Supplier& s, bool with_contact) {
  json j{{"id", s.id},       {"org_id", s.org_id}, {"name", s.name},    {"kind", s.kind},
         {"place", s.place}, {"note", s.note},     {"active", s.active}};
  if (with_contact) j["contact"] = s.contact;
  return j;
}

json to_json(const Product& p) {
  return {{"id", p.id},           {"supplier_id", p.supplier_id}, {"name", p.name}, {"unit", p.unit},
          {"price_vnd", p.price_vnd}, {"case_size", p.case_size}, {"step", p.step}, {"active", p.active}};
}

json to_json(const Cycle& c) {
  json products = json::array();
  for (const auto& p : c.products)
    products.push_back({{"product_id", p.product_id}, {"name", p.name},   {"unit", p.unit},         {"price_vnd", p.price_vnd},
                        {"case_size", p.case_size},   {"step", p.step},   {"cases", opt(p.cases)}, {"units", opt(p.units)}});
  return {{"id", c.id},
          {"title", c.title},
          {"supplier", {{"id", c.supplier_id}, {"name", c.supplier_name}}},
          {"org", {{"id", c.org_id}, {"name", c.org_name}}},
          {"opens_at", c.opens_at},
          {"closes_at", c.closes_at},
          {"pickup_on", c.pickup_on},
          {"pickup_place", c.pickup_place},
          {"status", std::string(status_name(c.status))},
          {"closed_at", opt(c.closed_at)},
          {"products", products}};
}

json to_json(const Order& o) {
  json items = json::array();
  for (const auto& l : o.lines)
    items.push_back({{"product_id", l.product_id}, {"quantity", l.quantity}, {"tolerance", l.tolerance}, {"ordered_at", l.ordered_at},
                     {"allocated", opt(l.allocated)}});
  return {{"id", o.id},           {"cycle_id", o.cycle_id},     {"member_id", o.member_id}, {"member_name", o.member_name},
          {"created_at", o.created_at}, {"updated_at", o.updated_at}, {"picked_up", o.picked_up}, {"paid", o.paid},
          {"items", items}};
}

json totals_json(const CycleTotals& t) {
  json products = json::array();
  for (const auto& pt : t.products)
    products.push_back({{"product_id", pt.product.product_id},
                        {"name", pt.product.name},
                        {"unit", pt.product.unit},
                        {"price_vnd", pt.product.price_vnd},
                        {"case_size", pt.product.case_size},
                        {"ordered", pt.rounded.ordered},
                        {"tolerance", pt.rounded.tolerance},
                        {"cases", pt.rounded.cases},
                        {"units", pt.rounded.units},
                        {"filled_by_tolerance", pt.rounded.filled_by_tolerance},
                        {"cut", pt.rounded.cut},
                        {"amount_vnd", pt.amount_vnd}});
  return {{"products", products},
          {"amount_vnd", t.amount_vnd},
          {"ordered_amount_vnd", t.ordered_amount_vnd},
          {"paid_vnd", t.paid_vnd},
          {"orders", t.members.size()},
          {"members_picked_up", t.members_picked_up},
          {"members_paid", t.members_paid}};
}

json checklist_json(const Cycle& c, const CycleTotals& t) {
  json members = json::array();
  for (const auto& m : t.members) {
    json items = json::array();
    for (size_t i = 0; i < m.items.size(); ++i) {
      const CycleProduct* p = nullptr;
      for (const auto& x : c.products)
        if (x.product_id == m.items[i].first) p = &x;
      if (!p) continue;
      items.push_back({{"product_id", p->product_id},
                       {"name", p->name},
                       {"unit", p->unit},
                       {"ordered", m.ordered[i].second},
                       {"allocated", m.items[i].second},
                       {"amount_vnd", m.items[i].second * p->price_vnd}});
    }
    members.push_back({{"member_id", m.member_id},
                       {"member_name", m.member_name},
                       {"items", items},
                       {"amount_vnd", m.amount_vnd},
                       {"picked_up", m.picked_up},
                       {"paid", m.paid}});
  }
  return members;
}

}  // namespace chidoan::fund::produce
