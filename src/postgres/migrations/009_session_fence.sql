-- The fencing token of the writer of each session, and the floor a new
-- owner raises, as in src/sqlite/migrations/009_session_fence.sql.
ALTER TABLE sessions ADD COLUMN fence BIGINT NOT NULL DEFAULT 0;
CREATE TABLE session_fence (id INTEGER PRIMARY KEY CHECK (id = 1), floor BIGINT NOT NULL);
INSERT INTO session_fence (id, floor) VALUES (1, 0);
