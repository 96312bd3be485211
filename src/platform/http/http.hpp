// HTTP: requests, responses, the router and the server (Boost.Beast + Asio coroutines).
//
// Handlers are plain synchronous functions Request -> Response. They may block on storage;
// the server runs quick ones inline on the connection's I/O thread and everything that may
// take long on a worker pool (see Lane and Server). A handler that throws produces a 500 with
// the request id, and the exception is logged.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
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
  // A body kept by someone else (web::ResponseCache) and shared into this response instead of
  // copied; `body` is then empty. body_view() is the body, whichever holds it.
  std::shared_ptr<const std::string> shared_body;
  std::string_view body_view() const { return shared_body ? std::string_view(*shared_body) : std::string_view(body); }

  Response& header(std::string name, std::string value);
  Response& set_cookie(const Cookie& c);
  static Response text(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");
  static Response html(int status, std::string body);
  static Response json(int status, std::string body);
  static Response redirect(std::string location, int status = 303);
};

using Handler = std::function<Response(Request&)>;

// Where the server runs a route's handler.
//   automatic  GET/HEAD routes start on the worker pool; once a route's handler ran quickly
//              8 times in a row (under 10 ms, no download, body under 1 MiB) it runs inline on
//              the connection's I/O thread, saving two thread hand-offs per request; a single
//              slow run sends it back to the pool until it has been quick 64 times in a row.
//              Other methods always use the pool: they write, and a write may wait seconds on
//              the database's lock. The price: the one slow run that demotes a route holds up
//              the other connections of its I/O thread while it lasts.
//   pool       always on the worker pool (handlers known to take long: reports, uploads).
//   inline_io  always inline: only for handlers that never block for long.
enum class Lane { automatic, pool, inline_io };

// Path patterns: literal segments and typed parameters "{name}" (any segment) or
// "{name:int}" (decimal digits only; otherwise the route does not match).
// A path that matches a pattern under another method gets 405 with Allow.
// Thread-safety: add routes before serving; after that every const member may be called
// concurrently.
class Router {
 public:
  void add(std::string method, std::string pattern, Handler h, Lane lane = Lane::automatic);
  // Serves embedded files under `asset_prefix` (e.g. "static/") at `url_prefix` (e.g.
  // "/static/") with ETag, If-None-Match -> 304, Cache-Control and a content type by extension.
  void add_static(std::string url_prefix, std::string asset_prefix);
  Response dispatch(Request& req) const;
  // The patterns of every route (for the authorization matrix test).
  std::vector<std::pair<std::string, std::string>> routes() const;

 private:
  struct Route;

 public:
  // dispatch() in the server's three steps: match() finds the route (setting req.route and
  // req.params) and says whether its handler may run inline; call() runs it; settle() reports
  // how long it took and what it answered, which moves an automatic route between lanes.
  // dispatch(req) is call(req, match(req)).
  struct Match {
    enum class Kind { route, not_allowed, static_files, not_found } kind = Kind::not_found;
    const Route* route = nullptr;
    size_t static_index = 0;
    std::string allow;  // for not_allowed
    bool run_inline = true;
  };
  Match match(Request& req) const;
  Response call(Request& req, const Match& m) const;
  void settle(const Match& m, std::chrono::steady_clock::duration took, const Response& res) const;
  // Whether the route registered as (method, pattern) would now run inline (for tests).
  bool runs_inline(std::string_view method, std::string_view pattern) const;

 private:
  std::vector<std::shared_ptr<Route>> routes_;
  std::vector<std::vector<const Route*>> by_length_;  // routes_ by their number of segments, in order
  std::vector<std::pair<std::string, std::string>> statics_;
};

struct Limits {
  size_t max_header_bytes = 16 * 1024;
  size_t max_body_bytes = 1024 * 1024;          // ordinary requests
  size_t max_upload_bytes = 32 * 1024 * 1024;   // multipart requests on upload routes
  std::vector<std::string> upload_prefixes;     // path prefixes that accept uploads
  std::chrono::seconds read_timeout{15};        // whole request must arrive within this (slow clients)
  std::chrono::seconds idle_timeout{60};        // keep-alive idle
  // Peers (a reverse proxy's address, e.g. "127.0.0.1") whose X-Forwarded-For is believed:
  // behind them the client's address is the right-most one they did not add themselves.
  std::vector<std::string> trusted_proxies;
};

// The client's address of a request that came from `peer` with X-Forwarded-For `forwarded`:
// `peer` itself unless it is one of `trusted`; else the right-most address in `forwarded` that
// is not a trusted proxy (a client may put anything on the left, only the proxies' own entries
// can be believed). An entry that is not an IP address makes it "unknown". An IPv4 peer seen as
// "::ffff:a.b.c.d" is compared as "a.b.c.d".
std::string client_address(std::string_view peer, std::string_view forwarded, const std::vector<std::string>& trusted);

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

// Threading: `io_threads` I/O threads, each with its own io_context; an accepted connection is
// handed to them round-robin and lives on that one thread (socket, timers, parser), so a
// connection needs no lock. A request whose route runs inline (see Lane) is handled right
// there, on the I/O thread; every other request goes to a pool of `workers` threads and its
// response comes back to the connection's thread. A Handler must therefore be safe to call
// concurrently from up to io_threads + workers threads. The thread that calls run() accepts
// connections and handles signals, stop() and the drain deadline, so none of those waits for a
// handler. stop() may be called from any thread (or by SIGTERM/SIGINT when run(true)).
// Timeouts: a request must arrive whole within read_timeout from its first byte (slow clients
// are dropped); a keep-alive connection waits idle_timeout for the next request; an
// over-limit body gets 413 and the connection is closed; oversized headers get 431.
// REQUIRES: `router` and `metrics` outlive the Server.
class Server {
 public:
  // io_threads <= 0: default_io_threads().
  Server(const Router& router, Limits limits, Metrics& metrics, int workers = 4, int io_threads = 0);
  // Joins every thread, so waits for a handler still running after the drain deadline.
  ~Server();
  // One I/O thread per hardware thread, at least 4 and at most 16.
  static int default_io_threads();
  // Binds "HOST:PORT" (port 0 picks a free one). Error kind `unavailable` when the bind fails.
  Result<void> listen(std::string_view host_port);
  uint16_t port() const;
  // Runs until stop(); SIGTERM/SIGINT call stop() when `handle_signals` is true. stop() stops
  // accepting, closes idle keep-alive connections, lets in-flight requests finish (up to
  // `drain`), then returns from run(). At the deadline every connection is closed unanswered
  // and run() returns even if a handler is still running. Call run() once.
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
