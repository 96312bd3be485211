-- Member search at the scale of the nation (PostgreSQL); see the SQLite file for the design:
-- member_names holds each distinct name once, a search walks the matching names in order and
-- reads their members through members_sort, stopping when the page is full. The names' folded
-- text also has a trigram index (pg_trgm, a trusted extension the database owner may create), so
-- a rare pattern finds its few names without walking them all.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE member_names (
  sort_key {{TEXT_C}} NOT NULL,
  search_text TEXT NOT NULL,
  PRIMARY KEY (sort_key, search_text)
);
CREATE INDEX member_names_trgm ON member_names USING gin (search_text gin_trgm_ops);

-- Statement-level, with the new rows as a table: a bulk insert adds its distinct names at once.
CREATE FUNCTION member_names_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO member_names (sort_key, search_text)
    SELECT DISTINCT sort_key, search_text FROM new_members ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;
CREATE TRIGGER member_names_insert AFTER INSERT ON members REFERENCING NEW TABLE AS new_members
  FOR EACH STATEMENT EXECUTE FUNCTION member_names_add();
CREATE TRIGGER member_names_update AFTER UPDATE ON members REFERENCING NEW TABLE AS new_members
  FOR EACH STATEMENT EXECUTE FUNCTION member_names_add();

INSERT INTO member_names (sort_key, search_text) SELECT DISTINCT sort_key, search_text FROM members ON CONFLICT DO NOTHING;

CREATE INDEX members_sort ON members(sort_key, id);
