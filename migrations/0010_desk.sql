-- The public-service help desk (src/desk, docs/desk.md): a center staffed by a branch's
-- members in shifts, the assistance log of citizens helped, and the center's dossier figures.
-- Dates TEXT 'YYYY-MM-DD', months 'YYYY-MM', clock times 'HH:MM' (Vietnam, UTC+7); instants
-- BIGINT unix seconds; booleans BIGINT 0/1. Coordinators: the branch's committee (by role) and
-- users holding the desk_coordinator grant on the center's org (user_grants).

-- A center (e.g. Trung tâm Phục vụ hành chính công tỉnh) whose desk is run by the branch org_id.
-- Roster rules: at most max_shifts_per_week shifts per volunteer (Mon–Sun), at least
-- min_rest_minutes between two of their shifts; self sign-up locks after no_show_limit no-shows
-- in the last 365 days.
CREATE TABLE desk_centers (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  name TEXT NOT NULL,
  address TEXT NOT NULL DEFAULT '',
  max_shifts_per_week BIGINT NOT NULL DEFAULT 3 CHECK (max_shifts_per_week BETWEEN 1 AND 14),
  min_rest_minutes BIGINT NOT NULL DEFAULT 0 CHECK (min_rest_minutes BETWEEN 0 AND 1440),
  no_show_limit BIGINT NOT NULL DEFAULT 3 CHECK (no_show_limit BETWEEN 1 AND 100),
  created_at BIGINT NOT NULL,
  UNIQUE (org_id, name)
);
CREATE TABLE desk_counters (
  id {{ID}},
  center_id BIGINT NOT NULL REFERENCES desk_centers(id),
  name TEXT NOT NULL,
  UNIQUE (center_id, name)
);

-- A shift template: on the weekdays listed ('1'..'7', Monday = 1), from start_time to end_time
-- at one counter. Two active templates of a counter never overlap (desk::rules).
CREATE TABLE desk_templates (
  id {{ID}},
  center_id BIGINT NOT NULL REFERENCES desk_centers(id),
  counter_id BIGINT NOT NULL REFERENCES desk_counters(id),
  name TEXT NOT NULL,
  weekdays TEXT NOT NULL,
  start_time TEXT NOT NULL,
  end_time TEXT NOT NULL,
  min_staff BIGINT NOT NULL CHECK (min_staff >= 0),
  max_staff BIGINT NOT NULL CHECK (max_staff >= 1 AND max_staff >= min_staff),
  active BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

-- A roster period (a month). Its shifts are made from the templates when the period is opened.
-- activity_id: the volunteer activity that carries the checked hours of the period into each
-- member's volunteer record (activity module).
CREATE TABLE desk_periods (
  id {{ID}},
  center_id BIGINT NOT NULL REFERENCES desk_centers(id),
  month TEXT NOT NULL,
  activity_id BIGINT NOT NULL REFERENCES activities(id),
  created_at BIGINT NOT NULL,
  UNIQUE (center_id, month)
);
CREATE TABLE desk_shifts (
  id {{ID}},
  period_id BIGINT NOT NULL REFERENCES desk_periods(id),
  template_id BIGINT NOT NULL REFERENCES desk_templates(id),
  counter_id BIGINT NOT NULL REFERENCES desk_counters(id),
  on_date TEXT NOT NULL,
  starts_at BIGINT NOT NULL,
  ends_at BIGINT NOT NULL CHECK (ends_at > starts_at),
  min_staff BIGINT NOT NULL,
  max_staff BIGINT NOT NULL,
  UNIQUE (template_id, on_date)
);
CREATE INDEX desk_shifts_period ON desk_shifts (period_id, starts_at);

-- A volunteer's availability for a shift of a period (a row = available), and whether they
-- would like it (preferred).
CREATE TABLE desk_availability (
  shift_id BIGINT NOT NULL REFERENCES desk_shifts(id),
  member_id BIGINT NOT NULL REFERENCES members(id),
  preferred BIGINT NOT NULL DEFAULT 0 CHECK (preferred IN (0, 1)),
  PRIMARY KEY (shift_id, member_id)
);

-- Who is on duty: source signup (self), roster (automatic roster), swap (took over a shift),
-- coordinator (put on by a coordinator). Hours: check-in and check-out; minutes are derived.
-- no_show: the volunteer did not come (set by a coordinator, cleared when excused).
CREATE TABLE desk_assignments (
  id {{ID}},
  shift_id BIGINT NOT NULL REFERENCES desk_shifts(id),
  member_id BIGINT NOT NULL REFERENCES members(id),
  source TEXT NOT NULL CHECK (source IN ('signup', 'roster', 'swap', 'coordinator')),
  created_at BIGINT NOT NULL,
  check_in_at BIGINT,
  check_out_at BIGINT,
  minutes BIGINT NOT NULL DEFAULT 0 CHECK (minutes >= 0),
  no_show BIGINT NOT NULL DEFAULT 0 CHECK (no_show IN (0, 1)),
  CHECK (check_out_at IS NULL OR (check_in_at IS NOT NULL AND check_out_at >= check_in_at)),
  UNIQUE (shift_id, member_id)
);
CREATE INDEX desk_assignments_member ON desk_assignments (member_id, shift_id);

-- Requests about an assignment: a swap (offered to one member, or to anyone when to_member_id
-- is NULL; takes effect when accepted) or a drop within 24 h of the start (needs a coordinator).
CREATE TABLE desk_requests (
  id {{ID}},
  kind TEXT NOT NULL CHECK (kind IN ('swap', 'drop')),
  shift_id BIGINT NOT NULL REFERENCES desk_shifts(id),
  from_member_id BIGINT NOT NULL REFERENCES members(id),
  to_member_id BIGINT REFERENCES members(id),
  note TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL CHECK (state IN ('open', 'accepted', 'approved', 'refused', 'cancelled')),
  created_at BIGINT NOT NULL,
  decided_at BIGINT,
  decided_by BIGINT REFERENCES members(id)
);
CREATE INDEX desk_requests_shift ON desk_requests (shift_id, state);

-- The catalogue of administrative procedures (thủ tục hành chính) of a center, importable from
-- CSV. documents: the papers the dossier needs, one per line (file names of the digitiser).
CREATE TABLE desk_procedures (
  id {{ID}},
  center_id BIGINT NOT NULL REFERENCES desk_centers(id),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  field TEXT NOT NULL DEFAULT '',
  level TEXT NOT NULL CHECK (level IN ('3', '4', 'full', 'partial')),
  documents TEXT NOT NULL DEFAULT '',
  active BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  UNIQUE (center_id, code)
);

-- One citizen helped. No name or ID of the citizen; a phone only with the consent time.
-- level: '3', '4' (Decree 43/2011) or 'full' (toàn trình), 'partial' (một phần; Decree 42/2022).
-- outcome: submitted (dossier submitted online), missing_papers, referred.
CREATE TABLE desk_assists (
  id {{ID}},
  center_id BIGINT NOT NULL REFERENCES desk_centers(id),
  shift_id BIGINT REFERENCES desk_shifts(id),
  member_id BIGINT NOT NULL REFERENCES members(id),
  at BIGINT NOT NULL,
  procedure_id BIGINT NOT NULL REFERENCES desk_procedures(id),
  level TEXT NOT NULL CHECK (level IN ('3', '4', 'full', 'partial')),
  step_scanned BIGINT NOT NULL DEFAULT 0 CHECK (step_scanned IN (0, 1)),
  step_account BIGINT NOT NULL DEFAULT 0 CHECK (step_account IN (0, 1)),
  step_fileset BIGINT NOT NULL DEFAULT 0 CHECK (step_fileset IN (0, 1)),
  step_submitted BIGINT NOT NULL DEFAULT 0 CHECK (step_submitted IN (0, 1)),
  outcome TEXT NOT NULL CHECK (outcome IN ('submitted', 'missing_papers', 'referred')),
  phone TEXT,
  phone_consent_at BIGINT,
  note TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  CHECK (phone IS NULL OR phone_consent_at IS NOT NULL)
);
CREATE INDEX desk_assists_center ON desk_assists (center_id, at);
CREATE INDEX desk_assists_member ON desk_assists (member_id, at);

-- The center's dossier figures per month (from its monthly report): dossiers received and
-- settled; received online by level / class; assisted by the desk. The online rate of the
-- article is online ÷ received (docs/desk.md "Dossier KPI").
CREATE TABLE desk_kpi_months (
  center_id BIGINT NOT NULL REFERENCES desk_centers(id),
  month TEXT NOT NULL,
  received BIGINT NOT NULL CHECK (received >= 0),
  settled BIGINT NOT NULL DEFAULT 0 CHECK (settled >= 0),
  online_level3 BIGINT NOT NULL DEFAULT 0 CHECK (online_level3 >= 0),
  online_level4 BIGINT NOT NULL DEFAULT 0 CHECK (online_level4 >= 0),
  online_full BIGINT NOT NULL DEFAULT 0 CHECK (online_full >= 0),
  online_partial BIGINT NOT NULL DEFAULT 0 CHECK (online_partial >= 0),
  assisted BIGINT NOT NULL DEFAULT 0 CHECK (assisted >= 0),
  updated_at BIGINT NOT NULL,
  CHECK (online_level3 + online_level4 + online_full + online_partial <= received),
  PRIMARY KEY (center_id, month)
);
-- The yearly target of the online rate, in basis points (3000 = 30%).
CREATE TABLE desk_kpi_targets (
  center_id BIGINT NOT NULL REFERENCES desk_centers(id),
  year BIGINT NOT NULL,
  target_bp BIGINT NOT NULL CHECK (target_bp BETWEEN 0 AND 10000),
  source TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (center_id, year)
);

-- A member's secret link to the iCalendar feed of their shifts (the token is shown once; only
-- its hash is kept, like member_feeds of the activity calendar).
CREATE TABLE desk_feeds (
  member_id BIGINT PRIMARY KEY REFERENCES members(id),
  token_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL
);
