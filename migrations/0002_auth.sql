-- Users, sessions, API tokens, login throttling and the audit log.
-- Instants are BIGINT unix seconds; booleans are BIGINT 0/1.

-- A person who signs in. org_id is the root of the user's scope (the org they manage, or
-- the branch of a secretary or member); every user hangs in the tree, so the first system
-- admin is created after the root org. member_id links a member's account to their own
-- profile (required for role 'member'). Users are disabled, never deleted (the audit log
-- keeps their id).
CREATE TABLE users (
  id {{ID}},
  username TEXT NOT NULL UNIQUE CHECK (username = lower(username)),
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('system_admin', 'org_manager', 'branch_secretary', 'member')),
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  member_id BIGINT REFERENCES members(id),
  display_name TEXT NOT NULL,
  lang TEXT NOT NULL DEFAULT 'vi',
  disabled BIGINT NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at BIGINT NOT NULL,
  CHECK (role <> 'member' OR member_id IS NOT NULL)
);
CREATE INDEX users_org ON users(org_id);
CREATE INDEX users_member ON users(member_id);

-- A browser session. Only the SHA-256 (hex) of the cookie value is stored, so a copy of the
-- database does not let anyone sign in. expires_at slides with last_seen_at (12 h) and is
-- capped at created_at + 7 days.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users(id),
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expires ON sessions(expires_at);

-- Personal API tokens ("cd_…", shown once). Revoked tokens keep their row for the audit.
CREATE TABLE api_tokens (
  id {{ID}},
  user_id BIGINT NOT NULL REFERENCES users(id),
  token_hash TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_used_at BIGINT,
  revoked_at BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

-- Every login attempt, kept in the database so throttling holds across restarts and
-- processes. username is the normalised name as typed (also for unknown users).
CREATE TABLE login_attempts (
  id {{ID}},
  username TEXT NOT NULL,
  ip TEXT NOT NULL,
  at BIGINT NOT NULL,
  ok BIGINT NOT NULL CHECK (ok IN (0, 1))
);
CREATE INDEX login_attempts_user ON login_attempts(username, ok, at);
CREATE INDEX login_attempts_ip ON login_attempts(ip, ok, at);
CREATE INDEX login_attempts_at ON login_attempts(at);

-- Who did what to which object. Append-only. user_id has no foreign key on purpose: the log
-- must record attempts by unknown users and outlive any cleanup of the tables it describes;
-- username is copied for the same reason. detail is a JSON object (never a password).
CREATE TABLE audit_log (
  id {{ID}},
  at BIGINT NOT NULL,
  user_id BIGINT,
  username TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id BIGINT,
  detail TEXT NOT NULL DEFAULT '{}',
  request_id TEXT NOT NULL DEFAULT '',
  ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
CREATE INDEX audit_log_at ON audit_log(at);
