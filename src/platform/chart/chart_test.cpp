// The SVG chart: accessible, escaped, script-free, deterministic, with Vietnamese numbers and
// values placed on the scale they are read against.
#include "platform/chart/chart.hpp"

#include <gtest/gtest.h>

#include <cairo.h>

#include <cstdint>
#include <cstring>
#include <regex>
#include <vector>

namespace chidoan::chart {
namespace {

size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

// The value of attribute `name` of the first element that starts with `tag` after `from`.
std::string attr(const std::string& s, const std::string& tag, const std::string& name, size_t from = 0) {
  size_t at = s.find(tag, from);
  if (at == std::string::npos) return "";
  size_t end = s.find('>', at);
  std::string el = s.substr(at, end - at);
  size_t k = el.find(" " + name + "=\"");
  if (k == std::string::npos) return "";
  k += name.size() + 3;
  return el.substr(k, el.find('"', k) - k);
}

Chart monthly() {
  Chart c;
  c.id = "kpi";
  c.title = "Hồ sơ trực tuyến năm 2021";
  c.description = "Tỷ lệ cả năm 47,64%, chỉ tiêu 30%.";
  c.categories = {"T1", "T2", "T3"};
  c.category_names = {"Tháng 1/2021", "Tháng 2/2021", "Tháng 3/2021"};
  c.left = Axis{"Hồ sơ", Format::integer, 0, std::nullopt};
  c.right = Axis{"Tỷ lệ", Format::percent, 2, std::nullopt};
  c.bars = {Series{"Tiếp nhận", "#c5d6ea", {8000.0, 6400.0, 9000.0}, Side::left},
            Series{"Trực tuyến", "#0b5cad", {2800.0, 2500.0, std::nullopt}, Side::left}};
  c.lines = {Series{"Tỷ lệ trực tuyến", "#14804a", {0.35, 0.3906, std::nullopt}, Side::right}};
  c.references = {Reference{"Chỉ tiêu 30%", 0.30, "#b42318", Side::right}};
  return c;
}

TEST(Chart, IsAnAccessibleImageWithoutScriptOrStyle) {
  std::string s = svg(monthly());
  EXPECT_TRUE(s.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 720 320\""));
  EXPECT_TRUE(s.ends_with("</svg>"));
  EXPECT_NE(s.find("role=\"img\""), std::string::npos);
  EXPECT_NE(s.find("aria-label=\"Hồ sơ trực tuyến năm 2021\""), std::string::npos);
  EXPECT_NE(s.find("<title id=\"kpi-title\">Hồ sơ trực tuyến năm 2021</title>"), std::string::npos);
  EXPECT_NE(s.find("aria-describedby=\"kpi-desc\""), std::string::npos);
  EXPECT_NE(s.find("<desc id=\"kpi-desc\">Tỷ lệ cả năm 47,64%, chỉ tiêu 30%.</desc>"), std::string::npos);
  EXPECT_EQ(s.find("<script"), std::string::npos);
  EXPECT_EQ(s.find("style"), std::string::npos);
  EXPECT_FALSE(std::regex_search(s, std::regex(" on[a-z]+=")));
  EXPECT_EQ(s.find("href"), std::string::npos);
  // Deterministic.
  EXPECT_EQ(s, svg(monthly()));
}

TEST(Chart, EscapesEveryText) {
  Chart c = monthly();
  c.title = "A<b> & \"c\" 'd'";
  c.categories[0] = "<script>alert(1)</script>";
  c.bars[0].name = "x\"><script>";
  c.bars[0].color = "red\" onload=\"alert(1)";
  c.references[0].label = "</text><script>";
  std::string s = svg(c);
  EXPECT_EQ(s.find("<script"), std::string::npos);
  EXPECT_EQ(s.find("\" onload"), std::string::npos);
  EXPECT_NE(s.find("aria-label=\"A&lt;b&gt; &amp; &quot;c&quot; &#39;d&#39;\""), std::string::npos);
  EXPECT_NE(s.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(xml_escape("a&b<c>\"'"), "a&amp;b&lt;c&gt;&quot;&#39;");
}

TEST(Chart, AxesUseVietnameseNumbersAndRoundSteps) {
  std::string s = svg(monthly());
  // Counts up to 9.000: steps of 2.000 to 10.000; the rate up to 39,06%: steps of 10% to 50%.
  for (const char* label : {">0<", ">2.000<", ">4.000<", ">10.000<", ">0%<", ">10%<", ">50%<", ">Hồ sơ<", ">Tỷ lệ<"})
    EXPECT_NE(s.find(label), std::string::npos) << label;
  // Tooltips name the month, the series and the value.
  EXPECT_NE(s.find("<title>Tháng 1/2021 · Tiếp nhận: 8.000</title>"), std::string::npos);
  EXPECT_NE(s.find("<title>Tháng 2/2021 · Tỷ lệ trực tuyến: 39,06%</title>"), std::string::npos);
  // The legend names each series and the target.
  for (const char* label : {">Tiếp nhận<", ">Trực tuyến<", ">Tỷ lệ trực tuyến<", ">Chỉ tiêu 30%<"}) EXPECT_NE(s.find(label), std::string::npos) << label;
}

TEST(Chart, PlacesValuesOnTheirOwnAxis) {
  Chart c = monthly();
  std::string s = svg(c);
  // Plot: y from 52 (top) to 292 (bottom), 240 high. 8.000 of 10.000 -> 192 high, top at 100.
  size_t bars = s.find("<g fill=\"#c5d6ea\">");
  ASSERT_NE(bars, std::string::npos);
  EXPECT_EQ(attr(s, "<rect", "y", bars), "100");
  EXPECT_EQ(attr(s, "<rect", "height", bars), "192");
  // The target 30% of 50% on the right axis: 144 high, at y 148.
  size_t target = s.find("stroke-dasharray=\"6 4\"");
  ASSERT_NE(target, std::string::npos);
  size_t line = s.rfind("<line", target);
  EXPECT_EQ(attr(s, "<line", "y1", line), "148");
  // Missing values draw nothing: 3 + 2 bars, 2 points joined by one polyline.
  EXPECT_EQ(count(s, "<rect x="), 1u + 2u + 5u);  // background, 2 legend swatches, 5 bars
  EXPECT_EQ(count(s, "<circle"), 2u);
  EXPECT_EQ(count(s, "<polyline"), 1u);
}

TEST(Chart, ScalesAreRound) {
  Axis counts{"", Format::integer, 0, std::nullopt};
  EXPECT_DOUBLE_EQ(scale_for(9000, counts).top, 10000);
  EXPECT_DOUBLE_EQ(scale_for(9000, counts).step, 2000);
  EXPECT_DOUBLE_EQ(scale_for(10001, counts).top, 25000);
  EXPECT_DOUBLE_EQ(scale_for(3, counts).top, 5);  // integer axes step by at least 1
  EXPECT_DOUBLE_EQ(scale_for(0, counts).top, 5);
  Axis rates{"", Format::percent, 2, std::nullopt};
  EXPECT_DOUBLE_EQ(scale_for(0.4764, rates).top, 0.5);
  EXPECT_DOUBLE_EQ(scale_for(0.0, rates).top, 1.0);
  EXPECT_NEAR(scale_for(0.03, rates).top, 0.05, 1e-12);
  Axis fixed{"", Format::percent, 0, 1.0};
  EXPECT_DOUBLE_EQ(scale_for(0.2, fixed).top, 1.0);
  EXPECT_DOUBLE_EQ(scale_for(0.2, fixed).step, 0.2);
  EXPECT_EQ(format_value(0.4764, Format::percent, 2), "47,64%");
  EXPECT_EQ(format_value(47416, Format::integer, 0), "47.416");
  EXPECT_EQ(format_value(3.5, Format::decimal, 1), "3,5");
}

TEST(Chart, OneAxisAndNoDataStillDraw) {
  Chart c;
  c.title = "Trống";
  c.categories = {"T1", "T2"};
  c.bars = {Series{"Tỷ lệ", "#0b5cad", {}, Side::right}};  // no right axis: read on the left
  c.left = Axis{"", Format::percent, 0, std::nullopt};
  std::string s = svg(c);
  EXPECT_NE(s.find("role=\"img\""), std::string::npos);
  EXPECT_NE(s.find(">100%<"), std::string::npos);
  EXPECT_EQ(s.find("<circle"), std::string::npos);
  EXPECT_EQ(s.find("aria-describedby"), std::string::npos);
  // Negative and out-of-scale values stay inside the plot.
  c.left.max = 0.5;
  c.bars[0].values = {-0.2, 0.9};
  s = svg(c);
  size_t bars = s.find("<g fill=\"#0b5cad\">");
  EXPECT_EQ(attr(s, "<rect", "height", bars), "0");
  EXPECT_EQ(attr(s, "<rect", "y", s.find("<rect", s.find("<rect", bars) + 1)), "52");
}

TEST(Chart, LongCategoryNamesWrapAndTheyRaiseTheAxis) {
  Chart c;
  c.categories = {"Phong trào, cuộc vận động", "Hoạt động tình nguyện", "Sinh hoạt chi đoàn", "Học tập nghị quyết", "Hiến máu tình nguyện",
                  "Công tác xã hội", "Diễn đàn"};
  c.bars = {Series{"Hoạt động", "#0b5cad", {2.0, 6.0, 9.0, 2.0, 1.0, 2.0, 1.0}, Side::left}};
  std::string s = svg(c);
  EXPECT_NE(s.find("<tspan x="), std::string::npos);
  EXPECT_NE(s.find(">Phong trào,</tspan>"), std::string::npos) << s;
  // A two-line label raises the plot's bottom by one line (13) from 292.
  std::string one = svg(monthly());
  EXPECT_NE(one.find("y1=\"292\""), std::string::npos);
  EXPECT_EQ(one.find("<tspan"), std::string::npos);  // short labels stay one text each
  EXPECT_EQ(s.find("y1=\"292\""), std::string::npos);
}

// The chart painted with cairo on an image: something is drawn inside the plot in the bars'
// colour, and the same chart gives the same pixels.
std::vector<unsigned char> paint(const Chart& c) {
  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 720, 320);
  cairo_t* cr = cairo_create(surface);
  draw(cr, c, 720, 320);
  cairo_destroy(cr);
  cairo_surface_flush(surface);
  const unsigned char* data = cairo_image_surface_get_data(surface);
  std::vector<unsigned char> pixels(data, data + cairo_image_surface_get_stride(surface) * 320);
  cairo_surface_destroy(surface);
  return pixels;
}

uint32_t pixel(const std::vector<unsigned char>& px, int x, int y) {
  const int stride = cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, 720);
  uint32_t v;
  std::memcpy(&v, px.data() + y * stride + x * 4, 4);
  return v & 0xFFFFFF;
}

TEST(Chart, DrawsWithCairoLikeTheSvg) {
  const auto px = paint(monthly());
  EXPECT_EQ(px, paint(monthly()));
  // The first bar (8.000 of 10.000, light blue #c5d6ea) spans y 100..292 in the first category:
  // x from 60 + (200 - 140)/2 = 90, 69 wide.
  EXPECT_EQ(pixel(px, 100, 200), 0xc5d6eau);
  EXPECT_EQ(pixel(px, 100, 90), 0xffffffu);  // above the bar: background
  // The target line (30% of 50% on the right axis) at y 148, dashed, in #b42318, somewhere.
  bool target = false;
  for (int x = 60; x < 660; ++x) target = target || pixel(px, x, 148) == 0xb42318u;
  EXPECT_TRUE(target);
  // Labels are drawn: dark pixels left of the plot (tick labels).
  int dark = 0;
  for (int y = 52; y < 300; ++y)
    for (int x = 0; x < 55; ++x) dark += (pixel(px, x, y) & 0xFF) < 0x90;
  EXPECT_GT(dark, 20);
}

}  // namespace
}  // namespace chidoan::chart
