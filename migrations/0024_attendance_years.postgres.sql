-- Each member's attendance of a year, by the branch it was taken for (PostgreSQL); see the
-- SQLite file for what it is for. Statement-level triggers with the changed rows as tables, as
-- for dues_paid_years (0021): `chidoan gen` and a meeting's register write many rows in one
-- statement, and they are summed once, not upserted one by one.
CREATE TABLE attendance_years (
  branch_id BIGINT NOT NULL,
  year INTEGER NOT NULL,
  member_id BIGINT NOT NULL,
  present BIGINT NOT NULL,
  excused BIGINT NOT NULL,
  absent BIGINT NOT NULL,
  minutes BIGINT NOT NULL,
  -- The sums in the key's index too: a province's totals are read from the index alone
  -- (SQLite: WITHOUT ROWID, the same).
  PRIMARY KEY (branch_id, year, member_id) INCLUDE (present, excused, absent, minutes)
);

INSERT INTO attendance_years (branch_id, year, member_id, present, excused, absent, minutes)
  SELECT branch_id, CAST(substr(on_date, 1, 4) AS INTEGER), member_id,
         COUNT(*) FILTER (WHERE status = 'present'), COUNT(*) FILTER (WHERE status = 'excused'),
         COUNT(*) FILTER (WHERE status = 'absent'),
         COALESCE(SUM(minutes) FILTER (WHERE hours_state IN ('checked', 'approved')), 0)
  FROM attendance GROUP BY 1, 2, 3;

-- Takes the statement's old rows off the sums and adds its new rows (an INSERT has no old rows,
-- a DELETE no new ones). `sums` is the rows of a transition table summed by branch, year and
-- member, the table's name put in by format().
CREATE FUNCTION attendance_years_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  sums constant text := 'SELECT branch_id, CAST(substr(on_date, 1, 4) AS INTEGER) AS year, member_id, '
    'COUNT(*) FILTER (WHERE status = ''present'') AS present, COUNT(*) FILTER (WHERE status = ''excused'') AS excused, '
    'COUNT(*) FILTER (WHERE status = ''absent'') AS absent, '
    'COALESCE(SUM(minutes) FILTER (WHERE hours_state IN (''checked'', ''approved'')), 0) AS minutes '
    'FROM %I GROUP BY 1, 2, 3';
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    EXECUTE format('UPDATE attendance_years y SET present = y.present - o.present, excused = y.excused - o.excused, '
                   'absent = y.absent - o.absent, minutes = y.minutes - o.minutes FROM (' || sums || ') o '
                   'WHERE y.branch_id = o.branch_id AND y.year = o.year AND y.member_id = o.member_id', 'old_rows');
    DELETE FROM attendance_years y
      USING (SELECT DISTINCT branch_id, CAST(substr(on_date, 1, 4) AS INTEGER) AS year, member_id FROM old_rows) o
      WHERE y.branch_id = o.branch_id AND y.year = o.year AND y.member_id = o.member_id AND y.present + y.excused + y.absent = 0;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    EXECUTE format('INSERT INTO attendance_years AS y (branch_id, year, member_id, present, excused, absent, minutes) ' || sums ||
                   ' ON CONFLICT (branch_id, year, member_id) DO UPDATE SET present = y.present + excluded.present, '
                   'excused = y.excused + excluded.excused, absent = y.absent + excluded.absent, minutes = y.minutes + excluded.minutes',
                   'new_rows');
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER attendance_years_insert AFTER INSERT ON attendance REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION attendance_years_apply();
CREATE TRIGGER attendance_years_update AFTER UPDATE ON attendance REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION attendance_years_apply();
CREATE TRIGGER attendance_years_delete AFTER DELETE ON attendance REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION attendance_years_apply();
