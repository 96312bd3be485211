// The year-end report on both engines: the demo reproduces the article's figures for Chi đoàn
// Văn phòng UBND tỉnh in 2021 (checked against figures computed here from the demo file itself,
// and the whole JSON against tests/golden/review/vpubnd-2021.json; CHIDOAN_UPDATE_GOLDEN=1
// rewrites it), a second small world gives its own figures, an upper level rolls up its
// branches, and an unknown org or a year out of range is refused.
#include "review/report.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "activity/bundle.hpp"
#include "activity/dues_bundle.hpp"
#include "blood/bundle.hpp"
#include "desk/assist_bundle.hpp"
#include "desk/bundle.hpp"
#include "desk/kpi_bundle.hpp"
#include "fund/bundle.hpp"
#include "fund/produce_bundle.hpp"
#include "ideas/bundle.hpp"
#include "news/bundle.hpp"
#include "review/awards_bundle.hpp"
#include "review/classification_bundle.hpp"
#include "review/rating_bundle.hpp"
#include "org/bundle.hpp"
#include "org/store.hpp"
#include "tests/support/demo.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::review {
namespace {

using nlohmann::json;

std::vector<chidoan::bundle::Section> sections() {
  return {activity::bundle_section(), activity::dues_bundle_section(), fund::bundle_section(), fund::produce_bundle_section(),
          blood::bundle_section(),    desk::bundle_section(),          desk::kpi_bundle_section(), desk::assist_bundle_section(),
          ideas::bundle_section(),    news::bundle_section(), review::awards_bundle_section(),
          review::classification_bundle_section(), review::rating_bundle_section()};
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string source_dir() {
  const char* dir = std::getenv("CHIDOAN_SOURCE_DIR");
  return dir ? dir : ".";
}

// Members of `branch` on `on` from the demo file's periods.
int64_t demo_members_on(const json& demo, const std::string& branch, const std::string& on) {
  int64_t n = 0;
  for (const auto& m : demo["members"])
    for (const auto& p : m["periods"])
      if (p["branch"] == branch && p["from"].get<std::string>() <= on && (p["to"].is_null() || p["to"].get<std::string>() > on)) ++n;
  return n;
}

class ReportTest : public chidoan::testing::DbTest {
 protected:
  FixedClock clock{std::chrono::sys_days{std::chrono::year{2022} / 2 / 15}};

  int64_t org_id(const char* code) {
    auto o = org::Store(*conn, clock).org_by_code(code);
    EXPECT_TRUE(o && *o) << code;
    return o && *o ? (**o).id : 0;
  }
  void load(const json& doc) {
    auto r = org::bundle::load(*conn, clock, doc, sections());
    ASSERT_TRUE(r) << r.error().field << ": " << r.error().message;
  }
  json report(const char* code, int year) {
    auto r = year_report(*conn, clock, org_id(code), year);
    EXPECT_TRUE(r) << r.error().field << ": " << r.error().message;
    return r ? *r : json();
  }
};

TEST_P(ReportTest, DemoGivesTheArticlesFigures) {
  const json demo = chidoan::testing::demo_bundle_full();
  ASSERT_NO_FATAL_FAILURE(load(demo));
  const json r = report("VPUBND", 2021);
  ASSERT_TRUE(r.is_object());

  EXPECT_EQ(r["org"]["code"], "VPUBND");
  EXPECT_EQ(r["org"]["as_of"], "2021-12-31");
  // The split from the joint branch in 04/2021.
  bool split = false;
  for (const auto& e : r["org"]["events"])
    if (e["kind"] == "split" && e["on"] == "2021-04-01" && has(e["text"], "Chi đoàn Văn phòng Đoàn ĐBQH, HĐND và UBND tỉnh")) split = true;
  EXPECT_TRUE(split) << r["org"].dump(2);

  // 23 members on 31/12 (the history, computed here from the file), 4 units.
  EXPECT_EQ(demo_members_on(demo, "VPUBND", "2021-12-31"), 23);
  EXPECT_EQ(r["members"]["total"], 23);
  EXPECT_EQ(r["members"]["units"], 4);
  EXPECT_EQ(r["members"]["branches"], 1);
  EXPECT_EQ(r["members"]["unit_names"], (json{"Văn phòng UBND tỉnh", "Ban Quản lý Trung tâm hành chính", "Trung tâm phục vụ hành chính công",
                                              "Ban tiếp dân"}));
  EXPECT_EQ(r["members"]["by_sex"]["male"].get<int64_t>() + r["members"]["by_sex"]["female"].get<int64_t>(), 23);
  EXPECT_TRUE(has(r["members"]["narrative"], "23 đoàn viên thuộc 4 đơn vị công tác")) << r["members"]["narrative"];

  // Study: 100%.
  EXPECT_EQ(r["study"]["rate"], 1.0);
  EXPECT_EQ(r["study"]["completed"], r["study"]["expected"]);
  EXPECT_TRUE(r["study"]["narrative"].get<std::string>().starts_with("100% đoàn viên trong Chi đoàn đã tham gia học tập"))
      << r["study"]["narrative"];

  // Desk: the figures summed here from the file's months.
  int64_t online = 0, received = 0;
  for (const auto& c : demo["desk_kpi"])
    if (c["org"] == "VPUBND")
      for (const auto& m : c["months"]) {
        if (!m["month"].get<std::string>().starts_with("2021")) continue;
        online += m["online_level3"].get<int64_t>() + m["online_level4"].get<int64_t>() + m["online_full"].get<int64_t>() +
                  m["online_partial"].get<int64_t>();
        received += m["received"].get<int64_t>();
      }
  EXPECT_EQ(online, 47416);
  EXPECT_EQ(received, 99537);
  EXPECT_EQ(r["desk"]["online"], online);
  EXPECT_EQ(r["desk"]["total"], received);
  EXPECT_NEAR(r["desk"]["rate"].get<double>(), 0.4764, 1e-9);
  EXPECT_NEAR(r["desk"]["target"].get<double>(), 0.30, 1e-9);
  EXPECT_EQ(r["desk"]["met"], true);
  EXPECT_TRUE(has(r["desk"]["narrative"], "đạt tỷ lệ 47,64% (vượt chỉ tiêu 30%")) << r["desk"]["narrative"];

  // The COVID fund: 2 rounds, the file's sum, "hơn 130 triệu đồng".
  int64_t money = 0;
  for (const auto& c : demo["fund"]["campaigns"])
    if (c["org"] == "VPUBND")
      for (const auto& x : c["contributions"]) money += x["amount_vnd"].get<int64_t>();
  ASSERT_TRUE(r["campaigns"].is_array());
  ASSERT_EQ(r["campaigns"].size(), 1u) << r["campaigns"].dump(2);
  const json& covid = r["campaigns"][0];
  EXPECT_TRUE(has(covid["name"], "COVID-19"));
  EXPECT_EQ(covid["rounds"].size(), 2u);
  EXPECT_EQ(covid["money_vnd"], money);
  EXPECT_GT(covid["money_vnd"].get<int64_t>(), 130'000'000);
  EXPECT_EQ(covid["rounds"][0]["money_vnd"].get<int64_t>() + covid["rounds"][1]["money_vnd"].get<int64_t>(), money);
  EXPECT_TRUE(has(covid["narrative"], "qua 2 đợt với số tiền hơn 130 triệu đồng")) << covid["narrative"];

  // The forum of 02/11/2021.
  ASSERT_TRUE(r.contains("ideas"));
  bool forum = false;
  for (const auto& f : r["ideas"]["list"]) forum = forum || f["on"] == "2021-11-02";
  EXPECT_TRUE(forum) << r["ideas"].dump(2);
  EXPECT_TRUE(has(r["ideas"]["narrative"], "02/11/2021"));

  // The club, the produce drive and the dues book have their parts; no more payers than members.
  EXPECT_GT(r["blood"]["donations"].get<int64_t>(), 0);
  EXPECT_LE(r["blood"]["donors"].get<int64_t>(), r["blood"]["donations"].get<int64_t>());
  EXPECT_GT(r["produce"]["cycles"].get<int64_t>(), 0);
  EXPECT_GT(r["dues"]["paid_vnd"].get<int64_t>(), 0);
  EXPECT_LE(r["dues"]["members_paid"].get<int64_t>(), 23);

  // The article's award: the Central Youth Union's certificate of merit to the branch.
  ASSERT_EQ(r["awards"].size(), 1u);
  EXPECT_EQ(r["awards"][0]["kind_label"], "Bằng khen");
  EXPECT_EQ(r["awards"][0]["recipient"], "Chi đoàn Văn phòng UBND tỉnh");
  EXPECT_TRUE(r["awards"][0]["issuer"].get<std::string>().find("Trung ương Đoàn") != std::string::npos);
  // "cơ sở Đoàn xuất sắc": classified by the branch's score sheet, approved by its Đoàn khối.
  const json& c = r["classification"];
  ASSERT_TRUE(c.is_object()) << c.dump();
  EXPECT_EQ(c["level"], "strong_excellent");
  EXPECT_EQ(c["label"], "Vững mạnh xuất sắc");
  EXPECT_EQ(c["state"], "approved");
  EXPECT_EQ(c["score"], demo["classification"]["sheets"][0]["score"]);
  EXPECT_EQ(c["max_score"], 100);
  EXPECT_EQ(c["approved_by"], "Đoàn khối Các cơ quan tỉnh Lâm Đồng");
  EXPECT_TRUE(has(c["narrative"], "Vững mạnh xuất sắc"));
  bool in_narrative = false;
  for (const auto& p : r["narrative"]) in_narrative = in_narrative || p == c["narrative"];
  EXPECT_TRUE(in_narrative);
  // One paragraph per part with a narrative, none empty.
  ASSERT_TRUE(r["narrative"].is_array());
  EXPECT_GE(r["narrative"].size(), 6u);
  for (const auto& p : r["narrative"]) EXPECT_FALSE(p.get<std::string>().empty());

  // The whole JSON against the golden file.
  const std::string path = source_dir() + "/tests/golden/review/vpubnd-2021.json";
  const std::string got = r.dump(2) + "\n";
  const char* update = std::getenv("CHIDOAN_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::ofstream out(path, std::ios::binary);
    out << got;
    ASSERT_TRUE(out.good()) << "cannot write " << path;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in.good()) << "missing golden file " << path << " (run with CHIDOAN_UPDATE_GOLDEN=1 to write it)";
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(), got) << "the report differs from " << path
                           << "; if the change is intended, run with CHIDOAN_UPDATE_GOLDEN=1 and review the diff";
}

TEST_P(ReportTest, UpperLevelRollsUpItsBranches) {
  const json demo = chidoan::testing::demo_bundle_full();
  ASSERT_NO_FATAL_FAILURE(load(demo));
  const json vpubnd = report("VPUBND", 2021), vpdbqh = report("VPDBQH", 2021), dkcq = report("DKCQ", 2021);
  const int64_t a = demo_members_on(demo, "VPUBND", "2021-12-31"), b = demo_members_on(demo, "VPDBQH", "2021-12-31");
  EXPECT_EQ(vpdbqh["members"]["total"], b);
  EXPECT_EQ(dkcq["members"]["total"], a + b);
  EXPECT_EQ(dkcq["members"]["branches"], 2);
  EXPECT_EQ(dkcq["members"]["units"], vpubnd["members"]["units"].get<int64_t>() + vpdbqh["members"]["units"].get<int64_t>());
  EXPECT_FALSE(dkcq["members"].contains("unit_names"));
  EXPECT_TRUE(has(dkcq["members"]["narrative"], "2 chi đoàn với " + std::to_string(a + b) + " đoàn viên")) << dkcq["members"]["narrative"];
  // The desk's figures are the branch's (the only center), its rate recomputed from the sums.
  EXPECT_EQ(dkcq["desk"]["online"], vpubnd["desk"]["online"]);
  EXPECT_EQ(dkcq["desk"]["total"], vpubnd["desk"]["total"]);
  EXPECT_EQ(dkcq["desk"]["rate"], vpubnd["desk"]["rate"]);
  // The Đoàn khối's own campaigns are in its report, besides the branch's.
  ASSERT_TRUE(dkcq["campaigns"].is_array());
  EXPECT_GT(dkcq["campaigns"].size(), vpubnd["campaigns"].size());
  // The Đoàn khối counts its branches' approved classifications; it has none of its own.
  EXPECT_FALSE(dkcq["classification"].contains("level"));
  EXPECT_EQ(dkcq["classification"]["branches"]["total"], 1);
  EXPECT_EQ(dkcq["classification"]["branches"]["levels"][0], (json{{"level", "strong_excellent"}, {"label", "Vững mạnh xuất sắc"}, {"count", 1}}));
  EXPECT_TRUE(vpdbqh["classification"].is_null());
  // Before the split (2020) VPUBND did not exist: no members.
  const json before = report("VPUBND", 2020);
  EXPECT_FALSE(before.contains("members")) << before.dump(2);
  EXPECT_FALSE(before.contains("desk"));
}

TEST_P(ReportTest, UnknownOrgAndBadYearAreRefused) {
  ASSERT_NO_FATAL_FAILURE(load(chidoan::testing::demo_bundle({})));
  auto missing = year_report(*conn, clock, 999999, 2021);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
  auto old = year_report(*conn, clock, org_id("VPUBND"), 1800);
  ASSERT_FALSE(old);
  EXPECT_EQ(old.error().kind, ErrorKind::invalid);
  EXPECT_EQ(old.error().field, "year");
  auto late = year_report(*conn, clock, org_id("VPUBND"), 2101);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().field, "year");
  EXPECT_TRUE(year_report(*conn, clock, org_id("VPUBND"), 1930));
}

// A small branch of its own: three members (one only from 2022), one unit, one campaign.
json small_world() {
  const json demo = chidoan::testing::demo_bundle_full();
  json d{{"format", demo["format"]}, {"version", demo["version"]}, {"root_parent", nullptr}, {"levels", demo["levels"]}};
  d["orgs"] = json::array();
  for (const auto& o : demo["orgs"])
    if (o["code"] == "TW" || o["code"] == "LD" || o["code"] == "DKCQ") d["orgs"].push_back(o);
  d["orgs"].push_back({{"code", "XA"}, {"ended_on", nullptr}, {"founded_on", "2019-01-01"}, {"level", 4}, {"name", "Chi đoàn Sở Xây dựng"},
                       {"parent", "DKCQ"}, {"status", "active"}});
  d["org_events"] = json::array();
  d["units"] = json::array({{{"name", "Phòng Kế toán"}, {"org", "XA"}}});
  d["members"] = json::array();
  const char* names[][4] = {{"Nguyễn", "Văn", "An", "male"}, {"Trần", "Thị", "Bình", "female"}, {"Lê", "Thị", "Chi", "female"}};
  const char* from[] = {"2019-03-01", "2020-05-04", "2022-01-10"};
  for (int i = 0; i < 3; ++i) {
    json m = demo["members"][5];
    m["ref"] = "X" + std::to_string(i + 1);
    m["family_name"] = names[i][0];
    m["middle_name"] = names[i][1];
    m["given_name"] = names[i][2];
    m["sex"] = names[i][3];
    m["cccd"] = nullptr;
    m["card_number"] = "XA00" + std::to_string(i + 1);
    m["phone"] = nullptr;
    m["unit"] = "Phòng Kế toán";
    m["periods"] = json::array({{{"branch", "XA"}, {"from", from[i]}, {"to", nullptr}}});
    m["events"] = json::array({{{"branch", "XA"}, {"effective_on", from[i]}, {"kind", "enter"}, {"other_branch", nullptr}, {"reason", ""}}});
    d["members"].push_back(m);
  }
  json c = demo["fund"]["campaigns"][0];
  c["name"] = "Quỹ Vì người nghèo";
  c["org"] = "XA";
  c["starts_on"] = "2021-10-01";
  c["ends_on"] = "2021-10-31";
  c["rounds"] = json::array();
  c["outflows"] = json::array();
  json line = c["contributions"][0];
  c["contributions"] = json::array();
  const int64_t amounts[] = {1'500'000, 2'000'000};
  for (int i = 0; i < 2; ++i) {
    line["amount_vnd"] = amounts[i];
    line["collected_by"] = "XA";
    line["contributor_name"] = i == 0 ? "Sở Xây dựng" : "Công đoàn Sở Xây dựng";
    line["on_date"] = "2021-10-1" + std::to_string(i + 1);
    line["receipt_no"] = i + 1;
    line["round_no"] = nullptr;
    c["contributions"].push_back(line);
  }
  d["fund"] = {{"campaigns", json::array({c})}};
  return d;
}

TEST_P(ReportTest, AnotherWorldGivesItsOwnFigures) {
  ASSERT_NO_FATAL_FAILURE(load(small_world()));
  const json r = report("XA", 2021);
  ASSERT_TRUE(r.is_object());
  EXPECT_EQ(r["org"]["name"], "Chi đoàn Sở Xây dựng");
  EXPECT_EQ(r["org"]["events"], json::array());
  EXPECT_EQ(r["members"]["total"], 2);  // the third comes in 2022
  EXPECT_EQ(r["members"]["by_sex"], (json{{"male", 1}, {"female", 1}}));
  EXPECT_EQ(r["members"]["unit_names"], json::array({"Phòng Kế toán"}));
  ASSERT_EQ(r["campaigns"].size(), 1u);
  EXPECT_EQ(r["campaigns"][0]["money_vnd"], 3'500'000);
  EXPECT_EQ(r["campaigns"][0]["rounds"], json::array());
  EXPECT_EQ(r["campaigns"][0]["narrative"], "Đóng góp Quỹ Vì người nghèo với số tiền 3,5 triệu đồng.");
  // Nothing else happened: those parts are absent.
  for (const char* part : {"study", "activities", "desk", "ideas", "news", "blood", "produce", "dues"}) EXPECT_FALSE(r.contains(part)) << part;
  EXPECT_EQ(r["narrative"].size(), 2u) << r["narrative"].dump(2);
  // A year later: the third member counts.
  EXPECT_EQ(report("XA", 2022)["members"]["total"], 3);
}

CHIDOAN_INSTANTIATE_DB_TEST(ReportTest);

}  // namespace
}  // namespace chidoan::review
