-- Each player's rating before and after a rated session, as in
-- src/sqlite/migrations/007_rating_changes.sql.
CREATE TABLE rating_changes (
  session_id   TEXT NOT NULL,
  account_id   TEXT NOT NULL,
  position     INTEGER NOT NULL,
  mu_before    DOUBLE PRECISION NOT NULL,
  sigma_before DOUBLE PRECISION NOT NULL,
  mu_after     DOUBLE PRECISION NOT NULL,
  sigma_after  DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (session_id, account_id)
);
