#include "scan/ocr.hpp"

#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

#include "platform/text/text.hpp"

namespace chidoan::scan::ocr {
namespace {

void quiet(tesseract::TessBaseAPI& api) { api.SetVariable("debug_file", "/dev/null"); }

const char* data_dir(const std::string& tessdata) { return tessdata.empty() ? nullptr : tessdata.c_str(); }

// Below this OSD confidence the page is left as it is (tesseract's own scale; OCRmyPDF's
// default threshold for turning pages is 14 on the same scale, we are a little bolder).
constexpr float kOrientConfidence = 10.0f;

}  // namespace

Reader::Reader() = default;
Reader::~Reader() {
  if (api_) api_->End();
  if (osd_) osd_->End();
}

Result<std::unique_ptr<Reader>> Reader::open(const std::string& tessdata, const std::string& lang) {
  std::unique_ptr<Reader> r(new Reader());
  r->tessdata_ = tessdata;
  r->api_ = std::make_unique<tesseract::TessBaseAPI>();
  quiet(*r->api_);
  if (r->api_->Init(data_dir(tessdata), lang.c_str(), tesseract::OEM_LSTM_ONLY) != 0)
    return fail(ErrorKind::unavailable,
                "Không nạp được dữ liệu nhận dạng chữ của tesseract cho \"" + lang +
                    "\" (cần gói tesseract-ocr-vie và tesseract-ocr-eng)",
                "lang");
  quiet(*r->api_);
  r->api_->SetPageSegMode(tesseract::PSM_AUTO);
  return r;
}

std::string Reader::datapath() const {
  std::string p = api_->GetDatapath() ? api_->GetDatapath() : "";
  while (!p.empty() && p.back() == '/') p.pop_back();
  return p;
}

int Reader::upright_turn(PIX* bilevel, int dpi) {
  if (osd_failed_) return 0;
  if (!osd_) {
    osd_ = std::make_unique<tesseract::TessBaseAPI>();
    quiet(*osd_);
    if (osd_->Init(data_dir(tessdata_), "osd", tesseract::OEM_TESSERACT_ONLY) != 0) {
      osd_.reset();
      osd_failed_ = true;
      return 0;
    }
    quiet(*osd_);
    osd_->SetPageSegMode(tesseract::PSM_OSD_ONLY);
  }
  osd_->SetImage(bilevel);
  osd_->SetSourceResolution(dpi);
  int degrees = 0;
  float confidence = 0, script_confidence = 0;
  const char* script = nullptr;
  bool ok = osd_->DetectOrientationScript(&degrees, &confidence, &script, &script_confidence);
  osd_->Clear();
  if (!ok || confidence < kOrientConfidence) return 0;
  // Tesseract reports how far the image is turned clockwise; turn it back.
  return (360 - degrees) % 360;
}

std::vector<Word> Reader::read(PIX* bilevel, int dpi) {
  std::vector<Word> words;
  api_->SetImage(bilevel);
  api_->SetSourceResolution(dpi);
  if (api_->Recognize(nullptr) != 0) {
    api_->Clear();
    return words;
  }
  std::unique_ptr<tesseract::ResultIterator> it(api_->GetIterator());
  if (it) {
    // Every word of a line gets the line's height and baseline: text extraction groups words
    // into lines by those, and the selection looks even.
    int line_top = 0, line_bottom = 0, bx1 = 0, by1 = 0, bx2 = 0, by2 = 0;
    bool have_baseline = false;
    do {
      if (it->IsAtBeginningOf(tesseract::RIL_TEXTLINE)) {
        int left = 0, right = 0;
        it->BoundingBox(tesseract::RIL_TEXTLINE, &left, &line_top, &right, &line_bottom);
        have_baseline = it->Baseline(tesseract::RIL_TEXTLINE, &bx1, &by1, &bx2, &by2);
      }
      std::unique_ptr<char[]> text(it->GetUTF8Text(tesseract::RIL_WORD));
      if (!text || !*text.get()) continue;
      Word w;
      it->BoundingBox(tesseract::RIL_WORD, &w.left, &w.top, &w.right, &w.bottom);
      w.line_top = line_top;
      w.line_bottom = line_bottom;
      w.baseline = line_bottom;
      if (have_baseline) {
        double slope = bx2 != bx1 ? static_cast<double>(by2 - by1) / (bx2 - bx1) : 0.0;
        w.baseline = static_cast<int>(by1 + slope * (w.left - bx1) + 0.5);
      }
      auto nfc = text::normalize(text.get(), false);
      w.text = nfc ? *nfc : std::string(text.get());
      if (w.text.empty()) continue;
      w.end_of_line = it->IsAtFinalElement(tesseract::RIL_TEXTLINE, tesseract::RIL_WORD);
      words.push_back(std::move(w));
    } while (it->Next(tesseract::RIL_WORD));
  }
  api_->Clear();
  return words;
}

}  // namespace chidoan::scan::ocr
