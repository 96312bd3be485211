// A client that writes a request byte for byte (a target no client library would send, a NUL
// byte, a head split anywhere) on a new connection to 127.0.0.1 and reads back whatever comes:
// for the tests that must see the wire itself (the hostile corpus, the security headers, the
// server's own refusals).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace chidoan::testing {

struct RawAnswer {
  bool arrived = false;  // a status line came back
  int status = 0;
  std::string headers;   // the status line and the header lines, without the blank line
  std::string body;      // what followed the blank line, as it came (chunks not decoded)
  std::string raw;       // every byte the server sent

  // The value of the first header line named `name` (any case), or "" when there is none.
  std::string header(const std::string& name) const;
};

// Sends `bytes`, closes the sending side (so a server waiting for more gets an end of stream,
// not a stall), and reads until the server closes or `deadline` passes. Writes and reads by
// turns: the server may answer (413, 431) before it has read everything.
RawAnswer send_raw(uint16_t port, const std::string& bytes,
                   std::chrono::milliseconds deadline = std::chrono::seconds(10));

}  // namespace chidoan::testing
