#include <cstdio>
#include <gtest/gtest.h>

#include <mutex>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "platform/core/date.hpp"
#include "platform/core/fair_mutex.hpp"
#include "platform/core/hash.hpp"
#include "platform/core/json_writer.hpp"

namespace chidoan {
namespace {

TEST(Fnv1a, TheStandardVectorsAndFieldsThatDoNotRunTogether) {
  // The published FNV-1a 64 test vectors.
  EXPECT_EQ(Fnv1a().value(), 0xcbf29ce484222325ull);
  EXPECT_EQ(Fnv1a().add("a").value(), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(Fnv1a().add("foobar").value(), 0x85944171f73967e8ull);
  EXPECT_EQ(Fnv1a().add("foo").add("bar").value(), Fnv1a().add("foobar").value());
  EXPECT_NE(Fnv1a().field("ab").field("c").value(), Fnv1a().field("a").field("bc").value());
}

TEST(JsonWriter, EscapesAndNestsLikeAParserExpects) {
  JsonWriter w;
  std::string nasty = "Đức \"Q\" \\ \n\t\x01 <script>";
  w.begin_object().field("s", nasty).field("n", int64_t{-9007199254740993}).field("b", true).key("z").null();
  w.key("a").begin_array().value(int64_t{1}).begin_object().end_object().begin_array().end_array().value("x").end_array();
  w.field("o", std::optional<int64_t>()).end_object();
  auto j = nlohmann::json::parse(w.str());
  EXPECT_EQ(j["s"], nasty);
  EXPECT_EQ(j["n"].get<int64_t>(), -9007199254740993);
  EXPECT_TRUE(j["z"].is_null());
  EXPECT_EQ(j["a"].size(), 4u);
  EXPECT_TRUE(j["o"].is_null());
  EXPECT_EQ(w.str().find('\x01'), std::string::npos);
}

TEST(Dates, YearSpanIsTheCalendarYear) {
  auto [from, to] = year_span(2021);
  EXPECT_EQ(from, "2021-01-01");
  EXPECT_EQ(to, "2021-12-31");
  EXPECT_TRUE(parse_date(year_span(2024).to));
}

TEST(Dates, StrictIsoAndCalendar) {
  EXPECT_TRUE(parse_date("2000-02-29"));
  EXPECT_FALSE(parse_date("2001-02-29"));
  EXPECT_FALSE(parse_date("2000-02-31"));
  EXPECT_FALSE(parse_date("2000-2-01"));
  EXPECT_FALSE(parse_date("31/02/2000"));
  EXPECT_FALSE(parse_date("2000-01-01x"));
  EXPECT_EQ(to_iso(*parse_date("2021-11-02")), "2021-11-02");
  EXPECT_EQ(age_on(*parse_date("1990-08-14"), *parse_date("2020-08-13")), 29);
  EXPECT_EQ(age_on(*parse_date("1990-08-14"), *parse_date("2020-08-14")), 30);
  EXPECT_EQ(to_iso(add_years(*parse_date("2000-02-29"), 1)), "2001-02-28");
}

TEST(Dates, IsoFormIsPrintfsOverTheWholeCalendar) {
  // to_iso formats by hand; every 13th day from year 1 to 9999 against printf, and the dates
  // that are not days (month 13, day 40), which fall back to printf.
  auto reference = [](Date d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                  static_cast<unsigned>(d.day()));
    return std::string(buf);
  };
  const auto first = std::chrono::sys_days{std::chrono::year{1} / 1 / 1};
  const auto last = std::chrono::sys_days{std::chrono::year{9999} / 12 / 31};
  int checked = 0;
  for (auto day = first; day <= last; day += std::chrono::days(13), ++checked) {
    Date d{day};
    ASSERT_EQ(to_iso(d), reference(d));
  }
  EXPECT_GT(checked, 280000);
  EXPECT_EQ(to_iso(Date{std::chrono::sys_days{std::chrono::year{9999} / 12 / 31}}), "9999-12-31");
  EXPECT_EQ(to_iso(Date{std::chrono::year{2021}, std::chrono::month{13}, std::chrono::day{40}}), "2021-13-40");
  EXPECT_EQ(to_iso(Date{std::chrono::year{12345}, std::chrono::month{1}, std::chrono::day{2}}), "12345-01-02");
}

TEST(Dates, TodayIsVietnamTime) {
  // 2021-12-31 18:00 UTC is already 1 January in Vietnam (UTC+7).
  FixedClock c{std::chrono::sys_days{std::chrono::year{2021} / 12 / 31} + std::chrono::hours(18)};
  EXPECT_EQ(to_iso(today(c)), "2022-01-01");
}

TEST(FairMutex, WaitersGetTheLockInArrivalOrder) {
  FairMutex m;
  std::vector<int> order;
  std::vector<std::thread> threads;
  m.lock();
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      std::lock_guard l(m);
      order.push_back(i);
    });
    while (m.waiting() < static_cast<size_t>(i + 1)) std::this_thread::yield();  // queued before the next starts
  }
  m.unlock();
  for (auto& t : threads) t.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(m.waiting(), 0u);
  EXPECT_TRUE(m.try_lock());
  EXPECT_FALSE(m.try_lock());
  m.unlock();
}

TEST(FairMutex, ExcludesUnderContention) {
  FairMutex m;
  long counter = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 20000; ++i) {
        std::lock_guard l(m);
        ++counter;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(counter, 8 * 20000);
  EXPECT_EQ(&keyed_fair_mutex("a", 1), &keyed_fair_mutex("a", 1));
  EXPECT_NE(&keyed_fair_mutex("a", 1), &keyed_fair_mutex("a", 2));
}

}  // namespace
}  // namespace chidoan
