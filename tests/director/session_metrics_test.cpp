// SessionMetrics alone: failure kinds the director's own texts do not show
// in director_test.cpp, and the snapshot gauges.

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

TEST(SessionMetrics, AGamesFirstSessionStartsEveryFailureKindAtZero) {
  SessionMetrics m;
  m.started("duel", "process");
  m.failed("duel", "process", "the server missed 3 heartbeats");
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

}  // namespace
}  // namespace webgames
