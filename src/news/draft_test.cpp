// Drafts from the data and the link checks, on both engines: the demo's idea forum, COVID
// campaign, produce cycles and activities give their own figures (recomputed here from the
// tables, not copied from the output), no member's name, phone or birth date gets into a draft,
// a second small world gives its figures, and what lies outside the post's subtree, is missing
// or is of an unknown kind is refused on the right field.
#include "news/draft.hpp"

#include <gtest/gtest.h>

#include <iostream>
#include <string>
#include <vector>

#include "activity/bundle.hpp"
#include "activity/store.hpp"
#include "fund/bundle.hpp"
#include "fund/produce_bundle.hpp"
#include "fund/store.hpp"
#include "ideas/bundle.hpp"
#include "org/store.hpp"
#include "platform/core/date.hpp"
#include "platform/text/text.hpp"
#include "tests/support/demo.hpp"
#include "tests/support/route_world.hpp"
#include "tests/support/test_db.hpp"
#include "tests/support/world_test.hpp"

namespace chidoan::news {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using text::format_date;
using text::format_int;

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class DraftTest : public chidoan::testing::WorldTest {
 protected:
  void SetUp() override {
    WorldTest::SetUp();
    if (IsSkipped()) return;
    load_world(clock, {activity::bundle_section(), fund::bundle_section(), fund::produce_bundle_section(), ideas::bundle_section()});
    if (HasFatalFailure()) return;
    vpubnd = world.vpubnd;
    other_branch = world.other_branch;
    other_member = world.other_member;
    org::Store orgs(*conn, clock);
    dkcq = (*orgs.org_by_code("DKCQ"))->id;
    vpdbqh = (*orgs.org_by_code("VPDBQH"))->id;
  }

  int64_t scalar(const std::string& sql, const std::vector<db::Value>& params = {}) {
    auto row = conn->query_one(sql, params);
    EXPECT_TRUE(row && *row) << sql;
    return row && *row ? (*row)->i64(0) : -1;
  }
  Draft draft(int64_t org, const std::string& kind, int64_t id) {
    auto d = draft_from(*conn, clock, org, Source{kind, id});
    EXPECT_TRUE(d) << kind << " " << id << ": " << d.error().message;
    return d ? *d : Draft{};
  }
  // Every member's full name, phone and birth date (ISO and dd/mm/yyyy) must stay out of `text`.
  void expect_no_personal_data(const std::string& text) {
    auto rows = conn->query("SELECT family_name, middle_name, given_name, COALESCE(phone, ''), birth_date FROM members");
    ASSERT_TRUE(rows);
    ASSERT_GT(rows->size(), 20u);
    for (const auto& r : *rows) {
      std::string full = r.str(0) + (r.str(1).empty() ? "" : " " + r.str(1)) + " " + r.str(2);
      EXPECT_FALSE(has(text, full)) << full << " in: " << text;
      if (!r.str(3).empty()) {
        EXPECT_FALSE(has(text, r.str(3))) << r.str(3) << " in: " << text;
      }
      EXPECT_FALSE(has(text, r.str(4))) << text;
      EXPECT_FALSE(has(text, format_date(r.str(4)))) << text;
    }
  }

  FixedClock clock{std::chrono::sys_days{std::chrono::year{2022} / 1 / 15} + 3h};  // 10:00 in Vietnam
  int64_t vpubnd = 0, other_branch = 0, other_member = 0, dkcq = 0, vpdbqh = 0;
};

TEST_P(DraftTest, ForumOfTheDemo) {
  int64_t forum = scalar("SELECT id FROM idea_forums WHERE held_on = '2021-11-02'");
  const std::string filter = " FROM ideas i WHERE i.forum_id = ?1 AND i.submitted_at IS NOT NULL AND i.hidden = 0";
  int64_t ideas = scalar("SELECT COUNT(*)" + filter, {forum});
  int64_t supports = scalar("SELECT COUNT(*) FROM idea_supports s JOIN ideas i ON i.id = s.idea_id WHERE i.forum_id = ?1 "
                            "AND i.submitted_at IS NOT NULL AND i.hidden = 0",
                            {forum});
  int64_t accepted = scalar("SELECT COUNT(*)" + filter + " AND i.state IN ('accepted', 'implemented')", {forum});
  int64_t implemented = scalar("SELECT COUNT(*)" + filter + " AND i.state = 'implemented'", {forum});
  int64_t present = scalar("SELECT COUNT(*) FROM attendance d JOIN idea_forums f ON f.activity_id = d.activity_id "
                           "WHERE f.id = ?1 AND d.status = 'present'",
                           {forum});
  ASSERT_GT(ideas, 0);
  ASSERT_GT(supports, 0);
  ASSERT_GT(implemented, 0);
  ASSERT_GT(present, 0);

  Draft d = draft(vpubnd, "forum", forum);
  EXPECT_EQ(d.title, "Tuổi trẻ chi đoàn Văn phòng UBND tỉnh với Ý tưởng sáng tạo trẻ");
  EXPECT_TRUE(has(d.body, "Ngày 02/11/2021, Chi đoàn Văn phòng UBND tỉnh tổ chức Diễn đàn “Tuổi trẻ chi đoàn Văn phòng UBND tỉnh với Ý tưởng sáng tạo trẻ”"))
      << d.body;
  EXPECT_TRUE(has(d.body, "với " + format_int(present) + " đoàn viên tham gia")) << d.body;
  EXPECT_TRUE(has(d.body, "gửi " + format_int(ideas) + " ý tưởng, nhận " + format_int(supports) + " lượt ủng hộ")) << d.body;
  EXPECT_TRUE(has(d.body, format_int(accepted) + " ý tưởng được tiếp nhận")) << d.body;
  EXPECT_TRUE(has(d.body, "trong đó " + format_int(implemented) + " ý tưởng đã được triển khai")) << d.body;
  EXPECT_TRUE(has(d.summary, format_int(ideas) + " ý tưởng")) << d.summary;
  EXPECT_EQ(d.links, (Links{std::nullopt, std::nullopt, forum, std::nullopt}));
  expect_no_personal_data(d.title + d.summary + d.body);
  std::cout << "forum draft:\n" << d.title << "\n" << d.summary << "\n" << d.body << "\n";

  // A hidden idea and its supports no longer count.
  int64_t hidden = scalar("SELECT i.id" + filter + " AND i.state = 'submitted'", {forum});
  int64_t its_supports = scalar("SELECT COUNT(*) FROM idea_supports WHERE idea_id = ?1", {hidden});
  ASSERT_TRUE(conn->execute("UPDATE ideas SET hidden = 1 WHERE id = ?1", {hidden}));
  Draft again = draft(vpubnd, "forum", forum);
  EXPECT_TRUE(has(again.body, "gửi " + format_int(ideas - 1) + " ý tưởng, nhận " + format_int(supports - its_supports) + " lượt ủng hộ"))
      << again.body;
}

TEST_P(DraftTest, CovidCampaignOfTheDemo) {
  int64_t campaign = scalar("SELECT id FROM campaigns WHERE name LIKE 'Quỹ Phòng%'");
  // The ledger itself, corrections included (the draft reads the running sums).
  int64_t net = scalar("SELECT CAST(SUM(amount_vnd) AS BIGINT) FROM contributions WHERE campaign_id = ?1 AND kind = 'money'", {campaign});
  int64_t reversed = scalar("SELECT COUNT(*) FROM contributions WHERE campaign_id = ?1 AND reverses_id IS NOT NULL", {campaign});
  ASSERT_GT(net, 130'000'000);
  ASSERT_GT(reversed, 0);
  ASSERT_NE(net % 1'000'000, 0);
  const std::string total = "hơn " + std::to_string(net / 1'000'000) + " triệu đồng";

  Draft d = draft(vpubnd, "campaign", campaign);
  EXPECT_EQ(d.title, "Quỹ Phòng, chống dịch COVID-19 (cùng cơ quan Văn phòng UBND tỉnh)");
  EXPECT_TRUE(has(d.body, "Từ ngày 01/06/2021 đến ngày 30/09/2021, Chi đoàn Văn phòng UBND tỉnh phát động")) << d.body;
  EXPECT_TRUE(has(d.body, "vận động được " + total + ".")) << d.body;
  EXPECT_TRUE(has(d.summary, total)) << d.summary;
  EXPECT_TRUE(has(d.body, "Mục đích: Đóng góp Quỹ Phòng, chống dịch COVID-19 của tỉnh.")) << d.body;
  // One line per round, in its own paragraph, with the round's dates and net money.
  auto rounds = conn->query("SELECT r.no, r.starts_on, r.ends_on, (SELECT CAST(COALESCE(SUM(c.amount_vnd), 0) AS BIGINT) FROM contributions c "
                            "WHERE c.campaign_id = r.campaign_id AND c.round_no = r.no AND c.kind = 'money') "
                            "FROM campaign_rounds r WHERE r.campaign_id = ?1 ORDER BY r.no",
                            {campaign});
  ASSERT_TRUE(rounds);
  ASSERT_EQ(rounds->size(), 2u);
  auto paragraph = d.body.find("\n\n");
  ASSERT_NE(paragraph, std::string::npos) << d.body;
  for (const auto& r : *rounds) {
    std::string line = "Đợt " + r.str(0) + " (" + format_date(r.str(1)).substr(0, 5) + "\u2013" + format_date(r.str(2)) +
                       "): " + format_int(r.i64(3)) + " đồng";
    EXPECT_TRUE(has(d.body.substr(paragraph), line)) << line << "\n" << d.body;
  }
  EXPECT_EQ(d.links, (Links{std::nullopt, campaign, std::nullopt, std::nullopt}));
  // No contributor is named, whoever they are.
  auto names = conn->query("SELECT DISTINCT contributor_name FROM contributions WHERE campaign_id = ?1 AND contributor_kind IN ('member', 'person')",
                           {campaign});
  ASSERT_TRUE(names);
  ASSERT_FALSE(names->empty());
  for (const auto& n : *names) EXPECT_FALSE(has(d.body + d.summary, n.str(0))) << n.str(0);
  expect_no_personal_data(d.title + d.summary + d.body);
  std::cout << "campaign draft:\n" << d.title << "\n" << d.summary << "\n" << d.body << "\n";
}

// Đoàn khối's campaign of money and goods: the goods' value and each item, net.
TEST_P(DraftTest, InKindCampaignOfTheDemo) {
  int64_t campaign = scalar("SELECT id FROM campaigns WHERE name LIKE '%túi an sinh%'");
  int64_t money = scalar("SELECT CAST(SUM(amount_vnd) AS BIGINT) FROM contributions WHERE campaign_id = ?1 AND kind = 'money'", {campaign});
  int64_t value = scalar("SELECT CAST(SUM(value_vnd) AS BIGINT) FROM contributions WHERE campaign_id = ?1 AND kind = 'in_kind'", {campaign});
  auto items = conn->query("SELECT item, unit, CAST(SUM(quantity_milli) AS BIGINT) FROM contributions WHERE campaign_id = ?1 "
                           "AND kind = 'in_kind' GROUP BY item, unit",
                           {campaign});
  ASSERT_TRUE(items);
  ASSERT_GE(items->size(), 2u);
  // The headline's round figures: millions (tenths of a million below ten), "hơn" when not exact.
  auto millions = [](int64_t v) {
    EXPECT_GE(v, 1'000'000);
    EXPECT_LT(v, 1'000'000'000);
    std::string figure = std::to_string(v / 1'000'000);
    int64_t shown = v / 1'000'000 * 1'000'000;
    if (v < 10'000'000 && v / 100'000 % 10 != 0) {
      figure += "," + std::to_string(v / 100'000 % 10);
      shown = v / 100'000 * 100'000;
    }
    return (shown == v ? "" : "hơn ") + figure + " triệu đồng";
  };
  ASSERT_GT(money, 0);
  ASSERT_GT(value, 0);

  Draft d = draft(dkcq, "campaign", campaign);
  EXPECT_TRUE(has(d.body, "Đoàn khối Các cơ quan tỉnh Lâm Đồng phát động Chương trình “Một triệu túi an sinh”")) << d.body;
  EXPECT_TRUE(has(d.body, "vận động được " + millions(money) + " cùng hiện vật trị giá " + millions(value) + " gồm ")) << d.body;
  for (const auto& i : *items) {
    ASSERT_EQ(i.i64(2) % 1000, 0);
    // A common noun inside the sentence: the demo's items start with an ASCII capital ("Gạo" -> "gạo").
    std::string item = i.str(0);
    ASSERT_TRUE(item[0] >= 'A' && item[0] <= 'Z') << item;
    item[0] = static_cast<char>(item[0] - 'A' + 'a');
    EXPECT_TRUE(has(d.body, format_int(i.i64(2) / 1000) + " " + i.str(1) + " " + item)) << item << "\n" << d.body;
  }
  EXPECT_FALSE(has(d.body, "Đợt")) << "no rounds: " << d.body;
  expect_no_personal_data(d.title + d.summary + d.body);
  // Not VPUBND's: organised by the level above.
  auto refused = draft_from(*conn, clock, vpubnd, Source{"campaign", campaign});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().field, "source");
  std::cout << "in-kind campaign draft:\n" << d.title << "\n" << d.summary << "\n" << d.body << "\n";
}

TEST_P(DraftTest, ProduceCyclesOfTheDemo) {
  auto cycles = conn->query("SELECT c.id, c.opens_at, c.closes_at, s.kind, s.name, s.place, s.contact FROM produce_cycles c "
                            "JOIN produce_suppliers s ON s.id = c.supplier_id ORDER BY c.opens_at, c.id");
  ASSERT_TRUE(cycles);
  ASSERT_GE(cycles->size(), 2u);
  bool farmer_seen = false;
  for (size_t k = 0; k < cycles->size(); ++k) {
    const auto& c = (*cycles)[k];
    int64_t id = c.i64(0);
    int64_t members = scalar("SELECT COUNT(DISTINCT o.member_id) FROM produce_orders o JOIN produce_order_items i ON i.order_id = o.id "
                             "WHERE o.cycle_id = ?1",
                             {id});
    // Closed cycles: what was allocated, at the cycle's frozen prices.
    auto units = conn->query("SELECT p.unit, CAST(SUM(i.allocated) AS BIGINT) FROM produce_orders o "
                             "JOIN produce_order_items i ON i.order_id = o.id JOIN produce_products p ON p.id = i.product_id "
                             "WHERE o.cycle_id = ?1 GROUP BY p.unit ORDER BY p.unit",
                             {id});
    int64_t value = scalar("SELECT CAST(SUM(i.allocated * cp.price_vnd) AS BIGINT) FROM produce_orders o "
                           "JOIN produce_order_items i ON i.order_id = o.id "
                           "JOIN produce_cycle_products cp ON cp.cycle_id = o.cycle_id AND cp.product_id = i.product_id WHERE o.cycle_id = ?1",
                           {id});
    ASSERT_TRUE(units);
    ASSERT_EQ(units->size(), 1u);  // the demo sells by kg or by bó, one unit per cycle
    ASSERT_GT(members, 0);
    Draft d = draft(vpubnd, "produce", id);
    std::string from = format_date(c.str(1).substr(0, 10)), to = format_date(c.str(2).substr(0, 10));
    EXPECT_TRUE(has(d.body, "Từ ngày " + from + " đến ngày " + to + ", Chi đoàn Văn phòng UBND tỉnh tổ chức đợt đặt mua nông sản"))
        << d.body;
    EXPECT_TRUE(has(d.body, format_int(members) + " đoàn viên đã đặt mua " + format_int((*units)[0].i64(1)) + " " + (*units)[0].str(0)))
        << d.body;
    EXPECT_TRUE(has(d.body, "tổng giá trị " + format_int(value) + " đồng")) << d.body;
    EXPECT_TRUE(has(d.body, "nông dân")) << d.body;
    EXPECT_EQ(d.links.produce_cycle_id, id);
    EXPECT_FALSE(has(d.body, c.str(6))) << "the supplier's contact: " << d.body;
    if (c.str(3) == "farmer") {
      // A farmer is personal data: the place, never the name.
      farmer_seen = true;
      EXPECT_FALSE(has(d.body + d.summary + d.title, c.str(4))) << d.body;
      EXPECT_TRUE(has(d.body, "nông hộ tại " + c.str(5))) << d.body;
    } else {
      EXPECT_TRUE(has(d.body, c.str(4))) << "a cooperative is named: " << d.body;
    }
    expect_no_personal_data(d.title + d.summary + d.body);
    if (k == 0) std::cout << "first produce cycle draft:\n" << d.title << "\n" << d.summary << "\n" << d.body << "\n";
  }
  EXPECT_TRUE(farmer_seen);
}

TEST_P(DraftTest, ActivitiesOfTheDemo) {
  // Organised in VPUBND's subtree, or above it with VPUBND taking part.
  auto rows = conn->query("SELECT a.id, a.title, a.starts_at, a.ends_at, t.code, o.name, a.place FROM activities a "
                          "JOIN activity_types t ON t.id = a.type_id JOIN orgs o ON o.id = a.org_id "
                          "WHERE a.org_id = ?1 OR EXISTS (SELECT 1 FROM activity_orgs ao WHERE ao.activity_id = a.id AND ao.org_id = ?1) "
                          "ORDER BY a.starts_at",
                          {vpubnd});
  ASSERT_TRUE(rows);
  ASSERT_GE(rows->size(), 20u);
  int hours_seen = 0, study_seen = 0, above_seen = 0;
  for (const auto& r : *rows) {
    int64_t id = r.i64(0);
    Draft d = draft(vpubnd, "activity", id);
    std::string from = r.str(2).substr(0, 10), to = r.str(3).substr(0, 10);
    std::string opening = (from == to ? "Ngày " + format_date(from) : "Từ ngày " + format_date(from) + " đến ngày " + format_date(to)) +
                          ", " + r.str(5) + " tổ chức ";
    EXPECT_TRUE(d.body.starts_with(opening)) << opening << "\n" << d.body;
    EXPECT_TRUE(has(d.body, "tại " + r.str(6))) << d.body;
    EXPECT_EQ(d.title, r.str(1));
    EXPECT_EQ(d.links.activity_id, id);
    if (r.str(5) != "Chi đoàn Văn phòng UBND tỉnh") ++above_seen;
    int64_t present = scalar("SELECT COUNT(*) FROM attendance WHERE activity_id = ?1 AND status = 'present'", {id});
    int64_t completed = scalar("SELECT COUNT(*) FROM study_completions WHERE activity_id = ?1", {id});
    if (r.str(4) == "study") {
      ASSERT_GT(completed, 0);
      ++study_seen;
      EXPECT_TRUE(has(d.body, "với " + format_int(completed) + " đoàn viên hoàn thành")) << d.body;
    } else if (present > 0) {
      EXPECT_TRUE(has(d.body, "với " + format_int(present) + " đoàn viên tham gia")) << d.body;
    }
    int64_t minutes = scalar("SELECT CAST(COALESCE(SUM(minutes), 0) AS BIGINT) FROM attendance WHERE activity_id = ?1 "
                             "AND hours_state IN ('approved', 'checked')",
                             {id});
    if ((r.str(4) == "volunteer" || r.str(4) == "social_work") && minutes > 0 && minutes % 60 == 0) {
      ++hours_seen;
      EXPECT_TRUE(has(d.body, "tổng cộng " + format_int(minutes / 60) + " giờ tình nguyện")) << d.body;
    }
    if (r.str(4) == "meeting") {
      EXPECT_FALSE(has(d.body, "giờ tình nguyện")) << d.body;
    }
    expect_no_personal_data(d.title + d.summary + d.body);
  }
  EXPECT_GT(hours_seen, 0);
  EXPECT_EQ(study_seen, 2);
  EXPECT_GT(above_seen, 0);

  // The forum's day, exactly.
  int64_t day = scalar("SELECT a.id FROM activities a JOIN activity_types t ON t.id = a.type_id WHERE t.code = 'forum'");
  int64_t present = scalar("SELECT COUNT(*) FROM attendance WHERE activity_id = ?1 AND status = 'present'", {day});
  Draft d = draft(vpubnd, "activity", day);
  EXPECT_EQ(d.body, "Ngày 02/11/2021, Chi đoàn Văn phòng UBND tỉnh tổ chức Diễn đàn “Tuổi trẻ chi đoàn Văn phòng UBND tỉnh với Ý tưởng "
                    "sáng tạo trẻ” tại Hội trường Văn phòng UBND tỉnh với " +
                        format_int(present) + " đoàn viên tham gia.");
  EXPECT_FALSE(d.summary.empty());
  std::cout << "activity draft:\n" << d.title << "\n" << d.summary << "\n" << d.body << "\n";
}

TEST_P(DraftTest, OrganiserNamedAsOnTheDay) {
  // VPDBQH was renamed on 01/04/2021: an activity of March carries the name it had then.
  activity::Store acts(*conn, clock);
  org::Store orgs(*conn, clock);
  int64_t id = 0;
  ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
    activity::ActivityInput in;
    in.type_id = (*acts.type_by_code("meeting"))->id;
    in.title = "Sinh hoạt chi đoàn tháng 3/2021";
    in.starts_at = "2021-03-25T16:00";
    in.ends_at = "2021-03-25T17:30";
    CHIDOAN_TRY(o, orgs.org(vpdbqh));
    CHIDOAN_TRY(a, acts.create(o, in));
    id = a;
    return {};
  }));
  Draft d = draft(vpdbqh, "activity", id);
  EXPECT_TRUE(d.body.starts_with("Ngày 25/03/2021, Chi đoàn Văn phòng Đoàn ĐBQH, HĐND và UBND tỉnh tổ chức Sinh hoạt chi đoàn tháng 3/2021."))
      << d.body;
  // From the level above, too.
  EXPECT_TRUE(draft_from(*conn, clock, dkcq, Source{"activity", id}));
}

// A second world: campaigns and an activity of OTHER, the outside branch, with amounts of their own.
TEST_P(DraftTest, SmallWorldGivesItsOwnFigures) {
  fund::Store fund(*conn, clock);
  activity::Store acts(*conn, clock);
  org::Store orgs(*conn, clock);
  int64_t campaign = 0, small = 0, activity_id = 0;
  ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
    CHIDOAN_TRY(other, orgs.org(other_branch));
    CHIDOAN_TRY(c, fund.create_campaign(other, fund::CampaignInput{"Gạo nghĩa tình mùa lũ", "", "2022-01-03", "2022-02-28", "", std::nullopt, 0}));
    campaign = c;
    CHIDOAN_TRY_VOID(fund.add_round(c, fund::Round{1, "Đợt 1", "2022-01-03", "2022-01-20"}));
    CHIDOAN_TRY_VOID(fund.add_round(c, fund::Round{2, "Đợt 2", "2022-02-01", "2022-02-28"}));
    CHIDOAN_TRY(camp, fund.campaign(c));
    auto money = [&](int64_t round, int64_t vnd, const std::string& kind, std::optional<int64_t> member, const std::string& name,
                     const std::string& on) {
      fund::ContributionInput in;
      in.round_no = round;
      in.kind = "money";
      in.amount_vnd = vnd;
      in.contributor_kind = kind;
      in.member_id = member;
      in.contributor_name = name;
      in.on_date = on;
      in.method = "cash";
      return fund.record(camp, in, other_branch, "test", false);
    };
    CHIDOAN_TRY_VOID(money(1, 20'000'000, "agency", std::nullopt, "Công ty Điện lực", "2022-01-05"));
    CHIDOAN_TRY_VOID(money(1, 2'000'000, "member", other_member, "", "2022-01-06"));
    CHIDOAN_TRY(wrong, money(1, 7'000'000, "person", std::nullopt, "Lê Văn Tám", "2022-01-07"));
    CHIDOAN_TRY_VOID(fund.reverse(camp, wrong, "2022-01-08", "Ghi nhầm chiến dịch", "test", today(clock)));
    CHIDOAN_TRY_VOID(money(2, 28'000'000, "agency", std::nullopt, "Công ty Điện lực", "2022-02-02"));
    fund::ContributionInput rice;
    rice.round_no = 2;
    rice.kind = "in_kind";
    rice.item = "gạo";
    rice.quantity_milli = 5'000;
    rice.unit = "tấn";
    rice.value_vnd = 60'000'000;
    rice.contributor_kind = "agency";
    rice.contributor_name = "Công ty Điện lực";
    rice.on_date = "2022-02-03";
    rice.method = "in_kind";
    CHIDOAN_TRY_VOID(fund.record(camp, rice, other_branch, "test", false));

    CHIDOAN_TRY(s, fund.create_campaign(other, fund::CampaignInput{"Áo ấm cho em", "Tặng áo ấm cho học sinh vùng cao", "2022-01-01", "", "",
                                                                   std::nullopt, 0}));
    small = s;
    CHIDOAN_TRY(sc, fund.campaign(s));
    fund::ContributionInput in;
    in.kind = "money";
    in.amount_vnd = 2'530'000;
    in.contributor_kind = "anonymous";
    in.on_date = "2022-01-10";
    in.method = "transfer";
    CHIDOAN_TRY_VOID(fund.record(sc, in, other_branch, "test", false));

    activity::ActivityInput a;
    a.type_id = (*acts.type_by_code("volunteer"))->id;
    a.title = "Chủ nhật xanh tháng 2";
    a.place = "Công viên Yersin";
    a.starts_at = "2022-02-13T07:00";
    a.ends_at = "2022-02-13T10:00";
    CHIDOAN_TRY(ai, acts.create(other, a));
    activity_id = ai;
    return {};
  }));
  ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
    CHIDOAN_TRY(a, acts.get(activity_id));
    CHIDOAN_TRY_VOID(acts.signup(a, other_member));
    return {};
  }));

  Draft d = draft(other_branch, "campaign", campaign);
  EXPECT_EQ(d.body,
            "Từ ngày 03/01/2022 đến ngày 28/02/2022, Chi đoàn Công ty Điện lực phát động chiến dịch “Gạo nghĩa tình mùa lũ”, đến nay "
            "đã vận động được 50 triệu đồng cùng hiện vật trị giá 60 triệu đồng gồm 5 tấn gạo.\n\n"
            "Đợt 1 (03/01–20/01/2022): 22.000.000 đồng; Đợt 2 (01/02–28/02/2022): 28.000.000 đồng và hiện vật trị giá 60.000.000 đồng.");
  EXPECT_FALSE(has(d.body + d.summary, "Ngô Bảo"));
  EXPECT_FALSE(has(d.body + d.summary, "Lê Văn Tám"));
  EXPECT_EQ(d.links.campaign_id, campaign);

  Draft s = draft(other_branch, "campaign", small);
  EXPECT_EQ(s.body,
            "Từ ngày 01/01/2022, Chi đoàn Công ty Điện lực phát động chiến dịch “Áo ấm cho em”, đến nay đã vận động được hơn 2,5 triệu "
            "đồng. Mục đích: Tặng áo ấm cho học sinh vùng cao.");

  // Not yet held: the sign-ups.
  Draft a = draft(other_branch, "activity", activity_id);
  EXPECT_EQ(a.body, "Ngày 13/02/2022, Chi đoàn Công ty Điện lực sẽ tổ chức Chủ nhật xanh tháng 2 tại Công viên Yersin với 1 đoàn viên đăng ký tham gia.");

  // None of it is VPUBND's.
  for (auto [kind, id] : {std::pair<const char*, int64_t>{"campaign", campaign}, {"activity", activity_id}}) {
    auto refused = draft_from(*conn, clock, vpubnd, Source{kind, id});
    ASSERT_FALSE(refused) << kind;
    EXPECT_EQ(refused.error().kind, ErrorKind::invalid);
    EXPECT_EQ(refused.error().field, "source");
    EXPECT_TRUE(has(refused.error().message, "không thuộc Chi đoàn Văn phòng UBND tỉnh")) << refused.error().message;
  }
  Links outside;
  outside.activity_id = activity_id;
  auto link = check_links(*conn, vpubnd, outside);
  ASSERT_FALSE(link);
  EXPECT_EQ(link.error().kind, ErrorKind::invalid);
  EXPECT_EQ(link.error().field, "activity_id");
  EXPECT_EQ(link.error().message,
            "Hoạt động này không thuộc Chi đoàn Văn phòng UBND tỉnh; chỉ liên kết được hoạt động của tổ chức mình");
  Links other_campaign;
  other_campaign.campaign_id = campaign;
  auto camp_link = check_links(*conn, vpubnd, other_campaign);
  ASSERT_FALSE(camp_link);
  EXPECT_EQ(camp_link.error().field, "campaign_id");
  EXPECT_TRUE(check_links(*conn, other_branch, Links{activity_id, campaign, std::nullopt, std::nullopt}));
}

TEST_P(DraftTest, ScopeOfActivitiesAboveTheBranch) {
  // A DKCQ activity VPUBND takes part in may be drafted by VPUBND; one only VPDBQH joined may not.
  int64_t joined = scalar("SELECT a.id FROM activities a JOIN orgs o ON o.id = a.org_id JOIN activity_orgs ao ON ao.activity_id = a.id "
                          "WHERE o.code = 'DKCQ' AND ao.org_id = ?1 ORDER BY a.starts_at LIMIT 1",
                          {vpubnd});
  int64_t not_joined = scalar("SELECT a.id FROM activities a JOIN orgs o ON o.id = a.org_id WHERE o.code = 'DKCQ' AND NOT EXISTS "
                              "(SELECT 1 FROM activity_orgs ao WHERE ao.activity_id = a.id AND ao.org_id = ?1) ORDER BY a.starts_at LIMIT 1",
                              {vpubnd});
  EXPECT_TRUE(draft_from(*conn, clock, vpubnd, Source{"activity", joined}));
  EXPECT_TRUE(check_links(*conn, vpubnd, Links{joined, std::nullopt, std::nullopt, std::nullopt}));
  auto refused = draft_from(*conn, clock, vpubnd, Source{"activity", not_joined});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, ErrorKind::invalid);
  EXPECT_EQ(refused.error().field, "source");
  auto link = check_links(*conn, vpubnd, Links{not_joined, std::nullopt, std::nullopt, std::nullopt});
  ASSERT_FALSE(link);
  EXPECT_EQ(link.error().field, "activity_id");
  // The level above sees both; the demo's campaign, forum and cycles are VPUBND's and so DKCQ's, not VPDBQH's.
  EXPECT_TRUE(draft_from(*conn, clock, dkcq, Source{"activity", not_joined}));
  int64_t forum = scalar("SELECT id FROM idea_forums LIMIT 1");
  int64_t campaign = scalar("SELECT id FROM campaigns WHERE org_id = ?1 ORDER BY id LIMIT 1", {vpubnd});
  int64_t cycle = scalar("SELECT id FROM produce_cycles ORDER BY id LIMIT 1");
  Links all{joined, campaign, forum, cycle};
  auto mine = check_links(*conn, vpubnd, all);
  EXPECT_TRUE(mine) << mine.error().message;
  EXPECT_TRUE(check_links(*conn, dkcq, all));
  for (auto [field, links] : {std::pair<std::string, Links>{"campaign_id", Links{std::nullopt, campaign, std::nullopt, std::nullopt}},
                              {"forum_id", Links{std::nullopt, std::nullopt, forum, std::nullopt}},
                              {"produce_cycle_id", Links{std::nullopt, std::nullopt, std::nullopt, cycle}}}) {
    auto r = check_links(*conn, vpdbqh, links);
    ASSERT_FALSE(r) << field;
    EXPECT_EQ(r.error().kind, ErrorKind::invalid);
    EXPECT_EQ(r.error().field, field);
    EXPECT_TRUE(has(r.error().message, "Chi đoàn Văn phòng Đoàn ĐBQH và HĐND tỉnh")) << r.error().message;
  }
  for (auto [kind, id] : {std::pair<const char*, int64_t>{"campaign", campaign}, {"forum", forum}, {"produce", cycle}}) {
    auto r = draft_from(*conn, clock, vpdbqh, Source{kind, id});
    ASSERT_FALSE(r) << kind;
    EXPECT_EQ(r.error().kind, ErrorKind::invalid) << kind;
    EXPECT_EQ(r.error().field, "source") << kind;
  }
  EXPECT_TRUE(check_links(*conn, vpubnd, Links{}));
}

TEST_P(DraftTest, MissingAndUnknown) {
  for (const char* kind : {"activity", "campaign", "forum", "produce"}) {
    auto r = draft_from(*conn, clock, vpubnd, Source{kind, 999999});
    ASSERT_FALSE(r) << kind;
    EXPECT_EQ(r.error().kind, ErrorKind::not_found) << kind;
  }
  auto nonsense = draft_from(*conn, clock, vpubnd, Source{"nonsense", 1});
  ASSERT_FALSE(nonsense);
  EXPECT_EQ(nonsense.error().kind, ErrorKind::invalid);
  EXPECT_EQ(nonsense.error().field, "source");
  auto empty = draft_from(*conn, clock, vpubnd, Source{"", 1});
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().field, "source");

  for (auto [field, links] : {std::pair<std::string, Links>{"activity_id", Links{999999, std::nullopt, std::nullopt, std::nullopt}},
                              {"campaign_id", Links{std::nullopt, 999999, std::nullopt, std::nullopt}},
                              {"forum_id", Links{std::nullopt, std::nullopt, 999999, std::nullopt}},
                              {"produce_cycle_id", Links{std::nullopt, std::nullopt, std::nullopt, 999999}}}) {
    auto r = check_links(*conn, vpubnd, links);
    ASSERT_FALSE(r) << field;
    EXPECT_EQ(r.error().kind, ErrorKind::not_found) << field;
    EXPECT_EQ(r.error().field, field);
    auto t = link_titles(*conn, links);
    ASSERT_FALSE(t) << field;
    EXPECT_EQ(t.error().kind, ErrorKind::not_found) << field;
  }
}

TEST_P(DraftTest, LinkTitles) {
  int64_t activity = scalar("SELECT id FROM activities WHERE title LIKE 'Diễn đàn%'");
  int64_t campaign = scalar("SELECT id FROM campaigns WHERE name LIKE 'Quỹ Phòng%'");
  int64_t forum = scalar("SELECT id FROM idea_forums LIMIT 1");
  int64_t cycle = scalar("SELECT id FROM produce_cycles ORDER BY opens_at LIMIT 1");
  auto t = link_titles(*conn, Links{activity, campaign, forum, cycle});
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->activity, "Diễn đàn \"Tuổi trẻ chi đoàn Văn phòng UBND tỉnh với Ý tưởng sáng tạo trẻ\"");
  EXPECT_EQ(t->campaign, "Quỹ Phòng, chống dịch COVID-19 (cùng cơ quan Văn phòng UBND tỉnh)");
  EXPECT_EQ(t->forum, "Tuổi trẻ chi đoàn Văn phòng UBND tỉnh với Ý tưởng sáng tạo trẻ");
  EXPECT_EQ(t->produce_cycle, "Xoài Đạ Tẻh — đợt 1");
  auto some = link_titles(*conn, Links{std::nullopt, campaign, std::nullopt, std::nullopt});
  ASSERT_TRUE(some);
  EXPECT_TRUE(some->activity.empty());
  EXPECT_TRUE(some->forum.empty());
  EXPECT_TRUE(some->produce_cycle.empty());
  EXPECT_FALSE(some->campaign.empty());
}

CHIDOAN_INSTANTIATE_DB_TEST(DraftTest);

}  // namespace
}  // namespace chidoan::news
