-- The fencing token of the lobby's lease held by the replica that last wrote
-- the session (scaled mode; 0 in the embedded default), and the floor every
-- new owner raises to its own token when it takes the lobby over: a write
-- carrying a lower token than either, from a replica that was paused past its
-- lease while another took over, is refused (src/store/catalog.h).
ALTER TABLE sessions ADD COLUMN fence INTEGER NOT NULL DEFAULT 0;
CREATE TABLE session_fence (id INTEGER PRIMARY KEY CHECK (id = 1), floor INTEGER NOT NULL);
INSERT INTO session_fence (id, floor) VALUES (1, 0);
