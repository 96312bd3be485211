// Pure rules of the produce drive: input validation, the order window, steps and tolerances,
// case rounding with tolerance allocation (Foodsoft), totals per product, member and supplier.
// No I/O, no clock: "now" is passed in. Errors name the field at fault and carry a Vietnamese
// message. docs/produce.md describes the rounding with a worked example.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fund/produce_model.hpp"
#include "platform/core/fields.hpp"
#include "platform/core/result.hpp"

namespace chidoan::fund::produce {

// Upper bounds (docs/produce.md).
inline constexpr int64_t kMaxPrice = 1'000'000'000;  // VND per unit
inline constexpr int64_t kMaxCaseSize = 10'000;      // units per case
inline constexpr int64_t kMaxQuantity = 100'000;     // units per order line
inline constexpr size_t kMaxLines = 200;             // lines per order

std::string_view status_name(CycleStatus s);  // "open" | "closed" | "picked_up"
std::optional<CycleStatus> parse_status(std::string_view s);

// Local date-times "YYYY-MM-DDTHH:MM" (a space for the T and seconds are accepted; seconds are
// dropped). Returns the canonical form, or an error naming `field`.
Result<std::string> parse_local_time(std::string_view s, std::string_view field);
// A whole number in [lo, hi] written in decimal digits (an optional leading '-' is read so that
// negatives get their own message). Fractions ("2.5", "2,5") are refused: quantities are whole
// units of the product. Empty: error "required" unless `fallback` is given.
Result<int64_t> parse_whole(std::string_view s, std::string_view field, int64_t lo, int64_t hi,
                            std::optional<int64_t> fallback = std::nullopt);

// Name required; kind farmer | cooperative (empty: farmer); "active" is "", "0", "1", "true",
// "false", "on" (a checkbox).
Result<SupplierInput> parse_supplier(const RawFields& raw);
// Name and unit required; price_vnd 1..kMaxPrice; case_size 1..kMaxCaseSize (empty: 1); step
// 1..case_size dividing it (empty: 1).
Result<ProductInput> parse_product(const RawFields& raw);
// supplier_id, opens_at < closes_at, pickup_on a date not before the day orders close;
// title (empty: the store names it after the supplier), pickup_place.
Result<CycleInput> parse_cycle(const RawFields& raw);

// The order window: the cycle must be open and now in [opens_at, closes_at). Refuses, before
// the window, with field "opens_at" (invalid); after it or once closed, "closes_at" (conflict).
Result<void> check_window(const Cycle& c, std::string_view now_local);

// One line against the product as the cycle offers it: quantity 1..kMaxQuantity and a whole
// multiple of the step; tolerance 0..case_size - step and a multiple of the step (no tolerance
// for loose products). Fields: items[index].quantity, items[index].tolerance.
Result<void> check_line(const CycleProduct& p, const LineInput& line, size_t index);
// Every line: a product the cycle offers (items[i].product_id), once (same field), then
// check_line. At most kMaxLines lines (field "items"). No lines: cancels the order.
Result<void> check_order(const Cycle& c, const std::vector<LineInput>& lines);

// The queue time of a line after a change: a new line, or one whose quantity grows, goes to
// the back of the queue (now); a line that shrinks or changes only its tolerance keeps its place.
int64_t queue_time(const std::optional<OrderLine>& before, int64_t new_quantity, int64_t now);

// Case rounding of one product (docs/produce.md):
//   total = sum(quantity); cases = floor(total / case_size); remainder = total mod case_size.
//   remainder 0: everyone gets what they ordered.
//   else need = case_size - remainder; if sum(tolerance) >= need, one more case is bought and
//     the `need` extra units go to members with tolerance in queue order (ordered_at, seq),
//     earliest first, each up to their tolerance;
//   else the remainder is not bought: members are filled in queue order, earliest first, so the
//     latest lines are cut (possibly to 0).
// case_size 1: nothing to round. REQUIRES: case_size >= 1, quantities and tolerances >= 0.
// Allocations are in the order of `demands`; they sum to units = cases * case_size.
Rounded round_cases(int64_t case_size, const std::vector<Demand>& demands);

// Totals of a cycle. A closed cycle uses the allocations stored at close; an open one is
// rounded now (the running totals of the order page). Members in the order of `orders`.
CycleTotals totals(const Cycle& c, const std::vector<Order>& orders);

}  // namespace chidoan::fund::produce
