-- The ideas forum's discussion, moderation and notices (docs/ideas.md "Discussion and
-- mentoring", "Moderation", "Notifications"). Instants are BIGINT unix seconds; booleans 0/1.

-- A comment on an idea. thread 'comment': the ordinary discussion, open to the members who may
-- see the idea; 'mentor': the mentors' guidance thread, where only the forum's mentors
-- (idea_mentors) and the idea's accepted authors post. parent_id: NULL for a top-level comment,
-- else a top-level comment of the same idea and thread (one level deep; idea_talk rules check
-- it). user_id: who wrote it; member_id: their member record when they have one. body: the
-- text as typed (plain text or the safe Markdown subset, rendered on display). hidden: by
-- moderation (three pending reports, or a moderator).
CREATE TABLE idea_comments (
  id {{ID}},
  idea_id BIGINT NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
  parent_id BIGINT REFERENCES idea_comments(id),
  thread TEXT NOT NULL CHECK (thread IN ('comment', 'mentor')),
  user_id BIGINT NOT NULL REFERENCES users(id),
  member_id BIGINT REFERENCES members(id),
  author_name TEXT NOT NULL,
  body TEXT NOT NULL CHECK (body <> ''),
  created_at BIGINT NOT NULL,
  hidden BIGINT NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1))
);
CREATE INDEX idea_comments_idea ON idea_comments (idea_id, thread, created_at);
CREATE INDEX idea_comments_parent ON idea_comments (parent_id);

-- A report on an idea or a comment: by one user (and their member record), with a reason.
-- One report per reporter and target: the second is refused (409). Pending while resolved_at
-- is NULL; a moderator resolves the reports of a target when hiding it ('hidden') or restoring
-- it ('restored'); the reason of the decision is in the audit log. Three pending reports hide
-- the target until a moderator decides.
CREATE TABLE idea_reports (
  id {{ID}},
  target TEXT NOT NULL CHECK (target IN ('idea', 'comment')),
  target_id BIGINT NOT NULL,
  idea_id BIGINT NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
  user_id BIGINT NOT NULL REFERENCES users(id),
  member_id BIGINT REFERENCES members(id),
  reason TEXT NOT NULL CHECK (reason <> ''),
  created_at BIGINT NOT NULL,
  resolved_at BIGINT,
  resolution TEXT CHECK (resolution IS NULL OR resolution IN ('hidden', 'restored')),
  resolved_by BIGINT REFERENCES users(id),
  UNIQUE (target, target_id, user_id)
);
CREATE INDEX idea_reports_pending ON idea_reports (resolved_at, target, target_id);
CREATE INDEX idea_reports_idea ON idea_reports (idea_id);

-- A notice in the app, for a member (an idea's author) or a user without a member record.
-- kind: answer | mentor | state | coauthor | comment (src/ideas/notices.hpp). ref: names the
-- cause (e.g. "comment:12"); with it, one notice per recipient, idea, kind and ref. read_at:
-- seen on /ideas/notices; digested_at: put in a daily digest e-mail (or passed over for lack of
-- an address), so a notice is in at most one digest.
CREATE TABLE idea_notices (
  id {{ID}},
  member_id BIGINT REFERENCES members(id),
  user_id BIGINT REFERENCES users(id),
  idea_id BIGINT NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('answer', 'mentor', 'state', 'coauthor', 'comment')),
  text TEXT NOT NULL,
  ref TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  read_at BIGINT,
  digested_at BIGINT,
  CHECK (member_id IS NOT NULL OR user_id IS NOT NULL)
);
CREATE UNIQUE INDEX idea_notices_once_member ON idea_notices (member_id, idea_id, kind, ref) WHERE ref <> '' AND member_id IS NOT NULL;
CREATE UNIQUE INDEX idea_notices_once_user ON idea_notices (user_id, idea_id, kind, ref) WHERE ref <> '' AND member_id IS NULL;
CREATE INDEX idea_notices_member ON idea_notices (member_id, read_at);
CREATE INDEX idea_notices_user ON idea_notices (user_id, read_at);
CREATE INDEX idea_notices_digest ON idea_notices (digested_at);
