// The web-security properties of the issue, each with a test of its own, end to end through the
// whole application on both engines: the routes in process (Router::dispatch) and, where the
// server adds to the answer itself (headers, body limits, the decoding of the path), over TCP to
// a real http::Server. Where a property is also tested at a lower level, the test here says so.
//
// Most tests are generated from router.routes(), so a new route is checked without a new line.
#include <utility>  // before Asio's awaitable header (Boost 1.74 + g++ 12)

// Beast 1.74's response parser trips a false -Wmaybe-uninitialized (boost::optional) under
// -fsanitize builds; it is in Boost's code, inlined here.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <gtest/gtest.h>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "app/server.hpp"
#include "platform/auth/store.hpp"
#include "tests/support/http_support.hpp"
#include "tests/support/live_server.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/route_needs.hpp"
#include "tests/support/world_test.hpp"

namespace chidoan::app {
namespace {

namespace bhttp = boost::beast::http;
using chidoan::testing::LiveServer;
using chidoan::testing::Reply;
using chidoan::testing::Need;
using chidoan::testing::expected_in_scope;
using chidoan::testing::route_needs;
using nlohmann::json;
using namespace std::chrono_literals;

const char* const kPassword = "mat-khau-rat-dai-2021";  // chidoan::testing::create_users'
const std::string kSessionCookie(auth::kSessionCookie);

// ---- routes and their ids ----

// The literal segments of `pattern` before offset `at`, without "/api/v1" and without the
// parameters: in "/api/v1/orgs/{id:int}/dues/payments/{pid:int}" the key of {pid:int} is
// "orgs/dues/payments". It names the table the parameter's id comes from.
std::string param_key(const std::string& pattern, size_t at) {
  std::string before = pattern.substr(0, at);
  if (before.starts_with("/api/v1/")) before = before.substr(7);
  std::string key, segment;
  std::stringstream in(before);
  while (std::getline(in, segment, '/'))
    if (!segment.empty() && segment.front() != '{') key += (key.empty() ? "" : "/") + segment;
  return key;
}

// `pattern` with every typed parameter replaced by id_of(its key) and every other ("{token}",
// "{size}", "{code}") by "x".
std::string fill(const std::string& pattern, const std::function<std::string(const std::string&)>& id_of) {
  static const std::regex param("\\{([a-z]+)(:int)?\\}");
  std::string out;
  size_t last = 0;
  for (std::sregex_iterator it(pattern.begin(), pattern.end(), param), end; it != end; ++it) {
    size_t at = static_cast<size_t>(it->position());
    out += pattern.substr(last, at - last);
    out += (*it)[2].matched ? id_of(param_key(pattern, at)) : "x";
    last = at + static_cast<size_t>(it->length());
  }
  return out + pattern.substr(last);
}

// The key of the last typed parameter of `pattern`, or "" when it has none.
std::string last_int_key(const std::string& pattern) {
  size_t at = pattern.rfind(":int}");
  if (at == std::string::npos) return "";
  return param_key(pattern, pattern.rfind('{', at));
}

bool unsafe(const std::string& method) { return method != "GET" && method != "HEAD"; }

// The three ways a phone number is written: "+84913472518", "0913472518", "0913 472 518".
std::vector<std::string> phone_forms(const std::string& phone) {
  if (phone.empty()) return {};
  std::string local = phone.starts_with("+84") ? "0" + phone.substr(3) : phone;
  std::vector<std::string> forms{phone, local};
  if (local.size() == 10) forms.push_back(local.substr(0, 4) + " " + local.substr(4, 3) + " " + local.substr(7));
  return forms;
}

// ---- a real server, and a client that writes requests byte for byte ----

// Writes `raw` as it is (tests/support/raw_client.hpp) and parses the answer as an HTTP response.
// A server that closes early (413) still gets its answer read.
bhttp::response<bhttp::string_body> exchange(uint16_t port, const std::string& raw) {
  const std::string bytes = chidoan::testing::send_raw(port, raw).raw;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  parser.eager(true);
  boost::system::error_code ec;
  for (size_t used = 0; used < bytes.size() && !parser.is_done();) {
    const size_t n = parser.put(boost::asio::buffer(bytes.data() + used, bytes.size() - used), ec);
    if (ec || n == 0) break;
    used += n;
  }
  EXPECT_TRUE(parser.is_header_done()) << "no answer to " << raw.substr(0, raw.find('\r'));
  return parser.release();
}

std::string get(const std::string& target, const std::string& headers = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + headers + "\r\n";
}

// ---- the fixture ----

// The demo with every section (load_demo_world: the outside branch OTHER and its one member),
// the application, and users of every role, each with an API token:
//   admin      system administrator at TW, without the blood-coordinator grant
//   doankhoi   manager of the Đoàn khối DKCQ
//   sangpv     secretary of VPUBND, the demo's branch
//   thanhvien  a member of VPUBND, without the grant
//   khac       secretary of OTHER, another branch
//   dieuphoi   a member of VPUBND who coordinates its blood club (the one who may see donors)
class SecurityTest : public chidoan::testing::WorldTest {
 protected:
  void SetUp() override {
    WorldTest::SetUp();
    if (IsSkipped()) return;
    load_world(clock, bundle_sections());
    if (HasFatalFailure()) return;
    // The outside member gets a CCCD and a phone, so that a leak of them can be seen.
    ASSERT_TRUE(conn->execute("UPDATE members SET cccd = ?1, phone = ?2 WHERE id = ?3",
                              {std::string(kOutsideCccd), std::string(kOutsidePhone), world.other_member}));
    pool = open_pool(2);
    cfg.hash = auth::HashParams::min();
    cfg.address_failure_limit = 8;  // the product's 20 by the same rule, in fewer logins
    app = std::make_unique<App>(*pool, clock, cfg);
    auto users = chidoan::testing::create_users(
        *conn, clock, cfg,
        {{"admin", auth::Role::system_admin, org_id_of("TW"), std::nullopt},
         {"doankhoi", auth::Role::org_manager, org_id_of("DKCQ"), std::nullopt},
         {"sangpv", auth::Role::branch_secretary, world.vpubnd, std::nullopt},
         {"thanhvien", auth::Role::member, world.vpubnd, member_id_of("Anh")},
         {"khac", auth::Role::branch_secretary, world.other_branch, std::nullopt},
         {"quanlykhac", auth::Role::org_manager, world.other_branch, std::nullopt},
         {"doanvienkhac", auth::Role::member, world.other_branch, world.other_member},
         {"dieuphoi", auth::Role::member, world.vpubnd, member_id_of("Sang")}});
    ASSERT_TRUE(users) << users.error().message;
    tokens = *users;
    auto uid = conn->query_one("SELECT id FROM users WHERE username = 'dieuphoi'");
    ASSERT_TRUE(uid && *uid);
    ASSERT_TRUE(auth::AuthStore(*conn, clock, cfg).add_grant((*uid)->i64(0), auth::Grant::blood_coordinator, world.vpubnd,
                                                             auth::Actor::system("test")));
  }
  void TearDown() override {
    app.reset();
    pool.reset();
    DbTest::TearDown();
  }

  // A request as `who` (a bearer token; "" for none), as chidoan::testing::call sends it.
  Reply call(const std::string& method, const std::string& target, const std::string& who, const std::string& body = "",
             const std::string& type = "application/json", const std::map<std::string, std::string>& headers = {}) {
    return chidoan::testing::call(app->router, method, target, who.empty() ? "" : tokens.at(who), body, type, headers);
  }
  // A browser's request: no token, the given cookies, from `address`.
  Reply browser(const std::string& method, const std::string& target, const std::string& cookies, const std::string& form = "",
                const std::string& address = "192.0.2.7", const std::map<std::string, std::string>& headers = {}) {
    http::Request req;
    req.method = method;
    req.target = target;
    req.path = target.substr(0, target.find('?'));
    if (auto q = target.find('?'); q != std::string::npos) req.query = http::parse_query(target.substr(q + 1));
    req.body = form;
    req.remote_addr = address;
    req.request_id = "security";
    req.headers = headers;
    if (!cookies.empty()) req.headers["cookie"] = cookies;
    if (method != "GET") req.headers["content-type"] = "application/x-www-form-urlencoded";
    http::Response res = app->router.dispatch(req);
    Reply r{res.status, res.body, {}};
    for (const auto& [name, value] : res.headers) {
      std::string& kept = r.headers[name];
      kept += (kept.empty() ? "" : "\n") + value;  // every Set-Cookie, one a line
    }
    return r;
  }
  // A session of `who`, made by the store (the HTTP login is tested apart): {cookie value, CSRF token}.
  std::pair<std::string, std::string> session_of(const std::string& who) {
    auto r = auth::AuthStore(*conn, clock, cfg).login(who, kPassword, "192.0.2.7");
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? std::pair{r->session_token, r->csrf_token} : std::pair<std::string, std::string>{};
  }
  // Rows in every table: what a refused request must leave as it was (every write is audited,
  // so even an update adds a row to audit_log).
  std::map<std::string, int64_t> rows_everywhere() {
    auto tables = engine() == db::Engine::sqlite
                      ? conn->query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                      : conn->query("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()");
    EXPECT_TRUE(tables);
    std::map<std::string, int64_t> out;
    for (const auto& t : tables ? *tables : std::vector<db::Row>{})
      out[t.str(0)] = (*conn->query_one("SELECT COUNT(*) FROM " + t.str(0)))->i64(0);
    return out;
  }
  // Ids to put in a path for a parameter with `key` (see param_key): the table's first and last
  // rows, and for orgs and members those of every scope the roles stand in. An unknown key fails
  // the test: a new kind of id needs its table here.
  std::vector<std::string> ids_for(const std::string& key) {
    const std::string table = table_of(key);
    if (table.empty()) {
      ADD_FAILURE() << "no table for the ids of \"" << key << "\": add it to SecurityTest::table_of";
      return {"999999"};
    }
    std::set<int64_t> ids;
    auto ends = conn->query("SELECT MIN(id), MAX(id) FROM " + table);
    if (ends && !ends->empty() && !(*ends)[0].is_null(0)) ids = {(*ends)[0].i64(0), (*ends)[0].i64(1)};
    if (table == "orgs") ids.insert({world.vpubnd, world.other_branch, org_id_of("DKCQ")});
    if (table == "members") {
      ids.insert(world.other_member);
      auto donor = conn->query_one("SELECT MIN(member_id) FROM blood_donors");
      if (donor && *donor && !(*donor)->is_null(0)) ids.insert((*donor)->i64(0));
    }
    if (ids.empty()) return {"999999"};
    std::vector<std::string> out;
    for (int64_t id : ids) out.push_back(std::to_string(id));
    return out;
  }
  // The table whose rows a parameter with `key` (see param_key) names, or "" for a key unknown here.
  static std::string table_of(const std::string& key) {
    static const std::map<std::string, std::string> tables = {
        {"orgs", "orgs"}, {"public/orgs", "orgs"}, {"members", "members"}, {"activities", "activities"},
        {"campaigns", "campaigns"}, {"campaigns/contributions", "contributions"}, {"campaigns/outflows", "outflows"}, {"produce/cycles", "produce_cycles"},
        {"blood/clubs", "blood_clubs"}, {"blood/donors", "blood_donors"}, {"blood/requests", "blood_requests"},
        {"blood/donors/donations", "blood_donations"}, {"blood/donors/deferrals", "blood_deferrals"},
        {"desk/centers", "desk_centers"}, {"desk/periods", "desk_periods"}, {"desk/assists", "desk_assists"},
        {"desk/papers", "scan_papers"}, {"desk/pages", "scan_pages"}, {"ideas/forums", "idea_forums"}, {"ideas", "ideas"},
        {"ideas/attachments", "idea_attachments"}, {"news", "news_posts"}, {"news/photos", "news_photos"},
        {"public/news", "news_posts"}, {"public/news/photos", "news_photos"}, {"activities/hours", "members"},
        {"activities/signups", "members"}, {"awards", "awards"}, {"blood/clubs/coordinators", "users"},
        {"blood/requests/donors", "blood_donors"}, {"desk/assignments", "desk_assignments"}, {"desk/procedures", "desk_procedures"},
        {"desk/requests", "desk_requests"}, {"desk/shifts", "desk_shifts"}, {"desk/templates", "desk_templates"},
        {"ideas/coauthors", "members"}, {"ideas/comments", "idea_comments"}, {"ideas/forums/mentors", "users"},
        {"ideas/notices", "idea_notices"}, {"orgs/dues/payments", "dues_payments"}, {"orgs/members", "members"},
        {"orgs/ratings", "members"}, {"produce/cycles/checklist", "members"}, {"produce/products", "produce_products"},
        {"produce/suppliers", "produce_suppliers"}, {"rating/guidelines", "rating_guidelines"}};
    auto table = tables.find(key);
    return table == tables.end() ? "" : table->second;
  }
  // An id for a parameter with `key` that names the demo branch's own record: VPUBND itself, an
  // activity it organises, and for the rest the table's first row (every record of the demo is
  // VPUBND's or its Đoàn khối's, never OTHER's).
  std::string branch_record(const std::string& key) {
    if (key == "orgs" || key == "public/orgs") return std::to_string(world.vpubnd);
    if (key == "activities")
      return std::to_string((*conn->query_one("SELECT MIN(id) FROM activities WHERE org_id = ?1", {world.vpubnd}))->i64(0));
    return ids_for(key).front();
  }
  // Every GET route that takes an id, once per id of its last typed parameter (the others get
  // their table's first id).
  std::vector<std::string> get_targets_with_ids() {
    std::vector<std::string> targets;
    for (const auto& [method, pattern] : app->router.routes()) {
      std::string key = last_int_key(pattern);
      if (method != "GET" || key.empty()) continue;
      for (const std::string& id : ids_for(key))
        targets.push_back(fill(pattern, [&](const std::string& k) { return k == key ? id : ids_for(k).front(); }));
    }
    return targets;
  }

  static constexpr const char* kOutsideCccd = "068095000123";
  static constexpr const char* kOutsidePhone = "+84911000123";
  FixedClock clock{std::chrono::sys_days{std::chrono::year{2022} / 1 / 15} + 2h};
  auth::AuthConfig cfg;
  std::unique_ptr<db::Pool> pool;
  std::unique_ptr<App> app;
  std::map<std::string, std::string> tokens;
};

// ---- Authorisation: no other branch's member, no donor's health data ----

bool is_blood_group(const json& v) {
  static const std::set<std::string> groups = {"O-", "O+", "A-", "A+", "B-", "B+", "AB-", "AB+"};
  return v.is_string() && groups.contains(v.get<std::string>());
}

// Whether `v` holds a donor's record: an object with a blood group and anything that says whose
// it is. The club's counts by group ({"group", "donors"}) are not anyone's.
bool holds_donor_record(const json& v) {
  if (v.is_object()) {
    bool grouped = (v.contains("group") && is_blood_group(v["group"])) || (v.contains("blood_group") && is_blood_group(v["blood_group"]));
    bool whose = v.contains("id") || v.contains("donor_id") || v.contains("member_id") || v.contains("name") || v.contains("phone");
    if (grouped && whose) return true;
  }
  if (!v.is_structured()) return false;
  for (const auto& child : v)
    if (holds_donor_record(child)) return true;
  return false;
}

// What `body` shows of `forbidden` (a text and whose it is) and of any donor's record.
std::vector<std::string> leaks_in(const std::string& body, const std::vector<std::pair<std::string, std::string>>& forbidden) {
  std::vector<std::string> found;
  for (const auto& [text, whose] : forbidden)
    if (body.find(text) != std::string::npos) found.push_back(text + " (" + whose + ")");
  // A donor on a page: the donor's own page (the group in a pill), a roster's or a request's
  // table (a "Nhóm máu" column), a link to a donor's record.
  for (const char* mark : {"class=\"pill group\"", ">Nhóm máu<", "href=\"/blood/donors/"})
    if (body.find(mark) != std::string::npos) found.push_back(std::string("a donor's record: ") + mark);
  json j = json::parse(body, nullptr, false);
  if (!j.is_discarded() && holds_donor_record(j)) found.push_back("a donor's record with a blood group (JSON)");
  return found;
}

// Every GET route that takes an id, with the ids of every scope, as every role without the
// blood-coordinator grant (the administrator too): no page or JSON shows the outside branch's
// member to anyone outside its scope, another branch's members' CCCD or phone to OTHER's
// secretary, nor a donor who is not a member (name, phone) or any donor's blood group. (A donor
// who is a member has the phone of the roll, which the branch's committee sees as the member's.)
// The same scan over the coordinator's roster finds them, so it can fail.
TEST_P(SecurityTest, NoResponseShowsAnotherBranchsMemberOrADonorsHealthData) {
  std::vector<std::pair<std::string, std::string>> donors, outside, other_branches;
  auto donor_rows = conn->query("SELECT name, phone FROM blood_donors WHERE member_id IS NULL");
  ASSERT_TRUE(donor_rows);
  ASSERT_GE(donor_rows->size(), 3u) << "the demo's donors who are not members";
  for (const auto& d : *donor_rows) {
    donors.emplace_back(d.str(0), "donor " + d.str(0));
    for (const auto& form : phone_forms(d.opt_str(1).value_or(""))) donors.emplace_back(form, "donor " + d.str(0));
  }
  outside.emplace_back("Ngô Bảo", "OTHER's member");
  outside.emplace_back(kOutsideCccd, "OTHER's member");
  for (const auto& form : phone_forms(kOutsidePhone)) outside.emplace_back(form, "OTHER's member");
  auto members = conn->query("SELECT cccd, phone, given_name FROM members WHERE branch_id <> ?1", {world.other_branch});
  ASSERT_TRUE(members);
  for (const auto& m : *members) {
    if (auto cccd = m.opt_str(0); cccd && !cccd->empty()) other_branches.emplace_back(*cccd, "member " + m.str(2));
    for (const auto& form : phone_forms(m.opt_str(1).value_or(""))) other_branches.emplace_back(form, "member " + m.str(2));
  }
  ASSERT_GT(other_branches.size(), 40u);

  auto forbidden_for = [&](const std::string& who) {
    auto list = donors;
    if (who == "khac") list.insert(list.end(), other_branches.begin(), other_branches.end());
    else if (who != "admin") list.insert(list.end(), outside.begin(), outside.end());
    return list;
  };
  const std::vector<std::string> targets = get_targets_with_ids();
  ASSERT_GT(targets.size(), 150u);
  std::map<std::string, int> answered;  // who -> pages and JSON shown (200), so the scan saw something
  for (const std::string who : {"admin", "doankhoi", "sangpv", "thanhvien", "khac"}) {
    const auto forbidden = forbidden_for(who);
    for (const auto& target : targets) {
      Reply r = call("GET", target, who);
      EXPECT_NE(r.status, 500) << who << " " << target;
      for (const auto& leak : leaks_in(r.body, forbidden)) ADD_FAILURE() << who << " GET " << target << " shows " << leak;
      if (r.status == 200) ++answered[who];
    }
  }
  EXPECT_GT(answered["admin"], 250);
  for (const auto& [who, pages] : answered) EXPECT_GT(pages, 50) << who;

  // The scan sees what it looks for: the coordinator's roster and a donor's record.
  int64_t club = (*conn->query_one("SELECT MIN(id) FROM blood_clubs"))->i64(0);
  int64_t donor = (*conn->query_one("SELECT MIN(id) FROM blood_donors WHERE member_id IS NULL"))->i64(0);
  for (const std::string& target : {"/blood/clubs/" + std::to_string(club) + "/donors", "/api/v1/blood/clubs/" + std::to_string(club) + "/donors",
                                    "/blood/donors/" + std::to_string(donor), "/api/v1/blood/donors/" + std::to_string(donor)}) {
    Reply r = call("GET", target, "dieuphoi");
    ASSERT_EQ(r.status, 200) << target;
    EXPECT_FALSE(leaks_in(r.body, donors).empty()) << target;
  }
}

// The matrix of app_test.cpp (PolicyMatrixOverEveryScopedRoute) drives the routes that take an
// org's, member's, activity's, campaign's, produce or blood id in and out of scope; the routes
// that name a desk center, a forum, an idea, a post, a paper… by their own ids are in it by name
// only (in scope, EveryInScopeRoleGetsWhatThePolicySaysOnRoutesNamedByTheirOwnIds drives them).
// Here every route that takes any id, page and API, GET and write, is driven out of scope, as every role that can be out of scope (the system administrator
// cannot): OTHER's secretary, a committee of its own branch, OTHER's manager (an org manager of
// another subtree) and a member of OTHER, asking for the demo branch's records by their ids, get
// 403 (or 404 for an id that names nothing), and no write happens. Only the public news pages
// answer, and the QR check-in, which a code guards.
TEST_P(SecurityTest, EveryOutOfScopeRoleIsRefusedOnEveryRouteWithAnId) {
  auto before = rows_everywhere();
  int checked = 0;
  for (const std::string who : {"khac", "quanlykhac", "doanvienkhac"}) {
    for (const auto& [method, pattern] : app->router.routes()) {
      if (last_int_key(pattern).empty()) continue;
      std::string path = fill(pattern, [&](const std::string& key) { return branch_record(key); });
      Reply r = call(method, path, who, method == "GET" ? "" : "{}");
      ++checked;
      if (pattern.starts_with("/api/v1/public/") || pattern.starts_with("/public/")) continue;
      // The QR check-in and a committee's joining answer on the code and on the org that asks:
      // a wrong code, or an org not under the activity's, is invalid input.
      if ((pattern.starts_with("/api/v1/activities/") || pattern.starts_with("/activities/")) &&
          (pattern.find("/check") != std::string::npos || pattern.ends_with("/join"))) {
        EXPECT_TRUE(r.status == 403 || r.status == 422) << who << " " << method << " " << path << " -> " << r.status;
        continue;
      }
      EXPECT_TRUE(r.status == 403 || r.status == 404)
          << who << " " << method << " " << path << " -> " << r.status << " " << r.body.substr(0, 200);
    }
  }
  EXPECT_GT(checked, 1200);  // 1,248 on the demo: every route with an id, page and API, three roles
  EXPECT_EQ(rows_everywhere(), before);
}

// The other half, in scope: every GET route that takes an id, with the demo branch's records
// (SecurityTest::branch_record), answers the branch's secretary and the committees above it (the
// Đoàn khối's manager, the system administrator), except where the policy says otherwise by
// design: donors and blood requests follow the coordinator's grant and never the role, the
// classification of branches is decided by the level above (so the secretary is refused it, and
// the levels above learn that a branch has no branches to classify), and the QR check-in wants
// its code. A record the demo has none of (a photo, an attachment, a
// scanned paper) is not found.
TEST_P(SecurityTest, EveryInScopeCommitteeReadsEveryRecordOfTheBranch) {
  for (const std::string who : {"sangpv", "doankhoi", "admin"}) {
    int answered = 0;
    for (const auto& [method, pattern] : app->router.routes()) {
      if (method != "GET" || last_int_key(pattern).empty()) continue;
      std::string path = fill(pattern, [&](const std::string& key) { return branch_record(key); });
      auto has = [&](const char* part) { return pattern.find(part) != std::string::npos; };
      // The classifications page lists the branches below an org for approval: the committees
      // above may open it, and for a branch it says there are none (422 on org_id).
      int expected = has("/blood/clubs/{id:int}/donors") || has("/blood/clubs/{id:int}/requests") || has("/blood/donors/") ||
                             has("/blood/requests/") || (has("/classifications") && who == "sangpv")
                         ? 403
                     : has("/checkin") || has("/classifications") ? 422
                     : path.find("999999") != std::string::npos ? 404
                                                                : 200;
      Reply r = call(method, path, who);
      EXPECT_EQ(r.status, expected) << who << " " << path << ": " << r.body.substr(0, 200);
      if (r.status == 200) ++answered;
    }
    EXPECT_GT(answered, 100) << who;
  }
}

// The routes named by their own ids (a desk center, period, shift, paper or page; a forum, an
// idea, a comment; a post, a photo; an award, a guideline), which the matrix of app_test.cpp
// cannot drive in and out of scope with an org's id: every one, GET and write, with the demo
// branch's records, as each role in scope (the administrator, the Đoàn khối's manager, the
// branch's secretary, a plain member of the branch) gets what the matrix's own table says
// (tests/support/route_needs.hpp): 403 where the role may not, past the policy (no 401 or 403)
// where it may, never a 5xx. On each route the roles to be refused go first, and the routes that
// delete go last, so that a write allowed to one role rarely leaves the next a record that is
// gone; a 404 counts as a refusal only when the record is indeed gone.
TEST_P(SecurityTest, EveryInScopeRoleGetsWhatThePolicySaysOnRoutesNamedByTheirOwnIds) {
  const std::string kPolicyRefusal = "Bạn không có quyền thực hiện thao tác này";  // web::Ctx::authorize
  std::vector<std::pair<std::string, std::string>> routes;
  for (const auto& [method, pattern] : app->router.routes())
    if (!last_int_key(pattern).empty() && pattern.find("{id:int}") == std::string::npos) routes.emplace_back(method, pattern);
  std::ranges::stable_sort(routes, {}, [](const std::pair<std::string, std::string>& r) {
    return r.first == "GET" ? 0 : r.second.ends_with("/delete") || r.second.ends_with("/remove") ? 2 : 1;
  });
  int refused = 0, allowed = 0;
  for (const auto& [method, pattern] : routes) {
    const std::string key = method + " " + (pattern.starts_with("/api/v1/") ? pattern.substr(7) : pattern);
    ASSERT_TRUE(route_needs().contains(key)) << key;
    const Need need = route_needs().at(key);
    std::vector<std::pair<std::string, std::string>> records;  // {table, id} of each id in the path
    const std::string path = fill(pattern, [&](const std::string& k) {
      records.emplace_back(table_of(k), branch_record(k));
      return records.back().second;
    });
    auto gone = [&] {
      return std::ranges::any_of(records, [&](const auto& rec) {
        return (*conn->query_one("SELECT COUNT(*) FROM " + rec.first + " WHERE id = ?1", {std::stoll(rec.second)}))->i64(0) == 0;
      });
    };
    std::vector<std::string> roles = {"thanhvien", "sangpv", "doankhoi", "admin"};
    std::ranges::stable_partition(roles, [&](const std::string& who) { return !expected_in_scope(who, need); });
    for (const std::string& who : roles) {
      Reply r = call(method, path, who, method == "GET" ? "" : "{}");
      SCOPED_TRACE(who + " " + method + " " + path + " -> " + std::to_string(r.status) + " " + r.body.substr(0, 200));
      EXPECT_LT(r.status, 500);
      // Marking a notice read is anyone's, on their own notices: the record decides, not the role.
      if (need == Need::open) continue;
      if (expected_in_scope(who, need)) {
        // Acting as oneself (signing up for a shift, supporting an idea, editing one's own post)
        // the record decides after the policy: someone else's, or no member record, is refused
        // with its own reason. Never with the policy's.
        if (need == Need::self || need == Need::write_news)
          EXPECT_TRUE(r.status != 401 && r.body.find(kPolicyRefusal) == std::string::npos);
        else
          EXPECT_TRUE(r.status != 401 && r.status != 403);
        ++allowed;
      } else if (!(r.status == 404 && gone())) {
        EXPECT_EQ(r.status, 403);
        ++refused;
      }
    }
  }
  EXPECT_GT(allowed, 500);  // 618 on the demo
  EXPECT_GT(refused, 50);   // 60
}

// ---- CSRF on every state-changing request ----

// Every POST, PUT, PATCH and DELETE route, with a live session cookie of the administrator
// (whom no policy stops) and no CSRF token or a forged one, in a form or in the htmx header:
// 403 naming CSRF, and not a row written. SessionTest.FormsNeedTheSessionsCsrfToken
// (app_test.cpp) shows the right token passing.
TEST_P(SecurityTest, EveryStateChangingRouteNeedsTheSessionsCsrfToken) {
  auto [session, csrf] = session_of("admin");
  auto before = rows_everywhere();
  int checked = 0;
  for (const auto& [method, pattern] : app->router.routes()) {
    if (!unsafe(method)) continue;
    std::string path = fill(pattern, [&](const std::string&) { return std::to_string(world.vpubnd); });
    for (const std::string sent : {"", "forged"}) {
      std::map<std::string, std::string> headers;
      std::string form = "name=Ban%20m%E1%BB%9Bi&reason=x";
      if (!sent.empty()) {
        headers["x-csrf-token"] = sent;
        form += "&_csrf=" + sent;
      }
      Reply r = browser(method, path, kSessionCookie + "=" + session, form, "192.0.2.7", headers);
      EXPECT_EQ(r.status, 403) << method << " " << path << " with " << (sent.empty() ? "no token" : "a forged token");
      EXPECT_NE(r.body.find("(CSRF)"), std::string::npos) << method << " " << path << ": " << r.body.substr(0, 200);
      ++checked;
    }
  }
  EXPECT_GT(checked, 300);
  EXPECT_EQ(rows_everywhere(), before);
  // The session itself still works with its token.
  EXPECT_EQ(browser("POST", "/orgs/" + std::to_string(world.vpubnd) + "/units", kSessionCookie + "=" + session,
                    "name=Ban%20m%E1%BB%9Bi&_csrf=" + csrf).status, 303);
}

// Without a session there is nothing to forge: the API answers 401 and a page sends the browser
// to the login (the one public write, POST /login, has its own token: see
// LoginRotatesTheSessionAndIgnoresAPlantedOne). A bearer token is no ambient credential, so it
// needs no CSRF token: the same requests with a member's token are never refused as CSRF.
TEST_P(SecurityTest, WritesWithoutASessionAreUnauthenticatedAndBearerTokensNeedNoCsrf) {
  auto before = rows_everywhere();
  for (const auto& [method, pattern] : app->router.routes()) {
    if (!unsafe(method) || pattern == "/login") continue;
    std::string path = fill(pattern, [&](const std::string&) { return std::to_string(world.vpubnd); });
    Reply anonymous = call(method, path, "", "{}");
    if (pattern.starts_with("/api/")) {
      EXPECT_EQ(anonymous.status, 401) << method << " " << path;
    } else {
      EXPECT_EQ(anonymous.status, 303) << method << " " << path;
      EXPECT_TRUE(anonymous.headers["Location"].starts_with("/login")) << method << " " << path;
    }
  }
  EXPECT_EQ(rows_everywhere(), before);
  int checked = 0;
  for (const auto& [method, pattern] : app->router.routes()) {
    if (!unsafe(method) || !pattern.starts_with("/api/")) continue;
    std::string path = fill(pattern, [&](const std::string&) { return std::to_string(world.vpubnd); });
    Reply r = call(method, path, "thanhvien", "{}");
    EXPECT_NE(r.status, 401) << method << " " << path;
    EXPECT_EQ(r.body.find("(CSRF)"), std::string::npos) << method << " " << path;
    ++checked;
  }
  EXPECT_GT(checked, 140);
}

// ---- sessions and cookies ----

// The Set-Cookie line of cookie `name` in `r`, or "" when `r` does not set it.
std::string set_cookie(const Reply& r, const std::string& name) {
  auto it = r.headers.find("Set-Cookie");
  if (it == r.headers.end()) return "";
  std::stringstream lines(it->second);
  for (std::string line; std::getline(lines, line);)
    if (line.starts_with(name + "=")) return line;
  return "";
}
// The cookie's value in a Set-Cookie line.
std::string cookie_value(const std::string& set_cookie_line) {
  size_t eq = set_cookie_line.find('='), semi = set_cookie_line.find(';');
  return eq == std::string::npos ? "" : set_cookie_line.substr(eq + 1, semi - eq - 1);
}

class LoginTest : public SecurityTest {
 protected:
  // The login form's token: GET /login sets it as a cookie and in the form.
  std::string login_token(const std::map<std::string, std::string>& headers = {}) {
    Reply page = browser("GET", "/login", "", "", "192.0.2.7", headers);
    EXPECT_EQ(page.status, 200);
    return cookie_value(set_cookie(page, "chidoan_login_csrf"));
  }
  // POST /login as a browser: the form with the token of a fresh login page, `cookies` besides.
  Reply log_in(const std::string& user, const std::string& password, const std::string& cookies = "",
               const std::string& address = "192.0.2.7", const std::map<std::string, std::string>& headers = {}) {
    std::string token = login_token(headers);
    std::string jar = "chidoan_login_csrf=" + token + (cookies.empty() ? "" : "; " + cookies);
    return browser("POST", "/login", jar, "username=" + user + "&password=" + http::url_encode(password) + "&_csrf=" + token + "&next=%2F",
                   address, headers);
  }
  bool signed_in(const std::string& session) {
    Reply home = browser("GET", "/", kSessionCookie + "=" + session);
    return home.status == 200;
  }
};

// A session id planted before the login (fixation) is never adopted: the login issues a new
// one, each login another, and after the logout the old one is dead. The login form needs its
// own token (a login CSRF would sign the victim into the attacker's account).
TEST_P(LoginTest, LoginRotatesTheSessionAndIgnoresAPlantedOne) {
  const std::string planted = "planted-by-an-attacker-0123456789abcdef";
  Reply first = log_in("sangpv", kPassword, kSessionCookie + "=" + planted);
  ASSERT_EQ(first.status, 303) << first.body.substr(0, 300);
  std::string a = cookie_value(set_cookie(first, kSessionCookie));
  ASSERT_FALSE(a.empty());
  EXPECT_NE(a, planted);
  EXPECT_FALSE(signed_in(planted));
  EXPECT_TRUE(signed_in(a));

  Reply second = log_in("sangpv", kPassword);
  std::string b = cookie_value(set_cookie(second, kSessionCookie));
  ASSERT_FALSE(b.empty());
  EXPECT_NE(b, a);

  Reply home = browser("GET", "/", kSessionCookie + "=" + a);
  std::smatch csrf;
  ASSERT_TRUE(std::regex_search(home.body, csrf, std::regex("name=\"csrf-token\" content=\"([^\"]+)\"")));
  Reply out = browser("POST", "/logout", kSessionCookie + "=" + a, "_csrf=" + csrf[1].str());
  EXPECT_EQ(out.status, 303);
  EXPECT_FALSE(signed_in(a));
  EXPECT_EQ(browser("GET", "/api/v1/me", kSessionCookie + "=" + a).status, 401);

  // The login form without its token, or with another one, signs nobody in.
  std::string token = login_token();
  for (const std::string& jar : {std::string(), "chidoan_login_csrf=" + token}) {
    Reply forged = browser("POST", "/login", jar, "username=sangpv&password=" + http::url_encode(kPassword) + "&_csrf=forged");
    EXPECT_EQ(forged.status, 403);
    EXPECT_EQ(set_cookie(forged, kSessionCookie), "");
  }
}

// After the login the browser goes where "next" says, but only within the site: no other host
// however spelled (browsers drop tabs and line breaks inside a URL, so "/\t/evil" is "//evil"),
// and no line break into the Location header (a header of the attacker's own). Likewise the
// language switch, which goes back to the page in Referer.
TEST_P(LoginTest, SignInSendsTheBrowserOnlyWithinTheSite) {
  const std::string token = login_token();
  for (const std::string& next : std::vector<std::string>{"//evil.example/", "/\\evil.example/", "https://evil.example/", "/\t/evil.example/", "/\n/evil.example/",
                                 "/\r\n/evil.example/", "/%0a/x\r\nSet-Cookie: chidoan_session=planted", "\\/evil.example/", "/login?next=//evil",
                                 std::string("/\0/evil.example/", 16)}) {
    Reply in = browser("POST", "/login", "chidoan_login_csrf=" + token,
                       "username=sangpv&password=" + http::url_encode(kPassword) + "&_csrf=" + token + "&next=" + http::url_encode(next));
    ASSERT_EQ(in.status, 303) << http::url_encode(next) << " " << in.body.substr(0, 300);
    EXPECT_EQ(in.headers["Location"], "/") << http::url_encode(next);
  }
  Reply in = browser("POST", "/login", "chidoan_login_csrf=" + token,
                     "username=sangpv&password=" + http::url_encode(kPassword) + "&_csrf=" + token + "&next=%2Forgs%2F3%3Ftab%3D1");
  EXPECT_EQ(in.headers["Location"], "/orgs/3?tab=1");
  // The language switch goes back to the page it was pressed on by the same rule.
  Reply back = browser("GET", "/lang/en", "", "", "192.0.2.7", {{"host", "localhost"}, {"referer", "http://localhost/\t/evil.example/"}});
  EXPECT_EQ(back.headers["Location"], "/");
  back = browser("GET", "/lang/en", "", "", "192.0.2.7", {{"host", "localhost"}, {"referer", "http://localhost/orgs/3"}});
  EXPECT_EQ(back.headers["Location"], "/orgs/3");
}

// The session cookie is HttpOnly (no script reads it), SameSite=Lax (no cross-site POST carries
// it), for the whole site, and Secure when the deployment is https: the reverse proxy says so
// with X-Forwarded-Proto (docs/operations.md). The login form's cookie, the logout's clearing
// cookie and the language's likewise.
TEST_P(LoginTest, CookiesAreHttpOnlySameSiteAndSecureBehindHttps) {
  for (bool https : {false, true}) {
    std::map<std::string, std::string> headers;
    if (https) headers["x-forwarded-proto"] = "https";
    Reply login_page = browser("GET", "/login", "", "", "192.0.2.7", headers);
    Reply in = log_in("sangpv", kPassword, "", "192.0.2.7", headers);
    ASSERT_EQ(in.status, 303);
    std::string session = cookie_value(set_cookie(in, kSessionCookie));
    Reply home = browser("GET", "/", kSessionCookie + "=" + session);
    std::smatch csrf;
    ASSERT_TRUE(std::regex_search(home.body, csrf, std::regex("name=\"csrf-token\" content=\"([^\"]+)\"")));
    Reply out = browser("POST", "/logout", kSessionCookie + "=" + session, "_csrf=" + csrf[1].str(), "192.0.2.7", headers);
    Reply lang = browser("GET", "/lang/en", "", "", "192.0.2.7", headers);
    struct Case {
      std::string what, line, path;
    };
    for (const Case& c : {Case{"session", set_cookie(in, kSessionCookie), "/"}, Case{"logout", set_cookie(out, kSessionCookie), "/"},
                          Case{"login form", set_cookie(login_page, "chidoan_login_csrf"), "/login"},
                          Case{"language", set_cookie(lang, "lang"), "/"}}) {
      SCOPED_TRACE(c.what + (https ? " over https" : " over http") + ": " + c.line);
      ASSERT_FALSE(c.line.empty());
      EXPECT_NE(c.line.find("; HttpOnly"), std::string::npos);
      EXPECT_TRUE(c.line.find("; SameSite=Lax") != std::string::npos || c.line.find("; SameSite=Strict") != std::string::npos);
      EXPECT_NE(c.line.find("; Path=" + c.path + ";"), std::string::npos);
      EXPECT_EQ(c.line.find("; Secure") != std::string::npos, https);
    }
    EXPECT_NE(set_cookie(out, kSessionCookie).find("Max-Age=0"), std::string::npos);
  }
}

// Passwords are throttled through HTTP (the store's rules: auth's store_test): five wrong
// passwords for an account, then the right one is refused with the Vietnamese message and no
// session; the address's limit of failures (20 in the product, 8 here) blocks every account from
// that address, and not from another.
TEST_P(LoginTest, WrongPasswordsAreThrottledPerAccountAndPerAddress) {
  const std::string throttled = "Bạn đã đăng nhập sai quá nhiều lần";
  for (int i = 0; i < cfg.account_failure_limit; ++i) {
    Reply wrong = log_in("sangpv", "sai-mat-khau-" + std::to_string(i));
    EXPECT_EQ(wrong.status, 401) << i;
    EXPECT_EQ(set_cookie(wrong, kSessionCookie), "");
  }
  Reply right = log_in("sangpv", kPassword);
  EXPECT_EQ(right.status, 429);
  EXPECT_NE(right.body.find(throttled), std::string::npos) << right.body.substr(0, 500);
  EXPECT_EQ(set_cookie(right, kSessionCookie), "");

  const std::string address = "198.51.100.9";
  for (int i = 0; i < cfg.address_failure_limit; ++i)
    EXPECT_EQ(log_in("khong-ai-" + std::to_string(i), "sai-mat-khau", "", address).status, 401) << i;
  Reply blocked = log_in("doankhoi", kPassword, "", address);
  EXPECT_EQ(blocked.status, 429);
  EXPECT_NE(blocked.body.find(throttled), std::string::npos);
  EXPECT_EQ(log_in("doankhoi", kPassword, "", "198.51.100.10").status, 303);
}

// ---- Content-Security-Policy, and pages it holds ----

// What a strict CSP (no 'unsafe-inline') would block, so the page would break or, worse, what
// would run if the policy were ever loosened: a <script> without src, an on…= handler attribute,
// a javascript: URL.
std::vector<std::string> inline_script_in(const std::string& html) {
  static const std::regex inline_script("<script(?![^>]*\\ssrc=)[^>]*>", std::regex::icase);
  static const std::regex handler("<[^>]*\\son[a-z]+\\s*=", std::regex::icase);
  static const std::regex js_url("javascript:", std::regex::icase);
  std::vector<std::string> found;
  std::smatch m;
  if (std::regex_search(html, m, inline_script)) found.push_back("inline script: " + m.str());
  if (std::regex_search(html, m, handler)) found.push_back("event handler attribute: " + m.str().substr(0, 120));
  if (std::regex_search(html, m, js_url)) found.push_back("javascript: URL");
  return found;
}

// Every template in templates/ (a new one included), and every page of the demo an
// administrator sees (every GET route that is not the API, with the ids of every scope).
TEST_P(SecurityTest, NoTemplateOrPageHasInlineScript) {
  const char* dir = std::getenv("CHIDOAN_SOURCE_DIR");
  ASSERT_NE(dir, nullptr);
  int templates = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(std::string(dir) + "/templates")) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    for (const auto& found : inline_script_in(text.str())) ADD_FAILURE() << entry.path() << ": " << found;
    ++templates;
  }
  EXPECT_GT(templates, 80);
  // The check sees what it looks for.
  EXPECT_EQ(inline_script_in("<script>alert(1)</script><a href=\"javascript:x\" onclick=\"y\">").size(), 3u);
  EXPECT_TRUE(inline_script_in("<script src=\"/static/app.js\" defer></script><p>Con trỏ onboarding=1</p>").empty());

  int pages = 0;
  std::vector<std::string> targets = get_targets_with_ids();
  for (const auto& [method, pattern] : app->router.routes())
    if (method == "GET" && last_int_key(pattern).empty()) targets.push_back(fill(pattern, [](const std::string&) { return ""; }));
  for (const auto& target : targets) {
    if (target.starts_with("/api/")) continue;
    Reply r = call("GET", target, "admin", "", "application/json", {{"accept", "text/html"}});
    if (!r.headers["Content-Type"].starts_with("text/html")) continue;
    for (const auto& found : inline_script_in(r.body)) ADD_FAILURE() << target << ": " << found;
    ++pages;
  }
  EXPECT_GT(pages, 80);
}

// The headers every answer carries, whatever made it: nosniff, no framing (CSP frame-ancestors
// and the older X-Frame-Options), a CSP whose scripts come only from the site. The server adds
// them to each response it writes (Server.KeepAliveAndHeaders, server_test.cpp, checks one route
// of a test router); here every kind of the application's answers, over TCP.
TEST_P(SecurityTest, EverySortOfResponseCarriesTheSecurityHeaders) {
  app->router.add("GET", "/test/boom", web::route(app->services, [](web::Ctx&) -> http::Response { throw std::runtime_error("boom"); }));
  LiveServer live(app->router, default_limits(), app->metrics);
  const std::string vp = std::to_string(world.vpubnd);
  const std::string bearer = "Authorization: Bearer " + tokens.at("sangpv") + "\r\n";
  const std::string static_file = get("/static/app.css");
  struct Case {
    std::string what, raw;
    int status;
  };
  std::string etag = std::string(exchange(live.port(), static_file)[bhttp::field::etag]);
  std::vector<Case> cases = {
      {"a page", get("/login"), 200},
      {"a redirect", get("/orgs/" + vp), 303},
      {"API JSON", get("/api/v1/orgs/" + vp + "/members", bearer), 200},
      {"API error", get("/api/v1/orgs/" + vp + "/members"), 401},
      {"a static file", static_file, 200},
      {"a static file not modified", get("/static/app.css", "If-None-Match: " + etag + "\r\n"), 304},
      {"not found", get("/khong-co-trang-nay"), 404},
      {"method not allowed", "DELETE /login HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", 405},
      {"a server error", get("/test/boom", bearer), 500},
      {"CSV", get("/orgs/" + vp + "/export.csv", bearer), 200},
      {"XLSX", get("/orgs/" + vp + "/export.xlsx", bearer), 200},
      {"PDF", get("/orgs/" + vp + "/report.pdf", bearer), 200},
      {"SVG", get("/desk/centers/" + std::to_string((*conn->query_one("SELECT MIN(id) FROM desk_centers"))->i64(0)) + "/kpi.svg", bearer), 200},
      {"a body over the limit", "POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 2000000\r\n\r\n", 413},
      {"malformed", "GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: x\r\n\r\n", 400},
  };
  for (const auto& c : cases) {
    auto r = exchange(live.port(), c.raw);
    SCOPED_TRACE(c.what);
    EXPECT_EQ(r.result_int(), c.status) << r.body().substr(0, 200);
    EXPECT_EQ(std::string(r["X-Content-Type-Options"]), "nosniff");
    EXPECT_EQ(std::string(r["X-Frame-Options"]), "DENY");
    std::string csp(r["Content-Security-Policy"]);
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
    std::smatch script;
    ASSERT_TRUE(std::regex_search(csp, script, std::regex("script-src ([^;]*)"))) << csp;
    EXPECT_EQ(script[1].str(), "'self'");
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
    EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << csp;
  }
}

// ---- paths ----

// No path leaves its place. The static route serves the embedded files under static/ and
// nothing else, however the path is spelled: dot segments, percent-encoded ("%2e%2e%2f", twice
// encoded "%252e"), backslashes, NUL, dotfiles, absolute paths; other embedded files
// (templates, migrations) and the disk stay out of reach. Download routes take ids, never
// names: another org's id is refused, a crafted name in the one free segment (a photo's size, a
// calendar's token) is not found, and no answer holds a file of the disk. Over TCP, so the
// server's own decoding of the target is part of the test.
TEST_P(SecurityTest, NoPathTraversalInStaticOrDownloadRoutes) {
  LiveServer live(app->router, default_limits(), app->metrics);
  auto ok = exchange(live.port(), get("/static/app.css"));
  ASSERT_EQ(ok.result_int(), 200);
  for (const char* target :
       {"/static/../templates/layout/page.mustache", "/static/%2e%2e/templates/layout/page.mustache",
        "/static/%2e%2e%2ftemplates%2flayout%2fpage.mustache", "/static/..%2f..%2f..%2fetc%2fpasswd",
        "/static/%252e%252e%252ftemplates%252flayout%252fpage.mustache", "/static/..\\templates\\layout\\page.mustache",
        "/static/%5c..%5ctemplates%5clayout%5cpage.mustache", "/static/app.css%00.png", "/static/app.css%00",
        "/static//etc/passwd", "/static/%2fetc%2fpasswd", "/static/./app.css/..", "/static/vendor/../../migrations/0001_init.sql",
        "/static/.htaccess", "/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/static/....//....//etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd", "/static/..;/templates/layout/page.mustache", "/static/%c0%ae%c0%ae/etc/passwd"}) {
    auto r = exchange(live.port(), get(target));
    EXPECT_TRUE(r.result_int() == 404 || r.result_int() == 400) << target << " -> " << r.result_int();
    for (const char* secret : {"{{", "CREATE TABLE", "root:"}) EXPECT_EQ(r.body().find(secret), std::string::npos) << target;
  }
  const std::string bearer = "Authorization: Bearer " + tokens.at("sangpv") + "\r\n";
  const std::string other = std::to_string(world.other_branch);
  for (const std::string& target : {"/orgs/" + other + "/export.csv", "/orgs/" + other + "/export.xlsx", "/orgs/" + other + "/report.pdf",
                                    "/orgs/" + other + "/report.xlsx", "/api/v1/orgs/" + other + "/export.csv"}) {
    auto r = exchange(live.port(), get(target, bearer));
    EXPECT_EQ(r.result_int(), 403) << target;
  }
  int64_t photo = (*conn->query_one("SELECT COALESCE(MIN(id), 1) FROM news_photos"))->i64(0);
  for (const std::string& target : std::vector<std::string>{
           "/news/photos/" + std::to_string(photo) + "/..%2f..%2f..%2fetc%2fpasswd", "/news/photos/" + std::to_string(photo) + "/%2e%2e",
        "/public/news/photos/" + std::to_string(photo) + "/..%2flarge.jpg", "/calendar/..%2f..%2fetc%2fpasswd",
        "/desk/calendar/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/ideas/attachments/999999", "/ideas/attachments/..%2f1",
        "/campaigns/999999/contributions/1/receipt.pdf", "/desk/papers/999999/pdf", "/desk/pages/999999/thumbnail"}) {
    auto r = exchange(live.port(), get(target, bearer));
    EXPECT_TRUE(r.result_int() == 404 || r.result_int() == 400 || r.result_int() == 403) << target << " -> " << r.result_int();
    EXPECT_EQ(r.body().find("root:"), std::string::npos) << target;
  }
}

// ---- uploads ----

std::string multipart(const std::string& field, const std::string& filename, const std::string& type, const std::string& data,
                      const std::map<std::string, std::string>& fields = {}) {
  std::string body;
  for (const auto& [name, value] : fields)
    body += "--XyZsec\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
  body += "--XyZsec\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + filename + "\"\r\nContent-Type: " + type +
          "\r\n\r\n" + data + "\r\n--XyZsec--\r\n";
  return body;
}
const char* const kMultipart = "multipart/form-data; boundary=XyZsec";

// A program for Windows, and a web page: what a disguised upload carries.
std::string windows_program() { return std::string("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", 14) + "This program cannot be run in DOS mode.\r\n" + std::string(512, '\0'); }
const char* const kWebPage = "<!doctype html><html><body><script>fetch('/api/v1/me')</script></body></html>";

// Every route that takes a file: over its size limit and disguised (a program named as a picture
// or a spreadsheet, a web page named as a PDF or a CSV) it answers 4xx with a Vietnamese message
// naming the form's field, and nothing is written. The size limits are the module's own where it
// has one below the server's (ideas 5 MiB, news photos 15 MiB, scanned pages 20 MiB: tested in
// process); the tables' imports have the server's 32 MiB for uploads (over TCP, 413 before the
// body is read). The lower-level tests: ideas' rules_test (check_attachment), news' photo_test,
// scan's papers_rules_test, Server.BodyLimits.
TEST_P(SecurityTest, UploadsRefuseOverSizeAndDisguisedFilesAndWriteNothing) {
  auto first = [&](const char* table) { return std::to_string((*conn->query_one(std::string("SELECT MIN(id) FROM ") + table))->i64(0)); };
  const std::string vp = std::to_string(world.vpubnd), center = first("desk_centers"), idea = first("ideas"), assist = first("desk_assists");
  Reply post = call("POST", "/api/v1/orgs/" + vp + "/news", "sangpv", json{{"title", "Ảnh hoạt động"}, {"body", "Nội dung bài viết."}}.dump());
  ASSERT_EQ(post.status, 201) << post.body;
  Reply paper = call("POST", "/api/v1/desk/assists/" + assist + "/papers", "sangpv", json{{"name", "Giấy xác nhận cư trú"}}.dump());
  ASSERT_EQ(paper.status, 201) << paper.body;
  const std::string pid = std::to_string(post.j()["id"].get<int64_t>()), paper_id = std::to_string(paper.j()["id"].get<int64_t>());

  struct Upload {
    std::string pattern, url, field;
    std::map<std::string, std::string> fields;
    std::vector<std::pair<std::string, std::string>> disguised;  // file name -> content
    size_t module_limit;                                            // 0: the server's
  };
  const std::vector<Upload> uploads = {
      {"/api/v1/orgs/{id:int}/import", "/api/v1/orgs/" + vp + "/import?dry_run=0", "file", {},
       {{"danh-sach.xlsx", windows_program()}, {"danh-sach.png", windows_program()}, {"danh-sach.csv", windows_program()},
        {"danh-sach.csv", kWebPage}, {"danh-sach.xlsx", kWebPage}}, 0},
      {"/api/v1/desk/centers/{cid:int}/kpi/import", "/api/v1/desk/centers/" + center + "/kpi/import", "file", {},
       {{"so-lieu.xlsx", windows_program()}, {"so-lieu.exe", windows_program()}, {"so-lieu.csv", windows_program()}}, 0},
      {"/api/v1/desk/centers/{cid:int}/procedures/import", "/api/v1/desk/centers/" + center + "/procedures/import", "file", {},
       {{"danh-muc.xlsx", windows_program()}, {"danh-muc.csv", windows_program()}}, 0},
      {"/api/v1/ideas/{iid:int}/attachments", "/api/v1/ideas/" + idea + "/attachments", "file", {},
       {{"anh.png", windows_program()}, {"to-trinh.pdf", kWebPage}}, 5u << 20},
      {"/api/v1/news/{pid:int}/photos", "/api/v1/news/" + pid + "/photos", "photo", {{"alt", "Đoàn viên trồng cây"}},
       {{"anh.jpg", windows_program()}, {"anh.png", kWebPage}}, 15u << 20},
      {"/api/v1/desk/assists/{aid:int}/papers", "/api/v1/desk/assists/" + assist + "/papers", "pages", {{"name", "Giấy tờ thêm"}},
       {{"trang-1.jpg", windows_program()}, {"trang-1.pdf", kWebPage}}, 20u << 20},
      {"/api/v1/desk/papers/{pid:int}/pages", "/api/v1/desk/papers/" + paper_id + "/pages", "pages", {},
       {{"trang-2.png", windows_program()}, {"trang-2.pdf", kWebPage}}, 20u << 20},
  };
  std::set<std::string> routes;
  for (const auto& [method, pattern] : app->router.routes()) routes.insert(method + " " + pattern);

  auto refused = [&](const Reply& r, const std::string& field, const std::string& what) {
    EXPECT_TRUE(r.status >= 400 && r.status < 500) << what << " -> " << r.status << " " << r.body.substr(0, 300);
    json e = r.j().value("error", json::object());
    EXPECT_EQ(e.value("field", ""), field) << what << ": " << r.body.substr(0, 300);
    std::string message = e.value("message", "");
    EXPECT_TRUE(std::ranges::any_of(message, [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) << what << ": " << message;
  };
  auto before = rows_everywhere();
  for (const auto& u : uploads) {
    EXPECT_TRUE(routes.contains("POST " + u.pattern)) << u.pattern;
    for (const auto& [name, content] : u.disguised) {
      Reply r = call("POST", u.url, "sangpv", multipart(u.field, name, "image/png", content, u.fields), kMultipart);
      refused(r, u.field, u.url + " " + name);
    }
    if (u.module_limit) {
      std::string big = "%PDF-1.4\n" + std::string(u.module_limit, 'x');
      Reply r = call("POST", u.url, "sangpv", multipart(u.field, "lon.pdf", "application/pdf", big, u.fields), kMultipart);
      refused(r, u.field, u.url + " over " + std::to_string(u.module_limit) + " bytes");
    }
  }
  // Over the server's limit for uploads, and a multipart body outside the upload routes over the
  // ordinary limit: refused before the body is read.
  LiveServer live(app->router, default_limits(), app->metrics);
  using Target = std::pair<std::string, size_t>;
  for (const auto& [target, length] : {Target{"/api/v1/orgs/" + vp + "/import", default_limits().max_upload_bytes + 1},
                                       Target{"/api/v1/blood/requests", default_limits().max_body_bytes + 1}}) {
    auto r = exchange(live.port(), "POST " + target + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + tokens.at("sangpv") +
                                       "\r\nContent-Type: " + kMultipart + "\r\nContent-Length: " + std::to_string(length) + "\r\n\r\n");
    EXPECT_EQ(r.result_int(), 413) << target;
    EXPECT_NE(r.body().find("quá lớn"), std::string::npos) << target << ": " << r.body();
  }
  EXPECT_EQ(rows_everywhere(), before);
}

CHIDOAN_INSTANTIATE_DB_TEST(SecurityTest);
CHIDOAN_INSTANTIATE_DB_TEST(LoginTest);

}  // namespace
}  // namespace chidoan::app
