#pragma once
// The EventLog of the embedded default: a table in its own SQLite file
// (<data>/events.db, WAL, synchronous NORMAL: a committed append survives
// the process being killed). Not thread-safe: one caller at a time.

#include "events/event_log.h"
#include "sqlite/database.h"

#include <filesystem>

namespace webgames {

class SqliteEventLog final : public EventLog {
 public:
  // Opens (creating) `file`; keeps the newest `per_player` events of each
  // player. Throws std::runtime_error when the file cannot be opened.
  SqliteEventLog(const std::filesystem::path& file, std::size_t per_player);

  Result<std::vector<LoggedEvent>> load(TimePoint oldest) override;
  Result<std::uint64_t> last_id() override;
  Result<void> append(const std::vector<LoggedEvent>& events) override;
  Result<void> prune(TimePoint oldest) override;

 private:
  sqlite::Connection db_;
  std::size_t per_player_;
};

}  // namespace webgames
