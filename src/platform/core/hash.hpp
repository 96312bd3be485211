// FNV-1a, 64 bits: a fast, stable, non-cryptographic hash of bytes, for ETags, version tags and
// cache keys (never for anything an attacker may choose to collide).
#pragma once

#include <cstdint>
#include <string_view>

namespace chidoan {

class Fnv1a {
 public:
  // The bytes of `s`, as they come.
  Fnv1a& add(std::string_view s) {
    for (unsigned char c : s) h_ = (h_ ^ c) * kPrime;
    return *this;
  }
  // `s` as one field of several: followed by a separator byte, so that "ab"+"c" and "a"+"bc" differ.
  Fnv1a& field(std::string_view s) {
    add(s);
    h_ = (h_ ^ 0xff) * kPrime;
    return *this;
  }
  uint64_t value() const { return h_; }

 private:
  static constexpr uint64_t kPrime = 0x100000001b3ull;
  uint64_t h_ = 0xcbf29ce484222325ull;
};

}  // namespace chidoan
