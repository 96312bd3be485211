#include "gen/names.hpp"

#include <algorithm>
#include <array>

#include "platform/text/text.hpp"

namespace chidoan::gen {
namespace {

// Per 10,000 people. The first fourteen follow the usual published estimates; the tail shares
// what is left among less common names.
constexpr std::array<Weighted, 36> kFamily = {{
    {"Nguyễn", 3840}, {"Trần", 1120}, {"Lê", 950}, {"Phạm", 710}, {"Hoàng", 310}, {"Huỳnh", 200}, {"Phan", 450},
    {"Vũ", 220},      {"Võ", 170},    {"Đặng", 210}, {"Bùi", 200}, {"Đỗ", 140},    {"Hồ", 130},    {"Ngô", 130},
    {"Dương", 100},   {"Lý", 50},     {"Trương", 90}, {"Đinh", 80}, {"Lâm", 60},    {"Mai", 60},    {"Đoàn", 60},
    {"Cao", 50},      {"Lưu", 40},    {"Tạ", 40},     {"Hà", 50},   {"Tô", 30},     {"Châu", 30},   {"Quách", 20},
    {"Lương", 40},    {"Kiều", 20},   {"Trịnh", 60},  {"Thái", 30}, {"Triệu", 20},  {"La", 15},     {"Văn", 15},
    {"Phùng", 30},
}};

constexpr std::array<Weighted, 26> kMiddleMale = {{
    {"Văn", 2600}, {"Đức", 700},  {"Minh", 900},  {"Quốc", 500}, {"Hữu", 500},   {"Thanh", 450}, {"Công", 350},
    {"Hoàng", 350}, {"Gia", 400}, {"Anh", 300},   {"Tuấn", 250}, {"Xuân", 250},  {"Trung", 200}, {"Ngọc", 250},
    {"Đình", 350}, {"Quang", 400}, {"Duy", 250},  {"Thành", 250}, {"Bá", 150},    {"Tiến", 150},  {"Nhật", 200},
    {"Phúc", 100}, {"Bảo", 300},  {"Văn Minh", 60}, {"Hoài", 100}, {"", 200},
}};

constexpr std::array<Weighted, 26> kMiddleFemale = {{
    {"Thị", 3800},  {"Ngọc", 700},   {"Thu", 450},   {"Thanh", 400}, {"Kim", 300},    {"Phương", 250}, {"Mỹ", 250},
    {"Bảo", 250},   {"Thảo", 200},   {"Khánh", 250}, {"Hồng", 250},  {"Minh", 300},   {"Quỳnh", 150},  {"Diễm", 100},
    {"Hoài", 150},  {"Thúy", 150},   {"Hải", 150},   {"Cẩm", 100},   {"Thị Thu", 250}, {"Thị Ngọc", 200}, {"Thị Kim", 100},
    {"Ngọc Bảo", 60}, {"Lan", 100},  {"Yến", 60},    {"Như", 200},   {"", 150},
}};

constexpr std::array<Weighted, 48> kGivenMale = {{
    {"Anh", 420}, {"Huy", 380},   {"Khang", 220}, {"Bảo", 200},  {"Minh", 360}, {"Phúc", 230}, {"Nam", 300},
    {"Tuấn", 330}, {"Dũng", 260}, {"Hùng", 250},  {"Long", 250}, {"Hải", 240},  {"Thành", 230}, {"Trung", 220},
    {"Quân", 220}, {"Hiếu", 210}, {"Đức", 210},   {"Khoa", 180}, {"Phong", 180}, {"Duy", 200},  {"Tài", 150},
    {"Thắng", 170}, {"Sơn", 190}, {"Vinh", 150},  {"Tú", 140},   {"Việt", 150}, {"Lâm", 120},  {"Nhân", 130},
    {"Nghĩa", 130}, {"Tâm", 120}, {"Hoàng", 150}, {"Kiên", 130}, {"Toàn", 120}, {"Quang", 150}, {"Cường", 160},
    {"Đạt", 200},  {"Hưng", 170}, {"Khánh", 150}, {"Lộc", 120},  {"Tín", 90},   {"Thịnh", 110}, {"Hậu", 90},
    {"Trí", 130},  {"Vũ", 120},   {"Phát", 110},  {"An", 130},   {"Bình", 140}, {"Thuận", 80},
}};

constexpr std::array<Weighted, 48> kGivenFemale = {{
    {"Anh", 400},  {"Linh", 380},  {"Ngọc", 250}, {"Trang", 360}, {"Hương", 300}, {"Thảo", 300}, {"Hà", 250},
    {"Nhung", 180}, {"Mai", 220},  {"Lan", 200},  {"Hằng", 220},  {"Phương", 250}, {"Vy", 200},  {"Nhi", 230},
    {"Yến", 180},  {"Hạnh", 170},  {"Quỳnh", 200}, {"Thủy", 190}, {"Dung", 150},  {"Hoa", 160},  {"Trâm", 140},
    {"Uyên", 150}, {"Giang", 150}, {"Loan", 110}, {"Oanh", 100},  {"Ngân", 160},  {"My", 150},   {"Châu", 110},
    {"Diệp", 60},  {"Tâm", 110},   {"Nga", 120},  {"Hiền", 170},  {"Huyền", 200}, {"Thư", 190},  {"Vân", 140},
    {"Tuyết", 90}, {"Xuân", 90},   {"Hồng", 120}, {"Liên", 90},   {"Hậu", 60},    {"Trinh", 120}, {"Thu", 130},
    {"Hiếu", 40},  {"Duyên", 130}, {"Nhàn", 70},  {"Chi", 150},   {"An", 120},    {"Diễm", 80},
}};

constexpr std::array<Province, 63> kProvinces = {{
    {"Hà Nội", true},       {"Hồ Chí Minh", true},  {"Hải Phòng", true},   {"Đà Nẵng", true},     {"Cần Thơ", true},
    {"Hà Giang", false},    {"Cao Bằng", false},    {"Bắc Kạn", false},    {"Tuyên Quang", false}, {"Lào Cai", false},
    {"Điện Biên", false},   {"Lai Châu", false},    {"Sơn La", false},     {"Yên Bái", false},    {"Hòa Bình", false},
    {"Thái Nguyên", false}, {"Lạng Sơn", false},    {"Quảng Ninh", false}, {"Bắc Giang", false},  {"Phú Thọ", false},
    {"Vĩnh Phúc", false},   {"Bắc Ninh", false},    {"Hải Dương", false},  {"Hưng Yên", false},   {"Thái Bình", false},
    {"Hà Nam", false},      {"Nam Định", false},    {"Ninh Bình", false},  {"Thanh Hóa", false},  {"Nghệ An", false},
    {"Hà Tĩnh", false},     {"Quảng Bình", false},  {"Quảng Trị", false},  {"Thừa Thiên Huế", false}, {"Quảng Nam", false},
    {"Quảng Ngãi", false},  {"Bình Định", false},   {"Phú Yên", false},    {"Khánh Hòa", false},  {"Ninh Thuận", false},
    {"Bình Thuận", false},  {"Kon Tum", false},     {"Gia Lai", false},    {"Đắk Lắk", false},    {"Đắk Nông", false},
    {"Lâm Đồng", false},    {"Bình Phước", false},  {"Tây Ninh", false},   {"Bình Dương", false}, {"Đồng Nai", false},
    {"Bà Rịa – Vũng Tàu", false}, {"Long An", false}, {"Tiền Giang", false}, {"Bến Tre", false},  {"Trà Vinh", false},
    {"Vĩnh Long", false},   {"Đồng Tháp", false},   {"An Giang", false},   {"Kiên Giang", false}, {"Hậu Giang", false},
    {"Sóc Trăng", false},   {"Bạc Liêu", false},    {"Cà Mau", false},
}};

}  // namespace

Table::Table(std::span<const Weighted> items) : items_(items) {
  uint64_t sum = 0;
  upto_.reserve(items.size());
  for (const auto& w : items) upto_.push_back(sum += w.weight);
}

std::string_view Table::draw(std::mt19937_64& rng) const {
  const uint64_t x = rng() % upto_.back();
  auto it = std::upper_bound(upto_.begin(), upto_.end(), x);
  return items_[static_cast<size_t>(it - upto_.begin())].text;
}

const Table& family_names() {
  static const Table t(kFamily);
  return t;
}
const Table& middle_names(bool female) {
  static const Table m(kMiddleMale), f(kMiddleFemale);
  return female ? f : m;
}
const Table& given_names(bool female) {
  static const Table m(kGivenMale), f(kGivenFemale);
  return female ? f : m;
}

std::string PersonName::full() const {
  std::string s = family;
  if (!middle.empty()) s.append(" ").append(middle);
  return s.append(" ").append(given);
}

PersonName draw_person(std::mt19937_64& rng) {
  PersonName n;
  n.female = rng() % 2 == 1;
  n.family = family_names().draw(rng);
  n.middle = middle_names(n.female).draw(rng);
  n.given = given_names(n.female).draw(rng);
  return n;
}

std::span<const Province> provinces() { return kProvinces; }

const NameKeys::Keys& NameKeys::of(const PersonName& n) {
  std::string key = n.family;
  key.append("|").append(n.middle).append("|").append(n.given);
  auto [it, fresh] = memo_.try_emplace(std::move(key));
  if (fresh) it->second = {text::name_sort_key(n.family, n.middle, n.given), text::search_fold(n.full())};
  return it->second;
}

}  // namespace chidoan::gen
