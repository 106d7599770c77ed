-- Session history, written through by the director. The record column holds
-- the whole session (domain/session.h, session_record_to_json).
CREATE TABLE sessions (
  id         TEXT PRIMARY KEY,
  game       TEXT NOT NULL,
  owner_id   TEXT NOT NULL,
  state      TEXT NOT NULL,
  record     TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX sessions_game ON sessions(game, created_at);
CREATE INDEX sessions_unfinished ON sessions(state) WHERE state NOT IN ('ended', 'failed');
