// The awards register on both engines: validation names the field, the store adds, lists (by
// subtree and year, by decision date, with the recipient's name), reads and removes awards and
// refuses a recipient outside the register org's subtree; the "review" bundle section loads and
// dumps back as it is, and bad input is refused with its JSON path and nothing written.
#include "review/awards.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "org/bundle.hpp"
#include "org/store.hpp"
#include "review/awards_bundle.hpp"
#include "tests/support/demo.hpp"
#include "tests/support/route_world.hpp"
#include "tests/support/test_db.hpp"
#include "tests/support/world_test.hpp"

namespace chidoan::review {
namespace {

using nlohmann::json;
using Raw = std::map<std::string, std::string, std::less<>>;

// ---- Rules (no database) -------------------------------------------------------------------

Raw good_raw() {
  return {{"member_id", "7"},
          {"kind", "certificate_of_merit"},
          {"title", "  Đã có thành tích xuất sắc trong công tác Đoàn năm 2021 "},
          {"issuer", "Ban Chấp hành Tỉnh đoàn Lâm Đồng"},
          {"decision_no", "123-QĐ/TĐTN-VP"},
          {"decision_on", "2022-01-20"},
          {"year", "2021"},
          {"note", ""}};
}

TEST(AwardRules, AcceptsAWellFormedAward) {
  auto in = validate_award(good_raw());
  ASSERT_TRUE(in) << in.error().field << ": " << in.error().message;
  EXPECT_EQ(in->member_id, std::optional<int64_t>(7));
  EXPECT_FALSE(in->recipient_org_id);
  EXPECT_EQ(in->kind, "certificate_of_merit");
  EXPECT_EQ(in->title, "Đã có thành tích xuất sắc trong công tác Đoàn năm 2021");
  EXPECT_EQ(in->decision_on, "2022-01-20");
  EXPECT_EQ(in->year, 2021);
  // A title is one line.
  Raw lines = good_raw();
  lines["title"] = "hai\ndòng";
  EXPECT_EQ(validate_award(lines)->title.find('\n'), std::string::npos);

  Raw org = good_raw();
  org.erase("member_id");
  org["recipient_org_id"] = "3";
  org["decision_no"] = "";
  auto o = validate_award(org);
  ASSERT_TRUE(o) << o.error().message;
  EXPECT_EQ(o->recipient_org_id, std::optional<int64_t>(3));
  EXPECT_FALSE(o->member_id);
}

TEST(AwardRules, EachBadFieldIsNamed) {
  struct Case {
    std::function<void(Raw&)> change;
    const char* field;
  };
  const std::vector<Case> cases = {
      {[](Raw& r) { r.erase("member_id"); }, "member_id"},
      {[](Raw& r) { r["member_id"] = "abc"; }, "member_id"},
      {[](Raw& r) { r["member_id"] = "0"; }, "member_id"},
      {[](Raw& r) { r["recipient_org_id"] = "3"; }, "recipient_org_id"},
      {[](Raw& r) { r["kind"] = ""; }, "kind"},
      {[](Raw& r) { r["kind"] = "medal"; }, "kind"},
      {[](Raw& r) { r["title"] = "   "; }, "title"},
      {[](Raw& r) { r["title"] = std::string(301, 'a'); }, "title"},
      {[](Raw& r) { r["title"] = "h\xffi"; }, "title"},  // not UTF-8
      {[](Raw& r) { r["issuer"] = ""; }, "issuer"},
      {[](Raw& r) { r["issuer"] = std::string(201, 'b'); }, "issuer"},
      {[](Raw& r) { r["decision_no"] = std::string(61, '1'); }, "decision_no"},
      {[](Raw& r) { r["decision_on"] = ""; }, "decision_on"},
      {[](Raw& r) { r["decision_on"] = "2022-02-30"; }, "decision_on"},
      {[](Raw& r) { r["decision_on"] = "20/01/2022"; }, "decision_on"},
      {[](Raw& r) { r["year"] = ""; }, "year"},
      {[](Raw& r) { r["year"] = "1929"; }, "year"},
      {[](Raw& r) { r["year"] = "2101"; }, "year"},
      {[](Raw& r) { r["year"] = "năm 2021"; }, "year"},
      {[](Raw& r) { r["note"] = std::string(1001, 'n'); }, "note"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    Raw raw = good_raw();
    cases[i].change(raw);
    auto in = validate_award(raw);
    ASSERT_FALSE(in) << "case " << i;
    EXPECT_EQ(in.error().kind, ErrorKind::invalid) << "case " << i;
    EXPECT_EQ(in.error().field, cases[i].field) << "case " << i << ": " << in.error().message;
    EXPECT_FALSE(in.error().message.empty()) << "case " << i;
  }
  // A note may have several lines.
  Raw lines = good_raw();
  lines["note"] = "dòng một\ndòng hai";
  EXPECT_TRUE(validate_award(lines));
}

TEST(AwardRules, KindsHaveVietnameseLabels) {
  EXPECT_EQ(kind_label("certificate_of_merit"), "Bằng khen");
  EXPECT_EQ(kind_label("commendation"), "Giấy khen");
  EXPECT_EQ(kind_label("flag"), "Cờ thi đua");
  EXPECT_EQ(kind_label("title"), "Danh hiệu");
  EXPECT_EQ(kind_label("other"), "Khác");
  for (const char* k : kAwardKinds) EXPECT_NE(kind_label(k), k) << k;
}

// ---- Storage --------------------------------------------------------------------------------

class AwardStoreTest : public chidoan::testing::WorldTest {
 protected:
  FixedClock clock{std::chrono::sys_days{std::chrono::year{2022} / 1 / 15}};

  int64_t org_id(const char* code) { return (*org::Store(*conn, clock).org_by_code(code))->id; }
  int64_t count() { return (*conn->query_one("SELECT COUNT(*) FROM awards"))->i64(0); }
  // The first member (by id) whose current branch is `code`, and their "Họ Đệm Tên".
  std::pair<int64_t, std::string> member_of(const char* code) {
    auto r = conn->query_one("SELECT m.id, m.family_name, m.middle_name, m.given_name FROM members m JOIN orgs o ON o.id = m.branch_id "
                             "WHERE o.code = ?1 ORDER BY m.id LIMIT 1",
                             {std::string(code)});
    EXPECT_TRUE(r && *r) << code;
    if (!r || !*r) return {0, ""};
    return {(*r)->i64(0), org::full_name_of(**r, 1)};
  }
  void prepare() {
    load_world(clock);
    other_branch = world.other_branch;
    other_member = world.other_member;
  }
  static AwardInput input(std::optional<int64_t> member, std::optional<int64_t> org, const std::string& decision_on, int64_t year) {
    AwardInput in;
    in.member_id = member;
    in.recipient_org_id = org;
    in.kind = "commendation";
    in.title = "Hoàn thành xuất sắc nhiệm vụ năm " + std::to_string(year);
    in.issuer = "Ban Thường vụ Đoàn khối";
    in.decision_no = "12-QĐ/ĐK";
    in.decision_on = decision_on;
    in.year = year;
    in.note = "ghi chú";
    return in;
  }

  int64_t other_branch = 0, other_member = 0;
};

TEST_P(AwardStoreTest, AddsListsReadsAndRemoves) {
  prepare();
  AwardStore store(*conn, clock);
  const int64_t vpubnd = org_id("VPUBND"), vpdbqh = org_id("VPDBQH"), dkcq = org_id("DKCQ");
  auto [member, member_name] = member_of("VPUBND");
  auto [member2, member2_name] = member_of("VPDBQH");

  // VPUBND's register: its member, 2021, decided in January 2022.
  auto a = store.add(vpubnd, input(member, std::nullopt, "2022-01-20", 2021));
  ASSERT_TRUE(a) << a.error().field << ": " << a.error().message;
  // The Đoàn khối's register: the branch VPUBND itself, 2021, decided earlier.
  AwardInput flag = input(std::nullopt, vpubnd, "2021-12-30", 2021);
  flag.kind = "flag";
  auto b = store.add(dkcq, flag);
  ASSERT_TRUE(b) << b.error().field << ": " << b.error().message;
  // VPDBQH's register: its member, 2020.
  auto c = store.add(vpdbqh, input(member2, std::nullopt, "2021-01-10", 2020));
  ASSERT_TRUE(c) << c.error().field << ": " << c.error().message;
  EXPECT_EQ(count(), 3);

  auto read = store.award(*a);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->id, *a);
  EXPECT_EQ(read->org_id, vpubnd);
  EXPECT_EQ(read->member_id, std::optional<int64_t>(member));
  EXPECT_FALSE(read->recipient_org_id);
  EXPECT_EQ(read->recipient_name, member_name);
  EXPECT_EQ(read->kind, "commendation");
  EXPECT_EQ(read->title, "Hoàn thành xuất sắc nhiệm vụ năm 2021");
  EXPECT_EQ(read->issuer, "Ban Thường vụ Đoàn khối");
  EXPECT_EQ(read->decision_no, "12-QĐ/ĐK");
  EXPECT_EQ(read->decision_on, "2022-01-20");
  EXPECT_EQ(read->year, 2021);
  EXPECT_EQ(read->note, "ghi chú");
  auto org_award = store.award(*b);
  ASSERT_TRUE(org_award);
  EXPECT_EQ(org_award->recipient_org_id, std::optional<int64_t>(vpubnd));
  EXPECT_FALSE(org_award->member_id);
  EXPECT_EQ(org_award->recipient_name, (*org::Store(*conn, clock).org_by_code("VPUBND"))->name);
  EXPECT_FALSE(org_award->recipient_name.empty());

  auto ids = [](const std::vector<Award>& v) {
    std::vector<int64_t> out;
    for (const auto& x : v) out.push_back(x.id);
    return out;
  };
  // The Đoàn khối's subtree in 2021: both 2021 awards, by decision date.
  auto dk2021 = store.awards(dkcq, 2021);
  ASSERT_TRUE(dk2021) << dk2021.error().message;
  EXPECT_EQ(ids(*dk2021), (std::vector<int64_t>{*b, *a}));
  // All years: VPDBQH's 2020 award first (decided in 2021-01).
  auto all = store.awards(org_id("TW"), std::nullopt);
  ASSERT_TRUE(all);
  EXPECT_EQ(ids(*all), (std::vector<int64_t>{*c, *b, *a}));
  EXPECT_EQ(all->front().recipient_name, member2_name);
  // A branch sees its own register only; another year is empty; OTHER has nothing.
  EXPECT_EQ(ids(*store.awards(vpubnd, std::nullopt)), (std::vector<int64_t>{*a}));
  EXPECT_EQ(ids(*store.awards(vpdbqh, 2020)), (std::vector<int64_t>{*c}));
  EXPECT_TRUE(store.awards(vpubnd, 2020)->empty());
  EXPECT_TRUE(store.awards(other_branch, std::nullopt)->empty());

  ASSERT_TRUE(store.remove(*a));
  EXPECT_EQ(count(), 2);
  auto gone = store.award(*a);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().kind, ErrorKind::not_found);
  auto again = store.remove(*a);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, ErrorKind::not_found);
  EXPECT_EQ(ids(*store.awards(dkcq, 2021)), (std::vector<int64_t>{*b}));
}

TEST_P(AwardStoreTest, ARecipientOutsideTheSubtreeIsRefusedOnItsField) {
  prepare();
  AwardStore store(*conn, clock);
  const int64_t vpubnd = org_id("VPUBND"), dkcq = org_id("DKCQ");
  auto [vpdbqh_member, name] = member_of("VPDBQH");
  struct Case {
    int64_t org;
    std::optional<int64_t> member, recipient;
    const char* field;
  };
  const std::vector<Case> cases = {
      {vpubnd, vpdbqh_member, std::nullopt, "member_id"},   // a sibling branch's member
      {vpubnd, other_member, std::nullopt, "member_id"},    // outside the Đoàn khối
      {dkcq, other_member, std::nullopt, "member_id"},
      {vpubnd, std::nullopt, dkcq, "recipient_org_id"},     // the parent
      {vpubnd, std::nullopt, org_id("VPDBQH"), "recipient_org_id"},
      {dkcq, std::nullopt, other_branch, "recipient_org_id"},
      {vpubnd, int64_t{999999}, std::nullopt, "member_id"}, // no such member
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    auto r = store.add(cases[i].org, input(cases[i].member, cases[i].recipient, "2022-01-20", 2021));
    ASSERT_FALSE(r) << "case " << i;
    EXPECT_EQ(r.error().kind, ErrorKind::invalid) << "case " << i;
    EXPECT_EQ(r.error().field, cases[i].field) << "case " << i << ": " << r.error().message;
  }
  // Neither or both recipients, or no such register org.
  EXPECT_FALSE(store.add(vpubnd, input(std::nullopt, std::nullopt, "2022-01-20", 2021)));
  EXPECT_FALSE(store.add(vpubnd, input(member_of("VPUBND").first, vpubnd, "2022-01-20", 2021)));
  auto no_org = store.add(999999, input(std::nullopt, vpubnd, "2022-01-20", 2021));
  ASSERT_FALSE(no_org);
  EXPECT_EQ(no_org.error().kind, ErrorKind::not_found);
  EXPECT_EQ(count(), 0);
  // The same recipients in a register that covers them are accepted.
  EXPECT_TRUE(store.add(dkcq, input(vpdbqh_member, std::nullopt, "2022-01-20", 2021)));
  EXPECT_TRUE(store.add(org_id("LD"), input(std::nullopt, other_branch, "2022-01-20", 2021)));
  EXPECT_TRUE(store.add(other_branch, input(other_member, std::nullopt, "2022-01-20", 2021)));
  EXPECT_EQ(count(), 3);
}

CHIDOAN_INSTANTIATE_DB_TEST(AwardStoreTest);

// ---- The bundle section ----------------------------------------------------------------------

// Demo member refs: one now in VPUBND and one who only ever stayed in VPDBQH.
struct DemoRefs {
  std::string vpubnd, vpdbqh_only;
};
DemoRefs demo_refs() {
  DemoRefs out;
  const json doc = chidoan::testing::demo_bundle_full();
  for (const auto& m : doc["members"]) {
    std::set<std::string> branches;
    for (const auto& p : m["periods"]) branches.insert(p["branch"].get<std::string>());
    if (out.vpubnd.empty() && m["periods"].back()["branch"] == "VPUBND") out.vpubnd = m["ref"];
    if (out.vpdbqh_only.empty() && branches == std::set<std::string>{"VPDBQH"}) out.vpdbqh_only = m["ref"];
  }
  return out;
}

json section() {
  DemoRefs refs = demo_refs();
  EXPECT_FALSE(refs.vpubnd.empty());
  EXPECT_FALSE(refs.vpdbqh_only.empty());
  return {{"awards",
           {{{"org", "VPUBND"},
             {"member", refs.vpubnd},
             {"recipient_org", nullptr},
             {"kind", "commendation"},
             {"title", "Hoàn thành xuất sắc nhiệm vụ năm 2021"},
             {"issuer", "Ban Thường vụ Đoàn khối"},
             {"decision_no", "05-QĐ/ĐK"},
             {"decision_on", "2022-01-10"},
             {"year", 2021},
             {"note", ""}},
            {{"org", "DKCQ"},
             {"member", nullptr},
             {"recipient_org", "VPUBND"},
             {"kind", "certificate_of_merit"},
             {"title", "Đã có thành tích xuất sắc trong công tác Đoàn năm 2021"},
             {"issuer", "Ban Chấp hành Tỉnh đoàn Lâm Đồng"},
             {"decision_no", "123-QĐ/TĐTN-VP"},
             {"decision_on", "2022-01-20"},
             {"year", 2021},
             {"note", "Trao tại hội nghị tổng kết\nnăm 2021"}},
            {{"org", "VPDBQH"},
             {"member", refs.vpdbqh_only},
             {"recipient_org", nullptr},
             {"kind", "title"},
             {"title", "Đoàn viên ưu tú"},
             {"issuer", "Chi đoàn Văn phòng Đoàn ĐBQH"},
             {"decision_no", ""},
             {"decision_on", "2020-12-28"},
             {"year", 2020},
             {"note", ""}}}}};
}

class AwardsBundleTest : public AwardStoreTest {
 protected:
  void prepare_known() {
    prepare();
    auto names = chidoan::testing::demo_names(*conn);
    ASSERT_TRUE(names) << names.error().message;
    known = names->known;
    refs = names->refs;
  }
  // Validated, then loaded in one transaction, as org::bundle::load does.
  Result<void> load_review(const json& s) {
    auto sec = awards_bundle_section();
    CHIDOAN_TRY_VOID(sec.validate(*conn, s, known));
    return conn->transaction([&]() -> Result<void> { return sec.load(*conn, clock, s, refs); });
  }
  Result<json> dump_review(const char* root) {
    auto id = org::Store(*conn, clock).org_by_code(root);
    if (!id || !*id) return fail(ErrorKind::not_found, root);
    CHIDOAN_TRY(doc, org::bundle::dump(*conn, clock, (*id)->id, {awards_bundle_section()}));
    return doc.contains("review") ? doc["review"] : json(nullptr);
  }

  chidoan::bundle::Known known;
  chidoan::bundle::Refs refs;
};

TEST_P(AwardsBundleTest, LoadsWithTheOrgPartAndDumpsAsItIs) {
  EXPECT_EQ(awards_bundle_section().key, "review");
  json doc = chidoan::testing::demo_bundle();
  doc["review"] = section();
  auto r = org::bundle::load(*conn, clock, doc, {awards_bundle_section()});
  ASSERT_TRUE(r) << r.error().field << ": " << r.error().message;
  EXPECT_EQ(count(), 3);

  auto dumped = dump_review("TW");
  ASSERT_TRUE(dumped) << dumped.error().message;
  EXPECT_EQ(*dumped, section());
  EXPECT_EQ(dumped->dump(2), section().dump(2));

  // What the store reads of them.
  AwardStore store(*conn, clock);
  auto dk = store.awards(org_id("DKCQ"), 2021);
  ASSERT_TRUE(dk);
  ASSERT_EQ(dk->size(), 2u);
  EXPECT_EQ((*dk)[0].decision_on, "2022-01-10");
  EXPECT_EQ((*dk)[1].recipient_org_id, std::optional<int64_t>(org_id("VPUBND")));

  // A subtree's dump holds its registers' awards only; a subtree without any has no section.
  auto vpdbqh = dump_review("VPDBQH");
  ASSERT_TRUE(vpdbqh);
  ASSERT_TRUE(vpdbqh->is_object()) << vpdbqh->dump();
  EXPECT_EQ(*vpdbqh, (json{{"awards", {section()["awards"][2]}}}));
  auto vpubnd = dump_review("VPUBND");
  ASSERT_TRUE(vpubnd);
  EXPECT_EQ(*vpubnd, (json{{"awards", {section()["awards"][0]}}}));

  // The dump of the whole loads into another database and dumps the same again.
  auto whole = org::bundle::dump(*conn, clock, org_id("TW"), {awards_bundle_section()});
  ASSERT_TRUE(whole) << whole.error().message;
  auto other = chidoan::testing::FreshDatabase::create(GetParam(), /*migrated=*/true);
  ASSERT_TRUE(other) << other.error().message;
  {
    auto c2 = db::Connection::open(other->url());
    ASSERT_TRUE(c2);
    auto r2 = org::bundle::load(**c2, clock, *whole, {awards_bundle_section()});
    ASSERT_TRUE(r2) << r2.error().field << ": " << r2.error().message;
    auto id = org::Store(**c2, clock).org_by_code("TW");
    ASSERT_TRUE(id && *id);
    auto again = org::bundle::dump(**c2, clock, (*id)->id, {awards_bundle_section()});
    ASSERT_TRUE(again);
    EXPECT_EQ((*again)["review"], section());
  }
}

TEST_P(AwardsBundleTest, BadInputIsRefusedWithItsJsonPath) {
  prepare_known();
  // What the refusals below change loads as it is.
  ASSERT_TRUE(load_review(section()));
  EXPECT_EQ(count(), 3);
  ASSERT_TRUE(conn->execute("DELETE FROM awards"));

  struct Case {
    std::function<void(json&)> change;
    const char* field;
  };
  const std::vector<Case> cases = {
      {[](json& s) { s["extra"] = 1; }, "$.review.extra"},
      {[](json& s) { s["awards"] = "none"; }, "$.review.awards"},
      {[](json& s) { s["awards"][1]["color"] = "red"; }, "$.review.awards[1].color"},
      {[](json& s) { s["awards"][0].erase("org"); }, "$.review.awards[0].org"},
      {[](json& s) { s["awards"][0]["org"] = "NOWHERE"; }, "$.review.awards[0].org"},
      {[](json& s) { s["awards"][0]["member"] = "M9999"; }, "$.review.awards[0].member"},
      {[](json& s) { s["awards"][0]["member"] = nullptr; }, "$.review.awards[0].member"},
      {[](json& s) { s["awards"][0]["recipient_org"] = "VPUBND"; }, "$.review.awards[0].recipient_org"},
      {[](json& s) { s["awards"][1]["recipient_org"] = "NOWHERE"; }, "$.review.awards[1].recipient_org"},
      {[](json& s) { s["awards"][1]["kind"] = "medal"; }, "$.review.awards[1].kind"},
      {[](json& s) { s["awards"][1]["title"] = ""; }, "$.review.awards[1].title"},
      {[](json& s) { s["awards"][1]["issuer"] = 5; }, "$.review.awards[1].issuer"},
      {[](json& s) { s["awards"][1]["decision_on"] = "2022-13-01"; }, "$.review.awards[1].decision_on"},
      {[](json& s) { s["awards"][1].erase("decision_on"); }, "$.review.awards[1].decision_on"},
      {[](json& s) { s["awards"][1]["year"] = "2021"; }, "$.review.awards[1].year"},
      {[](json& s) { s["awards"][1]["year"] = 1900; }, "$.review.awards[1].year"},
      {[](json& s) { s["awards"][1]["note"] = std::string(1001, 'x'); }, "$.review.awards[1].note"},
      // Recipients outside the register's subtree: found by the load, still nothing written.
      {[](json& s) { s["awards"][1]["org"] = "VPDBQH"; }, "$.review.awards[1].recipient_org"},
      {[](json& s) { s["awards"][2]["org"] = "VPUBND"; }, "$.review.awards[2].member"},
      {[](json& s) { s["awards"][1]["recipient_org"] = "OTHER"; }, "$.review.awards[1].recipient_org"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    json s = section();
    cases[i].change(s);
    auto r = load_review(s);
    ASSERT_FALSE(r) << "case " << i << " loaded";
    EXPECT_EQ(r.error().kind, ErrorKind::invalid) << "case " << i;
    EXPECT_EQ(r.error().field, cases[i].field) << "case " << i << ": " << r.error().message;
    EXPECT_EQ(count(), 0) << "case " << i;
  }
  // A recipient org in the database but not in the bundle is fine when it is in the subtree.
  json s = section();
  s["awards"] = json::array({s["awards"][1]});
  s["awards"][0]["org"] = "OTHER";
  s["awards"][0]["recipient_org"] = "OTHER";
  auto r = load_review(s);
  ASSERT_TRUE(r) << r.error().field << ": " << r.error().message;
  EXPECT_EQ(count(), 1);
}

CHIDOAN_INSTANTIATE_DB_TEST(AwardsBundleTest);

}  // namespace
}  // namespace chidoan::review
