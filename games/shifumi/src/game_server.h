#pragma once
// The Shifumi game server: accepts the session's two players (over TCP, and
// over WebSocket when the spec has a port "ws"), plays the match, reports to
// Webgames through the SDK, and stops its io_context when the session is
// over. Single-threaded: everything runs on the thread that runs the
// io_context; the SDK's calls block it briefly (loopback HTTP).

#include "messages.h"
#include "rules.h"
#include "settings.h"

#include <webgames/players.h>
#include <webgames/sdk.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace shifumi {

class GameServer {
 public:
  // Listens on the session's host: JSON lines on the port "game" (else the
  // first one), WebSocket on the port "ws" if there is one; connections
  // wait until start(). Throws boost::system::system_error if a port cannot
  // be bound.
  GameServer(boost::asio::io_context& io, webgames::sdk::Session& session, Settings settings);

  std::uint16_t port() const { return port_; }
  std::optional<std::uint16_t> ws_port() const { return ws_port_; }

  // Starts accepting players and the join deadline. Call once, after
  // session.ready() and session.wait_for_allocation() succeeded (a pool
  // server learns its players there). Throws std::runtime_error unless the
  // session has exactly two players, on teams 0 and 1.
  void start();

  // 0 once the match ended and Webgames took the results; 1 if it refused
  // them or could not be reached.
  int exit_code() const { return exit_code_; }

 private:
  enum class Phase { waiting, playing, over };
  using Connection = webgames::sdk::PlayerConnection;
  using ConnectionPtr = webgames::sdk::PlayerConnectionPtr;
  struct Seat {
    webgames::sdk::Player player;
    ConnectionPtr connection;           // null while away
    boost::asio::steady_timer forfeit;  // runs while away mid-game
  };

  // The SDK's PlayerEvents: the join is verified already.
  void join(const ConnectionPtr& connection);
  void handle(const ConnectionPtr& connection, std::string_view line);
  void leave(const ConnectionPtr& connection);
  // The seat `connection` holds, if it holds one.
  std::optional<int> seat_of(const ConnectionPtr& connection) const;
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
  std::array<Seat, 2> seats_;  // seat i is team i
  SeatIds ids_;
  Match match_;
  Phase phase_ = Phase::waiting;
  boost::asio::steady_timer join_deadline_;
  int exit_code_ = 1;
  webgames::sdk::PlayerListener players_;  // after what its callbacks use
  std::uint16_t port_ = 0;
  std::optional<std::uint16_t> ws_port_;
};

}  // namespace shifumi
