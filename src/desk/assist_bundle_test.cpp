// The "desk_assist" bundle section on both engines: the demo's catalogue and November 2021 log
// load and dump as they are, round-trip exactly, need their center and shifts, and refuse bad
// entries with the JSON path named.
//
// The centers and shifts come from the "desk" section, which these tests stand in for with a
// small section of their own (key "desk", a center and its shifts written with SQL), so that
// they do not depend on the roster's loader.
#include "desk/assist_bundle.hpp"

#include <gtest/gtest.h>

#include "activity/bundle.hpp"

#include <set>

#include "desk/assist_store.hpp"
#include "desk/bundle.hpp"
#include "desk/store.hpp"
#include "org/bundle.hpp"
#include "org/store.hpp"
#include "tests/support/demo.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::desk {
namespace {

using nlohmann::json;

const char* kCenter = "Trung tâm Phục vụ hành chính công tỉnh Lâm Đồng";

Result<int64_t> find_or_insert(db::Connection& conn, const std::string& find, const std::string& insert, const std::vector<db::Value>& params,
                               size_t find_params) {
  CHIDOAN_TRY(row, conn.query_one(find, std::vector<db::Value>(params.begin(), params.begin() + static_cast<std::ptrdiff_t>(find_params))));
  if (row) return row->i64(0);
  return conn.insert_id(insert, params);
}

// A shift of `center` (with its counter, template and roster period, made when missing).
Result<int64_t> make_shift(db::Connection& conn, int64_t center, int64_t org, const std::string& date, const std::string& start,
                           const std::string& end, const std::string& tmpl, const std::string& counter) {
  CHIDOAN_TRY(counter_id, find_or_insert(conn, "SELECT id FROM desk_counters WHERE center_id = ?1 AND name = ?2",
                                         "INSERT INTO desk_counters (center_id, name) VALUES (?1, ?2) RETURNING id", {center, counter}, 2));
  CHIDOAN_TRY(template_id, find_or_insert(conn, "SELECT id FROM desk_templates WHERE center_id = ?1 AND name = ?2",
                                          "INSERT INTO desk_templates (center_id, name, counter_id, weekdays, start_time, end_time, min_staff, max_staff) "
                                          "VALUES (?1, ?2, ?3, '12345', ?4, ?5, 1, 2) RETURNING id",
                                          {center, tmpl, counter_id, start, end}, 2));
  const std::string month = date.substr(0, 7);
  CHIDOAN_TRY(period, conn.query_one("SELECT id FROM desk_periods WHERE center_id = ?1 AND month = ?2", {center, month}));
  int64_t period_id = 0;
  if (period) {
    period_id = period->i64(0);
  } else {
    CHIDOAN_TRY(activity, conn.insert_id("INSERT INTO activities (org_id, type_id, title, starts_at, ends_at, expects_all, qr_secret, created_at) "
                                         "SELECT ?1, id, 'Trực bàn hướng dẫn', ?2, ?3, 0, 'x', 0 FROM activity_types WHERE code = 'volunteer' RETURNING id",
                                         {org, month + "-01T07:00", month + "-28T17:00"}));
    CHIDOAN_TRY(id, conn.insert_id("INSERT INTO desk_periods (center_id, month, activity_id, created_at) VALUES (?1, ?2, ?3, 0) RETURNING id",
                                   {center, month, activity}));
    period_id = id;
  }
  return conn.insert_id("INSERT INTO desk_shifts (period_id, template_id, counter_id, on_date, starts_at, ends_at, min_staff, max_staff) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, 2) RETURNING id",
                        {period_id, template_id, counter_id, date, unix_of_local(date + "T" + start), unix_of_local(date + "T" + end)});
}

// The stand-in "desk" section: {"org", "center", "shifts": [{template, counter, date, start, end}]}.
chidoan::bundle::Section stand_in_desk() {
  chidoan::bundle::Section s;
  s.key = "desk";
  s.validate = [](db::Connection&, const json&, const chidoan::bundle::Known&) -> Result<void> { return {}; };
  s.load = [](db::Connection& conn, const Clock& clock, const json& d, const chidoan::bundle::Refs& refs) -> Result<void> {
    int64_t org = refs.orgs.at(d["org"].get<std::string>());
    CHIDOAN_TRY(center, Store(conn, clock).create_center(org, {d["center"].get<std::string>(), "", 3, 0, 3}));
    for (const auto& sh : d["shifts"])
      CHIDOAN_TRY_VOID(make_shift(conn, center, org, sh["date"], sh["start"], sh["end"], sh["template"], sh["counter"]));
    return {};
  };
  s.dump = [](db::Connection&, const Clock&, const chidoan::bundle::DumpScope&) -> Result<json> { return json(nullptr); };
  return s;
}

// The stand-in's content for a bundle: the center and every shift its log refers to, with the
// hours of the demo's shift templates (the "desk" section's) when it has them.
json desk_for(const json& assist_section) {
  std::map<std::string, std::pair<std::string, std::string>> hours = {{"Ca sáng", {"07:30", "11:30"}}, {"Ca chiều", {"13:30", "17:00"}}};
  json full = chidoan::testing::demo_bundle_full();
  if (full.contains("desk") && full["desk"].contains("centers"))
    for (const auto& c : full["desk"]["centers"])
      if (c.value("name", "") == kCenter && c.contains("templates"))
        for (const auto& t : c["templates"]) hours[t.value("name", "")] = {t.value("start_time", ""), t.value("end_time", "")};
  std::set<std::tuple<std::string, std::string, std::string>> refs;
  for (const auto& a : assist_section["centers"][0]["assists"])
    if (!a["shift"].is_null()) refs.emplace(a["shift"]["date"], a["shift"]["template"], a["shift"]["counter"]);
  json shifts = json::array();
  for (const auto& [date, tmpl, counter] : refs)
    shifts.push_back({{"date", date}, {"template", tmpl}, {"counter", counter}, {"start", hours[tmpl].first}, {"end", hours[tmpl].second}});
  return {{"org", "VPUBND"}, {"center", kCenter}, {"shifts", shifts}};
}

json demo() {
  json d = chidoan::testing::demo_bundle({"desk_assist"});
  d["desk"] = desk_for(d["desk_assist"]);
  return d;
}

class DeskAssistBundleTest : public chidoan::testing::DbTest {
 protected:
  FixedClock clock{std::chrono::sys_days{std::chrono::year{2022} / 2 / 1}};
  std::vector<chidoan::bundle::Section> sections{stand_in_desk(), assist_bundle_section()};
  int64_t org_id(const char* code) { return (*org::Store(*conn, clock).org_by_code(code))->id; }
  int64_t count(const char* table) { return (*conn->query_one(std::string("SELECT COUNT(*) FROM ") + table))->i64(0); }
  // The bundle with one assist of the demo changed (or a key removed when the value is null).
  json with_assist(size_t i, const json& changes) {
    json d = demo();
    json& a = d["desk_assist"]["centers"][0]["assists"][i];
    for (auto it = changes.begin(); it != changes.end(); ++it) {
      if (it->is_null() && it.key() != "shift" && it.key() != "phone") a.erase(it.key());
      else a[it.key()] = *it;
    }
    return d;
  }
};

TEST_P(DeskAssistBundleTest, TheDemoLogLoadsAndDumpsAsItIs) {
  json d = demo();
  auto r = org::bundle::load(*conn, clock, d, sections);
  ASSERT_TRUE(r) << r.error().field << ": " << r.error().message;
  auto dumped = org::bundle::dump(*conn, clock, org_id("TW"), {assist_bundle_section()});
  ASSERT_TRUE(dumped) << dumped.error().message;
  EXPECT_EQ((*dumped)["desk_assist"], d["desk_assist"]);

  Store desks(*conn, clock);
  auto centers = *desks.centers(org_id("VPUBND"));
  ASSERT_EQ(centers.size(), 1u);
  AssistStore store(*conn, clock);
  auto catalogue = *store.procedures(centers[0].id, false);
  EXPECT_GE(catalogue.size(), 12u);
  EXPECT_EQ(store.procedures(centers[0].id, true)->size() + 1, catalogue.size());  // one no longer in use
  for (const auto& p : catalogue) EXPECT_FALSE(p.documents.empty()) << p.code;

  // November 2021: a few dozen citizens, most submitted online, by the center's own unit.
  auto nov = store.stats(centers[0].id, "2021-11");
  ASSERT_TRUE(nov);
  EXPECT_EQ(nov->total.helped, static_cast<int64_t>(d["desk_assist"]["centers"][0]["assists"].size()));
  EXPECT_GE(nov->total.helped, 30);
  EXPECT_GT(nov->total.submitted * 2, nov->total.helped);
  EXPECT_GE(nov->by_volunteer.size(), 5u);
  EXPECT_EQ(nov->by_shift.back().shift_id.has_value(), true);  // every entry on a shift
  auto units = conn->query("SELECT DISTINCT u.name FROM desk_assists a JOIN members m ON m.id = a.member_id JOIN units u ON u.id = m.unit_id");
  ASSERT_TRUE(units);
  ASSERT_EQ(units->size(), 1u);
  EXPECT_EQ((*units)[0].str(0), "Trung tâm phục vụ hành chính công");
  EXPECT_EQ((*conn->query_one("SELECT COUNT(*) FROM desk_assists WHERE phone IS NOT NULL AND phone_consent_at IS NOT NULL"))->i64(0), 2);
  EXPECT_EQ((*conn->query_one("SELECT COUNT(*) FROM desk_assists WHERE phone IS NOT NULL"))->i64(0), 2);
  // Each entry within its shift, as the log's own rules want.
  auto outside = conn->query_one("SELECT COUNT(*) FROM desk_assists a JOIN desk_shifts s ON s.id = a.shift_id "
                                 "WHERE a.at < s.starts_at - 3600 OR a.at > s.ends_at + 3600");
  EXPECT_EQ((*outside)->i64(0), 0);
  EXPECT_EQ(store.stats(centers[0].id, "2021")->total.helped, nov->total.helped);
}

// With the roster's own "desk" section of the demo: every entry finds its center and shift.
TEST_P(DeskAssistBundleTest, TheDemoLoadsAfterTheDeskSection) {
  // The roster's period names its volunteer activity, which comes with the activity section.
  json d = chidoan::testing::demo_bundle({"activity", "desk", "desk_assist"});
  std::vector<chidoan::bundle::Section> real{activity::bundle_section(), bundle_section(), assist_bundle_section()};
  auto r = org::bundle::load(*conn, clock, d, real);
  ASSERT_TRUE(r) << r.error().field << ": " << r.error().message;
  auto dumped = org::bundle::dump(*conn, clock, org_id("TW"), real);
  ASSERT_TRUE(dumped) << dumped.error().message;
  EXPECT_EQ((*dumped)["desk_assist"], d["desk_assist"]);
  EXPECT_EQ((*conn->query_one("SELECT COUNT(*) FROM desk_assists WHERE shift_id IS NULL"))->i64(0), 0);
  // Each volunteer was on the staff of the shift they logged on.
  auto off_staff = conn->query_one("SELECT COUNT(*) FROM desk_assists a WHERE NOT EXISTS "
                                   "(SELECT 1 FROM desk_assignments g WHERE g.shift_id = a.shift_id AND g.member_id = a.member_id)");
  EXPECT_EQ((*off_staff)->i64(0), 0);
}

TEST_P(DeskAssistBundleTest, RoundTripsExactly) {
  ASSERT_TRUE(org::bundle::load(*conn, clock, demo(), sections));
  auto first = org::bundle::dump(*conn, clock, org_id("TW"), {assist_bundle_section()});
  ASSERT_TRUE(first);
  auto fresh = chidoan::testing::FreshDatabase::create(GetParam(), /*migrated=*/true);
  ASSERT_TRUE(fresh);
  auto other = db::Connection::open(fresh->url());
  ASSERT_TRUE(other);
  json again_doc = *first;
  again_doc["desk"] = desk_for((*first)["desk_assist"]);
  auto again = org::bundle::load(**other, clock, again_doc, sections);
  ASSERT_TRUE(again) << again.error().field << ": " << again.error().message;
  auto tw = (*org::Store(**other, clock).org_by_code("TW"))->id;
  auto second = org::bundle::dump(**other, clock, tw, {assist_bundle_section()});
  ASSERT_TRUE(second);
  EXPECT_EQ(first->dump(), second->dump());
  other->reset();
}

TEST_P(DeskAssistBundleTest, DumpsTheCentersOfTheSubtreeOnly) {
  ASSERT_TRUE(org::bundle::load(*conn, clock, demo(), sections));
  auto branch = org::bundle::dump(*conn, clock, org_id("VPUBND"), {assist_bundle_section()});
  ASSERT_TRUE(branch);
  ASSERT_TRUE(branch->contains("desk_assist"));
  std::set<std::string> refs;
  for (const auto& m : (*branch)["members"]) refs.insert(m["ref"].get<std::string>());
  for (const auto& a : (*branch)["desk_assist"]["centers"][0]["assists"]) EXPECT_TRUE(refs.contains(a["member"].get<std::string>()));
  auto elsewhere = org::bundle::dump(*conn, clock, org_id("VPDBQH"), {assist_bundle_section()});
  ASSERT_TRUE(elsewhere);
  EXPECT_FALSE(elsewhere->contains("desk_assist"));
}

TEST_P(DeskAssistBundleTest, TheCenterAndTheShiftsMustExist) {
  json no_desk = demo();
  no_desk.erase("desk");
  auto r = org::bundle::load(*conn, clock, no_desk, {assist_bundle_section()});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "$.desk_assist.centers[0].center");
  EXPECT_NE(r.error().message.find("\"desk\""), std::string::npos) << r.error().message;
  EXPECT_EQ(count("orgs"), 0);  // nothing written
  EXPECT_EQ(count("desk_procedures"), 0);

  json no_shift = with_assist(3, {{"shift", {{"template", "Ca sáng"}, {"counter", "Bàn hướng dẫn nộp hồ sơ trực tuyến"}, {"date", "2021-12-25"}}}});
  auto s = org::bundle::load(*conn, clock, no_shift, sections);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().field, "$.desk_assist.centers[0].assists[3].shift");
  EXPECT_EQ(count("desk_assists"), 0);
  // An entry outside its shift.
  json late = demo();
  json& a = late["desk_assist"]["centers"][0]["assists"][0];
  a["at"] = a["shift"]["date"].get<std::string>() + "T21:00:00";
  auto l = org::bundle::load(*conn, clock, late, sections);
  ASSERT_FALSE(l);
  EXPECT_EQ(l.error().field, "$.desk_assist.centers[0].assists[0].at");
  // No shift at all is fine.
  ASSERT_TRUE(org::bundle::load(*conn, clock, with_assist(0, {{"shift", nullptr}}), sections));
  EXPECT_TRUE((*conn->query_one("SELECT COUNT(*) FROM desk_assists WHERE shift_id IS NULL"))->i64(0) == 1);
}

TEST_P(DeskAssistBundleTest, BadEntriesAreRefusedWithTheirPath) {
  const std::string at = "$.desk_assist.centers[0].assists[2]";
  const std::vector<std::pair<json, std::string>> cases = {
      {{{"level", "5"}}, at + ".level"},
      {{{"level", "Mức độ 3"}}, at + ".level"},  // the stored spelling only
      {{{"outcome", "approved"}}, at + ".outcome"},
      {{{"outcome", "submitted"}, {"steps", {"scanned"}}}, at + ".steps"},
      {{{"steps", {"printed"}}}, at + ".steps"},
      {{{"phone", "0912345678"}, {"phone_consent_at", nullptr}}, at + ".phone_consent"},
      {{{"phone", "0912"}, {"phone_consent_at", "2021-11-01T09:00:00"}}, at + ".phone"},
      {{{"member", "M9999"}}, at + ".member"},
      {{{"at", "2021-11-31T09:00:00"}}, at + ".at"},
      {{{"at", nullptr}}, at + ".at"},
      {{{"citizen", "Nguyễn Văn A"}}, at + ".citizen"},
      {{{"shift", {{"template", "Ca sáng"}, {"counter", "Bàn"}}}}, at + ".shift.date"},
      {{{"procedure", "9.999999"}}, at + ".procedure"},
      {{{"note", std::string(501, 'x')}}, at + ".note"},
  };
  for (const auto& [changes, path] : cases) {
    auto r = org::bundle::load(*conn, clock, with_assist(2, changes), sections);
    ASSERT_FALSE(r) << changes.dump();
    EXPECT_EQ(r.error().field, path) << changes.dump() << ": " << r.error().message;
    EXPECT_EQ(count("desk_assists"), 0);
  }
  const std::string c = "$.desk_assist.centers[0]";
  json dup = demo();
  dup["desk_assist"]["centers"][0]["procedures"].push_back(dup["desk_assist"]["centers"][0]["procedures"][0]);
  auto d = org::bundle::load(*conn, clock, dup, sections);
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().field.find(".code"), std::string::npos) << d.error().field;
  json bad_level = demo();
  bad_level["desk_assist"]["centers"][0]["procedures"][0]["level"] = "Toàn trình";
  EXPECT_EQ(org::bundle::load(*conn, clock, bad_level, sections).error().field, c + ".procedures[0].level");
  json bad_doc = demo();
  bad_doc["desk_assist"]["centers"][0]["procedures"][0]["documents"] = {"A; B"};
  EXPECT_EQ(org::bundle::load(*conn, clock, bad_doc, sections).error().field, c + ".procedures[0].documents[0]");
  json bad_org = demo();
  bad_org["desk_assist"]["centers"][0]["org"] = "NOPE";
  EXPECT_EQ(org::bundle::load(*conn, clock, bad_org, sections).error().field, c + ".org");
  json unknown = demo();
  unknown["desk_assist"]["kpi"] = json::array();
  EXPECT_EQ(org::bundle::load(*conn, clock, unknown, sections).error().field, "$.desk_assist.kpi");
  EXPECT_EQ(count("orgs"), 0);
}

CHIDOAN_INSTANTIATE_DB_TEST(DeskAssistBundleTest);

}  // namespace
}  // namespace chidoan::desk
