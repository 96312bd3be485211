#include "activity/dues_rules.hpp"

#include <gtest/gtest.h>

namespace chidoan::activity::dues {
namespace {

Month M(int y, unsigned m) { return Month::of(y, m); }
Month P(const char* s) { return *parse_month(s); }

std::vector<Rate> nq07() {
  return {Rate{1, Category::salaried, 5000, M(2010, 1), std::nullopt, ""}, Rate{2, Category::unsalaried, 2000, M(2010, 1), std::nullopt, ""}};
}

// A member of branch 7 since `since`.
MemberLedger member_since(const std::string& since, int64_t branch = 7) {
  MemberLedger l;
  l.member_id = 1;
  l.stays.push_back(Stay{branch, since, ""});
  return l;
}

TEST(DuesMonths, ParseFormatAndArithmetic) {
  EXPECT_EQ(to_string(P("2021-03")), "2021-03");
  EXPECT_EQ(format_month(P("2021-03")), "03/2021");
  for (const char* bad : {"2021-13", "2021-00", "2021-1", "21-01", "2021/01", "2021-01-01", "", "abcd-ef", "1899-12"})
    EXPECT_FALSE(parse_month(bad)) << bad;
  EXPECT_EQ(P("2021-12") + 1, P("2022-01"));
  EXPECT_EQ(P("2021-01") - 1, P("2020-12"));
  EXPECT_EQ(P("2022-01") - P("2021-03"), 10);
  EXPECT_EQ(months_in(P("2021-01"), P("2021-12")), 12);
  EXPECT_EQ(months_in(P("2021-05"), P("2021-05")), 1);
  EXPECT_EQ(months_in(P("2021-05"), P("2021-04")), 0);
  EXPECT_EQ(month_of(Date{std::chrono::year{2021}, std::chrono::month{4}, std::chrono::day{30}}), P("2021-04"));
  EXPECT_EQ(first_day(P("2021-02")), "2021-02-01");
  EXPECT_LT(P("2020-12"), P("2021-01"));
}

TEST(DuesRates, LookupAcrossAChangeDate) {
  std::vector<Rate> rates = {Rate{1, Category::salaried, 5000, M(2010, 1), M(2025, 12), ""},
                             Rate{2, Category::salaried, 8000, M(2026, 1), std::nullopt, ""},
                             Rate{3, Category::unsalaried, 2000, M(2010, 1), std::nullopt, ""}};
  EXPECT_EQ(rate_for(rates, Category::salaried, M(2025, 12)), 5000);
  EXPECT_EQ(rate_for(rates, Category::salaried, M(2026, 1)), 8000);
  EXPECT_EQ(rate_for(rates, Category::unsalaried, M(2030, 6)), 2000);
  EXPECT_FALSE(rate_for(rates, Category::salaried, M(2009, 12)));
  // A payment over the change pays each month at its own rate.
  MemberLedger l = member_since("2020-01-01");
  auto c = charges(l, 7, M(2025, 11), M(2026, 2), rates, M(2025, 11));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(total(*c), 5000 + 5000 + 8000 + 8000);
}

TEST(DuesRates, ANewRateSucceedsTheOpenOneOrIsRefused) {
  auto rates = nq07();
  // Successor: closes the 2010 rate at 2025-12.
  auto ok = check_new_rate(rates, RateInput{Category::salaried, 8000, M(2026, 1), std::nullopt, ""}, M(2025, 6));
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->close_id, 1);
  EXPECT_EQ(ok->close_to, M(2025, 12));
  // Starting with (or before) the rate in force: an overlap.
  auto same = check_new_rate(rates, RateInput{Category::salaried, 6000, M(2010, 1), std::nullopt, ""}, M(2009, 1));
  ASSERT_FALSE(same);
  EXPECT_EQ(same.error().field, "valid_from");
  EXPECT_EQ(same.error().kind, ErrorKind::conflict);
  // Backdated: refused, payments were made at the old rate.
  auto past = check_new_rate(rates, RateInput{Category::salaried, 6000, M(2021, 1), std::nullopt, ""}, M(2022, 1));
  ASSERT_FALSE(past);
  EXPECT_EQ(past.error().field, "valid_from");
  // Overlapping a closed range.
  std::vector<Rate> closed = {Rate{1, Category::salaried, 5000, M(2010, 1), M(2025, 12), ""}, Rate{2, Category::salaried, 8000, M(2026, 1), M(2026, 12), ""}};
  auto over = check_new_rate(closed, RateInput{Category::salaried, 9000, M(2026, 6), std::nullopt, ""}, M(2026, 1));
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().field, "valid_from");
  // The other category is independent; bad amounts and ranges name their field.
  EXPECT_TRUE(check_new_rate(closed, RateInput{Category::unsalaried, 3000, M(2027, 1), std::nullopt, ""}, M(2026, 1)));
  EXPECT_EQ(check_new_rate(rates, RateInput{Category::salaried, 0, M(2027, 1), std::nullopt, ""}, M(2026, 1)).error().field, "amount");
  EXPECT_EQ(check_new_rate(rates, RateInput{Category::salaried, 7000, M(2027, 1), M(2026, 1), ""}, M(2026, 1)).error().field, "valid_to");
}

TEST(DuesCategories, DefaultIsSalariedAndChangesAreDated) {
  std::vector<CategoryChange> none;
  EXPECT_EQ(category_on(none, M(2021, 1)), Category::salaried);
  std::vector<CategoryChange> ch = {{M(2021, 6), Category::unsalaried}, {M(2022, 1), Category::salaried}};
  EXPECT_EQ(category_on(ch, M(2021, 5)), Category::salaried);
  EXPECT_EQ(category_on(ch, M(2021, 6)), Category::unsalaried);
  EXPECT_EQ(category_on(ch, M(2021, 12)), Category::unsalaried);
  EXPECT_EQ(category_on(ch, M(2022, 3)), Category::salaried);
  MemberLedger l = member_since("2021-01-01");
  l.categories = ch;
  auto c = charges(l, 7, M(2021, 1), M(2021, 12), nq07(), M(2021, 1));
  ASSERT_TRUE(c);
  EXPECT_EQ(total(*c), 5 * 5000 + 7 * 2000);
}

TEST(DuesMembership, TheBranchOfAMonth) {
  // Admitted mid-October 2020 into A (3), moved to B (7) on 1 April 2021, then to C (9) on 15 June.
  std::vector<Stay> stays = {{3, "2020-10-12", "2021-04-01"}, {7, "2021-04-01", "2021-06-15"}, {9, "2021-06-15", ""}};
  EXPECT_EQ(branch_of_month(stays, M(2020, 9)), std::nullopt);
  EXPECT_EQ(branch_of_month(stays, M(2020, 10)), 3);  // arrival during the month
  EXPECT_EQ(branch_of_month(stays, M(2021, 3)), 3);
  EXPECT_EQ(branch_of_month(stays, M(2021, 4)), 7);
  EXPECT_EQ(branch_of_month(stays, M(2021, 6)), 7);   // the stay on the first day
  EXPECT_EQ(branch_of_month(stays, M(2021, 7)), 9);
  MemberLedger l;
  l.stays = stays;
  EXPECT_TRUE(check_membership(l, 7, M(2021, 4), M(2021, 6)));
  EXPECT_EQ(check_membership(l, 7, M(2021, 3), M(2021, 4)).error().field, "from_month");
  EXPECT_EQ(check_membership(l, 7, M(2021, 5), M(2021, 7)).error().field, "to_month");
  EXPECT_EQ(check_membership(l, 42, M(2021, 5), M(2021, 5)).error().field, "member_id");
}

TEST(DuesMembership, TheBranchThatRecordsACategory) {
  std::vector<Stay> stays = {{3, "2020-10-12", "2021-04-01"}, {7, "2021-04-01", "2021-06-15"}};
  EXPECT_EQ(category_branch(stays, M(2021, 5)), 7);
  EXPECT_EQ(category_branch(stays, M(2021, 2)), 3);
  EXPECT_EQ(category_branch(stays, M(2020, 1)), 3);  // before the first stay: its branch
  EXPECT_EQ(category_branch(stays, M(2021, 9)), 7);  // after the last: its branch
  EXPECT_EQ(category_branch({}, M(2021, 9)), std::nullopt);
}

TEST(DuesPayments, TheArticlesBranchYear) {
  // 23 salaried members × 5,000 VND × 12 months.
  auto rates = nq07();
  int64_t collected = 0;
  for (int i = 0; i < 23; ++i) {
    MemberLedger l = member_since("2021-01-01");
    auto c = charges(l, 7, M(2021, 1), M(2021, 12), rates, M(2021, 1));
    ASSERT_TRUE(c);
    EXPECT_EQ(c->size(), 12u);
    collected += total(*c);
  }
  EXPECT_EQ(collected, 23 * 5000 * 12);
  Split s = split(collected);
  EXPECT_EQ(s.keep, collected - collected / 3);
  EXPECT_EQ(s.keep * 3, collected * 2);  // 1,380,000 divides by 3: exactly 2/3 kept
  EXPECT_EQ(s.remit + s.keep, collected);
  EXPECT_EQ(s.remit, collected / 3);
}

TEST(DuesPayments, RefusalsNameTheField) {
  auto rates = nq07();
  MemberLedger l = member_since("2021-04-01");
  Month now = M(2022, 1);
  struct Case {
    const char* name;
    Month from, to;
    const char* field;
  };
  l.paid[M(2021, 6)] = 5000;
  for (const Case& c : {Case{"before joining", M(2021, 3), M(2021, 5), "from_month"},
                        Case{"already paid", M(2021, 5), M(2021, 7), "from_month"},
                        Case{"13 months ahead", M(2022, 2), M(2023, 2), "to_month"},
                        Case{"end before start", M(2021, 9), M(2021, 8), "to_month"}}) {
    auto r = charges(l, 7, c.from, c.to, rates, now);
    ASSERT_FALSE(r) << c.name;
    EXPECT_EQ(r.error().field, c.field) << c.name;
    EXPECT_FALSE(r.error().message.empty());
  }
  EXPECT_EQ(charges(l, 99, M(2021, 7), M(2021, 7), rates, now).error().field, "member_id");
  // Exactly 12 months ahead is accepted.
  EXPECT_TRUE(charges(l, 7, M(2022, 1), M(2023, 1), rates, now));
  // No rate before 2010.
  MemberLedger old = member_since("2008-01-01");
  EXPECT_EQ(charges(old, 7, M(2009, 12), M(2010, 1), rates, now).error().field, "from_month");
  // The entered amount must equal the computed one.
  EXPECT_TRUE(check_amount(std::nullopt, 15000));
  EXPECT_TRUE(check_amount(15000, 15000));
  EXPECT_EQ(check_amount(14000, 15000).error().field, "amount");
}

TEST(DuesPayments, ExemptMonthsCostNothing) {
  MemberLedger l = member_since("2021-01-01");
  l.exempt = {M(2021, 3), M(2021, 4)};
  auto c = charges(l, 7, M(2021, 1), M(2021, 6), nq07(), M(2021, 1));
  ASSERT_TRUE(c);
  EXPECT_EQ(total(*c), 4 * 5000);
  auto all = charges(l, 7, M(2021, 3), M(2021, 4), nq07(), M(2021, 1));
  ASSERT_FALSE(all);
  EXPECT_EQ(all.error().field, "from_month");
}

TEST(DuesExemptions, AtMostSixMonthsAYear) {
  MemberLedger l = member_since("2020-01-01");
  Month now = M(2021, 1);
  EXPECT_TRUE(check_exemption(l, 7, M(2021, 1), M(2021, 6), now));
  EXPECT_EQ(check_exemption(l, 7, M(2021, 1), M(2021, 7), now).error().field, "to_month");
  // Across a year end each year counts apart: 3 in 2020 and 6 in 2021.
  EXPECT_TRUE(check_exemption(l, 7, M(2020, 10), M(2021, 6), now));
  l.exempt = {M(2021, 2), M(2021, 3), M(2021, 4), M(2021, 5)};
  EXPECT_TRUE(check_exemption(l, 7, M(2021, 8), M(2021, 9), now));
  auto third = check_exemption(l, 7, M(2021, 8), M(2021, 10), now);
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().field, "to_month");
  EXPECT_NE(third.error().message.find("6"), std::string::npos);
  auto overlap = check_exemption(l, 7, M(2021, 1), M(2021, 2), now);
  EXPECT_EQ(overlap.error().field, "from_month");
  l.paid[M(2021, 11)] = 5000;
  EXPECT_EQ(check_exemption(l, 7, M(2021, 11), M(2021, 11), now).error().field, "from_month");
  EXPECT_EQ(check_exemption(l, 7, M(2019, 12), M(2020, 1), now).error().field, "from_month");
  EXPECT_EQ(check_exemption(l, 7, M(2022, 1), M(2022, 2), now).error().field, "to_month");
}

TEST(DuesRemittance, OneThirdRoundedDown) {
  struct Case {
    int64_t collected, remit, keep;
  };
  for (const Case& c : {Case{0, 0, 0}, Case{1, 0, 1}, Case{2, 0, 2}, Case{3, 1, 2}, Case{5000, 1666, 3334}, Case{7000, 2333, 4667},
                        Case{115000, 38333, 76667}, Case{1380000, 460000, 920000}, Case{-5000, 0, -5000}}) {
    Split s = split(c.collected);
    EXPECT_EQ(s.remit, c.remit) << c.collected;
    EXPECT_EQ(s.keep, c.keep) << c.collected;
  }
  // Monthly remittances of 23 × 5,000 round 12 times; a yearly one once.
  EXPECT_EQ(split(115000).remit * 12, 459996);
  EXPECT_EQ(split(115000 * 12).remit, 460000);
  EXPECT_TRUE(check_remittance_range(M(2021, 1), M(2021, 3), M(2021, 4)));
  EXPECT_EQ(check_remittance_range(M(2021, 3), M(2021, 1), M(2021, 4)).error().field, "to_month");
  EXPECT_EQ(check_remittance_range(M(2021, 11), M(2022, 1), M(2022, 4)).error().field, "to_month");
  EXPECT_EQ(check_remittance_range(M(2021, 4), M(2021, 5), M(2021, 4)).error().field, "to_month");
}

TEST(DuesBook, StatesArrearsAndFigures) {
  auto rates = nq07();
  Month now = M(2021, 8);
  MemberLedger a = member_since("2021-04-01");  // salaried, pays April–June, exempt July
  for (unsigned m : {4u, 5u, 6u}) a.paid[M(2021, m)] = 5000;
  a.exempt = {M(2021, 7)};
  MemberLedger b = member_since("2021-01-01");  // unsalaried, paid nothing
  b.member_id = 2;
  b.categories = {{M(2020, 1), Category::unsalaried}};
  EXPECT_EQ(state_of(a, 7, M(2021, 3), now), MonthState::none);
  EXPECT_EQ(state_of(a, 7, M(2021, 4), now), MonthState::paid);
  EXPECT_EQ(state_of(a, 7, M(2021, 7), now), MonthState::exempt);
  EXPECT_EQ(state_of(a, 7, M(2021, 8), now), MonthState::due);
  EXPECT_EQ(state_of(a, 7, M(2021, 9), now), MonthState::upcoming);
  EXPECT_TRUE(arrears(a, 7, M(2021, 1), M(2021, 12), now).empty());
  EXPECT_EQ(arrears(b, 7, M(2021, 1), M(2021, 12), now).size(), 7u);  // January to July

  Book book;
  book.year = 2021;
  book.current = now;
  book.rows = {book_row(a, 7, 2021, rates, now), book_row(b, 7, 2021, rates, now)};
  EXPECT_EQ(book.rows[0].paid, 15000);
  EXPECT_EQ(book.rows[1].category, Category::unsalaried);
  EXPECT_EQ(book.rows[1].arrears_amount, 7 * 2000);
  book.remittances = {Remittance{1, 7, 3, M(2021, 4), M(2021, 6), 15000, 5000, "2021-07-01", "", 0, std::nullopt}};
  book_figures(book, {{M(2021, 4), 15000}, {M(2021, 8), 4000}});
  ASSERT_EQ(book.months.size(), 12u);
  const auto& apr = book.months[3];
  EXPECT_EQ(apr.expected, 5000 + 2000);
  EXPECT_EQ(apr.paid, 5000);
  EXPECT_EQ(apr.arrears, 2000);
  EXPECT_EQ(apr.collected, 15000);
  EXPECT_EQ(apr.share_up, 5000);
  EXPECT_EQ(apr.kept, 10000);
  EXPECT_TRUE(apr.remitted);
  EXPECT_EQ(book.months[6].exempted, 5000);
  EXPECT_EQ(book.months[6].expected, 2000);
  EXPECT_EQ(book.totals.expected, 9 * 5000 - 5000 + 12 * 2000);  // April–December less July; all year unsalaried
  EXPECT_EQ(book.totals.paid, 15000);
  EXPECT_EQ(book.totals.collected, 19000);
  EXPECT_EQ(book.totals.share_up, 6333);
  EXPECT_EQ(book.totals.kept, 12667);
  EXPECT_EQ(book.totals.remitted, 5000);
  EXPECT_EQ(book.totals.to_remit, 1333);  // August's 4,000 is not remitted yet
  EXPECT_EQ(book.totals.arrears, 7 * 2000);
}

TEST(DuesParse, FormsAndJsonFields) {
  Date today{std::chrono::year{2022}, std::chrono::month{1}, std::chrono::day{15}};
  auto ok = parse_payment({{"member_id", "12"}, {"from_month", "01/2021"}, {"to_month", "2021-03"}, {"amount", "15.000"}}, today);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->from, M(2021, 1));
  EXPECT_EQ(ok->amount, 15000);
  EXPECT_EQ(ok->paid_on, "2022-01-15");
  EXPECT_EQ(parse_payment({{"from_month", "2021-01"}}, today).error().field, "member_id");
  EXPECT_EQ(parse_payment({{"member_id", "x"}, {"from_month", "2021-01"}}, today).error().field, "member_id");
  EXPECT_EQ(parse_payment({{"member_id", "1"}, {"from_month", "2021-13"}}, today).error().field, "from_month");
  EXPECT_EQ(parse_payment({{"member_id", "1"}, {"from_month", "2021-03"}, {"to_month", "2021-01"}}, today).error().field, "to_month");
  EXPECT_EQ(parse_payment({{"member_id", "1"}, {"from_month", "2021-03"}, {"amount", "-5000"}}, today).error().field, "amount");
  // A decimal part is refused, not read as a hundred times the amount.
  for (const char* bad : {"15000.00", "15.000,00", "1.5", "15.00"})
    EXPECT_EQ(parse_payment({{"member_id", "1"}, {"from_month", "2021-03"}, {"amount", bad}}, today).error().field, "amount") << bad;
  EXPECT_EQ(parse_payment({{"member_id", "1"}, {"from_month", "2021-03"}, {"amount", "15,000"}}, today)->amount, 15000);
  EXPECT_EQ(parse_payment({{"member_id", "1"}, {"from_month", "2021-03"}, {"paid_on", "2022-01-16"}}, today).error().field, "paid_on");
  EXPECT_EQ(parse_payment({{"member_id", "1"}, {"from_month", "2021-03"}, {"paid_on", "2021-02-30"}}, today).error().field, "paid_on");
  EXPECT_EQ(parse_reversal({}, today).error().field, "reason");
  EXPECT_EQ(parse_exemption({{"member_id", "1"}, {"from_month", "2021-03"}}).error().field, "reason");
  EXPECT_EQ(parse_category_change({{"member_id", "1"}, {"category", "rich"}, {"valid_from", "2021-03"}}).error().field, "category");
  EXPECT_EQ(parse_rate({{"category", "salaried"}, {"valid_from", "2026-01"}}).error().field, "amount");
  auto rem = parse_remittance({{"from_month", "2021-04"}}, today);
  ASSERT_TRUE(rem);
  EXPECT_EQ(rem->to, M(2021, 4));
}

}  // namespace
}  // namespace chidoan::activity::dues
