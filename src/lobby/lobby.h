#pragma once
// Parties and tickets of the embedded default, and the loop that runs each
// queue's matchmaker (one QueueMatcher per queue, fed as tickets come and
// go) and hands the matches to the Director. A player is in at most one
// party and holds at most one ticket (of their own or of their party's).
//
// Parties and tickets live in memory and every change is written through a
// LobbyJournal: a restart finds them (restore, then settle), and the API
// answers a change once it is saved (saved()). What players are told of a
// change goes through the journal too: never before the change has landed.
// Each step (a request, a tick, a session's end) gathers its changes and
// events into one write (LobbyJournal::Gather).
//
// Threading: every method runs on the hosting strand (callers use run_on);
// restore and settle run before the strand serves anything.

#include "core/clock.h"
#include "core/error.h"
#include "director/director.h"
#include "domain/game.h"
#include "domain/party.h"
#include "domain/quota.h"
#include "domain/ticket.h"
#include "lobby/lobby_journal.h"
#include "lobby/lobby_records.h"
#include "lobby/ticket_metrics.h"
#include "matchmaker/queue_breakdown.h"
#include "matchmaker/queue_matcher.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/json/object.hpp>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace webgames {

struct LobbyOptions {
  std::chrono::seconds ticket_ttl{600};  // a queued ticket expires after this. Default: 10 minutes
  // A party that holds no ticket and saw no change (a member joining or
  // leaving, its ticket ending) for this long is disbanded, its members told
  // (party.disbanded, reason "idle"): found by an attacker's audit, free
  // guests' parties were kept for ever. 0: never. Default: 1 hour
  std::chrono::seconds party_idle{3'600};
  std::chrono::milliseconds tick{250};          // how often queues are matched and tickets expired
  std::size_t max_tickets_per_queue = 100'000;  // further tickets get 503
  // For queues whose rules leave start_below_max_after unset. Default: 10 s
  std::chrono::milliseconds start_below_max_after{10'000};
  Quotas quotas;  // a game's developer's `tickets` quota bounds the tickets waiting in all their games
};

// Who acts: an account id and its display name.
struct Player {
  std::string id;
  std::string name;
};

class Lobby {
 public:
  Lobby(boost::asio::strand<boost::asio::any_io_executor> strand, Director& director, LobbyJournal& journal,
        const Clock& clock, LobbyOptions options = {});
  ~Lobby() { *alive_ = false; }
  Lobby(const Lobby&) = delete;
  Lobby& operator=(const Lobby&) = delete;

  // After a restart, before start() and before the director starts: takes
  // back the parties and tickets saved. Queued tickets go back to their
  // queues (those whose game or queue is gone are cancelled, with their
  // players told why); matched tickets are returned, for the director to
  // give back to their sessions (Director::start).
  using GameLookup = std::function<std::optional<Game>(const std::string& game)>;
  std::vector<Ticket> restore(const LobbyRecords& records, const GameLookup& game_of);
  // The matched tickets no session took back, as Director::start returns
  // them: those it left a session id on belong to a session that has ended
  // and are done with; the others (a match whose session was never
  // recorded) go back to their queue (ticket.queued, requeued).
  void settle(const std::vector<Ticket>& unclaimed);

  void start();
  void stop();
  // Where tickets and matches are counted for /metrics (null: nowhere).
  // `metrics` must outlive the lobby.
  void set_metrics(TicketMetrics* metrics) { counts_ = metrics; }

  // Work posted here runs once every change made before has been saved:
  // the API answers after `co_await run_on(lobby.saved(), [] {})`.
  boost::asio::any_io_executor saved() { return journal_.executor(); }

  // Parties. The creator leads; others join with the code.
  Result<Party> create_party(const Player& who);
  Result<Party> join_party(const Player& who, std::string_view code);
  Result<Party> party(const Player& who, const std::string& party_id) const;
  // The leader leaving disbands the party.
  Result<void> leave_party(const Player& who, const std::string& party_id);
  Result<void> disband_party(const Player& who, const std::string& party_id);

  // Queues the player, or their whole party when they lead one (a member
  // who is not the leader gets forbidden). conflict when someone already
  // holds a ticket; invalid_field when the party does not fit the queue.
  // `request_key` (the request's Idempotency-Key, may be empty) makes a
  // retry safe: when the player already holds the ticket a request with
  // that key made, in this game and queue, that ticket is the answer; when
  // that request's `fingerprint` (of its body) differs, invalid_field
  // (field idempotency-key): the key was reused for another request.
  Result<Ticket> create_ticket(const Player& who, const Game& game, const std::string& queue,
                               TicketAttributes attributes, const std::string& request_key = {},
                               const std::string& fingerprint = {});
  Result<Ticket> ticket(const Player& who, const std::string& ticket_id) const;
  // The players a ticket of `who` would hold: their party when they are in
  // one, else themselves.
  std::vector<std::string> ticket_holders(const Player& who) const;
  // conflict once the ticket is matched.
  Result<void> cancel_ticket(const Player& who, const std::string& ticket_id);

  std::size_t waiting(const std::string& game_id, const std::string& queue) const;
  // Tickets waiting in every queue of the developer's games.
  std::size_t waiting_of_developer(const std::string& developer_id) const;

  // The game was deleted (or replaced): its queues end. Every waiting ticket
  // is cancelled (ticket.cancelled with reason "game_deleted"), pending
  // backfill requests are dropped, and tickets for this id are refused from
  // now on (not_found, as for a game that does not exist). Sessions already
  // formed go on with the spec they started with.
  void end_game(const std::string& game_id);
  // The game's spec changed (same id): each of its queues takes the new
  // rules (its waiting tickets move to a matchmaker built from them, those
  // that no longer fit are cancelled with reason "rules_changed"); a queue
  // the spec no longer has ends (reason "queue_removed").
  void game_changed(const Game& game);

  // Asks the session's queue for players (docs/matchmaking.md#backfill);
  // found ones join the session through the Director. Returns the request's
  // id. not_found when the queue has no matchmaker in this process;
  // unavailable when too many requests are pending.
  Result<std::string> request_backfill(const BackfillNeed& need);
  // A queue's matchmaking statistics (zeros before its first ticket).
  QueueStats stats(const std::string& game_id, const std::string& queue) const;
  // Its waiting tickets by skill, region and wait, with the rule steps in
  // force (matchmaker/queue_breakdown.h); empty (no band at all) before its
  // first ticket. O(waiting tickets), at most BreakdownOptions::max_tickets.
  QueueBreakdown breakdown(const std::string& game_id, const std::string& queue) const;
  // f(game, queue name, stats) for every queue that had a ticket since the
  // start (the console's sampler).
  template <class F>
  void each_queue(F&& f) const {
    auto now = clock_.now();
    for (const auto& [key, queue] : queues_) f(queue.game, key.second, queue.matcher->stats(now));
  }

  // Prometheus text of every queue's statistics, as of the last tick.
  // Thread-safe: any thread may call it.
  std::string queue_metrics() const;

 private:
  struct Queue {
    Game game;
    QueueSpec spec;  // start_below_max_after filled in
    std::unique_ptr<QueueMatcher> matcher;
    std::unordered_map<TicketKey, std::string> ticket_of_key;  // the waiting tickets
  };

  Queue& queue_for(const Game& game, const QueueSpec& spec);
  Result<void> enqueue(Queue& queue, Ticket& t);
  void match(Queue& queue);
  void publish_metrics();
  void tickets_done(std::vector<Ticket> tickets, bool back_to_queue);
  void expire();
  // Disbands the parties idle for options_.party_idle; a sweep every 10 s at most.
  void expire_idle_parties(TimePoint now);
  void schedule_tick();
  // `later`: its removal may land with the next write (LobbyJournal::change_later).
  enum class Removal { now, later };
  void drop_ticket(const std::string& ticket_id, Removal removal = Removal::now);
  // Puts a ticket whose server failed (or that a restart found unhosted)
  // back at the head of its queue, or cancels it (with why) when its game or
  // queue is gone or the queue's rules refuse it.
  void requeue(Ticket& stored);
  // Write-through to the journal; every change of a party or a ticket.
  void save(const Party& party);
  void save(const Ticket& ticket);
  // Tells the ticket's players ticket.cancelled with a stable `reason` and
  // a `message` for people, and drops it.
  void cancel(const std::string& ticket_id, std::string_view reason, std::string_view message);
  // Cancels every waiting ticket of the queue and forgets the queue.
  void end_queue(std::map<std::pair<std::string, std::string>, Queue>::iterator queue, std::string_view reason,
                 std::string_view message);
  void tell(const Ticket& t, std::string_view type, boost::json::object data);
  // Runs `work` on the strand once every change made before has landed.
  void after_saved(std::function<void()> work);
  // Hands a formed match, saved, to the director.
  void host_saved(MatchToHost m, const std::vector<std::string>& ids);
  // Hands backfill tickets, saved, to the session that asked for them (or
  // back to their queue when it has ended meanwhile).
  void join_saved(const std::string& session_id, const std::string& match_id, int team,
                  const std::vector<std::string>& ids, const std::map<std::string, std::string>& names);

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  Director& director_;
  LobbyJournal& journal_;
  const Clock& clock_;
  LobbyOptions options_;
  boost::asio::steady_timer tick_;
  bool stopped_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // false once destroyed: for work posted back

  std::unordered_map<std::string, Party> parties_;            // by id
  std::unordered_map<std::string, std::string> party_codes_;  // code -> party id
  std::unordered_map<std::string, std::string> party_of_;     // player -> party id
  std::unordered_map<std::string, TimePoint> party_active_;   // party id -> its last change (a restart: then)
  TimePoint next_party_sweep_{};
  std::unordered_map<std::string, Ticket> tickets_;              // by id
  std::unordered_map<std::string, std::string> ticket_of_;       // player -> ticket id
  PlayerNames names_;                                            // player -> display name
  std::map<std::pair<std::string, std::string>, Queue> queues_;  // (game id, queue) -> its matchmaker
  std::set<std::string> ended_games_;                            // ids of deleted games
  std::unordered_map<std::string, TicketKey> key_of_;            // waiting ticket id -> its key
  struct PendingBackfill {
    std::string session_id;
    int team = 0;
  };
  std::unordered_map<BackfillKey, PendingBackfill> pending_backfills_;  // by request
  TicketKey next_key_ = 1;

  TicketMetrics* counts_ = nullptr;
  mutable std::mutex metrics_mutex_;
  std::string metrics_;  // queue_metrics(), rendered on the strand each tick
};

}  // namespace webgames
