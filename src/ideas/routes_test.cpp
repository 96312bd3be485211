// The ideas forum's routes in process, on both engines: who may see, post, support and move
// (a member in scope, a member of another branch, the secretary, a mentor, anonymous), the
// public list's exact shape, and every bad input of the issue refused with nothing changed.
#include "ideas/routes.hpp"

#include <gtest/gtest.h>

#include "ideas/rules.hpp"
#include "org/bundle.hpp"
#include "org/store.hpp"
#include "platform/auth/store.hpp"
#include "tests/support/demo.hpp"
#include "tests/support/http_support.hpp"
#include "tests/support/route_test.hpp"
#include "tests/support/route_world.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::ideas {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using chidoan::testing::Reply;

const char* kBoundary = "----chidoan-ideas";
std::string multipart(const std::string& filename, const std::string& data) {
  return std::string("--") + kBoundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename +
         "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + data + "\r\n--" + kBoundary + "--\r\n";
}
const std::string kPdf = "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

class IdeasRoutesTest : public chidoan::testing::RouteTest {
 protected:
  void SetUp() override {
    RouteTest::SetUp();
    if (IsSkipped()) return;
    load_world(clock);
    if (HasFatalFailure()) return;
    org::Store store(*conn, clock);
    auto id = [&](const char* code) { return (*store.org_by_code(code))->id; };
    auto member = [&](const char* given) { return (*conn->query_one("SELECT id FROM members WHERE given_name = ?1", {std::string(given)}))->i64(0); };
    start(clock);
    add_routes(router, services);
    auto users = chidoan::testing::create_users(*conn, clock, services.auth,
                                                {{"admin", auth::Role::system_admin, id("TW"), std::nullopt},
                                                 {"doankhoi", auth::Role::org_manager, id("DKCQ"), std::nullopt},
                                                 {"sangpv", auth::Role::branch_secretary, vpubnd, member("Sang")},
                                                 {"khac", auth::Role::branch_secretary, other_branch, std::nullopt},
                                                 {"ngoai", auth::Role::member, other_branch, other_member},
                                                 {"linh", auth::Role::member, vpubnd, member("Linh")},
                                                 {"khoa", auth::Role::member, vpubnd, member("Khoa")},
                                                 {"nhung", auth::Role::member, vpubnd, member("Nhung")}});
    ASSERT_TRUE(users) << users.error().message;
    tokens = *users;
    Reply f = call("POST", "/api/v1/orgs/" + std::to_string(vpubnd) + "/ideas/forums", "sangpv",
                   json{{"title", "Tuổi trẻ chi đoàn Văn phòng UBND tỉnh với Ý tưởng sáng tạo trẻ"},
                        {"kind", "event"},
                        {"held_on", "2021-11-02"},
                        {"opens_on", "2021-11-02"},
                        {"closes_on", "2021-12-31"},
                        {"support_threshold", 3}}
                       .dump());
    ASSERT_EQ(f.status, 201) << f.body;
    forum = f.j()["id"];
  }

  std::string idea_api(int64_t id, const std::string& rest = "") { return "/api/v1/ideas/" + std::to_string(id) + rest; }
  std::string forum_api(const std::string& rest = "") { return "/api/v1/ideas/forums/" + std::to_string(forum) + rest; }
  int64_t rows(const char* table) { return (*conn->query_one(std::string("SELECT COUNT(*) FROM ") + table))->i64(0); }
  std::string state_of(int64_t idea) { return (*conn->query_one("SELECT state FROM ideas WHERE id = ?1", {idea}))->str(0); }
  // An idea by `who`, sent to the forum (submitted).
  int64_t submitted_idea(const std::string& who, const std::string& title) {
    Reply r = call("POST", forum_api("/ideas"), who,
                   json{{"title", title}, {"problem", "Người dân chờ lâu"}, {"proposal", "Làm thử một tháng"}, {"benefit", "Nhanh hơn"}}.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    int64_t id = r.j().value("id", int64_t{0});
    Reply s = call("POST", idea_api(id, "/state"), who, json{{"to_state", "submitted"}}.dump());
    EXPECT_EQ(s.status, 200) << s.body;
    return id;
  }

  FixedClock clock{std::chrono::sys_days{std::chrono::year{2021} / 11 / 15} + 3h};  // 10:00 in Vietnam
  int64_t forum = 0;
};

TEST_P(IdeasRoutesTest, WhoSeesTheForum) {
  EXPECT_EQ(call("GET", forum_api(), "linh").status, 200);
  EXPECT_EQ(call("GET", forum_api(), "doankhoi").status, 200);
  EXPECT_EQ(call("GET", forum_api(), "ngoai").status, 403);
  EXPECT_EQ(call("GET", forum_api(), "khac").status, 403);
  EXPECT_EQ(call("GET", forum_api(), "").status, 401);
  EXPECT_EQ(call("GET", "/ideas/forums/" + std::to_string(forum), "").status, 303);
  EXPECT_EQ(call("GET", "/api/v1/ideas/forums/999999", "linh").status, 404);
  Reply list = call("GET", "/api/v1/orgs/" + std::to_string(vpubnd) + "/ideas/forums", "linh");
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.j()["items"].size(), 1u);
  EXPECT_EQ(list.j()["items"][0]["phase"], "open");
  EXPECT_EQ(list.j()["can_create"], false);
  // Forums and mentors are the committee's.
  json forum_body{{"title", "Diễn đàn khác"}, {"opens_on", "2021-11-02"}, {"kind", "standing"}};
  EXPECT_EQ(call("POST", "/api/v1/orgs/" + std::to_string(vpubnd) + "/ideas/forums", "linh", forum_body.dump()).status, 403);
  EXPECT_EQ(call("POST", forum_api(), "linh", forum_body.dump()).status, 403);
  EXPECT_EQ(call("POST", forum_api(), "khac", forum_body.dump()).status, 403);
  EXPECT_EQ(call("POST", forum_api("/mentors"), "linh", json{{"username", "doankhoi"}}.dump()).status, 403);
  Reply bad = call("POST", "/api/v1/orgs/" + std::to_string(vpubnd) + "/ideas/forums", "sangpv",
                   json{{"title", "x"}, {"kind", "standing"}, {"opens_on", "2021-12-01"}, {"closes_on", "2021-11-01"}}.dump());
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.j()["error"]["field"], "closes_on");
  // A mentor must be able to see the forum.
  Reply outsider = call("POST", forum_api("/mentors"), "sangpv", json{{"username", "khac"}}.dump());
  EXPECT_EQ(outsider.status, 422);
  EXPECT_EQ(outsider.j()["error"]["field"], "username");
  EXPECT_EQ(call("POST", forum_api("/mentors"), "sangpv", json{{"username", "doankhoi"}, {"title", "Phó Bí thư Đoàn khối"}}.dump()).status, 201);
  Reply edited = call("POST", forum_api(), "sangpv", json{{"title", "Tuổi trẻ với ý tưởng sáng tạo"}, {"opens_on", "2021-11-02"},
                                                             {"held_on", "2021-11-02"}, {"closes_on", "2021-12-31"}, {"support_threshold", 3}}.dump());
  EXPECT_EQ(edited.status, 200) << edited.body;
  Reply shown = call("GET", forum_api(), "linh");
  EXPECT_EQ(shown.j()["forum"]["title"], "Tuổi trẻ với ý tưởng sáng tạo");
  ASSERT_EQ(shown.j()["mentors"].size(), 1u);
  EXPECT_EQ(shown.j()["mentors"][0]["title"], "Phó Bí thư Đoàn khối");
}

TEST_P(IdeasRoutesTest, TheLifeOfAnIdea) {
  Reply posted = call("POST", forum_api("/ideas"), "linh", json{{"title", "Số hoá hồ sơ tại Trung tâm Phục vụ hành chính công"}}.dump());
  ASSERT_EQ(posted.status, 201) << posted.body;
  int64_t idea = posted.j()["id"];
  // A draft is its authors' only.
  EXPECT_EQ(call("GET", idea_api(idea), "khoa").status, 404);
  EXPECT_EQ(call("GET", idea_api(idea), "sangpv").status, 404);
  ASSERT_EQ(call("GET", idea_api(idea), "linh").status, 200);
  // Sent without a problem: refused naming it, still a draft.
  Reply incomplete = call("POST", idea_api(idea, "/state"), "linh", json{{"to_state", "submitted"}}.dump());
  EXPECT_EQ(incomplete.status, 422);
  EXPECT_EQ(incomplete.j()["error"]["field"], "problem");
  EXPECT_EQ(state_of(idea), "draft");
  ASSERT_EQ(call("POST", idea_api(idea), "linh",
                 json{{"title", "Số hoá hồ sơ tại Trung tâm Phục vụ hành chính công"}, {"problem", "Hồ sơ giấy nhiều"},
                      {"proposal", "Đoàn viên quét, đặt tên tệp theo thành phần hồ sơ"}}
                     .dump())
                .status,
            200);
  ASSERT_EQ(call("POST", idea_api(idea, "/state"), "linh", json{{"to_state", "submitted"}}.dump()).status, 200);
  EXPECT_EQ(state_of(idea), "submitted");

  // A member supports it: the count and the progress move.
  Reply s = call("POST", idea_api(idea, "/support"), "khoa", "{}");
  ASSERT_EQ(s.status, 200) << s.body;
  EXPECT_EQ(s.j()["supports"], 1);
  EXPECT_EQ(s.j()["progress"], 33);
  // The secretary takes it into mentoring, then accepts it with an answer.
  ASSERT_EQ(call("POST", idea_api(idea, "/state"), "sangpv", json{{"to_state", "mentoring"}}.dump()).status, 200);
  Reply no_answer = call("POST", idea_api(idea, "/state"), "sangpv", json{{"to_state", "accepted"}}.dump());
  EXPECT_EQ(no_answer.status, 422);
  EXPECT_EQ(no_answer.j()["error"]["field"], "answer");
  EXPECT_EQ(state_of(idea), "mentoring");
  // The author may not accept their own idea.
  EXPECT_EQ(call("POST", idea_api(idea, "/state"), "linh", json{{"to_state", "accepted"}, {"answer", "Tự duyệt"}}.dump()).status, 403);
  Reply accepted = call("POST", idea_api(idea, "/state"), "sangpv",
                        json{{"to_state", "accepted"}, {"answer", "Chi đoàn phối hợp Trung tâm triển khai từ tháng 12/2021"}}.dump());
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  Reply shown = call("GET", idea_api(idea), "khoa");
  ASSERT_EQ(shown.status, 200);
  EXPECT_EQ(shown.j()["idea"]["state"], "accepted");
  EXPECT_EQ(shown.j()["idea"]["answer"], "Chi đoàn phối hợp Trung tâm triển khai từ tháng 12/2021");
  ASSERT_EQ(shown.j()["events"].size(), 4u);
  EXPECT_EQ(shown.j()["events"][3]["to_state"], "accepted");
  EXPECT_EQ(shown.j()["supported"], true);
  EXPECT_EQ(shown.j()["can_withdraw_support"], true);
  // Implemented with its outcome and date, then the results show it.
  clock.advance(24h * 30);
  Reply done = call("POST", idea_api(idea, "/state"), "sangpv",
                    json{{"to_state", "implemented"}, {"outcome", "1.250 hồ sơ đã số hoá"}, {"implemented_on", "2021-12-10"}}.dump());
  ASSERT_EQ(done.status, 200) << done.body;
  Reply results = call("GET", forum_api("/results"), "khoa");
  ASSERT_EQ(results.status, 200);
  ASSERT_EQ(results.j()["implemented"].size(), 1u);
  EXPECT_EQ(results.j()["implemented"][0]["outcome"], "1.250 hồ sơ đã số hoá");
  EXPECT_EQ(results.j()["implemented"][0]["implemented_on"], "2021-12-10");
  EXPECT_EQ(results.j()["supports"], 1);
  // Every change is audited.
  auto audits = conn->query_one("SELECT COUNT(*) FROM audit_log WHERE entity = 'idea' AND action = 'state'");
  EXPECT_EQ((*audits)->i64(0), 4);
}

TEST_P(IdeasRoutesTest, SupportsTwiceOwnAfterCloseAndOutsiders) {
  int64_t idea = submitted_idea("linh", "Điểm danh sinh hoạt chi đoàn bằng mã QR");
  ASSERT_EQ(call("POST", idea_api(idea, "/support"), "khoa", "{}").status, 200);
  Reply twice = call("POST", idea_api(idea, "/support"), "khoa", "{}");
  EXPECT_EQ(twice.status, 409);
  EXPECT_EQ(twice.j()["error"]["field"], "support");
  EXPECT_FALSE(twice.j()["error"]["message"].get<std::string>().empty());
  Reply own = call("POST", idea_api(idea, "/support"), "linh", "{}");
  EXPECT_EQ(own.status, 403);
  EXPECT_EQ(own.j()["error"]["field"], "support");
  EXPECT_EQ(call("POST", idea_api(idea, "/support"), "ngoai", "{}").status, 403);
  EXPECT_EQ(call("POST", idea_api(idea, "/support"), "khac", "{}").status, 403);
  EXPECT_EQ(call("POST", idea_api(idea, "/support"), "doankhoi", "{}").status, 403);  // no member profile
  EXPECT_EQ(call("POST", idea_api(idea, "/support"), "", "{}").status, 401);
  EXPECT_EQ(rows("idea_supports"), 1);
  // Withdrawn and given again while open; after the close neither.
  EXPECT_EQ(call("POST", idea_api(idea, "/support/withdraw"), "khoa", "{}").j()["supports"], 0);
  EXPECT_EQ(call("POST", idea_api(idea, "/support"), "khoa", "{}").j()["supports"], 1);
  clock.advance(24h * 50);  // 2022-01-04
  Reply late = call("POST", idea_api(idea, "/support"), "nhung", "{}");
  EXPECT_EQ(late.status, 409);
  EXPECT_EQ(late.j()["error"]["field"], "support");
  EXPECT_EQ(call("POST", idea_api(idea, "/support/withdraw"), "khoa", "{}").status, 409);
  EXPECT_EQ(rows("idea_supports"), 1);
  // Posting after the close too.
  Reply post = call("POST", forum_api("/ideas"), "nhung", json{{"title", "Muộn"}}.dump());
  EXPECT_EQ(post.status, 409);
  EXPECT_EQ(post.j()["error"]["field"], "forum");
}

TEST_P(IdeasRoutesTest, SelfSupportWhenTheForumAllowsIt) {
  ASSERT_EQ(call("POST", forum_api(), "sangpv",
                 json{{"title", "Diễn đàn"}, {"opens_on", "2021-11-02"}, {"held_on", "2021-11-02"}, {"self_support", "1"}}.dump())
                .status,
            200);
  int64_t idea = submitted_idea("linh", "Ý tưởng tự ủng hộ");
  EXPECT_EQ(call("POST", idea_api(idea, "/support"), "linh", "{}").status, 200);
}

TEST_P(IdeasRoutesTest, StateChangesNotAllowedFromTheCurrentState) {
  int64_t idea = submitted_idea("linh", "Phiếu đặt nông sản trực tuyến");
  Reply skip = call("POST", idea_api(idea, "/state"), "sangpv", json{{"to_state", "accepted"}, {"answer", "Đồng ý"}}.dump());
  EXPECT_EQ(skip.status, 409);
  EXPECT_EQ(skip.j()["error"]["field"], "to_state");
  Reply unknown = call("POST", idea_api(idea, "/state"), "sangpv", json{{"to_state", "published"}}.dump());
  EXPECT_EQ(unknown.status, 422);
  EXPECT_EQ(unknown.j()["error"]["field"], "to_state");
  EXPECT_EQ(call("POST", idea_api(idea, "/state"), "khoa", json{{"to_state", "mentoring"}}.dump()).status, 403);
  EXPECT_EQ(call("POST", idea_api(idea, "/state"), "sangpv", json{{"to_state", "withdrawn"}}.dump()).status, 403);
  EXPECT_EQ(state_of(idea), "submitted");
  // A mentor takes it into mentoring but does not decide.
  ASSERT_EQ(call("POST", forum_api("/mentors"), "sangpv", json{{"username", "doankhoi"}}.dump()).status, 201);
  ASSERT_EQ(call("POST", idea_api(idea, "/state"), "doankhoi", json{{"to_state", "mentoring"}}.dump()).status, 200);
  EXPECT_EQ(state_of(idea), "mentoring");
  // doankhoi manages ideas by role anyway; a member mentor cannot decide.
  ASSERT_EQ(call("POST", forum_api("/mentors"), "sangpv", json{{"username", "nhung"}}.dump()).status, 201);
  EXPECT_EQ(call("POST", idea_api(idea, "/state"), "nhung", json{{"to_state", "rejected"}, {"answer", "Không"}}.dump()).status, 403);
  // The author withdraws; the committee archives; nothing moves out of the archive.
  ASSERT_EQ(call("POST", idea_api(idea, "/state"), "linh", json{{"to_state", "withdrawn"}}.dump()).status, 200);
  EXPECT_EQ(call("POST", idea_api(idea), "linh", json{{"title", "Sửa sau khi rút"}}.dump()).status, 409);
  ASSERT_EQ(call("POST", idea_api(idea, "/state"), "sangpv", json{{"to_state", "archived"}}.dump()).status, 200);
  EXPECT_EQ(call("POST", idea_api(idea, "/state"), "sangpv", json{{"to_state", "submitted"}}.dump()).status, 409);
  EXPECT_EQ(state_of(idea), "archived");
}

// A draft its author withdraws was never sent: it stays the authors' own.
TEST_P(IdeasRoutesTest, AWithdrawnDraftStaysPrivate) {
  Reply draft = call("POST", forum_api("/ideas"), "nhung", json{{"title", "Bản nháp rút lại"}}.dump());
  ASSERT_EQ(draft.status, 201) << draft.body;
  int64_t idea = draft.j()["id"];
  ASSERT_EQ(call("POST", idea_api(idea, "/state"), "nhung", json{{"to_state", "withdrawn"}}.dump()).status, 200);
  EXPECT_EQ(state_of(idea), "withdrawn");
  EXPECT_EQ(call("GET", idea_api(idea), "nhung").status, 200);
  EXPECT_EQ(call("GET", idea_api(idea), "khoa").status, 404);
  Reply list = call("GET", "/api/v1/orgs/" + std::to_string(vpubnd) + "/ideas", "khoa");
  ASSERT_EQ(list.status, 200);
  json items = list.j()["items"];
  for (const auto& i : items) EXPECT_NE(i["id"].get<int64_t>(), idea);
}

TEST_P(IdeasRoutesTest, CoauthorsAskAndTheAuthorAccepts) {
  int64_t idea = submitted_idea("linh", "Số hoá hồ sơ");
  int64_t khoa = (*conn->query_one("SELECT member_id FROM users WHERE username = 'khoa'"))->i64(0);
  EXPECT_EQ(call("POST", idea_api(idea, "/coauthors"), "linh", "{}").status, 409);
  EXPECT_EQ(call("POST", idea_api(idea, "/coauthors"), "ngoai", "{}").status, 403);
  ASSERT_EQ(call("POST", idea_api(idea, "/coauthors"), "khoa", "{}").status, 201);
  EXPECT_EQ(call("POST", idea_api(idea, "/coauthors"), "khoa", "{}").status, 409);
  EXPECT_EQ(call("GET", idea_api(idea), "linh").j()["requests"].size(), 1u);
  EXPECT_EQ(call("POST", idea_api(idea, "/coauthors/" + std::to_string(khoa) + "/accept"), "nhung", "{}").status, 403);
  ASSERT_EQ(call("POST", idea_api(idea, "/coauthors/" + std::to_string(khoa) + "/accept"), "linh", "{}").status, 200);
  Reply shown = call("GET", idea_api(idea), "khoa");
  EXPECT_EQ(shown.j()["is_author"], true);
  EXPECT_EQ(shown.j()["idea"]["authors"].size(), 2u);
  // A co-author edits like the author, and does not support the idea either.
  EXPECT_EQ(call("POST", idea_api(idea), "khoa", json{{"title", "Số hoá hồ sơ (bản 2)"}, {"problem", "p"}, {"proposal", "q"}}.dump()).status, 200);
  EXPECT_EQ(call("POST", idea_api(idea, "/support"), "khoa", "{}").status, 403);
}

TEST_P(IdeasRoutesTest, AttachmentsOverTheLimitOrDisguised) {
  int64_t idea = submitted_idea("linh", "Bản đồ số các điểm hỗ trợ");
  std::string type = std::string("multipart/form-data; boundary=") + kBoundary;
  Reply ok = call("POST", idea_api(idea, "/attachments"), "linh", multipart("ke-hoach.pdf", kPdf), type);
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(ok.j()["mime"], "application/pdf");
  int64_t file = ok.j()["id"];
  Reply disguised = call("POST", idea_api(idea, "/attachments"), "linh", multipart("anh.jpg", "<html><script>alert(1)</script></html>"), type);
  EXPECT_EQ(disguised.status, 422);
  EXPECT_EQ(disguised.j()["error"]["field"], "file");
  Reply exe = call("POST", idea_api(idea, "/attachments"), "linh", multipart("anh.png", std::string("MZ\x90\x00\x03\x00", 6) + "PE"), type);
  EXPECT_EQ(exe.status, 422);
  Reply big = call("POST", idea_api(idea, "/attachments"), "linh", multipart("lon.pdf", kPdf + std::string(rules::kMaxAttachmentBytes, 'x')), type);
  EXPECT_EQ(big.status, 422);
  EXPECT_EQ(big.j()["error"]["field"], "file");
  EXPECT_EQ(call("POST", idea_api(idea, "/attachments"), "khoa", multipart("x.pdf", kPdf), type).status, 403);
  EXPECT_EQ(rows("idea_attachments"), 1);
  // Downloaded with its type by whoever sees the idea, never by an outsider.
  Reply got = call("GET", "/ideas/attachments/" + std::to_string(file), "khoa");
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.body, kPdf);
  EXPECT_EQ(got.headers["Content-Type"], "application/pdf");
  EXPECT_EQ(got.headers["X-Content-Type-Options"], "nosniff");
  EXPECT_TRUE(got.headers["Content-Disposition"].starts_with("attachment;"));
  EXPECT_EQ(call("GET", "/ideas/attachments/" + std::to_string(file), "ngoai").status, 403);
  EXPECT_EQ(call("POST", "/api/v1/ideas/attachments/" + std::to_string(file) + "/delete", "khoa", "{}").status, 403);
  EXPECT_EQ(call("POST", "/api/v1/ideas/attachments/" + std::to_string(file) + "/delete", "linh", "{}").status, 200);
  EXPECT_EQ(rows("idea_attachments"), 0);
}

TEST_P(IdeasRoutesTest, ScriptInTextIsStoredAsTextAndShownEscaped) {
  const std::string script = "<script>alert('x')</script>";
  int64_t idea = submitted_idea("linh", script + " ý tưởng");
  Reply edit = call("POST", idea_api(idea), "linh", json{{"title", script + " ý tưởng"}, {"problem", script}, {"proposal", "<img src=x onerror=alert(1)>"},
                                                          {"benefit", script}}.dump());
  ASSERT_EQ(edit.status, 200);
  EXPECT_EQ(call("GET", idea_api(idea), "khoa").j()["idea"]["problem"], script);
  ASSERT_EQ(call("POST", idea_api(idea, "/state"), "sangpv", json{{"to_state", "mentoring"}}.dump()).status, 200);
  ASSERT_EQ(call("POST", idea_api(idea, "/state"), "sangpv", json{{"to_state", "rejected"}, {"answer", script}}.dump()).status, 200);
  for (const std::string& page : {"/ideas/" + std::to_string(idea), "/ideas/forums/" + std::to_string(forum),
                                  "/ideas/forums/" + std::to_string(forum) + "/results"}) {
    Reply r = call("GET", page, "khoa");
    ASSERT_EQ(r.status, 200) << page << r.body.substr(0, 300);
    EXPECT_EQ(r.body.find("<script>alert"), std::string::npos) << page;
    EXPECT_EQ(r.body.find("<img src=x"), std::string::npos) << page;
    EXPECT_NE(r.body.find("&lt;script&gt;"), std::string::npos) << page;
  }
}

TEST_P(IdeasRoutesTest, ThePublicListHasExactlyItsShape) {
  int64_t a = submitted_idea("linh", "Số hoá hồ sơ");
  int64_t b = submitted_idea("khoa", "Điểm danh bằng mã QR");
  Reply draft = call("POST", forum_api("/ideas"), "nhung", json{{"title", "Bản nháp của Nhung"}}.dump());
  ASSERT_EQ(draft.status, 201);
  ASSERT_EQ(call("POST", idea_api(b, "/support"), "linh", "{}").status, 200);
  std::string url = "/api/v1/orgs/" + std::to_string(vpubnd) + "/ideas";
  Reply list = call("GET", url, "khoa");
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.j().size(), 1u);
  json items = list.j()["items"];
  ASSERT_EQ(items.size(), 2u);
  for (const auto& i : items) {
    EXPECT_EQ(i.size(), 5u) << i.dump();
    for (const char* k : {"id", "title", "state", "supports", "authors"}) EXPECT_TRUE(i.contains(k)) << k;
  }
  EXPECT_EQ(items[0]["id"], b);
  EXPECT_EQ(items[0]["supports"], 1);
  EXPECT_EQ(items[0]["state"], "submitted");
  ASSERT_EQ(items[0]["authors"].size(), 1u);
  EXPECT_EQ(items[0]["authors"][0], "Nguyễn Đăng Khoa");
  // The author sees their draft; a filter by state and forum.
  EXPECT_EQ(call("GET", url, "nhung").j()["items"].size(), 3u);
  EXPECT_EQ(call("GET", url + "?state=draft", "nhung").j()["items"].size(), 1u);
  EXPECT_EQ(call("GET", url + "?state=draft", "sangpv").j()["items"].size(), 0u);
  EXPECT_EQ(call("GET", url + "?forum=" + std::to_string(forum) + "&state=submitted", "khoa").j()["items"].size(), 2u);
  EXPECT_EQ(call("GET", url + "?forum=999999", "khoa").j()["items"].size(), 0u);
  Reply bad_state = call("GET", url + "?state=open", "khoa");
  EXPECT_EQ(bad_state.status, 422);
  EXPECT_EQ(bad_state.j()["error"]["field"], "state");
  EXPECT_EQ(call("GET", url + "?forum=abc", "khoa").status, 422);
  EXPECT_EQ(call("GET", url, "ngoai").status, 403);
  EXPECT_EQ(call("GET", url, "").status, 401);
  // A hidden idea: gone for members, kept for moderators (the committee).
  ASSERT_TRUE(conn->execute("UPDATE ideas SET hidden = 1 WHERE id = ?1", {a}));
  EXPECT_EQ(call("GET", url, "khoa").j()["items"].size(), 1u);
  EXPECT_EQ(call("GET", url, "sangpv").j()["items"].size(), 2u);
  EXPECT_EQ(call("GET", idea_api(a), "khoa").status, 404);
  EXPECT_EQ(call("GET", idea_api(a), "sangpv").status, 200);
  // The upper level sees the subtree's ideas; another branch's secretary does not.
  EXPECT_EQ(call("GET", "/api/v1/orgs/" + std::to_string(*(*org::Store(*conn, clock).org(vpubnd)).parent_id) + "/ideas", "doankhoi").j()["items"].size(), 2u);
  EXPECT_EQ(call("GET", url, "khac").status, 403);
}

TEST_P(IdeasRoutesTest, PagesRender) {
  int64_t idea = submitted_idea("linh", "Số hoá hồ sơ");
  for (const std::string& page : {"/orgs/" + std::to_string(vpubnd) + "/ideas", "/ideas/forums/" + std::to_string(forum),
                                  "/ideas/" + std::to_string(idea), "/ideas/forums/" + std::to_string(forum) + "/results"}) {
    for (const char* who : {"sangpv", "khoa", "linh"}) {
      Reply r = call("GET", page, who);
      EXPECT_EQ(r.status, 200) << who << " " << page << " " << r.body.substr(0, 300);
      EXPECT_EQ(r.body.find("{{"), std::string::npos) << page;
    }
  }
  Reply page = call("GET", "/ideas/" + std::to_string(idea), "khoa");
  EXPECT_NE(page.body.find("<progress"), std::string::npos);
  EXPECT_NE(page.body.find("/support\""), std::string::npos);
  EXPECT_EQ(page.body.find("style="), std::string::npos);
  Reply secretary = call("GET", "/ideas/" + std::to_string(idea), "sangpv");
  EXPECT_NE(secretary.body.find("value=\"mentoring\""), std::string::npos);
  EXPECT_EQ(secretary.body.find("value=\"accepted\""), std::string::npos);
}

CHIDOAN_INSTANTIATE_DB_TEST(IdeasRoutesTest);

}  // namespace
}  // namespace chidoan::ideas
