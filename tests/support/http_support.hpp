// In-process HTTP for route tests: requests straight to a Router (no sockets), and the four
// demo roles with API tokens.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "platform/auth/store.hpp"
#include "platform/http/http.hpp"

namespace chidoan::testing {

struct Reply {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;
  nlohmann::json j() const { return nlohmann::json::parse(body, nullptr, false); }
};

// One request through `router`, as from 192.0.2.7; `token` (if any) as a bearer token.
inline Reply call(const http::Router& router, const std::string& method, const std::string& target, const std::string& token,
                  const std::string& body = "", const std::string& content_type = "application/json",
                  const std::map<std::string, std::string>& headers = {}) {
  http::Request req;
  req.method = method;
  req.target = target;
  auto q = target.find('?');
  req.path = target.substr(0, q);
  if (q != std::string::npos) req.query = http::parse_query(target.substr(q + 1));
  req.body = body;
  req.remote_addr = "192.0.2.7";
  req.request_id = "test";
  if (!token.empty()) req.headers["authorization"] = "Bearer " + token;
  if (!body.empty() || method != "GET") req.headers["content-type"] = content_type;
  for (const auto& [k, v] : headers) req.headers[k] = v;
  http::Response res = router.dispatch(req);
  Reply r{res.status, std::string(res.body_view()), {}};
  for (auto& [k, v] : res.headers) r.headers[k] = v;
  return r;
}

struct TestUser {
  const char* name;
  auth::Role role;
  int64_t org;
  std::optional<int64_t> member;
};

// Creates the users (password "mat-khau-rat-dai-2021") and returns name -> API token.
inline Result<std::map<std::string, std::string>> create_users(db::Connection& conn, const Clock& clock, const auth::AuthConfig& cfg,
                                                               const std::vector<TestUser>& users) {
  auth::AuthStore store(conn, clock, cfg);
  std::map<std::string, std::string> tokens;
  for (const auto& u : users) {
    CHIDOAN_TRY_VOID(conn.transaction([&]() -> Result<void> {
      CHIDOAN_TRY(uid, store.create_user({u.name, "mat-khau-rat-dai-2021", u.role, u.org, u.member, u.name, "vi"}, auth::Actor::system()));
      CHIDOAN_TRY(tok, store.create_api_token(uid, "test", auth::Actor::system()));
      tokens[u.name] = tok;
      return {};
    }));
  }
  return tokens;
}

}  // namespace chidoan::testing
