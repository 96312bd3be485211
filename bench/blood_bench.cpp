// blood_bench — matching speed of the blood-donation club (issue 5, "Speed": matching a request
// among 100,000 donors ≤ 10 ms p99 on SQLite and PostgreSQL).
//
// Data (seed 2021, "today" 2021-09-15): one club of --donors donors (outsiders), generated in
// C++ and written by multi-row INSERT … VALUES in one transaction, with their donations,
// deferrals and call history as rows and the derived columns of blood_donors (callable,
// last donation, next_eligible_on, eligible_until, contacts, accepted, response_bp,
// last_contacted_at) computed here with rules::standing and rules::response_bp, as
// blood::Store::refresh would (checked every run on a sample against refresh itself, in a
// transaction that is rolled back). Then --requests open emergency requests through
// Store::create_request: the 8 recipient groups × 4 components, with and without a district,
// one in five with required antigen negatives, needed today to a week from now.
//
// Measured: Store::match(request, --limit) on a fresh connection, one warm-up pass over every
// request, then --calls calls cycling through them; p50, p99, max.
// Checked every run: each request's answer is the same on every call; every match is admissible
// (rules::admissible on the donor's row read back, with its real consents); the answer holds
// min(limit, admissible) donors; and for --rank-check requests (spread evenly) the answer equals
// the first `limit` of rules::rank over every donor of the club.
//
// SQLite: a cached file (generated once, keyed by seed, sizes and the blood migration's text in
// FILE.meta); PostgreSQL: database chidoan_bloodbench, generated every run, then ANALYZE.
// Prints a markdown row per engine at the end.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <CLI/CLI.hpp>

#include "blood/rules.hpp"
#include "blood/store.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/date.hpp"
#include "platform/db/db.hpp"

#include "bench_cli.hpp"
#include "bench_util.hpp"

namespace fs = std::filesystem;
using namespace chidoan;
using namespace chidoan::blood;
using Ms = std::chrono::duration<double, std::milli>;
using db::Value;
using bench::die;
using bench::insert_rows;
using bench::fmt;
using bench::pg_database;
using bench::thousands;
using bench::with_database;
using bench::must;
using bench::percentile;
using bench::seconds_since;

namespace {

constexpr const char* kClubName = "Bench: CLB Máu sống – Máu hiếm (100.000 người hiến)";
constexpr const char* kOrgCode = "BLOODB";
constexpr int kGeneratorVersion = 1;  // bump when the generated data changes

struct Options : bench::EngineOptions {
  Options() { sqlite_path = "blood.db"; }
  int64_t donors = 100'000;
  int requests = 200;
  int calls = 2000;
  size_t limit = Store::kDefaultMatchLimit;
  int rank_check = 200;  // every request of the default 200
  int refresh_check = 1000;
};

struct Figures {
  std::string engine, generation;
  int64_t donors = 0;
  int requests = 0, calls = 0;
  double p50 = 0, p99 = 0, max = 0;
  bool ok = false;
  std::string checked;
};

// The text of the blood migration, so that a cached file made with another schema is remade.
std::string schema_key() {
  auto all = must(db::embedded_migrations(), "embedded migrations");
  uint64_t h = 1469598103934665603ull;  // FNV-1a over every migration that mentions blood_
  for (const auto& m : all) {
    if (m.sql.find("blood_") == std::string::npos) continue;
    for (unsigned char c : m.sql) h = (h ^ c) * 1099511628211ull;
  }
  char b[32];
  std::snprintf(b, sizeof b, "%016llx", static_cast<unsigned long long>(h));
  return b;
}

int64_t unix_of(Date d) { return std::chrono::sys_seconds(std::chrono::sys_days(d)).time_since_epoch().count() - 7 * 3600; }

// ---- generation ----

constexpr const char* kFamily[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "K'"};
constexpr const char* kMiddle[] = {"Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quốc", "Thu", "Hoài", "Gia", "Bảo"};
constexpr const char* kGiven[] = {"An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Hương", "Khang",
                                  "Lan", "Linh", "Long", "Mai", "Nam", "Ngân", "Nhung", "Phong", "Phúc", "Quân", "Quỳnh", "Sơn",
                                  "Tâm", "Thảo", "Thắng", "Trang", "Trung", "Tuấn", "Uyên", "Việt", "Vy", "Xuân", "Yến"};
// Districts of the club's province, with their share of the donors (per mille).
struct District {
  const char* name;
  int per_mille;
};
constexpr District kDistricts[] = {{"Đà Lạt", 300}, {"Bảo Lộc", 160}, {"Đức Trọng", 110}, {"Lâm Hà", 90}, {"Di Linh", 80},
                                   {"Đơn Dương", 70}, {"Bảo Lâm", 60}, {"Lạc Dương", 50}, {"Đạ Huoai", 40}, {"Cát Tiên", 40}};
constexpr const char* kCommunes[] = {"Phường 1", "Phường 2", "Phường 3", "Thị trấn", "Xã Hiệp An", "Xã Tân Hà", "Xã Lộc Thanh", ""};
constexpr const char* kHospitals[] = {"Bệnh viện Đa khoa tỉnh Lâm Đồng", "Bệnh viện II Lâm Đồng", "Bệnh viện Nhi Lâm Đồng",
                                      "Trung tâm Y tế huyện Đức Trọng", "Bệnh viện Hoàn Mỹ Đà Lạt"};
// Blood groups among Vietnamese donors (per 100,000): O+ 42 %, B+ 30 %, A+ 21 %, AB+ 6.5 %;
// RhD− is 0.04–0.07 % of the population, inflated here to 0.5 % so that RhD− requests have
// some hundreds of candidates to choose from.
struct GroupShare {
  Group g;
  int per_100k;
};
constexpr GroupShare kGroups[] = {{{Abo::O, Rh::pos}, 41'800}, {{Abo::B, Rh::pos}, 29'900}, {{Abo::A, Rh::pos}, 21'300},
                                  {{Abo::AB, Rh::pos}, 6'500},  {{Abo::O, Rh::neg}, 200},    {{Abo::A, Rh::neg}, 120},
                                  {{Abo::B, Rh::neg}, 130},     {{Abo::AB, Rh::neg}, 50}};
// Share (per mille) of people positive for each antigen, kAntigenNames order (East Asian
// frequencies, rounded): C c E e K Jka Jkb Fya Fyb M N S s Mia.
constexpr int kAntigenPositive[14] = {930, 500, 480, 940, 2, 720, 700, 990, 120, 750, 720, 130, 995, 70};
// Antigen sets required by the requests that carry some.
const std::vector<std::vector<std::string>> kAntigenSets = {{"K"}, {"E"}, {"c", "E"}, {"Jka"}, {"Mia"}, {"Fyb"}, {"S"}, {"K", "Jkb"}};

struct Gen {
  // One donor row and its rows in other tables.
  struct Donation {
    Date on;
    DonationType type;
  };
  struct Deferral {
    DeferralClass cls;
    Date from, to;
  };
  struct Call {
    size_t request;  // index into the past requests
    CallOutcome outcome;
    int64_t at;
  };
  struct Donor {
    std::string name, phone, sex, birth, weight, group, phenotype = kUnknownPhenotype, tested_on, lab, district, commune, availability;
    bool on_call = false, health = false, call = false, location = false;
    Date joined;
    std::vector<Donation> donations;
    std::vector<Deferral> deferrals;
    std::vector<Call> calls;
  };
};

template <typename T, size_t N>
const T& pick(std::mt19937_64& rng, const T (&a)[N]) {
  return a[rng() % N];
}
bool chance(std::mt19937_64& rng, int per_mille) { return static_cast<int>(rng() % 1000) < per_mille; }

struct Generated {
  std::string text;  // generation time, for the row
  int64_t club_id = 0;
};

Result<Generated> generate(db::Connection& conn, const Clock& clock, const Options& o) {
  auto t0 = std::chrono::steady_clock::now();
  const Date today = chidoan::today(clock);
  const int64_t now = clock.unix_seconds();
  bench::ProvinceSize size;
  size.districts = 1;
  size.branches = 1;
  size.members_per_branch = 1;
  size.units_per_branch = 1;
  size.activities_per_branch = 0;
  CHIDOAN_TRY(info, bench::generate_province(conn, clock, o.seed, size, kOrgCode));
  const int64_t branch = info.branch_ids.at(0);
  Generated out;
  std::mt19937_64 rng(o.seed);
  struct Stats {
    int64_t callable = 0, rh_neg = 0, typed = 0, recent = 0, deferred = 0, with_calls = 0, calls = 0, donations = 0, no_weight = 0,
            out_of_age = 0;
  } st;

  CHIDOAN_TRY_VOID(conn.transaction([&]() -> Result<void> {
    CHIDOAN_TRY(user, conn.insert_id("INSERT INTO users (username, password_hash, role, org_id, display_name, created_at) "
                                     "VALUES ('bloodbench', 'x', 'branch_secretary', ?1, 'Điều phối viên CLB', ?2) RETURNING id",
                                     {branch, now}));
    Store store(conn, clock);
    CHIDOAN_TRY(club, store.create_club(branch, kClubName));
    out.club_id = club;

    // Past requests (served), for the call history: 2019-01-01 … 2021-09-10.
    const int kPast = 300;
    std::vector<Value> rows;
    std::vector<int64_t> past_at;
    const Date first_past{std::chrono::year{2019}, std::chrono::month{1}, std::chrono::day{1}};
    const int past_span = rules::days_between(first_past, rules::add_days(today, -5));
    for (int i = 0; i < kPast; ++i) {
      Date on = rules::add_days(first_past, static_cast<int>(static_cast<int64_t>(i) * past_span / kPast));
      int64_t at = unix_of(on) + 8 * 3600 + static_cast<int64_t>(rng() % 36'000);
      past_at.push_back(at);
      const GroupShare& g = kGroups[rng() % 4];
      rows.insert(rows.end(), {Value(club), Value(std::string(pick(rng, kHospitals))), Value(rules::to_string(g.g)),
                               Value(std::string(i % 5 == 0 ? "platelets" : "red_cells")), Value(int64_t{1 + static_cast<int64_t>(rng() % 4)}),
                               Value(to_iso(on)), Value(std::string(kDistricts[rng() % 3].name)), Value(std::string()),
                               Value(std::string("BS. Trần Thị Hồng")), Value(std::string("+842633822000")), Value(std::string("served")),
                               Value(user), Value(at)});
    }
    CHIDOAN_TRY_VOID(insert_rows(conn,
                                 "INSERT INTO blood_requests (club_id, hospital, recipient_group, component, units, needed_by, district, "
                                 "antigen_negatives, contact_name, contact_phone, status, created_by, created_at) VALUES ",
                                 13, rows));
    CHIDOAN_TRY(past_rows, conn.query("SELECT id FROM blood_requests WHERE club_id = ?1 ORDER BY id", {club}));
    std::vector<int64_t> past_ids;
    for (const auto& r : past_rows) past_ids.push_back(r.i64(0));
    if (past_ids.size() != static_cast<size_t>(kPast)) return fail(ErrorKind::internal, "past requests");

    // Donors.
    const auto& reg = rules::rules_of(rules::regulation_on(today));
    std::vector<Gen::Donor> donors(static_cast<size_t>(o.donors));
    rows.clear();
    const std::string donor_insert =
        "INSERT INTO blood_donors (club_id, name, phone, sex, birth_date, weight_class, blood_group, phenotype, "
        "phenotype_tested_on, phenotype_lab, district, commune, on_call, availability, consent_join_on, "
        "consent_health_on, consent_call_on, consent_location_on, callable, last_donation_on, last_donation_type, "
        "next_eligible_on, eligible_until, contacts, accepted, response_bp, last_contacted_at, created_at, "
        "updated_at) VALUES ";
    constexpr size_t kDonorCols = 29, kChunk = 10'000;  // donors written a chunk at a time
    rows.reserve(kChunk * kDonorCols);
    const Date first_join{std::chrono::year{2016}, std::chrono::month{1}, std::chrono::day{1}};
    const int join_span = rules::days_between(first_join, today);
    for (size_t i = 0; i < donors.size(); ++i) {
      Gen::Donor& d = donors[i];
      bool female = chance(rng, 450);
      d.sex = female ? "female" : "male";
      std::string given = pick(rng, kGiven);
      d.name = std::string(pick(rng, kFamily)) + " " + (female ? (chance(rng, 600) ? "Thị" : pick(rng, kMiddle)) : pick(rng, kMiddle)) +
               " " + given;
      char phone[24];
      std::snprintf(phone, sizeof phone, "+8498%07zu", i);
      d.phone = phone;
      // Ages: 96 % 18–60, 2 % 16–17 (registered early), 2 % 61–64 (aged out).
      int age_roll = static_cast<int>(rng() % 100);
      int lo = 18 * 365 + 5, hi = 61 * 365 - 5;
      if (age_roll < 2) lo = 16 * 365 + 5, hi = 18 * 365 - 5, ++st.out_of_age;
      else if (age_roll < 4) lo = 61 * 365 + 5, hi = 65 * 365 - 5, ++st.out_of_age;
      Date birth = rules::add_days(today, -(lo + static_cast<int>(rng() % static_cast<uint64_t>(hi - lo))));
      d.birth = to_iso(birth);
      int w = static_cast<int>(rng() % 100);
      d.weight = w < 3 ? "<42" : w < 10 ? "42-45" : w < 30 ? "45-50" : ">=50";
      // Consents: health 95 %, location 92 %, call 90 %; on call 85 % of all (only with the call
      // consent).
      d.joined = rules::add_days(first_join, static_cast<int>(rng() % static_cast<uint64_t>(join_span)));
      d.health = chance(rng, 950);
      d.location = chance(rng, 920);
      d.call = chance(rng, 900);
      d.on_call = d.call && chance(rng, 944);
      if (d.health && chance(rng, 980)) {  // 2 % not yet tested
        int r = static_cast<int>(rng() % 100'000), acc = 0;
        for (const auto& g : kGroups) {
          acc += g.per_100k;
          if (r < acc) {
            d.group = rules::to_string(g.g);
            break;
          }
        }
        if (d.group.empty()) d.group = "O+";
        if (d.group.back() == '-') ++st.rh_neg;
        if (chance(rng, 20)) {  // extended phenotype, 2 %
          for (size_t a = 0; a < kAntigenCount; ++a)
            d.phenotype[a] = chance(rng, 50) ? '?' : chance(rng, kAntigenPositive[a]) ? '+' : '-';
          d.tested_on = to_iso(rules::add_days(d.joined, static_cast<int>(rng() % 60)));
          if (d.tested_on > to_iso(today)) d.tested_on = to_iso(today);
          d.lab = "Viện Huyết học – Truyền máu Trung ương";
          ++st.typed;
        }
      }
      if (d.location) {
        int r = static_cast<int>(rng() % 1000), acc = 0;
        for (const auto& k : kDistricts) {
          acc += k.per_mille;
          if (r < acc) {
            d.district = k.name;
            break;
          }
        }
        if (d.district.empty()) d.district = kDistricts[0].name;
        d.commune = pick(rng, kCommunes);
      }
      if (d.on_call) d.availability = chance(rng, 500) ? "tối thứ 2–6, cuối tuần" : "";

      // Donations: 30 % in the last 12 weeks (half of them with one before), 45 % of the others
      // one 12 weeks – 2 years ago. Never before the 18th birthday.
      auto type_of = [&]() {
        int t = static_cast<int>(rng() % 100);
        return t < 88 ? DonationType::whole_blood : t < 90 ? DonationType::apheresis_red_cells : t < 97 ? DonationType::platelets
                                                                                                      : DonationType::plasma;
      };
      const Date adult = add_years(birth, 18);
      Date latest{};
      bool has = false;
      if (chance(rng, 300)) {
        latest = rules::add_days(today, -(1 + static_cast<int>(rng() % 83)));
        has = true;
      } else if (chance(rng, 450)) {
        latest = rules::add_days(today, -(84 + static_cast<int>(rng() % 640)));
        has = true;
      }
      if (has && latest >= adult && latest < add_years(birth, 61)) {
        Gen::Donation last{latest, type_of()};
        if (latest > rules::add_days(today, -84) && chance(rng, 500)) {
          DonationType t = type_of();
          Date before = rules::add_days(latest, -(rules::interval_days(t, reg) + static_cast<int>(rng() % 300)));
          if (before >= adult) d.donations.push_back({before, t});
        }
        d.donations.push_back(last);
        if (latest > rules::add_days(today, -84)) ++st.recent;
      }
      // Deferrals: 5 % deferred now, 3 % with one that has ended.
      auto cls_of = [&]() {
        int c = static_cast<int>(rng() % 100);
        return c < 15 ? DeferralClass::months_12 : c < 40 ? DeferralClass::months_6 : c < 75 ? DeferralClass::weeks_4 : DeferralClass::days_7;
      };
      if (d.health && chance(rng, 53)) {
        DeferralClass c = cls_of();
        int len = rules::days_between(today, rules::deferral_end(c, today));
        Date from = rules::add_days(today, -static_cast<int>(rng() % static_cast<uint64_t>(len)));
        d.deferrals.push_back({c, from, rules::deferral_end(c, from)});
        ++st.deferred;
      } else if (d.health && chance(rng, 30)) {
        DeferralClass c = cls_of();
        Date from = rules::add_days(today, -(400 + static_cast<int>(rng() % 300)));
        d.deferrals.push_back({c, from, rules::deferral_end(c, from)});
      }
      // Call history: 20 % were called for 1–5 past requests, each once or twice (no answer
      // first), accepting with a propensity of their own. Only donors who can be called.
      if (d.call && chance(rng, 222)) {
        int k = 1 + static_cast<int>(rng() % 5);
        int propensity = static_cast<int>(rng() % 1000);
        std::set<size_t> used;
        while (static_cast<int>(used.size()) < k) used.insert(static_cast<size_t>(rng() % past_ids.size()));
        for (size_t p : used) {
          int64_t at = past_at[p] + static_cast<int64_t>(rng() % 7200);
          if (chance(rng, 200)) d.calls.push_back({p, CallOutcome::no_answer, at}), at += 600;
          CallOutcome oc = chance(rng, propensity) ? CallOutcome::accepted : chance(rng, 500) ? CallOutcome::declined : CallOutcome::no_answer;
          d.calls.push_back({p, oc, at});
        }
        ++st.with_calls;
        st.calls += static_cast<int64_t>(d.calls.size());
      }

      // Derived columns, as Store::refresh computes them.
      rules::EligibilityFacts f;
      f.sex = female ? Sex::female : Sex::male;
      f.birth_date = birth;
      f.weight = *rules::parse_weight_class(d.weight);
      for (const auto& x : d.donations) f.donations.push_back({x.on, x.type});
      for (const auto& x : d.deferrals) f.deferrals.push_back({x.cls, x.from, x.to});
      rules::Standing s = rules::standing(f, today);
      if (!s.next_eligible_on) ++st.no_weight;
      std::optional<rules::DonationFact> last;
      for (const auto& x : f.donations)
        if (!last || x.on > last->on || (x.on == last->on && rules::interval_days(x.type, reg) > rules::interval_days(last->type, reg)))
          last = x;
      std::set<size_t> contacted, accepted;
      int64_t last_at = 0;
      for (const auto& c : d.calls) {
        contacted.insert(c.request);
        if (c.outcome == CallOutcome::accepted || c.outcome == CallOutcome::donated) accepted.insert(c.request);
        last_at = std::max(last_at, c.at);
      }
      const int64_t contacts = static_cast<int64_t>(contacted.size()), acc = static_cast<int64_t>(accepted.size());
      const bool callable = d.health && d.call && d.on_call;
      st.callable += callable;
      st.donations += static_cast<int64_t>(d.donations.size());
      const std::string joined = to_iso(d.joined);
      const int64_t created = unix_of(d.joined) + 9 * 3600;
      rows.insert(rows.end(),
                  {Value(club), Value(d.name), Value(d.phone), Value(d.sex), Value(d.birth), Value(d.weight), db::nullable(d.group),
                   Value(d.phenotype), db::nullable(d.tested_on), Value(d.lab), Value(d.district), Value(d.commune),
                   Value(int64_t{d.on_call}), Value(d.availability), Value(joined), d.health ? Value(joined) : Value(nullptr),
                   d.call ? Value(joined) : Value(nullptr), d.location ? Value(joined) : Value(nullptr), Value(int64_t{callable}),
                   last ? Value(to_iso(last->on)) : Value(nullptr), last ? Value(std::string(rules::to_string(last->type))) : Value(nullptr),
                   s.next_eligible_on ? Value(to_iso(*s.next_eligible_on)) : Value(nullptr), Value(to_iso(s.eligible_until)),
                   Value(contacts), Value(acc), Value(rules::response_bp(contacts, acc)), Value(last_at), Value(created), Value(created)});
      if (rows.size() >= kChunk * kDonorCols || i + 1 == donors.size()) {
        CHIDOAN_TRY_VOID(insert_rows(conn, donor_insert, kDonorCols, rows));
        rows.clear();
      }
    }
    rows = {};
    CHIDOAN_TRY(ids, conn.query("SELECT id, phone FROM blood_donors WHERE club_id = ?1", {club}));
    std::vector<int64_t> id_of(donors.size(), 0);
    for (const auto& r : ids) id_of.at(static_cast<size_t>(std::stoll(r.str(1).substr(5)))) = r.i64(0);
    if (ids.size() != donors.size()) return fail(ErrorKind::internal, "donor ids");

    std::vector<Value> dons, defs, calls;
    for (size_t i = 0; i < donors.size(); ++i) {
      const Gen::Donor& d = donors[i];
      for (const auto& x : d.donations)
        dons.insert(dons.end(), {Value(id_of[i]), Value(to_iso(x.on)), Value(std::string(rules::to_string(x.type))),
                                 x.type == DonationType::whole_blood ? Value(int64_t{i % 3 == 0 ? 250 : i % 3 == 1 ? 350 : 450}) : Value(nullptr),
                                 Value(std::string(i % 2 ? "Điểm hiến máu Nhà Văn hóa Lao động" : "Bệnh viện Đa khoa tỉnh Lâm Đồng")),
                                 Value(unix_of(x.on) + 10 * 3600)});
      for (const auto& x : d.deferrals)
        defs.insert(defs.end(), {Value(id_of[i]), Value(std::string(rules::to_string(x.cls))), Value(to_iso(x.from)), Value(to_iso(x.to)),
                                 Value(unix_of(x.from) + 10 * 3600)});
      for (const auto& c : d.calls)
        calls.insert(calls.end(), {Value(past_ids[c.request]), Value(id_of[i]), Value(std::string(rules::to_string(c.outcome))), Value(c.at),
                                   Value(user)});
    }
    CHIDOAN_TRY_VOID(insert_rows(conn, "INSERT INTO blood_donations (donor_id, on_date, type, volume_ml, place, recorded_at) VALUES ", 6, dons));
    CHIDOAN_TRY_VOID(insert_rows(conn, "INSERT INTO blood_deferrals (donor_id, class, starts_on, ends_on, recorded_at) VALUES ", 5, defs));
    CHIDOAN_TRY_VOID(insert_rows(conn, "INSERT INTO blood_calls (request_id, donor_id, outcome, at, logged_by) VALUES ", 5, calls));

    // The benchmark's requests, open, through the store.
    for (int i = 0; i < o.requests; ++i) {
      RequestInput in;
      in.hospital = kHospitals[static_cast<size_t>(i) % std::size(kHospitals)];
      in.recipient_group = rules::to_string(kAllGroups[static_cast<size_t>(i % 8)]);
      in.component = rules::to_string(static_cast<Component>((i / 8) % 4));
      in.units = 1 + i % 4;
      in.needed_by = to_iso(rules::add_days(today, i % 8));
      if ((i / 32) % 2 == 1) in.district = kDistricts[static_cast<size_t>(i / 3) % std::size(kDistricts)].name;
      if (i % 5 == 3) in.antigen_negatives = kAntigenSets[static_cast<size_t>(i / 5) % kAntigenSets.size()];
      in.contact_name = "BS. Nguyễn Văn Khoa";
      in.contact_phone = "+842633822" + std::to_string(100 + i);
      CHIDOAN_TRY_VOID(store.create_request(club, in, user));
    }
    return {};
  }));
  const double secs = seconds_since(t0);
  std::fprintf(stderr,
               "    generated %lld donors in %.1f s: %lld callable, %lld RhD−, %lld with an extended phenotype, %lld donated in the "
               "last 12 weeks (%lld donations), %lld deferred now, %lld never eligible (weight), %lld outside 18–60, %lld with call "
               "history (%lld calls); %d requests\n",
               static_cast<long long>(o.donors), secs, static_cast<long long>(st.callable), static_cast<long long>(st.rh_neg),
               static_cast<long long>(st.typed), static_cast<long long>(st.recent), static_cast<long long>(st.donations),
               static_cast<long long>(st.deferred), static_cast<long long>(st.no_weight), static_cast<long long>(st.out_of_age),
               static_cast<long long>(st.with_calls), static_cast<long long>(st.calls), o.requests);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f s", secs);
  out.text = buf;
  return out;
}

// ---- checks ----

// The derived columns written by the generator equal what Store::refresh computes, for `n`
// donors spread over the club (refresh runs in a transaction that is rolled back).
std::string check_refresh(db::Connection& conn, const Clock& clock, int64_t club, int n, bool& ok) {
  constexpr const char* kDerived =
      "SELECT callable, last_donation_on, last_donation_type, next_eligible_on, eligible_until, contacts, accepted, response_bp, "
      "last_contacted_at FROM blood_donors WHERE id = ?1";
  auto ids = must(conn.query("SELECT id FROM blood_donors WHERE club_id = ?1 ORDER BY id", {club}), "donor ids");
  int checked = 0, wrong = 0;
  std::string first;
  auto r = conn.transaction([&]() -> Result<void> {
    Store store(conn, clock);
    for (int k = 0; k < n && !ids.empty(); ++k) {
      int64_t id = ids[static_cast<size_t>(k) * ids.size() / static_cast<size_t>(n)].i64(0);
      CHIDOAN_TRY(before, conn.query_one(kDerived, {id}));
      CHIDOAN_TRY_VOID(store.refresh(id));
      CHIDOAN_TRY(after, conn.query_one(kDerived, {id}));
      ++checked;
      for (size_t c = 0; c < before->size(); ++c)
        if (before->str(c) != after->str(c)) {
          if (wrong++ == 0) first = "donor " + std::to_string(id) + " column " + std::to_string(c) + ": " + before->str(c) + " != " + after->str(c);
          break;
        }
    }
    return fail(ErrorKind::conflict, "rollback");
  });
  if (r || r.error().message != "rollback") die("refresh check", r ? Error{ErrorKind::internal, "committed", ""} : r.error());
  ok = wrong == 0;
  std::fprintf(stderr, "    derived columns = Store::refresh for %d of %d donors%s%s\n", checked - wrong, checked, wrong ? "; first: " : "",
               first.c_str());
  return std::to_string(checked - wrong) + "/" + std::to_string(checked) + " refresh";
}

rules::MatchQuery query_of(const BloodRequest& r, Date today) {
  rules::MatchQuery q;
  q.recipient = *rules::parse_group(r.recipient_group);
  q.component = *rules::parse_component(r.component);
  q.needed_by = *parse_date(r.needed_by);
  q.today = today;
  q.district = r.district;
  for (const auto& a : r.antigen_negatives) q.antigen_negatives.push_back(*rules::parse_antigen(a));
  return q;
}

std::string describe(const BloodRequest& r) {
  std::string s = r.recipient_group + " " + r.component + (r.district.empty() ? "" : " in " + r.district);
  if (!r.antigen_negatives.empty()) {
    s += " lacking";
    for (const auto& a : r.antigen_negatives) s += " " + a;
  }
  return s + " by " + r.needed_by;
}

bool same(const Match& a, const Match& b) {
  return a.donor_id == b.donor_id && a.group == b.group && a.eligible_from == b.eligible_from && a.exact == b.exact &&
         a.same_district == b.same_district && a.response_bp == b.response_bp;
}

// ---- one engine ----

void run_engine(const std::string& url, db::Engine engine, const Options& o, bool cached_ok, Figures& f) {
  FixedClock clock(std::chrono::sys_days{std::chrono::year{2021} / 9 / 15});
  const Date today = chidoan::today(clock);
  int64_t club = 0;
  {
    auto conn = must(db::Connection::open(url), "open " + url);
    must(db::migrate(*conn), "migrate");
    auto found = must(conn->query_one("SELECT id FROM blood_clubs WHERE name = ?1", {std::string(kClubName)}), "find club");
    if (found && cached_ok) {
      club = found->i64(0);
      f.generation = "cached";
    } else {
      if (found || must(conn->query_one("SELECT 1 FROM orgs WHERE code = ?1", {std::string(kOrgCode)}), "find org"))
        die("data", Error{ErrorKind::invalid, "a stale or partial bench database: use --regen", ""});
      if (engine == db::Engine::sqlite) must(conn->exec_script("PRAGMA cache_size=-262144;"), "cache_size");
      auto g = must(generate(*conn, clock, o), "generate");
      club = g.club_id;
      f.generation = g.text;
      if (engine == db::Engine::postgres) {
        auto t1 = std::chrono::steady_clock::now();
        must(conn->exec_script("ANALYZE"), "analyze");
        f.generation += " + ANALYZE " + std::to_string(static_cast<int>(seconds_since(t1) + 0.5)) + " s";
      } else {
        must(conn->exec_script("PRAGMA wal_checkpoint(TRUNCATE);"), "checkpoint");
      }
    }
  }

  // Timing, on a fresh connection (empty statement cache).
  auto conn = must(db::Connection::open(url), "open " + url);
  Store store(*conn, clock);
  std::vector<BloodRequest> reqs;
  for (const auto& r : must(conn->query("SELECT id FROM blood_requests WHERE club_id = ?1 AND status = 'open' ORDER BY id", {club}), "requests"))
    reqs.push_back(must(store.request(r.i64(0)), "request"));
  if (reqs.empty()) die("requests", Error{ErrorKind::internal, "no open requests in the bench club", ""});
  f.requests = static_cast<int>(reqs.size());
  std::vector<std::vector<Match>> answer(reqs.size());
  std::vector<double> first_ms(reqs.size());
  for (size_t i = 0; i < reqs.size(); ++i) {  // warm-up: one pass
    auto t0 = std::chrono::steady_clock::now();
    answer[i] = must(store.match(reqs[i], o.limit), "match");
    first_ms[i] = Ms(std::chrono::steady_clock::now() - t0).count();
  }
  std::vector<double> lat;
  lat.reserve(static_cast<size_t>(o.calls));
  std::vector<std::vector<double>> per_request(reqs.size());
  int64_t unstable = 0;
  for (int c = 0; c < o.calls; ++c) {
    size_t i = static_cast<size_t>(c) % reqs.size();
    auto t0 = std::chrono::steady_clock::now();
    auto m = must(store.match(reqs[i], o.limit), "match");
    double ms = Ms(std::chrono::steady_clock::now() - t0).count();
    lat.push_back(ms);
    per_request[i].push_back(ms);
    if (m.size() != answer[i].size() || !std::equal(m.begin(), m.end(), answer[i].begin(), same)) ++unstable;
  }
  f.calls = o.calls;
  f.p50 = percentile(lat, 50);
  f.p99 = percentile(lat, 99);
  f.max = *std::max_element(lat.begin(), lat.end());
  std::fprintf(stderr, "    match(limit %zu): %d requests, warm-up pass (first call of each) median %.2f ms, max %.2f ms; %d calls: p50 %.2f ms, "
               "p99 %.2f ms, max %.2f ms\n",
               o.limit, f.requests, bench::median(first_ms), *std::max_element(first_ms.begin(), first_ms.end()), f.calls, f.p50, f.p99, f.max);
  {
    std::vector<std::pair<double, size_t>> slow;
    for (size_t i = 0; i < reqs.size(); ++i) slow.push_back({bench::median(per_request[i]), i});
    std::sort(slow.rbegin(), slow.rend());
    std::fprintf(stderr, "    slowest requests (median of their calls):");
    for (size_t k = 0; k < std::min<size_t>(5, slow.size()); ++k)
      std::fprintf(stderr, "%s %.2f ms %s", k ? ";" : "", slow[k].first, describe(reqs[slow[k].second]).c_str());
    std::fprintf(stderr, "\n");
  }

  // Checks: the candidates read back with their real consents.
  auto t0 = std::chrono::steady_clock::now();
  auto rows = must(conn->query("SELECT id, blood_group, district, consent_join_on, consent_health_on, consent_call_on, on_call, phenotype, "
                               "next_eligible_on, eligible_until, contacts, accepted, last_contacted_at FROM blood_donors WHERE club_id = ?1",
                               {club}),
                   "candidates");
  std::vector<rules::Candidate> all;
  all.reserve(rows.size());
  std::unordered_map<int64_t, size_t> at;
  for (const auto& r : rows) {
    rules::Candidate c;
    c.donor_id = r.i64(0);
    if (!r.is_null(1)) c.group = *rules::parse_group(r.str(1));
    c.district = r.str(2);
    c.consent_join = !r.is_null(3);
    c.consent_health = !r.is_null(4);
    c.consent_call = !r.is_null(5);
    c.on_call = r.i64(6) != 0;
    c.phenotype = r.str(7);
    c.next_eligible_on = parse_date(r.str(8));
    c.eligible_until = *parse_date(r.str(9));
    c.contacts = r.i64(10);
    c.accepted = r.i64(11);
    c.last_contacted_at = r.i64(12);
    at[c.donor_id] = all.size();
    all.push_back(std::move(c));
  }
  f.donors = static_cast<int64_t>(all.size());
  int admissible_ok = 0, ranked_ok = 0, ranked_checked = 0;
  size_t fewest = SIZE_MAX;
  int short_answers = 0, empty_answers = 0;
  std::string none;  // the requests without any admissible donor
  std::string first_wrong;
  auto wrong = [&](const std::string& s) {
    if (first_wrong.empty()) first_wrong = s;
  };
  std::set<size_t> rank_sample;
  for (int k = 0; k < std::min(o.rank_check, f.requests); ++k) rank_sample.insert(static_cast<size_t>(k) * reqs.size() / static_cast<size_t>(std::min(o.rank_check, f.requests)));
  for (size_t i = 0; i < reqs.size(); ++i) {
    rules::MatchQuery q = query_of(reqs[i], today);
    size_t n_adm = 0;
    for (const auto& c : all) n_adm += rules::admissible(q, c);
    fewest = std::min(fewest, n_adm);
    if (n_adm == 0) none += (empty_answers++ ? "; " : "") + describe(reqs[i]);
    short_answers += n_adm < o.limit;
    bool good = answer[i].size() == std::min(o.limit, n_adm);
    if (!good) wrong("request " + std::to_string(reqs[i].id) + " (" + describe(reqs[i]) + "): " + std::to_string(answer[i].size()) +
                     " matches of " + std::to_string(n_adm) + " admissible");
    std::set<int64_t> seen;
    for (const auto& m : answer[i]) {
      auto it = at.find(m.donor_id);
      if (it == at.end() || !rules::admissible(q, all[it->second]) || !seen.insert(m.donor_id).second ||
          m.response_bp != rules::response_bp(all[it->second].contacts, all[it->second].accepted)) {
        good = false;
        wrong("request " + std::to_string(reqs[i].id) + ": donor " + std::to_string(m.donor_id) + " not admissible (or repeated)");
      }
    }
    admissible_ok += good;
    if (rank_sample.count(i)) {
      ++ranked_checked;
      auto full = rules::rank(q, all);
      if (full.size() > o.limit) full.resize(o.limit);
      if (full.size() == answer[i].size() && std::equal(full.begin(), full.end(), answer[i].begin(), same)) ++ranked_ok;
      else wrong("request " + std::to_string(reqs[i].id) + " (" + describe(reqs[i]) + "): not the top " + std::to_string(o.limit) + " of rules::rank");
    }
  }
  bool refresh_ok = false;
  std::string refresh_text = check_refresh(*conn, clock, club, o.refresh_check, refresh_ok);
  f.ok = unstable == 0 && admissible_ok == f.requests && ranked_ok == ranked_checked && refresh_ok;
  f.checked = f.ok ? std::to_string(admissible_ok) + " admissible, " + std::to_string(ranked_ok) + " ranked, " + refresh_text
                   : "WRONG: " + std::to_string(admissible_ok) + "/" + std::to_string(f.requests) + " admissible, " + std::to_string(ranked_ok) +
                         "/" + std::to_string(ranked_checked) + " ranked, " + refresh_text + (unstable ? ", unstable answers" : "");
  std::fprintf(stderr,
               "    check (%.1f s): %d/%d answers admissible and complete, %d/%d equal to rules::rank over all %lld donors, %lld calls with "
               "another answer than the first; fewest admissible for a request %zu, %d requests with fewer than %zu (%d with none)%s%s\n",
               seconds_since(t0), admissible_ok, f.requests, ranked_ok, ranked_checked, static_cast<long long>(f.donors),
               static_cast<long long>(unstable), fewest, short_answers, o.limit, empty_answers, first_wrong.empty() ? "" : "; first problem: ",
               first_wrong.c_str());
  if (!none.empty()) std::fprintf(stderr, "    without any admissible donor: %s\n", none.c_str());
  if (engine == db::Engine::sqlite) must(conn->exec_script("PRAGMA wal_checkpoint(TRUNCATE);"), "checkpoint");
}

}  // namespace

int main(int argc, char** argv) {
  chidoan::bench::program = "blood_bench";
  Options o;
  CLI::App app{"Blood club matching benchmark (issue 5): Store::match among 100,000 donors; SQLite and PostgreSQL"};
  bench::add_engine_options(app, o, "SQLite file (generated when missing or made with other sizes or schema)",
                            "database chidoan_bloodbench is recreated");
  app.add_option("--donors", o.donors, "donors of the club");
  app.add_option("--requests", o.requests, "open requests, cycled through (at least 1)");
  app.add_option("--calls", o.calls, "timed match calls after the warm-up pass");
  app.add_option("--limit", o.limit, "matches per call");
  app.add_option("--rank-check", o.rank_check, "requests whose answer is compared with rules::rank over the whole club");
  app.add_option("--refresh-check", o.refresh_check, "donors whose derived columns are compared with Store::refresh");
  CLI11_PARSE(app, argc, argv);
  if (o.donors < 100 || o.requests < 1 || o.calls < 1 || o.limit < 1 || o.rank_check < 0 || o.refresh_check < 0)
    return std::cerr << "bad sizes\n", 2;

  const std::string cache_key = "gen=" + std::to_string(kGeneratorVersion) + " seed=" + std::to_string(o.seed) + " donors=" + std::to_string(o.donors) +
                       " requests=" + std::to_string(o.requests) + " schema=" + schema_key();
  auto all = bench::on_each_engine<Figures>(o, cache_key, "chidoan_bloodbench", true, [&](const bench::EngineRun& e) {
    Figures f;
    run_engine(e.url, e.engine, o, e.cache && e.cache->cached, f);
    return f;
  });

  bool met = !all.empty(), sound = true;
  std::cout << "\n| engine | donors | generation | requests | calls | p50 | p99 | max | checked |\n"
               "|---|---:|---:|---:|---:|---:|---:|---:|---|\n";
  for (const auto& f : all) {
    std::cout << "| " << f.engine << " | " << thousands(f.donors) << " | " << f.generation << " | " << f.requests << " | " << thousands(f.calls)
              << " | " << fmt(f.p50) << " | " << fmt(f.p99) << " | " << fmt(f.max) << " | " << f.checked << " |\n";
    met = met && f.p99 <= 10;
    sound = sound && f.ok;
  }
  std::cout << "\nTargets (issue 5): matching p99 ≤ 10 ms: " << (met ? "met" : "MISSED") << "; answers: " << (sound ? "correct" : "WRONG")
            << "\n";
  return sound ? 0 : 1;
}
