// Pure rules of the dossier KPI (chỉ tiêu hồ sơ trực tuyến, docs/desk.md "Dossier KPI"): reading
// and checking a month's figures and a year's target, the rates, the distance to the target, a
// year's summary, and the center's monthly CSV. No database, no clock.
//
// Rates are kept in basis points of ten thousand (4764 = 47,64% = 0.4764), rounded half up, so
// the page, the API and the bundle test agree to the last digit:
//   rate          = online ÷ received, online = level 3 + level 4 + toàn trình + một phần (a month
//                   is reported in the scheme of its time: levels 3/4 under Decree 43/2011,
//                   classes toàn trình/một phần after Decree 42/2022) — the article's rate;
//   national rate = toàn trình ÷ settled, the current national metric, when settled > 0 and the
//                   figures are reported by class (toàn trình + một phần > 0);
//   gap           = rate − target, in basis points (1764 = 17,64 percentage points).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "desk/model.hpp"
#include "platform/core/date.hpp"
#include "platform/core/fields.hpp"
#include "platform/core/result.hpp"
#include "platform/tabular/tabular.hpp"

namespace chidoan::desk::kpi {

// Per month and column: far above what a province's center handles in a year (~10^5).
inline constexpr int64_t kMaxCount = 100'000'000;
inline constexpr int kMinYear = 2000, kMaxYear = 2100;

// The figure columns of a month, in the order of the CSV and the forms.
inline constexpr const char* kCountFields[] = {"received", "settled", "online_level3", "online_level4",
                                               "online_full", "online_partial", "assisted"};

// A year's target of the online rate (chỉ tiêu), e.g. 3000 = 30% "Văn phòng Chính phủ".
struct Target {
  int year = 0;
  int64_t bp = 0;
  std::string source;
};

// A count typed by a person or read from a CSV cell: digits, optionally grouped by thousands with
// '.', ' ' or NBSP ("47.416", "47 416"). Empty is 0 unless `required`. Negative, fractional or
// anything else: invalid on `field`.
Result<int64_t> parse_count(std::string_view text, const std::string& field, bool required = false);

// A month as people write it: "2021-01", "01/2021", "1/2021", "T1/2021"; a bare "1".."12" (or
// "T1", "Tháng 1") only with `year`. Gives "YYYY-MM". Within `year` when it is given.
Result<std::string> parse_month(std::string_view text, std::optional<int> year, const std::string& field = "month");

// A month's figures: the month "YYYY-MM" (within `year` when given), every count 0..kMaxCount,
// online (the four columns) ≤ received (invalid on "received"), assisted ≤ received; reported in
// one scheme, levels or classes, not both (the same dossiers counted twice; invalid on
// "online_full"); toàn trình ≤ settled when settled is reported.
Result<void> check_figures(const KpiMonth& m, std::optional<int> year = std::nullopt);
// The month is not after `today`'s: figures are reported for months that have begun.
Result<void> check_not_ahead(const KpiMonth& m, Date today);

// The figures from named text fields (a form, a JSON body): month, received, settled,
// online_level3, online_level4, online_full, online_partial, assisted; then check_figures.
Result<KpiMonth> figures_from(const RawFields& fields, std::optional<int> year);

// A percent typed by a person: "30", "30,5", "30.5", "30 %" -> 3050 basis points. From 0 to
// 100 with at most two decimals; invalid on `field` otherwise.
Result<int64_t> parse_percent(std::string_view text, const std::string& field = "target");
// A year kMinYear..kMaxYear ("year").
Result<int> check_year(int64_t year, const std::string& field = "year");
// Year, 0 ≤ bp ≤ 10000 ("target"), source at most 200 bytes ("source").
Result<void> check_target(const Target& t);

// num ÷ den in basis points, rounded half up; none when den is 0.
std::optional<int64_t> ratio_bp(int64_t num, int64_t den);
// 4764 -> 0.4764 (the API's number).
double fraction(int64_t bp);
// 4764 -> "47,64%".
std::string percent_vn(int64_t bp);
// A target as people write it, without trailing zeros: 3000 -> "30%", 3050 -> "30,5%".
std::string target_vn(int64_t bp);
// 1764 -> "+17,64", -250 -> "-2,50" (percentage points), 0 -> "0,00".
std::string points_vn(int64_t bp);

struct Rates {
  std::optional<int64_t> rate_bp;      // online ÷ received
  std::optional<int64_t> national_bp;  // toàn trình ÷ settled (reported by class, settled > 0)
  std::optional<int64_t> gap_bp;       // rate − target, when both are known
  bool meets = false;                  // rate ≥ target
};
Rates rates_of(const KpiMonth& m, std::optional<int64_t> target_bp);

// A year: the months reported (sorted), their sum (month = "YYYY") and the rates of each.
struct YearSummary {
  int year = 0;
  std::optional<int64_t> target_bp;
  KpiMonth total;
  Rates rates;
  std::vector<KpiMonth> months;
  std::vector<Rates> month_rates;  // same order as months
};
YearSummary summarize(int year, std::vector<KpiMonth> months, std::optional<int64_t> target_bp);

// The target of several centers seen as one (an org's): none when no center has one; the common
// one when they agree; otherwise each center's target weighted by its received dossiers of the
// year (the rate reached if every center met its own target exactly), or their plain mean when
// nothing was received. Pairs are {target_bp, received}.
std::optional<int64_t> combined_target(const std::vector<std::pair<int64_t, int64_t>>& centers);

// The center's monthly CSV (or XLSX) as months. Columns by header, in any order: month,
// received (required), settled, online_level3, online_level4, online_full, online_partial,
// assisted; Vietnamese headers are accepted too (csv_header_help()). Rows whose month cell
// reads "Tổng", "Tổng cộng", "Cộng" or "Total" are skipped. The whole table is checked: the
// first bad row gives invalid on "file" with its line and column in the message
// ("Dòng 5, cột online_level3: …"); a month twice, an unknown or repeated column, a missing
// required column, no month at all are errors too.
Result<std::vector<KpiMonth>> months_from_table(const tabular::Table& t, std::optional<int> year);
// The accepted headers of each column, for the page and the docs.
std::vector<std::pair<std::string, std::vector<std::string>>> csv_header_help();

}  // namespace chidoan::desk::kpi
