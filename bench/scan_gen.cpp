// scan_gen — test material and scoring for the dossier digitiser benchmark (bench/scan.sh).
//
//   scan_gen pages --text FILE --out DIR [--pages 5] [--seed 2022] [--font "Noto Serif 12"]
//   scan_gen accuracy REF.txt GOT.txt [--counts]
//
// pages: typesets a known Vietnamese text (NFC; a leading "date YYYY-MM" tag of the shared
// source files is dropped; its paragraphs are used in order and again from the start when they
// run out) on A4 pages at 300 dpi with pango and cairo: margins 2 cm, justified paragraphs with
// a 1 cm first-line indent, 6 pt between paragraphs, no hyphenation; a paragraph that does not
// fit is cut between two lines and goes on at the top of the next page. For page N it writes
//   DIR/page-N.txt   the text typeset on that page (one paragraph or piece a line, NFC);
//   DIR/scan-N.jpg   a degraded flatbed scan: gray, paper tone, rotated ±0.5–4° (white fill),
//                    a soft shadow gradient towards one edge, a dark border band (the scanner
//                    bed) on one or two sides whose inner edge follows the page's tilt, dust
//                    specks, a 3×3 blur, gaussian noise (σ 3.5–5.5), JPEG quality 75 at 300 dpi;
//   DIR/phone-N.jpg  a phone photo: 3000×4000 colour, the page (scaled 0.95–1.03) tinted and
//                    rotated ±0.5–4° on a darker desk with a drop shadow, uneven lighting
//                    (a bright spot, a soft hand shadow over a corner), a colour cast, blur,
//                    noise, JPEG quality 85 at 72 dpi (what phones record);
//   DIR/tilt.tsv     the tilt of each scan and photo in degrees, clockwise positive (leptonica's
//                    pixRotate convention): what a deskew should find, with the opposite sign
//                    for the correction.
// Everything random comes from --seed through std::mt19937_64 and our own conversions to
// uniform and normal numbers, so a seed gives the same files on every machine with the same
// fonts and libraries.
//
// accuracy: character accuracy of GOT against REF, 100 × (1 − Levenshtein(ref, got) / |ref|),
// over Unicode code points after NFC, with every run of whitespace collapsed to one space and
// the ends trimmed. Diacritics count: "đ" against "d" or "ế" against "e" is one edit. Prints the
// percentage with 2 decimals (may be negative when GOT is much longer than REF); --counts adds
// the distance and |ref|, for averages weighted by length.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <numbers>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <allheaders.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const std::string& message) {
  std::cerr << "scan_gen: " << message << "\n";
  std::exit(1);
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("cannot read " + path.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const fs::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
  if (!out) fail("cannot write " + path.string());
}

icu::UnicodeString nfc(const std::string& utf8) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) fail("ICU NFC is unavailable");
  icu::UnicodeString out = n->normalize(icu::UnicodeString::fromUTF8(utf8), status);
  if (U_FAILURE(status)) fail("cannot normalise the text to NFC");
  return out;
}

// ---- randomness: deterministic across standard libraries ----

class Random {
 public:
  explicit Random(uint64_t seed) : engine_(seed) {}
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }  // [0, 1)
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  int below(int n) { return static_cast<int>(uniform() * n); }
  double normal() {  // Box–Muller, both values used
    if (spare_) {
      spare_ = false;
      return next_;
    }
    double u1 = 1.0 - uniform(), u2 = uniform();
    double r = std::sqrt(-2.0 * std::log(u1));
    next_ = r * std::sin(2 * std::numbers::pi * u2);
    spare_ = true;
    return r * std::cos(2 * std::numbers::pi * u2);
  }
  double sign() { return uniform() < 0.5 ? -1.0 : 1.0; }

 private:
  std::mt19937_64 engine_;
  double next_ = 0;
  bool spare_ = false;
};

// ---- leptonica helpers ----

struct PixPtr {
  PIX* p = nullptr;
  PixPtr() = default;
  explicit PixPtr(PIX* pix) : p(pix) {
    if (!p) fail("leptonica could not make an image");
  }
  PixPtr(const PixPtr&) = delete;
  PixPtr& operator=(const PixPtr&) = delete;
  PixPtr(PixPtr&& o) noexcept : p(o.p) { o.p = nullptr; }
  PixPtr& operator=(PixPtr&& o) noexcept {
    std::swap(p, o.p);
    return *this;
  }
  ~PixPtr() {
    if (p) pixDestroy(&p);
  }
  int w() const { return pixGetWidth(p); }
  int h() const { return pixGetHeight(p); }
  l_uint32* row(int y) const { return pixGetData(p) + static_cast<size_t>(y) * pixGetWpl(p); }
};

uint8_t clamp8(double v) { return static_cast<uint8_t>(std::clamp(std::lround(v), 0L, 255L)); }

l_uint32 rgb(double r, double g, double b) {
  return (static_cast<l_uint32>(clamp8(r)) << L_RED_SHIFT) | (static_cast<l_uint32>(clamp8(g)) << L_GREEN_SHIFT) |
         (static_cast<l_uint32>(clamp8(b)) << L_BLUE_SHIFT);
}
int red(l_uint32 p) { return (p >> L_RED_SHIFT) & 0xff; }
int green(l_uint32 p) { return (p >> L_GREEN_SHIFT) & 0xff; }
int blue(l_uint32 p) { return (p >> L_BLUE_SHIFT) & 0xff; }

void write_jpeg(const PixPtr& pix, const fs::path& path, int quality, int dpi) {
  pixSetResolution(pix.p, dpi, dpi);
  if (pixWriteJpeg(path.string().c_str(), pix.p, quality, 0) != 0) fail("cannot write " + path.string());
}

// ---- typesetting ----

constexpr int kDpi = 300;
constexpr int kPageW = 2480, kPageH = 3508;  // A4 at 300 dpi
int mm(double v) { return static_cast<int>(std::lround(v / 25.4 * kDpi)); }
int pt(double v) { return static_cast<int>(std::lround(v / 72.0 * kDpi)); }

std::vector<std::string> paragraphs_of(const std::string& raw) {
  std::string text;
  nfc(raw).toUTF8String(text);
  text = std::regex_replace(text, std::regex(R"(^\s*date\s+\d{4}-\d{2}\s+)"), "");
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line, current;
  auto flush = [&] {
    if (!current.empty()) out.push_back(current);
    current.clear();
  };
  while (std::getline(in, line)) {
    auto b = line.find_first_not_of(" \t\r");
    if (b == std::string::npos) {
      flush();
      continue;
    }
    line = line.substr(b, line.find_last_not_of(" \t\r") - b + 1);
    current += (current.empty() ? "" : " ") + line;
  }
  flush();
  if (out.empty()) fail("the text has no paragraphs");
  return out;
}

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

struct Typeset {
  PixPtr page;       // 8 bpp, white paper, black ink
  std::string text;  // what is on it
};

// Typesets pages one after the other from a cycling stream of paragraphs.
class Typesetter {
 public:
  Typesetter(std::vector<std::string> paragraphs, const std::string& font)
      : paragraphs_(std::move(paragraphs)), font_(pango_font_description_from_string(font.c_str())) {}
  ~Typesetter() { pango_font_description_free(font_); }
  Typesetter(const Typesetter&) = delete;
  Typesetter& operator=(const Typesetter&) = delete;

  Typeset next_page() {
    cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, kPageW, kPageH);
    cairo_t* cr = cairo_create(surface);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);

    PangoContext* context = pango_cairo_create_context(cr);
    pango_cairo_context_set_resolution(context, kDpi);
    cairo_font_options_t* options = cairo_font_options_create();
    cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY);
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    pango_cairo_context_set_font_options(context, options);
    cairo_font_options_destroy(options);

    const int margin = mm(20), width = kPageW - 2 * margin, bottom = kPageH - margin;
    const int gap = pt(6), indent = mm(10);
    std::string text;
    int y = margin;
    while (true) {
      PangoLayout* layout = pango_layout_new(context);
      pango_layout_set_font_description(layout, font_);
      pango_layout_set_width(layout, width * PANGO_SCALE);
      pango_layout_set_wrap(layout, PANGO_WRAP_WORD);
      pango_layout_set_justify(layout, TRUE);
      pango_layout_set_indent(layout, continuation_ ? 0 : indent * PANGO_SCALE);
      PangoAttrList* attrs = pango_attr_list_new();
      pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(FALSE));
      pango_layout_set_attributes(layout, attrs);
      pango_attr_list_unref(attrs);
      const std::string& para = current();
      pango_layout_set_text(layout, para.c_str(), static_cast<int>(para.size()));

      // How many lines fit above the bottom margin.
      int lines = pango_layout_get_line_count(layout), fit = 0, fit_bottom = 0;
      PangoLayoutIter* it = pango_layout_get_iter(layout);
      do {
        int y0 = 0, y1 = 0;
        pango_layout_iter_get_line_yrange(it, &y0, &y1);
        if (y + y1 / PANGO_SCALE > bottom) break;
        ++fit;
        fit_bottom = y1 / PANGO_SCALE;
      } while (pango_layout_iter_next_line(it));
      pango_layout_iter_free(it);

      bool done = false;
      if (fit == lines) {
        cairo_move_to(cr, margin, y);
        pango_cairo_show_layout(cr, layout);
        append(text, para);
        int h = 0;
        pango_layout_get_pixel_size(layout, nullptr, &h);
        y += h + gap;
        advance();
      } else {
        if (fit >= 2 || (fit >= 1 && y == margin)) {  // cut between lines; never a lone first line
          cairo_save(cr);
          cairo_rectangle(cr, 0, y, kPageW, fit_bottom);
          cairo_clip(cr);
          cairo_move_to(cr, margin, y);
          pango_cairo_show_layout(cr, layout);
          cairo_restore(cr);
          int cut = pango_layout_get_line_readonly(layout, fit)->start_index;
          append(text, para.substr(0, cut));
          rest_ = trim(para.substr(cut));
          continuation_ = true;
        }
        done = true;
      }
      g_object_unref(layout);
      if (done) break;
    }
    g_object_unref(context);
    cairo_destroy(cr);
    cairo_surface_flush(surface);

    PixPtr pix(pixCreate(kPageW, kPageH, 8));
    const unsigned char* data = cairo_image_surface_get_data(surface);
    const int stride = cairo_image_surface_get_stride(surface);
    for (int yy = 0; yy < kPageH; ++yy) {
      const auto* src = reinterpret_cast<const uint32_t*>(data + static_cast<size_t>(yy) * stride);
      l_uint32* dst = pix.row(yy);
      for (int x = 0; x < kPageW; ++x) SET_DATA_BYTE(dst, x, (src[x] >> 8) & 0xff);  // green
    }
    cairo_surface_destroy(surface);
    return {std::move(pix), text};
  }

 private:
  const std::string& current() { return continuation_ ? rest_ : paragraphs_[index_ % paragraphs_.size()]; }
  void advance() {
    continuation_ = false;
    ++index_;
  }
  static void append(std::string& text, const std::string& piece) {
    std::string t = trim(piece);
    if (t.empty()) return;
    text += t;
    text += '\n';
  }

  std::vector<std::string> paragraphs_;
  PangoFontDescription* font_;
  size_t index_ = 0;
  bool continuation_ = false;
  std::string rest_;
};

// ---- degradation: the flatbed scan ----

PixPtr make_scan(const PixPtr& page, Random& rnd, double& degrees) {
  const int w = page.w(), h = page.h();
  // Paper and ink tones.
  const double paper = rnd.uniform(238, 248), ink = rnd.uniform(18, 40);
  PixPtr toned(pixCreate(w, h, 8));
  for (int y = 0; y < h; ++y) {
    l_uint32 *s = page.row(y), *d = toned.row(y);
    for (int x = 0; x < w; ++x) SET_DATA_BYTE(d, x, clamp8(ink + GET_DATA_BYTE(s, x) / 255.0 * (paper - ink)));
  }
  // Tilt on the bed.
  degrees = rnd.sign() * rnd.uniform(0.5, 4.0);
  const double angle = degrees * std::numbers::pi / 180;
  PixPtr pix(pixRotate(toned.p, static_cast<l_float32>(angle), L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0));

  // A soft shadow gradient towards one edge (a lid that does not close, a bound spine).
  const int shadow_side = rnd.below(4);
  const double shadow_depth = rnd.uniform(0.18, 0.35), shadow_len = rnd.uniform(150, 350);
  // The dark band of the scanner bed on one or two sides, its inner edge following the tilt.
  struct Band {
    int side;
    double width;
    double tone;
  };
  std::vector<Band> bands;
  const int first = rnd.below(4);
  bands.push_back({first, rnd.uniform(35, 110), rnd.uniform(25, 60)});
  if (rnd.uniform() < 0.5) bands.push_back({(first + 1 + 2 * rnd.below(2)) % 4, rnd.uniform(25, 80), rnd.uniform(25, 60)});
  const double slope = std::tan(angle);

  auto distance = [&](int side, int x, int y) -> double {  // 0 left, 1 top, 2 right, 3 bottom
    switch (side) {
      case 0: return x;
      case 1: return y;
      case 2: return w - 1 - x;
      default: return h - 1 - y;
    }
  };
  auto along = [&](int side, int x, int y) -> double {  // position along the edge, from its middle
    return (side == 0 || side == 2) ? y - h / 2.0 : x - w / 2.0;
  };
  for (int y = 0; y < h; ++y) {
    l_uint32* d = pix.row(y);
    for (int x = 0; x < w; ++x) {
      double v = GET_DATA_BYTE(d, x);
      v *= 1.0 - shadow_depth * std::exp(-distance(shadow_side, x, y) / shadow_len);
      for (const Band& b : bands) {
        double edge = std::max(8.0, b.width + along(b.side, x, y) * slope * ((b.side & 1) ? 1 : -1));
        double t = std::clamp((distance(b.side, x, y) - edge) / 10.0 + 0.5, 0.0, 1.0);  // 10 px soft edge
        v = b.tone + t * (v - b.tone);
      }
      SET_DATA_BYTE(d, x, clamp8(v));
    }
  }
  // Dust: a few small dark specks.
  const int specks = 40 + rnd.below(80);
  for (int i = 0; i < specks; ++i) {
    int cx = rnd.below(w), cy = rnd.below(h);
    double r = rnd.uniform(0.8, 2.6);
    for (int y = std::max(0, cy - 3); y <= std::min(h - 1, cy + 3); ++y)
      for (int x = std::max(0, cx - 3); x <= std::min(w - 1, cx + 3); ++x)
        if (std::hypot(x - cx, y - cy) <= r) SET_DATA_BYTE(pix.row(y), x, clamp8(rnd.uniform(30, 90)));
  }
  // Optics, then sensor noise.
  PixPtr blurred(pixBlockconv(pix.p, 1, 1));
  const double sigma = rnd.uniform(3.5, 5.5);
  for (int y = 0; y < h; ++y) {
    l_uint32* d = blurred.row(y);
    for (int x = 0; x < w; ++x) SET_DATA_BYTE(d, x, clamp8(GET_DATA_BYTE(d, x) + sigma * rnd.normal()));
  }
  return blurred;
}

// ---- degradation: the phone photo ----

// A smooth random field in [0, 1]: a coarse grid of random values scaled up.
PixPtr smooth_field(int w, int h, int cells_x, int cells_y, Random& rnd) {
  PixPtr grid(pixCreate(cells_x, cells_y, 8));
  for (int y = 0; y < cells_y; ++y)
    for (int x = 0; x < cells_x; ++x) SET_DATA_BYTE(grid.row(y), x, rnd.below(256));
  PixPtr big(pixScaleToSize(grid.p, w, h));
  return PixPtr(pixBlockconv(big.p, w / cells_x / 2, h / cells_y / 2));
}

PixPtr make_phone(const PixPtr& page, Random& rnd, double& degrees) {
  constexpr int W = 3000, H = 4000;
  // The page, slightly scaled, tinted paper and ink.
  const double scale = rnd.uniform(0.95, 1.03);
  PixPtr scaled(pixScale(page.p, static_cast<l_float32>(scale), static_cast<l_float32>(scale)));
  const int pw = scaled.w(), ph = scaled.h();
  const double pr = rnd.uniform(232, 245), pg = pr - rnd.uniform(2, 8), pb = pg - rnd.uniform(4, 16);
  const double ir = rnd.uniform(25, 45), ig = ir, ib = ir + rnd.uniform(0, 15);

  PixPtr canvas(pixCreate(W, H, 32)), mask(pixCreate(W, H, 8));
  const int ox = (W - pw) / 2 + static_cast<int>(rnd.uniform(-60, 60));
  const int oy = (H - ph) / 2 + static_cast<int>(rnd.uniform(-50, 50));
  for (int y = 0; y < ph; ++y) {
    int cy = oy + y;
    if (cy < 0 || cy >= H) continue;
    l_uint32 *s = scaled.row(y), *c = canvas.row(cy), *m = mask.row(cy);
    for (int x = 0; x < pw; ++x) {
      int cx = ox + x;
      if (cx < 0 || cx >= W) continue;
      double t = GET_DATA_BYTE(s, x) / 255.0;
      c[cx] = rgb(ir + t * (pr - ir), ig + t * (pg - ig), ib + t * (pb - ib));
      SET_DATA_BYTE(m, cx, 255);
    }
  }
  degrees = rnd.sign() * rnd.uniform(0.5, 4.0);
  const double angle = degrees * std::numbers::pi / 180;
  PixPtr paper(pixRotate(canvas.p, static_cast<l_float32>(angle), L_ROTATE_AREA_MAP, L_BRING_IN_BLACK, 0, 0));
  PixPtr coverage(pixRotate(mask.p, static_cast<l_float32>(angle), L_ROTATE_AREA_MAP, L_BRING_IN_BLACK, 0, 0));

  // The desk: a darker wood or gray tone with a smooth texture; the page's drop shadow on it.
  const bool wood = rnd.uniform() < 0.6;
  const double dr = wood ? rnd.uniform(95, 125) : rnd.uniform(70, 95);
  const double dg = wood ? dr * 0.72 : dr * 0.98, db = wood ? dr * 0.5 : dr * 1.02;
  PixPtr texture = smooth_field(W, H, 6, 40, rnd);  // streaks along the grain
  PixPtr shifted(pixCreate(W, H, 8));
  const int sx = static_cast<int>(rnd.uniform(15, 40)), sy = static_cast<int>(rnd.uniform(20, 50));
  pixRasterop(shifted.p, sx, sy, W, H, PIX_SRC, coverage.p, 0, 0);
  PixPtr shadow(pixBlockconv(shifted.p, 30, 30));

  // Lighting: a bright spot somewhere, falling off; a soft hand shadow over one corner; a cast.
  const double lx = rnd.uniform(0.1, 0.9) * W, ly = rnd.uniform(0.1, 0.9) * H;
  const double falloff = rnd.uniform(0.25, 0.4), reach = std::hypot(W, H);
  const int corner = rnd.below(4);
  const double hx = (corner & 1) ? W : 0, hy = (corner & 2) ? H : 0;
  const double hand_r = rnd.uniform(900, 1500), hand_depth = rnd.uniform(0.2, 0.35), hand_soft = 350;
  const bool warm = rnd.uniform() < 0.5;
  const double cr = warm ? 1.0 : rnd.uniform(0.88, 0.94), cg = rnd.uniform(0.95, 0.99);
  const double cb = warm ? rnd.uniform(0.82, 0.9) : 1.0;

  PixPtr photo(pixCreate(W, H, 32));
  for (int y = 0; y < H; ++y) {
    l_uint32 *p = paper.row(y), *out = photo.row(y), *m = coverage.row(y), *sh = shadow.row(y), *tx = texture.row(y);
    for (int x = 0; x < W; ++x) {
      double a = GET_DATA_BYTE(m, x) / 255.0;
      double shade = 1.0 - 0.55 * GET_DATA_BYTE(sh, x) / 255.0 * (1.0 - a);
      double grain = 0.85 + 0.3 * GET_DATA_BYTE(tx, x) / 255.0;
      double br = dr * grain * shade, bg = dg * grain * shade, bb = db * grain * shade;
      double r = br + a * (red(p[x]) - br), g = bg + a * (green(p[x]) - bg), b = bb + a * (blue(p[x]) - bb);
      double light = 1.0 - falloff * std::hypot(x - lx, y - ly) / reach;
      double hd = std::hypot(x - hx, y - hy);
      light *= 1.0 - hand_depth * std::clamp((hand_r - hd) / hand_soft + 0.5, 0.0, 1.0);
      out[x] = rgb(r * light * cr, g * light * cg, b * light * cb);
    }
  }
  PixPtr blurred(pixBlockconv(photo.p, 1, 1));
  const double sigma = rnd.uniform(3, 5);
  for (int y = 0; y < H; ++y) {
    l_uint32* d = blurred.row(y);
    for (int x = 0; x < W; ++x)
      d[x] = rgb(red(d[x]) + sigma * rnd.normal(), green(d[x]) + sigma * rnd.normal(), blue(d[x]) + sigma * rnd.normal());
  }
  return blurred;
}

int run_pages(const std::string& text_file, const fs::path& out, int pages, uint64_t seed, const std::string& font) {
  fs::create_directories(out);
  Typesetter setter(paragraphs_of(read_file(text_file)), font);
  Random rnd(seed);
  std::string tilts = "page\tscan\tphone\n";
  for (int n = 1; n <= pages; ++n) {
    Typeset page = setter.next_page();
    write_file(out / ("page-" + std::to_string(n) + ".txt"), page.text);
    Random scan_rnd(static_cast<uint64_t>(rnd.uniform() * 0x1.0p53));
    Random phone_rnd(static_cast<uint64_t>(rnd.uniform() * 0x1.0p53));
    double scan_tilt = 0, phone_tilt = 0;
    write_jpeg(make_scan(page.page, scan_rnd, scan_tilt), out / ("scan-" + std::to_string(n) + ".jpg"), 75, kDpi);
    write_jpeg(make_phone(page.page, phone_rnd, phone_tilt), out / ("phone-" + std::to_string(n) + ".jpg"), 85, 72);
    char line[128];
    std::snprintf(line, sizeof line, "%d\t%+.2f\t%+.2f\n", n, scan_tilt, phone_tilt);
    tilts += line;
    std::snprintf(line, sizeof line, "page %d: %d characters, scan tilted %+.2f°, phone photo %+.2f°\n", n,
                  icu::UnicodeString::fromUTF8(page.text).countChar32(), scan_tilt, phone_tilt);
    std::cout << line;
  }
  write_file(out / "tilt.tsv", tilts);
  return 0;
}

// ---- accuracy ----

std::vector<UChar32> code_points(const std::string& utf8) {
  icu::UnicodeString s = nfc(utf8);
  std::vector<UChar32> out;
  out.reserve(static_cast<size_t>(s.length()));
  bool space = false;
  for (int32_t i = 0; i < s.length();) {
    UChar32 c = s.char32At(i);
    i += U16_LENGTH(c);
    if (u_isUWhiteSpace(c)) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(U' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

size_t levenshtein(const std::vector<UChar32>& a, const std::vector<UChar32>& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

int run_accuracy(const std::string& ref_file, const std::string& got_file, bool counts) {
  std::vector<UChar32> ref = code_points(read_file(ref_file)), got = code_points(read_file(got_file));
  if (ref.empty()) fail(ref_file + " has no text");
  size_t distance = levenshtein(ref, got);
  double accuracy = 100.0 * (1.0 - static_cast<double>(distance) / static_cast<double>(ref.size()));
  std::printf("%.2f", accuracy);
  if (counts) std::printf(" %zu %zu", distance, ref.size());
  std::printf("\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Test pages and scoring for the dossier digitiser benchmark (bench/scan.sh)"};
  app.require_subcommand(1);

  std::string text_file = CHIDOAN_SOURCE_DIR "/../shared/source/article-2022-02-lam-dong.txt", out_dir;
  std::string font = "Noto Serif 12";
  int pages = 5;
  uint64_t seed = 2022;
  auto* pages_cmd = app.add_subcommand("pages", "typeset pages and write their scans and phone photos");
  pages_cmd->add_option("--text", text_file, "the known text (UTF-8, paragraphs separated by blank lines)")
      ->check(CLI::ExistingFile)
      ->capture_default_str();
  pages_cmd->add_option("--out", out_dir, "output folder")->required();
  pages_cmd->add_option("--pages", pages, "number of pages")->check(CLI::Range(1, 200))->capture_default_str();
  pages_cmd->add_option("--seed", seed, "seed of the degradations")->capture_default_str();
  pages_cmd->add_option("--font", font, "pango font description")->capture_default_str();

  std::string ref_file, got_file;
  bool counts = false;
  auto* acc_cmd = app.add_subcommand("accuracy", "character accuracy of GOT against REF, in percent");
  acc_cmd->add_option("REF", ref_file, "the reference text")->required()->check(CLI::ExistingFile);
  acc_cmd->add_option("GOT", got_file, "the recognised text")->required()->check(CLI::ExistingFile);
  acc_cmd->add_flag("--counts", counts, "also print the edit distance and the reference length");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  setMsgSeverity(L_SEVERITY_ERROR);
  if (*pages_cmd) return run_pages(text_file, out_dir, pages, seed, font);
  return run_accuracy(ref_file, got_file, counts);
}
