// The roster's routes in process, on both engines: set-up by the committee, bad input refused
// with the field named and nothing written, an unfillable roster explained, sign-up, swaps,
// drops within 24 hours through a coordinator, check-out before check-in, the calendar feed.
#include "desk/routes.hpp"

#include <gtest/gtest.h>

#include "desk/store.hpp"
#include "org/bundle.hpp"
#include "org/store.hpp"
#include "tests/support/demo.hpp"
#include "tests/support/http_support.hpp"
#include "tests/support/route_test.hpp"
#include "tests/support/route_world.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::desk {
namespace {

using nlohmann::json;
using chidoan::testing::Reply;

std::chrono::system_clock::time_point local(int y, unsigned m, unsigned d, int hour) {
  return std::chrono::sys_days{std::chrono::year{y} / m / d} + std::chrono::hours(hour - 7);
}

class DeskRoutesTest : public chidoan::testing::RouteTest {
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
      CHIDOAN_TRY(outside, chidoan::testing::add_outside_branch(store, today(clock)));
      other_branch = outside.first;
      for (const char* given : {"Thảo", "Hoa", "Minh"}) {
        CHIDOAN_TRY(m, chidoan::testing::add_test_member(store, vpubnd, "Lê", given, "female", "1996-03-01", "2021-04-01", today(clock)));
        members.push_back(m);
      }
      return {};
    }));
    start(clock);
    add_routes(router, services);
    auto users = chidoan::testing::create_users(*conn, clock, services.auth,
                                                {{"sangpv", auth::Role::branch_secretary, vpubnd, std::nullopt},
                                                 {"khac", auth::Role::branch_secretary, other_branch, std::nullopt},
                                                 {"thao", auth::Role::member, vpubnd, members[0]},
                                                 {"hoa", auth::Role::member, vpubnd, members[1]},
                                                 {"minh", auth::Role::member, vpubnd, members[2]}});
    ASSERT_TRUE(users) << users.error().message;
    tokens = *users;
    Reply c = call("POST", "/api/v1/orgs/" + std::to_string(vpubnd) + "/desk", "sangpv",
                   json{{"name", "Trung tâm PVHCC"}, {"max_shifts_per_week", "3"}, {"min_rest_minutes", "60"}, {"no_show_limit", "3"}}.dump());
    ASSERT_EQ(c.status, 201) << c.body;
    center = c.j()["id"];
    Reply k = call("POST", api("/counters"), "sangpv", json{{"name", "Quầy 1"}}.dump());
    ASSERT_EQ(k.status, 201) << k.body;
    counter = k.j()["id"];
    ASSERT_EQ(add_template("Sáng", "07:30", "11:30").status, 201);
    ASSERT_EQ(add_template("Chiều", "13:30", "17:00").status, 201);
    Reply p = call("POST", api("/periods"), "sangpv", json{{"month", "2022-02"}}.dump());
    ASSERT_EQ(p.status, 201) << p.body;
    period = p.j()["id"];
    Reply roster = call("GET", "/api/v1/desk/periods/" + std::to_string(period), "thao");
    ASSERT_EQ(roster.status, 200) << roster.body;
    json list = roster.j()["shifts"];
    for (const auto& s : list) shifts[s["starts_at"].get<std::string>()] = s["id"].get<int64_t>();
  }

  std::string api(const std::string& rest = "") { return "/api/v1/desk/centers/" + std::to_string(center) + rest; }
  std::string shift(const std::string& starts_at, const std::string& rest) {
    return "/api/v1/desk/shifts/" + std::to_string(shifts.at(starts_at)) + rest;
  }
  Reply add_template(const char* name, const char* start, const char* end, const char* days = "12345", const char* lo = "1",
                     const char* hi = "2", const char* who = "sangpv") {
    return call("POST", api("/templates"), who,
                json{{"name", name}, {"counter_id", std::to_string(counter)}, {"weekdays", days}, {"start_time", start},
                     {"end_time", end}, {"min_staff", lo}, {"max_staff", hi}}
                    .dump());
  }
  int64_t rows(const char* table) { return (*conn->query_one(std::string("SELECT COUNT(*) FROM ") + table))->i64(0); }

  FixedClock clock{local(2022, 1, 20, 8)};
  std::map<std::string, int64_t> shifts;  // local start -> id
  std::vector<int64_t> members;
  int64_t vpubnd = 0, other_branch = 0, center = 0, counter = 0, period = 0;
};

TEST_P(DeskRoutesTest, SetUpBelongsToTheCommitteeAndBadInputChangesNothing) {
  EXPECT_EQ(shifts.size(), 40u);
  EXPECT_EQ(call("GET", api(), "khac").status, 403);
  EXPECT_EQ(call("GET", api(), "thao").status, 200);
  EXPECT_EQ(add_template("Tối", "18:00", "20:00", "12345", "1", "2", "thao").status, 403);
  const int64_t before = rows("desk_templates");
  Reply overlap = add_template("Trưa", "11:00", "12:30");
  EXPECT_EQ(overlap.status, 422) << overlap.body;
  EXPECT_EQ(overlap.j()["error"]["field"], "start_time");
  EXPECT_EQ(add_template("Ngược", "12:00", "11:59", "6").j()["error"]["field"], "end_time");
  EXPECT_EQ(add_template("Ít", "18:00", "19:00", "6", "3", "2").j()["error"]["field"], "min_staff");
  EXPECT_EQ(add_template("Âm", "18:00", "19:00", "6", "-1", "2").j()["error"]["field"], "min_staff");
  EXPECT_EQ(add_template("Ngày", "18:00", "19:00", "8").j()["error"]["field"], "weekdays");
  EXPECT_EQ(rows("desk_templates"), before);
  Reply month = call("POST", api("/periods"), "sangpv", json{{"month", "2022-13"}}.dump());
  EXPECT_EQ(month.status, 422);
  EXPECT_EQ(month.j()["error"]["field"], "month");
  EXPECT_EQ(call("POST", api("/periods"), "sangpv", json{{"month", "2022-02"}}.dump()).status, 409);
  Reply center_bad = call("POST", api(), "sangpv", json{{"name", "Trung tâm PVHCC"}, {"max_shifts_per_week", "0"}}.dump());
  EXPECT_EQ(center_bad.status, 422);
  EXPECT_EQ(center_bad.j()["error"]["field"], "max_shifts_per_week");
}

// A center run by the level above (the Đoàn khối) has the branch's members as volunteers: they
// open it; a branch outside that level does not.
TEST_P(DeskRoutesTest, TheVolunteersOfACenterAboveTheirBranchOpenIt) {
  int64_t above = 0;
  ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
    CHIDOAN_TRY(dkcq, org::Store(*conn, clock).org_by_code("DKCQ"));
    CHIDOAN_TRY(id, Store(*conn, clock).create_center((*dkcq).id, CenterInput{"Bộ phận một cửa Đoàn khối", "", 3, 60, 3}));
    above = id;
    return {};
  }));
  const std::string url = "/api/v1/desk/centers/" + std::to_string(above);
  Reply seen = call("GET", url, "thao");
  EXPECT_EQ(seen.status, 200) << seen.body;
  EXPECT_EQ(call("GET", url, "khac").status, 403);
  EXPECT_EQ(call("POST", url + "/counters", "thao", json{{"name", "Quầy 9"}}.dump()).status, 403);  // running it stays the level's
}

TEST_P(DeskRoutesTest, AnUnfillableRosterSaysWhichShiftsAndWhyAndWritesNothing) {
  // Only Thảo gives availability, for the first Tuesday.
  ASSERT_EQ(call("POST", "/api/v1/desk/periods/" + std::to_string(period) + "/availability", "thao",
                 json{{"available", std::to_string(shifts.at("2022-02-01T07:30"))}}.dump())
                .status,
            200);
  Reply r = call("POST", "/api/v1/desk/periods/" + std::to_string(period) + "/roster", "sangpv", "{}");
  ASSERT_EQ(r.status, 422) << r.body;
  json shortfalls = r.j()["error"]["shortfalls"];
  EXPECT_EQ(shortfalls.size(), 39u);
  EXPECT_FALSE(shortfalls[0]["reason"].get<std::string>().empty());
  EXPECT_EQ(rows("desk_assignments"), 0);
  EXPECT_EQ(call("POST", "/api/v1/desk/periods/" + std::to_string(period) + "/roster", "thao", "{}").status, 403);
}

TEST_P(DeskRoutesTest, ASwapAcceptedBySomeoneAlreadyOnDutyIsRefused) {
  ASSERT_EQ(call("POST", shift("2022-02-07T07:30", "/signup"), "thao", "{}").status, 201);
  ASSERT_EQ(call("POST", shift("2022-02-07T07:30", "/signup"), "hoa", "{}").status, 201);
  EXPECT_EQ(call("POST", shift("2022-02-07T07:30", "/signup"), "minh", "{}").status, 409);  // full
  Reply offer = call("POST", shift("2022-02-07T07:30", "/swap"), "thao", json{{"note", "Bận họp"}}.dump());
  ASSERT_EQ(offer.status, 201) << offer.body;
  std::string req = "/api/v1/desk/requests/" + std::to_string(offer.j()["id"].get<int64_t>());
  Reply busy = call("POST", req + "/accept", "hoa", "{}");
  EXPECT_EQ(busy.status, 409) << busy.body;
  EXPECT_EQ(call("POST", req + "/approve", "sangpv", "{}").status, 409);  // a swap needs no approval
  Reply ok = call("POST", req + "/accept", "minh", "{}");
  ASSERT_EQ(ok.status, 200) << ok.body;
  Reply roster = call("GET", "/api/v1/desk/periods/" + std::to_string(period), "thao");
  json list = roster.j()["shifts"];
  for (const auto& s : list)
    if (s["id"] == shifts.at("2022-02-07T07:30")) {
      std::set<int64_t> on;
      for (const auto& a : s["staff"]) on.insert(a["member_id"].get<int64_t>());
      EXPECT_EQ(on, (std::set<int64_t>{members[1], members[2]}));
    }
}

TEST_P(DeskRoutesTest, ADropWithin24HoursGoesThroughACoordinator) {
  ASSERT_EQ(call("POST", shift("2022-02-01T07:30", "/signup"), "thao", "{}").status, 201);
  ASSERT_EQ(call("POST", shift("2022-02-03T07:30", "/signup"), "thao", "{}").status, 201);
  clock.advance(std::chrono::hours(24 * 11 + 1));  // 2022-01-31 09:00
  Reply early = call("POST", shift("2022-02-03T07:30", "/drop"), "thao", "{}");  // more than 24 h ahead: at once
  ASSERT_EQ(early.status, 200) << early.body;
  EXPECT_EQ(early.j()["dropped"], true);
  Reply late = call("POST", shift("2022-02-01T07:30", "/drop"), "thao", json{{"note", "Ốm"}}.dump());
  ASSERT_EQ(late.status, 202) << late.body;
  EXPECT_EQ(rows("desk_assignments"), 1);
  std::string req = "/api/v1/desk/requests/" + std::to_string(late.j()["request_id"].get<int64_t>());
  EXPECT_EQ(call("POST", req + "/approve", "thao", "{}").status, 403);
  ASSERT_EQ(call("POST", req + "/approve", "sangpv", "{}").status, 200);
  EXPECT_EQ(rows("desk_assignments"), 0);
}

TEST_P(DeskRoutesTest, CheckOutBeforeCheckInIsRefusedAndTheCalendarListsTheShifts) {
  Reply s = call("POST", shift("2022-02-01T07:30", "/signup"), "thao", "{}");
  ASSERT_EQ(s.status, 201);
  std::string a = "/api/v1/desk/assignments/" + std::to_string(s.j()["id"].get<int64_t>());
  clock.advance(std::chrono::hours(24 * 12 - 1));  // 2022-02-01 07:00
  Reply out = call("POST", a + "/check-out", "thao", "{}");
  EXPECT_EQ(out.status, 409) << out.body;
  EXPECT_EQ(out.j()["error"]["field"], "check_out_at");
  EXPECT_EQ(call("POST", a + "/check-in", "hoa", "{}").status, 403);  // not hers
  ASSERT_EQ(call("POST", a + "/check-in", "thao", "{}").status, 200);
  Reply back = call("POST", a + "/check-out", "sangpv", json{{"at", "2022-02-01T06:00"}}.dump());
  EXPECT_EQ(back.status, 422) << back.body;
  EXPECT_EQ(back.j()["error"]["field"], "check_out_at");
  EXPECT_EQ(call("POST", a + "/check-out", "thao", json{{"at", "2022-02-01T11:30"}}.dump()).status, 403);  // only now, for her
  clock.advance(std::chrono::hours(4) + std::chrono::minutes(35));
  Reply done = call("POST", a + "/check-out", "thao", "{}");
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.j()["minutes"], 275);
  // The calendar feed: a secret link, then the shifts without signing in.
  Reply feed = call("POST", "/api/v1/desk/me/calendar", "thao", "{}");
  ASSERT_EQ(feed.status, 201);
  Reply ics = call("GET", feed.j()["url"].get<std::string>(), "");
  ASSERT_EQ(ics.status, 200) << ics.body;
  EXPECT_NE(ics.body.find("BEGIN:VEVENT"), std::string::npos);
  EXPECT_NE(ics.body.find("DTSTART:20220201T003000Z"), std::string::npos) << ics.body;
  EXPECT_EQ(call("GET", "/desk/calendar/nothing.ics", "").status, 404);
}

CHIDOAN_INSTANTIATE_DB_TEST(DeskRoutesTest);

}  // namespace
}  // namespace chidoan::desk
