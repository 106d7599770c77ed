// The real shifumi-server binary, started as Webgames would start it: a fake
// Webgames SDK endpoint records its calls, a fresh key pair signs the join
// tokens, and two TCP clients play.

#include "fake_webgames.h"
#include "support/line_client.h"
#include "support/server_process.h"
#include "test_join_key.h"

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace shifumi {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using testing::free_port;
using testing::LineClient;
using testing::ServerProcess;
using webgames::sdk::testing::FakeWebgames;
using webgames::sdk::testing::TestJoinKey;

std::string type_of(const std::optional<json::object>& m) {
  if (!m || !m->contains("type")) return "(none)";
  return std::string(m->at("type").as_string());
}

class ShifumiServer : public ::testing::Test {
 protected:
  FakeWebgames webgames;
  TestJoinKey key;
  std::uint16_t port = free_port();
  std::map<std::string, std::string, std::less<>> env =
      webgames::sdk::testing::session_variables(webgames.url(), key, "ses_1", port);
  std::unique_ptr<ServerProcess> server;

  // Starts the server and waits until it has told Webgames it is ready.
  void start() {
    server = std::make_unique<ServerProcess>(SHIFUMI_SERVER_PATH, env);
    ASSERT_TRUE(webgames.wait_for("/ready", 1)) << "shifumi-server never said ready";
  }

  // Connects and joins as `player`; returns the client and the welcome.
  std::unique_ptr<LineClient> join(std::string_view player, std::optional<json::object>* welcome = nullptr) {
    auto client = std::make_unique<LineClient>(port);
    client->send({{"type", "join"}, {"token", key.join_token(player, "ses_1")}});
    auto reply = client->read();
    EXPECT_EQ(type_of(reply), "welcome") << (reply ? json::serialize(*reply) : "nothing");
    if (welcome) *welcome = reply;
    return client;
  }

  static void move(LineClient& c, std::string_view m) { c.send({{"type", "move"}, {"move", m}}); }

  json::value end_results() {
    auto calls = webgames.requests_to("/end");
    if (calls.size() != 1) return nullptr;
    return json::parse(calls[0].body).at("results");
  }
};

TEST_F(ShifumiServer, PlaysAMatchToTheEndAndReportsTheWinner) {
  start();
  std::optional<json::object> welcome;
  auto alice = join("acc_a", &welcome);
  EXPECT_EQ(json::serialize(*welcome), R"({"type":"welcome","player":"acc_a","name":"alice","opponent":null})");
  auto bob = join("acc_b", &welcome);
  EXPECT_EQ(welcome->at("opponent"), "alice");
  EXPECT_EQ(json::serialize(*alice->read()), R"({"type":"round","round":1})");
  EXPECT_EQ(json::serialize(*bob->read()), R"({"type":"round","round":1})");

  // Mistakes are answered and forgiven.
  move(*alice, "lizard");
  EXPECT_EQ(alice->read()->at("code"), "bad_move");
  alice->send_line("not json");
  EXPECT_EQ(alice->read()->at("code"), "bad_request");

  move(*alice, "rock");
  move(*alice, "paper");
  EXPECT_EQ(alice->read()->at("code"), "already_moved");
  move(*bob, "scissors");
  for (auto* c : {alice.get(), bob.get()}) {
    EXPECT_EQ(json::serialize(*c->read()),
              R"({"type":"result","round":1,"moves":{"acc_a":"rock","acc_b":"scissors"},"winner":"acc_a",)"
              R"("score":{"acc_a":1,"acc_b":0}})");
    EXPECT_EQ(c->read()->at("round"), 2);
  }

  move(*alice, "paper");  // a draw, replayed as round 3
  move(*bob, "paper");
  for (auto* c : {alice.get(), bob.get()}) {
    auto result = c->read();
    EXPECT_EQ(result->at("winner"), nullptr);
    EXPECT_EQ(c->read()->at("round"), 3);
  }

  move(*bob, "rock");
  move(*alice, "paper");
  for (auto* c : {alice.get(), bob.get()}) {
    EXPECT_EQ(type_of(c->read()), "result");
    EXPECT_EQ(json::serialize(*c->read()),
              R"({"type":"game_over","winner":"acc_a","score":{"acc_a":2,"acc_b":0},"reason":"score"})");
    EXPECT_TRUE(c->closed_by_server());
  }

  EXPECT_EQ(server->wait_exit(), 0);
  EXPECT_EQ(webgames.requests_to("/players/acc_a/connected").size(), 1u);
  EXPECT_EQ(webgames.requests_to("/players/acc_b/connected").size(), 1u);
  EXPECT_EQ(end_results(), json::parse(R"([
      {"player_id":"acc_a","team":0,"score":2,"rank":1,"data":{"rounds":3,"forfeit":false}},
      {"player_id":"acc_b","team":1,"score":0,"rank":2,"data":{"rounds":3,"forfeit":false}}])"));
  for (const auto& call : webgames.requests()) EXPECT_EQ(call.authorization, "Bearer secret-ses_1") << call.target;
}

TEST_F(ShifumiServer, APoolServerPlaysTheMatchItIsAllocated) {
  auto players = env.at("WEBGAMES_PLAYERS");
  env.erase("WEBGAMES_PLAYERS");
  env["WEBGAMES_POOLED"] = "1";
  webgames.answer_next("/allocation?wait=30000ms", 204);  // no match yet: it asks again
  webgames.answer_next("/allocation?wait=30000ms", 200, players);
  start();
  ASSERT_TRUE(webgames.wait_for("/allocation?wait=30000ms", 2));
  std::optional<json::object> welcome;
  auto alice = join("acc_a", &welcome);
  EXPECT_EQ(welcome->at("name"), "alice");
  auto bob = join("acc_b", &welcome);
  EXPECT_EQ(welcome->at("opponent"), "alice");
  EXPECT_EQ(json::serialize(*alice->read()), R"({"type":"round","round":1})");
}

TEST_F(ShifumiServer, RefusesATokenForAnotherSession) {
  start();
  LineClient intruder(port);
  intruder.send({{"type", "join"}, {"token", key.join_token("acc_a", "ses_other")}});
  auto reply = intruder.read();
  EXPECT_EQ(type_of(reply), "error");
  EXPECT_EQ(reply->at("code"), "wrong_session");
  EXPECT_TRUE(intruder.closed_by_server());
  EXPECT_TRUE(webgames.requests_to("/connected").empty());

  // A rightful player still gets in afterwards.
  auto alice = join("acc_a");
  server->signal(SIGTERM);
  EXPECT_EQ(server->wait_exit(), 0);
  EXPECT_TRUE(webgames.requests_to("/end").empty());
}

TEST_F(ShifumiServer, ClosesAConnectionThatSendsAnOverlongLine) {
  start();
  LineClient client(port);
  client.send_line(std::string(5000, 'x'));
  auto reply = client.read();
  EXPECT_EQ(type_of(reply), "error");
  EXPECT_EQ(reply->at("code"), "line_too_long");
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(ShifumiServer, APlayerWhoDoesNotComeBackForfeits) {
  env["SHIFUMI_REJOIN_TIMEOUT_S"] = "1";
  start();
  auto alice = join("acc_a");
  auto bob = join("acc_b");
  EXPECT_EQ(type_of(alice->read()), "round");
  bob->close();
  ASSERT_TRUE(webgames.wait_for("/players/acc_b/disconnected", 1));
  auto over = alice->read(3s);
  EXPECT_EQ(type_of(over), "game_over");
  EXPECT_EQ(over->at("winner"), "acc_a");
  EXPECT_EQ(over->at("reason"), "forfeit");
  EXPECT_EQ(server->wait_exit(), 0);
  auto results = end_results();
  ASSERT_TRUE(results.is_array());
  EXPECT_EQ(results.at(0).at("rank"), 1);
  EXPECT_EQ(results.at(1).at("rank"), 2);
  EXPECT_EQ(results.at(1).at("data").at("forfeit"), true);
}

TEST_F(ShifumiServer, APlayerWhoComesBackPlaysOn) {
  start();
  auto alice = join("acc_a");
  auto bob = join("acc_b");
  EXPECT_EQ(type_of(alice->read()), "round");
  move(*alice, "rock");
  bob->close();
  ASSERT_TRUE(webgames.wait_for("/players/acc_b/disconnected", 1));
  std::optional<json::object> welcome;
  bob = join("acc_b", &welcome);
  EXPECT_EQ(welcome->at("opponent"), "alice");
  EXPECT_EQ(json::serialize(*bob->read()), R"({"type":"round","round":1})");
  move(*bob, "paper");
  EXPECT_EQ(alice->read()->at("winner"), "acc_b");
  EXPECT_EQ(webgames.requests_to("/players/acc_b/connected").size(), 2u);
}

TEST_F(ShifumiServer, EndsWithoutResultsWhenNobodyJoins) {
  env["SHIFUMI_JOIN_TIMEOUT_S"] = "1";
  start();
  EXPECT_EQ(server->wait_exit(5s), 0);
  EXPECT_EQ(end_results(), json::array());
}

}  // namespace
}  // namespace shifumi
