// Server-side charts for pages and reports, as SVG or painted with cairo (PDF): grouped bars per category, line series, and
// horizontal reference lines (a target), over one or two value axes. The output is a complete
// <svg> element with a fixed viewBox that scales to its container's width, readable by screen
// readers (role="img", aria-label, <title>, <desc>, a <title> tooltip on every bar and point),
// with presentation attributes only: no script, no style element or attribute (the pages' CSP
// allows neither), every text escaped. Numbers are in Vietnamese style (text::format_*).
//
// Scales start at 0. Negative values are drawn at 0; values above a fixed Axis::max are drawn
// at the top. Thread-safety: pure functions.
#pragma once

#include <cairo.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chidoan::chart {

// How the values of an axis are written: 47.416 (integer), 47,64% (percent of a ratio 0.4764),
// 3,5 (decimal).
enum class Format { integer, percent, decimal };

struct Axis {
  std::string title;          // written above the axis, e.g. "Hồ sơ"
  Format format = Format::integer;
  int decimals = 0;           // of values in tooltips and labels (percent, decimal)
  std::optional<double> max;  // a fixed top of the scale; default: a round value above the data
};

enum class Side { left, right };

struct Series {
  std::string name;                           // in the legend and the tooltips
  std::string color;                          // e.g. "#0b5cad"
  std::vector<std::optional<double>> values;  // one per category; none: nothing drawn there
  Side side = Side::left;
};

// A horizontal line across the plot, e.g. the year's target.
struct Reference {
  std::string label;  // written at its right end, e.g. "Chỉ tiêu 30%"
  double value = 0;
  std::string color;
  Side side = Side::left;
};

struct Chart {
  std::string id = "chart";                 // prefix of the element ids: unique within a page
  std::string title;                        // <title> and aria-label
  std::string description;                  // <desc>: what the chart shows, in words
  std::vector<std::string> categories;      // x labels, e.g. "T1" … "T12"
  std::vector<std::string> category_names;  // optional longer names for tooltips ("Tháng 1/2021")
  std::vector<Series> bars;                 // grouped side by side in each category
  std::vector<Series> lines;                // drawn over the bars, broken where a value is missing
  std::vector<Reference> references;
  Axis left;
  std::optional<Axis> right;  // series and references on the right side need it (else: left)
  int width = 720, height = 320;
};

// The <svg> element. Deterministic: the same chart gives the same bytes (golden tests).
std::string svg(const Chart& c);

// The same chart painted on `cr` (e.g. a pdf::Document drawing) with its top-left at the current
// origin, scaled to fit `width` × `height` points keeping its proportions; labels are shaped by
// pdf::draw_text (Noto Sans). svg() and draw() share one layout, so they place everything alike.
void draw(cairo_t* cr, const Chart& c, double width, double height);

// The scale of an axis: [0, top] in `divisions` steps of `step`, a round step (1, 2 or 5 ×
// 10^k) with top ≥ max. Integer axes step by at least 1. With fixed `axis.max`, top = max.
struct Scale {
  double top = 1, step = 0.2;
};
Scale scale_for(double max, const Axis& axis, int divisions = 5);

// A value as the axis writes it ("47.416", "47,64%", "3,5").
std::string format_value(double v, Format f, int decimals);

// Escapes & < > " ' for XML text and attribute values.
std::string xml_escape(std::string_view s);

}  // namespace chidoan::chart
