#pragma once
// Writes the lobby's changes to its LobbyStore on a thread of its own, in
// the order they were made, several at a time in one transaction when they
// come faster than the disk (group commit), so the hosting strand never
// waits for the disk. The API answers a change only once it has landed
// (a barrier on executor()): a party or a ticket a player was told about
// survives a kill -9 of the process.
//
// A write that fails is tried again (backoff up to 1 s) until it lands: the
// changes after it, and the answers waiting for them, wait meanwhile; none
// is acknowledged and then lost. A write the store refuses as fenced
// (conflict: this process no longer owns the lobby) is never retried: the
// handler given to on_fenced decides (the App stops the process).
//
// Threading: change() from any thread (the lobby calls it on its strand).

#include "lobby/lobby_store.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <functional>
#include <mutex>
#include <vector>

namespace webgames {

class LobbyJournal {
 public:
  explicit LobbyJournal(LobbyStore& store);
  // Writes what is queued, then stops the writer (a write still failing is
  // given up: nobody was told it landed).
  ~LobbyJournal();
  LobbyJournal(const LobbyJournal&) = delete;
  LobbyJournal& operator=(const LobbyJournal&) = delete;

  void change(LobbyChange c);
  // Called on the writer thread when the store refuses a write with
  // conflict. Set before the first change.
  void on_fenced(std::function<void(const Error&)> handler) { on_fenced_ = std::move(handler); }

  // Work posted here runs after every change made before it has landed:
  // `co_await run_on(journal.executor(), [] {})` waits for them.
  boost::asio::any_io_executor executor() { return pool_.get_executor(); }

 private:
  void write_pending();

  LobbyStore& store_;
  std::function<void(const Error&)> on_fenced_;
  std::atomic<bool> stopping_ = false;
  std::mutex mutex_;
  std::vector<LobbyChange> pending_;  // made, not yet taken by the writer
  boost::asio::thread_pool pool_{1};  // one thread: changes land in order
};

}  // namespace webgames
