// The console's samples and their history (pure), and the hub's fan-out to
// consoles by scope, fed event texts as the EventBus delivers them.

#include "console/console_sample.h"
#include "console/change_batch.h"
#include "console/console_hub.h"
#include "events/embedded_event_bus.h"

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace webgames::console {
namespace {

namespace json = boost::json;

GameSample game(std::string name, std::string owner, std::int64_t waiting) {
  GameSample g;
  g.game = std::move(name);
  g.owner_id = std::move(owner);
  g.queues.push_back(QueueGlance{"duel", waiting, 1.5, 2});
  g.sessions_by_state["running"] = 1;
  g.servers.push_back(ServerCount{"process", "local", 1});
  g.players_connected = 2;
  g.started = 1;
  g.failed = 1;
  g.failures["crashed"] = 1;
  return g;
}

Sample sample(std::int64_t t) {
  Sample s;
  s.t = t;
  s.games.push_back(game("chess", "acc_ada", 3));
  s.games.push_back(game("go", "acc_bob", 5));
  return s;
}

Scope tenant(std::string owner) {
  Scope s;
  s.owner_id = std::move(owner);
  return s;
}

TEST(ConsoleSample, TravelsThroughJsonUnchanged) {
  auto s = sample(100);
  s.games[0].time_to_play = {0, 3, 1};
  auto back = sample_from_json(json::parse(json::serialize(sample_to_json(s))));
  ASSERT_TRUE(back);
  EXPECT_EQ(json::serialize(sample_to_json(*back)), json::serialize(sample_to_json(s)));
}

TEST(ConsoleSample, QuantilesComeFromTheBucketsOrNull) {
  EXPECT_TRUE(quantile_ms({}, 0.5).is_null());
  EXPECT_TRUE(quantile_ms({0, 0, 0}, 0.5).is_null());
  // Four observations in (0.05 s, 0.1 s]: the median halfway in it.
  EXPECT_EQ(quantile_ms({0, 4}, 0.5).to_number<double>(), 75.0);
  // Beyond the last bound: the last bound.
  std::vector<std::uint64_t> slow(14, 0);
  slow[13] = 1;
  EXPECT_EQ(quantile_ms(slow, 0.99).to_number<double>(), 600'000.0);
}

TEST(ConsoleSample, TheHistoryAnswersInScopeAndKeepsItsCapacity) {
  SampleHistory history(3, 10);
  for (std::int64_t t = 1; t <= 5; ++t) EXPECT_TRUE(history.add(sample(t)));
  EXPECT_FALSE(history.add(sample(5))) << "a replayed sample is kept once";

  auto ada = history.overview(tenant("acc_ada"), TimePoint{std::chrono::seconds(6)});
  EXPECT_EQ(ada.at("scope"), "tenant");
  EXPECT_EQ(ada.at("history").at("samples").as_array().size(), 3u);
  EXPECT_EQ(ada.at("history").at("samples").at(0).at("t"), 3);
  EXPECT_EQ(ada.at("now").at("tickets_waiting"), 3);
  EXPECT_EQ(ada.at("queues").as_array().size(), 1u);
  EXPECT_EQ(ada.at("now").at("failures_last_hour").at(0).at("count"), 3) << "three samples, one failure each";
  EXPECT_EQ(json::serialize(ada).find("go/duel"), std::string::npos);

  auto all = history.overview(Scope{}, TimePoint{std::chrono::seconds(6)});
  EXPECT_EQ(all.at("scope"), "all");
  EXPECT_EQ(all.at("now").at("tickets_waiting"), 8);
  EXPECT_EQ(all.at("now").at("players_connected"), 4);
  EXPECT_EQ(all.at("now").at("servers_running").at(0).at("count"), 2);
  EXPECT_EQ(all.at("now").at("sessions_by_state").at("running"), 2);

  Scope go;
  go.game = "go";
  EXPECT_EQ(history.overview(go, TimePoint{}).at("now").at("tickets_waiting"), 5);
}

TEST(ConsoleHub, ALogoutEndsTheConsolesItsLoginOpenedWithItsCloseReason) {
  ManualClock clock;
  EmbeddedEventBus bus(clock);
  ConsoleHub hub(bus, 360, 10, std::chrono::milliseconds(0));
  boost::asio::io_context io;
  auto out = hub.open(tenant("acc_ada"), io.get_executor(), "lgn_out");
  auto kept = hub.open(tenant("acc_ada"), io.get_executor(), "lgn_kept");
  auto by_key = hub.open(tenant("acc_ada"), io.get_executor());
  hub.revoked("lgn_out", 4003, "logged out");
  hub.revoked("", 4003, "logged out");
  EXPECT_EQ(out->close_reason(), (std::pair<std::uint16_t, std::string>{4003, "logged out"}));
  EXPECT_EQ(kept->close_reason().first, 0);
  EXPECT_EQ(by_key->close_reason().first, 0);
  std::vector<std::string> rest;
  bool ended = false;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        for (;;) {
          auto batch = co_await out->next_batch();
          if (batch.empty()) break;
          rest.insert(rest.end(), batch.begin(), batch.end());
        }
        ended = true;
      },
      boost::asio::detached);
  io.run_for(std::chrono::seconds(1));
  EXPECT_TRUE(ended) << "the logged-out feed ended";
  kept->end();
  by_key->end();
}

TEST(ConsoleHub, EachConsoleGetsItsScopeOnly) {
  ManualClock clock;
  EmbeddedEventBus bus(clock);
  ConsoleHub hub(bus, 360, 10, std::chrono::milliseconds(0));
  boost::asio::io_context io;
  auto ada = hub.open(tenant("acc_ada"), io.get_executor());
  auto root = hub.open(Scope{}, io.get_executor());

  hub.deliver(event_text(1, "overview.sample", sample_to_json(sample(10))));
  hub.deliver(event_text(
      2, "session.changed",
      json::object{{"id", "ses_1"}, {"game", "go"}, {"owner_id", "acc_bob"}, {"state", "ready"}, {"at", "x"}}));
  hub.deliver(event_text(3, "ticket.queued", json::object{}));  // not the console's: ignored
  hub.deliver("session.changed", json::object{{"id", "ses_2"},
                                              {"game", "chess"},
                                              {"owner_id", "acc_ada"},
                                              {"state", "failed"},
                                              {"reason", "r"},
                                              {"at", "y"}});
  ada->end();
  root->end();

  auto drain = [&](ConsoleFeed& feed) {
    std::vector<std::string> frames;
    boost::asio::co_spawn(
        io,
        [&]() -> boost::asio::awaitable<void> {
          for (;;) {
            auto batch = co_await feed.next_batch();
            if (batch.empty()) break;
            frames.insert(frames.end(), batch.begin(), batch.end());
          }
        },
        boost::asio::detached);
    io.run();
    io.restart();
    return frames;
  };
  auto adas = drain(*ada);
  ASSERT_EQ(adas.size(), 2u);
  EXPECT_EQ(
      adas[1],
      R"({"type":"session.changed","data":{"id":"ses_2","game":"chess","state":"failed","reason":"r","at":"y"}})");
  EXPECT_NE(adas[0].find("\"type\":\"overview.sample\""), std::string::npos);
  EXPECT_EQ(adas[0].find("go/duel"), std::string::npos);
  auto roots = drain(*root);
  ASSERT_EQ(roots.size(), 3u);
  EXPECT_EQ(roots[1], R"({"type":"session.changed","data":{"id":"ses_1","game":"go","state":"ready","at":"x"}})");
}

// In the scaled mode a ChangeBatch carries the session changes of each
// interval as one event of the console's stream; the hub hands each console
// one session.changed per change, in order.
TEST(ConsoleHub, BatchedChangesReachEachConsoleOneByOneInOrder) {
  ManualClock clock;
  EmbeddedEventBus bus(clock);
  boost::asio::io_context io;
  {
    ChangeBatch batch(io.get_executor(), bus, std::chrono::milliseconds(1));
    for (auto state : {"starting", "ready", "running"})
      batch.add(json::object{{"id", "ses_1"}, {"game", "go"}, {"owner_id", "acc_bob"}, {"state", state}, {"at", "x"}});
    io.run();  // the batch's timer
    io.restart();
    batch.add(json::object{{"id", "ses_2"}, {"game", "go"}, {"owner_id", "acc_bob"}, {"state", "ended"}, {"at", "y"}});
  }  // published when the batch goes
  auto stream = boost::asio::co_spawn(io, bus.replay(std::string(kConsoleStream), 0), boost::asio::use_future);
  io.run();
  io.restart();
  auto events = stream.get();
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 2u) << "one event per batch";

  ConsoleHub hub(bus, 360, 10, std::chrono::milliseconds(0));
  auto root = hub.open(Scope{}, io.get_executor());
  for (const auto& text : *events) hub.deliver(text);
  root->end();
  std::vector<std::string> states;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        for (;;) {
          auto batch = co_await root->next_batch();
          if (batch.empty()) break;
          for (const auto& frame : batch) {
            auto event = json::parse(frame).as_object();
            EXPECT_EQ(event.at("type"), "session.changed");
            states.emplace_back(event.at("data").at("state").as_string());
          }
        }
      },
      boost::asio::detached);
  io.run();
  EXPECT_EQ(states, (std::vector<std::string>{"starting", "ready", "running", "ended"}));
}

TEST(ConsoleHub, ASlowConsoleMissesSamplesNotMemory) {
  ManualClock clock;
  EmbeddedEventBus bus(clock);
  ConsoleHub hub(bus, 360, 10);
  boost::asio::io_context io;
  auto slow = hub.open(Scope{}, io.get_executor());
  for (std::int64_t t = 1; t <= 20; ++t) hub.deliver(event_text(t, "overview.sample", sample_to_json(sample(t))));
  EXPECT_EQ(slow->dropped_samples(), 19u) << "one sample queued: the latest";
}

}  // namespace
}  // namespace webgames::console
