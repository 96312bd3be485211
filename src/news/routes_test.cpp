// News routes in process, on both engines: who may write, see, approve and withdraw; every bad
// input of the issue refused with nothing changed (a post without title, script in the fields,
// publishing without approval, a photo that is not an image, one of 20,000 × 20,000 pixels, one
// without alt text, a link to another organisation's activity); personal data kept off public
// pages; the public pages' cache changing the moment a post is published or withdrawn.
#include "news/routes.hpp"

#include <gtest/gtest.h>
#include <leptonica/allheaders.h>
#include <zlib.h>

#include "activity/bundle.hpp"
#include "fund/bundle.hpp"
#include "fund/produce_bundle.hpp"
#include "ideas/bundle.hpp"
#include "org/store.hpp"
#include "platform/auth/store.hpp"
#include "tests/support/http_support.hpp"
#include "tests/support/route_test.hpp"
#include "tests/support/route_world.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::news {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using chidoan::testing::Reply;

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A page's HTML with the slashes mustache escapes in attributes ("&#x2F;") put back.
std::string unslashed(std::string html) {
  for (size_t at = html.find("&#x2F;"); at != std::string::npos; at = html.find("&#x2F;", at)) html.replace(at, 6, "/");
  return html;
}

// A real PNG of w × h pixels.
std::string png(int w, int h) {
  PIX* pix = pixCreate(w, h, 32);
  pixSetAllArbitrary(pix, 0x3366cc00);
  l_uint8* data = nullptr;
  size_t size = 0;
  pixWriteMemPng(&data, &size, pix, 0.0);
  pixDestroy(&pix);
  std::string out(reinterpret_cast<char*>(data), size);
  lept_free(data);
  return out;
}

// A PNG chunk: length, type, data, CRC.
std::string chunk(const std::string& type, const std::string& data) {
  std::string out;
  auto put = [&](uint32_t v) { for (int s = 24; s >= 0; s -= 8) out += static_cast<char>((v >> s) & 0xff); };
  put(static_cast<uint32_t>(data.size()));
  std::string body = type + data;
  out += body;
  put(static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()))));
  return out;
}

// A well-formed PNG claiming w × h pixels, with an empty image stream: what a decompression bomb
// looks like before its pixels are inflated.
std::string png_header(uint32_t w, uint32_t h) {
  std::string ihdr;
  for (uint32_t v : {w, h}) for (int s = 24; s >= 0; s -= 8) ihdr += static_cast<char>((v >> s) & 0xff);
  ihdr += std::string("\x08\x02\x00\x00\x00", 5);
  return std::string("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", ihdr) + chunk("IDAT", std::string("\x78\x9c\x03\x00\x00\x00\x00\x01", 8)) +
         chunk("IEND", "");
}

const char* kBoundary = "----chidoan-news";
std::string multipart(const std::string& alt, const std::string& data) {
  std::string b = std::string("--") + kBoundary + "\r\nContent-Disposition: form-data; name=\"alt\"\r\n\r\n" + alt + "\r\n";
  b += std::string("--") + kBoundary + "\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"anh.png\"\r\n" +
       "Content-Type: image/png\r\n\r\n" + data + "\r\n--" + kBoundary + "--\r\n";
  return b;
}
const std::string kMultipart = std::string("multipart/form-data; boundary=") + kBoundary;

class NewsRoutesTest : public chidoan::testing::RouteTest {
 protected:
  void SetUp() override {
    RouteTest::SetUp();
    if (IsSkipped()) return;
    load_world(clock);
    if (HasFatalFailure()) return;
    auto loaded = chidoan::testing::load_demo_sections(
        *conn, {activity::bundle_section(), fund::bundle_section(), fund::produce_bundle_section(), ideas::bundle_section()});
    ASSERT_TRUE(loaded) << loaded.error().message;
    org::Store store(*conn, clock);
    auto id = [&](const char* code) { return (*store.org_by_code(code))->id; };
    dkcq = id("DKCQ");
    auto member = [&](const char* given) { return (*conn->query_one("SELECT id FROM members WHERE given_name = ?1", {std::string(given)}))->i64(0); };
    linh_member = member("Linh");
    start(clock);
    services.public_url = "https://tin.example.vn";
    add_routes(router, services);
    add_public_routes(router, services);
    auto users = chidoan::testing::create_users(*conn, clock, services.auth,
                                                {{"doankhoi", auth::Role::org_manager, dkcq, std::nullopt},
                                                 {"sangpv", auth::Role::branch_secretary, vpubnd, member("Sang")},
                                                 {"ngoai", auth::Role::member, other_branch, other_member},
                                                 {"linh", auth::Role::member, vpubnd, linh_member},
                                                 {"khoa", auth::Role::member, vpubnd, member("Khoa")}});
    ASSERT_TRUE(users) << users.error().message;
    tokens = *users;
    auto a = conn->query_one("SELECT id FROM activities WHERE org_id = ?1 ORDER BY id LIMIT 1", {vpubnd});
    ASSERT_TRUE(a && *a);
    own_activity = (*a)->i64(0);
  }

  std::string org_api(int64_t org) { return "/api/v1/orgs/" + std::to_string(org) + "/news"; }
  std::string post_api(int64_t id, const std::string& rest = "") { return "/api/v1/news/" + std::to_string(id) + rest; }
  int64_t rows(const char* table) { return (*conn->query_one(std::string("SELECT COUNT(*) FROM ") + table))->i64(0); }
  std::string state_of(int64_t id) { return (*conn->query_one("SELECT state FROM news_posts WHERE id = ?1", {id}))->str(0); }

  int64_t draft(const std::string& who, const json& fields) {
    Reply r = call("POST", org_api(vpubnd), who, fields.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return r.j().value("id", int64_t{0});
  }
  int64_t version_of(int64_t id) { return (*conn->query_one("SELECT version FROM news_posts WHERE id = ?1", {id}))->i64(0); }
  void move(int64_t id, const std::string& who, const std::string& to, int want = 200, const std::string& note = "") {
    Reply r = call("POST", post_api(id, "/move"), who, json{{"to_state", to}, {"note", note}, {"version", version_of(id)}}.dump());
    EXPECT_EQ(r.status, want) << who << " " << to << ": " << r.body;
  }
  int64_t published(const json& fields) {
    int64_t id = draft("linh", fields);
    move(id, "linh", "awaiting");
    move(id, "sangpv", "published");
    return id;
  }

  FixedClock clock{std::chrono::sys_days{std::chrono::year{2021} / 11 / 15} + 3h};
  int64_t dkcq = 0, linh_member = 0, own_activity = 0;
};

TEST_P(NewsRoutesTest, WritingApprovalAndWithdrawal) {
  int64_t id = draft("linh", {{"title", "Chi đoàn ra quân tình nguyện"}, {"summary", "Một ngày tình nguyện"}, {"body", "Đoạn một.\n\nĐoạn hai."}});
  // A draft is its author's and the committee's.
  EXPECT_EQ(call("GET", post_api(id), "linh").status, 200);
  EXPECT_EQ(call("GET", post_api(id), "sangpv").status, 200);
  EXPECT_EQ(call("GET", post_api(id), "khoa").status, 404);
  EXPECT_EQ(call("GET", post_api(id), "ngoai").status, 404);
  EXPECT_EQ(call("GET", post_api(id), "").status, 401);
  EXPECT_EQ(call("POST", org_api(vpubnd), "ngoai", json{{"title", "x"}}.dump()).status, 403);
  EXPECT_EQ(call("GET", "/public/news/" + std::to_string(id), "").status, 404);
  // Publishing without approval: refused for the author and for the committee, nothing changes.
  move(id, "linh", "published", 409);
  move(id, "sangpv", "published", 409);
  EXPECT_EQ(state_of(id), "draft");
  move(id, "linh", "awaiting");
  move(id, "linh", "published", 403);
  EXPECT_EQ(state_of(id), "awaiting");
  // Returned with a reason, sent again, approved.
  move(id, "sangpv", "returned", 422);
  move(id, "sangpv", "returned", 200, "Thêm ảnh hoạt động");
  EXPECT_EQ(state_of(id), "draft");
  EXPECT_EQ(call("GET", post_api(id), "linh").j()["post"]["note"], "Thêm ảnh hoạt động");
  move(id, "linh", "awaiting");
  move(id, "sangpv", "published");
  EXPECT_EQ(call("GET", post_api(id), "khoa").status, 200);  // published: every writer of the org sees it
  // The author cannot edit a published post; the committee can.
  EXPECT_EQ(call("POST", post_api(id), "linh", json{{"title", "Sửa"}}.dump()).status, 403);
  EXPECT_EQ(call("POST", post_api(id), "sangpv", json{{"title", "Chi đoàn ra quân tình nguyện hè"}, {"body", "Đoạn một."}}.dump()).status, 200);
  Reply pub = call("GET", "/public/news/" + std::to_string(id), "");
  ASSERT_EQ(pub.status, 200);
  EXPECT_TRUE(has(pub.body, "Chi đoàn ra quân tình nguyện hè"));
  // Withdrawn: needs a reason, then the public page is gone at once.
  move(id, "sangpv", "withdrawn", 422);
  move(id, "sangpv", "withdrawn", 200, "Ảnh chưa xin phép");
  EXPECT_EQ(call("GET", "/public/news/" + std::to_string(id), "").status, 404);
  EXPECT_FALSE(has(call("GET", "/public/orgs/" + std::to_string(vpubnd) + "/news", "").body, "ra quân tình nguyện"));
  // Drafts that were published are not deleted; fresh drafts are.
  move(id, "linh", "draft");
  EXPECT_EQ(call("POST", post_api(id, "/delete"), "linh").status, 409);
  int64_t fresh = draft("linh", {{"title", "Nháp bỏ"}});
  EXPECT_EQ(call("POST", post_api(fresh, "/delete"), "khoa").status, 404);
  EXPECT_EQ(call("POST", post_api(fresh, "/delete"), "linh").status, 200);
  EXPECT_EQ(rows("news_posts"), 1);
}

TEST_P(NewsRoutesTest, TheCommitteePublishesOnlyTheVersionItRead) {
  int64_t id = draft("linh", {{"title", "Tin đã duyệt"}, {"body", "Bản đầu."}});
  move(id, "linh", "awaiting");
  int64_t seen = call("GET", post_api(id), "sangpv").j()["post"]["version"];
  // The author edits after the committee opened the post: approving what it read is refused.
  ASSERT_EQ(call("POST", post_api(id), "linh", json{{"title", "Tin đã duyệt"}, {"body", "Bản sửa chưa ai đọc."}}.dump()).status, 200);
  Reply stale = call("POST", post_api(id, "/move"), "sangpv", json{{"to_state", "published"}, {"version", seen}}.dump());
  EXPECT_EQ(stale.status, 409) << stale.body;
  EXPECT_EQ(call("POST", post_api(id, "/move"), "sangpv", json{{"to_state", "published"}}.dump()).status, 422);
  EXPECT_EQ(state_of(id), "awaiting");
  // Edits and photos of a post that moved meanwhile are refused too (the state it was checked in).
  move(id, "sangpv", "published");
  EXPECT_EQ(state_of(id), "published");
  EXPECT_EQ(call("POST", post_api(id), "linh", json{{"title", "Sửa lén"}}.dump()).status, 403);
}

TEST_P(NewsRoutesTest, BadPostsAreRefusedAndChangeNothing) {
  Reply no_title = call("POST", org_api(vpubnd), "linh", json{{"title", "  "}, {"body", "Nội dung"}}.dump());
  EXPECT_EQ(no_title.status, 422);
  EXPECT_EQ(no_title.j()["error"]["field"], "title");
  Reply long_title = call("POST", org_api(vpubnd), "linh", json{{"title", std::string(201, 'a')}}.dump());
  EXPECT_EQ(long_title.status, 422);
  // Another organisation's activity.
  auto other = conn->insert_id("INSERT INTO activities (org_id, type_id, title, starts_at, ends_at, expects_all, qr_secret, created_at) "
                               "VALUES (?1, 1, 'Sinh hoạt nội bộ', '2021-11-01T08:00', '2021-11-01T10:00', 1, 'x', 0) RETURNING id",
                               {other_branch});
  ASSERT_TRUE(other);
  Reply foreign = call("POST", org_api(vpubnd), "linh", json{{"title", "Tin"}, {"activity_id", *other}}.dump());
  EXPECT_EQ(foreign.status, 422);
  EXPECT_EQ(foreign.j()["error"]["field"], "activity_id");
  Reply bad_id = call("POST", org_api(vpubnd), "linh", json{{"title", "Tin"}, {"campaign_id", "abc"}}.dump());
  EXPECT_EQ(bad_id.status, 422);
  EXPECT_EQ(rows("news_posts"), 0);
  // Our own activity is fine, and its title shows on the post.
  int64_t id = draft("linh", {{"title", "Tin"}, {"activity_id", own_activity}});
  EXPECT_NE(call("GET", post_api(id), "linh").j()["links"]["activity"], "");
  // An unknown source for a draft from the data.
  Reply src = call("POST", org_api(vpubnd) + "/draft", "linh", json{{"source", "salary:1"}}.dump());
  EXPECT_EQ(src.status, 422);
  EXPECT_EQ(src.j()["error"]["field"], "source");
  EXPECT_EQ(rows("news_posts"), 1);
}

TEST_P(NewsRoutesTest, ScriptInEveryFieldIsShownAsText) {
  const std::string script = "<script>alert(1)</script>";
  int64_t id = published({{"title", "Tiêu đề " + script}, {"summary", "Tóm tắt " + script}, {"body", "Nội dung " + script + " <img src=x onerror=alert(2)>"}});
  Reply page = call("GET", "/public/news/" + std::to_string(id), "");
  ASSERT_EQ(page.status, 200);
  EXPECT_FALSE(has(page.body, "<script>alert")) << page.body;
  EXPECT_FALSE(has(page.body, "<img src=x"));
  EXPECT_TRUE(has(page.body, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  Reply list = call("GET", "/public/orgs/" + std::to_string(vpubnd) + "/news", "");
  EXPECT_FALSE(has(list.body, "<script>alert"));
  Reply feed = call("GET", "/public/orgs/" + std::to_string(vpubnd) + "/news.atom", "");
  EXPECT_FALSE(has(feed.body, "<script>"));
  // The API gives the text as typed.
  EXPECT_EQ(call("GET", "/api/v1/public/news/" + std::to_string(id), "").j()["title"], "Tiêu đề " + script);
}

TEST_P(NewsRoutesTest, Photos) {
  int64_t id = draft("linh", {{"title", "Trao quà"}});
  std::string url = post_api(id, "/photos");
  auto upload = [&](const std::string& alt, const std::string& data) { return call("POST", url, "linh", multipart(alt, data), kMultipart); };
  Reply text = upload("Ảnh", "đây không phải ảnh");
  EXPECT_EQ(text.status, 422);
  EXPECT_EQ(text.j()["error"]["field"], "photo");
  Reply huge = upload("Ảnh", png_header(20000, 20000));
  EXPECT_EQ(huge.status, 422);
  EXPECT_EQ(huge.j()["error"]["field"], "photo");
  EXPECT_TRUE(has(huge.j()["error"]["message"], "20000 × 20000")) << huge.body;
  Reply no_alt = upload("", png(640, 480));
  EXPECT_EQ(no_alt.status, 422);
  EXPECT_EQ(no_alt.j()["error"]["field"], "alt");
  EXPECT_EQ(rows("news_photos"), 0);
  EXPECT_EQ(call("POST", url, "khoa", multipart("Ảnh", png(64, 48)), kMultipart).status, 404);
  Reply ok = upload("Đoàn viên trao quà tại khu cách ly", png(1600, 1200));
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(ok.j()["width"], 1200);
  EXPECT_EQ(ok.j()["height"], 900);
  int64_t photo = ok.j()["id"];
  std::string public_photo = "/public/news/photos/" + std::to_string(photo) + "/large.jpg";
  EXPECT_EQ(call("GET", public_photo, "").status, 404);  // not published yet
  Reply own = call("GET", "/news/photos/" + std::to_string(photo) + "/small", "linh");
  EXPECT_EQ(own.status, 200);
  EXPECT_EQ(own.headers["Content-Type"], "image/jpeg");
  EXPECT_EQ(call("GET", "/news/photos/" + std::to_string(photo) + "/small", "khoa").status, 404);
  EXPECT_EQ(call("POST", "/api/v1/news/photos/" + std::to_string(photo), "linh", json{{"alt", ""}}.dump()).status, 422);
  move(id, "linh", "awaiting");
  move(id, "sangpv", "published");
  // Once published, a photo's description goes out at once: checked like the text.
  Reply phone_alt = call("POST", "/api/v1/news/photos/" + std::to_string(photo), "sangpv", json{{"alt", "Liên hệ 0972 222 874"}}.dump());
  EXPECT_EQ(phone_alt.status, 422);
  EXPECT_EQ(phone_alt.j()["error"]["field"], "alt");
  Reply img = call("GET", public_photo, "");
  ASSERT_EQ(img.status, 200);
  EXPECT_TRUE(img.body.starts_with("\xFF\xD8\xFF"));
  std::string page = unslashed(call("GET", "/public/news/" + std::to_string(id), "").body);
  EXPECT_TRUE(has(page, "<meta property=\"og:image\" content=\"https://tin.example.vn" + public_photo + "\">")) << page;
  EXPECT_TRUE(has(page, "alt=\"Đoàn viên trao quà tại khu cách ly\""));
}

TEST_P(NewsRoutesTest, ShareCardAndFeed) {
  int64_t id = published({{"title", "Quỹ phòng, chống dịch"}, {"summary", "Hơn 130 triệu đồng trong 2 đợt"}, {"body", "Đoạn mở đầu."}});
  Reply reply = call("GET", "/public/news/" + std::to_string(id), "");
  ASSERT_EQ(reply.status, 200);
  std::string page = unslashed(reply.body);
  for (const char* tag : {"<meta property=\"og:title\" content=\"Quỹ phòng, chống dịch\">",
                          "<meta property=\"og:description\" content=\"Hơn 130 triệu đồng trong 2 đợt\">",
                          "<meta property=\"og:type\" content=\"article\">", "<meta name=\"twitter:card\" content=\"summary_large_image\">",
                          "<meta property=\"og:image\" content=\"https://tin.example.vn/static/share-card.png\">"})
    EXPECT_TRUE(has(page, tag)) << tag;
  std::string url = "https://tin.example.vn/public/news/" + std::to_string(id);
  EXPECT_TRUE(has(page, "<meta property=\"og:url\" content=\"" + url + "\">"));
  EXPECT_TRUE(has(page, "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Ftin.example.vn%2Fpublic%2Fnews%2F"));
  EXPECT_FALSE(has(page, "connect.facebook.net"));  // share buttons are plain links
  // The upper level's page carries the branch's post; the feed too.
  Reply upper = call("GET", "/public/orgs/" + std::to_string(dkcq) + "/news", "");
  EXPECT_TRUE(has(upper.body, "Quỹ phòng, chống dịch"));
  Reply feed = call("GET", "/public/orgs/" + std::to_string(vpubnd) + "/news.atom", "");
  ASSERT_EQ(feed.status, 200);
  EXPECT_EQ(feed.headers["Content-Type"], "application/atom+xml; charset=utf-8");
  EXPECT_TRUE(feed.body.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>")) << feed.body.substr(0, 80);
  EXPECT_TRUE(has(unslashed(feed.body), "<id>" + url + "</id>"));
  EXPECT_TRUE(has(feed.body, "<published>2021-11-15T10:00:00+07:00</published>"));
  Reply api = call("GET", "/api/v1/public/orgs/" + std::to_string(vpubnd) + "/news", "");
  ASSERT_EQ(api.status, 200);
  EXPECT_EQ(api.j()["items"][0]["url"], url);
  EXPECT_FALSE(api.j()["items"][0].contains("author_id"));
}

TEST_P(NewsRoutesTest, CachedPagesChangeTheMomentAPostIsPublishedOrWithdrawn) {
  std::string list = "/public/orgs/" + std::to_string(vpubnd) + "/news";
  Reply first = call("GET", list, "");
  ASSERT_EQ(first.status, 200);
  std::string etag = first.headers["ETag"];
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(call("GET", list, "", "", "application/json", {{"if-none-match", etag}}).status, 304);
  int64_t id = draft("linh", {{"title", "Tin mới đăng"}});
  move(id, "linh", "awaiting");
  EXPECT_EQ(call("GET", list, "", "", "application/json", {{"if-none-match", etag}}).status, 304);  // nothing public changed
  move(id, "sangpv", "published");
  Reply after = call("GET", list, "", "", "application/json", {{"if-none-match", etag}});
  EXPECT_EQ(after.status, 200);
  EXPECT_TRUE(has(after.body, "Tin mới đăng"));
  move(id, "sangpv", "withdrawn", 200, "Sai thông tin");
  EXPECT_FALSE(has(call("GET", list, "").body, "Tin mới đăng"));
}

TEST_P(NewsRoutesTest, PersonalDataStaysOffPublicPages) {
  auto row = *conn->query_one("SELECT family_name, middle_name, given_name, phone FROM members WHERE id = ?1", {linh_member});
  std::string name = row->str(0) + " " + row->str(1) + " " + row->str(2);
  int64_t id = draft("khoa", {{"title", "Gương mặt tiêu biểu"}, {"body", "Đồng chí " + name + " được khen thưởng."}});
  Reply refused = call("POST", post_api(id, "/move"), "khoa", json{{"to_state", "awaiting"}}.dump());
  EXPECT_EQ(refused.status, 422);
  EXPECT_TRUE(has(refused.j()["error"]["message"], name)) << refused.body;
  EXPECT_FALSE(call("GET", post_api(id), "khoa").j()["findings"].empty());
  // She agrees to be named: the post may go.
  EXPECT_EQ(call("POST", "/api/v1/news/consent", "linh", json{{"given", "1"}}.dump()).status, 200);
  move(id, "khoa", "awaiting");
  move(id, "sangpv", "published");
  // A member of another branch is looked up too.
  int64_t other = draft("khoa", {{"title", "Giao lưu"}, {"body", "Cùng bạn Ngô Bảo của chi đoàn bạn."}});
  Reply cross = call("POST", post_api(other, "/move"), "khoa", json{{"to_state", "awaiting"}}.dump());
  EXPECT_EQ(cross.status, 422);
  EXPECT_TRUE(has(cross.j()["error"]["message"], "Ngô Bảo")) << cross.body;
  // A phone number or identity number never goes out.
  int64_t phone = draft("khoa", {{"title", "Liên hệ"}, {"body", "Gọi 0972 222 874 để đăng ký."}});
  Reply p = call("POST", post_api(phone, "/move"), "khoa", json{{"to_state", "awaiting"}}.dump());
  EXPECT_EQ(p.status, 422);
  EXPECT_TRUE(has(p.j()["error"]["message"], "số điện thoại"));
  // The author's byline: the org's name until the author consents.
  int64_t by_linh = published({{"title", "Bài của Linh"}});
  Reply with = call("GET", "/api/v1/public/news/" + std::to_string(by_linh), "");
  EXPECT_EQ(with.j()["byline"], name);
  Reply withdrawn = call("POST", "/api/v1/news/consent", "linh", json{{"given", "0"}}.dump());
  EXPECT_EQ(withdrawn.status, 200);
  // The post that names her comes down with her consent; her byline goes back to the branch.
  EXPECT_EQ(withdrawn.j()["withdrawn_posts"], json::array({id}));
  EXPECT_EQ(state_of(id), "withdrawn");
  EXPECT_EQ(state_of(by_linh), "published");
  Reply without = call("GET", "/api/v1/public/news/" + std::to_string(by_linh), "");
  EXPECT_EQ(without.j()["byline"], "Chi đoàn Văn phòng UBND tỉnh");
  EXPECT_FALSE(has(without.body, name));
}

TEST_P(NewsRoutesTest, DraftFromTheData) {
  auto c = conn->query_one("SELECT id FROM campaigns WHERE org_id = ?1 ORDER BY id LIMIT 1", {vpubnd});
  ASSERT_TRUE(c && *c);
  Reply r = call("POST", org_api(vpubnd) + "/draft", "linh", json{{"source", "campaign:" + std::to_string((*c)->i64(0))}}.dump());
  ASSERT_EQ(r.status, 201) << r.body;
  Reply post = call("GET", post_api(r.j()["id"]), "linh");
  EXPECT_TRUE(has(post.j()["post"]["body"], "Chi đoàn Văn phòng UBND tỉnh")) << post.body;
  EXPECT_EQ(post.j()["post"]["links"]["campaign_id"], (*c)->i64(0));
  EXPECT_EQ(post.j()["post"]["state"], "draft");
}

CHIDOAN_INSTANTIATE_DB_TEST(NewsRoutesTest);

}  // namespace
}  // namespace chidoan::news
