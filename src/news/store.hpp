// SQL of news (migrations/0014_news.sql): posts, their photos, members' consent to be named, and
// the epoch of the public pages.
//
// Every change a public page shows bumps the epoch in the same transaction (bump_epoch()): a
// post published, withdrawn, or edited or given photos while published, and a consent given or
// withdrawn. The callers here do it; the public pages compare it on every request.
//
// REQUIRES: write methods run inside Connection::transaction() (the caller audits in the same
// transaction). The connection and clock outlive the store; one store per request or job.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "news/model.hpp"
#include "news/photo.hpp"
#include "news/rules.hpp"
#include "platform/core/clock.hpp"
#include "platform/db/db.hpp"

namespace chidoan::news {

// Which posts a signed-in list shows.
struct PostFilter {
  std::optional<std::string> state;
  std::optional<int64_t> author_id;  // only this user's (members who are not the committee)
  bool include_author_drafts_only = false;
};

// A thing a draft can be started from, for the form's choice.
struct SourceChoice {
  std::string value;  // "activity:12"
  std::string label;  // "02/11/2021 · Diễn đàn “…”"
  std::string group;  // "activity" | "campaign" | "forum" | "produce"
};

class Store {
 public:
  Store(db::Connection& conn, const Clock& clock) : db_(conn), clock_(clock) {}

  // ---- Posts
  Result<int64_t> create_post(int64_t org_id, std::optional<int64_t> author_id, std::optional<int64_t> author_member_id,
                              const rules::PostInput& in);
  // Every write below names the state the caller checked its right against (`expected_state`):
  // if the post moved meanwhile, nothing is written and the answer is a conflict.
  Result<void> update_post(int64_t id, const std::string& expected_state, const rules::PostInput& in);
  Result<Post> post(int64_t id);
  // Posts of the org's subtree, newest first (by published_at, else updated_at).
  Result<std::vector<Post>> posts(int64_t org_id, const PostFilter& f);
  // Published posts of the org's subtree, newest first: `limit` of them after skipping `offset`.
  Result<std::vector<Post>> published(int64_t org_id, int64_t limit, int64_t offset);
  Result<int64_t> published_count(int64_t org_id);
  // Moves a post (rules::check_move first); "returned" lands in draft. Sets submitted_at,
  // published_at and approved_by, withdrawn_at and the note as the move needs. With
  // `expected_version` (publishing), only that version of the post is moved.
  Result<void> move(int64_t id, std::string_view to, int64_t by_user, const std::string& note,
                    std::optional<int64_t> expected_version = std::nullopt);
  // A draft that was never published is deleted with its photos.
  Result<void> delete_draft(int64_t id);

  // ---- Photos
  Result<int64_t> add_photo(int64_t post_id, const std::string& expected_state, const std::string& alt, const photo::Prepared& p);
  Result<std::vector<PhotoInfo>> photos(int64_t post_id);
  Result<PhotoInfo> photo_info(int64_t photo_id);
  // The JPEG of a photo, "large" or "small".
  Result<std::string> photo_bytes(int64_t photo_id, std::string_view size);
  Result<void> set_alt(int64_t photo_id, const std::string& expected_state, const std::string& alt);
  Result<void> remove_photo(int64_t photo_id, const std::string& expected_state);

  // ---- People
  Result<bool> consented(int64_t member_id);
  Result<void> set_consent(int64_t member_id, bool given);
  // Full names of the active members anywhere in the tree who have not consented and whose folded
  // full name is one of `candidates` (rules::name_candidates of a post's texts).
  Result<std::vector<std::string>> unconsented_names(const std::vector<std::string>& candidates);
  // Published posts whose texts (title, summary, body, photo descriptions) name the member: what
  // must come down when they withdraw their consent.
  Result<std::vector<int64_t>> published_naming(int64_t member_id);
  // Is the member in the org's subtree now?
  Result<bool> member_in(int64_t org_id, int64_t member_id);

  // ---- Drafts from the data: what the org's subtree has, newest first (at most 30 a kind).
  Result<std::vector<SourceChoice>> sources(int64_t org_id);

  // ---- The public pages' epoch
  Result<int64_t> epoch();
  Result<void> bump_epoch();

 private:
  int64_t now() const { return clock_.unix_seconds(); }
  // Marks the post changed (updated_at, version) if it is still in `expected_state`; locks its row.
  Result<void> touch(int64_t post_id, const std::string& expected_state);
  db::Connection& db_;
  const Clock& clock_;
};

}  // namespace chidoan::news
