-- Organisation tree, units and the member roll.
-- Dates are TEXT 'YYYY-MM-DD'; instants are BIGINT unix seconds.

-- Levels of the tree are data (the 2025 restructuring changed them). rank 0 is the top.
CREATE TABLE org_levels (
  id {{ID}},
  rank BIGINT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  holds_members BIGINT NOT NULL DEFAULT 0
);

-- Any node of the tree (tổ chức Đoàn). parent_id is the current parent; past parents and
-- names are in org_events. A dissolved or merged org keeps its row with status and end date.
CREATE TABLE orgs (
  id {{ID}},
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  level_id BIGINT NOT NULL REFERENCES org_levels(id),
  parent_id BIGINT REFERENCES orgs(id),
  -- Materialised path of ids from the root, "/1/5/12/": subtree queries are a prefix match.
  path {{TEXT_C}} NOT NULL,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'dissolved', 'merged')),
  founded_on TEXT,
  ended_on TEXT,
  search_text TEXT NOT NULL DEFAULT ''
);
CREATE INDEX orgs_parent ON orgs(parent_id);
CREATE INDEX orgs_path ON orgs(path);

-- Dated history of the tree: create, rename, move, split, merge, dissolve.
CREATE TABLE org_events (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  kind TEXT NOT NULL,
  effective_on TEXT NOT NULL,
  related_org_id BIGINT REFERENCES orgs(id),
  old_value TEXT,
  new_value TEXT,
  note TEXT NOT NULL DEFAULT '',
  recorded_at BIGINT NOT NULL
);
CREATE INDEX org_events_org ON org_events(org_id, effective_on);

-- Work units (đơn vị công tác) of a branch's agency.
CREATE TABLE units (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  name TEXT NOT NULL,
  position BIGINT NOT NULL DEFAULT 0,
  UNIQUE (org_id, name)
);

-- The member roll. branch_id/status are the current state; member_periods holds every
-- stay in a branch, member_events the lifecycle.
CREATE TABLE members (
  id {{ID}},
  branch_id BIGINT NOT NULL REFERENCES orgs(id),
  family_name TEXT NOT NULL,
  middle_name TEXT NOT NULL DEFAULT '',
  given_name TEXT NOT NULL,
  sort_key {{TEXT_C}} NOT NULL,
  search_text TEXT NOT NULL,
  sex TEXT NOT NULL CHECK (sex IN ('male', 'female')),
  birth_date TEXT NOT NULL,
  cccd TEXT UNIQUE,
  phone TEXT,
  email TEXT,
  joined_union_on TEXT,
  card_number TEXT,
  unit_id BIGINT REFERENCES units(id),
  committee_role TEXT NOT NULL DEFAULT '' CHECK (committee_role IN ('', 'secretary', 'deputy_secretary', 'committee_member')),
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'transferred_out', 'matured', 'removed')),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX members_branch_sort ON members(branch_id, sort_key);
CREATE INDEX members_unit ON members(unit_id);

CREATE TABLE member_periods (
  id {{ID}},
  member_id BIGINT NOT NULL REFERENCES members(id),
  branch_id BIGINT NOT NULL REFERENCES orgs(id),
  from_on TEXT NOT NULL,
  to_on TEXT,                       -- exclusive; NULL while current
  UNIQUE (member_id, from_on)
);
CREATE INDEX member_periods_branch ON member_periods(branch_id, from_on);

CREATE TABLE member_events (
  id {{ID}},
  member_id BIGINT NOT NULL REFERENCES members(id),
  kind TEXT NOT NULL CHECK (kind IN ('admit', 'enter', 'transfer_out', 'transfer_in', 'split_move', 'mature', 'remove')),
  effective_on TEXT NOT NULL,
  branch_id BIGINT NOT NULL REFERENCES orgs(id),
  other_branch_id BIGINT REFERENCES orgs(id),
  reason TEXT NOT NULL DEFAULT '',
  recorded_at BIGINT NOT NULL
);
CREATE INDEX member_events_member ON member_events(member_id, effective_on);
