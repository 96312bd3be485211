// The assistance log's store on both engines: the catalogue and its import (upsert by code,
// nothing written when a row is bad), logging with its checks against the database, the month's
// log in Vietnam time, corrections, and the counts per volunteer, shift, procedure and month.
#include "desk/assist_store.hpp"

#include <gtest/gtest.h>

#include "desk/store.hpp"
#include "org/bundle.hpp"
#include "org/store.hpp"
#include "tests/support/demo.hpp"
#include "tests/support/results.hpp"
#include "tests/support/route_world.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::desk {
namespace {

using namespace std::chrono_literals;
using assist_rules::AssistInput;
using assist_rules::ProcedureInput;
using chidoan::testing::ignore_value;

int64_t vn(const char* local) { return unix_of_local(local); }

// A shift of center `center` at `counter` from `start` to `end` on `date`, with the template and
// the roster period (and its volunteer activity) it needs. Written with SQL: the roster's own
// store is not used by these tests.
Result<int64_t> make_shift(db::Connection& conn, int64_t center, int64_t org, const std::string& date, const std::string& start,
                           const std::string& end, const std::string& tmpl = "Ca sáng", const std::string& counter = "Bàn hướng dẫn") {
  CHIDOAN_TRY(k, conn.query_one("SELECT id FROM desk_counters WHERE center_id = ?1 AND name = ?2", {center, counter}));
  int64_t counter_id = 0;
  if (k) {
    counter_id = k->i64(0);
  } else {
    CHIDOAN_TRY(id, conn.insert_id("INSERT INTO desk_counters (center_id, name) VALUES (?1, ?2) RETURNING id", {center, counter}));
    counter_id = id;
  }
  CHIDOAN_TRY(t, conn.query_one("SELECT id FROM desk_templates WHERE center_id = ?1 AND name = ?2", {center, tmpl}));
  int64_t template_id = 0;
  if (t) {
    template_id = t->i64(0);
  } else {
    CHIDOAN_TRY(id, conn.insert_id("INSERT INTO desk_templates (center_id, counter_id, name, weekdays, start_time, end_time, min_staff, max_staff) "
                                   "VALUES (?1, ?2, ?3, '12345', ?4, ?5, 1, 2) RETURNING id",
                                   {center, counter_id, tmpl, start, end}));
    template_id = id;
  }
  const std::string month = date.substr(0, 7);
  CHIDOAN_TRY(p, conn.query_one("SELECT id FROM desk_periods WHERE center_id = ?1 AND month = ?2", {center, month}));
  int64_t period_id = 0;
  if (p) {
    period_id = p->i64(0);
  } else {
    CHIDOAN_TRY(activity, conn.insert_id("INSERT INTO activities (org_id, type_id, title, starts_at, ends_at, expects_all, qr_secret, created_at) "
                                         "SELECT ?1, id, 'Trực bàn hướng dẫn', ?2, ?3, 0, 'x', 0 FROM activity_types WHERE code = 'volunteer' RETURNING id",
                                         {org, month + "-01T07:00", month + "-28T17:00"}));
    CHIDOAN_TRY(id, conn.insert_id("INSERT INTO desk_periods (center_id, month, activity_id, created_at) VALUES (?1, ?2, ?3, 0) RETURNING id",
                                   {center, month, activity}));
    period_id = id;
  }
  return conn.insert_id("INSERT INTO desk_shifts (period_id, template_id, counter_id, on_date, starts_at, ends_at, min_staff, max_staff) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, 2) RETURNING id",
                        {period_id, template_id, counter_id, date, unix_of_local(date + "T" + start), unix_of_local(date + "T" + end)});
}

class DeskAssistStoreTest : public chidoan::testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped()) return;
    FixedClock year_end{std::chrono::sys_days{std::chrono::year{2022} / 1 / 15}};
    auto loaded = org::bundle::load(*conn, year_end, chidoan::testing::demo_bundle());
    ASSERT_TRUE(loaded) << loaded.error().message;
    org::Store orgs(*conn, clock);
    vpubnd = (*orgs.org_by_code("VPUBND"))->id;
    ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
      Store desks(*conn, clock);
      CHIDOAN_TRY(c, desks.create_center(vpubnd, {"Trung tâm Phục vụ hành chính công tỉnh Lâm Đồng", "36 Trần Phú", 3, 0, 3}));
      CHIDOAN_TRY(outside, chidoan::testing::add_outside_branch(orgs, today(clock)));
      std::tie(other_branch, outsider) = outside;
      CHIDOAN_TRY(o, desks.create_center(other_branch, {"Điểm hướng dẫn Điện lực", "", 3, 0, 3}));
      CHIDOAN_TRY(one, desks.center(c));
      CHIDOAN_TRY(two, desks.center(o));
      center = one;
      other = two;
      return {};
    }));
    // Two volunteers of the branch (the demo's roll, in the center's unit).
    auto rows = conn->query("SELECT id FROM members WHERE branch_id = ?1 AND status = 'active' ORDER BY id", {vpubnd});
    ASSERT_TRUE(rows && rows->size() >= 2);
    anh = (*rows)[0].i64(0);
    binh = (*rows)[1].i64(0);
    store = std::make_unique<AssistStore>(*conn, clock);
  }

  template <typename T>
  Result<T> in_tx(const std::function<Result<T>()>& fn) {
    std::optional<T> value;
    auto r = conn->transaction([&]() -> Result<void> {
      CHIDOAN_TRY(v, fn());
      value = std::move(v);
      return {};
    });
    if (!r) return std::unexpected(r.error());
    return std::move(*value);
  }
  Result<int64_t> add(int64_t center_id, const char* code, const char* level, std::vector<std::string> docs = {}) {
    return in_tx<int64_t>([&] { return store->add_procedure(center_id, ProcedureInput{code, std::string("Thủ tục ") + code, "", level, docs}); });
  }
  AssistInput assist(int64_t procedure, const char* at, const char* outcome = "submitted") {
    AssistInput in;
    in.procedure_id = procedure;
    in.at = vn(at);
    in.outcome = outcome;
    in.steps.scanned = true;
    in.steps.submitted = std::string(outcome) == "submitted";
    return in;
  }
  Result<int64_t> log(int64_t member, const AssistInput& in, const Center* c = nullptr) {
    return in_tx<int64_t>([&] { return store->log(c ? *c : center, member, in); });
  }
  int64_t count(const char* table) { return (*conn->query_one(std::string("SELECT COUNT(*) FROM ") + table))->i64(0); }

  FixedClock clock{std::chrono::sys_days{std::chrono::year{2021} / 11 / 30} + 10h};  // 17:00 in Vietnam
  std::unique_ptr<AssistStore> store;
  Center center, other;
  int64_t vpubnd = 0, other_branch = 0, outsider = 0, anh = 0, binh = 0;
};

TEST_P(DeskAssistStoreTest, TheCatalogue) {
  auto id = add(center.id, "1.001756", "4", {"Tờ khai", "Bản chụp CCCD"});
  ASSERT_TRUE(id) << id.error().message;
  ASSERT_TRUE(add(center.id, "1.000656", "3"));
  ASSERT_TRUE(add(other.id, "1.001756", "3"));  // the same code in another center
  auto dup = add(center.id, "1.001756", "3");
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().kind, ErrorKind::conflict);
  EXPECT_EQ(dup.error().field, "code");

  auto p = store->procedure(*id);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->documents, (std::vector<std::string>{"Tờ khai", "Bản chụp CCCD"}));
  EXPECT_TRUE(p->active);
  auto list = store->procedures(center.id, true);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].code, "1.000656");  // by code

  ASSERT_TRUE(conn->transaction([&] { return store->update_procedure(*id, {"1.001756", "Cấp Phiếu lý lịch tư pháp", "Tư pháp", "full", {}}); }));
  EXPECT_EQ(store->procedure(*id)->level, "full");
  EXPECT_TRUE(store->procedure(*id)->documents.empty());
  auto clash = conn->transaction([&] { return store->update_procedure(*id, {"1.000656", "x", "", "3", {}}); });
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().kind, ErrorKind::conflict);

  ASSERT_TRUE(conn->transaction([&] { return store->set_procedure_active(*id, false); }));
  EXPECT_EQ(store->procedures(center.id, true)->size(), 1u);
  EXPECT_EQ(store->procedures(center.id, false)->size(), 2u);
  EXPECT_FALSE(store->procedure(*id)->active);
  EXPECT_EQ(store->procedure(999999).error().kind, ErrorKind::not_found);
  EXPECT_EQ(conn->transaction([&] { return store->set_procedure_active(999999, true); }).error().kind, ErrorKind::not_found);
}

TEST_P(DeskAssistStoreTest, ImportUpsertsByCodeAndWritesNothingWhenARowIsBad) {
  auto first = add(center.id, "1.001756", "4");
  ASSERT_TRUE(first);
  ASSERT_TRUE(conn->transaction([&] { return store->set_procedure_active(*first, false); }));
  tabular::Table good{{"Mã thủ tục", "Tên thủ tục", "Mức độ", "Thành phần hồ sơ"},
                      {{"1.001756", "Cấp Phiếu lý lịch tư pháp", "Mức độ 4", "Tờ khai;Bản chụp CCCD"}, {"1.002809", "Đổi giấy phép lái xe", "4", ""}},
                      {2, 3}};
  auto mapped = assist_rules::map_procedure_table(good);
  ASSERT_TRUE(mapped);
  auto outcome = in_tx<AssistStore::ImportOutcome>([&] { return store->import_procedures(center.id, *mapped); });
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_EQ(outcome->added, 1u);
  EXPECT_EQ(outcome->updated, 1u);
  auto known = store->procedure(*first);
  EXPECT_EQ(known->name, "Cấp Phiếu lý lịch tư pháp");
  EXPECT_EQ(known->documents.size(), 2u);
  EXPECT_TRUE(known->active);  // listed in the file: in use again

  tabular::Table bad{{"Mã", "Tên", "Mức độ"}, {{"1.000656", "Chứng thực", "3"}, {"1.001234", "Sai mức", "Mức độ 2"}}, {2, 3}};
  auto bad_mapped = assist_rules::map_procedure_table(bad);
  ASSERT_TRUE(bad_mapped);
  int64_t before = count("desk_procedures");
  auto refused = in_tx<AssistStore::ImportOutcome>([&] { return store->import_procedures(center.id, *bad_mapped); });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().field, "file");
  EXPECT_NE(refused.error().message.find("Dòng 3"), std::string::npos) << refused.error().message;
  EXPECT_EQ(count("desk_procedures"), before);
}

TEST_P(DeskAssistStoreTest, LoggingChecksTheCenterTheShiftAndTheVolunteer) {
  auto lltp = add(center.id, "1.001756", "4");
  auto elsewhere = add(other.id, "1.000001", "3");
  auto retired = add(center.id, "2.000635", "3");
  ASSERT_TRUE(lltp && elsewhere && retired);
  ASSERT_TRUE(conn->transaction([&] { return store->set_procedure_active(*retired, false); }));
  auto shift = in_tx<int64_t>([&] { return make_shift(*conn, center.id, vpubnd, "2021-11-15", "07:30", "11:30"); });
  auto foreign = in_tx<int64_t>([&] { return make_shift(*conn, other.id, other_branch, "2021-11-15", "07:30", "11:30"); });
  ASSERT_TRUE(shift && foreign) << (shift ? foreign.error().message : shift.error().message);

  // The level comes from the procedure unless given.
  AssistInput in = assist(*lltp, "2021-11-15T08:30");
  in.shift_id = *shift;
  auto id = log(anh, in);
  ASSERT_TRUE(id) << id.error().message;
  auto a = store->assist(*id);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->level, "4");
  EXPECT_EQ(*a->shift_id, *shift);
  EXPECT_EQ(a->member_id, anh);
  EXPECT_EQ(a->procedure_code, "1.001756");
  EXPECT_FALSE(a->phone);
  in.level = "3";
  EXPECT_EQ(store->assist(*log(anh, in))->level, "3");

  auto refused = [&](AssistInput x, int64_t member, const char* field) {
    int64_t before = count("desk_assists");
    auto r = log(member, x);
    ASSERT_FALSE(r) << field;
    EXPECT_EQ(r.error().kind, ErrorKind::invalid) << field;
    EXPECT_EQ(r.error().field, field) << r.error().message;
    EXPECT_EQ(count("desk_assists"), before);
  };
  refused(assist(*elsewhere, "2021-11-15T08:30"), anh, "procedure_id");
  refused(assist(*retired, "2021-11-15T08:30"), anh, "procedure_id");
  refused(assist(987654, "2021-11-15T08:30"), anh, "procedure_id");
  AssistInput wrong_shift = assist(*lltp, "2021-11-15T08:30");
  wrong_shift.shift_id = *foreign;
  refused(wrong_shift, anh, "shift_id");
  wrong_shift.shift_id = 987654;
  refused(wrong_shift, anh, "shift_id");
  AssistInput late = assist(*lltp, "2021-11-15T12:31");
  late.shift_id = *shift;
  refused(late, anh, "at");
  refused(assist(*lltp, "2021-11-15T08:30"), outsider, "member_id");  // another branch's member
  AssistInput phone = assist(*lltp, "2021-11-15T08:30", "missing_papers");
  phone.phone = "+84912345678";  // without its consent
  refused(phone, anh, "phone_consent");
  phone.phone_consent_at = vn("2021-11-15T08:30");
  ASSERT_TRUE(log(anh, phone));
  // The other center's own procedure is fine there, for its own volunteer.
  ASSERT_TRUE(log(outsider, assist(*elsewhere, "2021-11-15T08:30"), &other));

  // A correction.
  ASSERT_TRUE(conn->transaction([&] { return store->remove(*id); }));
  EXPECT_EQ(store->assist(*id).error().kind, ErrorKind::not_found);
  EXPECT_EQ(conn->transaction([&] { return store->remove(*id); }).error().kind, ErrorKind::not_found);
}

TEST_P(DeskAssistStoreTest, TheMonthIsInVietnamTimeNewestFirst) {
  auto p = add(center.id, "1.001756", "4");
  ASSERT_TRUE(p);
  // Local time decides: 00:10 on 01/11 in Vietnam is still 31/10 in UTC, yet it is November's.
  for (const char* at : {"2021-11-01T00:10", "2021-11-30T16:59", "2021-11-15T09:00", "2021-10-31T23:59"}) ASSERT_TRUE(log(anh, assist(*p, at)));
  ASSERT_TRUE(log(binh, assist(*p, "2021-11-15T09:00", "referred")));
  auto nov = store->assists(center.id, "2021-11");
  ASSERT_TRUE(nov);
  ASSERT_EQ(nov->size(), 4u);
  EXPECT_EQ((*nov)[0].at, vn("2021-11-30T16:59"));
  EXPECT_EQ((*nov)[1].member_id, binh);  // the same minute: the later entry first
  EXPECT_EQ((*nov)[3].at, vn("2021-11-01T00:10"));
  EXPECT_EQ(store->assists(center.id, "2021-10")->size(), 1u);
  EXPECT_EQ(store->assists(center.id, "2021-11", anh)->size(), 3u);
  EXPECT_EQ(store->assists(center.id, "2021-11", std::nullopt, 2, 0)->size(), 2u);
  EXPECT_EQ(store->assists(center.id, "2021-11", std::nullopt, 2, 2)->back().at, vn("2021-11-01T00:10"));
  EXPECT_EQ(store->assists(other.id, "2021-11")->size(), 0u);
  EXPECT_EQ(store->assists(center.id, "2021-13").error().field, "month");
  EXPECT_EQ(store->assists(center.id, "2021").error().field, "month");
}

TEST_P(DeskAssistStoreTest, CountsPerVolunteerShiftProcedureAndMonth) {
  auto lltp = add(center.id, "1.001756", "4");
  auto gplx = add(center.id, "1.002809", "3");
  ASSERT_TRUE(lltp && gplx);
  auto morning = in_tx<int64_t>([&] { return make_shift(*conn, center.id, vpubnd, "2021-11-15", "07:30", "11:30"); });
  auto afternoon = in_tx<int64_t>([&] { return make_shift(*conn, center.id, vpubnd, "2021-11-15", "13:30", "17:00", "Ca chiều"); });
  ASSERT_TRUE(morning && afternoon);
  auto on = [&](AssistInput in, int64_t shift) {
    in.shift_id = shift;
    return in;
  };
  ASSERT_TRUE(log(anh, on(assist(*lltp, "2021-11-15T08:00"), *morning)));
  ASSERT_TRUE(log(anh, on(assist(*lltp, "2021-11-15T09:00", "missing_papers"), *morning)));
  ASSERT_TRUE(log(binh, on(assist(*gplx, "2021-11-15T14:00"), *afternoon)));
  ASSERT_TRUE(log(binh, on(assist(*gplx, "2021-11-15T15:00"), *afternoon)));
  ASSERT_TRUE(log(binh, assist(*gplx, "2021-11-16T10:00", "referred")));
  ASSERT_TRUE(log(anh, assist(*lltp, "2021-10-05T10:00")));
  AssistInput full = assist(*gplx, "2021-10-06T10:00");
  full.level = "full";
  ASSERT_TRUE(log(binh, full));

  auto nov = store->stats(center.id, "2021-11");
  ASSERT_TRUE(nov) << nov.error().message;
  EXPECT_EQ(nov->total.helped, 5);
  EXPECT_EQ(nov->total.submitted, 3);
  ASSERT_EQ(nov->by_volunteer.size(), 2u);
  EXPECT_EQ(nov->by_volunteer[0].member_id, binh);  // the most helped first
  EXPECT_EQ(nov->by_volunteer[0].n.helped, 3);
  EXPECT_EQ(nov->by_volunteer[0].n.submitted, 2);
  EXPECT_FALSE(nov->by_volunteer[0].name.empty());
  ASSERT_EQ(nov->by_shift.size(), 3u);
  EXPECT_EQ(*nov->by_shift[0].shift_id, *morning);
  EXPECT_EQ(nov->by_shift[0].n.helped, 2);
  EXPECT_EQ(nov->by_shift[0].n.submitted, 1);
  EXPECT_EQ(nov->by_shift[0].template_name, "Ca sáng");
  EXPECT_EQ(nov->by_shift[0].counter_name, "Bàn hướng dẫn");
  EXPECT_EQ(nov->by_shift[0].on_date, "2021-11-15");
  EXPECT_EQ(*nov->by_shift[1].shift_id, *afternoon);
  EXPECT_FALSE(nov->by_shift[2].shift_id);  // outside any shift: last
  EXPECT_EQ(nov->by_shift[2].n.helped, 1);
  ASSERT_EQ(nov->by_procedure.size(), 2u);
  EXPECT_EQ(nov->by_procedure[0].code, "1.002809");
  EXPECT_EQ(nov->by_procedure[0].n.helped, 3);
  ASSERT_EQ(nov->by_month.size(), 1u);
  EXPECT_EQ(nov->by_month[0].n.helped, 5);
  EXPECT_EQ(nov->by_outcome.at("submitted"), 3);
  EXPECT_EQ(nov->by_outcome.at("missing_papers"), 1);
  EXPECT_EQ(nov->by_outcome.at("referred"), 1);
  EXPECT_EQ(nov->by_level.at("4"), 2);
  EXPECT_EQ(nov->by_level.at("3"), 3);
  EXPECT_EQ(nov->by_level.at("partial"), 0);

  auto year = store->stats(center.id, "2021");
  ASSERT_TRUE(year);
  EXPECT_EQ(year->total.helped, 7);
  EXPECT_EQ(year->total.submitted, 5);
  ASSERT_EQ(year->by_month.size(), 12u);
  EXPECT_EQ(year->by_month[9].month, "2021-10");
  EXPECT_EQ(year->by_month[9].n.helped, 2);
  EXPECT_EQ(year->by_month[10].n.helped, 5);
  EXPECT_EQ(year->by_month[0].n.helped, 0);
  EXPECT_EQ(year->by_level.at("full"), 1);
  EXPECT_EQ(year->by_volunteer.size(), 2u);
  EXPECT_EQ(store->stats(other.id, "2021")->total.helped, 0);
  EXPECT_EQ(store->stats(center.id, "2022")->by_volunteer.size(), 0u);
  EXPECT_FALSE(store->stats(center.id, "21"));
  // Shifts of a day, for the form's picker.
  auto day = store->shifts_on(center.id, "2021-11-15");
  ASSERT_TRUE(day);
  ASSERT_EQ(day->size(), 2u);
  EXPECT_EQ((*day)[0].id, *morning);
  EXPECT_EQ((*day)[1].template_name, "Ca chiều");
  EXPECT_TRUE(store->shifts_on(center.id, "2021-11-16")->empty());
  EXPECT_TRUE(store->shifts_on(other.id, "2021-11-15")->empty());
}

CHIDOAN_INSTANTIATE_DB_TEST(DeskAssistStoreTest);

}  // namespace
}  // namespace chidoan::desk
