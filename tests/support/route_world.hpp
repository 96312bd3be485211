// The world of the route tests: a branch outside the demo's Đoàn khối, test members, and the
// services a module's routes run on.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "org/bundle.hpp"
#include "org/rules.hpp"
#include "org/store.hpp"
#include "platform/auth/model.hpp"
#include "platform/web/web.hpp"
#include "tests/support/demo.hpp"

namespace chidoan::testing {

// Adds a member to `branch` (born `birth`, in the branch since `since`).
inline Result<int64_t> add_test_member(org::Store& store, int64_t branch, const std::string& family, const std::string& given,
                                       const std::string& sex, const std::string& birth, const std::string& since, Date today) {
  auto in = org::rules::validate_member({{"family_name", family}, {"given_name", given}, {"sex", sex}, {"birth_date", birth},
                                         {"branch_since", since}}, today);
  if (!in) return std::unexpected(in.error());
  return store.add_member(branch, *in);
}

// "OTHER", a branch under the Tỉnh đoàn (code LD) but outside the Đoàn khối, with one member:
// {branch id, member id}. REQUIRES: the demo's org part is loaded; inside a transaction.
inline Result<std::pair<int64_t, int64_t>> add_outside_branch(org::Store& store, Date today) {
  CHIDOAN_TRY(branch, store.org_by_code("VPUBND"));
  CHIDOAN_TRY(province, store.org_by_code("LD"));
  if (!branch || !province) return fail(ErrorKind::not_found, "the demo's org part is not loaded");
  CHIDOAN_TRY(o, store.create_org({"OTHER", "Chi đoàn Công ty Điện lực", branch->level_id, province->id, "2020-01-01"}));
  CHIDOAN_TRY(m, add_test_member(store, o, "Ngô", "Bảo", "male", "1995-01-01", "2020-02-01", today));
  return std::pair{o, m};
}

// The demo loaded as the route tests see it, on 15/1/2022 (it runs to the end of 2021), and the
// outside branch added. REQUIRES: a fresh migrated database.
struct DemoWorld {
  int64_t vpubnd = 0;        // the article's branch
  int64_t other_branch = 0;  // OTHER, outside the Đoàn khối
  int64_t other_member = 0;  // OTHER's one member
};
inline Result<DemoWorld> load_demo_world(db::Connection& conn, const Clock& clock) {
  FixedClock later{std::chrono::sys_days{std::chrono::year{2022} / 1 / 15}};
  CHIDOAN_TRY_VOID(org::bundle::load(conn, later, demo_bundle()));
  org::Store store(conn, clock);
  CHIDOAN_TRY(branch, store.org_by_code("VPUBND"));
  if (!branch) return fail(ErrorKind::not_found, "the demo has no VPUBND");
  DemoWorld w;
  w.vpubnd = branch->id;
  CHIDOAN_TRY_VOID(conn.transaction([&]() -> Result<void> {
    CHIDOAN_TRY(outside, add_outside_branch(store, today(clock)));
    std::tie(w.other_branch, w.other_member) = outside;
    return {};
  }));
  return w;
}

// The demo's module sections (activity, fund, ideas, …) loaded after load_demo_world, their
// names resolved against what it wrote (org codes; members by their CCCD, which every demo member
// has), as of 15/1/2022.
// The demo's names (org codes, member refs) as a section sees them, resolved against what
// load_demo_world wrote (members by their CCCD, which every demo member has).
struct DemoNames {
  chidoan::bundle::Known known;
  chidoan::bundle::Refs refs;
};
inline Result<DemoNames> demo_names(db::Connection& conn) {
  nlohmann::json doc = demo_bundle_full();
  DemoNames n;
  for (const auto& o : doc["orgs"]) {
    std::string code = o["code"];
    CHIDOAN_TRY(row, conn.query_one("SELECT id FROM orgs WHERE code = ?1", {code}));
    if (!row) return fail(ErrorKind::not_found, "no org " + code);
    n.known.org_codes.insert(code);
    n.refs.orgs[code] = row->i64(0);
  }
  for (const auto& m : doc["members"]) {
    std::string ref = m["ref"], cccd = m["cccd"];
    CHIDOAN_TRY(row, conn.query_one("SELECT id FROM members WHERE cccd = ?1", {cccd}));
    if (!row) return fail(ErrorKind::not_found, "no member " + ref);
    n.known.member_refs.insert(ref);
    n.refs.members[ref] = row->i64(0);
  }
  return n;
}

inline Result<void> load_demo_sections(db::Connection& conn, const std::vector<chidoan::bundle::Section>& sections) {
  FixedClock later{std::chrono::sys_days{std::chrono::year{2022} / 1 / 15}};
  nlohmann::json doc = demo_bundle_full();
  CHIDOAN_TRY(names, demo_names(conn));
  const auto& known = names.known;
  const auto& refs = names.refs;
  for (const auto& s : sections) CHIDOAN_TRY_VOID(s.validate(conn, doc[s.key], known));
  return conn.transaction([&]() -> Result<void> {
    for (const auto& s : sections) CHIDOAN_TRY_VOID(s.load(conn, later, doc[s.key], refs));
    return {};
  });
}

// Services over `pool` with fast password hashing. REQUIRES: the arguments outlive the result.
inline web::Services test_services(db::Pool& pool, const Clock& clock, const render::Renderer& renderer) {
  web::Services s;
  s.pool = &pool;
  s.clock = &clock;
  s.renderer = &renderer;
  s.auth.hash = auth::HashParams::min();
  return s;
}

}  // namespace chidoan::testing
