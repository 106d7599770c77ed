#include "game_server.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace arena {

namespace asio = boost::asio;
namespace json = boost::json;
namespace sdk = webgames::sdk;

namespace {

// After the game, how long clients get to read the last messages before the
// results are reported and the process ends.
constexpr auto kWrapUpLimit = std::chrono::seconds(2);

void log(std::string_view line) {
  std::fprintf(stderr, "arena-server: %.*s\n", static_cast<int>(line.size()), line.data());
}

// The session's players in slot order: by team, then as listed.
Roster roster_of(const sdk::Session& session) {
  auto count = session.players().size();
  if (count < 2 || count > 4)
    throw std::runtime_error("Arena takes 2 to 4 players; the session has " + std::to_string(count));
  Roster roster;
  for (const auto& p : session.players()) roster.push_back({p.id, p.name, p.team});
  std::stable_sort(roster.begin(), roster.end(), [](const auto& a, const auto& b) { return a.team < b.team; });
  return roster;
}

}  // namespace

GameServer::GameServer(asio::io_context& io, sdk::Session& session, Settings settings)
    : io_(io),
      session_(session),
      settings_(settings),
      tick_timer_(io),
      join_deadline_(io),
      players_(io.get_executor(), session,
               {.connected = [this](const ConnectionPtr& c) { join(c); },
                .message = [this](const ConnectionPtr& c, std::string_view text) { handle(c, text); },
                .disconnected = [this](const ConnectionPtr& c) { leave(c); }}) {
  auto address = asio::ip::make_address(session.host());
  port_ = players_.listen(sdk::Transport::tcp, {address, session.port("game").value_or(session.port())});
  if (auto ws = session.port("ws")) ws_port_ = players_.listen(sdk::Transport::ws, {address, *ws});
}

void GameServer::start() {
  // The players are known now: from the start, or a pool server's from its allocation.
  roster_ = roster_of(session_);
  sim_.emplace(static_cast<int>(roster_.size()), settings_.rules);
  for (const auto& info : roster_) seats_.push_back(Seat{info, nullptr, InputBudget(settings_.rules.tick_rate)});
  players_.start();
  join_deadline_at_ = std::chrono::steady_clock::now() + settings_.join_timeout;
  join_deadline_.expires_at(join_deadline_at_);
  join_deadline_.async_wait([this](boost::system::error_code ec) {
    if (!ec) on_join_deadline();
  });
  next_tick_ = std::chrono::steady_clock::now();
  schedule_tick();
}

std::optional<int> GameServer::seat_of(const ConnectionPtr& connection) const {
  for (std::size_t s = 0; s < seats_.size(); ++s)
    if (seats_[s].connection == connection) return static_cast<int>(s);
  return std::nullopt;
}

std::vector<bool> GameServer::connected() const {
  std::vector<bool> out;
  for (const auto& seat : seats_) out.push_back(seat.connection != nullptr);
  return out;
}

void GameServer::join(const ConnectionPtr& connection) {
  if (phase_ == Phase::over) {
    send(connection, error_message("game_over", "the game is over"));
    return connection->close();
  }
  auto found =
      std::find_if(seats_.begin(), seats_.end(), [&](const Seat& s) { return s.info.id == connection->player().id; });
  if (found == seats_.end()) {
    // A player added by backfill: Arena does not ask for any.
    send(connection, error_message("not_a_player", "you are not a player of this match"));
    return connection->close();
  }
  auto& seat = *found;
  if (seat.connection) {
    send(seat.connection, error_message("replaced", "you joined from another connection"));
    seat.connection->close();
  } else {
    report(session_.player_connected(seat.info.id), "player_connected");
  }
  seat.connection = connection;
  seat.last_seq = 0;
  log(seat.info.id + " joined over " + std::string(sdk::to_string(connection->transport())));

  static constexpr std::string_view kPhases[] = {"waiting", "", "over"};
  std::string_view phase = phase_ == Phase::running ? to_string(sim_->phase()) : kPhases[static_cast<int>(phase_)];
  send(connection, welcome_message(seat.info, roster_, *sim_, phase));
  if (phase_ != Phase::waiting) return;
  send_lobby();
  if (std::all_of(seats_.begin(), seats_.end(), [](const Seat& s) { return s.connection != nullptr; })) begin();
}

void GameServer::handle(const ConnectionPtr& connection, std::string_view text) {
  auto found = seat_of(connection);
  if (!found) return;  // replaced, or refused: closing
  int s = *found;
  auto& seat = seats_[s];
  if (!seat.budget.spend()) {
    if (server_ticks_ - seat.rate_error_tick >= settings_.rules.tick_rate) {
      seat.rate_error_tick = server_ticks_;
      send(connection, error_message("rate_limited", "more than 60 messages a second: the extra ones are dropped"));
    }
    return;
  }
  auto message = parse_client_message(text);
  if (auto* input = std::get_if<InputMessage>(&message)) return on_input(s, *input);
  if (auto* ping = std::get_if<PingMessage>(&message))
    return send(connection, pong_message(ping->id, phase_ == Phase::waiting ? 0 : time_ms(*sim_, sim_->tick())));
  if (std::holds_alternative<JoinMessage>(message))
    return send(connection, error_message("already_joined", "this connection has joined already"));
  const auto& bad = std::get<BadMessage>(message);
  send(connection, error_message(bad.code, bad.reason));
}

void GameServer::on_input(int s, const InputMessage& message) {
  auto& seat = seats_[s];
  if (message.seq <= seat.last_seq) return;  // stale: a newer one was applied
  seat.last_seq = message.seq;
  seat.ack = message.seq;
  Input input = message.input;
  if (!message.has_aim) input.aim = sim_->player(s).aim;
  sim_->set_input(s, input);
}

void GameServer::leave(const ConnectionPtr& connection) {
  auto found = seat_of(connection);
  if (!found || phase_ == Phase::over) return;
  int s = *found;
  auto& seat = seats_[s];
  seat.connection.reset();
  log(seat.info.id + " left");
  report(session_.player_disconnected(seat.info.id), "player_disconnected");
  // Away: standing still, not shooting, until they come back.
  sim_->set_input(s, Input{.dx = 0, .dy = 0, .aim = sim_->player(s).aim, .fire = false});
  if (phase_ == Phase::waiting) send_lobby();
}

void GameServer::schedule_tick() {
  next_tick_ += std::chrono::microseconds(1'000'000 / settings_.rules.tick_rate);
  tick_timer_.expires_at(next_tick_);
  tick_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) on_tick();
  });
}

void GameServer::on_tick() {
  if (phase_ == Phase::over) return;
  ++server_ticks_;
  for (auto& seat : seats_) seat.budget.tick();
  // Far behind (the machine stalled): skip the missed ticks rather than
  // rushing through them.
  auto now = std::chrono::steady_clock::now();
  if (now - next_tick_ > std::chrono::seconds(1)) next_tick_ = now;
  if (phase_ == Phase::running) {
    sim_->step();
    send_states();
    if (sim_->phase() == arena::Phase::over) return finish(to_string(*sim_->end_reason()), true);
  }
  schedule_tick();
}

void GameServer::on_join_deadline() {
  if (phase_ != Phase::waiting) return;
  int present = 0;
  for (std::size_t s = 0; s < seats_.size(); ++s) {
    if (seats_[s].connection) {
      ++present;
    } else {
      sim_->eliminate(static_cast<int>(s));
    }
  }
  log("join deadline: " + std::to_string(present) + " of " + std::to_string(seats_.size()) + " players here");
  if (present == 0) return finish("forfeit", false);
  if (present == 1) return finish("forfeit", true);
  begin();
}

void GameServer::begin() {
  phase_ = Phase::running;
  join_deadline_.cancel();
  log("the match begins");
  send_states();  // tick 0: the countdown
}

void GameServer::finish(std::string_view reason, bool with_results) {
  if (phase_ == Phase::over) return;
  phase_ = Phase::over;
  auto winner = sim_->winner();
  log("game over: " + std::string(reason) + ", winner " + (winner ? roster_[*winner].id : std::string("none")));
  join_deadline_.cancel();
  tick_timer_.cancel();
  players_.stop();
  broadcast(game_over_message(roster_, *sim_, reason));

  std::vector<sdk::Result> results;
  if (with_results) {
    for (const auto& standing : sim_->standings()) {
      const auto& p = sim_->player(standing.player);
      const auto& info = roster_[standing.player];
      json::object data{{"kills", p.kills},
                        {"hp", p.hp},
                        {"eliminated_tick", p.eliminated_tick ? json::value(*p.eliminated_tick) : json::value(nullptr)},
                        {"ticks", sim_->tick()}};
      results.push_back(sdk::Result{.player_id = info.id,
                                    .team = info.team,
                                    .score = static_cast<double>(p.kills),
                                    .rank = standing.rank,
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

void GameServer::send_lobby() {
  auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(join_deadline_at_ - std::chrono::steady_clock::now());
  broadcast(lobby_message(roster_, connected(), std::max<std::int64_t>(0, left.count())));
}

void GameServer::send_states() {
  auto here = connected();
  for (auto& seat : seats_)
    if (seat.connection) send(seat.connection, state_message(roster_, *sim_, here, seat.ack));
}

void GameServer::send(const ConnectionPtr& connection, const json::object& message) {
  connection->send(json::serialize(message));
}

void GameServer::broadcast(const json::object& message) {
  auto text = json::serialize(message);
  for (auto& seat : seats_)
    if (seat.connection) seat.connection->send(text);
}

void GameServer::report(const sdk::Expected<void>& outcome, std::string_view what) {
  if (!outcome) log(std::string(what) + " failed: " + outcome.error().code + ": " + outcome.error().message);
}

}  // namespace arena
