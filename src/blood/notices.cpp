#include "blood/notices.hpp"

#include "blood/rules.hpp"
#include "blood/store.hpp"
#include "platform/notify/outbox.hpp"
#include "platform/text/text.hpp"

namespace chidoan::blood {
namespace {

using nlohmann::json;

// The donor's address: the roll's e-mail for a member who has one, else the phone (webhook).
Result<std::optional<notify::Message>> address_of(db::Connection& conn, const Donor& d) {
  if (d.consent_call_on.empty()) return std::optional<notify::Message>{};
  notify::Message m;
  if (d.member_id) {
    CHIDOAN_TRY(row, conn.query_one("SELECT COALESCE(email, '') FROM members WHERE id = ?1", {*d.member_id}));
    if (row && notify::is_email_address(row->str(0))) {
      m.channel = notify::Channel::email;
      m.recipient = row->str(0);
      return std::optional<notify::Message>{m};
    }
  }
  if (d.phone.empty()) return std::optional<notify::Message>{};
  m.channel = notify::Channel::webhook;
  m.recipient = d.phone;
  return std::optional<notify::Message>{m};
}

// Renders blood/<name>: its first line is the subject, the rest the body.
void fill(notify::Message& m, const render::Renderer& texts, const std::string& name, const json& view) {
  std::string all = texts.render("blood/" + name, view);
  size_t nl = all.find('\n');
  m.subject = all.substr(0, nl);
  m.body = nl == std::string::npos ? "" : all.substr(nl + 1);
  while (!m.body.empty() && (m.body.front() == '\n')) m.body.erase(0, 1);
}

}  // namespace

Result<int> enqueue_reminders(db::Connection& conn, const Clock& clock, const render::Renderer& texts, Date on) {
  Store store(conn, clock);
  notify::Outbox outbox(conn, clock);
  CHIDOAN_TRY(clubs, store.clubs());
  int n = 0;
  for (const auto& club : clubs) {
    CHIDOAN_TRY(due, store.due_reminders(club.id, on));
    for (const auto& r : due) {
      CHIDOAN_TRY(d, store.donor(r.donor_id));
      CHIDOAN_TRY(to, address_of(conn, d));
      CHIDOAN_TRY_VOID(store.mark_reminder_sent(r.donor_id, r.due_on));
      if (!to) continue;
      to->kind = "blood.reminder";
      to->ref = "donor:" + std::to_string(d.id) + ":" + r.due_on;
      fill(*to, texts, "notice_reminder", json{{"name", d.name}, {"club", club.name}, {"date", text::format_date(r.due_on)}});
      CHIDOAN_TRY_VOID(outbox.enqueue(*to));
      ++n;
    }
  }
  return n;
}

Result<void> enqueue_accepted(db::Connection& conn, const Clock& clock, const render::Renderer& texts, const BloodRequest& r,
                              int64_t donor_id) {
  Store store(conn, clock);
  notify::Outbox outbox(conn, clock);
  CHIDOAN_TRY(d, store.donor(donor_id));
  CHIDOAN_TRY(to, address_of(conn, d));
  if (!to) return {};
  auto component = rules::parse_component(r.component);
  to->kind = "blood.accepted";
  to->ref = "request:" + std::to_string(r.id) + ":donor:" + std::to_string(d.id);
  fill(*to, texts, "notice_accepted",
       json{{"name", d.name},
            {"hospital", r.hospital},
            {"component", component ? rules::component_label(*component) : r.component},
            {"date", text::format_date(r.needed_by)},
            {"contact_name", r.contact_name},
            {"contact_phone", r.contact_phone}});
  CHIDOAN_TRY_VOID(outbox.enqueue(*to));
  return {};
}

}  // namespace chidoan::blood
