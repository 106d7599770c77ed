#include "postgres/connection.h"
#include "postgres/migrations.h"

#include <fmt/format.h>

namespace webgames::postgres {
namespace {

// The advisory lock key of schema changes: "webgames" in ASCII, any constant
// unlikely to collide with another application's keys.
constexpr std::int64_t kMigrationLock = 0x7765626761'6d6573;

int current_version(Connection& db) {
  return static_cast<int>(db.exec("SELECT coalesce(max(version), 0) FROM schema_migrations").integer(0, 0));
}

}  // namespace

void migrate(Connection& db) {
  auto all = migrations();
  int newest = all.empty() ? 0 : all.back().version;
  for (const auto& m : all) {
    in_transaction(db, [&] {
      db.exec("SELECT pg_advisory_xact_lock($1)", {Param(kMigrationLock)});
      db.exec(
          "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
          "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
      int version = current_version(db);
      if (version > newest)
        throw std::runtime_error(
            fmt::format("postgres: the database is at schema {}, newer than this binary's {}", version, newest));
      if (version >= m.version) return;  // applied before, maybe by another replica just now
      db.exec_script(m.sql);
      db.exec("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
              {Param(std::int64_t{m.version}), Param(m.name)});
    });
  }
}

}  // namespace webgames::postgres
