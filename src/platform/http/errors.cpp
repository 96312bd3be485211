// The one mapping from ErrorKind to a status and the one renderer of an Error.
#include "platform/http/http.hpp"

namespace chidoan::http {

int status_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid: return 422;
    case ErrorKind::not_found: return 404;
    case ErrorKind::conflict: return 409;
    case ErrorKind::unauthenticated: return 401;
    case ErrorKind::forbidden: return 403;
    case ErrorKind::too_large: return 413;
    case ErrorKind::rate_limited: return 429;
    case ErrorKind::unavailable: return 503;
    case ErrorKind::internal: return 500;
  }
  return 500;
}

Response error_response(const Request& req, const Error& err) {
  int status = status_for(err.kind);
  if (req.wants_json()) {
    return Response::json(status, std::string("{\"error\":{\"kind\":\"") + kind_name(err.kind) +
                                      "\",\"message\":\"" + json_escape(err.message) +
                                      "\",\"field\":\"" + json_escape(err.field) + "\"}}");
  }
  return Response::html(status, "<div class=\"error\" role=\"alert\" data-field=\"" +
                                    html_escape(err.field) + "\">" + html_escape(err.message) +
                                    "</div>");
}

}  // namespace chidoan::http
