-- Refresh tokens a rotation replaced, as in
-- src/sqlite/migrations/010_spent_refresh_tokens.sql.
CREATE TABLE spent_refresh_tokens (
  hash     BYTEA PRIMARY KEY,
  login_id TEXT NOT NULL REFERENCES logins(id) ON DELETE CASCADE,
  spent_at BIGINT NOT NULL
);
CREATE INDEX spent_refresh_tokens_login ON spent_refresh_tokens(login_id, spent_at);
