-- What each session used (docs/hosting.md#usage), in columns so that a
-- developer's usage sums without reading every record: server time in ms
-- (started to ended) and what its server reserved. Sessions recorded before
-- have their server time from the record, and no reservation (0).
ALTER TABLE sessions ADD COLUMN server_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN cpu REAL NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN memory_mb INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET server_ms = MAX(0, json_extract(record, '$.ended_at') - json_extract(record, '$.started_at'))
  WHERE json_extract(record, '$.started_at') > 0 AND json_extract(record, '$.ended_at') > 0;
CREATE INDEX sessions_owner ON sessions(owner_id, game_id);
