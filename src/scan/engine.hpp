// The dossier digitiser: scanned pages or phone photos in, one compact searchable PDF out.
//
//   scan::Options options;                  // vie+eng, dpi from the files, no size limit
//   Result<scan::Output> out = scan::scan({{"cccd.jpg", bytes}}, options);
//   write(out->pdf);                        // out->pages says what was done to each page
//
// Per page (docs/scan.md "Pipeline"): decode (refusing decompression bombs before decoding),
// orientation by tesseract OSD, deskew (leptonica), background normalisation (shadows and
// dark borders to white), classification as bi-level text, gray or colour, OCR with
// tesseract's LSTM model, then encoding: CCITT G4 for bi-level pages, JPEG for colour and
// gray photos. The PDF carries each page image at its real size (from the file's dpi, --dpi,
// or an A4 fit) and an invisible text layer word by word, NFC, copyable with its diacritics.
// Pages run in parallel, one tesseract instance a worker. Debian's libtesseract uses OpenMP
// inside each page, which only contends with that on two cores (three times slower): the
// process must start with OMP_THREAD_LIMIT=1, which `chidoan` ensures by re-executing itself
// (app/main.cpp) and the tests through CTest's environment. libgomp reads it before main().
//
// Errors (never a partial PDF): ErrorKind::invalid for an input that is refused (`field` is
// the input's name: empty, truncated, too many pixels, unknown format, encrypted or vector
// PDF); ErrorKind::too_large when Options::max_bytes cannot be met even at the lowest photo
// quality; ErrorKind::unavailable when tesseract or its language data is missing. Messages are
// Vietnamese: the web part shows them as they are.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "platform/core/result.hpp"

namespace chidoan::scan {

// One file in: JPEG, PNG, TIFF (every page of a multi-page TIFF) or a PDF made of page images.
struct Input {
  std::string name;   // shown in messages and reports (a file name)
  std::string bytes;  // the file's content
  // Quarter turns clockwise chosen by a person (0, 90, 180, 270), applied first. When a
  // person has turned a page, automatic orientation is off for it: their choice wins.
  int rotation = 0;
};

struct Options {
  std::string lang = "vie+eng";  // tesseract languages
  // The inputs' resolution, overriding what the files say. 0: the file's own when it states
  // a plausible one (100 to 1200 dpi), else the resolution that fits the page to A4.
  int dpi = 0;
  int64_t max_bytes = 0;          // 0: no limit
  int jobs = 0;                   // worker threads; 0: the number of cores
  std::string title;              // PDF metadata
  std::string created;            // PDF CreationDate ("D:20211102093000+07'00'"); empty: none
  std::string tessdata;           // tesseract data folder; empty: the system's
};

enum class PageKind { bilevel, gray, color };
const char* kind_name(PageKind kind);

struct PageReport {
  int number = 0;            // 1-based, in the output
  std::string source;        // input name, with "#n" for the n-th page of a TIFF or PDF
  PageKind kind = PageKind::bilevel;
  int dpi = 0;               // of the image in the PDF
  int turned = 0;            // degrees clockwise applied (by a person or by orientation)
  double skew = 0;           // degrees corrected by deskew
  bool blank = false;        // no ink found: the page is kept and flagged
  int words = 0;             // words in the text layer
  int64_t bytes = 0;         // size of the page's image stream
};

struct Output {
  std::string pdf;
  std::vector<PageReport> pages;
  // What was done to meet max_bytes, in Vietnamese, one line each ("Trang 3: ảnh 150 dpi,
  // chất lượng JPEG 60"). Empty when nothing was needed.
  std::vector<std::string> notes;
};

// Called after each page is finished (from a worker thread, one call at a time).
using Progress = std::function<void(int done, int total)>;

Result<Output> scan(const std::vector<Input>& inputs, const Options& options, Progress progress = {});

// Checks an upload without decoding its pixels: the format, the page count and each page's
// size against the pixel limit. Returns the number of pages.
Result<int> probe(const Input& input);

// A small JPEG of the first page (longest side `side` pixels), for thumbnails in the web part.
Result<std::string> thumbnail(const Input& input, int side = 240);

// A size for people: "84 kB" (rounded up), "1,2 MB".
std::string size_label(int64_t bytes);

// The largest page accepted, in pixels (width × height); larger claims are refused before
// any decoding.
inline constexpr int64_t kMaxPixels = 80'000'000;

}  // namespace chidoan::scan
