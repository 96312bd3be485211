#include "platform/web/cache.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace chidoan::web {
namespace {

http::Response answer(const http::Request& req, const ResponseCache::Entry& e) {
  http::Response r;
  r.headers = e.headers;
  if (req.header("if-none-match") == e.etag) r.status = 304;
  else r.shared_body = e.body;
  return r;
}

// "\"<tag's hash>-<body's hash>\"", 48 bits of each in hex.
std::string etag_of(std::string_view tag, std::string_view body) {
  char buf[32];
  auto bits = [](std::string_view s) { return static_cast<unsigned long long>(std::hash<std::string_view>{}(s) & 0xffffffffffffull); };
  std::snprintf(buf, sizeof buf, "\"%012llx-%012llx\"", bits(tag), bits(body));
  return buf;
}

}  // namespace

http::Response ResponseCache::serve(const http::Request& req, const std::string& key, const std::string& tag, int64_t now,
                                    std::string_view cache_control, const std::function<http::Response()>& make) {
  if (auto hit = get(key, tag, now)) return answer(req, *hit);
  http::Response r = make();
  if (r.status != 200) return r;
  if (std::ranges::any_of(r.headers, [](const auto& h) { return h.first == "Set-Cookie"; })) return r;
  auto e = std::make_shared<Entry>();
  e->tag = tag;
  e->made_at = now;
  e->etag = etag_of(tag, r.body_view());
  e->headers = std::move(r.headers);
  e->headers.emplace_back("ETag", e->etag);
  e->headers.emplace_back("Cache-Control", std::string(cache_control));
  e->body = r.shared_body ? r.shared_body : std::make_shared<const std::string>(std::move(r.body));
  http::Response out = answer(req, *e);
  put(key, std::move(e));
  return out;
}

std::shared_ptr<const ResponseCache::Entry> ResponseCache::get(const std::string& key, std::string_view tag, int64_t now) const {
  std::lock_guard lock(mutex_);
  auto it = map_.find(key);
  if (it == map_.end() || it->second->tag != tag || now - it->second->made_at >= max_age_) return nullptr;
  return it->second;
}

void ResponseCache::put(const std::string& key, std::shared_ptr<const Entry> e) {
  std::lock_guard lock(mutex_);
  if (auto it = map_.find(key); it != map_.end()) {
    bytes_ -= it->second->body->size();
    map_.erase(it);
  }
  if (bytes_ + e->body->size() > max_bytes_) drop_older_half();
  bytes_ += e->body->size();
  map_.emplace(key, std::move(e));
}

size_t ResponseCache::size() const {
  std::lock_guard lock(mutex_);
  return map_.size();
}

void ResponseCache::drop_older_half() {
  std::vector<int64_t> times;
  times.reserve(map_.size());
  for (const auto& [k, v] : map_) times.push_back(v->made_at);
  if (times.empty()) return;
  std::nth_element(times.begin(), times.begin() + times.size() / 2, times.end());
  const int64_t cut = times[times.size() / 2];
  for (auto it = map_.begin(); it != map_.end();) {
    if (it->second->made_at <= cut) {
      bytes_ -= it->second->body->size();
      it = map_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace chidoan::web
