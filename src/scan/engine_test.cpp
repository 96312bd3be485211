// The digitiser's engine on small typeset pages: text layer, orientation, deskew, page kinds,
// inputs of every format, the size limit, and every kind of bad input.
#include "scan/engine.hpp"

#include <gtest/gtest.h>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFWriter.hh>

#include <cmath>

#include "platform/pdf/pdf.hpp"
#include "scan/test_pages.hpp"

namespace chidoan::scan {
namespace {

using testing::Encoding;
using testing::PageSpec;

const std::vector<std::string> kLines = {"Chi đoàn Văn phòng Ủy ban nhân dân tỉnh",
                                         "hỗ trợ người dân nộp hồ sơ trực tuyến"};

Options quick() {
  Options o;
  o.jobs = 2;
  return o;
}

// Words as pdftotext gives them, spaces collapsed.
std::string squeeze(const std::string& s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\f') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

TEST(ScanEngine, TiltedPageBecomesBilevelPdfWithVietnameseTextLayer) {
  PageSpec spec;
  spec.lines = kLines;
  spec.dpi = 200;
  spec.tilt = 2.5;
  auto out = scan({{"trang.jpg", testing::page(spec, Encoding::jpeg)}}, quick());
  ASSERT_TRUE(out) << out.error().message;
  ASSERT_EQ(out->pages.size(), 1u);
  const PageReport& p = out->pages[0];
  EXPECT_EQ(p.kind, PageKind::bilevel);
  EXPECT_EQ(p.dpi, 200);
  EXPECT_NEAR(std::fabs(p.skew), 2.5, 0.3);
  EXPECT_FALSE(p.blank);
  EXPECT_GE(p.words, 14);
  EXPECT_TRUE(out->pdf.starts_with("%PDF-1.5"));
  EXPECT_NE(out->pdf.find("/CCITTFaxDecode"), std::string::npos);
  // The page is as large as the paper: 150 mm (1181 pixels at 200 dpi).
  EXPECT_NE(out->pdf.find("/MediaBox [0 0 425.16"), std::string::npos) << out->pdf.substr(0, 2000);
  std::string text = squeeze(testing::pdf_text(out->pdf));
  EXPECT_NE(text.find("Chi đoàn Văn phòng Ủy ban nhân dân tỉnh"), std::string::npos) << text;
  EXPECT_NE(text.find("hỗ trợ người dân nộp hồ sơ trực tuyến"), std::string::npos) << text;
}

TEST(ScanEngine, UpsideDownPageIsTurnedUpright) {
  PageSpec spec;
  spec.lines = {"Chi đoàn Văn phòng Ủy ban nhân dân tỉnh Lâm Đồng", "hỗ trợ người dân nộp hồ sơ trực tuyến",
                "tại Trung tâm Phục vụ hành chính công tỉnh", "Năm 2021 đạt tỷ lệ bốn mươi bảy phần trăm"};
  spec.height_mm = 80;
  spec.turn = 180;
  auto out = scan({{"nguoc.png", testing::page(spec)}}, quick());
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->pages[0].turned, 180);
  std::string text = squeeze(testing::pdf_text(out->pdf));
  EXPECT_NE(text.find("Trung tâm Phục vụ hành chính công"), std::string::npos) << text;
}

TEST(ScanEngine, ATurnChosenByAPersonWinsOverOrientation) {
  PageSpec spec;
  spec.lines = kLines;
  spec.turn = 90;
  Input in{"nghieng.png", testing::page(spec), 270};
  auto out = scan({in}, quick());
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->pages[0].turned, 270);
  EXPECT_NE(squeeze(testing::pdf_text(out->pdf)).find("nộp hồ sơ trực tuyến"), std::string::npos);
}

TEST(ScanEngine, BlankPageIsKeptAndFlagged) {
  PageSpec blank;
  blank.lines = {""};
  PageSpec text;
  text.lines = kLines;
  auto out = scan({{"a.png", testing::page(text)}, {"trang-trang.png", testing::page(blank)}}, quick());
  ASSERT_TRUE(out) << out.error().message;
  ASSERT_EQ(out->pages.size(), 2u);
  EXPECT_FALSE(out->pages[0].blank);
  EXPECT_TRUE(out->pages[1].blank);
  EXPECT_EQ(out->pages[1].words, 0);
  EXPECT_EQ(out->pages[1].source, "trang-trang.png");
  EXPECT_NE(out->pdf.find("/Count 2"), std::string::npos);
}

TEST(ScanEngine, ColourStampMakesAColourJpegPage) {
  PageSpec spec;
  spec.lines = kLines;
  spec.red_stamp = true;
  auto out = scan({{"dau-do.png", testing::page(spec)}}, quick());
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->pages[0].kind, PageKind::color);
  EXPECT_NE(out->pdf.find("/DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode"), std::string::npos);
}

TEST(ScanEngine, ReadsMultipageTiffAndItsOwnPdfBack) {
  PageSpec one;
  one.lines = {"Trang thứ nhất của hồ sơ"};
  PageSpec two;
  two.lines = {"Trang thứ hai của hồ sơ"};
  PixPtr a = testing::render(one), b = testing::render(two);
  PixPtr a1 = own(pixConvertTo1(a.get(), 128)), b1 = own(pixConvertTo1(b.get(), 128));
  pixSetResolution(a1.get(), 150, 150);
  pixSetResolution(b1.get(), 150, 150);
  std::string tiff = testing::multipage_tiff({a1.get(), b1.get()});
  PageSpec colour;
  colour.lines = {"Trang có dấu đỏ"};
  colour.red_stamp = true;
  auto first = scan({{"ho-so.tif", tiff}, {"dau.png", testing::page(colour)}}, quick());
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_EQ(first->pages.size(), 3u);
  EXPECT_EQ(first->pages[0].source, "ho-so.tif#1");
  EXPECT_EQ(first->pages[1].source, "ho-so.tif#2");
  EXPECT_EQ(first->pages[2].kind, PageKind::color);

  // The PDF made of page images (G4 and JPEG) is itself a valid input.
  auto again = scan({{"ho-so.pdf", first->pdf}}, quick());
  ASSERT_TRUE(again) << again.error().message;
  ASSERT_EQ(again->pages.size(), 3u);
  EXPECT_EQ(again->pages[0].source, "ho-so.pdf#1");
  EXPECT_EQ(again->pages[0].dpi, 150);
  std::string text = squeeze(testing::pdf_text(again->pdf));
  EXPECT_NE(text.find("Trang thứ nhất của hồ sơ"), std::string::npos) << text;
  EXPECT_NE(text.find("Trang thứ hai của hồ sơ"), std::string::npos) << text;
  EXPECT_NE(text.find("Trang có dấu đỏ"), std::string::npos) << text;
}

TEST(ScanEngine, MaxBytesLowersPhotoPagesFirstAndSaysSo) {
  PageSpec photo;
  photo.lines = kLines;
  photo.red_stamp = true;
  photo.dpi = 300;
  PageSpec text;
  text.lines = kLines;
  std::vector<Input> in = {{"chu.png", testing::page(text)}, {"anh.png", testing::page(photo)}};
  auto full = scan(in, quick());
  ASSERT_TRUE(full) << full.error().message;
  EXPECT_TRUE(full->notes.empty());
  Options limited = quick();
  limited.max_bytes = static_cast<int64_t>(full->pdf.size()) * 7 / 10;
  auto smaller = scan(in, limited);
  ASSERT_TRUE(smaller) << smaller.error().message;
  EXPECT_LE(static_cast<int64_t>(smaller->pdf.size()), limited.max_bytes);
  ASSERT_FALSE(smaller->notes.empty());
  EXPECT_TRUE(smaller->notes[0].starts_with("Trang 2: ảnh")) << smaller->notes[0];
  EXPECT_EQ(smaller->pages.size(), 2u);  // never a page dropped
  EXPECT_EQ(smaller->pages[0].bytes, full->pages[0].bytes);  // the text page untouched

  limited.max_bytes = 2000;
  auto impossible = scan(in, limited);
  ASSERT_FALSE(impossible);
  EXPECT_EQ(impossible.error().kind, ErrorKind::too_large);
  EXPECT_NE(impossible.error().message.find("nhỏ nhất"), std::string::npos);
}

// ---- Bad input: refused with the file named, before any work ----------------------------

void expect_refused(const Input& in, const std::string& words) {
  auto out = scan({in}, quick());
  ASSERT_FALSE(out) << in.name;
  EXPECT_EQ(out.error().kind, ErrorKind::invalid) << out.error().message;
  EXPECT_EQ(out.error().field, in.name);
  EXPECT_NE(out.error().message.find(words), std::string::npos) << out.error().message;
  auto probed = probe(in);
  if (!probed) {
    EXPECT_EQ(probed.error().field, in.name);
  }
}

TEST(ScanEngine, RefusesEmptyTruncatedAndUnknownFiles) {
  expect_refused({"rong.jpg", ""}, "rỗng");
  expect_refused({"ghi-chu.jpg", "Đây là một tệp văn bản, không phải ảnh"}, "không phải ảnh");
  std::string jpeg = testing::page(PageSpec{}, Encoding::jpeg);
  expect_refused({"cut.jpg", jpeg.substr(0, jpeg.size() / 2)}, "hỏng");
  std::string png = testing::page(PageSpec{});
  expect_refused({"cut.png", png.substr(0, png.size() / 2)}, "hỏng");
  std::string tiff = testing::page(PageSpec{}, Encoding::tiff_g4);
  expect_refused({"cut.tif", tiff.substr(0, 40)}, "hỏng");
}

TEST(ScanEngine, RefusesADecompressionBombBeforeDecoding) {
  // A valid PNG signature and IHDR claiming 100,000 × 100,000 pixels, and nothing else.
  std::string png = "\x89PNG\r\n\x1A\n";
  png += std::string("\0\0\0\x0D", 4) + "IHDR";
  png += std::string("\x00\x01\x86\xA0\x00\x01\x86\xA0\x08\x02\x00\x00\x00", 13);
  png += std::string("\0\0\0\0", 4);
  Input bomb{"bom.png", png};
  auto probed = probe(bomb);
  ASSERT_FALSE(probed);
  EXPECT_NE(probed.error().message.find("100000 × 100000"), std::string::npos) << probed.error().message;
  expect_refused(bomb, "quá lớn");
}

TEST(ScanEngine, RefusesVectorAndEncryptedPdfs) {
  pdf::Document doc(pdf::PageSize::a5_portrait());
  doc.paragraph("Báo cáo tổng kết năm 2021");
  auto vector_pdf = doc.finish();
  ASSERT_TRUE(vector_pdf);
  expect_refused({"bao-cao.pdf", *vector_pdf}, "không phải một ảnh quét");

  PageSpec spec;
  auto made = scan({{"a.png", testing::page(spec)}}, quick());
  ASSERT_TRUE(made);
  QPDF q;
  q.processMemoryFile("a.pdf", made->pdf.data(), made->pdf.size());
  QPDFWriter w(q);
  w.setOutputMemory();
  w.setR6EncryptionParameters("mat-khau", "chu-so-huu", true, true, true, true, true, true, qpdf_r3p_full, true);
  w.write();
  auto buffer = w.getBufferSharedPointer();
  std::string encrypted(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
  expect_refused({"ma-hoa.pdf", encrypted}, "mã hoá");
}

// A PDF whose 20 × 20 gray image inflates to a megabyte: refused without decoding it all.
TEST(ScanEngine, RefusesAPdfImageLargerThanItDeclares) {
  QPDF q;
  q.emptyPDF();
  std::string zeros(1 << 20, '\0');
  QPDFObjectHandle image = q.newStream();
  image.replaceStreamData(zeros, QPDFObjectHandle::newNull(), QPDFObjectHandle::newNull());
  QPDFObjectHandle dict = image.getDict();
  dict.replaceKey("/Type", QPDFObjectHandle::newName("/XObject"));
  dict.replaceKey("/Subtype", QPDFObjectHandle::newName("/Image"));
  dict.replaceKey("/Width", QPDFObjectHandle::newInteger(20));
  dict.replaceKey("/Height", QPDFObjectHandle::newInteger(20));
  dict.replaceKey("/ColorSpace", QPDFObjectHandle::newName("/DeviceGray"));
  dict.replaceKey("/BitsPerComponent", QPDFObjectHandle::newInteger(8));
  QPDFObjectHandle contents = q.newStream("q 100 0 0 100 0 0 cm /Im0 Do Q");
  QPDFObjectHandle page = q.makeIndirectObject(QPDFObjectHandle::parse(
      "<< /Type /Page /MediaBox [0 0 100 100] /Resources << /XObject << >> >> >>"));
  page.getKey("/Resources").getKey("/XObject").replaceKey("/Im0", image);
  page.replaceKey("/Contents", contents);
  q.addPage(page, false);
  QPDFWriter w(q);
  w.setOutputMemory();
  w.setCompressStreams(true);  // the zeros become a few kilobytes of Flate
  w.write();
  auto buffer = w.getBufferSharedPointer();
  std::string pdf(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
  ASSERT_LT(pdf.size(), 20000u);
  expect_refused({"bom.pdf", pdf}, "lớn hơn kích thước khai báo");
}

TEST(ScanEngine, RefusesALanguageThatIsNotACode) {
  Options o = quick();
  o.lang = "../../etc/passwd";
  auto out = scan({{"a.png", testing::page(PageSpec{})}}, o);
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().field, "lang");
}

TEST(ScanEngine, ThumbnailIsASmallJpeg) {
  auto thumb = thumbnail({"a.png", testing::page(PageSpec{})}, 120);
  ASSERT_TRUE(thumb) << thumb.error().message;
  EXPECT_TRUE(thumb->starts_with("\xFF\xD8\xFF"));
  l_int32 w = 0, h = 0, bps = 0, spp = 0, cmap = 0, format = 0;
  ASSERT_EQ(pixReadHeaderMem(reinterpret_cast<const l_uint8*>(thumb->data()), thumb->size(), &format, &w, &h, &bps, &spp, &cmap), 0);
  EXPECT_EQ(std::max(w, h), 120);
}

// `pix` as a PNG file (and destroyed).
std::string png_of(PIX* pix) {
  l_uint8* data = nullptr;
  size_t size = 0;
  const bool written = pixWriteMemPng(&data, &size, pix, 0) == 0;
  pixDestroy(&pix);
  EXPECT_TRUE(written);
  std::string png(reinterpret_cast<const char*>(data), written ? size : 0);
  lept_free(data);
  return png;
}

struct ImageSize {
  int w = 0, h = 0, bits = 0;
};

// The width, height and bits per sample of an image file, from its header.
ImageSize size_of(const std::string& image) {
  l_int32 w = 0, h = 0, bps = 0, spp = 0, cmap = 0, format = 0;
  EXPECT_EQ(pixReadHeaderMem(reinterpret_cast<const l_uint8*>(image.data()), image.size(), &format, &w, &h, &bps, &spp, &cmap), 0);
  return {w, h, bps};
}

// Found by fuzz/scan_image.cpp: a bi-level image no larger than the thumbnail failed with an
// internal error, because leptonica's 1-bit to gray scaling only reduces.
TEST(ScanEngine, ThumbnailOfASmallBilevelImage) {
  PIX* bw = pixCreate(64, 48, 1);
  pixSetPixel(bw, 10, 10, 1);
  auto thumb = thumbnail({"nho.png", png_of(bw)}, 120);
  ASSERT_TRUE(thumb) << thumb.error().message;
  const ImageSize got = size_of(*thumb);
  EXPECT_EQ(got.w, 64);
  EXPECT_EQ(got.h, 48);
  EXPECT_EQ(got.bits, 8);
}

// Found by fuzz/scan_image.cpp: a strip (a TIFF of 16,704 × 48) scaled to no pixels across and
// failed with an internal error; its thumbnail is now a line one pixel thick.
TEST(ScanEngine, ThumbnailOfAStrip) {
  for (int depth : {1, 8}) {
    for (bool wide : {true, false}) {
      // 6000 × 12 at 120/6000: 0.24 pixels across, under one pixel but not nothing.
      auto thumb = thumbnail({"dai.png", png_of(wide ? pixCreate(6000, 12, depth) : pixCreate(12, 6000, depth))}, 120);
      ASSERT_TRUE(thumb) << depth << " " << wide << ": " << thumb.error().message;
      const ImageSize got = size_of(*thumb);
      EXPECT_EQ(wide ? got.w : got.h, 120) << depth;
      EXPECT_EQ(wide ? got.h : got.w, 1) << depth;
    }
  }
}

}  // namespace
}  // namespace chidoan::scan
