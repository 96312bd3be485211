// Branch classification's store on both engines: the seeded scheme, the demo branch's measures
// read from the year's data, scoring, confirming (frozen), approving at the proposal or another
// level, returning and confirming again, stale versions and wrong states refused with nothing
// written, every step audited; the report's part for the branch and for the level above; the
// "classification" bundle section loads and dumps back as it is, and bad input is refused with
// its JSON path.
#include "review/classification_store.hpp"

#include <gtest/gtest.h>

#include "activity/bundle.hpp"
#include "activity/dues_bundle.hpp"
#include "org/bundle.hpp"
#include "org/store.hpp"
#include "platform/auth/audit.hpp"
#include "review/classification_bundle.hpp"
#include "review/rating_bundle.hpp"
#include "review/store_test_world.hpp"
#include "tests/support/demo.hpp"
#include "tests/support/route_world.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::review::classification {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class ClassificationStoreTest : public ReviewStoreTest {
 protected:
  int64_t rows(const char* table) { return count(std::string("SELECT COUNT(*) FROM ") + table); }
};

TEST_P(ClassificationStoreTest, TheSeededSchemeIsTheDocumentedDefault) {
  Store store(*conn, clock);
  auto s = store.scheme_for(2021);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->code, "2021");
  int64_t max = 0, computed = 0;
  for (const auto& c : s->criteria) {
    max += c.max_points;
    computed += c.source == "computed";
    if (c.source == "computed") {
      EXPECT_TRUE(measure_info(c.measure)) << c.measure;
    }
  }
  EXPECT_EQ(max, 100);
  EXPECT_EQ(computed, 6);
  ASSERT_EQ(s->levels.size(), 5u);
  const char* codes[] = {"strong_excellent", "strong", "fair", "average", "weak"};
  for (size_t i = 0; i < 5; ++i) EXPECT_EQ(s->levels[i].level, codes[i]);
  EXPECT_EQ(s->levels[0].name, "Vững mạnh xuất sắc");
  EXPECT_EQ(s->levels[4].name, "Yếu");
  EXPECT_EQ(store.scheme_for(2030)->code, "2021");
  auto none = store.scheme_for(2020);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().field, "year");
}

TEST_P(ClassificationStoreTest, TheDemoBranchsMeasuresComeFromItsData) {
  Store store(*conn, clock);
  auto m = store.measures(vpubnd, 2021);
  ASSERT_TRUE(m) << m.error().message;
  // Every member studied both campaigns; a branch meeting each month since the split in 04/2021.
  EXPECT_EQ(m->values.at("study_rate"), 10000);
  EXPECT_EQ(m->values.at("meetings_rate"), 10000);
  EXPECT_GT(m->values.at("activities_held"), 12);
  EXPECT_GT(m->values.at("volunteer_rate"), 0);
  EXPECT_GT(m->values.at("dues_rate"), 0);
  // No member ratings recorded: that criterion and the condition are for people to judge.
  EXPECT_FALSE(m->values.contains("ratings_good_rate"));
  EXPECT_EQ(m->rated, 0);
  // A year before the branch existed: no months, no meetings rate.
  auto before = store.measures(vpubnd, 2020);
  ASSERT_TRUE(before);
  EXPECT_FALSE(before->values.contains("meetings_rate"));
  EXPECT_FALSE(before->values.contains("study_rate"));
}

TEST_P(ClassificationStoreTest, MembersRatingsFeedTheCriterionAndTheCondition) {
  // The member-rating table (migration 0016, always before 0017), read through SQL only.
  auto guideline = conn->query_one("SELECT id FROM rating_guidelines ORDER BY from_year LIMIT 1");
  ASSERT_TRUE(guideline && *guideline);
  auto members = conn->query("SELECT member_id FROM member_periods WHERE branch_id = ?1 AND to_on IS NULL ORDER BY member_id LIMIT 10",
                             {vpubnd.id});
  ASSERT_TRUE(members);
  ASSERT_EQ(members->size(), 10u);
  const char* levels[] = {"excellent", "excellent", "good", "good", "good", "good", "good", "completed", "completed", "not_completed"};
  for (size_t i = 0; i < 10; ++i)
    ASSERT_TRUE(conn->execute("INSERT INTO member_ratings (member_id, branch_id, year, guideline_id, state, level, confirmed_at, created_at, "
                              "updated_at) VALUES (?1, ?2, 2021, ?3, 'confirmed', ?4, 1, 1, 1)",
                              {(*members)[i].i64(0), vpubnd.id, (*guideline)->i64(0), std::string(levels[i])}));
  auto m = Store(*conn, clock).measures(vpubnd, 2021);
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->values.at("ratings_good_rate"), 7000);
  EXPECT_EQ(m->rated, 10);
  EXPECT_EQ(m->not_completed, 1);
}

TEST_P(ClassificationStoreTest, ConfirmApproveReturnWithVersionsAndAudit) {
  Store store(*conn, clock);
  auto fresh = store.view(vpubnd, 2021);
  ASSERT_TRUE(fresh) << fresh.error().message;
  EXPECT_EQ(fresh->state(), "none");
  EXPECT_EQ(fresh->version(), 0);
  EXPECT_EQ(fresh->proposal.missing, 4);  // three entered criteria and the ratings one
  // Nothing to confirm yet: the sheet is incomplete, and nothing is written.
  auto early = tx([&] { return store.confirm(vpubnd, 2021, 0, "", sang); });
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().field, "points");
  EXPECT_EQ(rows("classification_sheets"), 0);

  auto s1 = tx([&] { return store.set_score(vpubnd, 2021, 0, "organisation", "9", "Kết nạp 2 đoàn viên", sang); });
  ASSERT_TRUE(s1) << s1.error().message;
  EXPECT_EQ(s1->version, 1);
  // The same version again is stale: a conflict, nothing written.
  auto stale = tx([&] { return store.set_score(vpubnd, 2021, 0, "tasks", "9", "", sang); });
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().kind, ErrorKind::conflict);
  EXPECT_EQ(rows("classification_scores"), 1);
  // A computed criterion with data is not scored by hand.
  auto by_hand = tx([&] { return store.set_score(vpubnd, 2021, 1, "study", "3", "", sang); });
  ASSERT_FALSE(by_hand);
  EXPECT_EQ(by_hand.error().field, "criterion");
  // Not a branch.
  EXPECT_EQ(store.view(dkcq, 2021).error().field, "org_id");

  int64_t version = 1;
  for (const auto& entry : {std::pair{"tasks", "10"}, std::pair{"initiatives", "9"}, std::pair{"ratings", "10"}}) {
    auto s = tx([&] { return store.set_score(vpubnd, 2021, version, entry.first, entry.second, "", sang); });
    ASSERT_TRUE(s) << entry.first << ": " << s.error().message;
    version = s->version;
  }
  auto live = store.view(vpubnd, 2021);
  ASSERT_TRUE(live);
  EXPECT_EQ(live->proposal.missing, 0);
  int64_t computed = 0;
  for (const auto& l : live->lines)
    if (l.source == "computed") computed += *l.points;
  EXPECT_EQ(live->proposal.score, computed + 9 + 10 + 9 + 10);

  auto confirmed = tx([&] { return store.confirm(vpubnd, 2021, version, "Chi đoàn tự đánh giá", sang); });
  ASSERT_TRUE(confirmed) << confirmed.error().message;
  EXPECT_EQ(confirmed->state, "confirmed");
  EXPECT_EQ(confirmed->score, std::optional<int64_t>(live->proposal.score));
  EXPECT_EQ(confirmed->proposed_level, live->proposal.level);
  EXPECT_EQ(confirmed->confirmed_on, "2022-01-12");
  EXPECT_EQ(confirmed->confirmed_by_name, "Phan Văn Sang");
  EXPECT_EQ(rows("classification_scores"), 9);  // every line frozen
  version = confirmed->version;
  // Confirmed: the branch can no longer change it.
  auto locked = tx([&] { return store.set_score(vpubnd, 2021, version, "tasks", "1", "", sang); });
  ASSERT_FALSE(locked);
  EXPECT_EQ(locked.error().kind, ErrorKind::conflict);

  // The level above returns it with a reason; the branch edits and confirms again.
  auto stale_decision = tx([&] { return store.decide(vpubnd, 2021, version - 1, "return", Decision{"", "Thiếu minh chứng"}, dkcq, dk); });
  ASSERT_FALSE(stale_decision);
  EXPECT_EQ(stale_decision.error().kind, ErrorKind::conflict);
  auto returned = tx([&] { return store.decide(vpubnd, 2021, version, "return", Decision{"", "Thiếu minh chứng sáng kiến"}, dkcq, dk); });
  ASSERT_TRUE(returned) << returned.error().message;
  EXPECT_EQ(returned->state, "returned");
  EXPECT_EQ(returned->decision_note, "Thiếu minh chứng sáng kiến");
  EXPECT_EQ(returned->decided_by_org_name, dkcq.name);
  auto edited = tx([&] { return store.set_score(vpubnd, 2021, returned->version, "initiatives", "10", "Mô hình Chuyến xe yêu thương", sang); });
  ASSERT_TRUE(edited) << edited.error().message;
  auto again = tx([&] { return store.confirm(vpubnd, 2021, edited->version, "", sang); });
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(*again->score, *confirmed->score + 1);
  EXPECT_EQ(again->decided_on, "");  // the return is history (the audit keeps it)

  // Approved at another level, with the reason; the sheet keeps the proposal beside it.
  clock.advance(48h);
  auto approved = tx([&] { return store.decide(vpubnd, 2021, again->version, "approve", Decision{"strong", "Hồ sơ nộp muộn"}, dkcq, dk); });
  ASSERT_TRUE(approved) << approved.error().message;
  EXPECT_EQ(approved->state, "approved");
  EXPECT_EQ(approved->level, "strong");
  EXPECT_EQ(approved->proposed_level, again->proposed_level);
  EXPECT_EQ(approved->decided_on, "2022-01-14");
  EXPECT_EQ(approved->decided_by_name, "Ban Thường vụ Đoàn khối");
  auto twice = tx([&] { return store.decide(vpubnd, 2021, approved->version, "approve", Decision{"strong", "x"}, dkcq, dk); });
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().kind, ErrorKind::conflict);

  // The frozen view shows what was confirmed.
  auto shown = store.view(vpubnd, 2021);
  ASSERT_TRUE(shown);
  EXPECT_EQ(shown->proposal.score, *again->score);
  EXPECT_EQ(shown->lines.size(), 9u);
  EXPECT_EQ(shown->lines[8].note, "Mô hình Chuyến xe yêu thương");

  // Every step audited, with who and what.
  auto log = audit::list(*conn, "classification_sheet", approved->id);
  ASSERT_TRUE(log);
  std::vector<std::string> actions;
  for (const auto& e : *log) actions.insert(actions.begin(), e.entry.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"score", "score", "score", "score", "confirm", "return", "score", "confirm", "approve"}));
  EXPECT_EQ(log->front().entry.username, "doankhoi");
  EXPECT_NE(log->front().entry.detail_json.find("\"level\":\"strong\""), std::string::npos);
}

TEST_P(ClassificationStoreTest, TheReportsPartForTheBranchAndTheLevelAbove) {
  auto nothing = classification_part(*conn, clock, vpubnd, 2021);
  ASSERT_TRUE(nothing) << nothing.error().message;
  EXPECT_TRUE(nothing->is_null());
  Store store(*conn, clock);
  int64_t version = 0;
  for (const char* code : {"organisation", "tasks", "initiatives", "ratings"}) {
    auto s = tx([&] { return store.set_score(vpubnd, 2021, version, code, "10", "", sang); });
    ASSERT_TRUE(s) << s.error().message;
    version = s->version;
  }
  auto c = tx([&] { return store.confirm(vpubnd, 2021, version, "", sang); });
  ASSERT_TRUE(c) << c.error().message;
  auto pending = classification_part(*conn, clock, vpubnd, 2021);
  ASSERT_TRUE(pending);
  EXPECT_EQ((*pending)["state"], "confirmed");
  EXPECT_TRUE((*pending)["approved_by"].is_null());
  // The branch's own proposal, not yet a classification.
  EXPECT_NE((*pending)["narrative"].get<std::string>().find("Chi đoàn tự đánh giá, đề xuất xếp loại"), std::string::npos) << (*pending)["narrative"];
  // Not approved yet: the level above counts nothing.
  EXPECT_TRUE(classification_part(*conn, clock, dkcq, 2021)->is_null());

  auto a = tx([&] { return store.decide(vpubnd, 2021, c->version, "approve", Decision{c->proposed_level, ""}, dkcq, dk); });
  ASSERT_TRUE(a) << a.error().message;
  auto own = classification_part(*conn, clock, vpubnd, 2021);
  ASSERT_TRUE(own);
  EXPECT_EQ((*own)["scheme"], "Xếp loại chi đoàn từ năm 2021");
  EXPECT_EQ((*own)["level"], c->proposed_level);
  EXPECT_EQ((*own)["score"], *c->score);
  EXPECT_EQ((*own)["max_score"], 100);
  EXPECT_EQ((*own)["state"], "approved");
  EXPECT_EQ((*own)["approved_by"], dkcq.name);
  EXPECT_EQ((*own)["approved_on"], "2022-01-12");
  EXPECT_FALSE(own->contains("branches"));
  EXPECT_NE((*own)["narrative"].get<std::string>().find("công nhận ngày 12/01/2022"), std::string::npos);

  auto up = classification_part(*conn, clock, dkcq, 2021);
  ASSERT_TRUE(up);
  EXPECT_FALSE(up->contains("level"));
  EXPECT_EQ((*up)["branches"]["total"], 1);
  ASSERT_EQ((*up)["branches"]["levels"].size(), 5u);
  const char* codes[] = {"strong_excellent", "strong", "fair", "average", "weak"};
  for (size_t i = 0; i < 5; ++i) {
    const auto& l = (*up)["branches"]["levels"][i];
    EXPECT_EQ(l["level"], codes[i]);
    EXPECT_EQ(l["count"], l["level"] == c->proposed_level ? 1 : 0);
  }
  EXPECT_EQ((*up)["branches"]["levels"][0]["label"], "Vững mạnh xuất sắc");
  EXPECT_NE((*up)["narrative"].get<std::string>().find("1 chi đoàn trong toàn " + dkcq.name + " được cấp trên công nhận"), std::string::npos)
      << (*up)["narrative"];
  // A later scheme for the same year names its levels otherwise: the sheet keeps its own scheme's names.
  ASSERT_TRUE(conn->execute("UPDATE classification_schemes SET valid_from = 2020 WHERE code = '2021'"));
  auto later = conn->insert_id("INSERT INTO classification_schemes (code, name, source, valid_from) VALUES ('2021-b', 'Thang thử', '', 2021) RETURNING id");
  ASSERT_TRUE(later) << later.error().message;
  for (const char* level : {"strong_excellent", "strong", "fair", "average", "weak"})
    ASSERT_TRUE(conn->execute("INSERT INTO classification_levels (scheme_id, level, position, name, min_score) VALUES (?1, ?2, 1, ?3, 0)",
                              {*later, std::string(level), std::string("Mức mới ") + level}));
  ASSERT_EQ(store.scheme_for(2021)->code, "2021-b");
  auto relabelled = classification_part(*conn, clock, dkcq, 2021);
  ASSERT_TRUE(relabelled);
  EXPECT_EQ((*relabelled)["branches"]["levels"][0]["label"], "Vững mạnh xuất sắc");
  EXPECT_EQ((*relabelled)["branches"]["levels"].size(), 5u);
  EXPECT_EQ((*classification_part(*conn, clock, vpubnd, 2021))["label"], (*own)["label"]);
  // Another year: nothing.
  EXPECT_TRUE(classification_part(*conn, clock, dkcq, 2022)->is_null());
}

// ---- The bundle section ------------------------------------------------------------------------

class ClassificationBundleTest : public ClassificationStoreTest {
 protected:
  Result<void> load_section(const json& s) {
    auto names = chidoan::testing::demo_names(*conn);
    if (!names) return std::unexpected(names.error());
    auto sec = classification_bundle_section();
    CHIDOAN_TRY_VOID(sec.validate(*conn, s, names->known));
    return conn->transaction([&]() -> Result<void> { return sec.load(*conn, clock, s, names->refs); });
  }
  Result<json> dump_section(const org::Org& root) {
    CHIDOAN_TRY(doc, org::bundle::dump(*conn, clock, root.id, {classification_bundle_section()}));
    return doc.contains("classification") ? doc["classification"] : json(nullptr);
  }
  json demo_section() { return chidoan::testing::demo_bundle_full()["classification"]; }
};

TEST_P(ClassificationBundleTest, TheDemoLoadsAndDumpsAsItIs) {
  EXPECT_EQ(classification_bundle_section().key, "classification");
  const json demo = demo_section();
  ASSERT_TRUE(demo.is_object());
  auto r = load_section(demo);
  ASSERT_TRUE(r) << r.error().field << ": " << r.error().message;
  auto dumped = dump_section(**org::Store(*conn, clock).org_by_code("TW"));
  ASSERT_TRUE(dumped) << dumped.error().message;
  EXPECT_EQ(dumped->dump(2), demo.dump(2));
  // The branch's own subtree holds its sheet; the other branch has none.
  EXPECT_EQ((*dump_section(vpubnd))["sheets"].size(), 1u);
  EXPECT_TRUE(dump_section(vpdbqh)->is_null());

  // The demo's sheet: "cơ sở Đoàn xuất sắc", confirmed by the branch, approved by its Đoàn khối,
  // and its computed criteria are what the demo's data give.
  const json& sheet = demo["sheets"][0];
  EXPECT_EQ(sheet["org"], "VPUBND");
  EXPECT_EQ(sheet["level"], "strong_excellent");
  EXPECT_EQ(sheet["decided_by_org"], "DKCQ");
  // With the demo's member ratings too, every computed line is recomputed from the data.
  auto rated = chidoan::testing::load_demo_sections(*conn, {rating_bundle_section()});
  ASSERT_TRUE(rated) << rated.error().field << ": " << rated.error().message;
  auto m = Store(*conn, clock).measures(vpubnd, 2021);
  ASSERT_TRUE(m);
  auto scheme = Store(*conn, clock).scheme_for(2021);
  ASSERT_TRUE(scheme);
  int64_t checked = 0;
  for (const auto& sc : sheet["scores"]) {
    if (sc["source"] != "computed") continue;
    for (const auto& c : scheme->criteria)
      if (c.code == sc["criterion"].get<std::string>()) {
        EXPECT_EQ(sc["value"], m->values.at(c.measure)) << c.code;
        EXPECT_EQ(sc["points"], points_for(c, m->values.at(c.measure))) << c.code;
        ++checked;
      }
  }
  EXPECT_EQ(checked, 6);
  auto part = classification_part(*conn, clock, vpubnd, 2021);
  ASSERT_TRUE(part);
  EXPECT_EQ((*part)["label"], "Vững mạnh xuất sắc");
  EXPECT_EQ((*part)["approved_by"], dkcq.name);
}

TEST_P(ClassificationBundleTest, BadInputIsRefusedWithItsJsonPath) {
  struct Case {
    std::function<void(json&)> change;
    std::string path;
  };
  const std::vector<Case> cases = {
      {[](json& s) { s["sheets"][0]["extra"] = 1; }, "$.classification.sheets[0].extra"},
      {[](json& s) { s["sheets"][0]["org"] = "NOPE"; }, "$.classification.sheets[0].org"},
      {[](json& s) { s["sheets"][0]["org"] = "DKCQ"; }, "$.classification.sheets[0].org"},  // not a branch
      {[](json& s) { s["sheets"][0]["scheme"] = "1999"; }, "$.classification.sheets[0].scheme"},
      {[](json& s) { s["sheets"][0]["state"] = "published"; }, "$.classification.sheets[0].state"},
      {[](json& s) { s["sheets"][0]["level"] = "great"; }, "$.classification.sheets[0].level"},
      {[](json& s) { s["sheets"][0]["score"] = 1; }, "$.classification.sheets[0].score"},
      {[](json& s) { s["sheets"][0]["decided_by_org"] = "VPDBQH"; }, "$.classification.sheets[0].decided_by_org"},  // not above it
      {[](json& s) { s["sheets"][0]["confirmed_on"] = "2022-02-30"; }, "$.classification.sheets[0].confirmed_on"},
      {[](json& s) { s["sheets"][0]["scores"][0]["criterion"] = "nope"; }, "$.classification.sheets[0].scores[0].criterion"},
      {[](json& s) { s["sheets"][0]["scores"][0]["points"] = 99; }, "$.classification.sheets[0].scores[0].points"},
      {[](json& s) { s["sheets"][0]["scores"][0]["value"] = nullptr; }, "$.classification.sheets[0].scores[0].value"},
      {[](json& s) { s["sheets"][0]["scores"].erase(0); }, "$.classification.sheets[0].scores"},
  };
  for (const auto& c : cases) {
    json s = demo_section();
    c.change(s);
    auto r = load_section(s);
    ASSERT_FALSE(r) << c.path;
    EXPECT_EQ(r.error().field, c.path) << r.error().message;
    EXPECT_EQ(rows("classification_sheets"), 0) << c.path;
  }
  // The levels are the scheme's: one it no longer has is refused though the code is a familiar one.
  ASSERT_TRUE(conn->execute("DELETE FROM classification_levels WHERE level = 'strong_excellent'"));
  auto r = load_section(demo_section());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "$.classification.sheets[0].proposed_level") << r.error().message;
}

CHIDOAN_INSTANTIATE_DB_TEST(ClassificationStoreTest);
CHIDOAN_INSTANTIATE_DB_TEST(ClassificationBundleTest);

}  // namespace
}  // namespace chidoan::review::classification
