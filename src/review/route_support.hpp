// Pieces the review's routes share (ratings, classification, the year-end report).
#pragma once

#include <cstdint>

#include "platform/web/web.hpp"
#include "review/actor.hpp"

namespace chidoan::review {

// The signed-in user of the request as the actor of a step (REQUIRES: ctx.user).
ReviewActor actor_of(const web::Ctx& ctx);

// The current year (today in the app's clock).
int64_t current_year(const web::Ctx& ctx);

// The year picker: this year and the five before, newest first, `selected` marked:
// [{"year", "selected"}].
web::Json year_options(const web::Ctx& ctx, int64_t selected);

}  // namespace chidoan::review
