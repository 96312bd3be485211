// An idea's discussion through the router, on both engines: comments and replies one level deep,
// the mentors' thread (mentors start, authors answer), notices to the authors, reports once per
// member, three reports hide, moderators hide and restore with a reason in the audit log, the
// moderation queue, the notices page and the similar-title suggestions. Bad input is refused with
// the field named and nothing written; script in any text is shown as text.
#include "ideas/talk_routes.hpp"

#include <gtest/gtest.h>

#include "ideas/routes.hpp"
#include "ideas/talk_test_world.hpp"
#include "tests/support/route_test.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::ideas {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using chidoan::testing::Reply;

class IdeasTalkRoutesTest : public chidoan::testing::RouteTest {
 protected:
  void SetUp() override {
    RouteTest::SetUp();
    if (IsSkipped()) return;
    start(clock);
    auto made = testing::make_world(*conn, clock, services.auth);
    ASSERT_TRUE(made) << made.error().message;
    w = *made;
    add_routes(router, services);
    add_talk_routes(router, services);
  }

  Reply call(const std::string& method, const std::string& target, const std::string& who, const json& body = nullptr,
             const std::map<std::string, std::string>& headers = {}) {
    return chidoan::testing::call(router, method, target, who.empty() ? "" : w.tokens[who], body.is_null() ? "" : body.dump(),
                                  "application/json", headers);
  }
  std::string api(int64_t idea, const std::string& rest) { return "/api/v1/ideas/" + std::to_string(idea) + rest; }
  int64_t count(const std::string& sql, const std::vector<db::Value>& params = {}) { return (*conn->query_one(sql, params))->i64(0); }
  int64_t comment(const std::string& who, const std::string& body, std::optional<int64_t> parent = std::nullopt,
                  const std::string& thread = "/comments") {
    json b{{"body", body}};
    if (parent) b["parent_id"] = *parent;
    Reply r = call("POST", api(w.idea, thread), who, b);
    EXPECT_EQ(r.status, 201) << who << " " << r.body;
    return r.status == 201 ? r.j()["id"].get<int64_t>() : 0;
  }
  json talk(const std::string& who, int64_t idea = 0) {
    Reply r = call("GET", api(idea ? idea : w.idea, "/talk"), who);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.j()["talk"];
  }

  FixedClock clock{std::chrono::sys_days{std::chrono::year{2021} / 11 / 15} + 3h};
  testing::TalkWorld w;
};

TEST_P(IdeasTalkRoutesTest, CommentsAndRepliesOneLevelDeepTellTheAuthors) {
  int64_t c = comment("thanhvien", "Ý tưởng rất thiết thực.\nCó thể thử ở bộ phận một cửa.");
  EXPECT_EQ(count("SELECT COUNT(*) FROM idea_notices WHERE kind = 'comment'"), 2);  // Thảo and Ngọc
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'create' AND entity = 'idea_comment' AND entity_id = ?1", {c}), 1);
  int64_t r = comment("thao", "Cảm ơn bạn!", c);
  // Thảo is not told of her own reply; Ngọc is, and Lan (whose comment it answers) too.
  EXPECT_EQ(count("SELECT COUNT(*) FROM idea_notices WHERE member_id = ?1", {w.thao}), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM idea_notices WHERE member_id = ?1", {w.ngoc}), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM idea_notices WHERE member_id = ?1", {w.lan}), 1);
  // A reply to a reply: refused, naming the field; nothing written.
  const int64_t before = count("SELECT COUNT(*) FROM idea_comments");
  Reply deep = call("POST", api(w.idea, "/comments"), "sangpv", {{"body", "Sâu hơn"}, {"parent_id", r}});
  EXPECT_EQ(deep.status, 422) << deep.body;
  EXPECT_EQ(deep.j()["error"]["field"], "parent_id");
  Reply missing = call("POST", api(w.idea, "/comments"), "sangpv", {{"body", "x"}, {"parent_id", 999999}});
  EXPECT_EQ(missing.status, 422);
  EXPECT_EQ(missing.j()["error"]["field"], "parent_id");
  EXPECT_EQ(count("SELECT COUNT(*) FROM idea_comments"), before);

  json t = talk("sangpv");
  ASSERT_EQ(t["comments"]["items"].size(), 1u);
  EXPECT_EQ(t["comments"]["count"], 2);
  EXPECT_EQ(t["comments"]["items"][0]["replies"][0]["body"], "Cảm ơn bạn!");
  EXPECT_EQ(t["comments"]["items"][0]["body_html"], "<p>Ý tưởng rất thiết thực.<br />\nCó thể thử ở bộ phận một cửa.</p>");
  EXPECT_TRUE(t["comments"]["items"][0]["can_reply"].get<bool>());
  EXPECT_FALSE(t["comments"]["items"][0]["replies"][0]["can_reply"].get<bool>());
  EXPECT_TRUE(t["comments"]["can_post"].get<bool>());
  EXPECT_FALSE(t["mentor_thread"]["can_start"].get<bool>());
}

TEST_P(IdeasTalkRoutesTest, BadInputIsRefusedNamingTheFieldAndScriptIsText) {
  for (const auto& [body, field] : std::vector<std::pair<json, std::string>>{
           {json{{"body", ""}}, "body"},
           {json{{"body", "   "}}, "body"},
           {json::object(), "body"},
           {json{{"body", std::string(5001, 'a')}}, "body"},
           {json{{"body", "x"}, {"parent_id", "abc"}}, "parent_id"},
           {json{{"body", "x"}, {"salary", 1}}, "salary"}}) {
    Reply r = call("POST", api(w.idea, "/comments"), "thanhvien", body);
    EXPECT_EQ(r.status, 422) << body.dump() << r.body;
    EXPECT_EQ(r.j()["error"]["field"], field) << body.dump();
    EXPECT_EQ(r.j()["error"]["kind"], "invalid");
    EXPECT_FALSE(r.j()["error"]["message"].get<std::string>().empty());
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM idea_comments"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM idea_notices"), 0);

  const std::string attack = "<script>alert('x')</script><img src=x onerror=alert(1)> [bấm](javascript:alert(1))";
  comment("thanhvien", attack);
  json t = talk("thanhvien");
  EXPECT_EQ(t["comments"]["items"][0]["body"], attack);  // stored as typed
  std::string html = t["comments"]["items"][0]["body_html"];
  EXPECT_EQ(html.find("<script"), std::string::npos) << html;
  EXPECT_EQ(html.find("<img"), std::string::npos) << html;
  EXPECT_EQ(html.find("href=\"javascript"), std::string::npos) << html;
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos) << html;
  // The pages: the discussion alone and the idea page with it.
  for (const std::string& page : {"/ideas/" + std::to_string(w.idea) + "/talk", "/ideas/" + std::to_string(w.idea)}) {
    Reply p = call("GET", page, "thanhvien");
    ASSERT_EQ(p.status, 200) << page << p.body.substr(0, 300);
    EXPECT_EQ(p.body.find("<script>alert"), std::string::npos) << page;
    EXPECT_EQ(p.body.find("<img src=x"), std::string::npos) << page;
    EXPECT_NE(p.body.find("&lt;script&gt;alert("), std::string::npos) << page;
    EXPECT_NE(p.body.find("id=\"comment-form\""), std::string::npos) << page;
  }
  // A reason with script, in a report, is text on the moderation page.
  Reply rep = call("POST", api(w.idea, "/report"), "thanhvien", {{"reason", "<script>alert(2)</script>"}});
  EXPECT_EQ(rep.status, 201) << rep.body;
  Reply queue = call("GET", "/orgs/" + std::to_string(w.vpubnd) + "/ideas/moderation", "kiemduyet");
  ASSERT_EQ(queue.status, 200);
  EXPECT_EQ(queue.body.find("<script>alert(2)"), std::string::npos);
  EXPECT_NE(queue.body.find("&lt;script&gt;alert(2)"), std::string::npos);
}

TEST_P(IdeasTalkRoutesTest, MentorsThreadMentorsStartAuthorsAnswer) {
  // A member who is neither mentor nor author.
  Reply stranger = call("POST", api(w.idea, "/mentoring"), "thanhvien", {{"body", "Góp ý"}});
  EXPECT_EQ(stranger.status, 403) << stranger.body;
  // An author does not start the thread.
  Reply start = call("POST", api(w.idea, "/mentoring"), "thao", {{"body", "Xin góp ý"}});
  EXPECT_EQ(start.status, 422);
  EXPECT_EQ(start.j()["error"]["field"], "parent_id");
  int64_t g = comment("covan", "Nên khảo sát **nhu cầu** người dân trước.", std::nullopt, "/mentoring");
  EXPECT_EQ(count("SELECT COUNT(*) FROM idea_notices WHERE kind = 'mentor'"), 2);
  int64_t answer = comment("thao", "Chúng em sẽ khảo sát trong tháng 12.", g, "/mentoring");
  // The mentor (through his member record) and the co-author are told of the answer.
  EXPECT_EQ(count("SELECT COUNT(*) FROM idea_notices WHERE kind = 'mentor' AND member_id = ?1", {w.hung}), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM idea_notices WHERE kind = 'mentor' AND member_id = ?1", {w.ngoc}), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM idea_notices WHERE kind = 'mentor' AND member_id = ?1", {w.thao}), 1);
  // A mentor's guidance is not a comment: a reply must stay in its thread.
  Reply cross = call("POST", api(w.idea, "/comments"), "thanhvien", {{"body", "x"}, {"parent_id", g}});
  EXPECT_EQ(cross.status, 422);
  json t = talk("thao");
  ASSERT_EQ(t["mentor_thread"]["items"].size(), 1u);
  EXPECT_TRUE(t["mentor_thread"]["items"][0]["mentor"].get<bool>());
  EXPECT_EQ(t["mentor_thread"]["items"][0]["mentor_title"], "Phó Giám đốc Sở KH&CN");
  EXPECT_EQ(t["mentor_thread"]["items"][0]["body_html"], "<p>Nên khảo sát <strong>nhu cầu</strong> người dân trước.</p>");
  EXPECT_EQ(t["mentor_thread"]["items"][0]["replies"][0]["id"], answer);
  EXPECT_TRUE(t["mentor_thread"]["items"][0]["can_reply"].get<bool>());
  EXPECT_TRUE(talk("covan")["mentor_thread"]["can_start"].get<bool>());
  EXPECT_FALSE(talk("thanhvien")["mentor_thread"]["items"][0]["can_reply"].get<bool>());
}

TEST_P(IdeasTalkRoutesTest, WhoMayTalkWhere) {
  // Another branch's member: the policy refuses.
  EXPECT_EQ(call("POST", api(w.idea, "/comments"), "ngoai", {{"body", "x"}}).status, 403);
  EXPECT_EQ(call("GET", api(w.idea, "/talk"), "ngoai").status, 403);
  // A draft: not found for others, closed for its author.
  EXPECT_EQ(call("POST", api(w.draft, "/comments"), "thanhvien", {{"body", "x"}}).status, 404);
  EXPECT_EQ(call("POST", api(w.draft, "/comments"), "thao", {{"body", "x"}}).status, 409);
  EXPECT_EQ(call("POST", api(999999, "/comments"), "thao", {{"body", "x"}}).status, 404);
  // Anonymous.
  EXPECT_EQ(call("POST", api(w.idea, "/comments"), "", {{"body", "x"}}).status, 401);
  EXPECT_EQ(count("SELECT COUNT(*) FROM idea_comments"), 0);
}

TEST_P(IdeasTalkRoutesTest, ReportsOncePerMemberAndThreeHide) {
  int64_t c = comment("ngoc", "Nội dung gây tranh cãi");
  Reply first = call("POST", "/api/v1/ideas/comments/" + std::to_string(c) + "/report", "thanhvien", {{"reason", "Lạc đề"}});
  EXPECT_EQ(first.status, 201) << first.body;
  EXPECT_FALSE(first.j()["hidden"].get<bool>());
  // The same member twice: refused, one report kept.
  Reply twice = call("POST", "/api/v1/ideas/comments/" + std::to_string(c) + "/report", "thanhvien", {{"reason", "Lần nữa"}});
  EXPECT_EQ(twice.status, 409) << twice.body;
  EXPECT_EQ(twice.j()["error"]["kind"], "conflict");
  EXPECT_FALSE(twice.j()["error"]["message"].get<std::string>().empty());
  EXPECT_EQ(count("SELECT COUNT(*) FROM idea_reports"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'report'"), 1);
  // No reason: refused.
  Reply bare = call("POST", "/api/v1/ideas/comments/" + std::to_string(c) + "/report", "sangpv", {{"reason", " "}});
  EXPECT_EQ(bare.status, 422);
  EXPECT_EQ(bare.j()["error"]["field"], "reason");
  EXPECT_TRUE(talk("thanhvien")["comments"]["items"][0]["reported_by_me"].get<bool>());
  EXPECT_FALSE(talk("thanhvien")["comments"]["items"][0]["can_report"].get<bool>());

  EXPECT_EQ(call("POST", "/api/v1/ideas/comments/" + std::to_string(c) + "/report", "sangpv", {{"reason", "Xúc phạm"}}).status, 201);
  Reply third = call("POST", "/api/v1/ideas/comments/" + std::to_string(c) + "/report", "thao", {{"reason", "Sai sự thật"}});
  EXPECT_EQ(third.status, 201);
  EXPECT_TRUE(third.j()["hidden"].get<bool>());
  EXPECT_EQ(count("SELECT hidden FROM idea_comments WHERE id = ?1", {c}), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'hide' AND entity = 'idea_comment' AND entity_id = ?1", {c}), 1);
  // Hidden: its place stays, its text is gone for members; moderators see it with the reports.
  json member_view = talk("thanhvien")["comments"]["items"][0];
  EXPECT_TRUE(member_view["hidden"].get<bool>());
  EXPECT_EQ(member_view["body"], "");
  EXPECT_EQ(member_view["body_html"], "");
  EXPECT_FALSE(member_view.contains("pending_reports"));
  json moderator_view = talk("kiemduyet")["comments"]["items"][0];
  EXPECT_EQ(moderator_view["body"], "Nội dung gây tranh cãi");
  EXPECT_EQ(moderator_view["pending_reports"], 3);
  EXPECT_TRUE(moderator_view["can_restore"].get<bool>());
  // A hidden comment cannot be answered or reported.
  EXPECT_EQ(call("POST", api(w.idea, "/comments"), "sangpv", {{"body", "x"}, {"parent_id", c}}).status, 409);
  EXPECT_EQ(call("POST", "/api/v1/ideas/comments/" + std::to_string(c) + "/report", "covan", {{"reason", "x"}}).status, 404);
}

TEST_P(IdeasTalkRoutesTest, ModeratorsHideAndRestoreWithAReasonInTheAuditLog) {
  int64_t c = comment("ngoc", "Bình luận");
  const std::string hide = "/api/v1/ideas/comments/" + std::to_string(c) + "/hide";
  const std::string restore = "/api/v1/ideas/comments/" + std::to_string(c) + "/restore";
  // Not a moderator: refused.
  EXPECT_EQ(call("POST", hide, "thanhvien", {{"reason", "x"}}).status, 403);
  EXPECT_EQ(call("POST", hide, "covan", {{"reason", "x"}}).status, 403);
  // A reason is required.
  Reply bare = call("POST", hide, "kiemduyet", json::object());
  EXPECT_EQ(bare.status, 422);
  EXPECT_EQ(bare.j()["error"]["field"], "reason");
  EXPECT_EQ(count("SELECT hidden FROM idea_comments WHERE id = ?1", {c}), 0);
  ASSERT_EQ(call("POST", "/api/v1/ideas/comments/" + std::to_string(c) + "/report", "thanhvien", {{"reason", "Spam"}}).status, 201);
  Reply hidden = call("POST", hide, "kiemduyet", {{"reason", "Quảng cáo"}});
  EXPECT_EQ(hidden.status, 200) << hidden.body;
  EXPECT_EQ(hidden.j()["reports_closed"], 1);
  EXPECT_EQ(count("SELECT hidden FROM idea_comments WHERE id = ?1", {c}), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM idea_reports WHERE resolution = 'hidden' AND resolved_at IS NOT NULL"), 1);
  auto audit = conn->query_one("SELECT detail, user_id FROM audit_log WHERE action = 'hide' AND entity = 'idea_comment' AND entity_id = ?1", {c});
  ASSERT_TRUE(audit && *audit);
  EXPECT_EQ(json::parse((*audit)->str(0))["reason"], "Quảng cáo");
  EXPECT_EQ((*audit)->i64(1), w.user_ids["kiemduyet"]);
  EXPECT_EQ(call("POST", hide, "kiemduyet", {{"reason", "Lần nữa"}}).status, 409);
  Reply back = call("POST", restore, "sangpv", {{"reason", "Đã xem lại, không vi phạm"}});
  EXPECT_EQ(back.status, 200) << back.body;
  EXPECT_EQ(count("SELECT hidden FROM idea_comments WHERE id = ?1", {c}), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'restore' AND entity = 'idea_comment'"), 1);
  EXPECT_EQ(call("POST", restore, "sangpv", {{"reason", "x"}}).status, 409);

  // An idea: hidden from everyone but moderators, its authors told.
  Reply idea = call("POST", api(w.idea, "/hide"), "kiemduyet", {{"reason", "Trùng với ý tưởng khác"}});
  EXPECT_EQ(idea.status, 200) << idea.body;
  EXPECT_EQ(count("SELECT hidden FROM ideas WHERE id = ?1", {w.idea}), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM idea_notices WHERE kind = 'state'"), 2);
  EXPECT_EQ(call("GET", api(w.idea, "/talk"), "thanhvien").status, 404);
  EXPECT_EQ(call("POST", api(w.idea, "/comments"), "thanhvien", {{"body", "x"}}).status, 404);
  json t = talk("kiemduyet");
  EXPECT_TRUE(t["idea_hidden"].get<bool>());
  EXPECT_FALSE(t["comments"]["can_post"].get<bool>());
  EXPECT_TRUE(t["can_restore_idea"].get<bool>());
  EXPECT_EQ(call("POST", api(w.idea, "/restore"), "kiemduyet", {{"reason", "Tác giả đã sửa"}}).status, 200);
  EXPECT_EQ(count("SELECT hidden FROM ideas WHERE id = ?1", {w.idea}), 0);
  // Another branch's moderator grant does not reach here.
  EXPECT_EQ(call("POST", api(w.other_idea, "/hide"), "kiemduyet", {{"reason", "x"}}).status, 403);
}

TEST_P(IdeasTalkRoutesTest, ThreeReportsHideAnIdeaAndTheQueueShowsIt) {
  for (const char* who : {"thanhvien", "sangpv", "covan"})
    EXPECT_EQ(call("POST", api(w.idea, "/report"), who, {{"reason", std::string("Lý do của ") + who}}).status, 201);
  EXPECT_EQ(count("SELECT hidden FROM ideas WHERE id = ?1", {w.idea}), 1);
  EXPECT_EQ(call("GET", api(w.idea, "/talk"), "ngoc").status, 404);
  // The other branch's forum has a reported idea too, outside this queue.
  ASSERT_TRUE(conn->execute("INSERT INTO idea_reports (target, target_id, idea_id, user_id, reason, created_at) VALUES ('idea', ?1, ?1, ?2, 'x', 0)",
                            {w.other_idea, w.user_ids["ngoai"]}));
  Reply q = call("GET", "/api/v1/orgs/" + std::to_string(w.vpubnd) + "/ideas/moderation", "kiemduyet");
  ASSERT_EQ(q.status, 200) << q.body;
  ASSERT_EQ(q.j()["items"].size(), 1u);
  EXPECT_EQ(q.j()["items"][0]["target"], "idea");
  EXPECT_EQ(q.j()["items"][0]["target_id"], w.idea);
  EXPECT_TRUE(q.j()["items"][0]["hidden"].get<bool>());
  EXPECT_EQ(q.j()["items"][0]["reports"].size(), 3u);
  EXPECT_EQ(q.j()["pending"], 3);
  EXPECT_EQ(call("GET", "/api/v1/orgs/" + std::to_string(w.vpubnd) + "/ideas/moderation", "thanhvien").status, 403);
  EXPECT_EQ(call("GET", "/api/v1/orgs/" + std::to_string(w.other_branch) + "/ideas/moderation", "kiemduyet").status, 403);
  Reply all = call("GET", "/api/v1/orgs/" + std::to_string(w.other_branch) + "/ideas/moderation", "admin");
  EXPECT_EQ(all.j()["items"].size(), 1u);
  Reply page = call("GET", "/orgs/" + std::to_string(w.vpubnd) + "/ideas/moderation", "kiemduyet");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Lý do của covan"), std::string::npos);
  // Restored by a moderator: the reports are closed and the queue is empty.
  EXPECT_EQ(call("POST", api(w.idea, "/restore"), "kiemduyet", {{"reason", "Không vi phạm"}}).status, 200);
  EXPECT_EQ(call("GET", "/api/v1/orgs/" + std::to_string(w.vpubnd) + "/ideas/moderation", "kiemduyet").j()["items"].size(), 0u);
  EXPECT_EQ(count("SELECT COUNT(*) FROM idea_reports WHERE resolution = 'restored'"), 3);
}

TEST_P(IdeasTalkRoutesTest, NoticesPageCountsAndMarksRead) {
  comment("thanhvien", "Một");
  comment("sangpv", "Hai");
  Reply list = call("GET", "/api/v1/ideas/notices", "thao");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.j()["unread"], 2);
  ASSERT_EQ(list.j()["items"].size(), 2u);
  EXPECT_EQ(list.j()["items"][0]["kind"], "comment");
  EXPECT_EQ(list.j()["items"][0]["path"], "/ideas/" + std::to_string(w.idea) + "#talk");
  int64_t first = list.j()["items"][0]["id"];
  // Someone else's notice: not found.
  EXPECT_EQ(call("POST", "/api/v1/ideas/notices/" + std::to_string(first) + "/read", "ngoc").status, 404);
  EXPECT_EQ(call("POST", "/api/v1/ideas/notices/" + std::to_string(first) + "/read", "thao").j()["changed"], 1);
  EXPECT_EQ(call("GET", "/api/v1/ideas/notices", "thao").j()["unread"], 1);
  EXPECT_EQ(call("POST", "/api/v1/ideas/notices/read", "thao").j()["changed"], 1);
  EXPECT_EQ(call("GET", "/api/v1/ideas/notices", "thao").j()["unread"], 0);
  EXPECT_EQ(call("GET", "/api/v1/ideas/notices", "ngoc").j()["unread"], 2);
  Reply page = call("GET", "/ideas/notices", "ngoc");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("id=\"unread-count\""), std::string::npos);
  EXPECT_EQ(call("GET", "/api/v1/ideas/notices", "").status, 401);
}

TEST_P(IdeasTalkRoutesTest, SimilarTitlesWhileTyping) {
  const std::string url = "/api/v1/ideas/forums/" + std::to_string(w.forum) + "/similar?title=";
  Reply r = call("GET", url + "so%20hoa%20ho%20so%20hanh%20chinh", "thanhvien");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.j()["items"].size(), 1u);  // not the draft, not the other forum's idea
  EXPECT_EQ(r.j()["items"][0]["id"], w.idea);
  EXPECT_EQ(r.j()["items"][0]["path"], "/ideas/" + std::to_string(w.idea));
  EXPECT_EQ(call("GET", url + "S%E1%BB%91%20h%C3%B3a%20h%E1%BB%93%20s%C6%A1", "thanhvien").j()["items"].size(), 1u);  // "Số hóa hồ sơ"
  EXPECT_EQ(call("GET", url + "so%20hoa%20ho%20so&except=" + std::to_string(w.idea), "thanhvien").j()["items"].size(), 0u);
  EXPECT_EQ(call("GET", url + "cay%20xanh", "thanhvien").j()["items"].size(), 0u);
  EXPECT_EQ(call("GET", url, "thanhvien").j()["items"].size(), 0u);
  Reply bad = call("GET", url + "%01", "thanhvien");
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.j()["error"]["field"], "title");
  EXPECT_EQ(call("GET", url + std::string(900, 'a'), "thanhvien").status, 422);
  EXPECT_EQ(call("GET", url + "so%20hoa", "ngoai").status, 403);
  // Hidden ideas are not suggested.
  ASSERT_TRUE(conn->execute("UPDATE ideas SET hidden = 1 WHERE id = ?1", {w.idea}));
  EXPECT_EQ(call("GET", url + "so%20hoa%20ho%20so", "thanhvien").j()["items"].size(), 0u);
  ASSERT_TRUE(conn->execute("UPDATE ideas SET hidden = 0, title = '<b>Số hóa hồ sơ</b>' WHERE id = ?1", {w.idea}));
  // The htmx fragment: the list alone, titles escaped.
  Reply frag = chidoan::testing::call(router, "GET", "/ideas/forums/" + std::to_string(w.forum) + "/similar?title=so%20hoa%20ho%20so",
                                      w.tokens["thanhvien"], "", "application/json", {{"hx-request", "true"}, {"hx-target", "similar-ideas"}});
  EXPECT_EQ(frag.status, 200);
  EXPECT_EQ(frag.body.find("<html"), std::string::npos);
  EXPECT_NE(frag.body.find("&lt;b&gt;Số hóa hồ sơ&lt;"), std::string::npos) << frag.body;
  EXPECT_NE(frag.body.find("id=\"similar-list\""), std::string::npos) << frag.body;
}

CHIDOAN_INSTANTIATE_DB_TEST(IdeasTalkRoutesTest);

}  // namespace
}  // namespace chidoan::ideas
