-- The search across a province or the nation (org::Store::members) reads the bearers of the
-- matching names through members_sort, and counts up to a thousand of them. With the index on
-- (sort_key, id) alone each of those rows was a look-up in the members table for its status,
-- branch and folded name: on the nation's data (6.4 million members, a 47 GB database) a
-- thousand random page reads, 50–100 ms for a common name. Carrying those three columns in the
-- index lets PostgreSQL answer the count from the index alone (an index-only scan: docs/
-- benchmarks.md, "The nation"). PostgreSQL carries them as INCLUDE columns, outside the key;
-- SQLite, which has no INCLUDE, as the key's last columns (the SQLite file).
DROP INDEX members_sort;
CREATE INDEX members_sort ON members(sort_key, id) INCLUDE (status, branch_id, search_text);
