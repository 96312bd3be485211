// What the club tells its donors, through the outbox (platform/notify): "you can donate again"
// reminders, and the hospital's details once a donor accepted a call-out. Texts are the
// templates blood/notice_reminder and blood/notice_accepted (Vietnamese, plain text).
// A donor with an e-mail address on the roll gets an e-mail; anyone else an SMS/Zalo message
// through the webhook to their phone. Nothing is sent without the call consent.
//
// REQUIRES: runs inside Connection::transaction(): the notice exists iff the change committed.
#pragma once

#include "blood/model.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/date.hpp"
#include "platform/db/db.hpp"
#include "platform/render/render.hpp"

namespace chidoan::blood {

// Enqueues the reminders due on `on` in every club and marks them sent (once per donor and
// date: running it again the same day adds nothing). Returns how many were enqueued.
Result<int> enqueue_reminders(db::Connection& conn, const Clock& clock, const render::Renderer& texts, Date on);

// Tells a donor who accepted where to go and whom to call (once per request and donor).
Result<void> enqueue_accepted(db::Connection& conn, const Clock& clock, const render::Renderer& texts, const BloodRequest& r,
                              int64_t donor_id);

}  // namespace chidoan::blood
