// Test pages for the digitiser's tests (not part of chidoan_scan): Vietnamese lines typeset
// with pango at a given resolution, optionally tilted, turned, tinted or stamped, and encoded as
// PNG, JPEG or TIFF in memory.
#pragma once

#include <string>
#include <vector>

#include "scan/pix.hpp"

namespace chidoan::scan::testing {

struct PageSpec {
  std::vector<std::string> lines = {"Chi đoàn Văn phòng Ủy ban nhân dân tỉnh Lâm Đồng"};
  int dpi = 150;
  double width_mm = 150, height_mm = 60;
  double font_pt = 12;
  double tilt = 0;         // degrees, counter-clockwise
  int turn = 0;            // quarter turns clockwise (180: upside down)
  bool red_stamp = false;  // a red disc, as the seal on an official paper
};

PixPtr render(const PageSpec& spec);

enum class Encoding { png, jpeg, tiff_g4 };
std::string encode(PIX* pix, Encoding encoding);
std::string page(const PageSpec& spec, Encoding encoding = Encoding::png);

// A multi-page TIFF (G4 when the pages are 1 bpp, else LZW/zip as leptonica chooses).
std::string multipage_tiff(const std::vector<PIX*>& pages);

// Runs pdftotext on PDF bytes (page `page`, 0 for all) and returns its text.
std::string pdf_text(const std::string& pdf, int page = 0);

}  // namespace chidoan::scan::testing
