// Fuzzes a whole HTTP request through the application's real router: the bytes are parsed by
// Boost.Beast as the server parses them, turned into a Request the way src/platform/http/server.cpp
// does, matched against every module's routes (typed parameters, 405s, static files) and handed
// to the handler, which authenticates, parses the query, form, multipart body or JSON and answers.
//
// The first byte picks who asks: even is anonymous (any method: sign-in, public pages, CSRF
// refusals), odd is a system administrator's API token (GET and HEAD only, so that the database
// the handlers read stays the demo's and every run of an input does the same thing). The
// database is an in-memory SQLite with the demo bundle loaded, as of 15/1/2022.
#include <chrono>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "app/server.hpp"
#include "org/bundle.hpp"
#include "org/store.hpp"
#include "platform/auth/store.hpp"
#include "platform/db/db.hpp"
#include "prepared.hpp"

namespace {

using namespace chidoan;
namespace bhttp = boost::beast::http;

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "fuzz_router: %s\n", what.c_str());
  std::abort();
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) die("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct World {
  FixedClock clock{std::chrono::sys_days{std::chrono::year{2022} / 1 / 15} + std::chrono::hours{9}};
  std::unique_ptr<db::Pool> pool;
  std::unique_ptr<app::App> app;
  http::Limits limits = app::default_limits();
  std::string admin_token;

  World() {
    auto p = db::Pool::open("sqlite::memory:", 1);
    if (!p) die(p.error().message);
    pool = std::move(*p);
    auth::AuthConfig cfg;
    cfg.hash = auth::HashParams::min();  // sign-in attempts of the fuzzer need not cost 50 ms
    {
      auto conn = pool->acquire();
      if (auto m = db::migrate(*conn); !m) die(m.error().message);
      auto doc = nlohmann::json::parse(read_file(CHIDOAN_FUZZ_SOURCE_DIR "/data/demo/lam-dong-2021.json"));
      if (auto l = org::bundle::load(*conn, clock, doc, app::bundle_sections()); !l) die(l.error().message);
      org::Store orgs(*conn, clock);
      auto root = orgs.org_by_code("LD");
      if (!root || !*root) die("the demo has no LD");
      auth::AuthStore users(*conn, clock, cfg);
      auto made = conn->transaction([&]() -> Result<void> {
        CHIDOAN_TRY(uid, users.create_user({"fuzz-admin", "mat-khau-rat-dai-2021", auth::Role::system_admin, (*root)->id,
                                            std::nullopt, "Fuzz", "vi"}, auth::Actor::system()));
        CHIDOAN_TRY(tok, users.create_api_token(uid, "fuzz", auth::Actor::system()));
        admin_token = tok;
        return {};
      });
      if (!made) die(made.error().message);
    }
    app = std::make_unique<app::App>(*pool, clock, cfg);
  }
};

std::string_view sv(boost::beast::string_view s) { return {s.data(), s.size()}; }

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) { return chidoan::fuzz::prepare<World>(); }

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  World& world = chidoan::fuzz::prepared<World>();
  if (size < 1) return 0;
  const bool as_admin = data[0] & 1;

  bhttp::request_parser<bhttp::string_body> parser;
  parser.eager(true);
  parser.header_limit(static_cast<std::uint32_t>(world.limits.max_header_bytes));
  parser.body_limit(world.limits.max_body_bytes);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data + 1, size - 1), ec);
  if (!ec && !parser.is_done()) parser.put_eof(ec);
  if (ec || !parser.is_done()) return 0;  // the server answers 400 itself
  auto msg = parser.release();

  // As Server::Impl builds the Request of a parsed message.
  http::Request req;
  req.method = std::string(sv(msg.method_string()));
  req.target = std::string(sv(msg.target()));
  std::string_view path = std::string_view(req.target).substr(0, req.target.find('?'));
  req.path = http::url_decode(path, false);
  if (size_t q = req.target.find('?'); q != std::string::npos) req.query = http::parse_query(std::string_view(req.target).substr(q + 1));
  for (const auto& f : msg) {
    std::string name(sv(f.name_string()));
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto [it, inserted] = req.headers.emplace(std::move(name), std::string(sv(f.value())));
    if (!inserted) it->second += (it->first == "cookie" ? "; " : ", ") + std::string(sv(f.value()));
  }
  req.body = std::move(msg.body());
  req.remote_addr = http::client_address("192.0.2.7", req.header("x-forwarded-for"), world.limits.trusted_proxies);
  req.request_id = "fuzz";
  if (as_admin) {
    if (req.method != "GET" && req.method != "HEAD") return 0;
    req.headers["authorization"] = "Bearer " + world.admin_token;
    req.headers.erase("cookie");
  }

  const http::Router::Match m = world.app->router.match(req);
  http::Response res = world.app->router.call(req, m);
  // A handler that fails on what a client sent answers 4xx; a 500 is a bug in the handler.
  if (res.status >= 500 && res.status != 503) {
    std::fprintf(stderr, "fuzz_router: %s %s answered %d: %s\n", req.method.c_str(), req.target.c_str(), res.status,
                 res.body.substr(0, 500).c_str());
    std::abort();
  }
  return 0;
}
