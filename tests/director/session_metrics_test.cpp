// SessionMetrics alone: failure kinds the director's own texts do not show
// in director_test.cpp, the snapshot gauges, and the console's totals by
// game id.

#include "director/session_metrics.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace webgames {
namespace {

TEST(FailureKind, QuotaHoldsAndUnknownReasons) {
  EXPECT_EQ(failure_kind("no server could be allocated within 30.0 s: quota servers: the developer's games run 2 of 2 "
                         "servers allowed"),
            "quota_timeout");
  EXPECT_EQ(failure_kind("no server could be allocated within 30.0 s: no free port in 7000-7001"), "no_capacity");
  EXPECT_EQ(failure_kind("the session could not be recorded"), "record_failed");
  EXPECT_EQ(failure_kind("webgames restarted before the server started"), "lost_on_restart");
  EXPECT_EQ(failure_kind("something nobody wrote yet"), "other");
  EXPECT_EQ(failure_kind(""), "other");
  for (auto kind : kFailureKinds) EXPECT_FALSE(kind.empty());
}

Session session_of(std::string game_id, std::string game, std::string owner_id, std::string reason = {}) {
  Session s;
  s.game_id = std::move(game_id);
  s.game = std::move(game);
  s.owner_id = std::move(owner_id);
  s.runtime = "process";
  s.reason = std::move(reason);
  return s;
}

TEST(SessionMetrics, AGamesFirstSessionStartsEveryFailureKindAtZero) {
  SessionMetrics m;
  m.started(session_of("gam_1", "duel", "acc_ada"));
  m.failed(session_of("gam_1", "duel", "acc_ada", "the server missed 3 heartbeats"));
  auto text = m.render();
  EXPECT_NE(text.find(R"(webgames_sessions_ended_total{game="duel",runtime="process"} 0)"), std::string::npos);
  EXPECT_NE(text.find(R"(webgames_sessions_failed_total{game="duel",runtime="process",reason="heartbeat_lost"} 1)"),
            std::string::npos)
      << text;
  for (auto kind : kFailureKinds)
    EXPECT_NE(text.find(fmt::format(R"(reason="{}"}})", kind)), std::string::npos) << kind;
}

TEST(SessionMetrics, ASnapshotZeroesWhatItNoLongerHas) {
  SessionMetrics m;
  m.set_servers({{{"swarm", "node-a"}, 2}, {{"swarm", "node-b"}, 1}});
  m.set_ports({{"node-a", 2}}, 1000);
  m.set_servers({{{"swarm", "node-b"}, 3}});
  m.set_ports({{"node-b", 1}}, 1000);
  auto text = m.render();
  EXPECT_NE(text.find(R"(webgames_servers_running{runtime="swarm",node="node-a"} 0)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(webgames_servers_running{runtime="swarm",node="node-b"} 3)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(webgames_ports_in_use{node="node-a"} 0)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(webgames_ports_free{node="node-a"} 1000)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(webgames_ports_free{node="node-b"} 999)"), std::string::npos) << text;
}

// A name deleted by one developer and registered again by another is two
// games to the console: each keeps its own counts and its own owner.
TEST(SessionMetrics, TotalsAreKeptByGameIdNotByName) {
  SessionMetrics m;
  auto adas = session_of("gam_1", "duel", "acc_ada");
  auto bobs = session_of("gam_2", "duel", "acc_bob");
  m.started(adas);
  m.started(adas);
  m.assigned(adas, std::chrono::milliseconds(70));
  m.started(bobs);
  m.ended(bobs);
  auto totals = m.totals();
  ASSERT_EQ(totals.size(), 2u);
  EXPECT_EQ(totals["gam_1"].owner_id, "acc_ada");
  EXPECT_EQ(totals["gam_1"].started, 2u);
  EXPECT_EQ(totals["gam_1"].ended, 0u);
  ASSERT_EQ(totals["gam_1"].time_to_play.size(), std::size(metrics::kWaitBuckets) + 1);
  EXPECT_EQ(totals["gam_1"].time_to_play[1], 1u);  // 70 ms: the bucket up to 0.1 s
  EXPECT_EQ(totals["gam_2"].owner_id, "acc_bob");
  EXPECT_EQ(totals["gam_2"].started, 1u);
  EXPECT_EQ(totals["gam_2"].ended, 1u);
  EXPECT_TRUE(totals["gam_2"].time_to_play.empty());
  // Prometheus labels by name, a bounded label: there the two are one series.
  EXPECT_NE(m.render().find(R"(webgames_sessions_started_total{game="duel",runtime="process"} 3)"), std::string::npos);
}

TEST(SessionMetrics, TheGameCountedLeastRecentlyIsForgottenPastTheCap) {
  SessionMetrics m;
  for (std::size_t i = 0; i < SessionMetrics::kMaxTotals; ++i)
    m.started(session_of(fmt::format("gam_{}", i), "g", "acc_ada"));
  m.ended(session_of("gam_0", "g", "acc_ada"));  // counted again: now gam_1 is the oldest
  m.started(session_of("gam_new", "g", "acc_ada"));
  auto totals = m.totals();
  EXPECT_EQ(totals.size(), SessionMetrics::kMaxTotals);
  EXPECT_TRUE(totals.contains("gam_0"));
  EXPECT_FALSE(totals.contains("gam_1"));
  EXPECT_TRUE(totals.contains("gam_new"));
}

}  // namespace
}  // namespace webgames
