#pragma once
// LobbyStore: where the lobby keeps its parties and tickets, so that a
// restart of `webgames serve` (a kill -9 included) finds every party and
// every ticket as it was. The embedded default keeps them in SQLite
// (<data>/lobby.db, sqlite/sqlite_lobby_store.h). Records are JSON texts
// (lobby/lobby_records.h): a store keeps them by id and never reads them.
//
// Blocking, one caller at a time: the lobby calls it from its writer
// thread (lobby/lobby_journal.h) and once at startup.

#include "core/error.h"

#include <string>
#include <vector>

namespace webgames {

struct LobbyChange {
  enum class Kind { put_party, remove_party, put_ticket, remove_ticket };
  Kind kind;
  std::string id;
  std::string record;  // JSON text, for put_party and put_ticket
};

struct LobbyRecords {
  std::vector<std::string> parties;
  std::vector<std::string> tickets;
};

class LobbyStore {
 public:
  virtual ~LobbyStore() = default;
  // Every record kept.
  virtual Result<LobbyRecords> load() = 0;
  // Applies the changes in order, all or none.
  virtual Result<void> apply(const std::vector<LobbyChange>& changes) = 0;
};

}  // namespace webgames
