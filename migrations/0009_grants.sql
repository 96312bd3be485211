-- Tasks given to a user for an org's subtree on top of their role (auth::Grant), e.g. the
-- coordinators of a blood-donation club. grant_name is one of auth::kAllGrants (checked in
-- code, so a new grant needs no migration). Revoking deletes the row; the audit log keeps who
-- granted and revoked what, when.
CREATE TABLE user_grants (
  id {{ID}},
  user_id BIGINT NOT NULL REFERENCES users(id),
  grant_name TEXT NOT NULL,
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  granted_by BIGINT REFERENCES users(id),
  granted_at BIGINT NOT NULL,
  UNIQUE (user_id, grant_name, org_id)
);
CREATE INDEX user_grants_org ON user_grants(org_id, grant_name);
