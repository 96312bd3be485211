// The whole application in process: every route × role × scope through the router, and the
// bad inputs of issue #2, on both engines.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "activity/store.hpp"
#include "app/server.hpp"
#include "blood/store.hpp"
#include "fund/produce_store.hpp"
#include "fund/store.hpp"
#include "org/bundle.hpp"
#include "org/store.hpp"
#include "platform/auth/store.hpp"
#include "tests/support/demo.hpp"
#include "tests/support/http_support.hpp"
#include "tests/support/route_needs.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::app {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

json demo() { return chidoan::testing::demo_bundle_full(); }

using chidoan::testing::Reply;
using chidoan::testing::Need;
using chidoan::testing::route_needs;
using chidoan::testing::expected_in_scope;
using chidoan::testing::expected_out_of_scope;

class AppTest : public chidoan::testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped()) return;
    ASSERT_TRUE(org::bundle::load(*conn, clock, demo(), bundle_sections()));
    org::Store store(*conn, clock);
    auto id = [&](const char* code) { return (*store.org_by_code(code))->id; };
    vpubnd = id("VPUBND");
    ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
      CHIDOAN_TRY(levels, store.levels());
      int64_t l2 = 0, l4 = 0;
      for (const auto& l : levels) {
        if (l.rank == 2) l2 = l.id;
        if (l.holds_members) l4 = l.id;
      }
      CHIDOAN_TRY(dk2, store.create_org({"DK2", "Đoàn khối Doanh nghiệp", l2, id("LD"), ""}));
      CHIDOAN_TRY(o, store.create_org({"OTHER", "Chi đoàn Công ty Điện lực", l4, dk2, "2020-01-01"}));
      other_branch = o;
      auto in = org::rules::validate_member({{"family_name", "Ngô"}, {"given_name", "Bảo"}, {"sex", "male"}, {"birth_date", "1995-01-01"}, {"branch_since", "2020-02-01"}}, today(clock));
      CHIDOAN_TRY(m, store.add_member(o, *in));
      other_member = m;
      return {};
    }));
    org::MemberQuery q;
    auto page = store.members(*store.org(vpubnd), q, today(clock));
    own_member = page->items[1].id;
    peer_member = page->items[2].id;
    // One activity of the branch and one of the out-of-scope branch.
    activity::Store acts(*conn, clock);
    ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
      activity::ActivityInput in;
      in.type_id = (*acts.type_by_code("volunteer"))->id;
      in.title = "Chủ nhật xanh";
      in.starts_at = "2022-01-16T07:00";
      in.ends_at = "2022-01-16T10:00";
      CHIDOAN_TRY(a1, acts.create(*store.org(vpubnd), in));
      CHIDOAN_TRY(a2, acts.create(*store.org(other_branch), in));
      own_activity = a1;
      other_activity = a2;
      fund::Store funds(*conn, clock);
      fund::CampaignInput c{"Quỹ phòng, chống dịch", "", "2022-01-01", "", "", std::nullopt, 1};
      CHIDOAN_TRY(c1, funds.create_campaign(*store.org(vpubnd), c));
      CHIDOAN_TRY(c2, funds.create_campaign(*store.org(other_branch), c));
      own_campaign = c1;
      other_campaign = c2;
      fund::produce::ProduceStore produce(*conn, clock);
      for (auto [org_id, supplier, product, cycle] : {std::tuple{vpubnd, &own_supplier, &own_product, &own_cycle},
                                                      std::tuple{other_branch, &other_supplier, &other_product, &other_cycle}}) {
        CHIDOAN_TRY(sid, produce.add_supplier(org_id, {"HTX Xoài Đạ Tẻh", "cooperative", "Đạ Tẻh", "", ""}));
        fund::produce::ProductInput mango;
        mango.name = "Xoài cát";
        mango.unit = "kg";
        mango.price_vnd = 25000;
        CHIDOAN_TRY(pid, produce.add_product(sid, mango));
        CHIDOAN_TRY(o, store.org(org_id));
        CHIDOAN_TRY(cid, produce.create_cycle(o, {sid, "Xoài tháng 1", "2022-01-10T08:00", "2022-01-25T17:00", "2022-01-28", "Sảnh A"}));
        *supplier = sid;
        *product = pid;
        *cycle = cid;
      }
      return {};
    }));
    pool = open_pool(2);
    auth::AuthConfig cfg;
    cfg.hash = auth::HashParams::min();
    app = std::make_unique<App>(*pool, clock, cfg);
    auto users = chidoan::testing::create_users(*conn, clock, cfg,
                                                {{"admin", auth::Role::system_admin, id("TW"), std::nullopt},
                                                 {"doankhoi", auth::Role::org_manager, id("DKCQ"), std::nullopt},
                                                 {"sangpv", auth::Role::branch_secretary, vpubnd, std::nullopt},
                                                 {"thanhvien", auth::Role::member, vpubnd, own_member},
                                                 {"dienluc", auth::Role::branch_secretary, other_branch, std::nullopt}});
    ASSERT_TRUE(users) << users.error().message;
    tokens = *users;
    // The member "thanhvien" coordinates the branch's blood club; nobody else does, not even the
    // administrator.
    auto uid = conn->query_one("SELECT id FROM users WHERE username = 'thanhvien'");
    ASSERT_TRUE(uid && *uid);
    ASSERT_TRUE(auth::AuthStore(*conn, clock, cfg).add_grant((*uid)->i64(0), auth::Grant::blood_coordinator, vpubnd, auth::Actor::system("test")));
    // A blood club in each branch, with a donor (not the caller) and a request each.
    blood::Store blood_store(*conn, clock);
    ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
      for (auto [org_id, club, donor, request] : {std::tuple{vpubnd, &own_club, &own_donor, &own_request},
                                                  std::tuple{other_branch, &other_club, &other_donor, &other_request}}) {
        CHIDOAN_TRY(c, blood_store.create_club(org_id, "CLB hiến máu (thử)"));
        blood::DonorInput d;
        d.name = "Trần Thị Hoa";
        d.phone = "0912345678";
        d.sex = "female";
        d.birth_date = "1995-05-05";
        d.weight_class = ">=50";
        d.group = "O-";
        d.consent_health = d.consent_call = true;
        d.on_call = true;
        d.consented_on = "2021-04-10";
        CHIDOAN_TRY(did, blood_store.register_donor(c, d));
        blood::RequestInput r{"Bệnh viện Đa khoa tỉnh Lâm Đồng", "O-", "red_cells", 1, "2022-01-20", "", {}, "BS. Hạnh", "0263382222"};
        CHIDOAN_TRY(rid, blood_store.create_request(c, r, (*uid)->i64(0)));
        *club = c;
        *donor = did;
        *request = rid;
      }
      return {};
    }));
  }
  void TearDown() override {
    app.reset();
    pool.reset();
    DbTest::TearDown();
  }

  Reply call(const std::string& method, const std::string& target, const std::string& who, const std::string& body = "",
             const std::string& content_type = "application/json", const std::map<std::string, std::string>& headers = {}) {
    return chidoan::testing::call(app->router, method, target, who.empty() ? "" : tokens[who], body, content_type, headers);
  }
  int64_t count(int64_t org_id) {
    return *org::Store(*conn, clock).member_count(org_id, to_iso(today(clock)));
  }

  FixedClock clock{std::chrono::sys_days{std::chrono::year{2022} / 1 / 15} + 2h};
  std::unique_ptr<db::Pool> pool;
  std::unique_ptr<App> app;
  std::map<std::string, std::string> tokens;
  int64_t vpubnd = 0, other_branch = 0, own_member = 0, peer_member = 0, other_member = 0;
  int64_t own_activity = 0, other_activity = 0, own_campaign = 0, other_campaign = 0, province_campaign = 0;
  int64_t own_club = 0, other_club = 0, own_donor = 0, other_donor = 0, own_request = 0, other_request = 0;
  int64_t own_supplier = 0, other_supplier = 0, own_product = 0, other_product = 0, own_cycle = 0, other_cycle = 0;
};

// ---- the authorization matrix ----

TEST_P(AppTest, EveryRouteIsInTheMatrix) {
  for (const auto& [method, pattern] : app->router.routes()) {
    std::string p = pattern.starts_with("/api/v1/") && pattern != "/api/v1/me" && pattern != "/api/v1/logout-all" ? pattern.substr(7) : pattern;
    EXPECT_TRUE(route_needs().contains(method + " " + p)) << method << " " << pattern;
  }
}

TEST_P(AppTest, PolicyMatrixOverEveryScopedRoute) {
  int checked = 0;
  for (const auto& [method, pattern] : app->router.routes()) {
    if (pattern.find("{id:int}") == std::string::npos) continue;
    std::string key = method + " " + (pattern.starts_with("/api/v1/") ? pattern.substr(7) : pattern);
    Need need = route_needs().at(key);
    bool member_route = pattern.find("/members/{id:int}") != std::string::npos && pattern.find("/orgs/") == std::string::npos;
    bool activity_route = pattern.find("/activities/{id:int}") != std::string::npos;
    bool campaign_route = pattern.starts_with("/campaigns/") || pattern.starts_with("/api/v1/campaigns/");
    auto under = [&](const char* prefix) { return pattern.starts_with(prefix) || pattern.starts_with(std::string("/api/v1") + prefix); };
    // Produce routes name a supplier, a product or a cycle; blood routes a club, donor or request.
    std::optional<std::pair<int64_t, int64_t>> produce_target;
    if (under("/produce/suppliers/")) produce_target = {own_supplier, other_supplier};
    if (under("/produce/products/")) produce_target = {own_product, other_product};
    if (under("/produce/cycles/")) produce_target = {own_cycle, other_cycle};
    if (under("/blood/clubs/")) produce_target = {own_club, other_club};
    if (under("/blood/donors/")) produce_target = {own_donor, other_donor};
    if (under("/blood/requests/")) produce_target = {own_request, other_request};
    for (std::string who : {"admin", "doankhoi", "sangpv", "thanhvien"}) {
      for (bool in_scope : {true, false}) {
        int64_t target = produce_target   ? (in_scope ? produce_target->first : produce_target->second)
                         : member_route     ? (in_scope ? peer_member : other_member)
                         : activity_route ? (in_scope ? own_activity : other_activity)
                         : campaign_route ? (in_scope ? own_campaign : other_campaign)
                                          : (in_scope ? vpubnd : other_branch);
        std::string path = std::regex_replace(pattern, std::regex("\\{id:int\\}"), std::to_string(target));
        path = std::regex_replace(path, std::regex("\\{mid:int\\}"), std::to_string(in_scope ? peer_member : other_member));
        // No payment exists: allowed means "got past the policy to the lookup" (404).
        bool missing_ok = std::regex_search(pattern, std::regex("\\{(pid|cid|uid|did|oid):int\\}"));
        path = std::regex_replace(path, std::regex("\\{(pid|cid|uid|did|oid):int\\}"), "999999");
        Reply r = call(method, path, who, method == "GET" ? "" : "{}");
        bool allowed = in_scope ? expected_in_scope(who, need) : expected_out_of_scope(who, need);
        if (allowed)
          EXPECT_TRUE(r.status != 401 && r.status != 403 && (r.status != 404 || missing_ok)) << who << " " << method << " " << path << " -> " << r.status << " " << r.body.substr(0, 200);
        else
          EXPECT_EQ(r.status, 403) << who << " " << method << " " << path << " -> " << r.body.substr(0, 200);
        ++checked;
      }
    }
    // Anonymous: 401 for the API, the login page for a browser.
    std::string path = std::regex_replace(pattern, std::regex("\\{id:int\\}"),
                                          std::to_string(produce_target ? produce_target->first
                                                         : member_route ? peer_member
                                                         : activity_route ? own_activity
                                                         : campaign_route ? own_campaign : vpubnd));
    path = std::regex_replace(path, std::regex("\\{mid:int\\}"), std::to_string(peer_member));
    path = std::regex_replace(path, std::regex("\\{(pid|cid|uid|did|oid):int\\}"), "999999");
    Reply anon = call(method, path, "", method == "GET" ? "" : "{}");
    if (need == Need::public_page)
      EXPECT_EQ(anon.status, 200) << method << " " << path;
    else
      EXPECT_TRUE(pattern.starts_with("/api/") ? anon.status == 401 : anon.status == 303) << method << " " << path;
  }
  EXPECT_GT(checked, 150);
  // Members nothing was meant to change.
  EXPECT_EQ(count(vpubnd), 23);
  EXPECT_EQ(count(other_branch), 1);
}

// Every public page of the demo (each org's news page, its feed and JSON twin, every published
// post) carries no member's phone, CCCD or birth date, no blood group, and no member's name
// unless that member consented to be named in news.
TEST_P(AppTest, PublicPagesCarryNoPersonalData) {
  std::vector<std::string> pages;
  auto orgs = conn->query("SELECT id FROM orgs ORDER BY id");
  ASSERT_TRUE(orgs);
  for (const auto& o : *orgs) {
    std::string base = "/public/orgs/" + std::to_string(o.i64(0)) + "/news";
    for (const std::string& p : {base, base + ".atom", "/api/v1" + base}) pages.push_back(p);
  }
  auto posts = conn->query("SELECT id FROM news_posts WHERE state = 'published' ORDER BY id");
  ASSERT_TRUE(posts);
  EXPECT_GE(posts->size(), 3u) << "the demo's published posts";
  for (const auto& p : *posts)
    for (const char* prefix : {"", "/api/v1"}) pages.push_back(std::string(prefix) + "/public/news/" + std::to_string(p.i64(0)));

  // What must never show, with the member it belongs to.
  std::vector<std::pair<std::string, std::string>> forbidden;
  auto members = conn->query("SELECT m.family_name, m.middle_name, m.given_name, m.phone, m.cccd, m.birth_date, c.member_id "
                             "FROM members m LEFT JOIN news_consents c ON c.member_id = m.id");
  ASSERT_TRUE(members);
  for (const auto& m : *members) {
    std::string name = m.str(0) + (m.str(1).empty() ? "" : " " + m.str(1)) + " " + m.str(2);
    if (m.is_null(6)) forbidden.emplace_back(name, name);
    if (!m.str(3).empty()) {
      std::string phone = m.str(3), local = phone.starts_with("+84") ? "0" + phone.substr(3) : phone;
      for (const std::string& form : {phone, local, local.substr(0, 4) + " " + local.substr(4, 3) + " " + local.substr(7)})
        forbidden.emplace_back(form, name);
    }
    if (!m.str(4).empty()) forbidden.emplace_back(m.str(4), name);
    std::string birth = m.str(5);
    forbidden.emplace_back(birth, name);
    forbidden.emplace_back(birth.substr(8, 2) + "/" + birth.substr(5, 2) + "/" + birth.substr(0, 4), name);
  }
  ASSERT_GT(forbidden.size(), 100u);
  int scanned = 0;
  for (const auto& page : pages) {
    Reply r = call("GET", page, "");
    ASSERT_EQ(r.status, 200) << page;
    std::string body = r.body;
    for (size_t at = body.find("&#x2F;"); at != std::string::npos; at = body.find("&#x2F;", at)) body.replace(at, 6, "/");
    for (const auto& [text, whose] : forbidden) EXPECT_EQ(body.find(text), std::string::npos) << page << " shows " << text << " (" << whose << ")";
    EXPECT_EQ(body.find("nhóm máu"), std::string::npos) << page;
    ++scanned;
  }
  EXPECT_GT(scanned, 20);
}

TEST_P(AppTest, MembersOwnProfileAndNotAnothersDetails) {
  Reply own = call("GET", "/api/v1/members/" + std::to_string(own_member), "thanhvien");
  EXPECT_EQ(own.status, 200);
  EXPECT_TRUE(own.j().contains("phone"));
  Reply peer = call("GET", "/api/v1/members/" + std::to_string(peer_member), "thanhvien");
  EXPECT_EQ(peer.status, 200);
  EXPECT_FALSE(peer.j().contains("phone"));
  EXPECT_FALSE(peer.j().contains("cccd"));
}

// ---- the public API ----

TEST_P(AppTest, OrgsAndMembersApiShapes) {
  Reply orgs = call("GET", "/api/v1/orgs", "admin");
  ASSERT_EQ(orgs.status, 200);
  bool found = false;
  json all = orgs.j();
  for (const auto& o : all["items"]) {
    for (const char* k : {"id", "code", "name", "level", "parent_id"}) EXPECT_TRUE(o.contains(k)) << k;
    found = found || o["code"] == "VPUBND";
  }
  EXPECT_TRUE(found);
  Reply scoped = call("GET", "/api/v1/orgs", "sangpv");
  EXPECT_EQ(scoped.j()["items"].size(), 1u);

  Reply list = call("GET", "/api/v1/orgs/" + std::to_string(vpubnd) + "/members?limit=50", "sangpv");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.j()["total"], 23);
  auto items = list.j()["items"];
  ASSERT_EQ(items.size(), 23u);
  for (const char* k : {"id", "family_name", "middle_name", "given_name", "full_name", "birth_date", "unit", "status"})
    EXPECT_TRUE(items[0].contains(k)) << k;
  EXPECT_EQ(items[0]["given_name"], "Anh");  // Vietnamese order: tên first
  Reply search = call("GET", "/api/v1/orgs/" + std::to_string(vpubnd) + "/members?q=phan%20van%20sang", "sangpv");
  ASSERT_EQ(search.j()["total"], 1);
  EXPECT_EQ(search.j()["items"][0]["full_name"], "Phan Văn Sang");
  Reply duc = call("GET", "/api/v1/orgs/" + std::to_string(vpubnd) + "/members?q=duc", "sangpv");
  EXPECT_EQ(duc.j()["items"][0]["given_name"], "Đức");
  Reply before = call("GET", "/api/v1/orgs/" + std::to_string(vpubnd) + "/members?as_of=2021-03-31", "sangpv");
  EXPECT_EQ(before.j()["total"], 0);
  Reply page2 = call("GET", "/api/v1/orgs/" + std::to_string(vpubnd) + "/members?limit=10&offset=20", "sangpv");
  EXPECT_EQ(page2.j()["items"].size(), 3u);
  EXPECT_EQ(call("GET", "/api/v1/orgs/" + std::to_string(vpubnd) + "/members?limit=0", "sangpv").status, 422);
}

json good_member() {
  return {{"family_name", "Hoàng"}, {"middle_name", "Thị Minh"}, {"given_name", "Thư"}, {"sex", "female"},
          {"birth_date", "2000-05-14"}, {"cccd", "068300123456"}, {"phone", "0912 345 678"},
          {"joined_union_on", "2017-03-26"}, {"branch_since", "2021-05-01"}};
}

TEST_P(AppTest, CreateMemberReturns201AndRefusesBadInputNamingTheField) {
  std::string url = "/api/v1/orgs/" + std::to_string(vpubnd) + "/members";
  struct Case {
    std::string name;
    std::function<json()> body;
    int status;
    std::string field;
  };
  std::vector<Case> cases = {
      {"31/02", [] { auto b = good_member(); b["birth_date"] = "2000-02-31"; return b; }, 422, "birth_date"},
      {"future", [] { auto b = good_member(); b["birth_date"] = "2030-01-01"; return b; }, 422, "birth_date"},
      {"cccd 11", [] { auto b = good_member(); b["cccd"] = "06830012345"; return b; }, 422, "cccd"},
      {"unknown field", [] { auto b = good_member(); b["salary"] = "1"; return b; }, 422, "salary"},
      {"wrong type", [] { auto b = good_member(); b["birth_date"] = 20000514; return b; }, 422, "birth_date"},
      {"bad sex", [] { auto b = good_member(); b["sex"] = "x"; return b; }, 422, "sex"},
      {"foreign unit", [] { auto b = good_member(); b["unit_id"] = 999999; return b; }, 422, "unit_id"},
  };
  for (const auto& c : cases) {
    Reply r = call("POST", url, "sangpv", c.body().dump());
    EXPECT_EQ(r.status, c.status) << c.name << r.body;
    EXPECT_EQ(r.j()["error"]["field"], c.field) << c.name;
    EXPECT_FALSE(r.j()["error"]["message"].get<std::string>().empty());
  }
  Reply malformed = call("POST", url, "sangpv", "{\"family_name\": ");
  EXPECT_EQ(malformed.status, 422);
  EXPECT_EQ(malformed.j()["error"]["field"], "body");
  EXPECT_EQ(count(vpubnd), 23);

  Reply ok = call("POST", url, "sangpv", good_member().dump());
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(ok.j()["full_name"], "Hoàng Thị Minh Thư");
  EXPECT_EQ(ok.j()["phone"], "+84912345678");
  EXPECT_EQ(count(vpubnd), 24);
  Reply dup = call("POST", url, "sangpv", good_member().dump());
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(dup.j()["error"]["field"], "cccd");
  EXPECT_EQ(count(vpubnd), 24);

  EXPECT_EQ(call("POST", "/api/v1/orgs/999999/members", "admin", good_member().dump()).status, 404);
  // The write is audited.
  auto audit = conn->query_one("SELECT COUNT(*) FROM audit_log WHERE entity = 'member' AND action = 'create'");
  EXPECT_EQ((*audit)->i64(0), 1);
}

// The demo's tree fits on the page whole, with each org's members counted in its subtree; the API
// lists the same orgs.
TEST_P(AppTest, OrgTreePageShowsASmallTreeWhole) {
  Reply page = call("GET", "/orgs", "admin");
  ASSERT_EQ(page.status, 200);
  Reply api = call("GET", "/api/v1/orgs", "admin");
  ASSERT_EQ(api.status, 200);
  json orgs = api.j();
  ASSERT_FALSE(orgs["items"].empty());
  for (const auto& o : orgs["items"]) {
    std::string href = "href=\"/orgs/" + std::to_string(o["id"].get<int64_t>()) + "\"";
    EXPECT_NE(page.body.find(href), std::string::npos) << o["code"];
  }
  EXPECT_EQ(page.body.find("thu gọn"), std::string::npos);
  EXPECT_EQ(page.body.find("Xem các đơn vị trực thuộc"), std::string::npos);
  // VPUBND's count, and its ancestors' at least as many.
  const std::string own = std::to_string(count(vpubnd)) + " ĐV";
  EXPECT_NE(page.body.find(own), std::string::npos) << own;
}

TEST_P(AppTest, HtmlInNamesIsStoredAsTextAndShownEscaped) {
  auto b = good_member();
  b["given_name"] = "<script>alert(1)</script>";
  b.erase("cccd");
  Reply ok = call("POST", "/api/v1/orgs/" + std::to_string(vpubnd) + "/members", "sangpv", b.dump());
  ASSERT_EQ(ok.status, 201);
  EXPECT_EQ(ok.j()["given_name"], "<script>alert(1)</script>");
  Reply page = call("GET", "/members/" + std::to_string(ok.j()["id"].get<int64_t>()), "sangpv");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.body.find("<script>alert"), std::string::npos);
  EXPECT_NE(page.body.find("&lt;script&gt;"), std::string::npos);
}

TEST_P(AppTest, SqlMetacharactersInSearchAreJustText) {
  for (std::string q : {"%27%3B%20DROP%20TABLE%20members%3B--", "%25", "_", "%5C"}) {
    Reply r = call("GET", "/api/v1/orgs/" + std::to_string(vpubnd) + "/members?q=" + q, "sangpv");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.j()["total"], 0) << q;
  }
  EXPECT_EQ(count(vpubnd), 23);
}

TEST_P(AppTest, MemberCannotMoveIntoADissolvedBranch) {
  org::Store store(*conn, clock);
  int64_t dk = *(*store.org(vpubnd)).parent_id;
  Reply child = call("POST", "/api/v1/orgs/" + std::to_string(dk) + "/children", "admin",
                     json{{"code", "OLD"}, {"name", "Chi đoàn sắp giải thể"}, {"level_id", (*store.org(vpubnd)).level_id}}.dump());
  ASSERT_EQ(child.status, 201) << child.body;
  int64_t old = child.j()["id"];
  ASSERT_EQ(call("POST", "/api/v1/orgs/" + std::to_string(old) + "/dissolve", "admin", json{{"reason", "Sáp nhập cơ quan"}}.dump()).status, 200);
  Reply move = call("POST", "/api/v1/members/" + std::to_string(peer_member) + "/lifecycle", "admin",
                    json{{"action", "transfer"}, {"target_branch_id", old}}.dump());
  EXPECT_EQ(move.status, 422);
  EXPECT_EQ(move.j()["error"]["field"], "target_branch_id");
  EXPECT_EQ(count(vpubnd), 23);
}

std::string multipart(const std::string& filename, const std::string& content, const std::string& extra = "") {
  return "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename +
         "\"\r\nContent-Type: text/csv\r\n\r\n" + content + "\r\n" + extra + "--XyZ--\r\n";
}

TEST_P(AppTest, ImportWithABadRowWritesNothing) {
  std::string csv = "Họ và tên,Ngày sinh,Giới tính,Số CCCD\r\nNguyễn Văn Kiên,12/03/1998,Nam,\r\nTrần Thị Mai,31/02/2000,Nữ,\r\n";
  std::string url = "/api/v1/orgs/" + std::to_string(vpubnd) + "/import?dry_run=0";
  Reply r = call("POST", url, "sangpv", multipart("ds.csv", csv), "multipart/form-data; boundary=XyZ");
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(r.j()["bad"], 1) << r.body;
  EXPECT_EQ(r.j()["rows"][1]["error"]["field"], "birth_date");
  EXPECT_EQ(count(vpubnd), 23);
  Reply pdf = call("POST", url, "sangpv", multipart("ds.pdf", "%PDF-1.4 nonsense"), "multipart/form-data; boundary=XyZ");
  EXPECT_EQ(pdf.status, 422);
  EXPECT_EQ(pdf.j()["error"]["field"], "file");
  std::string good = "Họ và tên,Ngày sinh,Giới tính\r\nNguyễn Văn Kiên,12/03/1998,Nam\r\n";
  Reply ok = call("POST", url, "sangpv", multipart("ds.csv", good), "multipart/form-data; boundary=XyZ");
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.j()["inserted"], 1);
  EXPECT_EQ(count(vpubnd), 24);
  // The same file again (a second click, a form sent again): refused, nobody added twice; the
  // preview still works, and another file goes in.
  Reply again = call("POST", url, "sangpv", multipart("ds.csv", good), "multipart/form-data; boundary=XyZ");
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_EQ(again.j()["error"]["field"], "file");
  EXPECT_NE(again.j()["error"]["message"].get<std::string>().find("đã được nhập"), std::string::npos);
  EXPECT_EQ(count(vpubnd), 24);
  EXPECT_EQ(call("POST", "/api/v1/orgs/" + std::to_string(vpubnd) + "/import", "sangpv", multipart("ds.csv", good),
                 "multipart/form-data; boundary=XyZ").status,
            200);
  std::string other = "Họ và tên,Ngày sinh,Giới tính\r\nTrần Thị Mai,01/02/2000,Nữ\r\n";
  EXPECT_EQ(call("POST", url, "sangpv", multipart("ds2.csv", other), "multipart/form-data; boundary=XyZ").status, 200);
  EXPECT_EQ(count(vpubnd), 25);
}

TEST_P(AppTest, ExportsCsvAndXlsx) {
  Reply csv = call("GET", "/orgs/" + std::to_string(vpubnd) + "/export.csv", "sangpv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_NE(csv.body.find("Phan Văn Sang"), std::string::npos);
  Reply xlsx = call("GET", "/orgs/" + std::to_string(vpubnd) + "/export.xlsx", "sangpv");
  ASSERT_EQ(xlsx.status, 200);
  EXPECT_EQ(xlsx.body.substr(0, 2), "PK");
}

// ---- sessions and CSRF ----

class SessionTest : public AppTest {
 protected:
  std::pair<std::string, std::string> login(const std::string& username = "sangpv") {
    auth::AuthConfig cfg;
    cfg.hash = auth::HashParams::min();
    auth::AuthStore store(*conn, clock, cfg);
    auto r = store.login(username, "mat-khau-rat-dai-2021", "192.0.2.7");
    EXPECT_TRUE(r);
    return {r->session_token, r->csrf_token};
  }
  Reply form_post(const std::string& path, const std::string& cookie, const std::string& body) {
    return call("POST", path, "", body, "application/x-www-form-urlencoded", {{"cookie", "chidoan_session=" + cookie}});
  }
};

TEST_P(SessionTest, FormsNeedTheSessionsCsrfToken) {
  auto [session, csrf] = login();
  std::string path = "/orgs/" + std::to_string(vpubnd) + "/units";
  EXPECT_EQ(form_post(path, session, "name=Ph%C3%B2ng%20m%E1%BB%9Bi").status, 403);
  EXPECT_EQ(form_post(path, session, "name=x&_csrf=forged").status, 403);
  EXPECT_EQ(org::Store(*conn, clock).units(vpubnd)->size(), 4u);
  Reply ok = form_post(path, session, "name=Ph%C3%B2ng%20m%E1%BB%9Bi&_csrf=" + csrf);
  EXPECT_EQ(ok.status, 303);
  EXPECT_EQ(org::Store(*conn, clock).units(vpubnd)->size(), 5u);
  // htmx sends the token as a header.
  Reply htmx = call("POST", path, "", "name=Ban%20kh%C3%A1c", "application/x-www-form-urlencoded",
                    {{"cookie", "chidoan_session=" + session}, {"x-csrf-token", csrf}});
  EXPECT_EQ(htmx.status, 303);
}

TEST_P(SessionTest, AnExpiredSessionSendsTheBrowserToLogin) {
  auto [session, csrf] = login();
  std::string page = "/orgs/" + std::to_string(vpubnd);
  EXPECT_EQ(call("GET", page, "", "", "", {{"cookie", "chidoan_session=" + session}}).status, 200);
  clock.advance(std::chrono::hours(13));
  Reply late = call("GET", page, "", "", "", {{"cookie", "chidoan_session=" + session}});
  EXPECT_EQ(late.status, 303);
  EXPECT_TRUE(late.headers["Location"].starts_with("/login")) << late.headers["Location"];
  EXPECT_EQ(call("GET", "/api/v1/orgs", "", "", "", {{"cookie", "chidoan_session=" + session}}).status, 401);
}

TEST_P(SessionTest, LogoutEndsTheSession) {
  auto [session, csrf] = login();
  EXPECT_EQ(form_post("/logout", session, "_csrf=" + csrf).status, 303);
  EXPECT_EQ(call("GET", "/", "", "", "", {{"cookie", "chidoan_session=" + session}}).status, 303);
}

// A branch's member lists are kept rendered (org/routes.cpp); whatever changes the roll shows at
// once, on the API and on the page, whoever asks and whatever code made the change.
TEST_P(SessionTest, KeptMemberListsChangeTheMomentTheRollDoes) {
  const std::string api = "/api/v1/orgs/" + std::to_string(vpubnd) + "/members?limit=50";
  auto names = [](const Reply& r) {
    std::set<std::string> out;
    const json j = r.j();
    for (const auto& m : j["items"]) out.insert(m["full_name"].get<std::string>());
    return out;
  };
  Reply first = call("GET", api, "sangpv");
  ASSERT_EQ(first.status, 200);
  const std::string etag = first.headers["ETag"];
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(first.headers["Cache-Control"], "private, no-cache");
  EXPECT_EQ(call("GET", api, "sangpv", "", "", {{"if-none-match", etag}}).status, 304);
  EXPECT_EQ(call("GET", api, "admin").body, first.body);  // one answer for everyone allowed to see it
  EXPECT_EQ(call("GET", api, "", "", "", {{"if-none-match", etag}}).status, 401);  // never past the policy

  // Added through the API.
  Reply added = call("POST", "/api/v1/orgs/" + std::to_string(vpubnd) + "/members", "sangpv", good_member().dump());
  ASSERT_EQ(added.status, 201) << added.body;
  const std::string id = std::to_string(added.j()["id"].get<int64_t>());
  Reply after_add = call("GET", api, "sangpv", "", "", {{"if-none-match", etag}});
  ASSERT_EQ(after_add.status, 200);
  EXPECT_EQ(after_add.j()["total"], 24);
  EXPECT_TRUE(names(after_add).contains("Hoàng Thị Minh Thư"));

  // Edited through the API.
  json edited = good_member();
  edited["given_name"] = "Thảo";
  ASSERT_EQ(call("PUT", "/api/v1/members/" + id, "sangpv", edited.dump()).status, 200);
  Reply after_edit = call("GET", api, "admin");
  EXPECT_TRUE(names(after_edit).contains("Hoàng Thị Minh Thảo"));
  EXPECT_FALSE(names(after_edit).contains("Hoàng Thị Minh Thư"));

  // Changed by SQL outside the web (a bundle, the command line): the triggers follow it too.
  ASSERT_TRUE(conn->execute("UPDATE members SET middle_name = 'Thị' WHERE id = ?1", {added.j()["id"].get<int64_t>()}));
  EXPECT_TRUE(names(call("GET", api, "sangpv")).contains("Hoàng Thị Thảo"));

  // Moved to another branch: gone from this list, there in the other's.
  const std::string other_api = "/api/v1/orgs/" + std::to_string(other_branch) + "/members";
  EXPECT_EQ(call("GET", other_api, "admin").j()["total"], 1);
  ASSERT_EQ(call("POST", "/api/v1/members/" + id + "/lifecycle", "admin",
                 json{{"action", "transfer"}, {"target_branch_id", other_branch}}.dump())
                .status,
            200);
  EXPECT_EQ(call("GET", api, "sangpv").j()["total"], 23);
  EXPECT_EQ(call("GET", other_api, "admin").j()["total"], 2);

  // The page: each viewer's own top bar and CSRF token, the branch's current name and units.
  auto [session, csrf] = login();
  auto [other_session, other_csrf] = login("doankhoi");
  const std::string page = "/orgs/" + std::to_string(vpubnd) + "/members";
  Reply mine = call("GET", page, "", "", "", {{"cookie", "chidoan_session=" + session}});
  ASSERT_EQ(mine.status, 200);
  EXPECT_TRUE(mine.body.contains(csrf));
  Reply theirs = call("GET", page, "", "", "", {{"cookie", "chidoan_session=" + other_session}});
  ASSERT_EQ(theirs.status, 200);
  EXPECT_TRUE(theirs.body.contains(other_csrf));
  EXPECT_FALSE(theirs.body.contains(csrf));
  EXPECT_EQ(call("GET", page, "", "", "", {{"cookie", "chidoan_session=" + session}}).body, mine.body);

  EXPECT_FALSE(mine.body.contains("Tổ Thanh niên mới"));
  ASSERT_EQ(form_post("/orgs/" + std::to_string(vpubnd) + "/units", session,
                      "name=T%E1%BB%95%20Thanh%20ni%C3%AAn%20m%E1%BB%9Bi&_csrf=" + csrf)
                .status,
            303);
  EXPECT_TRUE(call("GET", page, "", "", "", {{"cookie", "chidoan_session=" + session}}).body.contains("Tổ Thanh niên mới"));

  ASSERT_TRUE(conn->transaction([&] { return org::Store(*conn, clock).rename_org(vpubnd, "Chi đoàn Văn phòng (tên mới)", "2022-01-15"); }));
  EXPECT_TRUE(call("GET", page, "", "", "", {{"cookie", "chidoan_session=" + session}}).body.contains("Chi đoàn Văn phòng (tên mới)"));

  // An htmx request for the rows gets the rows, not the page kept for the same address.
  Reply rows = call("GET", page, "", "", "", {{"cookie", "chidoan_session=" + session}, {"hx-request", "true"}, {"hx-target", "member-list-wrap"}});
  ASSERT_EQ(rows.status, 200);
  EXPECT_FALSE(rows.body.contains("<html"));
  EXPECT_TRUE(rows.body.contains("member-row"));
}

CHIDOAN_INSTANTIATE_DB_TEST(AppTest);
CHIDOAN_INSTANTIATE_DB_TEST(SessionTest);

}  // namespace
}  // namespace chidoan::app

namespace chidoan::app {
namespace {

// ---- activities over HTTP: the bad inputs of issue #3 ----

class ActivityHttpTest : public AppTest {
 protected:
  int64_t rows(const char* table) { return (*conn->query_one(std::string("SELECT COUNT(*) FROM ") + table))->i64(0); }
  std::string activity_url(int64_t id, const std::string& rest = "") { return "/api/v1/activities/" + std::to_string(id) + rest; }
  int64_t create_activity(const json& body) {
    Reply r = call("POST", "/api/v1/orgs/" + std::to_string(vpubnd) + "/activities", "sangpv", body.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return r.j().value("id", int64_t{0});
  }
  json activity(const char* starts, const char* ends, int capacity = 0) {
    json b{{"type_id", std::to_string((*activity::Store(*conn, clock).type_by_code("volunteer"))->id)},
           {"title", "Ngày thứ Bảy tình nguyện"}, {"starts_at", starts}, {"ends_at", ends}};
    if (capacity) b["capacity"] = std::to_string(capacity);
    return b;
  }
};

TEST_P(ActivityHttpTest, EndBeforeStartIsRefusedAndNothingWritten) {
  int64_t before = rows("activities");
  Reply r = call("POST", "/api/v1/orgs/" + std::to_string(vpubnd) + "/activities", "sangpv",
                 activity("2022-01-20T10:00", "2022-01-20T09:00").dump());
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.j()["error"]["field"], "ends_at");
  EXPECT_EQ(rows("activities"), before);
  Reply unknown = call("POST", "/api/v1/orgs/" + std::to_string(vpubnd) + "/activities", "sangpv", json{{"colour", "red"}}.dump());
  EXPECT_EQ(unknown.status, 422);
  EXPECT_EQ(unknown.j()["error"]["field"], "colour");
}

TEST_P(ActivityHttpTest, SignupTwiceAfterTheWindowAndForStrangers) {
  int64_t id = create_activity(activity("2022-01-20T07:00", "2022-01-20T11:00", 1));
  // The committee signs a member up; the second time is a conflict.
  Reply first = call("POST", activity_url(id, "/signups"), "sangpv", json{{"member_id", peer_member}}.dump());
  EXPECT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.j()["status"], "confirmed");
  Reply twice = call("POST", activity_url(id, "/signups"), "sangpv", json{{"member_id", peer_member}}.dump());
  EXPECT_EQ(twice.status, 409);
  // Capacity 1: the member themself goes on the waiting list.
  Reply self = call("POST", activity_url(id, "/signups"), "thanhvien", "{}");
  EXPECT_EQ(self.status, 201);
  EXPECT_EQ(self.j()["status"], "waitlisted");
  // Another branch's member cannot be signed up by this committee.
  Reply stranger = call("POST", activity_url(id, "/signups"), "sangpv", json{{"member_id", other_member}}.dump());
  EXPECT_EQ(stranger.status, 403);
  int64_t signups = rows("signups");
  clock.advance(std::chrono::hours(24 * 6));
  Reply late = call("POST", activity_url(id, "/signups"), "admin", json{{"member_id", own_member + 0}}.dump());
  EXPECT_EQ(late.status, 422);
  EXPECT_EQ(late.j()["error"]["field"], "signup");
  EXPECT_EQ(rows("signups"), signups);
}

// The page offers sign-up while the window is open: before a deadline that falls before the
// start, and not once the activity is over.
TEST_P(ActivityHttpTest, ThePageOffersSignUpWhileTheWindowIsOpen) {
  const std::string button = "/signups\" class=\"inline-form\"";
  json with_deadline = activity("2022-01-22T07:00", "2022-01-22T11:00");
  with_deadline["signup_closes_at"] = "2022-01-18T17:00";
  int64_t open = create_activity(with_deadline);
  int64_t over = create_activity(activity("2022-01-12T07:00", "2022-01-12T11:00"));
  Reply page = call("GET", "/activities/" + std::to_string(open), "thanhvien");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find(button), std::string::npos) << "open until 18/01";
  Reply done = call("GET", "/activities/" + std::to_string(over), "thanhvien");
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.body.find(button), std::string::npos) << "over on 12/01";
  clock.advance(std::chrono::hours(24 * 4));  // 19/01: the deadline has passed
  EXPECT_EQ(call("GET", "/activities/" + std::to_string(open), "thanhvien").body.find(button), std::string::npos);
}

TEST_P(ActivityHttpTest, AttendanceAndHoursRefuseBadInput) {
  int64_t id = create_activity(activity("2022-01-14T07:00", "2022-01-14T11:00"));
  Reply stranger = call("POST", activity_url(id, "/attendance"), "sangpv",
                        json{{"statuses", {{std::to_string(other_member), "present"}}}}.dump());
  EXPECT_EQ(stranger.status, 422);
  EXPECT_EQ(stranger.j()["error"]["field"], "member_id");
  auto register_rows = [&] { return (*conn->query_one("SELECT COUNT(*) FROM attendance WHERE activity_id = ?1", {id}))->i64(0); };
  EXPECT_EQ(register_rows(), 0);
  Reply ok = call("POST", activity_url(id, "/attendance"), "sangpv", json{{"statuses", {{std::to_string(peer_member), "present"}}}}.dump());
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(register_rows(), 1);  // a volunteer activity expects those who sign up: here, the one marked
  auto minutes_of = [&] {
    return (*conn->query_one("SELECT COALESCE(SUM(minutes), 0) FROM attendance WHERE activity_id = ?1", {id}))->i64(0);
  };
  for (const char* hours : {"-1", "25", "abc", "nan", "inf", "1e3", "0x2", "2,", "2,5,1", "1,2345"}) {
    Reply bad = call("POST", activity_url(id, "/hours"), "sangpv", json{{"member_id", peer_member}, {"hours", hours}}.dump());
    EXPECT_EQ(bad.status, 422) << hours;
    EXPECT_EQ(bad.j()["error"]["field"], "hours") << hours << bad.body;
  }
  Reply too_many = call("POST", activity_url(id, "/hours"), "sangpv", json{{"member_id", peer_member}, {"minutes", "1500"}}.dump());
  EXPECT_EQ(too_many.j()["error"]["field"], "minutes") << too_many.body;
  EXPECT_EQ(minutes_of(), 0);
  Reply good = call("POST", activity_url(id, "/hours"), "sangpv", json{{"member_id", peer_member}, {"hours", "3,5"}}.dump());
  EXPECT_EQ(good.status, 200) << good.body;
  Reply part = call("GET", "/api/v1/orgs/" + std::to_string(vpubnd) + "/participation?year=2022", "sangpv");
  ASSERT_EQ(part.status, 200);
  EXPECT_EQ(part.j()["total"]["present"], 1);
  EXPECT_EQ(part.j()["total"]["minutes"], 210);
  EXPECT_TRUE(part.j().contains("study"));
}

TEST_P(ActivityHttpTest, AnExpiredQrCodeIsRefused) {
  int64_t id = create_activity(activity("2022-01-15T08:00", "2022-01-15T10:00"));
  std::string secret = (*conn->query_one("SELECT qr_secret FROM activities WHERE id = ?1", {id}))->str(0);
  Reply forged = call("POST", activity_url(id, "/checkin"), "thanhvien", json{{"k", "0000"}}.dump());
  EXPECT_EQ(forged.status, 422);
  Reply in = call("POST", activity_url(id, "/checkin"), "thanhvien", json{{"k", secret}}.dump());
  EXPECT_EQ(in.status, 200) << in.body;
  clock.advance(std::chrono::hours(3));
  Reply late = call("POST", activity_url(id, "/checkin"), "thanhvien", json{{"k", secret}}.dump());
  EXPECT_EQ(late.status, 422);
  EXPECT_EQ(late.j()["error"]["field"], "k");
  Reply page = call("GET", "/activities/" + std::to_string(id) + "/checkin?k=" + secret, "thanhvien");
  EXPECT_EQ(page.status, 422);
  EXPECT_EQ(page.body.find("Ngày thứ Bảy"), std::string::npos);
}

TEST_P(ActivityHttpTest, CalendarFeedParsesWithARealICalendarParser) {
  int64_t id = create_activity(activity("2022-01-20T07:00", "2022-01-20T11:00"));
  ASSERT_EQ(call("POST", activity_url(id, "/signups"), "thanhvien", "{}").status, 201);
  Reply feed = call("POST", "/api/v1/members/" + std::to_string(own_member) + "/calendar", "thanhvien", "{}");
  ASSERT_EQ(feed.status, 201) << feed.body;
  EXPECT_EQ(call("POST", "/api/v1/members/" + std::to_string(peer_member) + "/calendar", "thanhvien", "{}").status, 403);
  Reply ics = call("GET", feed.j()["url"].get<std::string>(), "");
  ASSERT_EQ(ics.status, 200);
  EXPECT_TRUE(ics.headers["Content-Type"].starts_with("text/calendar"));
  std::string file = std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") + "/chidoan-feed-" + std::to_string(::getpid()) + ".ics";
  std::ofstream(file, std::ios::binary) << ics.body;
  std::string check =
      "/usr/bin/python3 -c \"import icalendar,sys; c=icalendar.Calendar.from_ical(open(sys.argv[1],'rb').read()); "
      "e=[x for x in c.walk('VEVENT') if str(x['SUMMARY'])=='Ngày thứ Bảy tình nguyện']; assert len(e)==1, len(e); "
      "assert e[0].decoded('DTSTART').isoformat()=='2022-01-20T00:00:00+00:00', e[0].decoded('DTSTART'); "
      "assert all(x.decoded('DTEND') >= x.decoded('DTSTART') for x in c.walk('VEVENT'))\" " + file;
  EXPECT_EQ(std::system(check.c_str()), 0);
  std::remove(file.c_str());
  EXPECT_EQ(call("GET", "/calendar/not-a-token.ics", "").status, 404);
}

CHIDOAN_INSTANTIATE_DB_TEST(ActivityHttpTest);

}  // namespace
}  // namespace chidoan::app

namespace chidoan::app {
namespace {

// ---- the campaign ledger over HTTP: the bad inputs of issue #4 and the article's figures ----

class FundHttpTest : public AppTest {
 protected:
  std::string url(const std::string& rest = "") { return "/api/v1/campaigns/" + std::to_string(own_campaign) + rest; }
  int64_t entries() { return (*conn->query_one("SELECT COUNT(*) FROM contributions WHERE campaign_id = ?1", {own_campaign}))->i64(0); }
  json money(const std::string& amount) {
    return {{"round_no", "1"}, {"kind", "money"}, {"amount_vnd", amount}, {"contributor_kind", "agency"},
            {"contributor_name", "Văn phòng UBND tỉnh"}, {"on_date", "2022-01-10"}};
  }
};

TEST_P(FundHttpTest, TheCovidFundOfTheArticleFromTheData) {
  Reply r = call("GET", "/api/v1/orgs/" + std::to_string(vpubnd) + "/campaigns?year=2021", "sangpv");
  ASSERT_EQ(r.status, 200) << r.body;
  bool found = false;
  const json body = r.j();
  for (const auto& c : body["items"]) {
    if (c["name"].get<std::string>().find("COVID-19 (cùng cơ quan") == std::string::npos) continue;
    found = true;
    EXPECT_EQ(c["rounds"].size(), 2u);
    EXPECT_GT(c["money_vnd"].get<int64_t>(), 130'000'000);
    int64_t sum = 0;
    for (const auto& round : c["rounds"]) sum += round["money_vnd"].get<int64_t>();
    EXPECT_EQ(sum, c["money_vnd"].get<int64_t>());
    for (const char* k : {"id", "name", "rounds", "money_vnd", "in_kind"}) EXPECT_TRUE(c.contains(k)) << k;
  }
  EXPECT_TRUE(found);
  // The in-kind drives of the Đoàn khối are seen by the branch, money and items apart.
  bool rice = false;
  for (const auto& c : body["items"])
    for (const auto& i : c["in_kind"]) rice = rice || (i["item"] == "Gạo" && i["unit"] == "kg" && i["quantity"].get<double>() > 0);
  EXPECT_TRUE(rice);
}

TEST_P(FundHttpTest, BadAmountsAreRefusedAndNothingWritten) {
  for (const char* amount : {"-100000", "0", "12,5", "1000000000000001", "1e6"}) {
    Reply bad = call("POST", url("/contributions"), "sangpv", money(amount).dump());
    EXPECT_EQ(bad.status, 422) << amount << bad.body;
    EXPECT_EQ(bad.j()["error"]["field"], "amount_vnd") << amount;
  }
  json no_unit{{"round_no", "1"}, {"kind", "in_kind"}, {"item", "Gạo"}, {"quantity", "50"}, {"on_date", "2022-01-10"}};
  EXPECT_EQ(call("POST", url("/contributions"), "sangpv", no_unit.dump()).j()["error"]["field"], "unit");
  no_unit["unit"] = "kg";
  no_unit.erase("quantity");
  EXPECT_EQ(call("POST", url("/contributions"), "sangpv", no_unit.dump()).j()["error"]["field"], "quantity");
  json round9 = money("500000");
  round9["round_no"] = "9";
  EXPECT_EQ(call("POST", url("/contributions"), "sangpv", round9.dump()).j()["error"]["field"], "round_no");
  EXPECT_EQ(entries(), 0);
}

TEST_P(FundHttpTest, ReceiptsLockReversalsHappenOnceClosedCampaignsRefuse) {
  json with_receipt = money("500000");
  with_receipt["receipt"] = "1";
  Reply a = call("POST", url("/contributions"), "sangpv", with_receipt.dump());
  ASSERT_EQ(a.status, 201) << a.body;
  EXPECT_EQ(a.j()["receipt_no"], 1);
  int64_t receipted = a.j()["id"];
  Reply edit = call("PATCH", url("/contributions/" + std::to_string(receipted)), "sangpv", json{{"note", "sửa"}}.dump());
  EXPECT_EQ(edit.status, 409);
  Reply pdf = call("GET", url("/contributions/" + std::to_string(receipted) + "/receipt.pdf"), "thanhvien");
  EXPECT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");
  Reply b = call("POST", url("/contributions"), "sangpv", money("700000").dump());
  int64_t plain = b.j()["id"];
  Reply rev = call("POST", url("/contributions/" + std::to_string(plain) + "/reverse"), "sangpv", json{{"reason", "Ghi nhầm"}}.dump());
  EXPECT_EQ(rev.status, 201) << rev.body;
  EXPECT_EQ(rev.j()["amount_vnd"], -700000);
  Reply twice = call("POST", url("/contributions/" + std::to_string(plain) + "/reverse"), "sangpv", json{{"reason", "Lần nữa"}}.dump());
  EXPECT_EQ(twice.status, 409);
  Reply locked = call("POST", url("/contributions/" + std::to_string(receipted) + "/reverse"), "sangpv", json{{"reason", "x"}}.dump());
  EXPECT_EQ(locked.status, 409);
  Reply later = call("POST", url("/contributions"), "sangpv", money("300000").dump());
  ASSERT_EQ(later.status, 201) << later.body;
  EXPECT_EQ(entries(), 4);
  ASSERT_EQ(call("POST", url("/close"), "sangpv", "{}").status, 200);
  Reply closed = call("POST", url("/contributions"), "sangpv", money("100000").dump());
  EXPECT_EQ(closed.status, 409);
  // Nor a correction, money or goods alike, until the campaign is reopened.
  const std::string reverse_later = url("/contributions/" + std::to_string(later.j()["id"].get<int64_t>()) + "/reverse");
  EXPECT_EQ(call("POST", reverse_later, "sangpv", json{{"reason", "Ghi nhầm"}}.dump()).status, 409);
  EXPECT_EQ(entries(), 4);
  ASSERT_EQ(call("POST", url("/reopen"), "sangpv", "{}").status, 200);
  EXPECT_EQ(call("POST", reverse_later, "sangpv", json{{"reason", "Ghi nhầm"}}.dump()).status, 201);
  EXPECT_EQ(entries(), 5);
  Reply page = call("GET", "/campaigns/" + std::to_string(own_campaign), "sangpv");
  EXPECT_EQ(page.status, 200);
  Reply csv = call("GET", url("/export.csv"), "sangpv");
  EXPECT_NE(csv.body.find("Văn phòng UBND tỉnh"), std::string::npos);
}

// A campaign of the province, collected by two branches below it: each corrects its own lines
// (the organiser any), and a reversal nets out in the original's collector and work unit.
TEST_P(FundHttpTest, ABranchCorrectsOnlyTheLinesItCollected) {
  org::Store orgs(*conn, clock);
  fund::Store funds(*conn, clock);
  const org::Org province = **orgs.org_by_code("LD");
  auto made = conn->transaction([&]() -> Result<void> {
    fund::CampaignInput c{"Áo ấm cho em", "", "2022-01-01", "", "", std::nullopt, 0};
    CHIDOAN_TRY(id, funds.create_campaign(province, c));
    province_campaign = id;
    return {};
  });
  ASSERT_TRUE(made) << made.error().message;
  const std::string base = "/api/v1/campaigns/" + std::to_string(province_campaign);
  json line{{"kind", "money"}, {"amount_vnd", "300.000"}, {"contributor_kind", "member"}, {"member_id", own_member},
            {"on_date", "2022-01-10"}};
  Reply mine = call("POST", base + "/contributions", "sangpv", line.dump());
  ASSERT_EQ(mine.status, 201) << mine.body;
  const int64_t own_line = mine.j()["id"];
  const std::string own = base + "/contributions/" + std::to_string(own_line);
  // The other branch can neither reverse, nor receipt, nor rename the line of VPUBND.
  for (auto [method, path, body] : {std::tuple{"POST", own + "/reverse", json{{"reason", "Ghi nhầm"}}},
                                    std::tuple{"POST", own + "/receipt", json::object()},
                                    std::tuple{"PATCH", own, json{{"contributor_name", "Người khác"}}}}) {
    Reply r = call(method, path, "dienluc", body.dump());
    EXPECT_EQ(r.status, 403) << path << r.body;
  }
  auto lines = [&] { return (*conn->query_one("SELECT COUNT(*) FROM contributions WHERE campaign_id = ?1", {province_campaign}))->i64(0); };
  EXPECT_EQ(lines(), 1);
  auto receipt = conn->query_one("SELECT receipt_no IS NULL, contributor_name FROM contributions WHERE id = ?1", {own_line});
  ASSERT_TRUE(receipt && *receipt);
  EXPECT_EQ((*receipt)->i64(0), 1);
  // A reversal dated in the future, or before the line, is refused; nothing is written.
  for (const char* day : {"2022-02-01", "2022-01-09", "10/01/2022"}) {
    Reply r = call("POST", own + "/reverse", "sangpv", json{{"reason", "Ghi nhầm"}, {"on_date", day}}.dump());
    EXPECT_EQ(r.status, 422) << day << r.body;
    EXPECT_EQ(r.j()["error"]["field"], "on_date") << day;
  }
  EXPECT_EQ(lines(), 1);
  // The branch reverses its own line: the collector's and the work unit's totals net to zero.
  Reply rev = call("POST", own + "/reverse", "sangpv", json{{"reason", "Ghi nhầm"}}.dump());
  ASSERT_EQ(rev.status, 201) << rev.body;
  EXPECT_EQ(rev.j()["unit_id"], mine.j()["unit_id"]);
  auto nets_out = [&](const Result<std::vector<fund::Bucket>>& buckets) {
    ASSERT_TRUE(buckets) << buckets.error().message;
    EXPECT_FALSE(buckets->empty());
    for (const auto& b : *buckets) EXPECT_EQ(b.money_vnd, 0) << b.key;
  };
  nets_out(funds.by_collector(province_campaign));
  nets_out(funds.by_unit(province_campaign));
  // The organiser corrects a branch's line.
  Reply theirs = call("POST", base + "/contributions", "dienluc",
                      json{{"kind", "money"}, {"amount_vnd", "200000"}, {"contributor_kind", "member"}, {"member_id", other_member},
                           {"on_date", "2022-01-11"}}.dump());
  ASSERT_EQ(theirs.status, 201) << theirs.body;
  Reply by_province = call("POST", base + "/contributions/" + std::to_string(theirs.j()["id"].get<int64_t>()) + "/reverse", "doankhoi",
                           json{{"reason", "Trùng"}}.dump());
  EXPECT_EQ(by_province.status, 403) << "the Đoàn khối is not above the other branch: " << by_province.body;
  Reply by_admin = call("POST", base + "/contributions/" + std::to_string(theirs.j()["id"].get<int64_t>()) + "/reverse", "admin",
                        json{{"reason", "Trùng"}}.dump());
  EXPECT_EQ(by_admin.status, 201) << by_admin.body;
  nets_out(funds.by_collector(province_campaign));
  // The page offers the corrections only on the lines the user may correct.
  Reply page = call("GET", "/campaigns/" + std::to_string(province_campaign), "dienluc");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.body.find("/contributions/" + std::to_string(own_line) + "/receipt"), std::string::npos);
}

TEST_P(FundHttpTest, RoundsAreNumberedOnAndNeverSplitLinesGivenWithoutOne) {
  // The branch's campaign has round 1: the next is 2, then 3.
  Reply two = call("POST", url("/rounds"), "sangpv", json{{"starts_on", "2022-01-12"}}.dump());
  ASSERT_EQ(two.status, 201) << two.body;
  EXPECT_EQ(two.j()["no"], 2);
  EXPECT_EQ(call("POST", url("/rounds"), "sangpv", "{}").j()["no"], 3);
  // A campaign without rounds that already has lines cannot be split into rounds any more.
  org::Store orgs(*conn, clock);
  fund::Store funds(*conn, clock);
  int64_t plain = 0;
  ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
    CHIDOAN_TRY(id, funds.create_campaign(*orgs.org(vpubnd), fund::CampaignInput{"Tết cho em", "", "2022-01-01", "", "", std::nullopt, 0}));
    plain = id;
    return {};
  }));
  const std::string base = "/api/v1/campaigns/" + std::to_string(plain);
  json line{{"kind", "money"}, {"amount_vnd", "100000"}, {"contributor_kind", "anonymous"}, {"on_date", "2022-01-10"}};
  ASSERT_EQ(call("POST", base + "/contributions", "sangpv", line.dump()).status, 201);
  Reply split = call("POST", base + "/rounds", "sangpv", "{}");
  EXPECT_EQ(split.status, 409) << split.body;
  EXPECT_EQ((*conn->query_one("SELECT COUNT(*) FROM campaign_rounds WHERE campaign_id = ?1", {plain}))->i64(0), 0);
}

TEST_P(FundHttpTest, OutflowsAreDatedWithinTheCampaignAndNamed) {
  auto outflows = [&] { return (*conn->query_one("SELECT COUNT(*) FROM outflows WHERE campaign_id = ?1", {own_campaign}))->i64(0); };
  json out{{"description", "Tặng quà hộ cách ly"}, {"recipients", "120 hộ cách ly tại huyện Đức Trọng"}, {"kind", "money"},
           {"amount_vnd", "12.000.000"}, {"on_date", "2022-01-12"}};
  struct Case {
    const char* field;
    const char* value;
    const char* refused;
  };
  for (const auto& c : {Case{"on_date", "2022-01-20", "on_date"}, Case{"on_date", "2021-12-31", "on_date"}, Case{"on_date", "12/01/2022", "on_date"},
                        Case{"amount_vnd", "12000000.00", "amount_vnd"}, Case{"recipients", "", "recipients"}}) {
    json bad = out;
    bad[c.field] = c.value;
    Reply r = call("POST", url("/outflows"), "sangpv", bad.dump());
    EXPECT_EQ(r.status, 422) << c.field << "=" << c.value << r.body;
    EXPECT_EQ(r.j()["error"]["field"], c.refused) << c.value;
  }
  EXPECT_EQ(outflows(), 0);
  Reply ok = call("POST", url("/outflows"), "sangpv", out.dump());
  EXPECT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(outflows(), 1);
  EXPECT_EQ((*conn->query_one("SELECT amount_vnd FROM outflows WHERE campaign_id = ?1", {own_campaign}))->i64(0), 12'000'000);
  // Recorded by mistake: the organiser reverses it, once; the balance is back where it was.
  const std::string reverse = url("/outflows/" + std::to_string(ok.j()["id"].get<int64_t>()) + "/reverse");
  for (const char* day : {"2022-01-11", "2022-01-20"}) {
    Reply r = call("POST", reverse, "sangpv", json{{"reason", "Ghi trùng"}, {"on_date", day}}.dump());
    EXPECT_EQ(r.status, 422) << day << r.body;
    EXPECT_EQ(r.j()["error"]["field"], "on_date") << day;
  }
  EXPECT_EQ(call("POST", reverse, "sangpv", json{{"reason", ""}}.dump()).j()["error"]["field"], "reason");
  EXPECT_EQ(outflows(), 1);
  Reply rev = call("POST", reverse, "sangpv", json{{"reason", "Ghi trùng"}}.dump());
  ASSERT_EQ(rev.status, 201) << rev.body;
  EXPECT_EQ(rev.j()["amount_vnd"], -12'000'000);
  EXPECT_EQ(rev.j()["reverses_id"], ok.j()["id"]);
  EXPECT_EQ(call("POST", reverse, "sangpv", json{{"reason", "Lần nữa"}}.dump()).status, 409);
  EXPECT_EQ(outflows(), 2);
  Reply after = call("GET", url(), "sangpv");
  EXPECT_EQ(after.j()["outflow_totals"]["money_vnd"], 0);
  EXPECT_EQ(after.j()["balance_vnd"], after.j()["totals"]["money_vnd"]);
  // The page offers the correction on no line any more, and marks both.
  Reply page = call("GET", "/campaigns/" + std::to_string(own_campaign), "sangpv");
  EXPECT_EQ(page.body.find("/outflows/" + std::to_string(ok.j()["id"].get<int64_t>()) + "/reverse"), std::string::npos);
  EXPECT_NE(page.body.find("class=\"reversed\""), std::string::npos);
}

CHIDOAN_INSTANTIATE_DB_TEST(FundHttpTest);

}  // namespace
}  // namespace chidoan::app
