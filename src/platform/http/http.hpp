// HTTP: requests, responses, the router and the server (Boost.Beast + Asio coroutines).
//
// Handlers are plain synchronous functions Request -> Response. They may block briefly on
// storage; the server runs them on a worker pool so a slow handler never stalls socket I/O.
// A handler that throws produces a 500 with the request id, and the exception is logged.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/result.hpp"

namespace chidoan::http {

// One part of a multipart/form-data body.
struct FilePart {
  std::string field;
  std::string filename;
  std::string content_type;
  std::string data;
};

struct Form {
  std::multimap<std::string, std::string> fields;  // decoded, UTF-8 as sent
  std::vector<FilePart> files;
  // The first value of a field, or "" when absent.
  std::string get(std::string_view name) const;
  bool has(std::string_view name) const;
  const FilePart* file(std::string_view field) const;
};

struct Request {
  std::string method;   // "GET", "POST", ...
  std::string target;   // as sent: path and query
  std::string path;     // percent-decoded path without the query
  std::multimap<std::string, std::string> query;   // decoded query parameters
  std::map<std::string, std::string> headers;      // lower-case names
  std::map<std::string, std::string> params;       // router path parameters, e.g. {"id","12"}
  std::string body;
  std::string remote_addr;  // peer IP as text
  std::string request_id;   // unique per request; also sent back as X-Request-Id
  std::string route;        // the matched route pattern, e.g. "/api/v1/orgs/{id:int}" (for metrics)

  std::string header(std::string_view name) const;       // name in lower case; "" if absent
  std::optional<std::string> cookie(std::string_view name) const;
  std::string query_param(std::string_view name) const;  // first value or ""
  int64_t param_int(std::string_view name) const;        // a typed {name:int} parameter
  // Parses an application/x-www-form-urlencoded or multipart/form-data body.
  Result<Form> form() const;
  bool wants_json() const;  // path under /api/ or Accept prefers application/json
  bool is_htmx() const;     // HX-Request: true
  bool is_secure() const;   // request came over TLS (X-Forwarded-Proto: https from a proxy)
};

struct Cookie {
  std::string name;
  std::string value;
  std::string path = "/";
  std::optional<int64_t> max_age;  // seconds; 0 deletes
  bool http_only = true;
  bool secure = false;
  std::string same_site = "Lax";
  std::string serialize() const;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  Response& header(std::string name, std::string value);
  Response& set_cookie(const Cookie& c);
  static Response text(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");
  static Response html(int status, std::string body);
  static Response json(int status, std::string body);
  static Response redirect(std::string location, int status = 303);
};

using Handler = std::function<Response(Request&)>;

// Path patterns: literal segments and typed parameters "{name}" (any segment) or
// "{name:int}" (decimal digits only; otherwise the route does not match).
// A path that matches a pattern under another method gets 405 with Allow.
class Router {
 public:
  void add(std::string method, std::string pattern, Handler h);
  // Serves embedded files under `asset_prefix` (e.g. "static/") at `url_prefix` (e.g.
  // "/static/") with ETag, If-None-Match -> 304, Cache-Control and a content type by extension.
  void add_static(std::string url_prefix, std::string asset_prefix);
  Response dispatch(Request& req) const;
  // The patterns of every route (for the authorization matrix test).
  std::vector<std::pair<std::string, std::string>> routes() const;

 private:
  struct Route;
  std::vector<std::shared_ptr<Route>> routes_;
  std::vector<std::pair<std::string, std::string>> statics_;
};

struct Limits {
  size_t max_header_bytes = 16 * 1024;
  size_t max_body_bytes = 1024 * 1024;          // ordinary requests
  size_t max_upload_bytes = 32 * 1024 * 1024;   // multipart requests on upload routes
  std::vector<std::string> upload_prefixes;     // path prefixes that accept uploads
  std::chrono::seconds read_timeout{15};        // whole request must arrive within this (slow clients)
  std::chrono::seconds idle_timeout{60};        // keep-alive idle
};

// Prometheus metrics: requests by route and status, latency histogram.
class Metrics {
 public:
  void observe(const std::string& method, const std::string& route, int status, double seconds);
  std::string render() const;  // Prometheus text exposition format
 private:
  struct Impl;
  std::shared_ptr<Impl> impl_ = make_impl();
  static std::shared_ptr<Impl> make_impl();
};

// Threading: run() drives all socket I/O on the calling thread (one io_context); handlers
// run on a pool of `workers` threads, so a Handler must be safe to call concurrently.
// stop() may be called from any thread (or by SIGTERM/SIGINT when run(true)).
// Timeouts: a request must arrive whole within read_timeout from its first byte (slow clients
// are dropped); a keep-alive connection waits idle_timeout for the next request; an
// over-limit body gets 413 and the connection is closed; oversized headers get 431.
// REQUIRES: `router` and `metrics` outlive the Server.
class Server {
 public:
  Server(const Router& router, Limits limits, Metrics& metrics, int workers = 4);
  ~Server();
  // Binds "HOST:PORT" (port 0 picks a free one). Error kind `unavailable` when the bind fails.
  Result<void> listen(std::string_view host_port);
  uint16_t port() const;
  // Runs until stop(); SIGTERM/SIGINT call stop() when `handle_signals` is true. stop() stops
  // accepting, lets in-flight requests finish (up to `drain`), then returns from run().
  void run(bool handle_signals = true, std::chrono::seconds drain = std::chrono::seconds(10));
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Percent-decoding and form decoding, exposed for tests.
std::string url_decode(std::string_view s, bool plus_is_space);
std::string url_encode(std::string_view s);
std::multimap<std::string, std::string> parse_query(std::string_view q);
std::string html_escape(std::string_view s);

// --- additions -----------------------------------------------------------------------------

// The one mapping from an error kind to an HTTP status: invalid 422, not_found 404,
// conflict 409, unauthenticated 401, forbidden 403, too_large 413, rate_limited 429,
// unavailable 503, internal 500. (Malformed syntax that never reaches validation is a 400,
// answered by the server itself.)
int status_for(ErrorKind kind);
// The one renderer of an Error: JSON {"error":{"kind","message","field"}} when
// req.wants_json(), otherwise an escaped HTML fragment
// <div class="error" role="alert" data-field="...">message</div> (for htmx swaps).
Response error_response(const Request& req, const Error& err);
// Escapes a string for the inside of a JSON string literal (no surrounding quotes).
std::string json_escape(std::string_view s);
// Parses a multipart/form-data body; `content_type` is the full header value (with boundary).
// Malformed or truncated input -> ErrorKind::invalid "Dữ liệu biểu mẫu không hợp lệ".
Result<Form> parse_multipart(std::string_view body, std::string_view content_type);
// Content-Type for a file name by extension; application/octet-stream when unknown.
std::string_view content_type_for(std::string_view path);
// A fresh request id: 16 lower-case hex characters, unique within the process.
std::string new_request_id();

}  // namespace chidoan::http
