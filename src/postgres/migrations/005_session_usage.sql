-- What each session used, as in src/sqlite/migrations/005_session_usage.sql.
ALTER TABLE sessions ADD COLUMN server_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN cpu DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN memory_mb INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET server_ms = GREATEST(0, (record::jsonb ->> 'ended_at')::bigint - (record::jsonb ->> 'started_at')::bigint)
  WHERE (record::jsonb ->> 'started_at')::bigint > 0 AND (record::jsonb ->> 'ended_at')::bigint > 0;
CREATE INDEX sessions_owner ON sessions(owner_id, game_id);
