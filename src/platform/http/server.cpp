// The HTTP/1.1 server: Beast over Asio C++20 coroutines.
//
// Threading: one io_context, run by the thread that calls run(), owns every socket, timer
// and the connection registry (so none of those need a lock). Handlers run on a separate
// asio::thread_pool; a connection's coroutine suspends while its handler runs and is resumed
// on the I/O thread with the Response.
#include <utility>  // must precede Asio's awaitable header on Boost 1.74 + g++ 12

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <unordered_map>

#include "platform/http/http.hpp"
#include "platform/http/internal.hpp"

namespace chidoan::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

std::string_view sv(beast::string_view s) { return {s.data(), s.size()}; }

constexpr auto kLingerTime = std::chrono::seconds(2);

void log_line(const std::string& rid, const std::string& remote, std::string_view method,
              std::string_view path, int status, double ms) {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char line[512];
  int n = std::snprintf(line, sizeof line, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ %s %s %.*s %.*s %d %.1fms\n",
                        tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                        static_cast<int>(millis), rid.c_str(), remote.empty() ? "-" : remote.c_str(),
                        static_cast<int>(std::min<size_t>(method.size(), 16)), method.data(),
                        static_cast<int>(std::min<size_t>(path.size(), 300)), path.data(), status, ms);
  if (n > 0) std::fwrite(line, 1, std::min<size_t>(static_cast<size_t>(n), sizeof line - 1), stderr);
}

void log_error(const std::string& rid, std::string_view what) {
  std::fprintf(stderr, "%s error: %.*s\n", rid.c_str(), static_cast<int>(std::min<size_t>(what.size(), 2000)),
               what.data());
}

constexpr const char* kCsp =
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'";

// The target's path part, raw (still percent-encoded): safe to log, never holds the query.
std::string_view raw_path(std::string_view target) { return target.substr(0, target.find('?')); }

bool is_multipart(std::string_view content_type) {
  return lower(trim(content_type.substr(0, content_type.find(';')))) == "multipart/form-data";
}

}  // namespace

struct Server::Impl {
  enum class ConnState { idle, reading, busy };
  struct Conn {
    beast::tcp_stream stream;
    ConnState state = ConnState::idle;
  };

  Impl(const Router& r, Limits l, Metrics& m, int workers)
      : router(r), limits(std::move(l)), metrics(m), pool(static_cast<size_t>(std::max(1, workers))) {
    ioc.emplace(1);
    acceptor.emplace(*ioc);
    drain_timer.emplace(*ioc);
  }

  ~Impl() {
    // Let queued handlers finish (they post their results to the io_context, which is
    // still alive), then destroy I/O objects before the io_context that owns their
    // services; destroying the io_context destroys any suspended connection coroutines.
    pool.join();
    signals.reset();
    drain_timer.reset();
    acceptor.reset();
    ioc.reset();
  }

  // Runs the handler on the worker pool; completes on the I/O thread.
  auto run_on_pool(std::shared_ptr<Request> req) {
    return asio::async_initiate<const asio::use_awaitable_t<>&, void(Response)>(
        [this, req = std::move(req)](auto handler) mutable {
          auto work = asio::make_work_guard(*ioc);  // keeps run() alive while the handler runs
          asio::post(pool, [this, req = std::move(req), handler = std::move(handler), work = std::move(work)]() mutable {
            Response res = call_handler(*req);
            auto ex = work.get_executor();
            asio::post(ex, [handler = std::move(handler), res = std::move(res), work = std::move(work)]() mutable {
              handler(std::move(res));
            });
          });
        },
        asio::use_awaitable);
  }

  Response call_handler(Request& req) {
    try {
      return router.dispatch(req);
    } catch (const std::exception& e) {
      log_error(req.request_id, e.what());
    } catch (...) {
      log_error(req.request_id, "unknown exception");
    }
    return error_response(
        req, Error{ErrorKind::internal, "Lỗi máy chủ (mã yêu cầu: " + req.request_id + ")", ""});
  }

  bhttp::response<bhttp::string_body> to_beast(Response&& r, const std::string& method,
                                               const std::string& rid, unsigned version, bool keep_alive) {
    bhttp::response<bhttp::string_body> res;
    res.version(version);
    res.result(static_cast<unsigned>(r.status));
    std::string explicit_length;
    for (auto& [name, value] : r.headers) {
      if (iequals(name, "content-length")) {
        explicit_length = value;
        continue;
      }
      res.insert(name, value);
    }
    res.set("X-Request-Id", rid);
    if (res.find("X-Content-Type-Options") == res.end()) res.set("X-Content-Type-Options", "nosniff");
    if (res.find("Referrer-Policy") == res.end()) res.set("Referrer-Policy", "same-origin");
    if (res.find("X-Frame-Options") == res.end()) res.set("X-Frame-Options", "DENY");
    if (res.find("Content-Security-Policy") == res.end()) res.set("Content-Security-Policy", kCsp);
    bool no_body = r.status < 200 || r.status == 204 || r.status == 304;
    if (no_body) {
      r.body.clear();
    } else if (method == "HEAD") {
      if (explicit_length.empty()) explicit_length = std::to_string(r.body.size());
      res.set(bhttp::field::content_length, explicit_length);
      r.body.clear();
    } else {
      res.content_length(r.body.size());
    }
    res.body() = std::move(r.body);
    res.keep_alive(keep_alive);
    return res;
  }

  asio::awaitable<void> write_simple(Conn& conn, int status, const std::string& rid, std::string_view message) {
    Response r = Response::text(status, std::string(message));
    auto res = to_beast(std::move(r), "GET", rid, 11, false);
    error_code ec;
    conn.stream.expires_after(limits.read_timeout);
    co_await bhttp::async_write(conn.stream, res, asio::redirect_error(asio::use_awaitable, ec));
  }

  // After refusing a request whose body we did not read, keep reading (and discarding) for
  // a moment so the client sees our response instead of a reset.
  asio::awaitable<void> linger_close(Conn& conn) {
    error_code ec;
    conn.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    conn.stream.expires_after(std::min<std::chrono::steady_clock::duration>(kLingerTime, limits.read_timeout));
    char sink[16384];
    for (;;) {
      co_await conn.stream.async_read_some(asio::buffer(sink), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
    }
  }

  void reject(const std::string& rid, const std::string& remote, std::string_view method, std::string_view target,
              int status, std::chrono::steady_clock::time_point start) {
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    metrics.observe(std::string(method), "rejected", status, secs);
    log_line(rid, remote, method, raw_path(target), status, secs * 1000);
  }

  asio::awaitable<void> session(tcp::socket socket) {
    Conn conn{beast::tcp_stream(std::move(socket))};
    const uint64_t id = next_conn_id++;
    conns.emplace(id, &conn);
    struct Unregister {
      Impl* self;
      uint64_t id;
      ~Unregister() { self->on_conn_closed(id); }
    } unregister{this, id};

    error_code ec;
    conn.stream.socket().set_option(tcp::no_delay(true), ec);
    std::string remote;
    if (auto ep = conn.stream.socket().remote_endpoint(ec); !ec) remote = ep.address().to_string();

    beast::flat_buffer buf;
    bool first = true;
    bool linger = false;
    while (!stopping) {
      conn.state = ConnState::idle;
      if (buf.size() == 0) {
        // Waiting for the next request: the idle timeout (the read timeout for the first).
        conn.stream.expires_after(first ? limits.read_timeout : limits.idle_timeout);
        size_t n = co_await conn.stream.async_read_some(buf.prepare(8192), asio::redirect_error(asio::use_awaitable, ec));
        if (ec) break;
        buf.commit(n);
      }
      first = false;
      conn.state = ConnState::reading;
      // The whole request (headers and body) must now arrive within read_timeout.
      conn.stream.expires_after(limits.read_timeout);
      const auto start = std::chrono::steady_clock::now();
      std::string rid = new_request_id();

      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(std::min<size_t>(limits.max_header_bytes, UINT32_MAX)));
      parser.body_limit(std::max(limits.max_body_bytes, limits.max_upload_bytes));  // narrowed below
      co_await bhttp::async_read_header(conn.stream, buf, parser, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (ec == bhttp::error::header_limit) {
          co_await write_simple(conn, 431, rid, "Phần đầu yêu cầu quá lớn");
          reject(rid, remote, "-", "-", 431, start);
          linger = true;
        } else if (ec == bhttp::error::body_limit) {  // Content-Length above every limit
          co_await write_simple(conn, 413, rid, "Dữ liệu gửi lên quá lớn");
          reject(rid, remote, sv(parser.get().method_string()), sv(parser.get().target()), 413, start);
          linger = true;
        } else if (ec != bhttp::error::end_of_stream && ec != beast::error::timeout &&
                   ec != asio::error::operation_aborted && ec != asio::error::eof &&
                   ec != asio::error::connection_reset) {
          co_await write_simple(conn, 400, rid, "Yêu cầu không hợp lệ");
          reject(rid, remote, "-", "-", 400, start);
        }
        break;
      }

      auto& hreq = parser.get();
      std::string method(sv(hreq.method_string()));
      std::string target(sv(hreq.target()));
      std::string_view path = raw_path(target);
      size_t limit = limits.max_body_bytes;
      if (is_multipart(sv(hreq[bhttp::field::content_type]))) {
        for (const auto& p : limits.upload_prefixes)
          if (path.starts_with(p)) limit = limits.max_upload_bytes;
      }
      parser.body_limit(limit);  // still enforced for chunked bodies as they arrive
      if (auto len = parser.content_length(); len && *len > limit) {
        co_await write_simple(conn, 413, rid, "Dữ liệu gửi lên quá lớn");
        reject(rid, remote, method, target, 413, start);
        linger = true;
        break;
      }
      if (!parser.is_done()) {
        if (iequals(sv(hreq[bhttp::field::expect]), "100-continue")) {
          static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
          co_await asio::async_write(conn.stream, asio::buffer(kContinue.data(), kContinue.size()),
                                     asio::redirect_error(asio::use_awaitable, ec));
          if (ec) break;
        }
        co_await bhttp::async_read(conn.stream, buf, parser, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
          if (ec == bhttp::error::body_limit) {
            co_await write_simple(conn, 413, rid, "Dữ liệu gửi lên quá lớn");
            reject(rid, remote, method, target, 413, start);
            linger = true;
          } else if (ec == bhttp::error::partial_message || ec == beast::error::timeout ||
                     ec == asio::error::eof || ec == asio::error::connection_reset ||
                     ec == asio::error::operation_aborted) {
            // The client went away or was too slow: nobody to answer.
          } else {
            co_await write_simple(conn, 400, rid, "Yêu cầu không hợp lệ");
            reject(rid, remote, method, target, 400, start);
          }
          break;
        }
      }
      conn.state = ConnState::busy;
      conn.stream.expires_never();

      auto msg = parser.release();
      const bool keep_alive = msg.keep_alive();
      const unsigned version = msg.version();
      auto req = std::make_shared<Request>();
      req->method = method;
      req->path = url_decode(path, false);
      if (size_t q = target.find('?'); q != std::string::npos) req->query = parse_query(std::string_view(target).substr(q + 1));
      req->target = std::move(target);
      for (const auto& f : msg) {
        std::string name = lower(sv(f.name_string()));
        auto [it, inserted] = req->headers.emplace(std::move(name), std::string(sv(f.value())));
        if (!inserted) it->second += (it->first == "cookie" ? "; " : ", ") + std::string(sv(f.value()));
      }
      req->body = std::move(msg.body());
      req->remote_addr = remote;
      req->request_id = rid;

      Response res = co_await run_on_pool(req);
      const int status = res.status;
      auto out = to_beast(std::move(res), method, rid, version, keep_alive && !stopping);
      // A client that does not read its response is as bad as one that does not send.
      conn.stream.expires_after(std::max<std::chrono::steady_clock::duration>(limits.read_timeout, std::chrono::seconds(30)));
      co_await bhttp::async_write(conn.stream, out, asio::redirect_error(asio::use_awaitable, ec));
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      metrics.observe(method, req->route.empty() ? std::string("unmatched") : req->route, status, secs);
      log_line(rid, remote, method, raw_path(req->target), status, secs * 1000);
      if (ec || out.need_eof()) break;
    }
    if (linger && !stopping) co_await linger_close(conn);
    conn.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    conn.stream.close();
  }

  asio::awaitable<void> accept_loop() {
    for (;;) {
      error_code ec;
      tcp::socket socket = co_await acceptor->async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (stopping || !acceptor->is_open()) co_return;
      if (ec) {
        if (ec == asio::error::operation_aborted) co_return;
        // Out of descriptors or a transient error: back off briefly instead of spinning.
        asio::steady_timer t(*ioc, std::chrono::milliseconds(50));
        co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        continue;
      }
      asio::co_spawn(*ioc, session(std::move(socket)), [](std::exception_ptr e) {
        if (!e) return;
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& ex) {
          log_error("-", std::string("connection: ") + ex.what());
        } catch (...) {
        }
      });
    }
  }

  void on_conn_closed(uint64_t id) {
    conns.erase(id);
    if (stopping && conns.empty() && drain_timer) drain_timer->cancel();
  }

  // I/O thread only.
  void do_stop() {
    if (stopping) return;
    stopping = true;
    error_code ec;
    acceptor->close(ec);
    if (signals) signals->cancel(ec);
    for (auto& [id, c] : conns)
      if (c->state == ConnState::idle) c->stream.socket().close(ec);  // waiting for a request
    if (conns.empty()) return;
    drain_timer->expires_after(drain);
    drain_timer->async_wait([this](error_code wait_ec) {
      if (wait_ec) return;  // cancelled: every connection finished in time
      error_code close_ec;
      for (auto& [id, c] : conns) c->stream.socket().close(close_ec);
      ioc->stop();  // do not wait for handlers that overran the drain time
    });
  }

  const Router& router;
  Limits limits;
  Metrics& metrics;
  std::unordered_map<uint64_t, Conn*> conns;  // I/O thread only
  uint64_t next_conn_id = 0;
  bool stopping = false;  // I/O thread only
  std::chrono::steady_clock::duration drain = std::chrono::seconds(10);
  uint16_t bound_port = 0;
  std::optional<asio::io_context> ioc;
  std::optional<tcp::acceptor> acceptor;
  std::optional<asio::steady_timer> drain_timer;
  std::optional<asio::signal_set> signals;
  asio::thread_pool pool;  // declared last: joined first
};

Server::Server(const Router& router, Limits limits, Metrics& metrics, int workers)
    : impl_(std::make_unique<Impl>(router, std::move(limits), metrics, workers)) {}

Server::~Server() = default;

Result<void> Server::listen(std::string_view host_port) {
  size_t colon = host_port.rfind(':');
  if (colon == std::string_view::npos) return fail(ErrorKind::unavailable, "Địa chỉ lắng nghe không hợp lệ: " + std::string(host_port));
  std::string host(host_port.substr(0, colon));
  std::string port_text(host_port.substr(colon + 1));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) host = "0.0.0.0";
  error_code ec;
  tcp::resolver resolver(*impl_->ioc);
  auto results = resolver.resolve(host, port_text, tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || results.empty())
    return fail(ErrorKind::unavailable, "Không phân giải được địa chỉ " + std::string(host_port) + ": " + ec.message());
  tcp::endpoint ep = results.begin()->endpoint();
  auto& acc = *impl_->acceptor;
  if (acc.is_open()) acc.close(ec);
  acc.open(ep.protocol(), ec);
  if (!ec) acc.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acc.bind(ep, ec);
  if (!ec) acc.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    error_code ignored;
    acc.close(ignored);
    return fail(ErrorKind::unavailable, "Không mở được cổng " + std::string(host_port) + ": " + ec.message());
  }
  impl_->bound_port = acc.local_endpoint(ec).port();
  return {};
}

uint16_t Server::port() const { return impl_->bound_port; }

void Server::run(bool handle_signals, std::chrono::seconds drain) {
  Impl& s = *impl_;
  s.drain = drain;
  if (handle_signals) {
    s.signals.emplace(*s.ioc, SIGINT, SIGTERM);
    s.signals->async_wait([this](error_code ec, int) {
      if (!ec) impl_->do_stop();
    });
  }
  if (s.acceptor->is_open()) asio::co_spawn(*s.ioc, s.accept_loop(), asio::detached);
  s.ioc->run();
}

void Server::stop() {
  asio::post(*impl_->ioc, [impl = impl_.get()] { impl->do_stop(); });
}

}  // namespace chidoan::http
