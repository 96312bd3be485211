#include "ideas/bundle.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "ideas/rules.hpp"
#include "ideas/store.hpp"
#include "org/bundle.hpp"
#include "platform/core/json_reader.hpp"

namespace chidoan::ideas {
namespace {

using nlohmann::json;
using chidoan::bundle::DumpScope;
using chidoan::bundle::Known;
using chidoan::bundle::Refs;

// ---- The section, parsed and checked (no database) ------------------------------------------

struct AuthorIn {
  std::string member, role, status;
  int64_t requested_at = 0;
  std::optional<int64_t> accepted_at;
};
struct EventIn {
  int64_t at = 0;
  std::optional<std::string> from;
  std::string to, by, note;
};
struct SupportIn {
  std::string member;
  int64_t at = 0;
};
struct IdeaIn {
  std::string path;
  Store::IdeaRecord record;
  std::vector<AuthorIn> authors;
  std::vector<EventIn> events;
  std::vector<SupportIn> supports;
};
struct MentorIn {
  std::string user, title;
};
struct ForumIn {
  std::string path, org, activity_title, activity_starts_at;
  rules::ForumInput in;
  std::vector<MentorIn> mentors;
  std::vector<IdeaIn> ideas;
};

// A rules error re-labelled under the JSON path of the object it is about.
Error under(const Error& e, const std::string& path) { return Error{e.kind, e.message, e.field.empty() ? path : path + "." + e.field}; }
template <typename T>
Result<T> at(Result<T> r, const std::string& path) {
  if (!r) return std::unexpected(Error{r.error().kind, r.error().message, path});
  return r;
}

Result<int64_t> time_of(const JsonReader& r, const char* key) {
  CHIDOAN_TRY(s, r.str(key, true));
  return rules::parse_local_seconds(s, r.path + "." + key);
}

Result<std::optional<int64_t>> opt_time_of(const JsonReader& r, const char* key) {
  CHIDOAN_TRY(s, r.str(key, false));
  if (s.empty()) return std::optional<int64_t>();
  CHIDOAN_TRY(t, rules::parse_local_seconds(s, r.path + "." + key));
  return std::optional<int64_t>(t);
}

Result<IdeaIn> parse_idea(const JsonReader& r) {
  CHIDOAN_TRY_VOID(r.only({"title", "problem", "proposal", "benefit", "state", "answer", "outcome", "implemented_on", "hidden", "authors", "events",
                           "supports"}));
  IdeaIn out;
  out.path = r.path;
  RawFields raw;
  for (const char* key : {"title", "problem", "proposal", "benefit"}) {
    CHIDOAN_TRY(v, r.str(key, std::string_view(key) == "title"));
    raw[key] = v;
  }
  auto text = rules::validate_idea(raw);
  if (!text) return std::unexpected(under(text.error(), r.path));
  Store::IdeaRecord& rec = out.record;
  rec.text = *text;
  CHIDOAN_TRY(state, r.str("state", true));
  rec.state = state;
  CHIDOAN_TRY(answer, r.str("answer", false));
  CHIDOAN_TRY(answer_clean, at(rules::clean_text(answer, "answer", "Câu trả lời", rules::kMaxAnswerChars, true), r.path + ".answer"));
  rec.answer = answer_clean;
  CHIDOAN_TRY(outcome, r.str("outcome", false));
  CHIDOAN_TRY(outcome_clean, at(rules::clean_text(outcome, "outcome", "Kết quả", rules::kMaxAnswerChars, true), r.path + ".outcome"));
  rec.outcome = outcome_clean;
  CHIDOAN_TRY(on, r.date("implemented_on", false));
  if (!on.empty()) rec.implemented_on = on;
  auto checked = rules::check_record(rec.state, rec.answer, rec.outcome, rec.implemented_on);
  if (!checked) return std::unexpected(under(checked.error(), r.path));
  CHIDOAN_TRY(hidden, r.boolean("hidden"));
  rec.hidden = hidden;

  CHIDOAN_TRY(authors, r.array("authors"));
  std::set<std::string> seen;
  int first_authors = 0;
  for (size_t i = 0; i < authors->size(); ++i) {
    JsonReader a = r.element("authors", i);
    CHIDOAN_TRY_VOID(a.only({"member", "role", "status", "requested_at", "accepted_at"}));
    AuthorIn in;
    CHIDOAN_TRY(member, a.str("member", true));
    in.member = member;
    if (!seen.insert(member).second) return fail(ErrorKind::invalid, "đoàn viên được ghi hai lần", a.path + ".member");
    CHIDOAN_TRY(role, a.str("role", true));
    if (role != "author" && role != "coauthor") return fail(ErrorKind::invalid, "vai trò là author hoặc coauthor", a.path + ".role");
    in.role = role;
    CHIDOAN_TRY(status, a.str("status", true));
    if (status != "requested" && status != "accepted") return fail(ErrorKind::invalid, "trạng thái là requested hoặc accepted", a.path + ".status");
    if (role == "author" && status != "accepted") return fail(ErrorKind::invalid, "tác giả chính luôn ở trạng thái accepted", a.path + ".status");
    in.status = status;
    CHIDOAN_TRY(requested, time_of(a, "requested_at"));
    in.requested_at = requested;
    CHIDOAN_TRY(accepted, opt_time_of(a, "accepted_at"));
    in.accepted_at = accepted;
    if (role == "author") ++first_authors;
    out.authors.push_back(in);
  }
  if (first_authors != 1) return fail(ErrorKind::invalid, "mỗi ý tưởng có đúng một tác giả chính (role author)", r.path + ".authors");

  CHIDOAN_TRY(events, r.array("events"));
  for (size_t i = 0; i < events->size(); ++i) {
    JsonReader e = r.element("events", i);
    CHIDOAN_TRY_VOID(e.only({"at", "from", "to", "by", "note"}));
    EventIn in;
    CHIDOAN_TRY(t, time_of(e, "at"));
    in.at = t;
    if (!out.events.empty() && t < out.events.back().at) return fail(ErrorKind::invalid, "các sự kiện phải theo thứ tự thời gian", e.path + ".at");
    CHIDOAN_TRY(from, e.str("from", false));
    if (!from.empty()) {
      if (!rules::is_state(from)) return fail(ErrorKind::invalid, "trạng thái không hợp lệ: " + from, e.path + ".from");
      in.from = from;
    }
    CHIDOAN_TRY(to, e.str("to", true));
    if (!rules::is_state(to)) return fail(ErrorKind::invalid, "trạng thái không hợp lệ: " + to, e.path + ".to");
    in.to = to;
    CHIDOAN_TRY(by, e.str("by", false));
    in.by = by;
    CHIDOAN_TRY(note, e.str("note", false));
    CHIDOAN_TRY(note_clean, at(rules::clean_text(note, "note", "Ghi chú", rules::kMaxAnswerChars, true), e.path + ".note"));
    in.note = note_clean;
    out.events.push_back(in);
  }
  if (!out.events.empty() && out.events.back().to != rec.state)
    return fail(ErrorKind::invalid, "trạng thái của ý tưởng phải là trạng thái của sự kiện cuối cùng", r.path + ".state");

  CHIDOAN_TRY(supports, r.array("supports"));
  std::set<std::string> supporters;
  for (size_t i = 0; i < supports->size(); ++i) {
    JsonReader s = r.element("supports", i);
    CHIDOAN_TRY_VOID(s.only({"member", "at"}));
    SupportIn in;
    CHIDOAN_TRY(member, s.str("member", true));
    if (!supporters.insert(member).second) return fail(ErrorKind::invalid, "mỗi đoàn viên ủng hộ một ý tưởng một lần", s.path + ".member");
    in.member = member;
    CHIDOAN_TRY(t, time_of(s, "at"));
    in.at = t;
    out.supports.push_back(in);
  }
  return out;
}

Result<ForumIn> parse_forum(const JsonReader& r) {
  CHIDOAN_TRY_VOID(r.only({"org", "title", "description", "kind", "held_on", "opens_on", "closes_on", "post_scope", "support_scope",
                           "support_threshold", "self_support", "activity", "mentors", "ideas"}));
  ForumIn out;
  out.path = r.path;
  CHIDOAN_TRY(org, r.str("org", true));
  out.org = org;
  RawFields raw;
  for (const char* key : {"title", "description", "kind", "held_on", "opens_on", "closes_on", "post_scope", "support_scope"}) {
    CHIDOAN_TRY(v, r.str(key, false));
    raw[key] = v;
  }
  CHIDOAN_TRY(threshold, r.integer("support_threshold"));
  raw["support_threshold"] = std::to_string(threshold);
  CHIDOAN_TRY(self, r.boolean("self_support"));
  raw["self_support"] = self ? "1" : "0";
  auto in = rules::validate_forum(raw);
  if (!in) return std::unexpected(under(in.error(), r.path));
  out.in = *in;
  if (auto it = r.j.find("activity"); it != r.j.end() && !it->is_null()) {
    JsonReader a{r.path + ".activity", *it};
    CHIDOAN_TRY_VOID(a.only({"title", "starts_at"}));
    CHIDOAN_TRY(title, a.str("title", true));
    CHIDOAN_TRY(starts, a.str("starts_at", true));
    out.activity_title = title;
    out.activity_starts_at = starts;
  }
  CHIDOAN_TRY(mentors, r.array("mentors"));
  for (size_t i = 0; i < mentors->size(); ++i) {
    JsonReader m = r.element("mentors", i);
    CHIDOAN_TRY_VOID(m.only({"user", "title"}));
    CHIDOAN_TRY(user, m.str("user", true));
    CHIDOAN_TRY(title, m.str("title", false));
    CHIDOAN_TRY(clean, at(rules::clean_text(title, "title", "Giới thiệu", rules::kMaxMentorTitleChars, false), m.path + ".title"));
    out.mentors.push_back({user, clean});
  }
  CHIDOAN_TRY(ideas, r.array("ideas"));
  for (size_t i = 0; i < ideas->size(); ++i) {
    CHIDOAN_TRY(idea, parse_idea(r.element("ideas", i)));
    out.ideas.push_back(std::move(idea));
  }
  return out;
}

Result<std::vector<ForumIn>> parse(const json& section) {
  JsonReader top{"$.ideas", section};
  CHIDOAN_TRY_VOID(top.only({"forums"}));
  CHIDOAN_TRY(forums, top.array("forums"));
  std::vector<ForumIn> out;
  for (size_t i = 0; i < forums->size(); ++i) {
    CHIDOAN_TRY(f, parse_forum(top.element("forums", i)));
    out.push_back(std::move(f));
  }
  return out;
}

// ---- validate / load / dump ----------------------------------------------------------------

Result<void> validate(db::Connection& conn, const json& section, const Known& known) {
  CHIDOAN_TRY(forums, parse(section));
  for (const auto& f : forums) {
    if (!known.org_codes.contains(f.org)) CHIDOAN_TRY_VOID(org::bundle::org_ref(conn, {}, f.org, f.path + ".org"));
    for (const auto& i : f.ideas) {
      for (size_t k = 0; k < i.authors.size(); ++k)
        if (!known.member_refs.contains(i.authors[k].member))
          return fail(ErrorKind::invalid, "đoàn viên không có trong bundle: " + i.authors[k].member,
                      i.path + ".authors[" + std::to_string(k) + "].member");
      for (size_t k = 0; k < i.supports.size(); ++k)
        if (!known.member_refs.contains(i.supports[k].member))
          return fail(ErrorKind::invalid, "đoàn viên không có trong bundle: " + i.supports[k].member,
                      i.path + ".supports[" + std::to_string(k) + "].member");
    }
  }
  return {};
}

Result<void> load(db::Connection& conn, const Clock& clock, const json& section, const Refs& refs) {
  CHIDOAN_TRY(forums, parse(section));
  Store store(conn, clock);
  std::map<std::string, std::optional<int64_t>> users;
  auto user = [&](const std::string& username) -> Result<std::optional<int64_t>> {
    if (username.empty()) return std::optional<int64_t>();
    if (auto it = users.find(username); it != users.end()) return it->second;
    CHIDOAN_TRY(r, conn.query_one("SELECT id FROM users WHERE username = ?1", {username}));
    return users[username] = r ? std::optional<int64_t>(r->i64(0)) : std::nullopt;
  };
  for (const auto& f : forums) {
    CHIDOAN_TRY(org, org::bundle::org_ref(conn, refs, f.org, f.path + ".org"));
    rules::ForumInput in = f.in;
    if (!f.activity_title.empty()) {
      CHIDOAN_TRY(row, conn.query_one("SELECT id FROM activities WHERE org_id = ?1 AND title = ?2 AND starts_at = ?3",
                                      {org, f.activity_title, f.activity_starts_at}));
      if (!row) return fail(ErrorKind::invalid, "không có hoạt động: " + f.activity_title, f.path + ".activity");
      in.activity_id = row->i64(0);
    }
    CHIDOAN_TRY(forum, store.create_forum(org, in));
    for (const auto& m : f.mentors) {
      CHIDOAN_TRY(uid, user(m.user));
      if (uid) CHIDOAN_TRY_VOID(store.put_mentor(forum, *uid, m.title));
    }
    for (const auto& i : f.ideas) {
      Store::IdeaRecord rec = i.record;
      rec.created_at = i.events.empty() ? clock.unix_seconds() : i.events.front().at;
      rec.updated_at = i.events.empty() ? rec.created_at : i.events.back().at;
      for (const auto& e : i.events)
        if (e.to == "submitted" && !rec.submitted_at) rec.submitted_at = e.at;
      auto id = store.insert_idea(forum, rec);
      if (!id) return std::unexpected(under(id.error(), i.path));
      for (const auto& a : i.authors)
        CHIDOAN_TRY_VOID(store.insert_author(*id, Author{refs.members.at(a.member), "", a.role, a.status, a.requested_at, a.accepted_at}));
      for (const auto& e : i.events) {
        CHIDOAN_TRY(by, user(e.by));
        CHIDOAN_TRY_VOID(store.insert_event(*id, Event{0, *id, e.at, e.from, e.to, by, "", e.note}));
      }
      for (const auto& s : i.supports) CHIDOAN_TRY_VOID(store.insert_support(*id, refs.members.at(s.member), s.at));
    }
  }
  return {};
}

json opt_text(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

Result<json> dump_idea(db::Connection& conn, Store& store, int64_t idea_id, const DumpScope& scope) {
  CHIDOAN_TRY(i, store.idea(idea_id));
  auto ref = [&](int64_t member) -> std::optional<std::string> {
    auto it = scope.member_refs.find(member);
    return it == scope.member_refs.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  // Authors: the author first, then co-authors by request time and ref.
  std::vector<std::tuple<int, int64_t, std::string, const Author*>> authors;
  for (const auto& a : i.authors) {
    auto r = ref(a.member_id);
    if (!r) {
      if (a.role == "author") return json(nullptr);
      continue;
    }
    authors.emplace_back(a.role == "author" ? 0 : 1, a.requested_at, *r, &a);
  }
  std::sort(authors.begin(), authors.end(), [](const auto& x, const auto& y) {
    return std::tie(std::get<0>(x), std::get<1>(x), std::get<2>(x)) < std::tie(std::get<0>(y), std::get<1>(y), std::get<2>(y));
  });
  json ja = json::array();
  for (const auto& [rank, requested, r, a] : authors)
    ja.push_back({{"member", r},
                  {"role", a->role},
                  {"status", a->status},
                  {"requested_at", rules::local_seconds(a->requested_at)},
                  {"accepted_at", a->accepted_at ? json(rules::local_seconds(*a->accepted_at)) : json(nullptr)}});
  CHIDOAN_TRY(events, conn.query("SELECT e.at, e.from_state, e.to_state, u.username, e.note FROM idea_events e LEFT JOIN users u ON u.id = e.user_id "
                                 "WHERE e.idea_id = ?1 ORDER BY e.at, e.id",
                                 {idea_id}));
  json je = json::array();
  for (const auto& e : events)
    je.push_back({{"at", rules::local_seconds(e.i64(0))}, {"from", opt_text(e.opt_str(1))}, {"to", e.str(2)}, {"by", opt_text(e.opt_str(3))}, {"note", e.str(4)}});
  CHIDOAN_TRY(supports, conn.query("SELECT member_id, at FROM idea_supports WHERE idea_id = ?1", {idea_id}));
  std::vector<std::pair<int64_t, std::string>> sorted;
  for (const auto& s : supports)
    if (auto r = ref(s.i64(0))) sorted.emplace_back(s.i64(1), *r);
  std::sort(sorted.begin(), sorted.end());
  json js = json::array();
  for (const auto& [t, r] : sorted) js.push_back({{"member", r}, {"at", rules::local_seconds(t)}});
  return json{{"title", i.title},
              {"problem", i.problem},
              {"proposal", i.proposal},
              {"benefit", i.benefit},
              {"state", i.state},
              {"answer", i.answer},
              {"outcome", i.outcome},
              {"implemented_on", opt_text(i.implemented_on)},
              {"hidden", i.hidden},
              {"authors", ja},
              {"events", je},
              {"supports", js}};
}

Result<json> dump(db::Connection& conn, const Clock& clock, const DumpScope& scope) {
  CHIDOAN_TRY(rows, conn.query("SELECT f.id FROM idea_forums f JOIN orgs o ON o.id = f.org_id WHERE o.path LIKE ?1 ORDER BY f.id",
                               {scope.root_path + "%"}));
  Store store(conn, clock);
  json out = json::array();
  for (const auto& row : rows) {
    CHIDOAN_TRY(f, store.forum(row.i64(0)));
    json activity = nullptr;
    if (f.activity_id) {
      CHIDOAN_TRY(act, conn.query_one("SELECT title, starts_at FROM activities WHERE id = ?1", {*f.activity_id}));
      if (act) activity = {{"title", act->str(0)}, {"starts_at", act->str(1)}};
    }
    CHIDOAN_TRY(mentors, conn.query("SELECT u.username, m.title FROM idea_mentors m JOIN users u ON u.id = m.user_id WHERE m.forum_id = ?1 ORDER BY u.username",
                                    {f.id}));
    json jm = json::array();
    for (const auto& m : mentors) jm.push_back({{"user", m.str(0)}, {"title", m.str(1)}});
    CHIDOAN_TRY(ideas, conn.query("SELECT id FROM ideas WHERE forum_id = ?1 ORDER BY created_at, id", {f.id}));
    json ji = json::array();
    for (const auto& i : ideas) {
      CHIDOAN_TRY(one, dump_idea(conn, store, i.i64(0), scope));
      if (!one.is_null()) ji.push_back(std::move(one));
    }
    out.push_back({{"org", scope.org_codes.at(f.org_id)},
                   {"title", f.title},
                   {"description", f.description},
                   {"kind", f.kind},
                   {"held_on", opt_text(f.held_on)},
                   {"opens_on", f.opens_on},
                   {"closes_on", opt_text(f.closes_on)},
                   {"post_scope", f.post_scope},
                   {"support_scope", f.support_scope},
                   {"support_threshold", f.support_threshold},
                   {"self_support", f.self_support},
                   {"activity", activity},
                   {"mentors", jm},
                   {"ideas", ji}});
  }
  if (out.empty()) return json(nullptr);
  return json{{"forums", std::move(out)}};
}

}  // namespace

chidoan::bundle::Section bundle_section() { return {"ideas", validate, load, dump}; }

}  // namespace chidoan::ideas
