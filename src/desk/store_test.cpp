// The roster's store on both engines: templates that overlap, periods, the sign-up rules,
// swaps, drops, no-shows and the lock, check-in and check-out feeding the volunteer record, and
// the automatic roster (filled, or refused with the shifts named and nothing written).
#include "desk/store.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "activity/store.hpp"
#include "org/bundle.hpp"
#include "org/store.hpp"
#include "tests/support/demo.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::desk {
namespace {

using namespace std::chrono_literals;

// 2022-01-20 08:00 in Vietnam.
std::chrono::system_clock::time_point local(int y, unsigned m, unsigned d, int hour, int minute = 0) {
  return std::chrono::sys_days{std::chrono::year{y} / m / d} + std::chrono::hours(hour - 7) + std::chrono::minutes(minute);
}

class DeskStoreTest : public chidoan::testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped()) return;
    FixedClock year_end{std::chrono::sys_days{std::chrono::year{2022} / 1 / 15}};
    auto loaded = org::bundle::load(*conn, year_end, chidoan::testing::demo_bundle());
    ASSERT_TRUE(loaded) << loaded.error().message;
    org::Store orgs(*conn, clock);
    branch = **orgs.org_by_code("VPUBND");
    auto members = conn->query("SELECT m.id FROM members m WHERE m.branch_id = ?1 AND m.status = 'active' ORDER BY m.id LIMIT 5", {branch.id});
    ASSERT_TRUE(members && members->size() == 5);
    for (const auto& r : *members) people.push_back(r.i64(0));
    store = std::make_unique<Store>(*conn, clock);
    ASSERT_TRUE(tx([&]() -> Result<void> {
      CHIDOAN_TRY(c, store->create_center(branch.id, CenterInput{"Trung tâm PVHCC", "", 3, 60, 2}));
      center_id = c;
      CHIDOAN_TRY(k1, store->add_counter(c, "Quầy 1"));
      CHIDOAN_TRY(k2, store->add_counter(c, "Quầy 2"));
      counter1 = k1;
      counter2 = k2;
      CHIDOAN_TRY(t1, store->add_template(tmpl("Sáng", k1, "07:30", "11:30", 1, 2)));
      CHIDOAN_TRY(t2, store->add_template(tmpl("Chiều", k1, "13:30", "17:00", 1, 1)));
      morning = t1;
      afternoon = t2;
      CHIDOAN_TRY(p, store->open_period(c, "2022-02"));
      period_id = p;
      return {};
    }));
    center = *store->center(center_id);
    shifts = *store->shifts(period_id);
  }

  Template tmpl(const char* name, int64_t counter, const char* start, const char* end, int lo, int hi, const char* days = "12345") {
    Template t;
    t.center_id = center_id;
    t.counter_id = counter;
    t.name = name;
    t.weekdays = days;
    t.start_time = start;
    t.end_time = end;
    t.min_staff = lo;
    t.max_staff = hi;
    return t;
  }
  Result<void> tx(const std::function<Result<void>()>& fn) { return conn->transaction(fn); }
  // The outcome of a write that returns an id, without the id.
  static Result<void> done(const Result<int64_t>& r) {
    if (!r) return std::unexpected(r.error());
    return {};
  }
  Result<int64_t> take(const Shift& s, int64_t member, const char* source = "signup") {
    std::optional<int64_t> id;
    auto r = tx([&]() -> Result<void> {
      CHIDOAN_TRY(v, store->take(center, s, member, source));
      id = v;
      return {};
    });
    if (!r) return std::unexpected(r.error());
    return *id;
  }
  // The shift of a template on a date.
  const Shift& at(const char* date, int64_t template_id) {
    for (const auto& s : shifts)
      if (s.on_date == date && s.template_id == template_id) return s;
    throw std::runtime_error("no shift");
  }
  int64_t count(const char* sql) { return (*conn->query_one(sql))->i64(0); }

  FixedClock clock{local(2022, 1, 20, 8)};
  org::Org branch;
  std::vector<int64_t> people;
  std::unique_ptr<Store> store;
  int64_t center_id = 0, counter1 = 0, counter2 = 0, morning = 0, afternoon = 0, period_id = 0;
  Center center;
  std::vector<Shift> shifts;
};

TEST_P(DeskStoreTest, OverlappingTemplatesAreRefused) {
  auto r = tx([&]() -> Result<void> { return done(store->add_template(tmpl("Trưa", counter1, "11:00", "12:00", 1, 1, "1"))); });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "start_time");
  EXPECT_NE(r.error().message.find("Sáng"), std::string::npos) << r.error().message;
  // Another counter may be staffed at the same time; a Saturday shift does not meet a weekday one.
  EXPECT_TRUE(tx([&]() -> Result<void> { return done(store->add_template(tmpl("Sáng 2", counter2, "07:30", "11:30", 1, 1))); }));
  EXPECT_TRUE(tx([&]() -> Result<void> { return done(store->add_template(tmpl("Thứ Bảy", counter1, "08:00", "11:00", 1, 1, "6"))); }));
  auto bad = tx([&]() -> Result<void> { return done(store->add_template(tmpl("Ngược", counter1, "18:00", "17:30", 1, 1, "7"))); });
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "end_time");
}

TEST_P(DeskStoreTest, APeriodMakesTheMonthsShiftsAndItsVolunteerActivity) {
  EXPECT_EQ(shifts.size(), 40u);  // February 2022: 20 weekdays, two templates
  EXPECT_EQ(at("2022-02-01", morning).starts_at, unix_of_local("2022-02-01T07:30"));
  auto p = *store->period(period_id);
  auto a = activity::Store(*conn, clock).get(p.activity_id);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->type_code, "volunteer");
  auto again = tx([&]() -> Result<void> { return done(store->open_period(center_id, "2022-02")); });
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, ErrorKind::conflict);
  auto month = tx([&]() -> Result<void> { return done(store->open_period(center_id, "2022-13")); });
  ASSERT_FALSE(month);
  EXPECT_EQ(month.error().field, "month");
}

TEST_P(DeskStoreTest, SignUpFollowsTheRules) {
  const Shift& mon = at("2022-02-07", morning);
  ASSERT_TRUE(take(mon, people[0]));
  EXPECT_EQ(take(mon, people[0]).error().kind, ErrorKind::conflict);  // twice
  ASSERT_TRUE(take(mon, people[1]));
  EXPECT_NE(take(mon, people[2]).error().message.find("đủ"), std::string::npos);  // full (max 2)
  // Three shifts a week at most.
  ASSERT_TRUE(take(at("2022-02-08", morning), people[0]));
  ASSERT_TRUE(take(at("2022-02-09", morning), people[0]));
  auto fourth = take(at("2022-02-10", morning), people[0]);
  ASSERT_FALSE(fourth);
  EXPECT_NE(fourth.error().message.find("3 ca"), std::string::npos) << fourth.error().message;
  // The next week counts again.
  EXPECT_TRUE(take(at("2022-02-14", morning), people[0]));
  // An outsider to the branch is refused.
  auto outsider = conn->query_one("SELECT id FROM members WHERE branch_id <> ?1 AND status = 'active' LIMIT 1", {branch.id});
  ASSERT_TRUE(outsider && *outsider);
  EXPECT_EQ(take(mon, (*outsider)->i64(0)).error().field, "member_id");
}

TEST_P(DeskStoreTest, RestBetweenShiftsAndNoDoubleBooking) {
  ASSERT_TRUE(tx([&]() -> Result<void> { return store->update_center(center_id, CenterInput{"Trung tâm PVHCC", "", 5, 180, 2}); }));
  center = *store->center(center_id);
  ASSERT_TRUE(take(at("2022-02-07", morning), people[0]));
  auto rest = take(at("2022-02-07", afternoon), people[0]);  // 120 minutes after the morning's end
  ASSERT_FALSE(rest);
  EXPECT_NE(rest.error().message.find("180"), std::string::npos);
  // The same hours at another counter: double booking.
  ASSERT_TRUE(tx([&]() -> Result<void> { return done(store->add_template(tmpl("Sáng 2", counter2, "08:00", "10:00", 1, 1))); }));
  ASSERT_TRUE(tx([&]() -> Result<void> { return done(store->open_period(center_id, "2022-03")); }));
  auto march = *store->shifts((*store->period_of(center_id, "2022-03"))->id);
  const Shift *a = nullptr, *b = nullptr;
  for (const auto& s : march) {
    if (s.on_date != "2022-03-01") continue;
    if (s.template_id == morning) a = &s;
    if (s.counter_id == counter2) b = &s;
  }
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(take(*a, people[1]));
  auto twice = take(*b, people[1]);
  ASSERT_FALSE(twice);
  EXPECT_NE(twice.error().message.find("Trùng giờ"), std::string::npos) << twice.error().message;
}

TEST_P(DeskStoreTest, ASwapTakesEffectWhenAcceptedButNotBySomeoneOnDuty) {
  const Shift& s = at("2022-02-07", morning);
  ASSERT_TRUE(take(s, people[0]));
  ASSERT_TRUE(take(s, people[1]));
  Request r;
  r.kind = "swap";
  r.shift_id = s.id;
  r.from_member_id = people[0];
  int64_t rid = 0;
  ASSERT_TRUE(tx([&]() -> Result<void> {
    CHIDOAN_TRY(id, store->create_request(r));
    rid = id;
    return {};
  }));
  auto req = *store->request(rid);
  // Already on this shift: refused, and nothing changed (the offerer is still on it).
  auto refused = tx([&]() -> Result<void> { return store->accept_swap(center, req, people[1]); });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, ErrorKind::conflict);
  EXPECT_TRUE(*store->assignment_on(s.id, people[0]));
  EXPECT_EQ(store->request(rid)->state, "open");
  // Someone free takes it.
  ASSERT_TRUE(tx([&]() -> Result<void> { return store->accept_swap(center, req, people[2]); }));
  EXPECT_FALSE(*store->assignment_on(s.id, people[0]));
  auto taken = *store->assignment_on(s.id, people[2]);
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->source, "swap");
  EXPECT_EQ(store->request(rid)->state, "accepted");
  // Accepted once: not again.
  auto again = tx([&]() -> Result<void> { return store->accept_swap(center, *store->request(rid), people[3]); });
  EXPECT_FALSE(again);
}

TEST_P(DeskStoreTest, NoShowsLockSelfSignUpUntilExcused) {
  const Shift& first = at("2022-02-01", morning);
  const Shift& second = at("2022-02-02", morning);
  ASSERT_TRUE(take(first, people[0]));
  ASSERT_TRUE(take(second, people[0]));
  auto a1 = *store->assignment_on(first.id, people[0]), a2 = *store->assignment_on(second.id, people[0]);
  // Not before the shift starts.
  EXPECT_EQ(tx([&]() -> Result<void> { return store->set_no_show(a1->id, true); }).error().field, "no_show");
  clock.advance(std::chrono::days(14));  // 2022-02-03
  ASSERT_TRUE(tx([&]() -> Result<void> { return store->set_no_show(a1->id, true); }));
  ASSERT_TRUE(tx([&]() -> Result<void> { return store->set_no_show(a2->id, true); }));
  EXPECT_EQ(*store->no_shows(center_id, people[0]), 2);
  auto locked = take(at("2022-02-10", morning), people[0]);
  ASSERT_FALSE(locked);
  EXPECT_NE(locked.error().message.find("khoá"), std::string::npos);
  // Nor by accepting someone's swap.
  ASSERT_TRUE(take(at("2022-02-14", morning), people[1]));
  Request offer;
  offer.kind = "swap";
  offer.shift_id = at("2022-02-14", morning).id;
  offer.from_member_id = people[1];
  int64_t rid = 0;
  ASSERT_TRUE(tx([&]() -> Result<void> {
    CHIDOAN_TRY(id, store->create_request(offer));
    rid = id;
    return {};
  }));
  auto swapped = tx([&]() -> Result<void> { return store->accept_swap(center, *store->request(rid), people[0]); });
  ASSERT_FALSE(swapped);
  EXPECT_NE(swapped.error().message.find("khoá"), std::string::npos);
  EXPECT_EQ(store->request(rid)->state, "open");
  EXPECT_TRUE(*store->assignment_on(offer.shift_id, people[1]));
  EXPECT_TRUE(take(at("2022-02-10", morning), people[0], "coordinator"));  // a coordinator still may
  ASSERT_TRUE(tx([&]() -> Result<void> { return store->set_no_show(a2->id, false); }));
  EXPECT_TRUE(take(at("2022-02-11", morning), people[0]));
}

TEST_P(DeskStoreTest, CheckOutBeforeCheckInIsRefusedAndHoursReachTheVolunteerRecord) {
  const Shift& s = at("2022-02-01", morning);
  ASSERT_TRUE(take(s, people[0]));
  auto a = **store->assignment_on(s.id, people[0]);
  auto early = tx([&]() -> Result<void> { return store->check_out(a.id, s.starts_at + 3600); });
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().field, "check_out_at");
  ASSERT_TRUE(tx([&]() -> Result<void> { return store->check_in(a.id, s.starts_at - 5 * 60); }));
  auto before = tx([&]() -> Result<void> { return store->check_out(a.id, s.starts_at - 30 * 60); });
  ASSERT_FALSE(before);
  EXPECT_EQ(before.error().field, "check_out_at");
  EXPECT_EQ(before.error().kind, ErrorKind::invalid);
  ASSERT_TRUE(tx([&]() -> Result<void> { return store->check_out(a.id, s.ends_at + 10 * 60); }));
  EXPECT_EQ(store->assignment(a.id)->minutes, 255);  // 07:25 to 11:40
  auto p = *store->period(period_id);
  auto att = activity::Store(*conn, clock).attendance(p.activity_id);
  ASSERT_TRUE(att);
  ASSERT_EQ(att->size(), 1u);
  EXPECT_EQ((*att)[0].member_id, people[0]);
  EXPECT_EQ((*att)[0].minutes, 255);
  EXPECT_EQ((*att)[0].hours_state, "checked");
  EXPECT_EQ(tx([&]() -> Result<void> { return store->check_out(a.id, s.ends_at + 20 * 60); }).error().kind, ErrorKind::conflict);
}

TEST_P(DeskStoreTest, TheAutomaticRosterFillsEveryShiftWithinTheRules) {
  std::vector<Availability> all;
  for (const auto& s : shifts) all.push_back({s.id, 0, false});
  for (int64_t m : people) {
    for (auto& a : all) a.member_id = m;
    ASSERT_TRUE(tx([&]() -> Result<void> { return store->set_availability(period_id, m, all); }));
  }
  ASSERT_TRUE(take(at("2022-02-01", morning), people[0]));  // a sign-up stays
  Store::RosterOutcome out;
  ASSERT_TRUE(tx([&]() -> Result<void> {
    CHIDOAN_TRY(o, store->auto_roster(center, *store->period(period_id)));
    out = o;
    return {};
  }));
  ASSERT_TRUE(out.shortfalls.empty());
  auto staff = *store->assignments(period_id);
  std::map<int64_t, int> per_shift;
  std::map<int64_t, int64_t> minutes;
  for (const auto& a : staff) ++per_shift[a.shift_id];
  for (const auto& s : shifts) {
    EXPECT_GE(per_shift[s.id], s.min_staff) << s.on_date;
    EXPECT_LE(per_shift[s.id], s.max_staff) << s.on_date;
    for (const auto& a : staff)
      if (a.shift_id == s.id) minutes[a.member_id] += (s.ends_at - s.starts_at) / 60;
  }
  EXPECT_EQ(staff.size(), 40u);  // the minimum everywhere: 1 + 1
  // Fair: 40 shifts of 240 or 210 minutes over 5 people: nobody more than one shift above another.
  int64_t lo = INT64_MAX, hi = 0;
  for (int64_t m : people) lo = std::min(lo, minutes[m]), hi = std::max(hi, minutes[m]);
  EXPECT_LE(hi - lo, 240) << lo << " " << hi;
  EXPECT_TRUE(*store->assignment_on(at("2022-02-01", morning).id, people[0]));
}

// Someone on a shift who gave no availability (signed up, or put there by a coordinator) keeps
// it; the roster fills the rest around them.
TEST_P(DeskStoreTest, TheRosterKeepsThoseOnAShiftWhoGaveNoAvailability) {
  std::vector<Availability> all;
  for (const auto& s : shifts) all.push_back({s.id, 0, false});
  for (size_t k = 1; k < people.size(); ++k) {
    for (auto& a : all) a.member_id = people[k];
    ASSERT_TRUE(tx([&]() -> Result<void> { return store->set_availability(period_id, people[k], all); }));
  }
  ASSERT_TRUE(take(at("2022-02-01", morning), people[0]));
  ASSERT_TRUE(take(at("2022-02-03", afternoon), people[0], "coordinator"));
  Store::RosterOutcome out;
  auto r = tx([&]() -> Result<void> {
    CHIDOAN_TRY(o, store->auto_roster(center, *store->period(period_id)));
    out = o;
    return {};
  });
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_TRUE(out.shortfalls.empty()) << out.shortfalls.size();
  auto staff = *store->assignments(period_id);
  EXPECT_EQ(staff.size(), 40u);
  EXPECT_EQ(std::ranges::count_if(staff, [&](const Assignment& a) { return a.member_id == people[0]; }), 2);
  EXPECT_TRUE(*store->assignment_on(at("2022-02-03", afternoon).id, people[0]));
}

// A member transferred to a branch outside the center's org leaves its future shifts (the
// store's move calls the desk, as the application wires it); those of another member stay.
TEST_P(DeskStoreTest, AMemberWhoLeavesTheBranchLeavesItsFutureShifts) {
  ASSERT_TRUE(take(at("2022-02-01", morning), people[0]));
  ASSERT_TRUE(take(at("2022-02-02", morning), people[0]));
  ASSERT_TRUE(take(at("2022-02-01", morning), people[1]));
  Request offer;  // a swap offered to the member who leaves
  offer.kind = "swap";
  offer.shift_id = at("2022-02-01", morning).id;
  offer.from_member_id = people[1];
  offer.to_member_id = people[0];
  ASSERT_TRUE(tx([&]() -> Result<void> { return done(store->create_request(offer)); }));
  org::Store orgs(*conn, clock);
  orgs.on_member_moved([&](int64_t member, std::optional<int64_t>) { return done(store->release_member(member)); });
  const int64_t elsewhere = (*orgs.org_by_code("VPDBQH"))->id;
  ASSERT_TRUE(tx([&] { return orgs.apply_lifecycle(people[0], org::rules::Lifecycle::transfer, "2022-01-20", "", elsewhere, today(clock)); }));
  EXPECT_FALSE(*store->assignment_on(at("2022-02-01", morning).id, people[0]));
  EXPECT_FALSE(*store->assignment_on(at("2022-02-02", morning).id, people[0]));
  EXPECT_TRUE(*store->assignment_on(at("2022-02-01", morning).id, people[1]));
  EXPECT_EQ(count("SELECT COUNT(*) FROM desk_requests WHERE state = 'open'"), 0);
  // A move within the center's org keeps them: nothing to release.
  ASSERT_TRUE(take(at("2022-02-03", morning), people[2]));
  ASSERT_TRUE(tx([&]() -> Result<void> { return done(store->release_member(people[2])); }));
  EXPECT_TRUE(*store->assignment_on(at("2022-02-03", morning).id, people[2]));
}

// The branch moved under another Đoàn khối: its members are no longer volunteers of the old one's
// center, and leave its future shifts; the branch's own center keeps them.
TEST_P(DeskStoreTest, ABranchMovedElsewhereLeavesTheCenterOfTheLevelItLeft) {
  org::Store orgs(*conn, clock);
  orgs.on_member_moved([&](int64_t member, std::optional<int64_t>) { return done(store->release_member(member)); });
  const org::Org dkcq = **orgs.org_by_code("DKCQ");
  int64_t above_shift = 0, other_dk = 0;
  ASSERT_TRUE(tx([&]() -> Result<void> {
    CHIDOAN_TRY(c, store->create_center(dkcq.id, CenterInput{"Bộ phận một cửa Đoàn khối", "", 3, 60, 3}));
    CHIDOAN_TRY(k, store->add_counter(c, "Quầy A"));
    Template t = tmpl("Sáng", k, "07:30", "11:30", 1, 2);
    t.center_id = c;
    CHIDOAN_TRY_VOID(done(store->add_template(t)));
    CHIDOAN_TRY(p, store->open_period(c, "2022-02"));
    CHIDOAN_TRY(list, store->shifts(p));
    above_shift = list.front().id;
    CHIDOAN_TRY_VOID(done(store->take(*store->center(c), list.front(), people[0], "signup")));
    CHIDOAN_TRY(dk, orgs.create_org({"DKDN", "Đoàn khối Doanh nghiệp", dkcq.level_id, dkcq.parent_id, "2015-01-01"}));
    other_dk = dk;
    return {};
  }));
  ASSERT_TRUE(take(at("2022-02-02", afternoon), people[0]));
  ASSERT_TRUE(tx([&] { return orgs.move_org(branch.id, other_dk, "2022-01-20"); }));
  EXPECT_FALSE(*store->assignment_on(above_shift, people[0]));
  EXPECT_TRUE(*store->assignment_on(at("2022-02-02", afternoon).id, people[0]));
}

TEST_P(DeskStoreTest, AnUnfillableRosterNamesTheShiftsAndWritesNothing) {
  // One volunteer for the first week's mornings only: three of five can be covered.
  std::vector<Availability> rows;
  for (const char* d : {"2022-02-01", "2022-02-02", "2022-02-03", "2022-02-04"}) rows.push_back({at(d, morning).id, people[0], false});
  ASSERT_TRUE(tx([&]() -> Result<void> { return store->set_availability(period_id, people[0], rows); }));
  int64_t before = count("SELECT COUNT(*) FROM desk_assignments");
  Store::RosterOutcome out;
  ASSERT_TRUE(tx([&]() -> Result<void> {
    CHIDOAN_TRY(o, store->auto_roster(center, *store->period(period_id)));
    out = o;
    return {};
  }));
  ASSERT_FALSE(out.shortfalls.empty());
  EXPECT_EQ(count("SELECT COUNT(*) FROM desk_assignments"), before);
  std::set<int64_t> named;
  for (const auto& s : out.shortfalls) {
    named.insert(s.shift_id);
    EXPECT_FALSE(s.reason.empty());
  }
  EXPECT_TRUE(named.contains(at("2022-02-07", afternoon).id));  // nobody is available for it
}

TEST_P(DeskStoreTest, AMonthUnderWayIsRosteredFromNowOn) {
  clock.advance(std::chrono::days(21));  // 2022-02-10 08:00: the morning shift has started
  std::vector<Availability> all;
  for (const auto& s : shifts) all.push_back({s.id, people[0], false});
  for (int64_t m : people) {
    for (auto& a : all) a.member_id = m;
    ASSERT_TRUE(tx([&]() -> Result<void> { return store->set_availability(period_id, m, all); }));
  }
  Store::RosterOutcome out;
  ASSERT_TRUE(tx([&]() -> Result<void> {
    CHIDOAN_TRY(o, store->auto_roster(center, *store->period(period_id)));
    out = o;
    return {};
  }));
  ASSERT_TRUE(out.shortfalls.empty()) << out.shortfalls[0].reason;
  const int64_t now = clock.unix_seconds();
  auto staff = *store->assignments(period_id);
  for (const auto& a : staff) EXPECT_GT(store->shift(a.shift_id)->starts_at, now);
  EXPECT_EQ(staff.size(), 25u);  // 10/02 afternoon, 11/02, two whole weeks, 28/02: 1 + 2 + 20 + 2  // 10/02 afternoon to 28/02: 11 + 12 shifts
}

CHIDOAN_INSTANTIATE_DB_TEST(DeskStoreTest);

}  // namespace
}  // namespace chidoan::desk
