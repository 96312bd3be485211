// The renderings of the year-end report beyond its JSON, on both engines: the PDF of the demo's
// VPUBND 2021 report (its text by `pdftotext -layout` against tests/golden/review/
// vpubnd-2021.pdf.txt, CHIDOAN_UPDATE_GOLDEN=1 rewrites it; deterministic given the clock), the
// XLSX workbook (a sheet per part, figures as numbers), the HTML document with its charts, the
// download routes; and the "ratings" and "classification" parts from a hand-made report.
#include <gtest/gtest.h>
#include <zip.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "app/server.hpp"
#include "org/bundle.hpp"
#include "org/store.hpp"
#include "platform/tabular/tabular.hpp"
#include "review/classification_rules.hpp"
#include "review/report.hpp"
#include "review/report_charts.hpp"
#include "review/report_pdf.hpp"
#include "review/report_tables.hpp"
#include "review/report_xlsx.hpp"
#include "review/routes.hpp"
#include "tests/support/demo.hpp"
#include "tests/support/http_support.hpp"
#include "tests/support/route_test.hpp"

namespace chidoan::review {
namespace {

using nlohmann::json;

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string source_dir() {
  const char* dir = std::getenv("CHIDOAN_SOURCE_DIR");
  return dir ? dir : ".";
}

// `pdftotext -layout` of a PDF (poppler-utils).
std::string pdf_text(const std::string& pdf) {
  char path[] = "/tmp/chidoan-report-XXXXXX";
  int fd = mkstemp(path);
  EXPECT_GE(fd, 0);
  if (fd < 0) return "";
  FILE* f = fdopen(fd, "wb");
  std::fwrite(pdf.data(), 1, pdf.size(), f);
  std::fclose(f);
  std::string text;
  if (FILE* p = popen(("pdftotext -layout -enc UTF-8 " + std::string(path) + " - 2>/dev/null").c_str(), "r")) {
    char buf[4096];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) text.append(buf, n);
    pclose(p);
  }
  std::remove(path);
  return text;
}

// The parts of an XLSX: the sheet names in order and the XML of sheet `n` (1-based).
std::string zip_entry(const std::string& bytes, const std::string& name) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  zip_t* z = src ? zip_open_from_source(src, ZIP_RDONLY, &error) : nullptr;
  zip_error_fini(&error);
  if (!z) {
    if (src) zip_source_free(src);
    return "";
  }
  std::string out;
  if (zip_file_t* f = zip_fopen(z, name.c_str(), 0)) {
    char buf[4096];
    for (zip_int64_t n; (n = zip_fread(f, buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
    zip_fclose(f);
  }
  zip_close(z);
  return out;
}

std::vector<std::string> sheet_names(const std::string& xlsx) {
  std::vector<std::string> names;
  const std::string wb = zip_entry(xlsx, "xl/workbook.xml");
  std::regex sheet("<sheet name=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(wb.begin(), wb.end(), sheet); it != std::sregex_iterator(); ++it) names.push_back((*it)[1]);
  return names;
}

size_t utf8_chars(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

json words() {
  static render::Renderer renderer;
  return renderer.strings("vi")["review_report"];
}

class ReportRenderTest : public chidoan::testing::RouteTest {
 protected:
  FixedClock clock{std::chrono::sys_days{std::chrono::year{2022} / 2 / 15}};

  void SetUp() override {
    RouteTest::SetUp();
    if (IsSkipped()) return;
    auto loaded = org::bundle::load(*conn, clock, chidoan::testing::demo_bundle_full(), app::bundle_sections());
    ASSERT_TRUE(loaded) << loaded.error().field << ": " << loaded.error().message;
    auto o = org::Store(*conn, clock).org_by_code("VPUBND");
    ASSERT_TRUE(o && *o);
    vpubnd = (**o).id;
  }
  json report() {
    auto r = year_report(*conn, clock, vpubnd, 2021);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : json();
  }
  std::string rendered(const char* format) {
    auto bytes = render_report(*conn, clock, renderer, report(), format);
    EXPECT_TRUE(bytes) << bytes.error().message;
    return bytes ? *bytes : "";
  }
};

TEST_P(ReportRenderTest, PdfOfTheDemoHasTheArticlesFiguresAndMatchesTheGolden) {
  const std::string pdf = rendered("pdf");
  ASSERT_TRUE(pdf.starts_with("%PDF-"));
  EXPECT_EQ(pdf, rendered("pdf"));  // deterministic given the clock
  const std::string text = pdf_text(pdf);
  ASSERT_FALSE(text.empty()) << "pdftotext (poppler-utils) is needed";
  for (const char* want : {"ĐOÀN TNCS HỒ CHÍ MINH", "BCH CHI ĐOÀN VĂN PHÒNG UBND TỈNH", "ĐOÀN KHỐI CÁC CƠ QUAN TỈNH", "ngày 15 tháng 02 năm 2022",
                           "BÁO CÁO", "47,64%", "23 đoàn viên", "hơn 130 triệu đồng", "47.416", "99.537", "130.800.000", "Trang 1/",
                           "Tỷ lệ hồ sơ trực tuyến so với chỉ tiêu", "Số tiền quyên góp theo đợt", "Chỉ tiêu 30%"})
    EXPECT_TRUE(has(text, want)) << want;
  // "Trang i/N" on every page, N the same.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(text, m, std::regex("Trang 1/([0-9]+)")));
  const int pages = std::stoi(m[1]);
  EXPECT_GE(pages, 2);
  for (int i = 1; i <= pages; ++i) EXPECT_TRUE(has(text, "Trang " + std::to_string(i) + "/" + std::to_string(pages))) << i;

  const std::string path = source_dir() + "/tests/golden/review/vpubnd-2021.pdf.txt";
  const char* update = std::getenv("CHIDOAN_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::ofstream out(path, std::ios::binary);
    out << text;
    ASSERT_TRUE(out.good()) << "cannot write " << path;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in.good()) << "missing golden file " << path << " (run with CHIDOAN_UPDATE_GOLDEN=1 to write it)";
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(), text) << "the PDF's text differs from " << path
                            << "; if the change is intended, run with CHIDOAN_UPDATE_GOLDEN=1 and review the diff";
}

TEST_P(ReportRenderTest, XlsxHasASheetPerPartWithFiguresAsNumbers) {
  const std::string xlsx = rendered("xlsx");
  ASSERT_TRUE(xlsx.starts_with("PK"));
  const auto names = sheet_names(xlsx);
  const auto tables = report_tables(report(), words());
  ASSERT_EQ(names.size(), tables.size() + 1);  // the overview first
  EXPECT_EQ(names[0], "Tổng quan");
  for (size_t i = 0; i < tables.size(); ++i) {
    EXPECT_EQ(names[i + 1], tables[i].title);
    EXPECT_LE(utf8_chars(names[i + 1]), 31u);
  }
  for (const char* part : {"Đoàn viên và đơn vị", "Các chiến dịch quyên góp", "Hồ sơ trực tuyến mức độ 3, 4", "Khen thưởng"})
    EXPECT_NE(std::find(names.begin(), names.end(), part), names.end()) << part;
  // The overview: the narrative, read back.
  auto first = tabular::read_xlsx(xlsx);
  ASSERT_TRUE(first) << first.error().message;
  std::string all;
  for (const auto& row : first->rows) all += row[0] + "\n";
  EXPECT_TRUE(has(all, "đạt tỷ lệ 47,64%")) << all;
  EXPECT_TRUE(has(all, "Chi đoàn Văn phòng UBND tỉnh"));
  // The desk sheet: 47.416 and 99.537 as numbers, the rate as 0,4764 with a percent format.
  size_t desk = 0;
  for (size_t i = 0; i < tables.size(); ++i)
    if (tables[i].key == "desk") desk = i + 2;
  ASSERT_GT(desk, 0u);
  const std::string sheet = zip_entry(xlsx, "xl/worksheets/sheet" + std::to_string(desk) + ".xml");
  EXPECT_TRUE(has(sheet, "<v>47416</v>")) << sheet;
  EXPECT_TRUE(has(sheet, "<v>99537</v>"));
  EXPECT_TRUE(has(sheet, "<v>0.4764</v>"));
  EXPECT_TRUE(has(zip_entry(xlsx, "xl/styles.xml"), "0.00%"));
}

TEST_P(ReportRenderTest, HtmlDocumentHasTheTablesAndAtLeastTwoCharts) {
  const std::string html = rendered("html");
  EXPECT_TRUE(has(html, "ĐOÀN TNCS HỒ CHÍ MINH"));
  for (const char* id : {"id=\"part-members\"", "id=\"part-desk\"", "id=\"part-campaigns\"", "id=\"part-activities\"", "id=\"part-awards\""})
    EXPECT_TRUE(has(html, id)) << id;
  size_t charts = 0;
  for (size_t at = html.find("<svg"); at != std::string::npos; at = html.find("<svg", at + 1)) ++charts;
  EXPECT_GE(charts, 2u);
  EXPECT_TRUE(has(html, "Chỉ tiêu 30%"));
  EXPECT_TRUE(has(html, ">47,64%<"));
  EXPECT_TRUE(has(html, ">130.800.000<"));
  auto bad = render_report(*conn, clock, renderer, report(), "docx");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, ErrorKind::invalid);
}

TEST_P(ReportRenderTest, DownloadsAreAttachmentsWithAsciiNames) {
  start(clock);
  add_routes(router, services);
  auto users = chidoan::testing::create_users(*conn, clock, services.auth, {{"sangpv", auth::Role::branch_secretary, vpubnd, std::nullopt}});
  ASSERT_TRUE(users) << users.error().message;
  tokens = *users;
  const std::string base = "/orgs/" + std::to_string(vpubnd);
  auto pdf = call("GET", base + "/report.pdf?year=2021", "sangpv");
  ASSERT_EQ(pdf.status, 200) << pdf.body;
  EXPECT_EQ(pdf.headers["Content-Type"], "application/pdf");
  EXPECT_EQ(pdf.headers["Content-Disposition"], "attachment; filename=\"bao-cao-vpubnd-2021.pdf\"");
  EXPECT_TRUE(pdf.body.starts_with("%PDF-"));
  auto xlsx = call("GET", "/api/v1" + base + "/report.xlsx?year=2021", "sangpv");
  ASSERT_EQ(xlsx.status, 200) << xlsx.body;
  EXPECT_EQ(xlsx.headers["Content-Disposition"], "attachment; filename=\"bao-cao-vpubnd-2021.xlsx\"");
  EXPECT_TRUE(xlsx.body.starts_with("PK"));
  // The page links both.
  auto page = call("GET", base + "/report?year=2021", "sangpv", "", "application/json", {{"accept", "text/html"}});
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(has(page.body, "report.pdf?year=2021")) << page.body.substr(0, 2000);
  EXPECT_TRUE(has(page.body, "Tải PDF"));
  EXPECT_TRUE(has(page.body, "Tải XLSX"));
  EXPECT_EQ(call("GET", base + "/report.pdf?year=1800", "sangpv").status, 422);
  EXPECT_EQ(call("GET", "/api/v1" + base + "/report.pdf?year=2021", "").status, 401);
}

CHIDOAN_INSTANTIATE_DB_TEST(ReportRenderTest);

// A report with the parts the ratings and the classification add, made by hand.
json rated_report() {
  return json{{"org", {{"id", 1}, {"code", "DK"}, {"name", "Đoàn khối Thử"}, {"level", "Đoàn khối"}, {"as_of", "2023-12-31"}, {"events", json::array()}}},
              {"narrative", {"Đoạn tường thuật thử."}},
              {"ratings",
               {{"guideline", "HD 33-HD/TWĐTN-BTC"},
                {"rated", 40},
                {"approved", 38},
                {"levels",
                 {{{"level", "excellent"}, {"label", "Hoàn thành xuất sắc nhiệm vụ"}, {"count", 7}},
                  {{"level", "good"}, {"label", "Hoàn thành tốt nhiệm vụ"}, {"count", 25}},
                  {{"level", "done"}, {"label", "Hoàn thành nhiệm vụ"}, {"count", 6}},
                  {{"level", "not_done"}, {"label", "Không hoàn thành nhiệm vụ"}, {"count", 2}}}},
                {"narrative", "Có 7 đoàn viên hoàn thành xuất sắc nhiệm vụ."}}},
              {"classification",
               {{"scheme", "2021"},
                {"level", "strong"},
                {"label", "Vững mạnh"},
                {"score", 86.5},
                {"max_score", 100},
                {"state", "approved"},
                {"approved_by", "Đoàn khối Các cơ quan tỉnh"},
                {"approved_on", "2024-01-10"},
                {"narrative", "Đoàn khối được xếp loại vững mạnh."},
                {"branches",
                 {{"total", 12},
                  {"levels",
                   {{{"level", "excellent"}, {"label", "Vững mạnh xuất sắc"}, {"count", 3}},
                    {{"level", "strong"}, {"label", "Vững mạnh"}, {"count", 8}},
                    {{"level", "fair"}, {"label", "Khá"}, {"count", 1}}}}}}}},
              {"awards", json::array()},
              {"heading", {{"superior", "TỈNH ĐOÀN THỬ"}, {"issuer", "BAN THƯỜNG VỤ ĐOÀN KHỐI THỬ"}, {"place_date", "Thử, ngày 15 tháng 01 năm 2024"}}},
              {"year", 2023},
              {"generated_on", "2024-01-15"}};
}

TEST(ReportRender, RatingsAndClassificationAreRenderedWhenPresent) {
  const json r = rated_report();
  const auto tables = report_tables(r, words());
  ASSERT_EQ(tables.size(), 2u);
  EXPECT_EQ(tables[0].key, "ratings");
  EXPECT_EQ(tables[1].key, "classification");
  const auto charts = report_charts(r, words());
  ASSERT_EQ(charts.size(), 2u);
  EXPECT_EQ(charts[0].chart.categories.size(), 4u);
  EXPECT_EQ(charts[1].chart.bars[0].values[1], 8.0);

  auto pdf = report_pdf(r, words());
  ASSERT_TRUE(pdf) << pdf.error().message;
  const std::string text = pdf_text(*pdf);
  for (const char* want : {"Đánh giá, xếp loại đoàn viên", "Hoàn thành xuất sắc nhiệm vụ", "Không hoàn thành nhiệm vụ", "HD 33-HD/TWĐTN-BTC",
                           "Xếp loại chi đoàn", "Vững mạnh xuất sắc", "86,5/100", "10/01/2024", "Đoàn khối Các cơ quan tỉnh", "BAN THƯỜNG VỤ ĐOÀN KHỐI THỬ",
                           "Trang 1/"})
    EXPECT_TRUE(has(text, want)) << want << "\n" << text;
  EXPECT_TRUE(has(text, classification::state_label("approved")));  // the state's label, not its code
  EXPECT_FALSE(has(text, "approved"));

  auto xlsx = report_xlsx(r, words());
  ASSERT_TRUE(xlsx) << xlsx.error().message;
  EXPECT_EQ(sheet_names(*xlsx), (std::vector<std::string>{"Tổng quan", "Đánh giá, xếp loại đoàn viên", "Xếp loại chi đoàn"}));
  EXPECT_TRUE(has(zip_entry(*xlsx, "xl/worksheets/sheet2.xml"), "<v>25</v>"));

  // Absent or null parts give nothing.
  json bare = r;
  bare.erase("ratings");
  bare["classification"] = nullptr;
  EXPECT_TRUE(report_tables(bare, words()).empty());
  EXPECT_TRUE(report_charts(bare, words()).empty());
}

TEST(ReportRender, CampaignRoundsAreNeverMergedAcrossCampaigns) {
  const json r{{"campaigns",
                {{{"name", "Quỹ A"}, {"rounds", {{{"no", 1}, {"name", "Đợt tháng 3"}, {"money_vnd", 100}}, {{"no", 2}, {"name", "Đợt tháng 9"}, {"money_vnd", 200}}}}},
                 {{"name", "Quỹ B"}, {"rounds", {{{"no", 1}, {"name", "Xuân yêu thương"}, {"money_vnd", 50}}}}}}}};
  const auto charts = report_charts(r, words());
  ASSERT_EQ(charts.size(), 1u);
  const auto& c = charts[0].chart;
  // Each round under its own name: B's first round is not A's "Đợt tháng 3".
  EXPECT_EQ(c.categories, (std::vector<std::string>{"Đợt tháng 3", "Đợt tháng 9", "Xuân yêu thương"}));
  EXPECT_EQ(c.category_names, (std::vector<std::string>{"Quỹ A: Đợt tháng 3", "Quỹ A: Đợt tháng 9", "Quỹ B: Xuân yêu thương"}));
  ASSERT_EQ(c.bars.size(), 1u);
  EXPECT_EQ(c.bars[0].name, words()["money"].get<std::string>());
  EXPECT_EQ(c.bars[0].values, (std::vector<std::optional<double>>{100.0, 200.0, 50.0}));
}

TEST(ReportRender, TheMembersTableNamesTheUnits) {
  const json r{{"members", {{"total", 5}, {"units", 2}, {"unit_names", {"Phòng Kế toán", "Phòng Hành chính"}}}}};
  const auto tables = report_tables(r, words());
  ASSERT_EQ(tables.size(), 1u);
  bool named = false;
  for (const auto& row : tables[0].rows)
    named = named || (row[0].text == words()["unit_names"].get<std::string>() && row[1].text == "Phòng Kế toán, Phòng Hành chính");
  EXPECT_TRUE(named);
}

}  // namespace
}  // namespace chidoan::review
