#include "game_server.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace shifumi {

namespace asio = boost::asio;
namespace json = boost::json;
namespace sdk = webgames::sdk;
using asio::ip::tcp;

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

tcp::endpoint listen_endpoint(const sdk::Session& session) {
  return {asio::ip::make_address(session.host()), session.port("game").value_or(session.port())};
}

}  // namespace

GameServer::GameServer(asio::io_context& io, sdk::Session& session, Settings settings)
    : io_(io),
      session_(session),
      settings_(settings),
      acceptor_(io, listen_endpoint(session)),
      seats_{Seat{player_of_team(session, 0), nullptr, asio::steady_timer(io)},
             Seat{player_of_team(session, 1), nullptr, asio::steady_timer(io)}},
      ids_{seats_[0].player.id, seats_[1].player.id},
      match_(settings.best_of),
      join_deadline_(io) {
  if (session.players().size() != 2) throw std::runtime_error("Shifumi takes exactly two players");
}

void GameServer::start() {
  asio::co_spawn(io_, accept_players(), asio::detached);
  join_deadline_.expires_after(settings_.join_timeout);
  join_deadline_.async_wait([this](boost::system::error_code ec) {
    if (!ec) on_join_deadline();
  });
}

asio::awaitable<void> GameServer::accept_players() {
  while (phase_ != Phase::over) {
    auto [ec, socket] = co_await acceptor_.async_accept(kNoThrow);
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
    if (ec) continue;  // a client that gave up while queued, or out of descriptors for a moment
    auto connection = std::make_shared<Connection>(std::move(socket));
    connection->start();
    asio::co_spawn(io_, serve(std::move(connection)), asio::detached);
  }
}

asio::awaitable<void> GameServer::serve(std::shared_ptr<Connection> connection) {
  asio::steady_timer hello(io_, settings_.hello_timeout);
  hello.async_wait([connection](boost::system::error_code ec) {
    if (ec) return;
    connection->send(error_message("join_timeout", "no join within 10 s"));
    connection->close();
  });
  auto line = co_await connection->read_line();
  hello.cancel();
  if (!line) co_return;
  auto seat = join(connection, *line);
  if (!seat) co_return;
  while (auto next = co_await connection->read_line()) handle(*seat, *connection, *next);
  leave(*seat, connection);
}

std::optional<int> GameServer::join(const std::shared_ptr<Connection>& connection, std::string_view line) {
  auto refuse = [&](std::string_view code, std::string_view reason) -> std::optional<int> {
    connection->send(error_message(code, reason));
    connection->close();
    return std::nullopt;
  };
  auto message = parse_message(line);
  if (!message || string_field(*message, "type") != "join")
    return refuse("bad_request", "the first message must be {\"type\":\"join\",\"token\":...}");
  auto token = string_field(*message, "token");
  if (!token) return refuse("bad_request", "join needs a \"token\"");
  auto player = session_.verify_join(*token);
  if (!player) return refuse(player.error().code, player.error().message);
  if (phase_ == Phase::over) return refuse("game_over", "the game is over");

  int s = player->team;  // player_of_team() made seat i team i
  auto& seat = seats_[s];
  auto& opponent = seats_[1 - s];
  if (seat.connection) {
    // Joined again from a new connection: the new one wins, for a client
    // whose old connection died without the server noticing.
    seat.connection->send(error_message("replaced", "you joined from another connection"));
    seat.connection->close();
  } else {
    report(session_.player_connected(seat.player.id), "player_connected");
  }
  seat.connection = connection;
  seat.forfeit.cancel();
  log(seat.player.id + " joined");

  std::optional<std::string_view> opponent_name;
  if (opponent.connection) opponent_name = opponent.player.name;
  connection->send(welcome_message(seat.player.id, seat.player.name, opponent_name));
  if (phase_ == Phase::waiting && opponent.connection) {
    phase_ = Phase::playing;
    join_deadline_.cancel();
    broadcast(round_message(match_.round()));
  } else if (phase_ == Phase::playing) {
    connection->send(round_message(match_.round()));  // back from a disconnection
  }
  return s;
}

void GameServer::handle(int seat, Connection& connection, std::string_view line) {
  auto message = parse_message(line);
  if (!message) return connection.send(error_message("bad_request", "a message is one JSON object with a \"type\""));
  auto type = *string_field(*message, "type");
  if (type == "move") return play_move(seat, connection, *message);
  if (type == "join") return connection.send(error_message("already_joined", "this connection has joined already"));
  connection.send(error_message("bad_request", "unknown message type"));
}

void GameServer::play_move(int seat, Connection& connection, const json::object& message) {
  if (phase_ != Phase::playing) return connection.send(error_message("no_round", "no round is being played"));
  auto text = string_field(message, "move");
  auto move = text ? parse_move(*text) : std::nullopt;
  if (!move) return connection.send(error_message("bad_move", "move must be \"rock\", \"paper\" or \"scissors\""));
  if (match_.has_moved(seat))
    return connection.send(
        error_message("already_moved", "you moved already in round " + std::to_string(match_.round())));

  auto round = match_.play(seat, *move);
  if (!round) return;  // waiting for the other move
  broadcast(result_message(ids_, *round, score()));
  if (!match_.over()) return broadcast(round_message(match_.round()));
  bool decided = std::max(match_.wins(0), match_.wins(1)) >= match_.wins_needed();
  finish(match_.winner(), decided ? "score" : "round_limit");
}

void GameServer::leave(int s, const std::shared_ptr<Connection>& connection) {
  auto& seat = seats_[s];
  if (seat.connection != connection || phase_ == Phase::over) return;  // replaced, or the game is done
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
  boost::system::error_code ignored;
  acceptor_.close(ignored);
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
  std::vector<std::shared_ptr<Connection>> open;
  for (auto& seat : seats_)
    if (seat.connection) {
      seat.connection->close();
      open.push_back(seat.connection);
    }
  asio::steady_timer limit(io_, kWrapUpLimit);
  limit.async_wait([open](boost::system::error_code ec) {
    if (!ec)
      for (auto& c : open) c->close_now();
  });
  for (auto& c : open) co_await c->wait_closed();
  limit.cancel();

  auto ended = session_.end(results);
  report(ended, "end");
  exit_code_ = ended ? 0 : 1;
  io_.stop();
}

void GameServer::broadcast(const json::object& message) {
  for (auto& seat : seats_)
    if (seat.connection) seat.connection->send(message);
}

void GameServer::report(const sdk::Expected<void>& outcome, std::string_view what) {
  if (!outcome) log(std::string(what) + " failed: " + outcome.error().code + ": " + outcome.error().message);
}

}  // namespace shifumi
