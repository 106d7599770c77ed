#include "lobby/lobby.h"

#include "core/encoding.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include <algorithm>

namespace webgames {

namespace json = boost::json;

Lobby::Lobby(boost::asio::strand<boost::asio::any_io_executor> strand, Director& director, LobbyJournal& journal,
             const Clock& clock, LobbyOptions options)
    : strand_(std::move(strand)),
      director_(director),
      journal_(journal),
      clock_(clock),
      options_(options),
      tick_(strand_) {
  director_.on_tickets_done(
      [this](std::vector<Ticket> tickets, bool requeue) { tickets_done(std::move(tickets), requeue); });
  publish_metrics();  // the families' HELP and TYPE, before the first tick (or on a replica that never runs it)
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
    LobbyJournal::Gather gather(journal_);
    expire();
    expire_idle_parties(clock_.now());
    for (auto& [key, queue] : queues_) match(queue);  // cheap when nothing changed
    publish_metrics();
    schedule_tick();
  });
}

void Lobby::tell(const Ticket& t, std::string_view type, json::object data) {
  for (const auto& p : t.players) journal_.tell(p, type, data);
}

void Lobby::save(const Party& party) {
  journal_.change({LobbyChange::Kind::put_party, party.id, party_record(party, names_)});
}

void Lobby::save(const Ticket& ticket) {
  journal_.change({LobbyChange::Kind::put_ticket, ticket.id, ticket_record(ticket, names_)});
}

// ---- restart

std::vector<Ticket> Lobby::restore(const LobbyRecords& records, const GameLookup& game_of) {
  LobbyJournal::Gather gather(journal_);
  std::size_t damaged = 0;
  for (const auto& text : records.parties) {
    auto p = party_from_record(text, names_);
    if (!p || party_codes_.contains(p->code)) {
      ++damaged;
      continue;
    }
    party_codes_[p->code] = p->id;
    for (const auto& m : p->members) party_of_[m] = p->id;
    party_active_[p->id] = clock_.now();  // its idle time starts again
    parties_[p->id] = std::move(*p);
  }
  std::vector<Ticket> tickets;
  for (const auto& text : records.tickets) {
    if (auto t = ticket_from_record(text, names_))
      tickets.push_back(std::move(*t));
    else
      ++damaged;
  }
  if (damaged) spdlog::error("lobby: {} damaged records of parties or tickets skipped", damaged);
  // Oldest first: a queue takes its tickets back in the order they came.
  std::sort(tickets.begin(), tickets.end(), [](const Ticket& a, const Ticket& b) {
    return std::tie(a.created_at, a.id) < std::tie(b.created_at, b.id);
  });
  std::map<std::string, std::optional<Game>> games;
  std::vector<Ticket> matched;
  std::size_t queued = 0;
  for (auto& t : tickets) {
    if (std::any_of(t.players.begin(), t.players.end(), [&](const auto& p) { return ticket_of_.contains(p); }) ||
        (t.state != TicketState::queued && t.state != TicketState::matched)) {
      journal_.change({LobbyChange::Kind::remove_ticket, t.id, {}});
      continue;
    }
    for (const auto& p : t.players) ticket_of_[p] = t.id;
    auto& stored = tickets_[t.id] = t;
    auto game = games.find(t.game);
    if (game == games.end()) game = games.emplace(t.game, game_of(t.game)).first;
    const auto& found = game->second;
    // Records written before games had ids name the game only: the live one.
    if (stored.game_id.empty() && found) stored.game_id = found->id;
    // A game of this name registered after the ticket's was deleted is
    // another game: the ticket never joins its queues.
    const Game* spec = found && found->id == stored.game_id ? &*found : nullptr;
    if (spec == nullptr) ended_games_.insert(stored.game_id);
    auto q = spec ? std::find_if(spec->queues.begin(), spec->queues.end(),
                                 [&](const QueueSpec& s) { return s.name == t.queue; })
                  : std::vector<QueueSpec>::const_iterator{};
    // Matched tickets need their queue too: a failed session requeues them.
    auto* queue = spec && q != spec->queues.end() ? &queue_for(*spec, *q) : nullptr;
    if (stored.state == TicketState::matched) {
      matched.push_back(stored);
      continue;
    }
    if (queue == nullptr) {
      if (spec == nullptr)
        cancel(stored.id, "game_deleted", "the game was deleted");
      else
        cancel(stored.id, "queue_removed", "the game no longer has this queue");
      continue;
    }
    if (auto r = enqueue(*queue, stored); !r) {
      cancel(stored.id, "rules_changed", r.error().message);
      continue;
    }
    ++queued;
  }
  if (!parties_.empty() || !tickets_.empty())
    spdlog::info("lobby: restored {} parties, {} queued and {} matched tickets", parties_.size(), queued,
                 matched.size());
  return matched;
}

void Lobby::settle(const std::vector<Ticket>& unclaimed) {
  LobbyJournal::Gather gather(journal_);
  for (const auto& t : unclaimed) {
    auto it = tickets_.find(t.id);
    if (it == tickets_.end()) continue;
    // The director's verdict, not the stored ticket: that names its match's
    // session from the match on, recorded or not (Director::start clears it
    // on the copy it returns unless the session took the ticket and is over).
    if (!t.session_id.empty()) {  // its session took it and is over; the director told its players
      drop_ticket(t.id);
      continue;
    }
    requeue(it->second);
  }
}

// ---- parties

Result<Party> Lobby::create_party(const Player& who) {
  LobbyJournal::Gather gather(journal_);
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
  party_active_[p.id] = clock_.now();
  save(p);
  return p;
}

Result<Party> Lobby::join_party(const Player& who, std::string_view code) {
  LobbyJournal::Gather gather(journal_);
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
  party_active_[party.id] = clock_.now();
  save(party);
  for (const auto& m : party.members)
    if (m != who.id)
      journal_.tell(m, "party.joined", json::object{{"party_id", party.id}, {"player", who.id}, {"name", who.name}});
  return party;
}

Result<Party> Lobby::party(const Player& who, const std::string& party_id) const {
  auto it = parties_.find(party_id);
  if (it == parties_.end() || !it->second.has(who.id)) return make_error(Errc::not_found, "no such party", "party");
  return it->second;
}

Result<void> Lobby::leave_party(const Player& who, const std::string& party_id) {
  LobbyJournal::Gather gather(journal_);
  auto it = parties_.find(party_id);
  if (it == parties_.end() || !it->second.has(who.id)) return make_error(Errc::not_found, "no such party", "party");
  if (it->second.leader_id == who.id) return disband_party(who, party_id);
  if (ticket_of_.contains(who.id))
    return make_error(Errc::conflict, "the party is queued; cancel the ticket first", "ticket");
  auto& members = it->second.members;
  members.erase(std::remove(members.begin(), members.end(), who.id), members.end());
  party_of_.erase(who.id);
  party_active_[party_id] = clock_.now();
  save(it->second);
  for (const auto& m : members)
    journal_.tell(m, "party.left", json::object{{"party_id", party_id}, {"player", who.id}});
  return {};
}

Result<void> Lobby::disband_party(const Player& who, const std::string& party_id) {
  LobbyJournal::Gather gather(journal_);
  auto it = parties_.find(party_id);
  if (it == parties_.end() || !it->second.has(who.id)) return make_error(Errc::not_found, "no such party", "party");
  if (it->second.leader_id != who.id) return make_error(Errc::forbidden, "only the leader disbands the party", "party");
  if (ticket_of_.contains(who.id))
    return make_error(Errc::conflict, "the party is queued; cancel the ticket first", "ticket");
  for (const auto& m : it->second.members) {
    party_of_.erase(m);
    if (m != who.id) journal_.tell(m, "party.disbanded", json::object{{"party_id", party_id}});
  }
  party_codes_.erase(it->second.code);
  parties_.erase(it);
  party_active_.erase(party_id);
  journal_.change({LobbyChange::Kind::remove_party, party_id, {}});
  return {};
}

void Lobby::expire_idle_parties(TimePoint now) {
  if (options_.party_idle.count() == 0 || now < next_party_sweep_) return;
  next_party_sweep_ = now + std::min<std::chrono::seconds>(options_.party_idle, std::chrono::seconds(10));
  std::vector<std::string> idle;
  for (const auto& [id, party] : parties_) {
    // Queued or playing, the party's ticket or a member's own (one queued
    // alone before the party was made): its idle time starts again then.
    if (std::any_of(party.members.begin(), party.members.end(),
                    [&](const auto& m) { return ticket_of_.contains(m); })) {
      party_active_[id] = now;
      continue;
    }
    auto [active, made] = party_active_.try_emplace(id, now);
    if (!made && now - active->second >= options_.party_idle) idle.push_back(id);
  }
  for (const auto& id : idle) {
    auto it = parties_.find(id);
    for (const auto& m : it->second.members) {
      party_of_.erase(m);
      journal_.tell(m, "party.disbanded", json::object{{"party_id", id}, {"reason", "idle"}});
    }
    party_codes_.erase(it->second.code);
    parties_.erase(it);
    party_active_.erase(id);
    journal_.change({LobbyChange::Kind::remove_party, id, {}});
  }
}

// ---- tickets

std::vector<std::string> Lobby::ticket_holders(const Player& who) const {
  if (auto p = party_of_.find(who.id); p != party_of_.end()) return parties_.at(p->second).members;
  return {who.id};
}

Result<Ticket> Lobby::create_ticket(const Player& who, const Game& game, const std::string& queue_name,
                                    TicketAttributes attributes, const std::string& request_key,
                                    const std::string& fingerprint) {
  LobbyJournal::Gather gather(journal_);
  auto spec =
      std::find_if(game.queues.begin(), game.queues.end(), [&](const QueueSpec& q) { return q.name == queue_name; });
  if (spec == game.queues.end()) return make_error(Errc::not_found, "this game has no such queue", "queue");
  // Read before its delete, the game may be gone already.
  if (ended_games_.contains(game.id)) return make_error(Errc::not_found, "no such game", "game");
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
  // Kept with the ticket as "<key> <fingerprint>" (a key holds no space);
  // a ticket saved before fingerprints has the key alone.
  auto stored_key = fingerprint.empty() || request_key.empty() ? request_key : request_key + " " + fingerprint;
  if (auto held = ticket_of_.find(who.id); held != ticket_of_.end() && !request_key.empty()) {
    // The same request again (its answer was lost): the same ticket.
    const auto& t = tickets_.at(held->second);
    std::string_view held_key = t.request_key;
    auto space = held_key.find(' ');
    if (held_key.substr(0, space) == request_key && t.game_id == game.id && t.queue == queue_name) {
      if (space != std::string_view::npos && !fingerprint.empty() && held_key.substr(space + 1) != fingerprint)
        return make_error(Errc::invalid_field,
                          "this Idempotency-Key came with another request body: a new request needs a new key",
                          "idempotency-key");
      return t;
    }
  }
  for (const auto& player : players)
    if (ticket_of_.contains(player))
      return make_error(
          Errc::conflict,
          player == who.id ? "you hold a ticket already" : "a member of your party holds a ticket already", "ticket");
  auto fits = static_cast<std::size_t>(std::min(spec->team_size, spec->rules.max_players));
  if (players.size() > fits)
    return make_error(Errc::invalid_field,
                      fmt::format("a party of {} does not fit teams of {} in matches of {}", players.size(),
                                  spec->team_size, spec->rules.max_players),
                      "party");

  if (auto refused = options_.quotas.ticket_refusal(game.owner_id, waiting_of_developer(game.owner_id)))
    return make_error(Errc::quota_exceeded, refused->message, refused->quota);
  auto& queue = queue_for(game, *spec);
  if (queue.matcher->waiting() >= options_.max_tickets_per_queue)
    return make_error(Errc::unavailable, "this queue is full; try again shortly", "queue");

  auto now = clock_.now();
  Ticket t;
  t.id = new_id("tkt_");
  t.game_id = game.id;
  t.game = game.name;
  t.queue = spec->name;
  t.players = players;
  t.party_id = party_id;
  t.attributes = std::move(attributes);
  t.created_at = now;
  t.expires_at = now + options_.ticket_ttl;
  t.request_key = stored_key;
  if (auto r = enqueue(queue, t); !r) return r.error();
  if (counts_) counts_->created(t.game, t.queue);
  for (const auto& player : players) ticket_of_[player] = t.id;
  tickets_[t.id] = t;
  save(t);
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
  LobbyJournal::Gather gather(journal_);
  auto it = tickets_.find(ticket_id);
  if (it == tickets_.end() ||
      std::find(it->second.players.begin(), it->second.players.end(), who.id) == it->second.players.end())
    return make_error(Errc::not_found, "no such ticket", "ticket");
  if (it->second.state != TicketState::queued)
    return make_error(Errc::conflict, "the ticket is matched already", "ticket");
  auto t = it->second;
  t.state = TicketState::cancelled;
  if (counts_) counts_->cancelled(t.game, t.queue);
  tell(t, "ticket.cancelled", json::object{{"ticket_id", t.id}});
  drop_ticket(t.id);
  return {};
}

void Lobby::cancel(const std::string& ticket_id, std::string_view reason, std::string_view message) {
  auto it = tickets_.find(ticket_id);
  if (it == tickets_.end()) return;
  if (counts_) counts_->cancelled(it->second.game, it->second.queue);
  tell(it->second, "ticket.cancelled",
       json::object{{"ticket_id", ticket_id}, {"reason", reason}, {"message", message}});
  drop_ticket(ticket_id);
}

void Lobby::end_queue(std::map<std::pair<std::string, std::string>, Queue>::iterator queue, std::string_view reason,
                      std::string_view message) {
  std::vector<std::string> waiting;
  for (const auto& [key, id] : queue->second.ticket_of_key) waiting.push_back(id);
  for (const auto& id : waiting) cancel(id, reason, message);
  for (auto it = pending_backfills_.begin(); it != pending_backfills_.end();) {
    // Only this queue's matcher knows its requests: ask it which are its own.
    if (queue->second.matcher->cancel_backfill(it->first))
      it = pending_backfills_.erase(it);
    else
      ++it;
  }
  spdlog::info("lobby: queue {}/{} ended ({}), {} tickets cancelled", queue->second.game.name, queue->second.spec.name,
               reason, waiting.size());
  queues_.erase(queue);
}

void Lobby::end_game(const std::string& game_id) {
  LobbyJournal::Gather gather(journal_);
  ended_games_.insert(game_id);
  for (auto it = queues_.lower_bound({game_id, ""}); it != queues_.end() && it->first.first == game_id;)
    end_queue(it++, "game_deleted", "the game was deleted");
}

void Lobby::game_changed(const Game& game) {
  LobbyJournal::Gather gather(journal_);
  for (auto it = queues_.lower_bound({game.id, ""}); it != queues_.end() && it->first.first == game.id;) {
    auto current = it++;
    auto spec = std::find_if(game.queues.begin(), game.queues.end(),
                             [&](const QueueSpec& q) { return q.name == current->first.second; });
    if (spec == game.queues.end())
      end_queue(current, "queue_removed", "the game no longer has this queue");
    else
      queue_for(game, *spec);
  }
}

void Lobby::drop_ticket(const std::string& ticket_id, Removal removal) {
  auto it = tickets_.find(ticket_id);
  if (it == tickets_.end()) return;
  for (const auto& p : it->second.players)
    if (auto o = ticket_of_.find(p); o != ticket_of_.end() && o->second == ticket_id) ticket_of_.erase(o);
  if (auto k = key_of_.find(ticket_id); k != key_of_.end()) {
    if (auto q = queues_.find({it->second.game_id, it->second.queue}); q != queues_.end()) {
      q->second.matcher->remove(k->second);
      q->second.ticket_of_key.erase(k->second);
    }
    key_of_.erase(k);
  }
  if (auto party = party_active_.find(it->second.party_id); party != party_active_.end())
    party->second = clock_.now();  // its idle time starts when its ticket ends
  tickets_.erase(it);
  LobbyChange change{LobbyChange::Kind::remove_ticket, ticket_id, {}};
  if (removal == Removal::later)
    journal_.change_later(std::move(change));
  else
    journal_.change(std::move(change));
}

std::size_t Lobby::waiting_of_developer(const std::string& developer_id) const {
  std::size_t n = 0;
  for (const auto& [key, queue] : queues_)
    if (queue.game.owner_id == developer_id) n += queue.matcher->waiting();
  return n;
}

std::size_t Lobby::waiting(const std::string& game_id, const std::string& queue) const {
  auto it = queues_.find({game_id, queue});
  return it == queues_.end() ? 0 : it->second.matcher->waiting();
}

Result<std::string> Lobby::request_backfill(const BackfillNeed& need) {
  auto it = queues_.find({need.game_id, need.queue});
  if (it == queues_.end())
    return make_error(Errc::not_found, "this queue has no matchmaker in this process", "session");
  auto& queue = it->second;
  // Bounded per session (found by an attacker's audit: a server asking in a
  // loop took every pending slot of its queue, and grew its team past the
  // queue's size): a team's players, and one request per team at a time.
  if (need.team_players + need.players > queue.spec.team_size)
    return make_error(Errc::invalid_field,
                      fmt::format("team {} has {} of its {} players: at most {} more", need.team, need.team_players,
                                  queue.spec.team_size, std::max(0, queue.spec.team_size - need.team_players)),
                      "players");
  for (const auto& [key, pending] : pending_backfills_)
    if (pending.session_id == need.session_id && pending.team == need.team)
      return make_error(Errc::conflict, fmt::format("a backfill request for team {} is pending already", need.team),
                        "team");
  BackfillRequest r;
  r.key = next_key_++;
  r.team = need.team;
  r.players = need.players;
  r.region = need.region;
  r.requested_at = clock_.now();
  for (const auto& t : need.tickets) {
    r.skills.push_back(t.attributes.skill.value_or(queue.spec.rules.skill.default_skill));
    for (const auto& [tag, value] : t.attributes.tags) r.tag_values.emplace_back(tag, value);
  }
  auto key = r.key;
  if (auto ok = queue.matcher->request_backfill(std::move(r)); !ok) return ok.error();
  pending_backfills_[key] = {need.session_id, need.team};
  auto id = fmt::format("bfl_{}", key);
  spdlog::info("lobby: session {} asks {} players for team {} ({})", need.session_id, need.players, need.team, id);
  match(queue);
  return id;
}

QueueStats Lobby::stats(const std::string& game_id, const std::string& queue) const {
  auto it = queues_.find({game_id, queue});
  return it == queues_.end() ? QueueStats{} : it->second.matcher->stats(clock_.now());
}

QueueBreakdown Lobby::breakdown(const std::string& game_id, const std::string& queue) const {
  auto it = queues_.find({game_id, queue});
  return it == queues_.end() ? QueueBreakdown{} : break_down(*it->second.matcher, clock_.now());
}

std::string Lobby::queue_metrics() const {
  std::lock_guard lock(metrics_mutex_);
  return metrics_;
}

void Lobby::publish_metrics() {
  struct Gauge {
    const char* name;
    const char* help;
    double (*value)(const QueueStats&);
  };
  static constexpr Gauge kGauges[] = {
      {"webgames_queue_waiting_tickets", "Tickets waiting in the queue.",
       [](const QueueStats& s) { return static_cast<double>(s.waiting_tickets); }},
      {"webgames_queue_waiting_players", "Players waiting in the queue.",
       [](const QueueStats& s) { return static_cast<double>(s.waiting_players); }},
      {"webgames_queue_oldest_wait_seconds", "How long the oldest waiting ticket has waited.",
       [](const QueueStats& s) { return static_cast<double>(s.oldest_wait.count()) / 1000; }},
      {"webgames_queue_matches_per_minute", "Matches formed over the last minute.",
       [](const QueueStats& s) { return s.matches_per_minute; }},
      {"webgames_queue_wait_p50_seconds", "Median wait of recently matched tickets.",
       [](const QueueStats& s) { return static_cast<double>(s.p50_wait.count()) / 1000; }},
      {"webgames_queue_wait_p95_seconds", "95th percentile wait of recently matched tickets.",
       [](const QueueStats& s) { return static_cast<double>(s.p95_wait.count()) / 1000; }},
      {"webgames_queue_mean_quality", "Mean quality score (0 to 1) of recent matches.",
       [](const QueueStats& s) { return s.mean_quality; }},
      {"webgames_queue_pending_backfills", "Backfill requests waiting for players.",
       [](const QueueStats& s) { return static_cast<double>(s.pending_backfills); }},
  };
  auto now = clock_.now();
  std::vector<std::pair<std::string, QueueStats>> all;
  for (const auto& [key, queue] : queues_)
    all.emplace_back(fmt::format("game=\"{}\",queue=\"{}\"", queue.game.name, key.second), queue.matcher->stats(now));
  std::string text;
  for (const auto& g : kGauges) {
    text += fmt::format("# HELP {} {}\n# TYPE {} gauge\n", g.name, g.help, g.name);
    for (const auto& [labels, st] : all) text += fmt::format("{}{{{}}} {}\n", g.name, labels, g.value(st));
  }
  std::lock_guard lock(metrics_mutex_);
  metrics_ = std::move(text);
}

Lobby::Queue& Lobby::queue_for(const Game& game, const QueueSpec& spec) {
  auto& q = queues_[{game.id, spec.name}];
  if (q.matcher && q.game.created_at == game.created_at && q.game.updated_at == game.updated_at) return q;
  // New, or the game changed: the newest spec wins, and the waiting tickets
  // move to a matchmaker with its rules.
  q.game = game;
  q.spec = spec;
  if (counts_) counts_->queue_seen(game.name, spec.name);
  if (!q.spec.rules.start_below_max_after) q.spec.rules.start_below_max_after = options_.start_below_max_after;
  q.matcher = std::make_unique<QueueMatcher>(q.spec);
  auto waiting = std::move(q.ticket_of_key);
  q.ticket_of_key.clear();
  for (const auto& [key, id] : waiting) {
    key_of_.erase(id);
    auto& t = tickets_.at(id);
    if (auto r = enqueue(q, t); !r) cancel(std::string(id), "rules_changed", r.error().message);
  }
  return q;
}

Result<void> Lobby::enqueue(Queue& queue, Ticket& t) {
  std::vector<RegionPing> pings;
  for (const auto& [region, ms] : t.attributes.pings) pings.push_back({region, ms});
  std::vector<TagValue> tags;
  for (const auto& [name, value] : t.attributes.tags) tags.push_back({name, value});
  auto key = next_key_++;
  MatchTicket mt{key,
                 static_cast<int>(t.players.size()),
                 t.attributes.skill.value_or(queue.spec.rules.skill.default_skill),
                 t.created_at,
                 pings,
                 tags};
  if (auto r = queue.matcher->add(mt); !r) return r;
  queue.ticket_of_key.emplace(key, t.id);
  key_of_[t.id] = key;
  return {};
}

void Lobby::expire() {
  auto now = clock_.now();
  std::vector<std::string> expired;
  for (const auto& [id, t] : tickets_)
    if (t.state == TicketState::queued && now >= t.expires_at) expired.push_back(id);
  for (const auto& id : expired) {
    if (counts_) counts_->expired(tickets_.at(id).game, tickets_.at(id).queue);
    tell(tickets_.at(id), "ticket.expired", json::object{{"ticket_id", id}});
    drop_ticket(id);
  }
}

void Lobby::after_saved(std::function<void()> work) {
  journal_.after_landed([strand = strand_, alive = alive_, work = std::move(work)]() mutable {
    boost::asio::post(strand, [alive = std::move(alive), work = std::move(work)] {
      if (*alive) work();
    });
  });
}

void Lobby::host_saved(MatchToHost m, const std::vector<std::string>& ids) {
  LobbyJournal::Gather gather(journal_);
  if (stopped_) return;  // still matched, in no session: the next start settles them back to their queue
  auto planned = m.session_id;
  auto session_id = director_.host(std::move(m));
  if (session_id == planned) return;
  // A pool server's session took them.
  for (const auto& id : ids)  // a session that failed at once has already dropped or requeued them
    if (auto it = tickets_.find(id); it != tickets_.end() && it->second.state == TicketState::matched) {
      it->second.session_id = session_id;
      save(it->second);
    }
}

void Lobby::match(Queue& queue) {
  auto round = queue.matcher->match(clock_.now());
  for (const auto& formed : round.matches) {
    MatchToHost m;
    m.match_id = new_id("mat_");
    // Chosen now and saved with the tickets' matched state: one write, not
    // two (Director::start tells a session that never began from one over).
    m.session_id = new_id("ses_");
    m.game = queue.game;
    m.queue = queue.spec;
    m.region = formed.region;
    for (const auto& team : formed.teams) {
      auto& out = m.teams.emplace_back();
      for (auto key : team) {
        auto id = queue.ticket_of_key.at(key);  // the matcher has let it go
        queue.ticket_of_key.erase(key);
        key_of_.erase(id);
        auto& stored = tickets_.at(id);
        stored.state = TicketState::matched;
        stored.match_id = m.match_id;
        stored.session_id = m.session_id;
        for (const auto& p : stored.players) m.player_names[p] = names_[p];
        save(stored);
        out.push_back(stored);
        tell(stored, "ticket.matched", json::object{{"ticket_id", stored.id}, {"match_id", m.match_id}});
      }
    }
    std::vector<std::string> ids;
    for (const auto& team : m.teams)
      for (const auto& t : team) ids.push_back(t.id);
    if (counts_) {
      counts_->match_formed(queue.game.name, queue.spec.name);
      counts_->matched(queue.game.name, queue.spec.name, ids.size());
    }
    // The director starts nothing before the tickets' new state has landed
    // in the lobby's store (write-ahead, as for the session itself): a
    // process that dies first, or a replica that loses the lobby's lease
    // while its store is away, leaves them queued for the next start or
    // owner, and not also in a session whose server it started.
    after_saved([this, m = std::move(m), ids = std::move(ids)]() mutable { host_saved(std::move(m), ids); });
  }
  for (const auto& fill : round.backfills) {
    auto pending = pending_backfills_.find(fill.request);
    if (pending == pending_backfills_.end()) continue;
    auto session_id = pending->second.session_id;
    pending_backfills_.erase(pending);
    // A backfill is a match of its own, whose tickets join a session that
    // runs already: ticket.matched names both.
    auto match_id = new_id("mat_");
    std::vector<std::string> ids;
    std::map<std::string, std::string> names;
    for (auto key : fill.tickets) {
      auto id = queue.ticket_of_key.at(key);
      queue.ticket_of_key.erase(key);
      key_of_.erase(id);
      auto& stored = tickets_.at(id);
      stored.state = TicketState::matched;
      stored.match_id = match_id;
      // A restart before the session holds them requeues them (Director::start).
      stored.session_id = session_id;
      for (const auto& p : stored.players) names[p] = names_[p];
      save(stored);
      // Told with the write, so before the session's session.ready; should
      // the session end before they join, ticket.queued (requeued) follows.
      tell(stored, "ticket.matched",
           json::object{{"ticket_id", stored.id}, {"match_id", match_id}, {"session_id", session_id}});
      ids.push_back(id);
    }
    if (counts_) counts_->matched(queue.game.name, queue.spec.name, ids.size());
    // As for a match: the session takes them only once their matched state
    // has landed (after_saved).
    after_saved([this, session_id, match_id, team = fill.team, ids = std::move(ids), names = std::move(names)] {
      join_saved(session_id, match_id, team, ids, names);
    });
  }
}

void Lobby::join_saved(const std::string& session_id, const std::string& match_id, int team,
                       const std::vector<std::string>& ids, const std::map<std::string, std::string>& names) {
  LobbyJournal::Gather gather(journal_);
  if (stopped_) return;  // still matched, in no session: the next start settles them back to their queue
  std::vector<Ticket> joining;
  for (const auto& id : ids)
    if (auto it = tickets_.find(id);
        it != tickets_.end() && it->second.state == TicketState::matched && it->second.match_id == match_id)
      joining.push_back(it->second);
  if (joining.empty()) return;
  // The lobby and the director share the strand, so the session cannot end
  // between the check and add_players (which tells session.ready).
  auto live = director_.live_session(session_id);
  if (live && (live->state == SessionState::ready || live->state == SessionState::running)) {
    if (director_.add_players(session_id, team, joining, names)) return;
  }
  // The session ended meanwhile: back to the queue.
  for (const auto& t : joining) requeue(tickets_.at(t.id));
}

void Lobby::tickets_done(std::vector<Ticket> tickets, bool back_to_queue) {
  LobbyJournal::Gather gather(journal_);
  // The session is over: its pending backfill requests with it.
  for (const auto& t : tickets) {
    if (t.session_id.empty()) continue;
    for (auto it = pending_backfills_.begin(); it != pending_backfills_.end();) {
      if (it->second.session_id != t.session_id) {
        ++it;
        continue;
      }
      if (auto q = queues_.find({t.game_id, t.queue}); q != queues_.end())
        q->second.matcher->cancel_backfill(it->first);
      it = pending_backfills_.erase(it);
    }
  }
  for (auto& t : tickets) {
    if (!back_to_queue) {
      // Its session, which holds it, is over and saved so: a restart before
      // the removal lands drops it again (settle).
      drop_ticket(t.id, Removal::later);
      continue;
    }
    // Back to the head of the queue: the ticket keeps its creation time,
    // which its wait (and so its windows) count from.
    auto it = tickets_.find(t.id);
    if (it == tickets_.end()) continue;
    auto& stored = it->second;
    if (!stored.may_requeue()) {
      cancel(stored.id, "servers_failed", "the game's servers failed too often; queue again later");
      continue;
    }
    ++stored.requeues;
    requeue(stored);
  }
}

void Lobby::requeue(Ticket& stored) {
  stored.state = TicketState::queued;
  stored.match_id.clear();
  stored.session_id.clear();
  stored.expires_at = clock_.now() + options_.ticket_ttl;
  auto queue = queues_.find({stored.game_id, stored.queue});
  if (queue == queues_.end()) {
    // Its game was deleted (or lost this queue) while the session ran.
    if (ended_games_.contains(stored.game_id))
      cancel(stored.id, "game_deleted", "the game was deleted");
    else
      cancel(stored.id, "queue_removed", "the game no longer has this queue");
    return;
  }
  if (auto r = enqueue(queue->second, stored); !r) {
    cancel(stored.id, "rules_changed", r.error().message);
    return;
  }
  save(stored);
  tell(stored, "ticket.queued",
       json::object{{"ticket_id", stored.id}, {"game", stored.game}, {"queue", stored.queue}, {"requeued", true}});
}

}  // namespace webgames
