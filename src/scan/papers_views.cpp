#include "scan/papers_views.hpp"

#include "platform/core/date.hpp"
#include "platform/text/text.hpp"
#include "scan/papers_rules.hpp"

namespace chidoan::scan {

using nlohmann::json;

namespace {

json opt(const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); }

// "26/11/2026 19:49" in Vietnam time.
std::string time_vn(int64_t unix_seconds) {
  std::string t = local_time(unix_seconds);
  return text::format_date(t.substr(0, 10)) + " " + t.substr(11, 5);
}

std::string kind_label(const std::string& kind) {
  if (kind == "bilevel") return "Đen trắng (văn bản)";
  if (kind == "gray") return "Ảnh xám";
  if (kind == "color") return "Ảnh màu";
  return kind;
}

}  // namespace

json page_json(const PageFile& g) {
  return {{"id", g.id},
          {"paper_id", g.paper_id},
          {"position", g.position},
          {"rotation", g.rotation},
          {"file_name", g.file_name},
          {"mime", g.mime},
          {"page_count", g.page_count},
          {"size", g.size},
          {"has_thumbnail", g.has_thumbnail},
          {"thumbnail_url", g.has_thumbnail ? json("/desk/pages/" + std::to_string(g.id) + "/thumbnail") : json(nullptr)},
          {"created_at", g.created_at}};
}

json paper_json(const Paper& p) {
  json report = nullptr;
  if (p.made() && !p.report.empty()) {
    report = json::parse(p.report, nullptr, false);
    if (report.is_discarded()) report = nullptr;
  }
  std::string url = "/desk/papers/" + std::to_string(p.id);
  return {{"id", p.id},
          {"assist_id", p.assist_id},
          {"name", p.name},
          {"doc_index", p.doc_index ? json(*p.doc_index) : json(nullptr)},
          {"keep_originals", p.keep_originals},
          {"created_at", p.created_at},
          {"changed_at", p.changed_at},
          {"expires_at", p.expires_at},
          {"files", p.files},
          {"pages", p.pages},
          {"upload_bytes", p.bytes},
          {"made", p.made()},
          {"made_at", opt(p.made_at)},
          {"pdf_bytes", p.pdf_bytes},
          {"pdf_pages", p.pdf_pages},
          {"closed", p.closed()},
          {"originals_deleted_at", opt(p.originals_deleted_at)},
          {"stale", p.stale()},
          {"file_name", papers_rules::file_stem(p.name) + ".pdf"},
          {"url", url},
          {"pdf_url", p.made() ? json(url + "/pdf") : json(nullptr)},
          {"report", report}};
}

std::string report_text(const Output& out) {
  json pages = json::array();
  for (const auto& r : out.pages)
    pages.push_back({{"number", r.number},
                     {"source", r.source},
                     {"kind", kind_name(r.kind)},
                     {"dpi", r.dpi},
                     {"turned", r.turned},
                     {"skew", r.skew},
                     {"blank", r.blank},
                     {"words", r.words},
                     {"bytes", r.bytes}});
  return json{{"pages", pages}, {"notes", out.notes}}.dump();
}

void add_page_labels(json& g) {
  g["size_vn"] = size_label(g["size"].get<int64_t>());
  g["rot_class"] = "rot-" + std::to_string(g["rotation"].get<int>());
  g["turned"] = g["rotation"].get<int>() != 0;
  g["several"] = g["page_count"].get<int>() > 1;
  g["is_pdf"] = g["mime"] == "application/pdf";
}

void add_paper_labels(json& p) {
  p["expires_vn"] = time_vn(p["expires_at"].get<int64_t>());
  p["has_pages"] = p["files"].get<int>() > 0;
  p["other"] = p["doc_index"].is_null();
  if (p["made"] == true) {
    p["made_vn"] = time_vn(p["made_at"].get<int64_t>());
    p["pdf_size_vn"] = size_label(p["pdf_bytes"].get<int64_t>());
  }
  if (p["report"].is_object()) {
    json& r = p["report"];
    int blank = 0, turned = 0;
    for (auto& page : r["pages"]) {
      page["kind_label"] = kind_label(page["kind"].get<std::string>());
      page["skew_vn"] = text::format_decimal(page["skew"].get<double>(), 1);
      page["was_turned"] = page["turned"].get<int>() != 0;
      blank += page["blank"] == true ? 1 : 0;
      turned += page["was_turned"] == true ? 1 : 0;
    }
    r["blank_count"] = blank;
    r["turned_count"] = turned;
    r["has_blank"] = blank > 0;
    r["has_notes"] = !r["notes"].empty();
  }
}

}  // namespace chidoan::scan
