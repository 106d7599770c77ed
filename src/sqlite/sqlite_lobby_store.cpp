#include "sqlite/sqlite_lobby_store.h"

#include <fmt/format.h>

namespace webgames {

SqliteLobbyStore::SqliteLobbyStore(const std::filesystem::path& file) : db_(file) {
  db_.exec(
      "CREATE TABLE IF NOT EXISTS parties (id TEXT PRIMARY KEY, record TEXT NOT NULL);"
      "CREATE TABLE IF NOT EXISTS tickets (id TEXT PRIMARY KEY, record TEXT NOT NULL);");
}

Result<LobbyRecords> SqliteLobbyStore::load() {
  try {
    LobbyRecords out;
    auto parties = db_.prepare("SELECT record FROM parties");
    while (parties.step()) out.parties.push_back(parties.text(0));
    auto tickets = db_.prepare("SELECT record FROM tickets");
    while (tickets.step()) out.tickets.push_back(tickets.text(0));
    return out;
  } catch (const std::exception& e) {
    return make_error(Errc::unavailable, fmt::format("lobby store load: {}", e.what()));
  }
}

Result<void> SqliteLobbyStore::apply(const LobbyWrite& write) {
  const auto& changes = write.changes;
  if (changes.empty()) return {};
  try {
    sqlite::in_transaction(db_, [&] {
      auto put_party = db_.prepare("INSERT OR REPLACE INTO parties (id, record) VALUES (?, ?)");
      auto remove_party = db_.prepare("DELETE FROM parties WHERE id = ?");
      auto put_ticket = db_.prepare("INSERT OR REPLACE INTO tickets (id, record) VALUES (?, ?)");
      auto remove_ticket = db_.prepare("DELETE FROM tickets WHERE id = ?");
      for (const auto& c : changes) {
        auto& q = c.kind == LobbyChange::Kind::put_party      ? put_party
                  : c.kind == LobbyChange::Kind::remove_party ? remove_party
                  : c.kind == LobbyChange::Kind::put_ticket   ? put_ticket
                                                              : remove_ticket;
        q.bind(1, c.id);
        if (c.kind == LobbyChange::Kind::put_party || c.kind == LobbyChange::Kind::put_ticket) q.bind(2, c.record);
        q.step();
        q.reset();
      }
    });
    return {};
  } catch (const std::exception& e) {
    return make_error(Errc::unavailable, fmt::format("lobby store write: {}", e.what()));
  }
}

}  // namespace webgames
