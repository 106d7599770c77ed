// The real arena-server binary, started as Webgames would start it: a fake
// Webgames SDK endpoint records its calls, a fresh key pair signs the join
// tokens, and TCP clients play, some of them badly.

#include "fake_webgames.h"
#include "support/line_client.h"
#include "support/server_process.h"
#include "test_join_key.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmath>

namespace arena {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using shifumi::testing::free_port;
using shifumi::testing::LineClient;
using shifumi::testing::ServerProcess;
using webgames::sdk::testing::FakeWebgames;
using webgames::sdk::testing::TestJoinKey;

std::string type_of(const std::optional<json::object>& m) {
  if (!m || !m->contains("type")) return "(none)";
  return std::string(m->at("type").as_string());
}

class ArenaServer : public ::testing::Test {
 protected:
  FakeWebgames webgames;
  TestJoinKey key;
  std::uint16_t port = free_port();
  std::map<std::string, std::string, std::less<>> env =
      webgames::sdk::testing::session_variables(webgames.url(), key, "ses_1", port);
  std::unique_ptr<ServerProcess> server;

  void start() {
    server = std::make_unique<ServerProcess>(ARENA_SERVER_PATH, env);
    ASSERT_TRUE(webgames.wait_for("/ready", 1)) << "arena-server never said ready";
  }

  std::unique_ptr<LineClient> join(std::string_view player) {
    auto client = std::make_unique<LineClient>(port);
    client->send({{"type", "join"}, {"token", key.join_token(player, "ses_1")}});
    auto reply = client->read();
    EXPECT_EQ(type_of(reply), "welcome") << (reply ? json::serialize(*reply) : "nothing");
    return client;
  }

  // The next message of `type`, skipping others (states come every tick).
  static std::optional<json::object> next(LineClient& c, std::string_view type, int limit = 1000) {
    for (int i = 0; i < limit; ++i) {
      auto m = c.read();
      if (!m) return std::nullopt;
      if (type_of(m) == type) return m;
    }
    return std::nullopt;
  }

  json::value end_results() {
    auto calls = webgames.requests_to("/end");
    if (calls.size() != 1) return nullptr;
    return json::parse(calls[0].body).at("results");
  }
};

TEST_F(ArenaServer, AnswersHostileInputAndPlaysTheMatchToItsEnd) {
  env["ARENA_COUNTDOWN_MS"] = "0";
  env["ARENA_HP"] = "1";
  start();
  auto alice = join("acc_a");
  auto lobby = next(*alice, "lobby");
  ASSERT_TRUE(lobby);
  EXPECT_EQ(json::serialize(lobby->at("connected")), R"(["acc_a"])");

  // Mistakes are answered, named, and forgiven.
  alice->send_line("not json");
  EXPECT_EQ(next(*alice, "error")->at("code"), "bad_request");
  alice->send_line(R"({"type":"input","seq":1,"dx":5,"dy":0})");
  auto bad = next(*alice, "error");
  EXPECT_EQ(bad->at("code"), "bad_input");
  EXPECT_EQ(bad->at("reason"), "dx must be -1, 0 or 1");
  alice->send({{"type", "join"}, {"token", key.join_token("acc_a", "ses_1")}});
  EXPECT_EQ(next(*alice, "error")->at("code"), "already_joined");
  alice->send_line(std::string(3000, '['));
  EXPECT_EQ(next(*alice, "error")->at("code"), "bad_request");

  auto bob = join("acc_b");
  auto first = next(*bob, "state");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->at("phase"), "playing");
  EXPECT_EQ(first->at("players").as_array().size(), 2u);

  // A flood: about the burst is answered, the rest dropped with one rate_limited.
  for (int i = 0; i < 100; ++i) bob->send({{"type", "ping"}, {"id", i}});
  int pongs = 0;
  bool limited = false;
  for (int i = 0; i < 1000 && !limited; ++i) {
    auto m = bob->read();
    ASSERT_TRUE(m) << "bob's connection ended";
    if (type_of(m) == "pong") ++pongs;
    if (type_of(m) == "error") {
      EXPECT_EQ(m->at("code"), "rate_limited");
      limited = true;
    }
  }
  EXPECT_TRUE(limited);
  EXPECT_GE(pongs, 1);
  EXPECT_LT(pongs, 100);

  // Alice (top-left) shoots Bob (bottom-right): one hit is enough here.
  alice->send({{"type", "input"}, {"seq", 2}, {"dx", 0}, {"dy", 0}, {"aim", std::atan2(440, 640)}, {"fire", true}});
  for (auto* c : {alice.get(), bob.get()}) {
    auto over = next(*c, "game_over", 5000);
    ASSERT_TRUE(over);
    EXPECT_EQ(over->at("reason"), "last_standing");
    EXPECT_EQ(over->at("winner"), "acc_a");
    EXPECT_TRUE(c->closed_by_server());
  }
  ASSERT_TRUE(webgames.wait_for("/end", 1));
  auto results = end_results();
  ASSERT_TRUE(results.is_array()) << results;
  for (const auto& r : results.as_array()) {
    bool a = r.at("player_id") == "acc_a";
    EXPECT_EQ(r.at("rank"), a ? 1 : 2) << r;
    EXPECT_EQ(r.at("team"), a ? 0 : 1) << r;
    EXPECT_EQ(r.at("score").to_number<double>(), a ? 1 : 0) << r;
  }
  EXPECT_EQ(server->wait_exit(), 0);
  EXPECT_EQ(webgames.requests_to("/players/acc_a/connected").size(), 1u);
}

TEST_F(ArenaServer, ALonePlayerWinsByForfeitWhenTheOtherNeverComes) {
  env["ARENA_JOIN_TIMEOUT_S"] = "1";
  start();
  auto alice = join("acc_a");
  auto over = next(*alice, "game_over");
  ASSERT_TRUE(over);
  EXPECT_EQ(over->at("reason"), "forfeit");
  EXPECT_EQ(over->at("winner"), "acc_a");
  ASSERT_TRUE(webgames.wait_for("/end", 1));
  auto results = end_results();
  ASSERT_TRUE(results.is_array());
  ASSERT_EQ(results.as_array().size(), 2u);
  for (const auto& r : results.as_array()) EXPECT_EQ(r.at("rank"), r.at("player_id") == "acc_a" ? 1 : 2) << r;
  EXPECT_EQ(server->wait_exit(), 0);
}

TEST_F(ArenaServer, APlayerWhoLeavesStaysInTheMatchAndComesBackAndTheTimeLimitEndsItInADraw) {
  env["ARENA_COUNTDOWN_MS"] = "0";
  env["ARENA_TIME_LIMIT_S"] = "5";
  start();
  auto alice = join("acc_a");
  auto bob = join("acc_b");
  ASSERT_TRUE(next(*bob, "state"));
  bob.reset();  // gone without a word
  auto away = [](const json::object& state) { return state.at("players").as_array()[1].at("connected") == false; };
  bool seen_away = false;
  for (int i = 0; i < 300 && !seen_away; ++i) {
    auto state = next(*alice, "state");
    ASSERT_TRUE(state);
    seen_away = away(*state);
  }
  EXPECT_TRUE(seen_away) << "the states show bob away";
  EXPECT_TRUE(webgames.wait_for("/players/acc_b/disconnected", 1));

  // Bob comes back; Alice joins again from another connection, which replaces the first.
  auto back = std::make_unique<LineClient>(port);
  back->send({{"type", "join"}, {"token", key.join_token("acc_b", "ses_1")}});
  auto welcome = next(*back, "welcome");
  ASSERT_TRUE(welcome);
  EXPECT_EQ(welcome->at("phase"), "playing");
  auto again = join("acc_a");
  EXPECT_EQ(next(*alice, "error")->at("code"), "replaced");
  EXPECT_TRUE(alice->closed_by_server());

  for (auto* c : {again.get(), back.get()}) {
    auto over = next(*c, "game_over", 1000);
    ASSERT_TRUE(over);
    EXPECT_EQ(over->at("reason"), "time_limit");
    EXPECT_EQ(over->at("winner"), nullptr) << "both untouched: a draw";
  }
  ASSERT_TRUE(webgames.wait_for("/end", 1));
  auto results = end_results();
  ASSERT_TRUE(results.is_array());
  for (const auto& r : results.as_array()) EXPECT_EQ(r.at("rank"), 1) << r;
  EXPECT_EQ(server->wait_exit(), 0);
}

TEST_F(ArenaServer, RefusesASettingOutOfRange) {
  env["ARENA_TICK_RATE"] = "10";
  server = std::make_unique<ServerProcess>(ARENA_SERVER_PATH, env);
  EXPECT_EQ(server->wait_exit(), 1);
  EXPECT_TRUE(webgames.requests_to("/ready").empty());
}

}  // namespace
}  // namespace arena
