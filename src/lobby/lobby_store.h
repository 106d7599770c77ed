#pragma once
// LobbyStore: where the lobby keeps its parties and tickets, so that a
// restart of `webgames serve` (a kill -9 included) finds every party and
// every ticket as it was. The embedded default keeps them in SQLite
// (<data>/lobby.db, sqlite/sqlite_lobby_store.h). Records are JSON texts
// (lobby/lobby_records.h): a store keeps them by id and never reads them.
//
// The events a change tells players of are written with it: by the store,
// in the same atomic step, when it can (writes_events(): the scaled mode,
// one Redis script), else published by the journal on the EventBus once
// the change has landed. Either way no player hears of a change that did
// not land, and the scaled mode spends one round trip on both.
//
// Blocking, one caller at a time: the lobby calls it from its writer
// thread (lobby/lobby_journal.h) and once at startup.

#include "core/error.h"
#include "events/event_bus.h"

#include <cstdint>

#include <string>
#include <vector>

namespace webgames {

struct LobbyChange {
  enum class Kind { put_party, remove_party, put_ticket, remove_ticket };
  Kind kind;
  std::string id;
  std::string record;  // JSON text, for put_party and put_ticket
};

// One write of the journal: the changes made since the last one, in order,
// and the events they tell, in order.
struct LobbyWrite {
  std::vector<LobbyChange> changes;
  std::vector<EventBus::Published> events;  // written by a store whose writes_events()
  std::uint64_t seq = 0;                    // increases with each write of one journal
  bool retried = false;                     // tried before, the outcome unknown: its events must not be appended twice
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
  // Applies the changes in order, all or none; with writes_events(), appends
  // the events to their players' streams in the same step.
  virtual Result<void> apply(const LobbyWrite& write) = 0;
  // Whether apply() writes the events. Default: no (the journal publishes them).
  virtual bool writes_events() const { return false; }
};

}  // namespace webgames
