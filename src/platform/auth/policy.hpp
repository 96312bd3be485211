// Authorisation: one pure function of role × action × org scope. Every handler asks it
// before doing anything (refuse early); it is tested as a full matrix (policy_test.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "platform/auth/model.hpp"

namespace chidoan::auth {

enum class Action {
  view_org_tree,
  view_org,
  manage_org,        // create, rename, move, split, merge, dissolve children
  view_members,
  edit_member,
  member_lifecycle,  // admit, transfer, mature, remove
  import_members,
  export_members,
  manage_users,
  view_audit,
  view_own_profile,
  edit_own_profile,
  view_metrics,
  view_activities,    // activities, attendance, study campaigns, meetings, participation
  manage_activities,  // create and edit activities, sign others up, take attendance, approve hours
  view_dues,          // the dues book of a branch
  manage_dues,        // rates, payments, exemptions, remittances
  view_fund,          // donation campaigns, their ledger and totals
  manage_fund,        // create campaigns, record contributions and outflows, issue receipts
  view_blood,         // a blood-donation club's page and statistics (counts only)
  manage_blood_club,  // found a club, appoint and remove its coordinators
  coordinate_blood,   // the roster with blood groups and phones, emergency requests, call-outs:
                      // only with Grant::blood_coordinator on the club's org (not by role)
  view_desk,          // a help desk's roster, KPI and log counts; one's own shifts and sign-ups
  manage_desk,        // a help desk's set-up, roster, no-shows, assistance log and dossier figures:
                      // by role, or with Grant::desk_coordinator on the center's org
  view_ideas,         // an org's idea forums and their ideas; posting, supporting, commenting
                      // (who may post or support in a forum is the forum's rule on top)
  manage_ideas,       // create and edit forums, name mentors, move ideas through their states
  moderate_ideas,     // hide and restore reported ideas and comments: by role, or with
                      // Grant::ideas_moderator on the forum's org
  write_news,         // write news posts of an org and send them for approval; see one's own
  manage_news,        // the org's posts: approve and publish, return, withdraw, edit any
  rate_members,       // a branch's year review: propose and confirm its members' ratings and its own
                      // classification score sheet
  approve_ratings,    // approve (or send back) the ratings and classification of the orgs *below*:
                      // asked with the scope of the reviewed org's parent, so a branch never
                      // approves itself
  manage_awards,      // the awards register: record and remove awards of members and orgs
};

inline constexpr Action kAllActions[] = {
    Action::view_org_tree,  Action::view_org,         Action::manage_org,     Action::view_members,
    Action::edit_member,    Action::member_lifecycle, Action::import_members, Action::export_members,
    Action::manage_users,   Action::view_audit,       Action::view_own_profile, Action::edit_own_profile,
    Action::view_metrics,   Action::view_activities, Action::manage_activities, Action::view_dues,
    Action::manage_dues,    Action::view_fund,       Action::manage_fund,    Action::view_blood,
    Action::manage_blood_club, Action::coordinate_blood, Action::view_desk, Action::manage_desk,
    Action::view_ideas,     Action::manage_ideas,    Action::moderate_ideas, Action::write_news,
    Action::manage_news,    Action::rate_members,    Action::approve_ratings, Action::manage_awards,
};

std::string_view action_name(Action a);

// What an action is applied to.
struct Scope {
  // Ids from the root of the tree down to the target org, inclusive; empty for system-wide.
  std::vector<int64_t> org_path;
  // The target member, if any.
  std::optional<int64_t> member_id;
};

// system_admin: everything, everywhere.
// org_manager: every action but view_metrics inside the subtree rooted at its org (its org
//   id is on scope.org_path); own profile as below.
// branch_secretary: inside its branch: view_org, view_members, edit_member, member_lifecycle,
//   import_members, export_members, view_audit; own profile as below.
// member: view_org and view_members (the roll) of its branch; own profile as below.
// Own profile (view_own_profile, edit_own_profile) for every non-admin role: only when
//   scope.member_id is the principal's member_id.
// Grant-only actions (coordinate_blood): for any role, system_admin included, only when the
//   principal holds the grant on an org of scope.org_path. Grants that add to a role
//   (desk_coordinator → manage_desk, view_desk; ideas_moderator → moderate_ideas): allowed with the grant on an org of
//   scope.org_path, whatever the role. Anything else: refused.
bool allowed(const Principal& p, Action action, const Scope& scope);

}  // namespace chidoan::auth
