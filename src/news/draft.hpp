// A post started from the data: chidoan writes the title, a one-line summary and the first
// paragraph in Vietnamese from the figures of an activity, a donation campaign, an idea forum or
// a produce order cycle ("Ngày 02/11/2021, Chi đoàn Văn phòng UBND tỉnh tổ chức … với 21 đoàn
// viên tham gia."), which the author then edits. Figures are read, never typed twice.
//
// Also the check behind every link of a post: what it names must exist and belong to the post's
// organisation subtree (an activity also when one of the subtree's branches took part in it).
// Personal data never goes into a draft: counts and totals, no member's or contributor's name.
#pragma once

#include <cstdint>
#include <string>

#include "news/model.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/result.hpp"
#include "platform/db/db.hpp"

namespace chidoan::news {

struct Source {
  std::string kind;  // "activity" | "campaign" | "forum" | "produce"
  int64_t id = 0;
};

struct Draft {
  std::string title;
  std::string summary;
  std::string body;  // the first paragraph (one or two sentences; a second paragraph for rounds)
  Links links;       // the source, linked
};

// Reads the source and writes the draft. Errors: invalid on field "source" for an unknown kind,
// not_found for a missing source, invalid on field "source" (Vietnamese message) when it does
// not belong to org_id's subtree.
Result<Draft> draft_from(db::Connection& db, const Clock& clock, int64_t org_id, const Source& src);

// Each link set must exist and belong to org_id's subtree; otherwise invalid on the link's field
// ("activity_id", "campaign_id", "forum_id", "produce_cycle_id") with a Vietnamese message.
Result<void> check_links(db::Connection& db, int64_t org_id, const Links& links);

// Short titles of the linked things, for the post's page: {"activity": "…", …} (absent keys:
// no link). Public pages show them as text.
struct LinkTitles {
  std::string activity, campaign, forum, produce_cycle;
};
Result<LinkTitles> link_titles(db::Connection& db, const Links& links);

}  // namespace chidoan::news
