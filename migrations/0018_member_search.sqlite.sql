-- Member search at the scale of the nation (SQLite). The list is in name order (sort_key, id)
-- and m.search_text LIKE '%q%' over 6.4 million members is a scan; worse, the matches of a
-- given name ("trang") all sit in one block late in that order, so walking the order until a
-- page is full reads most of the nation. member_names holds each distinct name once (its sort
-- key and folded search text): a search walks the names in order, filters them with the LIKE
-- (tens of thousands of names, not millions of members), and reads the members of each
-- matching name through members_sort, in list order, stopping when the page is full
-- (org::Store::members). Kept by the triggers below; a name nobody bears any more stays and
-- simply finds nobody.
CREATE TABLE member_names (
  sort_key {{TEXT_C}} NOT NULL,
  search_text TEXT NOT NULL,
  PRIMARY KEY (sort_key, search_text)
) WITHOUT ROWID;

CREATE TRIGGER member_names_insert AFTER INSERT ON members BEGIN
  INSERT OR IGNORE INTO member_names (sort_key, search_text) VALUES (new.sort_key, new.search_text);
END;
CREATE TRIGGER member_names_update AFTER UPDATE OF sort_key, search_text ON members BEGIN
  INSERT OR IGNORE INTO member_names (sort_key, search_text) VALUES (new.sort_key, new.search_text);
END;

-- The names already there.
INSERT OR IGNORE INTO member_names (sort_key, search_text) SELECT sort_key, search_text FROM members;

-- The members of a name in list order (the rowid is in every index entry), and the whole list
-- in order when there is no search.
CREATE INDEX members_sort ON members(sort_key);
