// The automatic duty roster (issue 6): an exact mixed-integer programme solved by COIN-OR CBC.
//
// Semantics
// ---------
// Input: the shifts of a roster period, the volunteers and the rules. Times are unix seconds;
// days and weeks are counted in Vietnam's local time (UTC+7, no daylight saving): the local day
// of t is floor((t + 7·3600) / 86400), day 0 (1970-01-01) being a Thursday, and weeks are ISO
// weeks, Monday to Sunday. A shift's length counts in whole minutes, (end − start) / 60 rounded
// down.
//
// Fixed volunteers (`Shift::fixed`, existing sign-ups) stay where they are. They count toward the
// shift's staff, the volunteer's minutes, weekly cap, double booking and rest. The solver only
// adds people: to each shift it adds exactly max(0, min_staff − |fixed|) volunteers, so it never
// goes above max_staff (min_staff ≤ max_staff) and adds nobody where the sign-ups already reach
// the minimum. A volunteer may be added to shift s only when
//   - s is in their `available` list and they are not already on s;
//   - their shifts (fixed and added) in the ISO week of s's start number at most
//     rules.max_shifts_per_week;
//   - no two of their shifts a, b (fixed ones included) clash: they clash when
//     a.start < b.end + rest and b.start < a.end + rest, rest = rules.min_rest_minutes minutes,
//     i.e. they overlap or the gap between the end of one and the start of the next is shorter
//     than the rest.
// Objective, lexicographic: (1) minimise Σ over every volunteer of (minutes on duty in the period,
// fixed + added)². The number of people added to each shift is fixed, so the total minutes are
// fixed and this is the minimum variance of the volunteers' hours: the fairest spread.
// (2) Among those rosters, maximise the assignments (fixed + added) on a shift the volunteer
// prefers. Remaining ties are broken by CBC, deterministically: the same input gives the same
// roster. `Solution::added` is sorted by shift id, then volunteer id.
//
// Errors come back as the Shortfall list and nothing is half-written:
//   - input errors (needed = 0): a shift outside the years 1970–9999, ending less than a minute
//     after its start or lasting more than 24 hours, min_staff < 0, min_staff > max_staff, a
//     duplicate shift or volunteer id, a fixed volunteer listed twice on a shift or missing from
//     the volunteers, an available shift that does not exist, a preferred shift that is not
//     available, negative rules, and fixed sign-ups that already break the weekly cap or the rest
//     rule. shift_id is the shift concerned, or 0 when there is none.
//   - a shift that cannot be filled on its own (needed = missing people): fewer volunteers can
//     take it than it needs; the reason names those who can and, for the others who are
//     available, why they cannot (weekly cap reached or a clash with one of their fixed shifts).
//   - shifts that can each be filled but not together (Hall's condition fails): found as the
//     source side of a minimum cut of a flow network (below). Every shift of such a group gets an
//     entry with needed = the group's shortage (shared: the entries of one group carry the same
//     number and the same reason, naming the shifts, the people who can take them and the rules
//     that bind: weekly cap, rest, one seat per person per shift). A shift that is short on its
//     own and also in a group has both sentences and the sum.
//   - when no such cut exists but the programme is still infeasible (clash chains the flow cannot
//     express), the shortage is found exactly by a second programme minimising the people
//     missing; each shift left short gets needed = its missing people and a shared reason.
//   - CBC not proving optimality within 30 s, or answering twice with a point that breaks the
//     programme (below), gives one entry (shift 0, needed 0).
//
// Formulation (exact)
// -------------------
// Pre-processing: a binary x(v,s) exists only for the pairs that pass the per-pair rules against
// v's fixed shifts (available, not yet on s, no clash with a fixed shift, room left in the week)
// on shifts that need people. Constraints:
//   staff:  Σ_v x(v,s) = need(s) for every shift with need(s) > 0;
//   week:   Σ_{s in week w} x(v,s) ≤ cap − fixed(v,w), when v has more candidate pairs in w;
//   rest:   Σ_{s in K} x(v,s) ≤ 1 for every maximal clique K (size ≥ 2) of v's candidate shifts
//           in the clash graph. Clashing is overlap of the intervals [start, end + rest), so the
//           graph is an interval graph: its maximal cliques come from one sweep, and its clique
//           constraints describe its stable sets exactly (consecutive ones).
// Balance term. Let g be the gcd of all shift lengths in minutes ("units"), u(v) = v's minutes / g,
// F(v) its fixed part, c the mean of u rounded, q(u) = (u − c)². Since Σ_v u(v) is the same for
// every roster, Σ_v q(u(v)) orders rosters exactly as Σ_v u(v)² does, with smaller numbers. The
// added shifts of v are summarised by coordinates n: one per length class, n_k = how many added
// shifts of length L_k ("count" mode); or, past Tuning::max_hull_points points, one coordinate
// n_0 = the added units ("units" mode). A dynamic programme lists the points P(v): the
// n reachable by clash-free sets within each week's room, combined over the weeks (a superset of
// what v can really take, which is all exactness needs), with u(n) = F + Σ_k L_k·n_k ≤ t(v), the
// reach. Per volunteer:
//   Σ_{p∈P} λ_p + λ_b = 1, λ binary;
//   Σ_{s of class k} x(v,s)·step(s) = Σ_p n_k(p)·λ_p + m_k  for every coordinate k, 0 ≤ m_k;
//   Σ_k L_k·m_k ≥ (t − F)·λ_b;
//   cost W·q(u(p)) on λ_p, W·(q(t) + q'(t)·(F − t)) on λ_b, W·q'(t)·L_k on m_k.
// The points are the convex hull of (n, q(u(n))) per volunteer: much tighter than a hull over u
// alone, because it knows how many shifts of each length there are (with 4 h and 3.5 h shifts
// the 1-D hull mixes "one long shift" and "two short ones" freely). λ_b and m carry the tangent of
// q at t beyond the reach. Exactness: let h be q up to t and its tangent at t beyond; h is convex,
// h ≤ q, and h = q on [.., t]. Every way the programme can express a point costs at least W·h(u)
// (h is convex and no slope of it exceeds q'(t)), and the point itself costs W·q(u) when u ≤ t.
// So for an integer x the programme's cost of v is W·q(u(v)) if u(v) ≤ t(v) and between W·h and
// W·q beyond: a lower bound. The reach starts at c + Tuning::initial_reach longest shifts; when the
// optimum puts someone past their reach, their reach becomes their u and the programme is solved
// again. The last optimum has every cost exact while its programme under-estimates every other
// roster, so it is the true optimum.
// Lexicographic objective in one solve: minimise W·Σ_v cost_v − Σ_{preferred pairs} x, with
// W = Σ_s need(s) + 1. Proof: the balance term S = Σ_v q(u(v)) is an integer and the preferred
// count P of added pairs lies in [0, Σ need] = [0, W − 1]; if S1 < S2 then
// W·S1 − P1 ≤ W·S1 < W·S1 + W − (W − 1) ≤ W·S2 − P2, so a roster with a smaller S always wins
// and among equal S the larger P wins. Every coefficient is an integer, so the objective is an
// integer at every integer point: CBC stops once the gap is below 0.5 (absolute), which proves
// optimality, and discards nodes that cannot improve by a full unit ("increment" 0.9).
// A starting roster: a minimum-cost flow on the network below (the cost of a volunteer's k-th
// added shift is W times the growth of their units² at their mean candidate length; a seat on a
// shift they do not prefer costs 1), repaired and completed greedily where it breaks a clash the
// network cannot see, then improved by single replacements and pairwise swaps. CBC then solves
// the programme with one more row, objective ≤ (the start's objective) − 0.5: it looks only for
// strictly better rosters, and when there is none (the row makes the programme infeasible) the
// start is the optimum. An ordinary row, not CBC's own MIP start or cutoff (see below).
// CBC settings: single-threaded (its default), silent, a 30 s wall-clock limit per programme,
// knapsack cover cuts and preprocessing off, and its heuristics off when there is a start. The
// knapsack cover cuts of Debian's Cgl 0.60.3 are wrong on these programmes: the comparison with
// brute force (solver_test.cpp, run in batches of 4,000 instances under three tunings) caught
// CBC calling worse rosters optimal, calling feasible programmes infeasible, returning points that
// break rows and hitting assertions in CLP, whatever else was set (MIP start, cutoff, objective
// row, with or without preprocessing and heuristics); with those cuts off, none of these. Still,
// every answer is checked against the programme's bounds, integrality and rows before it is used;
// a bad one is thrown away and the programme solved again without the start, and a second bad
// answer, like running out of time, is reported as a failure, never as a roster. Each CBC run
// happens in a child process (see "CBC in a child process"): CLP has also aborted on a programme
// only after other solves in the same process, so CBC carries state from one run to the next.
// With every run starting from the same state, the same input gives the same roster (checked by
// the tests and the benchmark).
//
// The flow network, for shortfalls and the start: source → shift s (capacity need(s), or its
// candidate count if smaller) → node (v, week, clash component) for each candidate pair
// (capacity 1: one seat per person per shift) → node (v, week) (capacity min(α, room): α the
// largest clash-free subset of the component, by the earliest-end greedy) → node v (capacity
// room = cap − fixed(v,w)) → sink (one unit edge per shift v may add, with the costs above).
// Every roster is a flow, so a flow short of the demand proves the roster impossible; the
// residual graph's source side gives the shifts that cannot be served together and the
// saturated edges leaving it the rules that bind. Where each clash component is a clique (the
// usual case: shifts of one day) the network is exact.
//
// Thread-safety: solve() may be called from several threads: CBC runs in a child process per run
// (see "CBC in a child process" below), and nothing else is shared.
#include "desk/solver.hpp"

#include <Cbc_C_Interface.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <deque>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <numeric>
#include <queue>
#include <optional>
#include <ranges>
#include <set>
#include <span>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "platform/core/date.hpp"

namespace chidoan::desk::solver {
namespace {

constexpr int64_t kUtcOffset = 7 * 3600;
constexpr int64_t kSecondsPerDay = 86'400;
constexpr int64_t kMaxShiftSeconds = kSecondsPerDay;
constexpr int64_t kLatest = 253'402'300'799;  // 9999-12-31 23:59:59 UTC: keeps every sum of times in range
constexpr const char* kTimeLimit = "30";  // seconds CBC may spend on one programme
constexpr int kChildSeconds = 40;         // then its process is killed
constexpr size_t kShownItems = 6;         // names or shifts listed in a reason before "và N … khác"

// ---------------------------------------------------------------------------------------------
// Local time

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
int64_t local_day(int64_t unix) { return floor_div(unix + kUtcOffset, kSecondsPerDay); }
// Day 0 was a Thursday, so day −3 was the Monday that starts week 0.
int64_t week_of(int64_t unix) { return floor_div(local_day(unix) + 3, 7); }
int64_t minutes_of(const Shift& s) { return (s.end - s.start) / 60; }

// ---------------------------------------------------------------------------------------------
// Vietnamese wording

std::string day_month_year(int64_t unix) {
  std::string t = local_time(unix);  // YYYY-MM-DDTHH:MM
  return t.substr(8, 2) + "/" + t.substr(5, 2) + "/" + t.substr(0, 4);
}
std::string hour_minute(int64_t unix) { return local_time(unix).substr(11, 5); }
std::string weekday(int64_t unix) {
  static const char* const kNames[] = {"Chủ nhật", "thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy"};
  int64_t d = local_day(unix) + 4;  // day 0 was a Thursday
  return kNames[((d % 7) + 7) % 7];
}

// "ca 07:30–11:30 thứ Ba 02/11/2021"; a shift over midnight names both days.
std::string shift_label(const Shift& s) {
  std::string from = hour_minute(s.start), to = hour_minute(s.end);
  if (local_day(s.start) == local_day(s.end - 1))
    return "ca " + from + "–" + to + " " + weekday(s.start) + " " + day_month_year(s.start);
  return "ca " + from + " " + weekday(s.start) + " " + day_month_year(s.start) + " – " + to + " " + weekday(s.end) + " " +
         day_month_year(s.end);
}

// "tuần 01/11–07/11/2021".
std::string week_label(int64_t week) {
  int64_t monday = (week * 7 - 3) * kSecondsPerDay - kUtcOffset;
  int64_t sunday = monday + 6 * kSecondsPerDay;
  return "tuần " + day_month_year(monday).substr(0, 5) + "–" + day_month_year(sunday);
}

// "A, B và C"; after kShownItems items, "A, B, …, F và 3 <noun> khác".
std::string join_list(const std::vector<std::string>& items, const std::string& noun) {
  if (items.empty()) return "";
  size_t shown = std::min(items.size(), kShownItems);
  std::string out;
  for (size_t i = 0; i < shown; ++i) {
    if (i > 0) out += (i + 1 == shown && shown == items.size()) ? " và " : ", ";
    out += items[i];
  }
  if (shown < items.size()) out += " và " + std::to_string(items.size() - shown) + " " + noun + " khác";
  return out;
}

std::string capitalised(std::string s) {
  if (s.rfind("ca ", 0) == 0) s[0] = 'C';
  return s;
}

// ---------------------------------------------------------------------------------------------
// Validation of the raw input

struct Validator {
  const std::vector<Shift>& shifts;
  const std::vector<Volunteer>& volunteers;
  const Rules& rules;
  std::vector<Shortfall> errors;

  void fail(int64_t shift_id, std::string reason) { errors.push_back({shift_id, 0, std::move(reason)}); }

  static std::string volunteer_name(const Volunteer& v) { return v.name.empty() ? "#" + std::to_string(v.id) : v.name; }

  void check_rules() {
    if (rules.max_shifts_per_week < 0) fail(0, "Số ca tối đa mỗi tuần không được âm");
    if (rules.min_rest_minutes < 0) fail(0, "Thời gian nghỉ tối thiểu giữa hai ca không được âm");
  }

  void check_shift(const Shift& s, const std::unordered_set<int64_t>& volunteer_ids) {
    if (s.start < 0 || s.start > kLatest || s.end < 0 || s.end > kLatest) fail(s.id, "Giờ của ca nằm ngoài khoảng cho phép (năm 1970–9999)");
    else if (s.end - s.start < 60) fail(s.id, "Giờ kết thúc của ca phải sau giờ bắt đầu (ca dài ít nhất 1 phút)");
    else if (s.end - s.start > kMaxShiftSeconds) fail(s.id, "Một ca không được dài quá 24 giờ");
    if (s.min_staff < 0) fail(s.id, "Số người tối thiểu của ca không được âm");
    if (s.min_staff > s.max_staff)
      fail(s.id, "Số người tối thiểu (" + std::to_string(s.min_staff) + ") lớn hơn số người tối đa (" +
                     std::to_string(s.max_staff) + ")");
    std::unordered_set<int64_t> seen;
    for (int64_t v : s.fixed) {
      if (!seen.insert(v).second) fail(s.id, "Tình nguyện viên #" + std::to_string(v) + " được ghi hai lần trong ca");
      else if (!volunteer_ids.contains(v))
        fail(s.id, "Tình nguyện viên #" + std::to_string(v) + " đã đăng ký ca nhưng không có trong danh sách tình nguyện viên");
    }
  }

  void check_volunteer(const Volunteer& v, const std::unordered_set<int64_t>& shift_ids) {
    std::unordered_set<int64_t> available(v.available.begin(), v.available.end());
    for (int64_t s : v.available)
      if (!shift_ids.contains(s))
        fail(0, volunteer_name(v) + " đăng ký rảnh cho ca #" + std::to_string(s) + " không có trong kỳ trực");
    for (int64_t s : v.preferred)
      if (!available.contains(s))
        fail(shift_ids.contains(s) ? s : 0,
             volunteer_name(v) + " muốn nhận ca #" + std::to_string(s) + " nhưng không đăng ký rảnh cho ca này");
  }

  std::vector<Shortfall> run() {
    check_rules();
    std::unordered_set<int64_t> shift_ids, volunteer_ids;
    for (const Volunteer& v : volunteers)
      if (!volunteer_ids.insert(v.id).second) fail(0, "Mã tình nguyện viên bị trùng: #" + std::to_string(v.id));
    for (const Shift& s : shifts) {
      if (!shift_ids.insert(s.id).second) fail(s.id, "Mã ca bị trùng: #" + std::to_string(s.id));
      check_shift(s, volunteer_ids);
    }
    for (const Volunteer& v : volunteers) check_volunteer(v, shift_ids);
    return std::move(errors);
  }
};

// ---------------------------------------------------------------------------------------------
// The indexed problem (REQUIRES: the input passed Validator)

struct Instance {
  const std::vector<Shift>& shifts;
  const std::vector<Volunteer>& volunteers;
  const Rules& rules;
  std::unordered_map<int64_t, int> volunteer_at;
  std::vector<int64_t> week;                         // per shift: ISO week of its start
  std::vector<int> need;                             // per shift: people to add
  std::vector<std::vector<int>> fixed_of;            // per volunteer: their fixed shifts
  std::vector<std::vector<int>> available;           // per volunteer: shifts, deduplicated, by start
  std::vector<std::unordered_set<int>> preferred;    // per volunteer
  std::vector<std::map<int64_t, int>> fixed_weekly;  // per volunteer: fixed shifts per week

  int64_t rest_seconds() const { return int64_t{rules.min_rest_minutes} * 60; }
  bool clash(int a, int b) const {
    const Shift &x = shifts[a], &y = shifts[b];
    return x.start < y.end + rest_seconds() && y.start < x.end + rest_seconds();
  }
  bool earlier(int a, int b) const {
    return std::tie(shifts[a].start, shifts[a].end, a) < std::tie(shifts[b].start, shifts[b].end, b);
  }
  int room(int v, int64_t w) const {
    auto it = fixed_weekly[v].find(w);
    return rules.max_shifts_per_week - (it == fixed_weekly[v].end() ? 0 : it->second);
  }
  std::string name(int v) const { return Validator::volunteer_name(volunteers[v]); }
  std::string label(int s) const { return shift_label(shifts[s]); }
};

Instance make_instance(const std::vector<Shift>& shifts, const std::vector<Volunteer>& volunteers, const Rules& rules) {
  Instance in{shifts, volunteers, rules, {}, {}, {}, {}, {}, {}, {}};
  std::unordered_map<int64_t, int> shift_at;
  for (size_t s = 0; s < shifts.size(); ++s) shift_at[shifts[s].id] = static_cast<int>(s);
  for (size_t v = 0; v < volunteers.size(); ++v) in.volunteer_at[volunteers[v].id] = static_cast<int>(v);
  const size_t nv = volunteers.size();
  in.fixed_of.resize(nv);
  in.available.resize(nv);
  in.preferred.resize(nv);
  in.fixed_weekly.resize(nv);
  for (size_t s = 0; s < shifts.size(); ++s) {
    in.week.push_back(week_of(shifts[s].start));
    in.need.push_back(std::max(0, shifts[s].min_staff - static_cast<int>(shifts[s].fixed.size())));
    for (int64_t id : shifts[s].fixed) {
      int v = in.volunteer_at.at(id);
      in.fixed_of[v].push_back(static_cast<int>(s));
      ++in.fixed_weekly[v][in.week[s]];
    }
  }
  for (size_t v = 0; v < nv; ++v) {
    std::set<int> unique;
    for (int64_t id : volunteers[v].available) unique.insert(shift_at.at(id));
    in.available[v].assign(unique.begin(), unique.end());
    std::ranges::sort(in.available[v], [&](int a, int b) { return in.earlier(a, b); });
    std::ranges::sort(in.fixed_of[v], [&](int a, int b) { return in.earlier(a, b); });
    for (int64_t id : volunteers[v].preferred) in.preferred[v].insert(shift_at.at(id));
  }
  return in;
}

// Fixed sign-ups that already break a hard rule: the roster cannot be completed around them.
std::vector<Shortfall> check_fixed(const Instance& in) {
  std::vector<Shortfall> errors;
  for (size_t v = 0; v < in.volunteers.size(); ++v) {
    const auto& mine = in.fixed_of[v];
    for (size_t i = 0; i < mine.size(); ++i)
      for (size_t j = i + 1; j < mine.size(); ++j)
        if (in.clash(mine[i], mine[j]))
          errors.push_back({in.shifts[mine[j]].id, 0,
                            in.name(static_cast<int>(v)) + " đã đăng ký hai ca trùng giờ hoặc cách nhau dưới " +
                                std::to_string(in.rules.min_rest_minutes) + " phút: " + in.label(mine[i]) + " và " +
                                in.label(mine[j])});
    for (auto [w, count] : in.fixed_weekly[v])
      if (count > in.rules.max_shifts_per_week) {
        auto last = std::ranges::find_if(mine | std::views::reverse, [&](int s) { return in.week[s] == w; });
        errors.push_back({in.shifts[*last].id, 0,
                          in.name(static_cast<int>(v)) + " đã đăng ký " + std::to_string(count) + " ca trong " +
                              week_label(w) + ", quá giới hạn " + std::to_string(in.rules.max_shifts_per_week) +
                              " ca/tuần"});
      }
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Candidate pairs

enum class Barrier { kWeekFull, kClash };
struct Excluded {
  int volunteer;
  Barrier barrier;
  int clash_with;  // the fixed shift, for kClash
};
struct Pair {
  int volunteer, shift;
  bool preferred;
};

struct Candidates {
  std::vector<Pair> pairs;                      // by volunteer, each volunteer's by start
  std::vector<std::vector<int>> of_shift;       // pair indices per shift
  std::vector<std::vector<int>> of_volunteer;   // pair indices per volunteer, by start
  std::vector<std::vector<Excluded>> excluded;  // per shift: available people the rules keep off

  // v's pairs grouped by week, in order.
  std::vector<std::vector<int>> weekly(const Instance& in, int v) const {
    std::vector<std::vector<int>> out;
    for (int p : of_volunteer[v]) {
      if (out.empty() || in.week[pairs[out.back().front()].shift] != in.week[pairs[p].shift]) out.emplace_back();
      out.back().push_back(p);
    }
    return out;
  }
};

std::optional<Excluded> barrier(const Instance& in, int v, int s) {
  if (in.room(v, in.week[s]) <= 0) return Excluded{v, Barrier::kWeekFull, -1};
  for (int f : in.fixed_of[v])
    if (in.clash(f, s)) return Excluded{v, Barrier::kClash, f};
  return std::nullopt;
}

Candidates find_candidates(const Instance& in) {
  Candidates c;
  c.of_shift.resize(in.shifts.size());
  c.of_volunteer.resize(in.volunteers.size());
  c.excluded.resize(in.shifts.size());
  for (size_t vi = 0; vi < in.volunteers.size(); ++vi) {
    int v = static_cast<int>(vi);
    for (int s : in.available[v]) {
      if (in.need[s] == 0 || std::ranges::count(in.fixed_of[v], s) > 0) continue;
      if (auto why = barrier(in, v, s)) {
        c.excluded[s].push_back(*why);
        continue;
      }
      int p = static_cast<int>(c.pairs.size());
      c.pairs.push_back({v, s, in.preferred[v].contains(s)});
      c.of_shift[s].push_back(p);
      c.of_volunteer[v].push_back(p);
    }
  }
  return c;
}

// ---------------------------------------------------------------------------------------------
// Shortfalls of single shifts

std::string names_of_pairs(const Instance& in, const Candidates& c, const std::vector<int>& pairs) {
  std::vector<std::string> names;
  for (int p : pairs) names.push_back(in.name(c.pairs[p].volunteer));
  return join_list(names, "người");
}

std::string exclusion_text(const Instance& in, const Excluded& e) {
  if (e.barrier == Barrier::kWeekFull)
    return in.name(e.volunteer) + " đã đủ " + std::to_string(in.rules.max_shifts_per_week) + " ca trong tuần";
  const std::string other = in.label(e.clash_with);
  if (in.rules.min_rest_minutes == 0) return in.name(e.volunteer) + " trùng giờ với " + other + " đã đăng ký";
  return in.name(e.volunteer) + " trùng giờ hoặc nghỉ chưa đủ " + std::to_string(in.rules.min_rest_minutes) + " phút so với " +
         other + " đã đăng ký";
}

std::string lone_reason(const Instance& in, const Candidates& c, int s) {
  const auto& can = c.of_shift[s];
  std::string text = "Ca cần thêm " + std::to_string(in.need[s]) + " người nhưng ";
  if (can.empty()) text += "không có ai rảnh có thể nhận";
  else text += "chỉ " + std::to_string(can.size()) + " người rảnh có thể nhận (" + names_of_pairs(in, c, can) + ")";
  const auto& off = c.excluded[s];
  if (!off.empty()) {
    text += "; " + std::to_string(off.size()) + (can.empty() ? " người rảnh bị loại: " : " người rảnh khác bị loại: ");
    for (size_t i = 0; i < std::min(off.size(), kShownItems); ++i) text += (i ? "; " : "") + exclusion_text(in, off[i]);
    if (off.size() > kShownItems) text += "; và " + std::to_string(off.size() - kShownItems) + " người khác";
  }
  return text + ".";
}

struct Report {
  std::map<int, Shortfall> by_shift;  // by shift index

  void add(const Instance& in, int s, int needed, const std::string& reason) {
    auto [it, fresh] = by_shift.try_emplace(s, Shortfall{in.shifts[s].id, 0, ""});
    it->second.needed += needed;
    it->second.reason += (fresh ? "" : " ") + reason;
  }
  std::vector<Shortfall> list() const {
    std::vector<Shortfall> out;
    for (const auto& [s, f] : by_shift) out.push_back(f);
    return out;
  }
};

// ---------------------------------------------------------------------------------------------
// Minimum-cost maximum flow: joint shortfalls and the starting roster

int64_t gcd_of_lengths(const Instance& in) {
  int64_t g = 0;
  for (const Shift& s : in.shifts) g = std::gcd(g, minutes_of(s));
  return std::max<int64_t>(g, 1);
}

int64_t fixed_minutes(const Instance& in, int v) {
  int64_t m = 0;
  for (int s : in.fixed_of[v]) m += minutes_of(in.shifts[s]);
  return m;
}

// Successive shortest paths (Dijkstra on reduced costs; every cost is ≥ 0). The graphs here have
// a few thousand edges and a flow of a few hundred units.
class MinCostFlow {
 public:
  explicit MinCostFlow(int nodes) : adjacent_(static_cast<size_t>(nodes)) {}

  int add_node() {
    adjacent_.emplace_back();
    return static_cast<int>(adjacent_.size()) - 1;
  }
  int add_edge(int from, int to, int capacity, int64_t cost = 0) {
    int e = static_cast<int>(edges_.size());
    edges_.push_back({to, capacity, capacity, cost});
    edges_.push_back({from, 0, 0, -cost});
    adjacent_[static_cast<size_t>(from)].push_back(e);
    adjacent_[static_cast<size_t>(to)].push_back(e + 1);
    return e;
  }
  // Sends as much as possible from source to sink at the least cost; returns the flow.
  int64_t run(int source, int sink) {
    const size_t n = adjacent_.size();
    std::vector<int64_t> potential(n, 0);
    int64_t total = 0;
    for (;;) {
      std::vector<int64_t> dist(n, kUnreached);
      std::vector<int> via(n, -1);
      using Entry = std::pair<int64_t, int>;
      std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;
      dist[static_cast<size_t>(source)] = 0;
      queue.push({0, source});
      while (!queue.empty()) {
        auto [d, u] = queue.top();
        queue.pop();
        if (d > dist[static_cast<size_t>(u)]) continue;
        for (int e : out(u)) {
          if (!open(e)) continue;
          const auto w = static_cast<size_t>(to(e));
          int64_t nd = d + edge(e).cost + potential[static_cast<size_t>(u)] - potential[w];
          if (nd < dist[w]) {
            dist[w] = nd;
            via[w] = e;
            queue.push({nd, to(e)});
          }
        }
      }
      if (dist[static_cast<size_t>(sink)] == kUnreached) return total;
      for (size_t v = 0; v < n; ++v)
        if (dist[v] != kUnreached) potential[v] += dist[v];
      int push = std::numeric_limits<int>::max();
      for (int v = sink; v != source; v = from(via[static_cast<size_t>(v)])) push = std::min(push, edge(via[static_cast<size_t>(v)]).left);
      for (int v = sink; v != source; v = from(via[static_cast<size_t>(v)])) {
        int e = via[static_cast<size_t>(v)];
        edges_[static_cast<size_t>(e)].left -= push;
        edges_[static_cast<size_t>(e ^ 1)].left += push;
      }
      total += push;
    }
  }
  int flow(int e) const { return edge(e).capacity - edge(e).left; }
  int from(int e) const { return edge(e ^ 1).to; }
  int to(int e) const { return edge(e).to; }
  int edge_count() const { return static_cast<int>(edges_.size()); }
  bool open(int e) const { return edge(e).left > 0; }
  const std::vector<int>& out(int node) const { return adjacent_[static_cast<size_t>(node)]; }
  int nodes() const { return static_cast<int>(adjacent_.size()); }

 private:
  static constexpr int64_t kUnreached = std::numeric_limits<int64_t>::max();
  struct Edge {
    int to, left, capacity;
    int64_t cost;
  };
  const Edge& edge(int e) const { return edges_[static_cast<size_t>(e)]; }

  std::vector<Edge> edges_;
  std::vector<std::vector<int>> adjacent_;
};

// The largest clash-free subset of `shifts` (earliest end first; shifts clash as intervals
// [start, end + rest)).
int max_clash_free(const Instance& in, std::vector<int> shifts) {
  std::ranges::sort(shifts, [&](int a, int b) { return in.shifts[a].end < in.shifts[b].end; });
  int taken = 0;
  std::optional<int64_t> free_from;
  for (int s : shifts)
    if (!free_from || in.shifts[s].start >= *free_from) {
      ++taken;
      free_from = in.shifts[s].end + in.rest_seconds();
    }
  return taken;
}

// Splits one volunteer-week's pairs (by start) into connected components of the clash graph.
std::vector<std::vector<int>> clash_components(const Instance& in, const Candidates& c, const std::vector<int>& pairs) {
  std::vector<std::vector<int>> out;
  int64_t reach = std::numeric_limits<int64_t>::min();
  for (int p : pairs) {
    const Shift& s = in.shifts[c.pairs[p].shift];
    if (out.empty() || s.start >= reach) out.emplace_back();
    out.back().push_back(p);
    reach = std::max(reach, s.end + in.rest_seconds());
  }
  return out;
}

enum class Bind { kSupply, kSeat, kRest, kWeek };

struct Network {
  MinCostFlow flow{2};
  int source = 0, sink = 1;
  std::vector<int> supply;                 // per shift: the source → shift edge, or −1
  std::unordered_map<int, Bind> bind;      // forward edge → the rule it stands for
  std::unordered_map<int, int> seat_pair;  // shift → group edge → pair
};

// The last layer, volunteer → sink, has one unit edge per shift they may add, each costing W
// times the growth of (their units)² when every added shift has their mean candidate length; a
// seat costs 1 unless the shift is preferred. The flow's cost is then a count-based estimate of
// the objective, good enough for a starting roster.
void add_volunteer_edges(Network& net, const Instance& in, const Candidates& c, int v, int volunteer_node, int slots) {
  const int64_t weight = std::accumulate(in.need.begin(), in.need.end(), int64_t{0}) + 1;
  const int64_t unit = gcd_of_lengths(in);
  int64_t sum = 0;
  for (int p : c.of_volunteer[v]) sum += minutes_of(in.shifts[c.pairs[p].shift]) / unit;
  const int64_t mean = sum / static_cast<int64_t>(c.of_volunteer[v].size());
  const int64_t base = fixed_minutes(in, v) / unit;
  for (int k = 0; k < slots; ++k) {
    int64_t before = base + k * mean, after = before + mean;
    net.bind[net.flow.add_edge(volunteer_node, net.sink, 1, weight * (after * after - before * before))] = Bind::kWeek;
  }
}

Network build_network(const Instance& in, const Candidates& c, const std::vector<int>& demand) {
  Network net;
  std::vector<int> shift_node(in.shifts.size(), -1);
  net.supply.assign(in.shifts.size(), -1);
  for (size_t s = 0; s < in.shifts.size(); ++s)
    if (demand[s] > 0) {
      shift_node[s] = net.flow.add_node();
      net.supply[s] = net.flow.add_edge(net.source, shift_node[s], demand[s]);
      net.bind[net.supply[s]] = Bind::kSupply;
    }
  for (size_t vi = 0; vi < in.volunteers.size(); ++vi) {
    const int v = static_cast<int>(vi);
    if (c.of_volunteer[vi].empty()) continue;
    const int volunteer_node = net.flow.add_node();
    int slots = 0;
    for (const auto& week : c.weekly(in, v)) {
      int room = in.room(v, in.week[c.pairs[week.front()].shift]);
      slots += std::min(room, static_cast<int>(week.size()));
      int week_node = net.flow.add_node();
      net.bind[net.flow.add_edge(week_node, volunteer_node, room)] = Bind::kWeek;
      for (const auto& component : clash_components(in, c, week)) {
        std::vector<int> shifts;
        for (int p : component) shifts.push_back(c.pairs[p].shift);
        int alpha = max_clash_free(in, shifts);
        int group = net.flow.add_node();
        net.bind[net.flow.add_edge(group, week_node, std::min(alpha, room))] = alpha < room ? Bind::kRest : Bind::kWeek;
        for (int p : component) {
          if (shift_node[c.pairs[p].shift] < 0) continue;
          int e = net.flow.add_edge(shift_node[c.pairs[p].shift], group, 1, c.pairs[p].preferred ? 0 : 1);
          net.bind[e] = Bind::kSeat;
          net.seat_pair[e] = p;
        }
      }
    }
    add_volunteer_edges(net, in, c, v, volunteer_node, slots);
  }
  return net;
}

struct UnionFind {
  std::vector<int> parent;
  explicit UnionFind(int n) : parent(static_cast<size_t>(n)) { std::iota(parent.begin(), parent.end(), 0); }
  int find(int x) {
    while (parent[static_cast<size_t>(x)] != x) {
      int up = parent[static_cast<size_t>(x)];
      parent[static_cast<size_t>(x)] = parent[static_cast<size_t>(up)];
      x = up;
    }
    return x;
  }
  void unite(int a, int b) { parent[static_cast<size_t>(find(a))] = find(b); }
};

std::string binding_rules(const Instance& in, const std::set<Bind>& binds) {
  std::vector<std::string> parts;
  if (binds.contains(Bind::kWeek))
    parts.push_back("mỗi người chỉ được trực tối đa " + std::to_string(in.rules.max_shifts_per_week) +
                    " ca/tuần (tính cả ca đã đăng ký)");
  if (binds.contains(Bind::kRest))
    parts.push_back(in.rules.min_rest_minutes == 0
                        ? std::string("không ai nhận hai ca trùng giờ")
                        : "không ai nhận hai ca trùng giờ hoặc cách nhau dưới " + std::to_string(in.rules.min_rest_minutes) +
                              " phút");
  if (binds.contains(Bind::kSeat) || parts.empty()) parts.push_back("mỗi người chỉ nhận một chỗ trong mỗi ca");
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? "; " : "") + parts[i];
  return out;
}

struct Group {
  std::vector<int> shifts;
  std::set<Bind> binds;
  int demand = 0, deficit = 0;
};

std::string group_reason(const Instance& in, const Candidates& c, const Group& g) {
  std::vector<std::string> labels;
  std::set<int> people;
  for (int s : g.shifts) {
    labels.push_back(in.label(s));
    for (int p : c.of_shift[s]) people.insert(c.pairs[p].volunteer);
  }
  std::vector<std::string> names;
  for (int v : people) names.push_back(in.name(v));
  std::string head = g.shifts.size() == 1 ? capitalised(labels.front()) : "Các " + join_list(labels, "ca");
  return head + " cần thêm tổng cộng " + std::to_string(g.demand) + " người nhưng chỉ xếp được " +
         std::to_string(g.demand - g.deficit) + " (thiếu " + std::to_string(g.deficit) + "): chỉ " +
         std::to_string(people.size()) + " người có thể nhận " + (g.shifts.size() == 1 ? "ca này" : "các ca này") + " (" +
         join_list(names, "người") + "), và " + binding_rules(in, g.binds) + ".";
}

// Groups of shifts that cannot be served together: the source side of a minimum cut, split into
// its connected parts. Returns nothing when the flow meets every demand.
std::vector<Group> joint_shortages(const Instance& in, const Candidates& c, const std::vector<int>& demand) {
  Network net = build_network(in, c, demand);
  int64_t want = std::accumulate(demand.begin(), demand.end(), int64_t{0});
  if (net.flow.run(net.source, net.sink) == want) return {};
  MinCostFlow& f = net.flow;
  std::vector<char> reached(static_cast<size_t>(f.nodes()), 0);
  UnionFind parts(f.nodes());
  std::deque<int> queue{net.source};
  reached[static_cast<size_t>(net.source)] = 1;
  while (!queue.empty()) {
    int u = queue.front();
    queue.pop_front();
    for (int e : f.out(u)) {
      if (!f.open(e)) continue;
      if (u != net.source) parts.unite(u, f.to(e));
      if (!reached[static_cast<size_t>(f.to(e))]) {
        reached[static_cast<size_t>(f.to(e))] = 1;
        queue.push_back(f.to(e));
      }
    }
  }
  std::map<int, Group> groups;  // by component root
  for (size_t s = 0; s < in.shifts.size(); ++s) {
    int e = net.supply[s];
    if (e < 0 || !reached[static_cast<size_t>(f.to(e))]) continue;
    Group& g = groups[parts.find(f.to(e))];
    g.shifts.push_back(static_cast<int>(s));
    g.demand += demand[s];
    g.deficit += demand[s] - f.flow(e);
  }
  for (int e = 0; e < f.edge_count(); e += 2)
    if (reached[static_cast<size_t>(f.from(e))] && !reached[static_cast<size_t>(f.to(e))] && f.from(e) != net.source) {
      auto it = groups.find(parts.find(f.from(e)));
      if (it != groups.end()) it->second.binds.insert(net.bind.at(e));
    }
  std::vector<Group> out;
  for (auto& [root, g] : groups)
    if (g.deficit > 0) out.push_back(std::move(g));
  return out;
}

// Every shortage the counting arguments can prove: single shifts, then groups.
std::vector<Shortfall> provable_shortfalls(const Instance& in, const Candidates& c) {
  Report report;
  std::vector<int> demand(in.shifts.size());
  for (size_t s = 0; s < in.shifts.size(); ++s) {
    int can = static_cast<int>(c.of_shift[s].size());
    demand[s] = std::min(in.need[s], can);
    if (can < in.need[s]) report.add(in, static_cast<int>(s), in.need[s] - can, lone_reason(in, c, static_cast<int>(s)));
  }
  for (const Group& g : joint_shortages(in, c, demand)) {
    std::string reason = group_reason(in, c, g);
    for (int s : g.shifts) report.add(in, s, g.deficit, reason);
  }
  return report.list();
}

// ---------------------------------------------------------------------------------------------
// Mixed-integer programmes through CBC's C interface

// ---------------------------------------------------------------------------------------------
// CBC in a child process
//
// Debian's COIN-OR libraries are built with assertions, and CLP has aborted on some of these
// programmes (ClpPrimalColumnSteepest, after other solves in the same process: CBC keeps
// process-wide state between runs). So every CBC run happens in a forked child: a child that
// dies or hangs is a failed run, not a dead server, and since this process never runs CBC itself,
// each run starts from the same pristine state, whatever ran before. The child computes, writes
// its answer to a pipe and leaves with _exit (no exit handlers); it uses only this thread, as a
// child of a threaded process must (glibc keeps malloc and stdio usable after fork).

// One CBC run's result as it crosses the pipe: a status code, then the column values.
struct Answer {
  int32_t status = 0;
  std::vector<double> values;
};

constexpr uint32_t kAnswerEnd = 0x524F5354;  // after the values: the child wrote everything

bool write_all(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

std::string encode(const Answer& a) {
  std::string out;
  auto put = [&](const void* p, size_t n) { out.append(static_cast<const char*>(p), n); };
  const uint64_t count = a.values.size();
  put(&a.status, sizeof a.status);
  put(&count, sizeof count);
  if (count > 0) put(a.values.data(), count * sizeof(double));
  put(&kAnswerEnd, sizeof kAnswerEnd);
  return out;
}

std::optional<Answer> decode(const std::string& in) {
  Answer a;
  uint64_t count = 0;
  uint32_t end = 0;
  const size_t head = sizeof a.status + sizeof count;
  if (in.size() < head) return std::nullopt;
  std::memcpy(&a.status, in.data(), sizeof a.status);
  std::memcpy(&count, in.data() + sizeof a.status, sizeof count);
  if (count > in.size() / sizeof(double) || in.size() != head + count * sizeof(double) + sizeof end) return std::nullopt;
  a.values.resize(count);
  if (count > 0) std::memcpy(a.values.data(), in.data() + head, count * sizeof(double));
  std::memcpy(&end, in.data() + head + count * sizeof(double), sizeof end);
  if (end != kAnswerEnd) return std::nullopt;
  return a;
}

// Reads the child's answer until it closes the pipe or `deadline` passes (then kills it).
std::string read_answer(int fd, pid_t child, std::chrono::steady_clock::time_point deadline) {
  std::string in;
  char buffer[1 << 16];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) {
      ::kill(child, SIGKILL);
      return {};
    }
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 60'000)));
    if (ready == 0 || (ready < 0 && errno == EINTR)) continue;  // the loop checks the deadline again
    if (ready < 0) {
      ::kill(child, SIGKILL);
      return {};
    }
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return in;
    in.append(buffer, static_cast<size_t>(n));
  }
}

// Runs `work` in a child process; nothing when the child died, hung past `seconds` or wrote
// less than a whole answer.
std::optional<Answer> in_child(const std::function<Answer()>& work, int seconds) {
  int fds[2];
  pid_t child = -1;
  {
    // Another solve forking between pipe() and close() would keep this pipe's write end open in
    // its own child, and the read below would wait for that child too.
    static std::mutex forking;
    std::lock_guard lock(forking);
    if (::pipe2(fds, O_CLOEXEC) != 0) return std::nullopt;
    child = ::fork();
    if (child != 0) ::close(fds[1]);
  }
  if (child < 0) {
    ::close(fds[0]);
    return std::nullopt;
  }
  if (child == 0) {
    ::close(fds[0]);
    // Whatever the parent had buffered for stdout would be written again when CBC flushes it
    // (Cbc_deleteModel does): in the child stdout leads nowhere. (stderr is unbuffered and
    // stays, for sanitizer reports.)
    if (int null = ::open("/dev/null", O_WRONLY); null >= 0) ::dup2(null, STDOUT_FILENO);
    int code = 1;
    try {
      const std::string out = encode(work());
      code = write_all(fds[1], out.data(), out.size()) ? 0 : 1;
    } catch (...) {
    }
    ::_exit(code);
  }
  std::string in = read_answer(fds[0], child, std::chrono::steady_clock::now() + std::chrono::seconds(seconds));
  ::close(fds[0]);
  int wstatus = 0;
  while (::waitpid(child, &wstatus, 0) < 0 && errno == EINTR) {
  }
  return decode(in);  // complete only if the child wrote it all (the end mark); its exit code adds nothing
}

constexpr double kInfinity = std::numeric_limits<double>::max();

class Mip {
 public:
  enum class Status { kOptimal, kInfeasible, kUnfinished, kFaulty };

  int add_column(double lower, double upper, double cost, bool integer) {
    lower_.push_back(lower);
    upper_.push_back(upper);
    cost_.push_back(cost);
    integer_.push_back(integer);
    entries_.emplace_back();
    return static_cast<int>(lower_.size()) - 1;
  }
  void add_row(std::span<const int> cols, std::span<const double> coefs, double lower, double upper) {
    int row = static_cast<int>(row_lower_.size());
    for (size_t i = 0; i < cols.size(); ++i)
      if (coefs[i] != 0) entries_[static_cast<size_t>(cols[i])].push_back({row, coefs[i]});  // CLP trips on stored zeros
    row_lower_.push_back(lower);
    row_upper_.push_back(upper);
  }
  int columns() const { return static_cast<int>(lower_.size()); }
  // A feasible solution to start from, column by column (unset columns are 0). CBC then only
  // looks for better ones (an objective row), and when nothing beats it the start is optimal.
  void start_at(int col, double value) {
    start_.resize(lower_.size(), 0.0);
    start_[static_cast<size_t>(col)] = value;
  }

  // Solves to proven optimality; the objective must be an integer at integer points (the search
  // stops at an absolute gap below 0.5 and skips nodes that cannot gain a full unit). Every
  // answer is checked against the programme; a bad one is thrown away and the programme solved
  // once more without the start.
  Status solve(std::vector<double>& values) const {
    std::vector<double> start = start_;
    start.resize(start.empty() ? 0 : lower_.size(), 0.0);
    Status status = run(start.empty() ? nullptr : &start, values);
    if (start.empty()) return status == Status::kOptimal && !satisfied(values) ? Status::kFaulty : status;
    if (status == Status::kOptimal && satisfied(values)) return status;
    if (status == Status::kInfeasible && satisfied(start)) {
      values = std::move(start);
      return Status::kOptimal;
    }
    if (status == Status::kUnfinished) return status;
    status = run(nullptr, values);  // CBC died or broke the programme: once more, without the start
    return status == Status::kOptimal && !satisfied(values) ? Status::kFaulty : status;
  }

 private:
  using Model = std::unique_ptr<Cbc_Model, decltype(&Cbc_deleteModel)>;

  // One CBC run, in a child process; with a start, only rosters strictly better than it are
  // looked for. A child that dies or hangs gives kFaulty.
  Status run(const std::vector<double>* start, std::vector<double>& values) const {
    double below = 0;
    if (start) {
      for (size_t j = 0; j < start->size(); ++j) below += cost_[j] * (*start)[j];
      below -= 0.5;
    }
    auto answer = in_child([&] { return cbc_answer(start ? &below : nullptr); }, kChildSeconds);
    if (!answer || answer->status < 0 || answer->status > static_cast<int32_t>(Status::kFaulty)) return Status::kFaulty;
    values = std::move(answer->values);
    return static_cast<Status>(answer->status);
  }

  // The CBC calls themselves (in the child).
  Answer cbc_answer(const double* below) const {
    auto model = load(below);
    Cbc_setLogLevel(model.get(), 0);
    Cbc_setParameter(model.get(), "log", "0");
    Cbc_setParameter(model.get(), "allowableGap", "0.5");
    Cbc_setParameter(model.get(), "ratioGap", "0");
    Cbc_setParameter(model.get(), "increment", "0.9");
    Cbc_setParameter(model.get(), "timeMode", "elapsed");  // CPU time would count the server's other threads
    Cbc_setParameter(model.get(), "seconds", kTimeLimit);
    // Knapsack cover cuts are wrong on these programmes (see the top of this file); without
    // preprocessing and, given a start, without heuristics the solves are the fastest measured.
    Cbc_setParameter(model.get(), "knapsackCuts", "off");
    Cbc_setParameter(model.get(), "preprocess", "off");
    if (below) Cbc_setParameter(model.get(), "heuristicsOnOff", "off");
    Cbc_solve(model.get());
    Answer answer;
    if (Cbc_isProvenOptimal(model.get())) {
      const double* x = Cbc_getColSolution(model.get());
      answer.status = static_cast<int32_t>(Status::kOptimal);
      answer.values.assign(x, x + columns());
    } else {
      answer.status = static_cast<int32_t>(Cbc_isProvenInfeasible(model.get()) ? Status::kInfeasible : Status::kUnfinished);
    }
    return answer;
  }

  // Whether x keeps every bound, integrality and row of the programme.
  bool satisfied(const std::vector<double>& x) const {
    constexpr double kTolerance = 1e-6;
    auto at_least = [](double value, double limit) { return value >= limit - kTolerance * (1 + std::abs(limit)); };
    if (x.size() != lower_.size()) return false;
    std::vector<double> activity(row_lower_.size(), 0.0);
    for (size_t j = 0; j < x.size(); ++j) {
      if (!at_least(x[j], lower_[j]) || !at_least(-x[j], -upper_[j])) return false;
      if (integer_[j] && std::abs(x[j] - std::round(x[j])) > kTolerance) return false;
      for (auto [row, coef] : entries_[j]) activity[static_cast<size_t>(row)] += coef * x[j];
    }
    for (size_t r = 0; r < activity.size(); ++r)
      if (!at_least(activity[r], row_lower_[r]) || !at_least(-activity[r], -row_upper_[r])) return false;
    return true;
  }

  // The programme for CBC; with `below`, one more row: objective ≤ *below.
  Model load(const double* below) const {
    std::vector<CoinBigIndex> starts{0};
    std::vector<int> rows;
    std::vector<double> coefs;
    const int objective_row = static_cast<int>(row_lower_.size());
    for (size_t j = 0; j < entries_.size(); ++j) {
      for (auto [row, coef] : entries_[j]) {
        rows.push_back(row);
        coefs.push_back(coef);
      }
      if (below && cost_[j] != 0) {
        rows.push_back(objective_row);
        coefs.push_back(cost_[j]);
      }
      starts.push_back(static_cast<CoinBigIndex>(rows.size()));
    }
    std::vector<double> lower = row_lower_, upper = row_upper_;
    if (below) {
      lower.push_back(-kInfinity);
      upper.push_back(*below);
    }
    Model model(Cbc_newModel(), &Cbc_deleteModel);
    Cbc_loadProblem(model.get(), columns(), static_cast<int>(lower.size()), starts.data(), rows.data(), coefs.data(),
                    lower_.data(), upper_.data(), cost_.data(), lower.data(), upper.data());
    for (int j = 0; j < columns(); ++j)
      if (integer_[static_cast<size_t>(j)]) Cbc_setInteger(model.get(), j);
    return model;
  }

  std::vector<double> lower_, upper_, cost_;
  std::vector<char> integer_;
  std::vector<std::vector<std::pair<int, double>>> entries_;
  std::vector<double> row_lower_, row_upper_;
  std::vector<double> start_;
};

// Maximal cliques of the clash graph on `pairs` (one volunteer's, by start): one sweep over the
// intervals [start, end + rest), emitting the active set before each removal that follows an
// insertion.
std::vector<std::vector<int>> clash_cliques(const Instance& in, const Candidates& c, const std::vector<int>& pairs) {
  std::vector<std::vector<int>> cliques;
  std::vector<int> active;
  bool grown = false;
  for (int p : pairs) {
    int64_t start = in.shifts[c.pairs[p].shift].start;
    auto ended = [&](int q) { return in.shifts[c.pairs[q].shift].end + in.rest_seconds() <= start; };
    if (std::ranges::any_of(active, ended)) {
      if (grown && active.size() > 1) cliques.push_back(active);
      std::erase_if(active, ended);
    }
    active.push_back(p);
    grown = true;
  }
  if (active.size() > 1) cliques.push_back(active);
  return cliques;
}

// The rules every roster obeys, on the pair columns `x`: weekly caps and clash cliques.
void add_rule_rows(Mip& mip, const Instance& in, const Candidates& c, const std::vector<int>& x) {
  for (size_t v = 0; v < in.volunteers.size(); ++v) {
    for (const auto& week : c.weekly(in, static_cast<int>(v))) {
      int room = in.room(static_cast<int>(v), in.week[c.pairs[week.front()].shift]);
      if (static_cast<int>(week.size()) <= room) continue;
      std::vector<int> cols;
      for (int p : week) cols.push_back(x[static_cast<size_t>(p)]);
      mip.add_row(cols, std::vector<double>(cols.size(), 1.0), -kInfinity, room);
    }
    for (const auto& clique : clash_cliques(in, c, c.of_volunteer[v])) {
      std::vector<int> cols;
      for (int p : clique) cols.push_back(x[static_cast<size_t>(p)]);
      mip.add_row(cols, std::vector<double>(cols.size(), 1.0), -kInfinity, 1.0);
    }
  }
}

using Counts = std::vector<int64_t>;

// One volunteer's part of the balance term. Their added shifts are summarised by coordinates n:
// by length class, n_k = how many shifts of length weight_k they take ("count" mode), or, when
// that gives too many points, a single coordinate n_0 = their added units (weight 1). The points
// are the reachable n with u(n) = F + Σ weight_k·n_k ≤ reach; beyond reach the cost runs on along
// the tangent of q(u) = (u − c)² at reach.
struct Hull {
  std::vector<int64_t> weights;            // per coordinate: units per step
  std::unordered_map<int, size_t> coord;   // pair → coordinate
  std::unordered_map<int, int64_t> step;   // pair → coordinate increment
  int64_t fixed = 0, reach = 0;            // F and t, units
  std::vector<Counts> points;              // ascending
  bool beyond = false;                     // some reachable point lies past reach

  int64_t units(const Counts& n) const {
    int64_t u = fixed;
    for (size_t k = 0; k < n.size(); ++k) u += weights[k] * n[k];
    return u;
  }
};

// Clash-free subsets of at most `room` of `pairs` (one volunteer's week, by start) as points;
// false when more than `limit` points are found.
bool week_points(const Instance& in, const Candidates& c, const std::vector<int>& pairs, int room, size_t limit, Hull& h,
                 std::set<Counts>& out) {
  const Counts zero(h.weights.size(), 0);
  std::vector<std::set<std::pair<Counts, int>>> ends(pairs.size());  // (point, shifts) ending at pair i
  out = {zero};
  for (size_t i = 0; i < pairs.size(); ++i) {
    auto extend = [&](Counts n, int taken) {
      n[h.coord.at(pairs[i])] += h.step.at(pairs[i]);
      if (h.units(n) > h.reach) {
        h.beyond = true;
        return;
      }
      out.insert(n);
      ends[i].insert({std::move(n), taken + 1});
    };
    extend(zero, 0);
    for (size_t j = 0; j < i; ++j)
      if (!in.clash(c.pairs[pairs[j]].shift, c.pairs[pairs[i]].shift))
        for (const auto& [n, taken] : ends[j])
          if (taken < room) extend(n, taken);
    if (out.size() > limit) return false;
  }
  return true;
}

// Fills h.points from h's coordinates and reach; false when more than `limit` points are found.
bool fill_points(const Instance& in, const Candidates& c, int v, size_t limit, Hull& h) {
  h.beyond = false;
  std::set<Counts> total{Counts(h.weights.size(), 0)};
  for (const auto& week : c.weekly(in, v)) {
    std::set<Counts> here, next;
    if (!week_points(in, c, week, in.room(v, in.week[c.pairs[week.front()].shift]), limit, h, here)) return false;
    for (const Counts& a : total)
      for (const Counts& b : here) {
        Counts sum = a;
        for (size_t k = 0; k < sum.size(); ++k) sum[k] += b[k];
        if (h.units(sum) > h.reach) h.beyond = true;
        else next.insert(std::move(sum));
      }
    if (next.size() > limit) return false;
    total = std::move(next);
  }
  h.points.assign(total.begin(), total.end());
  return true;
}

// Count mode when it stays small, otherwise units mode.
void build_hull(const Instance& in, const Candidates& c, int v, int64_t unit, size_t max_points, Hull& h) {
  std::map<int64_t, size_t> classes;
  for (int p : c.of_volunteer[v]) classes.try_emplace(minutes_of(in.shifts[c.pairs[p].shift]) / unit, 0);
  h.weights.clear();
  for (auto& [length, k] : classes) {
    k = h.weights.size();
    h.weights.push_back(length);
  }
  for (int p : c.of_volunteer[v]) {
    h.coord[p] = classes.at(minutes_of(in.shifts[c.pairs[p].shift]) / unit);
    h.step[p] = 1;
  }
  if (fill_points(in, c, v, max_points, h)) return;
  h.weights = {1};
  for (int p : c.of_volunteer[v]) {
    h.coord[p] = 0;
    h.step[p] = minutes_of(in.shifts[c.pairs[p].shift]) / unit;
  }
  fill_points(in, c, v, std::numeric_limits<size_t>::max(), h);
}

struct Balance {
  int64_t unit = 1, centre = 0;
  size_t max_points = 0;
  std::vector<Hull> hulls;  // per volunteer (empty for those without candidate pairs)
};

Balance make_balance(const Instance& in, const Candidates& c, const Tuning& tuning) {
  Balance b;
  b.max_points = tuning.max_hull_points;
  b.unit = gcd_of_lengths(in);
  int64_t total = 0, longest = 0;
  for (size_t v = 0; v < in.volunteers.size(); ++v) total += fixed_minutes(in, static_cast<int>(v)) / b.unit;
  for (size_t s = 0; s < in.shifts.size(); ++s) {
    total += in.need[s] * (minutes_of(in.shifts[s]) / b.unit);
    longest = std::max(longest, minutes_of(in.shifts[s]) / b.unit);
  }
  const auto n = static_cast<int64_t>(in.volunteers.size());
  b.centre = (total + n / 2) / n;
  b.hulls.resize(in.volunteers.size());
  for (size_t v = 0; v < in.volunteers.size(); ++v) {
    if (c.of_volunteer[v].empty()) continue;
    Hull& h = b.hulls[v];
    h.fixed = fixed_minutes(in, static_cast<int>(v)) / b.unit;
    h.reach = std::max(h.fixed, b.centre + tuning.initial_reach * longest);
    build_hull(in, c, static_cast<int>(v), b.unit, b.max_points, h);
  }
  return b;
}

// The hull's columns for the roster `chosen`: the point of v's coordinates, or past reach the
// overflow columns.
void start_hull(Mip& mip, const Candidates& c, int v, const Hull& h, const std::vector<int>& lambda, int beyond,
                const std::vector<int>& overflow, const std::vector<char>& chosen) {
  Counts n(h.weights.size(), 0);
  for (int p : c.of_volunteer[v])
    if (chosen[static_cast<size_t>(p)]) n[h.coord.at(p)] += h.step.at(p);
  auto it = std::ranges::lower_bound(h.points, n);
  if (it != h.points.end() && *it == n) {
    mip.start_at(lambda[static_cast<size_t>(it - h.points.begin())], 1);
    return;
  }
  mip.start_at(beyond, 1);
  for (size_t k = 0; k < n.size(); ++k) mip.start_at(overflow[k], static_cast<double>(n[k]));
}

// Rows and columns of one volunteer's hull: Σ λ_p + λ_b = 1; per coordinate k,
// Σ_{pairs of k} step·x − Σ_p n_k(p)·λ_p − m_k = 0; Σ_k weight_k·m_k − (t − F)·λ_b ≥ 0.
// Costs (times `weight`): λ_p: q(u(p)); λ_b: q(t) + q'(t)·(F − t); m_k: q'(t)·weight_k.
void add_hull(Mip& mip, const Candidates& c, const std::vector<int>& x, int v, const Hull& h, int64_t centre, double weight,
              const std::vector<char>* start) {
  auto q = [&](int64_t u) { return static_cast<double>((u - centre) * (u - centre)); };
  const double slope = 2.0 * static_cast<double>(h.reach - centre);
  const size_t dims = h.weights.size();
  std::vector<int> lambda;
  for (const Counts& n : h.points) lambda.push_back(mip.add_column(0, 1, weight * q(h.units(n)), true));
  int beyond = -1;
  std::vector<int> overflow;
  if (h.beyond) {
    beyond = mip.add_column(0, 1, weight * (q(h.reach) + slope * static_cast<double>(h.fixed - h.reach)), true);
    // Bounded by the most the coordinate can take: CLP's dual simplex trips on free rays.
    std::vector<int64_t> most(dims, 0);
    for (int p : c.of_volunteer[v]) most[h.coord.at(p)] += h.step.at(p);
    for (size_t k = 0; k < dims; ++k)
      overflow.push_back(mip.add_column(0, static_cast<double>(most[k]), weight * slope * static_cast<double>(h.weights[k]), true));
  }
  std::vector<int> cols = lambda;
  if (beyond >= 0) cols.push_back(beyond);
  mip.add_row(cols, std::vector<double>(cols.size(), 1.0), 1, 1);
  for (size_t k = 0; k < dims; ++k) {
    std::vector<int> row;
    std::vector<double> coefs;
    for (int p : c.of_volunteer[v])
      if (h.coord.at(p) == k) {
        row.push_back(x[static_cast<size_t>(p)]);
        coefs.push_back(static_cast<double>(h.step.at(p)));
      }
    for (size_t i = 0; i < h.points.size(); ++i)
      if (h.points[i][k] != 0) {
        row.push_back(lambda[i]);
        coefs.push_back(-static_cast<double>(h.points[i][k]));
      }
    if (beyond >= 0) {
      row.push_back(overflow[k]);
      coefs.push_back(-1);
    }
    mip.add_row(row, coefs, 0, 0);
  }
  if (beyond >= 0) {
    std::vector<int> row = overflow;
    std::vector<double> coefs;
    for (int64_t w : h.weights) coefs.push_back(static_cast<double>(w));
    row.push_back(beyond);
    coefs.push_back(-static_cast<double>(h.reach - h.fixed));
    mip.add_row(row, coefs, 0, kInfinity);
  }
  if (start) start_hull(mip, c, v, h, lambda, beyond, overflow, *start);
}

// Widens the hull of every volunteer whose units in `chosen` lie past its reach (where the
// programme's cost is only a lower bound); returns whether any was widened.
bool widen(const Instance& in, const Candidates& c, const std::vector<char>& chosen, Balance& b) {
  std::vector<int64_t> units(in.volunteers.size(), 0);
  for (size_t p = 0; p < c.pairs.size(); ++p)
    if (chosen[p]) units[static_cast<size_t>(c.pairs[p].volunteer)] += minutes_of(in.shifts[c.pairs[p].shift]) / b.unit;
  bool widened = false;
  for (size_t v = 0; v < in.volunteers.size(); ++v) {
    Hull& h = b.hulls[v];
    if (c.of_volunteer[v].empty() || h.fixed + units[v] <= h.reach) continue;
    h.reach = h.fixed + units[v];
    build_hull(in, c, static_cast<int>(v), b.unit, b.max_points, h);
    widened = true;
  }
  return widened;
}

// A good roster for CBC to start from: the flow's roster, repaired and completed by a greedy
// fill (tightest shifts first), then single replacements and pairwise swaps while they lower
// W·Σu² − P. Only a start: CBC proves optimality on its own.
class LocalSearch {
 public:
  LocalSearch(const Instance& in, const Candidates& c, int64_t unit, int64_t weight)
      : in_(in), c_(c), unit_(unit), weight_(weight), units_(in.volunteers.size(), 0), mine_(in.volunteers.size()) {
    for (size_t v = 0; v < in.volunteers.size(); ++v) {
      units_[v] = fixed_minutes(in, static_cast<int>(v)) / unit;
      mine_[v] = in.fixed_of[v];
    }
    for (size_t p = 0; p < c.pairs.size(); ++p) pair_at_[key(c.pairs[p].volunteer, c.pairs[p].shift)] = static_cast<int>(p);
    chosen_.assign(c.pairs.size(), 0);
    staffed_.assign(in.shifts.size(), 0);
  }

  // Starts from `chosen` (pairs that break a rule next to those already kept are left out),
  // fills the seats still open, then improves; false when some seat cannot be filled.
  bool run(std::vector<char>& chosen) {
    for (size_t p = 0; p < c_.pairs.size(); ++p)
      if (chosen[p] && fits(c_.pairs[p].volunteer, c_.pairs[p].shift, -1)) take(static_cast<int>(p));
    if (!fill()) return false;
    while (replace_pass() || swap_pass()) {
    }
    chosen = chosen_;
    return true;
  }

 private:
  int64_t key(int v, int s) const { return int64_t{v} * static_cast<int64_t>(in_.shifts.size()) + s; }
  int64_t length(int s) const { return minutes_of(in_.shifts[s]) / unit_; }

  // Whether v can take s once they leave `leaving` (−1: none).
  bool fits(int v, int s, int leaving) const {
    int same_week = 0;
    for (int t : mine_[v]) {
      if (t == leaving) continue;
      if (t == s || in_.clash(t, s)) return false;
      same_week += in_.week[t] == in_.week[s];
    }
    return same_week < in_.rules.max_shifts_per_week;
  }
  void take(int p) {
    const Pair& pair = c_.pairs[p];
    chosen_[p] = 1;
    ++staffed_[pair.shift];
    units_[pair.volunteer] += length(pair.shift);
    mine_[pair.volunteer].push_back(pair.shift);
  }
  void drop(int p) {
    const Pair& pair = c_.pairs[p];
    chosen_[p] = 0;
    --staffed_[pair.shift];
    units_[pair.volunteer] -= length(pair.shift);
    std::erase(mine_[pair.volunteer], pair.shift);
  }
  // Change of W·Σu² when v's units change by `delta`.
  int64_t cost(int v, int64_t delta) const {
    int64_t u = units_[v];
    return weight_ * ((u + delta) * (u + delta) - u * u);
  }

  bool fill() {
    std::vector<int> order;
    for (size_t s = 0; s < in_.shifts.size(); ++s)
      if (in_.need[s] > 0) order.push_back(static_cast<int>(s));
    auto slack = [&](int s) { return static_cast<int>(c_.of_shift[s].size()) - in_.need[s]; };
    std::ranges::stable_sort(order, [&](int a, int b) { return slack(a) < slack(b); });
    for (int s : order)
      while (staffed_[s] < in_.need[s]) {
        int best = -1;
        int64_t best_cost = 0;
        for (int p : c_.of_shift[s]) {
          int v = c_.pairs[p].volunteer;
          if (chosen_[p] || !fits(v, s, -1)) continue;
          int64_t here = cost(v, length(s)) - c_.pairs[p].preferred;
          if (best < 0 || here < best_cost) std::tie(best, best_cost) = std::tie(p, here);
        }
        if (best < 0) return false;
        take(best);
      }
    return true;
  }

  // Someone else takes a seat: v_out leaves shift s, v_in joins it.
  bool replace_pass() {
    bool improved = false;
    for (size_t out = 0; out < c_.pairs.size(); ++out) {
      if (!chosen_[out]) continue;
      const int s = c_.pairs[out].shift, v_out = c_.pairs[out].volunteer;
      for (int in : c_.of_shift[s]) {
        const int v_in = c_.pairs[in].volunteer;
        if (chosen_[in] || !fits(v_in, s, -1)) continue;
        int64_t delta = cost(v_out, -length(s)) + cost(v_in, length(s)) - c_.pairs[in].preferred + c_.pairs[out].preferred;
        if (delta >= 0) continue;
        drop(static_cast<int>(out));
        take(in);
        improved = true;
        break;
      }
    }
    return improved;
  }

  // Two people trade shifts: v1 leaves s1 for s2, v2 leaves s2 for s1.
  bool swap_pass() {
    std::vector<size_t> taken;
    for (size_t p = 0; p < c_.pairs.size(); ++p)
      if (chosen_[p]) taken.push_back(p);
    bool improved = false;
    for (size_t i = 0; i < taken.size(); ++i) {
      for (size_t j = i + 1; j < taken.size() && chosen_[taken[i]]; ++j) {
        const size_t p1 = taken[i], p2 = taken[j];
        if (!chosen_[p2]) continue;
        const auto [v1, s1, liked1] = c_.pairs[p1];
        const auto [v2, s2, liked2] = c_.pairs[p2];
        if (v1 == v2 || s1 == s2) continue;
        auto q1 = pair_at_.find(key(v1, s2)), q2 = pair_at_.find(key(v2, s1));
        if (q1 == pair_at_.end() || q2 == pair_at_.end() || chosen_[q1->second] || chosen_[q2->second]) continue;
        const int64_t change = length(s2) - length(s1);
        int64_t delta = cost(v1, change) + cost(v2, -change) - c_.pairs[q1->second].preferred -
                        c_.pairs[q2->second].preferred + liked1 + liked2;
        if (delta >= 0 || !fits(v1, s2, s1) || !fits(v2, s1, s2)) continue;
        drop(static_cast<int>(p1));
        drop(static_cast<int>(p2));
        take(q1->second);
        take(q2->second);
        improved = true;
      }
    }
    return improved;
  }

  const Instance& in_;
  const Candidates& c_;
  const int64_t unit_, weight_;
  std::vector<int64_t> units_;         // per volunteer: fixed + added units
  std::vector<std::vector<int>> mine_;  // per volunteer: fixed + added shifts
  std::vector<char> chosen_;
  std::vector<int> staffed_;  // per shift: people added
  std::unordered_map<int64_t, int> pair_at_;
};

// The minimum-cost flow's roster (see add_volunteer_edges), as a flag per pair; it may break
// the rest rule where a clash component is not a clique, which LocalSearch repairs.
std::vector<char> flow_roster(const Instance& in, const Candidates& c) {
  Network net = build_network(in, c, in.need);
  net.flow.run(net.source, net.sink);
  std::vector<char> chosen(c.pairs.size(), 0);
  for (auto [e, p] : net.seat_pair)
    if (net.flow.flow(e) > 0) chosen[static_cast<size_t>(p)] = 1;
  return chosen;
}

// The cheapest roster by the objective, as a flag per pair. The hulls start with the points near
// the mean; a roster that puts a volunteer past their reach widens that hull and solves again, so
// the last answer is exact.
Mip::Status optimal_roster(const Instance& in, const Candidates& c, const Tuning& tuning, std::vector<char>& chosen) {
  Balance balance = make_balance(in, c, tuning);
  const int64_t weight = std::accumulate(in.need.begin(), in.need.end(), int64_t{0}) + 1;
  std::vector<char> start = flow_roster(in, c);
  const bool started = LocalSearch(in, c, balance.unit, weight).run(start);
  for (;;) {
    Mip mip;
    std::vector<int> x;
    for (const Pair& p : c.pairs) x.push_back(mip.add_column(0, 1, p.preferred ? -1.0 : 0.0, true));
    for (size_t s = 0; s < in.shifts.size(); ++s) {
      if (in.need[s] == 0) continue;
      std::vector<int> cols;
      for (int p : c.of_shift[s]) cols.push_back(x[static_cast<size_t>(p)]);
      mip.add_row(cols, std::vector<double>(cols.size(), 1.0), in.need[s], in.need[s]);
    }
    add_rule_rows(mip, in, c, x);
    for (size_t v = 0; v < in.volunteers.size(); ++v)
      if (!c.of_volunteer[v].empty())
        add_hull(mip, c, x, static_cast<int>(v), balance.hulls[v], balance.centre, static_cast<double>(weight),
                 started ? &start : nullptr);
    if (started)
      for (size_t p = 0; p < c.pairs.size(); ++p) mip.start_at(x[p], start[p]);
    std::vector<double> values;
    Mip::Status status = mip.solve(values);
    if (status != Mip::Status::kOptimal) return status;
    for (size_t p = 0; p < c.pairs.size(); ++p) chosen[p] = values[static_cast<size_t>(x[p])] > 0.5;
    if (!widen(in, c, chosen, balance)) return status;
  }
}

// The fewest people missing when the rules cannot all be met: missing count per shift.
Mip::Status fewest_missing(const Instance& in, const Candidates& c, std::vector<int>& missing) {
  Mip mip;
  std::vector<int> x;
  for (size_t p = 0; p < c.pairs.size(); ++p) x.push_back(mip.add_column(0, 1, 0, true));
  std::vector<int> gap(in.shifts.size(), -1);
  for (size_t s = 0; s < in.shifts.size(); ++s) {
    if (in.need[s] == 0) continue;
    gap[s] = mip.add_column(0, in.need[s], 1, true);
    std::vector<int> cols{gap[s]};
    for (int p : c.of_shift[s]) cols.push_back(x[static_cast<size_t>(p)]);
    mip.add_row(cols, std::vector<double>(cols.size(), 1.0), in.need[s], in.need[s]);
  }
  add_rule_rows(mip, in, c, x);
  std::vector<double> values;
  Mip::Status status = mip.solve(values);
  missing.assign(in.shifts.size(), 0);
  if (status == Mip::Status::kOptimal)
    for (size_t s = 0; s < in.shifts.size(); ++s)
      if (gap[s] >= 0) missing[s] = static_cast<int>(values[static_cast<size_t>(gap[s])] + 0.5);
  return status;
}

// Why CBC gave no usable answer.
Shortfall solver_failure(Mip::Status status) {
  if (status == Mip::Status::kFaulty)
    return {0, 0, "Bộ giải trả về một phương án vi phạm quy định nên không dùng được; hãy thử lại hoặc báo lỗi"};
  return {0, 0,
          "Bộ giải không chứng minh được phương án tối ưu trong " + std::string(kTimeLimit) +
              " giây; hãy chia kỳ trực ngắn hơn hoặc bớt ràng buộc"};
}

std::vector<Shortfall> explain_infeasible(const Instance& in, const Candidates& c) {
  std::vector<int> missing;
  if (Mip::Status status = fewest_missing(in, c, missing); status != Mip::Status::kOptimal) return {solver_failure(status)};
  if (std::ranges::all_of(missing, [](int m) { return m == 0; }))  // CBC contradicting itself
    return {{0, 0, "Bộ giải không xếp được lịch nhưng cũng không chỉ ra được ca nào thiếu người; hãy thử lại"}};
  Group g;
  for (size_t s = 0; s < in.shifts.size(); ++s)
    if (missing[s] > 0) {
      g.shifts.push_back(static_cast<int>(s));
      g.deficit += missing[s];
    }
  for (int s : g.shifts) g.demand += in.need[s];
  // The flow honours the weekly caps and each clash component's size; what it misses are the
  // chains of clashes, together with the caps where those bind.
  g.binds = {Bind::kRest};
  for (int s : g.shifts)
    for (int p : c.of_shift[s])
      for (const auto& week : c.weekly(in, c.pairs[p].volunteer))
        if (static_cast<int>(week.size()) > in.room(c.pairs[p].volunteer, in.week[c.pairs[week.front()].shift]))
          g.binds.insert(Bind::kWeek);
  std::string reason = group_reason(in, c, g);
  Report report;
  for (int s : g.shifts) report.add(in, s, missing[s], reason);
  return report.list();
}

Solution summarise(const Instance& in, const Candidates& c, const std::vector<char>& chosen) {
  Solution out;
  std::vector<int64_t> minutes(in.volunteers.size(), 0);
  for (size_t v = 0; v < in.volunteers.size(); ++v) {
    minutes[v] = fixed_minutes(in, static_cast<int>(v));
    for (int s : in.fixed_of[v]) out.preferred += in.preferred[v].contains(s);
  }
  for (size_t p = 0; p < c.pairs.size(); ++p) {
    if (!chosen[p]) continue;
    const Pair& pair = c.pairs[p];
    minutes[static_cast<size_t>(pair.volunteer)] += minutes_of(in.shifts[pair.shift]);
    out.preferred += pair.preferred;
    out.added.push_back({in.shifts[pair.shift].id, in.volunteers[pair.volunteer].id});
  }
  for (int64_t m : minutes) out.sum_squared_minutes += m * m;
  std::ranges::sort(out.added, [](const Assignment& a, const Assignment& b) {
    return std::tie(a.shift_id, a.volunteer_id) < std::tie(b.shift_id, b.volunteer_id);
  });
  return out;
}

}  // namespace

std::expected<Solution, std::vector<Shortfall>> solve(const std::vector<Shift>& shifts,
                                                      const std::vector<Volunteer>& volunteers,
                                                      const Rules& rules, const Tuning& tuning) {
  if (auto errors = Validator{shifts, volunteers, rules, {}}.run(); !errors.empty()) return std::unexpected(errors);
  const Instance in = make_instance(shifts, volunteers, rules);
  if (auto errors = check_fixed(in); !errors.empty()) return std::unexpected(errors);
  const Candidates c = find_candidates(in);
  if (auto shortfalls = provable_shortfalls(in, c); !shortfalls.empty()) return std::unexpected(shortfalls);
  std::vector<char> chosen(c.pairs.size(), 0);
  if (!c.pairs.empty()) {
    const Mip::Status status = optimal_roster(in, c, tuning, chosen);
    if (status == Mip::Status::kInfeasible) return std::unexpected(explain_infeasible(in, c));
    if (status != Mip::Status::kOptimal) return std::unexpected(std::vector<Shortfall>{solver_failure(status)});
  }
  return summarise(in, c, chosen);
}

}  // namespace chidoan::desk::solver
