-- Activities, sign-ups, attendance, volunteer hours, study campaigns.
-- Times of day are local Vietnam time, TEXT 'YYYY-MM-DDTHH:MM'; instants are unix seconds.

-- Types are data: the committee can add its own. expects_all is the default for new
-- activities of the type (every member of the taking-part branches is expected, as at a
-- monthly meeting) — otherwise only those who sign up are expected.
CREATE TABLE activity_types (
  id {{ID}},
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  name_en TEXT NOT NULL DEFAULT '',
  expects_all BIGINT NOT NULL DEFAULT 0,
  position BIGINT NOT NULL DEFAULT 0
);
INSERT INTO activity_types (code, name, name_en, expects_all, position) VALUES
  ('meeting', 'Sinh hoạt chi đoàn', 'Monthly branch meeting', 1, 1),
  ('study', 'Học tập nghị quyết', 'Study campaign', 1, 2),
  ('volunteer', 'Hoạt động tình nguyện', 'Volunteer activity', 0, 3),
  ('blood_drive', 'Hiến máu tình nguyện', 'Blood drive', 0, 4),
  ('social_work', 'Công tác xã hội', 'Social-work trip', 0, 5),
  ('youth_month', 'Tháng Thanh niên', 'Youth Month event', 0, 6),
  ('forum', 'Diễn đàn', 'Forum', 1, 7),
  ('movement', 'Phong trào, cuộc vận động', 'Pledge or movement', 1, 8),
  ('other', 'Hoạt động khác', 'Other', 0, 9);

CREATE TABLE activities (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),          -- the organiser, any level
  type_id BIGINT NOT NULL REFERENCES activity_types(id),
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  place TEXT NOT NULL DEFAULT '',
  starts_at TEXT NOT NULL,
  ends_at TEXT NOT NULL,
  capacity BIGINT,                                     -- NULL: no limit
  signup_opens_at TEXT,                                -- NULL: open from creation
  signup_closes_at TEXT,                               -- NULL: until the start
  expects_all BIGINT NOT NULL,
  attendance_taken BIGINT NOT NULL DEFAULT 0,
  signup_seq BIGINT NOT NULL DEFAULT 0,                -- bumped by every sign-up: serialises them
  qr_secret TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX activities_org_start ON activities(org_id, starts_at);

-- The orgs taking part: the organiser's own branch, and branches that joined an activity of a
-- level above.
CREATE TABLE activity_orgs (
  activity_id BIGINT NOT NULL REFERENCES activities(id),
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  PRIMARY KEY (activity_id, org_id)
);
CREATE INDEX activity_orgs_org ON activity_orgs(org_id, activity_id);

CREATE TABLE signups (
  id {{ID}},
  activity_id BIGINT NOT NULL REFERENCES activities(id),
  member_id BIGINT NOT NULL REFERENCES members(id),
  status TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (activity_id, member_id)
);

-- One row per expected member once attendance is taken (and per check-in before that).
-- branch_id and unit_id are the member's on the day: participation is aggregated from this
-- table alone.
CREATE TABLE attendance (
  activity_id BIGINT NOT NULL REFERENCES activities(id),
  member_id BIGINT NOT NULL REFERENCES members(id),
  branch_id BIGINT NOT NULL REFERENCES orgs(id),
  unit_id BIGINT REFERENCES units(id),
  on_date TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('present', 'excused', 'absent')),
  check_in_at BIGINT,
  check_out_at BIGINT,
  minutes BIGINT NOT NULL DEFAULT 0,
  hours_state TEXT NOT NULL DEFAULT 'none' CHECK (hours_state IN ('none', 'checked', 'claimed', 'approved', 'rejected')),
  recorded_at BIGINT NOT NULL,
  PRIMARY KEY (activity_id, member_id)
);
CREATE INDEX attendance_member ON attendance(member_id, on_date);
-- Covers the participation query: a branch's year is read from the index alone.
CREATE INDEX attendance_branch_cover ON attendance(branch_id, on_date, member_id, status, hours_state, minutes);

-- Study campaigns (học tập nghị quyết): who completed, when, how.
CREATE TABLE study_completions (
  activity_id BIGINT NOT NULL REFERENCES activities(id),
  member_id BIGINT NOT NULL REFERENCES members(id),
  completed_on TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('in_person', 'online')),
  certificate_no TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (activity_id, member_id)
);

-- A member's secret calendar feed.
CREATE TABLE member_feeds (
  member_id BIGINT PRIMARY KEY REFERENCES members(id),
  token_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL
);
