#include "blood/bundle.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "blood/store.hpp"
#include "org/bundle.hpp"
#include "org/store.hpp"
#include "tests/support/demo.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::blood {
namespace {

using nlohmann::json;

json demo() { return chidoan::testing::demo_bundle({"blood"}); }

class BloodBundleTest : public chidoan::testing::DbTest {
 protected:
  FixedClock clock{std::chrono::sys_days{std::chrono::year{2022} / 2 / 1}};
  std::vector<chidoan::bundle::Section> sections{bundle_section()};
  int64_t org_id(const char* code) { return (*org::Store(*conn, clock).org_by_code(code))->id; }
  int64_t count(const char* table) { return (*conn->query_one(std::string("SELECT COUNT(*) FROM ") + table))->i64(0); }
};

TEST_P(BloodBundleTest, TheDemoClubLoadsAndDumpsAsItIs) {
  auto r = org::bundle::load(*conn, clock, demo(), sections);
  ASSERT_TRUE(r) << r.error().field << ": " << r.error().message;
  auto dumped = org::bundle::dump(*conn, clock, org_id("TW"), sections);
  ASSERT_TRUE(dumped) << dumped.error().message;
  EXPECT_EQ((*dumped)["blood"], demo()["blood"]);

  Store store(*conn, clock);
  auto clubs = *store.clubs(org_id("VPUBND"));
  ASSERT_EQ(clubs.size(), 1u);
  EXPECT_EQ(clubs[0].name, "CLB Máu sống – Máu hiếm");
  auto stats = *store.stats(clubs[0].id);
  EXPECT_EQ(stats.donors, 13);
  EXPECT_EQ(stats.on_call, 12);
  EXPECT_EQ(stats.requests_served, 1);
  int64_t negative = 0;
  for (const auto& g : stats.donors_by_group) negative += g.group.ends_with('-') ? g.donors : 0;
  EXPECT_GE(negative, 3);

  // The request's call log and the derived columns recomputed by the loader.
  auto requests = *store.requests(clubs[0].id);
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].recipient_group, "O-");
  EXPECT_EQ(requests[0].created_by, 0);  // no user in a bundle
  auto calls = *store.calls(requests[0].id);
  ASSERT_EQ(calls.size(), 4u);
  EXPECT_EQ(calls[0].outcome, "no_answer");
  EXPECT_EQ(calls[1].outcome, "declined");
  EXPECT_EQ(calls[3].outcome, "donated");
  ASSERT_TRUE(calls[3].donation_id);
  auto donated = *store.donor(calls[3].donor_id);
  EXPECT_EQ(donated.last_donation_on, "2021-09-14");
  EXPECT_EQ(donated.last_donation_type, "apheresis_red_cells");
  EXPECT_EQ(donated.contacts, 1);
  EXPECT_EQ(donated.accepted, 1);
  EXPECT_EQ(donated.next_eligible_on, "2021-12-07");
  auto declined = *store.donor(calls[1].donor_id);
  EXPECT_EQ(declined.contacts, 1);
  EXPECT_EQ(declined.accepted, 0);
  auto donations = *store.donations_of(donated.id);
  EXPECT_EQ(donations.back().request_id, requests[0].id);
  // A member's phone is the roll's; an outsider's is kept.
  EXPECT_EQ(store.donor(calls[0].donor_id)->phone, "+84913472518");
  EXPECT_FALSE(donated.phone.empty());
  // Consents: one withdrew the location (district cleared), one is not on call.
  int withdrawn = 0, not_callable = 0;
  auto donors = *store.donors(clubs[0].id);
  for (const auto& d : donors) {
    if (d.consent_location_on.empty()) {
      ++withdrawn;
      EXPECT_TRUE(d.district.empty());
    }
    not_callable += d.on_call ? 0 : 1;
  }
  EXPECT_EQ(withdrawn, 1);
  EXPECT_EQ(not_callable, 1);
  EXPECT_EQ((*conn->query_one("SELECT COUNT(*) FROM blood_donors WHERE callable = 1"))->i64(0), 12);
}

TEST_P(BloodBundleTest, RoundTripsExactly) {
  ASSERT_TRUE(org::bundle::load(*conn, clock, demo(), sections));
  auto first = org::bundle::dump(*conn, clock, org_id("TW"), sections);
  ASSERT_TRUE(first);
  auto fresh = chidoan::testing::FreshDatabase::create(GetParam(), /*migrated=*/true);
  ASSERT_TRUE(fresh);
  auto other = db::Connection::open(fresh->url());
  ASSERT_TRUE(other);
  auto again = org::bundle::load(**other, clock, *first, sections);
  ASSERT_TRUE(again) << again.error().field << ": " << again.error().message;
  auto tw = (*org::Store(**other, clock).org_by_code("TW"))->id;
  auto second = org::bundle::dump(**other, clock, tw, sections);
  ASSERT_TRUE(second);
  EXPECT_EQ(first->dump(), second->dump());
  other->reset();
}

TEST_P(BloodBundleTest, DumpsTheClubsOfTheSubtree) {
  ASSERT_TRUE(org::bundle::load(*conn, clock, demo(), sections));
  auto branch = org::bundle::dump(*conn, clock, org_id("VPUBND"), sections);
  ASSERT_TRUE(branch);
  ASSERT_TRUE(branch->contains("blood"));
  const json& club = (*branch)["blood"]["clubs"][0];
  EXPECT_EQ(club["org"], "VPUBND");
  EXPECT_EQ(club["donors"].size(), 13u);
  EXPECT_EQ(club["requests"][0]["calls"].size(), 4u);
  // Member refs are those of the branch's bundle, and they resolve.
  std::set<std::string> refs;
  for (const auto& m : (*branch)["members"]) refs.insert(m["ref"].get<std::string>());
  for (const auto& d : club["donors"]) {
    if (d["member"].is_null()) continue;
    EXPECT_TRUE(refs.contains(d["member"].get<std::string>()));
  }
  auto other = org::bundle::dump(*conn, clock, org_id("VPDBQH"), sections);
  ASSERT_TRUE(other);
  EXPECT_FALSE(other->contains("blood"));
}

TEST_P(BloodBundleTest, UsersAreNamedWhenTheyExist) {
  ASSERT_TRUE(org::bundle::load(*conn, clock, demo(), sections));
  auto user = conn->insert_id("INSERT INTO users (username, password_hash, role, org_id, display_name, created_at) "
                              "VALUES ('sangpv', 'x', 'branch_secretary', ?1, 'Phan Văn Sang', 0) RETURNING id",
                              {org_id("VPUBND")});
  ASSERT_TRUE(user);
  ASSERT_TRUE(conn->execute("UPDATE blood_requests SET created_by = ?1", {*user}));
  ASSERT_TRUE(conn->execute("UPDATE blood_calls SET logged_by = ?1", {*user}));
  auto dumped = org::bundle::dump(*conn, clock, org_id("TW"), sections);
  ASSERT_TRUE(dumped);
  const json& request = (*dumped)["blood"]["clubs"][0]["requests"][0];
  EXPECT_EQ(request["created_by"], "sangpv");
  EXPECT_EQ(request["calls"][0]["logged_by"], "sangpv");
  // Into a database without that user: loaded without it.
  auto fresh = chidoan::testing::FreshDatabase::create(GetParam(), /*migrated=*/true);
  auto other = db::Connection::open(fresh->url());
  ASSERT_TRUE(org::bundle::load(**other, clock, *dumped, sections));
  EXPECT_EQ((*(*other)->query_one("SELECT COUNT(*) FROM blood_requests WHERE created_by IS NULL"))->i64(0), 1);
  other->reset();
}

TEST_P(BloodBundleTest, ErrorsNameTheJsonPath) {
  const std::string club = "$.blood.clubs[0]";
  struct Case {
    std::function<void(json&)> apply;
    std::string path;
  } cases[] = {
      {[](json& b) { b["donors"][0]["group"] = "C+"; }, club + ".donors[0].group"},
      // A group without the health consent (and its history withdrawn).
      {[](json& b) {
         b["donors"][0]["consent_health_on"] = nullptr;
         b["donors"][0]["consent_events"].push_back({{"kind", "health"}, {"given", false}, {"on_date", "2021-05-01"}});
       },
       club + ".donors[0].group"},
      {[](json& b) { b["donors"][6]["deferrals"][0]["reason"] = "thiếu máu"; }, club + ".donors[6].deferrals[0].reason"},
      {[](json& b) { b["requests"][0]["units"] = 0; }, club + ".requests[0].units"},
      {[](json& b) { b["requests"][0]["calls"][1]["donor"] = "D9999"; }, club + ".requests[0].calls[1].donor"},
      {[](json& b) { b["requests"][0]["calls"][3]["donation"] = 9; }, club + ".requests[0].calls[3].donation"},
      {[](json& b) { b["donors"][1]["member"] = "M9999"; }, club + ".donors[1].member"},
      {[](json& b) { b["donors"][2]["member"] = b["donors"][1]["member"]; }, club + ".donors[2].member"},
      {[](json& b) { b["donors"][4]["consent_location_on"] = "2021-04-10"; }, club + ".donors[4].consent_location_on"},
      {[](json& b) { b["donors"][4]["district"] = "Đà Lạt"; }, club + ".donors[4].district"},
      {[](json& b) { b["donors"][0]["donations"][0]["volume_ml"] = 300; }, club + ".donors[0].donations[0].volume_ml"},
      {[](json& b) { b["donors"][0]["donations"][0]["on_date"] = "1980-01-01"; }, club + ".donors[0].donations[0].on_date"},
      {[](json& b) { b["donors"][1]["donations"][3]["request"] = "R0009"; }, club + ".donors[1].donations[3].request"},
      {[](json& b) { b["donors"][6]["deferrals"][0]["ends_on"] = "2021-08-01"; }, club + ".donors[6].deferrals[0].ends_on"},
      {[](json& b) { b["donors"][10]["phone"] = nullptr; }, club + ".donors[10].phone"},
      {[](json& b) { b["donors"][10]["phenotype"] = "+-"; }, club + ".donors[10].phenotype"},
      {[](json& b) { b["requests"][0]["antigen_negatives"] = {"K", "Q"}; }, club + ".requests[0].antigen_negatives[1]"},
      {[](json& b) { b["requests"][0]["component"] = "blood"; }, club + ".requests[0].component"},
      {[](json& b) { b["requests"][0]["calls"][0]["donation"] = 1; }, club + ".requests[0].calls[0].donation"},
      // Dated after the load's day (01/02/2022): the donor would look ineligible now.
      {[](json& b) { b["donors"][0]["donations"][0]["on_date"] = "2022-03-01"; }, club + ".donors[0].donations[0].on_date"},
      {[](json& b) {
         b["donors"][6]["deferrals"][0]["starts_on"] = "2022-05-01";
         b["donors"][6]["deferrals"][0]["ends_on"] = nullptr;
       },
       club + ".donors[6].deferrals[0].starts_on"},
      {[](json& b) { b["donors"][3]["consent_call_on"] = "2022-02-02"; }, club + ".donors[3].consent_call_on"},
      {[](json& b) { b["org"] = "NOPE"; }, club + ".org"},
      {[](json& b) { b["extra"] = 1; }, club + ".extra"},
  };
  for (const auto& c : cases) {
    json d = demo();
    c.apply(d["blood"]["clubs"][0]);
    auto r = org::bundle::load(*conn, clock, d, sections);
    ASSERT_FALSE(r) << c.path;
    EXPECT_EQ(r.error().field, c.path) << r.error().message;
    EXPECT_EQ(count("blood_clubs"), 0);
    EXPECT_EQ(count("members"), 0);
  }
}

CHIDOAN_INSTANTIATE_DB_TEST(BloodBundleTest);

}  // namespace
}  // namespace chidoan::blood
