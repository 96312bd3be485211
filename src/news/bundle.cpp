#include "news/bundle.hpp"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "news/draft.hpp"
#include "news/rules.hpp"
#include "news/store.hpp"
#include "org/bundle.hpp"
#include "platform/core/json_reader.hpp"
#include "platform/core/sniff.hpp"
#include "platform/text/text.hpp"
#include "platform/web/web.hpp"

namespace chidoan::news {
namespace {

using nlohmann::json;
using chidoan::bundle::DumpScope;
using chidoan::bundle::Known;
using chidoan::bundle::Refs;

// A link by natural key: the org's code and two columns of the target's table.
struct LinkKind {
  const char* key;        // "activity"
  const char* table;      // "activities"
  const char* name_col;   // "title"
  const char* start_col;  // "starts_at"
  std::optional<int64_t> Links::*member;
};
constexpr LinkKind kLinkKinds[] = {
    {"activity", "activities", "title", "starts_at", &Links::activity_id},
    {"campaign", "campaigns", "name", "starts_on", &Links::campaign_id},
    {"forum", "idea_forums", "title", "opens_on", &Links::forum_id},
    {"produce_cycle", "produce_cycles", "title", "opens_at", &Links::produce_cycle_id},
};

struct LinkIn {
  const LinkKind* kind = nullptr;
  std::string org, name, start;
};
struct PhotoIn {
  std::string alt, large, small;
  int64_t width = 0, height = 0, small_width = 0, small_height = 0;
};
struct PostIn {
  std::string path, org, state, author_member, note;
  rules::PostInput text;
  std::vector<LinkIn> links;
  int64_t created_at = 0, updated_at = 0;
  std::optional<int64_t> submitted_at, published_at, withdrawn_at;
  std::vector<PhotoIn> photos;
};
struct ConsentIn {
  std::string path, member;
  int64_t given_at = 0;
};
struct SectionIn {
  std::vector<ConsentIn> consents;
  std::vector<PostIn> posts;
};

Error under(const Error& e, const std::string& path) { return Error{e.kind, e.message, e.field.empty() ? path : path + "." + e.field}; }

Result<int64_t> time_of(const JsonReader& r, const char* key) {
  CHIDOAN_TRY(s, r.str(key, true));
  auto t = parse_local_seconds(s);
  if (!t) return fail(ErrorKind::invalid, "thời điểm phải viết dạng YYYY-MM-DDTHH:MM:SS (giờ Việt Nam)", r.path + "." + key);
  return *t;
}

Result<std::optional<int64_t>> opt_time_of(const JsonReader& r, const char* key) {
  CHIDOAN_TRY(s, r.str(key, false));
  if (s.empty()) return std::optional<int64_t>();
  CHIDOAN_TRY(t, time_of(r, key));
  return std::optional<int64_t>(t);
}

Result<std::string> jpeg_of(const JsonReader& r, const char* key) {
  CHIDOAN_TRY(b64, r.str(key, true));
  auto bytes = web::base64_decode(b64);
  if (!bytes || sniff_type(*bytes) != std::optional<std::string_view>("image/jpeg") ||
      static_cast<int64_t>(bytes->size()) > photo::kMaxBytes)
    return fail(ErrorKind::invalid, "phải là một ảnh JPEG viết bằng base64", r.path + "." + key);
  return *bytes;
}

Result<int64_t> positive(const JsonReader& r, const char* key) {
  CHIDOAN_TRY(v, r.integer(key));
  if (v <= 0 || v > 100000) return fail(ErrorKind::invalid, "phải là số dương", r.path + "." + key);
  return v;
}

Result<PostIn> parse_post(const JsonReader& r) {
  CHIDOAN_TRY_VOID(r.only({"org", "title", "summary", "body", "state", "author_member", "activity", "campaign", "forum", "produce_cycle",
                           "created_at", "updated_at", "submitted_at", "published_at", "withdrawn_at", "note", "photos"}));
  PostIn out;
  out.path = r.path;
  CHIDOAN_TRY(org, r.str("org", true));
  out.org = org;
  RawFields raw;
  for (const char* key : {"title", "summary", "body"}) {
    CHIDOAN_TRY(v, r.str(key, std::string_view(key) == "title"));
    raw[key] = v;
  }
  auto text = rules::validate_post(raw);
  if (!text) return std::unexpected(under(text.error(), r.path));
  out.text = *text;
  CHIDOAN_TRY(state, r.str("state", true));
  if (!rules::is_state(state)) return fail(ErrorKind::invalid, "trạng thái là draft, awaiting, published hoặc withdrawn", r.path + ".state");
  out.state = state;
  CHIDOAN_TRY(author, r.str("author_member", false));
  out.author_member = author;
  CHIDOAN_TRY(note, r.str("note", false));
  auto clean = text::clean_field(note, "note", "Ghi chú", rules::kMaxNoteChars, true);
  if (!clean) return std::unexpected(under(clean.error(), r.path));
  out.note = *clean;
  CHIDOAN_TRY(created, time_of(r, "created_at"));
  out.created_at = created;
  CHIDOAN_TRY(updated, time_of(r, "updated_at"));
  out.updated_at = updated;
  CHIDOAN_TRY(submitted, opt_time_of(r, "submitted_at"));
  out.submitted_at = submitted;
  CHIDOAN_TRY(published, opt_time_of(r, "published_at"));
  out.published_at = published;
  CHIDOAN_TRY(withdrawn, opt_time_of(r, "withdrawn_at"));
  out.withdrawn_at = withdrawn;
  if (state == "published" && !published) return fail(ErrorKind::invalid, "bài đã đăng cần thời điểm đăng", r.path + ".published_at");
  if (state == "withdrawn" && !withdrawn) return fail(ErrorKind::invalid, "bài đã gỡ cần thời điểm gỡ", r.path + ".withdrawn_at");
  for (const auto& kind : kLinkKinds) {
    auto it = r.j.find(kind.key);
    if (it == r.j.end() || it->is_null()) continue;
    JsonReader l{r.path + "." + kind.key, *it};
    CHIDOAN_TRY_VOID(l.only({"org", kind.name_col, kind.start_col}));
    LinkIn in{&kind};
    CHIDOAN_TRY(lorg, l.str("org", true));
    CHIDOAN_TRY(name, l.str(kind.name_col, true));
    CHIDOAN_TRY(start, l.str(kind.start_col, true));
    in.org = lorg, in.name = name, in.start = start;
    out.links.push_back(in);
  }
  CHIDOAN_TRY(photos, r.array("photos"));
  if (photos->size() > rules::kMaxPhotos) return fail(ErrorKind::invalid, "quá nhiều ảnh", r.path + ".photos");
  for (size_t i = 0; i < photos->size(); ++i) {
    JsonReader p = r.element("photos", i);
    CHIDOAN_TRY_VOID(p.only({"alt", "width", "height", "large", "small_width", "small_height", "small"}));
    PhotoIn in;
    CHIDOAN_TRY(alt, p.str("alt", true));
    auto a = rules::validate_alt(alt);
    if (!a) return std::unexpected(under(a.error(), p.path));
    in.alt = *a;
    CHIDOAN_TRY(w, positive(p, "width"));
    CHIDOAN_TRY(h, positive(p, "height"));
    CHIDOAN_TRY(sw, positive(p, "small_width"));
    CHIDOAN_TRY(sh, positive(p, "small_height"));
    in.width = w, in.height = h, in.small_width = sw, in.small_height = sh;
    CHIDOAN_TRY(large, jpeg_of(p, "large"));
    CHIDOAN_TRY(small, jpeg_of(p, "small"));
    for (auto [bytes, pw, pwh, key] : {std::tuple{&large, w, h, "large"}, std::tuple{&small, sw, sh, "small"}}) {
      auto stored = photo::check_stored(*bytes, pw, pwh);
      if (!stored) return fail(ErrorKind::invalid, stored.error().message, p.path + "." + key);
    }
    in.large = std::move(large), in.small = std::move(small);
    out.photos.push_back(std::move(in));
  }
  return out;
}

Result<SectionIn> parse(const json& section) {
  JsonReader top{"$.news", section};
  CHIDOAN_TRY_VOID(top.only({"consents", "posts"}));
  SectionIn out;
  CHIDOAN_TRY(consents, top.array("consents"));
  std::set<std::string> seen;
  for (size_t i = 0; i < consents->size(); ++i) {
    JsonReader c = top.element("consents", i);
    CHIDOAN_TRY_VOID(c.only({"member", "given_at"}));
    CHIDOAN_TRY(member, c.str("member", true));
    if (!seen.insert(member).second) return fail(ErrorKind::invalid, "đoàn viên được ghi hai lần", c.path + ".member");
    CHIDOAN_TRY(t, time_of(c, "given_at"));
    out.consents.push_back({c.path, member, t});
  }
  CHIDOAN_TRY(posts, top.array("posts"));
  for (size_t i = 0; i < posts->size(); ++i) {
    CHIDOAN_TRY(p, parse_post(top.element("posts", i)));
    out.posts.push_back(std::move(p));
  }
  return out;
}

// ---- validate / load / dump ----------------------------------------------------------------

Result<void> validate(db::Connection& conn, const json& section, const Known& known) {
  CHIDOAN_TRY(in, parse(section));
  for (const auto& c : in.consents)
    if (!known.member_refs.contains(c.member)) return fail(ErrorKind::invalid, "đoàn viên không có trong bundle: " + c.member, c.path + ".member");
  for (const auto& p : in.posts) {
    if (!known.org_codes.contains(p.org)) CHIDOAN_TRY_VOID(org::bundle::org_ref(conn, {}, p.org, p.path + ".org"));
    if (!p.author_member.empty() && !known.member_refs.contains(p.author_member))
      return fail(ErrorKind::invalid, "đoàn viên không có trong bundle: " + p.author_member, p.path + ".author_member");
  }
  return {};
}

Result<void> load(db::Connection& conn, const Clock& clock, const json& section, const Refs& refs) {
  CHIDOAN_TRY(in, parse(section));
  for (const auto& c : in.consents)
    CHIDOAN_TRY_VOID(conn.execute("INSERT INTO news_consents (member_id, given_at) VALUES (?1, ?2) ON CONFLICT (member_id) DO NOTHING",
                                  {refs.members.at(c.member), c.given_at}));
  for (const auto& p : in.posts) {
    CHIDOAN_TRY(org, org::bundle::org_ref(conn, refs, p.org, p.path + ".org"));
    Links links;
    for (const auto& l : p.links) {
      CHIDOAN_TRY(lorg, org::bundle::org_ref(conn, refs, l.org, p.path + "." + l.kind->key + ".org"));
      CHIDOAN_TRY(row, conn.query_one(std::string("SELECT id FROM ") + l.kind->table + " WHERE org_id = ?1 AND " + l.kind->name_col +
                                          " = ?2 AND " + l.kind->start_col + " = ?3 ORDER BY id LIMIT 1",
                                      {lorg, l.name, l.start}));
      if (!row) return fail(ErrorKind::invalid, "không tìm thấy: " + l.name, p.path + "." + l.kind->key);
      links.*(l.kind->member) = row->i64(0);
    }
    auto checked = check_links(conn, org, links);
    if (!checked) {
      // check_links names the form's field ("activity_id"); the bundle's is the link's key.
      Error e = checked.error();
      for (const auto& kind : kLinkKinds)
        if (e.field == std::string(kind.key) + "_id") e.field = kind.key;
      return std::unexpected(under(e, p.path));
    }
    std::optional<int64_t> author;
    if (!p.author_member.empty()) author = refs.members.at(p.author_member);
    CHIDOAN_TRY(id, conn.insert_id("INSERT INTO news_posts (org_id, title, summary, body, state, author_member_id, activity_id, campaign_id, "
                                   "forum_id, produce_cycle_id, created_at, updated_at, submitted_at, published_at, withdrawn_at, note) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16) RETURNING id",
                                   {org, p.text.title, p.text.summary, p.text.body, p.state, db::nullable(author),
                                    db::nullable(links.activity_id), db::nullable(links.campaign_id), db::nullable(links.forum_id),
                                    db::nullable(links.produce_cycle_id), p.created_at, p.updated_at, db::nullable(p.submitted_at),
                                    db::nullable(p.published_at), db::nullable(p.withdrawn_at), p.note}));
    // A published post goes public at once: the same check as publishing (consents above count).
    if (p.state == "published") {
      std::vector<std::pair<std::string, std::string>> texts{{"title", p.text.title}, {"summary", p.text.summary}, {"body", p.text.body}};
      for (const auto& ph : p.photos) texts.emplace_back("alt", ph.alt);
      CHIDOAN_TRY(names, Store(conn, clock).unconsented_names(rules::name_candidates(texts)));
      auto ok = rules::check_publishable(rules::personal_data(texts, names));
      if (!ok) return fail(ErrorKind::invalid, ok.error().message, p.path + "." + ok.error().field);
    }
    int64_t position = 0;
    for (const auto& ph : p.photos)
      CHIDOAN_TRY_VOID(conn.execute("INSERT INTO news_photos (post_id, position, alt, width, height, large, small_width, small_height, small, "
                                    "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                                    {id, ++position, ph.alt, ph.width, ph.height, ph.large, ph.small_width, ph.small_height, ph.small,
                                     p.created_at}));
  }
  return Store(conn, clock).bump_epoch();
}

json opt_time(const std::optional<int64_t>& t) { return t ? json(local_seconds(*t)) : json(nullptr); }

Result<json> dump(db::Connection& conn, const Clock& clock, const DumpScope& scope) {
  Store store(conn, clock);
  CHIDOAN_TRY(consent_rows, conn.query("SELECT member_id, given_at FROM news_consents"));
  std::vector<std::pair<std::string, int64_t>> consents;
  for (const auto& r : consent_rows)
    if (auto it = scope.member_refs.find(r.i64(0)); it != scope.member_refs.end()) consents.emplace_back(it->second, r.i64(1));
  std::sort(consents.begin(), consents.end());
  json jc = json::array();
  for (const auto& [ref, t] : consents) jc.push_back({{"member", ref}, {"given_at", local_seconds(t)}});

  CHIDOAN_TRY(rows, conn.query("SELECT p.id FROM news_posts p JOIN orgs o ON o.id = p.org_id WHERE o.path LIKE ?1 ORDER BY p.id",
                               {scope.root_path + "%"}));
  json jp = json::array();
  for (const auto& row : rows) {
    CHIDOAN_TRY(p, store.post(row.i64(0)));
    json post{{"org", scope.org_codes.at(p.org_id)},
              {"title", p.title},
              {"summary", p.summary},
              {"body", p.body},
              {"state", p.state},
              {"author_member", nullptr},
              {"created_at", local_seconds(p.created_at)},
              {"updated_at", local_seconds(p.updated_at)},
              {"submitted_at", opt_time(p.submitted_at)},
              {"published_at", opt_time(p.published_at)},
              {"withdrawn_at", opt_time(p.withdrawn_at)},
              {"note", p.note}};
    if (p.author_member_id)
      if (auto it = scope.member_refs.find(*p.author_member_id); it != scope.member_refs.end()) post["author_member"] = it->second;
    for (const auto& kind : kLinkKinds) {
      post[kind.key] = nullptr;
      const auto& id = p.links.*(kind.member);
      if (!id) continue;
      CHIDOAN_TRY(t, conn.query_one(std::string("SELECT org_id, ") + kind.name_col + ", " + kind.start_col + " FROM " + kind.table + " WHERE id = ?1",
                                    {*id}));
      if (t && scope.org_codes.contains(t->i64(0)))
        post[kind.key] = {{"org", scope.org_codes.at(t->i64(0))}, {kind.name_col, t->str(1)}, {kind.start_col, t->str(2)}};
    }
    CHIDOAN_TRY(photos, conn.query("SELECT alt, width, height, large, small_width, small_height, small FROM news_photos WHERE post_id = ?1 "
                                   "ORDER BY position, id",
                                   {p.id}));
    json jph = json::array();
    for (const auto& ph : photos)
      jph.push_back({{"alt", ph.str(0)},
                     {"width", ph.i64(1)},
                     {"height", ph.i64(2)},
                     {"large", web::base64_encode(ph.str(3))},
                     {"small_width", ph.i64(4)},
                     {"small_height", ph.i64(5)},
                     {"small", web::base64_encode(ph.str(6))}});
    post["photos"] = jph;
    jp.push_back(std::move(post));
  }
  if (jc.empty() && jp.empty()) return json(nullptr);
  return json{{"consents", jc}, {"posts", jp}};
}

}  // namespace

chidoan::bundle::Section bundle_section() { return {"news", validate, load, dump}; }

}  // namespace chidoan::news
