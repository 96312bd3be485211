#include "fund/bundle.hpp"

#include <gtest/gtest.h>

#include <functional>

#include "fund/store.hpp"
#include "org/bundle.hpp"
#include "org/store.hpp"
#include "tests/support/demo.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::fund {
namespace {

using nlohmann::json;

json demo() { return chidoan::testing::demo_bundle({"fund"}); }

// The demo's COVID-19 fund, with its outflow handed out twice by mistake and the second one reversed.
json with_reversed_outflow() {
  json d = demo();
  for (auto& c : d["fund"]["campaigns"]) {
    if (c["outflows"].empty() || c["outflows"][0]["kind"] != "money") continue;
    json twice = c["outflows"][0];
    json reversal = twice;
    reversal["on_date"] = "2021-09-30";
    reversal["description"] = "Ghi trùng khoản chi ngày 05/9";
    reversal["amount_vnd"] = -twice["amount_vnd"].get<int64_t>();
    reversal["reverses"] = 2;
    c["outflows"].push_back(twice);
    c["outflows"].push_back(reversal);
    return d;
  }
  ADD_FAILURE() << "the demo has no money outflow";
  return d;
}

class FundBundleTest : public chidoan::testing::DbTest {
 protected:
  FixedClock clock{std::chrono::sys_days{std::chrono::year{2022} / 2 / 1}};
  std::vector<chidoan::bundle::Section> sections{bundle_section()};
  int64_t count(const char* table) { return (*conn->query_one(std::string("SELECT COUNT(*) FROM ") + table))->i64(0); }
};

TEST_P(FundBundleTest, RoundTripsExactlyWithAReversedOutflow) {
  const json bundle = with_reversed_outflow();
  auto loaded = org::bundle::load(*conn, clock, bundle, sections);
  ASSERT_TRUE(loaded) << loaded.error().field << ": " << loaded.error().message;
  auto tw = (*org::Store(*conn, clock).org_by_code("TW"))->id;
  auto first = org::bundle::dump(*conn, clock, tw, sections);
  ASSERT_TRUE(first);
  EXPECT_EQ((*first)["fund"], bundle["fund"]);
  // The pair is linked in the database, and the balance is as if the outflow had been recorded once.
  auto pair = conn->query_one("SELECT COUNT(*) FROM outflows r JOIN outflows o ON o.id = r.reverses_id AND o.amount_vnd = -r.amount_vnd");
  EXPECT_EQ((*pair)->i64(0), 1);
  Store store(*conn, clock);
  auto covid = conn->query_one("SELECT campaign_id FROM outflows WHERE reverses_id IS NOT NULL");
  auto out = store.outflow_totals((*covid)->i64(0));
  ASSERT_TRUE(out);
  EXPECT_EQ(out->money_vnd, bundle["fund"]["campaigns"][0]["outflows"][0]["amount_vnd"].get<int64_t>());
}

TEST_P(FundBundleTest, BadOutflowsNameTheirPathAndWriteNothing) {
  struct Case {
    std::function<void(json&)> apply;
    std::string path;
  };
  const std::string o = "$.fund.campaigns[0].outflows";
  const Case cases[] = {
      {[](json& c) { c["outflows"][0]["kind"] = "gift"; }, o + "[0].kind"},
      {[](json& c) { c["outflows"][0]["amount_vnd"] = 0; }, o + "[0].amount_vnd"},
      {[](json& c) { c["outflows"][0]["round_no"] = 9; }, o + "[0].round_no"},
      {[](json& c) { c["outflows"][0]["recipients_consented"] = "yes"; }, o + "[0].recipients_consented"},
      {[](json& c) { c["outflows"][0]["recipients"] = ""; }, o + "[0].recipients"},
      // A reversal points back, at an outflow that is not a reversal, once, with the opposite amount.
      {[](json& c) { c["outflows"][2]["reverses"] = 3; }, o + "[2].reverses"},
      {[](json& c) { c["outflows"][2]["reverses"] = 0; }, o + "[2].reverses"},
      {[](json& c) { c["outflows"].push_back(c["outflows"][2]); }, o + "[3].reverses"},
      {[](json& c) {
         json back = c["outflows"][1];
         back["reverses"] = 3;
         back["amount_vnd"] = c["outflows"][1]["amount_vnd"].get<int64_t>();
         c["outflows"].push_back(back);
       }, o + "[3].reverses"},
      {[](json& c) { c["outflows"][2]["amount_vnd"] = -1; }, o + "[2].amount_vnd"},
      {[](json& c) { c["outflows"][2]["on_date"] = "2021-09-01"; }, o + "[2].on_date"},
  };
  for (const auto& c : cases) {
    json d = with_reversed_outflow();
    c.apply(d["fund"]["campaigns"][0]);
    auto r = org::bundle::load(*conn, clock, d, sections);
    ASSERT_FALSE(r) << c.path;
    EXPECT_EQ(r.error().field, c.path) << r.error().message;
    EXPECT_EQ(count("outflows"), 0);
    EXPECT_EQ(count("campaigns"), 0);
  }
}

CHIDOAN_INSTANTIATE_DB_TEST(FundBundleTest);

}  // namespace
}  // namespace chidoan::fund
