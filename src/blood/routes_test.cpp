// The blood club's routes in process, on both engines: coordinators by grant, the donor's own
// page, emergency requests and the call-out, phones revealed only after acceptance and audited,
// bad input refused with the field named and nothing written.
#include "blood/routes.hpp"

#include <gtest/gtest.h>

#include "org/bundle.hpp"
#include "org/store.hpp"
#include "platform/auth/store.hpp"
#include "tests/support/demo.hpp"
#include "tests/support/http_support.hpp"
#include "tests/support/route_test.hpp"
#include "tests/support/route_world.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::blood {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using chidoan::testing::Reply;

class BloodRoutesTest : public chidoan::testing::RouteTest {
 protected:
  void SetUp() override {
    RouteTest::SetUp();
    if (IsSkipped()) return;
    load_world(clock);
    if (HasFatalFailure()) return;
    org::Store store(*conn, clock);
    auto id = [&](const char* code) { return (*store.org_by_code(code))->id; };
    ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
      CHIDOAN_TRY(m, chidoan::testing::add_test_member(store, vpubnd, "Lê", "Thảo", "female", "1996-03-01", "2021-04-01", today(clock)));
      member = m;
      return {};
    }));
    start(clock);
    add_routes(router, services);
    auto users = chidoan::testing::create_users(*conn, clock, services.auth,
                                                {{"admin", auth::Role::system_admin, id("TW"), std::nullopt},
                                                 {"sangpv", auth::Role::branch_secretary, vpubnd, std::nullopt},
                                                 {"khac", auth::Role::branch_secretary, other_branch, std::nullopt},
                                                 {"thao", auth::Role::member, vpubnd, member},
                                                 {"dieuphoi", auth::Role::branch_secretary, vpubnd, std::nullopt}});
    ASSERT_TRUE(users) << users.error().message;
    tokens = *users;
    Reply c = call("POST", "/api/v1/orgs/" + std::to_string(vpubnd) + "/blood", "sangpv", json{{"name", "CLB Máu sống – Máu hiếm"}}.dump());
    ASSERT_EQ(c.status, 201) << c.body;
    club = c.j()["id"];
    // The secretary appoints the coordinator (a grant on the branch), then steps back.
    Reply a = call("POST", club_api("/coordinators"), "sangpv", json{{"username", "dieuphoi"}}.dump());
    ASSERT_EQ(a.status, 200) << a.body;
  }

  std::string club_api(const std::string& rest = "") { return "/api/v1/blood/clubs/" + std::to_string(club) + rest; }
  int64_t rows(const char* table) { return (*conn->query_one(std::string("SELECT COUNT(*) FROM ") + table))->i64(0); }
  int64_t written() {
    return rows("blood_donors") + rows("blood_donations") * 10 + rows("blood_deferrals") * 100 + rows("blood_requests") * 1000 +
           rows("blood_calls") * 10000;
  }
  int64_t audits(const std::string& action) {
    return (*conn->query_one("SELECT COUNT(*) FROM audit_log WHERE action = ?1", {action}))->i64(0);
  }
  // An outsider donor registered by the coordinator.
  int64_t outsider(const std::string& name, const std::string& group, const std::string& district = "Đà Lạt", bool call_ok = true) {
    json d{{"name", name},           {"phone", "0912 345 678"}, {"sex", "male"},  {"birth_date", "1990-02-02"},
           {"weight_class", ">=50"}, {"blood_group", group},    {"district", district}, {"on_call", "1"},
           {"consent_join", "1"},    {"consent_health", "1"},   {"consent_location", "1"}};
    if (call_ok) d["consent_call"] = "1";
    Reply r = call("POST", club_api("/donors"), "dieuphoi", d.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.j()["id"].get<int64_t>() : 0;
  }
  json request_body() {
    return json{{"hospital", "Bệnh viện Đa khoa tỉnh Lâm Đồng"}, {"recipient", "O-"},  {"component", "red_cells"}, {"units", 2},
                {"needed_by", "2021-09-15"},                     {"district", "Đà Lạt"}, {"contact_name", "BS. Hạnh"},
                {"contact_phone", "0263 3822 222"}};
  }

  FixedClock clock{std::chrono::sys_days{std::chrono::year{2021} / 9 / 14} + 2h};
  int64_t member = 0, club = 0;
};

TEST_P(BloodRoutesTest, OnlyTheCoordinatorSeesGroupsAndNobodyElseNotEvenTheAdministrator) {
  int64_t donor = outsider("Phạm Văn Minh", "O-");
  for (const char* who : {"admin", "sangpv", "khac", "thao"}) {
    EXPECT_EQ(call("GET", club_api("/donors"), who).status, 403) << who;
    EXPECT_EQ(call("GET", "/api/v1/blood/donors/" + std::to_string(donor), who).status, 403) << who;
    EXPECT_EQ(call("GET", club_api("/donors.csv"), who).status, 403) << who;
    EXPECT_EQ(call("POST", "/api/v1/blood/donors/" + std::to_string(donor) + "/phone", who, "{}").status, 403) << who;
  }
  // The club's page is statistics only, for everyone of the branch.
  Reply page = call("GET", club_api(), "thao");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.body.find("Phạm Văn Minh"), std::string::npos);
  EXPECT_EQ(page.body.find("912345678"), std::string::npos);
  EXPECT_EQ(call("GET", club_api(), "khac").status, 403);
  // The coordinator: the roster has groups and no phones; a phone look-up is audited.
  Reply roster = call("GET", club_api("/donors"), "dieuphoi");
  ASSERT_EQ(roster.status, 200) << roster.body;
  EXPECT_EQ(roster.j()["items"][0]["group"], "O-");
  EXPECT_EQ(roster.body.find("912345678"), std::string::npos);
  Reply csv = call("GET", club_api("/donors.csv"), "dieuphoi");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.body.find("912345678"), std::string::npos);
  EXPECT_EQ(audits("export"), 1);
  Reply phone = call("POST", "/api/v1/blood/donors/" + std::to_string(donor) + "/phone", "dieuphoi", "{}");
  ASSERT_EQ(phone.status, 200);
  EXPECT_EQ(phone.j()["phone"], "+84912345678");
  EXPECT_EQ(audits("reveal_phone"), 1);
  // Dismissed, the coordinator sees nothing more at once.
  int64_t uid = (*conn->query_one("SELECT id FROM users WHERE username = 'dieuphoi'"))->i64(0);
  ASSERT_EQ(call("POST", club_api("/coordinators/" + std::to_string(uid) + "/remove"), "sangpv", "{}").status, 200);
  EXPECT_EQ(call("GET", club_api("/donors"), "dieuphoi").status, 403);
}

// The club of a level above (the Đoàn khối's) is listed to the branch's members: they open it
// and join it; a branch outside that level does not see it.
TEST_P(BloodRoutesTest, AMemberJoinsTheClubOfALevelAbove) {
  org::Store store(*conn, clock);
  const int64_t dkcq = (*store.org_by_code("DKCQ"))->id;
  Reply made = call("POST", "/api/v1/orgs/" + std::to_string(dkcq) + "/blood", "admin", json{{"name", "CLB hiến máu Đoàn khối"}}.dump());
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string above = "/api/v1/blood/clubs/" + made.j()["id"].dump();
  Reply listed = call("GET", "/api/v1/orgs/" + std::to_string(vpubnd) + "/blood", "thao");
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_NE(listed.body.find("CLB hiến máu Đoàn khối"), std::string::npos);
  EXPECT_EQ(call("GET", above, "thao").status, 200);
  Reply joined = call("POST", above + "/join", "thao",
                      json{{"weight_class", "45-50"}, {"on_call", "1"}, {"consent_join", "1"}, {"consent_call", "1"}}.dump());
  EXPECT_EQ(joined.status, 201) << joined.body;
  EXPECT_EQ(call("GET", above, "khac").status, 403);
  EXPECT_EQ(call("GET", above + "/donors", "thao").status, 403);  // the roster stays the coordinators'
}

TEST_P(BloodRoutesTest, AMemberRegistersSeesAndWithdrawsTheirOwnRecord) {
  Reply j = call("POST", club_api("/join"), "thao",
                 json{{"weight_class", "45-50"}, {"blood_group", "B+"}, {"district", "Lâm Hà"}, {"on_call", "1"}, {"consent_join", "1"},
                      {"consent_health", "1"}, {"consent_call", "1"}, {"consent_location", "1"}, {"member_id", "1"}}
                     .dump());
  ASSERT_EQ(j.status, 201) << j.body;
  int64_t mine = j.j()["id"];
  Reply me = call("GET", "/api/v1/blood/donors/" + std::to_string(mine), "thao");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.j()["member_id"], member);  // their own, whatever the form said
  EXPECT_EQ(me.j()["group"], "B+");
  EXPECT_TRUE(me.j()["eligibility"]["eligible"]);
  EXPECT_FALSE(me.j().contains("phone"));
  // A change of one field keeps the others, and the consents given stand for it.
  Reply changed = call("POST", "/api/v1/blood/donors/" + std::to_string(mine), "thao", json{{"blood_group", "O+"}}.dump());
  ASSERT_EQ(changed.status, 200) << changed.body;
  Reply after = call("GET", "/api/v1/blood/donors/" + std::to_string(mine), "thao");
  EXPECT_EQ(after.j()["group"], "O+");
  EXPECT_EQ(after.j()["district"], "Lâm Hà");
  EXPECT_EQ(after.j()["weight_class"], "45-50");
  EXPECT_EQ(after.j()["on_call"], true);
  // Someone else's record is not theirs to see.
  int64_t other = outsider("Phạm Văn Minh", "O-");
  EXPECT_EQ(call("GET", "/api/v1/blood/donors/" + std::to_string(other), "thao").status, 403);
  // Withdrawing the health consent removes the group at once.
  ASSERT_EQ(call("POST", "/api/v1/blood/donors/" + std::to_string(mine) + "/consents", "thao",
                 json{{"consent", "health"}, {"action", "withdraw"}}.dump())
                .status,
            200);
  EXPECT_EQ(call("GET", "/api/v1/blood/donors/" + std::to_string(mine), "thao").j()["group"], "");
  EXPECT_EQ(audits("withdraw_consent"), 1);
  // Deleting needs the confirmation, then removes the record.
  EXPECT_EQ(call("POST", "/api/v1/blood/donors/" + std::to_string(mine) + "/delete", "thao", "{}").j()["error"]["field"], "confirm");
  ASSERT_EQ(call("POST", "/api/v1/blood/donors/" + std::to_string(mine) + "/delete", "thao", json{{"confirm", "1"}}.dump()).status, 200);
  EXPECT_EQ(call("GET", "/api/v1/blood/donors/" + std::to_string(mine), "thao").status, 404);
}

TEST_P(BloodRoutesTest, AnEmergencyRequestRanksCallsAndRevealsOnlyAfterAcceptance) {
  int64_t same = outsider("Phạm Văn Minh", "O-");
  int64_t far = outsider("Đỗ Thị Lan", "O-", "Bảo Lộc");
  int64_t quiet = outsider("Vũ Văn Nam", "O-", "Đà Lạt", false);  // no consent to be called
  outsider("Hồ Văn Tâm", "A-");                                     // not compatible with O−
  Reply r = call("POST", "/api/v1/blood/requests", "dieuphoi", request_body().dump());
  ASSERT_EQ(r.status, 201) << r.body;
  int64_t req = r.j()["id"];
  json matches = r.j()["matches"];
  ASSERT_EQ(matches.size(), 2u);
  EXPECT_EQ(matches[0]["donor_id"], same);  // same district first
  EXPECT_EQ(matches[1]["donor_id"], far);
  EXPECT_EQ(matches[0]["group"], "O-");
  EXPECT_FALSE(matches[0].contains("phone"));
  EXPECT_EQ(r.body.find("912345678"), std::string::npos);
  for (const auto& m : matches) EXPECT_NE(m["donor_id"], quiet);
  std::string base = "/api/v1/blood/requests/" + std::to_string(req);
  // Before acceptance the phone stays hidden; after it, it is shown to the coordinator, audited.
  EXPECT_EQ(call("POST", base + "/donors/" + std::to_string(same) + "/phone", "dieuphoi", "{}").status, 403);
  ASSERT_EQ(call("POST", base + "/calls", "dieuphoi", json{{"donor_id", far}, {"outcome", "no_answer"}}.dump()).status, 201);
  ASSERT_EQ(call("POST", base + "/calls", "dieuphoi", json{{"donor_id", same}, {"outcome", "accepted"}}.dump()).status, 201);
  Reply p = call("POST", base + "/donors/" + std::to_string(same) + "/phone", "dieuphoi", "{}");
  ASSERT_EQ(p.status, 200) << p.body;
  EXPECT_EQ(p.j()["phone"], "+84912345678");
  EXPECT_EQ(audits("reveal_phone"), 1);
  EXPECT_EQ(call("POST", base + "/donors/" + std::to_string(far) + "/phone", "dieuphoi", "{}").status, 403);
  // The accepted donor is told where to go (an SMS through the webhook: outsiders have no e-mail).
  auto notice = conn->query_one("SELECT channel, recipient, body FROM outbox WHERE kind = 'blood.accepted'");
  ASSERT_TRUE(notice && *notice);
  EXPECT_EQ((*notice)->str(0), "webhook");
  EXPECT_EQ((*notice)->str(1), "+84912345678");
  EXPECT_NE((*notice)->str(2).find("Bệnh viện Đa khoa tỉnh Lâm Đồng"), std::string::npos);
  // Donated: a donation recorded today; the donor is no longer offered.
  Reply d = call("POST", base + "/calls", "dieuphoi", json{{"donor_id", same}, {"outcome", "donated"}}.dump());
  ASSERT_EQ(d.status, 201) << d.body;
  EXPECT_TRUE(d.j().contains("donation_id"));
  Reply page = call("GET", base, "dieuphoi");
  ASSERT_EQ(page.status, 200);
  json after = page.j()["matches"];  // a copy: j() is a temporary
  for (const auto& m : after) EXPECT_NE(m["donor_id"], same);
  // Someone outside the club cannot call, reveal or read.
  EXPECT_EQ(call("GET", base, "sangpv").status, 403);
  EXPECT_EQ(call("POST", base + "/calls", "admin", json{{"donor_id", far}, {"outcome", "declined"}}.dump()).status, 403);
}

TEST_P(BloodRoutesTest, BadInputIsRefusedWithTheFieldAndWritesNothing) {
  int64_t donor = outsider("Phạm Văn Minh", "O-");
  int64_t before = written();
  auto field_of = [&](const std::string& path, const json& body) {
    Reply r = call("POST", path, "dieuphoi", body.dump());
    EXPECT_EQ(r.status, 422) << path << " " << body.dump() << " -> " << r.body;
    return r.status == 422 ? r.j()["error"]["field"].get<std::string>() : std::string();
  };
  json d{{"name", "X"}, {"phone", "0912 000 111"}, {"sex", "male"}, {"birth_date", "1990-01-01"}, {"weight_class", ">=50"}, {"consent_join", "1"}, {"consent_health", "1"}};
  EXPECT_EQ(field_of(club_api("/donors"), [&] { json x = d; x["blood_group"] = "C+"; return x; }()), "blood_group");
  EXPECT_EQ(field_of(club_api("/donors"), [&] { json x = d; x["blood_group"] = "AB"; return x; }()), "blood_group");
  EXPECT_EQ(field_of(club_api("/donors"), [&] { json x = d; x["weight_class"] = "80kg"; return x; }()), "weight_class");
  EXPECT_EQ(field_of(club_api("/donors"), [&] { json x = d; x["birth_date"] = "2030-01-01"; return x; }()), "birth_date");
  std::string donations = "/api/v1/blood/donors/" + std::to_string(donor) + "/donations";
  EXPECT_EQ(field_of(donations, {{"on_date", "2021-09-20"}, {"type", "whole_blood"}, {"volume_ml", "350"}}), "on_date");   // future
  EXPECT_EQ(field_of(donations, {{"on_date", "1989-01-01"}, {"type", "whole_blood"}, {"volume_ml", "350"}}), "on_date");   // before birth
  EXPECT_EQ(field_of(donations, {{"on_date", "2021-09-01"}, {"type", "whole_blood"}, {"volume_ml", "300"}}), "volume_ml");
  ASSERT_EQ(call("POST", donations, "dieuphoi", json{{"on_date", "2021-08-01"}, {"type", "whole_blood"}, {"volume_ml", "350"}}.dump()).status, 201);
  before = written();
  // Inside the 12-week interval: refused, unless the hospital's override is given (audited).
  EXPECT_EQ(field_of(donations, {{"on_date", "2021-09-01"}, {"type", "whole_blood"}, {"volume_ml", "350"}}), "on_date");
  EXPECT_EQ(written(), before);
  Reply o = call("POST", donations, "dieuphoi",
                 json{{"on_date", "2021-09-01"}, {"type", "plasma"}, {"override_reason", "Bệnh viện cần gấp, bác sĩ đồng ý"}}.dump());
  ASSERT_EQ(o.status, 201) << o.body;
  auto audited = conn->query_one("SELECT detail FROM audit_log WHERE action = 'donation' ORDER BY id DESC LIMIT 1");
  ASSERT_TRUE(audited && *audited);
  EXPECT_NE((*audited)->str(0).find("interval_override"), std::string::npos);
  before = written();
  json rq = request_body();
  EXPECT_EQ(field_of("/api/v1/blood/requests", [&] { json x = rq; x["units"] = 0; return x; }()), "units");
  EXPECT_EQ(field_of("/api/v1/blood/requests", [&] { json x = rq; x["recipient"] = "AB"; return x; }()), "recipient_group");
  EXPECT_EQ(field_of("/api/v1/blood/requests", [&] { json x = rq; x["component"] = "blood"; return x; }()), "component");
  EXPECT_EQ(field_of("/api/v1/blood/requests", [&] { json x = rq; x["needed_by"] = "2021-09-01"; return x; }()), "needed_by");
  EXPECT_EQ(written(), before);
}

// A donation entered with the wrong date is deleted by the coordinator, with a reason that the
// audit keeps: the donor is eligible again at once.
TEST_P(BloodRoutesTest, ACoordinatorDeletesADonationEnteredByMistake) {
  int64_t donor = outsider("Phạm Văn Minh", "O-");
  const std::string base = "/api/v1/blood/donors/" + std::to_string(donor);
  const int64_t donations = rows("blood_donations"), deferrals = rows("blood_deferrals");
  Reply added = call("POST", base + "/donations", "dieuphoi", json{{"on_date", "2021-09-01"}, {"type", "whole_blood"}, {"volume_ml", "350"}}.dump());
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_FALSE(call("GET", base, "dieuphoi").j()["eligibility"]["eligible"]);
  const std::string del = base + "/donations/" + added.j()["id"].dump() + "/delete";
  EXPECT_EQ(call("POST", del, "dieuphoi", json{{"reason", ""}}.dump()).j()["error"]["field"], "reason");
  EXPECT_EQ(call("POST", del, "thao", json{{"reason", "Ghi nhầm ngày"}}.dump()).status, 403);  // not a coordinator
  int64_t other = outsider("Lê Thị Hoa", "A+");  // another donor's path does not reach it
  EXPECT_EQ(call("POST", "/api/v1/blood/donors/" + std::to_string(other) + "/donations/" + added.j()["id"].dump() + "/delete", "dieuphoi",
                 json{{"reason", "Ghi nhầm ngày"}}.dump()).status,
            404);
  EXPECT_EQ(rows("blood_donations"), donations + 1);
  ASSERT_EQ(call("POST", del, "dieuphoi", json{{"reason", "Ghi nhầm ngày"}}.dump()).status, 200);
  EXPECT_EQ(rows("blood_donations"), donations);
  EXPECT_TRUE(call("GET", base, "dieuphoi").j()["eligibility"]["eligible"]);
  EXPECT_EQ(audits("delete_donation"), 1);
  auto detail = conn->query_one("SELECT detail FROM audit_log WHERE action = 'delete_donation'");
  EXPECT_NE((*detail)->str(0).find("2021-09-01"), std::string::npos);
  // A deferral likewise.
  Reply deferred = call("POST", base + "/deferrals", "dieuphoi", json{{"class", "days_7"}, {"starts_on", "2021-09-05"}}.dump());
  ASSERT_EQ(deferred.status, 201) << deferred.body;
  ASSERT_EQ(call("POST", base + "/deferrals/" + deferred.j()["id"].dump() + "/delete", "dieuphoi", json{{"reason", "Nhầm người"}}.dump()).status, 200);
  EXPECT_EQ(rows("blood_deferrals"), deferrals);
  // The page offers both corrections to the coordinator only.
  ASSERT_EQ(call("POST", base + "/donations", "dieuphoi", json{{"on_date", "2021-09-02"}, {"type", "plasma"}}.dump()).status, 201);
  EXPECT_NE(call("GET", "/blood/donors/" + std::to_string(donor), "dieuphoi").body.find("/donations/"), std::string::npos);
}

TEST_P(BloodRoutesTest, TheRosterSaysWhatTheDonorPageSays) {
  int64_t rested = outsider("Phạm Văn Minh", "O-");
  int64_t recent = outsider("Đỗ Thị Lan", "A+");
  ASSERT_EQ(call("POST", "/api/v1/blood/donors/" + std::to_string(recent) + "/donations", "dieuphoi",
                 json{{"on_date", "2021-08-01"}, {"type", "whole_blood"}, {"volume_ml", "350"}}.dump())
                .status,
            201);
  json roster = call("GET", club_api("/donors"), "dieuphoi").j()["items"];
  ASSERT_EQ(roster.size(), 2u);
  for (const auto& item : roster) {
    json page = call("GET", "/api/v1/blood/donors/" + item["id"].dump(), "dieuphoi").j();
    EXPECT_EQ(item["eligibility"]["eligible"], page["eligibility"]["eligible"]) << item["id"];
    EXPECT_EQ(item["eligibility"]["eligible_from"], page["eligibility"]["eligible_from"]) << item["id"];
  }
  json eligible = call("GET", club_api("/donors?eligible=1"), "dieuphoi").j()["items"];
  ASSERT_EQ(eligible.size(), 1u);
  EXPECT_EQ(eligible[0]["id"], rested);
}

TEST_P(BloodRoutesTest, CompatibilityIsThePublishedTable) {
  Reply r = call("GET", "/api/v1/blood/compatibility?recipient=A-&component=red_cells", "thao");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.j()["donor_groups"], json::array({"A-", "O-"}));
  EXPECT_EQ(call("GET", "/api/v1/blood/compatibility?recipient=AB%2B&component=plasma", "thao").j()["donor_groups"], json::array({"AB+", "AB-"}));
  EXPECT_EQ(call("GET", "/api/v1/blood/compatibility?recipient=C%2B&component=plasma", "thao").j()["error"]["field"], "recipient");
  EXPECT_EQ(call("GET", "/api/v1/blood/compatibility?recipient=O-&component=blood", "thao").j()["error"]["field"], "component");
}

CHIDOAN_INSTANTIATE_DB_TEST(BloodRoutesTest);

}  // namespace
}  // namespace chidoan::blood
