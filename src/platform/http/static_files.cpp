// Static files from the embedded assets: strong ETag (content hash, computed once per file),
// If-None-Match -> 304, long cache for versioned URLs (?v=...).
#include "platform/http/static_files.hpp"

#include <cstdio>
#include <mutex>
#include <unordered_map>

#include "platform/core/assets.hpp"
#include "platform/core/hash.hpp"
#include "platform/http/internal.hpp"

namespace chidoan::http {

std::string_view content_type_for(std::string_view path) {
  size_t slash = path.rfind('/');
  std::string_view file = slash == std::string_view::npos ? path : path.substr(slash + 1);
  size_t dot = file.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  std::string ext = lower(file.substr(dot + 1));
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "ico") return "image/x-icon";
  if (ext == "txt") return "text/plain; charset=utf-8";
  if (ext == "json") return "application/json";
  if (ext == "woff2") return "font/woff2";
  if (ext == "html" || ext == "htm") return "text/html; charset=utf-8";
  if (ext == "pdf") return "application/pdf";
  return "application/octet-stream";
}

namespace detail {

namespace {

// Assets live for the whole program, so their data pointer identifies them.
const std::string& etag_for(std::string_view data) {
  static std::mutex mu;
  static std::unordered_map<const char*, std::string> cache;
  std::lock_guard lock(mu);
  auto it = cache.find(data.data());
  if (it != cache.end()) return it->second;
  const uint64_t h = Fnv1a().add(data).value();
  char buf[48];
  std::snprintf(buf, sizeof buf, "\"%016llx-%llx\"", static_cast<unsigned long long>(h),
                static_cast<unsigned long long>(data.size()));
  return cache[data.data()] = buf;
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  while (!if_none_match.empty()) {
    size_t comma = if_none_match.find(',');
    std::string_view tag = trim(if_none_match.substr(0, comma));
    if_none_match = comma == std::string_view::npos ? std::string_view{} : if_none_match.substr(comma + 1);
    if (tag == "*") return true;
    if (tag.starts_with("W/")) tag.remove_prefix(2);  // weak comparison is right for GET
    if (tag == etag) return true;
  }
  return false;
}

bool safe_relative(std::string_view rest) {
  if (rest.empty() || rest.front() == '/' || rest.find('\\') != std::string_view::npos ||
      rest.find('\0') != std::string_view::npos)
    return false;
  while (!rest.empty()) {
    size_t slash = rest.find('/');
    std::string_view seg = rest.substr(0, slash);
    if (seg.empty() || seg == "." || seg == ".." || seg.front() == '.') return false;  // no dotfiles
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    if (slash != std::string_view::npos && rest.empty()) return false;  // trailing slash
  }
  return true;
}

}  // namespace

Response serve_static(const Request& req, std::string_view url_prefix, std::string_view asset_prefix) {
  std::string_view rest = std::string_view(req.path).substr(url_prefix.size());
  std::optional<std::string_view> data;
  if (safe_relative(rest)) data = assets::find(std::string(asset_prefix) + std::string(rest));
  if (!data) {
    Error err{ErrorKind::not_found, "Không tìm thấy", ""};
    return error_response(req, err);
  }
  const std::string& etag = etag_for(*data);
  bool versioned = req.query.contains("v");
  std::string cache = versioned ? "public, max-age=31536000, immutable" : "public, max-age=3600";
  if (etag_matches(req.header("if-none-match"), etag)) {
    Response r;
    r.status = 304;
    r.header("ETag", etag).header("Cache-Control", std::move(cache));
    return r;
  }
  Response r = Response::text(200, std::string(*data), std::string(content_type_for(rest)));
  r.header("ETag", etag).header("Cache-Control", std::move(cache));
  return r;
}

}  // namespace detail
}  // namespace chidoan::http
