// kill -9 of `webgames serve` at random points of the sessions' life cycle,
// again and again, from a seed (printed, and taken from WEBGAMES_CHAOS_SEED
// when set, so that a failure reproduces). Players queue in pairs for a
// game whose server (good.sh) ends its session by itself after a second;
// webgames is killed at a random moment and started again on the same data
// directory and port. Once the kills stop:
//   - every recorded session is Ended with its results, or Failed with a reason;
//   - each of its players was told so (session.ended / session.failed on an
//     event stream), even when webgames was killed between saving the end
//     and telling it (the next start tells it), and reads the same final
//     state from GET /v1/sessions/{id};
//   - no game server process is left, and every port of the range is free.

#include "hosting/hosting_test.h"

#include <boost/json/serialize.hpp>

#include <gmock/gmock.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <thread>

namespace webgames::testing {
namespace {

namespace json = boost::json;

class ChaosTest : public HostingTest {
 protected:
  struct Told {
    std::set<std::string> ended, failed;  // session ids
  };

  // Keeps what each stream received, then reconnects every player.
  void harvest_and_reconnect(std::vector<Player>& players, bool reconnect) {
    for (auto& p : players) {
      if (p.events) {
        for (const auto& e : p.events->received()) {
          if (e.type == "session.ended") told_[p.id()].ended.insert(e.str("session_id"));
          if (e.type == "session.failed") told_[p.id()].failed.insert(e.str("session_id"));
        }
        p.events->close();
        p.events.reset();
      }
      if (reconnect) p.events = std::make_unique<EventsClient>(port(), p.account.token);
    }
  }

  std::map<std::string, Told> told_;
};

TEST_F(ChaosTest, Kill9AtRandomPointsLosesNoSessionAndLeavesNothingRunning) {
  unsigned seed = std::random_device{}();
  if (const char* fixed = std::getenv("WEBGAMES_CHAOS_SEED"))
    seed = static_cast<unsigned>(std::strtoul(fixed, nullptr, 10));
  std::cout << "chaos seed: " << seed << " (WEBGAMES_CHAOS_SEED=" << seed << " reproduces)" << std::endl;
  RecordProperty("chaos_seed", std::to_string(seed));
  std::mt19937 rng(seed);
  auto between = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };

  start_webgames(fast_flags());
  auto port = this->port();
  create_game("chaos", script_server("good.sh", {{"DURATION_S", "1"}}), duel_queue());
  std::vector<Player> players;
  int next_player = 0;
  constexpr int kKills = 12;
  for (int kill = 0; kill < kKills; ++kill) {
    int pairs = between(1, 3);
    for (int i = 0; i < 2 * pairs; ++i) {
      Player p;
      p.account = guest("chaos-" + std::to_string(next_player++));
      p.events = std::make_unique<EventsClient>(port, p.account.token);
      auto r = queue(p.account, "chaos");
      EXPECT_EQ(r.status, 201u) << r.raw;
      p.ticket = r.str("id");
      players.push_back(std::move(p));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(between(0, 900)));
    webgames().kill9();
    harvest_and_reconnect(players, false);
    std::this_thread::sleep_for(std::chrono::milliseconds(between(0, 300)));
    start_webgames(fast_flags(), port);
    harvest_and_reconnect(players, true);
  }

  // Quiet: every session comes to its end, and no ticket can start another.
  // A session that failed requeues its tickets, and a restart restores the
  // queued ones: a new session may follow any "all ended". So the tickets
  // are read first: none matched (a session that holds it, or one about to
  // be recorded), at most one queued (no partner to match with); only then
  // the sessions. A ticket that is gone does not come back.
  auto all_final = [&] {
    int queued = 0;
    for (const auto& p : players) {
      auto t = call(verb::get, "/v1/tickets/" + p.ticket, {}, p.account.token);
      if (t.status == 404) continue;
      if (t.status != 200 || t.str("state") != "queued") return false;
      if (++queued > 1) return false;
    }
    for (const auto& s : sessions_of("chaos", 200)) {
      auto state = str_of(s, "state");
      if (state != "ended" && state != "failed") return false;
    }
    return true;
  };
  EXPECT_TRUE(eventually(all_final, 20s)) << json::serialize(sessions_of("chaos", 200));
  std::this_thread::sleep_for(500ms);  // the last events reach the streams
  harvest_and_reconnect(players, false);

  std::map<std::string, std::string> token_of;
  for (const auto& p : players) token_of[p.id()] = p.account.token;
  int ended = 0, failed = 0, told = 0;
  for (const auto& v : sessions_of("chaos", 200)) {
    const auto& s = v.as_object();
    auto id = str_of(s, "id");
    auto state = str_of(s, "state");
    if (state == "ended") {
      ++ended;
      EXPECT_TRUE(s.contains("results") && s.at("results").is_array() && !s.at("results").as_array().empty())
          << "ended without results: " << json::serialize(s);
    } else {
      ++failed;
      EXPECT_EQ(state, "failed") << json::serialize(s);
      EXPECT_FALSE(str_of(s, "reason").empty()) << "failed without a reason: " << json::serialize(s);
    }
    for (const auto& player : s.at("players").as_array()) {
      auto pid = str_of(player, "id");
      auto& t = told_[pid];
      bool was_told = (state == "ended" && t.ended.contains(id)) || (state == "failed" && t.failed.contains(id));
      EXPECT_TRUE(was_told) << "player " << pid << " was never told that " << id << " is " << state;
      told += was_told ? 1 : 0;
      auto view = call(verb::get, "/v1/sessions/" + id, {}, token_of[pid]);
      EXPECT_EQ(view.status, 200u) << view.raw;
      EXPECT_EQ(view.str("state"), state) << "player " << pid << " of " << id << ": " << view.raw;
    }
  }
  std::cout << "chaos: " << ended << " sessions ended, " << failed << " failed; players told " << told << std::endl;
  EXPECT_GT(ended + failed, 0) << "no session was recorded";

  expect_no_servers_left(10s);
  for (auto p = port_first(); p <= port_last(); ++p)
    EXPECT_TRUE(eventually([&] { return tcp_port_bindable(p); }, 3s)) << "port " << p << " stays taken";
}

}  // namespace
}  // namespace webgames::testing
