#include "lobby/lobby_journal.h"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

namespace webgames {

LobbyJournal::LobbyJournal(LobbyStore& store) : store_(store) {}

LobbyJournal::~LobbyJournal() { pool_.join(); }

void LobbyJournal::change(LobbyChange c) {
  bool first;
  {
    std::lock_guard lock(mutex_);
    first = pending_.empty();
    pending_.push_back(std::move(c));
  }
  // One write task covers every change queued before it runs; a barrier
  // posted after this change runs after that task.
  if (first) boost::asio::post(pool_, [this] { write_pending(); });
}

void LobbyJournal::write_pending() {
  std::vector<LobbyChange> batch;
  {
    std::lock_guard lock(mutex_);
    batch.swap(pending_);
  }
  if (batch.empty()) return;
  if (auto r = store_.apply(batch); !r)
    spdlog::error("lobby: {} changes of parties and tickets not saved: {}", batch.size(), r.error().message);
}

}  // namespace webgames
