// The scanned papers' store on both engines: papers of an assist in the list's order, files
// appended, turned, moved and removed with positions kept 1..n, the page limit, the PDF saved
// with the originals deleted unless kept (and no change after that), bytes that survive the
// round trip, the purge after seven days, and papers going with their assist.
#include "scan/papers_store.hpp"

#include <gtest/gtest.h>

#include "desk/assist_store.hpp"
#include "desk/store.hpp"
#include "org/bundle.hpp"
#include "org/store.hpp"
#include "tests/support/demo.hpp"
#include "tests/support/test_db.hpp"

namespace chidoan::scan {
namespace {

using namespace std::chrono_literals;
using papers_rules::PaperName;

// Bytes that are not UTF-8 and hold a NUL, as image files do.
std::string jpeg_like(char tag) { return std::string("\xFF\xD8\xFF\xE0\0\x10JFIF", 10) + tag + std::string("\x00\xFF\xD9", 3); }

NewPage file(const std::string& name, char tag, int pages = 1) { return NewPage{name, "image/jpeg", pages, jpeg_like(tag), "thumb"}; }

class ScanPapersStoreTest : public chidoan::testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped()) return;
    FixedClock year_end{std::chrono::sys_days{std::chrono::year{2022} / 1 / 15}};
    auto loaded = org::bundle::load(*conn, year_end, chidoan::testing::demo_bundle());
    ASSERT_TRUE(loaded) << loaded.error().message;
    org::Store orgs(*conn, clock);
    int64_t vpubnd = (*orgs.org_by_code("VPUBND"))->id;
    auto member = conn->query_one("SELECT id FROM members WHERE branch_id = ?1 AND status = 'active' ORDER BY id", {vpubnd});
    ASSERT_TRUE(member && *member);
    auto setup = conn->transaction([&]() -> Result<void> {
      desk::Store desks(*conn, clock);
      CHIDOAN_TRY(c, desks.create_center(vpubnd, {"Trung tâm Phục vụ hành chính công tỉnh Lâm Đồng", "36 Trần Phú", 3, 0, 3}));
      desk::AssistStore assists(*conn, clock);
      CHIDOAN_TRY(p, assists.add_procedure(c, {"1.001193", "Đăng ký khai sinh", "Hộ tịch", "4", {"Tờ khai đăng ký khai sinh", "Giấy chứng sinh"}}));
      desk::assist_rules::AssistInput in;
      in.procedure_id = p;
      in.at = unix_of_local("2021-11-15T08:30");
      in.level = "4";
      in.outcome = "submitted";
      in.steps.scanned = in.steps.submitted = true;
      CHIDOAN_TRY(a, assists.insert(c, (*member)->i64(0), in));
      assist = a;
      CHIDOAN_TRY(b, assists.insert(c, (*member)->i64(0), in));
      other_assist = b;
      return {};
    });
    ASSERT_TRUE(setup) << setup.error().message;
  }

  template <typename F>
  auto tx(F fn) -> decltype(fn()) {
    std::optional<decltype(fn())> out;
    auto r = conn->transaction([&]() -> Result<void> {
      out.emplace(fn());
      if (!*out) return std::unexpected(out->error());
      return {};
    });
    return std::move(*out);
  }
  int64_t create(const std::string& name, std::optional<int> index, int64_t at) {
    auto id = tx([&] { return store().create(assist, PaperName{name, index}, at); });
    EXPECT_TRUE(id) << id.error().message;
    return id ? *id : 0;
  }
  std::vector<std::string> order(int64_t paper) {
    std::vector<std::string> names;
    auto pages = store().pages(paper);
    for (const auto& g : *pages) names.push_back(std::to_string(g.position) + ":" + g.file_name);
    return names;
  }
  int64_t count(const char* table) { return (*conn->query_one(std::string("SELECT COUNT(*) FROM ") + table))->i64(0); }
  PaperStore store() { return PaperStore(*conn); }

  FixedClock clock{std::chrono::sys_days{std::chrono::year{2021} / 11 / 15} + 3h};
  const int64_t t0 = 1'700'000'000;
  int64_t assist = 0, other_assist = 0;
};

TEST_P(ScanPapersStoreTest, PapersFollowTheProcedureListThenTheOthers) {
  int64_t other = create("Sổ hộ khẩu", std::nullopt, t0);
  int64_t second = create("Giấy chứng sinh", 2, t0);
  int64_t first = create("Tờ khai đăng ký khai sinh", 1, t0);
  auto list = store().papers(assist);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].id, first);
  EXPECT_EQ((*list)[1].id, second);
  EXPECT_EQ((*list)[2].id, other);
  EXPECT_EQ((*list)[0].expires_at, t0 + papers_rules::kRetentionSeconds);
  EXPECT_FALSE((*list)[0].made());
  EXPECT_EQ(store().papers(other_assist)->size(), 0u);

  auto dup = tx([&] { return store().create(assist, PaperName{"Giấy chứng sinh", 2}, t0); });
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().kind, ErrorKind::conflict);
  EXPECT_EQ(dup.error().field, "document");
  auto dup_other = tx([&] { return store().create(assist, PaperName{"Sổ hộ khẩu", std::nullopt}, t0); });
  ASSERT_FALSE(dup_other);
  EXPECT_EQ(dup_other.error().field, "name");
  // The same name on another assist is another paper.
  EXPECT_TRUE(tx([&] { return store().create(other_assist, PaperName{"Giấy chứng sinh", 2}, t0); }));
  EXPECT_EQ(store().paper(999999).error().kind, ErrorKind::not_found);
}

TEST_P(ScanPapersStoreTest, FilesAreAppendedTurnedMovedAndRemovedInOrder) {
  int64_t paper = create("Tờ khai đăng ký khai sinh", 1, t0);
  auto ids = tx([&] { return store().add_pages(paper, {file("a.jpg", 'a'), file("b.jpg", 'b'), file("c.tif", 'c', 3)}, t0 + 60); });
  ASSERT_TRUE(ids) << ids.error().message;
  ASSERT_EQ(ids->size(), 3u);
  EXPECT_EQ(order(paper), (std::vector<std::string>{"1:a.jpg", "2:b.jpg", "3:c.tif"}));
  auto p = store().paper(paper);
  EXPECT_EQ(p->files, 3);
  EXPECT_EQ(p->pages, 5);
  EXPECT_EQ(p->bytes, static_cast<int64_t>(3 * jpeg_like('a').size()));
  EXPECT_EQ(p->changed_at, t0 + 60);
  EXPECT_EQ(p->expires_at, t0 + 60 + papers_rules::kRetentionSeconds);

  // The bytes come back as they went in (NUL and 0xFF included), in order with their turns.
  ASSERT_TRUE(tx([&] { return store().rotate((*ids)[1], 270, t0 + 120); }));
  auto in = store().inputs(paper);
  ASSERT_TRUE(in);
  ASSERT_EQ(in->size(), 3u);
  EXPECT_EQ((*in)[0].second, jpeg_like('a'));
  EXPECT_EQ((*in)[1].first.rotation, 270);
  EXPECT_EQ((*in)[2].first.page_count, 3);
  EXPECT_EQ((*in)[2].first.size, static_cast<int64_t>(jpeg_like('c').size()));
  EXPECT_EQ(*store().thumbnail((*ids)[0]), std::optional<std::string>("thumb"));

  ASSERT_TRUE(tx([&] { return store().move((*ids)[2], 1, t0 + 180); }));
  EXPECT_EQ(order(paper), (std::vector<std::string>{"1:c.tif", "2:a.jpg", "3:b.jpg"}));
  ASSERT_TRUE(tx([&] { return store().move((*ids)[2], 3, t0 + 180); }));
  EXPECT_EQ(order(paper), (std::vector<std::string>{"1:a.jpg", "2:b.jpg", "3:c.tif"}));
  ASSERT_TRUE(tx([&] { return store().remove_page((*ids)[0], t0 + 240); }));
  EXPECT_EQ(order(paper), (std::vector<std::string>{"1:b.jpg", "2:c.tif"}));
  // Appending after a removal continues after the last position.
  ASSERT_TRUE(tx([&] { return store().add_pages(paper, {file("d.png", 'd')}, t0 + 300); }));
  EXPECT_EQ(order(paper), (std::vector<std::string>{"1:b.jpg", "2:c.tif", "3:d.png"}));
  EXPECT_EQ(store().page(999999).error().kind, ErrorKind::not_found);
}

TEST_P(ScanPapersStoreTest, APaperHoldsAtMostSixtyPagesAndARefusedUploadWritesNothing) {
  int64_t paper = create("Giấy chứng sinh", 2, t0);
  ASSERT_TRUE(tx([&] { return store().add_pages(paper, {file("a.tif", 'a', 40), file("b.tif", 'b', 19)}, t0); }));
  auto over = tx([&] { return store().add_pages(paper, {file("c.jpg", 'c'), file("d.jpg", 'd')}, t0); });
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().field, "pages");
  EXPECT_EQ(store().paper(paper)->files, 2);
  EXPECT_TRUE(tx([&] { return store().add_pages(paper, {file("c.jpg", 'c')}, t0); }));
  EXPECT_EQ(store().paper(paper)->pages, 60);
}

TEST_P(ScanPapersStoreTest, MakingKeepsTheOriginalsOnlyOnPurpose) {
  int64_t kept = create("Tờ khai đăng ký khai sinh", 1, t0);
  ASSERT_TRUE(tx([&] { return store().add_pages(kept, {file("a.jpg", 'a'), file("b.jpg", 'b')}, t0); }));
  const char raw_pdf[] = "%PDF-1.7\n\0\xFF binary";
  std::string pdf(raw_pdf, sizeof raw_pdf - 1);
  // Pages changed while the PDF was being made: nothing saved, nothing deleted.
  std::string made_of = page_signature(*store().pages(kept));
  auto changed = tx([&] { return store().save_pdf(kept, MadePdf{pdf, 2, "{}", false, made_of + "0:0,"}, t0 + 100); });
  ASSERT_FALSE(changed);
  EXPECT_EQ(changed.error().kind, ErrorKind::conflict);
  EXPECT_EQ(store().paper(kept)->files, 2);
  EXPECT_FALSE(store().paper(kept)->made());
  ASSERT_TRUE(tx([&] { return store().save_pdf(kept, MadePdf{pdf, 2, R"({"pages":[],"notes":[]})", true, made_of}, t0 + 100); }));
  auto p = store().paper(kept);
  EXPECT_TRUE(p->made());
  EXPECT_EQ(*p->made_at, t0 + 100);
  EXPECT_EQ(p->pdf_bytes, static_cast<int64_t>(pdf.size()));
  EXPECT_EQ(p->pdf_pages, 2);
  EXPECT_TRUE(p->keep_originals);
  EXPECT_FALSE(p->closed());
  EXPECT_FALSE(p->stale());
  EXPECT_EQ(p->files, 2);
  EXPECT_EQ(*store().pdf(kept), std::optional<std::string>(pdf));
  EXPECT_EQ(p->expires_at, t0 + 100 + papers_rules::kRetentionSeconds);
  // A change after making: the PDF is stale until made again.
  ASSERT_TRUE(tx([&] { return store().rotate((*store().pages(kept))[0].id, 90, t0 + 200); }));
  EXPECT_TRUE(store().paper(kept)->stale());

  int64_t gone = create("Giấy chứng sinh", 2, t0);
  ASSERT_TRUE(tx([&] { return store().add_pages(gone, {file("c.jpg", 'c')}, t0); }));
  ASSERT_TRUE(tx([&] { return store().save_pdf(gone, MadePdf{pdf, 1, "{}", false, page_signature(*store().pages(gone))}, t0 + 100); }));
  auto q = store().paper(gone);
  EXPECT_TRUE(q->closed());
  EXPECT_EQ(q->files, 0);
  EXPECT_EQ((*conn->query_one("SELECT COUNT(*) FROM scan_pages WHERE paper_id = ?1", {gone}))->i64(0), 0);
  // Closed: no upload, no remaking.
  auto upload = tx([&] { return store().add_pages(gone, {file("d.jpg", 'd')}, t0 + 200); });
  ASSERT_FALSE(upload);
  EXPECT_EQ(upload.error().field, "pages");
  EXPECT_FALSE(tx([&] { return store().save_pdf(gone, MadePdf{pdf, 1, "{}", true}, t0 + 200); }));
  EXPECT_EQ(*store().pdf(gone), std::optional<std::string>(pdf));
  EXPECT_EQ(*store().pdf(create("Sổ hộ khẩu", std::nullopt, t0)), std::nullopt);
}

TEST_P(ScanPapersStoreTest, EverythingIsPurgedSevenDaysAfterTheLastTouch) {
  int64_t old = create("Tờ khai đăng ký khai sinh", 1, t0);
  ASSERT_TRUE(tx([&] { return store().add_pages(old, {file("a.jpg", 'a')}, t0); }));
  int64_t touched = create("Giấy chứng sinh", 2, t0);
  ASSERT_TRUE(tx([&] { return store().add_pages(touched, {file("b.jpg", 'b')}, t0 + 3 * 86400); }));
  const int64_t week = papers_rules::kRetentionSeconds;
  EXPECT_EQ(*tx([&] { return store().purge(t0 + week - 1); }), 0);
  EXPECT_EQ(*tx([&] { return store().purge(t0 + week); }), 1);
  EXPECT_EQ(store().paper(old).error().kind, ErrorKind::not_found);
  EXPECT_EQ(count("scan_pages"), 1);
  EXPECT_TRUE(store().paper(touched));
  EXPECT_EQ(*tx([&] { return store().purge(t0 + 3 * 86400 + week); }), 1);
  EXPECT_EQ(count("scan_papers"), 0);
  EXPECT_EQ(count("scan_pages"), 0);
}

TEST_P(ScanPapersStoreTest, DeletingAPaperOrItsAssistDeletesEverything) {
  int64_t one = create("Tờ khai đăng ký khai sinh", 1, t0);
  ASSERT_TRUE(tx([&] { return store().add_pages(one, {file("a.jpg", 'a'), file("b.jpg", 'b')}, t0); }));
  ASSERT_TRUE(tx([&]() -> Result<void> { return store().remove(one); }));
  EXPECT_EQ(count("scan_pages"), 0);
  EXPECT_EQ(store().remove(one).error().kind, ErrorKind::not_found);

  int64_t two = create("Giấy chứng sinh", 2, t0);
  ASSERT_TRUE(tx([&] { return store().add_pages(two, {file("c.jpg", 'c')}, t0); }));
  desk::AssistStore assists(*conn, clock);
  ASSERT_TRUE(conn->transaction([&] { return assists.remove(assist); }));  // a coordinator's correction
  EXPECT_EQ(count("scan_papers"), 0);
  EXPECT_EQ(count("scan_pages"), 0);
}

CHIDOAN_INSTANTIATE_DB_TEST(ScanPapersStoreTest);

}  // namespace
}  // namespace chidoan::scan
