// Rendered responses kept in memory and served again while what they were made from stands.
//
// Each response is kept under a key (what was asked: path, query, language, …) with a tag (what
// it was made from: a version the database keeps, read *before* the data). A look-up with another
// tag, or after max_age, is a miss and the response is made again. The tag lives in the database
// and is changed in the same transaction as the data — by the writing code (news) or by triggers
// (the member roll) — so every server process on the same database sees a change at once.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "platform/http/http.hpp"

namespace chidoan::web {

class ResponseCache {
 public:
  struct Entry {
    std::string tag;
    int64_t made_at = 0;
    std::vector<std::pair<std::string, std::string>> headers;  // the made response's, ETag and Cache-Control added
    std::string etag;
    std::shared_ptr<const std::string> body;  // shared with the responses served from it
  };

  // max_age_seconds: how long an entry may serve at most, for what its tag does not track;
  // max_bytes: the bodies kept at most (past that the older half is dropped).
  ResponseCache(int64_t max_age_seconds, size_t max_bytes) : max_age_(max_age_seconds), max_bytes_(max_bytes) {}

  // The response for `key` made at `tag`: from memory, or `make()` — whose answer is kept when
  // its status is 200 and it sets no cookie. Either way a kept answer carries an ETag, and a
  // request whose If-None-Match names it gets 304 without a body. `cache_control` is sent with it
  // ("no-cache" for public pages, "private, no-cache" for a signed-in user's).
  http::Response serve(const http::Request& req, const std::string& key, const std::string& tag, int64_t now,
                       std::string_view cache_control, const std::function<http::Response()>& make);

  size_t size() const;  // entries held

 private:
  std::shared_ptr<const Entry> get(const std::string& key, std::string_view tag, int64_t now) const;
  void put(const std::string& key, std::shared_ptr<const Entry> e);
  void drop_older_half();  // with mutex_ held

  const int64_t max_age_;
  const size_t max_bytes_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const Entry>> map_;
  size_t bytes_ = 0;
};

}  // namespace chidoan::web
