#pragma once
// PoolSizerStore: where the director keeps what its pools' sizers learned
// (PoolSizer::learned(): the recent match rates, the measured starts), so
// that a restart of `webgames serve` (a kill -9 included: it saves every few
// seconds) or the next owner of the lobby in a cluster starts its pools from
// it instead of from the prior. The embedded default keeps them in SQLite
// beside the lobby (<data>/lobby.db, sqlite/sqlite_pool_sizer_store.h), the
// scaled mode in Redis beside the lobby's records, fenced by its lease
// (redis/redis_pool_sizer_store.h). Records are JSON texts by game id: a
// store keeps them and never reads them.
//
// Blocking, one caller at a time: the director saves from a thread of its
// own; load() is called once, off the event loops, before the director
// starts (a store may need those loops to answer).

#include "core/error.h"

#include <map>
#include <string>

namespace webgames {

using PoolSizerRecords = std::map<std::string, std::string>;  // game id -> PoolSizer::learned()

class PoolSizerStore {
 public:
  virtual ~PoolSizerStore() = default;
  // Every record kept.
  virtual Result<PoolSizerRecords> load() = 0;
  // Replaces every record kept with `records`, all or none.
  virtual Result<void> save(const PoolSizerRecords& records) = 0;
};

}  // namespace webgames
