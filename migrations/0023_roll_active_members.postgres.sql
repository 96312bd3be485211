-- Each branch's active members, kept beside its roll version (PostgreSQL); see the SQLite file
-- for what it is for. The members' statement-level triggers get a function of their own, which
-- moves each named branch's version once and its count by the statement's rows: a bulk insert
-- of a province's members is one grouped upsert, as before. The units' triggers keep
-- roll_versions_bump (0020): a unit changes no count.
ALTER TABLE roll_versions ADD COLUMN active_members BIGINT NOT NULL DEFAULT 0;

INSERT INTO roll_versions (org_id, version, active_members)
  SELECT branch_id, 0, COUNT(*) FILTER (WHERE status = 'active') FROM members GROUP BY branch_id
  ON CONFLICT (org_id) DO UPDATE SET active_members = excluded.active_members;

-- +1 for each active new row, -1 for each active old row, summed by branch (an INSERT has no
-- old rows, a DELETE no new ones; PL/pgSQL plans a statement only when it runs).
CREATE FUNCTION roll_versions_members() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO roll_versions AS r (org_id, version, active_members)
      SELECT branch_id, 1, COUNT(*) FILTER (WHERE status = 'active') FROM new_rows GROUP BY branch_id
      ON CONFLICT (org_id) DO UPDATE SET version = r.version + 1, active_members = r.active_members + excluded.active_members;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO roll_versions AS r (org_id, version, active_members)
      SELECT branch_id, 1, -COUNT(*) FILTER (WHERE status = 'active') FROM old_rows GROUP BY branch_id
      ON CONFLICT (org_id) DO UPDATE SET version = r.version + 1, active_members = r.active_members + excluded.active_members;
  ELSE
    INSERT INTO roll_versions AS r (org_id, version, active_members)
      SELECT branch_id, 1, SUM(d) FROM (
          SELECT branch_id, -(status = 'active')::int AS d FROM old_rows
          UNION ALL
          SELECT branch_id, (status = 'active')::int FROM new_rows) AS t
        GROUP BY branch_id
      ON CONFLICT (org_id) DO UPDATE SET version = r.version + 1, active_members = r.active_members + excluded.active_members;
  END IF;
  RETURN NULL;
END
$$;

DROP TRIGGER members_roll_insert ON members;
DROP TRIGGER members_roll_update ON members;
DROP TRIGGER members_roll_delete ON members;
CREATE TRIGGER members_roll_insert AFTER INSERT ON members REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION roll_versions_members();
CREATE TRIGGER members_roll_update AFTER UPDATE ON members REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION roll_versions_members();
CREATE TRIGGER members_roll_delete AFTER DELETE ON members REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION roll_versions_members();
