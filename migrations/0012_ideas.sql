-- The young creative ideas forum (docs/ideas.md): forums of an organisation, ideas with their
-- authors, life cycle, attachments and supports. Discussion, moderation and notices are in
-- 0013_ideas_talk.sql. Instants are BIGINT unix seconds; dates TEXT 'YYYY-MM-DD'.

-- A forum: an event ("Tuổi trẻ … với Ý tưởng sáng tạo trẻ", held_on 2021-11-02) or a standing
-- forum of an organisation. Ideas are posted and supported from opens_on to closes_on
-- (inclusive, local dates; closes_on NULL: open-ended).
-- post_scope / support_scope: 'members' (members of the forum's org subtree) or 'committee'
-- (its committee only: users who manage ideas there). support_threshold: the supports an idea
-- needs to be considered (its progress bar); 0: no threshold. self_support: may an author
-- support their own idea.
CREATE TABLE idea_forums (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL CHECK (kind IN ('event', 'standing')),
  held_on TEXT,
  opens_on TEXT NOT NULL,
  closes_on TEXT,
  post_scope TEXT NOT NULL DEFAULT 'members' CHECK (post_scope IN ('members', 'committee')),
  support_scope TEXT NOT NULL DEFAULT 'members' CHECK (support_scope IN ('members', 'committee')),
  support_threshold BIGINT NOT NULL DEFAULT 0 CHECK (support_threshold >= 0),
  self_support BIGINT NOT NULL DEFAULT 0 CHECK (self_support IN (0, 1)),
  activity_id BIGINT REFERENCES activities(id),
  created_at BIGINT NOT NULL,
  CHECK (closes_on IS NULL OR closes_on >= opens_on),
  CHECK (kind = 'standing' OR held_on IS NOT NULL)
);
CREATE INDEX idea_forums_org ON idea_forums (org_id, opens_on);

-- The forum's mentors: committee members or experts, each a user account, with a line saying
-- who they are ("Phó Giám đốc Sở Khoa học và Công nghệ").
CREATE TABLE idea_mentors (
  forum_id BIGINT NOT NULL REFERENCES idea_forums(id) ON DELETE CASCADE,
  user_id BIGINT NOT NULL REFERENCES users(id),
  title TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (forum_id, user_id)
);

-- An idea. state: draft -> submitted -> mentoring -> accepted | rejected (answer required)
-- -> implemented (outcome, implemented_on; from accepted); withdrawn by an author (from
-- draft, submitted, mentoring); archived (from rejected, implemented, withdrawn).
-- title_key: text::search_fold(title), for accent-insensitive similar-title suggestions.
-- hidden: by moderation (three pending reports, or a moderator), see 0013.
CREATE TABLE ideas (
  id {{ID}},
  forum_id BIGINT NOT NULL REFERENCES idea_forums(id),
  title TEXT NOT NULL,
  title_key TEXT NOT NULL,
  problem TEXT NOT NULL DEFAULT '',
  proposal TEXT NOT NULL DEFAULT '',
  benefit TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT 'draft'
    CHECK (state IN ('draft', 'submitted', 'mentoring', 'accepted', 'rejected', 'implemented', 'withdrawn', 'archived')),
  answer TEXT NOT NULL DEFAULT '',
  outcome TEXT NOT NULL DEFAULT '',
  implemented_on TEXT,
  hidden BIGINT NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  submitted_at BIGINT,
  CHECK (state <> 'implemented' OR implemented_on IS NOT NULL)
);
CREATE INDEX ideas_forum ON ideas (forum_id, state);

-- Authors: the one who started the idea ('author') and co-authors, who ask to join
-- ('requested') and are accepted by an author ('accepted').
CREATE TABLE idea_authors (
  idea_id BIGINT NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
  member_id BIGINT NOT NULL REFERENCES members(id),
  role TEXT NOT NULL CHECK (role IN ('author', 'coauthor')),
  status TEXT NOT NULL CHECK (status IN ('requested', 'accepted')),
  requested_at BIGINT NOT NULL,
  accepted_at BIGINT,
  PRIMARY KEY (idea_id, member_id),
  CHECK (role = 'coauthor' OR status = 'accepted')
);
CREATE INDEX idea_authors_member ON idea_authors (member_id);

-- The timeline: every change of state, dated, with who made it and the answer or outcome.
CREATE TABLE idea_events (
  id {{ID}},
  idea_id BIGINT NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
  at BIGINT NOT NULL,
  from_state TEXT,
  to_state TEXT NOT NULL,
  user_id BIGINT REFERENCES users(id),
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX idea_events_idea ON idea_events (idea_id, at);

-- Attachments: images (JPEG, PNG, WebP) and PDFs, the type checked by magic bytes, size-limited.
CREATE TABLE idea_attachments (
  id {{ID}},
  idea_id BIGINT NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
  file_name TEXT NOT NULL,
  mime TEXT NOT NULL CHECK (mime IN ('image/jpeg', 'image/png', 'image/webp', 'application/pdf')),
  size BIGINT NOT NULL CHECK (size > 0),
  bytes {{BLOB}} NOT NULL,
  member_id BIGINT REFERENCES members(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX idea_attachments_idea ON idea_attachments (idea_id);

-- Supports: one per member and idea (the key makes concurrent clicks count once); withdrawn by
-- deleting the row while the forum is open.
CREATE TABLE idea_supports (
  idea_id BIGINT NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
  member_id BIGINT NOT NULL REFERENCES members(id),
  at BIGINT NOT NULL,
  PRIMARY KEY (idea_id, member_id)
);
CREATE INDEX idea_supports_member ON idea_supports (member_id);
