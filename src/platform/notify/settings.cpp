#include "platform/notify/settings.hpp"

#include <algorithm>
#include <cstdlib>

namespace chidoan::notify {

std::string from_environment(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

Result<Settings> settings_from(const Lookup& get) {
  Settings s;
  if (std::string url = get("CHIDOAN_SMTP_URL"); !url.empty()) {
    if (!url.starts_with("smtp://") && !url.starts_with("smtps://"))
      return fail(ErrorKind::invalid, "CHIDOAN_SMTP_URL phải bắt đầu bằng smtp:// hoặc smtps://", "CHIDOAN_SMTP_URL");
    auto from = parse_mailbox(get("CHIDOAN_SMTP_FROM"));
    if (!from) return fail(ErrorKind::invalid, from.error().message, "CHIDOAN_SMTP_FROM");
    std::string starttls = get("CHIDOAN_SMTP_STARTTLS");
    if (starttls != "" && starttls != "0" && starttls != "1")
      return fail(ErrorKind::invalid, "CHIDOAN_SMTP_STARTTLS là 0 hoặc 1", "CHIDOAN_SMTP_STARTTLS");
    s.smtp = SmtpSettings{.url = url, .from = *from, .user = get("CHIDOAN_SMTP_USER"),
                          .password = get("CHIDOAN_SMTP_PASSWORD"), .starttls = starttls == "1"};
  }
  if (std::string url = get("CHIDOAN_WEBHOOK_URL"); !url.empty()) {
    if (!url.starts_with("http://") && !url.starts_with("https://"))
      return fail(ErrorKind::invalid, "CHIDOAN_WEBHOOK_URL phải bắt đầu bằng http:// hoặc https://",
                  "CHIDOAN_WEBHOOK_URL");
    std::string secret = get("CHIDOAN_WEBHOOK_SECRET");
    // It goes into an HTTP header: printable ASCII without spaces.
    bool token = !secret.empty() &&
                 std::all_of(secret.begin(), secret.end(), [](unsigned char c) { return c > 0x20 && c < 0x7f; });
    if (!token)
      return fail(ErrorKind::invalid, "CHIDOAN_WEBHOOK_SECRET phải có, gồm ký tự ASCII in được, không dấu cách",
                  "CHIDOAN_WEBHOOK_SECRET");
    s.webhook = WebhookSettings{.url = url, .secret = secret};
  }
  return s;
}

ConfiguredTransports make_transports(const Settings& s, const Clock& clock) {
  ConfiguredTransports t;
  if (s.smtp) t.email = std::make_unique<SmtpTransport>(*s.smtp, clock);
  if (s.webhook) t.webhook = std::make_unique<WebhookTransport>(*s.webhook);
  return t;
}

}  // namespace chidoan::notify
