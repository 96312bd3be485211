#include "blood/bundle.hpp"

#include <array>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "blood/rules.hpp"
#include "blood/store.hpp"
#include "org/bundle.hpp"
#include "org/rules.hpp"
#include "platform/core/json_reader.hpp"
#include "platform/text/text.hpp"

namespace chidoan::blood {
namespace {

using nlohmann::json;
using chidoan::bundle::DumpScope;
using chidoan::bundle::Known;
using chidoan::bundle::Refs;

// The consents in the order of the donor's columns consent_<kind>_on.
constexpr std::array<const char*, 4> kConsentKinds = {"join", "health", "call", "location"};
constexpr std::array<const char*, 4> kConsentKeys = {"consent_join_on", "consent_health_on", "consent_call_on", "consent_location_on"};

// ---- The section, parsed and checked (no database) ------------------------------------------
// Validation and loading read the document through the same parse, so what is loaded is what was
// validated (text normalised, enumerations in their stored spelling).

struct EventIn {
  std::string kind;
  bool given = false;
  std::string on_date;
};
struct DonationIn {
  std::string path;
  std::string on_date, type;
  int64_t volume_ml = 0;  // whole blood only
  std::string place;
  std::string request;  // a request ref of the club, "" = none
};
struct DeferralIn {
  std::string cls, starts_on, ends_on;
};
struct DonorIn {
  std::string path, ref;
  std::string member;  // a member ref, "" = an outsider
  std::string name, phone, sex, birth_date, weight_class, group, phenotype, phenotype_tested_on, phenotype_lab, district, commune,
      availability;
  bool on_call = false;
  std::array<std::string, 4> consents;  // kConsentKinds order; "" = not given
  std::vector<EventIn> events;
  std::vector<DonationIn> donations;
  std::vector<DeferralIn> deferrals;
};
struct CallIn {
  std::string donor, outcome, logged_by;
  int64_t at = 0;
  std::optional<int64_t> donation;  // 1-based position in the donor's donations
};
struct RequestIn {
  std::string path, ref, hospital, recipient_group, component, needed_by, district, contact_name, contact_phone, status, created_by;
  int64_t units = 0, created_at = 0;
  std::vector<std::string> antigen_negatives;
  std::vector<CallIn> calls;
};
struct ClubIn {
  std::string path, org, name;
  std::vector<DonorIn> donors;
  std::vector<RequestIn> requests;
  std::vector<std::pair<int64_t, int64_t>> removed;  // year, donations of deleted donors
};

// A rules error re-labelled with the JSON path of the value.
template <typename T>
Result<T> at(Result<T> r, const std::string& path) {
  if (!r) return std::unexpected(Error{r.error().kind, r.error().message, path});
  return r;
}

// A text field normalised like the forms do (NFC, spaces), at most max_bytes.
Result<std::string> text_field(const JsonReader& r, const char* key, bool required, size_t max_bytes) {
  std::string path = r.path + "." + key;
  CHIDOAN_TRY(raw, r.str(key, required));
  auto n = text::normalize(raw);
  if (!n) return fail(ErrorKind::invalid, n.error().message, path);
  if (required && n->empty()) return fail(ErrorKind::invalid, "không được để trống", path);
  if (n->size() > max_bytes) return fail(ErrorKind::invalid, "nội dung quá dài", path);
  return *n;
}

// A Vietnamese phone number in the roll's form (+84…); "" when absent.
Result<std::string> phone_field(const JsonReader& r, const char* key) {
  CHIDOAN_TRY(raw, r.str(key, false));
  if (raw.empty()) return std::string();
  return at(org::rules::normalize_phone(raw), r.path + "." + key);
}

Result<DonorIn> parse_donor(const JsonReader& d) {
  CHIDOAN_TRY_VOID(d.only({"ref", "member", "name", "phone", "sex", "birth_date", "weight_class", "group", "phenotype", "phenotype_tested_on",
                           "phenotype_lab", "district", "commune", "on_call", "availability", "consent_join_on", "consent_health_on",
                           "consent_call_on", "consent_location_on", "consent_events", "donations", "deferrals"}));
  DonorIn in;
  in.path = d.path;
  CHIDOAN_TRY(ref, d.str("ref", true));
  if (ref.empty()) return fail(ErrorKind::invalid, "không được để trống", d.path + ".ref");
  in.ref = ref;
  CHIDOAN_TRY(member, d.str("member", false));
  in.member = member;
  CHIDOAN_TRY(name, text_field(d, "name", false, 200));
  in.name = name;
  CHIDOAN_TRY(phone, phone_field(d, "phone"));
  in.phone = phone;
  if (in.member.empty()) {
    if (in.name.empty()) return fail(ErrorKind::invalid, "người ngoài Đoàn cần họ tên", d.path + ".name");
    if (in.phone.empty()) return fail(ErrorKind::invalid, "người ngoài Đoàn cần số điện thoại", d.path + ".phone");
  } else if (!in.name.empty()) {
    return fail(ErrorKind::invalid, "họ tên của đoàn viên lấy từ danh sách đoàn viên", d.path + ".name");
  }
  CHIDOAN_TRY(sex, d.str("sex", true));
  CHIDOAN_TRY_VOID(at(rules::parse_sex(sex), d.path + ".sex"));
  in.sex = sex;
  CHIDOAN_TRY(birth, d.date("birth_date", true));
  in.birth_date = birth;
  CHIDOAN_TRY(weight_raw, d.str("weight_class", true));
  CHIDOAN_TRY(weight, at(rules::parse_weight_class(weight_raw), d.path + ".weight_class"));
  in.weight_class = std::string(rules::to_string(weight));
  CHIDOAN_TRY(group_raw, d.str("group", false));
  if (!group_raw.empty()) {
    CHIDOAN_TRY(group, at(rules::parse_group(group_raw), d.path + ".group"));
    in.group = rules::to_string(group);
  }
  CHIDOAN_TRY(phenotype, d.str("phenotype", false));
  in.phenotype = phenotype.empty() ? kUnknownPhenotype : phenotype;
  if (in.phenotype.size() != kAntigenCount || in.phenotype.find_first_not_of("+-?") != std::string::npos)
    return fail(ErrorKind::invalid, "kiểu hình phải gồm 14 ký tự +, - hoặc ? theo thứ tự C c E e K Jka Jkb Fya Fyb M N S s Mia",
                d.path + ".phenotype");
  CHIDOAN_TRY(tested, d.date("phenotype_tested_on", false));
  in.phenotype_tested_on = tested;
  if (in.phenotype != kUnknownPhenotype && tested.empty())
    return fail(ErrorKind::invalid, "kiểu hình đã biết cần ngày xét nghiệm", d.path + ".phenotype_tested_on");
  if (!tested.empty() && tested < in.birth_date)
    return fail(ErrorKind::invalid, "ngày xét nghiệm trước ngày sinh", d.path + ".phenotype_tested_on");
  CHIDOAN_TRY(lab, text_field(d, "phenotype_lab", false, 200));
  in.phenotype_lab = lab;
  CHIDOAN_TRY(district, text_field(d, "district", false, 100));
  in.district = district;
  CHIDOAN_TRY(commune, text_field(d, "commune", false, 100));
  in.commune = commune;
  CHIDOAN_TRY(availability, text_field(d, "availability", false, 500));
  in.availability = availability;
  CHIDOAN_TRY(on_call, d.boolean("on_call"));
  in.on_call = on_call;
  for (size_t k = 0; k < kConsentKeys.size(); ++k) {
    CHIDOAN_TRY(on, d.date(kConsentKeys[k], k == 0));
    in.consents[k] = on;
  }
  // Sensitive fields only with their consent (rules::check_donor_consents).
  if (in.consents[1].empty()) {
    if (!in.group.empty()) return fail(ErrorKind::invalid, "chưa đồng ý cho lưu nhóm máu (consent_health_on): không ghi nhóm máu", d.path + ".group");
    if (in.phenotype != kUnknownPhenotype || !in.phenotype_tested_on.empty() || !in.phenotype_lab.empty())
      return fail(ErrorKind::invalid, "chưa đồng ý cho lưu nhóm máu (consent_health_on): không ghi kiểu hình", d.path + ".phenotype");
  }
  if (in.consents[3].empty() && (!in.district.empty() || !in.commune.empty()))
    return fail(ErrorKind::invalid, "chưa đồng ý cho lưu nơi ở (consent_location_on): không ghi quận/huyện, xã/phường", d.path + ".district");

  CHIDOAN_TRY(events, d.array("consent_events"));
  std::array<std::optional<EventIn>, 4> last;  // the last event of each kind
  for (size_t i = 0; i < events->size(); ++i) {
    JsonReader e = d.element("consent_events", i);
    CHIDOAN_TRY_VOID(e.only({"kind", "given", "on_date"}));
    EventIn ev;
    CHIDOAN_TRY(kind, e.str("kind", true));
    CHIDOAN_TRY(consent, at(rules::parse_consent(kind), e.path + ".kind"));
    ev.kind = kind;
    CHIDOAN_TRY(given, e.boolean("given"));
    ev.given = given;
    CHIDOAN_TRY(on, e.date("on_date", true));
    ev.on_date = on;
    last[static_cast<size_t>(consent)] = ev;
    in.events.push_back(std::move(ev));
  }
  // The consents are where their history leads: given on the date of the last "given" event, or
  // withdrawn (or never given).
  for (size_t k = 0; k < kConsentKinds.size(); ++k) {
    bool ok = in.consents[k].empty() ? !last[k] || !last[k]->given : last[k] && last[k]->given && last[k]->on_date == in.consents[k];
    if (!ok)
      return fail(ErrorKind::invalid, std::string("không khớp với sự kiện đồng ý \"") + kConsentKinds[k] + "\" cuối cùng trong consent_events",
                  d.path + "." + kConsentKeys[k]);
  }

  CHIDOAN_TRY(donations, d.array("donations"));
  for (size_t i = 0; i < donations->size(); ++i) {
    JsonReader x = d.element("donations", i);
    CHIDOAN_TRY_VOID(x.only({"on_date", "type", "volume_ml", "place", "request"}));
    DonationIn dn;
    dn.path = x.path;
    CHIDOAN_TRY(on, x.date("on_date", true));
    if (on < in.birth_date) return fail(ErrorKind::invalid, "ngày hiến trước ngày sinh", x.path + ".on_date");
    dn.on_date = on;
    CHIDOAN_TRY(type_raw, x.str("type", true));
    CHIDOAN_TRY(type, at(rules::parse_donation_type(type_raw), x.path + ".type"));
    dn.type = type_raw;
    CHIDOAN_TRY(volume, x.opt_integer("volume_ml"));
    if (type == DonationType::whole_blood) {
      if (!volume || (*volume != 250 && *volume != 350 && *volume != 450))
        return fail(ErrorKind::invalid, "thể tích máu toàn phần là 250, 350 hoặc 450 ml", x.path + ".volume_ml");
      dn.volume_ml = *volume;
    } else if (volume) {
      return fail(ErrorKind::invalid, "chỉ ghi thể tích cho lần hiến máu toàn phần", x.path + ".volume_ml");
    }
    CHIDOAN_TRY(place, text_field(x, "place", false, 200));
    dn.place = place;
    CHIDOAN_TRY(request, x.str("request", false));
    dn.request = request;
    in.donations.push_back(std::move(dn));
  }

  CHIDOAN_TRY(deferrals, d.array("deferrals"));
  if (!deferrals->empty() && in.consents[1].empty())
    return fail(ErrorKind::invalid, "hoãn hiến cần đồng ý lưu thông tin sức khỏe (consent_health_on)", d.path + ".deferrals[0]");
  for (size_t i = 0; i < deferrals->size(); ++i) {
    JsonReader f = d.element("deferrals", i);
    CHIDOAN_TRY_VOID(f.only({"class", "starts_on", "ends_on"}));
    DeferralIn df;
    CHIDOAN_TRY(cls_raw, f.str("class", true));
    CHIDOAN_TRY(cls, at(rules::parse_deferral_class(cls_raw), f.path + ".class"));
    df.cls = cls_raw;
    CHIDOAN_TRY(start, f.date("starts_on", true));
    df.starts_on = start;
    CHIDOAN_TRY(end, f.date("ends_on", cls == DeferralClass::custom));
    std::string fixed = cls == DeferralClass::custom ? std::string() : to_iso(rules::deferral_end(cls, *parse_date(start)));
    if (cls == DeferralClass::custom && end <= start)
      return fail(ErrorKind::invalid, "ngày được hiến lại phải sau ngày bắt đầu hoãn", f.path + ".ends_on");
    if (cls != DeferralClass::custom && !end.empty() && end != fixed)
      return fail(ErrorKind::invalid, "loại hoãn " + cls_raw + " bắt đầu " + start + " kết thúc ngày " + fixed, f.path + ".ends_on");
    df.ends_on = cls == DeferralClass::custom ? end : fixed;
    in.deferrals.push_back(std::move(df));
  }
  return in;
}

Result<RequestIn> parse_request(const JsonReader& q) {
  CHIDOAN_TRY_VOID(q.only({"ref", "hospital", "recipient_group", "component", "units", "needed_by", "district", "antigen_negatives",
                           "contact_name", "contact_phone", "status", "created_by", "created_at", "calls"}));
  RequestIn in;
  in.path = q.path;
  CHIDOAN_TRY(ref, q.str("ref", true));
  if (ref.empty()) return fail(ErrorKind::invalid, "không được để trống", q.path + ".ref");
  in.ref = ref;
  CHIDOAN_TRY(hospital, text_field(q, "hospital", true, 200));
  in.hospital = hospital;
  CHIDOAN_TRY(group_raw, q.str("recipient_group", true));
  CHIDOAN_TRY(group, at(rules::parse_group(group_raw), q.path + ".recipient_group"));
  in.recipient_group = rules::to_string(group);
  CHIDOAN_TRY(component, q.str("component", true));
  CHIDOAN_TRY_VOID(at(rules::parse_component(component), q.path + ".component"));
  in.component = component;
  CHIDOAN_TRY(units, q.integer("units"));
  if (units < 1 || units > rules::kMaxUnits)
    return fail(ErrorKind::invalid, "số đơn vị máu từ 1 đến " + std::to_string(rules::kMaxUnits), q.path + ".units");
  in.units = units;
  CHIDOAN_TRY(needed, q.date("needed_by", true));
  in.needed_by = needed;
  CHIDOAN_TRY(district, text_field(q, "district", false, 100));
  in.district = district;
  CHIDOAN_TRY(antigens, q.array("antigen_negatives"));
  std::array<bool, kAntigenCount> wanted{};
  for (size_t i = 0; i < antigens->size(); ++i) {
    std::string path = q.path + ".antigen_negatives[" + std::to_string(i) + "]";
    const json& a = (*antigens)[i];
    auto antigen = a.is_string() ? rules::parse_antigen(a.get<std::string>()) : std::nullopt;
    if (!antigen) return fail(ErrorKind::invalid, "kháng nguyên không có trong danh sách (C, c, E, e, K, Jka, Jkb, Fya, Fyb, M, N, S, s, Mia)", path);
    wanted[static_cast<size_t>(*antigen)] = true;
  }
  for (size_t k = 0; k < kAntigenCount; ++k)
    if (wanted[k]) in.antigen_negatives.emplace_back(kAntigenNames[k]);
  CHIDOAN_TRY(contact, text_field(q, "contact_name", true, 200));
  in.contact_name = contact;
  CHIDOAN_TRY(contact_phone, phone_field(q, "contact_phone"));
  if (contact_phone.empty()) return fail(ErrorKind::invalid, "thiếu số điện thoại người liên hệ", q.path + ".contact_phone");
  in.contact_phone = contact_phone;
  CHIDOAN_TRY(status, q.str("status", true));
  CHIDOAN_TRY_VOID(at(rules::parse_status(status), q.path + ".status"));
  in.status = status;
  CHIDOAN_TRY(created_by, q.str("created_by", false));
  in.created_by = created_by;
  CHIDOAN_TRY(created_at, q.integer("created_at"));
  in.created_at = created_at;
  CHIDOAN_TRY(calls, q.array("calls"));
  for (size_t i = 0; i < calls->size(); ++i) {
    JsonReader c = q.element("calls", i);
    CHIDOAN_TRY_VOID(c.only({"donor", "outcome", "at", "logged_by", "donation"}));
    CallIn call;
    CHIDOAN_TRY(donor, c.str("donor", true));
    call.donor = donor;
    CHIDOAN_TRY(outcome, c.str("outcome", true));
    CHIDOAN_TRY(o, at(rules::parse_outcome(outcome), c.path + ".outcome"));
    call.outcome = outcome;
    CHIDOAN_TRY(when, c.integer("at"));
    if (when < 0) return fail(ErrorKind::invalid, "thời điểm không hợp lệ", c.path + ".at");
    call.at = when;
    CHIDOAN_TRY(logged_by, c.str("logged_by", false));
    call.logged_by = logged_by;
    CHIDOAN_TRY(donation, c.opt_integer("donation"));
    if (donation && o != CallOutcome::donated)
      return fail(ErrorKind::invalid, "chỉ lần gọi có kết quả \"donated\" mới gắn với lần hiến", c.path + ".donation");
    call.donation = donation;
    in.calls.push_back(std::move(call));
  }
  return in;
}

// The whole section, with the references inside it checked (donor and request refs, call →
// donor → donation). References to orgs and members are checked by validate.
Result<std::vector<ClubIn>> parse(const json& section) {
  JsonReader top{"$.blood", section};
  CHIDOAN_TRY_VOID(top.only({"clubs"}));
  CHIDOAN_TRY(clubs, top.array("clubs"));
  std::vector<ClubIn> out;
  std::set<std::string> donor_refs, request_refs;
  for (size_t i = 0; i < clubs->size(); ++i) {
    JsonReader c = top.element("clubs", i);
    CHIDOAN_TRY_VOID(c.only({"org", "name", "donors", "requests", "removed_donations"}));
    ClubIn club;
    club.path = c.path;
    CHIDOAN_TRY(org, c.str("org", true));
    club.org = org;
    CHIDOAN_TRY(name, text_field(c, "name", true, 200));
    club.name = name;

    CHIDOAN_TRY(requests, c.array("requests"));
    std::set<std::string> club_requests;
    for (size_t k = 0; k < requests->size(); ++k) {
      CHIDOAN_TRY(q, parse_request(c.element("requests", k)));
      if (!request_refs.insert(q.ref).second) return fail(ErrorKind::invalid, "mã yêu cầu bị lặp: " + q.ref, q.path + ".ref");
      club_requests.insert(q.ref);
      club.requests.push_back(std::move(q));
    }

    CHIDOAN_TRY(donors, c.array("donors"));
    std::map<std::string, size_t> club_donors;  // ref -> number of donations
    std::set<std::string> members;
    for (size_t k = 0; k < donors->size(); ++k) {
      CHIDOAN_TRY(d, parse_donor(c.element("donors", k)));
      if (!donor_refs.insert(d.ref).second) return fail(ErrorKind::invalid, "mã người hiến bị lặp: " + d.ref, d.path + ".ref");
      if (!d.member.empty() && !members.insert(d.member).second)
        return fail(ErrorKind::invalid, "đoàn viên đã đăng ký trong câu lạc bộ này: " + d.member, d.path + ".member");
      for (const auto& x : d.donations)
        if (!x.request.empty() && !club_requests.contains(x.request))
          return fail(ErrorKind::invalid, "yêu cầu máu không có trong câu lạc bộ: " + x.request, x.path + ".request");
      club_donors[d.ref] = d.donations.size();
      club.donors.push_back(std::move(d));
    }

    for (size_t k = 0; k < club.requests.size(); ++k) {
      for (size_t n = 0; n < club.requests[k].calls.size(); ++n) {
        const CallIn& call = club.requests[k].calls[n];
        std::string path = club.requests[k].path + ".calls[" + std::to_string(n) + "]";
        auto donor = club_donors.find(call.donor);
        if (donor == club_donors.end())
          return fail(ErrorKind::invalid, "người hiến không có trong câu lạc bộ: " + call.donor, path + ".donor");
        if (call.donation && (*call.donation < 1 || static_cast<size_t>(*call.donation) > donor->second))
          return fail(ErrorKind::invalid, "không có lần hiến thứ " + std::to_string(*call.donation) + " của " + call.donor, path + ".donation");
      }
    }

    CHIDOAN_TRY(removed, c.array("removed_donations"));
    std::set<int64_t> years;
    for (size_t k = 0; k < removed->size(); ++k) {
      JsonReader r = c.element("removed_donations", k);
      CHIDOAN_TRY_VOID(r.only({"year", "donations"}));
      CHIDOAN_TRY(year, r.integer("year"));
      if (year < 1900 || year > 9999 || !years.insert(year).second) return fail(ErrorKind::invalid, "năm không hợp lệ hoặc bị lặp", r.path + ".year");
      CHIDOAN_TRY(count, r.integer("donations"));
      if (count < 1) return fail(ErrorKind::invalid, "số lần hiến phải dương", r.path + ".donations");
      club.removed.emplace_back(year, count);
    }
    out.push_back(std::move(club));
  }
  return out;
}

// ---- validate / load / dump ----------------------------------------------------------------

Result<void> validate(db::Connection& conn, const json& section, const Known& known) {
  CHIDOAN_TRY(clubs, parse(section));
  std::set<std::pair<std::string, std::string>> names;
  for (const auto& c : clubs) {
    if (!known.org_codes.contains(c.org)) {
      CHIDOAN_TRY(id, org::bundle::org_ref(conn, {}, c.org, c.path + ".org"));
      CHIDOAN_TRY(taken, conn.query_one("SELECT 1 FROM blood_clubs WHERE org_id = ?1 AND name = ?2", {id, c.name}));
      if (taken) return fail(ErrorKind::conflict, "tổ chức đã có câu lạc bộ tên này", c.path + ".name");
    }
    if (!names.emplace(c.org, c.name).second) return fail(ErrorKind::invalid, "tổ chức đã có câu lạc bộ tên này", c.path + ".name");
    for (const auto& d : c.donors)
      if (!d.member.empty() && !known.member_refs.contains(d.member))
        return fail(ErrorKind::invalid, "đoàn viên không có trong bundle: " + d.member, d.path + ".member");
  }
  return {};
}

db::Value flag(bool b) { return int64_t{b ? 1 : 0}; }

Result<void> load(db::Connection& conn, const Clock& clock, const json& section, const Refs& refs) {
  CHIDOAN_TRY(clubs, parse(section));
  Store store(conn, clock);
  const int64_t now = clock.unix_seconds();
  // Bundles carry no users: created_by / logged_by name a user of the target database, else NULL.
  std::map<std::string, db::Value> users;
  auto user = [&](const std::string& username) -> Result<db::Value> {
    if (username.empty()) return db::Value(nullptr);
    if (auto it = users.find(username); it != users.end()) return it->second;
    CHIDOAN_TRY(r, conn.query_one("SELECT id FROM users WHERE username = ?1", {username}));
    return users[username] = r ? db::Value(r->i64(0)) : db::Value(nullptr);
  };
  // A donation, deferral or consent dated ahead would take a donor out of matching now.
  const std::string day = to_iso(today(clock));
  for (const auto& c : clubs)
    for (const auto& d : c.donors) {
      auto ahead = [&](const std::string& on, const std::string& path) -> Result<void> {
        if (on > day) return fail(ErrorKind::invalid, "ngày ở tương lai: " + on, path);
        return {};
      };
      for (const auto& x : d.donations) CHIDOAN_TRY_VOID(ahead(x.on_date, x.path + ".on_date"));
      for (size_t k = 0; k < d.deferrals.size(); ++k)
        CHIDOAN_TRY_VOID(ahead(d.deferrals[k].starts_on, d.path + ".deferrals[" + std::to_string(k) + "].starts_on"));
      for (size_t k = 0; k < kConsentKeys.size(); ++k) CHIDOAN_TRY_VOID(ahead(d.consents[k], d.path + "." + kConsentKeys[k]));
    }
  for (const auto& c : clubs) {
    CHIDOAN_TRY(org, org::bundle::org_ref(conn, refs, c.org, c.path + ".org"));
    CHIDOAN_TRY(club, conn.insert_id("INSERT INTO blood_clubs (org_id, name, created_at) VALUES (?1, ?2, ?3) RETURNING id", {org, c.name, now}));

    std::map<std::string, int64_t> request_ids;
    for (const auto& q : c.requests) {
      std::string antigens;
      for (const auto& a : q.antigen_negatives) antigens += (antigens.empty() ? "" : ",") + a;
      CHIDOAN_TRY(created_by, user(q.created_by));
      CHIDOAN_TRY(id, conn.insert_id("INSERT INTO blood_requests (club_id, hospital, recipient_group, component, units, needed_by, district, "
                                     "antigen_negatives, contact_name, contact_phone, status, created_by, created_at) "
                                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) RETURNING id",
                                     {club, q.hospital, q.recipient_group, q.component, q.units, q.needed_by, q.district, antigens,
                                      q.contact_name, q.contact_phone, q.status, created_by, q.created_at}));
      request_ids[q.ref] = id;
    }

    struct Loaded {
      int64_t id = 0;
      std::vector<int64_t> donations;  // in the bundle's order
    };
    std::map<std::string, Loaded> donors;
    for (const auto& d : c.donors) {
      db::Value member = nullptr;
      if (!d.member.empty()) member = refs.members.at(d.member);
      auto consent = [&](size_t k) { return db::nullable(d.consents[k]); };
      // eligible_until is set by Store::refresh below (like Store::register_donor).
      CHIDOAN_TRY(id, conn.insert_id(
                          "INSERT INTO blood_donors (club_id, member_id, name, phone, sex, birth_date, weight_class, blood_group, phenotype, "
                          "phenotype_tested_on, phenotype_lab, district, commune, on_call, availability, consent_join_on, consent_health_on, "
                          "consent_call_on, consent_location_on, eligible_until, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                          "?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?6, ?20, ?20) RETURNING id",
                          {club, member, d.name, db::nullable(d.phone), d.sex, d.birth_date, d.weight_class, db::nullable(d.group), d.phenotype,
                           db::nullable(d.phenotype_tested_on), d.phenotype_lab, d.district, d.commune, flag(d.on_call), d.availability,
                           consent(0), consent(1), consent(2), consent(3), now}));
      Loaded& loaded = donors[d.ref];
      loaded.id = id;
      for (const auto& e : d.events)
        CHIDOAN_TRY_VOID(conn.execute("INSERT INTO blood_consent_events (donor_id, kind, given, on_date, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                                      {id, e.kind, flag(e.given), e.on_date, now}));
      for (const auto& x : d.donations) {
        db::Value request = x.request.empty() ? db::Value(nullptr) : db::Value(request_ids.at(x.request));
        CHIDOAN_TRY(did, conn.insert_id("INSERT INTO blood_donations (donor_id, on_date, type, volume_ml, place, request_id, recorded_at) "
                                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
                                        {id, x.on_date, x.type, x.volume_ml ? db::Value(x.volume_ml) : db::Value(nullptr), x.place, request, now}));
        loaded.donations.push_back(did);
      }
      for (const auto& f : d.deferrals)
        CHIDOAN_TRY_VOID(conn.execute("INSERT INTO blood_deferrals (donor_id, class, starts_on, ends_on, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                                      {id, f.cls, f.starts_on, f.ends_on, now}));
    }

    for (const auto& q : c.requests) {
      for (const auto& call : q.calls) {
        const Loaded& donor = donors.at(call.donor);
        db::Value donation = call.donation ? db::Value(donor.donations.at(static_cast<size_t>(*call.donation - 1))) : db::Value(nullptr);
        CHIDOAN_TRY(logged_by, user(call.logged_by));
        CHIDOAN_TRY_VOID(conn.execute("INSERT INTO blood_calls (request_id, donor_id, outcome, at, logged_by, donation_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                      {request_ids.at(q.ref), donor.id, call.outcome, call.at, logged_by, donation}));
      }
    }
    // The derived columns (eligibility, last donation, call statistics), as every store write does.
    for (const auto& [ref, donor] : donors) CHIDOAN_TRY_VOID(store.refresh(donor.id));
    for (const auto& [year, count] : c.removed)
      CHIDOAN_TRY_VOID(conn.execute("INSERT INTO blood_removed_donations (club_id, year, donations) VALUES (?1, ?2, ?3)", {club, year, count}));
  }
  return {};
}

json opt_str(const db::Row& r, size_t i) { return r.is_null(i) || r.str(i).empty() ? json(nullptr) : json(r.str(i)); }

std::string numbered(char prefix, size_t n) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%c%04zu", prefix, n);
  return buf;
}

Result<json> dump(db::Connection& conn, const Clock&, const DumpScope& scope) {
  CHIDOAN_TRY(clubs, conn.query("SELECT c.id, c.org_id, c.name FROM blood_clubs c JOIN orgs o ON o.id = c.org_id WHERE o.path LIKE ?1 ORDER BY c.id",
                                {scope.root_path + "%"}));
  if (clubs.empty()) return json(nullptr);
  json out = json::array();
  size_t donor_no = 0, request_no = 0;
  for (const auto& c : clubs) {
    const int64_t club = c.i64(0);
    json jc{{"org", scope.org_codes.at(c.i64(1))}, {"name", c.str(2)}, {"donors", json::array()}, {"requests", json::array()},
            {"removed_donations", json::array()}};

    CHIDOAN_TRY(requests, conn.query("SELECT q.id, q.hospital, q.recipient_group, q.component, q.units, q.needed_by, q.district, "
                                     "q.antigen_negatives, q.contact_name, q.contact_phone, q.status, u.username, q.created_at "
                                     "FROM blood_requests q LEFT JOIN users u ON u.id = q.created_by WHERE q.club_id = ?1 "
                                     "ORDER BY q.created_at, q.id",
                                     {club}));
    std::map<int64_t, std::string> request_refs;
    for (const auto& q : requests) request_refs[q.i64(0)] = numbered('R', ++request_no);

    // Donors whose member is outside the dumped subtree are left out, with their rows.
    CHIDOAN_TRY(donors, conn.query("SELECT id, member_id, name, phone, sex, birth_date, weight_class, blood_group, phenotype, phenotype_tested_on, "
                                   "phenotype_lab, district, commune, on_call, availability, consent_join_on, consent_health_on, "
                                   "consent_call_on, consent_location_on FROM blood_donors WHERE club_id = ?1 ORDER BY id",
                                   {club}));
    std::map<int64_t, std::string> donor_refs;
    std::map<int64_t, json> events, donations, deferrals;
    std::map<int64_t, std::pair<int64_t, size_t>> donation_position;  // donation id -> donor id, 1-based position
    for (const auto& d : donors) {
      if (!d.is_null(1) && !scope.member_refs.contains(d.i64(1))) continue;
      donor_refs[d.i64(0)] = numbered('D', ++donor_no);
      events[d.i64(0)] = donations[d.i64(0)] = deferrals[d.i64(0)] = json::array();
    }
    CHIDOAN_TRY(event_rows, conn.query("SELECT e.donor_id, e.kind, e.given, e.on_date FROM blood_consent_events e JOIN blood_donors d ON d.id = e.donor_id "
                                       "WHERE d.club_id = ?1 ORDER BY e.id",
                                       {club}));
    for (const auto& e : event_rows)
      if (auto it = events.find(e.i64(0)); it != events.end())
        it->second.push_back({{"kind", e.str(1)}, {"given", e.i64(2) != 0}, {"on_date", e.str(3)}});
    CHIDOAN_TRY(donation_rows, conn.query("SELECT x.id, x.donor_id, x.on_date, x.type, x.volume_ml, x.place, x.request_id FROM blood_donations x "
                                          "JOIN blood_donors d ON d.id = x.donor_id WHERE d.club_id = ?1 ORDER BY x.on_date, x.id",
                                          {club}));
    for (const auto& x : donation_rows) {
      auto it = donations.find(x.i64(1));
      if (it == donations.end()) continue;
      auto request = x.is_null(6) ? request_refs.end() : request_refs.find(x.i64(6));
      it->second.push_back({{"on_date", x.str(2)}, {"type", x.str(3)}, {"volume_ml", x.is_null(4) ? json(nullptr) : json(x.i64(4))},
                            {"place", x.str(5)}, {"request", request == request_refs.end() ? json(nullptr) : json(request->second)}});
      donation_position[x.i64(0)] = {x.i64(1), it->second.size()};
    }
    CHIDOAN_TRY(deferral_rows, conn.query("SELECT f.donor_id, f.class, f.starts_on, f.ends_on FROM blood_deferrals f JOIN blood_donors d ON d.id = f.donor_id "
                                          "WHERE d.club_id = ?1 ORDER BY f.starts_on, f.id",
                                          {club}));
    for (const auto& f : deferral_rows)
      if (auto it = deferrals.find(f.i64(0)); it != deferrals.end())
        it->second.push_back({{"class", f.str(1)}, {"starts_on", f.str(2)}, {"ends_on", f.str(3)}});

    for (const auto& d : donors) {
      const int64_t id = d.i64(0);
      auto ref = donor_refs.find(id);
      if (ref == donor_refs.end()) continue;
      json jd{{"ref", ref->second},
              {"member", d.is_null(1) ? json(nullptr) : json(scope.member_refs.at(d.i64(1)))},
              {"name", opt_str(d, 2)},
              {"phone", opt_str(d, 3)},
              {"sex", d.str(4)},
              {"birth_date", d.str(5)},
              {"weight_class", d.str(6)},
              {"group", opt_str(d, 7)},
              {"phenotype", d.str(8)},
              {"phenotype_tested_on", opt_str(d, 9)},
              {"phenotype_lab", d.str(10)},
              {"district", d.str(11)},
              {"commune", d.str(12)},
              {"on_call", d.i64(13) != 0},
              {"availability", d.str(14)},
              {"consent_events", std::move(events[id])},
              {"donations", std::move(donations[id])},
              {"deferrals", std::move(deferrals[id])}};
      for (size_t k = 0; k < kConsentKeys.size(); ++k) jd[kConsentKeys[k]] = opt_str(d, 15 + k);
      jc["donors"].push_back(std::move(jd));
    }

    for (const auto& q : requests) {
      json antigens = json::array();
      std::string list = q.str(7);
      for (size_t i = 0; i < list.size();) {
        size_t j = list.find(',', i);
        if (j == std::string::npos) j = list.size();
        if (j > i) antigens.push_back(list.substr(i, j - i));
        i = j + 1;
      }
      json jq{{"ref", request_refs.at(q.i64(0))}, {"hospital", q.str(1)}, {"recipient_group", q.str(2)}, {"component", q.str(3)},
              {"units", q.i64(4)}, {"needed_by", q.str(5)}, {"district", q.str(6)}, {"antigen_negatives", std::move(antigens)},
              {"contact_name", q.str(8)}, {"contact_phone", q.str(9)}, {"status", q.str(10)}, {"created_by", opt_str(q, 11)},
              {"created_at", q.i64(12)}, {"calls", json::array()}};
      CHIDOAN_TRY(calls, conn.query("SELECT c.donor_id, c.outcome, c.at, u.username, c.donation_id FROM blood_calls c "
                                    "LEFT JOIN users u ON u.id = c.logged_by WHERE c.request_id = ?1 ORDER BY c.id",
                                    {q.i64(0)}));
      for (const auto& call : calls) {
        auto donor = donor_refs.find(call.i64(0));
        if (donor == donor_refs.end()) continue;
        json donation = nullptr;
        if (!call.is_null(4))
          if (auto p = donation_position.find(call.i64(4)); p != donation_position.end() && p->second.first == call.i64(0))
            donation = p->second.second;
        jq["calls"].push_back({{"donor", donor->second}, {"outcome", call.str(1)}, {"at", call.i64(2)}, {"logged_by", opt_str(call, 3)},
                               {"donation", std::move(donation)}});
      }
      jc["requests"].push_back(std::move(jq));
    }

    CHIDOAN_TRY(removed, conn.query("SELECT year, donations FROM blood_removed_donations WHERE club_id = ?1 ORDER BY year", {club}));
    for (const auto& r : removed) jc["removed_donations"].push_back({{"year", r.i64(0)}, {"donations", r.i64(1)}});
    out.push_back(std::move(jc));
  }
  return json{{"clubs", std::move(out)}};
}

}  // namespace

chidoan::bundle::Section bundle_section() { return {"blood", validate, load, dump}; }

}  // namespace chidoan::blood
