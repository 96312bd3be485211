#include "scan/papers_rules.hpp"

#include <algorithm>
#include <charconv>

#include "platform/core/sniff.hpp"
#include "platform/text/text.hpp"

namespace chidoan::scan::papers_rules {
namespace {

// The first `max_chars` code points of valid UTF-8.
std::string first_chars(std::string_view s, size_t max_chars) {
  size_t chars = 0, i = 0;
  while (i < s.size()) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (chars == max_chars) break;
      ++chars;
    }
    ++i;
  }
  return std::string(s.substr(0, i));
}

size_t char_count(std::string_view s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::optional<int> to_int(std::string_view s) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string mb(int64_t bytes) { return std::to_string(bytes / (1024 * 1024)) + " MB"; }

}  // namespace

// ---- Uploads

std::optional<std::string> sniff_mime(std::string_view b) {
  auto type = sniff_type(b);
  if (!type || *type == "image/webp") return std::nullopt;  // the digitiser reads no WebP
  return std::string(*type);
}

Error file_error(std::string_view file_name, std::string_view message) {
  std::string quoted = "\"" + std::string(file_name) + "\"";
  if (message.find(quoted) != std::string_view::npos) return Error{ErrorKind::invalid, std::string(message), "pages"};
  return Error{ErrorKind::invalid, "Tệp " + quoted + ": " + std::string(message), "pages"};
}

Result<std::string> check_file(std::string_view file_name, std::string_view bytes) {
  if (bytes.empty()) return std::unexpected(file_error(file_name, "tệp rỗng, hãy chụp hoặc chọn lại"));
  if (static_cast<int64_t>(bytes.size()) > kMaxFileBytes)
    return std::unexpected(file_error(file_name, "lớn hơn " + mb(kMaxFileBytes) + " (mỗi tệp tối đa " + mb(kMaxFileBytes) + ")"));
  auto mime = sniff_mime(bytes);
  if (!mime) return std::unexpected(file_error(file_name, "không phải ảnh JPEG, PNG, TIFF hay tệp PDF"));
  return *mime;
}

std::string shown_file_name(std::string_view raw, size_t n) {
  std::string_view base = raw;
  if (auto slash = base.find_last_of("/\\"); slash != std::string_view::npos) base = base.substr(slash + 1);
  auto clean = text::normalize(base);
  if (!clean || clean->empty()) return "tệp " + std::to_string(n);
  return first_chars(*clean, kMaxFileNameChars);
}

Result<void> check_page_total(int existing, int adding) {
  if (existing + adding > kMaxPages)
    return fail(ErrorKind::invalid,
                "Một giấy tờ có tối đa " + std::to_string(kMaxPages) + " trang; đã có " + std::to_string(existing) + ", tải thêm " +
                    std::to_string(adding),
                "pages");
  return {};
}

Result<void> check_byte_total(int64_t existing, int64_t adding) {
  if (existing + adding > kMaxPaperBytes)
    return fail(ErrorKind::invalid,
                "Ảnh gốc của một giấy tờ tối đa " + mb(kMaxPaperBytes) + "; đã có " + mb(existing) + ", tải thêm " + mb(adding), "pages");
  return {};
}

// ---- Papers

Result<PaperName> validate_paper(const RawFields& raw, const std::vector<std::string>& documents) {
  auto get = [&](const char* k) {
    auto it = raw.find(k);
    return it == raw.end() ? std::string() : it->second;
  };
  auto document = text::normalize(get("document"));
  if (!document) return fail(ErrorKind::invalid, document.error().message, "document");
  auto name = text::normalize(get("name"));
  if (!name) return fail(ErrorKind::invalid, name.error().message, "name");
  if (!document->empty()) {
    if (!name->empty()) return fail(ErrorKind::invalid, "Chọn một giấy tờ trong danh sách hoặc ghi tên giấy tờ khác, không cả hai", "name");
    if (auto n = to_int(*document)) {
      if (*n < 1 || static_cast<size_t>(*n) > documents.size())
        return fail(ErrorKind::invalid, "Thủ tục này không có giấy tờ số " + *document, "document");
      return PaperName{documents[static_cast<size_t>(*n - 1)], *n};
    }
    for (size_t i = 0; i < documents.size(); ++i)
      if (documents[i] == *document) return PaperName{documents[i], static_cast<int>(i + 1)};
    return fail(ErrorKind::invalid, "Giấy tờ \"" + *document + "\" không có trong thành phần hồ sơ của thủ tục", "document");
  }
  if (name->empty()) return PaperName{std::string(kOtherPaper), std::nullopt};
  if (char_count(*name) > kMaxNameChars)
    return fail(ErrorKind::invalid, "Tên giấy tờ tối đa " + std::to_string(kMaxNameChars) + " ký tự", "name");
  return PaperName{*name, std::nullopt};
}

Result<bool> parse_flag(std::string_view raw, const std::string& field) {
  if (raw.empty() || raw == "0" || raw == "false" || raw == "off") return false;
  if (raw == "1" || raw == "true" || raw == "on") return true;
  return fail(ErrorKind::invalid, "Giá trị phải là 0 hoặc 1", field);
}

// ---- Pages

Result<int> parse_turn(std::string_view raw, const std::string& field) {
  auto n = to_int(raw);
  if (!n || *n == 0 || *n % 90 != 0 || *n < -270 || *n > 270)
    return fail(ErrorKind::invalid, "Góc xoay phải là 90, 180, 270 độ (số âm: ngược chiều kim đồng hồ)", field);
  return *n;
}

int turned(int rotation, int by) { return (((rotation + by) % 360) + 360) % 360; }

Result<int> parse_move(std::string_view raw, int from, int count, const std::string& field) {
  if (raw == "up") return std::max(1, from - 1);
  if (raw == "down") return std::min(count, from + 1);
  if (raw == "first") return 1;
  if (raw == "last") return count;
  auto n = to_int(raw);
  if (!n || *n < 1 || *n > count)
    return fail(ErrorKind::invalid, "Vị trí phải là up, down, first, last hoặc một số từ 1 đến " + std::to_string(count), field);
  return *n;
}

std::vector<int64_t> moved(std::vector<int64_t> ids, int64_t id, int to) {
  auto it = std::find(ids.begin(), ids.end(), id);
  if (it == ids.end()) return ids;
  ids.erase(it);
  size_t at = static_cast<size_t>(std::clamp(to, 1, static_cast<int>(ids.size()) + 1) - 1);
  ids.insert(ids.begin() + static_cast<std::ptrdiff_t>(at), id);
  return ids;
}

// ---- The download

std::string file_stem(std::string_view name) {
  std::string folded = text::search_fold(name);
  std::string out;
  for (char c : folded) {
    bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (keep) out += c;
    else if (!out.empty() && out.back() != '-') out += '-';
  }
  if (out.size() > 80) out.resize(80);
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "giay-to" : out;
}

std::string content_disposition(std::string_view name, std::string_view ext) {
  std::string safe;
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    bool bad = u < 0x20 || u == 0x7F || std::string_view("/\\:*?\"<>|").find(c) != std::string_view::npos;
    safe += bad ? '-' : c;
  }
  safe += ext;
  static const char* hex = "0123456789ABCDEF";
  std::string encoded;
  for (char c : safe) {
    auto u = static_cast<unsigned char>(c);
    bool plain = (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (plain) encoded += c;
    else {
      encoded += '%';
      encoded += hex[u >> 4];
      encoded += hex[u & 15];
    }
  }
  return "attachment; filename=\"" + file_stem(name) + std::string(ext) + "\"; filename*=UTF-8''" + encoded;
}

}  // namespace chidoan::scan::papers_rules
