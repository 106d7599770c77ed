#pragma once
// The director turns matches into sessions: it takes ports, starts a
// dedicated server through the Runtime, waits for the server's ready call,
// hands every player an address and a signed join token, watches
// heartbeats, the time limit and the process itself, and stops and removes
// the server when the game ends. Every change of a session is written to
// the Catalog (sessions table) before the act it allows (SessionJournal):
// the record naming the session, its ports and its state Starting before
// the server is started; Ready before players get their assignment; Ended
// and the results (and the ratings) before players are told and the server
// is stopped; Failed before players are told. A restarted director
// reconciles with what still runs (session_recovery.h).
//
// Warm pools (docs/pools.md): for each game whose pool policy is not off,
// the director keeps PoolSizer::target() servers started before any match
// (sessions marked `pooled`, with no players: Starting, then Idle once they
// say ready). host() hands a match an Idle one of its game when there is
// one: its players are written into that session's record (Ready) before
// they are told, and the server learns them through the SDK's allocation
// step (allocation(), woken through on_allocated()). A pool server that
// fails is replaced and never handed to players; surplus ones are stopped
// after the pool's idle timeout. Pool servers are sessions: a restart or a
// takeover adopts or cleans them up like any other. What the pools' sizers
// learned is saved every few seconds and at stop() (keep_pool_sizers), and
// a pool started again goes on from it.
//
// Threading: every method runs on `strand` (callers use run_on).

#include "auth/ed25519.h"
#include "auth/key_ring.h"
#include "core/clock.h"
#include "core/error.h"
#include "director/port_allocator.h"
#include "director/runtime.h"
#include "director/session_journal.h"
#include "director/session_metrics.h"
#include "domain/game.h"
#include "domain/quota.h"
#include "domain/session.h"
#include "domain/ticket.h"
#include "events/event_bus.h"
#include "pools/pool_sizer.h"
#include "pools/pool_sizer_store.h"
#include "store/catalog.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/json/object.hpp>

#include <atomic>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace webgames {

// What the server SDK's calls answer (forbidden) for a secret that is not
// the session's: another session's, or none at all.
inline constexpr std::string_view kNotThisSessionsSecret = "this is not this session's secret";

struct DirectorOptions {
  std::filesystem::path sessions_dir;                   // <data>/sessions/<id>/{server.log,work/}
  std::string sdk_url;                                  // what servers call back, "http://127.0.0.1:8080"
  std::chrono::milliseconds ready_timeout{30'000};      // Starting -> Ready. Default: 30 s
  std::chrono::milliseconds heartbeat_interval{5'000};  // expected from servers. Default: 5 s
  int missed_heartbeats = 3;                            // then the session fails. Default: 3
  std::chrono::milliseconds stop_grace{5'000};          // SIGTERM -> SIGKILL. Default: 5 s
  // A session held in Allocating (no free port) fails after this. Default: 30 s
  std::chrono::milliseconds allocate_timeout{30'000};
  std::chrono::seconds join_token_ttl{60};  // Default: 60 s
  std::chrono::milliseconds tick{250};      // how often timeouts are checked
  // Per-developer limits on servers, cores and memory: a session beyond them
  // waits in Allocating (its reason names the quota, and allocate_timeout
  // applies) and takes no port, so that other developers' sessions start.
  // Pool servers count too; a pool server beyond them is not started.
  Quotas quotas;
  // How often the games with a pool are read again from the catalog (a
  // pool's policy changed, a game deleted). Zero: never (tests call
  // set_pools). Default: 1 s.
  std::chrono::milliseconds pool_refresh{1'000};
  // The start latency the pools' sizers assume until they measured one.
  // Default: 1 s.
  std::chrono::milliseconds pool_start_prior{1'000};
  // How often what the pools' sizers learned is saved (keep_pool_sizers):
  // what a kill -9 loses at most. Default: 5 s.
  std::chrono::milliseconds pool_sizer_save{5'000};
};

// A match handed over by the lobby.
struct MatchToHost {
  std::string match_id;
  std::string session_id;  // the new session's id, chosen with the match (saved with its tickets); "" for a new one
  Game game;
  QueueSpec queue;
  std::vector<std::vector<Ticket>> teams;           // tickets per team
  std::string region;                               // where the matchmaker placed it; "" for none
  std::map<std::string, std::string> player_names;  // account id -> username
};

// A live session's request for more players (server SDK backfill): what the
// lobby needs to find them under the queue's rules.
struct BackfillNeed {
  std::string session_id;
  std::string game_id;
  std::string game;
  std::string queue;
  std::string region;
  int team = 0;
  int players = 1;
  int team_players = 0;         // in `team` now, as the server said (connected)
  std::vector<Ticket> tickets;  // the session's, for their skills and tags
};

class Director {
 public:
  // Told when the tickets of a session are done with: `requeue` is true when
  // the server was at fault and the players should go back to the queue.
  using TicketsDone = std::function<void(std::vector<Ticket> tickets, bool requeue)>;

  Director(boost::asio::strand<boost::asio::any_io_executor> strand, Runtime& runtime, PortAllocator& ports,
           Catalog& catalog, EventBus& events, const Clock& clock, KeyRing join_keys, DirectorOptions options);
  ~Director();

  void on_tickets_done(TicketsDone handler) { tickets_done_ = std::move(handler); }
  // Told when a server reports the end of its game, with the session as
  // ended (results included); for ratings. Called on the journal's thread
  // (it may block), once the ended record is saved and before the players
  // are told.
  using SessionEnded = std::function<void(const Session& session)>;
  void on_session_ended(SessionEnded handler) { session_ended_ = std::move(handler); }
  // Where sessions are counted for /metrics (null: nowhere); before start().
  // `metrics` must outlive the director.
  void set_metrics(SessionMetrics* metrics) { metrics_ = metrics; }
  // Where the pools' sizers keep what they learned (null: nowhere), and what
  // it held when this director began (`store->load()`, read by the caller
  // off the event loops): a pool whose game has a record goes on from it,
  // not from the prior. Saved every options.pool_sizer_save and at stop(),
  // from a thread of the director's own; `store` must outlive the director,
  // which waits for its last save when destroyed. Before start().
  void keep_pool_sizers(PoolSizerStore* store, PoolSizerRecords saved);
  // Known once the API listens (it may pick its port); before start().
  void set_sdk_url(std::string url) { options_.sdk_url = std::move(url); }

  // Reconciles with the sessions an earlier run left unfinished, then starts
  // the timeout checks. BLOCKS on the catalog; call once, before serving.
  // `matched` are the lobby's matched tickets after a restart (Lobby::restore):
  // each goes back to the session that holds it, so the session's end is
  // their end, and a session lost while webgames was down requeues them
  // (session.failed with requeued true). Returns the tickets no live session
  // holds: a ticket whose session (its session_id) holds it and is over keeps
  // that id (its game was played: the lobby drops it); the others come back
  // with none (their match never reached a session: the lobby requeues them).
  std::vector<Ticket> start(std::vector<Ticket> matched = {});
  // Stops the timers and saves the pools' sizers; running servers are left
  // for the next start to adopt.
  void stop();
  // Work posted here runs once every save of the sizers asked before has
  // landed (or failed): the App waits on it before giving the lobby's lease up.
  boost::asio::any_io_executor sizer_saves() { return sizer_saves_.get_executor(); }

  // Returns the session's id: an Idle pool server's of the match's game when
  // there is one (its players told once its record names them), else a new
  // session (match.session_id, when given) whose server starts once its
  // record is saved (a failure to start
  // is reported later, through session.failed and the TicketsDone handler).
  std::string host(MatchToHost match);

  // The games whose pool policy is not off, as the catalog has them now:
  // their pools grow or shrink to their new specs; the pool of a game not in
  // `games` is stopped (its policy went off, or it was deleted).
  void set_pools(std::vector<Game> games);
  // Pool servers of `game_id` not yet handed a match (Starting or Idle).
  int pool_spare(const std::string& game_id) const;

  // The SDK's allocation step: what the server of a session hosts (players,
  // teams, queue, region), once it may know it: at once for a session that
  // started for its match; for a pool server once a match took it and the
  // record naming the players is saved. nullopt while it waits. Errors as
  // the other SDK calls.
  Result<std::optional<boost::json::object>> allocation(const std::string& session_id, std::string_view secret);
  // Calls `wake` once on the strand when the allocation of `session_id` may
  // have come (or the session ended, or the director stops). Returns an id
  // for forget_allocation_wait, which a waiter that gave up calls.
  std::uint64_t on_allocated(const std::string& session_id, std::function<void()> wake);
  void forget_allocation_wait(std::uint64_t id);

  // The server SDK, authenticated by the session's secret: forbidden for
  // any other (kNotThisSessionsSecret), conflict in the wrong state.
  Result<void> server_ready(const std::string& session_id, std::string_view secret);
  Result<void> server_heartbeat(const std::string& session_id, std::string_view secret);
  Result<void> server_player(const std::string& session_id, std::string_view secret, const std::string& player,
                             bool connected);
  Result<void> server_end(const std::string& session_id, std::string_view secret, boost::json::value results);

  // Backfill, asked by the server: invalid_field for a team the session does
  // not have or a count outside 1..team size, conflict unless Ready or Running.
  Result<BackfillNeed> backfill_need(const std::string& session_id, std::string_view secret, int team, int players);
  // The lobby found `tickets` for a backfill: their players join `team` and
  // get their assignment. False (nothing done) when the session is no longer
  // Ready or Running: the lobby requeues them.
  bool add_players(const std::string& session_id, int team, std::vector<Ticket> tickets,
                   const std::map<std::string, std::string>& player_names);

  // A live session, or not_found (ended ones are in the Catalog).
  Result<Session> live_session(const std::string& session_id) const;
  // A fresh assignment for a player of a Ready or Running session.
  Result<boost::json::object> assignment(const std::string& session_id, const std::string& player) const;

  std::size_t live_count() const { return live_.size(); }
  // f(session, server_running) for every live session: server_running when
  // its server was started (or adopted) and is not yet gone. For the
  // console's sampler.
  template <class F>
  void each_live(F&& f) const {
    for (const auto& [id, live] : live_) f(std::as_const(live.session), live.reserved);
  }
  // Told, on the journal's thread, each time a session's record lands in a
  // state other than the one it last landed in (its first record included):
  // for the console's session.changed. Set before start().
  void on_session_changed(SessionJournal::Changed handler) { journal_.on_change(std::move(handler)); }
  // Work posted here runs once every session write made before has landed:
  // the SDK routes answer ready and end only after it.
  boost::asio::any_io_executor journal() { return journal_.executor(); }
  // Session writes not yet landed, or whose follow-up has not run yet.
  std::size_t pending_writes() const { return journal_.pending(); }
  // What a developer's servers hold now (servers started and not yet gone).
  QuotaUse quota_use(const std::string& developer_id) const;
  const Quotas& quotas() const { return options_.quotas; }
  // The developer's sessions not yet Ended or Failed, for their usage view.
  std::vector<Session> live_sessions_of(const std::string& developer_id) const;
  // The keys of join tokens: a session's are signed with the key its server
  // was started with (Session::join_key_id), while the ring has it. Any
  // thread.
  std::shared_ptr<const KeyRing> join_keys() const;
  // The keys from now on (a reload); sessions already started keep theirs.
  void use_join_keys(KeyRing keys);

  // Scaled mode: the lobby lease's fencing token the session writes carry
  // from now on, and what to do when the catalog refuses one because a newer
  // owner wrote that session (SessionJournal::on_fenced). Before start().
  void set_fence(std::int64_t fence) { journal_.set_fence(fence); }
  void on_fenced(SessionJournal::Fenced fenced) { journal_.on_fenced(std::move(fenced)); }

 private:
  struct Live {
    Session session;
    LaunchRequest launch;
    std::vector<Ticket> tickets;
    std::string secret;     // kept only to pass to the server at launch
    bool reserved = false;  // counted in in_use_ (its server started, or was adopted)
    // A pool server: since when it idles (Idle), and whether a match's
    // players may be told to its server (their record landed).
    TimePoint idle_since{};
    bool allocated = false;
  };
  // A game's warm pool.
  struct Pool {
    Game game;
    PoolSizer sizer;
    int failures = 0;           // pool servers in a row that failed before a match
    TimePoint next_start_at{};  // after failures, starts back off until then
    std::string refusal;        // why the last start was refused (quotas, ports), logged once
  };

  // A session of `game` with its secret and launch request; no match yet.
  Live new_live(const Game& game, std::string id = {}) const;
  // Quotas, ports, writes Starting, then launch(); or why it must wait.
  std::optional<std::string> try_launch(Live& live);
  void launch(const std::string& session_id, bool saved);
  void hold(Live& live, const std::string& reason);  // stays Allocating, says why
  void reserve(Live& live);                          // counts its server in the developer's quotas
  void fail(Live& live, std::string reason, bool requeue);
  void stop_server(const std::string& session_id);  // or finish() when none runs
  void finish(Live& live);                          // after the server is gone
  void on_server_exit(const ServerExit& exit);
  void check_timeouts();
  void schedule_tick();
  void publish_metrics();  // the snapshot of SessionMetrics, every tick
  // Pools (warm_pool.cpp).
  Live* idle_server(const std::string& game_id);
  void allocate(Live& live, MatchToHost& match);
  void fill_session(Live& live, MatchToHost& match);
  void maintain_pools();
  bool start_pool_server(Pool& pool);           // false: refused (quotas, ports)
  void retire(Live& live, std::string reason);  // an unallocated pool server, stopped unused
  void pool_server_failed(const std::string& game_id);
  void wake_allocation(const std::string& session_id);
  void refresh_pools();
  void save_sizers();  // what every pool's sizer learned, to sizer_store_ off the strand
  void persist(const Session& s);
  Result<Live*> authorize(const std::string& session_id, std::string_view secret);
  // The end of final session `s` (session_end_event) to its players (only
  // those of `players` when not empty), `requeued` to those of s.requeued;
  // then the session is saved told.
  void tell_end(const Session& s, std::vector<std::string> players = {});
  // tell_end for each session an earlier owner left untold, to the players
  // whose stream does not hold its end yet. On the strand.
  boost::asio::awaitable<void> tell_untold(std::vector<Session> untold, std::weak_ptr<bool> alive);
  // The ids of `players` whose event stream does not hold what `holds`
  // looks for of session `session_id`; empty once the director is gone.
  using StreamHolds = bool (*)(const std::vector<std::string>& stream, std::string_view session_id);
  boost::asio::awaitable<std::optional<std::vector<std::string>>> players_lacking(std::vector<SessionPlayer> players,
                                                                                  std::string session_id,
                                                                                  StreamHolds holds,
                                                                                  std::weak_ptr<bool> alive);
  // session.ready of each session adopted ready (ids), to the players whose
  // stream does not hold it, while it is still ready. On the strand.
  boost::asio::awaitable<void> tell_ready_untold(std::vector<std::string> adopted, std::weak_ptr<bool> alive);
  // session.ready with each one's assignment to the players of `s` from
  // `first` up to `end` (excluded), in one publish_all (one write of the
  // event log for a match); `sent` as publish_all's.
  void tell_ready(const Session& s, std::size_t first = 0, std::size_t end = SIZE_MAX, std::function<void()> sent = {});
  boost::json::object assignment_of(const Session& s, const SessionPlayer& p) const;
  std::map<std::string, std::string> server_env(const Live& live) const;

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  Runtime& runtime_;
  PortAllocator& ports_;
  Catalog& catalog_;
  EventBus& events_;
  const Clock& clock_;
  // The key the session's join tokens are signed with, from `keys`.
  static const Ed25519Key& join_key_of(const Session& s, const KeyRing& keys);

  mutable std::mutex join_keys_mutex_;
  std::shared_ptr<const KeyRing> join_keys_;
  DirectorOptions options_;
  TicketsDone tickets_done_;
  SessionEnded session_ended_;
  SessionMetrics* metrics_ = nullptr;
  std::map<std::string, Live> live_;
  // Sessions finished (out of live_) lately, so that their server's late
  // calls are answered 409 "the session is ended", as before its stop, not
  // 404: the last kGoneKept, for at most kGoneFor (docs/server-sdk.md).
  struct Gone {
    std::string sdk_secret_hash;
    SessionState state;
  };
  static constexpr std::size_t kGoneKept = 4096;
  static constexpr std::chrono::minutes kGoneFor{10};
  std::map<std::string, Gone> gone_;
  std::deque<std::pair<TimePoint, std::string>> gone_order_;  // oldest first
  void remember_gone(const Session& s);
  std::map<std::string, QuotaUse> in_use_;  // developer -> what their servers hold
  std::map<std::string, Pool> pools_;       // game id -> its pool
  struct AllocationWait {
    std::string session_id;
    std::function<void()> wake;
  };
  std::map<std::uint64_t, AllocationWait> allocation_waits_;
  std::uint64_t next_wait_ = 0;
  boost::asio::steady_timer tick_;
  boost::asio::steady_timer pool_refresh_;
  boost::asio::thread_pool catalog_reads_{1};  // reads of the pooled games; never the strand
  PoolSizerStore* sizer_store_ = nullptr;
  PoolSizerRecords sizers_saved_;              // learned by an earlier run, of games whose pool has not started yet
  TimePoint sizers_saved_at_{};                // when save_sizers last ran
  std::atomic<bool> sizer_save_busy_ = false;  // a periodic save has not landed yet: the next is skipped
  boost::asio::thread_pool sizer_saves_{1};    // one thread: saves land in order, never on the strand
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  bool stopped_ = false;
  SessionJournal journal_;  // last: destroyed (joined) first
};

}  // namespace webgames
