#pragma once
// The PoolSizerStore of the embedded default: one table (pool_sizers) in
// the lobby's SQLite file (<data>/lobby.db, WAL), through a connection of
// its own. Not thread-safe: one caller at a time.

#include "pools/pool_sizer_store.h"
#include "sqlite/database.h"

#include <filesystem>

namespace webgames {

class SqlitePoolSizerStore final : public PoolSizerStore {
 public:
  // Opens (creating) `file`. Throws std::runtime_error when it cannot.
  explicit SqlitePoolSizerStore(const std::filesystem::path& file);

  Result<PoolSizerRecords> load() override;
  Result<void> save(const PoolSizerRecords& records) override;

 private:
  sqlite::Connection db_;
};

}  // namespace webgames
