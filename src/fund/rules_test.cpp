#include "fund/rules.hpp"

#include <gtest/gtest.h>

namespace chidoan::fund::rules {
namespace {

Date today() { return *parse_date("2021-12-31"); }

TEST(FundRules, VndIsAWholePositiveNumberUpToTenToTheFifteen) {
  EXPECT_EQ(*parse_vnd("130.000.000", "a"), 130000000);
  EXPECT_EQ(*parse_vnd("130 000 000", "a"), 130000000);
  EXPECT_EQ(*parse_vnd("1000000000000000", "a"), kMaxVnd);
  EXPECT_EQ(*parse_vnd("130,000,000", "a"), 130000000);
  EXPECT_EQ(*parse_vnd(" 500000 ", "a"), 500000);
  // A decimal part or a group that is not three digits is refused, not read as 100 or 10 times
  // the amount.
  for (const char* bad : {"-5", "0", "1,5", "1e6", "", "abc", "1000000000000001", "99999999999999999999", "200000.00",
                          "1.5", "500.00", "1.000,000", "\u2212" "5"}) {
    auto r = parse_vnd(bad, "amount_vnd");
    EXPECT_FALSE(r) << bad;
    if (!r) {
      EXPECT_EQ(r.error().field, "amount_vnd");
    }
  }
  EXPECT_EQ(*parse_vnd("0", "v", true), 0);
}

TEST(FundRules, QuantitiesInThousandths) {
  EXPECT_EQ(*parse_quantity("2,5", "q"), 2500);
  EXPECT_EQ(*parse_quantity("50", "q"), 50000);
  EXPECT_EQ(*parse_quantity("0,125", "q"), 125);
  // As the pages print it: '.' between thousands, ',' before the decimals.
  EXPECT_EQ(*parse_quantity("5.000", "q"), 5000000);
  EXPECT_EQ(*parse_quantity("1.234,5", "q"), 1234500);
  EXPECT_EQ(*parse_quantity(" 12 ", "q"), 12000);
  for (const char* bad : {"0", "-1", "1.2345", "", "x", "1..2", "0.125", "2.5", "1,2345", "1,", ",5", "1,2,3", "5.00"}) {
    auto r = parse_quantity(bad, "q");
    EXPECT_FALSE(r) << bad;
    if (!r) {
      EXPECT_EQ(r.error().field, "q");
    }
  }
  EXPECT_EQ(format_quantity(2500), "2,5");
  EXPECT_EQ(format_quantity(5000000), "5.000");
  // What a page prints reads back as the same quantity.
  for (int64_t q : {int64_t{1}, int64_t{2500}, int64_t{5000000}, int64_t{1234567891}, int64_t{999999999999999}})
    EXPECT_EQ(*parse_quantity(format_quantity(q), "q"), q) << q;
  EXPECT_EQ(format_quantity(-125), "-0,125");
}

RawFields money() { return {{"kind", "money"}, {"amount_vnd", "500000"}, {"contributor_kind", "agency"}, {"contributor_name", "Văn phòng UBND tỉnh"}, {"on_date", "2021-08-10"}}; }

TEST(FundRules, ContributionsNameTheFieldAtFault) {
  EXPECT_TRUE(validate_contribution(money(), today()));
  struct Case {
    const char* field;
    const char* value;
    const char* expected_field;
  } cases[] = {{"amount_vnd", "-1", "amount_vnd"},   {"amount_vnd", "0", "amount_vnd"},         {"amount_vnd", "12,5", "amount_vnd"},
               {"kind", "gold", "kind"},              {"method", "bitcoin", "method"},           {"contributor_kind", "alien", "contributor_kind"},
               {"contributor_name", "", "contributor_name"}, {"on_date", "2022-01-01", "on_date"}, {"on_date", "2021-02-30", "on_date"}};
  for (const auto& c : cases) {
    auto raw = money();
    raw[c.field] = c.value;
    auto r = validate_contribution(raw, today());
    ASSERT_FALSE(r) << c.field << "=" << c.value;
    EXPECT_EQ(r.error().field, c.expected_field) << c.value;
  }
  RawFields rice{{"kind", "in_kind"}, {"item", "Gạo"}, {"quantity", "500"}, {"unit", "kg"}, {"value_vnd", "7.500.000"}};
  auto ok = validate_contribution(rice, today());
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->quantity_milli, 500000);
  EXPECT_EQ(ok->method, "in_kind");
  EXPECT_EQ(ok->contributor_kind, "anonymous");
  rice.erase("quantity");
  EXPECT_EQ(validate_contribution(rice, today()).error().field, "quantity");
  rice["quantity"] = "5";
  rice.erase("unit");
  EXPECT_EQ(validate_contribution(rice, today()).error().field, "unit");
  RawFields member{{"amount_vnd", "100000"}, {"contributor_kind", "member"}};
  EXPECT_EQ(validate_contribution(member, today()).error().field, "member_id");
}

TEST(FundRules, CampaignsTakeContributionsWhileOpenInTheirRounds) {
  Campaign c;
  c.name = "Quỹ phòng, chống dịch COVID-19";
  c.starts_on = "2021-07-01";
  c.rounds = {{1, "Đợt 1", "2021-07-01", ""}, {2, "Đợt 2", "2021-08-15", ""}};
  ContributionInput in;
  in.on_date = "2021-08-20";
  in.round_no = 2;
  EXPECT_TRUE(check_campaign(c, in));
  in.round_no = 3;
  EXPECT_EQ(check_campaign(c, in).error().field, "round_no");
  in.round_no.reset();
  EXPECT_EQ(check_campaign(c, in).error().field, "round_no");
  in.round_no = 1;
  in.on_date = "2021-06-30";
  EXPECT_EQ(check_campaign(c, in).error().field, "on_date");
  in.on_date = "2021-08-20";
  c.status = "closed";
  EXPECT_EQ(check_campaign(c, in).error().kind, ErrorKind::conflict);
}

TEST(FundRules, ReversalsOnceAndNeverOfAReceipt) {
  Contribution e;
  e.id = 7;
  e.kind = "money";
  e.amount_vnd = 500000;
  e.contributor_kind = "anonymous";
  e.method = "cash";
  e.on_date = "2021-08-10";
  auto r = reversal_of(e, "2021-09-01", "Ghi nhầm số tiền", today());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->amount_vnd, -500000);
  EXPECT_EQ(r->on_date, "2021-09-01");
  EXPECT_EQ(reversal_of(e, "", "x", today())->on_date, "2021-12-31");  // empty: today
  // The date: a real day, not in the future, not before the line it corrects.
  for (const char* bad : {"abc", "2021-02-30", "2022-01-01", "2021-08-09"})
    EXPECT_EQ(reversal_of(e, bad, "x", today()).error().field, "on_date") << bad;
  EXPECT_EQ(reversal_of(e, "2021-09-01", "", today()).error().field, "reason");
  e.reversed_by = 8;
  EXPECT_EQ(reversal_of(e, "2021-09-01", "x", today()).error().kind, ErrorKind::conflict);
  e.reversed_by.reset();
  e.receipt_no = 3;
  EXPECT_EQ(reversal_of(e, "2021-09-01", "x", today()).error().kind, ErrorKind::conflict);
  e.receipt_no.reset();
  e.reverses_id = 2;
  EXPECT_EQ(reversal_of(e, "2021-09-01", "x", today()).error().kind, ErrorKind::conflict);
}

TEST(FundRules, AnOutflowIsReversedOnceWithTheOppositeAmounts) {
  Outflow o;
  o.id = 4;
  o.campaign_id = 2;
  o.round_no = 1;
  o.kind = "in_kind";
  o.item = "Gạo";
  o.quantity_milli = 500'000;
  o.unit = "kg";
  o.value_vnd = 7'500'000;
  o.description = "Hỗ trợ gạo";
  o.recipients = "120 hộ cách ly";
  o.on_date = "2021-08-10";
  o.recorded_by = "Phan Văn Sang";
  auto r = outflow_reversal_of(o, "2021-09-01", "Ghi trùng", today());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->quantity_milli, -500'000);
  EXPECT_EQ(r->value_vnd, -7'500'000);
  EXPECT_EQ(r->amount_vnd, 0);
  EXPECT_EQ(r->reverses_id, 4);
  EXPECT_EQ(r->round_no, 1);
  EXPECT_EQ(r->item, "Gạo");
  EXPECT_EQ(r->recipients, "120 hộ cách ly");
  EXPECT_EQ(r->description, "Ghi trùng");
  EXPECT_EQ(r->on_date, "2021-09-01");
  EXPECT_EQ(outflow_reversal_of(o, "", "x", today())->on_date, "2021-12-31");  // empty: today
  for (const char* bad : {"abc", "2021-02-30", "2022-01-01", "2021-08-09"})
    EXPECT_EQ(outflow_reversal_of(o, bad, "x", today()).error().field, "on_date") << bad;
  EXPECT_EQ(outflow_reversal_of(o, "2021-09-01", "", today()).error().field, "reason");
  o.reversed_by = 5;
  EXPECT_EQ(outflow_reversal_of(o, "2021-09-01", "x", today()).error().kind, ErrorKind::conflict);
  o.reversed_by.reset();
  o.reverses_id = 3;
  EXPECT_EQ(outflow_reversal_of(o, "2021-09-01", "x", today()).error().kind, ErrorKind::conflict);
}

}  // namespace
}  // namespace chidoan::fund::rules
