-- members_sort carries each member's status, branch and folded name, so that a search's count
-- of the bearers of the matching names is read from the index alone (SQLite); see the
-- PostgreSQL file. SQLite has no INCLUDE: the columns follow the key, and the order by
-- (sort_key, id) that the member lists read is the index's order still.
DROP INDEX members_sort;
CREATE INDEX members_sort ON members(sort_key, id, status, branch_id, search_text);
