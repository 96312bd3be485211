// Vietnamese names and places for synthetic data: family names weighted by how common they
// are, middle and given names by sex, and the 63 provinces. The weights are rounded published
// estimates of family-name frequency (Nguyễn about 38 %, Trần 11 %, Lê 9.5 %, …) and common
// choices for middle and given names; they make plausible rolls, not a census.
//
// Everything draws from a caller's std::mt19937_64 with `rng() % total`, so a seed gives the
// same names on every platform (std::uniform_int_distribution may differ between libraries).
#pragma once

#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace chidoan::gen {

struct Weighted {
  std::string_view text;
  uint32_t weight;
};

// A fixed list to draw from in proportion to the weights.
class Table {
 public:
  explicit Table(std::span<const Weighted> items);
  std::string_view draw(std::mt19937_64& rng) const;
  std::span<const Weighted> items() const { return items_; }

 private:
  std::span<const Weighted> items_;
  std::vector<uint64_t> upto_;  // running sums
};

struct PersonName {
  std::string family, middle, given;
  bool female = false;
  std::string full() const;  // "Nguyễn Thị Thu Trang"; no double space when middle is empty
};

// Draws a sex (about half each) and a name that goes with it.
PersonName draw_person(std::mt19937_64& rng);

// The tables, for tests and documentation.
const Table& family_names();
const Table& middle_names(bool female);
const Table& given_names(bool female);

struct Province {
  std::string_view name;  // "Lâm Đồng", "Hà Nội"
  bool city;              // centrally governed city: "Thành đoàn", else "Tỉnh đoàn"
};
std::span<const Province> provinces();  // the 63 provinces and cities

// Sort key and folded search text of a name, memoised (ICU is the slow part of a member row).
class NameKeys {
 public:
  struct Keys {
    std::string sort_key, search_text;
  };
  const Keys& of(const PersonName& n);

 private:
  std::unordered_map<std::string, Keys> memo_;
};

}  // namespace chidoan::gen
