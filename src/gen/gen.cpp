#include "gen/gen.hpp"

#include <cstdio>
#include <vector>

#include "gen/names.hpp"
#include "org/store.hpp"

namespace chidoan::gen {
namespace {

// splitmix64: one independent, well-mixed seed per province.
uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

std::string province_code(size_t index) {
  char b[24];
  std::snprintf(b, sizeof b, "P%02zu", index + 1);
  return b;
}

void add(ExtrasInfo& a, const ExtrasInfo& b) {
  a.events += b.events;
  a.transfers += b.transfers;
  a.left += b.left;
  a.admitted += b.admitted;
  a.attendance += b.attendance;
  a.dues += b.dues;
  a.campaigns += b.campaigns;
  a.contributions += b.contributions;
  a.donors += b.donors;
  a.desk_entries += b.desk_entries;
  a.dossier_rows += b.dossier_rows;
}

}  // namespace

std::optional<Scale> parse_scale(std::string_view s) {
  if (s == "branch") return Scale::branch;
  if (s == "province") return Scale::province;
  if (s == "nation") return Scale::nation;
  return std::nullopt;
}

Plan plan_for(Scale scale) {
  Plan p;
  switch (scale) {
    case Scale::branch:
      p.province = ProvinceSize{.districts = 1, .branches = 1, .members_per_branch = 25, .members_spread = 0,
                                .units_per_branch = 4, .activities_per_branch = 50, .year = 2021};
      break;
    case Scale::province:
      p.province = ProvinceSize{.districts = 12, .branches = 1600, .members_per_branch = 63, .members_spread = 50,
                                .units_per_branch = 3, .activities_per_branch = 24, .year = 2021};
      break;
    case Scale::nation:
      p.national_root = true;
      p.provinces = static_cast<int>(provinces().size());
      p.province = ProvinceSize{.districts = 11, .branches = 1600, .members_per_branch = 63, .members_spread = 50,
                                .units_per_branch = 3, .activities_per_branch = 12, .year = 2021};
      break;
  }
  return p;
}

Result<Totals> generate(db::Connection& conn, const Clock& clock, uint64_t seed, const Plan& plan,
                        const std::function<void(const Step&)>& on_step) {
  const auto all = provinces();
  if (plan.provinces < 1 || plan.provinces > static_cast<int>(all.size()))
    return fail(ErrorKind::invalid, "provinces must be 1–" + std::to_string(all.size()), "provinces");
  Totals totals;
  totals.provinces = 0;
  auto tell = [&](int done, std::string_view stage) {
    if (on_step) on_step(Step{done, plan.provinces, stage, &totals});
  };

  org::Store orgs(conn, clock);
  std::optional<int64_t> parent;
  CHIDOAN_TRY_VOID(conn.transaction([&]() -> Result<void> {
    CHIDOAN_TRY_VOID(orgs.install_default_levels());
    // Every root code the plan will create, checked before the first province is written (a
    // clash at province 46 would come after most of an hour).
    std::vector<std::string> codes;
    if (plan.national_root) codes.push_back("TW");
    for (int i = 0; i < plan.provinces; ++i) codes.push_back(province_code(plan.provinces == 1 ? 45 : static_cast<size_t>(i)));
    for (const auto& code : codes) {
      CHIDOAN_TRY(taken, conn.query_one("SELECT id FROM orgs WHERE code = ?1", {code}));
      if (taken) return fail(ErrorKind::conflict, "the database has an org with code " + code + " already", "db");
    }
    if (plan.national_root) {
      CHIDOAN_TRY(levels, orgs.levels());
      CHIDOAN_TRY(root, orgs.create_org({"TW", "Trung ương Đoàn TNCS Hồ Chí Minh", levels.front().id, std::nullopt, "1931-03-26"}));
      parent = root;
      totals.root_id = root;
    }
    return {};
  }));

  NameKeys names;
  for (int i = 0; i < plan.provinces; ++i) {
    // One province alone is the article's, Lâm Đồng; the nation takes them all in order.
    const size_t index = plan.provinces == 1 ? 45 : static_cast<size_t>(i);
    const auto& pv = all[index];
    Place place{province_code(index), std::string(pv.city ? "Thành đoàn " : "Tỉnh đoàn ") + std::string(pv.name), parent};
    const uint64_t pseed = mix(seed ^ (static_cast<uint64_t>(index) << 32));
    auto stage = [&](std::string_view s) { tell(i, s); };
    CHIDOAN_TRY_VOID(conn.transaction([&]() -> Result<void> {
      CHIDOAN_TRY(info, generate_province_in(conn, clock, pseed, plan.province, place, names, stage));
      if (!plan.national_root) totals.root_id = info.province_id;
      if (plan.extras) {
        CHIDOAN_TRY(extra, add_extras(conn, clock, pseed, info.province_id, info.path,
                                      plan.province.year, stage));
        add(totals.extras, extra);
        totals.members += extra.admitted;
        totals.attendance += extra.attendance;
      }
      totals.branches += static_cast<int64_t>(info.branch_ids.size());
      totals.members += info.members;
      totals.activities += info.activities;
      totals.attendance += info.attendance;
      return {};
    }));
    totals.provinces = i + 1;
    tell(i + 1, "");
  }
  return totals;
}

}  // namespace chidoan::gen
