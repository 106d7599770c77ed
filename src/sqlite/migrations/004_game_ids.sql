-- Games get an immutable id (Game::id, "gam_…"), and history is keyed by it:
-- a game registered later under a deleted game's name gets none of the old
-- game's sessions or ratings. Names stay unique among live games.
ALTER TABLE games ADD COLUMN id TEXT;
UPDATE games SET id = 'gam_' || lower(hex(randomblob(12)));
CREATE UNIQUE INDEX games_id ON games(id);

-- A session belongs to the live game of its name and owner if it was matched
-- after that game was registered; any other (its game was deleted before this
-- migration) to no live game: 'gone:<name>' never equals a game's id.
ALTER TABLE sessions ADD COLUMN game_id TEXT NOT NULL DEFAULT '';
UPDATE sessions SET game_id = COALESCE(
  (SELECT g.id FROM games g
    WHERE g.name = sessions.game AND g.owner_id = sessions.owner_id AND g.created_at <= sessions.created_at),
  'gone:' || sessions.game);
DROP INDEX sessions_game;
CREATE INDEX sessions_game_id ON sessions(game_id, created_at);

-- Ratings likewise: those last changed before the live game of their name
-- was registered belonged to an earlier game of that name.
ALTER TABLE ratings RENAME COLUMN game TO game_id;
UPDATE ratings SET game_id = COALESCE(
  (SELECT g.id FROM games g WHERE g.name = ratings.game_id AND g.created_at <= ratings.updated_at),
  'gone:' || ratings.game_id);
