-- attendance_years' triggers with their statements written out (PostgreSQL). 0024's function
-- built the two statements that sum a transition table as text and ran them with EXECUTE, so
-- PL/pgSQL parsed and planned them anew on every call, and a check-in, an upsert of one
-- attendance row that fires both the INSERT and the UPDATE statement triggers, cost about
-- 0.75 ms more than without the triggers (docs/benchmarks.md, "The nation"). Written out,
-- PL/pgSQL prepares each statement once a connection and keeps its plan; the transition tables
-- are read by name as before. What the function does is unchanged.
CREATE OR REPLACE FUNCTION attendance_years_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE attendance_years y SET present = y.present - o.present, excused = y.excused - o.excused,
        absent = y.absent - o.absent, minutes = y.minutes - o.minutes
      FROM (SELECT branch_id, CAST(substr(on_date, 1, 4) AS INTEGER) AS year, member_id,
                   COUNT(*) FILTER (WHERE status = 'present') AS present, COUNT(*) FILTER (WHERE status = 'excused') AS excused,
                   COUNT(*) FILTER (WHERE status = 'absent') AS absent,
                   COALESCE(SUM(minutes) FILTER (WHERE hours_state IN ('checked', 'approved')), 0) AS minutes
            FROM old_rows GROUP BY 1, 2, 3) o
      WHERE y.branch_id = o.branch_id AND y.year = o.year AND y.member_id = o.member_id;
    DELETE FROM attendance_years y
      USING (SELECT DISTINCT branch_id, CAST(substr(on_date, 1, 4) AS INTEGER) AS year, member_id FROM old_rows) o
      WHERE y.branch_id = o.branch_id AND y.year = o.year AND y.member_id = o.member_id AND y.present + y.excused + y.absent = 0;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO attendance_years AS y (branch_id, year, member_id, present, excused, absent, minutes)
      SELECT branch_id, CAST(substr(on_date, 1, 4) AS INTEGER), member_id,
             COUNT(*) FILTER (WHERE status = 'present'), COUNT(*) FILTER (WHERE status = 'excused'),
             COUNT(*) FILTER (WHERE status = 'absent'),
             COALESCE(SUM(minutes) FILTER (WHERE hours_state IN ('checked', 'approved')), 0)
      FROM new_rows GROUP BY 1, 2, 3
      ON CONFLICT (branch_id, year, member_id) DO UPDATE SET present = y.present + excluded.present,
        excused = y.excused + excluded.excused, absent = y.absent + excluded.absent, minutes = y.minutes + excluded.minutes;
  END IF;
  RETURN NULL;
END
$$;
