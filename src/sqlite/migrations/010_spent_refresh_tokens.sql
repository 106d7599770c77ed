-- Refresh tokens a rotation replaced, and when: one presented again was
-- copied (stolen, or a client refreshing twice), and ends its login
-- (docs/auth.md#refresh-tokens). A login's are forgotten once spent longer
-- ago than a refresh token lives.
CREATE TABLE spent_refresh_tokens (
  hash     BLOB PRIMARY KEY,
  login_id TEXT NOT NULL REFERENCES logins(id) ON DELETE CASCADE,
  spent_at INTEGER NOT NULL
);
CREATE INDEX spent_refresh_tokens_login ON spent_refresh_tokens(login_id, spent_at);
