#pragma once
// The schema migrations in src/sqlite/migrations/NNN_*.sql, embedded at build
// time, in order. Migration N brings the database to PRAGMA user_version N.

#include <span>
#include <string_view>

namespace webgames::sqlite {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

std::span<const Migration> migrations();

}  // namespace webgames::sqlite
