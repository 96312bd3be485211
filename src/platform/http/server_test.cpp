// Starts the real server on 127.0.0.1:0 and talks to it over TCP with a blocking Beast client.
#include <utility>  // before Asio's awaitable header (Boost 1.74 + g++ 12)

// Beast 1.74's response parser trips a false -Wmaybe-uninitialized (boost::optional) under
// -fsanitize builds; it is in Boost's code, inlined here. (A g++ warning: clang has no such
// group and would warn about the pragma itself.)
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <gtest/gtest.h>

#include <pthread.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <set>
#include <thread>

#include "platform/http/http.hpp"
#include "tests/support/raw_client.hpp"

namespace chidoan::http {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;
using namespace std::chrono_literals;

// The name of the calling thread: "http-io-N" for an I/O thread, "http-work-N" for a worker.
std::string thread_name() {
  char name[32] = {};
  pthread_getname_np(pthread_self(), name, sizeof name);
  return name;
}

bool on_io_thread(const std::string& name) { return name.starts_with("http-io-"); }
bool on_worker(const std::string& name) { return name.starts_with("http-work-"); }

struct TestServer {
  Router router;
  Metrics metrics;
  std::unique_ptr<Server> server;
  std::thread thread;
  std::chrono::steady_clock::time_point stopped_at;
  std::atomic<bool> returned{false};

  explicit TestServer(Limits limits = {}, std::chrono::seconds drain = 5s, int io_threads = 2, int workers = 2) {
    router.add("GET", "/hello", [](Request& req) {
      return Response::json(200, "{\"id\":\"" + req.request_id + "\",\"q\":\"" + req.query_param("q") + "\"}");
    });
    router.add("POST", "/echo", [](Request& req) { return Response::text(200, req.body); });
    router.add("POST", "/upload/file", [](Request& req) {
      auto f = req.form();
      if (!f) return error_response(req, f.error());
      return Response::text(200, std::to_string(f->files.empty() ? 0 : f->files[0].data.size()));
    });
    router.add("GET", "/boom", [](Request&) -> Response { throw std::runtime_error("kaboom"); });
    // A body kept elsewhere and shared into the response (web::ResponseCache does this).
    router.add("GET", "/shared", [kept = std::make_shared<const std::string>(std::string(100000, 'k') + "end")](Request&) {
      Response r = Response::text(200, "");
      r.shared_body = kept;
      return r;
    });
    router.add("GET", "/csp", [](Request&) {
      return Response::html(200, "x").header("Content-Security-Policy", "default-src 'none'");
    });
    // A handler that puts what the client sent into headers as it is (a bug the server
    // contains): a line break in a value, a name that is not a token.
    router.add("GET", "/echo-header", [](Request& req) {
      return Response::text(200, "ok")
          .header("Content-Disposition", "attachment; filename=\"" + req.query_param("name") + "\"")
          .header(req.query_param("header"), "x");
    });
    router.add("GET", "/slow", [this](Request&) {
      slow_started = true;
      std::this_thread::sleep_for(300ms);
      return Response::text(200, "done");
    });
    router.add("GET", "/stuck", [](Request&) {
      std::this_thread::sleep_for(1200ms);
      return Response::text(200, "late");
    });
    router.add("GET", "/metrics", [this](Request&) {
      return Response::text(200, metrics.render(), "text/plain; version=0.0.4");
    });
    // Lanes: each answers with the name of the thread that ran it.
    router.add("GET", "/who", [](Request&) { return Response::text(200, thread_name()); });
    router.add("POST", "/who", [](Request&) { return Response::text(200, thread_name()); });
    router.add("GET", "/who.csv", [](Request&) {
      return Response::text(200, thread_name(), "text/csv").header("Content-Disposition", "attachment; filename=\"a.csv\"");
    });
    router.add("GET", "/who-pool", [](Request&) { return Response::text(200, thread_name()); }, Lane::pool);
    router.add("GET", "/sometimes", [this](Request&) {
      if (sometimes_slow.exchange(false)) std::this_thread::sleep_for(30ms);
      return Response::text(200, thread_name());
    });
    router.add(
        "GET", "/slow-inline",
        [this](Request&) {
          ++slow_inline_started;
          std::this_thread::sleep_for(300ms);
          return Response::text(200, thread_name());
        },
        Lane::inline_io);
    router.add(
        "GET", "/stuck-inline",
        [this](Request&) {
          stuck_started = true;
          std::this_thread::sleep_for(1200ms);
          return Response::text(200, "late");
        },
        Lane::inline_io);
    limits.upload_prefixes = {"/upload/"};
    server = std::make_unique<Server>(router, limits, metrics, workers, io_threads);
    auto ok = server->listen("127.0.0.1:0");
    EXPECT_TRUE(ok);
    EXPECT_NE(server->port(), 0);
    thread = std::thread([this, drain] {
      server->run(false, drain);
      returned = true;
    });
  }
  ~TestServer() {
    server->stop();
    thread.join();
  }
  std::atomic<bool> slow_started{false};
  std::atomic<bool> sometimes_slow{false};
  std::atomic<int> slow_inline_started{0};
  std::atomic<bool> stuck_started{false};
};

struct Client {
  asio::io_context ioc;
  tcp::socket socket{ioc};
  boost::beast::flat_buffer buf;
  explicit Client(uint16_t port) { socket.connect({asio::ip::make_address("127.0.0.1"), port}); }

  bhttp::response<bhttp::string_body> request(bhttp::verb method, std::string target, std::string body = "",
                                              std::string content_type = "") {
    bhttp::request<bhttp::string_body> req{method, target, 11};
    req.set(bhttp::field::host, "localhost");
    if (!content_type.empty()) req.set(bhttp::field::content_type, content_type);
    req.body() = std::move(body);
    req.prepare_payload();
    bhttp::write(socket, req);
    return read(method == bhttp::verb::head);
  }
  bhttp::response<bhttp::string_body> read(bool head = false) {
    bhttp::response_parser<bhttp::string_body> p;
    p.skip(head);  // a HEAD response has Content-Length but no body
    p.body_limit(64 * 1024 * 1024);
    bhttp::read(socket, buf, p);
    return p.release();
  }
};

std::string h(const bhttp::response<bhttp::string_body>& r, bhttp::field f) { return std::string(r[f]); }

TEST(Server, KeepAliveAndHeaders) {
  TestServer ts;
  Client c(ts.server->port());
  std::set<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    auto r = c.request(bhttp::verb::get, "/hello?q=a+b%21&i=" + std::to_string(i));
    ASSERT_EQ(r.result_int(), 200u);
    EXPECT_TRUE(r.keep_alive());
    std::string rid(r["X-Request-Id"]);
    EXPECT_EQ(rid.size(), 16u);
    EXPECT_EQ(r.body(), "{\"id\":\"" + rid + "\",\"q\":\"a b!\"}");
    ids.insert(rid);
    EXPECT_EQ(h(r, bhttp::field::content_length), std::to_string(r.body().size()));
    EXPECT_EQ(std::string(r["X-Content-Type-Options"]), "nosniff");
    EXPECT_EQ(std::string(r["Referrer-Policy"]), "same-origin");
    EXPECT_EQ(std::string(r["X-Frame-Options"]), "DENY");
    EXPECT_NE(std::string(r["Content-Security-Policy"]).find("frame-ancestors 'none'"), std::string::npos);
  }
  EXPECT_EQ(ids.size(), 5u);
  for (int i = 0; i < 2; ++i) {
    auto shared = c.request(bhttp::verb::get, "/shared");
    EXPECT_EQ(shared.body(), std::string(100000, 'k') + "end");
    EXPECT_EQ(h(shared, bhttp::field::content_length), "100003");
  }
  auto shared_head = c.request(bhttp::verb::head, "/shared");
  EXPECT_EQ(h(shared_head, bhttp::field::content_length), "100003");
  EXPECT_TRUE(shared_head.body().empty());
  auto csp = c.request(bhttp::verb::get, "/csp");
  EXPECT_EQ(std::string(csp["Content-Security-Policy"]), "default-src 'none'");
  auto echo = c.request(bhttp::verb::post, "/echo", "xin chào", "text/plain");
  EXPECT_EQ(echo.body(), "xin chào");
  auto nf = c.request(bhttp::verb::get, "/api/v1/none");
  EXPECT_EQ(nf.result_int(), 404u);
  EXPECT_EQ(nf.body(), R"({"error":{"kind":"not_found","message":"Không tìm thấy","field":""}})");
  auto head = c.request(bhttp::verb::head, "/hello");
  EXPECT_EQ(head.result_int(), 200u);
  EXPECT_EQ(head.body(), "");
  EXPECT_EQ(h(head, bhttp::field::content_length), std::to_string(std::string(R"({"id":"0123456789abcdef","q":""})").size()));
}

TEST(Server, HandlerExceptionIs500WithRequestId) {
  TestServer ts;
  Client c(ts.server->port());
  auto r = c.request(bhttp::verb::get, "/boom");
  EXPECT_EQ(r.result_int(), 500u);
  std::string rid(r["X-Request-Id"]);
  EXPECT_NE(r.body().find("Lỗi máy chủ (mã yêu cầu: " + rid + ")"), std::string::npos);
  auto again = c.request(bhttp::verb::get, "/hello");  // the connection survives
  EXPECT_EQ(again.result_int(), 200u);
}

// No response header can be split by what a handler put in it: a CR or LF in a value becomes a
// space, a header named with anything but a token is left out, the answer still goes out.
TEST(Server, AHeaderValueCannotStartAnotherHeader) {
  auto ts = std::make_unique<TestServer>();
  const std::string splitting = "a%0d%0aSet-Cookie:%20session=attacker%0d%0a%0d%0a<script>";
  auto a = chidoan::testing::send_raw(ts->server->port(), "GET /echo-header?name=" + splitting +
                                                              "&header=X-Ok%0d%0aSet-Cookie:%20b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(a.arrived) << a.raw;
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.header("Set-Cookie"), "");
  EXPECT_EQ(a.raw.find("\r\nSet-Cookie"), std::string::npos) << a.raw;
  EXPECT_EQ(a.header("Content-Disposition"), "attachment; filename=\"a  Set-Cookie: session=attacker    <script>\"");
  EXPECT_EQ(a.body, "ok");
  // The name's check alone: a header named with a space or a colon is left out.
  a = chidoan::testing::send_raw(ts->server->port(), "GET /echo-header?name=b&header=X-A:%20b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.header("X-A"), "");
  EXPECT_EQ(a.header("Content-Disposition"), "attachment; filename=\"b\"");
}

TEST(Server, BodyLimits) {
  Limits limits;
  limits.max_body_bytes = 1000;
  limits.max_upload_bytes = 100000;
  TestServer ts(limits);
  {
    Client c(ts.server->port());
    auto r = c.request(bhttp::verb::post, "/echo", std::string(5000, 'x'), "text/plain");
    EXPECT_EQ(r.result_int(), 413u);
    EXPECT_FALSE(r.keep_alive());
  }
  {
    // Multipart on an upload route gets the larger limit.
    std::string file(20000, '\n');
    std::string body = "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.bin\"\r\n\r\n" + file + "\r\n--b--\r\n";
    Client c(ts.server->port());
    auto r = c.request(bhttp::verb::post, "/upload/file", body, "multipart/form-data; boundary=b");
    EXPECT_EQ(r.result_int(), 200u);
    EXPECT_EQ(r.body(), "20000");
    // ...but not a plain body on the same route, nor multipart elsewhere.
    auto plain = c.request(bhttp::verb::post, "/upload/file", body, "text/plain");
    EXPECT_EQ(plain.result_int(), 413u);
  }
  {
    Client c(ts.server->port());
    auto r = c.request(bhttp::verb::post, "/echo", std::string(200000, 'x'), "multipart/form-data; boundary=b");
    EXPECT_EQ(r.result_int(), 413u);
  }
  {
    Client c(ts.server->port());
    auto r = c.request(bhttp::verb::post, "/upload/file", std::string(200000, 'x'), "multipart/form-data; boundary=b");
    EXPECT_EQ(r.result_int(), 413u);
  }
}

TEST(Server, HeaderLimit) {
  Limits limits;
  limits.max_header_bytes = 1024;
  TestServer ts(limits);
  Client c(ts.server->port());
  bhttp::request<bhttp::string_body> req{bhttp::verb::get, "/hello", 11};
  req.set("X-Big", std::string(4000, 'a'));
  bhttp::write(c.socket, req);
  EXPECT_EQ(c.read().result_int(), 431u);
}

// 3,000 short headers (24 KB) arriving at once under a 16 KiB limit: Beast alone answered 200.
TEST(Server, HeaderLimitCountsEveryHeaderOfAHeadThatCameAtOnce) {
  Limits limits;
  limits.max_header_bytes = 16 * 1024;
  TestServer ts(limits);
  Client c(ts.server->port());
  std::string head = "GET /hello HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 3000; ++i) head += "X-A: b\r\n";
  head += "\r\n";
  asio::write(c.socket, asio::buffer(head));
  EXPECT_EQ(c.read().result_int(), 431u);
}

TEST(Server, SlowClientDropped) {
  Limits limits;
  limits.read_timeout = 1s;
  TestServer ts(limits);
  Client c(ts.server->port());
  auto start = std::chrono::steady_clock::now();
  asio::write(c.socket, asio::buffer(std::string("GET /hello HTTP/1.1\r\nHost: x\r\n")));
  boost::system::error_code ec;
  // Trickle a header byte every 100 ms: each write is "activity" but the request never completes.
  std::thread trickle([&] {
    for (int i = 0; i < 30; ++i) {
      std::this_thread::sleep_for(100ms);
      boost::system::error_code wec;
      asio::write(c.socket, asio::buffer("X", 1), wec);
      if (wec) return;
    }
  });
  char buf[256];
  c.socket.read_some(asio::buffer(buf), ec);  // blocks until the server closes
  auto waited = std::chrono::steady_clock::now() - start;
  trickle.join();
  EXPECT_TRUE(ec);
  EXPECT_GE(waited, 900ms);
  EXPECT_LT(waited, 2500ms);
}

TEST(Server, IdleKeepAliveClosed) {
  Limits limits;
  limits.idle_timeout = 1s;
  TestServer ts(limits);
  Client c(ts.server->port());
  EXPECT_EQ(c.request(bhttp::verb::get, "/hello").result_int(), 200u);
  auto start = std::chrono::steady_clock::now();
  char buf[16];
  boost::system::error_code ec;
  c.socket.read_some(asio::buffer(buf), ec);
  EXPECT_EQ(ec, asio::error::eof);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2000ms);
}

TEST(Server, GracefulStopFinishesInFlight) {
  auto ts = std::make_unique<TestServer>();
  Client idle(ts->server->port());  // an idle keep-alive connection must not hold up the stop
  EXPECT_EQ(idle.request(bhttp::verb::get, "/hello").result_int(), 200u);
  Client c(ts->server->port());
  bhttp::request<bhttp::string_body> req{bhttp::verb::get, "/slow", 11};
  req.set(bhttp::field::host, "x");
  bhttp::write(c.socket, req);
  while (!ts->slow_started) std::this_thread::sleep_for(1ms);
  auto start = std::chrono::steady_clock::now();
  ts->server->stop();
  auto r = c.read();
  EXPECT_EQ(r.result_int(), 200u);
  EXPECT_EQ(r.body(), "done");
  EXPECT_FALSE(r.keep_alive());
  ts->thread.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);  // well before the 5 s drain
  ts->thread = std::thread([] {});
  // New connections are refused once stopped.
  asio::io_context ioc;
  tcp::socket s(ioc);
  boost::system::error_code ec;
  s.connect({asio::ip::make_address("127.0.0.1"), ts->server->port()}, ec);
  EXPECT_TRUE(ec);
}

TEST(Server, StopGivesUpAfterDrain) {
  auto ts = std::make_unique<TestServer>(Limits{}, 1s);
  Client c(ts->server->port());
  bhttp::request<bhttp::string_body> req{bhttp::verb::get, "/stuck", 11};
  bhttp::write(c.socket, req);
  std::this_thread::sleep_for(50ms);
  auto start = std::chrono::steady_clock::now();
  ts->server->stop();
  while (!ts->returned && std::chrono::steady_clock::now() - start < 3s) std::this_thread::sleep_for(5ms);
  auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(ts->returned);
  EXPECT_GE(waited, 900ms);
  EXPECT_LT(waited, 1150ms);  // run() returned at the drain deadline, not when the handler ended
  boost::system::error_code ec;
  char buf[16];
  c.socket.read_some(asio::buffer(buf), ec);  // the connection was closed without an answer
  EXPECT_TRUE(ec);
  ts.reset();  // waits for the stuck handler, then tears down cleanly
}

TEST(Server, QuickGetRouteMovesInlineOthersStayOnPool) {
  TestServer ts;
  Client c(ts.server->port());
  EXPECT_FALSE(ts.router.runs_inline("GET", "/who"));
  // Every route starts on the pool; eight quick runs in a row move a GET route inline.
  for (int i = 0; i < 8; ++i) {
    auto r = c.request(bhttp::verb::get, "/who");
    ASSERT_EQ(r.result_int(), 200u);
    EXPECT_TRUE(on_worker(r.body())) << i << ": " << r.body();
  }
  EXPECT_TRUE(ts.router.runs_inline("GET", "/who"));
  for (int i = 0; i < 3; ++i) {
    auto r = c.request(bhttp::verb::get, "/who");
    EXPECT_TRUE(on_io_thread(r.body())) << r.body();
    auto head = c.request(bhttp::verb::head, "/who");  // HEAD follows its GET route
    EXPECT_EQ(head.result_int(), 200u);
  }
  // Writes, downloads and routes pinned to the pool never run inline.
  for (int i = 0; i < 12; ++i) {
    EXPECT_TRUE(on_worker(c.request(bhttp::verb::post, "/who", "x", "text/plain").body()));
    EXPECT_TRUE(on_worker(c.request(bhttp::verb::get, "/who.csv").body()));
    EXPECT_TRUE(on_worker(c.request(bhttp::verb::get, "/who-pool").body()));
  }
  EXPECT_FALSE(ts.router.runs_inline("POST", "/who"));
  EXPECT_FALSE(ts.router.runs_inline("GET", "/who.csv"));
  EXPECT_FALSE(ts.router.runs_inline("GET", "/who-pool"));
  // A request with a big body goes to the pool even on an inline route.
  for (int i = 0; i < 8; ++i) c.request(bhttp::verb::get, "/who");
  auto big = c.request(bhttp::verb::get, "/who", std::string(100 * 1024, 'x'), "text/plain");
  EXPECT_TRUE(on_worker(big.body())) << big.body();
}

TEST(Server, SlowRunSendsRouteBackToPool) {
  TestServer ts;
  Client c(ts.server->port());
  for (int i = 0; i < 8; ++i) c.request(bhttp::verb::get, "/sometimes");
  ASSERT_TRUE(on_io_thread(c.request(bhttp::verb::get, "/sometimes").body()));
  ts.sometimes_slow = true;
  EXPECT_TRUE(on_io_thread(c.request(bhttp::verb::get, "/sometimes").body()));  // the slow run itself
  EXPECT_FALSE(ts.router.runs_inline("GET", "/sometimes"));
  // Back on the pool, for longer than a new route: 64 quick runs before it is inline again.
  for (int i = 0; i < 64; ++i) EXPECT_TRUE(on_worker(c.request(bhttp::verb::get, "/sometimes").body())) << i;
  EXPECT_TRUE(on_io_thread(c.request(bhttp::verb::get, "/sometimes").body()));
}

TEST(Server, SlowPoolHandlerDoesNotDelayOtherConnections) {
  // One I/O thread: everything but the handler shares it.
  TestServer ts(Limits{}, 5s, /*io_threads=*/1, /*workers=*/2);
  Client warm(ts.server->port());
  for (int i = 0; i < 8; ++i) warm.request(bhttp::verb::get, "/hello");  // /hello now inline
  Client slow(ts.server->port());
  bhttp::request<bhttp::string_body> req{bhttp::verb::get, "/slow", 11};
  req.set(bhttp::field::host, "x");
  bhttp::write(slow.socket, req);
  while (!ts.slow_started) std::this_thread::sleep_for(1ms);
  auto start = std::chrono::steady_clock::now();
  Client fast(ts.server->port());
  for (int i = 0; i < 20; ++i) EXPECT_EQ(fast.request(bhttp::verb::get, "/hello").result_int(), 200u);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 150ms);  // well before /slow's 300 ms
  EXPECT_EQ(slow.read().body(), "done");
}

TEST(Server, SlowInlineHandlerStallsOnlyItsOwnLoop) {
  TestServer ts(Limits{}, 5s, /*io_threads=*/2, /*workers=*/2);
  // Connections go to the loops round-robin: a and b are on different loops.
  Client a(ts.server->port());
  Client b(ts.server->port());
  bhttp::request<bhttp::string_body> req{bhttp::verb::get, "/slow-inline", 11};
  req.set(bhttp::field::host, "x");
  bhttp::write(a.socket, req);
  while (ts.slow_inline_started == 0) std::this_thread::sleep_for(1ms);
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 20; ++i) EXPECT_EQ(b.request(bhttp::verb::get, "/hello").result_int(), 200u);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 150ms);
  auto r = a.read();
  EXPECT_TRUE(on_io_thread(r.body())) << r.body();
}

TEST(Server, ConcurrentClientsAcrossLoops) {
  TestServer ts(Limits{}, 5s, /*io_threads=*/3, /*workers=*/2);
  constexpr int kClients = 6, kRequests = 150;
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < kClients; ++t) {
    clients.emplace_back([&, t] {
      Client c(ts.server->port());
      for (int i = 0; i < kRequests; ++i) {
        std::string body = std::to_string(t) + "/" + std::to_string(i);
        auto r = (i % 3 == 0) ? c.request(bhttp::verb::post, "/echo", body, "text/plain")
                              : c.request(bhttp::verb::get, "/hello?q=" + body);
        bool good = r.result_int() == 200 && r.body().find(body) != std::string::npos;
        if (good) ++ok;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(ok, kClients * kRequests);
  // A request is counted once its response is written, a moment after the client has read it:
  // the last one may still be on its way into the counters, so read them until they settle.
  const std::string gets = "chidoan_http_requests_total{method=\"GET\",route=\"/hello\",status=\"200\"} 600\n";
  const std::string posts = "chidoan_http_requests_total{method=\"POST\",route=\"/echo\",status=\"200\"} 300\n";
  Client c(ts.server->port());
  std::string m;
  for (auto until = std::chrono::steady_clock::now() + 2s; std::chrono::steady_clock::now() < until; std::this_thread::sleep_for(5ms)) {
    m = c.request(bhttp::verb::get, "/metrics").body();
    if (m.find(gets) != std::string::npos && m.find(posts) != std::string::npos) break;
  }
  EXPECT_NE(m.find(gets), std::string::npos) << m;
  EXPECT_NE(m.find(posts), std::string::npos) << m;
}

TEST(Server, GracefulStopDrainsEveryLoop) {
  auto ts = std::make_unique<TestServer>(Limits{}, 5s, /*io_threads=*/3, /*workers=*/2);
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < 6; ++i) clients.push_back(std::make_unique<Client>(ts->server->port()));
  // Two idle keep-alive connections, two requests inline on their loops, two on the pool.
  EXPECT_EQ(clients[0]->request(bhttp::verb::get, "/hello").result_int(), 200u);
  EXPECT_EQ(clients[1]->request(bhttp::verb::get, "/hello").result_int(), 200u);
  const char* targets[] = {"/slow-inline", "/slow-inline", "/slow", "/slow"};
  for (int i = 0; i < 4; ++i) {
    bhttp::request<bhttp::string_body> req{bhttp::verb::get, targets[i], 11};
    req.set(bhttp::field::host, "x");
    bhttp::write(clients[2 + i]->socket, req);
  }
  while (ts->slow_inline_started < 2 || !ts->slow_started) std::this_thread::sleep_for(1ms);
  auto start = std::chrono::steady_clock::now();
  ts->server->stop();
  for (int i = 2; i < 6; ++i) {
    auto r = clients[i]->read();
    EXPECT_EQ(r.result_int(), 200u) << i;
    EXPECT_FALSE(r.keep_alive()) << i;
  }
  ts->thread.join();
  EXPECT_TRUE(ts->returned);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);  // well before the 5 s drain
  ts->thread = std::thread([] {});
  for (int i = 0; i < 2; ++i) {  // the idle ones were closed
    char buf[16];
    boost::system::error_code ec;
    clients[i]->socket.read_some(asio::buffer(buf), ec);
    EXPECT_TRUE(ec) << i;
  }
}

TEST(Server, StopGivesUpOnStuckInlineHandler) {
  auto ts = std::make_unique<TestServer>(Limits{}, 1s, /*io_threads=*/2, /*workers=*/2);
  Client c(ts->server->port());
  bhttp::request<bhttp::string_body> req{bhttp::verb::get, "/stuck-inline", 11};
  bhttp::write(c.socket, req);
  while (!ts->stuck_started) std::this_thread::sleep_for(1ms);
  auto start = std::chrono::steady_clock::now();
  ts->server->stop();
  while (!ts->returned && std::chrono::steady_clock::now() - start < 3s) std::this_thread::sleep_for(5ms);
  auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(ts->returned);
  EXPECT_GE(waited, 900ms);
  EXPECT_LT(waited, 1150ms);  // the control thread kept the deadline while the I/O thread was busy
  boost::system::error_code ec;
  char buf[16];
  c.socket.read_some(asio::buffer(buf), ec);  // closed without an answer once the handler returns
  EXPECT_TRUE(ec);
  ts.reset();
}

TEST(Server, MetricsCount) {
  TestServer ts;
  Client c(ts.server->port());
  for (int i = 0; i < 3; ++i) c.request(bhttp::verb::get, "/hello");
  c.request(bhttp::verb::get, "/nothing");
  auto r = c.request(bhttp::verb::get, "/metrics");
  EXPECT_NE(r.body().find("chidoan_http_requests_total{method=\"GET\",route=\"/hello\",status=\"200\"} 3\n"),
            std::string::npos)
      << r.body();
  EXPECT_NE(r.body().find("chidoan_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1\n"),
            std::string::npos);
  EXPECT_NE(r.body().find("chidoan_http_request_duration_seconds_count{route=\"/hello\"} 3\n"), std::string::npos);
}

TEST(Server, ListenFailureIsUnavailable) {
  Router router;
  Metrics metrics;
  Server a(router, {}, metrics, 1);
  ASSERT_TRUE(a.listen("127.0.0.1:0"));
  Server b(router, {}, metrics, 1);
  auto r = b.listen("127.0.0.1:" + std::to_string(a.port()));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::unavailable);
}

}  // namespace
}  // namespace chidoan::http
