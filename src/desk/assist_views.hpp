// JSON views of the assistance log and the catalogue: the API's shapes, also the templates'
// input. A citizen's phone is in an assist's view only when `with_phone` (coordinators); the
// counts never carry one.
#pragma once

#include <nlohmann/json.hpp>

#include "desk/assist_store.hpp"
#include "desk/model.hpp"

namespace chidoan::desk {

// {id, center_id, code, name, field, level, level_label, documents: [..], active}
nlohmann::json procedure_json(const Procedure& p);
// {id, center_id, shift_id, member_id, member_name, at, at_local, procedure_id, procedure_code,
//  procedure_name, level, level_label, steps: [..], outcome, outcome_label, note}
// plus phone and phone_consent_at when with_phone.
nlohmann::json assist_json(const Assist& a, bool with_phone);
// {id, on_date, template_name, counter_name, starts_at, ends_at, start_time, end_time}
nlohmann::json assist_shift_json(const Shift& s);
// {period, total: {helped, submitted}, by_volunteer: [{member_id, name, helped, submitted}],
//  by_shift: [{shift_id, on_date, template_name, counter_name, start_time, end_time, helped,
//  submitted}], by_procedure: [{procedure_id, code, name, level, helped, submitted}],
//  by_month: [{month, helped, submitted}], by_outcome: {..}, by_level: {..}}
nlohmann::json assist_stats_json(const AssistStats& s);

// Adds what a page shows besides the API's fields (Vietnamese dates, labels, bar widths).
void add_assist_labels(nlohmann::json& stats);

}  // namespace chidoan::desk
