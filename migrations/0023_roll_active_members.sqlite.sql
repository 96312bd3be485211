-- Each branch's active members, kept beside its roll version (SQLite). The org tree page shows
-- every org with the active members of its subtree; counting them took 2.6 s on the nation's
-- 6.4 million members (docs/benchmarks.md, "Kept member lists"), on every load of the national
-- page. The count moves with the version, in the same trigger and the same row: a member
-- added, deleted, moved to another branch or given another status changes both, in the
-- transaction that changes the member, whatever code changes it.
ALTER TABLE roll_versions ADD COLUMN active_members BIGINT NOT NULL DEFAULT 0;

INSERT OR IGNORE INTO roll_versions (org_id, version) SELECT DISTINCT branch_id, 0 FROM members;
UPDATE roll_versions SET active_members = c.n
  FROM (SELECT branch_id, COUNT(*) AS n FROM members WHERE status = 'active' GROUP BY branch_id) AS c
  WHERE c.branch_id = roll_versions.org_id;

DROP TRIGGER members_roll_insert;
DROP TRIGGER members_roll_update;
DROP TRIGGER members_roll_delete;
CREATE TRIGGER members_roll_insert AFTER INSERT ON members BEGIN
  INSERT OR IGNORE INTO roll_versions (org_id, version) VALUES (new.branch_id, 0);
  UPDATE roll_versions SET version = version + 1, active_members = active_members + (new.status = 'active')
    WHERE org_id = new.branch_id;
END;
CREATE TRIGGER members_roll_update AFTER UPDATE ON members BEGIN
  INSERT OR IGNORE INTO roll_versions (org_id, version) VALUES (old.branch_id, 0), (new.branch_id, 0);
  UPDATE roll_versions SET version = version + 1,
      active_members = active_members - (org_id = old.branch_id AND old.status = 'active')
                                      + (org_id = new.branch_id AND new.status = 'active')
    WHERE org_id IN (old.branch_id, new.branch_id);
END;
CREATE TRIGGER members_roll_delete AFTER DELETE ON members BEGIN
  INSERT OR IGNORE INTO roll_versions (org_id, version) VALUES (old.branch_id, 0);
  UPDATE roll_versions SET version = version + 1, active_members = active_members - (old.status = 'active')
    WHERE org_id = old.branch_id;
END;
