// The full authorisation matrix: every role × every action × six kinds of scope, against a
// table written out by hand (not derived from the policy's own logic).
#include "platform/auth/policy.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace chidoan::auth {
namespace {

// The tree used here: 1 (Trung ương) > 2 (Tỉnh đoàn) > 3 (chi đoàn); 1 > 4 > 5 elsewhere.
// Every non-admin principal has member profile 10; member 20 is someone else in branch 3.
// Nobody in the table holds a grant (Grants below).
Principal principal(Role role, int64_t org_id, std::optional<int64_t> member_id = 10) {
  Principal p;
  p.user_id = 1;
  p.username = "u";
  p.role = role;
  p.org_id = org_id;
  p.member_id = member_id;
  return p;
}

// Columns of the table, in order.
const Scope kScopes[] = {
    Scope{{1, 2, 3}, std::nullopt},  // in:    branch 3, no member
    Scope{{1, 4, 5}, std::nullopt},  // out:   a branch in another subtree
    Scope{{1, 2, 3}, 10},            // own:   the principal's own member profile in branch 3
    Scope{{1, 2, 3}, 20},            // other: another member of branch 3
    Scope{{}, std::nullopt},         // sys:   system-wide
    Scope{{1, 2}, std::nullopt},     // up:    org 2, the parent of branch 3
};
const char* const kScopeNames[] = {"in", "out", "own", "other", "sys", "up"};

struct Case {
  Role role;
  int64_t org_id;
  // action -> expected per scope column (in, out, own, other, sys, up); Y allowed, N refused.
  std::map<Action, std::string> expected;
};

const Case kCases[] = {
    {Role::system_admin, 1,
     {
         {Action::view_org_tree, "YYYYYY"},
         {Action::view_org, "YYYYYY"},
         {Action::manage_org, "YYYYYY"},
         {Action::view_members, "YYYYYY"},
         {Action::edit_member, "YYYYYY"},
         {Action::member_lifecycle, "YYYYYY"},
         {Action::import_members, "YYYYYY"},
         {Action::export_members, "YYYYYY"},
         {Action::manage_users, "YYYYYY"},
         {Action::view_audit, "YYYYYY"},
         {Action::view_own_profile, "YYYYYY"},
         {Action::edit_own_profile, "YYYYYY"},
         {Action::view_metrics, "YYYYYY"},
         {Action::view_activities, "YYYYYY"},
         {Action::manage_activities, "YYYYYY"},
         {Action::view_dues, "YYYYYY"},
         {Action::manage_dues, "YYYYYY"},
         {Action::view_fund, "YYYYYY"},
         {Action::manage_fund, "YYYYYY"},
         {Action::view_blood, "YYYYYY"},
         {Action::manage_blood_club, "YYYYYY"},
         {Action::coordinate_blood, "NNNNNN"},
         {Action::view_desk, "YYYYYY"},
         {Action::manage_desk, "YYYYYY"},
         {Action::view_ideas, "YYYYYY"},
         {Action::manage_ideas, "YYYYYY"},
         {Action::moderate_ideas, "YYYYYY"},
         {Action::write_news, "YYYYYY"},
         {Action::manage_news, "YYYYYY"},
         {Action::rate_members, "YYYYYY"},
         {Action::approve_ratings, "YYYYYY"},
         {Action::manage_awards, "YYYYYY"},
     }},
    {Role::org_manager, 2,
     {
         {Action::view_org_tree, "YNYYNY"},
         {Action::view_org, "YNYYNY"},
         {Action::manage_org, "YNYYNY"},
         {Action::view_members, "YNYYNY"},
         {Action::edit_member, "YNYYNY"},
         {Action::member_lifecycle, "YNYYNY"},
         {Action::import_members, "YNYYNY"},
         {Action::export_members, "YNYYNY"},
         {Action::manage_users, "YNYYNY"},
         {Action::view_audit, "YNYYNY"},
         {Action::view_own_profile, "NNYNNN"},
         {Action::edit_own_profile, "NNYNNN"},
         {Action::view_metrics, "NNNNNN"},
         {Action::view_activities, "YNYYNY"},
         {Action::manage_activities, "YNYYNY"},
         {Action::view_dues, "YNYYNY"},
         {Action::manage_dues, "YNYYNY"},
         {Action::view_fund, "YNYYNY"},
         {Action::manage_fund, "YNYYNY"},
         {Action::view_blood, "YNYYNY"},
         {Action::manage_blood_club, "YNYYNY"},
         {Action::coordinate_blood, "NNNNNN"},
         {Action::view_desk, "YNYYNY"},
         {Action::manage_desk, "YNYYNY"},
         {Action::view_ideas, "YNYYNY"},
         {Action::manage_ideas, "YNYYNY"},
         {Action::moderate_ideas, "YNYYNY"},
         {Action::write_news, "YNYYNY"},
         {Action::manage_news, "YNYYNY"},
         {Action::rate_members, "YNYYNY"},
         {Action::approve_ratings, "YNYYNY"},
         {Action::manage_awards, "YNYYNY"},
     }},
    {Role::branch_secretary, 3,
     {
         {Action::view_org_tree, "NNNNNN"},
         {Action::view_org, "YNYYNN"},
         {Action::manage_org, "NNNNNN"},
         {Action::view_members, "YNYYNN"},
         {Action::edit_member, "YNYYNN"},
         {Action::member_lifecycle, "YNYYNN"},
         {Action::import_members, "YNYYNN"},
         {Action::export_members, "YNYYNN"},
         {Action::manage_users, "NNNNNN"},
         {Action::view_audit, "YNYYNN"},
         {Action::view_own_profile, "NNYNNN"},
         {Action::edit_own_profile, "NNYNNN"},
         {Action::view_metrics, "NNNNNN"},
         {Action::view_activities, "YNYYNN"},
         {Action::manage_activities, "YNYYNN"},
         {Action::view_dues, "YNYYNN"},
         {Action::manage_dues, "YNYYNN"},
         {Action::view_fund, "YNYYNN"},
         {Action::manage_fund, "YNYYNN"},
         {Action::view_blood, "YNYYNN"},
         {Action::manage_blood_club, "YNYYNN"},
         {Action::coordinate_blood, "NNNNNN"},
         {Action::view_desk, "YNYYNN"},
         {Action::manage_desk, "YNYYNN"},
         {Action::view_ideas, "YNYYNN"},
         {Action::manage_ideas, "YNYYNN"},
         {Action::moderate_ideas, "YNYYNN"},
         {Action::write_news, "YNYYNN"},
         {Action::manage_news, "YNYYNN"},
         {Action::rate_members, "YNYYNN"},
         {Action::approve_ratings, "NNNNNN"},
         {Action::manage_awards, "NNNNNN"},
     }},
    {Role::member, 3,
     {
         {Action::view_org_tree, "NNNNNN"},
         {Action::view_org, "YNYYNN"},
         {Action::manage_org, "NNNNNN"},
         {Action::view_members, "YNYYNN"},
         {Action::edit_member, "NNNNNN"},
         {Action::member_lifecycle, "NNNNNN"},
         {Action::import_members, "NNNNNN"},
         {Action::export_members, "NNNNNN"},
         {Action::manage_users, "NNNNNN"},
         {Action::view_audit, "NNNNNN"},
         {Action::view_own_profile, "NNYNNN"},
         {Action::edit_own_profile, "NNYNNN"},
         {Action::view_metrics, "NNNNNN"},
         {Action::view_activities, "YNYYNN"},
         {Action::manage_activities, "NNNNNN"},
         {Action::view_dues, "NNNNNN"},
         {Action::manage_dues, "NNNNNN"},
         {Action::view_fund, "YNYYNN"},
         {Action::manage_fund, "NNNNNN"},
         {Action::view_blood, "YNYYNN"},
         {Action::manage_blood_club, "NNNNNN"},
         {Action::coordinate_blood, "NNNNNN"},
         {Action::view_desk, "YNYYNN"},
         {Action::manage_desk, "NNNNNN"},
         {Action::view_ideas, "YNYYNN"},
         {Action::manage_ideas, "NNNNNN"},
         {Action::moderate_ideas, "NNNNNN"},
         {Action::write_news, "YNYYNN"},
         {Action::manage_news, "NNNNNN"},
         {Action::rate_members, "NNNNNN"},
         {Action::approve_ratings, "NNNNNN"},
         {Action::manage_awards, "NNNNNN"},
     }},
};

TEST(Policy, FullMatrix) {
  int checked = 0;
  for (const Case& c : kCases) {
    Principal p = principal(c.role, c.org_id);
    ASSERT_EQ(c.expected.size(), std::size(kAllActions)) << role_name(c.role) << ": table misses an action";
    for (Action a : kAllActions) {
      const std::string& row = c.expected.at(a);
      ASSERT_EQ(row.size(), std::size(kScopes));
      for (size_t s = 0; s < std::size(kScopes); ++s) {
        EXPECT_EQ(allowed(p, a, kScopes[s]), row[s] == 'Y')
            << role_name(c.role) << " × " << action_name(a) << " × " << kScopeNames[s];
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 4 * 32 * 6);
}

TEST(Policy, OwnProfileNeedsALinkedMember) {
  // Without a member profile, an absent scope member must not count as "own".
  for (Role r : {Role::org_manager, Role::branch_secretary, Role::member}) {
    Principal p = principal(r, 3, std::nullopt);
    EXPECT_FALSE(allowed(p, Action::view_own_profile, Scope{{1, 2, 3}, std::nullopt})) << role_name(r);
    EXPECT_FALSE(allowed(p, Action::edit_own_profile, Scope{{1, 2, 3}, std::nullopt})) << role_name(r);
    EXPECT_FALSE(allowed(p, Action::edit_own_profile, Scope{{1, 2, 3}, 10})) << role_name(r);
  }
}

TEST(Policy, OwnProfileFollowsTheMemberNotTheBranch) {
  // A member whose profile now sits in another branch (the account's org not yet updated)
  // still sees and edits only that one profile.
  Principal p = principal(Role::member, 3);
  EXPECT_TRUE(allowed(p, Action::view_own_profile, Scope{{1, 4, 5}, 10}));
  EXPECT_FALSE(allowed(p, Action::view_members, Scope{{1, 4, 5}, 10}));
}

TEST(Policy, UnsetOrgNeverMatches) {
  Principal p = principal(Role::org_manager, 0);
  EXPECT_FALSE(allowed(p, Action::view_org, Scope{{0}, std::nullopt}));
}

TEST(Policy, ActionNamesAreDistinct) {
  std::map<std::string_view, int> seen;
  for (Action a : kAllActions) ++seen[action_name(a)];
  EXPECT_EQ(seen.size(), std::size(kAllActions));
}

// Grant-only actions follow the grant, never the role: the same table for every role.
TEST(Policy, Grants) {
  const Role roles[] = {Role::system_admin, Role::org_manager, Role::branch_secretary, Role::member};
  for (Role r : roles) {
    Principal p = principal(r, r == Role::org_manager ? 2 : r == Role::system_admin ? 1 : 3);
    p.grants = {GrantOn{Grant::blood_coordinator, 2}};  // over org 2: branch 3 is inside, 5 is not
    const std::string want = "YNYYNY";               // in, out, own, other, sys, up
    for (size_t s = 0; s < std::size(kScopes); ++s)
      EXPECT_EQ(allowed(p, Action::coordinate_blood, kScopes[s]), want[s] == 'Y') << role_name(r) << " × " << kScopeNames[s];
    p.grants = {GrantOn{Grant::blood_coordinator, 3}};  // over branch 3 only: not its parent
    EXPECT_TRUE(allowed(p, Action::coordinate_blood, kScopes[0]));
    EXPECT_FALSE(allowed(p, Action::coordinate_blood, kScopes[5])) << role_name(r);
    p.grants.clear();
    for (const Scope& sc : kScopes) EXPECT_FALSE(allowed(p, Action::coordinate_blood, sc)) << role_name(r);
  }
  for (Grant g : kAllGrants) EXPECT_EQ(parse_grant(grant_name(g)), g);
}

// A grant that adds to a role: a member holding desk_coordinator manages the desk of its
// subtree; without it, by role only.
TEST(Policy, GrantsAddingToARole) {
  Principal p = principal(Role::member, 3);
  EXPECT_FALSE(allowed(p, Action::manage_desk, kScopes[0]));
  p.grants = {GrantOn{Grant::desk_coordinator, 3}};
  const std::string want = "YNYYNN";  // in, out, own, other, sys, up
  for (size_t s = 0; s < std::size(kScopes); ++s)
    EXPECT_EQ(allowed(p, Action::manage_desk, kScopes[s]), want[s] == 'Y') << kScopeNames[s];
  EXPECT_FALSE(allowed(p, Action::manage_activities, kScopes[0]));
  EXPECT_FALSE(allowed(p, Action::coordinate_blood, kScopes[0]));
  EXPECT_FALSE(allowed(p, Action::moderate_ideas, kScopes[0]));
  p.grants = {GrantOn{Grant::ideas_moderator, 3}};
  for (size_t s = 0; s < std::size(kScopes); ++s)
    EXPECT_EQ(allowed(p, Action::moderate_ideas, kScopes[s]), want[s] == 'Y') << kScopeNames[s];
  EXPECT_FALSE(allowed(p, Action::manage_ideas, kScopes[0]));
  EXPECT_EQ(parse_grant("admin"), std::nullopt);
}

}  // namespace
}  // namespace chidoan::auth
