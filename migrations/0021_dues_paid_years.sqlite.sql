-- Each member's paid dues months of a year, by the branch that took them: the count and the
-- sum (SQLite). The year report of a province or of the nation sums a year's paid months and
-- counts the members who paid (src/review/report.cpp). The nation has 69 million paid months a
-- year, 11 a member; summing them each time took 37 s on PostgreSQL, most of it sorting the 69
-- million member ids to count them once (docs/benchmarks.md, "The nation"). This table has a
-- row a member, branch and year.
--
-- Kept by the triggers below in the transaction that changes dues_paid_months, whatever code
-- changes it (DuesStore, a bundle, `chidoan gen`). A row whose months all went (a payment
-- reversed) is deleted. No foreign keys: the paid months' own keep the references, and a
-- summary locks nothing else.
CREATE TABLE dues_paid_years (
  branch_id BIGINT NOT NULL,
  year INTEGER NOT NULL,
  member_id BIGINT NOT NULL,
  months INTEGER NOT NULL,
  amount BIGINT NOT NULL,
  PRIMARY KEY (branch_id, year, member_id)
) WITHOUT ROWID;

INSERT INTO dues_paid_years (branch_id, year, member_id, months, amount)
  SELECT branch_id, CAST(substr(month, 1, 4) AS INTEGER), member_id, COUNT(*), SUM(amount)
  FROM dues_paid_months GROUP BY 1, 2, 3;

CREATE TRIGGER dues_paid_years_insert AFTER INSERT ON dues_paid_months BEGIN
  INSERT INTO dues_paid_years (branch_id, year, member_id, months, amount)
    VALUES (new.branch_id, CAST(substr(new.month, 1, 4) AS INTEGER), new.member_id, 1, new.amount)
    ON CONFLICT (branch_id, year, member_id) DO UPDATE SET months = months + 1, amount = amount + excluded.amount;
END;
CREATE TRIGGER dues_paid_years_delete AFTER DELETE ON dues_paid_months BEGIN
  UPDATE dues_paid_years SET months = months - 1, amount = amount - old.amount
    WHERE branch_id = old.branch_id AND year = CAST(substr(old.month, 1, 4) AS INTEGER) AND member_id = old.member_id;
  DELETE FROM dues_paid_years
    WHERE branch_id = old.branch_id AND year = CAST(substr(old.month, 1, 4) AS INTEGER) AND member_id = old.member_id AND months = 0;
END;
CREATE TRIGGER dues_paid_years_update AFTER UPDATE ON dues_paid_months BEGIN
  UPDATE dues_paid_years SET months = months - 1, amount = amount - old.amount
    WHERE branch_id = old.branch_id AND year = CAST(substr(old.month, 1, 4) AS INTEGER) AND member_id = old.member_id;
  DELETE FROM dues_paid_years
    WHERE branch_id = old.branch_id AND year = CAST(substr(old.month, 1, 4) AS INTEGER) AND member_id = old.member_id AND months = 0;
  INSERT INTO dues_paid_years (branch_id, year, member_id, months, amount)
    VALUES (new.branch_id, CAST(substr(new.month, 1, 4) AS INTEGER), new.member_id, 1, new.amount)
    ON CONFLICT (branch_id, year, member_id) DO UPDATE SET months = months + 1, amount = amount + excluded.amount;
END;
