#pragma once
// The schema migrations in src/postgres/migrations/NNN_*.sql, embedded at
// build time, in order; numbered as SQLite's (src/sqlite/migrations), so that
// migration N brings either database to the same schema. Applied by migrate().

#include <span>
#include <string_view>

namespace webgames::postgres {

class Connection;

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

std::span<const Migration> migrations();

// Brings the database's schema up to the newest embedded migration. Each
// migration runs once, in its own transaction, recorded in the table
// schema_migrations; replicas starting at once serialise on a transaction-
// scoped advisory lock, so each migration is applied by exactly one of them.
// Throws when the database is newer than this binary knows, Unavailable
// when the server cannot be reached.
void migrate(Connection& db);

}  // namespace webgames::postgres
