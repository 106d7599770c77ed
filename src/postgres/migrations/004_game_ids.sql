-- Games get an immutable id, and history is keyed by it, as in
-- src/sqlite/migrations/004_game_ids.sql (which explains the rules).
ALTER TABLE games ADD COLUMN id TEXT;
UPDATE games SET id = 'gam_' || md5(random()::text || name);
ALTER TABLE games ALTER COLUMN id SET NOT NULL;
CREATE UNIQUE INDEX games_id ON games(id);

ALTER TABLE sessions ADD COLUMN game_id TEXT NOT NULL DEFAULT '';
UPDATE sessions SET game_id = COALESCE(
  (SELECT g.id FROM games g
    WHERE g.name = sessions.game AND g.owner_id = sessions.owner_id AND g.created_at <= sessions.created_at),
  'gone:' || sessions.game);
DROP INDEX sessions_game;
CREATE INDEX sessions_game_id ON sessions(game_id, created_at);

ALTER TABLE ratings RENAME COLUMN game TO game_id;
UPDATE ratings SET game_id = COALESCE(
  (SELECT g.id FROM games g WHERE g.name = ratings.game_id AND g.created_at <= ratings.updated_at),
  'gone:' || ratings.game_id);
