#include "activity/dues_views.hpp"

#include "activity/dues_rules.hpp"

namespace chidoan::activity::dues {
namespace {

using nlohmann::json;

json opt(const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); }

std::string name_of(const Book& b, int64_t member_id) {
  auto it = b.member_names.find(member_id);
  return it == b.member_names.end() ? std::string() : it->second;
}

}  // namespace

std::string_view state_name(MonthState s) {
  switch (s) {
    case MonthState::none: return "none";
    case MonthState::paid: return "paid";
    case MonthState::exempt: return "exempt";
    case MonthState::arrears: return "arrears";
    case MonthState::due: return "due";
    case MonthState::upcoming: return "upcoming";
  }
  return "none";
}

json to_json(const Rate& r) {
  return {{"id", r.id},
          {"category", std::string(category_name(r.category))},
          {"amount", r.amount},
          {"valid_from", to_string(r.from)},
          {"valid_to", r.to ? json(to_string(*r.to)) : json(nullptr)},
          {"source", r.source}};
}

json to_json(const Payment& p) {
  return {{"id", p.id},
          {"member_id", p.member_id},
          {"branch_id", p.branch_id},
          {"from_month", to_string(p.from)},
          {"to_month", to_string(p.to)},
          {"amount", p.amount},
          {"paid_on", p.paid_on},
          {"receipt_no", p.receipt_no},
          {"note", p.note},
          {"reverses_id", opt(p.reverses_id)},
          {"reversed_by", opt(p.reversed_by)},
          {"recorded_at", p.recorded_at}};
}

json to_json(const Exemption& e) {
  return {{"id", e.id},         {"member_id", e.member_id}, {"branch_id", e.branch_id},     {"from_month", to_string(e.from)},
          {"to_month", to_string(e.to)}, {"months", months_in(e.from, e.to)}, {"reason", e.reason}, {"recorded_at", e.recorded_at}};
}

json to_json(const Remittance& r) {
  return {{"id", r.id},
          {"branch_id", r.branch_id},
          {"to_org_id", r.to_org_id},
          {"from_month", to_string(r.from)},
          {"to_month", to_string(r.to)},
          {"collected", r.collected},
          {"amount", r.amount},
          {"remitted_on", r.remitted_on},
          {"note", r.note},
          {"recorded_at", r.recorded_at}};
}

json to_json(const MonthFigures& f) {
  return {{"month", to_string(f.month)}, {"expected", f.expected}, {"paid", f.paid},         {"exempted", f.exempted},
          {"arrears", f.arrears},        {"collected", f.collected}, {"share_up", f.share_up}, {"kept", f.kept},
          {"remitted", f.remitted}};
}

json to_json(const YearFigures& f) {
  return {{"expected", f.expected}, {"paid", f.paid},         {"exempted", f.exempted}, {"arrears", f.arrears},
          {"collected", f.collected}, {"share_up", f.share_up}, {"kept", f.kept},         {"remitted", f.remitted},
          {"to_remit", f.to_remit}};
}

json to_json(const Book& b) {
  json members = json::array(), arrears = json::array();
  for (const auto& row : b.rows) {
    json months = json::array();
    for (size_t i = 0; i < row.states.size(); ++i)
      months.push_back({{"month", to_string(Month::of(b.year, static_cast<unsigned>(i + 1)))},
                        {"state", std::string(state_name(row.states[i]))},
                        {"amount", row.amounts[i]}});
    json arrears_months = json::array();
    for (Month m : row.arrears) arrears_months.push_back(to_string(m));
    members.push_back({{"member_id", row.member_id},
                       {"full_name", row.full_name},
                       {"category", std::string(category_name(row.category))},
                       {"months", months},
                       {"paid", row.paid},
                       {"arrears_amount", row.arrears_amount}});
    if (!row.arrears.empty())
      arrears.push_back({{"member_id", row.member_id}, {"full_name", row.full_name}, {"months", arrears_months}, {"amount", row.arrears_amount}});
  }
  json months = json::array();
  for (const auto& f : b.months) months.push_back(to_json(f));
  json payments = json::array(), exemptions = json::array(), remittances = json::array(), rates = json::array();
  for (const auto& p : b.payments) {
    json j = to_json(p);
    j["full_name"] = name_of(b, p.member_id);
    payments.push_back(j);
  }
  for (const auto& e : b.exemptions) {
    json j = to_json(e);
    j["full_name"] = name_of(b, e.member_id);
    exemptions.push_back(j);
  }
  for (const auto& r : b.remittances) remittances.push_back(to_json(r));
  for (const auto& r : b.rates) rates.push_back(to_json(r));
  return {{"org_id", b.branch_id},
          {"year", b.year},
          {"as_of", to_string(b.current)},
          {"members", members},
          {"figures", {{"months", months}, {"year", to_json(b.totals)}}},
          {"arrears", arrears},
          {"payments", payments},
          {"exemptions", exemptions},
          {"remittances", remittances},
          {"rates", rates}};
}

}  // namespace chidoan::activity::dues
