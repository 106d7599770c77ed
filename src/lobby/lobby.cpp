#include "lobby/lobby.h"

#include "core/encoding.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace webgames {

namespace json = boost::json;

// A ticket whose servers failed this often is not requeued again: the game
// is probably broken, and its players should not loop forever.
constexpr int kMaxRequeues = 3;

Lobby::Lobby(boost::asio::strand<boost::asio::any_io_executor> strand, Matchmaker& matchmaker, Director& director,
             EventHub& events, const Clock& clock, LobbyOptions options)
    : strand_(std::move(strand)),
      matchmaker_(matchmaker),
      director_(director),
      events_(events),
      clock_(clock),
      options_(options),
      tick_(strand_) {
  director_.on_tickets_done(
      [this](std::vector<Ticket> tickets, bool requeue) { tickets_done(std::move(tickets), requeue); });
}

void Lobby::start() { schedule_tick(); }

void Lobby::stop() {
  stopped_ = true;
  tick_.cancel();
}

void Lobby::schedule_tick() {
  if (stopped_) return;
  tick_.expires_after(options_.tick);
  tick_.async_wait([this](boost::system::error_code ec) {
    if (ec || stopped_) return;
    expire();
    for (auto& [key, queue] : queues_)
      if (!queue.waiting.empty()) match(queue);
    schedule_tick();
  });
}

void Lobby::tell(const Ticket& t, std::string_view type, json::object data) {
  for (const auto& p : t.players) events_.publish(p, type, data);
}

// ---- parties

Result<Party> Lobby::create_party(const Player& who) {
  if (party_of_.contains(who.id))
    return make_error(Errc::conflict, "you are in a party already; leave it first", "party");
  names_[who.id] = who.name;
  Party p{new_id("pty_"), "", who.id, {who.id}, clock_.now()};
  do {
    // 8 characters of an unambiguous alphabet: easy to read out to a friend.
    static constexpr char kCode[] = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    p.code.clear();
    for (unsigned char c : random_bytes(8)) p.code += kCode[c % (sizeof kCode - 1)];
  } while (party_codes_.contains(p.code));
  party_codes_[p.code] = p.id;
  party_of_[who.id] = p.id;
  parties_[p.id] = p;
  return p;
}

Result<Party> Lobby::join_party(const Player& who, std::string_view code) {
  auto it = party_codes_.find(std::string(code));
  if (it == party_codes_.end()) return make_error(Errc::not_found, "no party has this code", "code");
  auto& party = parties_.at(it->second);
  if (party.has(who.id)) return party;
  if (party_of_.contains(who.id))
    return make_error(Errc::conflict, "you are in another party; leave it first", "party");
  if (ticket_of_.contains(who.id)) return make_error(Errc::conflict, "you hold a ticket; cancel it first", "ticket");
  if (ticket_of_.contains(party.leader_id))
    return make_error(Errc::conflict, "the party is queued; join when it is not", "code");
  if (party.members.size() >= kMaxPartySize)
    return make_error(Errc::conflict, fmt::format("the party is full ({} members)", kMaxPartySize), "code");
  names_[who.id] = who.name;
  party.members.push_back(who.id);
  party_of_[who.id] = party.id;
  for (const auto& m : party.members)
    if (m != who.id)
      events_.publish(m, "party.joined", json::object{{"party_id", party.id}, {"player", who.id}, {"name", who.name}});
  return party;
}

Result<Party> Lobby::party(const Player& who, const std::string& party_id) const {
  auto it = parties_.find(party_id);
  if (it == parties_.end() || !it->second.has(who.id)) return make_error(Errc::not_found, "no such party", "party");
  return it->second;
}

Result<void> Lobby::leave_party(const Player& who, const std::string& party_id) {
  auto it = parties_.find(party_id);
  if (it == parties_.end() || !it->second.has(who.id)) return make_error(Errc::not_found, "no such party", "party");
  if (it->second.leader_id == who.id) return disband_party(who, party_id);
  if (ticket_of_.contains(who.id))
    return make_error(Errc::conflict, "the party is queued; cancel the ticket first", "ticket");
  auto& members = it->second.members;
  members.erase(std::remove(members.begin(), members.end(), who.id), members.end());
  party_of_.erase(who.id);
  for (const auto& m : members)
    events_.publish(m, "party.left", json::object{{"party_id", party_id}, {"player", who.id}});
  return {};
}

Result<void> Lobby::disband_party(const Player& who, const std::string& party_id) {
  auto it = parties_.find(party_id);
  if (it == parties_.end() || !it->second.has(who.id)) return make_error(Errc::not_found, "no such party", "party");
  if (it->second.leader_id != who.id) return make_error(Errc::forbidden, "only the leader disbands the party", "party");
  if (ticket_of_.contains(who.id))
    return make_error(Errc::conflict, "the party is queued; cancel the ticket first", "ticket");
  for (const auto& m : it->second.members) {
    party_of_.erase(m);
    if (m != who.id) events_.publish(m, "party.disbanded", json::object{{"party_id", party_id}});
  }
  party_codes_.erase(it->second.code);
  parties_.erase(it);
  return {};
}

// ---- tickets

std::vector<std::string> Lobby::ticket_holders(const Player& who) const {
  if (auto p = party_of_.find(who.id); p != party_of_.end()) return parties_.at(p->second).members;
  return {who.id};
}

Result<Ticket> Lobby::create_ticket(const Player& who, const Game& game, const std::string& queue_name,
                                    TicketAttributes attributes) {
  auto spec =
      std::find_if(game.queues.begin(), game.queues.end(), [&](const QueueSpec& q) { return q.name == queue_name; });
  if (spec == game.queues.end()) return make_error(Errc::not_found, "this game has no such queue", "queue");
  names_[who.id] = who.name;

  std::vector<std::string> players{who.id};
  std::string party_id;
  if (auto p = party_of_.find(who.id); p != party_of_.end()) {
    const auto& party = parties_.at(p->second);
    if (party.leader_id != who.id)
      return make_error(Errc::forbidden, "only the party's leader queues the party", "party");
    players = party.members;
    party_id = party.id;
  }
  for (const auto& player : players)
    if (ticket_of_.contains(player))
      return make_error(
          Errc::conflict,
          player == who.id ? "you hold a ticket already" : "a member of your party holds a ticket already", "ticket");
  if (players.size() > static_cast<std::size_t>(spec->team_size))
    return make_error(Errc::invalid_field,
                      fmt::format("a party of {} does not fit teams of {}", players.size(), spec->team_size), "party");

  auto& queue = queues_[{game.name, spec->name}];
  queue.game = game;  // the newest spec wins
  queue.spec = *spec;
  if (queue.waiting.size() >= options_.max_tickets_per_queue)
    return make_error(Errc::unavailable, "this queue is full; try again shortly", "queue");

  auto now = clock_.now();
  Ticket t;
  t.id = new_id("tkt_");
  t.game = game.name;
  t.queue = spec->name;
  t.players = players;
  t.party_id = party_id;
  t.attributes = std::move(attributes);
  t.created_at = now;
  t.expires_at = now + options_.ticket_ttl;
  for (const auto& player : players) ticket_of_[player] = t.id;
  tickets_[t.id] = t;
  queue.waiting.push_back(t.id);
  tell(t, "ticket.queued", json::object{{"ticket_id", t.id}, {"game", t.game}, {"queue", t.queue}});
  match(queue);
  // A session that failed at once (a broken command) has dropped the ticket
  // already; its players were told why.
  if (auto it = tickets_.find(t.id); it != tickets_.end()) return it->second;
  t.state = TicketState::matched;
  return t;
}

Result<Ticket> Lobby::ticket(const Player& who, const std::string& ticket_id) const {
  auto it = tickets_.find(ticket_id);
  if (it == tickets_.end() ||
      std::find(it->second.players.begin(), it->second.players.end(), who.id) == it->second.players.end())
    return make_error(Errc::not_found, "no such ticket", "ticket");
  return it->second;
}

Result<void> Lobby::cancel_ticket(const Player& who, const std::string& ticket_id) {
  auto it = tickets_.find(ticket_id);
  if (it == tickets_.end() ||
      std::find(it->second.players.begin(), it->second.players.end(), who.id) == it->second.players.end())
    return make_error(Errc::not_found, "no such ticket", "ticket");
  if (it->second.state != TicketState::queued)
    return make_error(Errc::conflict, "the ticket is matched already", "ticket");
  auto t = it->second;
  t.state = TicketState::cancelled;
  tell(t, "ticket.cancelled", json::object{{"ticket_id", t.id}});
  drop_ticket(t.id);
  return {};
}

void Lobby::drop_ticket(const std::string& ticket_id) {
  auto it = tickets_.find(ticket_id);
  if (it == tickets_.end()) return;
  for (const auto& p : it->second.players)
    if (auto o = ticket_of_.find(p); o != ticket_of_.end() && o->second == ticket_id) ticket_of_.erase(o);
  if (auto q = queues_.find({it->second.game, it->second.queue}); q != queues_.end())
    std::erase(q->second.waiting, ticket_id);
  tickets_.erase(it);
}

std::size_t Lobby::waiting(const std::string& game, const std::string& queue) const {
  auto it = queues_.find({game, queue});
  return it == queues_.end() ? 0 : it->second.waiting.size();
}

void Lobby::expire() {
  auto now = clock_.now();
  std::vector<std::string> expired;
  for (const auto& [id, t] : tickets_)
    if (t.state == TicketState::queued && now >= t.expires_at) expired.push_back(id);
  for (const auto& id : expired) {
    tell(tickets_.at(id), "ticket.expired", json::object{{"ticket_id", id}});
    drop_ticket(id);
  }
}

void Lobby::match(Queue& queue) {
  std::vector<const Ticket*> waiting;
  waiting.reserve(queue.waiting.size());
  for (const auto& id : queue.waiting) waiting.push_back(&tickets_.at(id));
  auto plans = matchmaker_.match(queue.spec, waiting, clock_.now());
  for (const auto& plan : plans) {
    MatchToHost m;
    m.match_id = new_id("mat_");
    m.game = queue.game;
    m.queue = queue.spec;
    for (const auto& team : plan.team_tickets) {
      auto& out = m.teams.emplace_back();
      for (const auto* t : team) {
        auto& stored = tickets_.at(t->id);
        stored.state = TicketState::matched;
        stored.match_id = m.match_id;
        for (const auto& p : stored.players) m.player_names[p] = names_[p];
        out.push_back(stored);
        tell(stored, "ticket.matched", json::object{{"ticket_id", stored.id}, {"match_id", m.match_id}});
      }
    }
    std::vector<std::string> ids;
    for (const auto& team : m.teams)
      for (const auto& t : team) {
        std::erase(queue.waiting, t.id);
        ids.push_back(t.id);
      }
    auto session_id = director_.host(std::move(m));
    for (const auto& id : ids)  // a session that failed at once has already dropped or requeued them
      if (auto it = tickets_.find(id); it != tickets_.end() && it->second.state == TicketState::matched)
        it->second.session_id = session_id;
  }
}

void Lobby::tickets_done(std::vector<Ticket> tickets, bool requeue) {
  for (auto& t : tickets) {
    if (!requeue) {
      drop_ticket(t.id);
      continue;
    }
    // Back to the head of the queue: the waiting list is ordered by the
    // original creation time, which the ticket keeps.
    auto it = tickets_.find(t.id);
    if (it == tickets_.end()) continue;
    auto& stored = it->second;
    if (stored.requeues >= kMaxRequeues) {
      tell(
          stored, "ticket.cancelled",
          json::object{{"ticket_id", stored.id}, {"reason", "the game's servers failed too often; queue again later"}});
      drop_ticket(stored.id);
      continue;
    }
    stored.state = TicketState::queued;
    stored.match_id.clear();
    stored.session_id.clear();
    stored.expires_at = clock_.now() + options_.ticket_ttl;
    ++stored.requeues;
    auto& queue = queues_[{stored.game, stored.queue}];
    auto pos = std::find_if(queue.waiting.begin(), queue.waiting.end(),
                            [&](const std::string& id) { return tickets_.at(id).created_at > stored.created_at; });
    queue.waiting.insert(pos, stored.id);
    tell(stored, "ticket.queued",
         json::object{{"ticket_id", stored.id}, {"game", stored.game}, {"queue", stored.queue}, {"requeued", true}});
  }
}

}  // namespace webgames
