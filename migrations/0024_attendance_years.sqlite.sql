-- Each member's attendance of a year, by the branch it was taken for: how many times present,
-- excused and absent, and the minutes whose hours were checked or approved (SQLite). The year
-- report of a province or of the nation totals a year's register (src/activity/store.cpp,
-- participation_totals): 21.7 million attendance rows for the nation, 17 s of the 39 s roll-up
-- on SQLite, 20 s on PostgreSQL (docs/benchmarks.md, "The nation"). This table has a row a
-- member, branch and year, as dues_paid_years (0021) has for the dues.
--
-- Kept by the triggers below in the transaction that changes attendance, whatever code changes
-- it (the activity store's check-in, check-out, register and hours; a bundle; `chidoan gen`). A
-- row whose attendances all went is deleted. No foreign keys: the register's own keep the
-- references, and a summary locks nothing else.
CREATE TABLE attendance_years (
  branch_id BIGINT NOT NULL,
  year INTEGER NOT NULL,
  member_id BIGINT NOT NULL,
  present BIGINT NOT NULL,
  excused BIGINT NOT NULL,
  absent BIGINT NOT NULL,
  minutes BIGINT NOT NULL,
  PRIMARY KEY (branch_id, year, member_id)
) WITHOUT ROWID;

INSERT INTO attendance_years (branch_id, year, member_id, present, excused, absent, minutes)
  SELECT branch_id, CAST(substr(on_date, 1, 4) AS INTEGER), member_id,
         SUM(status = 'present'), SUM(status = 'excused'), SUM(status = 'absent'),
         SUM(CASE WHEN hours_state IN ('checked', 'approved') THEN minutes ELSE 0 END)
  FROM attendance GROUP BY 1, 2, 3;

CREATE TRIGGER attendance_years_insert AFTER INSERT ON attendance BEGIN
  INSERT INTO attendance_years (branch_id, year, member_id, present, excused, absent, minutes)
    VALUES (new.branch_id, CAST(substr(new.on_date, 1, 4) AS INTEGER), new.member_id,
            new.status = 'present', new.status = 'excused', new.status = 'absent',
            CASE WHEN new.hours_state IN ('checked', 'approved') THEN new.minutes ELSE 0 END)
    ON CONFLICT (branch_id, year, member_id) DO UPDATE SET
      present = present + excluded.present, excused = excused + excluded.excused,
      absent = absent + excluded.absent, minutes = minutes + excluded.minutes;
END;
CREATE TRIGGER attendance_years_delete AFTER DELETE ON attendance BEGIN
  UPDATE attendance_years SET
      present = present - (old.status = 'present'), excused = excused - (old.status = 'excused'),
      absent = absent - (old.status = 'absent'),
      minutes = minutes - CASE WHEN old.hours_state IN ('checked', 'approved') THEN old.minutes ELSE 0 END
    WHERE branch_id = old.branch_id AND year = CAST(substr(old.on_date, 1, 4) AS INTEGER) AND member_id = old.member_id;
  DELETE FROM attendance_years
    WHERE branch_id = old.branch_id AND year = CAST(substr(old.on_date, 1, 4) AS INTEGER) AND member_id = old.member_id
      AND present + excused + absent = 0;
END;
-- An update is its old row taken off and its new row added (SQLite triggers cannot call one
-- another, so the delete trigger's body is repeated here).
CREATE TRIGGER attendance_years_update AFTER UPDATE ON attendance BEGIN
  UPDATE attendance_years SET
      present = present - (old.status = 'present'), excused = excused - (old.status = 'excused'),
      absent = absent - (old.status = 'absent'),
      minutes = minutes - CASE WHEN old.hours_state IN ('checked', 'approved') THEN old.minutes ELSE 0 END
    WHERE branch_id = old.branch_id AND year = CAST(substr(old.on_date, 1, 4) AS INTEGER) AND member_id = old.member_id;
  DELETE FROM attendance_years
    WHERE branch_id = old.branch_id AND year = CAST(substr(old.on_date, 1, 4) AS INTEGER) AND member_id = old.member_id
      AND present + excused + absent = 0;
  INSERT INTO attendance_years (branch_id, year, member_id, present, excused, absent, minutes)
    VALUES (new.branch_id, CAST(substr(new.on_date, 1, 4) AS INTEGER), new.member_id,
            new.status = 'present', new.status = 'excused', new.status = 'absent',
            CASE WHEN new.hours_state IN ('checked', 'approved') THEN new.minutes ELSE 0 END)
    ON CONFLICT (branch_id, year, member_id) DO UPDATE SET
      present = present + excluded.present, excused = excused + excluded.excused,
      absent = absent + excluded.absent, minutes = minutes + excluded.minutes;
END;
