#include "activity/rules.hpp"

#include <gtest/gtest.h>

#include "platform/core/date.hpp"

#include "activity/feeds.hpp"

namespace chidoan::activity::rules {
namespace {

RawFields valid() {
  return {{"type_id", "3"}, {"title", "Ngày thứ Bảy tình nguyện"}, {"starts_at", "2021-03-27T07:00"}, {"ends_at", "2021-03-27 11:30"},
          {"capacity", "20"}, {"place", "Phường 1, Đà Lạt"}};
}

TEST(ActivityRules, ValidInputIsCanonical) {
  auto in = validate_activity(valid());
  ASSERT_TRUE(in) << in.error().message;
  EXPECT_EQ(in->ends_at, "2021-03-27T11:30");
  EXPECT_EQ(in->capacity, 20);
  EXPECT_FALSE(in->expects_all.has_value());
}

TEST(ActivityRules, BadInputNamesTheField) {
  struct Case {
    const char* field;
    const char* value;
  } cases[] = {{"title", ""},           {"type_id", ""},       {"type_id", "x"},          {"starts_at", "2021-02-30T07:00"},
               {"starts_at", "27/03/2021"}, {"ends_at", "2021-03-27T06:00"}, {"ends_at", "2021-03-27T25:00"},
               {"capacity", "0"},       {"capacity", "-3"},    {"capacity", "abc"},       {"signup_closes_at", "2021-03-28T00:00"},
               {"expects_all", "maybe"}};
  for (const auto& c : cases) {
    auto raw = valid();
    raw[c.field] = c.value;
    auto in = validate_activity(raw);
    ASSERT_FALSE(in) << c.field << "=" << c.value;
    EXPECT_EQ(in.error().field, c.field) << c.value;
  }
  auto raw = valid();
  raw["signup_opens_at"] = "2021-03-20T00:00";
  raw["signup_closes_at"] = "2021-03-10T00:00";
  EXPECT_EQ(validate_activity(raw).error().field, "signup_closes_at");
}

Activity act(const char* starts, const char* ends) {
  Activity a;
  a.starts_at = starts;
  a.ends_at = ends;
  return a;
}

TEST(ActivityRules, SignupWindowAndCapacity) {
  Activity a = act("2021-03-27T07:00", "2021-03-27T11:00");
  EXPECT_TRUE(check_signup_window(a, "2021-03-26T20:00"));
  EXPECT_EQ(check_signup_window(a, "2021-03-27T07:01").error().field, "signup");
  a.signup_opens_at = "2021-03-20T00:00";
  a.signup_closes_at = "2021-03-25T00:00";
  EXPECT_FALSE(check_signup_window(a, "2021-03-19T23:59"));
  EXPECT_FALSE(check_signup_window(a, "2021-03-25T00:01"));
  EXPECT_TRUE(check_signup_window(a, "2021-03-24T12:00"));
  EXPECT_EQ(decide_signup(a, 1000), SignupOutcome::confirmed);
  a.capacity = 2;
  EXPECT_EQ(decide_signup(a, 1), SignupOutcome::confirmed);
  EXPECT_EQ(decide_signup(a, 2), SignupOutcome::waitlisted);
}

TEST(ActivityRules, HoursAreZeroToTwentyFourPerDay) {
  Activity one = act("2021-03-27T07:00", "2021-03-27T11:00");
  EXPECT_TRUE(check_minutes(one, 0));
  EXPECT_TRUE(check_minutes(one, 24 * 60));
  EXPECT_EQ(check_minutes(one, 24 * 60 + 1).error().field, "minutes");
  EXPECT_EQ(check_minutes(one, -1).error().field, "minutes");
  Activity three = act("2021-07-01T07:00", "2021-07-03T17:00");
  EXPECT_TRUE(check_minutes(three, 60 * 60));
  EXPECT_FALSE(check_minutes(three, 72 * 60 + 1));
  // Check-in to check-out, within the activity's span only (07:00–11:00 local is 00:00–04:00 UTC).
  const int64_t start = chidoan::unix_of_local("2021-03-27T07:00");
  EXPECT_EQ(start, chidoan::unix_of_local("2021-03-27T00:00") + 7 * 3600);
  EXPECT_EQ(minutes_between(one, start + 3600, start + 3600 + 150 * 60), 150);
  EXPECT_EQ(minutes_between(one, start + 2000, start + 1000), 0);
  EXPECT_EQ(minutes_between(one, start - 86400, start + 3600), 60);        // scanned the day before
  EXPECT_EQ(minutes_between(one, start + 3600, start + 86400), 3 * 60);    // checked out the next day
  EXPECT_EQ(minutes_between(one, start + 5 * 3600, start + 6 * 3600), 0);  // both after the end
}

TEST(ActivityRules, ParticipationLeavesExcusedOut) {
  EXPECT_FALSE(participation_rate(Tally{}).has_value());
  EXPECT_FALSE(participation_rate(Tally{0, 3, 0, 0}).has_value());
  EXPECT_DOUBLE_EQ(*participation_rate(Tally{9, 5, 1, 0}), 0.9);
  EXPECT_DOUBLE_EQ(*participation_rate(Tally{0, 0, 2, 0}), 0.0);
}

TEST(ActivityRules, RemovalCandidateAfterThreeMonths) {
  EXPECT_FALSE(removal_candidate({"2021-02", "2021-02", "2021-05"}));
  EXPECT_TRUE(removal_candidate({"2021-02", "2021-05", "2021-11"}));
}

TEST(ActivityRules, QrCodeExpiresWithTheActivity) {
  Activity a = act("2021-11-02T08:00", "2021-11-02T11:00");
  a.qr_secret = "0123456789abcdef0123456789abcdef";
  EXPECT_TRUE(check_qr(a, a.qr_secret, "2021-11-02T10:59"));
  EXPECT_EQ(check_qr(a, a.qr_secret, "2021-11-02T11:01").error().field, "k");
  EXPECT_FALSE(check_qr(a, "0123456789abcdef0123456789abcdee", "2021-11-02T09:00"));
  EXPECT_FALSE(check_qr(a, "", "2021-11-02T09:00"));
}

TEST(Feeds, IcalFoldsAndEscapes) {
  Activity a = act("2021-11-02T08:00", "2021-11-02T11:30");
  a.id = 7;
  a.title = "Diễn đàn \"Tuổi trẻ chi đoàn Văn phòng UBND tỉnh với Ý tưởng sáng tạo trẻ\"; lần 1, năm 2021";
  a.place = "Hội trường A, Trung tâm hành chính tỉnh";
  a.org_name = "Chi đoàn Văn phòng UBND tỉnh";
  std::string ics = ical_feed({a}, "Lịch", 1635811200);
  EXPECT_NE(ics.find("DTSTART:20211102T010000Z\r\n"), std::string::npos);
  EXPECT_NE(ics.find("DTEND:20211102T043000Z\r\n"), std::string::npos);
  EXPECT_NE(ics.find("\\;"), std::string::npos);
  EXPECT_NE(ics.find("\\,"), std::string::npos);
  size_t start = 0;
  while (start < ics.size()) {
    size_t end = ics.find("\r\n", start);
    ASSERT_NE(end, std::string::npos);
    EXPECT_LE(end - start, 75u);
    // A continuation line never starts in the middle of a UTF-8 character.
    if (ics[start] == ' ') {
      EXPECT_NE(static_cast<unsigned char>(ics[start + 1]) & 0xC0, 0x80);
    }
    start = end + 2;
  }
}

TEST(Feeds, QrSvg) {
  std::string svg = qr_svg("https://chidoan.example/activities/7/checkin?k=0123456789abcdef");
  EXPECT_TRUE(svg.starts_with("<svg"));
  EXPECT_NE(svg.find("h1v1h-1z"), std::string::npos);
}

}  // namespace
}  // namespace chidoan::activity::rules
