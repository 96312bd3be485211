#include "tests/support/raw_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>

namespace chidoan::testing {

using namespace std::chrono_literals;

std::string RawAnswer::header(const std::string& name) const {
  auto lower = [](std::string s) {
    std::ranges::transform(s, s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
  };
  const std::string wanted = lower(name) + ":";
  size_t at = headers.find("\r\n");
  while (at != std::string::npos) {
    const size_t start = at + 2;
    const size_t end = headers.find("\r\n", start);
    const std::string line = headers.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (lower(line.substr(0, wanted.size())) == wanted) {
      std::string value = line.substr(wanted.size());
      value.erase(0, value.find_first_not_of(" \t"));
      value.erase(value.find_last_not_of(" \t") + 1);
      return value;
    }
    at = end;
  }
  return "";
}

RawAnswer send_raw(uint16_t port, const std::string& bytes, std::chrono::milliseconds deadline) {
  RawAnswer a;
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return a;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return a;
  }
  const auto until = std::chrono::steady_clock::now() + deadline;
  size_t sent = 0;
  bool closed_send = false;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    if (left <= 0ms) break;
    pollfd p{fd, static_cast<short>(POLLIN | (sent < bytes.size() ? POLLOUT : 0)), 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    if (p.revents & POLLIN || p.revents & (POLLHUP | POLLERR)) {
      char buf[65536];
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      a.raw.append(buf, static_cast<size_t>(n));
    } else if (p.revents & POLLOUT) {
      ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) sent = bytes.size();  // the server stopped reading: read what it said
      else sent += static_cast<size_t>(n);
    }
    if (sent >= bytes.size() && !closed_send) {
      ::shutdown(fd, SHUT_WR);
      closed_send = true;
    }
  }
  ::close(fd);
  // "HTTP/1.x NNN ": read by hand, since libstdc++'s std::regex recurses once a character and
  // overflows the stack on the long lines some of the hostile corpus is made of (ASan at -O0).
  const bool status_line = a.raw.size() >= 13 && (a.raw.starts_with("HTTP/1.0 ") || a.raw.starts_with("HTTP/1.1 ")) &&
                           std::all_of(a.raw.begin() + 9, a.raw.begin() + 12, [](char c) { return c >= '0' && c <= '9'; }) &&
                           a.raw[12] == ' ';
  if (!status_line) return a;
  a.arrived = true;
  a.status = std::stoi(a.raw.substr(9, 3));
  size_t end = a.raw.find("\r\n\r\n");
  a.headers = a.raw.substr(0, end);
  if (end != std::string::npos) a.body = a.raw.substr(end + 4);
  return a;
}

}  // namespace chidoan::testing
