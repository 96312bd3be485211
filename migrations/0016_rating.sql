-- The annual member rating (đánh giá, xếp loại đoàn viên, docs/review.md#member-rating): the
-- guidelines with their thresholds (data, seeded here) and one rating per member and year.
-- Instants are BIGINT unix seconds.

-- A guideline of the Central Youth Union on rating members, in force for the years
-- from_year..to_year (NULL: still in force). The year of a rating picks its guideline. code is
-- what documents cite ("HD 33-HD/TWĐTN-BTC"); the later guideline's number differs between
-- sources (25 or 42): change code/title here (or through the bundle's "rating" section) to the
-- one your province uses. min_months: the months a member must spend in a branch in the year to
-- be rated by it (fewer, coming from another branch: rated with the old branch's comments).
CREATE TABLE rating_guidelines (
  id {{ID}},
  code TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  from_year BIGINT NOT NULL,
  to_year BIGINT,
  note TEXT NOT NULL DEFAULT '',
  min_months BIGINT NOT NULL DEFAULT 6 CHECK (min_months BETWEEN 0 AND 12),
  CHECK (to_year IS NULL OR to_year >= from_year)
);

-- What a level needs under a guideline (not_completed: what falls short of 'completed').
-- Percentages are whole percents; a rate is met when figure * 100 >= min * denominator. A
-- criterion without data is not counted: no activity recorded, a branch that keeps no dues
-- register (no dues payment ever recorded by it) or no hours register (no hours recorded in the
-- year). Excused absences are left out of the rates' denominators.
--   min_participation_pct: present / recorded, all the branch's activities of the year
--   min_meeting_pct:       present / recorded, branch meetings (type 'meeting')
--   max_meeting_absences:  unexcused absences from meetings
--   min_study_pct:         study campaigns completed / expected
--   min_dues_pct:          months paid / months due (in the branch, not exempt)
--   min_volunteer_hours:   checked or approved volunteer hours in the branch
--   max_discipline:        none < reminded (nhắc nhở, phê bình) < disciplined (kỷ luật)
--   min_conduct:           political and ethical conduct as judged by the committee: good > fair > poor
-- basis says which numbers are the guideline's and which are chidoan's documented defaults.
CREATE TABLE rating_thresholds (
  guideline_id BIGINT NOT NULL REFERENCES rating_guidelines(id),
  level TEXT NOT NULL CHECK (level IN ('excellent', 'good', 'completed')),
  min_participation_pct BIGINT NOT NULL CHECK (min_participation_pct BETWEEN 0 AND 100),
  min_meeting_pct BIGINT NOT NULL CHECK (min_meeting_pct BETWEEN 0 AND 100),
  max_meeting_absences BIGINT NOT NULL CHECK (max_meeting_absences >= 0),
  min_study_pct BIGINT NOT NULL CHECK (min_study_pct BETWEEN 0 AND 100),
  min_dues_pct BIGINT NOT NULL CHECK (min_dues_pct BETWEEN 0 AND 100),
  min_volunteer_hours BIGINT NOT NULL CHECK (min_volunteer_hours >= 0),
  max_discipline TEXT NOT NULL CHECK (max_discipline IN ('none', 'reminded', 'disciplined')),
  min_conduct TEXT NOT NULL CHECK (min_conduct IN ('good', 'fair', 'poor')),
  basis TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (guideline_id, level)
);

INSERT INTO rating_guidelines (code, title, from_year, to_year, note) VALUES
  ('HD 33-HD/TWĐTN-BTC', 'Hướng dẫn 33-HD/TWĐTN-BTC về đánh giá, xếp loại chất lượng đoàn viên hằng năm (2019)', 2019, 2022,
   'Ngưỡng tham gia ≥ 90% cho mức xuất sắc theo hướng dẫn; các ngưỡng khác là mặc định của chidoan (docs/review.md).'),
  ('HD 42-HD/TWĐTN-BTC', 'Hướng dẫn đánh giá, xếp loại chất lượng đoàn viên hằng năm, áp dụng từ năm 2023', 2023, NULL,
   'Số hiệu khác nhau giữa các nguồn (25 hoặc 42): sửa mã cho đúng văn bản tỉnh áp dụng. Ngưỡng là mặc định của chidoan.');

INSERT INTO rating_thresholds (guideline_id, level, min_participation_pct, min_meeting_pct, max_meeting_absences, min_study_pct,
                               min_dues_pct, min_volunteer_hours, max_discipline, min_conduct, basis)
SELECT g.id, t.level, t.participation, t.meeting, t.absences, t.study, t.dues, t.hours, t.discipline, t.conduct, t.basis
FROM rating_guidelines g JOIN (
  SELECT 'excellent' AS level, 90 AS participation, 90 AS meeting, 0 AS absences, 100 AS study, 100 AS dues, 4 AS hours,
         'none' AS discipline, 'good' AS conduct, 'tham gia ≥ 90%: hướng dẫn; còn lại: mặc định chidoan' AS basis
  UNION ALL SELECT 'good', 70, 75, 1, 80, 100, 0, 'none', 'good', 'mặc định chidoan'
  UNION ALL SELECT 'completed', 50, 50, 2, 50, 75, 0, 'reminded', 'fair', 'mặc định chidoan'
) t ON 1 = 1;

-- A member's rating for a year, kept by the branch that rates them (the one they are in at the
-- year's end; fewer than the guideline's min_months there and coming from another branch: rated with the old
-- branch's comments, kept in note). States: draft (the committee's entries saved) -> confirmed
-- (by the branch, rate_members) -> approved (by the level above, approve_ratings) or returned
-- (with return_reason; the branch edits and confirms again).
-- proposed_level/inputs/reasons: the system's proposal, recomputed on every save and frozen on
-- confirm (inputs: JSON object of the figures; reasons: JSON array of Vietnamese sentences); the
-- bundle carries them for confirmed and approved ratings.
-- chosen_level: the committee's level when it differs from the proposal (level_reason required);
-- level: the confirmed level (NULL again when returned). confirmed_by may not approve or return
-- (the level above decides, never the user who confirmed). *_by: the user (NULL when loaded from a bundle); *_by_name: their
-- name as shown then. version: bumped by every write; a write names the version it read.
CREATE TABLE member_ratings (
  id {{ID}},
  member_id BIGINT NOT NULL REFERENCES members(id),
  branch_id BIGINT NOT NULL REFERENCES orgs(id),
  year BIGINT NOT NULL CHECK (year BETWEEN 1930 AND 2100),
  guideline_id BIGINT NOT NULL REFERENCES rating_guidelines(id),
  state TEXT NOT NULL CHECK (state IN ('draft', 'confirmed', 'approved', 'returned')),
  discipline TEXT NOT NULL DEFAULT 'none' CHECK (discipline IN ('none', 'reminded', 'disciplined')),
  conduct TEXT NOT NULL DEFAULT 'good' CHECK (conduct IN ('good', 'fair', 'poor')),
  note TEXT NOT NULL DEFAULT '',
  proposed_level TEXT CHECK (proposed_level IN ('excellent', 'good', 'completed', 'not_completed')),
  inputs TEXT NOT NULL DEFAULT '{}',
  reasons TEXT NOT NULL DEFAULT '[]',
  chosen_level TEXT CHECK (chosen_level IN ('excellent', 'good', 'completed', 'not_completed')),
  level_reason TEXT NOT NULL DEFAULT '',
  level TEXT CHECK (level IN ('excellent', 'good', 'completed', 'not_completed')),
  confirmed_at BIGINT,
  confirmed_by BIGINT REFERENCES users(id),
  confirmed_by_name TEXT NOT NULL DEFAULT '',
  decided_at BIGINT,
  decided_by BIGINT REFERENCES users(id),
  decided_by_name TEXT NOT NULL DEFAULT '',
  return_reason TEXT NOT NULL DEFAULT '',
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (member_id, year),
  CHECK (state NOT IN ('confirmed', 'approved') OR (level IS NOT NULL AND confirmed_at IS NOT NULL))
);
CREATE INDEX member_ratings_branch ON member_ratings (branch_id, year);
