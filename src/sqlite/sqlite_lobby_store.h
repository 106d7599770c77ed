#pragma once
// The LobbyStore of the embedded default: two tables in their own SQLite
// file (<data>/lobby.db, WAL, synchronous NORMAL: a committed change
// survives the process being killed). Not thread-safe: one caller at a time.

#include "lobby/lobby_store.h"
#include "sqlite/database.h"

#include <filesystem>

namespace webgames {

class SqliteLobbyStore final : public LobbyStore {
 public:
  // Opens (creating) `file`. Throws std::runtime_error when it cannot.
  explicit SqliteLobbyStore(const std::filesystem::path& file);

  Result<LobbyRecords> load() override;
  Result<void> apply(const LobbyWrite& write) override;  // the changes only

 private:
  sqlite::Connection db_;
};

}  // namespace webgames
