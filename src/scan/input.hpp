// Reading the digitiser's inputs: which format a file is (by its magic bytes, never by its
// name), how many pages it holds and how large they are, all without decoding pixels, and then
// each page decoded into a leptonica image.
//
// PDF inputs must be made of page images (a scanner's or a phone app's PDF): every page paints
// exactly one image, and any text on it is invisible (an earlier OCR layer, which is dropped).
// Encrypted PDFs and PDFs with vector drawing or visible text are refused.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "platform/core/result.hpp"
#include "scan/engine.hpp"
#include "scan/pix.hpp"

namespace chidoan::scan::input {

enum class Format { jpeg, png, tiff, pdf, unknown };
Format sniff(std::string_view bytes);

// One page of an input. For PDF pages the image stream is copied out (still compressed for
// JPEG and CCITT, decoded for Flate).
struct Source {
  std::string name;     // "scan.pdf#2" for the second page of scan.pdf
  size_t input = 0;     // index into the inputs
  int subpage = 0;      // page within a TIFF
  int width = 0, height = 0;
  int dpi = 0;          // 0 when the file does not say
  int rotation = 0;     // the Input's, quarter turns clockwise in degrees
  enum class Kind { file, pdf_jpeg, pdf_g4, pdf_raw } kind = Kind::file;
  std::string data;     // PDF kinds: the image stream
  int bpc = 8, components = 1;
  bool black_is_black = true;  // CCITT: black runs are drawn black
  bool inverted = false;       // raw: /Decode [1 0]
};

// The pages of one input, with their sizes checked against kMaxPixels. Errors are
// ErrorKind::invalid with `field` = the input's name and a Vietnamese message.
Result<std::vector<Source>> pages_of(const Input& in, size_t index);

// Decodes one page (8-bit gray, 32-bit RGB or 1-bit), refusing truncated or corrupt data.
Result<PixPtr> decode(const Input& in, const Source& src);

}  // namespace chidoan::scan::input
