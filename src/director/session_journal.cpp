#include "director/session_journal.h"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <chrono>
#include <thread>

namespace webgames {
namespace {

// A catalog that is away (unavailable: PostgreSQL restarting, say) is
// waited for, trying again with a backoff up to 1 s, as the lobby's journal
// does: the writes after this one, and what they allow, wait with it, so a
// session's end is recorded late rather than lost. Any other refusal is
// final, and so is every one once the journal is going away.
Result<void> save_when_reachable(Catalog& catalog, const Session& session, const std::weak_ptr<bool>& alive) {
  auto backoff = std::chrono::milliseconds(50);
  for (;;) {
    auto saved = catalog.save_session(session);
    if (saved || saved.error().code != Errc::unavailable || alive.expired()) return saved;
    spdlog::warn("director: session {} not recorded yet, trying again in {} ms: {}", session.id, backoff.count(),
                 saved.error().message);
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, std::chrono::milliseconds(1000));
  }
}

}  // namespace

SessionJournal::SessionJournal(boost::asio::strand<boost::asio::any_io_executor> strand, Catalog& catalog)
    : strand_(std::move(strand)), catalog_(catalog) {}

SessionJournal::~SessionJournal() {
  alive_.reset();
  pool_.join();
}

void SessionJournal::write(const Session& session, Then then, AfterSave after_save) {
  std::shared_ptr<Session> waiting;  // this write's record, while it waits: later plain ones replace it
  {
    std::lock_guard lock(waiting_mutex_);
    auto it = waiting_.find(session.id);
    if (!then && !after_save) {
      if (it != waiting_.end()) {
        *it->second = session;
        return;
      }
      waiting = std::make_shared<Session>(session);
      waiting_.emplace(session.id, waiting);
    } else if (it != waiting_.end()) {
      waiting_.erase(it);  // it goes before this one: a later plain write must come after
    }
  }
  ++pending_;
  std::weak_ptr<bool> alive = alive_;
  boost::asio::post(pool_, [this, alive, copy = waiting ? Session{} : session, waiting, then = std::move(then),
                            after_save = std::move(after_save)]() mutable {
    if (waiting) {
      std::lock_guard lock(waiting_mutex_);
      copy = *waiting;
      if (auto it = waiting_.find(copy.id); it != waiting_.end() && it->second == waiting) waiting_.erase(it);
    }
    copy.fence = fence_.load();
    auto saved = save_when_reachable(catalog_, copy, alive);
    if (!saved && saved.error().code == Errc::conflict && saved.error().field == "fence" && fenced_) {
      fenced_(saved.error());  // this replica no longer owns the sessions: nothing follows the write
      --pending_;
      return;
    }
    if (!saved) spdlog::error("director: cannot record session {}: {}", copy.id, saved.error().message);
    if (saved && after_save) after_save(copy);
    if (saved && changed_) note_state(copy);
    if (then)
      boost::asio::post(strand_, [alive, then = std::move(then), ok = saved.has_value()] {
        if (alive.lock()) then(ok);
      });
    --pending_;  // after the post: pending() == 0 means every `then` is queued
  });
}

void SessionJournal::note_state(const Session& saved) {
  auto [it, added] = last_state_.try_emplace(saved.id, saved.state);
  if (!added && it->second == saved.state) return;
  it->second = saved.state;
  // A final record may be written again (its results); the last 1024 final
  // ones are remembered so that it is not told twice.
  if (is_final(saved.state)) {
    finished_.push_back(saved.id);
    if (finished_.size() > 1024) {
      last_state_.erase(finished_.front());
      finished_.pop_front();
    }
  }
  changed_(saved);
}

}  // namespace webgames
