-- The year report of a province or of the nation counts its subtree's member events and sums
-- its paid dues months by branch (src/review/report.cpp). At the nation's size (7 million
-- events, 1.2 million paid months in a province) the events were read by a scan of the whole
-- table, and each paid month by a table look-up for its member and amount (0.79 s for a
-- province): these indexes answer both reads alone (docs/benchmarks.md, "The nation").
CREATE INDEX member_events_branch ON member_events(branch_id, effective_on, kind);
DROP INDEX dues_paid_months_branch;
CREATE INDEX dues_paid_months_branch ON dues_paid_months(branch_id, month, member_id, amount);
