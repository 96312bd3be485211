#include "blood/views.hpp"

#include "platform/text/text.hpp"

namespace chidoan::blood {

using nlohmann::json;

namespace {
json opt(const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); }

// "O-" -> "O−" (the minus sign people read), "" -> "chưa rõ".
std::string group_vn(const std::string& g) {
  if (g.empty()) return "chưa rõ";
  auto p = rules::parse_group(g);
  return p ? rules::group_label(*p) : g;
}

template <class E, class Parse, class Label>
std::string label_of(const std::string& raw, Parse parse, Label label) {
  auto v = parse(raw, "");
  return v ? label(*v) : raw;
}
}  // namespace

json to_json(const Club& c) { return {{"id", c.id}, {"org_id", c.org_id}, {"name", c.name}}; }

json to_json(const Donor& d) {
  json phenotype = json::object();
  for (size_t i = 0; i < kAntigenCount; ++i) phenotype[std::string(kAntigenNames[i])] = std::string(1, d.phenotype[i]);
  return {{"id", d.id},
          {"club_id", d.club_id},
          {"member_id", opt(d.member_id)},
          {"name", d.name},
          {"sex", d.sex},
          {"birth_date", d.birth_date},
          {"weight_class", d.weight_class},
          {"group", d.group},
          {"phenotype", phenotype},
          {"phenotype_tested_on", d.phenotype_tested_on},
          {"phenotype_lab", d.phenotype_lab},
          {"district", d.district},
          {"commune", d.commune},
          {"on_call", d.on_call},
          {"availability", d.availability},
          {"consents",
           {{"join", d.consent_join_on}, {"health", d.consent_health_on}, {"call", d.consent_call_on}, {"location", d.consent_location_on}}},
          {"last_donation_on", d.last_donation_on},
          {"last_donation_type", d.last_donation_type},
          {"next_eligible_on", d.next_eligible_on},
          {"contacts", d.contacts},
          {"accepted", d.accepted}};
}

json to_json(const rules::Eligibility& e) {
  return {{"eligible", e.eligible},
          {"eligible_from", e.eligible_from ? json(to_iso(*e.eligible_from)) : json(nullptr)},
          {"reasons", e.reasons},
          {"regulation", std::string(rules::rules_of(e.regulation).name)}};
}

json to_json(const Donation& d) {
  return {{"id", d.id},     {"donor_id", d.donor_id}, {"on_date", d.on_date}, {"type", d.type},
          {"volume_ml", d.volume_ml ? json(d.volume_ml) : json(nullptr)}, {"place", d.place}, {"request_id", opt(d.request_id)}};
}

json to_json(const Deferral& d) {
  return {{"id", d.id}, {"donor_id", d.donor_id}, {"class", d.cls}, {"starts_on", d.starts_on}, {"ends_on", d.ends_on}};
}

json to_json(const BloodRequest& r) {
  return {{"id", r.id},
          {"club_id", r.club_id},
          {"hospital", r.hospital},
          {"recipient_group", r.recipient_group},
          {"component", r.component},
          {"units", r.units},
          {"needed_by", r.needed_by},
          {"district", r.district},
          {"antigen_negatives", r.antigen_negatives},
          {"contact_name", r.contact_name},
          {"contact_phone", r.contact_phone},
          {"status", r.status},
          {"created_at", r.created_at}};
}

json to_json(const Match& m) {
  return {{"donor_id", m.donor_id},   {"group", m.group},           {"eligible_from", m.eligible_from},
          {"exact", m.exact},         {"same_district", m.same_district}, {"rank_reasons", m.rank_reasons}};
}

json to_json(const Call& c) {
  return {{"id", c.id}, {"request_id", c.request_id}, {"donor_id", c.donor_id}, {"outcome", c.outcome},
          {"at", c.at}, {"donation_id", opt(c.donation_id)}};
}

json to_json(const ClubStats& s) {
  json groups = json::array();
  for (const auto& g : s.donors_by_group) groups.push_back({{"group", g.group}, {"donors", g.donors}});
  json years = json::array();
  for (const auto& y : s.donations_by_year) years.push_back({{"year", y.year}, {"donations", y.donations}});
  return {{"donors", s.donors},
          {"on_call", s.on_call},
          {"donors_by_group", groups},
          {"donations_by_year", years},
          {"requests", {{"open", s.requests_open}, {"served", s.requests_served}, {"cancelled", s.requests_cancelled}}}};
}

// Labels for whatever of the known keys a view (or its arrays, recursively) carries.
void add_labels(json& v) {
  if (v.is_array()) {
    for (auto& x : v) add_labels(x);
    return;
  }
  if (!v.is_object()) return;
  for (auto& el : v.items())
    if (el.value().is_structured()) add_labels(el.value());
  auto str = [&](const char* k) { return v.contains(k) && v[k].is_string() ? v[k].get<std::string>() : std::string(); };
  if (v.contains("group")) v["group_vn"] = group_vn(str("group"));
  if (v.contains("recipient_group")) v["recipient_group_vn"] = group_vn(str("recipient_group"));
  for (const char* k : {"on_date", "starts_on", "ends_on", "needed_by", "birth_date", "eligible_from", "last_donation_on",
                        "next_eligible_on", "phenotype_tested_on"})
    if (v.contains(k) && v[k].is_string() && !v[k].get<std::string>().empty())
      v[std::string(k) + "_vn"] = text::format_date(v[k].get<std::string>());
  if (v.contains("component")) v["component_vn"] = label_of<Component>(str("component"), rules::parse_component, rules::component_label);
  if (v.contains("type"))
    v["type_vn"] = label_of<DonationType>(str("type"), rules::parse_donation_type, rules::donation_type_label);
  if (v.contains("class")) v["class_vn"] = label_of<DeferralClass>(str("class"), rules::parse_deferral_class, rules::deferral_class_label);
  if (v.contains("outcome")) v["outcome_vn"] = label_of<CallOutcome>(str("outcome"), rules::parse_outcome, rules::outcome_label);
  if (v.contains("weight_class"))
    v["weight_vn"] = label_of<WeightClass>(str("weight_class"), rules::parse_weight_class, rules::weight_class_label);
  if (v.contains("status") && v.contains("hospital")) {
    std::string st = str("status");
    v["status_vn"] = st == "open" ? "đang mở" : st == "served" ? "đã đáp ứng" : "đã huỷ";
  }
  if (v.contains("sex")) v["sex_vn"] = str("sex") == "female" ? "Nữ" : "Nam";
}

}  // namespace chidoan::blood
