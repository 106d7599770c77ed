#include "sqlite/sqlite_event_log.h"

#include <fmt/format.h>

#include <set>
#include <stdexcept>

namespace webgames {
namespace {

std::int64_t millis(TimePoint t) { return t.time_since_epoch().count(); }

// SQLite failures of an event log are its disk's: unavailable, not a bug.
template <class F>
auto guarded(std::string_view what, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::exception& e) {
    return make_error(Errc::unavailable, fmt::format("event log {}: {}", what, e.what()));
  }
}

}  // namespace

SqliteEventLog::SqliteEventLog(const std::filesystem::path& file, std::size_t per_player)
    : db_(file), per_player_(per_player) {
  db_.exec(
      "CREATE TABLE IF NOT EXISTS events ("
      "  id INTEGER PRIMARY KEY,"
      "  player TEXT NOT NULL,"
      "  at INTEGER NOT NULL,"  // ms since the Unix epoch
      "  text TEXT NOT NULL);"
      "CREATE INDEX IF NOT EXISTS events_by_player ON events(player, id);"
      "CREATE INDEX IF NOT EXISTS events_by_age ON events(at);"
      "CREATE TABLE IF NOT EXISTS event_ids (one INTEGER PRIMARY KEY CHECK (one = 1), last INTEGER NOT NULL);"
      "INSERT OR IGNORE INTO event_ids VALUES (1, 0);");
}

Result<std::vector<LoggedEvent>> SqliteEventLog::load(TimePoint oldest) {
  return guarded("load", [&]() -> Result<std::vector<LoggedEvent>> {
    std::vector<LoggedEvent> out;
    auto q = db_.prepare("SELECT id, player, at, text FROM events WHERE at >= ? ORDER BY id");
    q.bind(1, millis(oldest));
    while (q.step())
      out.push_back(LoggedEvent{static_cast<std::uint64_t>(q.integer(0)), q.text(1),
                                TimePoint{std::chrono::milliseconds{q.integer(2)}}, q.text(3)});
    return out;
  });
}

Result<std::uint64_t> SqliteEventLog::last_id() {
  return guarded("read", [&]() -> Result<std::uint64_t> {
    auto q = db_.prepare("SELECT last FROM event_ids WHERE one = 1");
    return q.step() ? static_cast<std::uint64_t>(q.integer(0)) : 0;
  });
}

Result<void> SqliteEventLog::append(const std::vector<LoggedEvent>& events) {
  if (events.empty()) return {};
  return guarded("append", [&]() -> Result<void> {
    sqlite::in_transaction(db_, [&] {
      auto insert = db_.prepare("INSERT INTO events (id, player, at, text) VALUES (?, ?, ?, ?)");
      std::set<std::string_view> players;
      for (const auto& e : events) {
        insert.bind(1, static_cast<std::int64_t>(e.id)).bind(2, e.player).bind(3, millis(e.at)).bind(4, e.text);
        insert.step();
        insert.reset();
        players.insert(e.player);
      }
      // Each player keeps the newest per_player_ events.
      auto trim = db_.prepare(
          "DELETE FROM events WHERE player = ?1 AND id < "
          "(SELECT id FROM events WHERE player = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)");
      for (auto p : players) {
        trim.bind(1, p).bind(2, static_cast<std::int64_t>(per_player_ == 0 ? 0 : per_player_ - 1));
        trim.step();
        trim.reset();
      }
      auto last = db_.prepare("UPDATE event_ids SET last = max(last, ?) WHERE one = 1");
      last.bind(1, static_cast<std::int64_t>(events.back().id));
      last.step();
    });
    return {};
  });
}

Result<void> SqliteEventLog::prune(TimePoint oldest) {
  return guarded("prune", [&]() -> Result<void> {
    auto q = db_.prepare("DELETE FROM events WHERE at < ?");
    q.bind(1, millis(oldest));
    q.step();
    return {};
  });
}

}  // namespace webgames
