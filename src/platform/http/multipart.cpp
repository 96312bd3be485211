// multipart/form-data (RFC 7578) parsing. The whole body is already in memory (bounded by
// Limits::max_upload_bytes), so this is a single pass over a string_view.
#include "platform/http/http.hpp"
#include "platform/http/internal.hpp"

namespace chidoan::http {

namespace {

constexpr size_t kMaxParts = 1000;

std::unexpected<Error> bad() { return fail(ErrorKind::invalid, kBadForm); }

}  // namespace

bool header_param(std::string_view header, std::string_view name, std::string& out) {
  // Skip the leading value (e.g. "form-data" or "multipart/form-data").
  size_t i = header.find(';');
  while (i != std::string_view::npos && i < header.size()) {
    ++i;  // past ';'
    while (i < header.size() && (header[i] == ' ' || header[i] == '\t')) ++i;
    size_t key_start = i;
    while (i < header.size() && header[i] != '=' && header[i] != ';') ++i;
    std::string_view key = trim(header.substr(key_start, i - key_start));
    std::string value;
    if (i < header.size() && header[i] == '=') {
      ++i;
      while (i < header.size() && (header[i] == ' ' || header[i] == '\t')) ++i;
      if (i < header.size() && header[i] == '"') {
        ++i;
        while (i < header.size() && header[i] != '"') {
          // Browsers send a quote inside a name as %22; accept a backslash escape too.
          if (header[i] == '\\' && i + 1 < header.size()) ++i;
          value.push_back(header[i++]);
        }
        if (i >= header.size()) return false;  // unterminated quote: treat as absent
        ++i;                                   // closing quote
        while (i < header.size() && header[i] != ';') ++i;
      } else {
        size_t v_start = i;
        while (i < header.size() && header[i] != ';') ++i;
        value = std::string(trim(header.substr(v_start, i - v_start)));
      }
    }
    if (iequals(key, name)) {
      out = std::move(value);
      return true;
    }
    if (i >= header.size()) break;
  }
  return false;
}

Result<Form> parse_multipart(std::string_view body, std::string_view content_type) {
  std::string boundary;
  if (!header_param(content_type, "boundary", boundary) || boundary.empty() || boundary.size() > 200)
    return bad();
  const std::string delim = "--" + boundary;
  const std::string next_delim = "\r\n" + delim;

  size_t pos = 0;
  if (body.substr(0, delim.size()) != delim) {
    // A preamble before the first delimiter is allowed; it must end with CRLF.
    size_t at = body.find(next_delim);
    if (at == std::string_view::npos) return bad();
    pos = at + 2;
  }
  Form form;
  size_t parts = 0;
  for (;;) {
    pos += delim.size();  // at the end of a delimiter
    if (body.substr(pos, 2) == "--") return form;  // closing delimiter; epilogue ignored
    // Transport padding, then CRLF.
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
    if (body.substr(pos, 2) != "\r\n") return bad();
    pos += 2;
    if (++parts > kMaxParts) return bad();

    size_t headers_end = body.find("\r\n\r\n", pos);
    size_t data_start;
    std::string_view head;
    if (body.substr(pos, 2) == "\r\n") {  // a part with no headers at all
      head = {};
      data_start = pos + 2;
    } else {
      if (headers_end == std::string_view::npos) return bad();
      head = body.substr(pos, headers_end - pos);
      data_start = headers_end + 4;
    }
    size_t data_end = body.find(next_delim, data_start);
    if (data_end == std::string_view::npos) return bad();  // truncated

    std::string name, filename, part_type;
    bool has_name = false, has_filename = false;
    while (!head.empty()) {
      size_t eol = head.find("\r\n");
      std::string_view line = head.substr(0, eol);
      head = eol == std::string_view::npos ? std::string_view{} : head.substr(eol + 2);
      size_t colon = line.find(':');
      if (colon == std::string_view::npos) return bad();
      std::string_view hname = trim(line.substr(0, colon));
      std::string_view hvalue = trim(line.substr(colon + 1));
      if (iequals(hname, "content-disposition")) {
        std::string_view kind = trim(hvalue.substr(0, hvalue.find(';')));
        if (!iequals(kind, "form-data")) return bad();
        has_name = header_param(hvalue, "name", name);
        has_filename = header_param(hvalue, "filename", filename);
      } else if (iequals(hname, "content-type")) {
        part_type = std::string(hvalue);
      }
    }
    if (!has_name) return bad();
    std::string_view data = body.substr(data_start, data_end - data_start);
    if (has_filename) {
      // A file input left empty is sent as filename="" with no content: not a file.
      if (!filename.empty() || !data.empty()) {
        // Keep only the last path component (old IE sends C:\...\name.pdf).
        size_t slash = filename.find_last_of("/\\");
        if (slash != std::string::npos) filename = filename.substr(slash + 1);
        form.files.push_back(FilePart{std::move(name), std::move(filename),
                                      part_type.empty() ? "application/octet-stream" : part_type,
                                      std::string(data)});
      }
    } else {
      form.fields.emplace(std::move(name), std::string(data));
    }
    pos = data_end + 2;  // at the start of the delimiter
  }
}

}  // namespace chidoan::http
