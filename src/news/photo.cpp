#include "news/photo.hpp"

#include <semaphore>

#include <leptonica/allheaders.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "platform/core/sniff.hpp"

namespace chidoan::news::photo {
namespace {

struct PixDeleter {
  void operator()(PIX* p) const { pixDestroy(&p); }
};
using PixPtr = std::unique_ptr<PIX, PixDeleter>;

PixPtr own(PIX* p) { return PixPtr(p); }

// Leptonica reports refusals on stderr; here they are Errors. Its severity is process-wide: set
// once (thread-safe static initialisation).
void quiet_leptonica() {
  static const bool done = [] {
    setMsgSeverity(L_SEVERITY_NONE);
    return true;
  }();
  (void)done;
}

std::unexpected<Error> refuse(std::string message) { return fail(ErrorKind::invalid, std::move(message), "photo"); }

const char* const kCorrupt = "Ảnh bị hỏng hoặc không trọn vẹn, không đọc được";

const l_uint8* bytes_of(std::string_view s) { return reinterpret_cast<const l_uint8*>(s.data()); }

uint8_t byte_at(std::string_view b, size_t at) { return static_cast<uint8_t>(b[at]); }

// ---- JPEG structure -------------------------------------------------------------------------

// Walks a JPEG's segments from SOI: `visit(marker, payload)` for each segment with a length
// (return false to stop). Entropy-coded data after each SOS is skipped (0xFF is stuffed there as
// FF 00; FF D0..D7 are restart markers). True when EOI is reached: the file is complete.
template <typename Visit>
bool walk_jpeg(std::string_view b, Visit&& visit) {
  if (b.size() < 4 || byte_at(b, 0) != 0xFF || byte_at(b, 1) != 0xD8) return false;
  size_t i = 2;
  bool in_scan = false;
  while (i < b.size()) {
    if (in_scan) {
      size_t p = b.find('\xFF', i);
      if (p == std::string_view::npos || p + 1 >= b.size()) return false;
      const uint8_t m = byte_at(b, p + 1);
      if (m == 0x00 || (m >= 0xD0 && m <= 0xD7)) {
        i = p + 2;
        continue;
      }
      if (m == 0xFF) {  // fill byte before a marker
        i = p + 1;
        continue;
      }
      in_scan = false;
      i = p;
      continue;
    }
    if (byte_at(b, i) != 0xFF) return false;
    while (i < b.size() && byte_at(b, i) == 0xFF) ++i;  // fill bytes
    if (i >= b.size()) return false;
    const uint8_t m = byte_at(b, i++);
    if (m == 0xD9) return true;
    if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7)) continue;  // no length
    if (i + 2 > b.size()) return false;
    const size_t len = static_cast<size_t>(byte_at(b, i)) << 8 | byte_at(b, i + 1);
    if (len < 2 || len > b.size() - i) return false;
    if (!visit(m, b.substr(i + 2, len - 2))) return false;
    i += len;
    if (m == 0xDA) in_scan = true;
  }
  return false;
}

// The orientation in an "Exif\0\0" APP1 payload: 1..8, or 0 when absent or malformed.
int exif_orientation(std::string_view payload) {
  using namespace std::string_view_literals;
  if (!payload.starts_with("Exif\0\0"sv)) return 0;
  const std::string_view t = payload.substr(6);  // the TIFF structure; offsets count from here
  if (t.size() < 8) return 0;
  bool little;
  if (t.starts_with("II*\0"sv)) little = true;
  else if (t.starts_with("MM\0*"sv)) little = false;
  else return 0;
  auto u16 = [&](size_t at) -> uint32_t {
    const uint32_t a = byte_at(t, at), b = byte_at(t, at + 1);
    return little ? a | b << 8 : a << 8 | b;
  };
  auto u32 = [&](size_t at) -> uint32_t {
    return little ? u16(at) | u16(at + 2) << 16 : u16(at) << 16 | u16(at + 2);
  };
  const size_t ifd = u32(4);
  if (ifd < 8 || ifd > t.size() - 2) return 0;
  const size_t count = u16(ifd);
  for (size_t k = 0; k < count; ++k) {
    const size_t e = ifd + 2 + 12 * k;
    if (e + 12 > t.size()) return 0;
    if (u16(e) != 0x0112) continue;
    const uint32_t type = u16(e + 2), n = u32(e + 4);
    if (n != 1) return 0;
    const uint32_t v = type == 3 ? u16(e + 8) : type == 4 ? u32(e + 8) : 0;  // SHORT (or LONG)
    return v >= 1 && v <= 8 ? static_cast<int>(v) : 0;
  }
  return 0;
}

// ---- pixels ---------------------------------------------------------------------------------

// 32 bpp RGB (spp 3) from any depth leptonica decodes to; transparency flattened on white.
PixPtr to_rgb(PixPtr pix) {
  if (!pix) return pix;
  if (pixGetDepth(pix.get()) != 32) pix = own(pixConvertTo32(pix.get()));  // colormap, gray, 1..16 bpp
  if (pix && pixGetSpp(pix.get()) == 4) {
    pix = own(pixAlphaBlendUniform(pix.get(), 0xffffff00));
    if (pix) pixSetSpp(pix.get(), 3);
  }
  return pix;
}

// Turns the stored pixels upright by the EXIF orientation.
PixPtr upright(PixPtr pix, int orientation) {
  if (!pix) return pix;
  PixPtr out;
  switch (orientation) {
    case 2: return own(pixFlipLR(nullptr, pix.get()));
    case 3: return own(pixRotateOrth(pix.get(), 2));
    case 4: return own(pixFlipTB(nullptr, pix.get()));
    case 5:  // transpose: 90° clockwise, then mirrored
      out = own(pixRotateOrth(pix.get(), 1));
      if (out && !pixFlipLR(out.get(), out.get())) return nullptr;
      return out;
    case 6: return own(pixRotateOrth(pix.get(), 1));
    case 7:  // transverse: 90° clockwise, then upside down
      out = own(pixRotateOrth(pix.get(), 1));
      if (out && !pixFlipTB(out.get(), out.get())) return nullptr;
      return out;
    case 8: return own(pixRotateOrth(pix.get(), 3));
    default: return pix;
  }
}

// `pix` scaled to wd × hd (a reduction): area mapping for strong ones, interpolation for mild.
PixPtr scale_to(PIX* pix, int wd, int hd) {
  const int w = pixGetWidth(pix), h = pixGetHeight(pix);
  if (wd == w && hd == h) return own(pixClone(pix));
  const float sx = static_cast<float>(wd) / static_cast<float>(w);
  const float sy = static_cast<float>(hd) / static_cast<float>(h);
  return own(std::max(sx, sy) < 0.7f ? pixScaleAreaMap(pix, sx, sy) : pixScale(pix, sx, sy));
}

// The size of a w × h image brought down to at most `max_w` wide (never up).
std::pair<int, int> fit(int w, int h, int max_w) {
  if (w <= max_w) return {w, h};
  const int64_t hd = (static_cast<int64_t>(h) * max_w + w / 2) / w;
  return {max_w, static_cast<int>(std::max<int64_t>(1, hd))};
}

Result<Encoded> encode(PIX* pix) {
  pixSetText(pix, nullptr);  // leptonica keeps a JPEG comment as text and would write it back
  l_uint8* data = nullptr;
  size_t size = 0;
  if (pixWriteMemJpeg(&data, &size, pix, kQuality, 0) != 0 || !data || size == 0) {
    lept_free(data);
    return refuse("Không chuyển được ảnh sang JPEG");
  }
  Encoded e;
  e.jpeg.assign(reinterpret_cast<const char*>(data), size);
  lept_free(data);
  e.width = pixGetWidth(pix);
  e.height = pixGetHeight(pix);
  return e;
}

}  // namespace

int jpeg_orientation(std::string_view jpeg) {
  int found = 0;
  walk_jpeg(jpeg, [&](uint8_t marker, std::string_view payload) {
    if (marker == 0xDA) return false;  // metadata comes before the first scan
    if (marker == 0xE1 && payload.starts_with("Exif")) {
      found = exif_orientation(payload);
      return false;
    }
    return true;
  });
  return found == 0 ? 1 : found;
}

Result<void> check_stored(std::string_view jpeg, int64_t width, int64_t height) {
  int64_t w = 0, h = 0;
  bool metadata = false;
  bool complete = walk_jpeg(jpeg, [&](uint8_t marker, std::string_view payload) {
    if ((marker >= 0xE1 && marker <= 0xEF) || marker == 0xFE) metadata = true;
    bool frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (frame && payload.size() >= 5) {
      h = static_cast<int64_t>(byte_at(payload, 1)) << 8 | byte_at(payload, 2);
      w = static_cast<int64_t>(byte_at(payload, 3)) << 8 | byte_at(payload, 4);
    }
    return true;
  });
  if (!complete) return refuse("Ảnh không phải một tệp JPEG trọn vẹn");
  if (metadata) return refuse("Ảnh còn dữ liệu kèm theo (EXIF, XMP, ICC hoặc ghi chú): chỉ nhận ảnh đã được chidoan xử lý");
  if (w != width || h != height)
    return refuse("Ảnh " + std::to_string(w) + " × " + std::to_string(h) + " điểm ảnh, không phải " + std::to_string(width) + " × " +
                  std::to_string(height) + " như đã ghi");
  return {};
}

Result<Prepared> prepare(std::string_view bytes) {
  quiet_leptonica();
  if (bytes.empty()) return refuse("Tệp ảnh rỗng (0 byte)");
  if (static_cast<int64_t>(bytes.size()) > kMaxBytes)
    return refuse("Tệp ảnh quá lớn (tối đa " + std::to_string(kMaxBytes / (1024 * 1024)) + " MB)");
  const auto type = sniff_type(bytes);
  if (type != "image/jpeg" && type != "image/png" && type != "image/webp")
    return refuse("Ảnh phải là tệp JPEG, PNG hoặc WebP");
  const bool jpeg = type == "image/jpeg";

  // The header first: nothing is decoded for an image over the limit.
  l_int32 format = 0, w = 0, h = 0, bps = 0, spp = 0, cmap = 0;
  if (pixReadHeaderMem(bytes_of(bytes), bytes.size(), &format, &w, &h, &bps, &spp, &cmap) != 0 || w <= 0 || h <= 0)
    return refuse(kCorrupt);
  if (static_cast<int64_t>(w) * h > kMaxPixels || w > 65500 || h > 65500)
    return refuse("Ảnh " + std::to_string(w) + " × " + std::to_string(h) + " điểm ảnh quá lớn (tối đa " +
                  std::to_string(kMaxPixels / 1'000'000) + " triệu điểm ảnh)");

  // At most two decodes at a time in the process (a 50 MP PNG is 200 MB of pixels while it is
  // scaled): uploads beyond that wait their turn instead of adding up.
  static std::counting_semaphore<2> decoding(2);
  decoding.acquire();
  struct Release {
    ~Release() { decoding.release(); }
  } release;

  const int orientation = jpeg ? jpeg_orientation(bytes) : 1;
  const bool turned = orientation >= 5;  // width and height swap
  const int up_w = turned ? h : w, up_h = turned ? w : h;

  PixPtr pix;
  int reduction = 1;
  if (jpeg) {
    // libjpeg tolerates small defects (common in phone files) but fills a cut file with grey:
    // the structure must reach EOI.
    if (!walk_jpeg(bytes, [](uint8_t, std::string_view) { return true; }))
      return refuse("Ảnh JPEG bị hỏng hoặc không trọn vẹn (thiếu phần cuối)");
    for (int r : {8, 4, 2}) {
      if ((up_w + r - 1) / r >= kLargeWidth) {
        reduction = r;
        break;
      }
    }
    l_int32 warnings = 0;
    pix = own(pixReadMemJpeg(bytes_of(bytes), bytes.size(), 0, reduction, &warnings, L_JPEG_CONTINUE_WITH_BAD_DATA));
  } else if (type == "image/png") {
    pix = own(pixReadMemPng(bytes_of(bytes), bytes.size()));
  } else {
    pix = own(pixReadMemWebP(bytes_of(bytes), bytes.size()));
  }
  if (!pix || pixGetWidth(pix.get()) != (w + reduction - 1) / reduction ||
      pixGetHeight(pix.get()) != (h + reduction - 1) / reduction)
    return refuse(kCorrupt);

  pix = to_rgb(std::move(pix));
  if (!pix) return refuse("Ảnh có định dạng màu chưa hỗ trợ");

  // Large: scaled in the stored orientation (fewer pixels to turn), then turned upright.
  auto [large_w, large_h] = fit(up_w, up_h, kLargeWidth);
  if (turned) std::swap(large_w, large_h);
  PixPtr large = upright(scale_to(pix.get(), large_w, large_h), orientation);
  pix.reset();
  if (!large) return refuse("Không xử lý được ảnh này");

  const auto [small_w, small_h] = fit(up_w, up_h, kSmallWidth);
  PixPtr small = scale_to(large.get(), std::min(small_w, pixGetWidth(large.get())),
                          std::min(small_h, pixGetHeight(large.get())));
  if (!small) return refuse("Không xử lý được ảnh này");

  Prepared out;
  CHIDOAN_TRY(large_jpeg, encode(large.get()));
  CHIDOAN_TRY(small_jpeg, encode(small.get()));
  out.large = std::move(large_jpeg);
  out.small = std::move(small_jpeg);
  out.source_type = std::string(*type);
  out.source_width = w;
  out.source_height = h;
  return out;
}

}  // namespace chidoan::news::photo
