#include "platform/notify/webhook.hpp"

#include <nlohmann/json.hpp>

#include "platform/notify/curl.hpp"

namespace chidoan::notify {

namespace {

size_t discard(char*, size_t size, size_t n, void*) { return size * n; }

}  // namespace

std::string webhook_json(const Message& m) {
  return nlohmann::json{{"to", m.recipient}, {"subject", m.subject}, {"text", m.body}, {"kind", m.kind}}.dump();
}

Result<void> WebhookTransport::send(const Message& m) {
  CHIDOAN_TRY_VOID(validate(m));
  std::string body = webhook_json(m);
  CHIDOAN_TRY(h, detail::curl_handle(settings_.url, "http,https", settings_.timeout));
  detail::CurlList headers;
  detail::curl_append(headers, "Content-Type: application/json; charset=utf-8");
  detail::curl_append(headers, "Authorization: Bearer " + settings_.secret);
  detail::curl_append(headers, "Expect:");  // no 1 s wait for "100 Continue" on longer texts
  CURL* c = h.get();
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
  CHIDOAN_TRY_VOID(detail::curl_perform(c, "webhook"));
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status > 299)
    return fail(ErrorKind::unavailable, "webhook: HTTP " + std::to_string(status));
  return {};
}

}  // namespace chidoan::notify
