// The news photo engine on images generated here with leptonica (no binary fixtures): sizes out
// of JPEG, PNG and WebP, never scaled up, transparency on white, EXIF orientation applied and
// every metadata block dropped, and every kind of bad upload refused on field "photo".
#include "news/photo.hpp"

#include <gtest/gtest.h>
#include <leptonica/allheaders.h>

#include <algorithm>
#include <memory>
#include <thread>
#include <tuple>
#include <vector>

namespace chidoan::news::photo {
namespace {

using namespace std::string_literals;
using namespace std::string_view_literals;

struct PixDeleter {
  void operator()(PIX* p) const { pixDestroy(&p); }
};
using PixPtr = std::unique_ptr<PIX, PixDeleter>;

// A w × h colour image: gradients and a pattern (something for the JPEG coder to work on), with
// optional solid blocks: red at the top-left corner, green at the top-right.
PixPtr make_rgb(int w, int h, bool corners = false) {
  PixPtr pix(pixCreate(w, h, 32));
  l_uint32* data = pixGetData(pix.get());
  const int wpl = pixGetWpl(pix.get());
  const int block = std::min(w, h) / 4;
  for (int y = 0; y < h; ++y) {
    l_uint32* line = data + static_cast<size_t>(y) * wpl;
    for (int x = 0; x < w; ++x) {
      int r = 100 + x * 60 / w, g = 110 + y * 60 / h, b = 120 + ((x / 16 + y / 16) % 2) * 20;
      if (corners && y < block && x < block) r = 255, g = 0, b = 0;
      if (corners && y < block && x >= w - block) r = 0, g = 255, b = 0;
      composeRGBPixel(r, g, b, line + x);
    }
  }
  return pix;
}

std::string take(l_uint8* data, size_t size) {
  std::string out(reinterpret_cast<const char*>(data), size);
  lept_free(data);
  return out;
}

std::string jpeg_of(PIX* pix, int quality = 90) {
  l_uint8* data = nullptr;
  size_t size = 0;
  EXPECT_EQ(pixWriteMemJpeg(&data, &size, pix, quality, 0), 0);
  return take(data, size);
}

std::string png_of(PIX* pix) {
  l_uint8* data = nullptr;
  size_t size = 0;
  EXPECT_EQ(pixWriteMemPng(&data, &size, pix, 0.0f), 0);
  return take(data, size);
}

std::string webp_of(PIX* pix) {
  l_uint8* data = nullptr;
  size_t size = 0;
  EXPECT_EQ(pixWriteMemWebP(&data, &size, pix, 80, 0), 0);
  return take(data, size);
}

PixPtr decode(const std::string& jpeg) {
  return PixPtr(pixReadMemJpeg(reinterpret_cast<const l_uint8*>(jpeg.data()), jpeg.size(), 0, 1, nullptr, 0));
}

struct Rgb {
  int r = 0, g = 0, b = 0;
};

Rgb at(PIX* pix, int x, int y) {
  Rgb c;
  pixGetRGBPixel(pix, x, y, &c.r, &c.g, &c.b);
  return c;
}

bool is_red(Rgb c) { return c.r > 180 && c.g < 80 && c.b < 80; }
bool is_green(Rgb c) { return c.g > 180 && c.r < 80 && c.b < 80; }
bool is_white(Rgb c) { return c.r > 240 && c.g > 240 && c.b > 240; }

// A baseline JPEG of the announced size with nothing but pixels: no APP1 (EXIF/XMP), APP2 (ICC)
// or comment.
void expect_clean_jpeg(const Encoded& e, int w, int h) {
  EXPECT_EQ(e.width, w);
  EXPECT_EQ(e.height, h);
  ASSERT_TRUE(e.jpeg.starts_with("\xFF\xD8\xFF"sv));
  EXPECT_NE(e.jpeg.find("\xFF\xC0"sv), std::string::npos) << "baseline SOF0";
  EXPECT_EQ(e.jpeg.find("\xFF\xC2"sv), std::string::npos) << "not progressive";
  EXPECT_EQ(e.jpeg.find("\xFF\xE1"sv), std::string::npos) << "no APP1";
  EXPECT_EQ(e.jpeg.find("\xFF\xE2"sv), std::string::npos) << "no APP2";
  EXPECT_EQ(e.jpeg.find("\xFF\xFE"sv), std::string::npos) << "no comment";
  EXPECT_EQ(e.jpeg.find("Exif"), std::string::npos);
  PixPtr back = decode(e.jpeg);
  ASSERT_TRUE(back);
  EXPECT_EQ(pixGetWidth(back.get()), w);
  EXPECT_EQ(pixGetHeight(back.get()), h);
}

void expect_refused(const Result<Prepared>& r, std::string_view needle = {}) {
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, ErrorKind::invalid);
  EXPECT_EQ(r.error().field, "photo");
  EXPECT_FALSE(r.error().message.empty());
  if (!needle.empty()) {
    EXPECT_NE(r.error().message.find(needle), std::string::npos) << r.error().message;
  }
}

// ---- EXIF construction ----------------------------------------------------------------------

void put16(std::string& s, bool le, uint32_t v) {
  const char a = static_cast<char>(v & 0xFF), b = static_cast<char>(v >> 8 & 0xFF);
  s += le ? a : b;
  s += le ? b : a;
}
void put32(std::string& s, bool le, uint32_t v) {
  if (le) {
    put16(s, le, v & 0xFFFF);
    put16(s, le, v >> 16);
  } else {
    put16(s, le, v >> 16);
    put16(s, le, v & 0xFFFF);
  }
}
void entry(std::string& s, bool le, uint16_t tag, uint16_t type, uint32_t count, uint32_t value) {
  put16(s, le, tag);
  put16(s, le, type);
  put32(s, le, count);
  if (type == 3 && count == 1) {  // a SHORT sits in the first two bytes of the value field
    put16(s, le, value);
    put16(s, le, 0);
  } else {
    put32(s, le, value);
  }
}

// The payload of an APP1 "Exif" block: IFD0 with Make "Canon", Orientation and a GPS IFD
// pointer (the GPS IFD holds GPSLatitudeRef "N").
std::string exif_payload(int orientation, bool le) {
  std::string t = le ? "II*\0"s : "MM\0*"s;
  put32(t, le, 8);  // IFD0
  // IFD0: 2 + 3 × 12 + 4 = 42 bytes → the GPS IFD at 50 (2 + 12 + 4 = 18 bytes) → "Canon" at 68.
  put16(t, le, 3);
  entry(t, le, 0x010F, 2, 6, 68);
  entry(t, le, 0x0112, 3, 1, static_cast<uint32_t>(orientation));
  entry(t, le, 0x8825, 4, 1, 50);
  put32(t, le, 0);
  put16(t, le, 1);
  put16(t, le, 0x0001);
  put16(t, le, 2);
  put32(t, le, 2);
  t += "N\0\0\0"s;
  put32(t, le, 0);
  t += "Canon\0"s;
  return "Exif\0\0"s + t;
}

std::string segment(uint8_t marker, const std::string& payload) {
  std::string s = "\xFF"s;
  s += static_cast<char>(marker);
  const size_t len = payload.size() + 2;
  s += static_cast<char>(len >> 8);
  s += static_cast<char>(len & 0xFF);
  return s + payload;
}

// `jpeg` with segments inserted right after its SOI.
std::string with_segments(const std::string& jpeg, const std::string& segments) {
  return jpeg.substr(0, 2) + segments + jpeg.substr(2);
}

std::string with_exif(const std::string& jpeg, int orientation, bool le) {
  return with_segments(jpeg, segment(0xE1, exif_payload(orientation, le)));
}

uint32_t crc32_of(std::string_view s) {
  uint32_t c = 0xFFFFFFFFu;
  for (unsigned char byte : s) {
    c ^= byte;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return c ^ 0xFFFFFFFFu;
}

std::string png_chunk(std::string_view type, const std::string& data) {
  std::string body = std::string(type) + data;
  std::string out;
  put32(out, false, static_cast<uint32_t>(data.size()));
  out += body;
  put32(out, false, crc32_of(body));
  return out;
}

// A well-formed PNG header (valid IHDR CRC) claiming w × h RGB, with an empty IDAT and IEND.
std::string png_claiming(uint32_t w, uint32_t h) {
  std::string ihdr;
  put32(ihdr, false, w);
  put32(ihdr, false, h);
  ihdr += "\x08\x02\x00\x00\x00"s;  // 8 bits, RGB, deflate, adaptive, no interlace
  return "\x89PNG\r\n\x1A\n"s + png_chunk("IHDR", ihdr) + png_chunk("IDAT", "\x78\x9C\x03\x00\x00\x00\x00\x01"s) +
         png_chunk("IEND", "");
}

// ---- sizes ----------------------------------------------------------------------------------

TEST(NewsPhoto, JpegBecomesLargeAndSmallJpegs) {
  PixPtr src = make_rgb(3000, 2000);
  auto r = prepare(jpeg_of(src.get()));
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->source_type, "image/jpeg");
  EXPECT_EQ(r->source_width, 3000);
  EXPECT_EQ(r->source_height, 2000);
  expect_clean_jpeg(r->large, 1200, 800);
  expect_clean_jpeg(r->small, 480, 320);
}

TEST(NewsPhoto, PhoneSizedJpegIsReducedWhileDecoding) {
  PixPtr src = make_rgb(4000, 3000);
  auto r = prepare(jpeg_of(src.get()));
  ASSERT_TRUE(r.has_value()) << r.error().message;
  expect_clean_jpeg(r->large, 1200, 900);
  expect_clean_jpeg(r->small, 480, 360);
  // The picture survives the reduction: the gradient still runs left to right.
  PixPtr large = decode(r->large.jpeg);
  EXPECT_LT(at(large.get(), 20, 450).r + 30, at(large.get(), 1180, 450).r);
}

TEST(NewsPhoto, PngBecomesLargeAndSmallJpegs) {
  PixPtr src = make_rgb(3000, 2000);
  auto r = prepare(png_of(src.get()));
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->source_type, "image/png");
  expect_clean_jpeg(r->large, 1200, 800);
  expect_clean_jpeg(r->small, 480, 320);
}

TEST(NewsPhoto, WebpBecomesLargeAndSmallJpegs) {
  PixPtr src = make_rgb(2400, 1600);
  auto r = prepare(webp_of(src.get()));
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->source_type, "image/webp");
  EXPECT_EQ(r->source_width, 2400);
  expect_clean_jpeg(r->large, 1200, 800);
  expect_clean_jpeg(r->small, 480, 320);
}

TEST(NewsPhoto, SmallImageIsNeverScaledUp) {
  PixPtr src = make_rgb(800, 600);
  auto r = prepare(jpeg_of(src.get()));
  ASSERT_TRUE(r.has_value()) << r.error().message;
  expect_clean_jpeg(r->large, 800, 600);
  expect_clean_jpeg(r->small, 480, 360);

  PixPtr tiny = make_rgb(300, 200);
  auto t = prepare(png_of(tiny.get()));
  ASSERT_TRUE(t.has_value()) << t.error().message;
  expect_clean_jpeg(t->large, 300, 200);
  expect_clean_jpeg(t->small, 300, 200);
}

TEST(NewsPhoto, TallImageKeepsItsAspectRatio) {
  PixPtr src = make_rgb(1500, 4500);
  auto r = prepare(jpeg_of(src.get()));
  ASSERT_TRUE(r.has_value()) << r.error().message;
  expect_clean_jpeg(r->large, 1200, 3600);
  expect_clean_jpeg(r->small, 480, 1440);
}

// ---- colour ---------------------------------------------------------------------------------

TEST(NewsPhoto, TransparencyIsFlattenedOnWhite) {
  // Left half fully transparent (black underneath), right half opaque blue.
  PixPtr src(pixCreate(600, 400, 32));
  pixSetSpp(src.get(), 4);
  for (int y = 0; y < 400; ++y)
    for (int x = 0; x < 600; ++x) {
      l_uint32 v = 0;
      composeRGBAPixel(0, 0, x < 300 ? 0 : 255, x < 300 ? 0 : 255, &v);
      pixSetPixel(src.get(), x, y, v);
    }
  for (const std::string& bytes : {png_of(src.get()), webp_of(src.get())}) {
    auto r = prepare(bytes);
    ASSERT_TRUE(r.has_value()) << r.error().message;
    expect_clean_jpeg(r->large, 600, 400);
    PixPtr large = decode(r->large.jpeg);
    EXPECT_TRUE(is_white(at(large.get(), 100, 200)));
    const Rgb right = at(large.get(), 500, 200);
    EXPECT_TRUE(right.b > 200 && right.r < 60 && right.g < 60);
  }
}

TEST(NewsPhoto, GrayColormappedAndBilevelPngsBecomeColourJpegs) {
  // 1 bpp: a black bar on white (1 = black in leptonica).
  PixPtr bilevel(pixCreate(640, 480, 1));
  pixRasterop(bilevel.get(), 0, 0, 640, 100, PIX_SET, nullptr, 0, 0);
  // 8 bpp gray: dark top, light bottom.
  PixPtr gray(pixCreate(640, 480, 8));
  pixSetAllArbitrary(gray.get(), 220);
  pixRasterop(gray.get(), 0, 0, 640, 100, PIX_CLR, nullptr, 0, 0);
  // 8 bpp colormapped: red top, white bottom.
  PixPtr mapped(pixCreate(640, 480, 8));
  PIXCMAP* cmap = pixcmapCreate(8);
  pixcmapAddColor(cmap, 255, 0, 0);
  pixcmapAddColor(cmap, 255, 255, 255);
  pixSetColormap(mapped.get(), cmap);
  pixSetAllArbitrary(mapped.get(), 1);
  pixRasterop(mapped.get(), 0, 0, 640, 100, PIX_CLR, nullptr, 0, 0);

  for (PIX* p : {bilevel.get(), gray.get(), mapped.get()}) {
    auto r = prepare(png_of(p));
    ASSERT_TRUE(r.has_value()) << r.error().message;
    expect_clean_jpeg(r->large, 640, 480);
    expect_clean_jpeg(r->small, 480, 360);
    PixPtr large = decode(r->large.jpeg);
    ASSERT_EQ(pixGetDepth(large.get()), 32);
    const Rgb top = at(large.get(), 320, 40), bottom = at(large.get(), 320, 400);
    if (p == mapped.get()) {
      EXPECT_TRUE(is_red(top));
    } else {
      EXPECT_LT(top.r, 40);
    }
    EXPECT_GT(bottom.r, 200);
  }
}

// ---- EXIF -----------------------------------------------------------------------------------

TEST(NewsPhoto, JpegOrientationReadsBothByteOrders) {
  const std::string jpeg = jpeg_of(make_rgb(64, 48).get());
  EXPECT_EQ(jpeg_orientation(jpeg), 1);
  for (int o = 1; o <= 8; ++o) {
    EXPECT_EQ(jpeg_orientation(with_exif(jpeg, o, true)), o) << "II " << o;
    EXPECT_EQ(jpeg_orientation(with_exif(jpeg, o, false)), o) << "MM " << o;
  }
  // After an XMP APP1 and a JFIF APP0 too.
  const std::string xmp = segment(0xE1, "http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>"s);
  EXPECT_EQ(jpeg_orientation(with_segments(jpeg, xmp + segment(0xE1, exif_payload(6, false)))), 6);
}

TEST(NewsPhoto, JpegOrientationIsOneForGarbage) {
  const std::string jpeg = jpeg_of(make_rgb(64, 48).get());
  EXPECT_EQ(jpeg_orientation(""), 1);
  EXPECT_EQ(jpeg_orientation("not a jpeg at all"), 1);
  EXPECT_EQ(jpeg_orientation("\xFF\xD8"sv), 1);
  EXPECT_EQ(jpeg_orientation(with_exif(jpeg, 9, true)), 1);  // out of range
  EXPECT_EQ(jpeg_orientation(with_exif(jpeg, 0, false)), 1);

  std::string payload = exif_payload(6, true);
  std::string bad_order = payload;
  bad_order[6] = 'X';  // neither II nor MM
  EXPECT_EQ(jpeg_orientation(with_segments(jpeg, segment(0xE1, bad_order))), 1);
  std::string far_ifd = payload;
  far_ifd[10] = '\xF0';  // IFD0 offset far beyond the block
  EXPECT_EQ(jpeg_orientation(with_segments(jpeg, segment(0xE1, far_ifd))), 1);
  std::string many = payload;
  many[14] = '\xFF';  // 0xFFFF entries announced: the walk stops at the block's end
  many[15] = '\xFF';
  // (the orientation entry is the second one and still inside: found before running off the end)
  EXPECT_EQ(jpeg_orientation(with_segments(jpeg, segment(0xE1, many))), 6);
  std::string cut = payload.substr(0, 30);  // the orientation entry cut off
  EXPECT_EQ(jpeg_orientation(with_segments(jpeg, segment(0xE1, cut))), 1);

  // An APP1 whose length runs past the end of the file.
  std::string overlong = jpeg.substr(0, 2) + "\xFF\xE1\xFF\xF0"s + "Exif\0\0II*\0"s;
  EXPECT_EQ(jpeg_orientation(overlong), 1);
  // Random bytes after SOI.
  std::string noise = "\xFF\xD8"s;
  for (int i = 0; i < 500; ++i) noise += static_cast<char>((i * 7919 + 13) & 0xFF);
  EXPECT_EQ(jpeg_orientation(noise), 1);
}

// Where the red (stored top-left) and green (stored top-right) blocks show once upright.
enum Corner { top_left, top_right, bottom_left, bottom_right };

struct Turn {
  int orientation;
  Corner red, green;
};

class NewsPhotoOrientation : public ::testing::TestWithParam<std::tuple<Turn, bool>> {};

TEST_P(NewsPhotoOrientation, OutputIsTurnedUpright) {
  const auto [turn, le] = GetParam();
  PixPtr src = make_rgb(640, 400, true);
  auto r = prepare(with_exif(jpeg_of(src.get()), turn.orientation, le));
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->source_width, 640);
  EXPECT_EQ(r->source_height, 400);
  const bool swapped = turn.orientation >= 5;
  expect_clean_jpeg(r->large, swapped ? 400 : 640, swapped ? 640 : 400);
  PixPtr large = decode(r->large.jpeg);
  const int w = pixGetWidth(large.get()), h = pixGetHeight(large.get());
  auto corner = [&](Corner c) {
    const int inset = 30;
    return at(large.get(), c == top_left || c == bottom_left ? inset : w - 1 - inset,
              c == top_left || c == top_right ? inset : h - 1 - inset);
  };
  EXPECT_TRUE(is_red(corner(turn.red))) << "orientation " << turn.orientation;
  EXPECT_TRUE(is_green(corner(turn.green))) << "orientation " << turn.orientation;
}

INSTANTIATE_TEST_SUITE_P(AllEight, NewsPhotoOrientation,
                         ::testing::Combine(::testing::Values(Turn{1, top_left, top_right}, Turn{2, top_right, top_left},
                                                              Turn{3, bottom_right, bottom_left},
                                                              Turn{4, bottom_left, bottom_right},
                                                              Turn{5, top_left, bottom_left},
                                                              Turn{6, top_right, bottom_right},
                                                              Turn{7, bottom_right, top_right},
                                                              Turn{8, bottom_left, top_left}),
                                            ::testing::Bool()));

TEST(NewsPhoto, ExifOrientationIsAppliedAndEveryMetadataBlockDropped) {
  PixPtr src = make_rgb(2400, 1800, true);
  const std::string plain = jpeg_of(src.get());
  const std::string icc = segment(0xE2, "ICC_PROFILE\0\x01\x01"s + std::string(64, 'p'));
  const std::string comment = segment(0xFE, "Canon EOS 5D, Hà Nội");
  const std::string upload =
      with_segments(plain, segment(0xE1, exif_payload(6, false)) + icc + comment);
  ASSERT_EQ(jpeg_orientation(upload), 6);
  ASSERT_NE(upload.find("Canon"), std::string::npos);

  auto r = prepare(upload);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->source_width, 2400);  // as uploaded
  EXPECT_EQ(r->source_height, 1800);
  // Turned: 1800 × 2400 upright, 1200 × 1600 and 480 × 640 out.
  expect_clean_jpeg(r->large, 1200, 1600);
  expect_clean_jpeg(r->small, 480, 640);
  for (const Encoded* e : {&r->large, &r->small}) {
    EXPECT_EQ(e->jpeg.find("Exif"), std::string::npos);
    EXPECT_EQ(e->jpeg.find("Canon"), std::string::npos);
    EXPECT_EQ(e->jpeg.find("ICC_PROFILE"), std::string::npos);
    EXPECT_EQ(e->jpeg.find("\xFF\xE1"sv), std::string::npos);
    EXPECT_EQ(jpeg_orientation(e->jpeg), 1);
  }
  PixPtr large = decode(r->large.jpeg);
  EXPECT_TRUE(is_red(at(large.get(), 1150, 50)));   // stored top-left → top-right
  EXPECT_TRUE(is_green(at(large.get(), 1150, 1550)));  // stored top-right → bottom-right
}

TEST(NewsPhoto, MetadataIsDroppedWhenNothingIsScaledOrTurned) {
  // Orientation 1 and a width under both limits' reach for large: the pixels pass untouched, the
  // metadata (leptonica keeps a JPEG comment as the image's text) must not.
  PixPtr src = make_rgb(640, 400);
  const std::string upload = with_segments(jpeg_of(src.get()), segment(0xE1, exif_payload(1, true)) +
                                                                   segment(0xFE, "Canon EOS 5D, Hà Nội"));
  auto r = prepare(upload);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  expect_clean_jpeg(r->large, 640, 400);
  expect_clean_jpeg(r->small, 480, 300);
  for (const Encoded* e : {&r->large, &r->small}) {
    EXPECT_EQ(e->jpeg.find("Canon"), std::string::npos);
    EXPECT_EQ(e->jpeg.find("Exif"), std::string::npos);
  }
}

// ---- refusals -------------------------------------------------------------------------------

TEST(NewsPhoto, RefusesEmptyAndOversizedUploads) {
  expect_refused(prepare(""), "rỗng");
  std::string huge(static_cast<size_t>(kMaxBytes) + 1, '\0');
  huge.replace(0, 3, "\xFF\xD8\xFF");
  expect_refused(prepare(huge), "15 MB");
}

TEST(NewsPhoto, RefusesOtherTypes) {
  const std::string kTypeMessage = "Ảnh phải là tệp JPEG, PNG hoặc WebP";
  PixPtr src = make_rgb(64, 48);
  l_uint8* data = nullptr;
  size_t size = 0;
  ASSERT_EQ(pixWriteMemGif(&data, &size, src.get()), 0);
  const std::string gif = take(data, size);
  ASSERT_TRUE(gif.starts_with("GIF8"));
  ASSERT_EQ(pixWriteMemTiff(&data, &size, src.get(), IFF_TIFF_ZIP), 0);
  const std::string tiff = take(data, size);

  for (const std::string& bytes : {"Xin chào, đây là một tệp văn bản.\n"s, "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n"s, gif,
                                   tiff, "RIFF\x10\0\0\0WAVEfmt "s}) {
    auto r = prepare(bytes);
    expect_refused(r);
    if (!r) {
      EXPECT_EQ(r.error().message, kTypeMessage);
    }
  }
}

TEST(NewsPhoto, RefusesTruncatedFiles) {
  PixPtr src = make_rgb(800, 600);
  const std::string jpeg = jpeg_of(src.get());
  const std::string png = png_of(src.get());
  const std::string webp = webp_of(src.get());
  ASSERT_TRUE(prepare(jpeg).has_value());
  ASSERT_TRUE(prepare(png).has_value());
  ASSERT_TRUE(prepare(webp).has_value());
  expect_refused(prepare(jpeg.substr(0, jpeg.size() / 2)));
  expect_refused(prepare(jpeg.substr(0, jpeg.size() - 2)));  // only EOI missing
  expect_refused(prepare(jpeg.substr(0, 40)));               // cut inside the header
  expect_refused(prepare(png.substr(0, png.size() / 2)));
  expect_refused(prepare(png.substr(0, 20)));
  expect_refused(prepare(webp.substr(0, webp.size() / 2)));
  expect_refused(prepare("\xFF\xD8\xFF"sv));
  expect_refused(prepare("\x89PNG\r\n\x1A\n"sv));
}

TEST(NewsPhoto, RefusesHugePixelCountFromTheHeaderAlone) {
  auto r = prepare(png_claiming(20000, 20000));
  expect_refused(r);
  if (!r) {
    EXPECT_EQ(r.error().message, "Ảnh 20000 × 20000 điểm ảnh quá lớn (tối đa 50 triệu điểm ảnh)");
  }

  // A JPEG whose frame header claims 10000 × 6000 (60 MP).
  std::string jpeg = jpeg_of(make_rgb(64, 48).get());
  const size_t sof = jpeg.find("\xFF\xC0"sv);
  ASSERT_NE(sof, std::string::npos);
  jpeg.replace(sof + 5, 4, "\x17\x70\x27\x10"sv);  // height 6000, width 10000
  expect_refused(prepare(jpeg), "10000 × 6000");

  // Just under the limit in the header, but nothing behind it: refused as damaged instead.
  auto under = prepare(png_claiming(4000, 3000));
  expect_refused(under);
  if (!under) {
    EXPECT_EQ(under.error().message.find("quá lớn"), std::string::npos);
  }
}

TEST(NewsPhoto, ConcurrentCallsGiveTheSameResult) {
  const std::string jpeg = with_exif(jpeg_of(make_rgb(1600, 1000, true).get()), 8, true);
  auto first = prepare(jpeg);
  ASSERT_TRUE(first.has_value());
  std::vector<std::string> larges(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < larges.size(); ++i)
    threads.emplace_back([&, i] {
      auto r = prepare(jpeg);
      if (r) larges[i] = r->large.jpeg;
    });
  for (auto& t : threads) t.join();
  for (const auto& l : larges) EXPECT_EQ(l, first->large.jpeg);
}

}  // namespace
}  // namespace chidoan::news::photo
