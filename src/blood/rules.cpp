#include "blood/rules.hpp"

#include <algorithm>
#include <array>
#include <tuple>

#include "org/rules.hpp"
#include "platform/text/text.hpp"

namespace chidoan::blood::rules {
namespace {

using namespace std::chrono;

constexpr RegulationRules kTt26{Regulation::tt26_2013, "TT26/2013/TT-BYT", 18, 60, 42, 45, 84, 14};

std::string fmt(Date d) { return text::format_date(to_iso(d)); }

std::string get(const RawFields& raw, std::string_view k) {
  auto it = raw.find(k);
  return it == raw.end() ? std::string() : it->second;
}

Result<std::string> clean(const RawFields& raw, std::string_view field, size_t max_bytes) {
  auto n = text::normalize(get(raw, field));
  if (!n) return fail(ErrorKind::invalid, n.error().message, std::string(field));
  if (n->size() > max_bytes) return fail(ErrorKind::invalid, "Nội dung quá dài", std::string(field));
  return *n;
}

Result<std::optional<int64_t>> id_field(const RawFields& raw, std::string_view field) {
  std::string s = get(raw, field);
  if (s.empty()) return std::optional<int64_t>();
  if (s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos || s == "0")
    return fail(ErrorKind::invalid, "Mã số không hợp lệ", std::string(field));
  return std::optional<int64_t>(std::stoll(s));
}

Result<bool> bool_field(const RawFields& raw, std::string_view field) {
  std::string s = get(raw, field);
  if (s.empty() || s == "0" || s == "false" || s == "off" || s == "no") return false;
  if (s == "1" || s == "true" || s == "on" || s == "yes") return true;
  return fail(ErrorKind::invalid, "Giá trị phải là có hoặc không", std::string(field));
}

// A small whole number written in digits (volumes, units); -1 when it is not one.
int64_t small_number(std::string_view s) {
  if (s.empty() || s.size() > 6 || s.find_first_not_of("0123456789") != std::string_view::npos) return -1;
  return std::stoll(std::string(s));
}

// A date field: "" stays "", otherwise a real ISO date, not after `latest` when given.
Result<std::string> date_field(std::string_view value, std::string_view field, std::optional<Date> latest, std::string_view what) {
  if (value.empty()) return std::string();
  auto d = parse_date(value);
  if (!d) return fail(ErrorKind::invalid, std::string(what) + " không hợp lệ (ngày/tháng/năm từ 1900)", std::string(field));
  if (latest && *d > *latest) return fail(ErrorKind::invalid, std::string(what) + " không được ở tương lai", std::string(field));
  return std::string(value);
}

std::string interval_label(int days) {
  return days % 7 == 0 ? std::to_string(days / 7) + " tuần" : std::to_string(days) + " ngày";
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// The latest donation on or before `on` (all of them when on is nullopt) and the end of its
// interval; several on that day: the longest interval.
std::optional<std::pair<DonationFact, Date>> latest_donation(const std::vector<DonationFact>& ds, std::optional<Date> on,
                                                             const RegulationRules& r) {
  std::optional<std::pair<DonationFact, Date>> best;
  for (const auto& d : ds) {
    if (on && d.on > *on) continue;
    Date end = add_days(d.on, interval_days(d.type, r));
    if (!best || d.on > best->first.on || (d.on == best->first.on && end > best->second)) best = std::pair{d, end};
  }
  return best;
}

std::string interval_reason(const DonationFact& d, Date end, const RegulationRules& r) {
  return "Lần hiến gần nhất " + fmt(d.on) + " (" + donation_type_label(d.type) + "): cách " +
         interval_label(interval_days(d.type, r)) + ", từ " + fmt(end);
}

std::string deferral_reason(const DeferralFact& d) {
  return "Hoãn hiến " + deferral_class_label(d.cls) + " từ " + fmt(d.starts_on) + ": hiến lại được từ " + fmt(d.ends_on);
}

template <typename E, size_t N>
Result<E> parse_name(std::string_view raw, const std::array<std::string_view, N>& names, std::string_view field, std::string message) {
  for (size_t i = 0; i < N; ++i)
    if (names[i] == raw) return static_cast<E>(i);
  return fail(ErrorKind::invalid, std::move(message), std::string(field));
}

constexpr std::array<std::string_view, 4> kComponents = {"whole_blood", "red_cells", "plasma", "platelets"};
constexpr std::array<std::string_view, 4> kDonationTypes = {"whole_blood", "apheresis_red_cells", "platelets", "plasma"};
constexpr std::array<std::string_view, 5> kDeferralClasses = {"months_12", "months_6", "weeks_4", "days_7", "custom"};
constexpr std::array<std::string_view, 4> kWeightClasses = {"<42", "42-45", "45-50", ">=50"};
constexpr std::array<std::string_view, 2> kSexes = {"male", "female"};
constexpr std::array<std::string_view, 4> kConsents = {"join", "health", "call", "location"};
constexpr std::array<std::string_view, 4> kOutcomes = {"no_answer", "declined", "accepted", "donated"};
constexpr std::array<std::string_view, 3> kStatuses = {"open", "served", "cancelled"};

// ABO antigens as bits: A = 1, B = 2.
int abo_bits(Abo a) {
  switch (a) {
    case Abo::O: return 0;
    case Abo::A: return 1;
    case Abo::B: return 2;
    case Abo::AB: return 3;
  }
  return 0;
}
bool abo_subset(Abo inner, Abo outer) { return (abo_bits(inner) & ~abo_bits(outer)) == 0; }
bool rh_ok(Group recipient, Group donor) { return recipient.rh == Rh::pos || donor.rh == Rh::neg; }

}  // namespace

// ---- Names -------------------------------------------------------------------------------

std::string to_string(Group g) {
  static constexpr std::array<std::string_view, 4> abo = {"O", "A", "B", "AB"};
  return std::string(abo[static_cast<size_t>(g.abo)]) + (g.rh == Rh::pos ? "+" : "-");
}

std::string group_label(Group g) {
  std::string s = to_string(g);
  if (s.back() == '-') {
    s.pop_back();
    s += "\u2212";
  }
  return s;
}

Result<Group> parse_group(std::string_view raw, std::string_view field) {
  while (!raw.empty() && raw.front() == ' ') raw.remove_prefix(1);
  while (!raw.empty() && raw.back() == ' ') raw.remove_suffix(1);
  if (raw.empty()) return fail(ErrorKind::invalid, "Chưa nhập nhóm máu", std::string(field));
  std::optional<Rh> rh;
  std::string_view abo = raw;
  for (auto [sign, value] : {std::pair<std::string_view, Rh>{"+", Rh::pos}, {"-", Rh::neg}, {"\u2212", Rh::neg}, {"\u2013", Rh::neg}}) {
    if (raw.size() > sign.size() && raw.ends_with(sign)) {
      rh = value;
      abo = raw.substr(0, raw.size() - sign.size());
      break;
    }
  }
  while (!abo.empty() && abo.back() == ' ') abo.remove_suffix(1);
  std::string lower = ascii_lower(abo);
  std::optional<Abo> a;
  if (lower == "o") a = Abo::O;
  else if (lower == "a") a = Abo::A;
  else if (lower == "b") a = Abo::B;
  else if (lower == "ab") a = Abo::AB;
  if (!a) return fail(ErrorKind::invalid, "Nhóm máu không hợp lệ: ghi O, A, B hoặc AB kèm Rh (+ hoặc −), ví dụ A+ hoặc O−", std::string(field));
  if (!rh) return fail(ErrorKind::invalid, "Thiếu Rh của nhóm máu: ghi thêm + hoặc −, ví dụ AB+", std::string(field));
  return Group{*a, *rh};
}

Result<std::optional<Group>> parse_optional_group(std::string_view raw, std::string_view field) {
  if (raw.empty() || raw == "unknown") return std::optional<Group>();
  CHIDOAN_TRY(g, parse_group(raw, field));
  return std::optional<Group>(g);
}

std::string_view to_string(Component c) { return kComponents[static_cast<size_t>(c)]; }
std::string_view to_string(DonationType t) { return kDonationTypes[static_cast<size_t>(t)]; }
std::string_view to_string(DeferralClass c) { return kDeferralClasses[static_cast<size_t>(c)]; }
std::string_view to_string(WeightClass w) { return kWeightClasses[static_cast<size_t>(w)]; }
std::string_view to_string(Sex s) { return kSexes[static_cast<size_t>(s)]; }
std::string_view to_string(Consent c) { return kConsents[static_cast<size_t>(c)]; }
std::string_view to_string(CallOutcome o) { return kOutcomes[static_cast<size_t>(o)]; }
std::string_view to_string(RequestStatus s) { return kStatuses[static_cast<size_t>(s)]; }
std::string_view to_string(Antigen a) { return kAntigenNames[static_cast<size_t>(a)]; }

Result<Component> parse_component(std::string_view raw, std::string_view field) {
  return parse_name<Component>(raw, kComponents, field, "Chế phẩm phải là máu toàn phần, khối hồng cầu, huyết tương hoặc tiểu cầu");
}
Result<DonationType> parse_donation_type(std::string_view raw, std::string_view field) {
  return parse_name<DonationType>(raw, kDonationTypes, field, "Loại hiến phải là máu toàn phần, hồng cầu gạn tách, tiểu cầu hoặc huyết tương");
}
Result<DeferralClass> parse_deferral_class(std::string_view raw, std::string_view field) {
  return parse_name<DeferralClass>(raw, kDeferralClasses, field, "Loại hoãn hiến phải là 12 tháng, 6 tháng, 4 tuần, 7 ngày hoặc thời hạn riêng");
}
Result<WeightClass> parse_weight_class(std::string_view raw, std::string_view field) {
  std::string s(raw);
  s.erase(std::remove(s.begin(), s.end(), ' '), s.end());
  for (auto [from, to] : {std::pair<std::string_view, std::string_view>{"\u2013", "-"}, {"\u2264", "<="}, {"\u2265", ">="}}) {
    for (size_t p = s.find(from); p != std::string::npos; p = s.find(from)) s.replace(p, from.size(), to);
  }
  if (s.ends_with("kg")) s.resize(s.size() - 2);
  return parse_name<WeightClass>(s, kWeightClasses, field, "Nhóm cân nặng phải là <42, 42-45, 45-50 hoặc >=50 kg");
}
Result<Sex> parse_sex(std::string_view raw, std::string_view field) {
  return parse_name<Sex>(raw, kSexes, field, "Giới tính phải là nam hoặc nữ");
}
Result<Consent> parse_consent(std::string_view raw, std::string_view field) {
  return parse_name<Consent>(raw, kConsents, field, "Loại đồng ý không hợp lệ");
}
Result<CallOutcome> parse_outcome(std::string_view raw, std::string_view field) {
  return parse_name<CallOutcome>(raw, kOutcomes, field, "Kết quả gọi phải là không nghe máy, từ chối, nhận lời hoặc đã hiến");
}
Result<RequestStatus> parse_status(std::string_view raw, std::string_view field) {
  return parse_name<RequestStatus>(raw, kStatuses, field, "Trạng thái phải là đang mở, đã đáp ứng hoặc đã hủy");
}

std::optional<Antigen> parse_antigen(std::string_view name) {
  for (size_t i = 0; i < kAntigenCount; ++i) {
    std::string_view n = kAntigenNames[i];
    if (n == name || (n.size() > 1 && ascii_lower(n) == ascii_lower(name))) return static_cast<Antigen>(i);
  }
  return std::nullopt;
}

Result<std::vector<Antigen>> parse_antigen_list(std::string_view raw, std::string_view field) {
  std::array<bool, kAntigenCount> wanted{};
  size_t i = 0;
  while (i < raw.size()) {
    size_t j = raw.find_first_of(" ,;", i);
    if (j == std::string_view::npos) j = raw.size();
    std::string_view token = raw.substr(i, j - i);
    if (!token.empty()) {
      auto a = parse_antigen(token);
      if (!a)
        return fail(ErrorKind::invalid, "Kháng nguyên \"" + std::string(token) + "\" không có trong danh sách (C, c, E, e, K, Jka, Jkb, Fya, Fyb, M, N, S, s, Mia)",
                    std::string(field));
      wanted[static_cast<size_t>(*a)] = true;
    }
    i = j + 1;
  }
  std::vector<Antigen> out;
  for (size_t k = 0; k < kAntigenCount; ++k)
    if (wanted[k]) out.push_back(static_cast<Antigen>(k));
  return out;
}

std::string component_label(Component c) {
  switch (c) {
    case Component::whole_blood: return "máu toàn phần";
    case Component::red_cells: return "khối hồng cầu";
    case Component::plasma: return "huyết tương";
    case Component::platelets: return "tiểu cầu";
  }
  return "";
}

std::string donation_type_label(DonationType t) {
  switch (t) {
    case DonationType::whole_blood: return "máu toàn phần";
    case DonationType::apheresis_red_cells: return "hồng cầu gạn tách";
    case DonationType::platelets: return "tiểu cầu";
    case DonationType::plasma: return "huyết tương";
  }
  return "";
}

std::string deferral_class_label(DeferralClass c) {
  switch (c) {
    case DeferralClass::months_12: return "12 tháng";
    case DeferralClass::months_6: return "6 tháng";
    case DeferralClass::weeks_4: return "4 tuần";
    case DeferralClass::days_7: return "7 ngày";
    case DeferralClass::custom: return "thời hạn riêng";
  }
  return "";
}

std::string weight_class_label(WeightClass w) {
  switch (w) {
    case WeightClass::under_42: return "dưới 42 kg";
    case WeightClass::from_42_to_45: return "42–45 kg";
    case WeightClass::from_45_to_50: return "45–50 kg";
    case WeightClass::from_50: return "từ 50 kg";
  }
  return "";
}

std::string outcome_label(CallOutcome o) {
  switch (o) {
    case CallOutcome::no_answer: return "không nghe máy";
    case CallOutcome::declined: return "từ chối";
    case CallOutcome::accepted: return "nhận lời";
    case CallOutcome::donated: return "đã hiến";
  }
  return "";
}

// ---- Dates -------------------------------------------------------------------------------

Date add_days(Date d, int n) { return Date{sys_days{d} + days{n}}; }

Date add_months(Date d, int n) {
  year_month ym = year_month{d.year(), d.month()} + months{n};
  auto last = year_month_day_last{ym.year(), month_day_last{ym.month()}}.day();
  return Date{ym.year(), ym.month(), std::min(d.day(), last)};
}

int days_between(Date from, Date to) { return static_cast<int>((sys_days{to} - sys_days{from}).count()); }

Date date_of(int64_t unix_seconds) { return Date{floor<days>(sys_seconds{seconds{unix_seconds}} + hours{7})}; }

// ---- Regulation --------------------------------------------------------------------------

Regulation regulation_on(Date) { return Regulation::tt26_2013; }

const RegulationRules& rules_of(Regulation) { return kTt26; }

// ---- Eligibility ---------------------------------------------------------------------------

bool weight_ok(Sex sex, WeightClass w, const RegulationRules& r) {
  // The lower bound of each class in kg.
  int at_least = w == WeightClass::under_42 ? 0 : w == WeightClass::from_42_to_45 ? 42 : w == WeightClass::from_45_to_50 ? 45 : 50;
  return at_least >= (sex == Sex::female ? r.min_kg_female : r.min_kg_male);
}

int interval_days(DonationType t, const RegulationRules& r) {
  return t == DonationType::whole_blood || t == DonationType::apheresis_red_cells ? r.days_after_red_cells : r.days_after_plasma;
}

Date deferral_end(DeferralClass c, Date start) {
  switch (c) {
    case DeferralClass::months_12: return add_months(start, 12);
    case DeferralClass::months_6: return add_months(start, 6);
    case DeferralClass::weeks_4: return add_days(start, 28);
    case DeferralClass::days_7: return add_days(start, 7);
    case DeferralClass::custom: break;
  }
  return start;
}

Eligibility eligibility(const EligibilityFacts& f, Date on) {
  Eligibility e;
  e.regulation = regulation_on(on);
  const RegulationRules& r = rules_of(e.regulation);
  Date adult = add_years(f.birth_date, r.min_age);
  Date until = add_years(f.birth_date, r.max_age + 1);
  bool ok = true;
  if (on < adult) {
    ok = false;
    e.reasons.push_back("Chưa đủ " + std::to_string(r.min_age) + " tuổi: đủ tuổi hiến máu từ " + fmt(adult));
  }
  if (on >= until) {
    ok = false;
    e.reasons.push_back("Quá " + std::to_string(r.max_age) + " tuổi (từ " + fmt(until) + "): hết tuổi hiến máu");
  }
  bool weight = weight_ok(f.sex, f.weight, r);
  if (!weight) {
    ok = false;
    e.reasons.push_back("Cân nặng " + weight_class_label(f.weight) + ": " + (f.sex == Sex::female ? "nữ" : "nam") + " cần từ " +
                        std::to_string(f.sex == Sex::female ? r.min_kg_female : r.min_kg_male) + " kg");
  }
  Date candidate = std::max(on, adult);
  if (auto last = latest_donation(f.donations, on, r)) {
    if (on < last->second) {
      ok = false;
      e.reasons.push_back(interval_reason(last->first, last->second, r));
    }
    candidate = std::max(candidate, last->second);
  }
  std::vector<DeferralFact> deferrals = f.deferrals;
  std::sort(deferrals.begin(), deferrals.end(), [](const auto& a, const auto& b) { return std::tie(a.starts_on, a.ends_on) < std::tie(b.starts_on, b.ends_on); });
  std::vector<bool> told(deferrals.size(), false);
  for (size_t i = 0; i < deferrals.size(); ++i) {
    if (deferrals[i].starts_on <= on && on < deferrals[i].ends_on) {
      ok = false;
      told[i] = true;
      e.reasons.push_back(deferral_reason(deferrals[i]));
    }
  }
  // Deferrals covering the candidate push it to their end, which may fall in another one.
  for (bool moved = true; moved;) {
    moved = false;
    for (size_t i = 0; i < deferrals.size(); ++i) {
      if (deferrals[i].starts_on <= candidate && candidate < deferrals[i].ends_on) {
        candidate = deferrals[i].ends_on;
        moved = true;
        if (!told[i]) {
          told[i] = true;
          e.reasons.push_back(deferral_reason(deferrals[i]));
        }
      }
    }
  }
  e.eligible = ok;
  if (weight && candidate < until) e.eligible_from = candidate;
  return e;
}

Standing standing(const EligibilityFacts& f, Date today) {
  const RegulationRules& r = rules_of(regulation_on(today));
  Standing s;
  s.eligible_until = add_years(f.birth_date, r.max_age + 1);
  if (!weight_ok(f.sex, f.weight, r)) return s;
  Date next = add_years(f.birth_date, r.min_age);
  if (auto last = latest_donation(f.donations, std::nullopt, r)) next = std::max(next, last->second);
  for (const auto& d : f.deferrals) next = std::max(next, d.ends_on);
  s.next_eligible_on = next;
  return s;
}

Result<void> check_interval(const std::vector<DonationFact>& existing, const DonationFact& d, std::string_view override_reason) {
  if (!override_reason.empty()) return {};
  const RegulationRules& r = rules_of(regulation_on(d.on));
  if (auto before = latest_donation(existing, d.on, r); before && d.on < before->second)
    return fail(ErrorKind::invalid, interval_reason(before->first, before->second, r) + ": cần lý do nếu bệnh viện vẫn lấy máu", "on_date");
  Date end = add_days(d.on, interval_days(d.type, r));
  for (const auto& later : existing) {
    if (later.on > d.on && later.on < end)
      return fail(ErrorKind::invalid,
                  "Lần hiến " + fmt(later.on) + " (" + donation_type_label(later.type) + ") chưa cách lần này " +
                      interval_label(interval_days(d.type, r)) + ": cần lý do nếu bệnh viện vẫn lấy máu",
                  "on_date");
  }
  return {};
}

// ---- Compatibility -------------------------------------------------------------------------

bool compatible(Group recipient, Group donor, Component c) {
  switch (c) {
    case Component::red_cells: return abo_subset(donor.abo, recipient.abo) && rh_ok(recipient, donor);
    case Component::plasma: return abo_subset(recipient.abo, donor.abo);
    case Component::whole_blood: return donor.abo == recipient.abo && rh_ok(recipient, donor);
    // ABO-identical preferred (the exact group ranks first), any ABO accepted.
    case Component::platelets: return rh_ok(recipient, donor);
  }
  return false;
}

std::vector<Group> donor_groups(Group recipient, Component c) {
  std::vector<Group> out{recipient};
  for (Group g : kAllGroups)
    if (g != recipient && compatible(recipient, g, c)) out.push_back(g);
  return out;
}

// ---- Phenotype -----------------------------------------------------------------------------

char antigen_state(std::string_view phenotype, Antigen a) {
  size_t i = static_cast<size_t>(a);
  return i < phenotype.size() ? phenotype[i] : '?';
}

bool lacks_all(std::string_view phenotype, const std::vector<Antigen>& required) {
  return std::all_of(required.begin(), required.end(), [&](Antigen a) { return antigen_state(phenotype, a) == '-'; });
}

std::string like_pattern(const std::vector<Antigen>& required) {
  std::string p(kAntigenCount, '_');
  for (Antigen a : required) p[static_cast<size_t>(a)] = '-';
  return p;
}

// ---- Matching ------------------------------------------------------------------------------

int64_t response_bp(int64_t contacts, int64_t accepted) { return 10000 * (accepted + 1) / (contacts + 2); }

bool admissible(const MatchQuery& q, const Candidate& c) {
  return c.consent_join && c.consent_health && c.consent_call && c.on_call && c.group && compatible(q.recipient, *c.group, q.component) &&
         lacks_all(c.phenotype, q.antigen_negatives) && c.next_eligible_on && *c.next_eligible_on <= q.needed_by &&
         q.needed_by < c.eligible_until;
}

std::vector<Match> rank(const MatchQuery& q, const std::vector<Candidate>& candidates) {
  struct Ranked {
    std::tuple<bool, bool, bool, int64_t, int64_t, int64_t> key;
    Match match;
  };
  std::vector<Ranked> ranked;
  for (const auto& c : candidates) {
    if (!admissible(q, c)) continue;
    Match m;
    m.donor_id = c.donor_id;
    m.group = to_string(*c.group);
    m.exact = *c.group == q.recipient;
    m.same_district = !q.district.empty() && c.district == q.district;
    m.response_bp = response_bp(c.contacts, c.accepted);
    Date from = std::max(q.today, *c.next_eligible_on);
    m.eligible_from = to_iso(from);
    m.rank_reasons.push_back(m.exact ? "Cùng nhóm máu " + group_label(*c.group) : "Nhóm máu " + group_label(*c.group) + " tương thích");
    // RhD− blood is rare (0.04–0.07 % of Vietnamese people): kept for RhD− patients when RhD+
    // donors can give.
    bool spends_rare = q.recipient.rh == Rh::pos && c.group->rh == Rh::neg;
    if (spends_rare) m.rank_reasons.push_back("Nhóm Rh− hiếm: gọi sau người Rh+");
    if (m.same_district) m.rank_reasons.push_back("Cùng địa bàn " + c.district);
    if (c.contacts == 0) m.rank_reasons.push_back("Chưa được gọi lần nào");
    else m.rank_reasons.push_back("Nhận lời " + std::to_string(c.accepted) + "/" + std::to_string(c.contacts) + " lần được gọi");
    if (c.last_contacted_at > 0) {
      Date last = date_of(c.last_contacted_at);
      m.rank_reasons.push_back("Liên hệ lần cuối " + fmt(last) + " (" + std::to_string(days_between(last, q.today)) + " ngày trước)");
    }
    m.rank_reasons.push_back("Hiến được từ " + fmt(from));
    ranked.push_back({{!m.exact, spends_rare, !m.same_district, -m.response_bp, c.last_contacted_at, c.donor_id}, std::move(m)});
  }
  std::sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) { return a.key < b.key; });
  std::vector<Match> out;
  out.reserve(ranked.size());
  for (auto& r : ranked) out.push_back(std::move(r.match));
  return out;
}

// ---- Forms ---------------------------------------------------------------------------------

Result<DonorInput> validate_donor(const RawFields& raw, Date today) {
  DonorInput in;
  CHIDOAN_TRY(member, id_field(raw, "member_id"));
  in.member_id = member;
  CHIDOAN_TRY(name, clean(raw, "name", 200));
  in.name = name;
  std::string phone = get(raw, "phone");
  if (!phone.empty()) {
    CHIDOAN_TRY(p, org::rules::normalize_phone(phone));
    in.phone = p;
  }
  in.sex = get(raw, "sex");
  in.birth_date = get(raw, "birth_date");
  in.weight_class = get(raw, "weight_class");
  if (!in.weight_class.empty()) {
    CHIDOAN_TRY(w, parse_weight_class(in.weight_class));
    in.weight_class = std::string(to_string(w));
  }
  CHIDOAN_TRY(group, parse_optional_group(get(raw, "blood_group"), "blood_group"));
  in.group = group ? to_string(*group) : "";
  for (size_t i = 0; i < kAntigenCount; ++i) {
    std::string field = "phenotype_" + std::string(kAntigenNames[i]);
    std::string v = get(raw, field);
    if (v == "+") in.phenotype[i] = '+';
    else if (v == "-" || v == "\u2212") in.phenotype[i] = '-';
    else if (v.empty() || v == "?") in.phenotype[i] = '?';
    else return fail(ErrorKind::invalid, "Kháng nguyên " + std::string(kAntigenNames[i]) + " phải là +, − hoặc chưa rõ", field);
  }
  in.phenotype_tested_on = get(raw, "phenotype_tested_on");
  CHIDOAN_TRY(lab, clean(raw, "phenotype_lab", 200));
  in.phenotype_lab = lab;
  CHIDOAN_TRY(district, clean(raw, "district", 100));
  in.district = district;
  CHIDOAN_TRY(commune, clean(raw, "commune", 100));
  in.commune = commune;
  CHIDOAN_TRY(on_call, bool_field(raw, "on_call"));
  in.on_call = on_call;
  CHIDOAN_TRY(availability, clean(raw, "availability", 500));
  in.availability = availability;
  CHIDOAN_TRY(join, bool_field(raw, "consent_join"));
  if (!join) return fail(ErrorKind::invalid, "Người hiến máu cần đồng ý tham gia câu lạc bộ", "consent_join");
  CHIDOAN_TRY(health, bool_field(raw, "consent_health"));
  CHIDOAN_TRY(call, bool_field(raw, "consent_call"));
  CHIDOAN_TRY(location, bool_field(raw, "consent_location"));
  in.consent_health = health;
  in.consent_call = call;
  in.consent_location = location;
  in.consented_on = get(raw, "consented_on");
  if (in.consented_on.empty()) in.consented_on = to_iso(today);
  CHIDOAN_TRY_VOID(check_donor(in, today));
  CHIDOAN_TRY_VOID(check_donor_consents(in, in.consent_health, in.consent_location));
  return in;
}

Result<void> check_donor(const DonorInput& in, Date today) {
  if (!in.member_id) {
    if (in.name.empty()) return fail(ErrorKind::invalid, "Ghi họ tên người hiến máu", "name");
    if (in.phone.empty()) return fail(ErrorKind::invalid, "Ghi số điện thoại để câu lạc bộ liên hệ khi cần máu", "phone");
    if (in.sex.empty()) return fail(ErrorKind::invalid, "Chọn giới tính", "sex");
    if (in.birth_date.empty()) return fail(ErrorKind::invalid, "Ghi ngày sinh", "birth_date");
  }
  if (!in.sex.empty()) CHIDOAN_TRY_VOID(parse_sex(in.sex));
  CHIDOAN_TRY(birth, date_field(in.birth_date, "birth_date", today, "Ngày sinh"));
  if (in.weight_class.empty()) return fail(ErrorKind::invalid, "Chọn nhóm cân nặng", "weight_class");
  CHIDOAN_TRY_VOID(parse_weight_class(in.weight_class));
  if (!in.group.empty()) CHIDOAN_TRY_VOID(parse_group(in.group, "blood_group"));
  if (in.phenotype.size() != kAntigenCount || in.phenotype.find_first_not_of("+-?") != std::string::npos)
    return fail(ErrorKind::invalid, "Kiểu hình kháng nguyên không hợp lệ", "phenotype");
  CHIDOAN_TRY(tested, date_field(in.phenotype_tested_on, "phenotype_tested_on", today, "Ngày xét nghiệm kháng nguyên"));
  if (in.phenotype != kUnknownPhenotype && tested.empty())
    return fail(ErrorKind::invalid, "Ghi ngày xét nghiệm kháng nguyên", "phenotype_tested_on");
  if (!tested.empty() && !birth.empty() && tested < birth)
    return fail(ErrorKind::invalid, "Ngày xét nghiệm trước ngày sinh", "phenotype_tested_on");
  CHIDOAN_TRY_VOID(date_field(in.consented_on, "consented_on", today, "Ngày đồng ý"));
  if (in.name.size() > 200) return fail(ErrorKind::invalid, "Nội dung quá dài", "name");
  if (in.district.size() > 100) return fail(ErrorKind::invalid, "Nội dung quá dài", "district");
  if (in.commune.size() > 100) return fail(ErrorKind::invalid, "Nội dung quá dài", "commune");
  if (in.availability.size() > 500) return fail(ErrorKind::invalid, "Nội dung quá dài", "availability");
  return {};
}

Result<void> check_donor_consents(const DonorInput& in, bool health, bool location) {
  if (!health) {
    if (!in.group.empty())
      return fail(ErrorKind::invalid, "Người hiến chưa đồng ý cho lưu nhóm máu: không ghi nhóm máu", "blood_group");
    if (in.phenotype != kUnknownPhenotype || !in.phenotype_tested_on.empty() || !in.phenotype_lab.empty())
      return fail(ErrorKind::invalid, "Người hiến chưa đồng ý cho lưu nhóm máu: không ghi kiểu hình kháng nguyên", "phenotype_tested_on");
  }
  if (!location && (!in.district.empty() || !in.commune.empty()))
    return fail(ErrorKind::invalid, "Người hiến chưa đồng ý cho lưu nơi ở: không ghi quận/huyện, xã/phường", "district");
  return {};
}

Result<DonationInput> validate_donation(const RawFields& raw, Date today) {
  DonationInput in;
  in.on_date = get(raw, "on_date");
  in.type = get(raw, "type");
  std::string volume = get(raw, "volume_ml");
  if (in.type == "whole_blood") {
    in.volume_ml = small_number(volume);
    if (volume.empty()) in.volume_ml = 0;
  }
  CHIDOAN_TRY(place, clean(raw, "place", 200));
  in.place = place;
  CHIDOAN_TRY(reason, clean(raw, "override_reason", 500));
  in.override_reason = reason;
  CHIDOAN_TRY_VOID(check_donation(in, today));
  return in;
}

Result<void> check_donation(const DonationInput& in, Date today) {
  if (in.on_date.empty()) return fail(ErrorKind::invalid, "Ghi ngày hiến", "on_date");
  CHIDOAN_TRY_VOID(date_field(in.on_date, "on_date", today, "Ngày hiến"));
  CHIDOAN_TRY(type, parse_donation_type(in.type));
  if (type == DonationType::whole_blood) {
    if (in.volume_ml != 250 && in.volume_ml != 350 && in.volume_ml != 450)
      return fail(ErrorKind::invalid, "Thể tích máu toàn phần là 250, 350 hoặc 450 ml", "volume_ml");
  } else if (in.volume_ml != 0) {
    return fail(ErrorKind::invalid, "Chỉ ghi thể tích cho lần hiến máu toàn phần", "volume_ml");
  }
  if (in.place.size() > 200) return fail(ErrorKind::invalid, "Nội dung quá dài", "place");
  return {};
}

Result<DeferralInput> validate_deferral(const RawFields& raw, Date today) {
  DeferralInput in{get(raw, "class"), get(raw, "starts_on"), get(raw, "ends_on")};
  return check_deferral(in, today);
}

Result<DeferralInput> check_deferral(const DeferralInput& given, Date today) {
  DeferralInput in = given;
  CHIDOAN_TRY(cls, parse_deferral_class(in.cls));
  if (in.starts_on.empty()) return fail(ErrorKind::invalid, "Ghi ngày bắt đầu hoãn hiến", "starts_on");
  CHIDOAN_TRY_VOID(date_field(in.starts_on, "starts_on", today, "Ngày bắt đầu hoãn hiến"));
  Date start = *parse_date(in.starts_on);
  if (cls == DeferralClass::custom) {
    if (in.ends_on.empty()) return fail(ErrorKind::invalid, "Ghi ngày được hiến lại", "ends_on");
    CHIDOAN_TRY_VOID(date_field(in.ends_on, "ends_on", std::nullopt, "Ngày được hiến lại"));
    if (*parse_date(in.ends_on) <= start) return fail(ErrorKind::invalid, "Ngày được hiến lại phải sau ngày bắt đầu hoãn", "ends_on");
  } else {
    in.ends_on = to_iso(deferral_end(cls, start));
  }
  return in;
}

Result<RequestInput> validate_request(const RawFields& raw, Date today) {
  RequestInput in;
  CHIDOAN_TRY(hospital, clean(raw, "hospital", 200));
  in.hospital = hospital;
  CHIDOAN_TRY(group, parse_group(get(raw, "recipient_group"), "recipient_group"));
  in.recipient_group = to_string(group);
  in.component = get(raw, "component");
  std::string units = get(raw, "units");
  in.units = units.empty() ? 1 : small_number(units);
  in.needed_by = get(raw, "needed_by");
  if (in.needed_by.empty()) in.needed_by = to_iso(today);
  CHIDOAN_TRY(district, clean(raw, "district", 100));
  in.district = district;
  CHIDOAN_TRY(antigens, parse_antigen_list(get(raw, "antigen_negatives")));
  for (Antigen a : antigens) in.antigen_negatives.emplace_back(to_string(a));
  CHIDOAN_TRY(contact, clean(raw, "contact_name", 200));
  in.contact_name = contact;
  std::string phone = get(raw, "contact_phone");
  if (!phone.empty()) {
    auto p = org::rules::normalize_phone(phone);
    if (!p) return fail(ErrorKind::invalid, p.error().message, "contact_phone");
    in.contact_phone = *p;
  }
  CHIDOAN_TRY_VOID(check_request(in, today));
  return in;
}

Result<void> check_request(const RequestInput& in, Date today) {
  if (in.hospital.empty()) return fail(ErrorKind::invalid, "Ghi tên bệnh viện", "hospital");
  CHIDOAN_TRY_VOID(parse_group(in.recipient_group, "recipient_group"));
  CHIDOAN_TRY_VOID(parse_component(in.component));
  if (in.units < 1 || in.units > kMaxUnits)
    return fail(ErrorKind::invalid, "Số đơn vị máu từ 1 đến " + std::to_string(kMaxUnits), "units");
  auto needed = parse_date(in.needed_by);
  if (!needed) return fail(ErrorKind::invalid, "Ngày cần máu không hợp lệ", "needed_by");
  if (*needed < today) return fail(ErrorKind::invalid, "Ngày cần máu đã qua", "needed_by");
  for (const auto& a : in.antigen_negatives)
    if (!parse_antigen(a)) return fail(ErrorKind::invalid, "Kháng nguyên \"" + a + "\" không có trong danh sách", "antigen_negatives");
  if (in.contact_name.empty()) return fail(ErrorKind::invalid, "Ghi tên người liên hệ ở bệnh viện", "contact_name");
  if (in.contact_phone.empty()) return fail(ErrorKind::invalid, "Ghi số điện thoại người liên hệ ở bệnh viện", "contact_phone");
  if (in.district.size() > 100) return fail(ErrorKind::invalid, "Nội dung quá dài", "district");
  return {};
}

Result<CallInput> validate_call(const RawFields& raw) {
  CallInput in;
  CHIDOAN_TRY(outcome, parse_outcome(get(raw, "outcome")));
  in.outcome = std::string(to_string(outcome));
  std::string volume = get(raw, "volume_ml");
  if (!volume.empty()) {
    in.volume_ml = small_number(volume);
    if (in.volume_ml != 250 && in.volume_ml != 350 && in.volume_ml != 450)
      return fail(ErrorKind::invalid, "Thể tích máu toàn phần là 250, 350 hoặc 450 ml", "volume_ml");
  }
  CHIDOAN_TRY(reason, clean(raw, "override_reason", 500));
  in.override_reason = reason;
  return in;
}

DonationType donation_type_for(Component c) {
  switch (c) {
    case Component::whole_blood: return DonationType::whole_blood;
    case Component::red_cells: return DonationType::apheresis_red_cells;
    case Component::plasma: return DonationType::plasma;
    case Component::platelets: return DonationType::platelets;
  }
  return DonationType::whole_blood;
}

}  // namespace chidoan::blood::rules
