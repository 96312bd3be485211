#include "fund/produce_rules.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <numeric>
#include <set>

#include "platform/core/date.hpp"
#include "platform/text/text.hpp"

namespace chidoan::fund::produce {
namespace {

// Trimmed, NFC, control characters refused; `max` characters at most.
Result<std::string> text_field(const RawFields& raw, std::string_view key, bool required, size_t max) {
  auto n = text::normalize(field_of(raw, key));
  if (!n) return fail(ErrorKind::invalid, "Chứa ký tự không hợp lệ", std::string(key));
  if (required && n->empty()) return fail(ErrorKind::invalid, "Không được để trống", std::string(key));
  if (n->size() > max) return fail(ErrorKind::invalid, "Quá dài (tối đa " + std::to_string(max) + " byte)", std::string(key));
  return *n;
}

Result<bool> flag(const RawFields& raw, std::string_view key, bool fallback) {
  std::string v = field_of(raw, key);
  if (!raw.contains(key) || v.empty()) return fallback;
  if (v == "1" || v == "true" || v == "on") return true;
  if (v == "0" || v == "false" || v == "off") return false;
  return fail(ErrorKind::invalid, "Phải là có (1) hoặc không (0)", std::string(key));
}

std::string format_local(std::string_view local) {
  // "2021-06-10T17:00" -> "17:00 10/06/2021"
  if (local.size() < 16) return std::string(local);
  return std::string(local.substr(11, 5)) + " " + text::format_date(local.substr(0, 10));
}

}  // namespace

std::string_view status_name(CycleStatus s) {
  switch (s) {
    case CycleStatus::open: return "open";
    case CycleStatus::closed: return "closed";
    case CycleStatus::picked_up: return "picked_up";
  }
  return "open";
}

std::optional<CycleStatus> parse_status(std::string_view s) {
  if (s == "open") return CycleStatus::open;
  if (s == "closed") return CycleStatus::closed;
  if (s == "picked_up") return CycleStatus::picked_up;
  return std::nullopt;
}

Result<std::string> parse_local_time(std::string_view s, std::string_view field) {
  auto bad = [&] { return fail(ErrorKind::invalid, "Thời điểm không hợp lệ (YYYY-MM-DDTHH:MM)", std::string(field)); };
  if (s.size() != 16 && s.size() != 19) return bad();
  if (s[10] != 'T' && s[10] != ' ') return bad();
  if (!parse_date(s.substr(0, 10))) return bad();
  auto digits = [&](size_t at) { return std::isdigit(static_cast<unsigned char>(s[at])) && std::isdigit(static_cast<unsigned char>(s[at + 1])); };
  if (!digits(11) || s[13] != ':' || !digits(14)) return bad();
  int hh = (s[11] - '0') * 10 + (s[12] - '0'), mm = (s[14] - '0') * 10 + (s[15] - '0');
  if (hh > 23 || mm > 59) return bad();
  if (s.size() == 19 && (s[16] != ':' || !digits(17))) return bad();
  std::string out(s.substr(0, 16));
  out[10] = 'T';
  return out;
}

Result<int64_t> parse_whole(std::string_view s, std::string_view field, int64_t lo, int64_t hi, std::optional<int64_t> fallback) {
  std::string f(field);
  // Surrounding spaces are tolerated (a form field typed by hand).
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.empty()) {
    if (fallback) return *fallback;
    return fail(ErrorKind::invalid, "Không được để trống", f);
  }
  if (s.find_first_of(".,") != std::string_view::npos)
    return fail(ErrorKind::invalid, "Phải là số nguyên (không nhận số lẻ)", f);
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec == std::errc::result_out_of_range) return fail(ErrorKind::invalid, "Số quá lớn (tối đa " + text::format_int(hi) + ")", f);
  if (ec != std::errc() || p != s.data() + s.size()) return fail(ErrorKind::invalid, "Phải là số nguyên", f);
  if (v < 0 && lo >= 0) return fail(ErrorKind::invalid, "Không được là số âm", f);
  if (v == 0 && lo > 0) return fail(ErrorKind::invalid, "Phải lớn hơn 0", f);
  if (v < lo) return fail(ErrorKind::invalid, "Phải từ " + text::format_int(lo) + " trở lên", f);
  if (v > hi) return fail(ErrorKind::invalid, "Số quá lớn (tối đa " + text::format_int(hi) + ")", f);
  return v;
}

Result<SupplierInput> parse_supplier(const RawFields& raw) {
  SupplierInput in;
  CHIDOAN_TRY(name, text_field(raw, "name", true, 300));
  in.name = name;
  std::string kind = field_of(raw, "kind");
  if (kind.empty()) kind = "farmer";
  if (kind != "farmer" && kind != "cooperative") return fail(ErrorKind::invalid, "Loại nhà cung cấp: nông hộ hoặc hợp tác xã", "kind");
  in.kind = kind;
  CHIDOAN_TRY(place, text_field(raw, "place", false, 300));
  in.place = place;
  CHIDOAN_TRY(contact, text_field(raw, "contact", false, 300));
  in.contact = contact;
  CHIDOAN_TRY(note, text_field(raw, "note", false, 2000));
  in.note = note;
  CHIDOAN_TRY(active, flag(raw, "active", true));
  in.active = active;
  return in;
}

Result<ProductInput> parse_product(const RawFields& raw) {
  ProductInput in;
  CHIDOAN_TRY(name, text_field(raw, "name", true, 300));
  in.name = name;
  CHIDOAN_TRY(unit, text_field(raw, "unit", true, 50));
  in.unit = unit;
  CHIDOAN_TRY(price, parse_whole(field_of(raw, "price_vnd"), "price_vnd", 1, kMaxPrice));
  in.price_vnd = price;
  CHIDOAN_TRY(cs, parse_whole(field_of(raw, "case_size"), "case_size", 1, kMaxCaseSize, 1));
  in.case_size = cs;
  CHIDOAN_TRY(step, parse_whole(field_of(raw, "step"), "step", 1, kMaxCaseSize, 1));
  if (step > cs || cs % step != 0)
    return fail(ErrorKind::invalid, "Bước đặt phải chia hết quy cách thùng (" + std::to_string(cs) + ")", "step");
  in.step = step;
  CHIDOAN_TRY(active, flag(raw, "active", true));
  in.active = active;
  return in;
}

Result<CycleInput> parse_cycle(const RawFields& raw) {
  CycleInput in;
  CHIDOAN_TRY(sid, parse_whole(field_of(raw, "supplier_id"), "supplier_id", 1, INT64_MAX));
  in.supplier_id = sid;
  CHIDOAN_TRY(title, text_field(raw, "title", false, 300));
  in.title = title;
  CHIDOAN_TRY(opens, parse_local_time(field_of(raw, "opens_at"), "opens_at"));
  CHIDOAN_TRY(closes, parse_local_time(field_of(raw, "closes_at"), "closes_at"));
  if (closes <= opens) return fail(ErrorKind::invalid, "Thời điểm khóa sổ phải sau thời điểm mở đặt hàng", "closes_at");
  in.opens_at = opens;
  in.closes_at = closes;
  std::string pickup = field_of(raw, "pickup_on");
  if (!parse_date(pickup)) return fail(ErrorKind::invalid, "Ngày nhận hàng không hợp lệ (YYYY-MM-DD)", "pickup_on");
  if (pickup < closes.substr(0, 10)) return fail(ErrorKind::invalid, "Ngày nhận hàng không được trước ngày khóa sổ", "pickup_on");
  in.pickup_on = pickup;
  CHIDOAN_TRY(place, text_field(raw, "pickup_place", false, 300));
  in.pickup_place = place;
  return in;
}

Result<void> check_window(const Cycle& c, std::string_view now_local) {
  if (c.status != CycleStatus::open)
    return fail(ErrorKind::conflict, "Đợt đặt hàng đã khóa sổ: không đặt hoặc sửa đơn được nữa", "closes_at");
  if (now_local < c.opens_at)
    return fail(ErrorKind::invalid, "Đợt đặt hàng chưa mở (mở lúc " + format_local(c.opens_at) + ")", "opens_at");
  if (now_local >= c.closes_at)
    return fail(ErrorKind::conflict, "Đợt đặt hàng đã khóa sổ lúc " + format_local(c.closes_at) + ": không đặt hoặc sửa đơn được nữa",
                "closes_at");
  return {};
}

Result<void> check_line(const CycleProduct& p, const LineInput& line, size_t index) {
  std::string at = "items[" + std::to_string(index) + "].";
  if (line.quantity < 0) return fail(ErrorKind::invalid, "Số lượng không được là số âm", at + "quantity");
  if (line.quantity == 0) return fail(ErrorKind::invalid, "Số lượng phải lớn hơn 0 (bỏ dòng để không đặt mặt hàng này)", at + "quantity");
  if (line.quantity > kMaxQuantity)
    return fail(ErrorKind::invalid, "Số lượng quá lớn (tối đa " + text::format_int(kMaxQuantity) + " " + p.unit + ")", at + "quantity");
  if (line.quantity % p.step != 0)
    return fail(ErrorKind::invalid,
                p.name + " bán theo bội số của " + std::to_string(p.step) + " " + p.unit + ": " + std::to_string(line.quantity) +
                    " không chia hết cho " + std::to_string(p.step),
                at + "quantity");
  if (line.tolerance < 0) return fail(ErrorKind::invalid, "Số lượng nhận thêm không được là số âm", at + "tolerance");
  if (line.tolerance > 0 && p.case_size == 1)
    return fail(ErrorKind::invalid, p.name + " bán lẻ, không theo thùng: không cần nhận thêm", at + "tolerance");
  if (line.tolerance > p.case_size - p.step)
    return fail(ErrorKind::invalid, "Nhận thêm tối đa " + std::to_string(p.case_size - p.step) + " " + p.unit + " (dưới một thùng)",
                at + "tolerance");
  if (line.tolerance % p.step != 0)
    return fail(ErrorKind::invalid, "Số lượng nhận thêm phải là bội số của " + std::to_string(p.step) + " " + p.unit, at + "tolerance");
  return {};
}

Result<void> check_order(const Cycle& c, const std::vector<LineInput>& lines) {
  if (lines.size() > kMaxLines) return fail(ErrorKind::invalid, "Quá nhiều dòng trong đơn", "items");
  std::set<int64_t> seen;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string field = "items[" + std::to_string(i) + "].product_id";
    auto it = std::find_if(c.products.begin(), c.products.end(), [&](const CycleProduct& p) { return p.product_id == lines[i].product_id; });
    if (it == c.products.end()) return fail(ErrorKind::invalid, "Đợt đặt hàng này không có mặt hàng #" + std::to_string(lines[i].product_id), field);
    if (!seen.insert(lines[i].product_id).second) return fail(ErrorKind::invalid, "Mặt hàng bị lặp trong đơn: " + it->name, field);
    CHIDOAN_TRY_VOID(check_line(*it, lines[i], i));
  }
  return {};
}

int64_t queue_time(const std::optional<OrderLine>& before, int64_t new_quantity, int64_t now) {
  if (!before || new_quantity > before->quantity) return now;
  return before->ordered_at;
}

Rounded round_cases(int64_t case_size, const std::vector<Demand>& demands) {
  Rounded r;
  r.allocations.reserve(demands.size());
  for (const auto& d : demands) {
    r.ordered += d.quantity;
    r.tolerance += d.tolerance;
    r.allocations.push_back(Allocation{d.member_id, d.quantity, d.quantity});
  }
  if (case_size < 1) case_size = 1;
  r.cases = r.ordered / case_size;
  int64_t remainder = r.ordered % case_size;
  // Queue order: earliest first; equal times by seq, then by position in the input.
  std::vector<size_t> queue(demands.size());
  std::iota(queue.begin(), queue.end(), size_t{0});
  std::stable_sort(queue.begin(), queue.end(), [&](size_t a, size_t b) {
    return std::pair(demands[a].ordered_at, demands[a].seq) < std::pair(demands[b].ordered_at, demands[b].seq);
  });
  if (remainder != 0) {
    int64_t need = case_size - remainder;
    if (r.tolerance >= need) {
      r.cases += 1;
      r.filled_by_tolerance = need;
      for (size_t i : queue) {
        if (need == 0) break;
        int64_t extra = std::min(demands[i].tolerance, need);
        r.allocations[i].allocated += extra;
        need -= extra;
      }
    } else {
      r.cut = remainder;
      int64_t cut = remainder;
      for (auto it = queue.rbegin(); it != queue.rend() && cut > 0; ++it) {
        int64_t less = std::min(r.allocations[*it].allocated, cut);
        r.allocations[*it].allocated -= less;
        cut -= less;
      }
    }
  }
  r.units = r.cases * case_size;
  return r;
}

CycleTotals totals(const Cycle& c, const std::vector<Order>& orders) {
  CycleTotals t;
  bool closed = c.status != CycleStatus::open;
  std::map<int64_t, size_t> member_index;
  for (const auto& o : orders) {
    member_index[o.member_id] = t.members.size();
    MemberTotal m;
    m.member_id = o.member_id;
    m.member_name = o.member_name;
    m.picked_up = o.picked_up;
    m.paid = o.paid;
    t.members.push_back(m);
  }
  for (const auto& p : c.products) {
    std::vector<Demand> demands;
    std::vector<int64_t> stored;
    for (const auto& o : orders)
      for (const auto& l : o.lines)
        if (l.product_id == p.product_id) {
          demands.push_back(Demand{o.member_id, l.quantity, l.tolerance, l.ordered_at, o.id});
          stored.push_back(l.allocated.value_or(0));
        }
    ProductTotal pt;
    pt.product = p;
    pt.rounded = round_cases(p.case_size, demands);
    if (closed) {
      // The allocation fixed at close is the truth (the rules may change; the bill may not).
      int64_t units = 0;
      for (size_t i = 0; i < stored.size(); ++i) {
        pt.rounded.allocations[i].allocated = stored[i];
        units += stored[i];
      }
      pt.rounded.units = p.units.value_or(units);
      pt.rounded.cases = p.cases.value_or(p.case_size > 0 ? units / p.case_size : 0);
    }
    pt.amount_vnd = pt.rounded.units * p.price_vnd;
    t.amount_vnd += pt.amount_vnd;
    t.ordered_amount_vnd += pt.rounded.ordered * p.price_vnd;
    for (const auto& a : pt.rounded.allocations) {
      MemberTotal& m = t.members[member_index[a.member_id]];
      m.ordered.push_back({p.product_id, a.quantity});
      m.items.push_back({p.product_id, a.allocated});
      m.amount_vnd += a.allocated * p.price_vnd;
    }
    t.products.push_back(std::move(pt));
  }
  for (const auto& m : t.members) {
    if (m.picked_up) ++t.members_picked_up;
    if (m.paid) {
      ++t.members_paid;
      t.paid_vnd += m.amount_vnd;
    }
  }
  return t;
}

}  // namespace chidoan::fund::produce
