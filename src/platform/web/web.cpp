#include "platform/web/web.hpp"

#include <algorithm>
#include <charconv>
#include <iostream>

#include <sodium.h>

#include "platform/auth/audit.hpp"
#include "platform/auth/store.hpp"

namespace chidoan::web {
namespace {

bool unsafe(const std::string& method) { return method != "GET" && method != "HEAD" && method != "OPTIONS"; }

bool same_secret(const std::string& a, const std::string& b) {
  return !a.empty() && a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

// The CSRF token a browser sent: the htmx header, or the hidden form field.
std::string sent_csrf(const http::Request& req) {
  std::string h = req.header("x-csrf-token");
  if (!h.empty()) return h;
  auto ct = req.header("content-type");
  if (ct.starts_with("application/x-www-form-urlencoded") || ct.starts_with("multipart/form-data")) {
    auto form = req.form();
    if (form) return form->get("_csrf");
  }
  return {};
}

std::string lang_of(const http::Request& req, const std::optional<auth::Principal>& user) {
  auto c = req.cookie("lang");
  if (c && (*c == "vi" || *c == "en")) return *c;
  if (user && (user->lang == "vi" || user->lang == "en")) return user->lang;
  return "vi";
}

}  // namespace

db::Connection& Ctx::db() {
  if (!lease_) lease_.emplace(services.pool->acquire());
  return **lease_;
}

Result<void> Ctx::authorize(auth::Action action, const auth::Scope& scope) const {
  if (allows(action, scope)) return {};
  return fail(ErrorKind::forbidden, "Bạn không có quyền thực hiện thao tác này");
}

Result<void> Ctx::audit(std::string_view action, std::string_view entity, std::optional<int64_t> entity_id,
                        const Json& detail) {
  audit::AuditEntry e;
  if (user) {
    e.user_id = user->user_id;
    e.username = user->username;
  }
  e.action = action;
  e.entity = entity;
  e.entity_id = entity_id;
  e.detail_json = detail.dump();
  e.request_id = req.request_id;
  e.ip = req.remote_addr;
  return audit::record(db(), *services.clock, e);
}

http::Handler route(const Services& s, Handler h, Access access) {
  return [&s, h = std::move(h), access](http::Request& req) -> http::Response {
    Ctx ctx(s, req);
    try {
      // A page or an answer that only reads sees one snapshot, sign-in included (the lease's
      // return ends it); a write in a GET (a token's last-use time) ends it before it runs.
      if (req.method == "GET" || req.method == "HEAD") ctx.db().hold_reads();
      auth::AuthStore store(ctx.db(), *s.clock, s.auth);
      std::string authz = req.header("authorization");
      bool cookie_session = false;
      if (authz.starts_with("Bearer ")) {
        auto p = store.token(authz.substr(7));
        if (!p) return http::error_response(req, Error{ErrorKind::unauthenticated, "Mã truy cập không hợp lệ hoặc đã bị thu hồi", ""});
        ctx.user = *p;
      } else if (auto cookie = req.cookie(std::string(auth::kSessionCookie))) {
        auto p = store.session(*cookie);
        if (p) {
          ctx.user = *p;
          cookie_session = true;
        }
      }
      ctx.lang = lang_of(req, ctx.user);
      if (!ctx.user && access == Access::signed_in) {
        if (req.wants_json())
          return http::error_response(req, Error{ErrorKind::unauthenticated, "Cần đăng nhập", ""});
        std::string next = http::url_encode(req.target);
        auto r = http::Response::redirect("/login?next=" + next);
        if (req.is_htmx()) r.header("HX-Redirect", "/login?next=" + next);
        return r;
      }
      if (cookie_session && unsafe(req.method) && !same_secret(sent_csrf(req), ctx.user->csrf_token))
        return fail_page(ctx, Error{ErrorKind::forbidden, "Phiên làm việc không hợp lệ (CSRF). Hãy tải lại trang và thử lại.", "_csrf"});
      return h(ctx);
    } catch (const std::exception& e) {
      std::cerr << "request " << req.request_id << " failed: " << e.what() << "\n";
      return http::error_response(req, Error{ErrorKind::internal, "Lỗi máy chủ (mã yêu cầu: " + req.request_id + ")", ""});
    }
  };
}

std::string site_origin(const Services& s, const http::Request& req) {
  if (!s.public_url.empty()) return s.public_url;
  std::string host = req.header("host");
  bool ok = !host.empty() && host.size() <= 255 && std::ranges::all_of(host, [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':' || c == '[' ||
           c == ']';
  });
  return std::string(req.is_secure() ? "https://" : "http://") + (ok ? host : "localhost");
}

Json page_view(Ctx& ctx, Json view, std::string_view title) {
  Json v = view.is_object() ? std::move(view) : Json{{"data", std::move(view)}};
  v["lang"] = ctx.lang;
  v["lang_" + ctx.lang] = true;
  v["title"] = title.empty() ? ctx.t("app.name") : std::string(title);
  v["path"] = ctx.req.path;
  if (ctx.user) {
    v["me"] = {{"username", ctx.user->username},
               {"display_name", ctx.user->display_name},
               {"role", std::string(auth::role_name(ctx.user->role))},
               {"org_id", ctx.user->org_id}};
    v["csrf"] = ctx.user->csrf_token;
    Json nav = Json::array();
    for (const auto& item : ctx.services.nav) {
      // "{org}" stands for the root of the user's scope.
      std::string href = item.href;
      if (auto pos = href.find("{org}"); pos != std::string::npos) href.replace(pos, 5, std::to_string(ctx.user->org_id));
      bool current = href != "/" && (ctx.req.path == href || ctx.req.path.starts_with(href + "/"));
      nav.push_back({{"label", ctx.t(item.key)}, {"href", href}, {"current", current}});
    }
    // Only the most specific match is current ("/orgs/5/activities" over "/orgs").
    size_t best = 0;
    for (const auto& n : nav)
      if (n["current"] == true) best = std::max(best, n["href"].get<std::string>().size());
    for (auto& n : nav) n["current"] = n["current"] == true && n["href"].get<std::string>().size() == best;
    v["nav"] = nav;
  }
  return v;
}

http::Response respond(Ctx& ctx, std::string_view tmpl, Json view, int status, std::string_view title) {
  if (ctx.req.wants_json()) return http::Response::json(status, view.dump());
  Json v = page_view(ctx, std::move(view), title);
  const auto& r = *ctx.services.renderer;
  std::string body = r.render(tmpl, v, ctx.lang);
  if (ctx.req.is_htmx() && ctx.req.header("hx-target") != "" && ctx.req.header("hx-boosted") != "true")
    return http::Response::html(status, body);
  v["content"] = std::move(body);
  return http::Response::html(status, r.render("layout/page", v, ctx.lang));
}

http::Response done(Ctx& ctx, const std::string& back, const Json& body, int status) {
  if (ctx.req.wants_json()) return http::Response::json(status, body.dump());
  return http::Response::redirect(back);
}

http::Response fail_page(Ctx& ctx, const Error& err) {
  if (ctx.req.wants_json() || ctx.req.is_htmx()) return http::error_response(ctx.req, err);
  Json v{{"error", {{"message", err.message}, {"field", err.field}, {"kind", kind_name(err.kind)}}}};
  return respond(ctx, "layout/error", v, http::status_for(err.kind), ctx.t("error.title"));
}

Result<Json> json_body(const http::Request& req) {
  auto j = Json::parse(req.body, nullptr, false);
  if (j.is_discarded()) return fail(ErrorKind::invalid, "Dữ liệu JSON không hợp lệ", "body");
  if (!j.is_object()) return fail(ErrorKind::invalid, "Nội dung phải là một đối tượng JSON", "body");
  return j;
}

Result<int64_t> int_param(const http::Request& req, std::string_view name, int64_t fallback, int64_t lo, int64_t hi) {
  std::string s = req.query_param(name);
  if (s.empty()) return fallback;
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < lo || v > hi)
    return fail(ErrorKind::invalid, "Tham số \"" + std::string(name) + "\" phải là số từ " + std::to_string(lo) + " đến " + std::to_string(hi),
                std::string(name));
  return v;
}

Result<RawFields> fields(const http::Request& req, std::initializer_list<const char*> names) {
  RawFields out;
  if (req.wants_json()) {
    CHIDOAN_TRY(body, json_body(req));
    for (auto it = body.begin(); it != body.end(); ++it) {
      bool known = false;
      for (const char* n : names) known = known || it.key() == n;
      if (!known) return fail(ErrorKind::invalid, "Trường \"" + it.key() + "\" không được hỗ trợ", it.key());
      if (it->is_string()) out[it.key()] = it->get<std::string>();
      else if (it->is_number_integer()) out[it.key()] = std::to_string(it->get<int64_t>());
      else if (it->is_array()) {
        // A list of ids or words; an object, array, number with a fraction or boolean in it is
        // refused here rather than becoming text a field's check might take for a value.
        std::string joined;
        for (const auto& e : *it) {
          if (!e.is_number_integer() && !e.is_string())
            return fail(ErrorKind::invalid, "Trường \"" + it.key() + "\" sai kiểu dữ liệu", it.key());
          joined += (joined.empty() ? "" : ",") + (e.is_number_integer() ? std::to_string(e.get<int64_t>()) : e.get<std::string>());
        }
        out[it.key()] = joined;
      } else if (!it->is_null()) return fail(ErrorKind::invalid, "Trường \"" + it.key() + "\" sai kiểu dữ liệu", it.key());
    }
    return out;
  }
  CHIDOAN_TRY(form, req.form());
  for (const char* n : names) {
    std::string joined;
    auto [b, e] = form.fields.equal_range(n);
    for (auto it = b; it != e; ++it) joined += (joined.empty() ? "" : ",") + it->second;
    out[n] = joined;
  }
  return out;
}

Result<std::optional<int64_t>> optional_id(const RawFields& f, const std::string& name) {
  auto it = f.find(name);
  if (it == f.end() || it->second.empty()) return std::optional<int64_t>();
  try {
    size_t used = 0;
    int64_t v = std::stoll(it->second, &used);
    if (used == it->second.size() && v > 0) return std::optional<int64_t>(v);
  } catch (...) {
  }
  return fail(ErrorKind::invalid, "Mã số không hợp lệ", name);
}

Result<std::vector<int64_t>> id_list(const std::string& joined, const std::string& field) {
  std::vector<int64_t> ids;
  size_t start = 0;
  while (start < joined.size()) {
    size_t comma = joined.find(',', start);
    std::string part = joined.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    RawFields one{{field, part}};
    CHIDOAN_TRY(id, optional_id(one, field));
    if (id) ids.push_back(*id);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return ids;
}

std::string base64_encode(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), " \r\n",
                        &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
    return std::nullopt;
  out.resize(len);
  return out;
}

}  // namespace chidoan::web
