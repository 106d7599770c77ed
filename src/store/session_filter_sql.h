#pragma once
// The WHERE clause of Catalog::list_sessions, written once for both SQL
// drivers (sqlite/, postgres/): they differ only in how a parameter is
// marked and how a JSON array is walked. Pure: builds text, runs nothing.

#include "store/catalog.h"

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace webgames {

enum class SqlDialect { sqlite, postgres };

struct SqlFilter {
  std::string sql;  // "SELECT record, game_id, created_at, id FROM sessions WHERE … ORDER BY … LIMIT …"
  std::vector<std::variant<std::string, std::int64_t>> params;  // in the order of their markers
};

// The statement that reads one page of `query` (one row more than its limit,
// so that the caller knows whether another page follows).
SqlFilter session_page_sql(const SessionQuery& query, SqlDialect dialect);

}  // namespace webgames
