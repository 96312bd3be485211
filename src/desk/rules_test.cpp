// Pure rules of the roster: clock times and months, the shifts of a template in a month, weeks
// in local time, the 24-hour drop rule and the minutes of a duty.
#include "desk/rules.hpp"

#include <gtest/gtest.h>

#include "platform/core/date.hpp"

namespace chidoan::desk::rules {
namespace {

TEST(DeskRules, ClockTimesAndMonths) {
  EXPECT_EQ(*clock_minutes("07:30", "f"), 450);
  EXPECT_EQ(*clock_minutes("24:00", "f"), 1440);
  for (const char* bad : {"7:30", "07:60", "25:00", "24:01", "ab:cd", ""}) EXPECT_EQ(clock_minutes(bad, "f").error().field, "f") << bad;
  EXPECT_TRUE(check_month("2021-11"));
  for (const char* bad : {"2021-13", "2021-1", "21-11", "2021/11", "2021-11-01"}) EXPECT_FALSE(check_month(bad)) << bad;
  EXPECT_EQ(add_months("2021-11", 1), "2021-12");
  EXPECT_EQ(add_months("2021-12", 1), "2022-01");
  EXPECT_EQ(add_months("2022-01", -1), "2021-12");
  EXPECT_EQ(add_months("2022-01", -13), "2020-12");
}

TEST(DeskRules, ATemplateMakesOneShiftPerListedWeekdayInLocalTime) {
  Template t;
  t.name = "Sáng";
  t.weekdays = "12345";
  t.start_time = "07:30";
  t.end_time = "11:30";
  auto nov = shift_times(t, "2021-11");
  ASSERT_EQ(nov.size(), 22u);  // November 2021: 22 weekdays
  EXPECT_EQ(nov.front().on_date, "2021-11-01");
  EXPECT_EQ(nov.front().starts_at, unix_of_local("2021-11-01T07:30"));
  EXPECT_EQ(nov.front().ends_at - nov.front().starts_at, 4 * 3600);
  EXPECT_EQ(nov.back().on_date, "2021-11-30");
  t.weekdays = "7";
  EXPECT_EQ(shift_times(t, "2021-11").size(), 4u);
}

TEST(DeskRules, WeeksRunMondayToSundayInVietnam) {
  int64_t sunday_late = unix_of_local("2021-11-07T23:30"), monday_early = unix_of_local("2021-11-08T00:30");
  EXPECT_EQ(local_week(monday_early), local_week(sunday_late) + 1);
  EXPECT_EQ(local_week(unix_of_local("2021-11-01T07:30")), local_week(sunday_late));
  EXPECT_EQ(local_day(unix_of_local("2021-11-08T00:00")), local_day(unix_of_local("2021-11-07T23:59")) + 1);
}

TEST(DeskRules, TemplateValidation) {
  Template t;
  t.id = 1;
  t.counter_id = 5;
  t.name = "Sáng";
  t.weekdays = "135";
  t.start_time = "07:30";
  t.end_time = "11:30";
  t.min_staff = 1;
  t.max_staff = 2;
  EXPECT_TRUE(check_template(t, {}));
  Template other = t;
  other.id = 2;
  other.name = "Chiều";
  other.weekdays = "5";
  other.start_time = "11:00";
  other.end_time = "12:00";
  auto clash = check_template(t, {other});
  ASSERT_FALSE(clash);
  EXPECT_NE(clash.error().message.find("thứ Sáu"), std::string::npos) << clash.error().message;
  other.start_time = "11:30";  // touching is not overlapping
  EXPECT_TRUE(check_template(t, {other}));
  other.counter_id = 6;
  other.start_time = "11:00";
  EXPECT_TRUE(check_template(t, {other}));  // another counter
  Template bad = t;
  bad.weekdays = "113";
  EXPECT_EQ(check_template(bad, {}).error().field, "weekdays");
  bad = t;
  bad.min_staff = 3;
  EXPECT_EQ(check_template(bad, {}).error().field, "min_staff");
  bad = t;
  bad.min_staff = -1;
  EXPECT_EQ(check_template(bad, {}).error().field, "min_staff");
}

TEST(DeskRules, DropsWithin24HoursAndDutyMinutes) {
  Shift s;
  s.starts_at = unix_of_local("2021-11-10T07:30");
  s.ends_at = unix_of_local("2021-11-10T11:30");
  EXPECT_FALSE(drop_needs_coordinator(s, s.starts_at - 24 * 3600 - 60));
  EXPECT_TRUE(drop_needs_coordinator(s, s.starts_at - 24 * 3600));
  EXPECT_TRUE(drop_needs_coordinator(s, s.starts_at - 3600));
  EXPECT_EQ(*duty_minutes(s, s.starts_at, s.ends_at), 240);
  EXPECT_EQ(*duty_minutes(s, s.starts_at - 3 * 3600, s.ends_at + 5 * 3600), 360);  // credited from 1 h before to 1 h after
  auto backwards = duty_minutes(s, s.starts_at + 600, s.starts_at);
  ASSERT_FALSE(backwards);
  EXPECT_EQ(backwards.error().field, "check_out_at");
  EXPECT_FALSE(check_check_in(s, s.starts_at - 2 * 3600));
  EXPECT_TRUE(check_check_in(s, s.starts_at - 30 * 60));
  EXPECT_FALSE(check_check_in(s, s.ends_at + 60));
}

}  // namespace
}  // namespace chidoan::desk::rules
