// E-mail over SMTP (libcurl): smtp:// (optionally upgraded with STARTTLS) or smtps://.
//
// What is sent is a plain RFC 5322 message, 7-bit clean so any relay takes it:
//   Date, From, To, Subject (RFC 2047 "=?UTF-8?B?...?=" words when not plain ASCII),
//   Message-ID, MIME-Version, Content-Type: text/plain; charset=UTF-8,
//   Content-Transfer-Encoding: base64 (the body with CRLF line ends).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "platform/core/clock.hpp"
#include "platform/notify/outbox.hpp"

namespace chidoan::notify {

// A mailbox as in a From header: "Chi đoàn Văn phòng <noreply@example.org>" or a bare address.
struct Mailbox {
  std::string name;  // may be empty
  std::string address;
};
// ErrorKind::invalid when there is no plausible address.
Result<Mailbox> parse_mailbox(std::string_view text);

struct SmtpSettings {
  std::string url;       // smtp://host[:port] or smtps://host[:port]
  Mailbox from;
  std::string user;      // empty: no AUTH
  std::string password;
  bool starttls = false;  // smtp:// only: require STARTTLS before anything is sent
  std::chrono::seconds timeout{30};
};

// RFC 2047 encoded words for a header value: the text itself when it is printable ASCII,
// otherwise "=?UTF-8?B?...?=" words of at most 64 characters (no character split between two),
// folded with CRLF SP.
std::string encode_header_text(std::string_view utf8);
// The whole message as sent (CRLF line ends). `date` is written in UTC.
std::string format_email(const Message& m, const Mailbox& from, std::chrono::system_clock::time_point date,
                         std::string_view message_id);

// Thread-safe: each send opens its own connection. REQUIRES: clock outlives the transport.
class SmtpTransport final : public Transport {
 public:
  SmtpTransport(SmtpSettings settings, const Clock& clock) : settings_(std::move(settings)), clock_(clock) {}
  // Errors: ErrorKind::invalid for a message no server could take (bad recipient or header);
  // ErrorKind::unavailable for everything on the way (connection, login, refusal by the server).
  Result<void> send(const Message& m) override;

 private:
  SmtpSettings settings_;
  const Clock& clock_;
};

}  // namespace chidoan::notify
