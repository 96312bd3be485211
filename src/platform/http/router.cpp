// Router: literal segments, {name} and {name:int}; the most literal route wins.
#include <algorithm>
#include <stdexcept>

#include "platform/http/http.hpp"
#include "platform/http/internal.hpp"
#include "platform/http/static_files.hpp"

namespace chidoan::http {

namespace {

enum class SegKind { literal, any, integer };

struct Segment {
  SegKind kind = SegKind::literal;
  std::string text;  // the literal, or the parameter name
};

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.starts_with('/')) path.remove_prefix(1);
  if (path.empty()) return out;  // "/" has no segments
  for (;;) {
    size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

bool all_digits(std::string_view s) {
  if (s.empty() || s.size() > 18) return false;  // 18 digits always fit in int64_t
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

const char* kNotFound = "Không tìm thấy";

Response not_found(const Request& req) {
  if (req.wants_json()) return error_response(req, Error{ErrorKind::not_found, kNotFound, ""});
  return Response::html(404,
                        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\">"
                        "<title>Không tìm thấy</title></head><body><h1>Không tìm thấy</h1>"
                        "<p>Trang bạn tìm không tồn tại.</p><p><a href=\"/\">Về trang chủ</a></p>"
                        "</body></html>");
}

Response method_not_allowed(const Request& req, const std::string& allow) {
  Response r = req.wants_json()
                   ? Response::json(405, "{\"error\":{\"kind\":\"invalid\",\"message\":\"Phương thức không được hỗ trợ\",\"field\":\"\"}}")
                   : Response::text(405, "Phương thức không được hỗ trợ");
  r.header("Allow", allow);
  return r;
}

// HEAD is GET without a body; keep the GET length so clients see the real size.
Response strip_for_head(Response r) {
  bool has_length = std::any_of(r.headers.begin(), r.headers.end(),
                                [](const auto& h) { return iequals(h.first, "content-length"); });
  if (!has_length && r.status != 204 && r.status != 304 && r.status >= 200)
    r.header("Content-Length", std::to_string(r.body.size()));
  r.body.clear();
  return r;
}

}  // namespace

struct Router::Route {
  std::string method;
  std::string pattern;
  std::vector<Segment> segments;
  int literals = 0;
  int typed = 0;
  Handler handler;

  bool match(const std::vector<std::string_view>& parts, std::map<std::string, std::string>* params) const {
    if (parts.size() != segments.size()) return false;
    for (size_t i = 0; i < parts.size(); ++i) {
      const Segment& s = segments[i];
      switch (s.kind) {
        case SegKind::literal:
          if (parts[i] != s.text) return false;
          break;
        case SegKind::integer:
          if (!all_digits(parts[i])) return false;
          break;
        case SegKind::any:
          if (parts[i].empty()) return false;
          break;
      }
    }
    if (params) {
      for (size_t i = 0; i < parts.size(); ++i)
        if (segments[i].kind != SegKind::literal) (*params)[segments[i].text] = std::string(parts[i]);
    }
    return true;
  }
};

void Router::add(std::string method, std::string pattern, Handler h) {
  auto r = std::make_shared<Route>();
  for (auto part : split_path(pattern)) {
    Segment s;
    if (part.size() >= 2 && part.front() == '{' && part.back() == '}') {
      std::string_view inner = part.substr(1, part.size() - 2);
      size_t colon = inner.find(':');
      s.text = std::string(inner.substr(0, colon));
      if (colon == std::string_view::npos) {
        s.kind = SegKind::any;
      } else if (inner.substr(colon + 1) == "int") {
        s.kind = SegKind::integer;
        ++r->typed;
      } else {
        throw std::invalid_argument("unknown parameter type in route " + pattern);
      }
    } else {
      s.text = std::string(part);
      ++r->literals;
    }
    r->segments.push_back(std::move(s));
  }
  r->method = std::move(method);
  r->pattern = std::move(pattern);
  r->handler = std::move(h);
  routes_.push_back(std::move(r));
  // Most literal segments first, then typed parameters before untyped; stable keeps the
  // registration order for ties.
  std::stable_sort(routes_.begin(), routes_.end(), [](const auto& a, const auto& b) {
    if (a->literals != b->literals) return a->literals > b->literals;
    return a->typed > b->typed;
  });
}

void Router::add_static(std::string url_prefix, std::string asset_prefix) {
  if (!url_prefix.ends_with('/')) url_prefix += '/';
  statics_.emplace_back(std::move(url_prefix), std::move(asset_prefix));
}

Response Router::dispatch(Request& req) const {
  auto parts = split_path(req.path);
  const bool head = req.method == "HEAD";
  std::vector<std::string> allowed;
  for (const auto& r : routes_) {
    bool method_ok = r->method == req.method || (head && r->method == "GET");
    if (!method_ok) {
      if (r->match(parts, nullptr)) allowed.push_back(r->method);
      continue;
    }
    std::map<std::string, std::string> params;
    if (!r->match(parts, &params)) continue;
    req.params = std::move(params);
    req.route = r->pattern;
    Response res = r->handler(req);
    return head ? strip_for_head(std::move(res)) : res;
  }
  if (!allowed.empty()) {
    req.route = "unmatched";
    if (std::find(allowed.begin(), allowed.end(), "GET") != allowed.end()) allowed.push_back("HEAD");
    std::sort(allowed.begin(), allowed.end());
    allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
    std::string allow;
    for (const auto& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
    return method_not_allowed(req, allow);
  }
  for (const auto& [url_prefix, asset_prefix] : statics_) {
    if (!req.path.starts_with(url_prefix)) continue;
    req.route = "static";
    if (req.method != "GET" && !head) return method_not_allowed(req, "GET, HEAD");
    Response res = detail::serve_static(req, url_prefix, asset_prefix);
    return head ? strip_for_head(std::move(res)) : res;
  }
  req.route = "unmatched";
  return not_found(req);
}

std::vector<std::pair<std::string, std::string>> Router::routes() const {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(routes_.size());
  for (const auto& r : routes_) out.emplace_back(r->method, r->pattern);
  return out;
}

}  // namespace chidoan::http
