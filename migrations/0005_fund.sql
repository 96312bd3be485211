-- Donation campaigns (chiến dịch quyên góp) in rounds (đợt): an append-only ledger of money
-- and in-kind contributions with gapless receipts, and the outflows. Money is integer VND;
-- quantities are thousandths (quantity_milli) so 2,5 kg is exact.

CREATE TABLE campaigns (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),        -- the organiser, any level
  name TEXT NOT NULL,
  purpose TEXT NOT NULL DEFAULT '',
  starts_on TEXT NOT NULL,
  ends_on TEXT,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  goal_vnd BIGINT,
  goal_items TEXT NOT NULL DEFAULT '',                 -- e.g. "5 tấn gạo, 2.000 khẩu trang"
  last_receipt BIGINT NOT NULL DEFAULT 0,             -- the counter behind gapless receipt numbers
  created_at BIGINT NOT NULL
);
CREATE INDEX campaigns_org ON campaigns(org_id, starts_on);

CREATE TABLE campaign_rounds (
  id {{ID}},
  campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
  no BIGINT NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  starts_on TEXT NOT NULL,
  ends_on TEXT,
  UNIQUE (campaign_id, no)
);

-- The ledger. A correction is a new row with the opposite amounts whose reverses_id names the
-- original (once: UNIQUE); a receipted row is locked.
CREATE TABLE contributions (
  id {{ID}},
  campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
  round_no BIGINT,
  kind TEXT NOT NULL CHECK (kind IN ('money', 'in_kind')),
  amount_vnd BIGINT NOT NULL DEFAULT 0,
  item TEXT NOT NULL DEFAULT '',
  quantity_milli BIGINT NOT NULL DEFAULT 0,
  unit TEXT NOT NULL DEFAULT '',
  value_vnd BIGINT NOT NULL DEFAULT 0,
  contributor_kind TEXT NOT NULL CHECK (contributor_kind IN ('member', 'unit', 'agency', 'person', 'anonymous')),
  member_id BIGINT REFERENCES members(id),
  unit_id BIGINT REFERENCES units(id),                -- the contributing unit, or the member's unit that day
  contributor_name TEXT NOT NULL DEFAULT '',
  collected_by BIGINT NOT NULL REFERENCES orgs(id),   -- the org whose committee recorded it
  on_date TEXT NOT NULL,
  method TEXT NOT NULL CHECK (method IN ('cash', 'transfer', 'in_kind')),
  note TEXT NOT NULL DEFAULT '',
  reverses_id BIGINT UNIQUE REFERENCES contributions(id),
  receipt_no BIGINT,
  receipted_at BIGINT,
  recorded_by TEXT NOT NULL DEFAULT '',
  recorded_at BIGINT NOT NULL,
  UNIQUE (campaign_id, receipt_no)
);
CREATE INDEX contributions_campaign ON contributions(campaign_id, id);

-- Running sums of the ledger by every dimension the totals show (0 = none for round and unit):
-- totals read this small table, not the whole ledger. Every ledger insert adds to it in the same
-- transaction (fund::Store::record, the bundle loader); the ledger is append-only, so sums never
-- need recomputing.
CREATE TABLE contribution_sums (
  campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
  round_no BIGINT NOT NULL,
  kind TEXT NOT NULL,
  contributor_kind TEXT NOT NULL,
  unit_id BIGINT NOT NULL,
  collected_by BIGINT NOT NULL,
  item TEXT NOT NULL,
  unit TEXT NOT NULL,
  amount_vnd BIGINT NOT NULL,
  quantity_milli BIGINT NOT NULL,
  value_vnd BIGINT NOT NULL,
  entries BIGINT NOT NULL,
  PRIMARY KEY (campaign_id, round_no, kind, contributor_kind, unit_id, collected_by, item, unit)
);

-- What was handed out, to whom in aggregate ("120 hộ cách ly tại huyện Đức Trọng").
CREATE TABLE outflows (
  id {{ID}},
  campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
  round_no BIGINT,
  on_date TEXT NOT NULL,
  description TEXT NOT NULL,
  recipients TEXT NOT NULL,
  recipients_consented BIGINT NOT NULL DEFAULT 0,     -- names of people only with their consent
  kind TEXT NOT NULL CHECK (kind IN ('money', 'in_kind')),
  amount_vnd BIGINT NOT NULL DEFAULT 0,
  item TEXT NOT NULL DEFAULT '',
  quantity_milli BIGINT NOT NULL DEFAULT 0,
  unit TEXT NOT NULL DEFAULT '',
  value_vnd BIGINT NOT NULL DEFAULT 0,
  reverses_id BIGINT UNIQUE REFERENCES outflows(id),
  recorded_by TEXT NOT NULL DEFAULT '',
  recorded_at BIGINT NOT NULL
);
CREATE INDEX outflows_campaign ON outflows(campaign_id, on_date);
