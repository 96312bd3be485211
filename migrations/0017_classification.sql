-- Branch classification (xếp loại chi đoàn, docs/review.md "Branch classification"): the schemes
-- of a guideline with their criteria and level thresholds (data, not code), and each branch's
-- score sheet of a year with its steps: the branch confirms, the level above approves or returns.
-- Dates are TEXT 'YYYY-MM-DD'; instants BIGINT unix seconds.

-- A scheme (the score sheet of a guideline), valid for the years valid_from..valid_to (NULL: still
-- in force); the year of a sheet picks its scheme. source: the guideline, and which of its
-- numbers are documented defaults.
CREATE TABLE classification_schemes (
  id {{ID}},
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  source TEXT NOT NULL DEFAULT '',
  valid_from BIGINT NOT NULL,
  valid_to BIGINT,
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);

-- A criterion of a scheme's score sheet, worth up to max_points. source 'computed': chidoan
-- scores it from the year's data through `measure` (study_rate, meetings_rate, activities_held,
-- volunteer_rate, dues_rate, ratings_good_rate), full points from `full_at` on (rates in basis
-- points: 10000 = 100%; counts as they are), in proportion below; 'entered': the branch
-- committee gives the points with a note.
CREATE TABLE classification_criteria (
  id {{ID}},
  scheme_id BIGINT NOT NULL REFERENCES classification_schemes(id),
  position BIGINT NOT NULL,
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  max_points BIGINT NOT NULL CHECK (max_points > 0),
  source TEXT NOT NULL CHECK (source IN ('computed', 'entered')),
  measure TEXT,
  full_at BIGINT,
  CHECK ((source = 'computed') = (measure IS NOT NULL AND full_at IS NOT NULL AND full_at > 0)),
  UNIQUE (scheme_id, code)
);

-- The levels of a scheme, best first (position): a sheet is proposed the best level whose
-- min_score it reaches and whose conditions it meets. level: its code, e.g. 'strong_excellent'
-- (a sheet's proposed and approved levels are codes of its scheme's levels). max_not_completed_bp: at most this share
-- of the branch's rated members rated "không hoàn thành nhiệm vụ" (basis points; NULL: no
-- condition).
CREATE TABLE classification_levels (
  scheme_id BIGINT NOT NULL REFERENCES classification_schemes(id),
  level TEXT NOT NULL CHECK (level <> ''),
  position BIGINT NOT NULL,
  name TEXT NOT NULL,
  min_score BIGINT NOT NULL CHECK (min_score >= 0),
  max_not_completed_bp BIGINT CHECK (max_not_completed_bp IS NULL OR max_not_completed_bp BETWEEN 0 AND 10000),
  PRIMARY KEY (scheme_id, level)
);

-- The 2021 scheme. The guideline's exact points and thresholds are not at hand: every number
-- below is a documented default (docs/review.md), changed by editing these rows.
INSERT INTO classification_schemes (code, name, source, valid_from, valid_to) VALUES
  ('2021', 'Xếp loại chi đoàn từ năm 2021',
   'Năm mức xếp loại chi đoàn từ năm 2021; tiêu chí, điểm và ngưỡng là giá trị mặc định của chidoan (docs/review.md), chưa đối chiếu văn bản hướng dẫn',
   2021, NULL);

INSERT INTO classification_criteria (scheme_id, position, code, name, max_points, source, measure, full_at)
SELECT s.id, c.position, c.code, c.name, c.max_points, c.source, c.measure, c.full_at
FROM classification_schemes s, (
  SELECT 1 AS position, 'study' AS code, 'Học tập, quán triệt nghị quyết, chủ trương của Đảng, pháp luật của Nhà nước' AS name,
         15 AS max_points, 'computed' AS source, 'study_rate' AS measure, 10000 AS full_at
  UNION ALL SELECT 2, 'meetings', 'Sinh hoạt chi đoàn định kỳ hằng tháng', 15, 'computed', 'meetings_rate', 10000
  UNION ALL SELECT 3, 'activities', 'Tổ chức và tham gia các hoạt động, phong trào', 10, 'computed', 'activities_held', 12
  UNION ALL SELECT 4, 'volunteer', 'Đoàn viên tham gia hoạt động tình nguyện', 10, 'computed', 'volunteer_rate', 7000
  UNION ALL SELECT 5, 'dues', 'Thu, nộp đoàn phí', 10, 'computed', 'dues_rate', 10000
  UNION ALL SELECT 6, 'ratings', 'Chất lượng đoàn viên (tỷ lệ hoàn thành tốt nhiệm vụ trở lên)', 10, 'computed', 'ratings_good_rate', 8000
  UNION ALL SELECT 7, 'organisation', 'Xây dựng tổ chức Đoàn, công tác cán bộ, phát triển đoàn viên', 10, 'entered', NULL, NULL
  UNION ALL SELECT 8, 'tasks', 'Tham gia thực hiện nhiệm vụ chính trị của cơ quan, đơn vị', 10, 'entered', NULL, NULL
  UNION ALL SELECT 9, 'initiatives', 'Mô hình, sáng kiến, điểm nhấn trong năm', 10, 'entered', NULL, NULL
) c
WHERE s.code = '2021';

INSERT INTO classification_levels (scheme_id, level, position, name, min_score, max_not_completed_bp)
SELECT s.id, l.level, l.position, l.name, l.min_score, l.max_nc
FROM classification_schemes s, (
  SELECT 'strong_excellent' AS level, 1 AS position, 'Vững mạnh xuất sắc' AS name, 90 AS min_score, 0 AS max_nc
  UNION ALL SELECT 'strong', 2, 'Vững mạnh', 80, 500
  UNION ALL SELECT 'fair', 3, 'Khá', 65, 1000
  UNION ALL SELECT 'average', 4, 'Trung bình', 50, NULL
  UNION ALL SELECT 'weak', 5, 'Yếu', 0, NULL
) l
WHERE s.code = '2021';

-- A branch's score sheet of a year: draft -> confirmed (by the branch) -> approved (by the level
-- above) | returned (back to the branch, which edits and confirms again). version rises with every
-- write: a write names the version it was made against. At confirmation the computed criteria are
-- frozen (classification_scores) with the total (score), the proposal (proposed_level, reasons:
-- one a line) and the branch's note, and who confirmed (confirmed_by: that user never approves or
-- returns the sheet). level: the level approved (the proposal, or another with decision_note).
-- decided_*: the last approval or return, by whom and for which org (the level above).
-- *_by_name: the user's display name then (bundles carry no users: their sheets have no ids).
CREATE TABLE classification_sheets (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  year BIGINT NOT NULL CHECK (year BETWEEN 1930 AND 2100),
  scheme_id BIGINT NOT NULL REFERENCES classification_schemes(id),
  state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'confirmed', 'approved', 'returned')),
  version BIGINT NOT NULL DEFAULT 0,
  score BIGINT,
  proposed_level TEXT,
  reasons TEXT NOT NULL DEFAULT '',
  level TEXT,
  note TEXT NOT NULL DEFAULT '',
  confirmed_on TEXT,
  confirmed_by BIGINT REFERENCES users(id),
  confirmed_by_name TEXT NOT NULL DEFAULT '',
  decided_on TEXT,
  decided_by BIGINT REFERENCES users(id),
  decided_by_name TEXT NOT NULL DEFAULT '',
  decided_by_org_id BIGINT REFERENCES orgs(id),
  decision_note TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (org_id, year)
);

-- A criterion's line on a sheet: the committee's points and note for an entered criterion (also a
-- computed one whose data is missing: source 'entered'); a computed one frozen at confirmation
-- with its measure's value.
CREATE TABLE classification_scores (
  sheet_id BIGINT NOT NULL REFERENCES classification_sheets(id),
  criterion_id BIGINT NOT NULL REFERENCES classification_criteria(id),
  source TEXT NOT NULL CHECK (source IN ('computed', 'entered')),
  points BIGINT NOT NULL CHECK (points >= 0),
  measure_value BIGINT,
  note TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (sheet_id, criterion_id)
);
