#include "activity/feeds.hpp"

#include <qrencode.h>

#include <chrono>
#include <cstdio>
#include <memory>

#include "activity/rules.hpp"

namespace chidoan::activity {
namespace {

// "2021-11-02T08:00" (Vietnam) -> "20211102T010000Z".
std::string utc_stamp(int64_t unix_seconds) {
  auto tp = std::chrono::sys_seconds(std::chrono::seconds(unix_seconds));
  auto day = std::chrono::floor<std::chrono::days>(tp);
  std::chrono::year_month_day ymd(day);
  auto s = (tp - day).count();
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02u%02uT%02d%02d%02dZ", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(s / 3600), static_cast<int>(s / 60 % 60), static_cast<int>(s % 60));
  return buf;
}

std::string escape_text(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case ';': out += "\\;"; break;
      case ',': out += "\\,"; break;
      case '\n': out += "\\n"; break;
      case '\r': break;
      default: out += c;
    }
  }
  return out;
}

// Folds a content line: at most 75 octets per physical line, continuation lines start with a
// space, never inside a UTF-8 sequence.
void fold(std::string& out, const std::string& line) {
  size_t pos = 0, limit = 75;
  while (line.size() - pos > limit) {
    size_t cut = pos + limit;
    while (cut > pos && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    out.append(line, pos, cut - pos);
    out += "\r\n ";
    pos = cut;
    limit = 74;  // the leading space counts
  }
  out.append(line, pos, std::string::npos);
  out += "\r\n";
}

}  // namespace

std::string ical_calendar(const std::vector<CalendarEvent>& events, std::string_view calendar_name, int64_t stamp_unix) {
  std::string out;
  fold(out, "BEGIN:VCALENDAR");
  fold(out, "VERSION:2.0");
  fold(out, "PRODID:-//chidoan//chidoan 1//VI");
  fold(out, "CALSCALE:GREGORIAN");
  fold(out, "METHOD:PUBLISH");
  fold(out, "X-WR-CALNAME:" + escape_text(calendar_name));
  fold(out, "X-WR-TIMEZONE:Asia/Ho_Chi_Minh");
  std::string stamp = utc_stamp(stamp_unix);
  for (const auto& e : events) {
    fold(out, "BEGIN:VEVENT");
    fold(out, "UID:" + e.uid + "@chidoan");
    fold(out, "DTSTAMP:" + stamp);
    fold(out, "DTSTART:" + utc_stamp(e.starts_at));
    fold(out, "DTEND:" + utc_stamp(e.ends_at > e.starts_at ? e.ends_at : e.starts_at));
    fold(out, "SUMMARY:" + escape_text(e.summary));
    if (!e.location.empty()) fold(out, "LOCATION:" + escape_text(e.location));
    if (!e.description.empty()) fold(out, "DESCRIPTION:" + escape_text(e.description));
    fold(out, "END:VEVENT");
  }
  fold(out, "END:VCALENDAR");
  return out;
}

std::string ical_feed(const std::vector<Activity>& activities, std::string_view calendar_name, int64_t stamp_unix) {
  std::vector<CalendarEvent> events;
  for (const auto& a : activities) {
    int64_t start = (rules::minutes_of(a.starts_at) - 7 * 60) * 60, end = (rules::minutes_of(a.ends_at) - 7 * 60) * 60;
    events.push_back({"activity-" + std::to_string(a.id), start, end, a.title, a.place,
                      a.org_name + (a.description.empty() ? "" : "\n\n" + a.description)});
  }
  return ical_calendar(events, calendar_name, stamp_unix);
}

std::string qr_svg(std::string_view text) {
  std::string input(text);
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(QRcode_encodeString(input.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), QRcode_free);
  if (!code) return {};
  const int n = code->width, quiet = 4, size = n + 2 * quiet;
  std::string path;
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x)
      if (code->data[y * n + x] & 1) path += "M" + std::to_string(x + quiet) + " " + std::to_string(y + quiet) + "h1v1h-1z";
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(size) + " " + std::to_string(size) +
         "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path +
         "\"/></svg>";
}

}  // namespace chidoan::activity
