#include "desk/support.hpp"

#include <charconv>

#include "desk/store.hpp"
#include "org/routes.hpp"
#include "org/store.hpp"

namespace chidoan::desk {
namespace {

using org::scope_of;

}  // namespace

Result<CenterCtx> load_center(web::Ctx& ctx, int64_t center_id, auth::Action action) {
  Store store(ctx.db(), *ctx.services.clock);
  CHIDOAN_TRY(c, store.center(center_id));
  CHIDOAN_TRY(o, org::Store(ctx.db(), *ctx.services.clock).org(c.org_id));
  if (action == auth::Action::view_desk) {  // the center of a level above, whose volunteers they are
    CHIDOAN_TRY(seen, org::may_view_from_within(ctx, o, action));
    if (!seen) return fail(ErrorKind::forbidden, "Bạn không có quyền xem trung tâm này");
  } else {
    CHIDOAN_TRY_VOID(ctx.authorize(action, scope_of(o)));
  }
  bool coordinator = ctx.allows(auth::Action::manage_desk, scope_of(o));
  return CenterCtx{c, o, coordinator};
}

Result<std::vector<Center>> centers_of(web::Ctx& ctx, int64_t org_id, auth::Action action) {
  CHIDOAN_TRY(o, org::Store(ctx.db(), *ctx.services.clock).org(org_id));
  CHIDOAN_TRY_VOID(ctx.authorize(action, scope_of(o)));
  return Store(ctx.db(), *ctx.services.clock).centers(org_id);
}

web::Json center_json(const Center& c) {
  return web::Json{{"id", c.id},
                   {"org_id", c.org_id},
                   {"org_name", c.org_name},
                   {"name", c.name},
                   {"address", c.address},
                   {"max_shifts_per_week", c.max_shifts_per_week},
                   {"min_rest_minutes", c.min_rest_minutes},
                   {"no_show_limit", c.no_show_limit}};
}

Result<int64_t> int_field(const RawFields& f, const std::string& name, int64_t lo, int64_t hi,
                          std::optional<int64_t> fallback) {
  auto it = f.find(name);
  std::string v = it == f.end() ? "" : it->second;
  if (v.empty()) {
    if (fallback) return *fallback;
    return fail(ErrorKind::invalid, "Cần điền trường này", name);
  }
  int64_t n = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || end != v.data() + v.size())
    return fail(ErrorKind::invalid, "Phải là một số nguyên: " + v, name);
  if (n < lo || n > hi)
    return fail(ErrorKind::invalid, "Phải từ " + std::to_string(lo) + " đến " + std::to_string(hi), name);
  return n;
}

std::string month_label(const std::string& month) {
  if (month.size() != 7) return month;
  return month.substr(5, 2) + "/" + month.substr(0, 4);
}

}  // namespace chidoan::desk
