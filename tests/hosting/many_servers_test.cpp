// About twenty servers start together (forty players queue at once): the
// hosting strand, which starts and watches them, must keep answering. It
// once sat 92 s in a blocking wait for a live server, and every request that
// touches hosting waited with it. /metrics shows how late timers fire on
// each event loop and on the hosting strand.

#include "hosting/hosting_test.h"

#include <boost/json/serialize.hpp>

#include <gmock/gmock.h>

#include <set>

namespace webgames::testing {
namespace {

namespace json = boost::json;

class ManyServersTest : public HostingTest {};

TEST_F(ManyServersTest, TwentyServersStartingAtOnceLeaveTheHostingStrandResponsive) {
  constexpr int kPlayers = 40;
  // Heartbeat deadlines with room for a machine that runs twenty bash
  // servers and their curl calls at once.
  start_webgames({"--ready-timeout-ms", "20000", "--heartbeat-interval-ms", "2000", "--missed-heartbeats", "5",
                  "--stop-grace-ms", "500"});
  create_game("crowd", script_server("good.sh", {{"HEARTBEAT_S", "0.5"}}), duel_queue());
  std::vector<Player> players(kPlayers);
  for (int i = 0; i < kPlayers; ++i) {
    players[i].account = guest("crowd-" + std::to_string(i));
    players[i].events = std::make_unique<EventsClient>(port(), players[i].account.token);
  }
  for (auto& p : players) {
    auto r = queue(p.account, "crowd");
    ASSERT_EQ(r.status, 201u) << r.raw;
    p.ticket = r.str("id");
  }
  // While the servers start: every request that needs the hosting strand
  // (a ticket's state is read there) is answered, each within a bound far
  // below the stall it once had (this is a liveness bound, not a speed target).
  for (int round = 0; round < 3; ++round) {
    for (auto& p : players) {
      auto before = std::chrono::steady_clock::now();
      auto r = call(verb::get, "/v1/tickets/" + p.ticket, {}, p.account.token);
      EXPECT_EQ(r.status, 200u) << r.raw;
      EXPECT_LT(std::chrono::steady_clock::now() - before, 5s) << "the hosting strand stalled";
    }
  }
  std::set<std::string> sessions;
  for (auto& p : players) {
    auto ready = expect_event(p, "session.ready", 30s);
    sessions.insert(ready.str("session_id"));
  }
  EXPECT_EQ(sessions.size(), static_cast<std::size_t>(kPlayers / 2));

  auto metrics = call(verb::get, "/metrics");
  ASSERT_EQ(metrics.status, 200u);
  for (std::string series : {"webgames_loop_lag_seconds_count{loop=\"hosting\"}",
                             "webgames_loop_lag_seconds_bucket{loop=\"loop0\",le=\"0.001\"}",
                             "webgames_loop_last_lag_seconds{loop=\"hosting\"}"})
    EXPECT_NE(metrics.raw.find(series), std::string::npos) << "/metrics has no " << series;

  end_sessions();
  for (const auto& id : sessions) wait_session_state("crowd", id, "ended", 20s);
  expect_no_servers_left(10s);
}

}  // namespace
}  // namespace webgames::testing
