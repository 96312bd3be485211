// Where notices go, from the environment. Unset variables leave a channel without a transport:
// its notices stay pending (and are listed on the admin page) until one is configured.
//
//   CHIDOAN_SMTP_URL        smtp://host:port or smtps://host:465 (implicit TLS)
//   CHIDOAN_SMTP_FROM       required with CHIDOAN_SMTP_URL: "Chi đoàn Văn phòng <noreply@example.org>"
//                           or a bare address
//   CHIDOAN_SMTP_USER       optional login (AUTH); CHIDOAN_SMTP_PASSWORD its password
//   CHIDOAN_SMTP_STARTTLS   1: require STARTTLS on smtp:// (port 587); 0 or unset: none
//   CHIDOAN_WEBHOOK_URL     http(s):// URL of the SMS/Zalo gateway (see webhook.hpp)
//   CHIDOAN_WEBHOOK_SECRET  required with CHIDOAN_WEBHOOK_URL (printable ASCII, no spaces): sent as
//                           "Authorization: Bearer <secret>"
// TLS peers are verified against the system's CA store.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "platform/notify/dispatcher.hpp"
#include "platform/notify/smtp.hpp"
#include "platform/notify/webhook.hpp"

namespace chidoan::notify {

struct Settings {
  std::optional<SmtpSettings> smtp;
  std::optional<WebhookSettings> webhook;
};

// Reads a variable; "" when unset.
using Lookup = std::function<std::string(const char* name)>;
std::string from_environment(const char* name);

// Bad values: ErrorKind::invalid with the variable's name as the field.
Result<Settings> settings_from(const Lookup& get = from_environment);

// The transports the settings describe, owned; transports() views them for a Dispatcher.
// REQUIRES: clock outlives the result.
struct ConfiguredTransports {
  std::unique_ptr<Transport> email;
  std::unique_ptr<Transport> webhook;
  Transports transports() const { return {email.get(), webhook.get()}; }
};
ConfiguredTransports make_transports(const Settings& s, const Clock& clock);

}  // namespace chidoan::notify
