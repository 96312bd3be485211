// Fuzzes the digitiser's input side as an upload of scanned papers meets it
// (scan/papers_routes.cpp: probe, then a thumbnail) and as `chidoan scan` meets a file: the
// format sniffed from the first bytes, the page count and sizes read from the headers without
// decoding (PNG's IHDR, JPEG's SOF, every TIFF directory, every PDF page's image dictionary,
// refusing decompression bombs above scan::kMaxPixels), then each page decoded by leptonica
// (or copied out of the PDF and decoded) and the first one scaled and encoded as the thumbnail.
//
// The first byte is the quarter turn a person chose for the page (0, 90, 180 or 270 degrees);
// the rest is the file. At most four pages are decoded, so that a multi-page TIFF of tiny
// pages costs no more than four of them.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "scan/engine.hpp"
#include "scan/input.hpp"

namespace {

using namespace chidoan;

void check(bool ok, const std::string& what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz_scan_image: %s\n", what.c_str());
    std::abort();
  }
}

// Refusing a file is ErrorKind::invalid (scan/engine.hpp); anything else is a bug.
void expect_refusal(const Error& e, const char* step) {
  check(e.kind == ErrorKind::invalid, std::string(step) + " failed with " + kind_name(e.kind) + ": " + e.message);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  scan::Input in;
  in.name = "trang.bin";
  in.rotation = (data[0] % 4) * 90;
  in.bytes.assign(reinterpret_cast<const char*>(data + 1), size - 1);

  auto count = scan::probe(in);
  if (!count) {
    expect_refusal(count.error(), "probe");
    return 0;
  }
  check(*count >= 1, "probe accepted a file of no pages");

  auto pages = scan::input::pages_of(in, 0);
  check(pages.has_value() && static_cast<int>(pages->size()) == *count, "pages_of disagrees with probe");
  for (size_t i = 0; i < std::min<size_t>(pages->size(), 4); ++i) {
    const auto& src = (*pages)[i];
    check(int64_t{src.width} * src.height <= scan::kMaxPixels, "a page above the pixel limit was accepted");
    auto pix = scan::input::decode(in, src);
    if (!pix) {
      expect_refusal(pix.error(), "decode");
      continue;
    }
    check(*pix != nullptr, "decode returned no image");
  }

  auto thumb = scan::thumbnail(in, 240);
  if (!thumb) expect_refusal(thumb.error(), "thumbnail");
  return 0;
}
