#include "simulate/simulation.h"
#include "simulate/demand.h"
#include "simulate/start_latencies.h"

#include <gtest/gtest.h>

namespace webgames::simulate {
namespace {

DemandCurve curve(std::string_view csv) {
  auto parsed = DemandCurve::parse(csv);
  EXPECT_TRUE(parsed) << (parsed ? "" : parsed.error().message);
  return *parsed;
}

SimulationOptions with_latency(double ms, PoolSpec pool = {}) {
  SimulationOptions o;
  o.start_latencies_ms = {ms};
  o.pool = pool;
  o.session_mean_s = 60;
  return o;
}

PoolSpec buffer(int n) {
  PoolSpec spec;
  spec.policy = PoolPolicy::buffer;
  spec.buffer = n;
  return spec;
}

TEST(DemandCurveTest, ReadsRowsWithAHeaderAndCommentsLinearInBetween) {
  auto demand = curve("# a day\nseconds,players_per_second\n0,1\n\n100, 3\n300,3\r\n");
  EXPECT_DOUBLE_EQ(demand.rate_at(0), 1);
  EXPECT_DOUBLE_EQ(demand.rate_at(50), 2);
  EXPECT_DOUBLE_EQ(demand.rate_at(200), 3);
  EXPECT_DOUBLE_EQ(demand.rate_at(1000), 3);  // the curve's end holds
  EXPECT_DOUBLE_EQ(demand.end_s(), 300);
  EXPECT_DOUBLE_EQ(demand.max_rate(), 3);
}

TEST(DemandCurveTest, RefusesWhatIsNotACurveNamingTheLine) {
  for (auto [csv, line] :
       std::vector<std::pair<std::string_view, std::string_view>>{{"0,1\n10,x\n", "line 2"},
                                                                  {"0,1\n0,2\n", "line 2"},
                                                                  {"0,1\n5,-1\n", "line 2"},
                                                                  {"0,1\n5,1e9\n", "line 2"},
                                                                  {"0,1\n5,nan\n", "line 2"},
                                                                  {"seconds,rate\nstill,header\n", "line 2"},
                                                                  {"0;1\n1;2\n", "line 2"}}) {
    auto parsed = DemandCurve::parse(csv);
    ASSERT_FALSE(parsed) << csv;
    EXPECT_EQ(parsed.error().code, Errc::invalid_field);
    EXPECT_EQ(parsed.error().field, "demand");
    EXPECT_NE(parsed.error().message.find(line), std::string::npos) << parsed.error().message;
  }
  EXPECT_FALSE(DemandCurve::parse(""));
  EXPECT_FALSE(DemandCurve::parse("# only a comment\n"));
}

TEST(StartLatenciesTest, ReadsMillisecondsAndRefusesTheRest) {
  auto ok = parse_start_latencies("# measured\n1.5\n 220\n");
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, (std::vector<double>{1.5, 220}));
  for (auto bad : {"", "0\n", "-3\n", "12ms\n", "1e9\n", "inf\n"}) {
    auto r = parse_start_latencies(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().field, "latencies");
  }
}

TEST(SimulationTest, WithoutAPoolEveryMatchWaitsForAColdStart) {
  auto result = run_simulation(curve("0,4\n600,4\n"), with_latency(220));
  EXPECT_GT(result.matches, 1000u);  // 4 players/s for 10 minutes, 2 per match
  EXPECT_EQ(result.cold_starts, result.matches);
  EXPECT_NEAR(result.ttp_p50_ms, 220, 1e-6);
  EXPECT_NEAR(result.ttp_p99_ms, 220, 1e-6);
  EXPECT_DOUBLE_EQ(result.idle_server_s, 0);
  // Every match's server serves about a session's length (60 s) plus its start.
  EXPECT_NEAR(result.served_server_s / static_cast<double>(result.matches), 60.22, 6);
}

TEST(SimulationTest, ABufferServesFromReadyServersAndPaysForThemIdle) {
  auto result = run_simulation(curve("0,0.2\n3600,0.2\n"), with_latency(220, buffer(3)));
  EXPECT_GT(result.matches, 300u);
  EXPECT_DOUBLE_EQ(result.ttp_p99_ms, 0);  // one match every 10 s never drains 3 ready servers
  EXPECT_EQ(result.cold_starts, 0u);
  // Three servers idle the whole hour, then the pool drains.
  EXPECT_NEAR(result.idle_server_s, 3 * 3600, 60);
  EXPECT_NEAR(result.idle_ratio, result.idle_server_s / result.served_server_s, 1e-9);
}

TEST(SimulationTest, TheSameSeedGivesTheSameFiguresAndAnotherSeedOthers) {
  auto demand = curve("0,1\n1800,6\n3600,1\n");
  PoolSpec predictive;
  predictive.policy = PoolPolicy::predictive;
  auto options = with_latency(300, predictive);
  options.start_latencies_ms = {150, 220, 260, 400, 900};
  auto a = run_simulation(demand, options);
  auto b = run_simulation(demand, options);
  EXPECT_EQ(a.matches, b.matches);
  EXPECT_DOUBLE_EQ(a.idle_server_s, b.idle_server_s);
  EXPECT_DOUBLE_EQ(a.ttp_p99_ms, b.ttp_p99_ms);
  options.seed = 2;
  EXPECT_NE(run_simulation(demand, options).players, a.players);
}

TEST(SimulationTest, AnEngineThatStartsOnlySoManyMakesColdStartsQueue) {
  auto demand = curve("0,20\n120,20\n");  // 10 matches/s
  auto free_engine = run_simulation(demand, with_latency(200));
  auto options = with_latency(200);
  options.max_starts_per_s = 5;  // half of what is asked
  auto slow_engine = run_simulation(demand, options);
  EXPECT_NEAR(free_engine.ttp_p99_ms, 200, 1e-6);
  EXPECT_GT(slow_engine.ttp_p99_ms, 10'000);  // a backlog of a minute's half
}

TEST(SimulationTest, PredictiveBeatsSmallBuffersOnTimeToPlayAndLargeOnesOnIdle) {
  // Quiet, busy, quiet: a fixed buffer is either too small at the peak or idle in the quiet.
  auto demand = curve("0,0.5\n3600,0.5\n4000,8\n7200,8\n7600,0.5\n10800,0.5\n");
  PoolSpec predictive;
  predictive.policy = PoolPolicy::predictive;
  auto options = with_latency(0, predictive);
  options.start_latencies_ms = {180, 200, 220, 240, 400};
  auto smart = run_simulation(demand, options);
  options.pool = buffer(2);
  auto small = run_simulation(demand, options);
  options.pool = buffer(8);
  auto large = run_simulation(demand, options);
  EXPECT_LT(smart.ttp_p99_ms, small.ttp_p99_ms);
  EXPECT_LT(smart.idle_server_s, large.idle_server_s);
  EXPECT_LE(smart.ttp_p99_ms, 100);
}

}  // namespace
}  // namespace webgames::simulate
