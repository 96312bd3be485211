#include "platform/text/words.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace chidoan::text {
namespace {

TEST(NumberInWords, Digits) {
  const std::vector<std::string> expected = {"không", "một", "hai", "ba",  "bốn",
                                             "năm",   "sáu", "bảy", "tám", "chín"};
  for (int64_t n = 0; n < 10; ++n) EXPECT_EQ(number_in_words(n), expected[n]) << n;
}

TEST(NumberInWords, Tens) {
  const std::vector<std::pair<int64_t, std::string>> cases = {
      {10, "mười"},          {11, "mười một"},       {14, "mười bốn"},
      {15, "mười lăm"},      {19, "mười chín"},      {20, "hai mươi"},
      {21, "hai mươi mốt"},  {24, "hai mươi tư"},    {25, "hai mươi lăm"},
      {27, "hai mươi bảy"},  {30, "ba mươi"},        {31, "ba mươi mốt"},
      {44, "bốn mươi tư"},   {45, "bốn mươi lăm"},   {50, "năm mươi"},
      {55, "năm mươi lăm"},  {61, "sáu mươi mốt"},   {74, "bảy mươi tư"},
      {88, "tám mươi tám"},  {99, "chín mươi chín"}, {91, "chín mươi mốt"},
  };
  for (const auto& [n, words] : cases) EXPECT_EQ(number_in_words(n), words) << n;
}

TEST(NumberInWords, Hundreds) {
  const std::vector<std::pair<int64_t, std::string>> cases = {
      {100, "một trăm"},
      {101, "một trăm linh một"},
      {104, "một trăm linh bốn"},
      {105, "một trăm linh năm"},
      {110, "một trăm mười"},
      {111, "một trăm mười một"},
      {115, "một trăm mười lăm"},
      {121, "một trăm hai mươi mốt"},
      {124, "một trăm hai mươi tư"},
      {125, "một trăm hai mươi lăm"},
      {200, "hai trăm"},
      {305, "ba trăm linh năm"},
      {450, "bốn trăm năm mươi"},
      {555, "năm trăm năm mươi lăm"},
      {999, "chín trăm chín mươi chín"},
  };
  for (const auto& [n, words] : cases) EXPECT_EQ(number_in_words(n), words) << n;
}

TEST(NumberInWords, Thousands) {
  const std::vector<std::pair<int64_t, std::string>> cases = {
      {1000, "một nghìn"},
      {1001, "một nghìn không trăm linh một"},
      {1005, "một nghìn không trăm linh năm"},
      {1010, "một nghìn không trăm mười"},
      {1015, "một nghìn không trăm mười lăm"},
      {1021, "một nghìn không trăm hai mươi mốt"},
      {1100, "một nghìn một trăm"},
      {2021, "hai nghìn không trăm hai mươi mốt"},
      {5000, "năm nghìn"},
      {10000, "mười nghìn"},
      {15000, "mười lăm nghìn"},
      {21000, "hai mươi mốt nghìn"},
      {25500, "hai mươi lăm nghìn năm trăm"},
      {100000, "một trăm nghìn"},
      {105000, "một trăm linh năm nghìn"},
      {110000, "một trăm mười nghìn"},
      {999999, "chín trăm chín mươi chín nghìn chín trăm chín mươi chín"},
  };
  for (const auto& [n, words] : cases) EXPECT_EQ(number_in_words(n), words) << n;
}

TEST(NumberInWords, Millions) {
  const std::vector<std::pair<int64_t, std::string>> cases = {
      {1000000, "một triệu"},
      {1000001, "một triệu không trăm linh một"},
      {1000050, "một triệu không trăm năm mươi"},
      {1001000, "một triệu không trăm linh một nghìn"},
      {1010000, "một triệu không trăm mười nghìn"},
      {1100000, "một triệu một trăm nghìn"},
      {1380000, "một triệu ba trăm tám mươi nghìn"},
      {1000500, "một triệu năm trăm"},
      {2500000, "hai triệu năm trăm nghìn"},
      {15000000, "mười lăm triệu"},
      {21000000, "hai mươi mốt triệu"},
      {130000000, "một trăm ba mươi triệu"},
      {132450000, "một trăm ba mươi hai triệu bốn trăm năm mươi nghìn"},
      {999999999, "chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn chín trăm chín "
                  "mươi chín"},
  };
  for (const auto& [n, words] : cases) EXPECT_EQ(number_in_words(n), words) << n;
}

TEST(NumberInWords, BillionsAndAbove) {
  const std::vector<std::pair<int64_t, std::string>> cases = {
      {1000000000, "một tỷ"},
      {1000000001, "một tỷ không trăm linh một"},
      {1000005000, "một tỷ không trăm linh năm nghìn"},
      {1001000000, "một tỷ không trăm linh một triệu"},
      {1250000000, "một tỷ hai trăm năm mươi triệu"},
      {21000000000, "hai mươi mốt tỷ"},
      {105000000000, "một trăm linh năm tỷ"},
      {1000000000000, "một nghìn tỷ"},
      {1500000000000, "một nghìn năm trăm tỷ"},
      {1000000000001, "một nghìn tỷ không trăm linh một"},
      {1001000000000, "một nghìn không trăm linh một tỷ"},
      {123456789012345, "một trăm hai mươi ba nghìn bốn trăm năm mươi sáu tỷ bảy trăm tám mươi "
                        "chín triệu không trăm mười hai nghìn ba trăm bốn mươi lăm"},
      {1000000000000000, "một triệu tỷ"},
      {999999999999999, "chín trăm chín mươi chín nghìn chín trăm chín mươi chín tỷ chín trăm "
                        "chín mươi chín triệu chín trăm chín mươi chín nghìn chín trăm chín "
                        "mươi chín"},
      {1000000000000000000, "một tỷ tỷ"},
  };
  for (const auto& [n, words] : cases) EXPECT_EQ(number_in_words(n), words) << n;
}

TEST(NumberInWords, Negative) {
  EXPECT_EQ(number_in_words(-1), "âm một");
  EXPECT_EQ(number_in_words(-25), "âm hai mươi lăm");
  EXPECT_EQ(number_in_words(-1001000), "âm một triệu không trăm linh một nghìn");
  const std::string max_words =
      "chín tỷ hai trăm hai mươi ba triệu ba trăm bảy mươi hai nghìn không trăm ba mươi sáu tỷ "
      "tám trăm năm mươi tư triệu bảy trăm bảy mươi lăm nghìn tám trăm linh ";
  EXPECT_EQ(number_in_words(std::numeric_limits<int64_t>::max()), max_words + "bảy");
  EXPECT_EQ(number_in_words(std::numeric_limits<int64_t>::min()), "âm " + max_words + "tám");
}

// Properties over every number below 2,000,000: the words never contain a form that no
// invoice uses, and reading them back gives the number.
int64_t parse_words(const std::string& words) {
  const std::vector<std::string> digits = {"không", "một", "hai", "ba",  "bốn",
                                           "năm",   "sáu", "bảy", "tám", "chín"};
  int64_t total = 0, group = 0, current = 0;
  size_t pos = 0;
  while (pos < words.size()) {
    size_t end = words.find(' ', pos);
    if (end == std::string::npos) end = words.size();
    const std::string w = words.substr(pos, end - pos);
    pos = end + 1;
    int digit = -1;
    for (size_t k = 0; k < digits.size(); ++k)
      if (digits[k] == w) digit = static_cast<int>(k);
    if (w == "mốt") digit = 1;
    if (w == "tư") digit = 4;
    if (w == "lăm") digit = 5;
    if (digit >= 0) {
      current += digit;
    } else if (w == "mười") {
      current += 10;
    } else if (w == "mươi") {
      current = (current % 10) * 10 + current / 10 * 10;  // the digit said before is the tens
    } else if (w == "trăm") {
      group += current * 100;
      current = 0;
    } else if (w == "linh") {
    } else if (w == "nghìn") {
      total += (group + current) * 1000;
      group = current = 0;
    } else if (w == "triệu") {
      total += (group + current) * 1000000;
      group = current = 0;
    } else {
      ADD_FAILURE() << "unknown word " << w << " in " << words;
    }
  }
  return total + group + current;
}

TEST(NumberInWords, RoundTripAndForms) {
  for (int64_t n = 0; n < 2'000'000; n += (n < 20'000 ? 1 : 7)) {
    const std::string w = number_in_words(n);
    ASSERT_EQ(parse_words(w), n) << w;
    ASSERT_EQ(w.find("  "), std::string::npos) << n;
    ASSERT_EQ(w.find("mười mốt"), std::string::npos) << n;
    ASSERT_EQ(w.find("mười tư"), std::string::npos) << n;
    ASSERT_EQ(w.find("mươi một"), std::string::npos) << n;
    ASSERT_EQ(w.find("mươi bốn"), std::string::npos) << n;
    ASSERT_EQ(w.find("mươi năm"), std::string::npos) << n;
    ASSERT_EQ(w.find("mười năm"), std::string::npos) << n;
    ASSERT_EQ(w.find("linh lăm"), std::string::npos) << n;
    ASSERT_EQ(w.find("một mươi"), std::string::npos) << n;
    if (n != 0) {
      ASSERT_EQ(w.rfind("không", 0), std::string::npos) << n;
    }
    ASSERT_NE(w.back(), ' ') << n;
  }
}

TEST(VndInWords, Amounts) {
  const std::vector<std::pair<int64_t, std::string>> cases = {
      {0, "Không đồng"},
      {1, "Một đồng"},
      {500, "Năm trăm đồng"},
      {21000, "Hai mươi mốt nghìn đồng"},
      {105000, "Một trăm linh năm nghìn đồng"},
      {1380000, "Một triệu ba trăm tám mươi nghìn đồng"},
      {1001000, "Một triệu không trăm linh một nghìn đồng"},
      {130000000, "Một trăm ba mươi triệu đồng"},
      {5000000000, "Năm tỷ đồng"},
      {1000000000000000, "Một triệu tỷ đồng"},
      {-500, "Âm năm trăm đồng"},
  };
  for (const auto& [n, words] : cases) EXPECT_EQ(vnd_in_words(n), words) << n;
}

TEST(CapitalizeFirst, VietnameseLetters) {
  EXPECT_EQ(capitalize_first(""), "");
  EXPECT_EQ(capitalize_first("một"), "Một");
  EXPECT_EQ(capitalize_first("âm"), "Âm");
  EXPECT_EQ(capitalize_first("đồng"), "Đồng");
  EXPECT_EQ(capitalize_first("ăn"), "Ăn");
  EXPECT_EQ(capitalize_first("ơn"), "Ơn");
  EXPECT_EQ(capitalize_first("ưu"), "Ưu");
  EXPECT_EQ(capitalize_first("ấm"), "Ấm");
  EXPECT_EQ(capitalize_first("ỹ"), "Ỹ");
  EXPECT_EQ(capitalize_first("Ấm"), "Ấm");
  EXPECT_EQ(capitalize_first("1 ngày"), "1 ngày");
}

TEST(DateInWords, Decree30Form) {
  EXPECT_EQ(date_in_words("2021-11-02"), "ngày 02 tháng 11 năm 2021");
  EXPECT_EQ(date_in_words("2021-02-05"), "ngày 05 tháng 02 năm 2021");
  EXPECT_EQ(date_in_words("2021-01-31"), "ngày 31 tháng 01 năm 2021");
  EXPECT_EQ(date_in_words("2021-03-15"), "ngày 15 tháng 3 năm 2021");
  EXPECT_EQ(date_in_words("2021-12-31"), "ngày 31 tháng 12 năm 2021");
  EXPECT_EQ(capitalize_first(date_in_words("2021-11-02")), "Ngày 02 tháng 11 năm 2021");
  EXPECT_EQ(date_in_words("2021-02-30"), "2021-02-30");
  EXPECT_EQ(date_in_words("02/11/2021"), "02/11/2021");
  EXPECT_EQ(date_in_words(""), "");
}

TEST(Words, MoneyPhrasesQuotesAndLists) {
  EXPECT_EQ(money_phrase(130000000), "130 triệu đồng");
  EXPECT_EQ(money_phrase(130800000), "hơn 130 triệu đồng");
  EXPECT_EQ(money_phrase(2500000), "2,5 triệu đồng");
  EXPECT_EQ(money_phrase(2530000), "hơn 2,5 triệu đồng");
  EXPECT_EQ(money_phrase(950), "950 đồng");
  EXPECT_EQ(money_phrase(1200000000), "1,2 tỷ đồng");
  EXPECT_EQ(curly("Diễn đàn \"Tuổi trẻ\""), "Diễn đàn \u201CTuổi trẻ\u201D");
  EXPECT_EQ(curly("một \" lẻ"), "một \" lẻ");
  EXPECT_EQ(join({"a", "b", "c"}, ", ", " và "), "a, b và c");
  EXPECT_EQ(join({"a"}, ", ", " và "), "a");
}

}  // namespace
}  // namespace chidoan::text
