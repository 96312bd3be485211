#include "activity/store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "org/bundle.hpp"
#include "org/store.hpp"
#include "tests/support/demo.hpp"
#include "tests/support/results.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::activity {
namespace {

using namespace std::chrono_literals;

using chidoan::testing::ignore_value;

// The demo's branches (VPUBND, 23 members by October 2021; VPDBQH) on 1 October 2021, 09:00 in Vietnam.
class ActivityStoreTest : public chidoan::testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped()) return;
    ASSERT_TRUE(org::bundle::load(*conn, load_clock, chidoan::testing::demo_bundle()));
    org::Store orgs(*conn, clock);
    branch = **orgs.org_by_code("VPUBND");
    other = **orgs.org_by_code("VPDBQH");
    upper = **orgs.org_by_code("DKCQ");
    auto page = orgs.members(branch, org::MemberQuery{}, today(clock));
    for (const auto& m : page->items) members.push_back(m.id);
    auto others = orgs.members(other, org::MemberQuery{}, today(clock));
    for (const auto& m : others->items) other_members.push_back(m.id);
    store = std::make_unique<Store>(*conn, clock);
  }

  int64_t type_id(const char* code) { return (*store->type_by_code(code))->id; }

  int64_t create(const org::Org& o, const char* type, const char* starts, const char* ends, std::optional<int64_t> capacity = {}) {
    ActivityInput in;
    in.type_id = type_id(type);
    in.title = std::string("Hoạt động ") + type;
    in.starts_at = starts;
    in.ends_at = ends;
    in.capacity = capacity;
    int64_t id = 0;
    EXPECT_TRUE(conn->transaction([&]() -> Result<void> {
      CHIDOAN_TRY(v, store->create(o, in));
      id = v;
      return {};
    }));
    return id;
  }
  Activity get(int64_t id) { return *store->get(id); }

  FixedClock clock{std::chrono::sys_days{std::chrono::year{2021} / 10 / 1} + 2h};
  // The demo holds dates up to the end of 2021: it is loaded as of 2022.
  FixedClock load_clock{std::chrono::sys_days{std::chrono::year{2022} / 2 / 1}};
  std::unique_ptr<Store> store;
  org::Org branch, other, upper;
  std::vector<int64_t> members, other_members;
};

TEST_P(ActivityStoreTest, SignupWaitlistAndCancellationPromotes) {
  int64_t id = create(branch, "volunteer", "2021-10-15T07:00", "2021-10-15T11:00", 2);
  Activity a = get(id);
  auto sign = [&](int64_t m) {
    rules::SignupOutcome out{};
    auto r = conn->transaction([&]() -> Result<void> {
      CHIDOAN_TRY(o, store->signup(a, m));
      out = o;
      return {};
    });
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return out;
  };
  EXPECT_EQ(sign(members[0]), rules::SignupOutcome::confirmed);
  EXPECT_EQ(sign(members[1]), rules::SignupOutcome::confirmed);
  EXPECT_EQ(sign(members[2]), rules::SignupOutcome::waitlisted);
  auto twice = conn->transaction([&] { return ignore_value(store->signup(a, members[0])); });
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().kind, ErrorKind::conflict);
  auto outsider = conn->transaction([&] { return ignore_value(store->signup(a, other_members[0])); });
  ASSERT_FALSE(outsider);
  EXPECT_EQ(outsider.error().field, "member_id");
  ASSERT_TRUE(conn->transaction([&] { return store->cancel(a, members[0]); }));
  auto list = *store->signups(id);
  int confirmed = 0;
  for (const auto& s : list) confirmed += s.status == "confirmed";
  EXPECT_EQ(confirmed, 2);
  for (const auto& s : list)
    if (s.member_id == members[2]) {
      EXPECT_EQ(s.status, "confirmed");
    }
  // After the start, no more sign-ups.
  clock.advance(std::chrono::hours(24 * 14 + 23));
  auto late = conn->transaction([&] { return ignore_value(store->signup(a, members[5])); });
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().field, "signup");
}

TEST_P(ActivityStoreTest, ConcurrentSignupsNeverExceedCapacity) {
  int64_t id = create(branch, "blood_drive", "2021-10-12T07:00", "2021-10-12T11:00", 5);
  Activity a = get(id);
  auto pool = open_pool(6);
  std::atomic<int> next{0}, failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      for (;;) {
        int i = next++;
        if (i >= 20) return;
        auto lease = pool->acquire();
        Store s(*lease, clock);
        auto r = lease->transaction([&] { return ignore_value(s.signup(a, members[i])); });
        if (!r) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto list = *store->signups(id);
  int confirmed = 0, waitlisted = 0;
  for (const auto& s : list) {
    confirmed += s.status == "confirmed";
    waitlisted += s.status == "waitlisted";
  }
  EXPECT_EQ(confirmed, 5);
  EXPECT_EQ(waitlisted, 15);
}

TEST_P(ActivityStoreTest, AttendanceCoversEveryExpectedMemberAndNobodyElse) {
  int64_t id = create(branch, "meeting", "2021-10-20T16:00", "2021-10-20T17:00");
  Activity a = get(id);
  EXPECT_EQ(store->expected(a)->size(), 23u);
  auto stranger = conn->transaction([&] { return store->take_attendance(a, {{other_members[0], "present"}}); });
  ASSERT_FALSE(stranger);
  EXPECT_EQ(stranger.error().field, "member_id");
  EXPECT_EQ(store->attendance(id)->size(), 0u);
  auto bad_status = conn->transaction([&] { return store->take_attendance(a, {{members[0], "sleeping"}}); });
  ASSERT_FALSE(bad_status);
  ASSERT_TRUE(conn->transaction([&] { return store->take_attendance(a, {{members[0], "present"}, {members[1], "excused"}}); }));
  auto rows = *store->attendance(id);
  ASSERT_EQ(rows.size(), 23u);
  int present = 0, absent = 0;
  for (const auto& r : rows) {
    present += r.status == "present";
    absent += r.status == "absent";
    EXPECT_EQ(r.branch_id, branch.id);
  }
  EXPECT_EQ(present, 1);
  EXPECT_EQ(absent, 21);
  EXPECT_TRUE(get(id).attendance_taken);
}

TEST_P(ActivityStoreTest, ExpectedFollowsTheDatedHistory) {
  // Before the split of 1 April 2021 the same people were members of the joint branch.
  int64_t id = create(other, "meeting", "2021-03-20T16:00", "2021-03-20T17:00");
  auto list = *store->expected(get(id));
  EXPECT_GT(list.size(), 23u);
}

TEST_P(ActivityStoreTest, HoursFromCheckInAndClaims) {
  int64_t id = create(branch, "volunteer", "2021-10-01T07:00", "2021-10-01T17:00");
  Activity a = get(id);
  ASSERT_TRUE(conn->transaction([&] { return store->check_in(a, members[0]); }));
  clock.advance(std::chrono::minutes(150));
  ASSERT_TRUE(conn->transaction([&] { return store->check_out(a, members[0]); }));
  auto rows = *store->attendance(id);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].minutes, 150);
  EXPECT_EQ(rows[0].hours_state, "checked");
  auto too_much = conn->transaction([&] { return store->set_minutes(a, members[1], 25 * 60, false); });
  ASSERT_FALSE(too_much);
  EXPECT_EQ(too_much.error().field, "minutes");
  auto negative = conn->transaction([&] { return store->set_minutes(a, members[1], -30, false); });
  ASSERT_FALSE(negative);
  EXPECT_EQ(store->attendance(id)->size(), 1u);
  // A member's own claim does not make them present: nothing is written.
  auto unseen = conn->transaction([&] { return store->set_minutes(a, members[1], 180, false); });
  ASSERT_FALSE(unseen);
  EXPECT_EQ(unseen.error().field, "member_id");
  EXPECT_EQ(store->attendance(id)->size(), 1u);
  ASSERT_TRUE(conn->transaction([&] { return store->check_in(a, members[1]); }));
  ASSERT_TRUE(conn->transaction([&] { return store->set_minutes(a, members[1], 180, false); }));
  // The QR code no longer changes hours once they are claimed, nor checks out twice.
  auto after_claim = conn->transaction([&] { return store->check_out(a, members[1]); });
  ASSERT_FALSE(after_claim);
  EXPECT_EQ(after_claim.error().kind, ErrorKind::conflict);
  clock.advance(std::chrono::minutes(60));
  auto twice = conn->transaction([&] { return store->check_out(a, members[0]); });
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().kind, ErrorKind::conflict);
  EXPECT_EQ((*store->attendance(id))[0].minutes + (*store->attendance(id))[1].minutes, 150 + 180);
  ASSERT_TRUE(conn->transaction([&] { return store->approve_minutes(a, members[1], true); }));
  auto stranger = conn->transaction([&] { return store->check_in(a, other_members[0]); });
  ASSERT_FALSE(stranger);
  auto p = *store->participation(branch, 2021);
  EXPECT_EQ(p.total.present, 2);
  EXPECT_EQ(p.total.minutes, 330);
  auto totals = *store->participation_totals(branch, 2021);
  EXPECT_EQ(totals.total.present, 2);
  EXPECT_EQ(totals.total.minutes, 330);
  EXPECT_EQ(totals.participants, 2);
  // The register marks the first absent after all: their checked hours no longer count.
  ASSERT_TRUE(conn->transaction([&] { return store->take_attendance(a, {{members[0], "absent"}, {members[1], "present"}}); }));
  totals = *store->participation_totals(branch, 2021);
  EXPECT_EQ(totals.total.present, 1);
  EXPECT_EQ(totals.total.minutes, 180);
}

// A check-in (not only a register) fixes the activity's day: its rows carry the day, and the
// year their hours count in.
TEST_P(ActivityStoreTest, ADayWithRecordedAttendanceStays) {
  int64_t id = create(branch, "volunteer", "2021-10-01T07:00", "2021-10-01T17:00");
  Activity a = get(id);
  ActivityInput in{a.type_id, a.title, a.description, a.place, a.starts_at, a.ends_at, a.capacity, a.signup_opens_at, a.signup_closes_at, std::nullopt};
  in.starts_at = "2021-10-02T07:00";
  in.ends_at = "2021-10-02T17:00";
  ASSERT_TRUE(conn->transaction([&] { return store->update(id, in); }));  // nothing recorded yet
  a = get(id);
  ASSERT_TRUE(conn->transaction([&] { return store->check_in(a, members[0]); }));
  in.starts_at = "2022-01-01T07:00";
  in.ends_at = "2022-01-01T17:00";
  auto moved = conn->transaction([&] { return store->update(id, in); });
  ASSERT_FALSE(moved);
  EXPECT_EQ(moved.error().field, "starts_at");
  EXPECT_EQ(get(id).starts_at, "2021-10-02T07:00");
  in.starts_at = "2021-10-02T08:00";  // the hour may change
  in.ends_at = "2021-10-02T17:00";
  in.title = "Chủ nhật xanh (dời giờ)";
  ASSERT_TRUE(conn->transaction([&] { return store->update(id, in); }));
  EXPECT_EQ(get(id).title, "Chủ nhật xanh (dời giờ)");
}

TEST_P(ActivityStoreTest, CheckedHoursAreTheActivitysSpanOnly) {
  // 07:00–10:00 local; the fixture's clock is 09:00 local that day.
  int64_t id = create(branch, "volunteer", "2021-10-01T07:00", "2021-10-01T10:00");
  Activity a = get(id);
  ASSERT_TRUE(conn->transaction([&] { return store->check_in(a, members[0]); }));
  clock.advance(std::chrono::hours(5));  // checked out at 14:00, four hours after the end
  ASSERT_TRUE(conn->transaction([&] { return store->check_out(a, members[0]); }));
  EXPECT_EQ((*store->attendance(id))[0].minutes, 60);
}

// The register's yearly sums (attendance_years, migration 0024) are the register summed, after
// every kind of change: a register taken, check-in and out, hours claimed and approved, and the
// updates and deletes no store makes but a repair by hand might (a date moved into another
// year, rows moved to another branch, statuses changed, rows deleted).
TEST_P(ActivityStoreTest, TheYearSumsFollowTheRegister) {
  auto same = [&](const char* after) {
    auto kept = conn->query("SELECT branch_id, year, member_id, present, excused, absent, minutes FROM attendance_years ORDER BY 1, 2, 3");
    auto summed = conn->query(
        "SELECT branch_id, CAST(substr(on_date, 1, 4) AS INTEGER), member_id, "
        "SUM(CASE WHEN status = 'present' THEN 1 ELSE 0 END), SUM(CASE WHEN status = 'excused' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN status = 'absent' THEN 1 ELSE 0 END), CAST(SUM(CASE WHEN hours_state IN ('checked', 'approved') THEN minutes ELSE 0 END) AS BIGINT) "
        "FROM attendance GROUP BY 1, 2, 3 ORDER BY 1, 2, 3");
    ASSERT_TRUE(kept && summed);
    ASSERT_EQ(kept->size(), summed->size()) << after;
    for (size_t i = 0; i < kept->size(); ++i)
      for (size_t c = 0; c < 7; ++c) EXPECT_EQ((*kept)[i].i64(c), (*summed)[i].i64(c)) << after << ", row " << i << ", column " << c;
  };
  same("the demo loaded");
  int64_t meeting = create(branch, "meeting", "2021-09-20T16:00", "2021-09-20T17:00");
  std::map<int64_t, std::string> st;
  for (size_t m = 0; m < members.size(); ++m) st[members[m]] = m % 5 == 0 ? "absent" : m % 7 == 0 ? "excused" : "present";
  ASSERT_TRUE(conn->transaction([&] { return store->take_attendance(get(meeting), st); }));
  same("a register taken");
  st[members[0]] = "present";
  ASSERT_TRUE(conn->transaction([&] { return store->take_attendance(get(meeting), st); }));
  same("a register taken again");
  int64_t volunteer = create(branch, "volunteer", "2021-10-01T07:00", "2021-10-01T17:00");
  Activity v = get(volunteer);
  ASSERT_TRUE(conn->transaction([&] { return store->check_in(v, members[0]); }));
  clock.advance(std::chrono::minutes(150));
  ASSERT_TRUE(conn->transaction([&] { return store->check_out(v, members[0]); }));
  ASSERT_TRUE(conn->transaction([&] { return store->check_in(v, members[1]); }));
  ASSERT_TRUE(conn->transaction([&] { return store->set_minutes(v, members[1], 180, false); }));
  same("check-in, check-out and a claim");
  ASSERT_TRUE(conn->transaction([&] { return store->approve_minutes(v, members[1], true); }));
  same("a claim approved");
  auto totals = *store->participation_totals(branch, 2021);
  EXPECT_EQ(totals.total.minutes, 330);
  ASSERT_TRUE(conn->execute("UPDATE attendance SET on_date = '2022-01-05' WHERE activity_id = ?1 AND member_id IN (?2, ?3)",
                            {meeting, members[1], members[2]}));
  same("dates moved into the next year");
  ASSERT_TRUE(conn->execute("UPDATE attendance SET branch_id = ?1, status = CASE WHEN status = 'present' THEN 'absent' ELSE 'present' END "
                            "WHERE activity_id = ?2",
                            {other.id, meeting}));
  same("a register moved to another branch, its statuses flipped");
  ASSERT_TRUE(conn->execute("DELETE FROM attendance WHERE activity_id = ?1 AND member_id IN (?2, ?3, ?4)",
                            {meeting, members[3], members[4], members[5]}));
  same("rows deleted");
  ASSERT_TRUE(conn->execute("DELETE FROM attendance"));
  same("everything deleted");
  EXPECT_EQ((*conn->query_one("SELECT COUNT(*) FROM attendance_years"))->i64(0), 0);
}

TEST_P(ActivityStoreTest, ParticipationStudyAndRemovalCandidates) {
  // Three meetings: member 0 absent in all three months, member 1 excused once.
  std::vector<int64_t> meetings;
  for (const char* day : {"2021-10-20T16:00", "2021-11-20T16:00", "2021-12-20T16:00"}) {
    std::string end = std::string(day).substr(0, 11) + "17:00";
    meetings.push_back(create(branch, "meeting", day, end.c_str()));
  }
  clock.advance(std::chrono::hours(24 * 91));
  for (size_t i = 0; i < meetings.size(); ++i) {
    std::map<int64_t, std::string> st;
    for (size_t m = 1; m < members.size(); ++m) st[members[m]] = "present";
    if (i == 0) st[members[1]] = "excused";
    ASSERT_TRUE(conn->transaction([&] { return store->take_attendance(get(meetings[i]), st); }));
  }
  auto p = *store->participation(branch, 2021);
  ASSERT_EQ(p.members.size(), 23u);
  EXPECT_EQ(p.total.present, 22 * 3 - 1);
  EXPECT_EQ(p.total.excused, 1);
  EXPECT_EQ(p.total.absent, 3);
  for (const auto& m : p.members) {
    if (m.member_id == members[0]) {
      EXPECT_EQ(*rules::participation_rate(m.tally), 0.0);
    }
    if (m.member_id == members[1]) {
      EXPECT_EQ(*rules::participation_rate(m.tally), 1.0);
    }
  }
  // The Đoàn khối sees the same register through its subtree.
  EXPECT_EQ(store->participation(upper, 2021)->total.present, 22 * 3 - 1);
  // The totals alone, in one aggregate, are the same; member 0 was never present.
  for (const auto* o : {&branch, &upper}) {
    auto totals = *store->participation_totals(*o, 2021);
    EXPECT_EQ(totals.total.present, 22 * 3 - 1);
    EXPECT_EQ(totals.total.excused, 1);
    EXPECT_EQ(totals.total.absent, 3);
    EXPECT_EQ(totals.participants, 22);
  }
  auto absences = *store->meeting_absences(branch, 2021);
  EXPECT_TRUE(rules::removal_candidate(absences[members[0]]));
  EXPECT_FALSE(absences.contains(members[1]));

  int64_t study = create(branch, "study", "2021-10-05T08:00", "2021-12-31T17:00");
  Activity s = get(study);
  for (size_t m = 0; m < 20; ++m)
    ASSERT_TRUE(conn->transaction([&] { return store->record_completion(s, {study, members[m], "2021-11-01", "online", ""}); }));
  auto bad_date = conn->transaction([&] { return store->record_completion(s, {study, members[21], "2021-10-01", "online", ""}); });
  EXPECT_EQ(bad_date.error().field, "completed_on");
  auto bad_mode = conn->transaction([&] { return store->record_completion(s, {study, members[21], "2021-11-01", "dream", ""}); });
  EXPECT_EQ(bad_mode.error().field, "mode");
  auto progress = *store->study_progress(branch, 2021);
  ASSERT_EQ(progress.size(), 1u);
  EXPECT_EQ(progress[0].expected, 23);
  EXPECT_EQ(progress[0].completed, 20);
  // The level above counts the same campaign over the same members.
  auto above = *store->study_progress(upper, 2021);
  ASSERT_EQ(above.size(), 1u);
  EXPECT_EQ(above[0].expected, 23);
  EXPECT_EQ(above[0].completed, 20);
  // Types in the order their first activity comes: the study campaign starts before the meetings.
  auto types = *store->count_by_type(branch, 2021);
  ASSERT_EQ(types.size(), 2u);
  EXPECT_EQ(types[0].code, "study");
  EXPECT_EQ(types[0].count, 1);
  EXPECT_EQ(types[1].code, "meeting");
  EXPECT_EQ(types[1].count, 3);
  EXPECT_EQ(store->count_by_type(upper, 2021)->size(), 2u);
  EXPECT_TRUE(store->count_by_type(branch, 2020)->empty());
}

TEST_P(ActivityStoreTest, UpperLevelActivitiesAreJoinedByBranches) {
  int64_t id = create(upper, "youth_month", "2021-10-26T07:00", "2021-10-26T11:00");
  EXPECT_EQ(store->joinable(branch, 2021)->size(), 1u);
  auto before = conn->transaction([&] { return ignore_value(store->signup(get(id), members[0])); });
  // Until the branch joins, its members cannot sign up.
  ASSERT_FALSE(before);
  EXPECT_EQ(before.error().field, "member_id");
  ASSERT_TRUE(conn->transaction([&] { return store->join(id, branch.id); }));
  EXPECT_TRUE(conn->transaction([&] { return ignore_value(store->signup(get(id), members[0])); }));
  EXPECT_EQ(store->joinable(branch, 2021)->size(), 0u);
  auto again = conn->transaction([&] { return store->join(id, branch.id); });
  EXPECT_EQ(again.error().kind, ErrorKind::conflict);
  bool listed = false;
  auto listing = store->for_org(branch, 2021);
  ASSERT_TRUE(listing);
  for (const auto& s : *listing) listed = listed || s.activity.id == id;
  EXPECT_TRUE(listed);
}

TEST_P(ActivityStoreTest, StudyExpectationsPerCampaign) {
  // A campaign of the Đoàn khối joined by one branch (everyone there expected), and one joined
  // by both branches that expects only those who sign up.
  int64_t joined = create(upper, "study", "2021-10-05T08:00", "2021-12-31T17:00");
  ASSERT_TRUE(conn->transaction([&] { return store->join(joined, branch.id); }));
  ActivityInput in;
  in.type_id = type_id("study");
  in.title = "Học tập theo đăng ký";
  in.starts_at = "2021-10-06T08:00";
  in.ends_at = "2021-12-31T17:00";
  in.expects_all = false;
  int64_t by_signup = 0;
  ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
    CHIDOAN_TRY(id, store->create(upper, in));
    by_signup = id;
    CHIDOAN_TRY_VOID(store->join(id, branch.id));
    return store->join(id, other.id);
  }));
  ASSERT_TRUE(conn->transaction([&] { return ignore_value(store->signup(get(by_signup), other_members[0])); }));
  clock.advance(std::chrono::hours(24 * 40));
  ASSERT_TRUE(conn->transaction([&] { return store->record_completion(get(joined), {joined, members[0], "2021-11-01", "online", ""}); }));
  ASSERT_TRUE(conn->transaction(
      [&] { return store->record_completion(get(by_signup), {by_signup, other_members[0], "2021-11-02", "in_person", ""}); }));

  auto above = *store->study_expectations(upper, 2021);
  ASSERT_EQ(above.size(), 2u);
  EXPECT_EQ(above[0].campaign.id, joined);
  ASSERT_EQ(above[0].members.size(), members.size());
  for (const auto& m : above[0].members) {
    EXPECT_EQ(m.branch_id, branch.id);
    EXPECT_EQ(m.completed, m.member_id == members[0]);
  }
  EXPECT_EQ(above[1].campaign.id, by_signup);
  ASSERT_EQ(above[1].members.size(), 1u);
  EXPECT_EQ(above[1].members[0].member_id, other_members[0]);
  EXPECT_EQ(above[1].members[0].branch_id, other.id);
  EXPECT_TRUE(above[1].members[0].completed);
  // study_progress() sums the same.
  auto progress = *store->study_progress(upper, 2021);
  ASSERT_EQ(progress.size(), 2u);
  EXPECT_EQ(progress[0].expected, static_cast<int64_t>(members.size()));
  EXPECT_EQ(progress[0].completed, 1);
  EXPECT_EQ(progress[1].expected, 1);
  EXPECT_EQ(progress[1].completed, 1);

  // A branch sees both campaigns, and only its own members: the sign-up was the other branch's.
  auto here = *store->study_expectations(branch, 2021);
  ASSERT_EQ(here.size(), 2u);
  EXPECT_EQ(here[0].members.size(), members.size());
  EXPECT_TRUE(here[1].members.empty());
  auto there = *store->study_expectations(other, 2021);
  ASSERT_EQ(there.size(), 1u);
  EXPECT_EQ(there[0].campaign.id, by_signup);
  ASSERT_EQ(there[0].members.size(), 1u);
  EXPECT_EQ(there[0].members[0].member_id, other_members[0]);
}

TEST_P(ActivityStoreTest, CalendarFeedTokens) {
  std::string token;
  ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
    CHIDOAN_TRY(t, store->rotate_feed(members[0]));
    token = t;
    return {};
  }));
  EXPECT_EQ(*store->feed_member(token), members[0]);
  ASSERT_TRUE(conn->transaction([&] { return ignore_value(store->rotate_feed(members[0])); }));
  EXPECT_FALSE(store->feed_member(token)->has_value());
}

CHIDOAN_INSTANTIATE_DB_TEST(ActivityStoreTest);

}  // namespace
}  // namespace chidoan::activity
