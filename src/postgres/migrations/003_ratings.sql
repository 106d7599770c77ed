-- Players' ratings per game and queue (domain/rating.h), updated when a
-- session ends with a ranked report.
CREATE TABLE ratings (
  game       TEXT NOT NULL,
  queue      TEXT NOT NULL,
  account_id TEXT NOT NULL,
  mu         DOUBLE PRECISION NOT NULL,
  sigma      DOUBLE PRECISION NOT NULL,
  matches    INTEGER NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (game, queue, account_id)
);
CREATE INDEX ratings_board ON ratings(game, queue, (mu - 3 * sigma) DESC);
