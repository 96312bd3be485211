// Router: literal segments, {name} and {name:int}; the most literal route wins.
#include <algorithm>
#include <atomic>
#include <stdexcept>

#include "platform/http/http.hpp"
#include "platform/http/internal.hpp"
#include "platform/http/static_files.hpp"

namespace chidoan::http {

// Outside the anonymous namespace: Router::Route, declared in router.hpp, holds them.
enum class SegKind { literal, any, integer };

struct Segment {
  SegKind kind = SegKind::literal;
  std::string text;  // the literal, or the parameter name
};

namespace {

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
    r.header("Content-Length", std::to_string(r.body_view().size()));
  r.body.clear();
  r.shared_body.reset();
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
  Lane lane = Lane::automatic;
  // Lane::automatic: quick runs in a row (capped at kPromote); negative after a slow run, so
  // a route that was slow once must prove itself for longer. Relaxed atomics: a stale read
  // only sends one request down the other lane.
  mutable std::atomic<int> streak{0};

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

namespace {
// An automatic route runs inline once this many runs in a row were quick...
constexpr int kPromote = 8;
// ...and after a slow run, only after this many more.
constexpr int kAfterSlow = -56;
// A run is slow when the handler took longer than this, when it answered with a download
// (Content-Disposition: reports, exports) or with a big body: such handlers do work that grows
// with the data, so a quick run proves little.
constexpr auto kInlineBudget = std::chrono::milliseconds(10);
constexpr size_t kBigBody = 1024 * 1024;

bool safe_method(const std::string& m) { return m == "GET" || m == "HEAD"; }
}  // namespace

void Router::add(std::string method, std::string pattern, Handler h, Lane lane) {
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
  r->lane = lane;
  routes_.push_back(std::move(r));
  // Most literal segments first, then typed parameters before untyped; stable keeps the
  // registration order for ties.
  std::stable_sort(routes_.begin(), routes_.end(), [](const auto& a, const auto& b) {
    if (a->literals != b->literals) return a->literals > b->literals;
    return a->typed > b->typed;
  });
  // Only a route with as many segments as the path can match it.
  by_length_.clear();
  for (const auto& route : routes_) {
    if (by_length_.size() <= route->segments.size()) by_length_.resize(route->segments.size() + 1);
    by_length_[route->segments.size()].push_back(route.get());
  }
}

void Router::add_static(std::string url_prefix, std::string asset_prefix) {
  if (!url_prefix.ends_with('/')) url_prefix += '/';
  statics_.emplace_back(std::move(url_prefix), std::move(asset_prefix));
}

Router::Match Router::match(Request& req) const {
  Match m;
  auto parts = split_path(req.path);
  const bool head = req.method == "HEAD";
  std::vector<std::string> allowed;
  static const std::vector<const Route*> kNone;
  const auto& candidates = parts.size() < by_length_.size() ? by_length_[parts.size()] : kNone;
  for (const Route* r : candidates) {
    bool method_ok = r->method == req.method || (head && r->method == "GET");
    if (!method_ok) {
      if (r->match(parts, nullptr)) allowed.push_back(r->method);
      continue;
    }
    std::map<std::string, std::string> params;
    if (!r->match(parts, &params)) continue;
    req.params = std::move(params);
    req.route = r->pattern;
    m.kind = Match::Kind::route;
    m.route = r;
    switch (r->lane) {
      case Lane::inline_io: m.run_inline = true; break;
      case Lane::pool: m.run_inline = false; break;
      case Lane::automatic:
        m.run_inline = safe_method(req.method) && r->streak.load(std::memory_order_relaxed) >= kPromote;
        break;
    }
    return m;
  }
  // What is left never reaches a handler: 405, embedded static files, 404. All quick.
  m.run_inline = true;
  if (!allowed.empty()) {
    req.route = "unmatched";
    if (std::find(allowed.begin(), allowed.end(), "GET") != allowed.end()) allowed.push_back("HEAD");
    std::sort(allowed.begin(), allowed.end());
    allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
    for (const auto& a : allowed) m.allow += (m.allow.empty() ? "" : ", ") + a;
    m.kind = Match::Kind::not_allowed;
    return m;
  }
  for (size_t i = 0; i < statics_.size(); ++i) {
    if (!req.path.starts_with(statics_[i].first)) continue;
    req.route = "static";
    m.kind = Match::Kind::static_files;
    m.static_index = i;
    return m;
  }
  req.route = "unmatched";
  m.kind = Match::Kind::not_found;
  return m;
}

Response Router::call(Request& req, const Match& m) const {
  const bool head = req.method == "HEAD";
  switch (m.kind) {
    case Match::Kind::route: {
      Response res = m.route->handler(req);
      return head ? strip_for_head(std::move(res)) : res;
    }
    case Match::Kind::not_allowed:
      return method_not_allowed(req, m.allow);
    case Match::Kind::static_files: {
      const auto& [url_prefix, asset_prefix] = statics_[m.static_index];
      if (req.method != "GET" && !head) return method_not_allowed(req, "GET, HEAD");
      Response res = detail::serve_static(req, url_prefix, asset_prefix);
      return head ? strip_for_head(std::move(res)) : res;
    }
    case Match::Kind::not_found:
      break;
  }
  return not_found(req);
}

void Router::settle(const Match& m, std::chrono::steady_clock::duration took, const Response& res) const {
  if (m.kind != Match::Kind::route || m.route->lane != Lane::automatic) return;
  bool slow = took > kInlineBudget || res.body_view().size() > kBigBody ||
              std::any_of(res.headers.begin(), res.headers.end(),
                          [](const auto& h) { return iequals(h.first, "content-disposition"); });
  auto& streak = m.route->streak;
  if (slow) {
    streak.store(kAfterSlow, std::memory_order_relaxed);
  } else if (streak.load(std::memory_order_relaxed) < kPromote) {
    streak.fetch_add(1, std::memory_order_relaxed);
  }
}

bool Router::runs_inline(std::string_view method, std::string_view pattern) const {
  for (const auto& r : routes_) {
    if (r->method != method || r->pattern != pattern) continue;
    switch (r->lane) {
      case Lane::inline_io: return true;
      case Lane::pool: return false;
      case Lane::automatic: return safe_method(r->method) && r->streak.load(std::memory_order_relaxed) >= kPromote;
    }
  }
  return false;
}

Response Router::dispatch(Request& req) const { return call(req, match(req)); }

std::vector<std::pair<std::string, std::string>> Router::routes() const {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(routes_.size());
  for (const auto& r : routes_) out.emplace_back(r->method, r->pattern);
  return out;
}

}  // namespace chidoan::http
