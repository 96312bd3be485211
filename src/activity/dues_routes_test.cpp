// The dues routes in process, on both engines: a router with only these routes, users and
// tokens as in src/app/app_test.cpp.
#include "activity/dues_routes.hpp"

#include <gtest/gtest.h>

#include "activity/dues_store.hpp"
#include "org/bundle.hpp"
#include "org/store.hpp"
#include "platform/auth/store.hpp"
#include "tests/support/demo.hpp"
#include "tests/support/http_support.hpp"
#include "tests/support/route_test.hpp"
#include "tests/support/route_world.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::activity {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// The demo's org part only: the other modules' sections are not under test here.
nlohmann::json demo_org_part() {
  nlohmann::json d = chidoan::testing::demo_bundle();
  nlohmann::json out = nlohmann::json::object();
  for (const char* k : {"format", "version", "root_parent", "levels", "orgs", "org_events", "units", "members"})
    if (d.contains(k)) out[k] = d[k];
  return out;
}

using chidoan::testing::Reply;

class DuesRoutesTest : public chidoan::testing::RouteTest {
 protected:
  void SetUp() override {
    RouteTest::SetUp();
    if (IsSkipped()) return;
    ASSERT_TRUE(org::bundle::load(*conn, clock, demo_org_part()));
    org::Store store(*conn, clock);
    auto id = [&](const char* code) { return (*store.org_by_code(code))->id; };
    vpubnd = id("VPUBND");
    ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
      CHIDOAN_TRY(outside, chidoan::testing::add_outside_branch(store, today(clock)));
      std::tie(other_branch, other_member) = outside;
      CHIDOAN_TRY(xm, chidoan::testing::add_test_member(store, vpubnd, "Lê", "<script>alert(1)</script>", "male", "1995-01-01",
                                                        "2021-04-01", today(clock)));
      member = xm;
      return {};
    }));
    start(clock);
    const auth::AuthConfig& cfg = services.auth;
    add_dues_routes(router, services);
    auto users = chidoan::testing::create_users(*conn, clock, cfg,
                                                {{"admin", auth::Role::system_admin, id("TW"), std::nullopt},
                                                 {"doankhoi", auth::Role::org_manager, id("DKCQ"), std::nullopt},
                                                 {"sangpv", auth::Role::branch_secretary, vpubnd, std::nullopt},
                                                 {"thanhvien", auth::Role::member, vpubnd, member}});
    ASSERT_TRUE(users) << users.error().message;
    tokens = *users;
  }

  std::string api(int64_t org, const std::string& rest = "") { return "/api/v1/orgs/" + std::to_string(org) + "/dues" + rest; }
  int64_t rows(const char* table) { return (*conn->query_one(std::string("SELECT COUNT(*) FROM ") + table))->i64(0); }
  int64_t written() {
    return rows("dues_payments") + rows("dues_exemptions") + rows("dues_remittances") + rows("dues_categories") + rows("dues_rates");
  }
  json payment(const std::string& from, const std::string& to) {
    return {{"member_id", member}, {"from_month", from}, {"to_month", to}, {"paid_on", "2022-01-10"}, {"receipt_no", "BL-7"}};
  }

  FixedClock clock{std::chrono::sys_days{std::chrono::year{2022} / 1 / 15} + 2h};
  int64_t vpubnd = 0, other_branch = 0, member = 0, other_member = 0;
};

TEST_P(DuesRoutesTest, TheBookAsJson) {
  Reply r = call("GET", api(vpubnd, "?year=2021"), "sangpv");
  ASSERT_EQ(r.status, 200) << r.body;
  json b = r.j();
  for (const char* k : {"org_id", "year", "as_of", "members", "figures", "arrears", "payments", "exemptions", "remittances", "rates"})
    EXPECT_TRUE(b.contains(k)) << k;
  EXPECT_EQ(b["year"], 2021);
  EXPECT_EQ(b["as_of"], "2022-01");
  ASSERT_GE(b["members"].size(), 23u);
  const json& m = b["members"][0];
  for (const char* k : {"member_id", "full_name", "category", "months", "paid", "arrears_amount"}) EXPECT_TRUE(m.contains(k)) << k;
  EXPECT_EQ(m["months"].size(), 12u);
  int april_arrears = 0;
  for (const auto& row : b["members"]) {
    EXPECT_EQ(row["months"][0]["state"], "none");  // the branch was founded in April 2021
    april_arrears += row["months"][3]["state"] == "arrears";
  }
  EXPECT_GE(april_arrears, 21);
  for (const char* k : {"expected", "paid", "exempted", "arrears", "collected", "share_up", "kept", "remitted", "to_remit"})
    EXPECT_TRUE(b["figures"]["year"].contains(k)) << k;
  EXPECT_EQ(b["figures"]["months"].size(), 12u);
  EXPECT_FALSE(b.contains("t"));  // no page decoration in the API
  EXPECT_EQ(call("GET", api(vpubnd, "?year=abc"), "sangpv").status, 422);
  EXPECT_EQ(call("GET", "/api/v1/orgs/999999/dues", "admin").status, 404);
  EXPECT_EQ(call("GET", api(vpubnd), "").status, 401);
}

TEST_P(DuesRoutesTest, OutOfScopeIsForbiddenAndWritesNothing) {
  int64_t before = written();
  EXPECT_EQ(call("GET", api(other_branch), "sangpv").status, 403);
  EXPECT_EQ(call("GET", api(vpubnd), "thanhvien").status, 403);  // members do not see the dues book
  EXPECT_EQ(call("GET", api(other_branch), "doankhoi").status, 403);
  EXPECT_EQ(call("GET", api(vpubnd), "doankhoi").status, 200);
  EXPECT_EQ(call("GET", api(other_branch), "admin").status, 200);
  json other_pay{{"member_id", other_member}, {"from_month", "2021-01"}};
  EXPECT_EQ(call("POST", api(other_branch, "/payments"), "sangpv", other_pay.dump()).status, 403);
  EXPECT_EQ(call("POST", api(vpubnd, "/payments"), "thanhvien", payment("2021-04", "2021-06").dump()).status, 403);
  EXPECT_EQ(call("POST", api(other_branch, "/payments/1/reverse"), "sangpv", json{{"reason", "x"}}.dump()).status, 403);
  EXPECT_EQ(call("POST", api(other_branch, "/exemptions"), "sangpv", "{}").status, 403);
  EXPECT_EQ(call("POST", api(other_branch, "/remittances"), "sangpv", "{}").status, 403);
  EXPECT_EQ(call("POST", api(other_branch, "/categories"), "sangpv", "{}").status, 403);
  EXPECT_EQ(call("POST", "/api/v1/dues/rates", "sangpv", json{{"category", "salaried"}, {"amount", 8000}, {"valid_from", "2022-02"}}.dump()).status, 403);
  EXPECT_EQ(call("POST", "/api/v1/dues/rates", "doankhoi", json{{"category", "salaried"}, {"amount", 8000}, {"valid_from", "2022-02"}}.dump()).status, 403);
  EXPECT_EQ(written(), before);
}

TEST_P(DuesRoutesTest, PaymentsAndTheirBadInput) {
  int64_t before = written();
  struct Case {
    const char* name;
    json body;
    const char* field;
  };
  auto with = [&](const char* k, json v) {
    json b = payment("2021-04", "2021-06");
    b[k] = std::move(v);
    return b;
  };
  std::vector<Case> cases = {
      {"before joining", payment("2021-03", "2021-06"), "from_month"},
      {"13 months ahead", payment("2022-01", "2023-02"), "to_month"},
      {"to before from", payment("2021-06", "2021-04"), "to_month"},
      {"a member of another branch", with("member_id", other_member), "member_id"},
      {"a wrong amount", with("amount", 10000), "amount"},
      {"an unknown field", with("cashier", "Sang"), "cashier"},
      {"a month as a number", with("from_month", 202104), "from_month"},
      {"a future date paid", with("paid_on", "2022-02-01"), "paid_on"},
  };
  for (const auto& c : cases) {
    Reply r = call("POST", api(vpubnd, "/payments"), "sangpv", c.body.dump());
    EXPECT_TRUE(r.status == 422 || r.status == 409) << c.name << " " << r.status;
    EXPECT_EQ(r.j()["error"]["field"], c.field) << c.name << ": " << r.body;
    EXPECT_FALSE(r.j()["error"]["message"].get<std::string>().empty()) << c.name;
  }
  EXPECT_EQ(call("POST", api(vpubnd, "/payments"), "sangpv", "{\"member_id\": ").j()["error"]["field"], "body");
  EXPECT_EQ(written(), before);

  Reply ok = call("POST", api(vpubnd, "/payments"), "sangpv", with("amount", 15000).dump());
  ASSERT_EQ(ok.status, 201) << ok.body;
  for (const char* k : {"id", "member_id", "branch_id", "from_month", "to_month", "amount", "paid_on", "receipt_no", "reverses_id", "reversed_by"})
    EXPECT_TRUE(ok.j().contains(k)) << k;
  EXPECT_EQ(ok.j()["amount"], 15000);
  Reply twice = call("POST", api(vpubnd, "/payments"), "sangpv", payment("2021-06", "2021-07").dump());
  EXPECT_EQ(twice.status, 409);
  EXPECT_EQ(twice.j()["error"]["field"], "from_month");

  // The correction: a reversal, once.
  std::string rev = api(vpubnd, "/payments/" + std::to_string(ok.j()["id"].get<int64_t>()) + "/reverse");
  EXPECT_EQ(call("POST", rev, "sangpv", json{{"reversed_on", "2022-01-12"}}.dump()).j()["error"]["field"], "reason");
  Reply r1 = call("POST", rev, "sangpv", json{{"reason", "Ghi nhầm tháng"}, {"reversed_on", "2022-01-12"}}.dump());
  ASSERT_EQ(r1.status, 201) << r1.body;
  EXPECT_EQ(r1.j()["amount"], -15000);
  EXPECT_EQ(r1.j()["reverses_id"], ok.j()["id"]);
  EXPECT_EQ(call("POST", rev, "sangpv", json{{"reason", "x"}}.dump()).status, 409);
  EXPECT_EQ(call("POST", api(vpubnd, "/payments/999999/reverse"), "sangpv", json{{"reason", "x"}}.dump()).status, 404);
  json book = call("GET", api(vpubnd, "?year=2021"), "sangpv").j();
  EXPECT_EQ(book["payments"].size(), 2u);
  EXPECT_EQ(book["figures"]["year"]["paid"], 0);
  // The writes are audited.
  EXPECT_EQ((*conn->query_one("SELECT COUNT(*) FROM audit_log WHERE entity = 'dues_payment'"))->i64(0), 2);
}

TEST_P(DuesRoutesTest, ExemptionsRemittancesCategories) {
  Reply seven = call("POST", api(vpubnd, "/exemptions"), "sangpv",
                     json{{"member_id", member}, {"from_month", "2021-04"}, {"to_month", "2021-10"}, {"reason", "Khó khăn"}}.dump());
  EXPECT_EQ(seven.status, 422);
  EXPECT_EQ(seven.j()["error"]["field"], "to_month");
  Reply six = call("POST", api(vpubnd, "/exemptions"), "sangpv",
                   json{{"member_id", member}, {"from_month", "2021-04"}, {"to_month", "2021-09"}, {"reason", "Khó khăn"}}.dump());
  ASSERT_EQ(six.status, 201) << six.body;
  EXPECT_EQ(six.j()["months"], 6);
  Reply cat = call("POST", api(vpubnd, "/categories"), "sangpv", json{{"member_id", member}, {"category", "unsalaried"}, {"valid_from", "2021-10"}}.dump());
  ASSERT_EQ(cat.status, 201) << cat.body;
  Reply pay = call("POST", api(vpubnd, "/payments"), "sangpv", payment("2021-04", "2021-12").dump());
  ASSERT_EQ(pay.status, 201) << pay.body;
  EXPECT_EQ(pay.j()["amount"], 3 * 2000);  // six months exempted, three unsalaried
  Reply rem = call("POST", api(vpubnd, "/remittances"), "sangpv", json{{"from_month", "2022-01"}, {"remitted_on", "2022-01-15"}, {"amount", 2000}}.dump());
  ASSERT_EQ(rem.status, 201) << rem.body;
  EXPECT_EQ(rem.j()["collected"], 6000);
  EXPECT_EQ(rem.j()["amount"], 2000);
  Reply dup = call("POST", api(vpubnd, "/remittances"), "sangpv", json{{"from_month", "2022-01"}}.dump());
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(dup.j()["error"]["field"], "from_month");
}

TEST_P(DuesRoutesTest, NationalRates) {
  Reply list = call("GET", "/api/v1/dues/rates", "thanhvien");
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.j()["items"].size(), 2u);
  EXPECT_EQ(list.j()["items"][0]["category"], "salaried");
  EXPECT_EQ(list.j()["items"][0]["amount"], 5000);
  EXPECT_EQ(list.j()["items"][1]["amount"], 2000);
  Reply overlap = call("POST", "/api/v1/dues/rates", "admin", json{{"category", "salaried"}, {"amount", 6000}, {"valid_from", "2010-01"}}.dump());
  EXPECT_EQ(overlap.status, 409);
  EXPECT_EQ(overlap.j()["error"]["field"], "valid_from");
  Reply backdated = call("POST", "/api/v1/dues/rates", "admin", json{{"category", "salaried"}, {"amount", 6000}, {"valid_from", "2021-01"}}.dump());
  EXPECT_EQ(backdated.status, 422);
  EXPECT_EQ(backdated.j()["error"]["field"], "valid_from");
  Reply ok = call("POST", "/api/v1/dues/rates", "admin",
                  json{{"category", "salaried"}, {"amount", 8000}, {"valid_from", "2022-07"}, {"source", "NQ giả định"}}.dump());
  ASSERT_EQ(ok.status, 201) << ok.body;
  json items = call("GET", "/api/v1/dues/rates", "sangpv").j()["items"];
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0]["valid_to"], "2022-06");
  Reply page = call("GET", "/dues/rates", "sangpv");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("8.000"), std::string::npos);
}

TEST_P(DuesRoutesTest, ThePageRendersAndEscapes) {
  ASSERT_EQ(call("POST", api(vpubnd, "/payments"), "sangpv", payment("2021-04", "2021-12").dump()).status, 201);
  Reply page = call("GET", "/orgs/" + std::to_string(vpubnd) + "/dues?year=2021", "sangpv");
  ASSERT_EQ(page.status, 200) << page.body.substr(0, 500);
  EXPECT_NE(page.body.find("Sổ đoàn phí"), std::string::npos);
  EXPECT_NE(page.body.find("45.000"), std::string::npos);
  EXPECT_EQ(page.body.find("<script>alert"), std::string::npos);
  EXPECT_NE(page.body.find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(page.body.find("name=\"_csrf\""), std::string::npos);  // the secretary gets the forms
  EXPECT_NE(page.body.find("/dues/payments"), std::string::npos);
  // Upper level sees the book without being the branch's secretary.
  EXPECT_EQ(call("GET", "/orgs/" + std::to_string(vpubnd) + "/dues", "doankhoi").status, 200);
  Reply anon = call("GET", "/orgs/" + std::to_string(vpubnd) + "/dues", "");
  EXPECT_EQ(anon.status, 303);
}

TEST_P(DuesRoutesTest, FormsNeedTheCsrfTokenAndShowErrorsOnThePage) {
  auth::AuthConfig cfg;
  cfg.hash = auth::HashParams::min();
  auth::AuthStore store(*conn, clock, cfg);
  auto login = store.login("sangpv", "mat-khau-rat-dai-2021", "192.0.2.7");
  ASSERT_TRUE(login);
  std::map<std::string, std::string> cookie{{"cookie", "chidoan_session=" + login->session_token}};
  std::string path = "/orgs/" + std::to_string(vpubnd) + "/dues/payments";
  std::string form = "member_id=" + std::to_string(member) + "&from_month=2021-04&to_month=2021-06&year=2021";
  EXPECT_EQ(call("POST", path, "", form, "application/x-www-form-urlencoded", cookie).status, 403);
  EXPECT_EQ(rows("dues_payments"), 0);
  Reply ok = call("POST", path, "", form + "&_csrf=" + login->csrf_token, "application/x-www-form-urlencoded", cookie);
  EXPECT_EQ(ok.status, 303);
  EXPECT_EQ(ok.headers["Location"], "/orgs/" + std::to_string(vpubnd) + "/dues?year=2021");
  EXPECT_EQ(rows("dues_payments"), 1);
  Reply again = call("POST", path, "", form + "&_csrf=" + login->csrf_token, "application/x-www-form-urlencoded", cookie);
  EXPECT_EQ(again.status, 409);
  EXPECT_NE(again.body.find("role=\"alert\" data-field=\"from_month\""), std::string::npos);
  EXPECT_NE(again.body.find("đã nộp"), std::string::npos);
  EXPECT_EQ(rows("dues_payments"), 1);
}

CHIDOAN_INSTANTIATE_DB_TEST(DuesRoutesTest);

}  // namespace
}  // namespace chidoan::activity
