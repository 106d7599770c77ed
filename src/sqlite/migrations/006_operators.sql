-- Operators (docs/auth.md): the role column takes 'operator'. SQLite cannot
-- change a CHECK constraint in place, so the table is rebuilt as its manual
-- says (lang_altertable.html, "other kinds of table schema changes"): with
-- foreign keys off during migrations (sqlite/database.cpp), the tables that
-- refer to accounts keep referring to the new one.
CREATE TABLE accounts_new (
  id            TEXT PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,
  role          TEXT NOT NULL CHECK (role IN ('player', 'developer', 'operator')),
  guest         INTEGER NOT NULL,
  password_hash TEXT NOT NULL,
  created_at    INTEGER NOT NULL
);
INSERT INTO accounts_new (id, username, role, guest, password_hash, created_at)
  SELECT id, username, role, guest, password_hash, created_at FROM accounts;
DROP TABLE accounts;
ALTER TABLE accounts_new RENAME TO accounts;

-- Listing sessions across games (GET /v1/sessions), newest first: every
-- session for an operator, a developer's own.
CREATE INDEX sessions_created ON sessions(created_at);
CREATE INDEX sessions_owner_created ON sessions(owner_id, created_at);
