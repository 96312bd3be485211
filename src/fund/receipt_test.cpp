#include "fund/receipt.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

namespace chidoan::fund {
namespace {

// pdftotext (poppler-utils) of the PDF bytes; with CHIDOAN_RECEIPT_SAMPLES=DIR set, the PDF is
// also left there as NAME.pdf, to be looked at.
std::string pdftotext(const std::string& pdf, const std::string& name) {
  if (const char* dir = std::getenv("CHIDOAN_RECEIPT_SAMPLES")) {
    std::ofstream(std::string(dir) + "/" + name + ".pdf", std::ios::binary) << pdf;
  }
  char path[] = "/tmp/chidoan-receipt-test-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return {};
  close(fd);
  std::ofstream(path, std::ios::binary) << pdf;
  std::string out;
  const std::string cmd = std::string("pdftotext -enc UTF-8 '") + path + "' - 2>/dev/null";
  if (FILE* p = popen(cmd.c_str(), "r")) {
    std::array<char, 4096> buf;
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
    pclose(p);
  }
  std::remove(path);
  return out;
}

// Wrapped lines joined with spaces, so that a phrase that wraps is still found.
std::string flat(std::string text) {
  for (char& c : text)
    if (c == '\n') c = ' ';
  return text;
}

size_t count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + needle.size()))
    ++n;
  return n;
}

ReceiptData money() {
  ReceiptData r;
  r.org_name = "Chi đoàn Văn phòng UBND tỉnh";
  r.parent_name = "Đoàn khối các cơ quan tỉnh Lâm Đồng";
  r.campaign_name = "Quỹ phòng, chống dịch COVID-19";
  r.receipt_no = 7;
  r.date = "2021-11-02";
  r.contributor = "Nguyễn Thị Ngọc Ánh";
  r.contributor_kind_label = "Đoàn viên";
  r.round = "Đợt 2";
  r.amount_vnd = 130000000;
  r.method = "Chuyển khoản";
  r.recorded_by = "Trần Văn Bình";
  r.note = "Ủng hộ người dân cách ly tại huyện Đức Trọng và Lạc Dương";
  return r;
}

ReceiptData in_kind() {
  ReceiptData r;
  r.org_name = "Chi đoàn Văn phòng UBND tỉnh";
  r.parent_name = "Đoàn khối các cơ quan tỉnh Lâm Đồng";
  r.campaign_name = "Một triệu túi an sinh";
  r.receipt_no = 12;
  r.date = "2021-08-05";
  r.contributor = "Hợp tác xã Nông nghiệp Lâm Hà";
  r.contributor_kind_label = "Cơ quan, tổ chức";
  r.round = "Đợt 1";
  r.in_kind = true;
  r.item = "Gạo tẻ";
  r.quantity = "1.250,5";
  r.unit = "kg";
  r.value_vnd = 18757500;
  r.method = "Hiện vật";
  r.recorded_by = "Trần Văn Bình";
  return r;
}

TEST(Receipt, MoneyReceiptReadsBack) {
  auto pdf = receipt_pdf(money());
  ASSERT_TRUE(pdf) << pdf.error().message;
  ASSERT_EQ(pdf->rfind("%PDF-", 0), 0u);
  const std::string text = flat(pdftotext(*pdf, "receipt-money"));
  for (const std::string s : {"ĐOÀN KHỐI CÁC CƠ QUAN TỈNH LÂM ĐỒNG", "CHI ĐOÀN VĂN PHÒNG UBND TỈNH",
                              "ĐOÀN TNCS HỒ CHÍ MINH", "Ngày 02 tháng 11 năm 2021",
                              "BIÊN NHẬN ĐÓNG GÓP", "Số: 0007", "Quỹ phòng, chống dịch COVID-19",
                              "Đợt 2", "Nguyễn Thị Ngọc Ánh", "Đoàn viên", "130.000.000 ₫",
                              "Bằng chữ:", "Một trăm ba mươi triệu đồng", "Chuyển khoản",
                              "NGƯỜI ĐÓNG GÓP", "NGƯỜI NHẬN", "Trần Văn Bình",
                              "(Ký, ghi rõ họ tên)", "huyện Đức Trọng"}) {
    EXPECT_NE(text.find(s), std::string::npos) << s << "\n" << text;
  }
  EXPECT_EQ(count(text, "\f"), 1u) << "one page";
  EXPECT_EQ(text.find("Trang 1/1"), std::string::npos);
  EXPECT_EQ(text.find("Hiện vật"), std::string::npos);
}

TEST(Receipt, InKindReceiptReadsBack) {
  auto pdf = receipt_pdf(in_kind());
  ASSERT_TRUE(pdf) << pdf.error().message;
  const std::string text = flat(pdftotext(*pdf, "receipt-kind"));
  for (const std::string s : {"Số: 0012", "Ngày 05 tháng 8 năm 2021", "Một triệu túi an sinh",
                              "Hợp tác xã Nông nghiệp Lâm Hà", "Cơ quan, tổ chức", "Hiện vật:",
                              "Gạo tẻ", "1.250,5 kg", "Giá trị ước tính:", "18.757.500 ₫",
                              "Mười tám triệu bảy trăm năm mươi bảy nghìn năm trăm đồng"}) {
    EXPECT_NE(text.find(s), std::string::npos) << s << "\n" << text;
  }
  EXPECT_EQ(text.find("Số tiền:"), std::string::npos);
  EXPECT_EQ(count(text, "\f"), 1u);
}

TEST(Receipt, DecomposedInputIsNormalised) {
  ReceiptData r = money();
  r.contributor = "Nguye\u0302\u0303n Thi\u0323 Ngo\u0323c A\u0301nh";  // NFD
  auto pdf = receipt_pdf(r);
  ASSERT_TRUE(pdf);
  const std::string text = pdftotext(*pdf, "receipt-nfd");
  EXPECT_EQ(count(text, "Nguyễn Thị Ngọc Ánh"), 2u) << text;  // the field and the signature
}

TEST(Receipt, AnonymousHasNoNameUnderTheSignature) {
  ReceiptData r = money();
  r.contributor = "Ẩn danh";
  r.contributor_kind_label = "Ẩn danh";
  r.parent_name.clear();
  r.round.clear();
  r.note.clear();
  auto pdf = receipt_pdf(r);
  ASSERT_TRUE(pdf);
  const std::string text = pdftotext(*pdf, "receipt-anonymous");
  EXPECT_EQ(count(text, "Ẩn danh"), 2u) << text;  // contributor and kind, not the signature
  EXPECT_EQ(text.find("Đợt"), std::string::npos);
  EXPECT_EQ(text.find("Ghi chú"), std::string::npos);
}

TEST(Receipt, SameDataSameBytes) {
  auto a = receipt_pdf(money());
  auto b = receipt_pdf(money());
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a, *b);
  // The contribution's date, not the clock (cairo 1.16 writes it without the "D:" prefix).
  EXPECT_NE(a->find("/CreationDate (20211102)"), std::string::npos);
}

TEST(Receipt, InvalidTextIsRefused) {
  ReceiptData r = money();
  r.note = std::string("bad \xFF byte");
  auto pdf = receipt_pdf(r);
  ASSERT_FALSE(pdf);
  EXPECT_EQ(pdf.error().kind, ErrorKind::invalid);
}

TEST(Receipt, LargeNumbersAndAnOddDate) {
  ReceiptData r = money();
  r.receipt_no = 123456;
  r.amount_vnd = 1001000;
  r.date = "not a date";
  auto pdf = receipt_pdf(r);
  ASSERT_TRUE(pdf);
  const std::string text = flat(pdftotext(*pdf, "receipt-odd"));
  EXPECT_NE(text.find("Số: 123456"), std::string::npos);
  EXPECT_NE(text.find("Một triệu không trăm linh một nghìn đồng"), std::string::npos) << text;
  EXPECT_NE(text.find("not a date"), std::string::npos);
}

}  // namespace
}  // namespace chidoan::fund
