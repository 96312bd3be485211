#include "gen/names.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "platform/text/text.hpp"

namespace chidoan::gen {
namespace {

TEST(Names, FamilyNamesFollowTheirWeights) {
  std::mt19937_64 rng(7);
  std::map<std::string_view, int> seen;
  const int n = 200000;
  for (int i = 0; i < n; ++i) ++seen[family_names().draw(rng)];
  uint64_t total = 0;
  for (const auto& w : family_names().items()) total += w.weight;
  for (std::string_view name : {"Nguyễn", "Trần", "Lê", "Phạm", "Lý"}) {
    uint32_t weight = 0;
    for (const auto& w : family_names().items())
      if (w.text == name) weight = w.weight;
    const double expected = static_cast<double>(weight) / static_cast<double>(total);
    EXPECT_NEAR(static_cast<double>(seen[name]) / n, expected, 0.01) << name;
  }
  EXPECT_GT(seen["Nguyễn"], seen["Trần"] * 3);
  EXPECT_EQ(seen.size(), family_names().items().size());  // every name turns up
}

TEST(Names, MiddleAndGivenNamesGoWithSex) {
  std::mt19937_64 rng(11);
  int women = 0, thi = 0, men_thi = 0, van = 0, women_van = 0;
  std::set<std::string> given_f, given_m;
  for (int i = 0; i < 20000; ++i) {
    PersonName p = draw_person(rng);
    (p.female ? given_f : given_m).insert(p.given);
    if (p.female) {
      ++women;
      thi += p.middle.starts_with("Thị");
      women_van += p.middle == "Văn";
    } else {
      men_thi += p.middle.starts_with("Thị");
      van += p.middle == "Văn";
    }
  }
  EXPECT_NEAR(women / 20000.0, 0.5, 0.02);
  EXPECT_GT(thi, women / 3);
  EXPECT_EQ(men_thi, 0);
  EXPECT_EQ(women_van, 0);
  EXPECT_GT(van, (20000 - women) / 5);
  EXPECT_TRUE(given_f.contains("Trang"));
  EXPECT_FALSE(given_f.contains("Dũng"));
  EXPECT_TRUE(given_m.contains("Dũng"));
}

TEST(Names, TheSameSeedGivesTheSameNames) {
  std::mt19937_64 a(2021), b(2021), c(2022);
  std::string sa, sb, sc;
  for (int i = 0; i < 50; ++i) {
    sa += draw_person(a).full() + ";";
    sb += draw_person(b).full() + ";";
    sc += draw_person(c).full() + ";";
  }
  EXPECT_EQ(sa, sb);
  EXPECT_NE(sa, sc);
}

TEST(Names, FullNameAndKeys) {
  PersonName p{"Nguyễn", "Thị Thu", "Trang", true};
  EXPECT_EQ(p.full(), "Nguyễn Thị Thu Trang");
  PersonName q{"Lê", "", "Anh", false};
  EXPECT_EQ(q.full(), "Lê Anh");
  NameKeys keys;
  const auto& k = keys.of(p);
  EXPECT_EQ(k.search_text, text::search_fold("Nguyễn Thị Thu Trang"));
  EXPECT_EQ(k.sort_key, text::name_sort_key("Nguyễn", "Thị Thu", "Trang"));
  EXPECT_EQ(&keys.of(p), &k);  // memoised
  EXPECT_NE(keys.of(q).sort_key, k.sort_key);
}

TEST(Names, SixtyThreeProvinces) {
  auto all = provinces();
  ASSERT_EQ(all.size(), 63u);
  std::set<std::string_view> names;
  int cities = 0;
  for (const auto& p : all) {
    names.insert(p.name);
    cities += p.city;
  }
  EXPECT_EQ(names.size(), 63u);
  EXPECT_EQ(cities, 5);
  EXPECT_EQ(all[45].name, "Lâm Đồng");  // gen.cpp takes index 45 for a single province
}

}  // namespace
}  // namespace chidoan::gen
