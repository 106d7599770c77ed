-- Sessions whose players were not yet told their end, as in
-- src/sqlite/migrations/008_untold_sessions.sql.
ALTER TABLE sessions ADD COLUMN untold BOOLEAN NOT NULL DEFAULT false;
CREATE INDEX sessions_untold ON sessions (id) WHERE untold;
