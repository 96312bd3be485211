#include "platform/notify/smtp.hpp"

#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>

#include "platform/notify/curl.hpp"

namespace chidoan::notify {

namespace {

std::string base64(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

bool printable_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c >= 0x20 && c < 0x7f; });
}

// The body in its canonical form (CRLF line ends), base64 in lines of 76.
std::string body_base64(std::string_view text) {
  std::string crlf;
  for (char c : text) {
    if (c == '\r') continue;
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  std::string b64 = base64(crlf), out;
  for (size_t i = 0; i < b64.size(); i += 76) out.append(b64, i, 76).append("\r\n");
  return out;
}

std::string rfc5322_date(std::chrono::system_clock::time_point t) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  auto day = std::chrono::floor<std::chrono::days>(t);
  std::chrono::year_month_day ymd{day};
  std::chrono::hh_mm_ss hms{std::chrono::floor<std::chrono::seconds>(t - day)};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02d:%02d:%02d +0000",
                kDays[std::chrono::weekday{day}.c_encoding()], static_cast<unsigned>(ymd.day()),
                kMonths[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

std::string format_mailbox(const Mailbox& m) {
  if (m.name.empty()) return "<" + m.address + ">";
  // A plain ASCII display name is quoted; specials inside it would need escaping, so encode
  // those too.
  bool plain = printable_ascii(m.name) && m.name.find_first_of("\"\\") == std::string::npos;
  if (plain) return "\"" + m.name + "\" <" + m.address + ">";
  return encode_header_text(m.name) + "\r\n <" + m.address + ">";
}

// Unique per process and time; the domain is the sender's, as RFC 5322 suggests.
std::string new_message_id(const Clock& clock, const Mailbox& from) {
  static std::atomic<uint64_t> counter{0};
  return "<" + std::to_string(clock.unix_seconds()) + "." + std::to_string(::getpid()) + "." +
         std::to_string(++counter) + ".chidoan" + from.address.substr(from.address.find('@')) + ">";
}

struct Upload {
  std::string_view data;
  size_t pos = 0;
};

size_t read_upload(char* buf, size_t size, size_t n, void* user) {
  auto* up = static_cast<Upload*>(user);
  size_t len = std::min(size * n, up->data.size() - up->pos);
  std::memcpy(buf, up->data.data() + up->pos, len);
  up->pos += len;
  return len;
}

}  // namespace

Result<Mailbox> parse_mailbox(std::string_view text) {
  Mailbox m;
  auto open = text.rfind('<');
  if (open != std::string_view::npos && text.ends_with('>')) {
    std::string_view name = text.substr(0, open);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
    m.name = std::string(name);
    m.address = std::string(text.substr(open + 1, text.size() - open - 2));
  } else {
    m.address = std::string(text);
  }
  if (!is_email_address(m.address) || m.name.find_first_of("\r\n") != std::string::npos)
    return fail(ErrorKind::invalid, "Địa chỉ người gửi không hợp lệ: '" + std::string(text) + "'", "from");
  return m;
}

std::string encode_header_text(std::string_view utf8) {
  if (printable_ascii(utf8) && utf8.find("=?") == std::string_view::npos && utf8.size() <= 900)
    return std::string(utf8);
  // 39 bytes -> 52 base64 characters -> 64 with "=?UTF-8?B?" and "?=": a line of a header
  // name up to 12 characters and one word stays within the 76 RFC 2047 allows.
  constexpr size_t kChunk = 39;
  std::string out;
  for (size_t i = 0; i < utf8.size();) {
    size_t end = std::min(utf8.size(), i + kChunk);
    while (end < utf8.size() && end > i + 1 && (static_cast<unsigned char>(utf8[end]) & 0xC0) == 0x80) --end;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(utf8.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string format_email(const Message& m, const Mailbox& from, std::chrono::system_clock::time_point date,
                         std::string_view message_id) {
  std::string out;
  out += "Date: " + rfc5322_date(date) + "\r\n";
  out += "From: " + format_mailbox(from) + "\r\n";
  out += "To: <" + m.recipient + ">\r\n";
  out += "Subject: " + encode_header_text(m.subject) + "\r\n";
  out += "Message-ID: " + std::string(message_id) + "\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=UTF-8\r\n";
  out += "Content-Transfer-Encoding: base64\r\n";
  out += "\r\n";
  out += body_base64(m.body);
  return out;
}

Result<void> SmtpTransport::send(const Message& m) {
  CHIDOAN_TRY_VOID(validate(m));
  if (m.channel != Channel::email) return fail(ErrorKind::invalid, "SMTP chỉ gửi e-mail", "channel");
  std::string text = format_email(m, settings_.from, clock_.now(), new_message_id(clock_, settings_.from));

  CHIDOAN_TRY(h, detail::curl_handle(settings_.url, "smtp,smtps", settings_.timeout));
  detail::CurlList rcpt;
  detail::curl_append(rcpt, "<" + m.recipient + ">");
  std::string mail_from = "<" + settings_.from.address + ">";
  Upload up{text};
  CURL* c = h.get();
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(settings_.starttls ? CURLUSESSL_ALL : CURLUSESSL_NONE));
  if (!settings_.user.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, settings_.user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, settings_.password.c_str());
  }
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(c, CURLOPT_READDATA, &up);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(text.size()));
  return detail::curl_perform(c, "SMTP");
}

}  // namespace chidoan::notify
