-- A session that ended or failed with players is `untold` until its final
-- event (session.ended or session.failed) has been handed to the event bus;
-- a director that starts (after a restart, or taking over from a replica
-- that died in between) tells the untold ones (src/director/director.cpp).
ALTER TABLE sessions ADD COLUMN untold INTEGER NOT NULL DEFAULT 0;
CREATE INDEX sessions_untold ON sessions (id) WHERE untold = 1;
