-- Accounts, credentials and games, as in src/sqlite/migrations/001_catalog.sql.
-- Times are milliseconds since the Unix epoch; hashes are raw bytes.
CREATE TABLE accounts (
  id            TEXT PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,
  role          TEXT NOT NULL CHECK (role IN ('player', 'developer')),
  guest         BOOLEAN NOT NULL,
  password_hash TEXT NOT NULL,
  created_at    BIGINT NOT NULL
);

CREATE TABLE logins (
  id           TEXT PRIMARY KEY,
  account_id   TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  refresh_hash BYTEA NOT NULL UNIQUE,
  expires_at   BIGINT NOT NULL,
  revoked      BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX logins_account ON logins(account_id);

CREATE TABLE api_keys (
  id         TEXT PRIMARY KEY,
  owner_id   TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name       TEXT NOT NULL,
  key_hash   BYTEA NOT NULL UNIQUE,
  prefix     TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX api_keys_owner ON api_keys(owner_id);

-- The spec column holds the game's JSON (domain/game_json.h), so that the
-- spec can grow without a migration per field.
CREATE TABLE games (
  name       TEXT PRIMARY KEY,
  owner_id   TEXT NOT NULL REFERENCES accounts(id),
  spec       TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX games_owner ON games(owner_id);
