// What the help desk's route files share: loading a center with the policy's verdict.
#pragma once

#include "desk/model.hpp"
#include "org/model.hpp"
#include "platform/web/web.hpp"

namespace chidoan::desk {

// A center and its org, after the policy allowed `action` on that org.
struct CenterCtx {
  Center center;
  org::Org org;
  bool coordinator = false;  // the user may also manage_desk here
};
Result<CenterCtx> load_center(web::Ctx& ctx, int64_t center_id, auth::Action action);

// The centers whose desk `org_id` runs (by name), after the policy allowed `action` on it.
Result<std::vector<Center>> centers_of(web::Ctx& ctx, int64_t org_id, auth::Action action);

// The JSON of a center (and its org) for views.
web::Json center_json(const Center& c);

// An integer form field within [lo, hi]; `fallback` when empty. Refused naming the field.
Result<int64_t> int_field(const RawFields& f, const std::string& name, int64_t lo, int64_t hi,
                          std::optional<int64_t> fallback = std::nullopt);

// "2021-11" as "11/2021".
std::string month_label(const std::string& month);

}  // namespace chidoan::desk
