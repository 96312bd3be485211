// What every route of the application needs (route_needs): the authorisation matrix's table,
// written out by hand, and what each test role may do in its own scope and outside it. Shared by
// app_test.cpp (PolicyMatrixOverEveryScopedRoute: routes that take an org's, member's, activity's,
// campaign's, produce or blood id) and security_test.cpp (the routes named by their own ids).
//
// The roles are the tests' users: admin (system administrator), doankhoi (manager of the Đoàn
// khối above the branch), sangpv (the branch's secretary) and thanhvien (a member of the branch;
// in app_test.cpp also the holder of the branch's blood-coordinator grant).
#pragma once

#include <map>
#include <string>

namespace chidoan::testing {

enum class Need {
  view_org, view_members, edit, lifecycle, import, export_, manage, open,
  view_activities, manage_activities, view_dues, manage_dues, view_fund, manage_fund,
  view_blood, manage_blood_club,
  coordinate_blood,  // only the holder of the blood_coordinator grant (thanhvien, on the branch)
  view_desk, manage_desk,
  view_ideas, manage_ideas, moderate_ideas,
  write_news, manage_news,
  rate_members,     // a branch's own year review (ratings proposed and confirmed, its score sheet)
  approve_ratings,  // the level above approves: never the branch's own committee
  manage_awards,    // the awards register: upper levels and the administrator
  public_page,  // anyone, signed in or not, in any scope (the public news pages)
  system_admin,  // national data: the system administrator only
  self,         // acts for the caller's own member record: allowed to try wherever the activity is visible
  own_only,     // only the member themself, never on someone else's record (not even an administrator)
  join,         // a committee joins with its own org: any manager may try; the target decides
  secret,       // guarded by a code from a QR image, not by scope
};

// Every route the router knows, with the permission it needs. A new route must be added here.
inline const std::map<std::string, Need>& route_needs() {
  static const std::map<std::string, Need> m = {
      {"GET /", Need::open},
      {"GET /login", Need::open},
      {"POST /login", Need::open},
      {"POST /logout", Need::open},
      {"POST /logout-all", Need::open},
      {"POST /api/v1/logout-all", Need::open},
      {"GET /api/v1/me", Need::open},
      {"GET /lang/{code}", Need::open},
      {"GET /healthz", Need::open},
      {"GET /metrics", Need::open},
      {"GET /orgs", Need::open},
      {"GET /orgs/{id:int}", Need::view_org},
      {"GET /orgs/{id:int}/members", Need::view_members},
      {"POST /orgs/{id:int}/members", Need::edit},
      {"GET /orgs/{id:int}/members/new", Need::edit},
      {"POST /orgs/{id:int}/children", Need::manage},
      {"POST /orgs/{id:int}/rename", Need::manage},
      {"POST /orgs/{id:int}/move", Need::manage},
      {"POST /orgs/{id:int}/split", Need::manage},
      {"POST /orgs/{id:int}/merge", Need::manage},
      {"POST /orgs/{id:int}/dissolve", Need::manage},
      {"POST /orgs/{id:int}/units", Need::edit},
      {"GET /orgs/{id:int}/import", Need::import},
      {"POST /orgs/{id:int}/import", Need::import},
      {"GET /orgs/{id:int}/export.csv", Need::export_},
      {"GET /orgs/{id:int}/export.xlsx", Need::export_},
      {"GET /members/{id:int}", Need::view_members},
      {"GET /members/{id:int}/edit", Need::edit},
      {"POST /members/{id:int}", Need::edit},
      {"PUT /members/{id:int}", Need::edit},
      {"POST /members/{id:int}/lifecycle", Need::lifecycle},
      {"GET /orgs/{id:int}/activities", Need::view_activities},
      {"POST /orgs/{id:int}/activities", Need::manage_activities},
      {"GET /orgs/{id:int}/activities/new", Need::manage_activities},
      {"GET /orgs/{id:int}/participation", Need::view_activities},
      {"GET /orgs/{id:int}/meetings", Need::view_activities},
      {"GET /orgs/{id:int}/study", Need::view_activities},
      {"GET /activities/{id:int}", Need::view_activities},
      {"GET /activities/{id:int}/edit", Need::manage_activities},
      {"POST /activities/{id:int}", Need::manage_activities},
      {"PUT /activities/{id:int}", Need::manage_activities},
      {"POST /activities/{id:int}/join", Need::join},
      {"POST /activities/{id:int}/signups", Need::self},
      {"POST /activities/{id:int}/signups/{mid:int}/cancel", Need::manage_activities},
      {"POST /activities/{id:int}/cancel", Need::self},
      {"POST /activities/{id:int}/attendance", Need::manage_activities},
      {"POST /activities/{id:int}/hours", Need::self},
      {"POST /activities/{id:int}/hours/{mid:int}/approve", Need::manage_activities},
      {"POST /activities/{id:int}/study", Need::self},
      {"GET /activities/{id:int}/qr.svg", Need::manage_activities},
      {"GET /activities/{id:int}/checkin", Need::secret},
      {"POST /activities/{id:int}/checkin", Need::secret},
      {"POST /activities/{id:int}/checkout", Need::secret},
      {"GET /members/{id:int}/activities", Need::view_activities},
      {"POST /members/{id:int}/calendar", Need::own_only},
      {"GET /calendar/{token}", Need::open},
      {"GET /orgs/{id:int}/dues", Need::view_dues},
      {"POST /orgs/{id:int}/dues/payments", Need::manage_dues},
      {"POST /orgs/{id:int}/dues/payments/{pid:int}/reverse", Need::manage_dues},
      {"POST /orgs/{id:int}/dues/exemptions", Need::manage_dues},
      {"POST /orgs/{id:int}/dues/remittances", Need::manage_dues},
      {"POST /orgs/{id:int}/dues/categories", Need::manage_dues},
      {"GET /dues/rates", Need::open},
      {"GET /orgs/{id:int}/campaigns", Need::view_fund},
      {"POST /orgs/{id:int}/campaigns", Need::manage_fund},
      {"GET /campaigns/{id:int}", Need::view_fund},
      {"POST /campaigns/{id:int}/contributions", Need::manage_fund},
      {"POST /campaigns/{id:int}/contributions/{cid:int}/reverse", Need::manage_fund},
      {"POST /campaigns/{id:int}/contributions/{cid:int}/receipt", Need::manage_fund},
      {"POST /campaigns/{id:int}/contributions/{cid:int}/edit", Need::manage_fund},
      {"PATCH /campaigns/{id:int}/contributions/{cid:int}", Need::manage_fund},
      {"GET /campaigns/{id:int}/contributions/{cid:int}/receipt.pdf", Need::view_fund},
      {"POST /campaigns/{id:int}/outflows", Need::manage_fund},
      {"POST /campaigns/{id:int}/outflows/{oid:int}/reverse", Need::manage_fund},
      {"POST /campaigns/{id:int}/rounds", Need::manage_fund},
      {"POST /campaigns/{id:int}/close", Need::manage_fund},
      {"POST /campaigns/{id:int}/reopen", Need::manage_fund},
      {"GET /campaigns/{id:int}/export.csv", Need::view_fund},
      {"GET /campaigns/{id:int}/export.xlsx", Need::view_fund},
      {"GET /orgs/{id:int}/produce", Need::view_fund},
      {"POST /orgs/{id:int}/produce/cycles", Need::manage_fund},
      {"GET /orgs/{id:int}/produce/suppliers", Need::view_fund},
      {"POST /orgs/{id:int}/produce/suppliers", Need::manage_fund},
      {"POST /produce/suppliers/{id:int}", Need::manage_fund},
      {"POST /produce/suppliers/{id:int}/products", Need::manage_fund},
      {"POST /produce/products/{id:int}", Need::manage_fund},
      {"GET /produce/cycles/{id:int}", Need::view_fund},
      {"POST /produce/cycles/{id:int}/order", Need::self},
      {"POST /produce/cycles/{id:int}/close", Need::manage_fund},
      {"POST /produce/cycles/{id:int}/finish", Need::manage_fund},
      {"GET /produce/cycles/{id:int}/sheet", Need::manage_fund},
      {"GET /produce/cycles/{id:int}/checklist", Need::manage_fund},
      {"POST /produce/cycles/{id:int}/checklist/{mid:int}", Need::manage_fund},
      {"POST /dues/rates", Need::system_admin},
      {"GET /orgs/{id:int}/blood", Need::view_blood},
      {"POST /orgs/{id:int}/blood", Need::manage_blood_club},
      {"GET /blood/clubs/{id:int}", Need::view_blood},
      {"POST /blood/clubs/{id:int}/coordinators", Need::manage_blood_club},
      {"POST /blood/clubs/{id:int}/coordinators/{uid:int}/remove", Need::manage_blood_club},
      {"POST /blood/clubs/{id:int}/join", Need::self},
      {"GET /blood/clubs/{id:int}/donors", Need::coordinate_blood},
      {"POST /blood/clubs/{id:int}/donors", Need::coordinate_blood},
      {"GET /blood/clubs/{id:int}/donors.csv", Need::coordinate_blood},
      {"GET /blood/clubs/{id:int}/requests", Need::coordinate_blood},
      {"POST /blood/clubs/{id:int}/requests", Need::coordinate_blood},
      {"POST /blood/requests", Need::open},  // the club comes from the body: tested apart
      {"GET /blood/compatibility", Need::open},
      {"GET /blood/donors/{id:int}", Need::coordinate_blood},  // or the donor themself: tested apart
      {"POST /blood/donors/{id:int}", Need::coordinate_blood},
      {"POST /blood/donors/{id:int}/consents", Need::coordinate_blood},
      {"POST /blood/donors/{id:int}/delete", Need::coordinate_blood},
      {"POST /blood/donors/{id:int}/donations", Need::coordinate_blood},
      {"POST /blood/donors/{id:int}/deferrals", Need::coordinate_blood},
      {"POST /blood/donors/{id:int}/donations/{did:int}/delete", Need::coordinate_blood},
      {"POST /blood/donors/{id:int}/deferrals/{did:int}/delete", Need::coordinate_blood},
      {"POST /blood/donors/{id:int}/phone", Need::coordinate_blood},
      {"GET /blood/requests/{id:int}", Need::coordinate_blood},
      {"POST /blood/requests/{id:int}/calls", Need::coordinate_blood},
      {"POST /blood/requests/{id:int}/donors/{did:int}/phone", Need::coordinate_blood},
      {"POST /blood/requests/{id:int}/status", Need::coordinate_blood},
      {"GET /me/donor", Need::open},
      // The help desk: routes naming a center, period, shift, request or assignment check the
      // policy through their center (src/desk/routes_test.cpp); the org's list is in the matrix.
      {"GET /orgs/{id:int}/desk", Need::view_desk},
      {"POST /orgs/{id:int}/desk", Need::manage_desk},
      {"GET /desk/centers/{cid:int}", Need::view_desk},
      {"POST /desk/centers/{cid:int}", Need::manage_desk},
      {"POST /desk/centers/{cid:int}/counters", Need::manage_desk},
      {"POST /desk/centers/{cid:int}/templates", Need::manage_desk},
      {"POST /desk/templates/{tid:int}/active", Need::manage_desk},
      {"POST /desk/centers/{cid:int}/periods", Need::manage_desk},
      {"GET /desk/periods/{pid:int}", Need::view_desk},
      {"POST /desk/periods/{pid:int}/availability", Need::self},
      {"POST /desk/periods/{pid:int}/roster", Need::manage_desk},
      {"POST /desk/shifts/{sid:int}/signup", Need::self},
      {"POST /desk/shifts/{sid:int}/drop", Need::self},
      {"POST /desk/shifts/{sid:int}/swap", Need::self},
      {"POST /desk/shifts/{sid:int}/assign", Need::manage_desk},
      {"POST /desk/shifts/{sid:int}/unassign", Need::manage_desk},
      {"POST /desk/requests/{rid:int}/accept", Need::self},
      {"POST /desk/requests/{rid:int}/approve", Need::manage_desk},
      {"POST /desk/requests/{rid:int}/refuse", Need::manage_desk},
      {"POST /desk/requests/{rid:int}/cancel", Need::self},
      {"POST /desk/assignments/{aid:int}/check-in", Need::self},
      {"POST /desk/assignments/{aid:int}/check-out", Need::self},
      {"POST /desk/assignments/{aid:int}/no-show", Need::manage_desk},
      {"GET /desk/centers/{cid:int}/kpi", Need::view_desk},
      {"GET /desk/centers/{cid:int}/kpi.svg", Need::view_desk},
      {"POST /desk/centers/{cid:int}/kpi/months", Need::manage_desk},
      {"POST /desk/centers/{cid:int}/kpi/months/delete", Need::manage_desk},
      {"POST /desk/centers/{cid:int}/kpi/target", Need::manage_desk},
      {"POST /desk/centers/{cid:int}/kpi/import", Need::manage_desk},
      {"GET /orgs/{id:int}/desk/kpi", Need::view_desk},
      {"GET /desk/centers/{cid:int}/procedures", Need::view_desk},
      {"POST /desk/centers/{cid:int}/procedures", Need::manage_desk},
      {"POST /desk/centers/{cid:int}/procedures/import", Need::manage_desk},
      {"POST /desk/procedures/{pid:int}", Need::manage_desk},
      {"POST /desk/procedures/{pid:int}/deactivate", Need::manage_desk},
      {"POST /desk/procedures/{pid:int}/activate", Need::manage_desk},
      {"GET /desk/centers/{cid:int}/assists", Need::view_desk},
      {"POST /desk/centers/{cid:int}/assists", Need::self},
      {"GET /desk/centers/{cid:int}/assists/stats", Need::view_desk},
      {"POST /desk/assists/{aid:int}/delete", Need::manage_desk},
      // Scanned papers: the assist's volunteer or the center's coordinators, checked through
      // the assist (src/scan/papers_routes_test.cpp).
      {"GET /desk/assists/{aid:int}/papers", Need::self},
      {"POST /desk/assists/{aid:int}/papers", Need::self},
      {"GET /desk/papers/{pid:int}", Need::self},
      {"POST /desk/papers/{pid:int}/pages", Need::self},
      {"POST /desk/papers/{pid:int}/pdf", Need::self},
      {"GET /desk/papers/{pid:int}/pdf", Need::self},
      {"POST /desk/papers/{pid:int}/delete", Need::self},
      {"GET /desk/pages/{gid:int}/thumbnail", Need::self},
      {"POST /desk/pages/{gid:int}/rotate", Need::self},
      {"POST /desk/pages/{gid:int}/move", Need::self},
      {"POST /desk/pages/{gid:int}/delete", Need::self},
      {"GET /desk/me", Need::open},
      {"POST /desk/me/calendar", Need::open},
      {"GET /desk/calendar/{token}", Need::open},
      // The ideas forum: routes naming a forum, an idea or an attachment check the policy through
      // the forum's org and the forum's own rules (src/ideas/routes_test.cpp).
      {"GET /orgs/{id:int}/ideas", Need::view_ideas},
      {"GET /orgs/{id:int}/ideas/forums", Need::view_ideas},
      {"POST /orgs/{id:int}/ideas/forums", Need::manage_ideas},
      {"GET /ideas/forums/{fid:int}", Need::view_ideas},
      {"POST /ideas/forums/{fid:int}", Need::manage_ideas},
      {"POST /ideas/forums/{fid:int}/mentors", Need::manage_ideas},
      {"POST /ideas/forums/{fid:int}/mentors/{uid:int}/remove", Need::manage_ideas},
      {"POST /ideas/forums/{fid:int}/ideas", Need::self},
      {"GET /ideas/forums/{fid:int}/results", Need::view_ideas},
      {"GET /ideas/{iid:int}", Need::view_ideas},
      {"POST /ideas/{iid:int}", Need::self},
      {"POST /ideas/{iid:int}/state", Need::self},
      {"POST /ideas/{iid:int}/support", Need::self},
      {"POST /ideas/{iid:int}/support/withdraw", Need::self},
      {"POST /ideas/{iid:int}/coauthors", Need::self},
      {"POST /ideas/{iid:int}/coauthors/{mid:int}/accept", Need::self},
      {"POST /ideas/{iid:int}/attachments", Need::self},
      {"GET /ideas/attachments/{aid:int}", Need::view_ideas},
      {"POST /ideas/attachments/{aid:int}/delete", Need::self},
      // The discussion, moderation and notices: checked through the idea, the comment or the
      // forum (src/ideas/talk_routes_test.cpp); the org's moderation queue is in the matrix.
      {"GET /ideas/{iid:int}/talk", Need::view_ideas},
      {"POST /ideas/{iid:int}/comments", Need::view_ideas},
      {"POST /ideas/{iid:int}/mentoring", Need::self},
      {"POST /ideas/{iid:int}/report", Need::view_ideas},
      {"POST /ideas/comments/{cid:int}/report", Need::view_ideas},
      {"POST /ideas/{iid:int}/hide", Need::moderate_ideas},
      {"POST /ideas/{iid:int}/restore", Need::moderate_ideas},
      {"POST /ideas/comments/{cid:int}/hide", Need::moderate_ideas},
      {"POST /ideas/comments/{cid:int}/restore", Need::moderate_ideas},
      {"GET /orgs/{id:int}/ideas/moderation", Need::moderate_ideas},
      {"GET /ideas/notices", Need::open},
      {"POST /ideas/notices/read", Need::open},
      {"POST /ideas/notices/{nid:int}/read", Need::open},
      {"GET /ideas/forums/{fid:int}/similar", Need::view_ideas},
      // News (src/news/routes_test.cpp covers posts and photos by their ids).
      {"GET /orgs/{id:int}/news", Need::write_news},
      {"POST /orgs/{id:int}/news", Need::write_news},
      {"POST /orgs/{id:int}/news/draft", Need::write_news},
      {"GET /news/{pid:int}", Need::write_news},
      {"POST /news/{pid:int}", Need::write_news},
      {"POST /news/{pid:int}/move", Need::write_news},
      {"POST /news/{pid:int}/delete", Need::write_news},
      {"POST /news/{pid:int}/photos", Need::write_news},
      {"POST /news/photos/{phid:int}", Need::write_news},
      {"POST /news/photos/{phid:int}/remove", Need::write_news},
      {"GET /news/photos/{phid:int}/{size}", Need::write_news},
      {"GET /news/consent", Need::open},
      {"POST /news/consent", Need::open},
      {"GET /public/orgs/{id:int}/news", Need::public_page},
      {"GET /public/orgs/{id:int}/news.atom", Need::public_page},
      {"GET /public/news/{pid:int}", Need::public_page},
      {"GET /public/news/photos/{phid:int}/large.jpg", Need::public_page},
      {"GET /public/news/photos/{phid:int}/small.jpg", Need::public_page},
      {"GET /orgs/{id:int}/report", Need::view_members},
      // Branch classification (src/review/classification_routes_test.cpp): the branch scores and
      // confirms its own sheet; the level above approves or returns it (asked on the parent).
      {"GET /orgs/{id:int}/classification", Need::rate_members},
      {"POST /orgs/{id:int}/classification/scores", Need::rate_members},
      {"POST /orgs/{id:int}/classification/confirm", Need::rate_members},
      {"POST /orgs/{id:int}/classification/approve", Need::approve_ratings},
      {"POST /orgs/{id:int}/classification/return", Need::approve_ratings},
      {"GET /orgs/{id:int}/classifications", Need::approve_ratings},
      // Awards (src/review/awards_routes_test.cpp covers removal by the award's id).
      {"GET /orgs/{id:int}/awards", Need::view_members},
      {"POST /orgs/{id:int}/awards", Need::manage_awards},
      {"POST /awards/{aid:int}/remove", Need::manage_awards},
      {"GET /orgs/{id:int}/report.pdf", Need::view_members},
      {"GET /orgs/{id:int}/report.xlsx", Need::view_members},
      // Member ratings (src/review/rating_routes_test.cpp): the branch enters and confirms; the
      // level above approves or returns (asked on the parent).
      {"GET /orgs/{id:int}/ratings", Need::view_members},
      {"POST /orgs/{id:int}/ratings/confirm", Need::rate_members},
      {"POST /orgs/{id:int}/ratings/approve", Need::approve_ratings},
      {"POST /orgs/{id:int}/ratings/{mid:int}", Need::rate_members},
      {"POST /orgs/{id:int}/ratings/{mid:int}/confirm", Need::rate_members},
      {"POST /orgs/{id:int}/ratings/{mid:int}/decide", Need::approve_ratings},
      {"GET /rating/guidelines", Need::open},
      {"POST /rating/guidelines/{gid:int}", Need::system_admin},
  };
  return m;
}

// Written out by hand: role -> what it may do inside its own scope. Outside it, nothing.
inline bool expected_in_scope(const std::string& who, Need need) {
  if (need == Need::own_only) return false;  // the matrix targets another member's record
  if (need == Need::public_page) return true;
  if (need == Need::coordinate_blood) return who == "thanhvien";
  if (need == Need::secret || need == Need::self) return true;
  if (need == Need::join) return who != "thanhvien";
  if (need == Need::system_admin) return who == "admin";
  if (who == "admin" || who == "doankhoi") return true;
  if (who == "sangpv") return need != Need::manage && need != Need::approve_ratings && need != Need::manage_awards;
  if (who == "thanhvien")
    return need == Need::view_org || need == Need::view_members || need == Need::view_activities || need == Need::view_fund ||
           need == Need::view_blood || need == Need::view_desk || need == Need::view_ideas || need == Need::write_news;
  return false;
}

inline bool expected_out_of_scope(const std::string& who, Need need) {
  if (need == Need::own_only || need == Need::coordinate_blood) return false;
  if (need == Need::secret || need == Need::public_page) return true;
  if (need == Need::join) return who != "thanhvien";
  return who == "admin";
}

}  // namespace chidoan::testing
