// Request, Response, Cookie and Form helpers; URL and HTML encoding.
#include <algorithm>
#include <atomic>
#include <charconv>
#include <random>

#include "platform/http/http.hpp"
#include "platform/http/internal.hpp"

namespace chidoan::http {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string url_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%' && i + 2 < s.size()) {
      int hi = hex_value(s[i + 1]);
      int lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
      out.push_back(c);  // a stray '%' stays as sent
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string url_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3);
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::multimap<std::string, std::string> parse_query(std::string_view q) {
  std::multimap<std::string, std::string> out;
  while (!q.empty()) {
    size_t amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view{} : q.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string_view key = pair.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    if (key.empty()) continue;
    out.emplace(url_decode(key, true), url_decode(value, true));
  }
  return out;
}

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string json_escape(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size() + 8);
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '<': out += "\\u003c"; break;  // safe to embed in a <script> block
      default:
        if (c < 0x20) {
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 15]);
        } else {
          out.push_back(ch);
        }
    }
  }
  return out;
}

std::string new_request_id() {
  // A bijective mix (splitmix64 finaliser) of seed + counter: unique for 2^64 requests,
  // and not guessable from the previous id without the per-process seed.
  static const uint64_t seed = [] {
    std::random_device rd;
    return (uint64_t{rd()} << 32) ^ rd();
  }();
  static std::atomic<uint64_t> counter{0};
  uint64_t z = seed + counter.fetch_add(1, std::memory_order_relaxed) * 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z = z ^ (z >> 31);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(16, '0');
  for (int i = 15; i >= 0; --i) {
    id[static_cast<size_t>(i)] = kHex[z & 15];
    z >>= 4;
  }
  return id;
}

// --- Form ----------------------------------------------------------------------------------

std::string Form::get(std::string_view name) const {
  auto it = fields.find(std::string(name));
  return it == fields.end() ? std::string{} : it->second;
}

bool Form::has(std::string_view name) const { return fields.contains(std::string(name)); }

const FilePart* Form::file(std::string_view field) const {
  for (const auto& f : files)
    if (f.field == field) return &f;
  return nullptr;
}

// --- Request -------------------------------------------------------------------------------

std::string Request::header(std::string_view name) const {
  auto it = headers.find(std::string(name));
  return it == headers.end() ? std::string{} : it->second;
}

std::optional<std::string> Request::cookie(std::string_view name) const {
  auto it = headers.find("cookie");
  if (it == headers.end()) return std::nullopt;
  std::string_view rest = it->second;
  while (!rest.empty()) {
    size_t semi = rest.find(';');
    std::string_view pair = trim(rest.substr(0, semi));
    rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    if (trim(pair.substr(0, eq)) != name) continue;
    std::string_view value = trim(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    return std::string(value);
  }
  return std::nullopt;
}

std::string Request::query_param(std::string_view name) const {
  auto it = query.find(std::string(name));
  return it == query.end() ? std::string{} : it->second;
}

int64_t Request::param_int(std::string_view name) const {
  auto it = params.find(std::string(name));
  if (it == params.end()) return 0;
  int64_t v = 0;
  const std::string& s = it->second;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size()) return 0;
  return v;
}

Result<Form> Request::form() const {
  std::string ct = header("content-type");
  std::string type = lower(trim(std::string_view(ct).substr(0, ct.find(';'))));
  if (type == "application/x-www-form-urlencoded") {
    Form f;
    f.fields = parse_query(body);
    return f;
  }
  if (type == "multipart/form-data") return parse_multipart(body, ct);
  if (type.empty() && body.empty()) return Form{};
  return fail(ErrorKind::invalid, kBadForm);
}

bool Request::wants_json() const {
  if (path.starts_with("/api/")) return true;
  std::string accept = header("accept");
  return accept.find("application/json") != std::string::npos &&
         accept.find("text/html") == std::string::npos;
}

bool Request::is_htmx() const { return header("hx-request") == "true"; }

bool Request::is_secure() const { return lower(header("x-forwarded-proto")) == "https"; }

// --- Cookie --------------------------------------------------------------------------------

std::string Cookie::serialize() const {
  std::string out = name + "=" + value;
  if (!path.empty()) out += "; Path=" + path;
  if (max_age) {
    out += "; Max-Age=" + std::to_string(*max_age);
    if (*max_age <= 0) out += "; Expires=Thu, 01 Jan 1970 00:00:00 GMT";
  }
  if (http_only) out += "; HttpOnly";
  // Browsers reject SameSite=None without Secure.
  if (secure || same_site == "None") out += "; Secure";
  if (!same_site.empty()) out += "; SameSite=" + same_site;
  return out;
}

// --- Response ------------------------------------------------------------------------------

Response& Response::header(std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

Response& Response::set_cookie(const Cookie& c) { return header("Set-Cookie", c.serialize()); }

Response Response::text(int status, std::string body, std::string content_type) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.headers.emplace_back("Content-Type", std::move(content_type));
  return r;
}

Response Response::html(int status, std::string body) {
  return text(status, std::move(body), "text/html; charset=utf-8");
}

Response Response::json(int status, std::string body) {
  return text(status, std::move(body), "application/json");
}

Response Response::redirect(std::string location, int status) {
  Response r;
  r.status = status;
  r.headers.emplace_back("Location", std::move(location));
  return r;
}

std::string client_address(std::string_view peer, std::string_view forwarded, const std::vector<std::string>& trusted) {
  // A server listening on "::" sees IPv4 peers as "::ffff:127.0.0.1".
  if (peer.starts_with("::ffff:") && peer.find('.') != std::string_view::npos) peer.remove_prefix(7);
  auto is_trusted = [&](std::string_view a) { return std::find(trusted.begin(), trusted.end(), a) != trusted.end(); };
  if (!is_trusted(peer) || forwarded.empty()) return std::string(peer);
  auto is_ip = [](std::string_view a) {
    return !a.empty() && a.size() <= 45 && std::all_of(a.begin(), a.end(), [](char c) {
      return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.' || c == ':';
    });
  };
  std::string_view rest = forwarded;
  while (!rest.empty()) {
    size_t comma = rest.rfind(',');
    std::string_view entry = comma == std::string_view::npos ? rest : rest.substr(comma + 1);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
    while (!entry.empty() && (entry.front() == ' ' || entry.front() == '\t')) entry.remove_prefix(1);
    while (!entry.empty() && (entry.back() == ' ' || entry.back() == '\t')) entry.remove_suffix(1);
    // Not an address ("unknown", a port, garbage): the client is unknown — never the proxy's own
    // address, which would pass for local and share one throttle bucket with everyone.
    if (!is_ip(entry)) return "unknown";
    if (!is_trusted(entry)) return std::string(entry);
  }
  return std::string(peer);
}

}  // namespace chidoan::http
