// The HTTP/1.1 server: Beast over Asio C++20 coroutines.
//
// Threading (see http.hpp):
//  - the control thread (the caller of run()) runs its own io_context: the acceptor, the
//    signal set, stop() and the drain timer. It never runs a handler, so accepting, SIGTERM
//    and the drain deadline keep working whatever the handlers do;
//  - N loops, each an io_context run by one thread: an accepted socket is created on the next
//    loop round-robin, and its session coroutine, timers and parser live there. Each loop has
//    its own connection registry, touched only by its thread;
//  - a worker pool (an io_context run by `workers` threads) for handlers that may take long;
//    the session suspends and is resumed on its loop with the Response.
// Shared between threads, and so atomic: `stopping`, `abandoned`, `live`, the router's
// per-route lane counters; Metrics has its own mutex.
// Per request on the inline lane there is no hand-off at all; on the pool lane, two.
#include <utility>  // must precede Asio's awaitable header on Boost 1.74 + g++ 12

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <pthread.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <thread>
#include <unordered_map>

#include "platform/http/http.hpp"
#include "platform/http/internal.hpp"

namespace chidoan::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;
using boost::system::error_code;

AccessLine access_line(std::chrono::system_clock::time_point at, std::string_view request_id,
                       std::string_view remote, std::string_view method, std::string_view path, int status,
                       double ms) {
  // The date and time to the second change once a second: formatted then, per thread.
  thread_local std::time_t cached_second = -1;
  thread_local std::array<char, 32> cached{};  // "2026-11-27T15:17:43"
  const auto since_epoch = std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
  const std::time_t second = static_cast<std::time_t>(since_epoch / 1000);
  if (second != cached_second) {
    std::tm tm{};
    gmtime_r(&second, &tm);
    std::strftime(cached.data(), cached.size(), "%Y-%m-%dT%H:%M:%S", &tm);
    cached_second = second;
  }
  AccessLine line;
  char* out = line.text.data();
  char* const end = out + line.text.size() - 1;  // room for the newline
  auto put = [&](std::string_view s) {
    const size_t n = std::min<size_t>(s.size(), static_cast<size_t>(end - out));
    out = std::copy_n(s.data(), n, out);
  };
  auto put_number = [&](long long v, int width) {
    char digits[24];
    auto [p, ec] = std::to_chars(digits, digits + sizeof digits, v);
    for (long long pad = width - (p - digits); pad > 0; --pad) put("0");
    put(std::string_view(digits, static_cast<size_t>(p - digits)));
  };
  put(std::string_view(cached.data(), 19));
  put(".");
  put_number(static_cast<long long>(since_epoch % 1000), 3);
  put("Z ");
  put(request_id);
  put(" ");
  put(remote.empty() ? std::string_view("-") : remote);
  put(" ");
  put(method.substr(0, 16));
  put(" ");
  put(path.substr(0, 300));
  put(" ");
  put_number(status, 0);
  put(" ");
  const long long tenths = std::llround(std::max(ms, 0.0) * 10);
  put_number(tenths / 10, 0);
  put(".");
  put_number(tenths % 10, 0);
  put("ms");
  *out++ = '\n';
  line.size = static_cast<size_t>(out - line.text.data());
  return line;
}

namespace {

std::string_view sv(beast::string_view s) { return {s.data(), s.size()}; }

constexpr auto kLingerTime = std::chrono::seconds(2);

void log_line(const std::string& rid, const std::string& remote, std::string_view method,
              std::string_view path, int status, double ms) {
  const AccessLine line = access_line(std::chrono::system_clock::now(), rid, remote, method, path, status, ms);
  std::fwrite(line.text.data(), 1, line.size, stderr);
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

// Requests with a bigger body go to the pool whatever their route's lane (parsing it is work).
constexpr size_t kInlineBodyMax = 64 * 1024;

// Names the calling thread (for top -H, perf and the tests); Linux truncates to 15 bytes.
void name_thread(const std::string& name) {
  pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
}

void log_exception(std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    log_error("-", std::string("connection: ") + ex.what());
  } catch (...) {
  }
}

}  // namespace

struct Server::Impl {
  enum class ConnState { idle, reading, busy };
  struct Conn {
    beast::tcp_stream stream;
    ConnState state = ConnState::idle;
  };
  // One I/O thread and what it owns. Member order matters: the io_context is destroyed before
  // the registry, since destroying a suspended session unregisters it.
  struct Loop {
    std::unordered_map<uint64_t, Conn*> conns;  // this loop's thread only
    uint64_t next_conn_id = 0;                  // this loop's thread only
    asio::io_context ioc{1};
    asio::executor_work_guard<asio::io_context::executor_type> work = asio::make_work_guard(ioc);
    std::thread thread;
  };

  Impl(const Router& r, Limits l, Metrics& m, int workers, int io_threads)
      : router(r), limits(std::move(l)), metrics(m), n_workers(std::max(1, workers)) {
    const int n = io_threads > 0 ? io_threads : default_io_threads();
    for (int i = 0; i < n; ++i) loops.push_back(std::make_unique<Loop>());
    acceptor.emplace(control);
    drain_timer.emplace(control);
  }

  ~Impl() {
    // run() has returned (or never ran): stop what may still run, then join. A handler that
    // overran the drain deadline finishes first (its thread is joined here); the loops'
    // io_contexts are stopped, so nothing new starts.
    for (auto& l : loops) l->ioc.stop();
    for (auto& l : loops)
      if (l->thread.joinable()) l->thread.join();
    pool_work.reset();
    for (auto& t : pool_threads) t.join();  // queued pool jobs run and post to stopped loops
    // Let the control context finish what is queued: the accept loop's last (aborted)
    // accept holds a socket of a loop's io_context, so it must go before the loops do.
    control.restart();
    while (control.poll() > 0) control.restart();
    // I/O objects before the io_contexts that own their services; destroying a loop's
    // io_context destroys its suspended sessions (which unregister from that loop and may
    // post to `control`, still alive).
    signals.reset();
    drain_timer.reset();
    acceptor.reset();
    loops.clear();
  }

  // Runs the handler on the worker pool; completes on the connection's loop.
  auto run_on_pool(Loop& loop, Request& req, const Router::Match& m) {
    return asio::async_initiate<const asio::use_awaitable_t<>&, void(Response)>(
        [this, &loop, &req, &m](auto handler) {
          auto work = asio::make_work_guard(loop.ioc);  // keeps the loop alive while the handler runs
          asio::post(pool, [this, &req, &m, handler = std::move(handler), work = std::move(work)]() mutable {
            Response res = run_handler(req, m);
            auto ex = work.get_executor();
            asio::post(ex, [handler = std::move(handler), res = std::move(res), work = std::move(work)]() mutable {
              handler(std::move(res));
            });
          });
        },
        asio::use_awaitable);
  }

  Response run_handler(Request& req, const Router::Match& m) {
    const auto t0 = std::chrono::steady_clock::now();
    Response res = call_handler(req, m);
    router.settle(m, std::chrono::steady_clock::now() - t0, res);
    return res;
  }

  Response call_handler(Request& req, const Router::Match& m) {
    try {
      return router.call(req, m);
    } catch (const std::exception& e) {
      log_error(req.request_id, e.what());
    } catch (...) {
      log_error(req.request_id, "unknown exception");
    }
    return error_response(
        req, Error{ErrorKind::internal, "Lỗi máy chủ (mã yêu cầu: " + req.request_id + ")", ""});
  }

  // A response on the wire: its head, written here, and the response's body (emptied when none
  // is sent), after it in one gather write. `close` is whether the connection ends after it.
  struct Wire {
    std::string head;
    Response response;
    bool close = false;
  };

  // The head, by hand: the status line, the handler's headers (checked), the security headers
  // it did not set, then the framing, which is the server's alone (a handler's Content-Length
  // is used only for HEAD; its Connection and Transfer-Encoding are dropped).
  Wire to_wire(Response&& r, std::string_view method, const std::string& rid, unsigned version, bool keep_alive) {
    Wire w;
    std::string& h = w.head;
    h.reserve(512);
    const auto status = static_cast<unsigned>(r.status);
    h += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
    h += std::to_string(status);
    h += ' ';
    h += sv(bhttp::obsolete_reason(static_cast<bhttp::status>(status)));
    h += "\r\n";
    std::string explicit_length;
    bool has_nosniff = false, has_referrer = false, has_frame = false, has_csp = false;
    for (auto& [name, value] : r.headers) {
      if (iequals(name, "content-length")) {
        explicit_length = value;
        continue;
      }
      if (iequals(name, "connection") || iequals(name, "transfer-encoding")) continue;
      // A header a handler built from what a client sent (a file name, a place to go back to)
      // must not end its line early and start another header or the body: a name that is not
      // a token is dropped, control characters in a value become spaces. Either is a bug in
      // the handler, so it is logged.
      if (!is_token(name)) {
        log_error(rid, "response header dropped: its name is not a token");
        continue;
      }
      if (std::ranges::any_of(value, is_header_ctl)) {
        log_error(rid, "response header " + name + ": control characters replaced");
        std::ranges::replace_if(value, is_header_ctl, ' ');
      }
      has_nosniff = has_nosniff || iequals(name, "x-content-type-options");
      has_referrer = has_referrer || iequals(name, "referrer-policy");
      has_frame = has_frame || iequals(name, "x-frame-options");
      has_csp = has_csp || iequals(name, "content-security-policy");
      append_header(h, name, value);
    }
    append_header(h, "X-Request-Id", rid);
    if (!has_nosniff) append_header(h, "X-Content-Type-Options", "nosniff");
    if (!has_referrer) append_header(h, "Referrer-Policy", "same-origin");
    if (!has_frame) append_header(h, "X-Frame-Options", "DENY");
    if (!has_csp) append_header(h, "Content-Security-Policy", kCsp);
    const bool no_body = status < 200 || status == 204 || status == 304;
    if (!no_body) {
      const bool head = method == "HEAD";
      append_header(h, "Content-Length",
                    head && !explicit_length.empty() ? explicit_length : std::to_string(r.body_view().size()));
      if (!head) w.response = std::move(r);
    }
    if (version == 10 && keep_alive) append_header(h, "Connection", "keep-alive");
    if (version != 10 && !keep_alive) append_header(h, "Connection", "close");
    h += "\r\n";
    w.close = !keep_alive;
    return w;
  }

  static void append_header(std::string& h, std::string_view name, std::string_view value) {
    h += name;
    h += ": ";
    h += value;
    h += "\r\n";
  }

  asio::awaitable<void> write(Conn& conn, const Wire& w, error_code& ec) {
    const std::string_view body = w.response.body_view();
    const std::array<asio::const_buffer, 2> buffers{asio::buffer(w.head), asio::buffer(body.data(), body.size())};
    co_await asio::async_write(conn.stream, buffers, asio::redirect_error(asio::use_awaitable, ec));
  }

  asio::awaitable<void> write_simple(Conn& conn, int status, const std::string& rid, std::string_view message) {
    Wire w = to_wire(Response::text(status, std::string(message)), "GET", rid, 11, false);
    error_code ec;
    conn.stream.expires_after(limits.read_timeout);
    co_await write(conn, w, ec);
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

  bool is_stopping() const { return stopping.load(); }

  // Runs on `loop`'s thread from start to end.
  asio::awaitable<void> session(Loop& loop, tcp::socket socket) {
    Conn conn{beast::tcp_stream(std::move(socket))};
    const uint64_t id = loop.next_conn_id++;
    loop.conns.emplace(id, &conn);  // `live` was counted by accept_loop
    struct Unregister {
      Impl* self;
      Loop* loop;
      uint64_t id;
      ~Unregister() { self->on_conn_closed(*loop, id); }
    } unregister{this, &loop, id};

    error_code ec;
    conn.stream.socket().set_option(tcp::no_delay(true), ec);
    std::string remote;
    if (auto ep = conn.stream.socket().remote_endpoint(ec); !ec) remote = ep.address().to_string();

    beast::flat_buffer buf;
    bool first = true;
    bool linger = false;
    while (!is_stopping()) {
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
      // Beast checks header_limit only while the head is incomplete: a head that arrived in one
      // read is accepted whole, up to the size of that read over the limit. Measured again here.
      size_t head_bytes = hreq.method_string().size() + hreq.target().size() + 12;  // "  HTTP/1.1\r\n"
      for (const auto& f : hreq) head_bytes += f.name_string().size() + f.value().size() + 4;  // ": ", CRLF
      if (head_bytes > limits.max_header_bytes) {
        co_await write_simple(conn, 431, rid, "Phần đầu yêu cầu quá lớn");
        reject(rid, remote, sv(hreq.method_string()), "-", 431, start);
        linger = true;
        break;
      }
      std::string method(sv(hreq.method_string()));
      std::string target(sv(hreq.target()));
      // Refused before any handler sees them: a target not in origin form ("/path?query"; one
      // without its leading slash, an absolute URL, since this is no proxy, or "*"), which the
      // router would match as if the slash were there; and a Transfer-Encoding that does not
      // end in chunked, which leaves the body's length unknown (RFC 9112 6.3), so the parser
      // would read the body as the next request.
      const bool unframed = hreq.find(bhttp::field::transfer_encoding) != hreq.end() && !parser.chunked();
      if (!target.starts_with('/') || unframed) {
        co_await write_simple(conn, 400, rid, "Yêu cầu không hợp lệ");
        reject(rid, remote, method, "-", 400, start);
        linger = true;
        break;
      }
      std::string_view path = raw_path(target);
      size_t limit = limits.max_body_bytes;
      const bool multipart = is_multipart(sv(hreq[bhttp::field::content_type]));
      if (multipart) {
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
      // Lives in this coroutine frame while a worker uses it: the frame is only destroyed by
      // resuming it or by destroying the loop's io_context, which ~Impl does after joining the pool.
      Request req;
      req.method = method;
      req.path = url_decode(path, false);
      if (size_t q = target.find('?'); q != std::string::npos) req.query = parse_query(std::string_view(target).substr(q + 1));
      req.target = std::move(target);
      for (const auto& f : msg) {
        std::string name = lower(sv(f.name_string()));
        auto [it, inserted] = req.headers.emplace(std::move(name), std::string(sv(f.value())));
        if (!inserted) it->second += (it->first == "cookie" ? "; " : ", ") + std::string(sv(f.value()));
      }
      req.body = std::move(msg.body());
      req.remote_addr = client_address(remote, req.header("x-forwarded-for"), limits.trusted_proxies);
      req.request_id = rid;

      const Router::Match m = router.match(req);
      Response res;
      if (m.run_inline && !multipart && req.body.size() <= kInlineBodyMax) {
        res = run_handler(req, m);
        // The drain deadline passed while the handler ran: run() has returned and promised
        // every connection closed unanswered.
        if (abandoned.load()) break;
      } else {
        res = co_await run_on_pool(loop, req, m);
      }
      const int status = res.status;
      const Wire out = to_wire(std::move(res), method, rid, version, keep_alive && !is_stopping());
      // A client that does not read its response is as bad as one that does not send.
      conn.stream.expires_after(std::max<std::chrono::steady_clock::duration>(limits.read_timeout, std::chrono::seconds(30)));
      co_await write(conn, out, ec);
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      metrics.observe(method, req.route.empty() ? std::string("unmatched") : req.route, status, secs);
      log_line(rid, req.remote_addr, method, raw_path(req.target), status, secs * 1000);
      if (ec || out.close) break;
    }
    if (linger && !is_stopping()) co_await linger_close(conn);
    conn.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    conn.stream.close();
  }

  // On the control thread.
  asio::awaitable<void> accept_loop() {
    size_t next = 0;
    for (;;) {
      error_code ec;
      {
        // The socket belongs to the loop's io_context: it must not outlive this block (a
        // frame suspended in the back-off below may be destroyed after the loops).
        Loop& loop = *loops[next];
        tcp::socket socket = co_await acceptor->async_accept(loop.ioc, asio::redirect_error(asio::use_awaitable, ec));
        if (is_stopping() || !acceptor->is_open()) co_return;
        if (!ec) {
          next = (next + 1) % loops.size();
          // Counted here, not when the session starts on its loop: a stop() between the two
          // would otherwise see no session and end the loops with this one still queued,
          // and the client would get no answer. The session's end uncounts it.
          live.fetch_add(1);
          asio::co_spawn(loop.ioc, session(loop, std::move(socket)), [](std::exception_ptr e) { log_exception(e); });
          continue;
        }
        if (ec == asio::error::operation_aborted) co_return;
      }
      // Out of descriptors or a transient error: back off briefly instead of spinning.
      asio::steady_timer t(control, std::chrono::milliseconds(50));
      co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
  }

  // On the session's loop thread.
  void on_conn_closed(Loop& loop, uint64_t id) {
    loop.conns.erase(id);
    if (live.fetch_sub(1) == 1 && is_stopping())
      asio::post(control, [this] { maybe_drained(); });
  }

  // The control thread only, from here on.
  void do_stop() {
    if (stopping.exchange(true)) return;
    error_code ec;
    acceptor->close(ec);
    if (signals) signals->cancel(ec);
    // Idle keep-alive connections end (their own loop cancels the wait for a request); the
    // others finish their request (the response says Connection: close) and end. A request
    // that has arrived but not been read yet (its loop was busy running a handler) counts
    // as in flight: cancelling would reset it.
    for (auto& l : loops) {
      asio::post(l->ioc, [loop = l.get()] {
        error_code cancel_ec;
        for (auto& [id, c] : loop->conns) {
          if (c->state != ConnState::idle) continue;
          auto& socket = c->stream.socket();
          if (socket.available(cancel_ec) == 0 || cancel_ec) socket.cancel(cancel_ec);
        }
      });
    }
    drain_timer->expires_after(drain);
    drain_timer->async_wait([this](error_code wait_ec) {
      if (!wait_ec) give_up();
    });
    maybe_drained();
  }

  void maybe_drained() {
    if (finished || !is_stopping() || live.load() != 0) return;
    finished = true;
    drain_timer->cancel();
    control.stop();
  }

  // The drain deadline passed: close every connection unanswered and return from run()
  // without waiting for handlers that overran it.
  void give_up() {
    if (finished) return;
    finished = true;
    abandoned.store(true);
    for (auto& l : loops) {
      asio::post(l->ioc, [loop = l.get()] {
        error_code close_ec;
        for (auto& [id, c] : loop->conns) c->stream.socket().close(close_ec);
        loop->ioc.stop();
      });
    }
    control.stop();
  }

  void run(bool handle_signals, std::chrono::seconds drain_time) {
    drain = drain_time;
    if (handle_signals) {
      signals.emplace(control, SIGINT, SIGTERM);
      signals->async_wait([this](error_code ec, int) {
        if (!ec) do_stop();
      });
    }
    for (int i = 0; i < n_workers; ++i)
      pool_threads.emplace_back([this, i] {
        name_thread("http-work-" + std::to_string(i));
        pool.run();
      });
    for (size_t i = 0; i < loops.size(); ++i)
      loops[i]->thread = std::thread([this, i] {
        name_thread("http-io-" + std::to_string(i));
        loops[i]->ioc.run();
      });
    if (acceptor->is_open()) asio::co_spawn(control, accept_loop(), asio::detached);
    control.run();
    if (abandoned.load()) return;  // ~Impl joins the stragglers
    // Drained: every session has ended, so the loops are idle.
    for (auto& l : loops) {
      l->ioc.stop();
      l->thread.join();
    }
  }

  const Router& router;
  Limits limits;
  Metrics& metrics;
  const int n_workers;
  std::chrono::steady_clock::duration drain = std::chrono::seconds(10);
  uint16_t bound_port = 0;

  // Sequentially consistent: a session ending reads `stopping` after decrementing `live`, and
  // do_stop() reads `live` after setting `stopping`, so at least one of them sees the other.
  std::atomic<bool> stopping{false};   // set once by the control thread
  std::atomic<bool> abandoned{false};  // set once by the control thread, at the drain deadline
  std::atomic<size_t> live{0};         // sessions running, across all loops
  bool finished = false;               // control thread only

  // Declared before the loops: sessions destroyed with a loop may still post here.
  asio::io_context control{1};
  std::optional<tcp::acceptor> acceptor;           // control
  std::optional<asio::steady_timer> drain_timer;   // control
  std::optional<asio::signal_set> signals;         // control
  std::vector<std::unique_ptr<Loop>> loops;

  asio::io_context pool;
  asio::executor_work_guard<asio::io_context::executor_type> pool_work = asio::make_work_guard(pool);
  std::vector<std::thread> pool_threads;
};

// At least 4: an inline handler that waits on the database (a PostgreSQL round trip) holds its
// I/O thread, so fewer threads would serve fewer requests at once than the old 4 workers did.
int Server::default_io_threads() {
  unsigned n = std::thread::hardware_concurrency();
  return static_cast<int>(std::clamp(n, 4u, 16u));
}

Server::Server(const Router& router, Limits limits, Metrics& metrics, int workers, int io_threads)
    : impl_(std::make_unique<Impl>(router, std::move(limits), metrics, workers, io_threads)) {}

Server::~Server() = default;

Result<void> Server::listen(std::string_view host_port) {
  size_t colon = host_port.rfind(':');
  if (colon == std::string_view::npos) return fail(ErrorKind::unavailable, "Địa chỉ lắng nghe không hợp lệ: " + std::string(host_port));
  std::string host(host_port.substr(0, colon));
  std::string port_text(host_port.substr(colon + 1));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) host = "0.0.0.0";
  error_code ec;
  tcp::resolver resolver(impl_->control);
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

void Server::run(bool handle_signals, std::chrono::seconds drain) { impl_->run(handle_signals, drain); }

void Server::stop() {
  asio::post(impl_->control, [impl = impl_.get()] { impl->do_stop(); });
}

}  // namespace chidoan::http
