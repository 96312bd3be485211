// SMS / Zalo through a webhook: the notice is POSTed as JSON to a gateway the branch runs or
// rents, which does the actual sending.
//
//   POST <url>
//   Authorization: Bearer <secret>
//   Content-Type: application/json; charset=utf-8
//   {"to": "0912345678", "subject": "...", "text": "...", "kind": "blood.callout"}
//
// Any 2xx reply means sent; anything else (or no reply within the timeout) is retried.
#pragma once

#include <chrono>
#include <string>

#include "platform/notify/outbox.hpp"

namespace chidoan::notify {

struct WebhookSettings {
  std::string url;     // http:// or https://
  std::string secret;  // the bearer token the gateway checks
  std::chrono::seconds timeout{10};
};

// The JSON body for `m`.
std::string webhook_json(const Message& m);

// Thread-safe: each send is its own request.
class WebhookTransport final : public Transport {
 public:
  explicit WebhookTransport(WebhookSettings settings) : settings_(std::move(settings)) {}
  // Errors: ErrorKind::invalid for a message not fit to send; ErrorKind::unavailable for no
  // reply, or a reply other than 2xx (the status is in the message).
  Result<void> send(const Message& m) override;

 private:
  WebhookSettings settings_;
};

}  // namespace chidoan::notify
