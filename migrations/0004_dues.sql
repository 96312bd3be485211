-- Dues (đoàn phí), NQ 07-NQ/TWĐTN (2010). docs/dues.md has the rules.
-- Months are TEXT 'YYYY-MM'; dates TEXT 'YYYY-MM-DD'; instants BIGINT unix seconds; money BIGINT VND.
-- The ledger is append-only: a payment is corrected by a reversal row, never edited.

-- National rates, versioned: valid_to is the last month (inclusive), NULL while in force.
-- Ranges of one category never overlap (checked by the application: dues_rules.cpp).
CREATE TABLE dues_rates (
  id {{ID}},
  category TEXT NOT NULL CHECK (category IN ('salaried', 'unsalaried')),
  amount BIGINT NOT NULL CHECK (amount > 0),
  valid_from TEXT NOT NULL,
  valid_to TEXT,
  source TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  UNIQUE (category, valid_from)
);
-- NQ 07-NQ/TWĐTN (2010): 5,000 VND a month for a member with a salary, 2,000 without.
INSERT INTO dues_rates (category, amount, valid_from, valid_to, source, created_at) VALUES
  ('salaried', 5000, '2010-01', NULL, 'NQ 07-NQ/TWĐTN (2010)', 0),
  ('unsalaried', 2000, '2010-01', NULL, 'NQ 07-NQ/TWĐTN (2010)', 0);

-- A member's category from a month on. No row: 'salaried' (the usual case of a branch of an
-- agency; students and the unemployed are marked 'unsalaried').
CREATE TABLE dues_categories (
  member_id BIGINT NOT NULL REFERENCES members(id),
  valid_from TEXT NOT NULL,
  category TEXT NOT NULL CHECK (category IN ('salaried', 'unsalaried')),
  recorded_at BIGINT NOT NULL,
  recorded_by BIGINT REFERENCES users(id),
  PRIMARY KEY (member_id, valid_from)
);

-- A payment of a member for the months [from_month, to_month] to a branch. A reversal is a
-- row with reverses_id set, the opposite amount and the same months.
CREATE TABLE dues_payments (
  id {{ID}},
  member_id BIGINT NOT NULL REFERENCES members(id),
  branch_id BIGINT NOT NULL REFERENCES orgs(id),
  from_month TEXT NOT NULL,
  to_month TEXT NOT NULL,
  amount BIGINT NOT NULL,
  paid_on TEXT NOT NULL,
  receipt_no TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  reverses_id BIGINT REFERENCES dues_payments(id),
  recorded_at BIGINT NOT NULL,
  recorded_by BIGINT REFERENCES users(id),
  CHECK (from_month <= to_month)
);
CREATE INDEX dues_payments_branch ON dues_payments(branch_id, paid_on);
CREATE INDEX dues_payments_member ON dues_payments(member_id, from_month);
CREATE UNIQUE INDEX dues_payments_reverses ON dues_payments(reverses_id);

-- The months a live (not reversed) payment pays, with the amount of each: the primary key
-- makes paying a month twice impossible, also under concurrent requests.
CREATE TABLE dues_paid_months (
  member_id BIGINT NOT NULL REFERENCES members(id),
  month TEXT NOT NULL,
  payment_id BIGINT NOT NULL REFERENCES dues_payments(id),
  branch_id BIGINT NOT NULL REFERENCES orgs(id),
  amount BIGINT NOT NULL,
  PRIMARY KEY (member_id, month)
);
CREATE INDEX dues_paid_months_branch ON dues_paid_months(branch_id, month);

-- Hardship exemptions (miễn đoàn phí): at most 6 months of a calendar year per member.
CREATE TABLE dues_exemptions (
  id {{ID}},
  member_id BIGINT NOT NULL REFERENCES members(id),
  branch_id BIGINT NOT NULL REFERENCES orgs(id),
  from_month TEXT NOT NULL,
  to_month TEXT NOT NULL,
  reason TEXT NOT NULL,
  recorded_at BIGINT NOT NULL,
  recorded_by BIGINT REFERENCES users(id),
  CHECK (from_month <= to_month)
);
CREATE INDEX dues_exemptions_branch ON dues_exemptions(branch_id, from_month);

CREATE TABLE dues_exempt_months (
  member_id BIGINT NOT NULL REFERENCES members(id),
  month TEXT NOT NULL,
  exemption_id BIGINT NOT NULL REFERENCES dues_exemptions(id),
  PRIMARY KEY (member_id, month)
);

-- Remittances (nộp đoàn phí lên cấp trên): 1/3 of what the branch collected in the months
-- (by the date of payment), rounded down to the VND; the branch keeps the rest.
CREATE TABLE dues_remittances (
  id {{ID}},
  branch_id BIGINT NOT NULL REFERENCES orgs(id),
  to_org_id BIGINT NOT NULL REFERENCES orgs(id),
  from_month TEXT NOT NULL,
  to_month TEXT NOT NULL,
  collected BIGINT NOT NULL,
  amount BIGINT NOT NULL,
  remitted_on TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  recorded_at BIGINT NOT NULL,
  recorded_by BIGINT REFERENCES users(id),
  CHECK (from_month <= to_month)
);
CREATE INDEX dues_remittances_branch ON dues_remittances(branch_id, from_month);

CREATE TABLE dues_remitted_months (
  branch_id BIGINT NOT NULL REFERENCES orgs(id),
  month TEXT NOT NULL,
  remittance_id BIGINT NOT NULL REFERENCES dues_remittances(id),
  PRIMARY KEY (branch_id, month)
);
