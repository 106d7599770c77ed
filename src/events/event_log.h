#pragma once
// EventLog: where EmbeddedEventBus keeps the events it publishes, so that a
// restart (a kill -9 included) still replays them. The bus calls it from one
// thread at a time (its writer thread, and its constructor before that).

#include "core/clock.h"
#include "core/error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace webgames {

struct LoggedEvent {
  std::uint64_t id = 0;
  std::string player;
  TimePoint at;
  std::string text;  // as sent: {"id":…,"type":…,"data":…}
};

class EventLog {
 public:
  virtual ~EventLog() = default;
  // The events kept, published at `oldest` or later, oldest first.
  virtual Result<std::vector<LoggedEvent>> load(TimePoint oldest) = 0;
  // The highest id ever appended (0 for none), even if pruned since.
  virtual Result<std::uint64_t> last_id() = 0;
  // Appends `events` (ids increasing) at once; they survive the process
  // being killed once this returns. Keeps only the newest events of each
  // player it touched, as many as the log was made to keep.
  virtual Result<void> append(const std::vector<LoggedEvent>& events) = 0;
  // Drops the events published before `oldest`.
  virtual Result<void> prune(TimePoint oldest) = 0;
};

}  // namespace webgames
