// /metrics against docs/operations.md, after real matches on the process
// runtime: one session that plays and ends, one whose server cannot start,
// and a ticket cancelled. Every metric the table lists as `always` is
// exposed with samples and exactly its documented labels, nothing else is
// exposed, and the counters and histograms count what happened.

#include "hosting/hosting_test.h"
#include "support/metrics_text.h"

#include <fmt/format.h>
#include <gmock/gmock.h>

namespace webgames::testing {
namespace {

class MetricsTest : public HostingTest {
 protected:
  Exposition scrape() {
    auto r = call(verb::get, "/metrics");
    EXPECT_EQ(r.status, 200u);
    auto e = parse_exposition(r.raw);
    EXPECT_THAT(e.errors, ::testing::IsEmpty()) << r.raw;
    return e;
  }
  double value(const Exposition& e, const std::string& name, const std::map<std::string, std::string>& labels) {
    auto v = e.value(name, labels);
    EXPECT_TRUE(v) << "no single sample " << name << " with the labels given";
    return v.value_or(-1);
  }
};

TEST_F(MetricsTest, WhatIsExposedIsWhatOperationsMdDocumentsAndCountsWhatHappened) {
  start_webgames(fast_flags());
  create_game("metrics-duel", script_server("good.sh"), duel_queue());
  auto broken = script_server("good.sh");
  broken["command"] = (scratch() / "no-such-server").string();
  create_game("metrics-broken", broken, duel_queue());

  // A match that plays: ready, then (once the server is counted) ended.
  auto a = join_queue("device-a", "metrics-duel");
  auto b = join_queue("device-b", "metrics-duel");
  for (auto* p : {&a, &b}) expect_event(*p, "session.ready");
  const std::map<std::string, std::string> local_process{{"runtime", "process"}, {"node", "local"}};
  EXPECT_TRUE(eventually([&] { return scrape().value("webgames_servers_running", local_process) == 1.0; }, 5s))
      << "the running server is not counted";
  EXPECT_EQ(value(scrape(), "webgames_ports_in_use", {{"node", "local"}}), 1);
  end_sessions();
  for (auto* p : {&a, &b}) expect_event(*p, "session.ended");

  // A match whose server cannot start; a ticket cancelled.
  auto c = join_queue("device-c", "metrics-broken");
  auto d = join_queue("device-d", "metrics-broken");
  for (auto* p : {&c, &d}) expect_event(*p, "session.failed");
  auto e = join_queue("device-e", "metrics-duel");
  EXPECT_EQ(call(verb::delete_, "/v1/tickets/" + e.ticket, {}, e.account.token).status, 204u);
  expect_no_servers_left();
  EXPECT_TRUE(eventually([&] { return scrape().value("webgames_servers_running", local_process) == 0.0; }, 5s));

  auto exposed = scrape();
  auto documented = read_metrics_table(WEBGAMES_SOURCE_DIR "/docs/operations.md");
  ASSERT_GT(documented.size(), 20u) << "docs/operations.md's table of metrics was not found";
  for (const auto& [name, doc] : documented) {
    auto it = exposed.metrics.find(name);
    if (doc.when != "always") {
      EXPECT_EQ(it, exposed.metrics.end()) << name << " is documented for " << doc.when << " only";
      continue;
    }
    if (it == exposed.metrics.end()) {
      ADD_FAILURE() << name << " is documented but not exposed";
      continue;
    }
    EXPECT_EQ(it->second.type, doc.type) << name;
    EXPECT_GT(it->second.samples, 0u) << name << " has no sample to check its labels by";
    EXPECT_EQ(it->second.label_names, doc.label_names) << name << ": labels exposed differ from documented";
  }
  for (const auto& [name, metric] : exposed.metrics)
    EXPECT_TRUE(documented.contains(name)) << name << " is exposed but not in docs/operations.md's table";

  // What happened, counted.
  const std::map<std::string, std::string> duel{{"game", "metrics-duel"}, {"runtime", "process"}};
  const std::map<std::string, std::string> broke{{"game", "metrics-broken"}, {"runtime", "process"}};
  EXPECT_EQ(value(exposed, "webgames_sessions_started_total", duel), 1);
  EXPECT_EQ(value(exposed, "webgames_sessions_ended_total", duel), 1);
  EXPECT_EQ(value(exposed, "webgames_sessions_started_total", broke), 1);
  EXPECT_EQ(value(exposed, "webgames_sessions_ended_total", broke), 0);
  auto failed = [&](const std::map<std::string, std::string>& game, const std::string& reason) {
    auto labels = game;
    labels["reason"] = reason;
    return value(exposed, "webgames_sessions_failed_total", labels);
  };
  EXPECT_EQ(failed(broke, "launch_failed"), 1);
  EXPECT_EQ(failed(broke, "crashed"), 0);
  EXPECT_EQ(failed(duel, "launch_failed"), 0);
  std::size_t reasons = 0;
  for (const auto& s : exposed.samples)
    if (s.name == "webgames_sessions_failed_total" && s.labels.at("game") == "metrics-duel") ++reasons;
  EXPECT_EQ(reasons, 10u) << "every kind of reason starts at zero with the game's first session";

  const std::map<std::string, std::string> duel_queue{{"game", "metrics-duel"}, {"queue", "duel"}};
  EXPECT_EQ(value(exposed, "webgames_tickets_created_total", duel_queue), 3);
  EXPECT_EQ(value(exposed, "webgames_tickets_matched_total", duel_queue), 2);
  EXPECT_EQ(value(exposed, "webgames_tickets_cancelled_total", duel_queue), 1);
  EXPECT_EQ(value(exposed, "webgames_tickets_expired_total", duel_queue), 0);
  EXPECT_EQ(value(exposed, "webgames_matches_formed_total", duel_queue), 1);
  EXPECT_EQ(value(exposed, "webgames_matches_formed_total", {{"game", "metrics-broken"}, {"queue", "duel"}}), 1);

  EXPECT_EQ(value(exposed, "webgames_session_time_to_ready_seconds_count", {{"game", "metrics-duel"}}), 1);
  EXPECT_EQ(value(exposed, "webgames_time_to_play_seconds_count", {{"game", "metrics-duel"}}), 2);
  EXPECT_GT(value(exposed, "webgames_time_to_play_seconds_sum", {{"game", "metrics-duel"}}), 0);
  EXPECT_FALSE(exposed.value("webgames_time_to_play_seconds_count", {{"game", "metrics-broken"}}))
      << "nobody of the broken game got an assignment";

  // Five players hold their event streams; nobody uses the relay.
  EXPECT_EQ(value(exposed, "webgames_websocket_connections", {{"route", "/v1/events"}}), 5);
  EXPECT_EQ(value(exposed, "webgames_websocket_connections", {{"route", "/v1/sessions/{session}/connect"}}), 0);
  EXPECT_EQ(value(exposed, "webgames_sessions", {{"state", "running"}}), 0);
  EXPECT_EQ(value(exposed, "webgames_ports_in_use", {{"node", "local"}}), 0);
  EXPECT_EQ(value(exposed, "webgames_ports_free", {{"node", "local"}}),
            static_cast<double>(port_last() - port_first() + 1));
}

}  // namespace
}  // namespace webgames::testing
