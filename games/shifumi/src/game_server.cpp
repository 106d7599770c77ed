#include "game_server.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace shifumi {

namespace asio = boost::asio;
namespace json = boost::json;
namespace sdk = webgames::sdk;

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
// After the game, how long clients get to read the last lines before the
// results are reported and the process ends.
constexpr auto kWrapUpLimit = std::chrono::seconds(2);

void log(std::string_view line) {
  std::fprintf(stderr, "shifumi-server: %.*s\n", static_cast<int>(line.size()), line.data());
}

// The player of team `team`; throws unless there is exactly one.
const sdk::Player& player_of_team(const sdk::Session& session, int team) {
  const sdk::Player* found = nullptr;
  for (const auto& p : session.players()) {
    if (p.team != team) continue;
    if (found != nullptr)
      throw std::runtime_error("Shifumi takes one player per team; team " + std::to_string(team) + " has more");
    found = &p;
  }
  if (found == nullptr)
    throw std::runtime_error("Shifumi takes two players; team " + std::to_string(team) + " has none");
  return *found;
}

// `connection` is gone or going: sending to it does nothing.
void send(sdk::PlayerConnection& connection, const json::object& message) { connection.send(json::serialize(message)); }

}  // namespace

GameServer::GameServer(asio::io_context& io, sdk::Session& session, Settings settings)
    : io_(io),
      session_(session),
      settings_(settings),
      seats_{Seat{{}, nullptr, asio::steady_timer(io)}, Seat{{}, nullptr, asio::steady_timer(io)}},
      match_(settings.best_of),
      join_deadline_(io),
      players_(io.get_executor(), session,
               {.connected = [this](const ConnectionPtr& c) { join(c); },
                .message = [this](const ConnectionPtr& c, std::string_view line) { handle(c, line); },
                .disconnected = [this](const ConnectionPtr& c) { leave(c); }},
               {.join_timeout = settings.hello_timeout}) {
  auto address = asio::ip::make_address(session.host());
  port_ = players_.listen(sdk::Transport::tcp, {address, session.port("game").value_or(session.port())});
  if (auto ws = session.port("ws")) ws_port_ = players_.listen(sdk::Transport::ws, {address, *ws});
}

void GameServer::start() {
  // The players are known now: from the start, or a pool server's from its allocation.
  if (session_.players().size() != 2) throw std::runtime_error("Shifumi takes exactly two players");
  for (int s : {0, 1}) {
    seats_[s].player = player_of_team(session_, s);
    ids_[s] = seats_[s].player.id;
  }
  players_.start();
  join_deadline_.expires_after(settings_.join_timeout);
  join_deadline_.async_wait([this](boost::system::error_code ec) {
    if (!ec) on_join_deadline();
  });
}

std::optional<int> GameServer::seat_of(const ConnectionPtr& connection) const {
  for (int s : {0, 1})
    if (seats_[s].connection == connection) return s;
  return std::nullopt;
}

void GameServer::join(const ConnectionPtr& connection) {
  if (phase_ == Phase::over) {
    send(*connection, error_message("game_over", "the game is over"));
    return connection->close();
  }
  int s = connection->player().team;  // player_of_team() made seat i team i
  auto& seat = seats_[s];
  auto& opponent = seats_[1 - s];
  if (seat.connection) {
    // Joined again from a new connection: the new one wins, for a client
    // whose old connection died without the server noticing.
    send(*seat.connection, error_message("replaced", "you joined from another connection"));
    seat.connection->close();
  } else {
    report(session_.player_connected(seat.player.id), "player_connected");
  }
  seat.connection = connection;
  seat.forfeit.cancel();
  log(seat.player.id + " joined over " + std::string(sdk::to_string(connection->transport())));

  std::optional<std::string_view> opponent_name;
  if (opponent.connection) opponent_name = opponent.player.name;
  send(*connection, welcome_message(seat.player.id, seat.player.name, opponent_name));
  if (phase_ == Phase::waiting && opponent.connection) {
    phase_ = Phase::playing;
    join_deadline_.cancel();
    broadcast(round_message(match_.round()));
  } else if (phase_ == Phase::playing) {
    send(*connection, round_message(match_.round()));  // back from a disconnection
  }
}

void GameServer::handle(const ConnectionPtr& connection, std::string_view line) {
  auto seat = seat_of(connection);
  if (!seat) return;  // replaced, or refused: closing
  auto message = parse_message(line);
  if (!message) return send(*connection, error_message("bad_request", "a message is one JSON object with a \"type\""));
  auto type = *string_field(*message, "type");
  if (type == "move") return play_move(*seat, *connection, *message);
  if (type == "join") return send(*connection, error_message("already_joined", "this connection has joined already"));
  send(*connection, error_message("bad_request", "unknown message type"));
}

void GameServer::play_move(int seat, Connection& connection, const json::object& message) {
  if (phase_ != Phase::playing) return send(connection, error_message("no_round", "no round is being played"));
  auto text = string_field(message, "move");
  auto move = text ? parse_move(*text) : std::nullopt;
  if (!move) return send(connection, error_message("bad_move", "move must be \"rock\", \"paper\" or \"scissors\""));
  if (match_.has_moved(seat))
    return send(connection,
                error_message("already_moved", "you moved already in round " + std::to_string(match_.round())));

  auto round = match_.play(seat, *move);
  if (!round) return;  // waiting for the other move
  broadcast(result_message(ids_, *round, score()));
  if (!match_.over()) return broadcast(round_message(match_.round()));
  bool decided = std::max(match_.wins(0), match_.wins(1)) >= match_.wins_needed();
  finish(match_.winner(), decided ? "score" : "round_limit");
}

void GameServer::leave(const ConnectionPtr& connection) {
  auto found = seat_of(connection);
  if (!found || phase_ == Phase::over) return;  // replaced or refused, or the game is done
  int s = *found;
  auto& seat = seats_[s];
  seat.connection.reset();
  log(seat.player.id + " left");
  report(session_.player_disconnected(seat.player.id), "player_disconnected");
  if (phase_ != Phase::playing) return;
  seat.forfeit.expires_after(settings_.rejoin_timeout);
  seat.forfeit.async_wait([this, s](boost::system::error_code ec) {
    if (!ec) on_forfeit(s);
  });
}

void GameServer::on_join_deadline() {
  if (phase_ != Phase::waiting) return;
  // Whoever came wins against whoever did not; if nobody is here there is
  // nothing to report.
  for (int s : {0, 1})
    if (seats_[s].connection) return finish(s, "forfeit");
  finish(std::nullopt, "no_players");
}

void GameServer::on_forfeit(int s) {
  if (phase_ != Phase::playing || seats_[s].connection) return;
  int other = 1 - s;
  finish(seats_[other].connection ? std::optional<int>(other) : std::nullopt, "forfeit");
}

void GameServer::finish(std::optional<int> winner, std::string_view reason) {
  if (phase_ == Phase::over) return;
  phase_ = Phase::over;
  log("game over: " + std::string(reason) + ", winner " + (winner ? ids_[*winner] : std::string("none")));
  join_deadline_.cancel();
  for (auto& seat : seats_) seat.forfeit.cancel();
  players_.stop();
  broadcast(game_over_message(ids_, winner, score(), reason));

  std::vector<sdk::Result> results;
  if (reason != "no_players") {
    for (int s : {0, 1}) {
      // A draw ranks both first; otherwise the winner 1, the other 2.
      int rank = !winner || *winner == s ? 1 : 2;
      json::object data{{"rounds", match_.round()}, {"forfeit", reason == "forfeit"}};
      results.push_back(sdk::Result{.player_id = seats_[s].player.id,
                                    .team = seats_[s].player.team,
                                    .score = static_cast<double>(match_.wins(s)),
                                    .rank = rank,
                                    .data = std::move(data)});
    }
  }
  asio::co_spawn(io_, wrap_up(std::move(results)), asio::detached);
}

asio::awaitable<void> GameServer::wrap_up(std::vector<sdk::Result> results) {
  // Let the clients read game_over before Webgames, told of the end, stops us.
  std::vector<ConnectionPtr> open;
  for (auto& seat : seats_)
    if (seat.connection) open.push_back(seat.connection);
  co_await sdk::close_all(std::move(open), kWrapUpLimit);

  auto ended = session_.end(results);
  report(ended, "end");
  exit_code_ = ended ? 0 : 1;
  io_.stop();
}

void GameServer::broadcast(const json::object& message) {
  for (auto& seat : seats_)
    if (seat.connection) send(*seat.connection, message);
}

void GameServer::report(const sdk::Expected<void>& outcome, std::string_view what) {
  if (!outcome) log(std::string(what) + " failed: " + outcome.error().code + ": " + outcome.error().message);
}

}  // namespace shifumi
