-- The version of each branch's member roll (SQLite), for the member lists kept rendered in memory
-- (org/routes.cpp, platform/web/cache.hpp). Everything a branch's member list shows — its members
-- added, changed, moved in or out, deleted; its units added, renamed, removed — moves the
-- version, by the triggers below, in the transaction that makes the change, whatever code makes
-- it (the web, the API, an import, a bundle, `chidoan gen`). A server serves a kept list only
-- while the branch's version is still the one it was made at, and the version is in the database:
-- every server process on it sees a change at once.
--
-- A table of its own rather than a column of orgs: orgs is referenced by members, stays and
-- events, whose foreign-key checks lock the org's row (FOR KEY SHARE on PostgreSQL) while the same
-- transaction would be updating it. A branch without a row is at version 0; no foreign key, so
-- that moving a version locks nothing else.
CREATE TABLE roll_versions (
  org_id BIGINT PRIMARY KEY,
  version BIGINT NOT NULL
);

CREATE TRIGGER members_roll_insert AFTER INSERT ON members BEGIN
  INSERT OR IGNORE INTO roll_versions (org_id, version) VALUES (new.branch_id, 0);
  UPDATE roll_versions SET version = version + 1 WHERE org_id = new.branch_id;
END;
CREATE TRIGGER members_roll_update AFTER UPDATE ON members BEGIN
  INSERT OR IGNORE INTO roll_versions (org_id, version) VALUES (old.branch_id, 0), (new.branch_id, 0);
  UPDATE roll_versions SET version = version + 1 WHERE org_id IN (old.branch_id, new.branch_id);
END;
CREATE TRIGGER members_roll_delete AFTER DELETE ON members BEGIN
  INSERT OR IGNORE INTO roll_versions (org_id, version) VALUES (old.branch_id, 0);
  UPDATE roll_versions SET version = version + 1 WHERE org_id = old.branch_id;
END;
CREATE TRIGGER units_roll_insert AFTER INSERT ON units BEGIN
  INSERT OR IGNORE INTO roll_versions (org_id, version) VALUES (new.org_id, 0);
  UPDATE roll_versions SET version = version + 1 WHERE org_id = new.org_id;
END;
CREATE TRIGGER units_roll_update AFTER UPDATE ON units BEGIN
  INSERT OR IGNORE INTO roll_versions (org_id, version) VALUES (old.org_id, 0), (new.org_id, 0);
  UPDATE roll_versions SET version = version + 1 WHERE org_id IN (old.org_id, new.org_id);
END;
CREATE TRIGGER units_roll_delete AFTER DELETE ON units BEGIN
  INSERT OR IGNORE INTO roll_versions (org_id, version) VALUES (old.org_id, 0);
  UPDATE roll_versions SET version = version + 1 WHERE org_id = old.org_id;
END;
