-- Each branch's open stays (PostgreSQL); see the SQLite file for what it is for. A statement-
-- level function, as for the roll's count (0023): a bulk insert of a province's stays is one
-- grouped upsert.
CREATE TABLE open_stays (
  branch_id BIGINT PRIMARY KEY,
  stays BIGINT NOT NULL
);

INSERT INTO open_stays (branch_id, stays)
  SELECT branch_id, COUNT(*) FROM member_periods WHERE to_on IS NULL GROUP BY branch_id;

-- +1 for each open new row, -1 for each open old row, summed by branch (an INSERT has no old
-- rows, a DELETE no new ones).
CREATE FUNCTION open_stays_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO open_stays AS s (branch_id, stays)
      SELECT branch_id, COUNT(*) FROM new_rows WHERE to_on IS NULL GROUP BY branch_id
      ON CONFLICT (branch_id) DO UPDATE SET stays = s.stays + excluded.stays;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE open_stays s SET stays = s.stays - o.n
      FROM (SELECT branch_id, COUNT(*) AS n FROM old_rows WHERE to_on IS NULL GROUP BY branch_id) o
      WHERE s.branch_id = o.branch_id;
  ELSE
    INSERT INTO open_stays AS s (branch_id, stays)
      SELECT branch_id, SUM(d) FROM (
          SELECT branch_id, -1 AS d FROM old_rows WHERE to_on IS NULL
          UNION ALL
          SELECT branch_id, 1 FROM new_rows WHERE to_on IS NULL) AS t
        GROUP BY branch_id
      ON CONFLICT (branch_id) DO UPDATE SET stays = s.stays + excluded.stays;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER open_stays_insert AFTER INSERT ON member_periods REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION open_stays_apply();
CREATE TRIGGER open_stays_update AFTER UPDATE ON member_periods REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION open_stays_apply();
CREATE TRIGGER open_stays_delete AFTER DELETE ON member_periods REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION open_stays_apply();

-- The stays dated after a day: open ones by their start, closed ones by their end.
CREATE INDEX member_periods_open_from ON member_periods(from_on) WHERE to_on IS NULL;
CREATE INDEX member_periods_closing ON member_periods(to_on) WHERE to_on IS NOT NULL;
