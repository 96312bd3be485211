#include "review/report_pdf.hpp"

#include "platform/chart/chart.hpp"
#include "platform/pdf/pdf.hpp"
#include "review/report_charts.hpp"
#include "review/report_tables.hpp"

namespace chidoan::review {
namespace {

using nlohmann::json;

// The heading block of a Union document (as templates/review/heading.mustache).
void heading_block(pdf::Document& doc, const json& h) {
  const pdf::Style left{.size = 11, .align = pdf::Align::center, .space_after = 0};
  pdf::Style left_strong = left;
  left_strong.bold = true;
  pdf::Box issuer{1.3, {}};
  if (auto s = report_str(h, "superior"); !s.empty()) issuer.lines.push_back({s, left});
  issuer.lines.push_back({report_str(h, "issuer"), left_strong});
  issuer.lines.push_back({"***", left});
  pdf::Style union_name = left_strong;
  union_name.size = 12;
  union_name.underline = true;
  pdf::Style date = left;
  date.italic = true;
  date.space_before = 6;
  pdf::Box right{1, {{"ĐOÀN TNCS HỒ CHÍ MINH", union_name}, {report_str(h, "place_date"), date}}};
  doc.boxes({issuer, right}, 14);
}

}  // namespace

Result<std::string> report_pdf(const json& view, const json& words) {
  const json org = view.value("org", json::object());
  const std::string year = std::to_string(view.value("year", 0));
  const std::string title = report_word(words, "doc_subtitle") + " " + year;

  pdf::Options options;
  options.body = pdf::Style{.size = 12, .align = pdf::Align::justify, .line_spacing = 1.15, .space_after = 6};
  options.footer_text = report_str(org, "name") + " – " + title;
  options.metadata = pdf::Metadata{.title = report_word(words, "doc_title") + " " + title + " – " + report_str(org, "name"),
                                   .author = report_str(org, "name"),
                                   .subject = title,
                                   .keywords = "báo cáo tổng kết, " + year,
                                   .created = report_str(view, "generated_on")};
  pdf::Document doc(options);

  heading_block(doc, view.value("heading", json::object()));
  doc.heading(report_word(words, "doc_title"), pdf::Style{.size = 15, .bold = true, .align = pdf::Align::center, .space_after = 2});
  doc.heading(title, pdf::Style{.size = 13, .bold = true, .align = pdf::Align::center, .space_after = 14});

  for (const auto& p : view.value("narrative", json::array())) doc.paragraph(p.get<std::string>());

  const auto charts = report_charts(view, words);
  int number = 0;
  for (const auto& t : report_tables(view, words)) {
    doc.heading(std::to_string(++number) + ". " + t.title, 2);
    pdf::Table table;
    for (size_t c = 0; c < t.columns.size(); ++c)
      table.columns.push_back({t.columns[c], t.columns.size() == 2 && c == 0 ? 1.6 : 1.0, t.numeric[c] ? pdf::Align::right : pdf::Align::left});
    if (t.key == "awards")
      table.columns = {{t.columns[0], 1.1}, {t.columns[1], 2.6}, {t.columns[2], 1.8}, {t.columns[3], 1.1}, {t.columns[4], 1.4}, {t.columns[5], 1.6}};
    if (t.key == "campaigns") table.columns[0].width = 2.4;
    for (const auto& row : t.rows) {
      std::vector<std::string> cells;
      for (const auto& cell : row) cells.push_back(cell.text);
      table.rows.push_back(std::move(cells));
    }
    table.cell.size = 10;
    table.header.size = 10;
    doc.table(table);
    // Each chart under its title, kept together on one page.
    for (const auto& c : charts) {
      if (c.part != t.key) continue;
      static constexpr double kCaption = 18;  // static: the drawing uses it without capturing it
      const double width = doc.text_width();
      const double height = width * c.chart.height / c.chart.width;
      doc.drawing(
          kCaption + height,
          [chart = c.chart](cairo_t* cr, double w, double h) {
            pdf::draw_text(cr, chart.title, pdf::Style{.family = pdf::kSans, .size = 9.5, .bold = true, .align = pdf::Align::center}, 0, 0, w);
            cairo_translate(cr, 0, kCaption);
            chart::draw(cr, chart, w, h - kCaption);
          },
          12);
    }
  }
  return doc.finish();
}

}  // namespace chidoan::review
