#include "fund/store.hpp"

#include <algorithm>

#include "platform/core/date.hpp"
#include "platform/text/text.hpp"

namespace chidoan::fund {
namespace {

using db::nullable;
using db::Row;
using db::Value;

constexpr const char* kContributionColumns =
    "c.id, c.campaign_id, c.round_no, c.kind, c.amount_vnd, c.item, c.quantity_milli, c.unit, c.value_vnd, c.contributor_kind, "
    "c.member_id, c.unit_id, c.contributor_name, c.collected_by, c.on_date, c.method, c.note, c.reverses_id, "
    "(SELECT r.id FROM contributions r WHERE r.reverses_id = c.id), c.receipt_no, c.recorded_by, c.recorded_at";

Contribution contribution_from(const Row& r) {
  Contribution c;
  c.id = r.i64(0);
  c.campaign_id = r.i64(1);
  c.round_no = r.opt_i64(2);
  c.kind = r.str(3);
  c.amount_vnd = r.i64(4);
  c.item = r.str(5);
  c.quantity_milli = r.i64(6);
  c.unit = r.str(7);
  c.value_vnd = r.i64(8);
  c.contributor_kind = r.str(9);
  c.member_id = r.opt_i64(10);
  c.unit_id = r.opt_i64(11);
  c.contributor_name = r.str(12);
  c.collected_by = r.i64(13);
  c.on_date = r.str(14);
  c.method = r.str(15);
  c.note = r.str(16);
  c.reverses_id = r.opt_i64(17);
  c.reversed_by = r.opt_i64(18);
  c.receipt_no = r.opt_i64(19);
  c.recorded_by = r.str(20);
  c.recorded_at = r.i64(21);
  return c;
}

std::string raw_field(const RawFields& raw, std::string_view k) {
  auto it = raw.find(k);
  return it == raw.end() ? std::string() : it->second;
}

}  // namespace

Result<CampaignInput> validate_campaign(const RawFields& raw) {
  CampaignInput in;
  for (auto [field, target] : {std::pair{"name", &in.name}, std::pair{"purpose", &in.purpose}, std::pair{"goal_items", &in.goal_items}}) {
    auto n = text::normalize(raw_field(raw, field));
    if (!n) return fail(ErrorKind::invalid, n.error().message, field);
    *target = *n;
  }
  if (in.name.empty()) return fail(ErrorKind::invalid, "Tên chiến dịch không được để trống", "name");
  in.starts_on = raw_field(raw, "starts_on");
  if (!parse_date(in.starts_on)) return fail(ErrorKind::invalid, "Ngày bắt đầu không hợp lệ", "starts_on");
  in.ends_on = raw_field(raw, "ends_on");
  if (!in.ends_on.empty() && !parse_date(in.ends_on)) return fail(ErrorKind::invalid, "Ngày kết thúc không hợp lệ", "ends_on");
  if (!in.ends_on.empty() && in.ends_on < in.starts_on)
    return fail(ErrorKind::invalid, "Ngày kết thúc không được trước ngày bắt đầu", "ends_on");
  if (!raw_field(raw, "goal_vnd").empty()) {
    CHIDOAN_TRY(goal, rules::parse_vnd(raw_field(raw, "goal_vnd"), "goal_vnd"));
    in.goal_vnd = goal;
  }
  std::string rounds = raw_field(raw, "rounds");
  if (!rounds.empty()) {
    if (rounds.size() > 2 || rounds.find_first_not_of("0123456789") != std::string::npos)
      return fail(ErrorKind::invalid, "Số đợt từ 0 đến 99", "rounds");
    in.rounds = std::stoll(rounds);
  }
  return in;
}

Result<int64_t> Store::create_campaign(const org::Org& organiser, const CampaignInput& in) {
  if (!organiser.active()) return fail(ErrorKind::invalid, "Tổ chức đã giải thể", "org_id");
  CHIDOAN_TRY(id, db_.insert_id("INSERT INTO campaigns (org_id, name, purpose, starts_on, ends_on, goal_vnd, goal_items, created_at) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
                                {organiser.id, in.name, in.purpose, in.starts_on, nullable(in.ends_on), nullable(in.goal_vnd),
                                 in.goal_items, clock_.unix_seconds()}));
  for (int64_t no = 1; no <= in.rounds; ++no) CHIDOAN_TRY_VOID(add_round(id, Round{no, "Đợt " + std::to_string(no), in.starts_on, ""}));
  return id;
}

Result<Store::Lock> Store::lock(const Campaign& c, bool receipt) {
  // Writing the campaign's row takes its lock until commit (PostgreSQL; SQLite's write lock is the
  // database's): a close, a new round, a receipt or another line of the campaign waits, and the
  // status read is the one this write happens under. A receipted line takes its number in the
  // same statement. (The rounds of `c` may be older than that, but rounds are only ever added:
  // a round added meanwhile is refused as unknown, never a removed one accepted.)
  CHIDOAN_TRY(row, db_.query_one("UPDATE campaigns SET last_receipt = last_receipt + ?2 WHERE id = ?1 RETURNING status, last_receipt",
                                 {c.id, int64_t{receipt ? 1 : 0}}));
  if (!row) return fail(ErrorKind::not_found, "Không tìm thấy chiến dịch", "campaign_id");
  Lock l{c, std::nullopt};
  l.now.status = row->str(0);
  if (receipt) l.receipt_no = row->i64(1);
  return l;
}

Result<int64_t> Store::add_next_round(const Campaign& c, const std::string& name, const std::string& starts_on) {
  CHIDOAN_TRY(held, lock(c, false));  // numbered after the rounds added before it
  static_cast<void>(held);
  CHIDOAN_TRY(highest, db_.query_one("SELECT COALESCE(MAX(no), 0) FROM campaign_rounds WHERE campaign_id = ?1", {c.id}));
  const int64_t no = highest->i64(0) + 1;
  if (no == 1) {
    // Lines given before there were rounds belong to none: the rounds would no longer add up.
    CHIDOAN_TRY(any, db_.query_one("SELECT 1 FROM contributions WHERE campaign_id = ?1 AND round_no IS NULL LIMIT 1", {c.id}));
    if (any) return fail(ErrorKind::conflict, "Chiến dịch đã có khoản đóng góp không theo đợt: không chia đợt được nữa", "no");
  }
  CHIDOAN_TRY_VOID(add_round(c.id, Round{no, name.empty() ? "Đợt " + std::to_string(no) : name, starts_on, ""}));
  return no;
}

Result<void> Store::add_round(int64_t campaign_id, const Round& r) {
  auto done = db_.execute("INSERT INTO campaign_rounds (campaign_id, no, name, starts_on, ends_on) VALUES (?1, ?2, ?3, ?4, ?5)",
                          {campaign_id, r.no, r.name, r.starts_on, nullable(r.ends_on)});
  if (!done && done.error().kind == ErrorKind::conflict) return fail(ErrorKind::conflict, "Đợt " + std::to_string(r.no) + " đã có", "no");
  if (!done) return std::unexpected(done.error());
  return {};
}

Result<void> Store::set_status(int64_t campaign_id, const std::string& status) {
  if (status != "open" && status != "closed") return fail(ErrorKind::invalid, "Trạng thái không hợp lệ", "status");
  CHIDOAN_TRY_VOID(db_.execute("UPDATE campaigns SET status = ?1 WHERE id = ?2", {status, campaign_id}));
  return {};
}

Result<Campaign> Store::campaign(int64_t id) {
  CHIDOAN_TRY(r, db_.query_one("SELECT c.id, c.org_id, o.name, c.name, c.purpose, c.starts_on, COALESCE(c.ends_on, ''), c.status, "
                               "c.goal_vnd, c.goal_items FROM campaigns c JOIN orgs o ON o.id = c.org_id WHERE c.id = ?1",
                               {id}));
  if (!r) return fail(ErrorKind::not_found, "Không tìm thấy chiến dịch", "campaign_id");
  Campaign c{r->i64(0), r->i64(1), r->str(2), r->str(3), r->str(4), r->str(5), r->str(6), r->str(7), r->opt_i64(8), r->str(9), {}};
  CHIDOAN_TRY(rounds, db_.query("SELECT no, name, starts_on, COALESCE(ends_on, '') FROM campaign_rounds WHERE campaign_id = ?1 ORDER BY no", {id}));
  for (const auto& x : rounds) c.rounds.push_back(Round{x.i64(0), x.str(1), x.str(2), x.str(3)});
  return c;
}

Result<std::vector<Campaign>> Store::campaigns_for(const org::Org& org, int year) {
  auto [from, to] = year_span(year);
  CHIDOAN_TRY(rows, db_.query("SELECT c.id FROM campaigns c JOIN orgs o ON o.id = c.org_id "
                              "WHERE (o.path LIKE ?1 OR ?2 LIKE o.path || '%') AND c.starts_on <= ?4 "
                              "AND (c.ends_on IS NULL OR c.ends_on >= ?3) ORDER BY c.starts_on, c.id",
                              {org.path + "%", org.path, from, to}));
  std::vector<Campaign> out;
  for (const auto& r : rows) {
    CHIDOAN_TRY(c, campaign(r.i64(0)));
    out.push_back(std::move(c));
  }
  return out;
}

Result<int64_t> Store::record(const Campaign& c, const ContributionInput& given, int64_t collected_by, const std::string& recorded_by,
                              bool receipt) {
  ContributionInput in = given;
  if (!in.member_id && !in.unit_id && in.contributor_kind != "anonymous" && in.contributor_name.empty())
    return fail(ErrorKind::invalid, "Ghi tên người đóng góp", "contributor_name");
  CHIDOAN_TRY(locked, lock(c, receipt));
  if (in.amount_vnd >= 0) CHIDOAN_TRY_VOID(rules::check_campaign(locked.now, in));
  // The printed name and unit come from the roll, as they are on the day.
  if (in.contributor_kind == "member") {
    CHIDOAN_TRY(m, db_.query_one("SELECT family_name, middle_name, given_name, unit_id, status FROM members WHERE id = ?1", {*in.member_id}));
    if (!m) return fail(ErrorKind::invalid, "Đoàn viên không tồn tại", "member_id");
    std::string name = m->str(0) + (m->str(1).empty() ? "" : " " + m->str(1)) + " " + m->str(2);
    if (in.contributor_name.empty()) in.contributor_name = name;
    if (!in.unit_id) in.unit_id = m->opt_i64(3);
  } else if (in.contributor_kind == "unit") {
    CHIDOAN_TRY(u, db_.query_one("SELECT name FROM units WHERE id = ?1", {*in.unit_id}));
    if (!u) return fail(ErrorKind::invalid, "Đơn vị công tác không tồn tại", "unit_id");
    if (in.contributor_name.empty()) in.contributor_name = u->str(0);
  }
  return insert_line(c, in, collected_by, recorded_by, locked.receipt_no);
}

Result<int64_t> Store::insert_line(const Campaign& c, const ContributionInput& in, int64_t collected_by, const std::string& recorded_by,
                                   std::optional<int64_t> receipt_no) {
  // A fresh line takes its receipt number in the insert: one statement fewer on the campaign's
  // hottest path.
  std::optional<int64_t> receipted_at;
  if (receipt_no) receipted_at = clock_.unix_seconds();
  CHIDOAN_TRY(id, db_.insert_id(
                      "INSERT INTO contributions (campaign_id, round_no, kind, amount_vnd, item, quantity_milli, unit, value_vnd, "
                      "contributor_kind, member_id, unit_id, contributor_name, collected_by, on_date, method, note, recorded_by, "
                      "recorded_at, receipt_no, receipted_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
                      "?15, ?16, ?17, ?18, ?19, ?20) RETURNING id",
                      {c.id, nullable(in.round_no), in.kind, in.amount_vnd, in.item, in.quantity_milli, in.unit, in.value_vnd,
                       in.contributor_kind, nullable(in.member_id), nullable(in.unit_id), in.contributor_name, collected_by,
                       in.on_date, in.method, in.note, recorded_by, clock_.unix_seconds(), nullable(receipt_no),
                       nullable(receipted_at)}));
  Contribution line;
  line.campaign_id = c.id;
  line.round_no = in.round_no;
  line.kind = in.kind;
  line.amount_vnd = in.amount_vnd;
  line.item = in.item;
  line.quantity_milli = in.quantity_milli;
  line.unit = in.unit;
  line.value_vnd = in.value_vnd;
  line.contributor_kind = in.contributor_kind;
  line.unit_id = in.unit_id;
  line.collected_by = collected_by;
  CHIDOAN_TRY_VOID(add_to_sums(line));
  return id;
}

Result<void> Store::add_to_sums(const Contribution& l) {
  CHIDOAN_TRY_VOID(db_.execute(
      "INSERT INTO contribution_sums (campaign_id, round_no, kind, contributor_kind, unit_id, collected_by, item, unit, amount_vnd, "
      "quantity_milli, value_vnd, entries) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 1) "
      "ON CONFLICT (campaign_id, round_no, kind, contributor_kind, unit_id, collected_by, item, unit) DO UPDATE SET "
      "amount_vnd = contribution_sums.amount_vnd + excluded.amount_vnd, "
      "quantity_milli = contribution_sums.quantity_milli + excluded.quantity_milli, "
      "value_vnd = contribution_sums.value_vnd + excluded.value_vnd, entries = contribution_sums.entries + 1",
      {l.campaign_id, l.round_no.value_or(0), l.kind, l.contributor_kind, l.unit_id.value_or(0), l.collected_by, l.item, l.unit,
       l.amount_vnd, l.quantity_milli, l.value_vnd}));
  return {};
}

Result<int64_t> Store::reverse(const Campaign& c, int64_t id, const std::string& date, const std::string& reason,
                               const std::string& recorded_by, Date today) {
  CHIDOAN_TRY(original, contribution(id));
  if (original.campaign_id != c.id) return fail(ErrorKind::not_found, "Không tìm thấy khoản đóng góp", "contribution_id");
  // Money and goods alike: a closed campaign's ledger is final until it is reopened.
  CHIDOAN_TRY(locked, lock(c, false));
  if (!locked.now.open()) return fail(ErrorKind::conflict, "Chiến dịch \"" + c.name + "\" đã kết thúc: mở lại chiến dịch để điều chỉnh", "campaign_id");
  CHIDOAN_TRY(in, rules::reversal_of(original, date, reason, today));
  CHIDOAN_TRY(new_id, insert_line(c, in, original.collected_by, recorded_by, std::nullopt));
  auto linked = db_.execute("UPDATE contributions SET reverses_id = ?1 WHERE id = ?2", {id, new_id});
  // Two recorders reversing the same line at once: the unique index lets one win.
  if (!linked && linked.error().kind == ErrorKind::conflict) return fail(ErrorKind::conflict, "Khoản này đã được đảo", "contribution_id");
  if (!linked) return std::unexpected(linked.error());
  return new_id;
}

Result<int64_t> Store::issue_receipt(const Campaign& c, int64_t id) {
  CHIDOAN_TRY(e, contribution(id));
  if (e.campaign_id != c.id) return fail(ErrorKind::not_found, "Không tìm thấy khoản đóng góp", "contribution_id");
  if (e.receipt_no) return fail(ErrorKind::conflict, "Đã xuất biên nhận số " + std::to_string(*e.receipt_no), "contribution_id");
  if (e.reverses_id || e.reversed_by) return fail(ErrorKind::conflict, "Không xuất biên nhận cho khoản đã đảo", "contribution_id");
  CHIDOAN_TRY(no, next_receipt_no(c.id));
  CHIDOAN_TRY_VOID(db_.execute("UPDATE contributions SET receipt_no = ?1, receipted_at = ?2 WHERE id = ?3", {no, clock_.unix_seconds(), id}));
  return no;
}

Result<int64_t> Store::next_receipt_no(int64_t campaign_id) {
  // The counter row's write lock serialises receipts of one campaign until commit.
  CHIDOAN_TRY(next, db_.query_one("UPDATE campaigns SET last_receipt = last_receipt + 1 WHERE id = ?1 RETURNING last_receipt",
                                  {campaign_id}));
  if (!next) return fail(ErrorKind::not_found, "Không tìm thấy chiến dịch", "campaign_id");
  return next->i64(0);
}

FairMutex& ledger_lock(int64_t campaign_id) { return keyed_fair_mutex("fund.ledger", campaign_id); }

Result<void> Store::edit(int64_t id, const std::string& contributor_name, const std::string& note) {
  CHIDOAN_TRY(e, contribution(id));
  if (e.receipt_no) return fail(ErrorKind::conflict, "Khoản đã xuất biên nhận số " + std::to_string(*e.receipt_no) + ": không sửa được", "contribution_id");
  CHIDOAN_TRY(name, text::normalize(contributor_name));
  CHIDOAN_TRY(clean_note, text::normalize(note));
  if (name.empty() && e.contributor_kind != "anonymous") return fail(ErrorKind::invalid, "Ghi tên người đóng góp", "contributor_name");
  // Not once a receipt is out, even one issued since the line was read (PostgreSQL's READ COMMITTED).
  CHIDOAN_TRY(changed, db_.execute("UPDATE contributions SET contributor_name = ?1, note = ?2 WHERE id = ?3 AND receipt_no IS NULL",
                                   {name, clean_note, id}));
  if (changed == 0) return fail(ErrorKind::conflict, "Khoản đã xuất biên nhận: không sửa được", "contribution_id");
  return {};
}

Result<Contribution> Store::contribution(int64_t id) {
  CHIDOAN_TRY(r, db_.query_one(std::string("SELECT ") + kContributionColumns + " FROM contributions c WHERE c.id = ?1", {id}));
  if (!r) return fail(ErrorKind::not_found, "Không tìm thấy khoản đóng góp", "contribution_id");
  return contribution_from(*r);
}

Result<std::vector<Contribution>> Store::ledger(int64_t campaign_id, int64_t limit, int64_t offset) {
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kContributionColumns +
                                  " FROM contributions c WHERE c.campaign_id = ?1 ORDER BY c.id DESC LIMIT ?2 OFFSET ?3",
                              {campaign_id, limit, offset}));
  std::vector<Contribution> out;
  for (const auto& r : rows) out.push_back(contribution_from(r));
  return out;
}

Result<int64_t> Store::ledger_size(int64_t campaign_id) {
  // Every ledger line counts once in the running sums: no scan of the ledger.
  CHIDOAN_TRY(r, db_.query_one("SELECT CAST(COALESCE(SUM(entries), 0) AS BIGINT) FROM contribution_sums WHERE campaign_id = ?1", {campaign_id}));
  return r->i64(0);
}

Result<Totals> Store::totals(int64_t campaign_id) {
  Totals t;
  CHIDOAN_TRY(money, db_.query_one("SELECT CAST(COALESCE(SUM(amount_vnd), 0) AS BIGINT), CAST(COALESCE(SUM(entries), 0) AS BIGINT) "
                                   "FROM contribution_sums WHERE campaign_id = ?1 AND kind = 'money'",
                                   {campaign_id}));
  t.money_vnd = money->i64(0);
  t.entries = money->i64(1);
  CHIDOAN_TRY(items, db_.query("SELECT item, unit, CAST(SUM(quantity_milli) AS BIGINT), CAST(SUM(value_vnd) AS BIGINT), "
                               "CAST(SUM(entries) AS BIGINT) FROM contribution_sums WHERE campaign_id = ?1 AND kind = 'in_kind' "
                               "GROUP BY item, unit ORDER BY item, unit",
                               {campaign_id}));
  for (const auto& r : items) {
    t.entries += r.i64(4);
    if (r.i64(2) != 0) t.items.push_back(ItemTotal{r.str(0), r.str(1), r.i64(2), r.i64(3)});
  }
  return t;
}

Result<std::vector<Bucket>> Store::buckets(const std::string& key_sql, const std::string& join, int64_t campaign_id) {
  CHIDOAN_TRY(rows, db_.query("SELECT " + key_sql + ", CAST(SUM(CASE WHEN s.kind = 'money' THEN s.amount_vnd ELSE 0 END) AS BIGINT), "
                                  "CAST(SUM(CASE WHEN s.kind = 'in_kind' THEN s.value_vnd ELSE 0 END) AS BIGINT), "
                                  "CAST(SUM(s.entries) AS BIGINT) FROM contribution_sums s " + join +
                                  " WHERE s.campaign_id = ?1 GROUP BY 1 ORDER BY 1",
                              {campaign_id}));
  std::vector<Bucket> out;
  for (const auto& r : rows) out.push_back(Bucket{r.str(0), r.i64(1), r.i64(2), r.i64(3)});
  return out;
}

Result<std::vector<Bucket>> Store::by_round(int64_t campaign_id) { return buckets("s.round_no", "", campaign_id); }
Result<std::vector<Bucket>> Store::by_contributor_kind(int64_t campaign_id) { return buckets("s.contributor_kind", "", campaign_id); }
Result<std::vector<Bucket>> Store::by_unit(int64_t campaign_id) {
  return buckets("COALESCE(u.name, '')", "LEFT JOIN units u ON u.id = s.unit_id", campaign_id);
}
Result<std::vector<Bucket>> Store::by_collector(int64_t campaign_id) {
  return buckets("o.name", "JOIN orgs o ON o.id = s.collected_by", campaign_id);
}

Result<int64_t> Store::record_outflow(const Campaign& c, const Outflow& o, Date today) {
  if (o.description.empty()) return fail(ErrorKind::invalid, "Ghi nội dung hỗ trợ", "description");
  if (o.recipients.empty()) return fail(ErrorKind::invalid, "Ghi đối tượng nhận (tổng hợp, ví dụ \"120 hộ cách ly\")", "recipients");
  auto day = parse_date(o.on_date);
  if (!day) return fail(ErrorKind::invalid, "Ngày không hợp lệ", "on_date");
  if (*day > today) return fail(ErrorKind::invalid, "Ngày hỗ trợ không được ở tương lai", "on_date");
  if (o.on_date < c.starts_on) return fail(ErrorKind::invalid, "Ngày hỗ trợ trước khi chiến dịch bắt đầu", "on_date");
  if (o.round_no) {
    bool known = std::any_of(c.rounds.begin(), c.rounds.end(), [&](const Round& r) { return r.no == *o.round_no; });
    if (!known) return fail(ErrorKind::invalid, "Chiến dịch không có đợt " + std::to_string(*o.round_no), "round_no");
  }
  return insert_outflow(c, o);
}

Result<int64_t> Store::insert_outflow(const Campaign& c, const Outflow& o) {
  return db_.insert_id(
      "INSERT INTO outflows (campaign_id, round_no, on_date, description, recipients, recipients_consented, kind, amount_vnd, item, "
      "quantity_milli, unit, value_vnd, reverses_id, recorded_by, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
      "?12, ?13, ?14, ?15) RETURNING id",
      {c.id, nullable(o.round_no), o.on_date, o.description, o.recipients, int64_t{o.recipients_consented}, o.kind, o.amount_vnd,
       o.item, o.quantity_milli, o.unit, o.value_vnd, nullable(o.reverses_id), o.recorded_by, clock_.unix_seconds()});
}

Result<int64_t> Store::reverse_outflow(const Campaign& c, int64_t id, const std::string& date, const std::string& reason,
                                       const std::string& recorded_by, Date today) {
  CHIDOAN_TRY(original, outflow(id));
  if (original.campaign_id != c.id) return fail(ErrorKind::not_found, "Không tìm thấy khoản chi", "outflow_id");
  CHIDOAN_TRY(reversal, rules::outflow_reversal_of(original, date, reason, today));
  reversal.recorded_by = recorded_by;
  auto id_or = insert_outflow(c, reversal);
  // Two recorders reversing the same outflow at once: the unique reverses_id lets one win.
  if (!id_or && id_or.error().kind == ErrorKind::conflict) return fail(ErrorKind::conflict, "Khoản chi này đã được đảo", "outflow_id");
  return id_or;
}

namespace {
constexpr const char* kOutflowColumns =
    "o.id, o.campaign_id, o.round_no, o.on_date, o.description, o.recipients, o.recipients_consented, o.kind, o.amount_vnd, o.item, "
    "o.quantity_milli, o.unit, o.value_vnd, o.reverses_id, (SELECT r.id FROM outflows r WHERE r.reverses_id = o.id), o.recorded_by";

Outflow outflow_from(const Row& r) {
  return Outflow{r.i64(0),  r.i64(1), r.opt_i64(2),  r.str(3),     r.str(4),     r.str(5), r.i64(6) != 0, r.str(7),
                 r.i64(8),  r.str(9), r.i64(10),     r.str(11),    r.i64(12),    r.opt_i64(13), r.opt_i64(14), r.str(15)};
}
}  // namespace

Result<Outflow> Store::outflow(int64_t id) {
  CHIDOAN_TRY(r, db_.query_one(std::string("SELECT ") + kOutflowColumns + " FROM outflows o WHERE o.id = ?1", {id}));
  if (!r) return fail(ErrorKind::not_found, "Không tìm thấy khoản chi", "outflow_id");
  return outflow_from(*r);
}

Result<std::vector<Outflow>> Store::outflows(int64_t campaign_id) {
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kOutflowColumns + " FROM outflows o WHERE o.campaign_id = ?1 ORDER BY o.on_date, o.id",
                              {campaign_id}));
  std::vector<Outflow> out;
  for (const auto& r : rows) out.push_back(outflow_from(r));
  return out;
}

Result<Totals> Store::outflow_totals(int64_t campaign_id) {
  Totals t;
  CHIDOAN_TRY(money, db_.query_one("SELECT CAST(COALESCE(SUM(amount_vnd), 0) AS BIGINT), COUNT(*) FROM outflows "
                                   "WHERE campaign_id = ?1 AND kind = 'money'",
                                   {campaign_id}));
  t.money_vnd = money->i64(0);
  t.entries = money->i64(1);
  CHIDOAN_TRY(items, db_.query("SELECT item, unit, CAST(SUM(quantity_milli) AS BIGINT), CAST(SUM(value_vnd) AS BIGINT) FROM outflows "
                               "WHERE campaign_id = ?1 AND kind = 'in_kind' GROUP BY item, unit ORDER BY item, unit",
                               {campaign_id}));
  for (const auto& r : items)
    if (r.i64(2) != 0) t.items.push_back(ItemTotal{r.str(0), r.str(1), r.i64(2), r.i64(3)});  // not those reversed to nothing
  return t;
}

}  // namespace chidoan::fund
