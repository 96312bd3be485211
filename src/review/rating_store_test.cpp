// The member rating's store on both engines: the guidelines seeded by the migration and chosen by
// the year, the demo branch's figures read from the year's data, the under-6-months rule on real
// periods, proposing, confirming (frozen), approving and returning with each step dated, named
// and audited, stale versions refused with nothing written; the report's part; the "rating"
// bundle section loads the demo and dumps it back as it is, and bad input is refused with its path.
#include "review/rating_store.hpp"

#include <gtest/gtest.h>

#include "activity/bundle.hpp"
#include "activity/dues_bundle.hpp"
#include "org/bundle.hpp"
#include "org/store.hpp"
#include "platform/auth/audit.hpp"
#include "platform/core/date.hpp"
#include "review/classification_store.hpp"
#include "review/rating_bundle.hpp"
#include "review/rating_rules.hpp"
#include "review/store_test_world.hpp"
#include "tests/support/demo.hpp"
#include "tests/support/route_world.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::review {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class RatingStoreTest : public ReviewStoreTest {
 protected:
  RatingStore store() { return RatingStore(*conn, clock); }
  std::vector<RatingRow> sheet(const org::Org& o) {
    auto rows = store().sheet(o, 2021);
    EXPECT_TRUE(rows) << rows.error().message;
    return rows ? *rows : std::vector<RatingRow>{};
  }
  RatingRow row(int64_t member) { return *store().row(vpubnd, member, 2021); }
  // The committee saves its judgement of every member the branch rates; returns how many.
  int64_t save_all() {
    int64_t n = 0;
    for (const auto& r : sheet(vpubnd)) {
      if (r.proposal.tenure == Tenure::not_rated_here || r.stored) continue;
      EXPECT_TRUE(tx([&] { return store().save(vpubnd, r.member_id, 2021, 0, RatingEntry{}, sang); })) << r.name;
      ++n;
    }
    return n;
  }
  Result<SheetStep> confirm_sheet() {
    save_all();
    const int64_t v = *store().sheet_version(vpubnd, 2021);
    return tx([&] { return store().confirm_all(vpubnd, 2021, v, sang); });
  }
};

TEST_P(RatingStoreTest, TheYearPicksTheSeededGuideline) {
  EXPECT_EQ(store().guideline_for(2019)->code, "HD 33-HD/TWĐTN-BTC");
  EXPECT_EQ(store().guideline_for(2022)->code, "HD 33-HD/TWĐTN-BTC");
  EXPECT_EQ(store().guideline_for(2023)->code, "HD 42-HD/TWĐTN-BTC");
  EXPECT_EQ(store().guideline_for(2018).error().field, "year");
  auto g = *store().guideline_for(2021);
  ASSERT_EQ(g.thresholds.size(), 3u);
  EXPECT_EQ(g.thresholds[0].level, "excellent");
  EXPECT_EQ(g.thresholds[0].min_participation_pct, 90);
  EXPECT_EQ(g.thresholds[2].level, "completed");
}

TEST_P(RatingStoreTest, TheSheetReadsTheYearsFigures) {
  auto rows = sheet(vpubnd);
  ASSERT_FALSE(rows.empty());
  int64_t split = 0, with_activities = 0, with_dues = 0, with_study = 0;
  for (const auto& r : rows) {
    // The branch was split from VPDBQH on 1/4/2021: its members have 9 months here and are rated.
    if (r.inputs.months_in_branch == 9 && !r.inputs.previous_branch.empty()) ++split;
    with_activities += r.inputs.activities_recorded > 0;
    with_dues += r.inputs.dues_due_months > 0;
    with_study += r.inputs.study_expected > 0;
    if (r.proposal.tenure != Tenure::not_rated_here) {
      ASSERT_TRUE(r.proposal.level) << r.name;
      EXPECT_FALSE(r.proposal.reasons.empty());
    }
    EXPECT_FALSE(r.stored);
  }
  EXPECT_GT(split, 0);
  EXPECT_GT(with_activities, 0);
  EXPECT_GT(with_dues, 0);
  EXPECT_GT(with_study, 0);
  // Dues due are the months here (April to December), paid wherever.
  for (const auto& r : rows) {
    if (r.inputs.months_in_branch == 9) {
      EXPECT_EQ(r.inputs.dues_due_months, 9) << r.name;
    }
  }
}

TEST_P(RatingStoreTest, UnderSixMonths) {
  org::Store orgs(*conn, clock);
  // A member who joined the branch in September.
  auto fresh = tx([&] { return chidoan::testing::add_test_member(orgs, vpubnd.id, "Lê", "Mới", "female", "2000-01-01", "2021-09-01", today(clock)); });
  ASSERT_TRUE(fresh) << fresh.error().message;
  // A member moved from VPDBQH in September: rated here with the old branch's comments.
  auto moved = tx([&] { return chidoan::testing::add_test_member(orgs, vpdbqh.id, "Trần", "Chuyển", "male", "1999-01-01", "2020-01-01", today(clock)); });
  ASSERT_TRUE(moved) << moved.error().message;
  ASSERT_TRUE(conn->execute("UPDATE member_periods SET to_on = '2021-09-01' WHERE member_id = ?1", {*moved}));
  ASSERT_TRUE(conn->execute("INSERT INTO member_periods (member_id, branch_id, from_on) VALUES (?1, ?2, '2021-09-01')", {*moved, vpubnd.id}));
  ASSERT_TRUE(conn->execute("UPDATE members SET branch_id = ?2 WHERE id = ?1", {*moved, vpubnd.id}));

  // Entered in September from a branch outside chidoan: rated here with the old branch's comments.
  auto f = row(*fresh);
  EXPECT_EQ(f.inputs.months_in_branch, 4);
  EXPECT_EQ(f.proposal.tenure, Tenure::rated_with_old_comments);
  EXPECT_EQ(f.inputs.previous_branch, "chi đoàn nơi sinh hoạt trước khi chuyển đến");
  // Admitted in September: a new member, not rated this year.
  ASSERT_TRUE(conn->execute("UPDATE member_events SET kind = 'admit' WHERE member_id = ?1", {*fresh}));
  f = row(*fresh);
  EXPECT_EQ(f.proposal.tenure, Tenure::not_rated_here);
  EXPECT_FALSE(f.proposal.level);
  EXPECT_EQ(tx([&] { return store().confirm(vpubnd, *fresh, 2021, 0, sang); }).error().field, "member_id");

  auto m = row(*moved);
  EXPECT_EQ(m.inputs.months_in_branch, 4);
  EXPECT_EQ(m.inputs.previous_branch, vpdbqh.name);
  EXPECT_EQ(m.proposal.tenure, Tenure::rated_with_old_comments);
  EXPECT_TRUE(m.proposal.level);
  EXPECT_NE(m.proposal.reasons.front().find(vpdbqh.name), std::string::npos);
  // The old branch does not rate them.
  auto old = *store().row(vpdbqh, *moved, 2021);
  EXPECT_EQ(old.proposal.tenure, Tenure::not_rated_here);
  EXPECT_EQ(tx([&] { return store().confirm(vpdbqh, *moved, 2021, 0, sang); }).error().kind, ErrorKind::invalid);
  EXPECT_EQ(count("SELECT COUNT(*) FROM member_ratings"), 0);
}

TEST_P(RatingStoreTest, ProposeConfirmApproveAndReturnEachDatedNamedAndAudited) {
  auto rows = sheet(vpubnd);
  const RatingRow* first = nullptr;
  for (const auto& r : rows)
    if (r.proposal.tenure == Tenure::rated) first = &r;
  ASSERT_TRUE(first);
  const int64_t m = first->member_id;
  const std::string proposed = *first->proposal.level;

  // The committee's judgement changes the proposal: discipline gives "not completed".
  RatingEntry disciplined{{"disciplined", "good", "Vi phạm nội quy cơ quan"}, std::nullopt, ""};
  ASSERT_TRUE(tx([&] { return store().save(vpubnd, m, 2021, 0, disciplined, sang); }));
  auto r = row(m);
  EXPECT_EQ(r.state(), "draft");
  EXPECT_EQ(r.version(), 1);
  EXPECT_EQ(r.proposal.level, "not_completed");
  EXPECT_EQ(r.stored->proposed_level, "not_completed");
  // A stale version changes nothing.
  RatingEntry clean{{"none", "good", ""}, std::nullopt, ""};
  EXPECT_EQ(tx([&] { return store().save(vpubnd, m, 2021, 0, clean, sang); }).error().kind, ErrorKind::conflict);
  EXPECT_EQ(row(m).stored->judgement.discipline, "disciplined");
  // Another level than the proposal needs a reason.
  const std::string other = proposed == "good" ? "excellent" : "good";
  RatingEntry chosen{{"none", "good", ""}, other, ""};
  EXPECT_EQ(tx([&] { return store().save(vpubnd, m, 2021, 1, chosen, sang); }).error().field, "level_reason");
  chosen.level_reason = "Thành tích nổi bật được Đoàn khối ghi nhận";
  ASSERT_TRUE(tx([&] { return store().save(vpubnd, m, 2021, 1, chosen, sang); }));
  EXPECT_EQ(row(m).proposal.level, proposed);

  // Confirmed: the level is the committee's, dated and named; no more edits.
  clock.advance(1h);
  EXPECT_EQ(tx([&] { return store().confirm(vpubnd, m, 2021, 1, sang); }).error().kind, ErrorKind::conflict);
  ASSERT_TRUE(tx([&] { return store().confirm(vpubnd, m, 2021, 2, sang); }));
  r = row(m);
  EXPECT_EQ(r.state(), "confirmed");
  EXPECT_EQ(r.stored->level, other);
  EXPECT_EQ(r.stored->proposed_level, proposed);
  EXPECT_EQ(r.stored->confirmed_at, clock.unix_seconds());
  EXPECT_EQ(r.stored->confirmed_by_name, "Phan Văn Sang");
  EXPECT_EQ(tx([&] { return store().save(vpubnd, m, 2021, 3, clean, sang); }).error().kind, ErrorKind::conflict);

  // Returned with a reason, confirmed again, approved.
  EXPECT_EQ(tx([&] { return store().decide(vpubnd, m, 2021, 3, "returned", "", dk); }).error().field, "reason");
  ASSERT_TRUE(tx([&] { return store().decide(vpubnd, m, 2021, 3, "returned", "Xem lại mức xếp loại", dk); }));
  r = row(m);
  EXPECT_EQ(r.state(), "returned");
  EXPECT_EQ(r.stored->return_reason, "Xem lại mức xếp loại");
  // Returned: the level is gone until the branch confirms again, so nothing counts it.
  EXPECT_FALSE(r.stored->level);
  EXPECT_FALSE(*ratings_part(*conn, dkcq.path + "%", 2021));
  EXPECT_EQ(tx([&] { return store().decide(vpubnd, m, 2021, 4, "approved", "", dk); }).error().kind, ErrorKind::conflict);
  ASSERT_TRUE(tx([&] { return store().save(vpubnd, m, 2021, 4, clean, sang); }));
  ASSERT_TRUE(tx([&] { return store().confirm(vpubnd, m, 2021, 5, sang); }));
  clock.advance(24h);
  ASSERT_TRUE(tx([&] { return store().decide(vpubnd, m, 2021, 6, "approved", "", dk); }));
  r = row(m);
  EXPECT_EQ(r.state(), "approved");
  EXPECT_EQ(r.stored->level, proposed);
  EXPECT_EQ(r.stored->decided_at, clock.unix_seconds());
  EXPECT_EQ(r.stored->decided_by_name, "Ban Thường vụ Đoàn khối");
  EXPECT_EQ(r.version(), 7);

  // Every step audited, by whom.
  auto log = audit::list(*conn, "member_rating", r.stored->id);
  ASSERT_TRUE(log);
  std::vector<std::string> actions;
  for (auto it = log->rbegin(); it != log->rend(); ++it) actions.push_back(it->entry.action + ":" + it->entry.username);
  EXPECT_EQ(actions, (std::vector<std::string>{"rating_save:sangpv", "rating_save:sangpv", "rating_confirm:sangpv", "rating_return:doankhoi",
                                               "rating_save:sangpv", "rating_confirm:sangpv", "rating_approve:doankhoi"}));

  // The report's part: one member rated and approved at the proposal's level.
  auto part = ratings_part(*conn, dkcq.path + "%", 2021);
  ASSERT_TRUE(part && *part);
  EXPECT_EQ((**part)["guideline"], "HD 33-HD/TWĐTN-BTC");
  EXPECT_EQ((**part)["rated"], 1);
  EXPECT_EQ((**part)["approved"], 1);
  ASSERT_EQ((**part)["levels"].size(), 4u);
  for (const auto& l : (**part)["levels"]) EXPECT_EQ(l["count"], l["level"] == proposed ? 1 : 0);
  EXPECT_FALSE(*ratings_part(*conn, vpdbqh.path + "%", 2021));
  EXPECT_FALSE(*ratings_part(*conn, dkcq.path + "%", 2020));
}

TEST_P(RatingStoreTest, TheWholeSheetAtOnceNamesTheSheetVersion) {
  int64_t rated = 0;
  for (const auto& r : sheet(vpubnd)) rated += r.proposal.tenure != Tenure::not_rated_here;
  EXPECT_GT(rated, 0);
  const int64_t v0 = *store().sheet_version(vpubnd, 2021);
  EXPECT_EQ(v0, RatingStore::version_of(sheet(vpubnd)));
  // Nothing saved: the committee has judged nobody's discipline and conduct, so the whole sheet
  // confirms nobody and names whom it skipped.
  auto none = tx([&] { return store().confirm_all(vpubnd, 2021, v0, sang); });
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_TRUE(none->done.empty());
  EXPECT_EQ(static_cast<int64_t>(none->skipped.size()), rated);
  EXPECT_EQ(count("SELECT COUNT(*) FROM member_ratings"), 0);

  EXPECT_EQ(save_all(), rated);
  const int64_t v1 = *store().sheet_version(vpubnd, 2021);
  EXPECT_NE(v1, v0);
  // Figures changed after the page was read (a present member marked absent): the version moves,
  // so the old page cannot confirm proposals it did not show.
  const RatingRow some = [&] {
    for (const auto& r : sheet(vpubnd))
      if (r.proposal.tenure != Tenure::not_rated_here && r.inputs.activities_present > 0) return r;
    return RatingRow{};
  }();
  ASSERT_GT(some.member_id, 0);
  ASSERT_TRUE(conn->execute("UPDATE attendance SET status = 'absent' WHERE member_id = ?1 AND branch_id = ?2", {some.member_id, vpubnd.id}));
  EXPECT_EQ(tx([&] { return store().confirm_all(vpubnd, 2021, v1, sang); }).error().kind, ErrorKind::conflict);
  EXPECT_EQ(count("SELECT COUNT(*) FROM member_ratings WHERE state = 'confirmed'"), 0);
  const int64_t v2 = *store().sheet_version(vpubnd, 2021);
  EXPECT_NE(v2, v1);
  auto done = tx([&] { return store().confirm_all(vpubnd, 2021, v2, sang); });
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(static_cast<int64_t>(done->done.size()), rated);
  EXPECT_TRUE(done->skipped.empty());
  // A second click on the old page: stale.
  EXPECT_EQ(tx([&] { return store().confirm_all(vpubnd, 2021, v2, sang); }).error().kind, ErrorKind::conflict);
  EXPECT_EQ(tx([&] { return store().approve_all(vpubnd, 2021, v2, dk); }).error().kind, ErrorKind::conflict);
  auto part = ratings_part(*conn, dkcq.path + "%", 2021);
  EXPECT_EQ((**part)["approved"], 0);
  EXPECT_NE((**part)["narrative"].get<std::string>().find("đã được chi đoàn xác nhận, đang chờ cấp trên phê duyệt."), std::string::npos);
  // The levels confirmed are the proposals.
  for (const auto& r : sheet(vpubnd)) {
    if (r.stored) {
      EXPECT_EQ(r.stored->level, r.stored->proposed_level);
    }
  }
  const int64_t v = *store().sheet_version(vpubnd, 2021);
  ASSERT_TRUE(tx([&] { return store().approve_all(vpubnd, 2021, v, dk); }));
  part = ratings_part(*conn, dkcq.path + "%", 2021);
  EXPECT_EQ((**part)["rated"], rated);
  EXPECT_EQ((**part)["approved"], rated);
  const std::string n = (**part)["narrative"];
  EXPECT_TRUE(n.starts_with("Năm 2021, " + std::to_string(rated) + " đoàn viên được đánh giá, xếp loại theo HD 33-HD/TWĐTN-BTC: ")) << n;
  EXPECT_TRUE(n.ends_with("; kết quả đã được cấp trên phê duyệt.")) << n;
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE entity = 'member_rating'"), 3 * rated);
}

TEST_P(RatingStoreTest, OneRatingAMemberAYearWhicheverBranchKeepsIt) {
  int64_t m = 0;
  for (const auto& r : sheet(vpubnd))
    if (r.proposal.tenure == Tenure::rated) m = r.member_id;
  ASSERT_GT(m, 0);
  // Rated and confirmed elsewhere before a transfer: this branch's first save or confirm is a clear
  // conflict naming the other branch, not the database's unique violation.
  ASSERT_TRUE(conn->execute("INSERT INTO member_ratings (member_id, branch_id, year, guideline_id, state, level, confirmed_at, created_at, "
                            "updated_at) VALUES (?1, ?2, 2021, ?3, 'confirmed', 'good', 0, 0, 0)",
                            {m, vpdbqh.id, store().guideline_for(2021)->id}));
  for (auto e : {tx([&] { return store().save(vpubnd, m, 2021, 0, RatingEntry{}, sang); }),
                 tx([&] { return store().confirm(vpubnd, m, 2021, 0, sang); })}) {
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error().kind, ErrorKind::conflict);
    EXPECT_EQ(e.error().field, "member_id");
    EXPECT_NE(e.error().message.find(vpdbqh.name), std::string::npos) << e.error().message;
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM member_ratings WHERE branch_id = " + std::to_string(vpubnd.id)), 0);
}

TEST_P(RatingStoreTest, OnlyConfirmedAndApprovedRatingsCountInClassification) {
  ASSERT_TRUE(confirm_sheet());
  classification::Store cls(*conn, clock);
  const int64_t confirmed = cls.measures(vpubnd, 2021)->rated;
  EXPECT_GT(confirmed, 0);
  // A returned rating still carrying a level (as stored before returns cleared it) is not counted.
  ASSERT_TRUE(conn->execute("UPDATE member_ratings SET state = 'returned', return_reason = 'x' WHERE id = (SELECT MIN(id) FROM member_ratings)"));
  EXPECT_EQ(cls.measures(vpubnd, 2021)->rated, confirmed - 1);
}

TEST_P(RatingStoreTest, ExcusedAbsencesAreInNoDenominator) {
  RatingRow some;
  for (const auto& r : sheet(vpubnd))
    if (r.proposal.tenure != Tenure::not_rated_here && r.inputs.meetings_recorded > 0) some = r;
  ASSERT_GT(some.member_id, 0);
  ASSERT_TRUE(conn->execute("UPDATE attendance SET status = 'excused' WHERE member_id = ?1 AND branch_id = ?2", {some.member_id, vpubnd.id}));
  const RatingRow r = row(some.member_id);
  EXPECT_EQ(r.inputs.activities_recorded, 0);
  EXPECT_EQ(r.inputs.meetings_recorded, 0);
  EXPECT_EQ(r.inputs.meeting_absences, 0);
}

TEST_P(RatingStoreTest, RegistersNotPaymentsSayWhetherDuesAndHoursAreKept) {
  ASSERT_GT(count("SELECT COUNT(*) FROM dues_payments WHERE branch_id = " + std::to_string(vpubnd.id)), 0);
  for (const auto& r : sheet(vpubnd)) {
    EXPECT_TRUE(r.inputs.dues_kept);
    EXPECT_TRUE(r.inputs.hours_kept);
  }
  // Nobody paid for 2021 in a branch that keeps its dues here: the months are owed, not "no data".
  ASSERT_TRUE(conn->execute("DELETE FROM dues_paid_months WHERE month >= '2021-01' AND month <= '2021-12'"));
  for (const auto& r : sheet(vpubnd)) {
    if (r.inputs.months_in_branch == 9 && r.inputs.in_branch_at_year_end) {
      EXPECT_EQ(r.inputs.dues_due_months, 9) << r.name;
      EXPECT_EQ(r.inputs.dues_paid_months, 0) << r.name;
    }
  }
  // No hours recorded in the year: the branch keeps no hours register and the check is left out.
  ASSERT_TRUE(conn->execute("UPDATE attendance SET hours_state = 'none' WHERE branch_id = ?1", {vpubnd.id}));
  for (const auto& r : sheet(vpubnd)) {
    EXPECT_FALSE(r.inputs.hours_kept);
    for (const auto& reason : r.proposal.reasons) {
      EXPECT_EQ(reason.find("giờ tình nguyện"), std::string::npos) << reason;
    }
  }
}

TEST_P(RatingStoreTest, TheMonthsNeededAreTheGuidelines) {
  int64_t nine = 0;
  for (const auto& r : sheet(vpubnd)) nine += r.inputs.months_in_branch == 9 && r.proposal.tenure == Tenure::rated;
  ASSERT_GT(nine, 0);
  ASSERT_TRUE(conn->execute("UPDATE rating_guidelines SET min_months = 10"));
  EXPECT_EQ(store().guideline_for(2021)->min_months, 10);
  for (const auto& r : sheet(vpubnd)) {
    if (r.inputs.months_in_branch == 9 && !r.inputs.previous_branch.empty()) {
      EXPECT_EQ(r.proposal.tenure, Tenure::rated_with_old_comments) << r.name;
    }
  }
}

TEST_P(RatingStoreTest, TheReportNamesTheGuidelineEachRatingWasMadeUnder) {
  ASSERT_TRUE(confirm_sheet());
  // The guidelines' years changed afterwards: no guideline covers 2021 any more, yet the ratings
  // made under HD 33 are still reported under it.
  ASSERT_TRUE(conn->execute("UPDATE rating_guidelines SET to_year = 2020 WHERE from_year = 2019"));
  auto part = ratings_part(*conn, dkcq.path + "%", 2021);
  ASSERT_TRUE(part) << part.error().message;
  ASSERT_TRUE(*part);
  EXPECT_EQ((**part)["guideline"], "HD 33-HD/TWĐTN-BTC");
}

// ---- The bundle section ------------------------------------------------------------------------

class RatingBundleTest : public RatingStoreTest {
 protected:
  Result<void> load_section(const json& s) {
    auto names = chidoan::testing::demo_names(*conn);
    if (!names) return std::unexpected(names.error());
    auto sec = rating_bundle_section();
    CHIDOAN_TRY_VOID(sec.validate(*conn, s, names->known));
    return conn->transaction([&]() -> Result<void> { return sec.load(*conn, clock, s, names->refs); });
  }
  Result<json> dump_section(const org::Org& root) {
    CHIDOAN_TRY(doc, org::bundle::dump(*conn, clock, root.id, {rating_bundle_section()}));
    return doc.contains("rating") ? doc["rating"] : json(nullptr);
  }
  json demo_section() { return chidoan::testing::demo_bundle_full()["rating"]; }
};

TEST_P(RatingBundleTest, TheDemoLoadsAndDumpsAsItIs) {
  EXPECT_EQ(rating_bundle_section().key, "rating");
  const json demo = demo_section();
  ASSERT_TRUE(demo.is_object());
  auto r = load_section(demo);
  ASSERT_TRUE(r) << r.error().field << ": " << r.error().message;
  auto dumped = dump_section(dkcq);  // the Đoàn khối's member refs are the demo's
  ASSERT_TRUE(dumped) << dumped.error().message;
  EXPECT_TRUE(*dumped == demo);
  EXPECT_TRUE(dump_section(vpdbqh)->is_null());
  // The demo's ratings are the system's proposals for the demo's data, confirmed by the branch
  // and approved by the Đoàn khối; every member it rates is on the sheet.
  int64_t rated = 0;
  for (const auto& row : sheet(vpubnd)) {
    if (row.proposal.tenure == Tenure::not_rated_here) continue;
    ++rated;
    ASSERT_TRUE(row.stored) << row.name;
    EXPECT_EQ(row.stored->state, "approved");
    EXPECT_EQ(row.stored->level, row.stored->proposed_level);
    auto live = rating::propose(*store().guideline_for(2021), row.inputs, row.stored->judgement);
    EXPECT_EQ(live.level, row.stored->proposed_level) << row.name;
  }
  EXPECT_EQ(static_cast<int64_t>(demo["ratings"].size()), rated);
}

TEST_P(RatingBundleTest, TheSheetRoundTripsAndBadInputIsRefusedWithItsPath) {
  // Confirmed and approved through the store, dumped, loaded into the same rows again: the same.
  // (Dumped from the Đoàn khối, whose member refs are the demo's: the test world's outside member
  // is not among them.)
  const org::Org& tw = dkcq;
  ASSERT_TRUE(confirm_sheet());
  auto first = dump_section(tw);
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_TRUE(first->is_object()) << first->dump();
  ASSERT_TRUE(conn->execute("DELETE FROM member_ratings"));
  auto loaded = load_section(*first);
  ASSERT_TRUE(loaded) << loaded.error().field << ": " << loaded.error().message;
  EXPECT_TRUE(*dump_section(tw) == *first);

  json bad = *first;
  bad["ratings"][0]["level"] = "best";
  EXPECT_EQ(load_section(bad).error().field, "$.rating.ratings[0].level");
  bad = *first;
  bad["ratings"][0]["state"] = "approved";
  bad["ratings"][0]["decided_at"] = nullptr;
  EXPECT_EQ(load_section(bad).error().field, "$.rating.ratings[0].decided_at");
  bad = *first;
  bad["ratings"][0]["year"] = 2010;
  EXPECT_EQ(load_section(bad).error().field, "$.rating.ratings[0].year");
  bad = *first;
  bad["ratings"][0]["member"] = "M9999";
  EXPECT_EQ(load_section(bad).error().field, "$.rating.ratings[0].member");
  bad = *first;
  bad["ratings"][0]["discipline"] = "lazy";
  EXPECT_EQ(load_section(bad).error().field, "$.rating.ratings[0].discipline");
  bad = *first;
  bad["ratings"][0]["colour"] = "red";
  EXPECT_EQ(load_section(bad).error().field, "$.rating.ratings[0].colour");
  // A confirmed rating's level is the chosen level, else the proposal; it carries its figures and reasons.
  bad = *first;
  ASSERT_EQ(bad["ratings"][0]["state"], "confirmed");
  bad["ratings"][0]["level"] = bad["ratings"][0]["proposed_level"] == "good" ? "excellent" : "good";
  EXPECT_EQ(load_section(bad).error().field, "$.rating.ratings[0].level");
  bad = *first;
  bad["ratings"][0]["inputs"] = nullptr;
  EXPECT_EQ(load_section(bad).error().field, "$.rating.ratings[0].inputs");
  bad = *first;
  bad["ratings"][0]["reasons"] = json::array({1});
  EXPECT_EQ(load_section(bad).error().field, "$.rating.ratings[0].reasons");
  bad = *first;
  bad["guidelines"][0]["from_year"] = 2018;
  EXPECT_EQ(load_section(bad).error().field, "$.rating.guidelines[0].from_year");

  // The frozen record travels as it is (not recomputed from the loaded data), and so do the
  // guideline's corrections.
  json frozen = *first;
  frozen["ratings"][0]["inputs"]["activities_recorded"] = 999;
  frozen["ratings"][0]["reasons"] = json::array({"Lý do khi xác nhận"});
  ASSERT_EQ(frozen["guidelines"].size(), 1u);
  frozen["guidelines"][0]["code"] = "HD 33-HD/TWĐTN-BTC (bản tỉnh)";
  ASSERT_TRUE(conn->execute("DELETE FROM member_ratings"));
  loaded = load_section(frozen);
  ASSERT_TRUE(loaded) << loaded.error().field << ": " << loaded.error().message;
  EXPECT_EQ(store().guideline_for(2021)->code, "HD 33-HD/TWĐTN-BTC (bản tỉnh)");
  EXPECT_EQ(*dump_section(tw), frozen);
}

CHIDOAN_INSTANTIATE_DB_TEST(RatingStoreTest);
CHIDOAN_INSTANTIATE_DB_TEST(RatingBundleTest);

}  // namespace
}  // namespace chidoan::review
