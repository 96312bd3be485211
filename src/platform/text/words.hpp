// Numbers and dates written out in Vietnamese words, as on invoices, receipts and Union
// documents ("Bằng chữ: Một trăm ba mươi triệu đồng"; "ngày 02 tháng 11 năm 2021").
// Pure functions, no ICU state: safe from any thread.
//
// The reading follows the form used on Vietnamese invoices (hóa đơn GTGT):
//   - groups of three digits, scale words nghìn (10^3), triệu (10^6), tỷ (10^9); above that the
//     scales repeat on tỷ: 10^12 "nghìn tỷ", 10^15 "triệu tỷ", 10^18 "tỷ tỷ";
//   - a group after the first is read in full, with "không trăm" when its hundreds digit is 0:
//     1.001.000 -> "một triệu không trăm linh một nghìn"; all-zero groups are skipped;
//   - a tens digit 0 between hundreds and units is "linh" (northern/official; the south says
//     "lẻ"): 105 -> "một trăm linh năm";
//   - units after a tens word: 1 -> "mốt" after "mươi" (21 "hai mươi mốt") but "một" after
//     "mười" (11 "mười một"); 5 -> "lăm" after "mười"/"mươi" (15 "mười lăm", 25 "hai mươi lăm"),
//     "năm" elsewhere; 4 -> "tư" after "mươi" (24 "hai mươi tư", the invoice form) but "bốn"
//     after "mười" (14 "mười bốn") and "linh" (104 "một trăm linh bốn");
//   - no commas between groups.
#pragma once

#include <cstdint>
#include <string>
#include <vector>
#include <string_view>

namespace chidoan::text {

// Lower case, no trailing unit: 0 -> "không", 21 -> "hai mươi mốt", -5 -> "âm năm",
// 1001000 -> "một triệu không trăm linh một nghìn". Exact over the whole int64 range.
std::string number_in_words(int64_t n);

// The amount line of a receipt: first letter capitalised, ending in " đồng":
// 130000000 -> "Một trăm ba mươi triệu đồng", 0 -> "Không đồng", -500 -> "Âm năm trăm đồng".
std::string vnd_in_words(int64_t vnd);

// First code point upper-cased (the Vietnamese letters this module produces, plus ASCII).
std::string capitalize_first(std::string_view utf8);

// ISO "YYYY-MM-DD" -> "ngày 02 tháng 11 năm 2021", the dateline of an administrative document.
// Per Decree 30/2020/NĐ-CP, days below 10 and months 1 and 2 take a leading zero, other months
// do not: "ngày 05 tháng 02 năm 2021", "ngày 15 tháng 3 năm 2021". Lower case (it follows a
// place name: "Đà Lạt, ngày ..."); capitalize_first() for a line of its own. An input that is
// not a valid ISO date is returned unchanged.
std::string date_in_words(std::string_view iso);

// A round figure for a headline: the amount in its largest unit (nghìn, triệu, tỷ), rounded down
// to whole units (to tenths below ten units), with "hơn" when that drops anything:
// 130.000.000 -> "130 triệu đồng", 130.800.000 -> "hơn 130 triệu đồng",
// 2.500.000 -> "2,5 triệu đồng", 2.530.000 -> "hơn 2,5 triệu đồng", 950 -> "950 đồng".
std::string money_phrase(int64_t vnd);
// Straight double quotes in pairs become “ ” (an odd count is left as it is).
std::string curly(const std::string& s);
// "a, b và c": the parts with `sep` between them and `last_sep` before the last.
std::string join(const std::vector<std::string>& parts, const std::string& sep, const std::string& last_sep);

}  // namespace chidoan::text
