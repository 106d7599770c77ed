#include "sqlite/sqlite_pool_sizer_store.h"

#include <fmt/format.h>

namespace webgames {

SqlitePoolSizerStore::SqlitePoolSizerStore(const std::filesystem::path& file) : db_(file) {
  db_.exec("CREATE TABLE IF NOT EXISTS pool_sizers (game_id TEXT PRIMARY KEY, learned TEXT NOT NULL)");
}

Result<PoolSizerRecords> SqlitePoolSizerStore::load() {
  try {
    PoolSizerRecords out;
    auto rows = db_.prepare("SELECT game_id, learned FROM pool_sizers");
    while (rows.step()) out.emplace(rows.text(0), rows.text(1));
    return out;
  } catch (const std::exception& e) {
    return make_error(Errc::unavailable, fmt::format("pool sizer store load: {}", e.what()));
  }
}

Result<void> SqlitePoolSizerStore::save(const PoolSizerRecords& records) {
  try {
    sqlite::in_transaction(db_, [&] {
      db_.exec("DELETE FROM pool_sizers");
      auto put = db_.prepare("INSERT INTO pool_sizers (game_id, learned) VALUES (?, ?)");
      for (const auto& [game_id, learned] : records) {
        put.bind(1, game_id);
        put.bind(2, learned);
        put.step();
        put.reset();
      }
    });
    return {};
  } catch (const std::exception& e) {
    return make_error(Errc::unavailable, fmt::format("pool sizer store write: {}", e.what()));
  }
}

}  // namespace webgames
