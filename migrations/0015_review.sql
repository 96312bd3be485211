-- The annual review (docs/review.md): the awards register. The year-end report is computed from
-- every module's data and stores nothing. Instants are BIGINT unix seconds; dates TEXT 'YYYY-MM-DD'.

-- An award (khen thưởng) in the register of an organisation (org_id: the committee that records
-- it), given to one of its members (member_id) or to an organisation of its subtree
-- (recipient_org_id): exactly one of the two. kind: 'certificate_of_merit' (Bằng khen),
-- 'commendation' (Giấy khen), 'flag' (Cờ thi đua), 'title' (a title given by a decision, e.g.
-- "Chi đoàn vững mạnh xuất sắc"), 'other'. issuer: who gave it ("Ban Chấp hành Trung ương Đoàn
-- TNCS Hồ Chí Minh"); decision_no and decision_on: the decision's number and date; year: the
-- year the award is for (the year-end report lists the awards of its year).
CREATE TABLE awards (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  member_id BIGINT REFERENCES members(id),
  recipient_org_id BIGINT REFERENCES orgs(id),
  kind TEXT NOT NULL CHECK (kind IN ('certificate_of_merit', 'commendation', 'flag', 'title', 'other')),
  title TEXT NOT NULL,
  issuer TEXT NOT NULL,
  decision_no TEXT NOT NULL DEFAULT '',
  decision_on TEXT NOT NULL,
  year BIGINT NOT NULL CHECK (year BETWEEN 1930 AND 2100),
  note TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  CHECK ((member_id IS NULL) <> (recipient_org_id IS NULL))
);
CREATE INDEX awards_org ON awards (org_id, year);
