// Drafts of news posts from the data, and the link checks (draft.hpp).
//
// Every figure is read through the other modules' stores (activity, fund, produce, ideas) or
// counted here with portable SQL; nothing in a draft names a member, a contributor or a farmer
// supplier: only counts, totals, places and the organisations' names.
#include "news/draft.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "activity/store.hpp"
#include "fund/produce_store.hpp"
#include "fund/store.hpp"
#include "ideas/store.hpp"
#include "org/store.hpp"
#include "platform/core/date.hpp"
#include "platform/text/text.hpp"
#include "platform/text/words.hpp"

namespace chidoan::news {
namespace {

// ---- the kinds of source and link ----

struct Kind {
  std::string_view key;    // Source::kind
  const char* table;       // where it is stored (each has id, org_id)
  const char* title_col;   // its short title
  const char* field;       // the Links field
  const char* noun;        // lower case, Vietnamese
  const char* Noun;        // capitalised
};

constexpr Kind kKinds[] = {
    {"activity", "activities", "title", "activity_id", "hoạt động", "Hoạt động"},
    {"campaign", "campaigns", "name", "campaign_id", "chiến dịch", "Chiến dịch"},
    {"forum", "idea_forums", "title", "forum_id", "diễn đàn", "Diễn đàn"},
    {"produce", "produce_cycles", "title", "produce_cycle_id", "đợt đặt hàng nông sản", "Đợt đặt hàng nông sản"},
};
const Kind& kind_of(std::string_view key) {
  for (const auto& k : kKinds)
    if (k.key == key) return k;
  return kKinds[0];  // unreachable for known keys; callers check known_kind first
}
bool known_kind(std::string_view key) {
  for (const auto& k : kKinds)
    if (k.key == key) return true;
  return false;
}

// Why the scope check runs: a draft ("source") or a post's link.
enum class Purpose { draft, link };

// The thing exists (else not_found on `field`) and belongs to org_id's subtree: its org is
// org_id or below it; an activity also when an org of the subtree takes part in it. Otherwise
// invalid on `field`, in Vietnamese, naming the post's organisation.
Result<void> check_scope(db::Connection& db, int64_t org_id, const Kind& k, int64_t id, const std::string& field, Purpose why) {
  CHIDOAN_TRY(top, db.query_one("SELECT name, path FROM orgs WHERE id = ?1", {org_id}));
  if (!top) return fail(ErrorKind::not_found, "Không tìm thấy tổ chức", "org_id");
  const std::string top_name = top->str(0), top_path = top->str(1);
  CHIDOAN_TRY(row, db.query_one(std::string("SELECT o.path FROM ") + k.table + " x JOIN orgs o ON o.id = x.org_id WHERE x.id = ?1", {id}));
  if (!row) return fail(ErrorKind::not_found, std::string("Không tìm thấy ") + k.noun, field);
  if (row->str(0).starts_with(top_path)) return {};
  if (k.key == "activity") {
    CHIDOAN_TRY(part, db.query_one("SELECT 1 FROM activity_orgs ao JOIN orgs j ON j.id = ao.org_id "
                                   "WHERE ao.activity_id = ?1 AND j.path LIKE ?2",
                                   {id, top_path + "%"}));
    if (part) return {};
  }
  std::string message = std::string(k.Noun) + " này không thuộc " + top_name + "; ";
  message += why == Purpose::link ? std::string("chỉ liên kết được ") + k.noun + " của tổ chức mình"
                                  : std::string("chỉ viết tin được từ ") + k.noun + " của tổ chức mình";
  return fail(ErrorKind::invalid, message, field);
}

// ---- wording ----

std::string date_of(const std::string& local) { return local.substr(0, 10); }
std::string vn_date(const std::string& iso) { return text::format_date(iso); }

// "Ngày 02/11/2021" or "Từ ngày 01/06/2021 đến ngày 30/09/2021" (to empty: "Từ ngày …").
std::string when(const std::string& from, const std::string& to) {
  if (to.empty()) return "Từ ngày " + vn_date(from);
  if (from == to) return "Ngày " + vn_date(from);
  return "Từ ngày " + vn_date(from) + " đến ngày " + vn_date(to);
}

// "15/06–30/06/2021" within a year, else both dates in full; no end: "từ 15/06/2021".
std::string short_range(const std::string& from, const std::string& to) {
  if (to.empty()) return "từ " + vn_date(from);
  if (from == to) return vn_date(from);
  std::string a = vn_date(from), b = vn_date(to);
  if (from.size() == 10 && to.size() == 10 && from.substr(0, 4) == to.substr(0, 4)) a = a.substr(0, 5);
  return a + "\u2013" + b;
}

using text::curly;
using text::join;
using text::money_phrase;

// A title in “ ”, its own straight quotes made curly.
std::string quoted(const std::string& s) { return "\u201C" + curly(s) + "\u201D"; }

// Vietnamese capitals (ASCII, Latin-1, Ă Đ Ĩ Ũ Ơ Ư and the Latin Extended Additional block
// of tones) and their small letters.
bool is_capital(char32_t c) {
  return (c >= U'A' && c <= U'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7) || c == 0x102 || c == 0x110 || c == 0x128 ||
         c == 0x168 || c == 0x1A0 || c == 0x1AF || (c >= 0x1EA0 && c <= 0x1EF8 && c % 2 == 0);
}
char32_t small_of(char32_t c) {
  if (c < 0x100) return c + 0x20;
  if (c == 0x1AF) return 0x1B0;
  return c + 1;
}
// The code point at `i` of valid UTF-8 and its length in bytes.
std::pair<char32_t, size_t> code_point(const std::string& s, size_t i) {
  auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) return {b, 1};
  size_t n = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
  if (i + n > s.size()) return {0xFFFD, 1};
  char32_t c = b & (0xFF >> (n + 1));
  for (size_t k = 1; k < n; ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  return {c, n};
}
std::string utf8(char32_t c) {
  std::string out;
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
  return out;
}
// A common noun inside a sentence: "Gạo" -> "gạo", "Xoài Úc" -> "xoài Úc"; an acronym or a
// word in capitals stays ("HTX …", "COVID").
std::string lower_first(const std::string& s) {
  if (s.empty()) return s;
  auto [first, n] = code_point(s, 0);
  if (!is_capital(first)) return s;
  if (n < s.size() && is_capital(code_point(s, n).first)) return s;
  return utf8(small_of(first)) + s.substr(n);
}

// Adds a full stop unless the text already ends a sentence.
std::string sentence(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n')) s.pop_back();
  if (!s.empty() && s.back() != '.' && s.back() != '!' && s.back() != '?') s += '.';
  return s;
}



// Thousandths of a unit, Vietnamese style: 5000 -> "5", 2500 -> "2,5", 1234567 -> "1.234,567".
std::string quantity_milli(int64_t milli) {
  std::string out = text::format_int(milli / 1000);
  int64_t frac = milli % 1000;
  if (frac < 0) frac = -frac;
  if (frac != 0) {
    std::string digits = std::to_string(1000 + frac).substr(1);
    while (!digits.empty() && digits.back() == '0') digits.pop_back();
    out += "," + digits;
  }
  return out;
}

// Minutes as hours: 5760 -> "96", 5730 -> "95,5".
std::string hours(int64_t minutes) {
  if (minutes % 60 == 0) return text::format_int(minutes / 60);
  std::string s = text::format_decimal(static_cast<double>(minutes) / 60.0, 1);
  if (s.size() > 2 && s.ends_with(",0")) s.resize(s.size() - 2);
  return s;
}

std::string today_iso(const Clock& clock) { return to_iso(today(clock)); }

// ---- activity ----

Result<Draft> activity_draft(db::Connection& db, const Clock& clock, int64_t id) {
  activity::Store acts(db, clock);
  CHIDOAN_TRY(a, acts.get(id));
  const std::string from = date_of(a.starts_at), to = date_of(a.ends_at);
  org::Store orgs(db, clock);
  CHIDOAN_TRY(org_name, orgs.org_name_on(a.org_id, from));
  CHIDOAN_TRY(counts, db.query_one(
                          "SELECT (SELECT COUNT(*) FROM attendance d WHERE d.activity_id = ?1 AND d.status = 'present'), "
                          "(SELECT COUNT(*) FROM signups s WHERE s.activity_id = ?1 AND s.status = 'confirmed'), "
                          "(SELECT CAST(COALESCE(SUM(d.minutes), 0) AS BIGINT) FROM attendance d WHERE d.activity_id = ?1 "
                          "AND d.hours_state IN ('approved', 'checked')), "
                          "(SELECT COUNT(*) FROM study_completions c WHERE c.activity_id = ?1), "
                          "(SELECT COUNT(*) FROM study_completions c WHERE c.activity_id = ?1 AND c.mode = 'online')",
                          {id}));
  const int64_t present = counts->i64(0), confirmed = counts->i64(1), minutes = counts->i64(2), completed = counts->i64(3),
                online = counts->i64(4);
  const bool upcoming = from > today_iso(clock);
  const bool volunteer = a.type_code == "volunteer" || a.type_code == "social_work";

  std::string body = when(from, to) + ", " + org_name + (upcoming ? " sẽ tổ chức " : " tổ chức ") + curly(a.title);
  if (!a.place.empty()) body += " tại " + curly(a.place);
  std::string figures;  // for the summary
  if (a.type_code == "study" && completed > 0) {
    body += " với " + text::format_int(completed) + " đoàn viên hoàn thành";
    if (online > 0 && online < completed)
      body += " (" + text::format_int(completed - online) + " trực tiếp, " + text::format_int(online) + " trực tuyến)";
    else if (online == completed)
      body += " trực tuyến";
    figures = text::format_int(completed) + " đoàn viên hoàn thành";
  } else if (present > 0) {
    body += " với " + text::format_int(present) + " đoàn viên tham gia";
    figures = text::format_int(present) + " đoàn viên tham gia";
  } else if (!a.attendance_taken && confirmed > 0) {
    body += " với " + text::format_int(confirmed) + " đoàn viên đăng ký tham gia";
    figures = text::format_int(confirmed) + " đoàn viên đăng ký tham gia";
  }
  if (volunteer && minutes > 0) {
    body += ", tổng cộng " + hours(minutes) + " giờ tình nguyện";
    figures += (figures.empty() ? "" : ", ") + hours(minutes) + " giờ tình nguyện";
  }
  body += ".";

  Draft d;
  d.title = a.title;
  d.summary = figures.empty() ? sentence(org_name + (upcoming ? " sẽ tổ chức " : " tổ chức ") + curly(a.title) + " ngày " + vn_date(from))
                              : sentence(curly(a.title) + ": " + figures);
  d.body = body;
  d.links.activity_id = id;
  return d;
}

// ---- campaign ----

// "hơn 130 triệu đồng", "hiện vật trị giá 20 triệu đồng gồm 5 tấn gạo và 2.000 khẩu trang", joined.
std::string gathered(int64_t money, const std::vector<fund::ItemTotal>& items) {
  std::vector<std::string> parts;
  if (money > 0) parts.push_back(money_phrase(money));
  int64_t value = 0;
  std::vector<std::string> things;
  for (const auto& i : items) {
    if (i.quantity_milli <= 0) continue;
    value += i.value_vnd;
    std::string thing = quantity_milli(i.quantity_milli);
    if (!i.unit.empty()) thing += " " + i.unit;
    if (!i.item.empty()) thing += " " + lower_first(i.item);
    things.push_back(thing);
  }
  if (value > 0) {
    std::string p = "hiện vật trị giá " + money_phrase(value);
    if (!things.empty()) p += " gồm " + join(things, ", ", " và ");
    parts.push_back(p);
  } else if (!things.empty()) {
    parts.push_back(join(things, ", ", " và "));
  }
  return join(parts, ", ", " cùng ");
}

Result<Draft> campaign_draft(db::Connection& db, const Clock& clock, int64_t id) {
  fund::Store fund(db, clock);
  CHIDOAN_TRY(c, fund.campaign(id));
  CHIDOAN_TRY(totals, fund.totals(id));
  CHIDOAN_TRY(rounds, fund.by_round(id));
  org::Store orgs(db, clock);
  CHIDOAN_TRY(org_name, orgs.org_name_on(c.org_id, c.starts_on));

  std::string name;
  if (c.name.find('"') != std::string::npos)
    name = curly(c.name);  // names itself: Chương trình "Một triệu túi an sinh"
  else if (c.name.starts_with("Chiến dịch") || c.name.starts_with("Cuộc vận động") || c.name.starts_with("Chương trình") ||
           c.name.starts_with("Phong trào"))
    name = quoted(c.name);
  else if (c.name.starts_with("Quỹ"))
    name = "ủng hộ " + quoted(c.name);
  else
    name = "chiến dịch " + quoted(c.name);
  std::string body = when(c.starts_on, c.ends_on) + ", " + org_name + " phát động " + name;
  const std::string got = gathered(totals.money_vnd, totals.items);
  if (!got.empty())
    body += (c.open() ? ", đến nay đã vận động được " : ", vận động được ") + got;
  else
    body += ", chưa ghi nhận khoản đóng góp nào";
  body += ".";
  if (!c.purpose.empty()) body += " Mục đích: " + sentence(curly(c.purpose));

  if (c.rounds.size() > 1) {
    std::map<int64_t, std::pair<int64_t, int64_t>> by_no;  // round -> (money, in-kind value)
    for (const auto& b : rounds) {
      int64_t no = 0;
      try {
        no = std::stoll(b.key);
      } catch (...) {
        continue;
      }
      by_no[no] = {b.money_vnd, b.in_kind_value_vnd};
    }
    std::vector<std::string> lines;
    for (const auto& r : c.rounds) {
      auto [money, value] = by_no.count(r.no) ? by_no[r.no] : std::pair<int64_t, int64_t>{0, 0};
      std::string line = "Đợt " + std::to_string(r.no) + " (" + short_range(r.starts_on, r.ends_on) + "): " + text::format_int(money) + " đồng";
      if (value > 0) line += " và hiện vật trị giá " + text::format_int(value) + " đồng";
      lines.push_back(line);
    }
    body += "\n\n" + join(lines, "; ", "; ") + ".";
  }

  Draft d;
  d.title = c.name;
  d.summary = got.empty() ? sentence(org_name + " phát động " + name)
                          : sentence(curly(c.name) + (c.open() ? ": đến nay đã vận động được " : ": vận động được ") + got);
  d.body = body;
  d.links.campaign_id = id;
  return d;
}

// ---- forum ----

Result<Draft> forum_draft(db::Connection& db, const Clock& clock, int64_t id) {
  ideas::Store store(db, clock);
  CHIDOAN_TRY(f, store.forum(id));
  CHIDOAN_TRY(r, store.results(f));
  const bool event = f.kind == "event" && f.held_on;
  const std::string date = event ? *f.held_on : f.opens_on;
  org::Store orgs(db, clock);
  CHIDOAN_TRY(org_name, orgs.org_name_on(f.org_id, date));

  const std::string forum = f.title.starts_with("Diễn đàn") ? curly(f.title) : "Diễn đàn " + quoted(f.title);
  std::string body;
  if (event) {
    body = "Ngày " + vn_date(date) + ", " + org_name + " tổ chức " + forum;
    if (f.activity_id) {
      // The forum's day as an activity: its place and who came.
      CHIDOAN_TRY(a, db.query_one("SELECT a.place, (SELECT COUNT(*) FROM attendance d WHERE d.activity_id = a.id AND d.status = 'present') "
                                  "FROM activities a WHERE a.id = ?1",
                                  {*f.activity_id}));
      if (a && !a->str(0).empty()) body += " tại " + curly(a->str(0));
      if (a && a->i64(1) > 0) body += " với " + text::format_int(a->i64(1)) + " đoàn viên tham gia";
    }
  } else {
    body = when(f.opens_on, f.closes_on.value_or("")) + ", " + org_name + " mở " + forum;
  }
  body += ".";

  int64_t implemented = static_cast<int64_t>(r.implemented.size());
  int64_t accepted = r.by_state["accepted"] + implemented;  // implemented ideas were accepted first
  std::string figures;
  if (r.ideas > 0) {
    figures = text::format_int(r.ideas) + " ý tưởng, " + text::format_int(r.supports) + " lượt ủng hộ";
    body += " Đoàn viên đã gửi " + text::format_int(r.ideas) + " ý tưởng, nhận " + text::format_int(r.supports) + " lượt ủng hộ";
    if (accepted > 0) {
      body += "; " + text::format_int(accepted) + " ý tưởng được tiếp nhận";
      figures += ", " + text::format_int(accepted) + " ý tưởng được tiếp nhận";
      if (implemented > 0) body += ", trong đó " + text::format_int(implemented) + " ý tưởng đã được triển khai";
    }
    body += ".";
  } else {
    body += " Chưa có ý tưởng nào được gửi.";
  }

  Draft d;
  d.title = f.title;
  d.summary = figures.empty() ? sentence(org_name + " tổ chức " + forum) : sentence(forum + ": " + figures);
  d.body = body;
  d.links.forum_id = id;
  return d;
}

// ---- produce ----

Result<Draft> produce_draft(db::Connection& db, const Clock& clock, int64_t id) {
  fund::produce::ProduceStore store(db, clock);
  CHIDOAN_TRY(c, store.cycle(id));
  CHIDOAN_TRY(s, store.supplier(c.supplier_id));
  CHIDOAN_TRY(t, store.totals(id));
  const std::string from = date_of(c.opens_at), to = date_of(c.closes_at);
  org::Store orgs(db, clock);
  CHIDOAN_TRY(org_name, orgs.org_name_on(c.org_id, from));
  const bool closed = c.status != fund::produce::CycleStatus::open;

  // A farmer's own name is personal data: the place only. A cooperative is named.
  std::string who;
  if (s.kind == "cooperative")
    who = s.name + (s.place.empty() ? "" : " (" + s.place + ")");
  else
    who = s.place.empty() ? "một nông hộ" : "nông hộ tại " + s.place;

  std::vector<std::string> names, per_product;
  std::vector<std::pair<std::string, int64_t>> per_unit;  // in the products' order
  for (const auto& p : t.products) {
    names.push_back(lower_first(p.product.name));
    int64_t q = closed ? p.rounded.units : p.rounded.ordered;
    if (q <= 0) continue;
    per_product.push_back(lower_first(p.product.name) + " " + text::format_int(q) + " " + p.product.unit);
    auto it = std::find_if(per_unit.begin(), per_unit.end(), [&](const auto& u) { return u.first == p.product.unit; });
    if (it == per_unit.end())
      per_unit.push_back({p.product.unit, q});
    else
      it->second += q;
  }
  int64_t members = 0;
  for (const auto& m : t.members)
    for (const auto& [product, q] : m.ordered)
      if (q > 0) {
        ++members;
        break;
      }
  const int64_t value = closed ? t.amount_vnd : t.ordered_amount_vnd;

  std::string body = when(from, to) + ", " + org_name + " tổ chức đợt đặt mua nông sản " + quoted(c.title) + " giúp " + who +
                     " tiêu thụ " + join(names, ", ", " và ") + ".";
  std::string figures;
  if (members > 0 && !per_unit.empty()) {
    std::vector<std::string> units;
    for (const auto& [unit, q] : per_unit) units.push_back(text::format_int(q) + " " + unit);
    figures = text::format_int(members) + " đoàn viên đặt mua " + join(units, ", ", " và ");
    body += std::string(closed ? " " : " Đến nay, ") + text::format_int(members) + " đoàn viên đã đặt mua " + join(units, ", ", " và ");
    if (per_product.size() > 1) body += " (" + join(per_product, ", ", ", ") + ")";
    body += ", tổng giá trị " + text::format_int(value) + " đồng";
    body += closed ? ", góp phần giúp bà con nông dân tiêu thụ nông sản." : ".";
  } else {
    body += " Chưa có đoàn viên nào đặt hàng.";
  }
  if (!c.pickup_on.empty()) {
    body += " Hàng được nhận ngày " + vn_date(c.pickup_on);
    if (!c.pickup_place.empty()) body += " tại " + curly(c.pickup_place);
    body += ".";
  }

  Draft d;
  d.title = c.title;
  d.summary = figures.empty() ? sentence(org_name + " tổ chức đặt mua nông sản giúp nông dân")
                              : sentence(curly(c.title) + ": " + figures + ", giúp nông dân tiêu thụ nông sản");
  d.body = body;
  d.links.produce_cycle_id = id;
  return d;
}

}  // namespace

Result<Draft> draft_from(db::Connection& db, const Clock& clock, int64_t org_id, const Source& src) {
  if (!known_kind(src.kind))
    return fail(ErrorKind::invalid, "Nguồn không hợp lệ: chọn hoạt động, chiến dịch, diễn đàn hoặc đợt đặt hàng nông sản", "source");
  const Kind& k = kind_of(src.kind);
  CHIDOAN_TRY_VOID(check_scope(db, org_id, k, src.id, "source", Purpose::draft));
  if (k.key == "activity") return activity_draft(db, clock, src.id);
  if (k.key == "campaign") return campaign_draft(db, clock, src.id);
  if (k.key == "forum") return forum_draft(db, clock, src.id);
  return produce_draft(db, clock, src.id);
}

Result<void> check_links(db::Connection& db, int64_t org_id, const Links& links) {
  const std::pair<const Kind&, const std::optional<int64_t>&> each[] = {
      {kind_of("activity"), links.activity_id},
      {kind_of("campaign"), links.campaign_id},
      {kind_of("forum"), links.forum_id},
      {kind_of("produce"), links.produce_cycle_id},
  };
  for (const auto& [k, id] : each)
    if (id) CHIDOAN_TRY_VOID(check_scope(db, org_id, k, *id, k.field, Purpose::link));
  return {};
}

Result<LinkTitles> link_titles(db::Connection& db, const Links& links) {
  LinkTitles out;
  std::tuple<const Kind&, const std::optional<int64_t>&, std::string&> each[] = {
      {kind_of("activity"), links.activity_id, out.activity},
      {kind_of("campaign"), links.campaign_id, out.campaign},
      {kind_of("forum"), links.forum_id, out.forum},
      {kind_of("produce"), links.produce_cycle_id, out.produce_cycle},
  };
  for (auto& [k, id, title] : each) {
    if (!id) continue;
    CHIDOAN_TRY(row, db.query_one(std::string("SELECT ") + k.title_col + " FROM " + k.table + " WHERE id = ?1", {*id}));
    if (!row) return fail(ErrorKind::not_found, std::string("Không tìm thấy ") + k.noun, k.field);
    title = row->str(0);
  }
  return out;
}

}  // namespace chidoan::news
