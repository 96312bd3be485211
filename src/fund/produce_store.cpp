#include "fund/produce_store.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>

#include "platform/core/date.hpp"

namespace chidoan::fund::produce {
namespace {

using db::Row;
using db::Value;

constexpr const char* kSupplierColumns = "s.id, s.org_id, s.name, s.kind, s.place, s.contact, s.note, s.active";

Supplier supplier_from(const Row& r) {
  return Supplier{r.i64(0), r.i64(1), r.str(2), r.str(3), r.str(4), r.str(5), r.str(6), r.i64(7) != 0};
}

constexpr const char* kProductColumns = "p.id, p.supplier_id, p.name, p.unit, p.price_vnd, p.case_size, p.step, p.active";

Product product_from(const Row& r) {
  return Product{r.i64(0), r.i64(1), r.str(2), r.str(3), r.i64(4), r.i64(5), r.i64(6), r.i64(7) != 0};
}

constexpr const char* kCycleColumns =
    "c.id, c.supplier_id, s.name, c.org_id, o.name, o.path, c.title, c.opens_at, c.closes_at, c.pickup_on, c.pickup_place, "
    "c.status, c.closed_at";
constexpr const char* kCycleFrom = " FROM produce_cycles c JOIN produce_suppliers s ON s.id = c.supplier_id JOIN orgs o ON o.id = c.org_id ";

Cycle cycle_from(const Row& r) {
  Cycle c;
  c.id = r.i64(0);
  c.supplier_id = r.i64(1);
  c.supplier_name = r.str(2);
  c.org_id = r.i64(3);
  c.org_name = r.str(4);
  c.org_path = r.str(5);
  c.title = r.str(6);
  c.opens_at = r.str(7);
  c.closes_at = r.str(8);
  c.pickup_on = r.str(9);
  c.pickup_place = r.str(10);
  c.status = parse_status(r.str(11)).value_or(CycleStatus::open);
  c.closed_at = r.opt_i64(12);
  return c;
}

std::string full_name(const Row& r, size_t first) {
  std::string s = r.str(first);
  if (!r.str(first + 1).empty()) s += " " + r.str(first + 1);
  return s + " " + r.str(first + 2);
}

// A unique-name conflict as an error naming the field.
template <typename T>
Result<T> named_conflict(Result<T> r, const std::string& message) {
  if (!r && r.error().kind == ErrorKind::conflict) return fail(ErrorKind::conflict, message, "name");
  return r;
}

}  // namespace

// ---- suppliers and products ----

Result<std::vector<Supplier>> ProduceStore::suppliers_for(const org::Org& o) {
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kSupplierColumns +
                                  " FROM produce_suppliers s JOIN orgs o ON o.id = s.org_id WHERE ?1 LIKE o.path || '%' ORDER BY s.name, s.id",
                              {o.path}));
  std::vector<Supplier> out;
  for (const auto& r : rows) out.push_back(supplier_from(r));
  return out;
}

Result<Supplier> ProduceStore::supplier(int64_t id) {
  CHIDOAN_TRY(row, db_.query_one(std::string("SELECT ") + kSupplierColumns + " FROM produce_suppliers s WHERE s.id = ?1", {id}));
  if (!row) return fail(ErrorKind::not_found, "Không tìm thấy nhà cung cấp", "supplier_id");
  return supplier_from(*row);
}

Result<int64_t> ProduceStore::add_supplier(int64_t org_id, const SupplierInput& in) {
  return named_conflict(db_.insert_id("INSERT INTO produce_suppliers (org_id, name, kind, place, contact, note, active, created_at) "
                                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
                                      {org_id, in.name, in.kind, in.place, in.contact, in.note, int64_t{in.active}, clock_.unix_seconds()}),
                        "Đã có nhà cung cấp tên \"" + in.name + "\"");
}

Result<void> ProduceStore::update_supplier(int64_t id, const SupplierInput& in) {
  CHIDOAN_TRY_VOID(supplier(id));
  auto r = named_conflict(db_.execute("UPDATE produce_suppliers SET name = ?1, kind = ?2, place = ?3, contact = ?4, note = ?5, active = ?6 "
                                      "WHERE id = ?7",
                                      {in.name, in.kind, in.place, in.contact, in.note, int64_t{in.active}, id}),
                          "Đã có nhà cung cấp tên \"" + in.name + "\"");
  if (!r) return std::unexpected(r.error());
  return {};
}

Result<std::vector<Product>> ProduceStore::products(int64_t supplier_id) {
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kProductColumns + " FROM produce_products p WHERE p.supplier_id = ?1 ORDER BY p.name, p.id",
                              {supplier_id}));
  std::vector<Product> out;
  for (const auto& r : rows) out.push_back(product_from(r));
  return out;
}

Result<Product> ProduceStore::product(int64_t id) {
  CHIDOAN_TRY(row, db_.query_one(std::string("SELECT ") + kProductColumns + " FROM produce_products p WHERE p.id = ?1", {id}));
  if (!row) return fail(ErrorKind::not_found, "Không tìm thấy mặt hàng", "product_id");
  return product_from(*row);
}

Result<int64_t> ProduceStore::add_product(int64_t supplier_id, const ProductInput& in) {
  CHIDOAN_TRY_VOID(supplier(supplier_id));
  return named_conflict(db_.insert_id("INSERT INTO produce_products (supplier_id, name, unit, price_vnd, case_size, step, active, created_at) "
                                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
                                      {supplier_id, in.name, in.unit, in.price_vnd, in.case_size, in.step, int64_t{in.active},
                                       clock_.unix_seconds()}),
                        "Nhà cung cấp đã có mặt hàng \"" + in.name + "\"");
}

Result<void> ProduceStore::update_product(int64_t id, const ProductInput& in) {
  CHIDOAN_TRY_VOID(product(id));
  auto r = named_conflict(db_.execute("UPDATE produce_products SET name = ?1, unit = ?2, price_vnd = ?3, case_size = ?4, step = ?5, active = ?6 "
                                      "WHERE id = ?7",
                                      {in.name, in.unit, in.price_vnd, in.case_size, in.step, int64_t{in.active}, id}),
                          "Nhà cung cấp đã có mặt hàng \"" + in.name + "\"");
  if (!r) return std::unexpected(r.error());
  return {};
}

// ---- cycles ----

Result<int64_t> ProduceStore::create_cycle(const org::Org& organiser, const CycleInput& in, const std::vector<CycleProduct>* offer) {
  CHIDOAN_TRY(row, db_.query_one("SELECT s.name, s.active, o.path FROM produce_suppliers s JOIN orgs o ON o.id = s.org_id WHERE s.id = ?1",
                                 {in.supplier_id}));
  if (!row) return fail(ErrorKind::invalid, "Không tìm thấy nhà cung cấp", "supplier_id");
  if (!organiser.path.starts_with(row->str(2)))
    return fail(ErrorKind::invalid, "Nhà cung cấp không thuộc tổ chức này hoặc cấp trên của nó", "supplier_id");
  if (row->i64(1) == 0) return fail(ErrorKind::invalid, "Nhà cung cấp đã ngừng giao dịch", "supplier_id");
  CHIDOAN_TRY(ps, products(in.supplier_id));
  std::erase_if(ps, [](const Product& p) { return !p.active; });
  if (offer) {
    ps.clear();
    for (const auto& o : *offer) ps.push_back(Product{o.product_id, in.supplier_id, o.name, o.unit, o.price_vnd, o.case_size, o.step, true});
  }
  if (ps.empty()) return fail(ErrorKind::invalid, "Nhà cung cấp chưa có mặt hàng nào đang bán", "supplier_id");
  std::string title = in.title.empty() ? "Đặt mua " + row->str(0) : in.title;
  CHIDOAN_TRY(id, db_.insert_id("INSERT INTO produce_cycles (supplier_id, org_id, title, opens_at, closes_at, pickup_on, pickup_place, status, "
                                "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'open', ?8) RETURNING id",
                                {in.supplier_id, organiser.id, title, in.opens_at, in.closes_at, in.pickup_on, in.pickup_place,
                                 clock_.unix_seconds()}));
  int64_t position = 0;
  for (const auto& p : ps)
    CHIDOAN_TRY_VOID(db_.execute("INSERT INTO produce_cycle_products (cycle_id, product_id, price_vnd, case_size, step, position) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                 {id, p.id, p.price_vnd, p.case_size, p.step, position++}));
  return id;
}

Result<std::vector<Cycle>> ProduceStore::cycles_where(const std::string& where, const std::vector<Value>& params) {
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kCycleColumns + kCycleFrom + where, params));
  std::vector<Cycle> out;
  std::map<int64_t, size_t> index;
  for (const auto& r : rows) {
    index[r.i64(0)] = out.size();
    out.push_back(cycle_from(r));
  }
  if (out.empty()) return out;
  // The products of those cycles, in one query.
  std::string ids;
  for (const auto& c : out) ids += (ids.empty() ? "" : ",") + std::to_string(c.id);
  CHIDOAN_TRY(ps, db_.query("SELECT cp.cycle_id, cp.product_id, p.name, p.unit, cp.price_vnd, cp.case_size, cp.step, cp.cases, cp.units "
                            "FROM produce_cycle_products cp JOIN produce_products p ON p.id = cp.product_id WHERE cp.cycle_id IN (" +
                            ids + ") ORDER BY cp.cycle_id, cp.position"));
  for (const auto& r : ps)
    out[index[r.i64(0)]].products.push_back(
        CycleProduct{r.i64(1), r.str(2), r.str(3), r.i64(4), r.i64(5), r.i64(6), r.opt_i64(7), r.opt_i64(8)});
  return out;
}

Result<Cycle> ProduceStore::cycle(int64_t id) {
  CHIDOAN_TRY(list, cycles_where("WHERE c.id = ?1", {id}));
  if (list.empty()) return fail(ErrorKind::not_found, "Không tìm thấy đợt đặt hàng", "cycle_id");
  return list.front();
}

Result<std::vector<Cycle>> ProduceStore::cycles_for(const org::Org& o) {
  return cycles_where("WHERE o.path LIKE ?1 OR ?2 LIKE o.path || '%' ORDER BY c.opens_at DESC, c.id DESC", {o.path + "%", o.path});
}

// ---- orders ----

Result<std::vector<Order>> ProduceStore::orders(int64_t cycle_id) {
  CHIDOAN_TRY(rows, db_.query("SELECT r.id, r.member_id, m.family_name, m.middle_name, m.given_name, r.created_at, r.updated_at, r.picked_up, r.paid "
                              "FROM produce_orders r JOIN members m ON m.id = r.member_id WHERE r.cycle_id = ?1 ORDER BY m.sort_key, m.id",
                              {cycle_id}));
  std::vector<Order> out;
  std::map<int64_t, size_t> index;
  for (const auto& r : rows) {
    index[r.i64(0)] = out.size();
    out.push_back(Order{r.i64(0), cycle_id, r.i64(1), full_name(r, 2), r.i64(5), r.i64(6), r.i64(7) != 0, r.i64(8) != 0, {}});
  }
  CHIDOAN_TRY(lines, db_.query("SELECT i.order_id, i.product_id, i.quantity, i.tolerance, i.ordered_at, i.allocated "
                               "FROM produce_order_items i JOIN produce_orders r ON r.id = i.order_id "
                               "JOIN produce_cycle_products cp ON cp.cycle_id = r.cycle_id AND cp.product_id = i.product_id "
                               "WHERE r.cycle_id = ?1 ORDER BY i.order_id, cp.position",
                               {cycle_id}));
  for (const auto& r : lines)
    out[index[r.i64(0)]].lines.push_back(OrderLine{r.i64(1), r.i64(2), r.i64(3), r.i64(4), r.opt_i64(5)});
  return out;
}

Result<std::optional<Order>> ProduceStore::order(int64_t cycle_id, int64_t member_id) {
  CHIDOAN_TRY(all, orders(cycle_id));
  for (auto& o : all)
    if (o.member_id == member_id) return std::optional<Order>(std::move(o));
  return std::optional<Order>();
}

Result<void> ProduceStore::lock(int64_t cycle_id) {
  CHIDOAN_TRY(n, db_.execute("UPDATE produce_cycles SET order_seq = order_seq + 1 WHERE id = ?1", {cycle_id}));
  if (n == 0) return fail(ErrorKind::not_found, "Không tìm thấy đợt đặt hàng", "cycle_id");
  return {};
}

Result<void> ProduceStore::check_member_exists(int64_t member_id) {
  CHIDOAN_TRY(exists, db_.query_one("SELECT id FROM members WHERE id = ?1", {member_id}));
  if (!exists) return fail(ErrorKind::invalid, "Không tìm thấy đoàn viên #" + std::to_string(member_id), "member_id");
  return {};
}

Result<std::optional<Order>> ProduceStore::place_order(int64_t cycle_id, int64_t member_id, const std::vector<LineInput>& lines,
                                                       std::optional<int64_t> at) {
  int64_t now = at ? *at : clock_.unix_seconds();
  // The lock first: the status read below is then the one the close will see.
  CHIDOAN_TRY_VOID(lock(cycle_id));
  CHIDOAN_TRY(c, cycle(cycle_id));
  std::string now_local = local_time(now);
  CHIDOAN_TRY_VOID(check_window(c, now_local));
  CHIDOAN_TRY_VOID(check_member_exists(member_id));
  std::string day = now_local.substr(0, 10);
  CHIDOAN_TRY(stay, db_.query_one("SELECT p.branch_id FROM member_periods p JOIN orgs o ON o.id = p.branch_id "
                                  "WHERE p.member_id = ?1 AND o.path LIKE ?2 AND p.from_on <= ?3 AND (p.to_on IS NULL OR p.to_on > ?3)",
                                  {member_id, c.org_path + "%", day}));
  if (!stay) return fail(ErrorKind::invalid, "Đoàn viên không sinh hoạt trong " + c.org_name + ": không đặt hàng trong đợt này được", "member_id");
  CHIDOAN_TRY_VOID(check_order(c, lines));

  CHIDOAN_TRY(before, order(cycle_id, member_id));
  if (lines.empty()) {
    if (before) {
      CHIDOAN_TRY_VOID(db_.execute("DELETE FROM produce_order_items WHERE order_id = ?1", {before->id}));
      CHIDOAN_TRY_VOID(db_.execute("DELETE FROM produce_orders WHERE id = ?1", {before->id}));
    }
    return std::optional<Order>();
  }
  int64_t order_id = 0;
  if (before) {
    order_id = before->id;
    CHIDOAN_TRY_VOID(db_.execute("UPDATE produce_orders SET updated_at = ?1 WHERE id = ?2", {now, order_id}));
    for (const auto& l : before->lines) {
      bool kept = std::any_of(lines.begin(), lines.end(), [&](const LineInput& in) { return in.product_id == l.product_id; });
      if (!kept) CHIDOAN_TRY_VOID(db_.execute("DELETE FROM produce_order_items WHERE order_id = ?1 AND product_id = ?2", {order_id, l.product_id}));
    }
  } else {
    auto id = db_.insert_id("INSERT INTO produce_orders (cycle_id, member_id, created_at, updated_at) VALUES (?1, ?2, ?3, ?3) RETURNING id",
                            {cycle_id, member_id, now});
    if (!id && id.error().kind == ErrorKind::conflict) return fail(ErrorKind::conflict, "Đơn của đoàn viên vừa được ghi: hãy thử lại", "member_id");
    if (!id) return std::unexpected(id.error());
    order_id = *id;
  }
  for (const auto& in : lines) {
    std::optional<OrderLine> old;
    if (before)
      for (const auto& l : before->lines)
        if (l.product_id == in.product_id) old = l;
    int64_t queued = queue_time(old, in.quantity, now);
    if (old)
      CHIDOAN_TRY_VOID(db_.execute("UPDATE produce_order_items SET quantity = ?1, tolerance = ?2, ordered_at = ?3 WHERE order_id = ?4 AND product_id = ?5",
                                   {in.quantity, in.tolerance, queued, order_id, in.product_id}));
    else
      CHIDOAN_TRY_VOID(db_.execute("INSERT INTO produce_order_items (order_id, product_id, quantity, tolerance, ordered_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                                   {order_id, in.product_id, in.quantity, in.tolerance, queued}));
  }
  CHIDOAN_TRY(after, order(cycle_id, member_id));
  return after;
}

Result<CycleTotals> ProduceStore::close_cycle(int64_t cycle_id, std::optional<int64_t> at) {
  CHIDOAN_TRY_VOID(lock(cycle_id));
  CHIDOAN_TRY(c, cycle(cycle_id));
  if (c.status != CycleStatus::open) return fail(ErrorKind::conflict, "Đợt đặt hàng đã khóa sổ", "status");
  CHIDOAN_TRY(os, orders(cycle_id));
  // Rounded as an open cycle, then stored: the same numbers the running totals showed.
  CycleTotals t = produce::totals(c, os);
  for (const auto& pt : t.products) {
    CHIDOAN_TRY_VOID(db_.execute("UPDATE produce_cycle_products SET cases = ?1, units = ?2 WHERE cycle_id = ?3 AND product_id = ?4",
                                 {pt.rounded.cases, pt.rounded.units, cycle_id, pt.product.product_id}));
    for (const auto& a : pt.rounded.allocations)
      CHIDOAN_TRY_VOID(db_.execute("UPDATE produce_order_items SET allocated = ?1 WHERE product_id = ?2 AND order_id = "
                                   "(SELECT id FROM produce_orders WHERE cycle_id = ?3 AND member_id = ?4)",
                                   {a.allocated, pt.product.product_id, cycle_id, a.member_id}));
  }
  CHIDOAN_TRY_VOID(db_.execute("UPDATE produce_cycles SET status = 'closed', closed_at = ?1 WHERE id = ?2",
                               {at ? *at : clock_.unix_seconds(), cycle_id}));
  return t;
}

Result<void> ProduceStore::mark(int64_t cycle_id, int64_t member_id, std::optional<bool> picked_up, std::optional<bool> paid) {
  CHIDOAN_TRY(c, cycle(cycle_id));
  if (c.status == CycleStatus::open) return fail(ErrorKind::conflict, "Đợt đặt hàng chưa khóa sổ: chưa nhận hàng được", "status");
  CHIDOAN_TRY(row, db_.query_one("SELECT id FROM produce_orders WHERE cycle_id = ?1 AND member_id = ?2", {cycle_id, member_id}));
  if (!row) return fail(ErrorKind::not_found, "Đoàn viên không có đơn trong đợt này", "member_id");
  if (picked_up) CHIDOAN_TRY_VOID(db_.execute("UPDATE produce_orders SET picked_up = ?1 WHERE id = ?2", {int64_t{*picked_up}, row->i64(0)}));
  if (paid) CHIDOAN_TRY_VOID(db_.execute("UPDATE produce_orders SET paid = ?1 WHERE id = ?2", {int64_t{*paid}, row->i64(0)}));
  return {};
}

Result<void> ProduceStore::finish_cycle(int64_t cycle_id) {
  CHIDOAN_TRY(c, cycle(cycle_id));
  if (c.status != CycleStatus::closed)
    return fail(ErrorKind::conflict, c.status == CycleStatus::open ? "Đợt đặt hàng chưa khóa sổ" : "Đợt đặt hàng đã nhận hàng xong", "status");
  CHIDOAN_TRY_VOID(db_.execute("UPDATE produce_cycles SET status = 'picked_up' WHERE id = ?1 AND status = 'closed'", {cycle_id}));
  return {};
}

Result<CycleTotals> ProduceStore::totals(int64_t cycle_id) {
  CHIDOAN_TRY(c, cycle(cycle_id));
  CHIDOAN_TRY(os, orders(cycle_id));
  return produce::totals(c, os);
}

// ---- bundle ----

Result<void> ProduceStore::restore_times(int64_t cycle_id, int64_t member_id, const std::map<int64_t, int64_t>& ordered_at, int64_t updated_at) {
  CHIDOAN_TRY(row, db_.query_one("SELECT id FROM produce_orders WHERE cycle_id = ?1 AND member_id = ?2", {cycle_id, member_id}));
  if (!row) return fail(ErrorKind::not_found, "Đoàn viên không có đơn trong đợt này", "member_id");
  CHIDOAN_TRY_VOID(db_.execute("UPDATE produce_orders SET updated_at = ?1 WHERE id = ?2", {updated_at, row->i64(0)}));
  for (const auto& [product_id, at] : ordered_at)
    CHIDOAN_TRY_VOID(db_.execute("UPDATE produce_order_items SET ordered_at = ?1 WHERE order_id = ?2 AND product_id = ?3", {at, row->i64(0), product_id}));
  return {};
}

Result<std::vector<Supplier>> ProduceStore::suppliers_under(const std::string& root_path) {
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kSupplierColumns +
                                  " FROM produce_suppliers s JOIN orgs o ON o.id = s.org_id WHERE o.path LIKE ?1 ORDER BY s.id",
                              {root_path + "%"}));
  std::vector<Supplier> out;
  for (const auto& r : rows) out.push_back(supplier_from(r));
  return out;
}

Result<std::vector<Cycle>> ProduceStore::cycles_under(const std::string& root_path) {
  return cycles_where("WHERE o.path LIKE ?1 ORDER BY c.id", {root_path + "%"});
}

}  // namespace chidoan::fund::produce
