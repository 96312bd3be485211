-- Each member's paid dues months of a year, by the branch that took them (PostgreSQL); see the
-- SQLite file for what it is for. Statement-level triggers with the changed rows as tables, as
-- for roll_versions (0020): `chidoan gen` writes a province's paid months in one statement, and
-- its rows are summed once, not upserted one by one.
CREATE TABLE dues_paid_years (
  branch_id BIGINT NOT NULL,
  year INTEGER NOT NULL,
  member_id BIGINT NOT NULL,
  months INTEGER NOT NULL,
  amount BIGINT NOT NULL,
  -- The amount in the key's index too: a province's sum (100,000 rows) is read from the index
  -- alone, not with a look-up in the table for each row (SQLite: WITHOUT ROWID, the same).
  PRIMARY KEY (branch_id, year, member_id) INCLUDE (amount)
);

INSERT INTO dues_paid_years (branch_id, year, member_id, months, amount)
  SELECT branch_id, CAST(substr(month, 1, 4) AS INTEGER), member_id, COUNT(*), SUM(amount)
  FROM dues_paid_months GROUP BY 1, 2, 3;

-- Takes the statement's old rows off the sums and adds its new rows (an INSERT has no old rows,
-- a DELETE no new ones; PL/pgSQL plans a statement only when it runs).
CREATE FUNCTION dues_paid_years_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE dues_paid_years y SET months = y.months - o.months, amount = y.amount - o.amount
      FROM (SELECT branch_id, CAST(substr(month, 1, 4) AS INTEGER) AS year, member_id, COUNT(*) AS months, SUM(amount) AS amount
            FROM old_rows GROUP BY 1, 2, 3) o
      WHERE y.branch_id = o.branch_id AND y.year = o.year AND y.member_id = o.member_id;
    DELETE FROM dues_paid_years y
      USING (SELECT DISTINCT branch_id, CAST(substr(month, 1, 4) AS INTEGER) AS year, member_id FROM old_rows) o
      WHERE y.branch_id = o.branch_id AND y.year = o.year AND y.member_id = o.member_id AND y.months = 0;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO dues_paid_years (branch_id, year, member_id, months, amount)
      SELECT branch_id, CAST(substr(month, 1, 4) AS INTEGER), member_id, COUNT(*), SUM(amount) FROM new_rows GROUP BY 1, 2, 3
      ON CONFLICT (branch_id, year, member_id)
      DO UPDATE SET months = dues_paid_years.months + excluded.months, amount = dues_paid_years.amount + excluded.amount;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER dues_paid_years_insert AFTER INSERT ON dues_paid_months REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION dues_paid_years_apply();
CREATE TRIGGER dues_paid_years_update AFTER UPDATE ON dues_paid_months REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION dues_paid_years_apply();
CREATE TRIGGER dues_paid_years_delete AFTER DELETE ON dues_paid_months REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION dues_paid_years_apply();
