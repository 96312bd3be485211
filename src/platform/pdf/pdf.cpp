#include "platform/pdf/pdf.hpp"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>

#include "platform/text/text.hpp"

// fontconfig keeps its configuration and font caches for the life of the process (only FcFini
// frees them, which is unsafe while pango is in use), so LeakSanitizer (scripts/test runs the
// ASan build with detect_leaks=1) would fail every binary that renders a PDF. The suppression
// lives here, with the code that causes it. Weak: a binary with its own list keeps its own
// (and must then add this line to it).
extern "C" __attribute__((weak)) const char* __lsan_default_suppressions() {
  return "leak:libfontconfig.so\n";
}

namespace chidoan::pdf {
namespace {

using LayoutPtr = std::shared_ptr<PangoLayout>;

// One line of a laid-out text, in the layout's own coordinates (points).
struct LineBox {
  double top = 0;       // logical top
  double baseline = 0;
  double x = 0;         // left edge, alignment included
};

// A text shaped and broken into lines. Lines i..j-1 occupy [lines[i].top, end(j-1)).
struct Laid {
  LayoutPtr layout;
  std::vector<LineBox> lines;
  double height = 0;
  double width = 0;     // logical width of the widest line
  Color color{};

  double end(size_t i) const { return i + 1 < lines.size() ? lines[i + 1].top : height; }
  double span(size_t from, size_t to) const { return end(to - 1) - lines[from].top; }

  // Lines from..to-1 with the top of line `from` at (x, y).
  void draw(cairo_t* cr, double x, double y, size_t from, size_t to) const {
    cairo_set_source_rgb(cr, color.r, color.g, color.b);
    for (size_t i = from; i < to; ++i) {
      PangoLayoutLine* line = pango_layout_get_line_readonly(layout.get(), static_cast<int>(i));
      cairo_move_to(cr, x + lines[i].x, y + lines[i].baseline - lines[from].top);
      pango_cairo_show_layout_line(cr, line);
    }
  }
  void draw(cairo_t* cr, double x, double y) const { draw(cr, x, y, 0, lines.size()); }
};

// Unhinted metrics and unrounded glyph positions: a PDF is scaled by its viewer, so the layout
// must not depend on a device grid (and then it is the same whatever surface draws it).
void configure_context(PangoContext* ctx) {
  pango_cairo_context_set_resolution(ctx, 72.0);  // 1 pt == 1 user unit
  cairo_font_options_t* fo = cairo_font_options_create();
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options(ctx, fo);
  cairo_font_options_destroy(fo);
  pango_context_set_round_glyph_positions(ctx, FALSE);
  pango_context_set_language(ctx, pango_language_from_string("vi"));
}

std::string to_upper_vi(const std::string& s) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(s);
  u.toUpper(icu::Locale("vi"));
  std::string out;
  u.toUTF8String(out);
  return out;
}

// NFC (keeping line breaks), then the style's case. Errors name no field: the caller's input
// is a whole document.
Result<std::string> prepare(std::string_view raw, const Style& style) {
  auto normalized = text::normalize(raw, false);
  if (!normalized) return normalized;
  if (style.uppercase) return to_upper_vi(*normalized);
  return normalized;
}

Laid lay(PangoContext* ctx, const std::string& text, const Style& style, double width) {
  PangoLayout* layout = pango_layout_new(ctx);
  Laid laid{LayoutPtr(layout, g_object_unref), {}, 0, 0, style.color};

  PangoFontDescription* font = pango_font_description_new();
  pango_font_description_set_family(font, style.family.c_str());
  pango_font_description_set_weight(font, style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_style(font, style.italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
  pango_font_description_set_size(font, static_cast<int>(std::lround(style.size * PANGO_SCALE)));
  pango_layout_set_font_description(layout, font);
  pango_font_description_free(font);

  if (width > 0) {
    pango_layout_set_width(layout, pango_units_from_double(width));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
  }
  switch (style.align) {
    case Align::left: pango_layout_set_alignment(layout, PANGO_ALIGN_LEFT); break;
    case Align::center: pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER); break;
    case Align::right: pango_layout_set_alignment(layout, PANGO_ALIGN_RIGHT); break;
    case Align::justify:
      pango_layout_set_alignment(layout, PANGO_ALIGN_LEFT);
      pango_layout_set_justify(layout, TRUE);
      break;
  }
  if (style.line_spacing > 0) pango_layout_set_line_spacing(layout, static_cast<float>(style.line_spacing));
  if (style.underline) {
    PangoAttrList* attrs = pango_attr_list_new();
    pango_attr_list_insert(attrs, pango_attr_underline_new(PANGO_UNDERLINE_SINGLE));
    pango_layout_set_attributes(layout, attrs);
    pango_attr_list_unref(attrs);
  }
  pango_layout_set_text(layout, text.data(), static_cast<int>(text.size()));

  PangoLayoutIter* iter = pango_layout_get_iter(layout);
  do {
    PangoRectangle logical;
    pango_layout_iter_get_line_extents(iter, nullptr, &logical);
    laid.lines.push_back({pango_units_to_double(logical.y),
                          pango_units_to_double(pango_layout_iter_get_baseline(iter)),
                          pango_units_to_double(logical.x)});
  } while (pango_layout_iter_next_line(iter));
  pango_layout_iter_free(iter);

  PangoRectangle extents;
  pango_layout_get_extents(layout, nullptr, &extents);
  laid.height = pango_units_to_double(extents.y + extents.height);
  laid.width = pango_units_to_double(extents.width);
  return laid;
}

cairo_status_t append_to_string(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

constexpr double kEpsilon = 0.01;

}  // namespace

Margins Margins::for_page(const PageSize& size) {
  if (std::min(size.width, size.height) < mm(180)) return {mm(15), mm(12), mm(15), mm(18)};
  return {};
}

double draw_text(cairo_t* cr, std::string_view raw, const Style& style, double x, double y,
                 double width) {
  auto prepared = prepare(raw, style);
  if (!prepared) return 0;
  PangoContext* ctx = pango_cairo_create_context(cr);
  configure_context(ctx);
  const Laid laid = lay(ctx, *prepared, style, width);
  g_object_unref(ctx);
  cairo_save(cr);
  laid.draw(cr, x, y);
  cairo_restore(cr);
  return laid.height;
}

struct Document::Impl {
  using Op = std::function<void(cairo_t*)>;

  Options options;
  PangoContext* ctx = nullptr;
  std::vector<std::vector<Op>> pages;
  double y = 0;                      // the cursor, from the top of the page
  std::optional<Error> error;
  bool finished = false;

  explicit Impl(Options o) : options(std::move(o)) {
    ctx = pango_font_map_create_context(pango_cairo_font_map_get_default());
    configure_context(ctx);
    new_page();
  }
  ~Impl() {
    pages.clear();                   // the layouts go before their context
    if (ctx != nullptr) g_object_unref(ctx);
  }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  double left() const { return options.margins.left; }
  double top() const { return options.margins.top; }
  double bottom() const { return options.size.height - options.margins.bottom; }
  double text_width() const {
    return options.size.width - options.margins.left - options.margins.right;
  }
  double remaining() const { return bottom() - y; }
  double body_height() const { return bottom() - top(); }
  bool at_top() const { return y <= top() + kEpsilon; }

  void new_page() {
    pages.emplace_back();
    y = top();
  }
  void add(Op op) { pages.back().push_back(std::move(op)); }

  // NFC and case; remembers the first error and gives "" for it.
  std::string text_of(std::string_view raw, const Style& style) {
    auto prepared = prepare(raw, style);
    if (!prepared) {
      if (!error) error = prepared.error();
      return {};
    }
    return std::move(*prepared);
  }
  Laid lay_text(std::string_view raw, const Style& style, double width) {
    return lay(ctx, text_of(raw, style), style, width);
  }

  void space_before(double points) {
    if (at_top() || points <= 0) return;
    if (points >= remaining()) new_page();
    else y += points;
  }
  void space_after(double points) { y = std::min(y + points, bottom()); }

  // Makes room for a block that is kept whole: a new page unless it fits or nothing would gain.
  void keep(double height) {
    if (height > remaining() + kEpsilon && !at_top()) new_page();
  }

  // Flowing text: broken between lines across pages, no lone first or last line when avoidable.
  // `reserve`: room wanted below the text on the same page (keeps a heading with what follows).
  void flow(const Laid& laid, double x, double reserve) {
    const size_t n = laid.lines.size();
    if (reserve > 0 && laid.height + reserve > remaining() && !at_top() &&
        laid.height + reserve <= body_height())
      new_page();
    auto shared = std::make_shared<Laid>(laid);
    size_t i = 0;
    while (i < n) {
      size_t k = i;
      while (k < n && laid.span(i, k + 1) <= remaining() + kEpsilon) ++k;
      if (k == i) {
        if (!at_top()) {
          new_page();
          continue;
        }
        k = i + 1;  // a line taller than a page: place it and let the page clip it
      }
      if (i == 0 && k == 1 && n > 1 && !at_top()) {  // orphan
        new_page();
        continue;
      }
      if (k < n && n - k == 1 && k - i >= 3) --k;     // widow
      const double at = y;
      add([shared, x, at, i, k](cairo_t* cr) { shared->draw(cr, x, at, i, k); });
      y += laid.span(i, k);
      i = k;
      if (i < n) new_page();
    }
  }

  void text_block(std::string_view raw, const Style& style, double reserve) {
    const Laid laid = lay_text(raw, style, text_width());
    space_before(style.space_before);
    flow(laid, left(), reserve);
    space_after(style.space_after);
  }

  struct Row {
    std::vector<Laid> cells;
    double height = 0;
  };

  void paint_row(const Table& t, const std::vector<double>& xs, const std::vector<double>& ws,
                 std::shared_ptr<const Row> row, std::optional<Color> fill) {
    const double at = y;
    const double pad = t.padding;
    const Color grid = t.grid;
    const double grid_width = t.grid_width;
    add([row, xs, ws, at, pad, fill, grid, grid_width](cairo_t* cr) {
      for (size_t c = 0; c < row->cells.size(); ++c) {
        if (fill) {
          cairo_set_source_rgb(cr, fill->r, fill->g, fill->b);
          cairo_rectangle(cr, xs[c], at, ws[c], row->height);
          cairo_fill(cr);
        }
        row->cells[c].draw(cr, xs[c] + pad, at + pad);
      }
      if (grid_width > 0) {
        cairo_set_source_rgb(cr, grid.r, grid.g, grid.b);
        cairo_set_line_width(cr, grid_width);
        for (size_t c = 0; c < row->cells.size(); ++c)
          cairo_rectangle(cr, xs[c], at, ws[c], row->height);
        cairo_stroke(cr);
      }
    });
    y += row->height;
  }

  void table(const Table& t) {
    const size_t ncol = t.columns.size();
    if (ncol == 0) return;
    double total = 0;
    for (const auto& c : t.columns) total += std::max(c.width, 0.0);
    const bool equal = total <= 0;  // no usable weights: equal columns
    if (equal) total = static_cast<double>(ncol);
    std::vector<double> xs, ws;
    double x = left();
    for (const auto& c : t.columns) {
      const double w = text_width() * (equal ? 1.0 : std::max(c.width, 0.0)) / total;
      xs.push_back(x);
      ws.push_back(w);
      x += w;
    }
    const auto make_row = [&](const std::vector<std::string>& cells, const Style& base,
                              bool header, bool bold) {
      auto row = std::make_shared<Row>();
      for (size_t c = 0; c < ncol; ++c) {
        Style s = base;
        if (!header) s.align = t.columns[c].align;
        if (bold) s.bold = true;
        const std::string_view raw = c < cells.size() ? std::string_view(cells[c]) : "";
        row->cells.push_back(lay_text(raw, s, std::max(ws[c] - 2 * t.padding, 1.0)));
        row->height = std::max(row->height, row->cells.back().height + 2 * t.padding);
      }
      return std::shared_ptr<const Row>(std::move(row));
    };
    std::vector<std::string> titles;
    for (const auto& c : t.columns) titles.push_back(c.title);
    const auto header = make_row(titles, t.header, true, false);

    std::vector<std::shared_ptr<const Row>> body;
    for (const auto& r : t.rows) body.push_back(make_row(r, t.cell, false, false));
    for (const auto& r : t.footer) body.push_back(make_row(r, t.cell, false, true));

    space_before(t.space_before);
    keep(header->height + (body.empty() ? 0 : body.front()->height));
    paint_row(t, xs, ws, header, t.header_fill);
    for (size_t i = 0; i < body.size(); ++i) {
      if (body[i]->height > remaining() + kEpsilon) {
        new_page();
        if (t.repeat_header) paint_row(t, xs, ws, header, t.header_fill);
      }
      const bool striped = t.zebra && i < t.rows.size() && i % 2 == 1;
      paint_row(t, xs, ws, body[i], striped ? std::optional<Color>(t.zebra_fill) : std::nullopt);
    }
    space_after(t.space_after);
  }
};

Document::Document(PageSize size)
    : Document(Options{.size = size, .margins = Margins::for_page(size)}) {}
Document::Document(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Document::Document(Document&&) noexcept = default;
Document& Document::operator=(Document&&) noexcept = default;
Document::~Document() = default;

void Document::set_metadata(Metadata metadata) { impl_->options.metadata = std::move(metadata); }
const Options& Document::options() const { return impl_->options; }
double Document::text_width() const { return impl_->text_width(); }
double Document::remaining() const { return impl_->remaining(); }
int Document::page_count() const { return static_cast<int>(impl_->pages.size()); }

void Document::heading(std::string_view text, int level) {
  Style s;
  s.bold = true;
  if (level <= 1) {
    s.size = 15;
    s.align = Align::center;
    s.space_before = 6;
    s.space_after = 8;
  } else if (level == 2) {
    s.size = 12.5;
    s.space_before = 8;
    s.space_after = 4;
  } else {
    s.size = 11;
    s.italic = true;
    s.space_before = 6;
    s.space_after = 3;
  }
  heading(text, s);
}

void Document::heading(std::string_view text, const Style& style) {
  // Room for about three lines of body text under the heading.
  impl_->text_block(text, style, 3 * 1.4 * impl_->options.body.size + style.space_after);
}

void Document::paragraph(std::string_view text) { paragraph(text, impl_->options.body); }
void Document::paragraph(std::string_view text, const Style& style) {
  impl_->text_block(text, style, 0);
}

void Document::rule(const Rule& r) {
  Impl& d = *impl_;
  d.space_before(r.space_before);
  d.keep(r.thickness);
  const double w = d.text_width() * std::clamp(r.width, 0.0, 1.0);
  const double x = d.left() + (d.text_width() - w) / 2;
  const double at = d.y + r.thickness / 2;
  d.add([r, x, w, at](cairo_t* cr) {
    cairo_set_source_rgb(cr, r.color.r, r.color.g, r.color.b);
    cairo_set_line_width(cr, r.thickness);
    cairo_move_to(cr, x, at);
    cairo_line_to(cr, x + w, at);
    cairo_stroke(cr);
  });
  d.y += r.thickness;
  d.space_after(r.space_after);
}

void Document::spacer(double points) {
  Impl& d = *impl_;
  if (points <= 0) return;
  if (points >= d.remaining()) d.new_page();
  else d.y += points;
}

void Document::key_value(std::string_view key, std::string_view value, const KeyValueStyle& st) {
  Impl& d = *impl_;
  const double key_width = std::min(st.key_width, d.text_width() / 2);
  auto k = std::make_shared<const Laid>(d.lay_text(key, st.key, key_width));
  auto v = std::make_shared<const Laid>(d.lay_text(value, st.value, d.text_width() - key_width));
  d.space_before(std::max(st.key.space_before, st.value.space_before));
  d.keep(std::max(k->height, v->height));
  const double x = d.left(), at = d.y;
  // Both first lines share a baseline even when the key and value sizes differ.
  const double kb = k->lines.front().baseline, vb = v->lines.front().baseline;
  const double base = std::max(kb, vb);
  d.add([k, v, x, at, key_width, base, kb, vb](cairo_t* cr) {
    k->draw(cr, x, at + base - kb);
    v->draw(cr, x + key_width, at + base - vb);
  });
  d.y += std::max(k->height + base - kb, v->height + base - vb);
  d.space_after(st.space_after);
}

void Document::table(const Table& t) { impl_->table(t); }

void Document::boxes(const std::vector<Box>& boxes, double space_after) {
  Impl& d = *impl_;
  if (boxes.empty()) return;
  constexpr double kGutter = 6;
  double total = 0;
  for (const auto& b : boxes) total += std::max(b.width, 0.0);
  if (total <= 0) return;
  const double usable = d.text_width() - kGutter * static_cast<double>(boxes.size() - 1);
  struct Placed {
    std::shared_ptr<const Laid> laid;
    double x, dy;
  };
  auto placed = std::make_shared<std::vector<Placed>>();
  double height = 0, x = d.left();
  for (const auto& b : boxes) {
    const double w = usable * std::max(b.width, 0.0) / total;
    double h = 0;
    for (size_t i = 0; i < b.lines.size(); ++i) {
      const Style& s = b.lines[i].style;
      if (i > 0) h += s.space_before;
      auto laid = std::make_shared<const Laid>(d.lay_text(b.lines[i].text, s, w));
      placed->push_back({laid, x, h});
      h += laid->height;
      if (i + 1 < b.lines.size()) h += s.space_after;
    }
    height = std::max(height, h);
    x += w + kGutter;
  }
  d.keep(height);
  const double at = d.y;
  d.add([placed, at](cairo_t* cr) {
    for (const auto& p : *placed) p.laid->draw(cr, p.x, at + p.dy);
  });
  d.y += height;
  d.space_after(space_after);
}

void Document::drawing(double height, std::function<void(cairo_t*, double, double)> draw,
                       double space_after) {
  Impl& d = *impl_;
  d.keep(height);
  const double x = d.left(), at = d.y, w = d.text_width();
  d.add([draw = std::move(draw), x, at, w, height](cairo_t* cr) {
    cairo_translate(cr, x, at);
    draw(cr, w, height);
  });
  d.y += height;
  d.space_after(space_after);
}

void Document::page_break() {
  Impl& d = *impl_;
  if (!d.at_top() || !d.pages.back().empty()) d.new_page();
}

Result<std::string> Document::finish() {
  Impl& d = *impl_;
  if (d.finished) return fail(ErrorKind::internal, "pdf::Document::finish called twice");
  d.finished = true;
  if (d.error) return std::unexpected(*d.error);

  const Options& o = d.options;
  std::string out;
  cairo_surface_t* surface =
      cairo_pdf_surface_create_for_stream(append_to_string, &out, o.size.width, o.size.height);
  const auto meta = [&](cairo_pdf_metadata_t key, const std::string& value) {
    if (value.empty()) return;
    const std::string v = d.text_of(value, Style{});
    cairo_pdf_surface_set_metadata(surface, key, v.c_str());
  };
  meta(CAIRO_PDF_METADATA_TITLE, o.metadata.title);
  meta(CAIRO_PDF_METADATA_AUTHOR, o.metadata.author);
  meta(CAIRO_PDF_METADATA_SUBJECT, o.metadata.subject);
  meta(CAIRO_PDF_METADATA_KEYWORDS, o.metadata.keywords);
  meta(CAIRO_PDF_METADATA_CREATOR, o.metadata.creator);
  meta(CAIRO_PDF_METADATA_CREATE_DATE, o.metadata.created);
  meta(CAIRO_PDF_METADATA_MOD_DATE, o.metadata.created);

  const int n = static_cast<int>(d.pages.size());
  const bool numbers = o.page_numbers == PageNumbers::always ||
                       (o.page_numbers == PageNumbers::if_many && n > 1);
  std::optional<Laid> footer_left;
  if (!o.footer_text.empty()) {
    Style s = o.footer_style;
    s.align = Align::left;
    footer_left = d.lay_text(o.footer_text, s, d.text_width());
  }
  cairo_t* cr = cairo_create(surface);
  for (int p = 0; p < n; ++p) {
    for (const auto& op : d.pages[static_cast<size_t>(p)]) {
      cairo_save(cr);
      op(cr);
      cairo_restore(cr);
    }
    // The footer sits in the middle of the bottom margin.
    const double line = o.footer_style.size * 1.4;
    const double fy = o.size.height - o.margins.bottom / 2 - line / 2;
    if (footer_left) footer_left->draw(cr, d.left(), fy);
    if (numbers) {
      Style s = o.footer_style;
      s.align = Align::right;
      const std::string label = "Trang " + std::to_string(p + 1) + "/" + std::to_string(n);
      lay(d.ctx, label, s, d.text_width()).draw(cr, d.left(), fy);
    }
    cairo_show_page(cr);
  }
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const cairo_status_t status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (d.error) return std::unexpected(*d.error);
  if (status != CAIRO_STATUS_SUCCESS)
    return fail(ErrorKind::internal, std::string("cairo: ") + cairo_status_to_string(status));
  if (o.metadata.created.empty()) {
    // cairo 1.16 dates every PDF with the clock unless told a date, and has no
    // SOURCE_DATE_EPOCH: blank its entry in the Info dictionary with spaces of the same length,
    // so the cross-reference offsets stay right. Metadata strings are written escaped
    // ("\(") or as hex, so this literal can only be cairo's own entry.
    const size_t at = out.rfind("/CreationDate (D:");
    const size_t end = at == std::string::npos ? at : out.find(')', at);
    if (end != std::string::npos) std::fill(out.begin() + static_cast<std::ptrdiff_t>(at),
                                            out.begin() + static_cast<std::ptrdiff_t>(end) + 1, ' ');
  }
  return out;
}

}  // namespace chidoan::pdf
