-- Operators, and listing sessions across games, as in
-- src/sqlite/migrations/006_operators.sql.
ALTER TABLE accounts DROP CONSTRAINT accounts_role_check;
ALTER TABLE accounts ADD CONSTRAINT accounts_role_check CHECK (role IN ('player', 'developer', 'operator'));

CREATE INDEX sessions_created ON sessions(created_at);
CREATE INDEX sessions_owner_created ON sessions(owner_id, created_at);
