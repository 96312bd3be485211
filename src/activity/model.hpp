// Activities (hoạt động), sign-ups, attendance, volunteer hours, study campaigns: plain types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace chidoan::activity {

// A kind of activity; data, not code (the committee may add its own).
struct ActivityType {
  int64_t id = 0;
  std::string code;   // meeting, study, volunteer, blood_drive, social_work, youth_month, forum, movement, other
  std::string name;
  std::string name_en;
  bool expects_all = false;
};

// Hoạt động: organised by an org of any level; branches take part in it.
struct Activity {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string org_name;
  int64_t type_id = 0;
  std::string type_code;
  std::string type_name;
  std::string title;
  std::string description;
  std::string place;
  std::string starts_at;  // local time "YYYY-MM-DDTHH:MM"
  std::string ends_at;
  std::optional<int64_t> capacity;
  std::string signup_opens_at;   // "" = open from creation
  std::string signup_closes_at;  // "" = until the start
  bool expects_all = false;      // every member of the taking-part branches is expected
  bool attendance_taken = false;
  std::string qr_secret;
  std::string date() const { return starts_at.substr(0, 10); }
};

// Validated input for a new activity or an edit.
struct ActivityInput {
  int64_t type_id = 0;
  std::string title, description, place;
  std::string starts_at, ends_at;
  std::optional<int64_t> capacity;
  std::string signup_opens_at, signup_closes_at;
  std::optional<bool> expects_all;  // default: the type's
};

struct Signup {
  int64_t member_id = 0;
  std::string member_name;
  std::string status;  // confirmed | waitlisted | cancelled
  int64_t created_at = 0;
};

// One member's attendance at one activity (present | excused | absent) and hours.
struct Attendance {
  int64_t activity_id = 0;
  int64_t member_id = 0;
  std::string member_name;
  int64_t branch_id = 0;
  std::optional<int64_t> unit_id;
  std::string on_date;
  std::string status;
  std::optional<int64_t> check_in_at, check_out_at;
  int64_t minutes = 0;
  std::string hours_state = "none";  // none | checked | claimed | approved | rejected
};

// A member expected at an activity, with the branch and unit they belonged to that day.
struct Expected {
  int64_t member_id = 0;
  std::string name;
  int64_t branch_id = 0;
  std::optional<int64_t> unit_id;
};

struct StudyCompletion {
  int64_t activity_id = 0;
  int64_t member_id = 0;
  std::string completed_on;
  std::string mode;  // in_person | online
  std::string certificate_no;
};

// Attendance counts of one member (or unit, or branch) over a period.
struct Tally {
  int64_t present = 0, excused = 0, absent = 0;
  int64_t minutes = 0;  // approved or checked volunteer time
};

}  // namespace chidoan::activity
