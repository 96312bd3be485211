#include "review/awards_bundle.hpp"

#include <string>
#include <vector>

#include "review/awards.hpp"
#include "review/bundle_records.hpp"

namespace chidoan::review {
namespace {

struct AwardIn {
  std::string path, org, member, recipient_org;
  AwardInput in;
};

// A validate_award error under the JSON path of the award, its form fields renamed to the bundle's keys.
Error under(const Error& e, const std::string& path) {
  std::string field = e.field == "member_id" ? "member" : e.field == "recipient_org_id" ? "recipient_org" : e.field;
  return Error{e.kind, e.message, field.empty() ? path : path + "." + field};
}

Result<AwardIn> parse_award(const JsonReader& r) {
  CHIDOAN_TRY_VOID(r.only({"org", "member", "recipient_org", "kind", "title", "issuer", "decision_no", "decision_on", "year", "note"}));
  AwardIn out;
  out.path = r.path;
  CHIDOAN_TRY(org, r.str("org", true));
  out.org = org;
  CHIDOAN_TRY(member, r.str("member", false));
  out.member = member;
  CHIDOAN_TRY(recipient, r.str("recipient_org", false));
  out.recipient_org = recipient;
  if (member.empty() == recipient.empty())
    return fail(ErrorKind::invalid, "cần đúng một trong hai: đoàn viên (member) hoặc tổ chức (recipient_org) được khen thưởng",
                r.path + (member.empty() ? ".member" : ".recipient_org"));
  std::map<std::string, std::string, std::less<>> raw;
  // The recipient is checked against the database on load; the rules only see that there is one.
  raw[member.empty() ? "recipient_org_id" : "member_id"] = "1";
  for (const char* key : {"kind", "title", "issuer", "decision_no", "note"}) {
    CHIDOAN_TRY(v, r.str(key, false));
    raw[key] = v;
  }
  CHIDOAN_TRY(on, r.str("decision_on", true));
  raw["decision_on"] = on;
  CHIDOAN_TRY(year, r.integer("year"));
  raw["year"] = std::to_string(year);
  auto in = validate_award(raw);
  if (!in) return std::unexpected(under(in.error(), r.path));
  out.in = *in;
  out.in.member_id.reset();
  out.in.recipient_org_id.reset();
  return out;
}

Result<std::vector<AwardIn>> parse(const json& section) {
  JsonReader top{"$.review", section};
  CHIDOAN_TRY_VOID(top.only({"awards"}));
  return records(top, "awards", parse_award);
}

// ---- validate / load / dump ----------------------------------------------------------------

Result<void> validate(db::Connection& conn, const json& section, const Known& known) {
  CHIDOAN_TRY(in, parse(section));
  for (const auto& a : in) {
    CHIDOAN_TRY_VOID(known_org(conn, known, a.org, a.path + ".org"));
    if (!a.member.empty() && !known.member_refs.contains(a.member))
      return fail(ErrorKind::invalid, "đoàn viên không có trong bundle: " + a.member, a.path + ".member");
    if (!a.recipient_org.empty()) CHIDOAN_TRY_VOID(known_org(conn, known, a.recipient_org, a.path + ".recipient_org"));
  }
  return {};
}

Result<void> load(db::Connection& conn, const Clock& clock, const json& section, const Refs& refs) {
  CHIDOAN_TRY(in, parse(section));
  for (const auto& a : in) {
    CHIDOAN_TRY(org, org::bundle::org_ref(conn, refs, a.org, a.path + ".org"));
    std::optional<int64_t> member, recipient;
    if (!a.member.empty()) {
      member = refs.members.at(a.member);
      // In one of the subtree's branches now or once (the bundle keeps awards of members since moved).
      CHIDOAN_TRY(row, conn.query_one("SELECT p.member_id FROM member_periods p JOIN orgs o ON o.id = p.branch_id JOIN orgs top ON top.id = ?2 "
                                      "WHERE p.member_id = ?1 AND o.path LIKE top.path || '%' UNION SELECT m.id FROM members m JOIN orgs o "
                                      "ON o.id = m.branch_id JOIN orgs top ON top.id = ?2 WHERE m.id = ?1 AND o.path LIKE top.path || '%'",
                                      {*member, org}));
      if (!row) return fail(ErrorKind::invalid, "đoàn viên không thuộc tổ chức " + a.org + " hoặc các tổ chức trực thuộc", a.path + ".member");
    } else {
      CHIDOAN_TRY(rid, org::bundle::org_ref(conn, refs, a.recipient_org, a.path + ".recipient_org"));
      recipient = rid;
      CHIDOAN_TRY(row, conn.query_one("SELECT o.id FROM orgs o JOIN orgs top ON top.id = ?2 WHERE o.id = ?1 AND o.path LIKE top.path || '%'",
                                      {rid, org}));
      if (!row)
        return fail(ErrorKind::invalid, "tổ chức không phải là " + a.org + " hoặc một tổ chức trực thuộc", a.path + ".recipient_org");
    }
    CHIDOAN_TRY_VOID(conn.execute(
        "INSERT INTO awards (org_id, member_id, recipient_org_id, kind, title, issuer, decision_no, decision_on, year, note, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        {org, db::nullable(member), db::nullable(recipient), a.in.kind, a.in.title, a.in.issuer, a.in.decision_no, a.in.decision_on,
         a.in.year, a.in.note, clock.unix_seconds()}));
  }
  return {};
}

Result<json> dump(db::Connection& conn, const Clock&, const DumpScope& scope) {
  CHIDOAN_TRY(rows, conn.query("SELECT a.org_id, a.member_id, a.recipient_org_id, a.kind, a.title, a.issuer, a.decision_no, a.decision_on, "
                               "a.year, a.note FROM awards a JOIN orgs o ON o.id = a.org_id WHERE o.path LIKE ?1 ORDER BY a.id",
                               {scope.root_path + "%"}));
  json ja = json::array();
  for (const auto& r : rows) {
    json award{{"org", scope.org_codes.at(r.i64(0))}, {"member", nullptr}, {"recipient_org", nullptr}};
    if (auto m = r.opt_i64(1)) {
      auto it = scope.member_refs.find(*m);
      if (it == scope.member_refs.end()) continue;  // a member the bundle does not name
      award["member"] = it->second;
    } else {
      auto it = scope.org_codes.find(r.i64(2));
      if (it == scope.org_codes.end()) continue;
      award["recipient_org"] = it->second;
    }
    award["kind"] = r.str(3);
    award["title"] = r.str(4);
    award["issuer"] = r.str(5);
    award["decision_no"] = r.str(6);
    award["decision_on"] = r.str(7);
    award["year"] = r.i64(8);
    award["note"] = r.str(9);
    ja.push_back(std::move(award));
  }
  return section_of("awards", std::move(ja));
}

}  // namespace

chidoan::bundle::Section awards_bundle_section() { return {"review", validate, load, dump}; }

}  // namespace chidoan::review
