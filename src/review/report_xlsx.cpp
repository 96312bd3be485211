#include "review/report_xlsx.hpp"

#include "platform/tabular/tabular.hpp"
#include "review/report_tables.hpp"

namespace chidoan::review {

using nlohmann::json;

Result<std::string> report_xlsx(const json& view, const json& words) {
  std::vector<tabular::Sheet> sheets;

  tabular::Sheet overview{report_word(words, "overview_sheet"), {}, {}};
  overview.table.header = {report_word(words, "paragraph")};
  const json org = view.value("org", json::object());
  overview.table.rows.push_back({org.value("name", std::string())});
  overview.table.rows.push_back({report_word(words, "doc_title") + " " + report_word(words, "doc_subtitle") + " " + std::to_string(view.value("year", 0))});
  for (const auto& p : view.value("narrative", json::array())) overview.table.rows.push_back({p.get<std::string>()});
  sheets.push_back(std::move(overview));

  for (const auto& t : report_tables(view, words)) {
    tabular::Sheet s{t.title, {}, {}};
    s.table.header = t.columns;
    for (const auto& row : t.rows) {
      std::vector<std::string> cells;
      std::vector<std::optional<tabular::Number>> numbers;
      for (const auto& cell : row) {
        cells.push_back(cell.text);
        numbers.push_back(cell.number ? std::optional<tabular::Number>(tabular::Number{*cell.number, cell.format}) : std::nullopt);
      }
      s.table.rows.push_back(std::move(cells));
      s.numbers.push_back(std::move(numbers));
    }
    sheets.push_back(std::move(s));
  }
  return tabular::write_xlsx(sheets);
}

}  // namespace chidoan::review
