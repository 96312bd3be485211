#include "scan/cli.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>

#include "scan/engine.hpp"

namespace chidoan::scan {
namespace {

enum Exit { ok = 0, other = 1, input_refused = 3, output_failed = 4, too_large = 5, unavailable = 6 };

// The temporary output, removed if the process is interrupted.
char g_partial[4096] = {0};
void on_signal(int sig) {
  if (g_partial[0]) unlink(g_partial);
  signal(sig, SIG_DFL);
  raise(sig);
}

int exit_for(const Error& e) {
  switch (e.kind) {
    case ErrorKind::invalid: return e.field == "lang" ? 2 : input_refused;
    case ErrorKind::too_large: return too_large;
    case ErrorKind::unavailable: return unavailable;
    default: return other;
  }
}

int say(const Error& e) {
  std::cerr << "chidoan scan: " << e.message << "\n";
  return exit_for(e);
}

std::string creation_date() {
  std::time_t now = std::time(nullptr) + 7 * 3600;  // Vietnam time, UTC+7
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "D:%Y%m%d%H%M%S+07'00'", &tm);
  return buf;
}

std::string decimal(double v, int places) {
  std::ostringstream s;
  s.setf(std::ios::fixed);
  s.precision(places);
  s << v;
  std::string out = s.str();
  for (char& c : out)
    if (c == '.') c = ',';
  return out;
}

const char* kind_label(PageKind k) {
  switch (k) {
    case PageKind::bilevel: return "chữ đen trắng (CCITT G4)";
    case PageKind::gray: return "ảnh xám (JPEG)";
    case PageKind::color: return "ảnh màu (JPEG)";
  }
  return "";
}

// Creates the temporary file beside `out` before any work, so an unwritable path fails fast.
int open_partial(const std::string& out, std::string& partial) {
  partial = out + ".partial-" + std::to_string(getpid());
  int fd = open(partial.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    std::cerr << "chidoan scan: không ghi được tệp " << out << ": " << std::strerror(errno) << "\n";
    return -1;
  }
  std::snprintf(g_partial, sizeof g_partial, "%s", partial.c_str());
  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  return fd;
}

bool write_all(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return fsync(fd) == 0;
}

}  // namespace

int run_cli(const CliArgs& args) {
  std::vector<Input> inputs;
  for (const auto& path : args.pages) {
    std::ifstream f(path, std::ios::binary);
    if (!f) {
      std::cerr << "chidoan scan: không đọc được tệp " << path << "\n";
      return input_refused;
    }
    std::ostringstream ss;
    ss << f.rdbuf();
    inputs.push_back(Input{path, ss.str(), 0});
  }
  std::string partial;
  int fd = open_partial(args.out, partial);
  if (fd < 0) return output_failed;
  auto discard = [&](int code) {
    close(fd);
    unlink(partial.c_str());
    g_partial[0] = 0;
    return code;
  };

  Options options;
  options.lang = args.lang;
  options.dpi = args.dpi;
  options.max_bytes = args.max_bytes;
  options.jobs = args.jobs;
  options.title = args.title;
  options.created = creation_date();
  const bool bar = !args.quiet && isatty(STDERR_FILENO);
  Progress progress;
  if (bar) {
    progress = [](int done, int total) {
      const int width = 30, filled = total ? done * width / total : width;
      std::cerr << "\rĐang quét [" << std::string(filled, '#') << std::string(width - filled, '.') << "] " << done << "/"
                << total << " trang" << std::flush;
    };
  }
  auto result = scan(inputs, options, progress);
  if (bar) std::cerr << "\n";
  if (!result) return discard(say(result.error()));
  if (!write_all(fd, result->pdf)) {
    std::cerr << "chidoan scan: không ghi được tệp " << args.out << ": " << std::strerror(errno) << "\n";
    return discard(output_failed);
  }
  close(fd);
  if (rename(partial.c_str(), args.out.c_str()) != 0) {
    std::cerr << "chidoan scan: không ghi được tệp " << args.out << ": " << std::strerror(errno) << "\n";
    unlink(partial.c_str());
    g_partial[0] = 0;
    return output_failed;
  }
  g_partial[0] = 0;
  if (!args.quiet) {
    for (const auto& p : result->pages) {
      std::cout << "Trang " << p.number << " (" << p.source << "): " << kind_label(p.kind) << ", " << p.dpi << " dpi";
      if (p.turned) std::cout << ", xoay " << p.turned << "°";
      if (std::fabs(p.skew) >= 0.05) std::cout << ", chỉnh nghiêng " << decimal(p.skew, 1) << "°";
      std::cout << ", " << p.words << " từ, " << size_label(p.bytes);
      if (p.blank) std::cout << " — TRANG TRẮNG (vẫn giữ)";
      std::cout << "\n";
    }
    for (const auto& n : result->notes) std::cout << "Giảm dung lượng: " << n << "\n";
    std::cout << "Đã ghi " << args.out << ": " << result->pages.size() << " trang, "
              << size_label(static_cast<int64_t>(result->pdf.size())) << "\n";
  }
  return ok;
}

}  // namespace chidoan::scan
