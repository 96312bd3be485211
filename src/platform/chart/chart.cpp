#include "platform/chart/chart.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

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

std::string svg(const Chart& c) {
  const bool two_axes = c.right.has_value();
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

  const double w = std::max(c.width, 200), h = std::max(c.height, 160);
  Plot p;
  p.left = kSideLabels;
  p.right = w - (two_axes ? kSideLabels : kSideBare);
  p.bottom = h - kBottom;
  const size_t n = c.categories.size();
  const double group_w = n ? p.width() / static_cast<double>(n) : p.width();
  auto center_of = [&](size_t i) { return p.left + group_w * (static_cast<double>(i) + 0.5); };
  auto name_of = [&](size_t i) {
    return i < c.category_names.size() && !c.category_names[i].empty() ? c.category_names[i] : c.categories[i];
  };

  const std::string id = c.id.empty() ? "chart" : c.id;
  std::string o;
  o += "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + num(w) + " " + num(h) + "\" width=\"100%\" role=\"img\" aria-label=\"" +
       xml_escape(c.title) + "\"";
  if (!c.description.empty()) o += " aria-describedby=\"" + xml_escape(id) + "-desc\"";
  o += " font-family=\"" + std::string(kFont) + "\" class=\"chart\">";
  o += "<title id=\"" + xml_escape(id) + "-title\">" + xml_escape(c.title) + "</title>";
  if (!c.description.empty()) o += "<desc id=\"" + xml_escape(id) + "-desc\">" + xml_escape(c.description) + "</desc>";
  o += "<rect x=\"0\" y=\"0\" width=\"" + num(w) + "\" height=\"" + num(h) + "\" fill=\"#fff\"/>";

  // Legend: bars, then lines, then references, left to right (about 7 units per character).
  o += "<g aria-hidden=\"true\">";
  double lx = p.left;
  auto legend_text = [&](double x, const std::string& label) {
    o += text_el(x, kLegendY, "start", kInk, 12, label);
    lx = x + text_width(label, 12) + 18;
  };
  for (const auto& s : c.bars) {
    o += "<rect x=\"" + num(lx) + "\" y=\"" + num(kLegendY - 10) + "\" width=\"12\" height=\"12\" fill=\"" + xml_escape(s.color) + "\"/>";
    legend_text(lx + 16, s.name);
  }
  for (const auto& s : c.lines) {
    o += "<line x1=\"" + num(lx) + "\" y1=\"" + num(kLegendY - 4) + "\" x2=\"" + num(lx + 14) + "\" y2=\"" + num(kLegendY - 4) +
         "\" stroke=\"" + xml_escape(s.color) + "\" stroke-width=\"2\"/>";
    legend_text(lx + 18, s.name);
  }
  for (const auto& r : c.references) {
    o += "<line x1=\"" + num(lx) + "\" y1=\"" + num(kLegendY - 4) + "\" x2=\"" + num(lx + 14) + "\" y2=\"" + num(kLegendY - 4) +
         "\" stroke=\"" + xml_escape(r.color) + "\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>";
    legend_text(lx + 18, r.label);
  }

  // Axis titles, grid and tick labels.
  if (!c.left.title.empty()) o += text_el(p.left - 8, kTop - 14, "start", kMuted, 11, c.left.title);
  if (two_axes && !c.right->title.empty()) o += text_el(p.right + 8, kTop - 14, "end", kMuted, 11, c.right->title);
  for (int k = 0; k <= kDivisions; ++k) {
    double y = p.bottom - p.height() * k / kDivisions;
    o += "<line x1=\"" + num(p.left) + "\" y1=\"" + num(y) + "\" x2=\"" + num(p.right) + "\" y2=\"" + num(y) + "\" stroke=\"" +
         (k == 0 ? std::string(kMuted) : std::string(kGrid)) + "\" stroke-width=\"1\"/>";
    o += text_el(p.left - 6, y + 4, "end", kMuted, 11, tick_label(left_scale.step * k, c.left, left_scale));
    if (two_axes) o += text_el(p.right + 6, y + 4, "start", kMuted, 11, tick_label(right_scale.step * k, *c.right, right_scale));
  }
  // Category labels: every one, or every k-th when they would crowd.
  size_t every = n > 16 ? (n + 15) / 16 : 1;
  for (size_t i = 0; i < n; i += every) o += text_el(center_of(i), p.bottom + 16, "middle", kMuted, 11, c.categories[i]);
  o += "</g>";

  // Bars: 70% of each category's width, shared by the series.
  if (!c.bars.empty() && n) {
    const double inner = group_w * 0.7, bar_w = inner / static_cast<double>(c.bars.size());
    for (size_t j = 0; j < c.bars.size(); ++j) {
      const Series& s = c.bars[j];
      const Axis& a = axis_of(s.side);
      o += "<g fill=\"" + xml_escape(s.color) + "\">";
      for (size_t i = 0; i < n && i < s.values.size(); ++i) {
        if (!s.values[i] || !std::isfinite(*s.values[i])) continue;
        double x = p.left + group_w * static_cast<double>(i) + (group_w - inner) / 2 + bar_w * static_cast<double>(j);
        double y = y_of(*s.values[i], scale_of(s.side), p);
        o += "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(std::max(bar_w - (bar_w > 4 ? 1 : 0), 0.5)) + "\" height=\"" +
             num(p.bottom - y) + "\"><title>" + xml_escape(name_of(i) + " · " + s.name + ": " + format_value(*s.values[i], a.format, a.decimals)) +
             "</title></rect>";
      }
      o += "</g>";
    }
  }

  // Reference lines, with their label at the right end.
  for (const auto& r : c.references) {
    double y = y_of(r.value, scale_of(r.side), p);
    o += "<g><line x1=\"" + num(p.left) + "\" y1=\"" + num(y) + "\" x2=\"" + num(p.right) + "\" y2=\"" + num(y) + "\" stroke=\"" +
         xml_escape(r.color) + "\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>";
    // A white halo keeps the label legible over bars and lines.
    o += text_el(p.right - 4, y - 5, "end", xml_escape(r.color), 11, r.label,
                 " stroke=\"#fff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\"");
    o += "</g>";
  }

  // Lines: one polyline per run of values, a marker with its tooltip on every point.
  for (const auto& s : c.lines) {
    const Axis& a = axis_of(s.side);
    o += "<g stroke=\"" + xml_escape(s.color) + "\" fill=\"" + xml_escape(s.color) + "\">";
    std::string run;
    size_t points = 0;
    auto flush = [&] {
      if (points > 1) o += "<polyline fill=\"none\" stroke-width=\"2\" points=\"" + run + "\"/>";
      run.clear();
      points = 0;
    };
    for (size_t i = 0; i < n; ++i) {
      if (i >= s.values.size() || !s.values[i] || !std::isfinite(*s.values[i])) {
        flush();
        continue;
      }
      run += (run.empty() ? "" : " ") + num(center_of(i)) + "," + num(y_of(*s.values[i], scale_of(s.side), p));
      ++points;
    }
    flush();
    for (size_t i = 0; i < n && i < s.values.size(); ++i) {
      if (!s.values[i] || !std::isfinite(*s.values[i])) continue;
      o += "<circle cx=\"" + num(center_of(i)) + "\" cy=\"" + num(y_of(*s.values[i], scale_of(s.side), p)) + "\" r=\"3.5\"><title>" +
           xml_escape(name_of(i) + " · " + s.name + ": " + format_value(*s.values[i], a.format, a.decimals)) + "</title></circle>";
    }
    o += "</g>";
  }
  o += "</svg>";
  return o;
}

}  // namespace chidoan::chart
