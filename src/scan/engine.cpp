#include "scan/engine.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <iterator>
#include <mutex>
#include <optional>
#include <semaphore>
#include <sstream>
#include <thread>

#include "platform/text/text.hpp"
#include "scan/input.hpp"
#include "scan/ocr.hpp"
#include "scan/page.hpp"
#include "scan/pdf_out.hpp"

namespace chidoan::scan {
namespace {

constexpr int kJpegQuality = 70;

void init_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Refusals are reported as Errors; leptonica's own messages would only clutter stderr.
    setMsgSeverity(L_SEVERITY_NONE);
    leptSetStderrHandler([](const char*) {});
  });
}

int page_dpi(const input::Source& s, PIX* pix, const Options& options) {
  if (options.dpi > 0) return options.dpi;
  int file_dpi = s.dpi > 0 ? s.dpi : pixGetXRes(pix);
  if (file_dpi >= 100 && file_dpi <= 1200) return file_dpi;
  // An A4 fit (210 × 297 mm), whichever way the page lies.
  int w = pixGetWidth(pix), h = pixGetHeight(pix);
  double long_side = std::max(w, h) / (297 / 25.4), short_side = std::min(w, h) / (210 / 25.4);
  return std::max(72, static_cast<int>(std::lround(std::max(long_side, short_side))));
}

// A finished page, with the image kept at full resolution while the size limit may still ask
// for a smaller encoding.
struct Done {
  PageReport report;
  int full_dpi = 0;  // before any reduction
  pdf_out::Page page;
  PixPtr image;  // bi-level, gray or colour as classified
};

std::string from_lept(l_uint8* data, size_t size) {
  std::string s(reinterpret_cast<const char*>(data), size);
  lept_free(data);
  return s;
}

// Encodes `pix` at `scale` of its size (bi-level pages as CCITT G4, others as JPEG).
std::optional<pdf_out::Image> encode(PIX* pix, PageKind kind, double scale, int quality) {
  PixPtr scaled;
  PIX* src = pix;
  if (scale < 0.999) {
    if (kind == PageKind::bilevel) {
      PixPtr gray = own(pixScaleToGray(pix, static_cast<l_float32>(scale)));
      scaled = gray ? own(pixThresholdToBinary(gray.get(), 128)) : nullptr;
    } else {
      scaled = own(pixScale(pix, static_cast<l_float32>(scale), static_cast<l_float32>(scale)));
    }
    if (!scaled) return std::nullopt;
    src = scaled.get();
  }
  pdf_out::Image img;
  img.width = pixGetWidth(src);
  img.height = pixGetHeight(src);
  if (kind == PageKind::bilevel) {
    L_COMP_DATA* cid = nullptr;
    if (pixGenerateCIData(src, L_G4_ENCODE, 0, 0, &cid) != 0 || !cid) return std::nullopt;
    img.filter = pdf_out::Image::Filter::g4;
    img.data.assign(reinterpret_cast<const char*>(cid->datacomp), cid->nbytescomp);
    l_CIDataDestroy(&cid);
  } else {
    l_uint8* data = nullptr;
    size_t size = 0;
    if (pixWriteMemJpeg(&data, &size, src, quality, 0) != 0) return std::nullopt;
    img.filter = pdf_out::Image::Filter::jpeg;
    img.components = pixGetDepth(src) == 32 ? 3 : 1;
    img.data = from_lept(data, size);
  }
  return img;
}

std::vector<pdf_out::Word> place_words(const std::vector<ocr::Word>& words, int dpi) {
  const double pt = 72.0 / dpi;
  std::vector<pdf_out::Word> out;
  out.reserve(words.size());
  for (size_t i = 0; i < words.size(); ++i) {
    const ocr::Word& w = words[i];
    pdf_out::Word p;
    p.text = w.text;
    p.x = w.left * pt;
    p.y = w.top * pt;
    // The line's height less its descent: the size of the font on the baseline.
    p.height = std::max(1, w.baseline - w.line_top) * pt;
    p.baseline = w.baseline * pt;
    int right = w.right;
    if (!w.end_of_line && i + 1 < words.size() && words[i + 1].left > w.right) {
      p.space_after = true;
      right = words[i + 1].left;
    }
    p.width = std::max(1, right - w.left) * pt;
    out.push_back(std::move(p));
  }
  return out;
}

Result<std::string> read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return fail(ErrorKind::unavailable, "Không tìm thấy phông chữ ẩn của tesseract (" + path + ")");
  return std::string(std::istreambuf_iterator<char>(f), {});
}

// The steps that make a file smaller, gentlest first: photo pages lose quality, then
// resolution; bi-level pages lose resolution last.
struct Step {
  bool photos;  // gray and colour pages (else bi-level)
  double scale;
  int quality;
};
constexpr Step kSteps[] = {
    {true, 1.0, 55}, {true, 0.75, 45}, {true, 0.5, 35}, {false, 2.0 / 3.0, 0}, {false, 0.5, 0},
};

}  // namespace

std::string size_label(int64_t n) {
  if (n >= 1'000'000) return text::format_decimal(static_cast<double>(n) / 1'000'000.0, 1) + " MB";
  return text::format_int((n + 999) / 1000) + " kB";
}

const char* kind_name(PageKind kind) {
  switch (kind) {
    case PageKind::bilevel: return "bilevel";
    case PageKind::gray: return "gray";
    case PageKind::color: return "color";
  }
  return "bilevel";
}

Result<int> probe(const Input& in) {
  init_once();
  CHIDOAN_TRY(pages, input::pages_of(in, 0));
  return static_cast<int>(pages.size());
}

Result<std::string> thumbnail(const Input& in, int side) {
  init_once();
  CHIDOAN_TRY(pages, input::pages_of(in, 0));
  CHIDOAN_TRY(pix, input::decode(in, pages.front()));
  PixPtr p = std::move(pix);
  const int w = pixGetWidth(p.get()), h = pixGetHeight(p.get());
  const double scale = std::min(1.0, static_cast<double>(side) / std::max(w, h));
  // pixScaleToGray only reduces (it refuses a factor of 1): a bi-level page already within
  // `side` is made gray at its own size. A strip (its short side under one pixel once scaled)
  // is refused by pixScaleToGray ("scalefactor too small") and shrunk to one pixel by the smooth
  // scaling: it is made gray and sampled to a line one pixel thick.
  PixPtr small;
  if (std::min(w, h) * scale < 1.0) {
    PixPtr gray = pixGetDepth(p.get()) == 1 ? own(pixConvert1To8(nullptr, p.get(), 255, 0)) : std::move(p);
    const int line_w = std::max(1, static_cast<int>(std::lround(w * scale)));
    const int line_h = std::max(1, static_cast<int>(std::lround(h * scale)));
    if (gray)
      small = own(pixScaleBySampling(gray.get(), static_cast<l_float32>(line_w) / static_cast<l_float32>(w),
                                     static_cast<l_float32>(line_h) / static_cast<l_float32>(h)));
  } else if (pixGetDepth(p.get()) != 1) {
    small = own(pixScale(p.get(), static_cast<l_float32>(scale), static_cast<l_float32>(scale)));
  } else if (scale < 1.0) {
    small = own(pixScaleToGray(p.get(), static_cast<l_float32>(scale)));
  } else {
    small = own(pixConvert1To8(nullptr, p.get(), 255, 0));
  }
  // Decoded, yet no scaler of leptonica takes it (a TIFF of an unusual depth or colormap, found
  // by fuzz_scan_image): the file is refused, like any other file it cannot read.
  if (!small) return fail(ErrorKind::invalid, "Không thu nhỏ được ảnh trong tệp: hãy quét lại thành JPEG, PNG hoặc PDF", "file");
  l_uint8* data = nullptr;
  size_t size = 0;
  if (pixWriteMemJpeg(&data, &size, small.get(), 80, 0) != 0) return fail(ErrorKind::internal, "Không tạo được ảnh thu nhỏ");
  return from_lept(data, size);
}

Result<Output> scan(const std::vector<Input>& inputs, const Options& options, Progress progress) {
  init_once();
  // One document at a time in a process: a server's other requests keep their threads, and the
  // memory of a scan (page images, tesseract models) is counted once.
  static std::binary_semaphore one_at_a_time{1};
  one_at_a_time.acquire();
  struct Release {
    ~Release() { one_at_a_time.release(); }
  } release;
  // Language codes as tesseract names its data files: "vie", "vie+eng", "chi_sim".
  const bool lang_ok = !options.lang.empty() && options.lang.size() <= 64 &&
                       options.lang.find_first_not_of("abcdefghijklmnopqrstuvwxyz_+") == std::string::npos &&
                       options.lang.front() != '+' && options.lang.back() != '+';
  if (!lang_ok) return fail(ErrorKind::invalid, "Mã ngôn ngữ \"" + options.lang + "\" không hợp lệ (ví dụ: vie+eng)", "lang");
  std::vector<input::Source> sources;
  for (size_t i = 0; i < inputs.size(); ++i) {
    CHIDOAN_TRY(pages, input::pages_of(inputs[i], i));
    for (auto& p : pages) sources.push_back(std::move(p));
  }
  if (sources.empty()) return fail(ErrorKind::invalid, "Chưa có trang nào để quét", "pages");

  const size_t n = sources.size();
  size_t jobs = options.jobs > 0 ? static_cast<size_t>(options.jobs) : std::max(1u, std::thread::hardware_concurrency());
  jobs = std::min(jobs, n);

  std::vector<Done> done(n);
  std::atomic<size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::optional<Error> error;
  std::string datapath;
  int finished = 0;

  auto record = [&](Error e) {
    std::lock_guard lock(mutex);
    if (!error) error = std::move(e);
    stop = true;
  };

  auto work = [&] {
    auto reader = ocr::Reader::open(options.tessdata, options.lang);
    if (!reader) return record(reader.error());
    {
      std::lock_guard lock(mutex);
      if (datapath.empty()) datapath = (*reader)->datapath();
    }
    while (!stop) {
      size_t i = next++;
      if (i >= n) break;
      const input::Source& s = sources[i];
      const Input& in = inputs[s.input];
      auto decoded = input::decode(in, s);
      if (!decoded) return record(decoded.error());
      PixPtr pix = std::move(*decoded);
      // A photo (no resolution in the file): keep the sheet, not the desk around it.
      const int stated = s.dpi > 0 ? s.dpi : pixGetXRes(pix.get());
      if (stated < 100 || stated > 1200)
        if (PixPtr sheet = page::crop_to_paper(pix.get())) pix = std::move(sheet);
      const int dpi = page_dpi(s, pix.get(), options);
      page::Orient orient = [&](PIX* bilevel, int d) { return (*reader)->upright_turn(bilevel, d); };
      page::Cleaned c = page::clean(std::move(pix), dpi, s.rotation, s.rotation == 0, orient);

      Done& d = done[i];
      d.report.number = static_cast<int>(i + 1);
      d.report.source = s.name;
      d.report.kind = c.kind;
      d.report.dpi = dpi;
      d.full_dpi = dpi;
      d.report.turned = c.turned;
      d.report.skew = c.skew;
      d.report.blank = c.blank;
      std::vector<ocr::Word> words;
      if (!c.blank) words = (*reader)->read(c.bilevel.get(), dpi);
      d.report.words = static_cast<int>(words.size());
      d.image = c.kind == PageKind::bilevel ? std::move(c.bilevel) : std::move(c.tone);
      auto img = encode(d.image.get(), c.kind, 1.0, kJpegQuality);
      if (!img) return record(Error{ErrorKind::internal, "Không mã hoá được trang " + std::to_string(i + 1), s.name});
      d.page.image = std::move(*img);
      d.page.width = pixGetWidth(d.image.get()) * 72.0 / dpi;
      d.page.height = pixGetHeight(d.image.get()) * 72.0 / dpi;
      d.page.words = place_words(words, dpi);
      d.report.bytes = static_cast<int64_t>(d.page.image.data.size());
      // Kept at full resolution only while a size limit may ask for a smaller encoding.
      if (options.max_bytes <= 0) d.image.reset();
      std::lock_guard lock(mutex);
      ++finished;
      if (progress) progress(finished, static_cast<int>(n));
    }
  };
  // A failure in a worker thread (out of memory on a huge page, say) fails the scan, not the
  // process.
  auto worker = [&] {
    try {
      work();
    } catch (const std::exception& e) {
      record(Error{ErrorKind::unavailable, std::string("Không xử lý được trang: ") + e.what()});
    }
  };
  std::vector<std::thread> threads;
  for (size_t t = 1; t < jobs; ++t) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  if (error) return std::unexpected(*error);

  CHIDOAN_TRY(font, read_file(datapath + "/pdf.ttf"));
  pdf_out::Metadata meta;
  meta.title = options.title;
  meta.created = options.created;

  Output out;
  auto assemble = [&] {
    std::vector<pdf_out::Page> pages;
    pages.reserve(n);
    for (auto& d : done) pages.push_back(d.page);
    return pdf_out::write(pages, meta, font);
  };
  out.pdf = assemble();
  for (const Step& step : kSteps) {
    if (options.max_bytes <= 0 || static_cast<int64_t>(out.pdf.size()) <= options.max_bytes) break;
    for (auto& d : done) {
      bool photo = d.report.kind != PageKind::bilevel;
      if (photo != step.photos) continue;
      auto img = encode(d.image.get(), d.report.kind, step.scale, step.quality);
      if (!img) continue;
      d.page.image = std::move(*img);
      d.report.bytes = static_cast<int64_t>(d.page.image.data.size());
      int new_dpi = static_cast<int>(std::lround(d.full_dpi * step.scale));
      d.report.dpi = new_dpi;
      std::string note = "Trang " + std::to_string(d.report.number) + ": " + (photo ? "ảnh" : "trang chữ") + " còn " +
                         std::to_string(new_dpi) + " dpi";
      if (photo) note += ", chất lượng JPEG " + std::to_string(step.quality);
      note += " (" + size_label(d.report.bytes) + ")";
      // Later steps supersede earlier notes of the same page.
      std::string prefix = "Trang " + std::to_string(d.report.number) + ":";
      std::erase_if(out.notes, [&](const std::string& s) { return s.starts_with(prefix); });
      out.notes.push_back(note);
    }
    out.pdf = assemble();
  }
  if (options.max_bytes > 0 && static_cast<int64_t>(out.pdf.size()) > options.max_bytes)
    return fail(ErrorKind::too_large,
                "Không thể làm tệp PDF nhỏ hơn " + size_label(options.max_bytes) + ": nhỏ nhất là " +
                    size_label(static_cast<int64_t>(out.pdf.size())) + " sau khi đã giảm chất lượng mọi trang",
                "max_bytes");
  std::sort(out.notes.begin(), out.notes.end());
  for (auto& d : done) out.pages.push_back(d.report);
  return out;
}

}  // namespace chidoan::scan
