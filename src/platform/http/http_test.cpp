#include <gtest/gtest.h>

#include "platform/core/assets.hpp"
#include "platform/http/http.hpp"
#include "platform/http/internal.hpp"

namespace chidoan::http {
namespace {

TEST(Decode, PercentAndPlus) {
  EXPECT_EQ(url_decode("%C3%A1+b", true), "\xC3\xA1 b");
  EXPECT_EQ(url_decode("%C3%A1+b", false), "\xC3\xA1+b");
  EXPECT_EQ(url_decode("100%", true), "100%");
  EXPECT_EQ(url_decode("%zz%4", true), "%zz%4");
  EXPECT_EQ(url_decode("%2f%2F", false), "//");
  EXPECT_EQ(url_encode("Đoàn a/b~"), "%C4%90o%C3%A0n%20a%2Fb~");
  EXPECT_EQ(url_decode(url_encode("x y+z&=%"), true), "x y+z&=%");
  EXPECT_EQ(html_escape("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(json_escape("a\"b\\c\n\x01<"), "a\\\"b\\\\c\\n\\u0001\\u003c");
}

TEST(Query, Parse) {
  auto q = parse_query("a=1&b=x+y%21&a=2&&=z&c&t%C3%AAn=Nguy%E1%BB%85n");
  EXPECT_EQ(q.count("a"), 2u);
  EXPECT_EQ(q.find("a")->second, "1");
  EXPECT_EQ(q.find("b")->second, "x y!");
  EXPECT_EQ(q.find("c")->second, "");
  EXPECT_EQ(q.find("tên")->second, "Nguyễn");
  EXPECT_EQ(q.size(), 5u);
  Request r;
  r.query = q;
  EXPECT_EQ(r.query_param("b"), "x y!");
  EXPECT_EQ(r.query_param("missing"), "");
}

TEST(Cookies, ParseAndSerialize) {
  Request r;
  r.headers["cookie"] = "a=1; sid=\"xyz\";  b = 2 ;junk; c=";
  EXPECT_EQ(r.cookie("sid").value(), "xyz");
  EXPECT_EQ(r.cookie("a").value(), "1");
  EXPECT_EQ(r.cookie("b").value(), "2");
  EXPECT_EQ(r.cookie("c").value(), "");
  EXPECT_FALSE(r.cookie("junk"));
  EXPECT_FALSE(r.cookie("zzz"));
  EXPECT_FALSE(Request{}.cookie("a"));

  Cookie c{.name = "sid", .value = "abc"};
  EXPECT_EQ(c.serialize(), "sid=abc; Path=/; HttpOnly; SameSite=Lax");
  c.max_age = 3600;
  c.secure = true;
  c.same_site = "Strict";
  EXPECT_EQ(c.serialize(), "sid=abc; Path=/; Max-Age=3600; HttpOnly; Secure; SameSite=Strict");
  Cookie del{.name = "sid", .value = "", .max_age = 0};
  EXPECT_NE(del.serialize().find("Max-Age=0"), std::string::npos);
  Response res;
  res.set_cookie(c);
  ASSERT_EQ(res.headers.size(), 1u);
  EXPECT_EQ(res.headers[0].first, "Set-Cookie");
}

TEST(Request, Helpers) {
  Request r;
  r.path = "/api/v1/orgs";
  EXPECT_TRUE(r.wants_json());
  r.path = "/orgs";
  EXPECT_FALSE(r.wants_json());
  r.headers["accept"] = "application/json";
  EXPECT_TRUE(r.wants_json());
  r.headers["accept"] = "text/html,application/json;q=0.9";
  EXPECT_FALSE(r.wants_json());
  EXPECT_FALSE(r.is_htmx());
  r.headers["hx-request"] = "true";
  EXPECT_TRUE(r.is_htmx());
  EXPECT_FALSE(r.is_secure());
  r.headers["x-forwarded-proto"] = "https";
  EXPECT_TRUE(r.is_secure());
  r.params["id"] = "123456789012345678";
  EXPECT_EQ(r.param_int("id"), 123456789012345678);
  EXPECT_EQ(r.param_int("nope"), 0);
  EXPECT_EQ(new_request_id().size(), 16u);
  EXPECT_NE(new_request_id(), new_request_id());
}

Request form_request(std::string content_type, std::string body) {
  Request r;
  r.method = "POST";
  r.path = "/x";
  r.headers["content-type"] = std::move(content_type);
  r.body = std::move(body);
  return r;
}

TEST(Form, UrlEncoded) {
  auto f = form_request("application/x-www-form-urlencoded; charset=UTF-8", "ten=Nguy%E1%BB%85n+A&x=1&x=2").form();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->get("ten"), "Nguyễn A");
  EXPECT_EQ(f->get("x"), "1");
  EXPECT_TRUE(f->has("x"));
  EXPECT_FALSE(f->has("y"));
  EXPECT_EQ(f->get("y"), "");
}

TEST(Form, UnknownContentType) {
  auto f = form_request("application/xml", "<a/>").form();
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().kind, ErrorKind::invalid);
  EXPECT_EQ(f.error().message, "Dữ liệu biểu mẫu không hợp lệ");
  EXPECT_TRUE(Request{}.form());  // no body at all: an empty form
}

// Binary content with CRLFs, NUL, a near-miss delimiter and the boundary not after CRLF.
const std::string kBinary = std::string("\r\n--XyW\r\n\0\xff\r\n\r\nx--XyZ", 21) + "tail\r\n";

std::string multipart_body() {
  return "preamble ignored\r\n"
         "--XyZ\r\n"
         "Content-Disposition: form-data; name=\"ten\"\r\n\r\n"
         "Trần Thị B\r\n"
         "--XyZ\r\n"
         "content-disposition: form-data; name=\"a \\\"quoted\\\" name\"\r\n\r\n"
         "v;1\r\n"
         "--XyZ\r\n"
         "Content-Disposition: form-data; name=\"file\"; filename=\"C:\\\\dir\\\\scan 1.pdf\"\r\n"
         "Content-Type: application/pdf\r\n\r\n" +
         kBinary +
         "\r\n--XyZ\r\n"
         "Content-Disposition: form-data; name=\"empty\"; filename=\"\"\r\n"
         "Content-Type: application/octet-stream\r\n\r\n"
         "\r\n--XyZ--\r\nepilogue";
}

TEST(Form, Multipart) {
  auto f = form_request("multipart/form-data; boundary=XyZ", multipart_body()).form();
  ASSERT_TRUE(f) << f.error().message;
  EXPECT_EQ(f->get("ten"), "Trần Thị B");
  EXPECT_EQ(f->get("a \"quoted\" name"), "v;1");
  ASSERT_EQ(f->files.size(), 1u);  // the empty file input is not a file
  const FilePart* p = f->file("file");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->filename, "scan 1.pdf");
  EXPECT_EQ(p->content_type, "application/pdf");
  EXPECT_EQ(p->data, kBinary);
  EXPECT_EQ(f->file("nope"), nullptr);

  auto quoted = form_request("multipart/form-data; boundary=\"XyZ\"", multipart_body()).form();
  ASSERT_TRUE(quoted);
  EXPECT_EQ(quoted->get("ten"), "Trần Thị B");
}

TEST(Form, MultipartMalformed) {
  std::string body = multipart_body();
  auto bad = [](std::string ct, std::string b) {
    auto f = form_request(std::move(ct), std::move(b)).form();
    return !f && f.error().kind == ErrorKind::invalid;
  };
  EXPECT_TRUE(bad("multipart/form-data", body));                         // missing boundary
  EXPECT_TRUE(bad("multipart/form-data; boundary=", body));              // empty boundary
  EXPECT_TRUE(bad("multipart/form-data; boundary=Other", body));         // wrong boundary
  for (size_t cut : {size_t{0}, size_t{10}, size_t{30}, size_t{60}, size_t{120}, body.size() - 20})
    EXPECT_TRUE(bad("multipart/form-data; boundary=XyZ", body.substr(0, cut))) << cut;
  EXPECT_TRUE(bad("multipart/form-data; boundary=XyZ",
                  "--XyZ\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--XyZ--"));
  EXPECT_TRUE(bad("multipart/form-data; boundary=XyZ",
                  "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\nno colon line\r\n\r\nx\r\n--XyZ--"));
  EXPECT_TRUE(bad("multipart/form-data; boundary=XyZ", "--XyZ\r\nContent-Disposition: form-data; name=\"a"));
  // Every prefix is either a valid form or a clean error, never a crash.
  for (size_t i = 0; i <= body.size(); ++i)
    (void)form_request("multipart/form-data; boundary=XyZ", body.substr(0, i)).form();
}

Response ok(Request& req) {
  std::string out = req.route;
  for (const auto& [k, v] : req.params) out += " " + k + "=" + v;
  return Response::text(200, out);
}

TEST(Request, ClientAddressBehindATrustedProxy) {
  const std::vector<std::string> proxies = {"127.0.0.1", "10.0.0.5"};
  // Not from a proxy: the peer, whatever the header says.
  EXPECT_EQ(client_address("203.0.113.7", "1.2.3.4", proxies), "203.0.113.7");
  // From a proxy: the right-most address the proxies did not add.
  EXPECT_EQ(client_address("127.0.0.1", "198.51.100.9", proxies), "198.51.100.9");
  EXPECT_EQ(client_address("127.0.0.1", "6.6.6.6, 198.51.100.9", proxies), "198.51.100.9");  // the left one is the client's claim
  EXPECT_EQ(client_address("127.0.0.1", "198.51.100.9, 10.0.0.5", proxies), "198.51.100.9");
  EXPECT_EQ(client_address("127.0.0.1", "2001:db8::1", proxies), "2001:db8::1");
  // Nothing usable: the peer.
  EXPECT_EQ(client_address("127.0.0.1", "", proxies), "127.0.0.1");
  EXPECT_EQ(client_address("127.0.0.1", "10.0.0.5", proxies), "127.0.0.1");
  // Not an address: unknown, never the proxy's own (which would pass for local).
  EXPECT_EQ(client_address("127.0.0.1", "unknown", proxies), "unknown");
  EXPECT_EQ(client_address("127.0.0.1", "1.2.3.4, <script>", proxies), "unknown");
  // An IPv4 proxy seen through an IPv6 socket.
  EXPECT_EQ(client_address("::ffff:127.0.0.1", "198.51.100.9", proxies), "198.51.100.9");
  // No proxies configured: never the header.
  EXPECT_EQ(client_address("127.0.0.1", "198.51.100.9", {}), "127.0.0.1");
}

TEST(Router, Matching) {
  Router r;
  r.add("GET", "/", ok);
  r.add("GET", "/orgs/{id:int}", ok);
  r.add("GET", "/orgs/{slug}", ok);
  r.add("GET", "/orgs/new", ok);
  r.add("POST", "/orgs/{id:int}/members", ok);
  r.add("GET", "/orgs/{id:int}/members/{mid:int}", ok);
  auto go = [&](std::string method, std::string path) {
    Request req;
    req.method = std::move(method);
    req.path = std::move(path);
    Response res = r.dispatch(req);
    return std::make_pair(res.status, res.body);
  };
  EXPECT_EQ(go("GET", "/"), std::make_pair(200, std::string("/")));
  EXPECT_EQ(go("GET", "/orgs/new").second, "/orgs/new");
  EXPECT_EQ(go("GET", "/orgs/42").second, "/orgs/{id:int} id=42");
  EXPECT_EQ(go("GET", "/orgs/abc").second, "/orgs/{slug} slug=abc");
  EXPECT_EQ(go("GET", "/orgs/1234567890123456789").second, "/orgs/{slug} slug=1234567890123456789");  // 19 digits
  EXPECT_EQ(go("GET", "/orgs/7/members/9").second, "/orgs/{id:int}/members/{mid:int} id=7 mid=9");
  EXPECT_EQ(go("GET", "/orgs/7/members/x").first, 404);
  EXPECT_EQ(go("GET", "/orgs").first, 404);
  EXPECT_EQ(go("GET", "/orgs/7/").first, 404);

  Request req;
  req.method = "GET";
  req.path = "/orgs/7/members";
  Response res = r.dispatch(req);
  EXPECT_EQ(res.status, 405);
  EXPECT_EQ(req.route, "unmatched");
  bool allow = false;
  for (auto& [k, v] : res.headers)
    if (k == "Allow") allow = v == "POST";
  EXPECT_TRUE(allow);

  Request head;
  head.method = "HEAD";
  head.path = "/orgs/42";
  Response hres = r.dispatch(head);
  EXPECT_EQ(hres.status, 200);
  EXPECT_EQ(hres.body, "");
  bool len = false;
  for (auto& [k, v] : hres.headers)
    if (k == "Content-Length") len = v == std::to_string(std::string("/orgs/{id:int} id=42").size());
  EXPECT_TRUE(len);
  EXPECT_EQ(r.routes().size(), 6u);
}

TEST(Router, Lanes) {
  using namespace std::chrono_literals;
  Router r;
  r.add("GET", "/quick", ok);
  r.add("POST", "/quick", ok);
  r.add("GET", "/pinned", ok, Lane::pool);
  r.add("POST", "/fast-write", ok, Lane::inline_io);
  r.add_static("/static/", "static/");
  auto match = [&](std::string method, std::string path) {
    Request req;
    req.method = std::move(method);
    req.path = std::move(path);
    return r.match(req);
  };
  const Response quick = Response::text(200, "x");
  // Automatic GET: the pool until 8 quick runs in a row; then inline.
  for (int i = 0; i < 8; ++i) {
    auto m = match("GET", "/quick");
    EXPECT_EQ(m.kind, Router::Match::Kind::route);
    EXPECT_FALSE(m.run_inline) << i;
    r.settle(m, 1ms, quick);
  }
  EXPECT_TRUE(match("GET", "/quick").run_inline);
  EXPECT_TRUE(match("HEAD", "/quick").run_inline);
  EXPECT_TRUE(r.runs_inline("GET", "/quick"));
  // One slow run, a download or a big body sends it back, for 64 quick runs.
  for (const Response& slow_answer : {Response::text(200, std::string(2 << 20, 'x')),
                                      Response::text(200, "x").header("content-disposition", "attachment")}) {
    r.settle(match("GET", "/quick"), 1ms, slow_answer);
    EXPECT_FALSE(match("GET", "/quick").run_inline);
    for (int i = 0; i < 64; ++i) r.settle(match("GET", "/quick"), 1ms, quick);
    EXPECT_TRUE(match("GET", "/quick").run_inline);
  }
  r.settle(match("GET", "/quick"), 11ms, quick);
  EXPECT_FALSE(match("GET", "/quick").run_inline);
  // Other methods stay on the pool however quick; explicit lanes are kept.
  for (int i = 0; i < 20; ++i) {
    r.settle(match("POST", "/quick"), 1ms, quick);
    r.settle(match("GET", "/pinned"), 1ms, quick);
  }
  EXPECT_FALSE(match("POST", "/quick").run_inline);
  EXPECT_FALSE(match("GET", "/pinned").run_inline);
  EXPECT_TRUE(match("POST", "/fast-write").run_inline);
  // 404, 405 and embedded files never reach a handler that could block.
  EXPECT_TRUE(match("GET", "/nothing").run_inline);
  EXPECT_EQ(match("DELETE", "/quick").kind, Router::Match::Kind::not_allowed);
  EXPECT_TRUE(match("DELETE", "/quick").run_inline);
  EXPECT_EQ(match("GET", "/static/app.css").kind, Router::Match::Kind::static_files);
  // call(match) is dispatch.
  Request req;
  req.method = "GET";
  req.path = "/pinned";
  auto m = r.match(req);
  EXPECT_EQ(req.route, "/pinned");
  EXPECT_EQ(r.call(req, m).body, "/pinned");
}

TEST(Router, NotFoundBodies) {
  Router r;
  Request api;
  api.method = "GET";
  api.path = "/api/v1/nothing";
  Response res = r.dispatch(api);
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(res.body, R"({"error":{"kind":"not_found","message":"Không tìm thấy","field":""}})");
  Request page;
  page.method = "GET";
  page.path = "/nothing";
  res = r.dispatch(page);
  EXPECT_EQ(res.status, 404);
  EXPECT_NE(res.body.find("<h1>Không tìm thấy</h1>"), std::string::npos);
  EXPECT_EQ(page.route, "unmatched");
}

std::string header_of(const Response& r, std::string_view name) {
  for (auto& [k, v] : r.headers)
    if (k == name) return v;
  return "";
}

TEST(Static, EtagAnd304) {
  ASSERT_TRUE(assets::find("static/robots.txt"));
  Router r;
  r.add_static("/static/", "static/");
  r.add_static("/m", "migrations/");
  Request req;
  req.method = "GET";
  req.path = "/static/robots.txt";
  Response res = r.dispatch(req);
  EXPECT_EQ(req.route, "static");
  ASSERT_EQ(res.status, 200);
  EXPECT_EQ(res.body, "User-agent: *\nDisallow: /api/\n");
  EXPECT_EQ(header_of(res, "Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(header_of(res, "Cache-Control"), "public, max-age=3600");
  std::string etag = header_of(res, "ETag");
  ASSERT_GE(etag.size(), 3u);
  EXPECT_EQ(etag.front(), '"');

  req.headers["if-none-match"] = "\"other\", " + etag;
  Response again = r.dispatch(req);
  EXPECT_EQ(again.status, 304);
  EXPECT_EQ(again.body, "");
  EXPECT_EQ(header_of(again, "ETag"), etag);

  Request versioned;
  versioned.method = "GET";
  versioned.path = "/static/robots.txt";
  versioned.query.emplace("v", "abc");
  EXPECT_EQ(header_of(r.dispatch(versioned), "Cache-Control"), "public, max-age=31536000, immutable");

  Request sql;
  sql.method = "GET";
  sql.path = "/m/0001_org.sql";
  EXPECT_EQ(r.dispatch(sql).status, 200);

  for (std::string bad : {"/static/../migrations/0001_org.sql", "/static/./robots.txt", "/static//robots.txt",
                          "/static/", "/static/nope.css", "/m/../static/robots.txt"}) {
    Request t;
    t.method = "GET";
    t.path = bad;
    EXPECT_EQ(r.dispatch(t).status, 404) << bad;
  }
  Request post;
  post.method = "POST";
  post.path = "/static/robots.txt";
  EXPECT_EQ(r.dispatch(post).status, 405);
}

TEST(Static, ContentTypes) {
  EXPECT_EQ(content_type_for("a/b.css"), "text/css; charset=utf-8");
  EXPECT_EQ(content_type_for("x.JS"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("x.svg"), "image/svg+xml");
  EXPECT_EQ(content_type_for("x.png"), "image/png");
  EXPECT_EQ(content_type_for("x.ico"), "image/x-icon");
  EXPECT_EQ(content_type_for("x.json"), "application/json");
  EXPECT_EQ(content_type_for("x.woff2"), "font/woff2");
  EXPECT_EQ(content_type_for("x.html"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_for("x.d/noext"), "application/octet-stream");
}

TEST(Errors, StatusAndRendering) {
  EXPECT_EQ(status_for(ErrorKind::invalid), 422);
  EXPECT_EQ(status_for(ErrorKind::not_found), 404);
  EXPECT_EQ(status_for(ErrorKind::conflict), 409);
  EXPECT_EQ(status_for(ErrorKind::unauthenticated), 401);
  EXPECT_EQ(status_for(ErrorKind::forbidden), 403);
  EXPECT_EQ(status_for(ErrorKind::too_large), 413);
  EXPECT_EQ(status_for(ErrorKind::rate_limited), 429);
  EXPECT_EQ(status_for(ErrorKind::unavailable), 503);
  EXPECT_EQ(status_for(ErrorKind::internal), 500);
  Request api;
  api.path = "/api/v1/x";
  Response j = error_response(api, Error{ErrorKind::conflict, "CCCD \"đã\" dùng", "cccd"});
  EXPECT_EQ(j.status, 409);
  EXPECT_EQ(j.body, R"({"error":{"kind":"conflict","message":"CCCD \"đã\" dùng","field":"cccd"}})");
  Request page;
  page.path = "/x";
  Response h = error_response(page, Error{ErrorKind::invalid, "Sai <b>", "a\"b"});
  EXPECT_EQ(h.status, 422);
  EXPECT_EQ(h.body, "<div class=\"error\" role=\"alert\" data-field=\"a&quot;b\">Sai &lt;b&gt;</div>");
  EXPECT_EQ(header_of(h, "Content-Type"), "text/html; charset=utf-8");
}

TEST(Metrics, Render) {
  Metrics m;
  m.observe("GET", "/a", 200, 0.0005);
  m.observe("GET", "/a", 200, 0.02);
  m.observe("POST", "/a", 422, 7.0);
  m.observe("BREW", "/a", 400, 0.0);
  std::string out = m.render();
  EXPECT_NE(out.find("# TYPE chidoan_http_requests_total counter"), std::string::npos);
  EXPECT_NE(out.find("chidoan_http_requests_total{method=\"GET\",route=\"/a\",status=\"200\"} 2\n"), std::string::npos);
  EXPECT_NE(out.find("chidoan_http_requests_total{method=\"OTHER\",route=\"/a\",status=\"400\"} 1\n"), std::string::npos);
  EXPECT_NE(out.find("# TYPE chidoan_http_request_duration_seconds histogram"), std::string::npos);
  EXPECT_NE(out.find("chidoan_http_request_duration_seconds_bucket{route=\"/a\",le=\"0.001\"} 2\n"), std::string::npos);
  EXPECT_NE(out.find("chidoan_http_request_duration_seconds_bucket{route=\"/a\",le=\"0.025\"} 3\n"), std::string::npos);
  EXPECT_NE(out.find("chidoan_http_request_duration_seconds_bucket{route=\"/a\",le=\"5\"} 3\n"), std::string::npos);
  EXPECT_NE(out.find("chidoan_http_request_duration_seconds_bucket{route=\"/a\",le=\"+Inf\"} 4\n"), std::string::npos);
  EXPECT_NE(out.find("chidoan_http_request_duration_seconds_count{route=\"/a\"} 4\n"), std::string::npos);
  EXPECT_NE(out.find("chidoan_http_request_duration_seconds_sum{route=\"/a\"} 7.0205"), std::string::npos);
}

}  // namespace
}  // namespace chidoan::http

TEST(AccessLog, OneLinePerRequestInUtcToTheMillisecond) {
  using namespace std::chrono;
  // 2021-12-31T23:59:59.042Z, then the next second, and the first millisecond of the epoch.
  const sys_time<milliseconds> t{milliseconds(1640995199042)};
  EXPECT_EQ(chidoan::http::access_line(t, "00ab", "10.0.0.7", "GET", "/api/v1/orgs/5/members", 200, 1.26).view(),
            "2021-12-31T23:59:59.042Z 00ab 10.0.0.7 GET /api/v1/orgs/5/members 200 1.3ms\n");
  EXPECT_EQ(chidoan::http::access_line(t + milliseconds(1000), "00ac", "", "POST", "/login", 303, 0.04).view(),
            "2022-01-01T00:00:00.042Z 00ac - POST /login 303 0.0ms\n");
  EXPECT_EQ(chidoan::http::access_line(sys_time<milliseconds>{}, "x", "::1", "HEAD", "/", 404, 12345.67).view(),
            "1970-01-01T00:00:00.000Z x ::1 HEAD / 404 12345.7ms\n");
  // A client's method and path are cut; the line never passes 512 bytes with its newline.
  const std::string method(40, 'M'), path = "/" + std::string(600, 'p');
  const auto cut = chidoan::http::access_line(t, "r", "-", method, path, 400, 1);
  EXPECT_NE(cut.view().find(" " + std::string(16, 'M') + " /" + std::string(299, 'p') + " 400 1.0ms\n"),
            std::string_view::npos);
  const std::string rid(600, 'r');
  const auto longest = chidoan::http::access_line(t, rid, "-", "GET", "/", 200, 1);
  EXPECT_EQ(longest.size, 512u);
  EXPECT_EQ(longest.view().back(), '\n');
}
