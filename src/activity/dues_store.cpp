#include "activity/dues_store.hpp"

#include <algorithm>

#include "org/model.hpp"
#include "platform/text/text.hpp"

namespace chidoan::activity::dues {
namespace {

using db::Row;
using db::Value;


Month month_col(const Row& r, size_t i) { return parse_month(r.str(i)).value_or(Month{}); }

constexpr const char* kPaymentColumns =
    "p.id, p.member_id, p.branch_id, p.from_month, p.to_month, p.amount, p.paid_on, p.receipt_no, p.note, "
    "p.reverses_id, p.recorded_at, p.recorded_by, r.id";

Payment payment_from(const Row& r) {
  Payment p;
  p.id = r.i64(0);
  p.member_id = r.i64(1);
  p.branch_id = r.i64(2);
  p.from = month_col(r, 3);
  p.to = month_col(r, 4);
  p.amount = r.i64(5);
  p.paid_on = r.str(6);
  p.receipt_no = r.str(7);
  p.note = r.str(8);
  p.reverses_id = r.opt_i64(9);
  p.recorded_at = r.i64(10);
  p.recorded_by = r.opt_i64(11);
  p.reversed_by = r.opt_i64(12);
  return p;
}

constexpr const char* kExemptionColumns =
    "e.id, e.member_id, e.branch_id, e.from_month, e.to_month, e.reason, e.recorded_at, e.recorded_by";

Exemption exemption_from(const Row& r) {
  return Exemption{r.i64(0), r.i64(1), r.i64(2), month_col(r, 3), month_col(r, 4), r.str(5), r.i64(6), r.opt_i64(7)};
}

constexpr const char* kRemittanceColumns =
    "x.id, x.branch_id, x.to_org_id, x.from_month, x.to_month, x.collected, x.amount, x.remitted_on, x.note, "
    "x.recorded_at, x.recorded_by";

Remittance remittance_from(const Row& r) {
  return Remittance{r.i64(0),  r.i64(1), r.i64(2), month_col(r, 3), month_col(r, 4), r.i64(5),
                    r.i64(6),  r.str(7), r.str(8), r.i64(9),        r.opt_i64(10)};
}

std::string full_name(const Row& r, size_t first) {
  org::Member m;
  m.family_name = r.str(first);
  m.middle_name = r.str(first + 1);
  m.given_name = r.str(first + 2);
  return m.full_name();
}

}  // namespace

// ---- rates ----

Result<std::vector<Rate>> DuesStore::rates() {
  CHIDOAN_TRY(rows, db_.query("SELECT id, category, amount, valid_from, valid_to, source FROM dues_rates ORDER BY category, valid_from"));
  std::vector<Rate> out;
  for (const auto& r : rows) {
    Rate rate;
    rate.id = r.i64(0);
    rate.category = parse_category(r.str(1)).value_or(Category::salaried);
    rate.amount = r.i64(2);
    rate.from = month_col(r, 3);
    if (!r.is_null(4)) rate.to = month_col(r, 4);
    rate.source = r.str(5);
    out.push_back(rate);
  }
  return out;
}

Result<Rate> DuesStore::add_rate(const RateInput& in, Month current) {
  CHIDOAN_TRY(existing, rates());
  CHIDOAN_TRY(change, check_new_rate(existing, in, current));
  if (change.close_id)
    CHIDOAN_TRY_VOID(db_.execute("UPDATE dues_rates SET valid_to = ?1 WHERE id = ?2 AND valid_to IS NULL",
                                 {to_string(change.close_to), *change.close_id}));
  auto id = db_.insert_id(
      "INSERT INTO dues_rates (category, amount, valid_from, valid_to, source, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
      {std::string(category_name(in.category)), in.amount, to_string(in.from), in.to ? Value(to_string(*in.to)) : Value(nullptr),
       in.source, clock_.unix_seconds()});
  if (!id && id.error().kind == ErrorKind::conflict)
    return fail(ErrorKind::conflict, "Đã có mức đoàn phí bắt đầu từ tháng " + format_month(in.from), "valid_from");
  if (!id) return std::unexpected(id.error());
  return Rate{*id, in.category, in.amount, in.from, in.to, in.source};
}

// ---- members ----

Result<MemberLedger> DuesStore::ledger(int64_t member_id) {
  CHIDOAN_TRY(exists, db_.query_one("SELECT id FROM members WHERE id = ?1", {member_id}));
  if (!exists) return fail(ErrorKind::invalid, "Không tìm thấy đoàn viên #" + std::to_string(member_id), "member_id");
  MemberLedger l;
  l.member_id = member_id;
  CHIDOAN_TRY(stays, db_.query("SELECT branch_id, from_on, COALESCE(to_on, '') FROM member_periods WHERE member_id = ?1 ORDER BY from_on", {member_id}));
  for (const auto& r : stays) l.stays.push_back(Stay{r.i64(0), r.str(1), r.str(2)});
  CHIDOAN_TRY(cats, db_.query("SELECT valid_from, category FROM dues_categories WHERE member_id = ?1 ORDER BY valid_from", {member_id}));
  for (const auto& r : cats) l.categories.push_back(CategoryChange{month_col(r, 0), parse_category(r.str(1)).value_or(Category::salaried)});
  CHIDOAN_TRY(paid, db_.query("SELECT month, amount FROM dues_paid_months WHERE member_id = ?1", {member_id}));
  for (const auto& r : paid) l.paid[month_col(r, 0)] = r.i64(1);
  CHIDOAN_TRY(ex, db_.query("SELECT month FROM dues_exempt_months WHERE member_id = ?1", {member_id}));
  for (const auto& r : ex) l.exempt.insert(month_col(r, 0));
  return l;
}

Result<std::optional<int64_t>> DuesStore::require_branch(int64_t branch_id) {
  CHIDOAN_TRY(row, db_.query_one("SELECT l.holds_members, o.parent_id FROM orgs o JOIN org_levels l ON l.id = o.level_id WHERE o.id = ?1",
                                 {branch_id}));
  if (!row) return fail(ErrorKind::not_found, "Không tìm thấy tổ chức", "org_id");
  if (row->i64(0) == 0) return fail(ErrorKind::invalid, "Sổ đoàn phí chỉ có ở chi đoàn", "org_id");
  return row->opt_i64(1);
}

Result<void> DuesStore::serialise(int64_t branch_id, std::optional<int64_t> member_id) {
  // A write checks rows another could be adding at the same moment on PostgreSQL (READ
  // COMMITTED): a payment and a remittance of one month, a payment and an exemption, two
  // exemptions of one member. The branch first, then the member, always in that order.
  CHIDOAN_TRY_VOID(db::lock_until_commit(db_, kBranchLocks, branch_id));
  if (member_id) CHIDOAN_TRY_VOID(db::lock_until_commit(db_, kMemberLocks, *member_id));
  return {};
}

Result<void> DuesStore::check_open_month(int64_t branch_id, const std::string& date, const char* field) {
  Month m = month_of_iso(date);
  CHIDOAN_TRY(row, db_.query_one("SELECT remittance_id FROM dues_remitted_months WHERE branch_id = ?1 AND month = ?2", {branch_id, to_string(m)}));
  if (row)
    return fail(ErrorKind::conflict,
                "Tháng " + format_month(m) + " đã khóa sổ (đã nộp đoàn phí lên cấp trên): ghi ngày trong một tháng chưa nộp", field);
  return {};
}

Result<void> DuesStore::set_category(int64_t branch_id, const CategoryInput& in, Recorded rec) {
  CHIDOAN_TRY_VOID(require_branch(branch_id));
  CHIDOAN_TRY_VOID(serialise(branch_id, in.member_id));
  CHIDOAN_TRY(l, ledger(in.member_id));
  bool in_branch = std::any_of(l.stays.begin(), l.stays.end(), [&](const Stay& s) { return s.branch_id == branch_id; });
  if (!in_branch) return fail(ErrorKind::invalid, "Đoàn viên không sinh hoạt tại chi đoàn này", "member_id");
  // From a month the member spends in this branch: a branch the member has left does not change
  // what their new branch collects.
  if (category_branch(l.stays, in.from) != branch_id)
    return fail(ErrorKind::invalid,
                "Tháng " + format_month(in.from) + " đoàn viên không sinh hoạt tại chi đoàn này: chọn một tháng đoàn viên sinh hoạt tại đây",
                "valid_from");
  auto paid_after = l.paid.lower_bound(in.from);
  if (paid_after != l.paid.end())
    return fail(ErrorKind::conflict,
                "Tháng " + format_month(paid_after->first) + " đã nộp theo đối tượng cũ: điều chỉnh khoản nộp trước, hoặc chọn tháng sau tháng đã nộp cuối",
                "valid_from");
  auto r = db_.execute("INSERT INTO dues_categories (member_id, valid_from, category, recorded_at, recorded_by) VALUES (?1, ?2, ?3, ?4, ?5)",
                       {in.member_id, to_string(in.from), std::string(category_name(in.category)), at(rec), db::nullable(rec.by)});
  if (!r && r.error().kind == ErrorKind::conflict)
    return fail(ErrorKind::conflict, "Đã có thay đổi đối tượng từ tháng " + format_month(in.from), "valid_from");
  if (!r) return std::unexpected(r.error());
  return {};
}

Result<std::vector<std::pair<int64_t, CategoryChange>>> DuesStore::all_categories() {
  CHIDOAN_TRY(rows, db_.query("SELECT member_id, valid_from, category FROM dues_categories ORDER BY member_id, valid_from"));
  std::vector<std::pair<int64_t, CategoryChange>> out;
  for (const auto& r : rows)
    out.push_back({r.i64(0), CategoryChange{month_col(r, 1), parse_category(r.str(2)).value_or(Category::salaried)}});
  return out;
}

// ---- payments ----

Result<std::vector<Payment>> DuesStore::payments_where(const std::string& where, const std::vector<Value>& params) {
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kPaymentColumns +
                                  " FROM dues_payments p LEFT JOIN dues_payments r ON r.reverses_id = p.id " + where,
                              params));
  std::vector<Payment> out;
  for (const auto& r : rows) out.push_back(payment_from(r));
  return out;
}

Result<std::optional<Payment>> DuesStore::payment(int64_t id) {
  CHIDOAN_TRY(ps, payments_where("WHERE p.id = ?1", {id}));
  if (ps.empty()) return std::optional<Payment>();
  return std::optional<Payment>(ps.front());
}

Result<Payment> DuesStore::record_payment(int64_t branch_id, const PaymentInput& in, Month current, Recorded rec) {
  CHIDOAN_TRY_VOID(require_branch(branch_id));
  CHIDOAN_TRY_VOID(serialise(branch_id, in.member_id));
  CHIDOAN_TRY(l, ledger(in.member_id));
  CHIDOAN_TRY(rs, rates());
  CHIDOAN_TRY(cs, charges(l, branch_id, in.from, in.to, rs, current));
  int64_t amount = total(cs);
  CHIDOAN_TRY_VOID(check_amount(in.amount, amount));
  CHIDOAN_TRY_VOID(check_open_month(branch_id, in.paid_on, "paid_on"));
  int64_t when = at(rec);
  CHIDOAN_TRY(id, db_.insert_id("INSERT INTO dues_payments (member_id, branch_id, from_month, to_month, amount, paid_on, receipt_no, note, "
                                "recorded_at, recorded_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id",
                                {in.member_id, branch_id, to_string(in.from), to_string(in.to), amount, in.paid_on, in.receipt_no,
                                 in.note, when, db::nullable(rec.by)}));
  for (const auto& c : cs) {
    auto r = db_.execute("INSERT INTO dues_paid_months (member_id, month, payment_id, branch_id, amount) VALUES (?1, ?2, ?3, ?4, ?5)",
                         {in.member_id, to_string(c.month), id, branch_id, c.amount});
    if (!r && r.error().kind == ErrorKind::conflict)
      return fail(ErrorKind::conflict, "Tháng " + format_month(c.month) + " đã nộp đoàn phí", "from_month");
    if (!r) return std::unexpected(r.error());
  }
  return Payment{id, in.member_id, branch_id, in.from, in.to, amount, in.paid_on, in.receipt_no, in.note, std::nullopt, std::nullopt, when, rec.by};
}

Result<Payment> DuesStore::reverse_payment(int64_t branch_id, int64_t payment_id, const ReversalInput& in, Recorded rec) {
  CHIDOAN_TRY_VOID(serialise(branch_id, std::nullopt));
  CHIDOAN_TRY(found, payment(payment_id));
  if (!found || found->branch_id != branch_id) return fail(ErrorKind::not_found, "Không tìm thấy khoản nộp này trong sổ của chi đoàn", "payment_id");
  const Payment& p = *found;
  if (p.reverses_id) return fail(ErrorKind::invalid, "Đây là bút toán điều chỉnh, không đảo lại được", "payment_id");
  if (p.reversed_by) return fail(ErrorKind::conflict, "Khoản nộp này đã được điều chỉnh", "payment_id");
  if (in.on < p.paid_on) return fail(ErrorKind::invalid, "Ngày điều chỉnh không được trước ngày nộp", "reversed_on");
  CHIDOAN_TRY_VOID(check_open_month(branch_id, in.on, "reversed_on"));
  int64_t when = at(rec);
  auto id = db_.insert_id("INSERT INTO dues_payments (member_id, branch_id, from_month, to_month, amount, paid_on, receipt_no, note, "
                          "reverses_id, recorded_at, recorded_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id",
                          {p.member_id, branch_id, to_string(p.from), to_string(p.to), -p.amount, in.on, p.receipt_no, in.reason,
                           p.id, when, db::nullable(rec.by)});
  if (!id && id.error().kind == ErrorKind::conflict) return fail(ErrorKind::conflict, "Khoản nộp này đã được điều chỉnh", "payment_id");
  if (!id) return std::unexpected(id.error());
  CHIDOAN_TRY_VOID(db_.execute("DELETE FROM dues_paid_months WHERE payment_id = ?1", {p.id}));
  return Payment{*id, p.member_id, branch_id, p.from, p.to, -p.amount, in.on, p.receipt_no, in.reason, p.id, std::nullopt, when, rec.by};
}

// ---- exemptions ----

Result<Exemption> DuesStore::add_exemption(int64_t branch_id, const ExemptionInput& in, Month current, Recorded rec) {
  CHIDOAN_TRY_VOID(require_branch(branch_id));
  CHIDOAN_TRY_VOID(serialise(branch_id, in.member_id));
  CHIDOAN_TRY(l, ledger(in.member_id));
  CHIDOAN_TRY_VOID(check_exemption(l, branch_id, in.from, in.to, current));
  int64_t when = at(rec);
  CHIDOAN_TRY(id, db_.insert_id("INSERT INTO dues_exemptions (member_id, branch_id, from_month, to_month, reason, recorded_at, recorded_by) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
                                {in.member_id, branch_id, to_string(in.from), to_string(in.to), in.reason, when, db::nullable(rec.by)}));
  for (Month m = in.from; m <= in.to; m = m + 1) {
    auto r = db_.execute("INSERT INTO dues_exempt_months (member_id, month, exemption_id) VALUES (?1, ?2, ?3)", {in.member_id, to_string(m), id});
    if (!r && r.error().kind == ErrorKind::conflict) return fail(ErrorKind::conflict, "Tháng " + format_month(m) + " đã được miễn", "from_month");
    if (!r) return std::unexpected(r.error());
  }
  return Exemption{id, in.member_id, branch_id, in.from, in.to, in.reason, when, rec.by};
}

// ---- remittances ----

Result<int64_t> DuesStore::collected(int64_t branch_id, Month from, Month to) {
  CHIDOAN_TRY(row, db_.query_one("SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM dues_payments "
                                 "WHERE branch_id = ?1 AND paid_on >= ?2 AND paid_on < ?3",
                                 {branch_id, first_day(from), first_day(to + 1)}));
  return row->i64(0);
}

Result<Remittance> DuesStore::add_remittance(int64_t branch_id, const RemittanceInput& in, Month current, Recorded rec,
                                             std::optional<int64_t> to_org_id) {
  CHIDOAN_TRY(parent, require_branch(branch_id));
  CHIDOAN_TRY_VOID(serialise(branch_id, std::nullopt));
  if (!to_org_id) to_org_id = parent;
  if (!to_org_id) return fail(ErrorKind::invalid, "Chi đoàn chưa có tổ chức cấp trên để nộp", "org_id");
  CHIDOAN_TRY_VOID(check_remittance_range(in.from, in.to, current));
  CHIDOAN_TRY(done, db_.query_one("SELECT month FROM dues_remitted_months WHERE branch_id = ?1 AND month >= ?2 AND month <= ?3 ORDER BY month",
                                  {branch_id, to_string(in.from), to_string(in.to)}));
  if (done) return fail(ErrorKind::conflict, "Tháng " + format_month(month_col(*done, 0)) + " đã nộp lên cấp trên", "from_month");
  CHIDOAN_TRY(cash, collected(branch_id, in.from, in.to));
  if (cash <= 0) return fail(ErrorKind::invalid, "Chi đoàn chưa thu được đoàn phí trong các tháng này", "from_month");
  Split s = split(cash);
  if (in.amount && *in.amount != s.remit)
    return fail(ErrorKind::invalid,
                "Số tiền nộp cấp trên phải là " + text::format_vnd(s.remit) + " (1/3 của " + text::format_vnd(cash) +
                    " đã thu, làm tròn xuống), không phải " + text::format_vnd(*in.amount),
                "amount");
  int64_t when = at(rec);
  CHIDOAN_TRY(id, db_.insert_id("INSERT INTO dues_remittances (branch_id, to_org_id, from_month, to_month, collected, amount, remitted_on, note, "
                                "recorded_at, recorded_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id",
                                {branch_id, *to_org_id, to_string(in.from), to_string(in.to), cash, s.remit, in.remitted_on, in.note, when,
                                 db::nullable(rec.by)}));
  for (Month m = in.from; m <= in.to; m = m + 1) {
    auto r = db_.execute("INSERT INTO dues_remitted_months (branch_id, month, remittance_id) VALUES (?1, ?2, ?3)", {branch_id, to_string(m), id});
    if (!r && r.error().kind == ErrorKind::conflict) return fail(ErrorKind::conflict, "Tháng " + format_month(m) + " đã nộp lên cấp trên", "from_month");
    if (!r) return std::unexpected(r.error());
  }
  return Remittance{id, branch_id, *to_org_id, in.from, in.to, cash, s.remit, in.remitted_on, in.note, when, rec.by};
}

// ---- the book ----

Result<Book> DuesStore::book(int64_t branch_id, int year, Month current) {
  CHIDOAN_TRY_VOID(require_branch(branch_id));
  Book b;
  b.branch_id = branch_id;
  b.year = year;
  b.current = current;
  CHIDOAN_TRY(rs, rates());
  b.rates = rs;
  Month jan = Month::of(year, 1), dec = Month::of(year, 12);
  std::string y0 = first_day(jan), y1 = first_day(dec + 1);

  // Members with a stay in the branch during the year, in Vietnamese name order.
  const std::string in_year =
      "SELECT member_id FROM member_periods WHERE branch_id = ?1 AND from_on < ?3 AND (to_on IS NULL OR to_on > ?2)";
  std::vector<Value> p{branch_id, y0, y1};
  CHIDOAN_TRY(people, db_.query("SELECT m.id, m.family_name, m.middle_name, m.given_name, m.sort_key FROM members m WHERE m.id IN (" + in_year +
                                    ") ORDER BY m.sort_key, m.id",
                                p));
  std::map<int64_t, MemberLedger> ledgers;
  for (const auto& r : people) {
    ledgers[r.i64(0)].member_id = r.i64(0);
    b.member_names[r.i64(0)] = full_name(r, 1);
  }
  CHIDOAN_TRY(stays, db_.query("SELECT member_id, branch_id, from_on, COALESCE(to_on, '') FROM member_periods WHERE member_id IN (" + in_year +
                                   ") ORDER BY member_id, from_on",
                               p));
  for (const auto& r : stays) ledgers[r.i64(0)].stays.push_back(Stay{r.i64(1), r.str(2), r.str(3)});
  CHIDOAN_TRY(cats, db_.query("SELECT member_id, valid_from, category FROM dues_categories WHERE member_id IN (" + in_year +
                                  ") ORDER BY member_id, valid_from",
                              p));
  for (const auto& r : cats)
    ledgers[r.i64(0)].categories.push_back(CategoryChange{month_col(r, 1), parse_category(r.str(2)).value_or(Category::salaried)});
  CHIDOAN_TRY(paid, db_.query("SELECT member_id, month, amount FROM dues_paid_months WHERE member_id IN (" + in_year + ")", p));
  for (const auto& r : paid) ledgers[r.i64(0)].paid[month_col(r, 1)] = r.i64(2);
  CHIDOAN_TRY(ex, db_.query("SELECT member_id, month FROM dues_exempt_months WHERE member_id IN (" + in_year + ")", p));
  for (const auto& r : ex) ledgers[r.i64(0)].exempt.insert(month_col(r, 1));

  for (const auto& r : people) {
    BookRow row = book_row(ledgers[r.i64(0)], branch_id, year, rs, current);
    row.full_name = b.member_names[row.member_id];
    bool any = std::any_of(row.states.begin(), row.states.end(), [](MonthState s) { return s != MonthState::none; });
    if (any) b.rows.push_back(std::move(row));
  }

  CHIDOAN_TRY(pays, payments_where("WHERE p.branch_id = ?1 AND ((p.from_month <= ?2 AND p.to_month >= ?3) OR (p.paid_on >= ?4 AND p.paid_on < ?5)) "
                                   "ORDER BY p.paid_on, p.id",
                                   {branch_id, to_string(dec), to_string(jan), y0, y1}));
  b.payments = pays;
  CHIDOAN_TRY(exs, db_.query(std::string("SELECT ") + kExemptionColumns +
                                 " FROM dues_exemptions e WHERE e.branch_id = ?1 AND e.from_month <= ?2 AND e.to_month >= ?3 ORDER BY e.from_month, e.id",
                             {branch_id, to_string(dec), to_string(jan)}));
  for (const auto& r : exs) b.exemptions.push_back(exemption_from(r));
  CHIDOAN_TRY(rems, db_.query(std::string("SELECT ") + kRemittanceColumns +
                                  " FROM dues_remittances x WHERE x.branch_id = ?1 AND x.from_month >= ?2 AND x.from_month <= ?3 ORDER BY x.from_month, x.id",
                              {branch_id, to_string(jan), to_string(dec)}));
  for (const auto& r : rems) b.remittances.push_back(remittance_from(r));

  // Names of members mentioned by entries but not in the grid (a reversal of a departed member).
  for (const auto& pay : b.payments)
    if (!b.member_names.contains(pay.member_id)) {
      CHIDOAN_TRY(row, db_.query_one("SELECT id, family_name, middle_name, given_name FROM members WHERE id = ?1", {pay.member_id}));
      if (row) b.member_names[pay.member_id] = full_name(*row, 1);
    }

  CHIDOAN_TRY(cash, db_.query("SELECT substr(paid_on, 1, 7), CAST(SUM(amount) AS BIGINT) FROM dues_payments "
                              "WHERE branch_id = ?1 AND paid_on >= ?2 AND paid_on < ?3 GROUP BY substr(paid_on, 1, 7)",
                              {branch_id, y0, y1}));
  std::map<Month, int64_t> by_month;
  for (const auto& r : cash) by_month[month_col(r, 0)] = r.i64(1);
  book_figures(b, by_month);
  return b;
}

// ---- bundle ----

Result<std::vector<Payment>> DuesStore::payments_under(const std::string& root_path) {
  return payments_where("JOIN orgs o ON o.id = p.branch_id WHERE o.path LIKE ?1 ORDER BY p.recorded_at, p.id", {root_path + "%"});
}

Result<std::vector<Exemption>> DuesStore::exemptions_under(const std::string& root_path) {
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kExemptionColumns +
                                  " FROM dues_exemptions e JOIN orgs o ON o.id = e.branch_id WHERE o.path LIKE ?1 ORDER BY e.recorded_at, e.id",
                              {root_path + "%"}));
  std::vector<Exemption> out;
  for (const auto& r : rows) out.push_back(exemption_from(r));
  return out;
}

Result<std::vector<Remittance>> DuesStore::remittances_under(const std::string& root_path) {
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kRemittanceColumns +
                                  " FROM dues_remittances x JOIN orgs o ON o.id = x.branch_id WHERE o.path LIKE ?1 ORDER BY x.recorded_at, x.id",
                              {root_path + "%"}));
  std::vector<Remittance> out;
  for (const auto& r : rows) out.push_back(remittance_from(r));
  return out;
}

}  // namespace chidoan::activity::dues
