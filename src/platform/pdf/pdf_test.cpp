#include "platform/pdf/pdf.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "platform/text/words.hpp"

namespace chidoan::pdf {
namespace {

// Runs a poppler tool on the PDF (written to a temporary file, its path in place of %s) and returns its standard output.
// `stderr_too`: poppler's complaints about a malformed file are kept in the output.
std::string run_on_pdf(const std::string& pdf, const std::string& command, bool stderr_too = false) {
  char path[] = "/tmp/chidoan-pdf-test-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return {};
  close(fd);
  {
    std::ofstream f(path, std::ios::binary);
    f << pdf;
  }
  std::string out;
  std::string cmd = command;
  cmd.replace(cmd.find("%s"), 2, std::string("'") + path + "'");
  cmd += stderr_too ? " 2>&1" : " 2>/dev/null";
  if (FILE* p = popen(cmd.c_str(), "r")) {
    std::array<char, 4096> buf;
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
    pclose(p);
  }
  std::remove(path);
  return out;
}

std::string pdftotext(const std::string& pdf) { return run_on_pdf(pdf, "pdftotext -enc UTF-8 %s -"); }

std::vector<std::string> pages_of(const std::string& text) {
  std::vector<std::string> pages;
  size_t from = 0;
  for (size_t at; (at = text.find('\f', from)) != std::string::npos; from = at + 1)
    pages.push_back(text.substr(from, at - from));
  return pages;
}

size_t count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + needle.size()))
    ++n;
  return n;
}

TEST(Pdf, VietnameseTextComesBackFromDecomposedInput) {
  Document doc(PageSize::a5_portrait());
  doc.heading("Biên nhận đóng góp");
  // "Nguyễn Thị Ngọc Ánh" with every mark decomposed (NFD), as some keyboards send it.
  doc.paragraph("Nguye\u0302\u0303n Thi\u0323 Ngo\u0323c A\u0301nh");
  doc.paragraph(text::vnd_in_words(130000000), {.italic = true});
  doc.paragraph("Chi đoàn Văn phòng", {.family = kSans, .bold = true, .uppercase = true});
  doc.paragraph("Hợp tác xã <b>Lâm Hà</b> & Đạ Tẻh: xoài, vải thiều Bắc Giang, hành tím Ninh Thuận",
                {.align = Align::justify});
  doc.key_value("Số tiền:", "130.000.000 \u20AB");
  auto pdf = doc.finish();
  ASSERT_TRUE(pdf) << pdf.error().message;
  ASSERT_EQ(pdf->rfind("%PDF-", 0), 0u);
  const std::string text = pdftotext(*pdf);
  EXPECT_NE(text.find("Nguyễn Thị Ngọc Ánh"), std::string::npos) << text;
  EXPECT_NE(text.find("Một trăm ba mươi triệu đồng"), std::string::npos) << text;
  EXPECT_NE(text.find("CHI ĐOÀN VĂN PHÒNG"), std::string::npos) << text;
  EXPECT_NE(text.find("<b>Lâm Hà</b> & Đạ Tẻh"), std::string::npos) << text;
  EXPECT_NE(text.find("130.000.000 \u20AB"), std::string::npos) << text;
  EXPECT_NE(text.find("Biên nhận đóng góp"), std::string::npos) << text;
  EXPECT_NE(text.find("Trang 1/1"), std::string::npos) << text;
}

TEST(Pdf, UsesNotoFonts) {
  Document doc(PageSize::a4_portrait());
  doc.paragraph("Đoàn TNCS Hồ Chí Minh", {.family = kSerif});
  doc.paragraph("Đoàn TNCS Hồ Chí Minh", {.family = kSans, .bold = true});
  doc.paragraph("Đoàn TNCS Hồ Chí Minh", {.family = kSerif, .italic = true});
  auto pdf = doc.finish();
  ASSERT_TRUE(pdf);
  const std::string fonts = run_on_pdf(*pdf, "pdffonts %s");
  EXPECT_NE(fonts.find("NotoSerif-Regular"), std::string::npos) << fonts;
  EXPECT_NE(fonts.find("NotoSans-Bold"), std::string::npos) << fonts;
  EXPECT_NE(fonts.find("NotoSerif-Italic"), std::string::npos) << fonts;
}

TEST(Pdf, LongTablePaginatesAndRepeatsItsHeader) {
  Document doc(PageSize::a4_portrait());
  doc.heading("Danh sách đóng góp");
  Table t{.columns = {{"STT", 0.6, Align::right},
                      {"Họ và tên", 3},
                      {"Đơn vị", 3},
                      {"Số tiền (đồng)", 2, Align::right}}};
  for (int i = 1; i <= 120; ++i)
    t.rows.push_back({std::to_string(i), "Nguyễn Thị Ngọc Ánh " + std::to_string(i),
                      i % 7 == 0 ? "Văn phòng Ủy ban nhân dân tỉnh Lâm Đồng, phòng Hành chính - "
                                   "Tổ chức, tổ Văn thư lưu trữ"
                                 : "Phòng Tổng hợp",
                      "1.380.000"});
  t.footer = {{"", "Cộng", "", "165.600.000"}};
  doc.table(t);
  doc.paragraph("Hết danh sách.");
  ASSERT_GE(doc.page_count(), 3);
  const int page_count = doc.page_count();
  auto pdf = doc.finish();
  ASSERT_TRUE(pdf) << pdf.error().message;
  const std::string text = pdftotext(*pdf);
  const auto pages = pages_of(text);
  ASSERT_EQ(static_cast<int>(pages.size()), page_count);
  for (size_t p = 0; p < pages.size(); ++p) {
    EXPECT_EQ(count(pages[p], "Họ và tên"), 1u) << "page " << p + 1;
    EXPECT_NE(pages[p].find("Trang " + std::to_string(p + 1) + "/" + std::to_string(page_count)),
              std::string::npos)
        << pages[p];
  }
  for (int i = 1; i <= 120; ++i)
    EXPECT_EQ(count(text, "Nguyễn Thị Ngọc Ánh " + std::to_string(i) + "\n"), 1u) << i;
  EXPECT_NE(pages.back().find("165.600.000"), std::string::npos);
  EXPECT_NE(pages.back().find("Hết danh sách."), std::string::npos);
  EXPECT_NE(text.find("Văn thư lưu trữ"), std::string::npos) << text;
}

TEST(Pdf, PageNumbersCountAllPages) {
  Document doc(PageSize::a5_landscape());
  doc.paragraph("Trang đầu");
  doc.page_break();
  doc.paragraph("Trang cuối");
  EXPECT_EQ(doc.page_count(), 2);
  auto pdf = doc.finish();
  ASSERT_TRUE(pdf);
  const auto pages = pages_of(pdftotext(*pdf));
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_NE(pages[0].find("Trang 1/2"), std::string::npos);
  EXPECT_NE(pages[1].find("Trang 2/2"), std::string::npos);
  EXPECT_NE(pages[1].find("Trang cuối"), std::string::npos);
}

TEST(Pdf, PageNumbersCanBeOmitted) {
  Options o{.size = PageSize::a5_portrait(), .margins = Margins::for_page(PageSize::a5_portrait()),
            .page_numbers = PageNumbers::if_many, .footer_text = "Biên nhận số 0007"};
  Document doc(o);
  doc.paragraph("Một trang");
  auto pdf = doc.finish();
  ASSERT_TRUE(pdf);
  const std::string text = pdftotext(*pdf);
  EXPECT_EQ(text.find("Trang 1/1"), std::string::npos) << text;
  EXPECT_NE(text.find("Biên nhận số 0007"), std::string::npos) << text;
}

TEST(Pdf, LongParagraphFlowsAcrossPages) {
  Document doc(PageSize::a5_portrait());
  std::string body;
  for (int i = 0; i < 60; ++i)
    body += "Đoàn viên thanh niên tham gia chiến dịch tình nguyện hè, hỗ trợ người dân bị ảnh hưởng "
            "bởi dịch COVID-19 câu " + std::to_string(i) + ". ";
  doc.paragraph(body, {.align = Align::justify});
  EXPECT_GE(doc.page_count(), 2);
  auto pdf = doc.finish();
  ASSERT_TRUE(pdf);
  const std::string text = pdftotext(*pdf);
  for (int i = 0; i < 60; ++i)
    EXPECT_NE(text.find("câu " + std::to_string(i) + "."), std::string::npos) << i;
}

TEST(Pdf, HeadingIsNotLeftAloneAtThePageBottom) {
  Document doc(PageSize::a5_portrait());
  while (doc.remaining() > 40) doc.paragraph("Dòng đệm");
  doc.heading("Phần hai", 2);
  doc.paragraph("Nội dung phần hai");
  auto pdf = doc.finish();
  ASSERT_TRUE(pdf);
  const auto pages = pages_of(pdftotext(*pdf));
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_EQ(pages[0].find("Phần hai"), std::string::npos);
  EXPECT_NE(pages[1].find("Phần hai"), std::string::npos);
}

TEST(Pdf, MetadataIsInjectedAndOutputIsDeterministic) {
  const auto make = [] {
    Document doc(PageSize::a5_portrait());
    doc.set_metadata({.title = "Biên nhận số 0007", .author = "Chi đoàn Văn phòng",
                      .subject = "Quỹ phòng chống COVID-19", .created = "2021-11-02T08:30:00+07:00"});
    doc.paragraph("Nguyễn Thị Ngọc Ánh");
    doc.table({.columns = {{"A"}, {"B", 1, Align::right}}, .rows = {{"x", "1"}}});
    doc.drawing(40, [](cairo_t* cr, double w, double h) {
      cairo_rectangle(cr, 0, 0, w, h);
      cairo_stroke(cr);
      draw_text(cr, "Biểu đồ", {.family = kSans, .size = 8}, 4, 4, w - 8);
    });
    return doc.finish();
  };
  auto a = make();
  ASSERT_TRUE(a);
  sleep(1);  // a clock read anywhere would now show
  auto b = make();
  ASSERT_TRUE(b);
  EXPECT_EQ(*a, *b);
  const std::string info = run_on_pdf(*a, "pdfinfo -isodates %s");
  EXPECT_NE(info.find("Biên nhận số 0007"), std::string::npos) << info;
  EXPECT_NE(info.find("Chi đoàn Văn phòng"), std::string::npos) << info;
  EXPECT_NE(info.find("2021-11-02T08:30:00+07"), std::string::npos) << info;
  EXPECT_NE(pdftotext(*a).find("Biểu đồ"), std::string::npos);
}

TEST(Pdf, NoDatesWithoutMetadata) {
  Document doc(PageSize::a5_portrait());
  doc.paragraph("x");
  auto pdf = doc.finish();
  ASSERT_TRUE(pdf);
  EXPECT_EQ(pdf->find("/CreationDate"), std::string::npos);
  EXPECT_EQ(pdf->find("/ModDate"), std::string::npos);
  // The blanked entry leaves a PDF that poppler reads without complaint.
  const std::string info = run_on_pdf(*pdf, "pdfinfo %s", true);
  EXPECT_EQ(info.find("CreationDate"), std::string::npos) << info;
  EXPECT_EQ(info.find("rror"), std::string::npos) << info;
  const size_t pages = info.find("Pages:");
  ASSERT_NE(pages, std::string::npos) << info;
  EXPECT_EQ(info[info.find_first_not_of(' ', pages + 6)], '1') << info;
}

TEST(Pdf, InvalidTextIsAnErrorAtFinish) {
  Document doc(PageSize::a5_portrait());
  doc.paragraph("ok");
  doc.paragraph(std::string("bad \xC3\x28 utf8"));
  auto pdf = doc.finish();
  ASSERT_FALSE(pdf);
  EXPECT_EQ(pdf.error().kind, ErrorKind::invalid);
  auto again = doc.finish();
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, ErrorKind::internal);
}

TEST(Pdf, BoxesSideBySide) {
  Document doc(PageSize::a4_portrait());
  doc.boxes({{1, {{"BCH ĐOÀN KHỐI CÁC CƠ QUAN", {.size = 11, .align = Align::center}},
                  {"CHI ĐOÀN VĂN PHÒNG", {.size = 11, .bold = true, .align = Align::center}}}},
             {1, {{"ĐOÀN TNCS HỒ CHÍ MINH", {.size = 12, .bold = true, .align = Align::center,
                                              .underline = true}},
                  {"Đà Lạt, ngày 31 tháng 12 năm 2021", {.italic = true, .align = Align::center}}}}});
  doc.rule({.width = 0.3});
  auto pdf = doc.finish();
  ASSERT_TRUE(pdf);
  const std::string text = pdftotext(*pdf);
  EXPECT_NE(text.find("ĐOÀN TNCS HỒ CHÍ MINH"), std::string::npos) << text;
  EXPECT_NE(text.find("Đà Lạt, ngày 31 tháng 12 năm 2021"), std::string::npos) << text;
  EXPECT_NE(text.find("CHI ĐOÀN VĂN PHÒNG"), std::string::npos) << text;
}

}  // namespace
}  // namespace chidoan::pdf
