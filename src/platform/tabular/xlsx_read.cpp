// Reading the first sheet of an .xlsx from memory: libzip for the container, pugixml for parts.
//
// Element names are matched by local name (prefix stripped) because some generators (the .NET
// OpenXML SDK among them) write "x:sheet" instead of "sheet".
#include <zip.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <pugixml.hpp>

#include "platform/tabular/internal.hpp"
#include "platform/tabular/tabular.hpp"

namespace chidoan::tabular {
namespace {

using internal::kNotXlsx;

std::unexpected<Error> not_xlsx(std::string_view detail = {}) {
  std::string message(kNotXlsx);
  if (!detail.empty()) message += " (" + std::string(detail) + ")";
  return fail(ErrorKind::invalid, std::move(message));
}

std::unexpected<Error> too_large(const Limits& limits) {
  return fail(ErrorKind::too_large, "Tệp XLSX quá lớn khi giải nén (tối đa " +
                                        std::to_string(limits.max_bytes / (1024 * 1024)) +
                                        " MB)");
}

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
using ZipPtr = std::unique_ptr<zip_t, ZipCloser>;

struct ZipFileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};

// The archive plus a running budget of uncompressed bytes actually read, so that lying size
// fields in the central directory cannot get past the limit either.
class Archive {
 public:
  Archive(ZipPtr zip, const Limits& limits) : zip_(std::move(zip)), limits_(limits) {}

  bool has(const std::string& name) const { return zip_name_locate(zip_.get(), name.c_str(), 0) >= 0; }

  // nullopt when missing; error when unreadable or over budget.
  Result<std::optional<std::string>> read(const std::string& name) {
    const zip_int64_t index = zip_name_locate(zip_.get(), name.c_str(), 0);
    if (index < 0) return std::optional<std::string>{};
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(zip_.get(), static_cast<zip_uint64_t>(index), 0, &st) != 0 ||
        !(st.valid & ZIP_STAT_SIZE)) {
      return not_xlsx(name);
    }
    if (st.size > limits_.max_bytes - std::min(used_, limits_.max_bytes)) return too_large(limits_);
    std::unique_ptr<zip_file_t, ZipFileCloser> file(
        zip_fopen_index(zip_.get(), static_cast<zip_uint64_t>(index), 0));
    if (!file) return not_xlsx(name);
    std::string out;
    out.resize(static_cast<size_t>(st.size));
    size_t got = 0;
    // Read one byte past the declared size to notice an entry that inflates to more.
    while (true) {
      if (got == out.size()) out.resize(out.size() + 1);
      const zip_int64_t r = zip_fread(file.get(), out.data() + got, out.size() - got);
      if (r < 0) return not_xlsx(name);
      if (r == 0) break;
      got += static_cast<size_t>(r);
      if (got > st.size) return not_xlsx(name);
    }
    out.resize(got);
    used_ += got;
    if (used_ > limits_.max_bytes) return too_large(limits_);
    return std::optional<std::string>(std::move(out));
  }

 private:
  ZipPtr zip_;
  const Limits& limits_;
  size_t used_ = 0;
};

std::string_view local_name(const char* name) {
  std::string_view s(name);
  const size_t colon = s.find(':');
  return colon == std::string_view::npos ? s : s.substr(colon + 1);
}

pugi::xml_node child(pugi::xml_node node, std::string_view name) {
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && local_name(c.name()) == name) return c;
  }
  return {};
}

template <typename F>
void for_each_child(pugi::xml_node node, std::string_view name, F&& f) {
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && local_name(c.name()) == name) f(c);
  }
}

// An attribute by local name, e.g. "id" matches "r:id".
pugi::xml_attribute attr(pugi::xml_node node, std::string_view name) {
  for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute()) {
    if (local_name(a.name()) == name) return a;
  }
  return {};
}

Result<pugi::xml_document*> parse(pugi::xml_document& doc, const std::string& text,
                                  const std::string& part) {
  const auto ok = doc.load_buffer(text.data(), text.size(),
                                  pugi::parse_default | pugi::parse_ws_pcdata);
  if (!ok) return not_xlsx(part);
  return &doc;
}

// Text of an element, concatenating all pcdata/cdata below it.
void append_text(pugi::xml_node node, std::string& out) {
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) out += c.value();
  }
}

// Decodes the OOXML "_xHHHH_" escapes (used for control characters; a literal "_x" sequence is
// itself escaped as "_x005F_").
std::string unescape_ooxml(std::string s) {
  if (s.find("_x") == std::string::npos) return s;
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '_' && i + 6 < s.size() && s[i + 1] == 'x' && s[i + 6] == '_') {
      unsigned value = 0;
      auto [p, ec] = std::from_chars(s.data() + i + 2, s.data() + i + 6, value, 16);
      // Surrogate halves are left as text rather than turned into invalid UTF-8.
      if (ec == std::errc{} && p == s.data() + i + 6 && (value < 0xD800 || value > 0xDFFF)) {
        if (value < 0x80) {
          out.push_back(static_cast<char>(value));
        } else if (value < 0x800) {
          out.push_back(static_cast<char>(0xC0 | (value >> 6)));
          out.push_back(static_cast<char>(0x80 | (value & 0x3F)));
        } else {
          out.push_back(static_cast<char>(0xE0 | (value >> 12)));
          out.push_back(static_cast<char>(0x80 | ((value >> 6) & 0x3F)));
          out.push_back(static_cast<char>(0x80 | (value & 0x3F)));
        }
        i += 6;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

// <si> or <is>: either a plain <t> or rich text runs <r><t>; phonetic runs <rPh> are ignored.
std::string string_item(pugi::xml_node item) {
  std::string out;
  for (pugi::xml_node c = item.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    const auto name = local_name(c.name());
    if (name == "t") {
      append_text(c, out);
    } else if (name == "r") {
      if (auto t = child(c, "t")) append_text(t, out);
    }
  }
  return unescape_ooxml(std::move(out));
}

// Directory part of a zip path with trailing '/', "" at root.
std::string dir_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

// Resolves a relationship Target against the source part's directory.
std::string resolve(const std::string& base_dir, std::string target) {
  if (!target.empty() && target.front() == '/') return target.substr(1);
  std::string path = base_dir + target;
  // Collapse "a/../" and "./" segments.
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    std::string seg = path.substr(start, slash - start);
    if (seg == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!seg.empty() && seg != ".") {
      parts.push_back(std::move(seg));
    }
    start = slash + 1;
  }
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out.push_back('/');
    out += p;
  }
  return out;
}

std::string rels_path_for(const std::string& part) {
  return dir_of(part) + "_rels/" + part.substr(dir_of(part).size()) + ".rels";
}

struct Relationship {
  std::string id;
  std::string type;
  std::string target;  // resolved to a zip path
};

// The relationships of `part` ("" for the package root: "_rels/.rels"); empty when absent.
Result<std::vector<Relationship>> read_rels(Archive& archive, const std::string& part) {
  std::vector<Relationship> out;
  const std::string path = rels_path_for(part);
  CHIDOAN_TRY(text, archive.read(path));
  if (!text) return out;
  pugi::xml_document doc;
  CHIDOAN_TRY_VOID(parse(doc, *text, path));
  for_each_child(child(doc, "Relationships"), "Relationship", [&](pugi::xml_node rel) {
    if (std::string_view(rel.attribute("TargetMode").value()) == "External") return;
    out.push_back({rel.attribute("Id").value(), rel.attribute("Type").value(),
                   resolve(dir_of(part), rel.attribute("Target").value())});
  });
  return out;
}

// Is an Excel number format a date? Quoted literals, backslash escapes and [..] sections
// (colours, locales, elapsed time) are ignored; 'm' alone counts only without h or s (minutes).
bool is_date_format(std::string_view code) {
  bool d = false, y = false, m = false, h = false, s = false;
  for (size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (c == '"') {
      const size_t close = code.find('"', i + 1);
      if (close == std::string_view::npos) break;
      i = close;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;
    } else if (c == '[') {
      const size_t close = code.find(']', i + 1);
      if (close == std::string_view::npos) break;
      i = close;
    } else if (c == ';') {
      break;  // the first section decides (positive numbers)
    } else {
      switch (c) {
        case 'd': case 'D': d = true; break;
        case 'y': case 'Y': y = true; break;
        case 'm': case 'M': m = true; break;
        case 'h': case 'H': h = true; break;
        case 's': case 'S': s = true; break;
        default: break;
      }
    }
  }
  return d || y || (m && !h && !s);
}

bool is_builtin_date(unsigned id) { return (id >= 14 && id <= 17) || id == 22; }

// For each cellXfs index: does the style format numbers as a date?
Result<std::vector<bool>> read_date_styles(Archive& archive, const std::string& path) {
  std::vector<bool> out;
  CHIDOAN_TRY(text, archive.read(path));
  if (!text) return out;
  pugi::xml_document doc;
  CHIDOAN_TRY_VOID(parse(doc, *text, path));
  const auto sheet = child(doc, "styleSheet");
  std::unordered_map<unsigned, bool> custom;
  for_each_child(child(sheet, "numFmts"), "numFmt", [&](pugi::xml_node f) {
    custom[f.attribute("numFmtId").as_uint()] = is_date_format(f.attribute("formatCode").value());
  });
  for_each_child(child(sheet, "cellXfs"), "xf", [&](pugi::xml_node xf) {
    const unsigned id = xf.attribute("numFmtId").as_uint();
    const auto it = custom.find(id);
    out.push_back(it != custom.end() ? it->second : is_builtin_date(id));
  });
  return out;
}

Result<std::vector<std::string>> read_shared_strings(Archive& archive, const std::string& path) {
  std::vector<std::string> out;
  CHIDOAN_TRY(text, archive.read(path));
  if (!text) return out;
  pugi::xml_document doc;
  CHIDOAN_TRY_VOID(parse(doc, *text, path));
  for_each_child(child(doc, "sst"), "si", [&](pugi::xml_node si) { out.push_back(string_item(si)); });
  return out;
}

// Excel's General format, 15 significant digits: 79203000123 -> "79203000123", 0.1+0.2 -> "0.3".
std::string format_number(double v) {
  if (v == 0) return "0";
  char buf[64];
  const int n = std::snprintf(buf, sizeof buf, "%.15G", v);
  return std::string(buf, static_cast<size_t>(n));
}

// Serial day number -> "YYYY-MM-DD"; nullopt when out of Excel's range.
std::optional<std::string> serial_to_date(double serial, bool date1904) {
  if (!std::isfinite(serial) || serial < 0 || serial >= 2958466) return std::nullopt;
  long long days = static_cast<long long>(std::floor(serial));
  // Days since 1970-01-01.
  long long z;
  if (date1904) {
    z = days - 24107;  // 1904-01-01 is day -24107
  } else {
    if (days == 60) return std::string("1900-02-29");  // Lotus' phantom leap day
    if (days < 60) ++days;                             // before it, serials are off by one
    z = days - 25569;                                  // 1899-12-30 is day -25569
  }
  // Howard Hinnant's civil_from_days.
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long long y = static_cast<long long>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  char buf[32];
  const int n = std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", y, m, d);
  return std::string(buf, static_cast<size_t>(n));
}

// "C7" -> column 2; nullopt when malformed or beyond Excel's last column XFD.
std::optional<size_t> column_of(std::string_view ref) {
  size_t col = 0;
  size_t i = 0;
  for (; i < ref.size(); ++i) {
    const char c = ref[i];
    if (c >= 'A' && c <= 'Z') {
      col = col * 26 + static_cast<size_t>(c - 'A' + 1);
    } else if (c >= 'a' && c <= 'z') {
      col = col * 26 + static_cast<size_t>(c - 'a' + 1);
    } else {
      break;
    }
    if (col > 16384) return std::nullopt;
  }
  if (i == 0) return std::nullopt;
  return col - 1;
}

struct SheetContext {
  const std::vector<std::string>& shared;
  const std::vector<bool>& date_styles;
  bool date1904 = false;
};

Result<std::string> cell_value(pugi::xml_node c, const SheetContext& ctx, size_t row_number) {
  const std::string_view type = c.attribute("t").value();
  auto v_text = [&] {
    std::string s;
    if (auto v = child(c, "v")) append_text(v, s);
    return s;
  };
  if (type == "s") {
    const std::string s = v_text();
    size_t index = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), index);
    if (ec != std::errc{} || p != s.data() + s.size() || index >= ctx.shared.size()) {
      return not_xlsx("chuỗi dùng chung sai ở dòng " + std::to_string(row_number));
    }
    return ctx.shared[index];
  }
  if (type == "inlineStr") {
    if (auto is = child(c, "is")) return string_item(is);
    return v_text();
  }
  if (type == "str" || type == "e") return unescape_ooxml(v_text());
  if (type == "b") {
    const std::string s = v_text();
    if (s.empty()) return s;
    return std::string(s == "1" ? "TRUE" : "FALSE");
  }
  if (type == "d") {  // ISO 8601 date cell (strict OOXML)
    std::string s = v_text();
    if (s.size() > 10 && s[4] == '-' && s[7] == '-') s.resize(10);
    return s;
  }
  // "n" or absent: a number.
  std::string s = v_text();
  internal::trim(s);
  if (s.empty()) return s;
  double value = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || p != s.data() + s.size()) return s;  // keep whatever is stored
  const unsigned style = c.attribute("s").as_uint(0);
  if (style < ctx.date_styles.size() && ctx.date_styles[style]) {
    if (auto date = serial_to_date(value, ctx.date1904)) return *date;
  }
  return format_number(value);
}

ZipPtr open_zip(std::string_view bytes) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (!src) {
    zip_error_fini(&error);
    return nullptr;
  }
  zip_t* z = zip_open_from_source(src, ZIP_RDONLY, &error);
  if (!z) zip_source_free(src);  // on failure the source is still ours
  zip_error_fini(&error);
  return ZipPtr(z);
}

}  // namespace

Result<Table> read_xlsx(std::string_view bytes, const Limits& limits) {
  ZipPtr zip = open_zip(bytes);
  if (!zip) return not_xlsx();

  // Zip-bomb guard from the central directory; Archive::read also counts real bytes.
  const zip_int64_t entries = zip_get_num_entries(zip.get(), 0);
  if (entries < 0) return not_xlsx();
  if (static_cast<zip_uint64_t>(entries) > 10'000) return too_large(limits);
  zip_uint64_t total = 0;
  for (zip_int64_t i = 0; i < entries; ++i) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(zip.get(), static_cast<zip_uint64_t>(i), 0, &st) != 0) return not_xlsx();
    if (st.valid & ZIP_STAT_SIZE) total += st.size;
    if (total > limits.max_bytes) return too_large(limits);
  }

  Archive archive(std::move(zip), limits);

  // Package root -> workbook part (normally xl/workbook.xml).
  std::string workbook_path = "xl/workbook.xml";
  CHIDOAN_TRY(root_rels, read_rels(archive, ""));
  for (const auto& rel : root_rels) {
    if (rel.type.ends_with("/officeDocument")) workbook_path = rel.target;
  }

  CHIDOAN_TRY(workbook_text, archive.read(workbook_path));
  if (!workbook_text) return not_xlsx();
  pugi::xml_document workbook;
  CHIDOAN_TRY_VOID(parse(workbook, *workbook_text, workbook_path));
  const auto wb = child(workbook, "workbook");
  if (!wb) return not_xlsx();
  const bool date1904 = [&] {
    const std::string_view v = attr(child(wb, "workbookPr"), "date1904").value();
    return v == "1" || v == "true";
  }();
  const auto first_sheet = child(child(wb, "sheets"), "sheet");
  if (!first_sheet) return not_xlsx("không có trang tính");
  const std::string_view first_id = attr(first_sheet, "id").value();

  CHIDOAN_TRY(rels, read_rels(archive, workbook_path));
  std::string sheet_path;
  std::string shared_path = dir_of(workbook_path) + "sharedStrings.xml";
  std::string styles_path = dir_of(workbook_path) + "styles.xml";
  for (const auto& rel : rels) {
    if (rel.id == first_id) sheet_path = rel.target;
    if (rel.type.ends_with("/sharedStrings")) shared_path = rel.target;
    if (rel.type.ends_with("/styles")) styles_path = rel.target;
  }
  if (sheet_path.empty()) return not_xlsx("không tìm thấy trang tính đầu tiên");

  CHIDOAN_TRY(shared, read_shared_strings(archive, shared_path));
  CHIDOAN_TRY(date_styles, read_date_styles(archive, styles_path));

  CHIDOAN_TRY(sheet_text, archive.read(sheet_path));
  if (!sheet_text) return not_xlsx("thiếu " + sheet_path);
  pugi::xml_document sheet;
  CHIDOAN_TRY_VOID(parse(sheet, *sheet_text, sheet_path));
  sheet_text->clear();
  sheet_text->shrink_to_fit();
  const auto data = child(child(sheet, "worksheet"), "sheetData");
  if (!child(sheet, "worksheet")) return not_xlsx("trang tính đầu tiên không phải bảng tính");

  const SheetContext ctx{shared, date_styles, date1904};
  internal::TableBuilder builder(internal::Source::xlsx, limits);
  size_t rows_seen = 0;
  size_t row_number = 0;
  for (pugi::xml_node row = data.first_child(); row; row = row.next_sibling()) {
    if (row.type() != pugi::node_element || local_name(row.name()) != "row") continue;
    if (++rows_seen > limits.max_rows) {
      return fail(ErrorKind::too_large,
                  "Trang tính có quá " + std::to_string(limits.max_rows) + " dòng");
    }
    const size_t r = row.attribute("r").as_ullong(0);
    row_number = r > 0 ? r : row_number + 1;
    std::vector<std::string> cells;
    size_t next_col = 0;
    for (pugi::xml_node c = row.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element || local_name(c.name()) != "c") continue;
      size_t col = next_col;
      if (const auto ref = c.attribute("r")) {
        const auto parsed = column_of(ref.value());
        if (!parsed) return not_xlsx("ô \"" + std::string(ref.value()) + "\" không hợp lệ");
        col = *parsed;
      } else if (col >= 16384) {
        return not_xlsx("quá nhiều cột ở dòng " + std::to_string(row_number));
      }
      next_col = col + 1;
      CHIDOAN_TRY(value, cell_value(c, ctx, row_number));
      internal::trim(value);
      if (value.empty()) continue;  // sparse far-right empty cells cost nothing
      if (internal::find_invalid_utf8(value) != std::string_view::npos) {
        return not_xlsx("mã ký tự sai ở dòng " + std::to_string(row_number));
      }
      // Refuse early, before allocating up to column XFD for every row.
      if (builder.has_header() && col >= builder.width()) {
        return std::unexpected(builder.extra_cell(row_number, col, col + 1));
      }
      if (cells.size() <= col) cells.resize(col + 1);
      cells[col] = std::move(value);
    }
    CHIDOAN_TRY_VOID(builder.add(std::move(cells), row_number));
  }
  return builder.take();
}

}  // namespace chidoan::tabular
