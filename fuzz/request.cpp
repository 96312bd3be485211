// Fuzzes what a handler reads from a request once the server has it: the form body
// (application/x-www-form-urlencoded or multipart/form-data with its boundary and part headers),
// the cookies, the query string, the percent-decoded path and the client's address behind a
// proxy.
//
// Input: three lines, then the body. Line 1 is the Content-Type header, line 2 the Cookie header,
// line 3 the request target (path and query); a fourth line, if any, is X-Forwarded-For. A
// missing line is empty. Keeping the input text makes the seeds readable and easy to write.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "platform/http/http.hpp"

namespace {

using namespace chidoan;

// Cuts the first line off `rest` (without its '\n').
std::string_view take_line(std::string_view& rest) {
  size_t nl = rest.find('\n');
  std::string_view line = rest.substr(0, nl);
  rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
  return line;
}

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz_request: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  std::string_view content_type = take_line(rest);
  std::string_view cookie = take_line(rest);
  std::string_view target = take_line(rest);
  std::string_view forwarded = take_line(rest);

  http::Request req;
  req.method = "POST";
  req.target = std::string(target);
  size_t q = target.find('?');
  req.path = http::url_decode(target.substr(0, q), false);
  if (q != std::string_view::npos) req.query = http::parse_query(target.substr(q + 1));
  req.headers["content-type"] = std::string(content_type);
  if (!cookie.empty()) req.headers["cookie"] = std::string(cookie);
  req.body = std::string(rest);
  req.remote_addr = http::client_address("127.0.0.1", forwarded, {"127.0.0.1", "::1"});

  // What web::route and the handlers ask of every request.
  (void)req.cookie("chidoan_session");
  (void)req.cookie(std::string_view(cookie).substr(0, cookie.find('=')));
  (void)req.query_param("q");
  (void)req.wants_json();
  auto form = req.form();
  if (form) {
    (void)form->get("_csrf");
    for (const auto& f : form->files) {
      // Only the last path component of an uploaded file's name is kept.
      check(f.filename.find_first_of("/\\") == std::string::npos, "a file name kept a directory");
      (void)form->file(f.field);
    }
  } else {
    check(form.error().kind == ErrorKind::invalid, "a malformed form is not ErrorKind::invalid");
  }

  // Percent-encoding round trips whatever the bytes.
  check(http::url_decode(http::url_encode(rest), false) == rest, "url_decode(url_encode(s)) != s");
  check(http::url_decode(http::url_encode(rest), true) == rest, "url_decode(url_encode(s), plus) != s");
  // Escaped text carries none of the characters it escapes.
  std::string escaped = http::html_escape(rest);
  check(escaped.find_first_of("<>\"'") == std::string::npos, "html_escape left a special character");
  std::string json = http::json_escape(rest);
  for (char c : json) check(static_cast<unsigned char>(c) >= 0x20 && c != '<', "json_escape left a control character");
  return 0;
}
