// libcurl for the transports (internal to notify): one easy handle per send, so the
// transports are thread-safe without locks.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <memory>
#include <string_view>

#include "platform/core/result.hpp"

namespace chidoan::notify::detail {

struct CurlCleanup {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using CurlHandle = std::unique_ptr<CURL, CurlCleanup>;
using CurlList = std::unique_ptr<curl_slist, CurlCleanup>;

// A new handle for `url`, limited to `protocols` (e.g. "smtp,smtps"), with signals off (we run
// on worker threads) and `timeout` for the whole transfer.
Result<CurlHandle> curl_handle(const std::string& url, const char* protocols, std::chrono::seconds timeout);
// Appends to a list (curl_slist_append returns a new head, or null when out of memory).
void curl_append(CurlList& list, const std::string& item);
// Runs the transfer. A failure is ErrorKind::unavailable: "<what>: <curl's explanation>".
Result<void> curl_perform(CURL* h, std::string_view what);

}  // namespace chidoan::notify::detail
