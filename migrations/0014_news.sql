-- News (tin bài, docs/news.md): posts of an organisation, their photos, members' consent to be
-- named in news, and the epoch that tells every server its cached public pages are stale.
-- Instants are BIGINT unix seconds.

-- A post: draft -> awaiting (approval) -> published -> withdrawn (-> draft to edit again).
-- body is plain text with paragraphs and links or a Markdown subset (rendered by libcmark with
-- raw HTML off). author_id: the user who wrote it (NULL for posts loaded from a bundle);
-- author_member_id: the member it is by — the public byline names them only with their consent
-- (news_consents), otherwise the organisation. The links are optional and must belong to the
-- post's organisation subtree (checked by news::Store).
CREATE TABLE news_posts (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  title TEXT NOT NULL CHECK (title <> ''),
  summary TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'awaiting', 'published', 'withdrawn')),
  author_id BIGINT REFERENCES users(id),
  author_member_id BIGINT REFERENCES members(id),
  activity_id BIGINT REFERENCES activities(id),
  campaign_id BIGINT REFERENCES campaigns(id),
  forum_id BIGINT REFERENCES idea_forums(id),
  produce_cycle_id BIGINT REFERENCES produce_cycles(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  submitted_at BIGINT,
  approved_by BIGINT REFERENCES users(id),
  published_at BIGINT,
  withdrawn_at BIGINT,
  note TEXT NOT NULL DEFAULT '',  -- the committee's last word: why it was returned or withdrawn
  -- Bumped by every change of the text, photos or state: approving names the version the
  -- committee read, so a change made meanwhile is never published unseen.
  version BIGINT NOT NULL DEFAULT 0,
  CHECK (state <> 'published' OR published_at IS NOT NULL)
);
CREATE INDEX news_posts_org ON news_posts (org_id, state, published_at);

-- A photo of a post, as stored: re-encoded JPEGs (so no EXIF, location or device data survives)
-- in two sizes, large (at most 1200 px wide: the post page and the share card) and small (at
-- most 480 px wide: lists and phones). alt is required (screen readers, and the text shown
-- where the image is not).
CREATE TABLE news_photos (
  id {{ID}},
  post_id BIGINT NOT NULL REFERENCES news_posts(id) ON DELETE CASCADE,
  position BIGINT NOT NULL,
  alt TEXT NOT NULL CHECK (alt <> ''),
  width BIGINT NOT NULL,
  height BIGINT NOT NULL,
  large {{BLOB}} NOT NULL,
  small_width BIGINT NOT NULL,
  small_height BIGINT NOT NULL,
  small {{BLOB}} NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX news_photos_post ON news_photos (post_id, position);

-- Members who agreed to be named in news (each member gives or withdraws their own consent).
-- Withdrawing deletes the row; the audit log keeps both moves.
CREATE TABLE news_consents (
  member_id BIGINT PRIMARY KEY REFERENCES members(id),
  given_at BIGINT NOT NULL
);

-- Bumped in the same transaction as every change a public page shows (a post published,
-- withdrawn or edited while published, its photos, a consent): a server compares it with the
-- epoch of its cached pages on each request, so a change shows at once on every server.
CREATE TABLE news_epoch (
  id BIGINT PRIMARY KEY CHECK (id = 1),
  epoch BIGINT NOT NULL
);
INSERT INTO news_epoch (id, epoch) VALUES (1, 0);

-- Whom a post names: members are looked up by their folded full name (text::search_fold), the
-- word runs of a post's text, across the whole tree.
CREATE INDEX members_search_text ON members (search_text);
