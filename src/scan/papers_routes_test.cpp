// The scanned papers' routes in process, on both engines: only the assist's volunteer and the
// center's coordinators see, upload and download; bad uploads (empty, text named .jpg, a PNG
// claiming 100000 × 100000 pixels) are refused naming the file and write nothing; pages are
// turned and moved; the PDF is made by the engine, downloaded with its Vietnamese name, and the
// originals are gone afterwards unless kept; pages render for a phone.
#include "scan/papers_routes.hpp"

#include <gtest/gtest.h>

#include "desk/assist_routes.hpp"
#include "desk/store.hpp"
#include "org/bundle.hpp"
#include "org/store.hpp"
#include "platform/auth/store.hpp"
#include "platform/text/text.hpp"
#include "scan/test_pages.hpp"
#include "tests/support/demo.hpp"
#include "tests/support/http_support.hpp"
#include "tests/support/route_test.hpp"
#include "tests/support/route_world.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::scan {
namespace {

using namespace std::chrono_literals;
using chidoan::testing::Reply;
using nlohmann::json;

// ---- Files

struct Part {
  std::string field, filename, type, data;
};
const char* kBoundary = "----chidoan-scan-papers";
const std::string kMultipart = std::string("multipart/form-data; boundary=") + kBoundary;

std::string multipart(const std::vector<Part>& parts) {
  std::string out;
  for (const auto& p : parts) {
    out += std::string("--") + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + p.field + "\"";
    if (!p.filename.empty() || !p.type.empty()) out += "; filename=\"" + p.filename + "\"\r\nContent-Type: " + p.type;
    out += "\r\n\r\n" + p.data + "\r\n";
  }
  return out + "--" + kBoundary + "--\r\n";
}
Part png(const std::string& name, const std::string& data) { return {"pages", name, "image/png", data}; }

// A small typeset page: a few Vietnamese words, turned `turn` degrees clockwise.
std::string page_png(const std::string& line, int turn = 0) {
  testing::PageSpec spec;
  spec.lines = {line};
  spec.dpi = 200;
  spec.width_mm = 130;
  spec.height_mm = 30;
  spec.font_pt = 14;
  spec.turn = turn;
  return testing::page(spec, testing::Encoding::png);
}

uint32_t crc32(std::string_view s) {
  uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : s) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return ~c;
}
std::string be32(uint32_t v) { return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)}; }

// A PNG whose header claims width × height pixels (a decompression bomb's header), CRCs right.
std::string png_claiming(uint32_t width, uint32_t height) {
  std::string ihdr = "IHDR" + be32(width) + be32(height) + std::string("\x08\x02\x00\x00\x00", 5);
  std::string iend = "IEND";
  return std::string("\x89PNG\r\n\x1A\n", 8) + be32(13) + ihdr + be32(crc32(ihdr)) + be32(0) + iend + be32(crc32(iend));
}

// ---- The world

class ScanPapersRoutesTest : public chidoan::testing::RouteTest {
 protected:
  void SetUp() override {
    RouteTest::SetUp();
    if (IsSkipped()) return;
    FixedClock later{std::chrono::sys_days{std::chrono::year{2022} / 1 / 15}};
    ASSERT_TRUE(org::bundle::load(*conn, later, chidoan::testing::demo_bundle()));
    org::Store store(*conn, clock);
    auto id = [&](const char* code) { return (*store.org_by_code(code))->id; };
    vpubnd = id("VPUBND");
    int64_t thao = 0, ngoc = 0, phuc = 0;
    ASSERT_TRUE(conn->transaction([&]() -> Result<void> {
      CHIDOAN_TRY(outside, chidoan::testing::add_outside_branch(store, today(clock)));
      std::tie(other_branch, other_member) = outside;
      CHIDOAN_TRY(m, chidoan::testing::add_test_member(store, vpubnd, "Lê", "Thảo", "female", "1996-03-01", "2021-04-01", today(clock)));
      thao = m;
      CHIDOAN_TRY(n, chidoan::testing::add_test_member(store, vpubnd, "Võ", "Ngọc", "female", "1997-05-01", "2021-04-01", today(clock)));
      ngoc = n;
      CHIDOAN_TRY(k, chidoan::testing::add_test_member(store, vpubnd, "Trần", "Phúc", "male", "1994-07-01", "2021-04-01", today(clock)));
      phuc = k;
      CHIDOAN_TRY(c, desk::Store(*conn, clock).create_center(vpubnd, {"Trung tâm Phục vụ hành chính công tỉnh Lâm Đồng", "36 Trần Phú", 3, 0, 3}));
      center = c;
      return {};
    }));
    start(clock);
    desk::add_assist_routes(router, services);
    add_paper_routes(router, services);
    auto users = chidoan::testing::create_users(*conn, clock, services.auth,
                                                {{"sangpv", auth::Role::branch_secretary, vpubnd, std::nullopt},
                                                 {"khac", auth::Role::branch_secretary, other_branch, std::nullopt},
                                                 {"ngoai", auth::Role::member, other_branch, other_member},
                                                 {"thao", auth::Role::member, vpubnd, thao},
                                                 {"ngoc", auth::Role::member, vpubnd, ngoc},
                                                 {"dieuphoi", auth::Role::member, vpubnd, phuc}});
    ASSERT_TRUE(users) << users.error().message;
    tokens = *users;
    auth::AuthStore auths(*conn, clock, services.auth);
    int64_t uid = (*conn->query_one("SELECT id FROM users WHERE username = 'dieuphoi'"))->i64(0);
    ASSERT_TRUE(conn->transaction([&] { return auths.add_grant(uid, auth::Grant::desk_coordinator, vpubnd, auth::Actor::system()); }));
    Reply q = call("POST", "/api/v1/desk/centers/" + std::to_string(center) + "/procedures", "sangpv",
                   json{{"code", "1.001193"},
                        {"name", "Đăng ký khai sinh"},
                        {"field", "Hộ tịch"},
                        {"level", "4"},
                        {"documents", {"Tờ khai đăng ký khai sinh", "Giấy chứng sinh"}}}
                       .dump());
    ASSERT_EQ(q.status, 201) << q.body;
    Reply a = call("POST", "/api/v1/desk/centers/" + std::to_string(center) + "/assists", "thao",
                   json{{"procedure_id", q.j()["id"]}, {"at", "2021-11-15T08:30"}, {"steps", {"scanned"}}, {"outcome", "missing_papers"}}.dump());
    ASSERT_EQ(a.status, 201) << a.body;
    assist = a.j()["id"];
  }

  Reply upload(int64_t paper, const std::vector<Part>& parts, const std::string& who = "thao") {
    return call("POST", "/api/v1/desk/papers/" + std::to_string(paper) + "/pages", who, multipart(parts), kMultipart);
  }
  std::string papers(const std::string& api = "/api/v1") { return api + "/desk/assists/" + std::to_string(assist) + "/papers"; }
  std::string paper_url(int64_t id, const std::string& rest = "") { return "/api/v1/desk/papers/" + std::to_string(id) + rest; }
  std::string page_url(int64_t id, const std::string& rest) { return "/api/v1/desk/pages/" + std::to_string(id) + rest; }
  int64_t new_paper(const std::string& who = "thao", const json& body = json{{"document", "1"}}) {
    Reply r = call("POST", papers(), who, body.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return r.j().value("id", int64_t{0});
  }
  int64_t rows(const char* table) { return (*conn->query_one(std::string("SELECT COUNT(*) FROM ") + table))->i64(0); }
  int64_t audits(const std::string& action) {
    return (*conn->query_one("SELECT COUNT(*) FROM audit_log WHERE action = ?1 AND entity = 'scan_paper'", {action}))->i64(0);
  }

  FixedClock clock{std::chrono::sys_days{std::chrono::year{2021} / 11 / 15} + 3h};  // 10:00 in Vietnam
  int64_t center = 0, assist = 0;
};

TEST_P(ScanPapersRoutesTest, OnlyTheVolunteerAndTheCoordinatorsSeeAPaper) {
  int64_t paper = new_paper();
  Reply up = upload(paper, {png("trang-1.png", page_png("Tờ khai đăng ký khai sinh"))});
  ASSERT_EQ(up.status, 201) << up.body;
  int64_t page = up.j()["items"][0]["id"];

  for (const char* who : {"thao", "dieuphoi", "sangpv"}) {
    Reply list = call("GET", papers(), who);
    ASSERT_EQ(list.status, 200) << who << list.body;
    EXPECT_EQ(list.j()["items"].size(), 1u);
    EXPECT_FALSE(list.j()["assist"].contains("phone"));
    EXPECT_EQ(call("GET", paper_url(paper), who).status, 200) << who;
    EXPECT_EQ(call("GET", page_url(page, "/thumbnail"), who).status, 200) << who;
  }
  EXPECT_EQ(call("GET", papers(), "dieuphoi").j()["coordinator"], true);
  EXPECT_EQ(call("GET", papers(), "thao").j()["coordinator"], false);
  // Another volunteer of the same branch, an outsider, the other branch's secretary.
  for (const char* who : {"ngoc", "ngoai", "khac"}) {
    EXPECT_EQ(call("GET", papers(), who).status, 403) << who;
    EXPECT_EQ(call("POST", papers(), who, json{{"document", "2"}}.dump()).status, 403) << who;
    EXPECT_EQ(call("GET", paper_url(paper), who).status, 403) << who;
    EXPECT_EQ(upload(paper, {png("x.png", page_png("Giấy chứng sinh"))}, who).status, 403) << who;
    EXPECT_EQ(call("GET", page_url(page, "/thumbnail"), who).status, 403) << who;
    EXPECT_EQ(call("POST", page_url(page, "/rotate"), who, json{{"by", 90}}.dump()).status, 403) << who;
    EXPECT_EQ(call("POST", paper_url(paper, "/pdf"), who, "{}").status, 403) << who;
    EXPECT_EQ(call("GET", paper_url(paper, "/pdf"), who).status, 403) << who;
    EXPECT_EQ(call("POST", paper_url(paper, "/delete"), who, "{}").status, 403) << who;
  }
  EXPECT_EQ(call("GET", papers(), "").status, 401);
  EXPECT_EQ(call("GET", paper_url(999999), "thao").status, 404);
  EXPECT_EQ(call("GET", "/api/v1/desk/assists/999999/papers", "thao").status, 404);
  EXPECT_EQ(rows("scan_papers"), 1);
  EXPECT_EQ(rows("scan_pages"), 1);
}

TEST_P(ScanPapersRoutesTest, PapersAreNamedFromTheProcedureList) {
  Reply one = call("POST", papers(), "thao", json{{"document", "Giấy chứng sinh"}}.dump());
  ASSERT_EQ(one.status, 201) << one.body;
  EXPECT_EQ(one.j()["name"], "Giấy chứng sinh");
  EXPECT_EQ(one.j()["doc_index"], 2);
  EXPECT_EQ(one.j()["file_name"], "giay-chung-sinh.pdf");
  Reply other = call("POST", papers(), "dieuphoi", json{{"name", "Sổ hộ khẩu"}}.dump());
  ASSERT_EQ(other.status, 201) << other.body;
  EXPECT_TRUE(other.j()["doc_index"].is_null());
  struct Case {
    json body;
    int status;
    std::string field;
  };
  for (const auto& c : std::vector<Case>{{{{"document", "3"}}, 422, "document"},
                                         {{{"document", "1"}, {"name", "x"}}, 422, "name"},
                                         {{{"document", "2"}}, 409, "document"},
                                         {{{"name", "Sổ hộ khẩu"}}, 409, "name"},
                                         {{{"cccd", "1"}}, 422, "cccd"}}) {
    Reply r = call("POST", papers(), "thao", c.body.dump());
    EXPECT_EQ(r.status, c.status) << c.body << r.body;
    EXPECT_EQ(r.j()["error"]["field"], c.field) << c.body;
    EXPECT_FALSE(r.j()["error"]["message"].get<std::string>().empty());
  }
  EXPECT_EQ(rows("scan_papers"), 2);
}

TEST_P(ScanPapersRoutesTest, BadUploadsAreRefusedNamingTheFileAndWriteNothing) {
  int64_t paper = new_paper();
  std::string good = page_png("Tờ khai đăng ký khai sinh");
  struct Case {
    std::string name;
    std::vector<Part> parts;
    std::string names;  // in the message
  };
  std::vector<Case> cases = {
      {"empty file", {png("trang-1.png", good), png("trang-2.jpg", "")}, "trang-2.jpg"},
      {"text named .jpg", {{"pages", "cccd.jpg", "image/jpeg", "Đây là một tệp văn bản, không phải ảnh"}, png("trang-1.png", good)}, "cccd.jpg"},
      {"a bomb's header", {png("khong-lo.png", png_claiming(100000, 100000))}, "khong-lo.png"},
      {"no file", {{"pages", "", "application/octet-stream", ""}}, ""},
  };
  for (const auto& c : cases) {
    Reply r = upload(paper, c.parts);
    EXPECT_EQ(r.status, 422) << c.name << r.body;
    EXPECT_EQ(r.j()["error"]["field"], "pages") << c.name;
    EXPECT_NE(r.j()["error"]["message"].get<std::string>().find(c.names), std::string::npos) << c.name << r.body;
  }
  Reply not_multipart = call("POST", paper_url(paper, "/pages"), "thao", "{}");
  EXPECT_EQ(not_multipart.status, 422);
  EXPECT_EQ(not_multipart.j()["error"]["field"], "pages");
  // A paper made together with a bad file is not made either.
  Reply with_files = call("POST", papers(), "thao", multipart({{"document", "", "", "2"}, png("a.png", good), png("b.jpg", "")}), kMultipart);
  EXPECT_EQ(with_files.status, 422) << with_files.body;
  EXPECT_EQ(rows("scan_pages"), 0);
  EXPECT_EQ(rows("scan_papers"), 1);
  EXPECT_EQ(audits("upload"), 0);
}

TEST_P(ScanPapersRoutesTest, TurnMoveMakeDownloadAndTheOriginalsGo) {
  // Two pages in one go with the paper; the second was photographed sideways.
  Reply made_paper = call("POST", papers(), "thao",
                          multipart({{"document", "", "", "1"},
                                     png("to-khai.png", page_png("Tờ khai đăng ký khai sinh")),
                                     png("mat-sau.png", page_png("Giấy chứng sinh số 123", 270))}),
                          kMultipart);
  ASSERT_EQ(made_paper.status, 201) << made_paper.body;
  int64_t paper = made_paper.j()["id"];
  EXPECT_EQ(made_paper.j()["files"], 2);
  EXPECT_EQ(audits("upload"), 1);
  json items = call("GET", paper_url(paper), "thao").j()["items"];
  ASSERT_EQ(items.size(), 2u);
  int64_t first = items[0]["id"], second = items[1]["id"];
  Reply thumb = call("GET", page_url(second, "/thumbnail"), "thao");
  ASSERT_EQ(thumb.status, 200);
  EXPECT_EQ(thumb.headers["Content-Type"], "image/jpeg");
  EXPECT_TRUE(thumb.body.starts_with("\xFF\xD8\xFF"));

  // Turned upright by the volunteer, then put first.
  Reply turned = call("POST", page_url(second, "/rotate"), "thao", json{{"by", 90}}.dump());
  ASSERT_EQ(turned.status, 200) << turned.body;
  EXPECT_EQ(turned.j()["items"][1]["rotation"], 90);
  EXPECT_EQ(call("POST", page_url(second, "/rotate"), "thao", json{{"by", 45}}.dump()).j()["error"]["field"], "by");
  Reply moved = call("POST", page_url(second, "/move"), "thao", json{{"to", "up"}}.dump());
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(moved.j()["items"][0]["id"], second);
  EXPECT_EQ(moved.j()["items"][1]["id"], first);
  EXPECT_EQ(call("POST", page_url(second, "/move"), "thao", json{{"to", "sang trái"}}.dump()).j()["error"]["field"], "to");

  // Made, the originals kept on purpose.
  Reply kept = call("POST", paper_url(paper, "/pdf"), "thao", json{{"keep_originals", 1}}.dump());
  ASSERT_EQ(kept.status, 200) << kept.body;
  json p = kept.j()["paper"];
  EXPECT_EQ(p["made"], true);
  EXPECT_EQ(p["pdf_pages"], 2);
  EXPECT_EQ(p["closed"], false);
  ASSERT_EQ(p["report"]["pages"].size(), 2u);
  EXPECT_EQ(p["report"]["pages"][0]["source"], "mat-sau.png");
  EXPECT_EQ(p["report"]["pages"][0]["turned"], 90);
  EXPECT_EQ(p["report"]["pages"][0]["blank"], false);
  EXPECT_EQ(kept.j()["items"].size(), 2u);
  EXPECT_EQ(rows("scan_pages"), 2);

  Reply pdf = call("GET", paper_url(paper, "/pdf"), "dieuphoi");
  ASSERT_EQ(pdf.status, 200) << pdf.body;
  EXPECT_TRUE(pdf.body.starts_with("%PDF"));
  EXPECT_EQ(pdf.headers["Content-Type"], "application/pdf");
  EXPECT_EQ(pdf.headers["Content-Disposition"],
            "attachment; filename=\"to-khai-dang-ky-khai-sinh.pdf\"; "
            "filename*=UTF-8''T%E1%BB%9D%20khai%20%C4%91%C4%83ng%20k%C3%BD%20khai%20sinh.pdf");
  std::string words = text::search_fold(testing::pdf_text(pdf.body));
  EXPECT_NE(words.find("chung sinh"), std::string::npos) << words;  // the page turned by hand reads
  EXPECT_NE(words.find("khai sinh"), std::string::npos) << words;
  EXPECT_LT(words.find("chung sinh"), words.find("dang ky"));       // in the chosen order
  EXPECT_EQ(audits("make"), 1);
  EXPECT_EQ(audits("download"), 1);

  // Made again without keeping: the originals go, nothing can change any more.
  Reply closed = call("POST", paper_url(paper, "/pdf"), "thao", json{{"keep_originals", 0}}.dump());
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(closed.j()["paper"]["closed"], true);
  EXPECT_EQ(closed.j()["items"].size(), 0u);
  EXPECT_EQ(rows("scan_pages"), 0);
  EXPECT_EQ(upload(paper, {png("them.png", page_png("Giấy chứng sinh"))}).j()["error"]["field"], "pages");
  EXPECT_EQ(call("POST", paper_url(paper, "/pdf"), "thao", "{}").status, 422);
  EXPECT_EQ(call("GET", page_url(first, "/thumbnail"), "thao").status, 404);
  EXPECT_EQ(call("GET", paper_url(paper, "/pdf"), "thao").status, 200);
  // Audited without any content.
  auto detail = conn->query_one("SELECT detail FROM audit_log WHERE action = 'make' AND entity = 'scan_paper' ORDER BY id LIMIT 1");
  ASSERT_TRUE(detail && *detail);
  EXPECT_EQ((*detail)->str(0).find(".png"), std::string::npos);

  Reply gone = call("POST", paper_url(paper, "/delete"), "thao", "{}");
  ASSERT_EQ(gone.status, 200) << gone.body;
  EXPECT_EQ(rows("scan_papers"), 0);
  EXPECT_EQ(audits("delete"), 1);
  EXPECT_EQ(call("GET", paper_url(paper, "/pdf"), "thao").status, 404);
}

TEST_P(ScanPapersRoutesTest, AMultiPageTiffIsOneUploadOfItsPages) {
  int64_t paper = new_paper();
  testing::PageSpec a, b;
  a.lines = {"Trang một"};
  b.lines = {"Trang hai"};
  a.width_mm = b.width_mm = 80;
  a.height_mm = b.height_mm = 30;
  auto pa = testing::render(a);
  auto pb = testing::render(b);
  Reply r = upload(paper, {{"pages", "ho-so.tif", "image/tiff", testing::multipage_tiff({pa.get(), pb.get()})}});
  ASSERT_EQ(r.status, 201) << r.body;
  ASSERT_EQ(r.j()["items"].size(), 1u);
  EXPECT_EQ(r.j()["items"][0]["page_count"], 2);
  EXPECT_EQ(r.j()["paper"]["pages"], 2);
  Reply made = call("POST", paper_url(paper, "/pdf"), "thao", "{}");
  ASSERT_EQ(made.status, 200) << made.body;
  EXPECT_EQ(made.j()["paper"]["pdf_pages"], 2);
  EXPECT_EQ(made.j()["paper"]["report"]["pages"][1]["source"], "ho-so.tif#2");
}

TEST_P(ScanPapersRoutesTest, PagesWorkWithoutScriptAndEscapeText) {
  Reply list = call("GET", papers(""), "thao");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_NE(list.body.find("accept=\"image/jpeg,image/png,image/tiff,application/pdf\""), std::string::npos);
  EXPECT_NE(list.body.find("multiple"), std::string::npos);
  EXPECT_NE(list.body.find("Tờ khai đăng ký khai sinh"), std::string::npos);
  EXPECT_NE(list.body.find("enctype=\"multipart/form-data\""), std::string::npos);

  // The form: a document with its first photo, then the paper's page.
  Reply created = call("POST", papers(""), "thao",
                       multipart({{"document", "", "", "2"}, png("IMG_0001.png", page_png("Giấy chứng sinh"))}), kMultipart);
  ASSERT_EQ(created.status, 303) << created.body;
  std::string location = created.headers["Location"];
  ASSERT_TRUE(location.starts_with("/desk/papers/")) << location;
  Reply page = call("GET", location, "thao");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("IMG_0001.png"), std::string::npos);
  EXPECT_NE(page.body.find("/rotate"), std::string::npos);
  EXPECT_NE(page.body.find("Tạo PDF"), std::string::npos);

  // A refused upload shows the page again with the file named.
  Reply bad = call("POST", location + "/pages", "thao", multipart({png("hong.png", "\x89PNG\r\n\x1A\n")}), kMultipart);
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find("hong.png"), std::string::npos);
  EXPECT_NE(bad.body.find("class=\"error banner\""), std::string::npos);

  // A free name is text, never markup.
  Reply other = call("POST", papers(""), "thao", multipart({{"name", "", "", "<b>Giấy</b> khác"}}), kMultipart);
  ASSERT_EQ(other.status, 303) << other.body;
  Reply shown = call("GET", papers(""), "thao");
  EXPECT_EQ(shown.body.find("<b>Giấy</b>"), std::string::npos);
  EXPECT_NE(shown.body.find("&lt;b&gt;Giấy"), std::string::npos);
}

TEST_P(ScanPapersRoutesTest, ACorrectedAssistTakesItsPapersAlong) {
  int64_t paper = new_paper();
  ASSERT_EQ(upload(paper, {png("a.png", page_png("Tờ khai"))}).status, 201);
  Reply deleted = call("POST", "/api/v1/desk/assists/" + std::to_string(assist) + "/delete", "dieuphoi", json{{"reason", "Ghi nhầm"}}.dump());
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(rows("scan_papers"), 0);
  EXPECT_EQ(rows("scan_pages"), 0);
  EXPECT_EQ(call("GET", paper_url(paper), "thao").status, 404);
}

CHIDOAN_INSTANTIATE_DB_TEST(ScanPapersRoutesTest);

}  // namespace
}  // namespace chidoan::scan
