#include "platform/notify/curl.hpp"

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <new>
#include <string>

namespace chidoan::notify::detail {

Result<CurlHandle> curl_handle(const std::string& url, const char* protocols, std::chrono::seconds timeout) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  CurlHandle h(curl_easy_init());
  if (!h) return fail(ErrorKind::unavailable, "libcurl: curl_easy_init failed");
  curl_easy_setopt(h.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(h.get(), CURLOPT_PROTOCOLS_STR, protocols);
  curl_easy_setopt(h.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h.get(), CURLOPT_CONNECTTIMEOUT, static_cast<long>(std::min<int64_t>(timeout.count(), 10)));
  curl_easy_setopt(h.get(), CURLOPT_TIMEOUT, static_cast<long>(timeout.count()));
  return h;
}

void curl_append(CurlList& list, const std::string& item) {
  curl_slist* head = curl_slist_append(list.get(), item.c_str());
  if (!head) throw std::bad_alloc();
  (void)list.release();
  list.reset(head);
}

Result<void> curl_perform(CURL* h, std::string_view what) {
  char detail[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, detail);
  CURLcode rc = curl_easy_perform(h);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
  if (rc == CURLE_OK) return {};
  return fail(ErrorKind::unavailable,
              std::string(what) + ": " + (detail[0] ? detail : curl_easy_strerror(rc)));
}

}  // namespace chidoan::notify::detail
