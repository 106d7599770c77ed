#pragma once
// The Shifumi game server: accepts the session's two players, plays the
// match, reports to Webgames through the SDK, and stops its io_context when
// the session is over. Single-threaded: everything runs on the thread that
// runs the io_context; the SDK's calls block it briefly (loopback HTTP).

#include "connection.h"
#include "messages.h"
#include "rules.h"
#include "settings.h"

#include <webgames/sdk.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace shifumi {

class GameServer {
 public:
  // Listens on the session's host and port ("game", else the first one).
  // Throws std::runtime_error unless the session has exactly two players,
  // on teams 0 and 1, or if the port cannot be bound.
  GameServer(boost::asio::io_context& io, webgames::sdk::Session& session, Settings settings);

  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

  // Starts accepting players and the join deadline. Call once, after
  // session.ready() succeeded.
  void start();

  // 0 once the match ended and Webgames took the results; 1 if it refused
  // them or could not be reached.
  int exit_code() const { return exit_code_; }

 private:
  enum class Phase { waiting, playing, over };
  struct Seat {
    webgames::sdk::Player player;
    std::shared_ptr<Connection> connection;  // null while away
    boost::asio::steady_timer forfeit;       // runs while away mid-game
  };

  boost::asio::awaitable<void> accept_players();
  boost::asio::awaitable<void> serve(std::shared_ptr<Connection> connection);
  // The seat `connection` took, or empty if its join was refused.
  std::optional<int> join(const std::shared_ptr<Connection>& connection, std::string_view line);
  void handle(int seat, Connection& connection, std::string_view line);
  void leave(int seat, const std::shared_ptr<Connection>& connection);
  void play_move(int seat, Connection& connection, const boost::json::object& message);
  void on_join_deadline();
  void on_forfeit(int seat);
  void finish(std::optional<int> winner, std::string_view reason);
  boost::asio::awaitable<void> wrap_up(std::vector<webgames::sdk::Result> results);

  void broadcast(const boost::json::object& message);
  std::array<int, 2> score() const { return {match_.wins(0), match_.wins(1)}; }
  void report(const webgames::sdk::Expected<void>& outcome, std::string_view what);

  boost::asio::io_context& io_;
  webgames::sdk::Session& session_;
  Settings settings_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::array<Seat, 2> seats_;  // seat i is team i
  SeatIds ids_;
  Match match_;
  Phase phase_ = Phase::waiting;
  boost::asio::steady_timer join_deadline_;
  int exit_code_ = 1;
};

}  // namespace shifumi
