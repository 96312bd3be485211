// Tesseract, one instance per worker thread: orientation and script detection (OSD, the
// legacy engine's osd.traineddata) and recognition with the LSTM models of the chosen
// languages (vie+eng by default).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "platform/core/result.hpp"
#include "scan/pix.hpp"

namespace tesseract {
class TessBaseAPI;
}

namespace chidoan::scan::ocr {

// A recognised word, in pixels of the image it was read from.
struct Word {
  int left = 0, top = 0, right = 0, bottom = 0;
  int line_top = 0, line_bottom = 0;  // the box of the word's line
  int baseline = 0;        // y of the line's baseline at the word's left edge
  std::string text;        // UTF-8, NFC
  bool end_of_line = false;
};

class Reader {
 public:
  // ErrorKind::unavailable when the language data is not installed.
  static Result<std::unique_ptr<Reader>> open(const std::string& tessdata, const std::string& lang);
  ~Reader();
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  // Degrees clockwise that make the page upright (0, 90, 180, 270); 0 when unsure.
  int upright_turn(PIX* bilevel, int dpi);
  std::vector<Word> read(PIX* bilevel, int dpi);
  // The tesseract data folder in use (where pdf.ttf is).
  std::string datapath() const;

 private:
  Reader();
  std::unique_ptr<tesseract::TessBaseAPI> api_;
  std::unique_ptr<tesseract::TessBaseAPI> osd_;
  std::string tessdata_;
  bool osd_failed_ = false;
};

}  // namespace chidoan::scan::ocr
