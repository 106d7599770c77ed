#pragma once
// Writes sessions to the Catalog, in order, on a thread of its own, and runs
// what each write allows on the director's strand once the write has landed.
// This is the director's write-ahead: a server is started, players are told
// ready, ended or failed, and a server is stopped only after the record that
// allows it is durable, so that a kill -9 at any moment leaves a record a
// restart can finish or undo; and the strand never waits for the disk.
//
// A catalog that is away (unavailable) is waited for: the write is tried
// again (backoff up to 1 s) until it lands, and the writes after it wait;
// any other refusal is final (then(false)). In the scaled mode each write
// carries the lobby lease's fencing token (set_fence); a write the catalog
// refuses because a newer owner wrote the session (fenced_out) calls
// `on_fenced` and nothing else: this replica has lost the lobby.
//
// Threading: write() from the strand; `then` runs on the strand; `after_save`
// runs on the journal's thread (it may block, on the catalog for example).
// Writes land in the order they were made.

#include "domain/session.h"
#include "store/catalog.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace webgames {

class SessionJournal {
 public:
  // Told whether the record was saved (false: the catalog refused it, and
  // the error was logged).
  using Then = std::function<void(bool saved)>;
  using AfterSave = std::function<void(const Session& saved)>;
  // A saved record whose state differs from the last saved of that session.
  using Changed = std::function<void(const Session& saved)>;

  SessionJournal(boost::asio::strand<boost::asio::any_io_executor> strand, Catalog& catalog);
  // Waits for the writes in flight; their `then` no longer run.
  ~SessionJournal();
  SessionJournal(const SessionJournal&) = delete;
  SessionJournal& operator=(const SessionJournal&) = delete;

  // Saves a copy of `session`; then, on the journal thread, `after_save`
  // (when the save succeeded); then posts `then` to the strand. A write with
  // neither, made while the session's last write is one with neither and
  // still waits its turn, replaces that one's record instead of queuing
  // another: a game server's calls in a loop (players connected and
  // disconnected) cost one write per turn of the journal, not one each.
  void write(const Session& session, Then then = {}, AfterSave after_save = {});

  // `changed` runs on the journal's thread after each saved record whose
  // state is not the one last saved for its session (the first included).
  // Before the first write.
  void on_change(Changed changed) { changed_ = std::move(changed); }

  // The fencing token the writes from now on carry (Session::fence). Any thread.
  void set_fence(std::int64_t fence) { fence_.store(fence); }
  // Runs on the journal's thread when a write was fenced out (its error);
  // then neither its `after_save` nor its `then` runs. Before the first write.
  using Fenced = std::function<void(const Error& why)>;
  void on_fenced(Fenced fenced) { fenced_ = std::move(fenced); }

  // Work posted here runs after every write made before it: a barrier
  // (`co_await run_on(journal.executor(), [] {})`) waits until they landed.
  boost::asio::any_io_executor executor() { return pool_.get_executor(); }
  // Writes made and not yet landed; 0 means every `then` is queued on the strand.
  std::size_t pending() const { return pending_.load(); }

 private:
  void note_state(const Session& saved);  // on the journal's thread

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  Catalog& catalog_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // `then` runs while this lives
  std::atomic<std::size_t> pending_{0};
  Changed changed_;
  Fenced fenced_;
  std::atomic<std::int64_t> fence_{0};
  // Journal thread only: the last state saved of each session, the oldest
  // final ones forgotten.
  std::unordered_map<std::string, SessionState> last_state_;
  std::deque<std::string> finished_;
  // The writes with neither `then` nor `after_save` that wait their turn,
  // by session: the record each will save, replaced by later ones.
  std::mutex waiting_mutex_;
  std::unordered_map<std::string, std::shared_ptr<Session>> waiting_;
  boost::asio::thread_pool pool_{1};  // one thread: writes stay in order
};

}  // namespace webgames
