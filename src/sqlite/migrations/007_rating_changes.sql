-- Each player's rating before and after a rated session (domain/rating.h,
-- RatingChange), written in the transaction that updates the ratings; the
-- session's page shows them. `position` keeps the session's order of players.
CREATE TABLE rating_changes (
  session_id   TEXT NOT NULL,
  account_id   TEXT NOT NULL,
  position     INTEGER NOT NULL,
  mu_before    REAL NOT NULL,
  sigma_before REAL NOT NULL,
  mu_after     REAL NOT NULL,
  sigma_after  REAL NOT NULL,
  PRIMARY KEY (session_id, account_id)
);
