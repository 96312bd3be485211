// The digitiser's PDF writer: one image per page (CCITT G4 or JPEG, as encoded by the engine)
// under an invisible text layer (text render mode 3) in tesseract's glyph-less font, so that
// viewers select, search and copy the words while showing only the image.
//
// The font: a Type0 font with Identity-H encoding whose character codes are UTF-16 code units
// (Vietnamese is all in the BMP), a ToUnicode map that maps each code to itself, and every
// code drawn with the one empty glyph of tesseract's pdf.ttf. Each word is stretched (Tz) to
// the width of its box on the image, so the selection matches what one sees.
#pragma once

#include <string>
#include <vector>

namespace chidoan::scan::pdf_out {

struct Image {
  enum class Filter { g4, jpeg };
  Filter filter = Filter::g4;
  int width = 0;       // pixels
  int height = 0;
  int components = 1;  // 1 gray (or bi-level), 3 RGB
  std::string data;    // the encoded stream
};

// A word on the page, in points from the page's top-left corner (image coordinates scaled).
struct Word {
  // The word's box; with space_after, `width` reaches the next word's start (the space is
  // drawn too, so that text extraction puts one there).
  double x = 0, y = 0, width = 0, height = 0;
  double baseline = 0;                         // y of the baseline (from the top)
  std::string text;                            // UTF-8, NFC
  bool space_after = false;                    // another word follows on the line
};

struct Page {
  double width = 0, height = 0;  // points
  Image image;
  std::vector<Word> words;
};

struct Metadata {
  std::string title;
  std::string producer = "chidoan";
  std::string created;  // "D:YYYYMMDDHHmmSS+07'00'" or empty
  std::string lang = "vi";
};

// `font` is the content of tesseract's pdf.ttf. The output is a complete PDF 1.5 file.
std::string write(const std::vector<Page>& pages, const Metadata& meta, const std::string& font);

// UTF-8 → UTF-16BE hex digits, for a PDF hex string (invalid bytes become U+FFFD).
std::string utf16be_hex(const std::string& utf8);

}  // namespace chidoan::scan::pdf_out
