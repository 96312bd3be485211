// Produce drive (mua nông sản hỗ trợ nông dân): plain types. Rules in produce_rules.hpp, SQL in
// produce_store.hpp, the description for users and API clients in docs/produce.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace chidoan::fund::produce {

// Nhà cung cấp: a farmer (nông hộ) or a cooperative (hợp tác xã), kept by an org. `contact`
// is personal data: shown to the committee only.
struct Supplier {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string name;
  std::string kind = "farmer";  // farmer | cooperative
  std::string place;
  std::string contact;
  std::string note;
  bool active = true;
};

// Mặt hàng: price in VND per unit; case_size units make a case (thùng) the supplier ships
// (1 = loose); orders and tolerances are whole multiples of `step` (case_size % step == 0).
struct Product {
  int64_t id = 0;
  int64_t supplier_id = 0;
  std::string name;
  std::string unit;  // "kg", "bó", "chục", ...
  int64_t price_vnd = 0;
  int64_t case_size = 1;
  int64_t step = 1;
  bool active = true;
};

enum class CycleStatus { open, closed, picked_up };

// A product as a cycle offers it: price, case size and step frozen when the cycle opened;
// cases and units once it closed.
struct CycleProduct {
  int64_t product_id = 0;
  std::string name;
  std::string unit;
  int64_t price_vnd = 0;
  int64_t case_size = 1;
  int64_t step = 1;
  std::optional<int64_t> cases;
  std::optional<int64_t> units;
};

// Đợt đặt hàng: one supplier, organised by an org; members of the org's subtree order in
// [opens_at, closes_at) (local times "YYYY-MM-DDTHH:MM").
struct Cycle {
  int64_t id = 0;
  int64_t supplier_id = 0;
  std::string supplier_name;
  int64_t org_id = 0;
  std::string org_name;
  std::string org_path;
  std::string title;
  std::string opens_at;
  std::string closes_at;
  std::string pickup_on;
  std::string pickup_place;
  CycleStatus status = CycleStatus::open;
  std::optional<int64_t> closed_at;
  std::vector<CycleProduct> products;  // in the order offered
};

// One line of a member's order.
struct OrderLine {
  int64_t product_id = 0;
  int64_t quantity = 0;
  int64_t tolerance = 0;
  int64_t ordered_at = 0;               // unix seconds: the line's place in the queue
  std::optional<int64_t> allocated;     // set at close
};

struct Order {
  int64_t id = 0;
  int64_t cycle_id = 0;
  int64_t member_id = 0;
  std::string member_name;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  bool picked_up = false;
  bool paid = false;
  std::vector<OrderLine> lines;  // in the cycle's product order
};

// ---- validated inputs ----
struct SupplierInput {
  std::string name, kind = "farmer", place, contact, note;
  bool active = true;
};
struct ProductInput {
  std::string name, unit;
  int64_t price_vnd = 0;
  int64_t case_size = 1;
  int64_t step = 1;
  bool active = true;
};
struct CycleInput {
  int64_t supplier_id = 0;
  std::string title, opens_at, closes_at, pickup_on, pickup_place;
};
struct LineInput {
  int64_t product_id = 0;
  int64_t quantity = 0;
  int64_t tolerance = 0;
};

// ---- case rounding (rules::round_cases) ----
// What the rounding needs of one order line.
struct Demand {
  int64_t member_id = 0;
  int64_t quantity = 0;
  int64_t tolerance = 0;
  int64_t ordered_at = 0;  // unix seconds
  int64_t seq = 0;         // tie-break of equal times (the order's id)
};
// What a member gets of one product.
struct Allocation {
  int64_t member_id = 0;
  int64_t quantity = 0;   // ordered
  int64_t allocated = 0;  // received: quantity, plus tolerance used, or less when cut
};
// One product rounded to whole cases.
struct Rounded {
  int64_t ordered = 0;     // sum of quantities
  int64_t tolerance = 0;   // sum of tolerances
  int64_t cases = 0;
  int64_t units = 0;       // cases * case_size = sum of allocated
  int64_t filled_by_tolerance = 0;  // units added from tolerances
  int64_t cut = 0;         // units ordered but not bought (the remainder nobody filled)
  std::vector<Allocation> allocations;  // in the input's order
};

// Per product and per member of a whole cycle, with money.
struct ProductTotal {
  CycleProduct product;
  Rounded rounded;
  int64_t amount_vnd = 0;  // units * price
};
struct MemberTotal {
  int64_t member_id = 0;
  std::string member_name;
  std::vector<std::pair<int64_t, int64_t>> items;  // (product_id, allocated), allocated > 0 or ordered
  std::vector<std::pair<int64_t, int64_t>> ordered;  // (product_id, quantity)
  int64_t amount_vnd = 0;
  bool picked_up = false;
  bool paid = false;
};
struct CycleTotals {
  std::vector<ProductTotal> products;
  std::vector<MemberTotal> members;  // in name order
  int64_t amount_vnd = 0;            // the supplier's bill = sum of members' amounts
  int64_t ordered_amount_vnd = 0;    // what the quantities ordered would cost
  int64_t paid_vnd = 0;              // of members marked paid
  int64_t members_picked_up = 0;
  int64_t members_paid = 0;
};

}  // namespace chidoan::fund::produce
