#include "platform/chart/chart.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "platform/pdf/pdf.hpp"
#include "platform/text/text.hpp"

namespace chidoan::chart {
namespace {

// Layout of the canvas, in viewBox units.
constexpr double kLegendY = 16;     // baseline of the legend row
constexpr double kTop = 52;         // top of the plot (legend and axis titles above)
constexpr double kBottom = 28;      // room for the category labels
constexpr double kSideLabels = 60;  // room for an axis's tick labels
constexpr double kSideBare = 16;    // a side without an axis
constexpr int kDivisions = 5;
constexpr const char* kFont = "Noto Sans, Segoe UI, Roboto, Arial, sans-serif";
constexpr const char* kInk = "#1d2430";
constexpr const char* kMuted = "#5d6675";
constexpr const char* kGrid = "#dde2ea";

// A coordinate with one decimal at most ("12", "12.5"), independent of the C locale.
std::string num(double v) {
  if (!std::isfinite(v)) v = 0;
  v = std::round(v * 10) / 10;
  if (v == 0) v = 0;  // no "-0"
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 1);
  std::string s(buf, ec == std::errc() ? end : buf);
  if (s.size() > 2 && s.ends_with(".0")) s.resize(s.size() - 2);
  return s;
}

// The smallest of 1, 2, 5 × 10^k that is ≥ x (x > 0).
double nice_ceil(double x) {
  double e = std::pow(10.0, std::floor(std::log10(x)));
  for (double f : {1.0, 2.0, 5.0, 10.0})
    if (f * e >= x * (1 - 1e-12)) return f * e;
  return 10 * e;
}

// Decimals that write `step` exactly (0.05 -> 2), at most 6.
int places_of(double step) {
  for (int k = 0; k < 6; ++k) {
    double scaled = step * std::pow(10.0, k);
    if (std::fabs(scaled - std::round(scaled)) < 1e-6) return k;
  }
  return 6;
}

std::string tick_label(double v, const Axis& a, const Scale& s) {
  switch (a.format) {
    case Format::integer: return text::format_int(std::llround(v));
    case Format::percent: return text::format_percent(v, places_of(s.step * 100));
    case Format::decimal: return text::format_decimal(v, std::max(a.decimals, places_of(s.step)));
  }
  return {};
}

struct Plot {
  double left = 0, right = 0, top = kTop, bottom = 0;  // edges of the plot area
  double width() const { return right - left; }
  double height() const { return bottom - top; }
};

// The y of `v` on an axis scaled to `s`, clamped to the plot.
double y_of(double v, const Scale& s, const Plot& p) {
  double r = std::clamp(std::isfinite(v) ? v / s.top : 0.0, 0.0, 1.0);
  return p.bottom - r * p.height();
}

// About how wide a label is written at `size` (Vietnamese text is NFC: a code point a letter).
double text_width(std::string_view s, double size) {
  size_t points = 0;
  for (unsigned char ch : s) points += (ch & 0xC0) != 0x80;
  return static_cast<double>(points) * size * 0.56;
}

std::string text_el(double x, double y, const std::string& anchor, const std::string& fill, double size, std::string_view body,
                    const std::string& extra = "") {
  return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + anchor + "\" fill=\"" + fill + "\" font-size=\"" + num(size) +
         "\"" + extra + ">" + xml_escape(body) + "</text>";
}

}  // namespace

std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += ch;
    }
  }
  return out;
}

std::string format_value(double v, Format f, int decimals) {
  switch (f) {
    case Format::integer: return text::format_int(std::llround(v));
    case Format::percent: return text::format_percent(v, decimals);
    case Format::decimal: return text::format_decimal(v, decimals);
  }
  return {};
}

Scale scale_for(double max, const Axis& axis, int divisions) {
  if (divisions < 1) divisions = 1;
  if (axis.max && *axis.max > 0) return Scale{*axis.max, *axis.max / divisions};
  if (!std::isfinite(max) || max <= 0) max = axis.format == Format::integer ? divisions : 1.0;
  double step = nice_ceil(max / divisions);
  if (axis.format == Format::integer) step = std::max(step, 1.0);
  return Scale{step * divisions, step};
}

namespace {

// Where everything of a chart goes, in viewBox units: computed once, then written as SVG by
// svg() or painted with cairo by draw(), so both renderings agree.
struct Layout {
  double w = 0, h = 0;
  Plot p;
  bool two_axes = false;
  struct Legend {
    enum Kind { bar, line, reference } kind;
    double x, text_x;
    std::string color, label;
  };
  std::vector<Legend> legend;
  struct Tick {
    double y;
    std::string left, right;  // right: empty without a second axis
  };
  std::vector<Tick> ticks;
  struct Label {
    double x;
    std::vector<std::string> lines;  // a long category name wraps onto several lines
  };
  std::vector<Label> categories;
  struct Box {
    double x, y, w, h;
    std::string tip;
  };
  struct BarSeries {
    std::string color;
    std::vector<Box> boxes;
  };
  std::vector<BarSeries> bars;
  struct RefLine {
    double y;
    std::string color, label;
  };
  std::vector<RefLine> references;
  struct Point {
    double x, y;
    std::string tip;
  };
  struct LineSeries {
    std::string color;
    std::vector<std::vector<Point>> runs;  // broken where a value is missing
    std::vector<Point> points;
  };
  std::vector<LineSeries> lines;
};

constexpr double kCategoryLine = 13;  // line height of wrapped category labels

// Words of `label` in lines of at most `width` (estimated), at least one word a line.
std::vector<std::string> wrap(const std::string& label, double width, double size) {
  if (text_width(label, size) <= width) return {label};
  std::vector<std::string> lines;
  std::string line;
  size_t at = 0;
  while (at < label.size()) {
    size_t end = label.find(' ', at);
    if (end == std::string::npos) end = label.size();
    std::string word = label.substr(at, end - at);
    at = end + 1;
    if (word.empty()) continue;
    std::string joined = line.empty() ? word : line + " " + word;
    if (!line.empty() && text_width(joined, size) > width) {
      lines.push_back(line);
      line = word;
    } else {
      line = joined;
    }
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

Layout layout(const Chart& c) {
  Layout l;
  l.two_axes = c.right.has_value();
  const bool two_axes = l.two_axes;
  auto side_of = [&](Side s) { return two_axes ? s : Side::left; };
  const Axis& right_axis = two_axes ? *c.right : c.left;
  auto axis_of = [&](Side s) -> const Axis& { return side_of(s) == Side::right ? right_axis : c.left; };

  // The data's maximum on each side.
  double max_left = 0, max_right = 0;
  auto see = [&](Side s, double v) {
    if (!std::isfinite(v)) return;
    (side_of(s) == Side::right ? max_right : max_left) = std::max(side_of(s) == Side::right ? max_right : max_left, v);
  };
  for (const auto* group : {&c.bars, &c.lines})
    for (const auto& series : *group)
      for (const auto& v : series.values)
        if (v) see(series.side, *v);
  for (const auto& r : c.references) see(r.side, r.value);
  const Scale left_scale = scale_for(max_left, c.left, kDivisions);
  const Scale right_scale = two_axes ? scale_for(max_right, *c.right, kDivisions) : left_scale;
  auto scale_of = [&](Side s) -> const Scale& { return side_of(s) == Side::right ? right_scale : left_scale; };

  l.w = std::max(c.width, 200);
  l.h = std::max(c.height, 160);
  Plot& p = l.p;
  p.left = kSideLabels;
  p.right = l.w - (two_axes ? kSideLabels : kSideBare);
  const size_t n = c.categories.size();
  const double group_w = n ? p.width() / static_cast<double>(n) : p.width();
  auto center_of = [&](size_t i) { return p.left + group_w * (static_cast<double>(i) + 0.5); };
  auto name_of = [&](size_t i) {
    return i < c.category_names.size() && !c.category_names[i].empty() ? c.category_names[i] : c.categories[i];
  };

  // Category labels: every one, or every k-th when they would crowd; long ones wrap, and the
  // plot leaves room for their lines.
  const size_t every = n > 16 ? (n + 15) / 16 : 1;
  size_t label_lines = 1;
  for (size_t i = 0; i < n; i += every) {
    l.categories.push_back({center_of(i), wrap(c.categories[i], group_w * static_cast<double>(every) - 4, 11)});
    label_lines = std::max(label_lines, l.categories.back().lines.size());
  }
  p.bottom = l.h - kBottom - kCategoryLine * static_cast<double>(label_lines - 1);

  // Legend: bars, then lines, then references, left to right.
  double lx = p.left;
  auto add_legend = [&](Layout::Legend::Kind kind, double text_dx, const std::string& color, const std::string& label) {
    l.legend.push_back({kind, lx, lx + text_dx, color, label});
    lx = lx + text_dx + text_width(label, 12) + 18;
  };
  for (const auto& s : c.bars) add_legend(Layout::Legend::bar, 16, s.color, s.name);
  for (const auto& s : c.lines) add_legend(Layout::Legend::line, 18, s.color, s.name);
  for (const auto& r : c.references) add_legend(Layout::Legend::reference, 18, r.color, r.label);

  for (int k = 0; k <= kDivisions; ++k)
    l.ticks.push_back({p.bottom - p.height() * k / kDivisions, tick_label(left_scale.step * k, c.left, left_scale),
                       two_axes ? tick_label(right_scale.step * k, *c.right, right_scale) : std::string()});

  // Bars: 70% of each category's width, shared by the series.
  if (!c.bars.empty() && n) {
    const double inner = group_w * 0.7, bar_w = inner / static_cast<double>(c.bars.size());
    for (size_t j = 0; j < c.bars.size(); ++j) {
      const Series& s = c.bars[j];
      const Axis& a = axis_of(s.side);
      Layout::BarSeries& out = l.bars.emplace_back(Layout::BarSeries{s.color, {}});
      for (size_t i = 0; i < n && i < s.values.size(); ++i) {
        if (!s.values[i] || !std::isfinite(*s.values[i])) continue;
        double x = p.left + group_w * static_cast<double>(i) + (group_w - inner) / 2 + bar_w * static_cast<double>(j);
        double y = y_of(*s.values[i], scale_of(s.side), p);
        out.boxes.push_back({x, y, std::max(bar_w - (bar_w > 4 ? 1 : 0), 0.5), p.bottom - y,
                             name_of(i) + " · " + s.name + ": " + format_value(*s.values[i], a.format, a.decimals)});
      }
    }
  }

  for (const auto& r : c.references) l.references.push_back({y_of(r.value, scale_of(r.side), p), r.color, r.label});

  for (const auto& s : c.lines) {
    const Axis& a = axis_of(s.side);
    Layout::LineSeries& out = l.lines.emplace_back(Layout::LineSeries{s.color, {}, {}});
    std::vector<Layout::Point> run;
    for (size_t i = 0; i < n; ++i) {
      if (i >= s.values.size() || !s.values[i] || !std::isfinite(*s.values[i])) {
        if (run.size() > 1) out.runs.push_back(run);
        run.clear();
        continue;
      }
      Layout::Point pt{center_of(i), y_of(*s.values[i], scale_of(s.side), p),
                       name_of(i) + " · " + s.name + ": " + format_value(*s.values[i], a.format, a.decimals)};
      run.push_back(pt);
      out.points.push_back(pt);
    }
    if (run.size() > 1) out.runs.push_back(run);
  }
  return l;
}

}  // namespace

std::string svg(const Chart& c) {
  const Layout l = layout(c);
  const Plot& p = l.p;
  const std::string id = c.id.empty() ? "chart" : c.id;
  std::string o;
  o += "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + num(l.w) + " " + num(l.h) + "\" width=\"100%\" role=\"img\" aria-label=\"" +
       xml_escape(c.title) + "\"";
  if (!c.description.empty()) o += " aria-describedby=\"" + xml_escape(id) + "-desc\"";
  o += " font-family=\"" + std::string(kFont) + "\" class=\"chart\">";
  o += "<title id=\"" + xml_escape(id) + "-title\">" + xml_escape(c.title) + "</title>";
  if (!c.description.empty()) o += "<desc id=\"" + xml_escape(id) + "-desc\">" + xml_escape(c.description) + "</desc>";
  o += "<rect x=\"0\" y=\"0\" width=\"" + num(l.w) + "\" height=\"" + num(l.h) + "\" fill=\"#fff\"/>";

  o += "<g aria-hidden=\"true\">";
  for (const auto& g : l.legend) {
    switch (g.kind) {
      case Layout::Legend::bar:
        o += "<rect x=\"" + num(g.x) + "\" y=\"" + num(kLegendY - 10) + "\" width=\"12\" height=\"12\" fill=\"" + xml_escape(g.color) + "\"/>";
        break;
      case Layout::Legend::line:
      case Layout::Legend::reference:
        o += "<line x1=\"" + num(g.x) + "\" y1=\"" + num(kLegendY - 4) + "\" x2=\"" + num(g.x + 14) + "\" y2=\"" + num(kLegendY - 4) +
             "\" stroke=\"" + xml_escape(g.color) + "\" stroke-width=\"2\"" +
             (g.kind == Layout::Legend::reference ? " stroke-dasharray=\"4 3\"" : "") + "/>";
        break;
    }
    o += text_el(g.text_x, kLegendY, "start", kInk, 12, g.label);
  }

  // Axis titles, grid and tick labels.
  if (!c.left.title.empty()) o += text_el(p.left - 8, kTop - 14, "start", kMuted, 11, c.left.title);
  if (l.two_axes && !c.right->title.empty()) o += text_el(p.right + 8, kTop - 14, "end", kMuted, 11, c.right->title);
  for (size_t k = 0; k < l.ticks.size(); ++k) {
    const auto& t = l.ticks[k];
    o += "<line x1=\"" + num(p.left) + "\" y1=\"" + num(t.y) + "\" x2=\"" + num(p.right) + "\" y2=\"" + num(t.y) + "\" stroke=\"" +
         (k == 0 ? std::string(kMuted) : std::string(kGrid)) + "\" stroke-width=\"1\"/>";
    o += text_el(p.left - 6, t.y + 4, "end", kMuted, 11, t.left);
    if (l.two_axes) o += text_el(p.right + 6, t.y + 4, "start", kMuted, 11, t.right);
  }
  for (const auto& label : l.categories) {
    if (label.lines.size() == 1) {
      o += text_el(label.x, p.bottom + 16, "middle", kMuted, 11, label.lines[0]);
      continue;
    }
    o += "<text x=\"" + num(label.x) + "\" y=\"" + num(p.bottom + 16) + "\" text-anchor=\"middle\" fill=\"" + kMuted + "\" font-size=\"11\">";
    for (size_t i = 0; i < label.lines.size(); ++i)
      o += "<tspan x=\"" + num(label.x) + "\"" + (i ? " dy=\"" + num(kCategoryLine) + "\"" : std::string()) + ">" + xml_escape(label.lines[i]) +
           "</tspan>";
    o += "</text>";
  }
  o += "</g>";

  for (const auto& s : l.bars) {
    o += "<g fill=\"" + xml_escape(s.color) + "\">";
    for (const auto& b : s.boxes)
      o += "<rect x=\"" + num(b.x) + "\" y=\"" + num(b.y) + "\" width=\"" + num(b.w) + "\" height=\"" + num(b.h) + "\"><title>" + xml_escape(b.tip) +
           "</title></rect>";
    o += "</g>";
  }

  // Reference lines, with their label at the right end.
  for (const auto& r : l.references) {
    o += "<g><line x1=\"" + num(p.left) + "\" y1=\"" + num(r.y) + "\" x2=\"" + num(p.right) + "\" y2=\"" + num(r.y) + "\" stroke=\"" +
         xml_escape(r.color) + "\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>";
    // A white halo keeps the label legible over bars and lines.
    o += text_el(p.right - 4, r.y - 5, "end", xml_escape(r.color), 11, r.label,
                 " stroke=\"#fff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\"");
    o += "</g>";
  }

  // Lines: one polyline per run of values, a marker with its tooltip on every point.
  for (const auto& s : l.lines) {
    o += "<g stroke=\"" + xml_escape(s.color) + "\" fill=\"" + xml_escape(s.color) + "\">";
    for (const auto& run : s.runs) {
      std::string points;
      for (const auto& pt : run) points += (points.empty() ? "" : " ") + num(pt.x) + "," + num(pt.y);
      o += "<polyline fill=\"none\" stroke-width=\"2\" points=\"" + points + "\"/>";
    }
    for (const auto& pt : s.points)
      o += "<circle cx=\"" + num(pt.x) + "\" cy=\"" + num(pt.y) + "\" r=\"3.5\"><title>" + xml_escape(pt.tip) + "</title></circle>";
    o += "</g>";
  }
  o += "</svg>";
  return o;
}

namespace {

// "#0b5cad" as cairo's source colour (black when it is not #rrggbb).
unsigned rgb_of(std::string_view hex) {
  unsigned v = 0;
  if (hex.size() == 7 && hex[0] == '#') std::from_chars(hex.data() + 1, hex.data() + 7, v, 16);
  return v;
}

void set_color(cairo_t* cr, std::string_view hex) {
  const pdf::Color c = pdf::Color::rgb(rgb_of(hex));
  cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

// A label as the SVG writes it: `baseline` is the SVG's y, `anchor` its text-anchor.
void label(cairo_t* cr, std::string_view text, double x, double baseline, pdf::Align anchor, std::string_view color, double size) {
  const pdf::Style st{.family = pdf::kSans, .size = size, .align = anchor, .color = pdf::Color::rgb(rgb_of(color)), .space_after = 0};
  const double box = std::max(text_width(text, size) * 1.3 + 8, 24.0);
  const double left = anchor == pdf::Align::left ? x : anchor == pdf::Align::right ? x - box : x - box / 2;
  pdf::draw_text(cr, text, st, left, baseline - size * 1.07, box);
}

void line(cairo_t* cr, double x1, double y1, double x2, double y2, std::string_view color, double width) {
  set_color(cr, color);
  cairo_set_line_width(cr, width);
  cairo_move_to(cr, x1, y1);
  cairo_line_to(cr, x2, y2);
  cairo_stroke(cr);
}

}  // namespace

void draw(cairo_t* cr, const Chart& c, double width, double height) {
  const Layout l = layout(c);
  const Plot& p = l.p;
  cairo_save(cr);
  const double k = std::min(width / l.w, height / l.h);
  cairo_scale(cr, k, k);
  cairo_rectangle(cr, 0, 0, l.w, l.h);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_fill(cr);

  for (const auto& g : l.legend) {
    if (g.kind == Layout::Legend::bar) {
      set_color(cr, g.color);
      cairo_rectangle(cr, g.x, kLegendY - 10, 12, 12);
      cairo_fill(cr);
    } else {
      if (g.kind == Layout::Legend::reference) {
        const double dash[] = {4, 3};
        cairo_set_dash(cr, dash, 2, 0);
      }
      line(cr, g.x, kLegendY - 4, g.x + 14, kLegendY - 4, g.color, 2);
      cairo_set_dash(cr, nullptr, 0, 0);
    }
    label(cr, g.label, g.text_x, kLegendY, pdf::Align::left, kInk, 12);
  }
  if (!c.left.title.empty()) label(cr, c.left.title, p.left - 8, kTop - 14, pdf::Align::left, kMuted, 11);
  if (l.two_axes && !c.right->title.empty()) label(cr, c.right->title, p.right + 8, kTop - 14, pdf::Align::right, kMuted, 11);
  for (size_t i = 0; i < l.ticks.size(); ++i) {
    const auto& t = l.ticks[i];
    line(cr, p.left, t.y, p.right, t.y, i == 0 ? kMuted : kGrid, 1);
    label(cr, t.left, p.left - 6, t.y + 4, pdf::Align::right, kMuted, 11);
    if (l.two_axes) label(cr, t.right, p.right + 6, t.y + 4, pdf::Align::left, kMuted, 11);
  }
  for (const auto& cat : l.categories)
    for (size_t i = 0; i < cat.lines.size(); ++i)
      label(cr, cat.lines[i], cat.x, p.bottom + 16 + kCategoryLine * static_cast<double>(i), pdf::Align::center, kMuted, 11);

  for (const auto& s : l.bars) {
    set_color(cr, s.color);
    for (const auto& b : s.boxes) cairo_rectangle(cr, b.x, b.y, b.w, b.h);
    cairo_fill(cr);
  }
  for (const auto& r : l.references) {
    const double dash[] = {6, 4};
    cairo_set_dash(cr, dash, 2, 0);
    line(cr, p.left, r.y, p.right, r.y, r.color, 2);
    cairo_set_dash(cr, nullptr, 0, 0);
    label(cr, r.label, p.right - 4, r.y - 5, pdf::Align::right, r.color, 11);
  }
  for (const auto& s : l.lines) {
    set_color(cr, s.color);
    cairo_set_line_width(cr, 2);
    for (const auto& run : s.runs) {
      cairo_move_to(cr, run[0].x, run[0].y);
      for (size_t i = 1; i < run.size(); ++i) cairo_line_to(cr, run[i].x, run[i].y);
      cairo_stroke(cr);
    }
    for (const auto& pt : s.points) {
      cairo_arc(cr, pt.x, pt.y, 3.5, 0, 2 * M_PI);
      cairo_fill(cr);
    }
  }
  cairo_restore(cr);
}

}  // namespace chidoan::chart
