// `chidoan scan PAGE... -o OUT.pdf`: the digitiser from the command line (docs/scan.md).
//
// Exit codes:
//   0  the PDF was written
//   2  usage (bad options, a language code that is not one)
//   3  an input was refused (empty, truncated, too large, unknown format, encrypted or vector PDF)
//   4  the output cannot be written (folder missing, no permission, disk full)
//   5  --max-bytes cannot be met even at the lowest quality
//   6  tesseract or its language data is missing
//   1  anything else
// Nothing is left at OUT unless the exit code is 0: the PDF is written to a temporary file
// beside it and renamed into place.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace chidoan::scan {

struct CliArgs {
  std::vector<std::string> pages;
  std::string out;
  std::string lang = "vie+eng";
  int dpi = 0;
  int64_t max_bytes = 0;
  int jobs = 0;
  std::string title;
  bool quiet = false;
};

int run_cli(const CliArgs& args);

}  // namespace chidoan::scan
