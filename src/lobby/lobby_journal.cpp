#include "lobby/lobby_journal.h"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <chrono>
#include <thread>
#include <utility>

namespace webgames {

LobbyJournal::LobbyJournal(LobbyStore& store, EventBus& events) : store_(store), events_(events) {}

LobbyJournal::~LobbyJournal() {
  stopping_ = true;
  // What waits for later is written now.
  boost::asio::post(pool_, [this] {
    later_.cancel();
    write_pending();
  });
  pool_.join();
}

// One write task covers every change queued before it runs; a barrier
// posted after a change runs after that task.
void LobbyJournal::post_write() {
  if (holds_ > 0) {
    held_write_ = true;
    return;
  }
  if (write_posted_) return;
  write_posted_ = true;
  boost::asio::post(pool_, [this] { write_pending(); });
}

void LobbyJournal::hold() {
  std::lock_guard lock(mutex_);
  ++holds_;
}

void LobbyJournal::release() {
  std::lock_guard lock(mutex_);
  if (--holds_ > 0) return;
  if (std::exchange(held_write_, false)) post_write();
  for (auto& work : after_) boost::asio::post(pool_, std::move(work));
  after_.clear();
}

void LobbyJournal::after_landed(std::function<void()> work) {
  std::lock_guard lock(mutex_);
  if (holds_ > 0)
    after_.push_back(std::move(work));
  else
    boost::asio::post(pool_, std::move(work));
}

void LobbyJournal::change(LobbyChange c) {
  std::lock_guard lock(mutex_);
  pending_.changes.push_back(std::move(c));
  post_write();
}

void LobbyJournal::change_later(LobbyChange c) {
  std::lock_guard lock(mutex_);
  pending_.changes.push_back(std::move(c));
  if (write_posted_ || held_write_ || later_armed_) return;
  later_armed_ = true;
  boost::asio::post(pool_, [this] {  // the timer is the writer thread's
    later_.expires_after(kLater);
    later_.async_wait([this](boost::system::error_code ec) {
      if (ec) return;  // the journal is going: it writes what is queued itself
      {
        std::lock_guard lock(mutex_);
        later_armed_ = false;
      }
      write_pending();
    });
  });
}

void LobbyJournal::tell(const std::string& player, std::string_view type, boost::json::object data) {
  std::lock_guard lock(mutex_);
  pending_.events.push_back(EventBus::Published{player, std::string(type), std::move(data)});
  post_write();
}

void LobbyJournal::write_pending() {
  LobbyWrite batch;
  {
    std::lock_guard lock(mutex_);
    std::swap(batch, pending_);
    write_posted_ = false;
  }
  if (batch.changes.empty() && batch.events.empty()) return;
  batch.seq = ++last_seq_;
  auto backoff = std::chrono::milliseconds(50);
  for (;;) {
    auto r = store_.apply(batch);
    if (r) {
      if (!store_.writes_events() && !batch.events.empty()) events_.publish_all(std::move(batch.events));
      return;
    }
    batch.retried = true;
    if (r.error().code == Errc::conflict) {
      spdlog::critical("lobby: {} changes of parties and tickets refused: {}", batch.changes.size(), r.error().message);
      if (on_fenced_) on_fenced_(r.error());
      return;
    }
    if (stopping_) {
      spdlog::error("lobby: stopping; {} changes of parties and tickets not saved: {}", batch.changes.size(),
                    r.error().message);
      return;
    }
    spdlog::error("lobby: {} changes of parties and tickets not saved yet, trying again in {} ms: {}",
                  batch.changes.size(), backoff.count(), r.error().message);
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, std::chrono::milliseconds(1000));
  }
}

}  // namespace webgames
