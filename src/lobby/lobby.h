#pragma once
// Parties and tickets of the embedded default (in memory), and the loop that
// feeds each queue's waiting tickets to the Matchmaker and hands the matches
// to the Director. A player is in at most one party and holds at most one
// ticket (of their own or of their party's).
//
// Threading: every method runs on the hosting strand (callers use run_on).

#include "core/clock.h"
#include "core/error.h"
#include "director/director.h"
#include "domain/game.h"
#include "domain/party.h"
#include "domain/ticket.h"
#include "events/event_hub.h"
#include "matchmaker/matchmaker.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace webgames {

struct LobbyOptions {
  std::chrono::seconds ticket_ttl{600};         // a queued ticket expires after this. Default: 10 minutes
  std::chrono::milliseconds tick{250};          // how often queues are matched and tickets expired
  std::size_t max_tickets_per_queue = 100'000;  // further tickets get 503
};

// Who acts: an account id and its display name.
struct Player {
  std::string id;
  std::string name;
};

class Lobby {
 public:
  Lobby(boost::asio::strand<boost::asio::any_io_executor> strand, Matchmaker& matchmaker, Director& director,
        EventHub& events, const Clock& clock, LobbyOptions options = {});

  void start();
  void stop();

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
  Result<Ticket> create_ticket(const Player& who, const Game& game, const std::string& queue,
                               TicketAttributes attributes);
  Result<Ticket> ticket(const Player& who, const std::string& ticket_id) const;
  // The players a ticket of `who` would hold: their party when they are in
  // one, else themselves.
  std::vector<std::string> ticket_holders(const Player& who) const;
  // conflict once the ticket is matched.
  Result<void> cancel_ticket(const Player& who, const std::string& ticket_id);

  std::size_t waiting(const std::string& game, const std::string& queue) const;

 private:
  struct Queue {
    Game game;
    QueueSpec spec;
    std::vector<std::string> waiting;  // ticket ids, oldest first
  };

  void match(Queue& queue);
  void tickets_done(std::vector<Ticket> tickets, bool requeue);
  void expire();
  void schedule_tick();
  void drop_ticket(const std::string& ticket_id);
  void tell(const Ticket& t, std::string_view type, boost::json::object data);

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  Matchmaker& matchmaker_;
  Director& director_;
  EventHub& events_;
  const Clock& clock_;
  LobbyOptions options_;
  boost::asio::steady_timer tick_;
  bool stopped_ = false;

  std::unordered_map<std::string, Party> parties_;               // by id
  std::unordered_map<std::string, std::string> party_codes_;     // code -> party id
  std::unordered_map<std::string, std::string> party_of_;        // player -> party id
  std::unordered_map<std::string, Ticket> tickets_;              // by id
  std::unordered_map<std::string, std::string> ticket_of_;       // player -> ticket id
  std::unordered_map<std::string, std::string> names_;           // player -> display name
  std::map<std::pair<std::string, std::string>, Queue> queues_;  // (game, queue) -> waiting tickets
};

}  // namespace webgames
