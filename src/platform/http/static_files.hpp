// Embedded static files for Router::add_static (internal).
#pragma once

#include <string_view>

#include "platform/http/http.hpp"

namespace chidoan::http::detail {

// Serves the asset `asset_prefix + rest` where `rest` is req.path after `url_prefix`.
// 404 for unknown files and anything that looks like path traversal.
Response serve_static(const Request& req, std::string_view url_prefix, std::string_view asset_prefix);

}  // namespace chidoan::http::detail
