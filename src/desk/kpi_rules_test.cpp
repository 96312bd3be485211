// The dossier KPI's pure rules: counts, months, targets, rates rounded to the basis point, the
// distance to the target, the year's summary and the center's monthly CSV.
#include "desk/kpi_rules.hpp"

#include <gtest/gtest.h>

namespace chidoan::desk::kpi {
namespace {

KpiMonth month(const char* m, int64_t received, int64_t l3, int64_t l4, int64_t settled = 0, int64_t full = 0, int64_t assisted = 0) {
  KpiMonth k;
  k.month = m;
  k.received = received;
  k.online_level3 = l3;
  k.online_level4 = l4;
  k.settled = settled;
  k.online_full = full;
  k.assisted = assisted;
  return k;
}

std::string field_of(const Result<void>& r) { return r ? "" : r.error().field; }
template <typename T>
std::string field_of(const Result<T>& r) {
  return r ? "" : r.error().field;
}

TEST(DeskKpiRules, CountsAreWholeNonNegativeNumbersInVietnameseStyle) {
  EXPECT_EQ(*parse_count("8123", "received"), 8123);
  EXPECT_EQ(*parse_count(" 47.416 ", "received"), 47416);
  EXPECT_EQ(*parse_count("1 234 567", "received"), 1234567);
  EXPECT_EQ(*parse_count("47\xC2\xA0" "416", "received"), 47416);
  EXPECT_EQ(*parse_count("", "settled"), 0);
  EXPECT_EQ(*parse_count("0", "settled"), 0);
  EXPECT_EQ(field_of(parse_count("", "received", true)), "received");
  for (const char* bad : {"-5", "−5", "1,5", "1.5", "12.34.567", "1.2345", "abc", "5e3", "1.234 567", "."}) {
    auto r = parse_count(bad, "online_level3");
    EXPECT_FALSE(r) << bad;
    EXPECT_EQ(field_of(r), "online_level3") << bad;
  }
  EXPECT_NE(parse_count("-5", "online_level3").error().message.find("không được âm"), std::string::npos);
  EXPECT_FALSE(parse_count("100000001", "received"));
  EXPECT_FALSE(parse_count("99999999999999999999", "received"));
}

TEST(DeskKpiRules, MonthsAsPeopleWriteThem) {
  EXPECT_EQ(*parse_month("2021-01", std::nullopt), "2021-01");
  EXPECT_EQ(*parse_month("1/2021", std::nullopt), "2021-01");
  EXPECT_EQ(*parse_month("11/2021", 2021), "2021-11");
  EXPECT_EQ(*parse_month("T3/2021", std::nullopt), "2021-03");
  EXPECT_EQ(*parse_month("Tháng 12/2021", std::nullopt), "2021-12");
  EXPECT_EQ(*parse_month("3", 2021), "2021-03");
  EXPECT_EQ(*parse_month("tháng 3", 2021), "2021-03");
  EXPECT_FALSE(parse_month("3", std::nullopt));  // no year to put it in
  // A month outside the year, a month that does not exist, anything else.
  auto other_year = parse_month("2022-01", 2021);
  ASSERT_FALSE(other_year);
  EXPECT_EQ(other_year.error().field, "month");
  EXPECT_NE(other_year.error().message.find("không thuộc năm 2021"), std::string::npos);
  for (const char* bad : {"2021-13", "13/2021", "0/2021", "2021-00", "13", "2021-1", "2021/01", "01-2021", "tháng", "", "1999-12"})
    EXPECT_EQ(field_of(parse_month(bad, std::nullopt)), "month") << bad;
  EXPECT_EQ(field_of(parse_month("13", 2021)), "month");
}

TEST(DeskKpiRules, AMonthsFiguresAreChecked) {
  EXPECT_TRUE(check_figures(month("2021-01", 8000, 2000, 800, 7900, 0, 150)));
  EXPECT_TRUE(check_figures(month("2021-01", 0, 0, 0)));  // a month with nothing received
  // Online (every class) above all dossiers received: named on "received".
  auto over = check_figures(month("2021-01", 1000, 600, 500));
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().field, "received");
  EXPECT_NE(over.error().message.find("1.100"), std::string::npos);
  KpiMonth with_classes = month("2023-01", 1000, 0, 0, 900, 700);
  with_classes.online_partial = 301;
  EXPECT_EQ(field_of(check_figures(with_classes)), "received");
  EXPECT_EQ(field_of(check_figures(month("2021-01", 1000, 100, 100, 0, 0, 1001))), "assisted");
  EXPECT_EQ(field_of(check_figures(month("2021-01", -1, 0, 0))), "received");
  EXPECT_EQ(field_of(check_figures(month("2021-01", 10, -1, 0))), "online_level3");
  EXPECT_EQ(field_of(check_figures(month("2021-01", 10, 0, 0, -3))), "settled");
  EXPECT_EQ(field_of(check_figures(month("2021-13", 10, 0, 0))), "month");
  EXPECT_EQ(field_of(check_figures(month("2022-01", 10, 0, 0), 2021)), "month");
  EXPECT_EQ(field_of(check_figures(month("2021-01", kMaxCount + 1, 0, 0))), "received");
}

TEST(DeskKpiRules, AMonthIsReportedInOneSchemeAndNotAhead) {
  // Levels and classes in one month count the same dossiers twice (40% would read 80%).
  KpiMonth both = month("2023-05", 1000, 300, 100, 900, 300);
  both.online_partial = 100;
  EXPECT_EQ(field_of(check_figures(both)), "online_full");
  both.online_level3 = both.online_level4 = 0;
  EXPECT_TRUE(check_figures(both));
  // Toàn trình is part of what was settled.
  EXPECT_EQ(field_of(check_figures(month("2026-03", 1000, 0, 0, 10, 500))), "online_full");
  // A month that has not begun.
  const Date today{std::chrono::year{2026} / 11 / 28};
  EXPECT_TRUE(check_not_ahead(month("2026-11", 10, 0, 0), today));
  EXPECT_EQ(field_of(check_not_ahead(month("2026-12", 10, 0, 0), today)), "month");
  EXPECT_EQ(field_of(check_not_ahead(month("2027-05", 10, 0, 0), today)), "month");
}

TEST(DeskKpiRules, FiguresFromAFormNameTheirField) {
  RawFields f{{"month", "2021-03"}, {"received", "8.512"}, {"settled", "8300"}, {"online_level3", "2.100"},
                                       {"online_level4", "1.500"}, {"assisted", "240"}};
  auto m = figures_from(f, 2021);
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->month, "2021-03");
  EXPECT_EQ(m->received, 8512);
  EXPECT_EQ(m->online(), 3600);
  EXPECT_EQ(m->online_full, 0);
  auto with = [&](const char* k, const char* v) {
    auto g = f;
    g[k] = v;
    return figures_from(g, 2021);
  };
  EXPECT_EQ(field_of(with("month", "2022-03")), "month");
  EXPECT_EQ(field_of(with("month", "")), "month");
  EXPECT_EQ(field_of(with("received", "")), "received");
  EXPECT_EQ(field_of(with("online_level4", "-1")), "online_level4");
  EXPECT_EQ(field_of(with("online_level4", "7.000")), "received");
  EXPECT_EQ(field_of(with("assisted", "nhiều")), "assisted");
}

TEST(DeskKpiRules, TargetsArePercentsUpTo100) {
  EXPECT_EQ(*parse_percent("30"), 3000);
  EXPECT_EQ(*parse_percent("30,5"), 3050);
  EXPECT_EQ(*parse_percent("30.25"), 3025);
  EXPECT_EQ(*parse_percent(" 30 % "), 3000);
  EXPECT_EQ(*parse_percent("0"), 0);
  EXPECT_EQ(*parse_percent("100"), 10000);
  for (const char* bad : {"101", "100,01", "-5", "−1", "", "%", "ba mươi", "30,125", "1000", "30,", ",5"}) {
    auto r = parse_percent(bad);
    EXPECT_FALSE(r) << bad;
    EXPECT_EQ(field_of(r), "target") << bad;
  }
  EXPECT_NE(parse_percent("101").error().message.find("100%"), std::string::npos);
  EXPECT_NE(parse_percent("-5").error().message.find("âm"), std::string::npos);
  EXPECT_TRUE(check_target({2021, 3000, "Văn phòng Chính phủ"}));
  EXPECT_EQ(field_of(check_target({2021, 10001, ""})), "target");
  EXPECT_EQ(field_of(check_target({2021, -1, ""})), "target");
  EXPECT_EQ(field_of(check_target({1999, 3000, ""})), "year");
  EXPECT_EQ(field_of(check_target({2021, 3000, std::string(201, 'x')})), "source");
}

TEST(DeskKpiRules, RatesAreRoundedHalfUpToTheBasisPoint) {
  EXPECT_EQ(ratio_bp(47416, 99537), 4764);  // 0.476365…
  EXPECT_EQ(ratio_bp(1, 3), 3333);
  EXPECT_EQ(ratio_bp(2, 3), 6667);
  EXPECT_EQ(ratio_bp(1, 20000), 1);  // 0.5 bp rounds up
  EXPECT_EQ(ratio_bp(0, 5), 0);
  EXPECT_EQ(ratio_bp(5, 0), std::nullopt);
  EXPECT_DOUBLE_EQ(fraction(4764), 0.4764);
  EXPECT_EQ(percent_vn(4764), "47,64%");
  EXPECT_EQ(percent_vn(3000), "30,00%");
  EXPECT_EQ(target_vn(3000), "30%");
  EXPECT_EQ(target_vn(3050), "30,5%");
  EXPECT_EQ(target_vn(3025), "30,25%");
  EXPECT_EQ(target_vn(10000), "100%");
  EXPECT_EQ(points_vn(1764), "+17,64");
  EXPECT_EQ(points_vn(-250), "-2,50");
  EXPECT_EQ(points_vn(0), "0,00");
}

TEST(DeskKpiRules, BothRatesAndTheDistanceToTheTarget) {
  KpiMonth m = month("2023-05", 10000, 0, 0, 9000, 4500);
  m.online_partial = 2000;
  Rates r = rates_of(m, 3000);
  EXPECT_EQ(r.rate_bp, 6500);      // (4.500 + 2.000) ÷ 10.000
  EXPECT_EQ(r.national_bp, 5000);  // 4.500 toàn trình ÷ 9.000 settled
  EXPECT_EQ(r.gap_bp, 3500);
  EXPECT_TRUE(r.meets);
  Rates below = rates_of(month("2021-01", 1000, 100, 100), 3000);
  EXPECT_EQ(below.gap_bp, -1000);
  EXPECT_FALSE(below.meets);
  EXPECT_EQ(below.national_bp, std::nullopt);  // reported by level
  KpiMonth classes = month("2023-06", 1000, 0, 0, 0, 400);
  EXPECT_EQ(rates_of(classes, 3000).national_bp, std::nullopt);  // nothing settled
  classes.settled = 800;
  classes.online_full = 0;
  classes.online_partial = 100;
  EXPECT_EQ(rates_of(classes, 3000).national_bp, 0);
  Rates none = rates_of(month("2021-01", 0, 0, 0), 3000);
  EXPECT_EQ(none.rate_bp, std::nullopt);
  EXPECT_EQ(none.gap_bp, std::nullopt);
  EXPECT_EQ(rates_of(month("2021-01", 1000, 100, 100), std::nullopt).gap_bp, std::nullopt);
}

TEST(DeskKpiRules, AYearSumsItsMonthsInOrder) {
  YearSummary y = summarize(2021, {month("2021-02", 1000, 300, 100, 950, 0, 20), month("2021-01", 2000, 500, 100, 1900, 0, 30)}, 3000);
  ASSERT_EQ(y.months.size(), 2u);
  EXPECT_EQ(y.months[0].month, "2021-01");
  EXPECT_EQ(y.month_rates[0].rate_bp, 3000);
  EXPECT_EQ(y.month_rates[1].rate_bp, 4000);
  EXPECT_EQ(y.total.month, "2021");
  EXPECT_EQ(y.total.received, 3000);
  EXPECT_EQ(y.total.online(), 1000);
  EXPECT_EQ(y.total.settled, 2850);
  EXPECT_EQ(y.total.assisted, 50);
  EXPECT_EQ(y.rates.rate_bp, 3333);
  EXPECT_EQ(y.rates.gap_bp, 333);
  EXPECT_EQ(y.rates.national_bp, std::nullopt);  // reported by level: no toàn trình figure
  // The national rate's denominator is what was settled in the months reported by class only.
  KpiMonth by_class = month("2022-09", 1000, 0, 0, 1000, 500);
  YearSummary mixed = summarize(2022, {month("2022-01", 1000, 200, 100, 1000), by_class}, std::nullopt);
  EXPECT_EQ(mixed.total.settled, 2000);
  EXPECT_EQ(mixed.rates.national_bp, 5000);  // 500 ÷ 1.000, not 500 ÷ 2.000
  KpiMonth unsettled = month("2022-10", 1000, 0, 0);  // by class, settled not reported
  unsettled.online_partial = 100;
  EXPECT_EQ(summarize(2022, {month("2022-01", 1000, 200, 100, 1000), unsettled}, std::nullopt).rates.national_bp, std::nullopt);
  YearSummary empty = summarize(2022, {}, std::nullopt);
  EXPECT_EQ(empty.rates.rate_bp, std::nullopt);
  EXPECT_TRUE(empty.months.empty());
}

TEST(DeskKpiRules, SeveralCentersShareOneTarget) {
  EXPECT_EQ(combined_target({}), std::nullopt);
  EXPECT_EQ(combined_target({{3000, 100}, {3000, 0}}), 3000);
  EXPECT_EQ(combined_target({{3000, 3000}, {5000, 1000}}), 3500);  // weighted by received
  EXPECT_EQ(combined_target({{3000, 0}, {4000, 0}}), 3500);        // nothing received: the mean
}

tabular::Table table(std::vector<std::string> header, std::vector<std::vector<std::string>> rows) {
  tabular::Table t;
  t.header = std::move(header);
  for (size_t i = 0; i < rows.size(); ++i) t.row_numbers.push_back(i + 2);
  t.rows = std::move(rows);
  return t;
}

TEST(DeskKpiRules, TheMonthlyCsvInEnglishOrVietnameseColumns) {
  auto en = months_from_table(table({"month", "received", "settled", "online_level3", "online_level4", "online_full", "online_partial", "assisted"},
                                    {{"2021-02", "6.400", "6300", "1800", "700", "", "", "120"},
                                     {"2021-01", "8000", "7900", "2000", "800", "0", "0", "150"}}),
                            2021);
  ASSERT_TRUE(en) << en.error().message;
  ASSERT_EQ(en->size(), 2u);
  EXPECT_EQ((*en)[0].month, "2021-01");  // sorted
  EXPECT_EQ((*en)[1].received, 6400);
  EXPECT_EQ((*en)[1].online(), 2500);
  EXPECT_EQ((*en)[1].assisted, 120);
  // Vietnamese headers in another order, months as 1..12 of the year, a total row skipped.
  auto vi = months_from_table(table({"Tháng", "Trực tuyến mức độ 3", "Mức độ 4", "Tiếp nhận", "Đã giải quyết", "Được hỗ trợ"},
                                    {{"1", "2.000", "800", "8.000", "7.900", "150"}, {"T2", "1.800", "700", "6.400", "6.300", "120"},
                                     {"Tổng cộng", "3.800", "1.500", "14.400", "14.200", "270"}}),
                            2021);
  ASSERT_TRUE(vi) << vi.error().message;
  ASSERT_EQ(vi->size(), 2u);
  EXPECT_EQ((*vi)[1].month, "2021-02");
  EXPECT_EQ((*vi)[0].online_level4, 800);
  EXPECT_EQ((*vi)[0].settled, 7900);
}

TEST(DeskKpiRules, ABadRowNamesItsLineAndColumn) {
  auto expect_error = [](const tabular::Table& t, const std::string& says) {
    auto r = months_from_table(t, 2021);
    ASSERT_FALSE(r) << says;
    EXPECT_EQ(r.error().kind, ErrorKind::invalid);
    EXPECT_EQ(r.error().field, "file");
    EXPECT_NE(r.error().message.find(says), std::string::npos) << r.error().message;
  };
  std::vector<std::string> h{"month", "received", "online_level3", "online_level4"};
  expect_error(table(h, {{"2021-01", "100", "10", "10"}, {"2021-02", "100", "90", "20"}}), "Dòng 3, cột received: Số hồ sơ trực tuyến");
  expect_error(table(h, {{"2021-01", "100", "-1", "10"}}), "Dòng 2, cột online_level3:");
  expect_error(table(h, {{"2022-01", "100", "1", "10"}}), "Dòng 2, cột month:");
  expect_error(table(h, {{"2021-13", "100", "1", "10"}}), "Dòng 2, cột month:");
  expect_error(table(h, {{"2021-01", "", "1", "10"}}), "Dòng 2, cột received:");
  expect_error(table(h, {{"", "100", "1", "10"}}), "Dòng 2, cột month:");
  expect_error(table(h, {{"2021-01", "100", "1", "10"}, {"1/2021", "100", "1", "10"}}), "Dòng 3, cột month: tháng 2021-01 đã có");
  expect_error(table({"month", "received", "online_level5"}, {{"2021-01", "100", "1"}}), "Cột “online_level5” không được hỗ trợ");
  expect_error(table({"month", "online_level3"}, {{"2021-01", "1"}}), "Thiếu cột received");
  expect_error(table({"Tháng", "month", "received"}, {{"1", "2021-01", "1"}}), "bị lặp");
  expect_error(table(h, {}), "không có tháng nào");
  expect_error(tabular::Table{}, "không có dữ liệu");
}

TEST(DeskKpiRules, TheHeaderHelpNamesEveryColumn) {
  auto help = csv_header_help();
  ASSERT_EQ(help.size(), 8u);
  EXPECT_EQ(help[0].first, "month");
  for (size_t i = 0; i < 7; ++i) EXPECT_EQ(help[i + 1].first, kCountFields[i]);
  // Every Vietnamese name shown is one the reader accepts.
  for (const auto& [field, names] : help)
    for (const auto& name : names) {
      tabular::Table t = table({"month", "received", name}, {{"2021-01", "10", "1"}});
      if (field == "month") t = table({name, "received"}, {{"2021-01", "10"}});
      if (field == "received") t = table({"month", name}, {{"2021-01", "10"}});
      EXPECT_TRUE(months_from_table(t, 2021)) << name;
    }
}

}  // namespace
}  // namespace chidoan::desk::kpi
