#include "org/rules.hpp"

#include <gtest/gtest.h>

namespace chidoan::org::rules {
namespace {

Date d(const char* iso) { return *parse_date(iso); }

RawFields valid() {
  return {{"family_name", "Phan"}, {"middle_name", "Văn"}, {"given_name", "Sang"}, {"sex", "male"},
          {"birth_date", "1990-08-14"}, {"cccd", "068090123456"}, {"phone", "0912 345 678"},
          {"email", "Sang@Example.VN"}, {"joined_union_on", "2007-03-26"}, {"branch_since", "2021-04-01"}};
}

TEST(MemberRules, ValidInputIsNormalised) {
  auto m = validate_member(valid(), d("2021-12-31"));
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->phone, "+84912345678");
  EXPECT_EQ(m->email, "sang@example.vn");
  EXPECT_EQ(m->cccd, "068090123456");
  EXPECT_EQ(m->branch_since, "2021-04-01");
}

TEST(MemberRules, DecomposedNamesBecomeNfc) {
  auto raw = valid();
  raw["given_name"] = "Vie\u0323\u0302t";
  auto m = validate_member(raw, d("2021-12-31"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->given_name, "Việt");
}

struct BadCase {
  const char* field;
  const char* value;
};

class MemberRulesBad : public ::testing::TestWithParam<BadCase> {};

TEST_P(MemberRulesBad, NamesTheField) {
  auto raw = valid();
  raw[GetParam().field] = GetParam().value;
  auto m = validate_member(raw, d("2021-12-31"));
  ASSERT_FALSE(m) << GetParam().field << "=" << GetParam().value;
  EXPECT_EQ(m.error().kind, ErrorKind::invalid);
  EXPECT_EQ(m.error().field, GetParam().field);
  EXPECT_FALSE(m.error().message.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Fields, MemberRulesBad,
    ::testing::Values(BadCase{"family_name", ""}, BadCase{"given_name", "  "}, BadCase{"sex", "x"},
                      BadCase{"birth_date", "2000-02-31"}, BadCase{"birth_date", "31/02/2000"},
                      BadCase{"birth_date", "2030-01-01"}, BadCase{"birth_date", ""}, BadCase{"cccd", "06809012345"},
                      BadCase{"cccd", "0680901234567"}, BadCase{"cccd", "06809012345a"}, BadCase{"cccd", "999090123456"},
                      BadCase{"cccd", "068191123456"}, BadCase{"cccd", "068088123456"}, BadCase{"phone", "12345"},
                      BadCase{"phone", "0112345678"}, BadCase{"email", "sang@"}, BadCase{"email", "a b@c.vn"},
                      BadCase{"joined_union_on", "2003-01-01"}, BadCase{"joined_union_on", "2025-01-01"},
                      BadCase{"branch_since", "2022-01-01"}, BadCase{"branch_since", "2006-01-01"},
                      BadCase{"unit_id", "abc"}, BadCase{"committee_role", "king"},
                      BadCase{"family_name", "\xff\xfe"}));

TEST(MemberRules, HtmlInNamesIsKeptAsText) {
  auto raw = valid();
  raw["given_name"] = "<script>alert(1)</script>";
  auto m = validate_member(raw, d("2021-12-31"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->given_name, "<script>alert(1)</script>");
}

TEST(Cccd, CenturyAndSexDigit) {
  EXPECT_TRUE(check_cccd("068190123456", d("1990-01-01"), "female"));
  EXPECT_TRUE(check_cccd("079203123456", d("2003-05-05"), "male"));
  EXPECT_TRUE(check_cccd("079303123456", d("2003-05-05"), "female"));
  EXPECT_FALSE(check_cccd("079303123456", d("2003-05-05"), "male"));
  EXPECT_TRUE(check_cccd("068 090 123 456", std::nullopt, ""));
}

TEST(Phone, VietnameseForms) {
  EXPECT_EQ(*normalize_phone("+84 912 345 678"), "+84912345678");
  EXPECT_EQ(*normalize_phone("84912345678"), "+84912345678");
  EXPECT_EQ(*normalize_phone("091.234.5678"), "+84912345678");
  EXPECT_EQ(*normalize_phone("(0263) 3822 123"), "+842633822123");
  EXPECT_FALSE(normalize_phone("0912345"));
  EXPECT_FALSE(normalize_phone("09123456789"));
  EXPECT_FALSE(normalize_phone("0912-345-67x"));
}

TEST(Dates, IsoAndVietnamese) {
  EXPECT_EQ(to_iso(*parse_any_date("2/11/2021", "d")), "2021-11-02");
  EXPECT_EQ(to_iso(*parse_any_date("02/11/2021", "d")), "2021-11-02");
  EXPECT_EQ(to_iso(*parse_any_date("2021-11-02", "d")), "2021-11-02");
  EXPECT_FALSE(parse_any_date("29/02/2021", "d"));
  EXPECT_TRUE(parse_any_date("29/02/2020", "d"));
  EXPECT_FALSE(parse_any_date("2021/11/02", "d"));
}

TEST(Maturity, AfterThirtiethBirthday) {
  EXPECT_FALSE(due_for_maturity(d("1991-12-31"), d("2021-12-31")));
  EXPECT_TRUE(due_for_maturity(d("1991-12-30"), d("2021-12-31")));
  EXPECT_FALSE(due_for_maturity(d("2000-02-29"), d("2030-02-28")));
  EXPECT_TRUE(due_for_maturity(d("2000-02-29"), d("2030-03-01")));
}

TEST(Names, SplitFullName) {
  auto p = split_full_name("  Nguyễn  Thị Ngọc Ánh ");
  EXPECT_EQ(p.family, "Nguyễn");
  EXPECT_EQ(p.middle, "Thị Ngọc");
  EXPECT_EQ(p.given, "Ánh");
  auto two = split_full_name("Lê Na");
  EXPECT_EQ(two.family, "Lê");
  EXPECT_EQ(two.middle, "");
  EXPECT_EQ(two.given, "Na");
}

TEST(Lifecycle, Preconditions) {
  Member m;
  m.id = 1;
  m.branch_id = 10;
  m.birth_date = "1990-08-14";
  Org dissolved{.id = 11, .name = "Chi đoàn cũ", .holds_members = true, .status = "dissolved"};
  Org other{.id = 12, .name = "Chi đoàn mới", .holds_members = true};
  Org same{.id = 10, .holds_members = true};
  Org upper{.id = 13, .holds_members = false};
  Date today = d("2021-12-31");
  EXPECT_EQ(check_lifecycle(Lifecycle::transfer, m, today, today, "", &dissolved).error().field, "target_branch_id");
  EXPECT_FALSE(check_lifecycle(Lifecycle::transfer, m, today, today, "", &same));
  EXPECT_FALSE(check_lifecycle(Lifecycle::transfer, m, today, today, "", &upper));
  EXPECT_FALSE(check_lifecycle(Lifecycle::transfer, m, today, today, "", nullptr));
  EXPECT_TRUE(check_lifecycle(Lifecycle::transfer, m, today, today, "", &other));
  EXPECT_EQ(check_lifecycle(Lifecycle::remove, m, today, today, "", nullptr).error().field, "reason");
  EXPECT_TRUE(check_lifecycle(Lifecycle::remove, m, today, today, "Bỏ sinh hoạt 6 tháng", nullptr));
  EXPECT_TRUE(check_lifecycle(Lifecycle::mature, m, today, today, "", nullptr));
  EXPECT_FALSE(check_lifecycle(Lifecycle::mature, m, d("2020-01-01"), today, "", nullptr));
  EXPECT_EQ(check_lifecycle(Lifecycle::remove, m, d("2022-01-01"), today, "x", nullptr).error().field, "effective_on");
  m.status = "removed";
  EXPECT_EQ(check_lifecycle(Lifecycle::remove, m, today, today, "x", nullptr).error().kind, ErrorKind::conflict);
}

TEST(OrgRules, CodesAndLevels) {
  EXPECT_EQ(*check_org_code("vpubnd"), "VPUBND");
  EXPECT_FALSE(check_org_code("V"));
  EXPECT_FALSE(check_org_code("VP UBND"));
  EXPECT_FALSE(check_org_code("VPUBND'; DROP TABLE orgs;--"));
  Level province{1, 1, "Tỉnh", false}, branch{4, 4, "Chi đoàn", true}, center{0, 0, "TW", false};
  EXPECT_TRUE(check_child_level(province, branch));
  EXPECT_FALSE(check_child_level(branch, branch));
  EXPECT_FALSE(check_child_level(province, center));
}

}  // namespace
TEST(OrgRules, TreeShowsTheLevelsThatFit) {
  // The demo's tree: everything fits.
  EXPECT_EQ(tree_depth_shown({1, 1, 1, 4}, 2000), 3u);
  // A province (1 + 11 districts + 1,600 branches) fits; the nation (63 provinces, 700 districts,
  // 100,000 branches) stops at the districts.
  EXPECT_EQ(tree_depth_shown({1, 11, 1600}, 2000), 2u);
  EXPECT_EQ(tree_depth_shown({1, 63, 700, 100000}, 2000), 2u);
  // The top and its children always, however many.
  EXPECT_EQ(tree_depth_shown({1, 5000, 20000}, 2000), 1u);
  EXPECT_EQ(tree_depth_shown({1}, 2000), 0u);
  EXPECT_EQ(tree_depth_shown({}, 2000), 0u);
  // Exactly at the cap fits; one more does not.
  EXPECT_EQ(tree_depth_shown({1, 9, 10}, 20), 2u);
  EXPECT_EQ(tree_depth_shown({1, 9, 11}, 20), 1u);
}

}  // namespace chidoan::org::rules
