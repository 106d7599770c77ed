#include "lobby/lobby_journal.h"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <chrono>
#include <thread>

namespace webgames {

LobbyJournal::LobbyJournal(LobbyStore& store) : store_(store) {}

LobbyJournal::~LobbyJournal() {
  stopping_ = true;
  pool_.join();
}

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
  auto backoff = std::chrono::milliseconds(50);
  for (;;) {
    auto r = store_.apply(batch);
    if (r) return;
    if (r.error().code == Errc::conflict) {
      spdlog::critical("lobby: {} changes of parties and tickets refused: {}", batch.size(), r.error().message);
      if (on_fenced_) on_fenced_(r.error());
      return;
    }
    if (stopping_) {
      spdlog::error("lobby: stopping; {} changes of parties and tickets not saved: {}", batch.size(),
                    r.error().message);
      return;
    }
    spdlog::error("lobby: {} changes of parties and tickets not saved yet, trying again in {} ms: {}", batch.size(),
                  backoff.count(), r.error().message);
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, std::chrono::milliseconds(1000));
  }
}

}  // namespace webgames
