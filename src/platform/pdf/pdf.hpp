// A small document layer over cairo's PDF surface and pango (HarfBuzz shaping): flowing text,
// headings, rules, key-value rows, tables, side-by-side boxes and free drawings, with automatic
// page breaks and "Trang i/N" page numbers. Used by receipts (fund) and the year-end report.
//
//   pdf::Document doc(pdf::PageSize::a5_portrait());
//   doc.set_metadata({.title = "Biên nhận", .author = "Chi đoàn", .created = "2021-11-02"});
//   doc.heading("BIÊN NHẬN ĐÓNG GÓP");
//   doc.paragraph("Nguyễn Thị Ngọc Ánh", {.bold = true, .align = pdf::Align::center});
//   doc.table({.columns = {{"Đợt", 1}, {"Số tiền", 2, pdf::Align::right}},
//              .rows = {{"Đợt 1", "70.000.000 ₫"}}});
//   Result<std::string> bytes = doc.finish();
//
// Text is plain (never Pango markup: '<' and '&' print as themselves) and is NFC-normalised
// first (text::normalize without collapsing spaces), so decomposed Vietnamese marks shape
// like precomposed ones; '\n' in a text starts a new line. Invalid UTF-8 or control characters
// do not throw: the first such error is kept and finish() returns it.
//
// Units are PostScript points (1/72 in); pdf::mm() converts. Layout happens as blocks are
// added (each block measures itself and goes to the current page or the next); pages are
// painted by finish(), when their number is known.
//
// Determinism: nothing here reads the clock. The PDF's dates are Metadata::created (none are
// written when it is empty), so equal inputs give byte-equal PDFs (tested).
//
// Thread-safety: a Document is not shareable, and must be used and destroyed on the thread that
// created it (it uses that thread's pango font map). Different Documents on different threads
// are fine.
#pragma once

#include <cairo.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/result.hpp"

namespace chidoan::pdf {

constexpr double mm(double millimetres) { return millimetres * 72.0 / 25.4; }

inline constexpr const char* kSans = "Noto Sans";
inline constexpr const char* kSerif = "Noto Serif";

struct PageSize {
  double width = 0;   // points
  double height = 0;
  static PageSize a4_portrait() { return {mm(210), mm(297)}; }
  static PageSize a4_landscape() { return {mm(297), mm(210)}; }
  static PageSize a5_portrait() { return {mm(148), mm(210)}; }
  static PageSize a5_landscape() { return {mm(210), mm(148)}; }
};

struct Margins {
  double top = mm(20), right = mm(15), bottom = mm(20), left = mm(30);
  // Decree 30/2020/NĐ-CP for A4 (top/bottom 20, left 30, right 15 mm); A5 gets half-way values.
  static Margins for_page(const PageSize& size);
};

enum class Align { left, center, right, justify };

struct Color {
  double r = 0, g = 0, b = 0;  // 0..1
  static constexpr Color rgb(unsigned hex) {
    return {((hex >> 16) & 0xFF) / 255.0, ((hex >> 8) & 0xFF) / 255.0, (hex & 0xFF) / 255.0};
  }
};

// How a run of text looks. An aggregate: `{.size = 14, .bold = true}` (fields in this order).
struct Style {
  std::string family = kSerif;  // "Noto Serif" or "Noto Sans" (any fontconfig family works)
  double size = 11;             // points
  bool bold = false;
  bool italic = false;
  Align align = Align::left;
  Color color{};
  bool uppercase = false;       // Vietnamese upper-casing (ICU, "vi") before layout
  bool underline = false;
  double line_spacing = 0;      // factor of the font's line height; 0 = the font's own
  double space_before = 0;      // points; dropped at the top of a page
  double space_after = 3;
};

struct Metadata {
  std::string title, author, subject, keywords;
  std::string creator = "chidoan";
  // ISO 8601 "YYYY-MM-DD[Thh:mm[:ss][Z|+hh:mm]]": CreationDate and ModDate. Injected, never the
  // clock; empty writes no dates at all.
  std::string created;
};

enum class PageNumbers { always, if_many, never };

struct Options {
  PageSize size = PageSize::a4_portrait();
  Margins margins = Margins::for_page(PageSize::a4_portrait());
  Metadata metadata{};
  PageNumbers page_numbers = PageNumbers::always;  // "Trang i/N", right of the footer
  std::string footer_text;                         // left of the footer (e.g. the document name)
  Style footer_style{.family = kSans, .size = 8, .color = Color::rgb(0x555555)};
  Style body{};                                    // paragraph() without a style
};

struct Rule {
  double thickness = 0.6;
  double width = 1.0;        // fraction of the text width, centred
  Color color = Color::rgb(0x444444);
  double space_before = 3, space_after = 6;
};

struct KeyValueStyle {
  double key_width = mm(32);          // the key column; the value wraps in the rest
  Style key{.color = Color::rgb(0x333333), .space_after = 0};
  Style value{.space_after = 0};
  double space_after = 3;
};

struct TableColumn {
  std::string title;
  double width = 1;                   // relative weight: the columns share the text width
  Align align = Align::left;          // body and footer cells; Align::right for numbers
};

// Rows are kept whole (a row never splits across pages; a row taller than a page is clipped
// at the page's bottom). The header row repeats at the top of every page the table spans.
struct Table {
  std::vector<TableColumn> columns;
  std::vector<std::vector<std::string>> rows;    // short rows are padded with empty cells
  std::vector<std::vector<std::string>> footer;  // e.g. totals: bold, after the rows
  Style header{.family = kSans, .size = 9, .bold = true, .align = Align::center};
  Style cell{.family = kSans, .size = 9};
  double padding = 3;
  bool repeat_header = true;
  bool zebra = false;                 // light fill on every other body row
  Color header_fill = Color::rgb(0xE8E8E8);
  Color zebra_fill = Color::rgb(0xF5F5F5);
  Color grid = Color::rgb(0x666666);
  double grid_width = 0.5;
  double space_before = 3, space_after = 8;
};

struct Text {
  std::string text;
  Style style{};
};

// One of the boxes of Document::boxes(): a column of texts. An empty text is a blank line of its
// style's height (signature space).
struct Box {
  double width = 1;                   // relative weight
  std::vector<Text> lines;
};

// Draws `text` on `cr` with the document's shaping, its top-left at (x, y), wrapped at `width`
// (<= 0: no wrapping). Returns the height used. For labels in drawings (charts).
double draw_text(cairo_t* cr, std::string_view text, const Style& style, double x, double y,
                 double width);

class Document {
 public:
  explicit Document(PageSize size);   // Margins::for_page(size), the rest default
  explicit Document(Options options);
  Document(Document&&) noexcept;
  Document& operator=(Document&&) noexcept;
  ~Document();

  void set_metadata(Metadata metadata);
  const Options& options() const;
  double text_width() const;          // page width minus left and right margins

  // Level 1: centred, bold, 15 pt; 2: bold 12.5 pt; 3: bold italic 11 pt. Kept with the
  // start of what follows (never alone at a page's bottom).
  void heading(std::string_view text, int level = 1);
  void heading(std::string_view text, const Style& style);
  void paragraph(std::string_view text);  // Options::body
  void paragraph(std::string_view text, const Style& style);
  void rule(const Rule& rule = {});
  void spacer(double points);
  void key_value(std::string_view key, std::string_view value, const KeyValueStyle& style = {});
  void table(const Table& table);
  // Boxes side by side (a letterhead, signature blocks); kept together on one page.
  void boxes(const std::vector<Box>& boxes, double space_after = 6);
  // A free drawing of the full text width and `height` points (a chart), kept on one page.
  // `draw` runs in finish() with the origin at the drawing's top-left corner.
  void drawing(double height, std::function<void(cairo_t* cr, double width, double height)> draw,
               double space_after = 6);
  void page_break();

  // Space left on the current page, in points.
  double remaining() const;
  // Pages so far (at least 1).
  int page_count() const;

  // The PDF. Call once; the Document is spent afterwards (a second call fails).
  [[nodiscard]] Result<std::string> finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace chidoan::pdf
