#include "gen/province.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <random>
#include <unordered_map>

#include "org/store.hpp"
#include "platform/core/date.hpp"
#include "platform/db/bulk.hpp"
#include "platform/text/text.hpp"
#include "gen/names.hpp"

namespace chidoan::gen {
namespace {

using db::Value;

using db::bulk::batch_for;
using db::bulk::insert_rows;

std::string two(unsigned v) {
  char b[8];
  std::snprintf(b, sizeof b, "%02u", v % 100);
  return b;
}

constexpr std::array kDistrictNames = {"Đà Lạt", "Bảo Lộc", "Đức Trọng", "Lạc Dương", "Lâm Hà", "Đơn Dương", "Di Linh",
                                       "Bảo Lâm", "Đạ Huoai", "Đạ Tẻh", "Cát Tiên", "Đam Rông"};
constexpr std::array kBranchKinds = {"Chi đoàn Trường THPT", "Chi đoàn Bệnh viện", "Chi đoàn Thôn", "Chi đoàn Sở",
                                     "Chi đoàn Công ty", "Chi đoàn Trạm Y tế", "Chi đoàn Khu phố", "Chi đoàn Ban"};
constexpr std::array kUnitNames = {"Phòng Hành chính – Tổng hợp", "Phòng Nghiệp vụ", "Tổ Kỹ thuật", "Tổ Văn phòng"};

// The activities of a branch-year, in an order whose prefixes stay varied (a smaller
// per_branch takes a prefix after the 12 monthly meetings): 38 others = 50 in all.
constexpr std::array kOtherTypes = {
    "study",       "volunteer", "social_work", "youth_month", "volunteer", "blood_drive", "other",     "forum",
    "volunteer",   "movement",  "study",       "volunteer",   "social_work", "youth_month", "volunteer", "other",
    "volunteer",   "social_work", "volunteer", "youth_month", "blood_drive", "volunteer", "other",     "study",
    "volunteer",   "forum",     "social_work", "volunteer",   "movement",  "youth_month", "volunteer", "other",
    "volunteer",   "social_work", "volunteer", "other",       "volunteer", "volunteer"};

const char* title_for(const std::string& type, std::mt19937_64& rng) {
  static constexpr std::array kStudy = {"Học tập Nghị quyết Đại hội XIII của Đảng", "Học tập Nghị quyết Đại hội Đoàn các cấp",
                                        "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"};
  static constexpr std::array kVolunteer = {"Ngày Chủ nhật xanh", "Thứ Bảy tình nguyện", "Chuyến xe yêu thương",
                                            "Siêu thị 0 đồng", "Dọn vệ sinh môi trường", "Tặng quà hộ cách ly"};
  static constexpr std::array kSocial = {"Về với xã vùng sâu", "Thăm hỏi gia đình chính sách", "Xây nhà nhân ái"};
  static constexpr std::array kYouth = {"Tháng Thanh niên: ra quân", "Tháng Thanh niên: ngày hội việc làm",
                                        "Tháng Thanh niên: giải bóng đá"};
  static constexpr std::array kOther = {"Giao lưu văn nghệ", "Hội thao chi đoàn", "Tọa đàm kỹ năng số"};
  auto pick = [&](const auto& list) { return list[rng() % list.size()]; };
  if (type == "study") return pick(kStudy);
  if (type == "volunteer") return pick(kVolunteer);
  if (type == "social_work") return pick(kSocial);
  if (type == "youth_month") return pick(kYouth);
  if (type == "blood_drive") return "Ngày hội Giọt hồng";
  if (type == "forum") return "Diễn đàn thanh niên";
  if (type == "movement") return "Chống rác thải nhựa";
  return pick(kOther);
}

}  // namespace

Result<int64_t> max_id(db::Connection& conn, const std::string& table) {
  CHIDOAN_TRY(r, conn.query_one("SELECT COALESCE(MAX(id), 0) FROM " + table));
  return r->i64(0);
}

std::string iso(std::chrono::sys_days d) { return to_iso(Date{d}); }

Result<int64_t> add_activities(db::Connection& conn, const Clock& clock, uint64_t seed, const std::string& path_prefix,
                               int year, int per_branch, const Progress& progress) {
  auto say = [&](std::string_view s) {
    if (progress) progress(s);
  };
  std::unordered_map<std::string, int64_t> type_ids;
  CHIDOAN_TRY(types, conn.query("SELECT code, id, expects_all FROM activity_types"));
  std::unordered_map<std::string, int64_t> expects;
  for (const auto& r : types) {
    type_ids[r.str(0)] = r.i64(1);
    expects[r.str(0)] = r.i64(2);
  }
  for (const char* c : {"meeting", "study", "volunteer", "social_work", "youth_month", "blood_drive", "forum", "movement", "other"})
    if (!type_ids.contains(c)) return fail(ErrorKind::internal, std::string("activity type missing: ") + c);

  CHIDOAN_TRY(branches, conn.query("SELECT o.id FROM orgs o JOIN org_levels l ON l.id = o.level_id "
                                   "WHERE l.holds_members = 1 AND o.status = 'active' AND o.path LIKE ?1 ORDER BY o.id",
                                   {path_prefix + "%"}));
  if (branches.empty()) return int64_t{0};
  CHIDOAN_TRY(first_activity, max_id(conn, "activities"));

  std::mt19937_64 rng(seed ^ 0x9e3779b97f4a7c15ull);
  const auto jan1 = std::chrono::sys_days{std::chrono::year{year} / 1 / 1};
  const int days = static_cast<int>((std::chrono::sys_days{std::chrono::year{year + 1} / 1 / 1} - jan1).count());
  const int64_t now = clock.unix_seconds();
  const std::string y = std::to_string(year);

  std::vector<Value> rows;
  constexpr size_t kCols = 10;
  rows.reserve(branches.size() * static_cast<size_t>(per_branch) * kCols);
  char secret[33];
  for (const auto& b : branches) {
    const int64_t org_id = b.i64(0);
    for (int i = 0; i < per_branch; ++i) {
      std::string type, title, start, end, place;
      if (i < 12) {
        type = "meeting";
        title = "Sinh hoạt chi đoàn tháng " + std::to_string(i + 1) + "/" + y;
        std::string day = y + "-" + two(static_cast<unsigned>(i + 1)) + "-" + two(static_cast<unsigned>(3 + rng() % 20));
        start = day + "T19:30";
        end = day + "T21:00";
        place = "Hội trường cơ quan";
      } else {
        type = kOtherTypes[static_cast<size_t>(i - 12) % kOtherTypes.size()];
        title = title_for(type, rng);
        std::chrono::sys_days d = type == "youth_month"
                                      ? std::chrono::sys_days{std::chrono::year{year} / 3 / 1} + std::chrono::days(rng() % 31)
                                      : jan1 + std::chrono::days(rng() % static_cast<unsigned>(days));
        start = iso(d) + "T07:30";
        end = iso(d) + "T11:30";
        place = "Địa bàn";
      }
      for (auto& c : secret) c = "0123456789abcdef"[rng() & 15];
      secret[32] = 0;
      rows.insert(rows.end(), {Value(org_id), Value(type_ids[type]), Value(std::move(title)), Value(std::move(place)),
                               Value(std::move(start)), Value(std::move(end)), Value(expects[type]), Value(int64_t{1}),
                               Value(std::string(secret)), Value(now)});
    }
  }
  say("activities: " + std::to_string(rows.size() / kCols) + " rows");
  CHIDOAN_TRY_VOID(insert_rows(conn,
                               "INSERT INTO activities (org_id, type_id, title, place, starts_at, ends_at, expects_all, "
                               "attendance_taken, qr_secret, created_at) VALUES ",
                               kCols, rows, batch_for(kCols)));
  rows.clear();
  rows.shrink_to_fit();
  CHIDOAN_TRY_VOID(conn.execute("INSERT INTO activity_orgs (activity_id, org_id) SELECT id, org_id FROM activities WHERE id > ?1",
                                {first_activity}));

  // The register, expanded by the database: one row per (activity, active member of its
  // branch), the status from a multiplicative hash of (member, activity, seed) —
  // h in 0..99: present < 85, excused < 90, absent otherwise. Volunteer-type attendance
  // carries 3 approved hours. Done in slices of branches (progress; bounded statements).
  const std::string insert_attendance =
      "INSERT INTO attendance (activity_id, member_id, branch_id, unit_id, on_date, status, minutes, hours_state, recorded_at) "
      "SELECT x.aid, x.mid, x.bid, x.uid, x.on_date, "
      "CASE WHEN x.h < 85 THEN 'present' WHEN x.h < 90 THEN 'excused' ELSE 'absent' END, "
      "CASE WHEN x.vol = 1 AND x.h < 85 THEN 180 ELSE 0 END, "
      "CASE WHEN x.vol = 1 AND x.h < 85 THEN 'approved' ELSE 'none' END, CAST(?2 AS BIGINT) "
      "FROM (SELECT a.id AS aid, m.id AS mid, m.branch_id AS bid, m.unit_id AS uid, SUBSTR(a.starts_at, 1, 10) AS on_date, "
      "CASE WHEN t.code IN ('volunteer', 'blood_drive', 'social_work') THEN 1 ELSE 0 END AS vol, "
      "((((m.id * 65537 + a.id * 31 + ?1) % 2147483648) * 2654435761) % 4294967296) * 100 / 4294967296 AS h "
      "FROM activities a JOIN activity_types t ON t.id = a.type_id "
      "JOIN members m ON m.branch_id = a.org_id AND m.status = 'active' "
      "WHERE a.id > ?3 AND a.org_id >= ?4 AND a.org_id <= ?5) x";
  const int64_t hseed = static_cast<int64_t>(seed % 2147483648ull);
  const size_t slices = std::min<size_t>(40, branches.size());
  int64_t written = 0;
  for (size_t s = 0; s < slices; ++s) {
    size_t lo = branches.size() * s / slices, hi = branches.size() * (s + 1) / slices;
    if (lo == hi) continue;
    CHIDOAN_TRY(n, conn.execute(insert_attendance, {hseed, now, first_activity, branches[lo].i64(0), branches[hi - 1].i64(0)}));
    written += n;
    say("attendance " + std::to_string(s + 1) + "/" + std::to_string(slices) + ": " + std::to_string(written) + " rows");
  }
  return written;
}

Result<ProvinceInfo> generate_province_in(db::Connection& conn, const Clock& clock, uint64_t seed, const ProvinceSize& size,
                                          const Place& place, NameKeys& names, const Progress& progress) {
  if (size.districts < 1 || size.branches < 1 || size.members_per_branch < 0 || size.members_spread < 0 ||
      size.members_spread > 90 || size.units_per_branch < 1 ||
      size.units_per_branch > static_cast<int>(kUnitNames.size()) || size.activities_per_branch < 0)
    return fail(ErrorKind::invalid, "bad province size");
  auto say = [&](std::string_view s) {
    if (progress) progress(s);
  };
  ProvinceInfo info;
  org::Store orgs(conn, clock);
  CHIDOAN_TRY_VOID(orgs.install_default_levels());
  CHIDOAN_TRY(levels, orgs.levels());
  // Province: the level below the top (rank 1 by default); districts: the next one; the
  // branch level: the one that holds members.
  auto branch_level = std::find_if(levels.begin(), levels.end(), [](const org::Level& l) { return l.holds_members; });
  if (branch_level == levels.end() || levels.size() < 3) return fail(ErrorKind::invalid, "need ≥ 3 levels with a branch level");
  const org::Level& province_level = levels.size() >= 4 ? levels[1] : levels[0];
  const org::Level& district_level = levels.size() >= 4 ? levels[2] : levels[1];
  const std::string& code = place.code;

  CHIDOAN_TRY(province, orgs.create_org({code, place.name, province_level.id, place.parent, "1976-03-26"}));
  info.province_id = province;
  CHIDOAN_TRY(province_org, orgs.org(province));
  info.path = province_org.path;
  std::mt19937_64 rng(seed);
  for (int d = 0; d < size.districts; ++d) {
    std::string name = d % 3 == 0 ? "Đoàn khối Các cơ quan số " + std::to_string(d / 3 + 1)
                                   : "Huyện đoàn " + std::string(kDistrictNames[static_cast<size_t>(d) % kDistrictNames.size()]) +
                                         (d >= static_cast<int>(kDistrictNames.size()) ? " " + std::to_string(d) : "");
    CHIDOAN_TRY(id, orgs.create_org({code + "-K" + two(static_cast<unsigned>(d + 1)), name, district_level.id, province,
                                     "1990-01-01"}));
    info.district_ids.push_back(id);
  }
  say("orgs: " + place.name + " and " + std::to_string(size.districts) + " districts");
  for (int b = 0; b < size.branches; ++b) {
    size_t d = static_cast<size_t>(b) * info.district_ids.size() / static_cast<size_t>(size.branches);
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, "-K%02zu-C%04d", d + 1, b + 1);
    std::string name = std::string(kBranchKinds[static_cast<size_t>(b) % kBranchKinds.size()]) + " số " + std::to_string(b + 1);
    CHIDOAN_TRY(id, orgs.create_org({code + suffix, name, branch_level->id, info.district_ids[d], "2000-03-26"}));
    info.branch_ids.push_back(id);
  }
  say("orgs: " + std::to_string(size.branches) + " branches");

  // Units.
  std::vector<Value> rows;
  for (int64_t b : info.branch_ids)
    for (int u = 0; u < size.units_per_branch; ++u)
      rows.insert(rows.end(), {Value(b), Value(std::string(kUnitNames[static_cast<size_t>(u)])), Value(int64_t{u + 1})});
  CHIDOAN_TRY_VOID(insert_rows(conn, "INSERT INTO units (org_id, name, position) VALUES ", 3, rows, batch_for(3)));
  rows.clear();
  CHIDOAN_TRY(unit_rows, conn.query("SELECT u.id, u.org_id FROM units u JOIN orgs o ON o.id = u.org_id "
                                    "WHERE o.path LIKE ?1 ORDER BY u.org_id, u.position",
                                    {info.path + "%"}));
  std::unordered_map<int64_t, std::vector<int64_t>> units_of;
  for (const auto& r : unit_rows) units_of[r.i64(1)].push_back(r.i64(0));

  // Members, 16 to 30 years old in the year, joined the Union at 16 to 20 (not after the
  // year), written in batches of branches so memory stays bounded at any size.
  CHIDOAN_TRY(first_member, max_id(conn, "members"));
  const int64_t now = clock.unix_seconds();
  const auto born_from = std::chrono::sys_days{std::chrono::year{size.year - 30} / 1 / 1};
  const auto born_span = static_cast<unsigned>((std::chrono::sys_days{std::chrono::year{size.year - 15} / 1 / 1} - born_from).count());
  constexpr size_t kCols = 12;
  const std::string insert_members =
      "INSERT INTO members (branch_id, family_name, middle_name, given_name, sort_key, search_text, "
      "sex, birth_date, joined_union_on, unit_id, created_at, updated_at) VALUES ";
  for (size_t bi = 0; bi < info.branch_ids.size(); ++bi) {
    const int64_t b = info.branch_ids[bi];
    const auto& units = units_of[b];
    int n = size.members_per_branch;
    if (size.members_spread > 0 && n > 0) {
      const int span = n * size.members_spread / 100;
      n += static_cast<int>(rng() % static_cast<uint64_t>(2 * span + 1)) - span;
    }
    for (int i = 0; i < n; ++i) {
      PersonName pn = draw_person(rng);
      const auto& keys = names.of(pn);
      auto birth = born_from + std::chrono::days(rng() % born_span);
      Date born{birth};
      int join_year = std::min(static_cast<int>(born.year()) + 16 + static_cast<int>(rng() % 5), size.year);
      std::string joined = std::to_string(join_year) + "-03-26";
      rows.insert(rows.end(), {Value(b), Value(std::move(pn.family)), Value(std::move(pn.middle)), Value(std::move(pn.given)),
                               Value(keys.sort_key), Value(keys.search_text), Value(std::string(pn.female ? "female" : "male")),
                               Value(iso(birth)), Value(std::move(joined)), Value(units[static_cast<size_t>(i) % units.size()]),
                               Value(now), Value(now)});
    }
    if (rows.size() >= 200000 || bi + 1 == info.branch_ids.size()) {
      info.members += static_cast<int64_t>(rows.size() / kCols);
      CHIDOAN_TRY_VOID(insert_rows(conn, insert_members, kCols, rows, batch_for(kCols)));
      rows.clear();
    }
  }
  rows.shrink_to_fit();
  // One stay each, in the current branch since before the year.
  CHIDOAN_TRY_VOID(conn.execute("INSERT INTO member_periods (member_id, branch_id, from_on) "
                                "SELECT id, branch_id, CAST(?2 AS TEXT) FROM members WHERE id > ?1",
                                {first_member, std::to_string(size.year - 3) + "-09-01"}));
  say("members: " + std::to_string(info.members));

  CHIDOAN_TRY(written, add_activities(conn, clock, seed, info.path, size.year,
                                      size.activities_per_branch, progress));
  info.attendance = written;
  info.activities = static_cast<int64_t>(info.branch_ids.size()) * size.activities_per_branch;
  return info;
}

Result<ProvinceInfo> generate_province(db::Connection& conn, const Clock& clock, uint64_t seed, const ProvinceSize& size,
                                       const std::string& code, const Progress& progress) {
  NameKeys names;
  ProvinceInfo info;
  CHIDOAN_TRY_VOID(conn.transaction([&]() -> Result<void> {
    CHIDOAN_TRY(got, generate_province_in(conn, clock, seed, size, Place{code, "Tỉnh đoàn Lâm Viên", std::nullopt}, names, progress));
    info = std::move(got);
    return {};
  }));
  return info;
}

std::string sizes_line(uint64_t seed, const ProvinceSize& size) {
  std::ostringstream s;
  s << "seed=" << seed << " districts=" << size.districts << " branches=" << size.branches
    << " members_per_branch=" << size.members_per_branch << " units_per_branch=" << size.units_per_branch
    << " members_spread=" << size.members_spread
    << " activities_per_branch=" << size.activities_per_branch << " year=" << size.year;
  return s.str();
}

Progress progress_printer(std::chrono::steady_clock::time_point t0) {
  return [t0](std::string_view s) {
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::fprintf(stderr, "    [%6.1f s] %.*s\n", secs, static_cast<int>(s.size()), s.data()); };
}

}  // namespace chidoan::gen
