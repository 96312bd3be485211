// SQL for the organisation tree, units and members.
//
// REQUIRES: write methods run inside Connection::transaction() — the caller owns the
// transaction so that a write and its audit entry commit together, and a bulk job (import,
// bundle load) commits all or nothing. The Store does not own the connection or the clock;
// both must outlive it. Not thread-safe (one per request).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "org/model.hpp"
#include "org/rules.hpp"
#include "platform/core/clock.hpp"
#include "platform/auth/policy.hpp"
#include "platform/db/db.hpp"

namespace chidoan::org {

struct NewOrg {
  std::string code;
  std::string name;
  int64_t level_id = 0;
  std::optional<int64_t> parent_id;
  std::string founded_on;
};

// "Họ Đệm Tên" from three name columns of a row (family, middle, given), starting at `family`.
std::string full_name_of(const db::Row& r, size_t family);

class Store {
 public:
  Store(db::Connection& conn, const Clock& clock) : db_(conn), clock_(clock) {}

  // Levels. install_default_levels() adds the five default levels when none exist.
  Result<std::vector<Level>> levels();
  Result<Level> level(int64_t id);
  Result<void> install_default_levels();
  Result<int64_t> add_level(const Level& level);

  // Orgs. `under` restricts to a subtree (the org itself included).
  Result<std::vector<Org>> orgs(std::optional<int64_t> under = std::nullopt);
  // The orgs directly under `id` (not the whole subtree, which is 100,000 orgs at the top).
  Result<std::vector<Org>> children(int64_t id);
  Result<Org> org(int64_t id);
  Result<std::optional<Org>> org_by_code(const std::string& code);
  // Ids from the root down to `id`, inclusive (for the policy).
  static std::vector<int64_t> path_ids(const std::string& path);
  // The first path after a subtree's: the subtree of "/1/5/" is "/1/5/" <= path < "/1/50" (paths
  // hold digits and '/'), an index range on both engines.
  static std::string path_end(const std::string& path);
  // Whether the subtree at `path` holds every org (the national level's, or "/").
  Result<bool> covers_everything(const std::string& path);

  // Adds an org; with `record_event` a dated "create" event is kept when founded_on is set.
  Result<int64_t> create_org(const NewOrg& in, bool record_event = true);
  // Sets the end state directly (bundle load); the dated events are loaded separately.
  Result<void> set_org_end(int64_t id, const std::string& status, const std::string& ended_on);
  // The dated changes below take effect on a day neither in the future nor before the org (any
  // org they name) was founded; a rename not before the org's last one.
  Result<void> rename_org(int64_t id, const std::string& name, const std::string& effective_on);
  Result<void> move_org(int64_t id, int64_t new_parent_id, const std::string& effective_on);
  // Creates a new branch beside `source_id` and moves the chosen members into it.
  Result<int64_t> split_branch(int64_t source_id, const NewOrg& new_branch, const std::vector<int64_t>& member_ids,
                               const std::string& effective_on);
  // Moves every current member of `from_id` into `into_id`; `from_id` ends as merged.
  Result<void> merge_branch(int64_t from_id, int64_t into_id, const std::string& effective_on);
  // Ends an org that has no current members and no active children.
  Result<void> dissolve_org(int64_t id, const std::string& effective_on, const std::string& reason);
  Result<std::vector<OrgEvent>> org_events(int64_t id);
  // The org's name on `date` (ISO), from its rename history.
  Result<std::string> org_name_on(int64_t id, const std::string& date);
  Result<int64_t> add_org_event(const OrgEvent& e);

  // Members in the subtree of `o` on `as_of` (ISO date), from the dated history; the pages pass
  // the org they have read already, the id form reads it.
  Result<int64_t> member_count(const Org& o, const std::string& as_of);
  Result<int64_t> member_count(int64_t org_id, const std::string& as_of);

  // Units.
  Result<std::vector<Unit>> units(int64_t org_id);
  Result<int64_t> add_unit(int64_t org_id, const std::string& name);

  // Members.
  Result<MemberPage> members(const Org& scope, const MemberQuery& q, Date today);
  // How members() pages through a search (see store.cpp); tests lower them to reach every
  // boundary with a few rows.
  struct SearchLimits {
    int64_t count_cap = kMemberCountCap;  // counting stops past this many matches
    int64_t search_cap = kMemberSearchCountCap;  // … of a search in a scope larger than a branch
    int64_t first_chunk = 16;             // names read at first; each next chunk is 4 × (≤ 1024)
    int64_t count_names = 256;            // names read past a full page only to count the total
  };
  void set_search_limits(const SearchLimits& limits) { limits_ = limits; }
  // Called after each move of a member out of a branch, in its transaction (follow_member): into
  // `to_branch`, or off the roll (empty); and for each member of a subtree moved to another
  // parent (move_org; `to_branch` their own). Other modules release what the member held there.
  using MovedHook = std::function<Result<void>(int64_t member_id, std::optional<int64_t> to_branch)>;
  void on_member_moved(MovedHook hook) { moved_ = std::move(hook); }
  Result<Member> member(int64_t id);
  Result<int64_t> add_member(int64_t branch_id, const MemberInput& in);
  // add_member for each input in order, in bulk: the same rows (ids, members, member_periods,
  // member_events) with the same checks, and on failure the same error as the first add_member
  // that would fail; `*failed` (if given) is then the index of the input at fault (0 when the
  // error is the branch's or the database's). Returns the new ids in input order; an empty span
  // writes and checks nothing. REQUIRES: inside a transaction (the ids are reserved ahead, and
  // a failure must leave nothing behind).
  Result<std::vector<int64_t>> add_members(int64_t branch_id, std::span<const MemberInput> in, size_t* failed = nullptr);
  Result<void> update_member(int64_t id, const MemberInput& in);
  // Waits, until commit, for the other writers of the branch's roll (adding, merging, dissolving,
  // importing: lock_until_commit on PostgreSQL), so that what is read next is theirs too.
  Result<void> lock_roll(int64_t branch_id) { return lock_org(branch_id); }
  // On PostgreSQL a change of a member waits for any other change of the same member, and of the
  // branch it moves into, until commit (lock_until_commit): READ COMMITTED would otherwise let two
  // at once both close "the open stay" and leave the member in two branches.
  Result<void> apply_lifecycle(int64_t member_id, rules::Lifecycle action, const std::string& effective_on,
                               const std::string& reason, std::optional<int64_t> target_branch_id, Date today);
  Result<std::vector<Period>> periods(int64_t member_id);
  Result<std::vector<MemberEvent>> member_events(int64_t member_id);
  // Low-level writers, used by the bundle loader: a member row without history, then its
  // periods and events.
  Result<int64_t> insert_member(int64_t branch_id, const MemberInput& in, const std::string& status);
  Result<void> add_period(int64_t member_id, const Period& p);
  Result<void> add_member_event(const MemberEvent& e);
  Result<std::optional<int64_t>> member_by_cccd(const std::string& cccd);
  // Those of `cccds` that some member already has (looked up in chunks).
  Result<std::set<std::string>> cccds_in_use(std::span<const std::string> cccds);

 private:
  Result<void> check_member_branch(int64_t branch_id);
  Result<void> check_member_refs(int64_t branch_id, const MemberInput& in, std::optional<int64_t> self);
  // With `keep_unit` (a split or a merge: the same people at the same workplace) the member's
  // work unit goes along, as the unit of that name in the new branch (made when missing); on a
  // transfer it stays behind with the old branch's agency.
  Result<void> move_member(int64_t member_id, int64_t from_branch, int64_t to_branch, const std::string& on,
                           const std::string& out_kind, const std::string& in_kind, const std::string& reason, bool keep_unit);
  Result<void> close_period(int64_t member_id, const std::string& on);
  // The accounts the member holds as one of `from_branch` (role member or branch_secretary there)
  // follow the member: into `to_branch` as a plain member (committee roles end with the stay, as
  // members.committee_role does), or, when the member leaves the Union's roll, disabled with their
  // sessions ended. Their grants on `from_branch` end either way.
  Result<void> follow_member(int64_t member_id, int64_t from_branch, std::optional<int64_t> to_branch);
  int64_t now() const { return clock_.unix_seconds(); }
  // The writers of one org's roll and of one member wait for each other (db::lock_until_commit):
  // orgs first, in ascending order, then members.
  static constexpr int64_t kOrgLocks = 11, kMemberLocks = 12;
  Result<void> lock_org(int64_t id) { return db::lock_until_commit(db_, kOrgLocks, id); }
  Result<void> lock_member(int64_t id) { return db::lock_until_commit(db_, kMemberLocks, id); }
  // `on` is a day, not in the future, not before `o` was founded.
  Result<void> check_effective(const Org& o, const std::string& on) const;

  db::Connection& db_;
  const Clock& clock_;
  SearchLimits limits_;
  MovedHook moved_;
};

// The policy's scope of an org: its path from the root (auth::allowed, Ctx::authorize).
auth::Scope scope_of(const Org& o);

}  // namespace chidoan::org
