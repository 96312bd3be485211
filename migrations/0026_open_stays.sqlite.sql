-- Each branch's open stays (SQLite): the member_periods rows with no end yet, counted by
-- branch. A dated count of an org's members (Store::member_count: the stays that cover a day)
-- read every stay of the subtree: 2.6 s for the nation's org page and 6 s for the national
-- home page, which counts the nation and then each province (docs/benchmarks.md, "The
-- nation"). Now it is the open stays summed over the subtree's branches, less the open stays
-- that begin after the day, plus the closed stays that began by the day and end after it; the
-- two corrections read only the stays dated after the day, through the partial indexes below
-- (none, for today, unless something is recorded ahead). Kept by triggers on member_periods in
-- the same transaction, as the other summaries are (0021, 0023, 0024).
CREATE TABLE open_stays (
  branch_id BIGINT PRIMARY KEY,
  stays BIGINT NOT NULL
) WITHOUT ROWID;

INSERT INTO open_stays (branch_id, stays)
  SELECT branch_id, COUNT(*) FROM member_periods WHERE to_on IS NULL GROUP BY branch_id;

CREATE TRIGGER open_stays_insert AFTER INSERT ON member_periods WHEN new.to_on IS NULL BEGIN
  INSERT INTO open_stays (branch_id, stays) VALUES (new.branch_id, 1)
    ON CONFLICT (branch_id) DO UPDATE SET stays = stays + 1;
END;
CREATE TRIGGER open_stays_delete AFTER DELETE ON member_periods WHEN old.to_on IS NULL BEGIN
  UPDATE open_stays SET stays = stays - 1 WHERE branch_id = old.branch_id;
END;
CREATE TRIGGER open_stays_update AFTER UPDATE OF branch_id, to_on ON member_periods BEGIN
  UPDATE open_stays SET stays = stays - 1 WHERE branch_id = old.branch_id AND old.to_on IS NULL;
  INSERT INTO open_stays (branch_id, stays) SELECT new.branch_id, 1 WHERE new.to_on IS NULL
    ON CONFLICT (branch_id) DO UPDATE SET stays = stays + 1;
END;

-- The stays dated after a day: open ones by their start, closed ones by their end.
CREATE INDEX member_periods_open_from ON member_periods(from_on) WHERE to_on IS NULL;
CREATE INDEX member_periods_closing ON member_periods(to_on) WHERE to_on IS NOT NULL;
