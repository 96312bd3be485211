// The produce routes in process, on both engines: a router with only these routes, users and
// tokens as in src/app/app_test.cpp.
#include "fund/produce_routes.hpp"

#include <gtest/gtest.h>

#include "org/bundle.hpp"
#include "org/store.hpp"
#include "platform/auth/store.hpp"
#include "tests/support/demo.hpp"
#include "tests/support/http_support.hpp"
#include "tests/support/route_test.hpp"
#include "tests/support/route_world.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::fund {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using chidoan::testing::Reply;

class ProduceRoutesTest : public chidoan::testing::RouteTest {
 protected:
  void SetUp() override {
    RouteTest::SetUp();
    if (IsSkipped()) return;
    FixedClock later{std::chrono::sys_days{std::chrono::year{2022} / 1 / 15}};
    ASSERT_TRUE(org::bundle::load(*conn, later, chidoan::testing::demo_bundle()));
    org::Store store(*conn, clock);
    auto id = [&](const char* code) { return (*store.org_by_code(code))->id; };
    vpubnd = id("VPUBND");
    ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
      CHIDOAN_TRY(outside, chidoan::testing::add_outside_branch(store, today(later)));
      std::tie(other_branch, other_member) = outside;
      CHIDOAN_TRY(xm, chidoan::testing::add_test_member(store, vpubnd, "Lê", "<script>alert(1)</script>", "male", "1995-01-01",
                                                        "2021-04-01", today(later)));
      member = xm;
      CHIDOAN_TRY(ym, chidoan::testing::add_test_member(store, vpubnd, "Trần", "Peer", "female", "1996-01-01", "2021-04-01", today(later)));
      peer = ym;
      return {};
    }));
    start(clock);
    const auth::AuthConfig& cfg = services.auth;
    add_produce_routes(router, services);
    auto users = chidoan::testing::create_users(*conn, clock, cfg,
                                                {{"admin", auth::Role::system_admin, id("TW"), std::nullopt},
                                                 {"doankhoi", auth::Role::org_manager, id("DKCQ"), std::nullopt},
                                                 {"sangpv", auth::Role::branch_secretary, vpubnd, std::nullopt},
                                                 {"khac", auth::Role::branch_secretary, other_branch, std::nullopt},
                                                 {"thanhvien", auth::Role::member, vpubnd, member},
                                                 {"peer", auth::Role::member, vpubnd, peer},
                                                 {"ngoai", auth::Role::member, other_branch, other_member}});
    ASSERT_TRUE(users) << users.error().message;
    tokens = *users;
    // A supplier with two products and a cycle open on 07–11/06/2021, made through the API.
    Reply s = call("POST", org_api("/suppliers"), "sangpv",
                   json{{"name", "HTX Xoài Đạ Tẻh"}, {"kind", "cooperative"}, {"place", "Đạ Tẻh"}, {"contact", "0912 000 111"}}.dump());
    ASSERT_EQ(s.status, 201) << s.body;
    supplier = s.j()["id"];
    Reply p1 = call("POST", "/api/v1/produce/suppliers/" + std::to_string(supplier) + "/products", "sangpv",
                    json{{"name", "Xoài cát"}, {"unit", "kg"}, {"price_vnd", 25000}, {"case_size", 20}, {"step", 5}}.dump());
    ASSERT_EQ(p1.status, 201) << p1.body;
    mango = p1.j()["id"];
    Reply p2 = call("POST", "/api/v1/produce/suppliers/" + std::to_string(supplier) + "/products", "sangpv",
                    json{{"name", "Hoa hồng"}, {"unit", "bó"}, {"price_vnd", 40000}}.dump());
    ASSERT_EQ(p2.status, 201) << p2.body;
    roses = p2.j()["id"];
    Reply c = call("POST", org_api("/cycles"), "sangpv",
                   json{{"supplier_id", supplier}, {"opens_at", "2021-06-07T08:00"}, {"closes_at", "2021-06-11T17:00"},
                        {"pickup_on", "2021-06-15"}, {"pickup_place", "Sảnh <b>A</b>"}}.dump());
    ASSERT_EQ(c.status, 201) << c.body;
    cycle = c.j()["id"];
  }

  std::string org_api(const std::string& rest, int64_t org = 0) {
    return "/api/v1/orgs/" + std::to_string(org ? org : vpubnd) + "/produce" + rest;
  }
  std::string cycle_api(const std::string& rest = "") { return "/api/v1/produce/cycles/" + std::to_string(cycle) + rest; }
  int64_t rows(const char* table) { return (*conn->query_one(std::string("SELECT COUNT(*) FROM ") + table))->i64(0); }
  int64_t written() {
    return rows("produce_suppliers") + rows("produce_products") + rows("produce_cycles") + rows("produce_orders") * 100 +
           rows("produce_order_items") * 10000 + (*conn->query_one("SELECT COALESCE(SUM(picked_up + paid), 0) FROM produce_orders"))->i64(0);
  }
  json items(std::initializer_list<std::tuple<int64_t, json, json>> lines) {
    json a = json::array();
    for (const auto& [p, q, t] : lines) a.push_back({{"product_id", p}, {"quantity", q}, {"tolerance", t}});
    return a;
  }

  FixedClock clock{std::chrono::sys_days{std::chrono::year{2021} / 6 / 8} + 3h};  // 10:00 in Vietnam
  int64_t vpubnd = 0, other_branch = 0, member = 0, peer = 0, other_member = 0;
  int64_t supplier = 0, mango = 0, roses = 0, cycle = 0;
};

TEST_P(ProduceRoutesTest, OutOfScopeIsForbiddenAndWritesNothing) {
  int64_t before = written();
  json order{{"items", items({{mango, 5, 0}})}};
  // Another branch's secretary and member.
  EXPECT_EQ(call("GET", org_api(""), "khac").status, 403);
  EXPECT_EQ(call("GET", org_api("/suppliers"), "khac").status, 403);
  EXPECT_EQ(call("POST", org_api("/suppliers"), "khac", json{{"name", "X"}}.dump()).status, 403);
  EXPECT_EQ(call("POST", org_api("/cycles"), "khac", json{{"supplier_id", supplier}}.dump()).status, 403);
  EXPECT_EQ(call("POST", "/api/v1/produce/suppliers/" + std::to_string(supplier), "khac", json{{"name", "X"}}.dump()).status, 403);
  EXPECT_EQ(call("POST", "/api/v1/produce/suppliers/" + std::to_string(supplier) + "/products", "khac", json{{"name", "X"}}.dump()).status, 403);
  EXPECT_EQ(call("POST", "/api/v1/produce/products/" + std::to_string(mango), "khac", json{{"name", "X"}}.dump()).status, 403);
  EXPECT_EQ(call("GET", cycle_api(), "khac").status, 403);
  EXPECT_EQ(call("POST", cycle_api("/order"), "khac", order.dump()).status, 403);
  EXPECT_EQ(call("POST", cycle_api("/close"), "khac", "{}").status, 403);
  EXPECT_EQ(call("GET", cycle_api("/sheet"), "khac").status, 403);
  EXPECT_EQ(call("GET", cycle_api("/checklist"), "khac").status, 403);
  EXPECT_EQ(call("GET", cycle_api(), "ngoai").status, 403);
  EXPECT_EQ(call("POST", cycle_api("/order"), "ngoai", order.dump()).status, 403);
  // A member of the branch: sees, orders for themself, nothing of the committee's.
  EXPECT_EQ(call("GET", org_api(""), "thanhvien").status, 200);
  EXPECT_EQ(call("GET", cycle_api(), "thanhvien").status, 200);
  EXPECT_EQ(call("POST", org_api("/suppliers"), "thanhvien", json{{"name", "X"}}.dump()).status, 403);
  EXPECT_EQ(call("POST", org_api("/cycles"), "thanhvien", json{{"supplier_id", supplier}}.dump()).status, 403);
  EXPECT_EQ(call("POST", cycle_api("/close"), "thanhvien", "{}").status, 403);
  EXPECT_EQ(call("POST", cycle_api("/finish"), "thanhvien", "{}").status, 403);
  EXPECT_EQ(call("GET", cycle_api("/sheet"), "thanhvien").status, 403);
  EXPECT_EQ(call("GET", cycle_api("/checklist"), "thanhvien").status, 403);
  EXPECT_EQ(call("POST", cycle_api("/checklist/" + std::to_string(member)), "thanhvien", json{{"paid", true}}.dump()).status, 403);
  // Contact details are the committee's.
  Reply seen = call("GET", org_api("/suppliers"), "thanhvien");
  ASSERT_EQ(seen.status, 200);
  EXPECT_FALSE(seen.j()["items"][0].contains("contact"));
  EXPECT_EQ(call("GET", org_api("/suppliers"), "sangpv").j()["items"][0]["contact"], "0912 000 111");
  // Upper levels in scope; anonymous refused.
  EXPECT_EQ(call("GET", cycle_api("/sheet"), "doankhoi").status, 200);
  EXPECT_EQ(call("GET", org_api(""), "").status, 401);
  EXPECT_EQ(call("GET", "/api/v1/produce/cycles/999999", "admin").status, 404);
  EXPECT_EQ(written(), before);
}

TEST_P(ProduceRoutesTest, AMemberOrdersForThemselfOnly) {
  int64_t before = written();
  // Someone else's order: refused, nothing written.
  Reply other = call("POST", cycle_api("/order"), "thanhvien", json{{"member_id", peer}, {"items", items({{mango, 5, 0}})}}.dump());
  EXPECT_EQ(other.status, 403) << other.body;
  EXPECT_EQ(written(), before);
  // One's own.
  Reply mine = call("POST", cycle_api("/order"), "thanhvien", json{{"items", items({{mango, 10, 5}, {roses, 2, 0}})}}.dump());
  ASSERT_EQ(mine.status, 200) << mine.body;
  json o = mine.j();
  for (const char* k : {"id", "cycle_id", "member_id", "member_name", "created_at", "updated_at", "picked_up", "paid", "items"})
    EXPECT_TRUE(o.contains(k)) << k;
  EXPECT_EQ(o["member_id"], member);
  ASSERT_EQ(o["items"].size(), 2u);
  for (const char* k : {"product_id", "quantity", "tolerance", "ordered_at", "allocated"}) EXPECT_TRUE(o["items"][0].contains(k)) << k;
  // Also with one's own id given.
  EXPECT_EQ(call("POST", cycle_api("/order"), "thanhvien", json{{"member_id", member}, {"items", items({{mango, 15, 0}})}}.dump()).status, 200);
  // The committee may enter a member's order (a phone order); a member of the branch only theirs.
  EXPECT_EQ(call("POST", cycle_api("/order"), "sangpv", json{{"member_id", peer}, {"items", items({{mango, 5, 5}})}}.dump()).status, 200);
  EXPECT_EQ(call("POST", cycle_api("/order"), "sangpv", json{{"items", items({{mango, 5, 0}})}}.dump()).status, 422);  // no member record
  // The cycle page shows each member only their own order.
  Reply page = call("GET", cycle_api(), "peer");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.j()["my_order"]["member_id"], peer);
  EXPECT_EQ(page.j()["my_order"]["items"][0]["quantity"], 5);
  json totals = page.j()["totals"]["products"];
  EXPECT_EQ(totals[0]["name"] == "Xoài cát" ? totals[0]["ordered"] : totals[1]["ordered"], 20);
  // Cancel: an empty order.
  Reply cancel = call("POST", cycle_api("/order"), "peer", json{{"items", json::array()}}.dump());
  ASSERT_EQ(cancel.status, 200) << cancel.body;
  EXPECT_EQ(cancel.j()["cancelled"], true);
  EXPECT_EQ(call("GET", cycle_api(), "peer").j()["my_order"], nullptr);
}

TEST_P(ProduceRoutesTest, BadOrdersNameTheField) {
  ASSERT_EQ(call("POST", cycle_api("/order"), "thanhvien", json{{"items", items({{mango, 10, 0}})}}.dump()).status, 200);
  int64_t before = written();
  struct Case {
    const char* name;
    json body;
    int status;
    const char* field;
  } cases[] = {
      {"not a multiple of the step", {{"items", items({{mango, 7, 0}})}}, 422, "items[0].quantity"},
      {"fractional", {{"items", items({{roses, 1, 0}, {mango, 2.5, 0}})}}, 422, "items[1].quantity"},
      {"fractional text", {{"items", items({{mango, "7,5", 0}})}}, 422, "items[0].quantity"},
      {"zero", {{"items", items({{mango, 0, 0}})}}, 422, "items[0].quantity"},
      {"negative", {{"items", items({{mango, -5, 0}})}}, 422, "items[0].quantity"},
      {"tolerance off step", {{"items", items({{mango, 5, 2}})}}, 422, "items[0].tolerance"},
      {"unknown product", {{"items", items({{999, 5, 0}})}}, 422, "items[0].product_id"},
      {"unknown field", {{"items", items({{mango, 5, 0}})}, {"price", 1}}, 422, "price"},
      {"unknown item field", {{"items", json::array({{{"product_id", mango}, {"quantity", 5}, {"price", 1}}})}}, 422, "items[0].price"},
  };
  for (const auto& c : cases) {
    Reply r = call("POST", cycle_api("/order"), "thanhvien", c.body.dump());
    EXPECT_EQ(r.status, c.status) << c.name << ": " << r.body;
    EXPECT_EQ(r.j()["error"]["field"], c.field) << c.name << ": " << r.body;
  }
  EXPECT_EQ(written(), before);
  // After the cycle closed (by time): 409 naming closes_at.
  clock = FixedClock(std::chrono::sys_days{std::chrono::year{2021} / 6 / 11} + 10h);
  Reply late = call("POST", cycle_api("/order"), "thanhvien", json{{"items", items({{mango, 15, 0}})}}.dump());
  EXPECT_EQ(late.status, 409) << late.body;
  EXPECT_EQ(late.j()["error"]["field"], "closes_at");
  EXPECT_EQ(written(), before);
  // Bad product and supplier input.
  Reply step = call("POST", "/api/v1/produce/suppliers/" + std::to_string(supplier) + "/products", "sangpv",
                    json{{"name", "Tỏi"}, {"unit", "kg"}, {"price_vnd", 60000}, {"case_size", 10}, {"step", 3}}.dump());
  EXPECT_EQ(step.status, 422);
  EXPECT_EQ(step.j()["error"]["field"], "step");
  Reply price = call("POST", "/api/v1/produce/suppliers/" + std::to_string(supplier) + "/products", "sangpv",
                     json{{"name", "Tỏi"}, {"unit", "kg"}, {"price_vnd", 1.5}}.dump());
  EXPECT_EQ(price.j()["error"]["field"], "price_vnd");
  Reply cyc = call("POST", org_api("/cycles"), "sangpv",
                   json{{"supplier_id", supplier}, {"opens_at", "2021-06-12T08:00"}, {"closes_at", "2021-06-10T08:00"}, {"pickup_on", "2021-06-15"}}.dump());
  EXPECT_EQ(cyc.j()["error"]["field"], "closes_at");
  EXPECT_EQ(written(), before);
}

TEST_P(ProduceRoutesTest, CloseSheetChecklistAsJson) {
  ASSERT_EQ(call("POST", cycle_api("/order"), "thanhvien", json{{"items", items({{mango, 10, 5}, {roses, 2, 0}})}}.dump()).status, 200);
  clock.advance(60s);
  ASSERT_EQ(call("POST", cycle_api("/order"), "peer", json{{"items", items({{mango, 5, 0}})}}.dump()).status, 200);
  // Checklist marks before the close: refused.
  Reply early = call("POST", cycle_api("/checklist/" + std::to_string(member)), "sangpv", json{{"picked_up", true}}.dump());
  EXPECT_EQ(early.status, 409);
  EXPECT_EQ(early.j()["error"]["field"], "status");
  Reply sheet_open = call("GET", cycle_api("/sheet"), "sangpv");
  ASSERT_EQ(sheet_open.status, 200);
  EXPECT_EQ(sheet_open.j()["final"], false);
  // 15 kg + tolerance 5 = 20: one case.
  Reply closed = call("POST", cycle_api("/close"), "sangpv", "{}");
  ASSERT_EQ(closed.status, 200) << closed.body;
  json t = closed.j();
  for (const char* k : {"products", "amount_vnd", "ordered_amount_vnd", "paid_vnd", "orders", "members_picked_up", "members_paid"})
    EXPECT_TRUE(t.contains(k)) << k;
  EXPECT_EQ(t["amount_vnd"], 20 * 25000 + 2 * 40000);
  EXPECT_EQ(call("POST", cycle_api("/close"), "sangpv", "{}").status, 409);
  Reply sheet = call("GET", cycle_api("/sheet"), "sangpv");
  ASSERT_EQ(sheet.status, 200);
  json s = sheet.j();
  for (const char* k : {"cycle", "supplier", "products", "amount_vnd", "final"}) EXPECT_TRUE(s.contains(k)) << k;
  EXPECT_EQ(s["final"], true);
  EXPECT_EQ(s["cycle"]["status"], "closed");
  for (const char* k : {"id", "title", "supplier", "org", "opens_at", "closes_at", "pickup_on", "pickup_place", "status", "closed_at", "products"})
    EXPECT_TRUE(s["cycle"].contains(k)) << k;
  json mp = s["products"][0]["name"] == "Xoài cát" ? s["products"][0] : s["products"][1];
  for (const char* k : {"product_id", "name", "unit", "price_vnd", "case_size", "ordered", "tolerance", "cases", "units", "filled_by_tolerance", "cut", "amount_vnd"})
    EXPECT_TRUE(mp.contains(k)) << k;
  EXPECT_EQ(mp["cases"], 1);
  EXPECT_EQ(mp["units"], 20);
  EXPECT_EQ(mp["filled_by_tolerance"], 5);
  Reply list = call("GET", cycle_api("/checklist"), "sangpv");
  ASSERT_EQ(list.status, 200);
  json l = list.j();
  ASSERT_EQ(l["members"].size(), 2u);
  for (const char* k : {"member_id", "member_name", "items", "amount_vnd", "picked_up", "paid"}) EXPECT_TRUE(l["members"][0].contains(k)) << k;
  Reply mark = call("POST", cycle_api("/checklist/" + std::to_string(member)), "sangpv", json{{"picked_up", true}, {"paid", true}}.dump());
  ASSERT_EQ(mark.status, 200) << mark.body;
  EXPECT_EQ(mark.j(), (json{{"member_id", member}, {"picked_up", true}, {"paid", true}}));
  EXPECT_EQ(call("POST", cycle_api("/checklist/" + std::to_string(other_member)), "sangpv", json{{"paid", true}}.dump()).status, 404);
  EXPECT_EQ(call("GET", cycle_api("/checklist"), "sangpv").j()["totals"]["members_paid"], 1);
  Reply fin = call("POST", cycle_api("/finish"), "sangpv", "{}");
  ASSERT_EQ(fin.status, 200);
  EXPECT_EQ(fin.j()["status"], "picked_up");
  // The list of the org shows it with its bill.
  Reply cycles = call("GET", org_api(""), "thanhvien");
  ASSERT_EQ(cycles.status, 200);
  EXPECT_EQ(cycles.j()["items"][0]["status"], "picked_up");
  EXPECT_EQ(cycles.j()["items"][0]["amount_vnd"], 20 * 25000 + 2 * 40000);
  EXPECT_FALSE(cycles.j().contains("t"));
  // Every write was audited.
  EXPECT_GE((*conn->query_one("SELECT COUNT(*) FROM audit_log WHERE entity LIKE 'produce_%'"))->i64(0), 9);
}

TEST_P(ProduceRoutesTest, PagesRenderAndEscape) {
  ASSERT_EQ(call("POST", org_api("/suppliers"), "sangpv", json{{"name", "<script>alert(2)</script>"}}.dump()).status, 201);
  // A form order (bearer token: no CSRF), then the pages.
  Reply form = call("POST", "/produce/cycles/" + std::to_string(cycle) + "/order", "thanhvien",
                    "qty_" + std::to_string(mango) + "=10&tol_" + std::to_string(mango) + "=5&qty_" + std::to_string(roses) + "=",
                    "application/x-www-form-urlencoded");
  EXPECT_EQ(form.status, 303) << form.body;
  for (const std::string& path : {"/orgs/" + std::to_string(vpubnd) + "/produce", "/orgs/" + std::to_string(vpubnd) + "/produce/suppliers",
                                  "/produce/cycles/" + std::to_string(cycle), "/produce/cycles/" + std::to_string(cycle) + "/sheet",
                                  "/produce/cycles/" + std::to_string(cycle) + "/checklist"}) {
    Reply r = call("GET", path, "sangpv");
    EXPECT_EQ(r.status, 200) << path << ": " << r.body.substr(0, 300);
    EXPECT_EQ(r.body.find("<script>alert"), std::string::npos) << path;
    EXPECT_EQ(r.body.find("produce."), std::string::npos) << path << ": an untranslated key";
    EXPECT_NE(r.body.find("<html"), std::string::npos) << path;
  }
  Reply sup = call("GET", "/orgs/" + std::to_string(vpubnd) + "/produce/suppliers", "sangpv");
  EXPECT_NE(sup.body.find("&lt;script&gt;alert(2)"), std::string::npos);
  Reply cyc = call("GET", "/produce/cycles/" + std::to_string(cycle), "sangpv");
  EXPECT_NE(cyc.body.find("Sảnh &lt;b&gt;A&lt;"), std::string::npos) << cyc.body;
  EXPECT_NE(cyc.body.find("Xoài cát"), std::string::npos);
  Reply list = call("GET", "/produce/cycles/" + std::to_string(cycle) + "/checklist", "sangpv");
  EXPECT_NE(list.body.find("&lt;script&gt;alert(1)"), std::string::npos);  // the member's name
  // Open: 10 kg do not fill a 20 kg case even with 5 kg of tolerance: provisionally nothing.
  EXPECT_NE(list.body.find("(đặt 10)"), std::string::npos) << list.body;
  // A bad form order shows the page again with the error on its row.
  Reply bad = call("POST", "/produce/cycles/" + std::to_string(cycle) + "/order", "thanhvien", "qty_" + std::to_string(mango) + "=7",
                   "application/x-www-form-urlencoded");
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find("data-field=\"qty_" + std::to_string(mango) + "\""), std::string::npos);
  EXPECT_NE(bad.body.find("bội số của 5"), std::string::npos);
  EXPECT_NE(bad.body.find("value=\"7\""), std::string::npos);
  // The member's page: the order form, no committee buttons.
  Reply own = call("GET", "/produce/cycles/" + std::to_string(cycle), "thanhvien");
  EXPECT_EQ(own.status, 200);
  EXPECT_NE(own.body.find("name=\"qty_" + std::to_string(mango) + "\""), std::string::npos);
  EXPECT_EQ(own.body.find("/close"), std::string::npos);
}

CHIDOAN_INSTANTIATE_DB_TEST(ProduceRoutesTest);

}  // namespace
}  // namespace chidoan::fund
