#pragma once
// The Arena game server: accepts the session's players (JSON lines on the
// port "game", WebSocket on the port "ws"), waits for them, runs the
// Simulation at the settings' tick rate, sends every player the state each
// tick, reports the standings to Webgames through the SDK and stops its
// io_context when the session is over. Single-threaded: everything runs on
// the thread that runs the io_context; the SDK's calls block it briefly
// (loopback HTTP).

#include "input_budget.h"
#include "messages.h"
#include "settings.h"
#include "simulation.h"

#include <webgames/players.h>
#include <webgames/sdk.h>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace arena {

class GameServer {
 public:
  // Listens on the session's host; connections wait until start(). Throws
  // boost::system::system_error if a port cannot be bound.
  GameServer(boost::asio::io_context& io, webgames::sdk::Session& session, Settings settings);

  std::uint16_t port() const { return port_; }
  std::optional<std::uint16_t> ws_port() const { return ws_port_; }

  // Starts accepting players, the join deadline and the tick timer. Call
  // once, after session.ready() and session.wait_for_allocation() succeeded
  // (a pool server learns its players there). Throws std::runtime_error
  // unless the session has 2 to 4 players.
  void start();

  // 0 once the match ended and Webgames took the results; 1 if it refused
  // them or could not be reached.
  int exit_code() const { return exit_code_; }

 private:
  enum class Phase { waiting, running, over };
  using ConnectionPtr = webgames::sdk::PlayerConnectionPtr;
  struct Seat {
    PlayerInfo info;
    ConnectionPtr connection;  // null while away
    InputBudget budget;
    std::int64_t last_seq = 0;  // of the current connection
    std::int64_t ack = 0;       // the last seq handed to the simulation
    long long rate_error_tick = -1'000'000;
  };

  void join(const ConnectionPtr& connection);
  void handle(const ConnectionPtr& connection, std::string_view text);
  void leave(const ConnectionPtr& connection);
  std::optional<int> seat_of(const ConnectionPtr& connection) const;
  void on_input(int seat, const InputMessage& message);

  void schedule_tick();
  void on_tick();
  void on_join_deadline();
  void begin();
  void finish(std::string_view reason, bool with_results);
  boost::asio::awaitable<void> wrap_up(std::vector<webgames::sdk::Result> results);

  std::vector<bool> connected() const;
  void send_lobby();
  void send_states();
  void send(const ConnectionPtr& connection, const boost::json::object& message);
  void broadcast(const boost::json::object& message);
  void report(const webgames::sdk::Expected<void>& outcome, std::string_view what);

  boost::asio::io_context& io_;
  webgames::sdk::Session& session_;
  Settings settings_;
  std::vector<Seat> seats_;  // slot order
  Roster roster_;
  std::optional<Simulation> sim_;  // from start(), for the match's players
  Phase phase_ = Phase::waiting;
  long long server_ticks_ = 0;  // ticks of the timer since start(), whatever the phase
  std::chrono::steady_clock::time_point next_tick_;
  std::chrono::steady_clock::time_point join_deadline_at_;
  boost::asio::steady_timer tick_timer_;
  boost::asio::steady_timer join_deadline_;
  int exit_code_ = 1;
  webgames::sdk::PlayerListener players_;  // after what its callbacks use
  std::uint16_t port_ = 0;
  std::optional<std::uint16_t> ws_port_;
};

}  // namespace arena
