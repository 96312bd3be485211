#include "platform/web/cache.hpp"

#include <gtest/gtest.h>

namespace chidoan::web {
namespace {

// Counts the responses it makes, each body naming its number.
struct Maker {
  int made = 0;
  int status = 200;
  bool sets_cookie = false;
  http::Response operator()() {
    ++made;
    http::Response r = http::Response::json(status, "{\"n\":" + std::to_string(made) + "}");
    if (sets_cookie) r.header("Set-Cookie", "a=b");
    return r;
  }
};

std::string header(const http::Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return "";
}

TEST(ResponseCache, ServesWhatItMadeWhileTheTagStands) {
  ResponseCache cache(60, 1 << 20);
  http::Request req;
  Maker m;
  auto make = [&] { return m(); };
  http::Response a = cache.serve(req, "k", "v1", 100, "private, no-cache", make);
  http::Response b = cache.serve(req, "k", "v1", 101, "private, no-cache", make);
  EXPECT_EQ(m.made, 1);
  EXPECT_EQ(a.body_view(), "{\"n\":1}");
  EXPECT_EQ(b.body_view(), a.body_view());
  // Shared, not copied: both answers point at the one kept body.
  EXPECT_TRUE(a.body.empty() && b.body.empty());
  EXPECT_EQ(a.shared_body.get(), b.shared_body.get());
  EXPECT_EQ(header(b, "Content-Type"), "application/json");
  EXPECT_EQ(header(b, "Cache-Control"), "private, no-cache");
  EXPECT_FALSE(header(b, "ETag").empty());
  EXPECT_EQ(header(a, "ETag"), header(b, "ETag"));

  // Another tag (the data changed) makes it again, with another ETag.
  http::Response c = cache.serve(req, "k", "v2", 102, "private, no-cache", make);
  EXPECT_EQ(m.made, 2);
  EXPECT_EQ(c.body_view(), "{\"n\":2}");
  EXPECT_NE(header(c, "ETag"), header(a, "ETag"));
  // Another key is another response.
  cache.serve(req, "other", "v2", 102, "private, no-cache", make);
  EXPECT_EQ(m.made, 3);
  EXPECT_EQ(cache.size(), 2u);
}

TEST(ResponseCache, AnEntryServesNoLongerThanItsMaximumAge) {
  ResponseCache cache(60, 1 << 20);
  http::Request req;
  Maker m;
  auto make = [&] { return m(); };
  cache.serve(req, "k", "v", 1000, "no-cache", make);
  cache.serve(req, "k", "v", 1059, "no-cache", make);
  EXPECT_EQ(m.made, 1);
  cache.serve(req, "k", "v", 1060, "no-cache", make);
  EXPECT_EQ(m.made, 2);
}

TEST(ResponseCache, IfNoneMatchWithTheCurrentETagGets304WithoutABody) {
  ResponseCache cache(60, 1 << 20);
  http::Request req;
  Maker m;
  auto make = [&] { return m(); };
  std::string etag = header(cache.serve(req, "k", "v", 0, "no-cache", make), "ETag");
  req.headers["if-none-match"] = etag;
  http::Response r = cache.serve(req, "k", "v", 1, "no-cache", make);
  EXPECT_EQ(r.status, 304);
  EXPECT_TRUE(r.body_view().empty());
  EXPECT_EQ(header(r, "ETag"), etag);
  // Once the tag moves, the old ETag gets the new body.
  r = cache.serve(req, "k", "v-next", 2, "no-cache", make);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body_view(), "{\"n\":2}");
}

TEST(ResponseCache, KeepsOnlyPlainSuccesses) {
  ResponseCache cache(60, 1 << 20);
  http::Request req;
  Maker m;
  auto make = [&] { return m(); };
  m.status = 404;
  EXPECT_EQ(cache.serve(req, "k", "v", 0, "no-cache", make).status, 404);
  EXPECT_EQ(cache.serve(req, "k", "v", 0, "no-cache", make).status, 404);
  EXPECT_EQ(m.made, 2);
  m.status = 200;
  m.sets_cookie = true;  // an answer that sets a cookie is somebody's own
  http::Response r = cache.serve(req, "k", "v", 0, "no-cache", make);
  EXPECT_EQ(header(r, "Set-Cookie"), "a=b");
  EXPECT_TRUE(header(r, "ETag").empty());
  cache.serve(req, "k", "v", 0, "no-cache", make);
  EXPECT_EQ(m.made, 4);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(ResponseCache, PastItsSizeTheOlderHalfGoes) {
  ResponseCache cache(1000, 64);  // bodies of 7 bytes: 9 fit
  http::Request req;
  Maker m;
  auto make = [&] { return m(); };
  for (int i = 0; i < 9; ++i) cache.serve(req, "k" + std::to_string(i), "v", i, "no-cache", make);
  EXPECT_EQ(cache.size(), 9u);
  cache.serve(req, "k9", "v", 9, "no-cache", make);
  EXPECT_LT(cache.size(), 9u);
  // The newest stay.
  const int before = m.made;
  cache.serve(req, "k8", "v", 10, "no-cache", make);
  cache.serve(req, "k9", "v", 10, "no-cache", make);
  EXPECT_EQ(m.made, before);
  // The oldest went.
  cache.serve(req, "k0", "v", 10, "no-cache", make);
  EXPECT_EQ(m.made, before + 1);
}

}  // namespace
}  // namespace chidoan::web
