// SQL of the produce drive: suppliers, products, order cycles, member orders, the close (case
// rounding), pickup marks.
//
// REQUIRES: write methods run inside Connection::transaction() — the caller owns the
// transaction so that a write and its audit entry commit together, and a bundle load commits
// all or nothing. Every write checks its rules (produce_rules.hpp) first and writes nothing
// when one fails. Orders and the close of a cycle first bump the cycle row (order_seq): that
// row lock (PostgreSQL; SQLite's BEGIN IMMEDIATE holds the database) serialises them, so two
// members ordering at once both keep their lines and no order slips in after the close.
// The Store does not own the connection or the clock; both must outlive it. Not thread-safe
// (one per request).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fund/produce_model.hpp"
#include "fund/produce_rules.hpp"
#include "org/model.hpp"
#include "platform/core/clock.hpp"
#include "platform/db/db.hpp"

namespace chidoan::fund::produce {

class ProduceStore {
 public:
  ProduceStore(db::Connection& conn, const Clock& clock) : db_(conn), clock_(clock) {}

  // ---- suppliers and products ----
  // Suppliers an org may buy from: its own and those of the orgs above it, by name.
  Result<std::vector<Supplier>> suppliers_for(const org::Org& o);
  Result<Supplier> supplier(int64_t id);  // not_found, field supplier_id
  // A name is unique per org (conflict, field name).
  Result<int64_t> add_supplier(int64_t org_id, const SupplierInput& in);
  Result<void> update_supplier(int64_t id, const SupplierInput& in);
  Result<std::vector<Product>> products(int64_t supplier_id);  // by name
  Result<Product> product(int64_t id);                          // not_found, field product_id
  // A name is unique per supplier (conflict, field name). Price changes reach new cycles only.
  Result<int64_t> add_product(int64_t supplier_id, const ProductInput& in);
  Result<void> update_product(int64_t id, const ProductInput& in);

  // ---- cycles ----
  // Opens a cycle of a supplier kept by the organiser or an org above it, offering the
  // supplier's active products at their current price, case size and step. Refuses an unknown,
  // unusable or inactive supplier, or one without active products (field supplier_id).
  // `offer` (bundle load): the products offered with their frozen price, case size and step,
  // instead of the supplier's active products now. REQUIRES: products of the supplier.
  Result<int64_t> create_cycle(const org::Org& organiser, const CycleInput& in, const std::vector<CycleProduct>* offer = nullptr);
  Result<Cycle> cycle(int64_t id);  // not_found, field cycle_id
  // Cycles organised by `o`, an org above it (its members may order) or one below, newest first.
  Result<std::vector<Cycle>> cycles_for(const org::Org& o);

  // ---- orders ----
  // Every order of a cycle with its lines, in Vietnamese name order of the members.
  Result<std::vector<Order>> orders(int64_t cycle_id);
  Result<std::optional<Order>> order(int64_t cycle_id, int64_t member_id);
  // Places or replaces the member's order with `lines` (none: cancels it; returns nullopt).
  // Refuses, naming the field: outside the window (opens_at / closes_at, rules::check_window),
  // a member not in a branch of the organiser's subtree on the day of the order (member_id: the
  // member's stays, so a bundle replays orders of members who moved since), bad lines
  // (rules::check_order: items[i].*). `at` (unix seconds, default now) is the order's time.
  Result<std::optional<Order>> place_order(int64_t cycle_id, int64_t member_id, const std::vector<LineInput>& lines,
                                           std::optional<int64_t> at = std::nullopt);
  // Closes an open cycle (any time: closing early ends the ordering), rounds every product to
  // whole cases (rules::round_cases) and stores each line's allocation and each product's cases
  // and units. Returns the totals. A cycle not open: conflict, field status.
  Result<CycleTotals> close_cycle(int64_t cycle_id, std::optional<int64_t> at = std::nullopt);
  // The pickup checklist's marks of one member's order (a closed or picked-up cycle only:
  // else conflict, field status; no order: not_found, field member_id).
  Result<void> mark(int64_t cycle_id, int64_t member_id, std::optional<bool> picked_up, std::optional<bool> paid);
  // closed -> picked_up (the pickup is over). Else conflict, field status.
  Result<void> finish_cycle(int64_t cycle_id);
  // The totals of a cycle (rules::totals over orders()).
  Result<CycleTotals> totals(int64_t cycle_id);

  // ---- bundle ----
  // Sets the queue times of an order's lines (product -> ordered_at) and its updated_at, as a
  // bundle recorded them (place_order gave them the order's creation time).
  Result<void> restore_times(int64_t cycle_id, int64_t member_id, const std::map<int64_t, int64_t>& ordered_at, int64_t updated_at);
  // Suppliers of the orgs under `root_path`, and the cycles organised there, in creation order.
  Result<std::vector<Supplier>> suppliers_under(const std::string& root_path);
  Result<std::vector<Cycle>> cycles_under(const std::string& root_path);

 private:
  Result<std::vector<Cycle>> cycles_where(const std::string& where, const std::vector<db::Value>& params);
  Result<void> lock(int64_t cycle_id);
  Result<void> check_member_exists(int64_t member_id);

  db::Connection& db_;
  const Clock& clock_;
};


}  // namespace chidoan::fund::produce
