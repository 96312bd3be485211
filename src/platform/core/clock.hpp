// Injected time: rules never read the system clock, so eligibility, dues and ratings are
// tested on fixed dates.
#pragma once

#include <chrono>
#include <cstdint>

namespace chidoan {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point now() const = 0;
  int64_t unix_seconds() const {
    return std::chrono::duration_cast<std::chrono::seconds>(now().time_since_epoch()).count();
  }
};

class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override { return std::chrono::system_clock::now(); }
};

// A clock that reads a fixed instant; tests advance it by hand. Not thread-safe.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(std::chrono::system_clock::time_point t) : t_(t) {}
  std::chrono::system_clock::time_point now() const override { return t_; }
  void advance(std::chrono::seconds s) { t_ += s; }

 private:
  std::chrono::system_clock::time_point t_;
};

}  // namespace chidoan
