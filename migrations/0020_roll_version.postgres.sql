-- The version of each branch's member roll (PostgreSQL); see the SQLite file for what it is for
-- and why it is a table of its own. Statement-level triggers with the changed rows as tables: a
-- bulk insert of a hundred members moves its branch's version once, not a hundred times.
CREATE TABLE roll_versions (
  org_id BIGINT PRIMARY KEY,
  version BIGINT NOT NULL
);

-- Moves the version of every org the statement's rows name in the column TG_ARGV[0], old rows
-- and new (an org without a row gets one, at 1).
CREATE FUNCTION roll_versions_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  orgs text := CASE TG_OP WHEN 'INSERT' THEN 'SELECT %1$I FROM new_rows'
                          WHEN 'UPDATE' THEN 'SELECT %1$I FROM old_rows UNION SELECT %1$I FROM new_rows'
                          ELSE 'SELECT %1$I FROM old_rows' END;
BEGIN
  EXECUTE format('INSERT INTO roll_versions (org_id, version) SELECT DISTINCT id, 1 FROM (' || orgs || ') AS t(id) '
                 'ON CONFLICT (org_id) DO UPDATE SET version = roll_versions.version + 1', TG_ARGV[0]);
  RETURN NULL;
END
$$;

CREATE TRIGGER members_roll_insert AFTER INSERT ON members REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION roll_versions_bump('branch_id');
CREATE TRIGGER members_roll_update AFTER UPDATE ON members REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION roll_versions_bump('branch_id');
CREATE TRIGGER members_roll_delete AFTER DELETE ON members REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION roll_versions_bump('branch_id');
CREATE TRIGGER units_roll_insert AFTER INSERT ON units REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION roll_versions_bump('org_id');
CREATE TRIGGER units_roll_update AFTER UPDATE ON units REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION roll_versions_bump('org_id');
CREATE TRIGGER units_roll_delete AFTER DELETE ON units REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION roll_versions_bump('org_id');
