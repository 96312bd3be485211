// The club's notices on the demo club, on both engines: the reminders of a day go out once,
// by e-mail when the roll has an address and through the webhook to the phone otherwise, and
// never to a donor who did not consent to be called.
#include "blood/notices.hpp"

#include <gtest/gtest.h>

#include "blood/bundle.hpp"
#include "blood/store.hpp"
#include "org/bundle.hpp"
#include "platform/text/text.hpp"
#include "tests/support/demo.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::blood {
namespace {

class BloodNoticesTest : public chidoan::testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped()) return;
    ASSERT_TRUE(org::bundle::load(*conn, clock, chidoan::testing::demo_bundle({"blood"}), {bundle_section()}));
  }
  int64_t count(const std::string& sql) { return (*conn->query_one(sql))->i64(0); }
  Result<int> remind(const std::string& day) {
    int n = 0;
    auto r = conn->transaction([&]() -> Result<void> {
      CHIDOAN_TRY(k, enqueue_reminders(*conn, clock, texts, *parse_date(day)));
      n = k;
      return {};
    });
    if (!r) return std::unexpected(r.error());
    return n;
  }

  FixedClock clock{std::chrono::sys_days{std::chrono::year{2022} / 1 / 15}};
  render::Renderer texts;
};

TEST_P(BloodNoticesTest, RemindersOfADayGoOutOnceToThoseWhoMayBeCalled) {
  // The demo's donors who become eligible again after a donation, and may be called: their day.
  auto due = conn->query_one(
      "SELECT next_eligible_on, COUNT(*) FROM blood_donors WHERE consent_call_on IS NOT NULL AND last_donation_on IS NOT NULL "
      "GROUP BY next_eligible_on ORDER BY COUNT(*) DESC, next_eligible_on LIMIT 1");
  ASSERT_TRUE(due && *due);
  std::string day = (*due)->str(0);
  int64_t expected = (*due)->i64(1);
  auto n = remind(day);
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(*n, expected);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE kind = 'blood.reminder'"), expected);
  EXPECT_EQ(count("SELECT COUNT(*) FROM blood_reminders"), expected);
  // The text names the day, in Vietnamese.
  auto sent = conn->query_one("SELECT subject, body, channel, recipient FROM outbox WHERE kind = 'blood.reminder' ORDER BY id LIMIT 1");
  ASSERT_TRUE(sent && *sent);
  EXPECT_NE((*sent)->str(0).find("hiến máu trở lại từ " + text::format_date(day)), std::string::npos) << (*sent)->str(0);
  EXPECT_NE((*sent)->str(1).find("khám sàng lọc"), std::string::npos);
  // E-mail when the roll has an address, else the phone.
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE kind = 'blood.reminder' AND channel = 'email' AND recipient NOT LIKE '%@%'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE kind = 'blood.reminder' AND channel = 'webhook' AND recipient NOT LIKE '+84%'"), 0);
  // Again the same day, or later in the week: nothing new.
  EXPECT_EQ(*remind(day), 0);
  EXPECT_EQ(*remind(to_iso(rules::add_days(*parse_date(day), 3))), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), expected);
}

TEST_P(BloodNoticesTest, NobodyWithoutTheCallConsentIsReminded) {
  ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
    Store store(*conn, clock);
    CHIDOAN_TRY(clubs, store.clubs());
    for (const auto& c : clubs) {
      CHIDOAN_TRY(donors, store.donors(c.id));
      for (const auto& d : donors)
        if (!d.consent_call_on.empty()) CHIDOAN_TRY_VOID(store.withdraw_consent(d.id, Consent::call, "2022-01-15"));
    }
    return {};
  }));
  auto days = conn->query("SELECT DISTINCT next_eligible_on FROM blood_donors WHERE next_eligible_on IS NOT NULL");
  ASSERT_TRUE(days);
  for (const auto& d : *days) EXPECT_EQ(*remind(d.str(0)), 0) << d.str(0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), 0);
}

CHIDOAN_INSTANTIATE_DB_TEST(BloodNoticesTest);

}  // namespace
}  // namespace chidoan::blood
