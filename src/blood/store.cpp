#include "blood/store.hpp"

#include <algorithm>
#include <map>

#include "platform/text/text.hpp"

namespace chidoan::blood {
namespace {

using db::nullable;
using db::Row;
using db::Value;

constexpr const char* kDonorColumns =
    "d.id, d.club_id, d.member_id, d.name, COALESCE(d.phone, m.phone), d.sex, d.birth_date, d.weight_class, d.blood_group, "
    "d.phenotype, d.phenotype_tested_on, d.phenotype_lab, d.district, d.commune, d.on_call, d.availability, d.consent_join_on, "
    "d.consent_health_on, d.consent_call_on, d.consent_location_on, d.last_donation_on, d.last_donation_type, d.next_eligible_on, "
    "d.eligible_until, d.contacts, d.accepted, d.last_contacted_at, d.created_at, m.family_name, m.middle_name, m.given_name "
    "FROM blood_donors d LEFT JOIN members m ON m.id = d.member_id";

std::string member_name(const Row& r, size_t family) {
  std::string name = r.str(family);
  if (!r.str(family + 1).empty()) name.append(" ").append(r.str(family + 1));
  return name.append(" ").append(r.str(family + 2));
}

Donor donor_from(const Row& r) {
  Donor d;
  d.id = r.i64(0);
  d.club_id = r.i64(1);
  d.member_id = r.opt_i64(2);
  d.name = d.member_id ? member_name(r, 28) : r.str(3);
  d.phone = r.str(4);
  d.sex = r.str(5);
  d.birth_date = r.str(6);
  d.weight_class = r.str(7);
  d.group = r.str(8);
  d.phenotype = r.str(9);
  d.phenotype_tested_on = r.str(10);
  d.phenotype_lab = r.str(11);
  d.district = r.str(12);
  d.commune = r.str(13);
  d.on_call = r.i64(14) != 0;
  d.availability = r.str(15);
  d.consent_join_on = r.str(16);
  d.consent_health_on = r.str(17);
  d.consent_call_on = r.str(18);
  d.consent_location_on = r.str(19);
  d.last_donation_on = r.str(20);
  d.last_donation_type = r.str(21);
  d.next_eligible_on = r.str(22);
  d.eligible_until = r.str(23);
  d.contacts = r.i64(24);
  d.accepted = r.i64(25);
  d.last_contacted_at = r.i64(26);
  d.created_at = r.i64(27);
  return d;
}

constexpr const char* kDonationColumns = "x.id, x.donor_id, x.on_date, x.type, x.volume_ml, x.place, x.request_id, x.recorded_at";
Donation donation_from(const Row& r) {
  return Donation{r.i64(0), r.i64(1), r.str(2), r.str(3), r.i64(4), r.str(5), r.opt_i64(6), r.i64(7)};
}

constexpr const char* kDeferralColumns = "f.id, f.donor_id, f.class, f.starts_on, f.ends_on, f.recorded_at";
Deferral deferral_from(const Row& r) { return Deferral{r.i64(0), r.i64(1), r.str(2), r.str(3), r.str(4), r.i64(5)}; }

constexpr const char* kRequestColumns =
    "id, club_id, hospital, recipient_group, component, units, needed_by, district, antigen_negatives, contact_name, contact_phone, "
    "status, created_by, created_at FROM blood_requests";
BloodRequest request_from(const Row& r) {
  BloodRequest q;
  q.id = r.i64(0);
  q.club_id = r.i64(1);
  q.hospital = r.str(2);
  q.recipient_group = r.str(3);
  q.component = r.str(4);
  q.units = r.i64(5);
  q.needed_by = r.str(6);
  q.district = r.str(7);
  std::string antigens = r.str(8);
  for (size_t i = 0; i < antigens.size();) {
    size_t j = antigens.find(',', i);
    if (j == std::string::npos) j = antigens.size();
    if (j > i) q.antigen_negatives.push_back(antigens.substr(i, j - i));
    i = j + 1;
  }
  q.contact_name = r.str(9);
  q.contact_phone = r.str(10);
  q.status = r.str(11);
  q.created_by = r.i64(12);
  q.created_at = r.i64(13);
  return q;
}

constexpr const char* kCallColumns = "c.id, c.request_id, c.donor_id, c.outcome, c.at, c.logged_by, c.donation_id";
Call call_from(const Row& r) { return Call{r.i64(0), r.i64(1), r.i64(2), r.str(3), r.i64(4), r.i64(5), r.opt_i64(6)}; }

// The columns rules::Candidate needs, all in the blood_donors_match(_district) indexes so that
// matching reads index entries only. Those indexes hold callable rows only, and callable is the
// join, health and call consents plus on_call (Store::refresh): the flags are set from it.
constexpr const char* kCandidateColumns =
    "id, blood_group, district, phenotype, next_eligible_on, eligible_until, contacts, accepted, last_contacted_at";
rules::Candidate callable_candidate_from(const Row& r) {
  rules::Candidate c;
  c.donor_id = r.i64(0);
  if (auto g = rules::parse_group(r.str(1))) c.group = *g;
  c.district = r.str(2);
  c.consent_join = c.consent_health = c.consent_call = c.on_call = true;
  c.phenotype = r.str(3);
  c.next_eligible_on = parse_date(r.str(4));
  if (auto until = parse_date(r.str(5))) c.eligible_until = *until;
  c.contacts = r.i64(6);
  c.accepted = r.i64(7);
  c.last_contacted_at = r.i64(8);
  return c;
}

std::string join_antigens(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ",") + n;
  return s;
}

Result<std::string> clean_name(const std::string& raw, const char* field, const char* empty_message) {
  auto n = text::normalize(raw);
  if (!n) return fail(ErrorKind::invalid, n.error().message, field);
  if (n->empty()) return fail(ErrorKind::invalid, empty_message, field);
  if (n->size() > 200) return fail(ErrorKind::invalid, "Nội dung quá dài", field);
  return *n;
}

Result<Date> checked_date(const std::string& s, const char* field, Date today) {
  auto d = parse_date(s);
  if (!d) return fail(ErrorKind::invalid, "Ngày không hợp lệ", field);
  if (*d > today) return fail(ErrorKind::invalid, "Ngày không được ở tương lai", field);
  return *d;
}

const char* consent_column(Consent c) {
  switch (c) {
    case Consent::join: return "consent_join_on";
    case Consent::health: return "consent_health_on";
    case Consent::call: return "consent_call_on";
    case Consent::location: return "consent_location_on";
  }
  return "consent_join_on";
}

}  // namespace

// ---- Clubs ----------------------------------------------------------------------------

Result<int64_t> Store::create_club(int64_t org_id, const std::string& raw_name) {
  CHIDOAN_TRY(name, clean_name(raw_name, "name", "Ghi tên câu lạc bộ"));
  CHIDOAN_TRY(org, db_.query_one("SELECT status FROM orgs WHERE id = ?1", {org_id}));
  if (!org) return fail(ErrorKind::invalid, "Tổ chức không tồn tại", "org_id");
  if (org->str(0) != "active") return fail(ErrorKind::invalid, "Tổ chức đã giải thể", "org_id");
  auto id = db_.insert_id("INSERT INTO blood_clubs (org_id, name, created_at) VALUES (?1, ?2, ?3) RETURNING id",
                          {org_id, name, clock_.unix_seconds()});
  if (!id && id.error().kind == ErrorKind::conflict) return fail(ErrorKind::conflict, "Tổ chức đã có câu lạc bộ tên này", "name");
  return id;
}

Result<Club> Store::club(int64_t id) {
  CHIDOAN_TRY(r, db_.query_one("SELECT id, org_id, name, created_at FROM blood_clubs WHERE id = ?1", {id}));
  if (!r) return fail(ErrorKind::not_found, "Không tìm thấy câu lạc bộ", "club_id");
  return Club{r->i64(0), r->i64(1), r->str(2), r->i64(3)};
}

Result<std::vector<Club>> Store::clubs(std::optional<int64_t> org_id) {
  CHIDOAN_TRY(rows, org_id ? db_.query("SELECT id FROM blood_clubs WHERE org_id = ?1 ORDER BY id", {*org_id})
                           : db_.query("SELECT id FROM blood_clubs ORDER BY id"));
  std::vector<Club> out;
  for (const auto& r : rows) {
    CHIDOAN_TRY(c, club(r.i64(0)));
    out.push_back(std::move(c));
  }
  return out;
}

// ---- Donors --------------------------------------------------------------------------------

Result<std::optional<int64_t>> Store::donor_of_member(int64_t club_id, int64_t member_id) {
  CHIDOAN_TRY(r, db_.query_one("SELECT id FROM blood_donors WHERE club_id = ?1 AND member_id = ?2", {club_id, member_id}));
  if (!r) return std::optional<int64_t>{};
  return std::optional<int64_t>{r->i64(0)};
}

Result<std::vector<int64_t>> Store::donors_of_member(int64_t member_id) {
  CHIDOAN_TRY(rows, db_.query("SELECT id FROM blood_donors WHERE member_id = ?1 ORDER BY id", {member_id}));
  std::vector<int64_t> out;
  for (const auto& r : rows) out.push_back(r.i64(0));
  return out;
}

Result<void> Store::add_consent_event(int64_t donor_id, Consent c, bool given, const std::string& on_date) {
  CHIDOAN_TRY_VOID(db_.execute("INSERT INTO blood_consent_events (donor_id, kind, given, on_date, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                               {donor_id, std::string(rules::to_string(c)), int64_t{given ? 1 : 0}, on_date, clock_.unix_seconds()}));
  return {};
}

Result<void> Store::lock_donor(int64_t donor_id) {
  CHIDOAN_TRY(n, db_.execute("UPDATE blood_donors SET updated_at = ?2 WHERE id = ?1", {donor_id, clock_.unix_seconds()}));
  if (n == 0) return fail(ErrorKind::not_found, "Không tìm thấy người hiến máu", "donor_id");
  return {};
}

Result<int64_t> Store::register_donor(int64_t club_id, const DonorInput& given) {
  DonorInput in = given;
  CHIDOAN_TRY_VOID(club(club_id));
  Date now = today();
  CHIDOAN_TRY_VOID(rules::check_donor(in, now));
  CHIDOAN_TRY_VOID(rules::check_donor_consents(in, in.consent_health, in.consent_location));
  if (in.consented_on.empty()) in.consented_on = to_iso(now);
  if (in.member_id) {
    CHIDOAN_TRY(m, db_.query_one("SELECT sex, birth_date FROM members WHERE id = ?1", {*in.member_id}));
    if (!m) return fail(ErrorKind::invalid, "Đoàn viên không tồn tại", "member_id");
    in.sex = m->str(0);
    in.birth_date = m->str(1);
    in.name.clear();
  }
  auto consent = [&](bool on) { return on ? Value(in.consented_on) : Value(nullptr); };
  int64_t ts = clock_.unix_seconds();
  auto id = db_.insert_id(
      "INSERT INTO blood_donors (club_id, member_id, name, phone, sex, birth_date, weight_class, blood_group, phenotype, "
      "phenotype_tested_on, phenotype_lab, district, commune, on_call, availability, consent_join_on, consent_health_on, "
      "consent_call_on, consent_location_on, eligible_until, created_at, updated_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?6, ?20, ?20) RETURNING id",
      {club_id, nullable(in.member_id), in.name, nullable(in.phone), in.sex, in.birth_date, in.weight_class, nullable(in.group),
       in.phenotype, nullable(in.phenotype_tested_on), in.phenotype_lab, in.district, in.commune, int64_t{in.on_call ? 1 : 0},
       in.availability, in.consented_on, consent(in.consent_health), consent(in.consent_call), consent(in.consent_location), ts});
  if (!id && id.error().kind == ErrorKind::conflict)
    return fail(ErrorKind::conflict, "Đoàn viên này đã đăng ký trong câu lạc bộ", "member_id");
  if (!id) return std::unexpected(id.error());
  CHIDOAN_TRY_VOID(add_consent_event(*id, Consent::join, true, in.consented_on));
  if (in.consent_health) CHIDOAN_TRY_VOID(add_consent_event(*id, Consent::health, true, in.consented_on));
  if (in.consent_call) CHIDOAN_TRY_VOID(add_consent_event(*id, Consent::call, true, in.consented_on));
  if (in.consent_location) CHIDOAN_TRY_VOID(add_consent_event(*id, Consent::location, true, in.consented_on));
  CHIDOAN_TRY_VOID(refresh(*id));
  return *id;
}

Result<void> Store::update_donor(int64_t donor_id, const DonorInput& given) {
  CHIDOAN_TRY_VOID(lock_donor(donor_id));
  CHIDOAN_TRY(current, donor(donor_id));
  DonorInput in = given;
  in.member_id = current.member_id;
  if (current.member_id) {
    in.name = current.name;
    in.sex = current.sex;
    in.birth_date = current.birth_date;
    // The roll's phone is read through the join, not copied.
    CHIDOAN_TRY(roll, db_.query_one("SELECT phone FROM members WHERE id = ?1", {*current.member_id}));
    if (roll && roll->str(0) == in.phone) in.phone.clear();
  }
  CHIDOAN_TRY_VOID(rules::check_donor(in, today()));
  CHIDOAN_TRY_VOID(rules::check_donor_consents(in, !current.consent_health_on.empty(), !current.consent_location_on.empty()));
  CHIDOAN_TRY_VOID(db_.execute(
      "UPDATE blood_donors SET name = ?2, phone = ?3, sex = ?4, birth_date = ?5, weight_class = ?6, blood_group = ?7, phenotype = ?8, "
      "phenotype_tested_on = ?9, phenotype_lab = ?10, district = ?11, commune = ?12, on_call = ?13, availability = ?14, updated_at = ?15 "
      "WHERE id = ?1",
      {donor_id, current.member_id ? std::string() : in.name, nullable(in.phone), in.sex, in.birth_date, in.weight_class,
       nullable(in.group), in.phenotype, nullable(in.phenotype_tested_on), in.phenotype_lab, in.district, in.commune,
       int64_t{in.on_call ? 1 : 0}, in.availability, clock_.unix_seconds()}));
  return refresh(donor_id);
}

Result<Donor> Store::donor(int64_t donor_id) {
  CHIDOAN_TRY(r, db_.query_one(std::string("SELECT ") + kDonorColumns + " WHERE d.id = ?1", {donor_id}));
  if (!r) return fail(ErrorKind::not_found, "Không tìm thấy người hiến máu", "donor_id");
  return donor_from(*r);
}

Result<std::vector<Donor>> Store::donors(int64_t club_id) {
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kDonorColumns + " WHERE d.club_id = ?1 ORDER BY d.id", {club_id}));
  std::vector<Donor> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(donor_from(r));
  return out;
}

Result<void> Store::give_consent(int64_t donor_id, Consent c, const std::string& on_date) {
  CHIDOAN_TRY_VOID(lock_donor(donor_id));
  CHIDOAN_TRY(d, donor(donor_id));
  CHIDOAN_TRY_VOID(checked_date(on_date, "on_date", today()));
  const std::string& current = c == Consent::join ? d.consent_join_on
                               : c == Consent::health ? d.consent_health_on
                               : c == Consent::call   ? d.consent_call_on
                                                      : d.consent_location_on;
  if (!current.empty()) return {};
  CHIDOAN_TRY_VOID(db_.execute(std::string("UPDATE blood_donors SET ") + consent_column(c) + " = ?2, updated_at = ?3 WHERE id = ?1",
                               {donor_id, on_date, clock_.unix_seconds()}));
  CHIDOAN_TRY_VOID(add_consent_event(donor_id, c, true, on_date));
  return refresh(donor_id);
}

Result<void> Store::withdraw_consent(int64_t donor_id, Consent c, const std::string& on_date) {
  CHIDOAN_TRY_VOID(lock_donor(donor_id));
  CHIDOAN_TRY_VOID(checked_date(on_date, "on_date", today()));
  if (c == Consent::join) return delete_donor(donor_id);
  int64_t ts = clock_.unix_seconds();
  switch (c) {
    case Consent::health:
      CHIDOAN_TRY_VOID(db_.execute("DELETE FROM blood_deferrals WHERE donor_id = ?1", {donor_id}));
      CHIDOAN_TRY_VOID(db_.execute("UPDATE blood_donors SET consent_health_on = NULL, blood_group = NULL, phenotype = ?2, "
                                   "phenotype_tested_on = NULL, phenotype_lab = '', updated_at = ?3 WHERE id = ?1",
                                   {donor_id, kUnknownPhenotype, ts}));
      break;
    case Consent::location:
      CHIDOAN_TRY_VOID(db_.execute("UPDATE blood_donors SET consent_location_on = NULL, district = '', commune = '', updated_at = ?2 WHERE id = ?1",
                                   {donor_id, ts}));
      break;
    case Consent::call:
      CHIDOAN_TRY_VOID(db_.execute("UPDATE blood_donors SET consent_call_on = NULL, updated_at = ?2 WHERE id = ?1", {donor_id, ts}));
      break;
    case Consent::join: break;
  }
  CHIDOAN_TRY_VOID(add_consent_event(donor_id, c, false, on_date));
  return refresh(donor_id);
}

Result<void> Store::delete_donor(int64_t donor_id) {
  CHIDOAN_TRY(d, donor(donor_id));
  CHIDOAN_TRY(years, db_.query("SELECT substr(on_date, 1, 4), COUNT(*) FROM blood_donations WHERE donor_id = ?1 GROUP BY substr(on_date, 1, 4)",
                               {donor_id}));
  for (const auto& y : years) {
    CHIDOAN_TRY_VOID(db_.execute("INSERT INTO blood_removed_donations (club_id, year, donations) VALUES (?1, ?2, ?3) "
                                 "ON CONFLICT (club_id, year) DO UPDATE SET donations = blood_removed_donations.donations + excluded.donations",
                                 {d.club_id, y.i64(0), y.i64(1)}));
  }
  for (const char* sql : {"DELETE FROM blood_calls WHERE donor_id = ?1", "DELETE FROM blood_reminders WHERE donor_id = ?1",
                          "DELETE FROM blood_consent_events WHERE donor_id = ?1", "DELETE FROM blood_deferrals WHERE donor_id = ?1",
                          "DELETE FROM blood_donations WHERE donor_id = ?1", "DELETE FROM blood_donors WHERE id = ?1"})
    CHIDOAN_TRY_VOID(db_.execute(sql, {donor_id}));
  return {};
}

Result<std::vector<ConsentEvent>> Store::consent_events(int64_t club_id) {
  CHIDOAN_TRY(rows, db_.query("SELECT e.id, e.donor_id, e.kind, e.given, e.on_date, e.recorded_at FROM blood_consent_events e "
                              "JOIN blood_donors d ON d.id = e.donor_id WHERE d.club_id = ?1 ORDER BY e.id",
                              {club_id}));
  std::vector<ConsentEvent> out;
  for (const auto& r : rows) out.push_back(ConsentEvent{r.i64(0), r.i64(1), r.str(2), r.i64(3) != 0, r.str(4), r.i64(5)});
  return out;
}

Result<rules::EligibilityFacts> Store::eligibility_facts(int64_t donor_id) {
  CHIDOAN_TRY(r, db_.query_one("SELECT sex, birth_date, weight_class FROM blood_donors WHERE id = ?1", {donor_id}));
  if (!r) return fail(ErrorKind::not_found, "Không tìm thấy người hiến máu", "donor_id");
  rules::EligibilityFacts f;
  CHIDOAN_TRY(sex, rules::parse_sex(r->str(0)));
  CHIDOAN_TRY(weight, rules::parse_weight_class(r->str(2)));
  auto birth = parse_date(r->str(1));
  if (!birth) return fail(ErrorKind::internal, "Ngày sinh hỏng trong cơ sở dữ liệu", "birth_date");
  f.sex = sex;
  f.birth_date = *birth;
  f.weight = weight;
  CHIDOAN_TRY(donations, db_.query("SELECT on_date, type FROM blood_donations WHERE donor_id = ?1", {donor_id}));
  for (const auto& x : donations) {
    CHIDOAN_TRY(type, rules::parse_donation_type(x.str(1)));
    f.donations.push_back(rules::DonationFact{*parse_date(x.str(0)), type});
  }
  CHIDOAN_TRY(deferrals, db_.query("SELECT class, starts_on, ends_on FROM blood_deferrals WHERE donor_id = ?1", {donor_id}));
  for (const auto& x : deferrals) {
    CHIDOAN_TRY(cls, rules::parse_deferral_class(x.str(0)));
    f.deferrals.push_back(rules::DeferralFact{cls, *parse_date(x.str(1)), *parse_date(x.str(2))});
  }
  return f;
}

Result<rules::Eligibility> Store::eligibility(int64_t donor_id, Date on) {
  CHIDOAN_TRY(f, eligibility_facts(donor_id));
  return rules::eligibility(f, on);
}

Result<void> Store::refresh(int64_t donor_id) {
  CHIDOAN_TRY(f, eligibility_facts(donor_id));
  rules::Standing s = rules::standing(f, today());
  const auto& reg = rules::rules_of(rules::regulation_on(today()));
  std::optional<rules::DonationFact> last;
  for (const auto& d : f.donations) {
    if (!last || d.on > last->on ||
        (d.on == last->on && rules::interval_days(d.type, reg) > rules::interval_days(last->type, reg)))
      last = d;
  }
  CHIDOAN_TRY_VOID(db_.execute(
      "UPDATE blood_donors SET next_eligible_on = ?2, eligible_until = ?3, last_donation_on = ?4, last_donation_type = ?5, "
      "callable = CASE WHEN consent_health_on IS NOT NULL AND consent_call_on IS NOT NULL AND on_call = 1 THEN 1 ELSE 0 END "
      "WHERE id = ?1",
      {donor_id, s.next_eligible_on ? Value(to_iso(*s.next_eligible_on)) : Value(nullptr), to_iso(s.eligible_until),
       last ? Value(to_iso(last->on)) : Value(nullptr), last ? Value(std::string(rules::to_string(last->type))) : Value(nullptr)}));
  // Call statistics: requests the donor was called for, of which accepted (or donated).
  CHIDOAN_TRY(calls, db_.query_one("SELECT COUNT(DISTINCT request_id), COUNT(DISTINCT CASE WHEN outcome IN ('accepted', 'donated') THEN request_id END), "
                                   "COALESCE(MAX(at), 0) FROM blood_calls WHERE donor_id = ?1",
                                   {donor_id}));
  int64_t contacts = calls->i64(0), accepted = calls->i64(1);
  CHIDOAN_TRY_VOID(db_.execute("UPDATE blood_donors SET contacts = ?2, accepted = ?3, response_bp = ?4, last_contacted_at = ?5 WHERE id = ?1",
                               {donor_id, contacts, accepted, rules::response_bp(contacts, accepted), calls->i64(2)}));
  return {};
}

// ---- Donations and deferrals -----------------------------------------------------------------

Result<Store::Recorded> Store::record_donation(int64_t donor_id, const DonationInput& in, std::optional<int64_t> request_id) {
  CHIDOAN_TRY_VOID(lock_donor(donor_id));  // the interval is checked against every donation
  CHIDOAN_TRY(f, eligibility_facts(donor_id));
  CHIDOAN_TRY_VOID(rules::check_donation(in, today()));
  Date on = *parse_date(in.on_date);
  if (on < f.birth_date) return fail(ErrorKind::invalid, "Ngày hiến trước ngày sinh", "on_date");
  CHIDOAN_TRY(type, rules::parse_donation_type(in.type));
  rules::DonationFact fact{on, type};
  Recorded out;
  if (auto strict = rules::check_interval(f.donations, fact, ""); !strict) {
    CHIDOAN_TRY_VOID(rules::check_interval(f.donations, fact, in.override_reason));
    out.override_reason = in.override_reason;
  }
  CHIDOAN_TRY(id, db_.insert_id("INSERT INTO blood_donations (donor_id, on_date, type, volume_ml, place, request_id, recorded_at) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
                                {donor_id, in.on_date, in.type, type == DonationType::whole_blood ? Value(in.volume_ml) : Value(nullptr),
                                 in.place, nullable(request_id), clock_.unix_seconds()}));
  out.id = id;
  CHIDOAN_TRY_VOID(refresh(donor_id));
  return out;
}

Result<void> Store::delete_donation(int64_t donation_id) {
  CHIDOAN_TRY(r, db_.query_one("SELECT donor_id FROM blood_donations WHERE id = ?1", {donation_id}));
  if (!r) return fail(ErrorKind::not_found, "Không tìm thấy lần hiến", "donation_id");
  CHIDOAN_TRY_VOID(lock_donor(r->i64(0)));  // as a donation added at once would
  CHIDOAN_TRY_VOID(db_.execute("UPDATE blood_calls SET donation_id = NULL WHERE donation_id = ?1", {donation_id}));
  CHIDOAN_TRY_VOID(db_.execute("DELETE FROM blood_donations WHERE id = ?1", {donation_id}));
  return refresh(r->i64(0));
}

Result<std::vector<Donation>> Store::donations_of(int64_t donor_id) {
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kDonationColumns + " FROM blood_donations x WHERE x.donor_id = ?1 ORDER BY x.on_date, x.id",
                              {donor_id}));
  std::vector<Donation> out;
  for (const auto& r : rows) out.push_back(donation_from(r));
  return out;
}

Result<std::vector<Donation>> Store::donations(int64_t club_id) {
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kDonationColumns +
                                  " FROM blood_donations x JOIN blood_donors d ON d.id = x.donor_id WHERE d.club_id = ?1 ORDER BY x.id",
                              {club_id}));
  std::vector<Donation> out;
  for (const auto& r : rows) out.push_back(donation_from(r));
  return out;
}

Result<int64_t> Store::record_deferral(int64_t donor_id, const DeferralInput& given) {
  CHIDOAN_TRY_VOID(lock_donor(donor_id));
  CHIDOAN_TRY(d, donor(donor_id));
  if (d.consent_health_on.empty())
    return fail(ErrorKind::conflict, "Người hiến chưa đồng ý cho lưu nhóm máu và hoãn hiến", "consent_health");
  CHIDOAN_TRY(in, rules::check_deferral(given, today()));
  CHIDOAN_TRY(id, db_.insert_id("INSERT INTO blood_deferrals (donor_id, class, starts_on, ends_on, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
                                {donor_id, in.cls, in.starts_on, in.ends_on, clock_.unix_seconds()}));
  CHIDOAN_TRY_VOID(refresh(donor_id));
  return id;
}

Result<void> Store::delete_deferral(int64_t deferral_id) {
  CHIDOAN_TRY(r, db_.query_one("SELECT donor_id FROM blood_deferrals WHERE id = ?1", {deferral_id}));
  if (!r) return fail(ErrorKind::not_found, "Không tìm thấy lần hoãn hiến", "deferral_id");
  CHIDOAN_TRY_VOID(lock_donor(r->i64(0)));
  CHIDOAN_TRY_VOID(db_.execute("DELETE FROM blood_deferrals WHERE id = ?1", {deferral_id}));
  return refresh(r->i64(0));
}

Result<std::vector<Deferral>> Store::deferrals_of(int64_t donor_id) {
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kDeferralColumns + " FROM blood_deferrals f WHERE f.donor_id = ?1 ORDER BY f.starts_on, f.id",
                              {donor_id}));
  std::vector<Deferral> out;
  for (const auto& r : rows) out.push_back(deferral_from(r));
  return out;
}

Result<std::vector<Deferral>> Store::deferrals(int64_t club_id) {
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kDeferralColumns +
                                  " FROM blood_deferrals f JOIN blood_donors d ON d.id = f.donor_id WHERE d.club_id = ?1 ORDER BY f.id",
                              {club_id}));
  std::vector<Deferral> out;
  for (const auto& r : rows) out.push_back(deferral_from(r));
  return out;
}

// ---- Requests, matching, call-outs -----------------------------------------------------------

Result<int64_t> Store::create_request(int64_t club_id, const RequestInput& in, int64_t created_by) {
  CHIDOAN_TRY_VOID(club(club_id));
  CHIDOAN_TRY_VOID(rules::check_request(in, today()));
  CHIDOAN_TRY(group, rules::parse_group(in.recipient_group, "recipient_group"));
  std::vector<std::string> antigens;
  for (const auto& a : in.antigen_negatives) antigens.emplace_back(rules::to_string(*rules::parse_antigen(a)));
  auto id = db_.insert_id(
      "INSERT INTO blood_requests (club_id, hospital, recipient_group, component, units, needed_by, district, antigen_negatives, "
      "contact_name, contact_phone, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id",
      {club_id, in.hospital, rules::to_string(group), in.component, in.units, in.needed_by, in.district, join_antigens(antigens),
       in.contact_name, in.contact_phone, created_by, clock_.unix_seconds()});
  if (!id && id.error().kind == ErrorKind::invalid) return fail(ErrorKind::invalid, "Tài khoản không tồn tại", "created_by");
  return id;
}

Result<BloodRequest> Store::request(int64_t id) {
  CHIDOAN_TRY(r, db_.query_one(std::string("SELECT ") + kRequestColumns + " WHERE id = ?1", {id}));
  if (!r) return fail(ErrorKind::not_found, "Không tìm thấy yêu cầu máu", "request_id");
  return request_from(*r);
}

Result<std::vector<BloodRequest>> Store::requests(int64_t club_id) {
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kRequestColumns + " WHERE club_id = ?1 ORDER BY created_at DESC, id DESC", {club_id}));
  std::vector<BloodRequest> out;
  for (const auto& r : rows) out.push_back(request_from(r));
  return out;
}

Result<void> Store::set_request_status(int64_t id, RequestStatus s) {
  CHIDOAN_TRY(n, db_.execute("UPDATE blood_requests SET status = ?2 WHERE id = ?1", {id, std::string(rules::to_string(s))}));
  if (n == 0) return fail(ErrorKind::not_found, "Không tìm thấy yêu cầu máu", "request_id");
  return {};
}

Result<std::vector<Match>> Store::match(int64_t request_id, size_t limit) {
  CHIDOAN_TRY(r, request(request_id));
  return match(r, limit);
}

Result<std::vector<Match>> Store::match(const BloodRequest& r, size_t limit) {
  rules::MatchQuery q;
  CHIDOAN_TRY(group, rules::parse_group(r.recipient_group, "recipient_group"));
  CHIDOAN_TRY(component, rules::parse_component(r.component));
  auto needed = parse_date(r.needed_by);
  if (!needed) return fail(ErrorKind::invalid, "Ngày cần máu không hợp lệ", "needed_by");
  q.recipient = group;
  q.component = component;
  q.today = today();
  // A request still open after its day is matched for today: donors eligible since are called,
  // and those who have since passed the age limit are not.
  q.needed_by = std::max(*needed, q.today);
  q.district = r.district;
  for (const auto& name : r.antigen_negatives) {
    auto a = rules::parse_antigen(name);
    if (!a) return fail(ErrorKind::invalid, "Kháng nguyên \"" + name + "\" không có trong danh sách", "antigen_negatives");
    q.antigen_negatives.push_back(*a);
  }
  if (limit == 0) return std::vector<Match>();

  // Each compatible group is a bucket (two with a district: same and other), read from
  // the blood_donors_match* indexes in ranking order: the best `limit` of the request are among
  // the best `limit` of each bucket. Only the parameters a text uses are bound (PostgreSQL
  // must infer the type of each).
  std::vector<Value> params;
  auto bind = [&](Value v) {
    params.push_back(std::move(v));
    return std::string("?").append(std::to_string(params.size()));
  };
  std::string club = bind(r.club_id), needed_on = bind(to_iso(q.needed_by)), lim = bind(static_cast<int64_t>(limit));
  std::string filters = " AND next_eligible_on <= " + needed_on + " AND eligible_until > " + needed_on;
  // The literal lets the planners use blood_donors_match_typed.
  if (!q.antigen_negatives.empty())
    filters += " AND phenotype <> '" + kUnknownPhenotype + "' AND phenotype LIKE " + bind(rules::like_pattern(q.antigen_negatives));
  std::vector<std::string> tiers{""};
  if (!q.district.empty()) {
    std::string district = bind(q.district);
    tiers = {" AND district = " + district, " AND district <> " + district};
  }
  std::string sql;
  int bucket = 0;
  for (Group g : rules::donor_groups(q.recipient, q.component)) {
    std::string group_param = bind(rules::to_string(g));
    for (const auto& tier : tiers) {
      if (!sql.empty()) sql += " UNION ALL ";
      sql += std::string("SELECT * FROM (SELECT ") + kCandidateColumns + " FROM blood_donors WHERE club_id = " + club +
             " AND callable = 1 AND blood_group = " + group_param + tier + filters + " ORDER BY response_bp DESC, last_contacted_at, id LIMIT " +
             lim + ") AS b" + std::to_string(bucket++);
    }
  }
  CHIDOAN_TRY(rows, db_.query(sql, params));
  std::vector<rules::Candidate> candidates;
  candidates.reserve(rows.size());
  for (const auto& row : rows) candidates.push_back(callable_candidate_from(row));
  std::vector<Match> ranked = rules::rank(q, candidates);
  if (ranked.size() > limit) ranked.resize(limit);
  return ranked;
}

Result<Store::CallLogged> Store::log_call(int64_t request_id, int64_t donor_id, const CallInput& in, int64_t logged_by) {
  CHIDOAN_TRY(r, request(request_id));
  if (r.status == "cancelled") return fail(ErrorKind::conflict, "Yêu cầu máu đã hủy", "request_id");
  CHIDOAN_TRY_VOID(lock_donor(donor_id));  // calls of one donor are counted one at a time
  CHIDOAN_TRY(d, donor(donor_id));
  if (d.club_id != r.club_id) return fail(ErrorKind::not_found, "Không tìm thấy người hiến máu", "donor_id");
  if (d.consent_call_on.empty()) return fail(ErrorKind::conflict, "Người hiến chưa đồng ý được gọi khi cần máu", "donor_id");
  CHIDOAN_TRY(outcome, rules::parse_outcome(in.outcome));
  CallLogged out;
  if (outcome == CallOutcome::donated) {
    CHIDOAN_TRY(component, rules::parse_component(r.component));
    DonationType type = rules::donation_type_for(component);
    DonationInput donation{to_iso(today()), std::string(rules::to_string(type)), type == DonationType::whole_blood ? in.volume_ml : 0,
                           r.hospital, in.override_reason};
    CHIDOAN_TRY(recorded, record_donation(donor_id, donation, request_id));
    out.donation_id = recorded.id;
    out.override_reason = recorded.override_reason;
  }
  int64_t now = clock_.unix_seconds();
  auto id = db_.insert_id("INSERT INTO blood_calls (request_id, donor_id, outcome, at, logged_by, donation_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
                          {request_id, donor_id, in.outcome, now, logged_by, nullable(out.donation_id)});
  if (!id && id.error().kind == ErrorKind::invalid) return fail(ErrorKind::invalid, "Tài khoản không tồn tại", "logged_by");
  if (!id) return std::unexpected(id.error());
  out.call_id = *id;
  CHIDOAN_TRY_VOID(refresh(donor_id));
  return out;
}

Result<std::vector<Call>> Store::calls(int64_t request_id) {
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kCallColumns + " FROM blood_calls c WHERE c.request_id = ?1 ORDER BY c.id", {request_id}));
  std::vector<Call> out;
  for (const auto& r : rows) out.push_back(call_from(r));
  return out;
}

Result<std::vector<Call>> Store::calls_of_club(int64_t club_id) {
  CHIDOAN_TRY(rows, db_.query(std::string("SELECT ") + kCallColumns +
                                  " FROM blood_calls c JOIN blood_requests q ON q.id = c.request_id WHERE q.club_id = ?1 ORDER BY c.id",
                              {club_id}));
  std::vector<Call> out;
  for (const auto& r : rows) out.push_back(call_from(r));
  return out;
}

Result<std::string> Store::reveal_phone(int64_t request_id, int64_t donor_id) {
  CHIDOAN_TRY(r, request(request_id));
  if (r.status == "cancelled") return fail(ErrorKind::conflict, "Yêu cầu máu đã hủy", "request_id");
  CHIDOAN_TRY(d, donor(donor_id));
  if (d.club_id != r.club_id) return fail(ErrorKind::not_found, "Không tìm thấy người hiến máu", "donor_id");
  CHIDOAN_TRY(latest, db_.query_one("SELECT outcome FROM blood_calls WHERE request_id = ?1 AND donor_id = ?2 ORDER BY at DESC, id DESC LIMIT 1",
                                    {request_id, donor_id}));
  if (!latest || (latest->str(0) != "accepted" && latest->str(0) != "donated"))
    return fail(ErrorKind::forbidden, "Chỉ báo số điện thoại cho bệnh viện khi người hiến đã nhận lời", "donor_id");
  if (d.consent_call_on.empty()) return fail(ErrorKind::forbidden, "Người hiến đã rút đồng ý được gọi", "donor_id");
  if (d.phone.empty()) return fail(ErrorKind::not_found, "Người hiến chưa có số điện thoại", "phone");
  return d.phone;
}

// ---- Reminders and statistics ----------------------------------------------------------------

Result<std::vector<Reminder>> Store::due_reminders(int64_t club_id, Date on) {
  CHIDOAN_TRY(rows, db_.query("SELECT d.id, d.member_id, d.name, m.family_name, m.middle_name, m.given_name, d.next_eligible_on "
                              "FROM blood_donors d LEFT JOIN members m ON m.id = d.member_id "
                              "WHERE d.club_id = ?1 AND d.next_eligible_on <= ?2 AND d.next_eligible_on >= ?3 AND d.eligible_until > ?2 "
                              "AND d.consent_call_on IS NOT NULL "
                              "AND (d.last_donation_on IS NOT NULL OR EXISTS (SELECT 1 FROM blood_deferrals f WHERE f.donor_id = d.id)) "
                              "AND NOT EXISTS (SELECT 1 FROM blood_reminders r WHERE r.donor_id = d.id AND r.due_on = d.next_eligible_on) "
                              "ORDER BY d.id",
                              {club_id, to_iso(on), to_iso(rules::add_days(on, -kReminderCatchUpDays))}));
  std::vector<Reminder> out;
  for (const auto& r : rows) out.push_back(Reminder{r.i64(0), r.is_null(1) ? r.str(2) : member_name(r, 3), r.str(6)});
  return out;
}

Result<void> Store::mark_reminder_sent(int64_t donor_id, const std::string& due_on) {
  if (!parse_date(due_on)) return fail(ErrorKind::invalid, "Ngày không hợp lệ", "due_on");
  auto done = db_.execute("INSERT INTO blood_reminders (donor_id, due_on, sent_at) VALUES (?1, ?2, ?3)", {donor_id, due_on, clock_.unix_seconds()});
  if (!done && done.error().kind == ErrorKind::conflict) return fail(ErrorKind::conflict, "Đã gửi lời nhắc này", "due_on");
  if (!done && done.error().kind == ErrorKind::invalid) return fail(ErrorKind::not_found, "Không tìm thấy người hiến máu", "donor_id");
  if (!done) return std::unexpected(done.error());
  return {};
}

Result<ClubStats> Store::stats(int64_t club_id) {
  ClubStats s;
  CHIDOAN_TRY(groups, db_.query("SELECT blood_group, COUNT(*), SUM(on_call) FROM blood_donors WHERE club_id = ?1 GROUP BY blood_group", {club_id}));
  std::map<std::string, int64_t> by_group;
  for (const auto& g : groups) {
    by_group[g.str(0)] = g.i64(1);
    s.donors += g.i64(1);
    s.on_call += g.i64(2);
  }
  for (Group g : kAllGroups)
    if (auto it = by_group.find(rules::to_string(g)); it != by_group.end()) s.donors_by_group.push_back(GroupCount{it->first, it->second});
  if (auto it = by_group.find(""); it != by_group.end()) s.donors_by_group.push_back(GroupCount{"", it->second});
  CHIDOAN_TRY(years, db_.query("SELECT substr(x.on_date, 1, 4), COUNT(*) FROM blood_donations x JOIN blood_donors d ON d.id = x.donor_id "
                               "WHERE d.club_id = ?1 GROUP BY substr(x.on_date, 1, 4)",
                               {club_id}));
  std::map<int64_t, int64_t> by_year;
  for (const auto& y : years) by_year[y.i64(0)] += y.i64(1);
  CHIDOAN_TRY(removed, db_.query("SELECT year, donations FROM blood_removed_donations WHERE club_id = ?1", {club_id}));
  for (const auto& y : removed) by_year[y.i64(0)] += y.i64(1);
  for (auto [year, n] : by_year) s.donations_by_year.push_back(YearCount{year, n});
  CHIDOAN_TRY(statuses, db_.query("SELECT status, COUNT(*) FROM blood_requests WHERE club_id = ?1 GROUP BY status", {club_id}));
  for (const auto& st : statuses) {
    if (st.str(0) == "open") s.requests_open = st.i64(1);
    else if (st.str(0) == "served") s.requests_served = st.i64(1);
    else if (st.str(0) == "cancelled") s.requests_cancelled = st.i64(1);
  }
  return s;
}

}  // namespace chidoan::blood
