-- Organisation tree, units and the member roll. Dates are TEXT 'YYYY-MM-DD'.
CREATE TABLE org_levels (
  id {{ID}},
  rank BIGINT NOT NULL UNIQUE,          -- 0 = top (Trung ương)
  name TEXT NOT NULL,
  holds_members BIGINT NOT NULL DEFAULT 0
);
