#pragma once
// Writes the lobby's changes to its LobbyStore on a thread of its own, in
// the order they were made, several at a time in one transaction when they
// come faster than the disk (group commit), so the hosting strand never
// waits for the disk. The API answers a change only once it has landed
// (a barrier on executor()): a party or a ticket a player was told about
// survives a kill -9 of the process. What a change tells players goes the
// same way (tell): written with it by a store that writes events, else
// published on the EventBus once it has landed, in the order told.
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
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <vector>

namespace webgames {

class LobbyJournal {
 public:
  LobbyJournal(LobbyStore& store, EventBus& events);
  // Writes what is queued, then stops the writer (a write still failing is
  // given up: nobody was told it landed).
  ~LobbyJournal();
  LobbyJournal(const LobbyJournal&) = delete;
  LobbyJournal& operator=(const LobbyJournal&) = delete;

  void change(LobbyChange c);
  // A change whose loss a restart repairs by itself (the removal of a ticket
  // whose session is over: Director::start finds it played): it lands with
  // the next write, or within `kLater`, and costs no write of its own. A
  // barrier does not wait for it.
  void change_later(LobbyChange c);
  static constexpr std::chrono::milliseconds kLater{1000};
  // An event for `player` about the changes made before it.
  void tell(const std::string& player, std::string_view type, boost::json::object data);
  // Called on the writer thread when the store refuses a write with
  // conflict. Set before the first change.
  void on_fenced(std::function<void(const Error&)> handler) { on_fenced_ = std::move(handler); }

  // Work posted here runs after every change made before it has landed:
  // `co_await run_on(journal.executor(), [] {})` waits for them (no Gather
  // may be open then).
  boost::asio::any_io_executor executor() { return pool_.get_executor(); }
  // Runs `work` on executor() once every change made before it has landed,
  // those of an open Gather included.
  void after_landed(std::function<void()> work);

  // While one lives, changes and events wait, and go out in one write when
  // the last Gather ends (with whatever else is pending then): the lobby
  // opens one per step (a request, a tick, a session's end), so a change and
  // what it tells land together. Nestable; on the lobby's strand.
  class Gather {
   public:
    explicit Gather(LobbyJournal& journal) : journal_(journal) { journal_.hold(); }
    ~Gather() { journal_.release(); }
    Gather(const Gather&) = delete;
    Gather& operator=(const Gather&) = delete;

   private:
    LobbyJournal& journal_;
  };

 private:
  void write_pending();
  void post_write();  // under mutex_: a write task, unless one waits already (or a Gather holds it)
  void hold();
  void release();

  LobbyStore& store_;
  EventBus& events_;
  std::function<void(const Error&)> on_fenced_;
  std::atomic<bool> stopping_ = false;
  std::mutex mutex_;
  LobbyWrite pending_;                        // made, not yet taken by the writer
  bool write_posted_ = false;                 // a write task waits to run
  int holds_ = 0;                             // open Gathers
  bool held_write_ = false;                   // a write to post when the last Gather ends
  std::vector<std::function<void()>> after_;  // after_landed() work to post then
  bool later_armed_ = false;                  // later_ will run a write (of nothing, when one came first)
  std::uint64_t last_seq_ = 0;                // the writer's
  boost::asio::thread_pool pool_{1};          // one thread: changes land in order
  boost::asio::steady_timer later_{pool_.get_executor()};
};

}  // namespace webgames
