#include "platform/auth/policy.hpp"

#include <algorithm>

namespace chidoan::auth {

std::string_view action_name(Action a) {
  switch (a) {
    case Action::view_org_tree: return "view_org_tree";
    case Action::view_org: return "view_org";
    case Action::manage_org: return "manage_org";
    case Action::view_members: return "view_members";
    case Action::edit_member: return "edit_member";
    case Action::member_lifecycle: return "member_lifecycle";
    case Action::import_members: return "import_members";
    case Action::export_members: return "export_members";
    case Action::manage_users: return "manage_users";
    case Action::view_audit: return "view_audit";
    case Action::view_own_profile: return "view_own_profile";
    case Action::edit_own_profile: return "edit_own_profile";
    case Action::view_metrics: return "view_metrics";
    case Action::view_activities: return "view_activities";
    case Action::manage_activities: return "manage_activities";
    case Action::view_dues: return "view_dues";
    case Action::manage_dues: return "manage_dues";
    case Action::view_fund: return "view_fund";
    case Action::manage_fund: return "manage_fund";
    case Action::view_blood: return "view_blood";
    case Action::manage_blood_club: return "manage_blood_club";
    case Action::coordinate_blood: return "coordinate_blood";
    case Action::view_desk: return "view_desk";
    case Action::manage_desk: return "manage_desk";
    case Action::view_ideas: return "view_ideas";
    case Action::manage_ideas: return "manage_ideas";
    case Action::moderate_ideas: return "moderate_ideas";
    case Action::write_news: return "write_news";
    case Action::manage_news: return "manage_news";
    case Action::rate_members: return "rate_members";
    case Action::approve_ratings: return "approve_ratings";
    case Action::manage_awards: return "manage_awards";
  }
  return "unknown";
}

namespace {

bool on_path(const Scope& scope, int64_t org_id) {
  return org_id != 0 && std::ranges::find(scope.org_path, org_id) != scope.org_path.end();
}

// The grant an action needs instead of a role, if any.
std::optional<Grant> grant_for(Action action) {
  if (action == Action::coordinate_blood) return Grant::blood_coordinator;
  return std::nullopt;
}

// The grant that allows an action on top of the role, if any.
std::optional<Grant> extra_grant_for(Action action) {
  if (action == Action::manage_desk || action == Action::view_desk) return Grant::desk_coordinator;
  if (action == Action::moderate_ideas) return Grant::ideas_moderator;
  return std::nullopt;
}

bool holds(const Principal& p, Grant g, const Scope& scope) {
  return std::ranges::any_of(p.grants, [&](const GrantOn& held) { return held.grant == g && on_path(scope, held.org_id); });
}

}  // namespace

bool allowed(const Principal& p, Action action, const Scope& scope) {
  if (auto g = grant_for(action)) return holds(p, *g, scope);
  if (auto g = extra_grant_for(action); g && holds(p, *g, scope)) return true;
  if (p.role == Role::system_admin) return true;

  if (action == Action::view_own_profile || action == Action::edit_own_profile)
    return p.member_id.has_value() && scope.member_id == p.member_id;

  if (!on_path(scope, p.org_id)) return false;

  switch (p.role) {
    case Role::system_admin:
      return true;
    case Role::org_manager:
      return action != Action::view_metrics;
    case Role::branch_secretary:
      switch (action) {
        case Action::view_org:
        case Action::view_members:
        case Action::edit_member:
        case Action::member_lifecycle:
        case Action::import_members:
        case Action::export_members:
        case Action::view_audit:
        case Action::view_activities:
        case Action::manage_activities:
        case Action::view_dues:
        case Action::manage_dues:
        case Action::view_fund:
        case Action::manage_fund:
        case Action::view_blood:
        case Action::manage_blood_club:
        case Action::view_desk:
        case Action::manage_desk:
        case Action::view_ideas:
        case Action::manage_ideas:
        case Action::moderate_ideas:
        case Action::write_news:
        case Action::manage_news:
        case Action::rate_members:
          return true;
        default:
          return false;
      }
    case Role::member:
      return action == Action::view_org || action == Action::view_members || action == Action::view_activities ||
             action == Action::view_fund || action == Action::view_blood || action == Action::view_desk ||
             action == Action::view_ideas || action == Action::write_news;
  }
  return false;
}

}  // namespace chidoan::auth
