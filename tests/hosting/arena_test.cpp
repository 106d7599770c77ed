// Arena, the real-time game, hosted for real: 2 and then 4 guests queue,
// `webgames serve` starts the real arena-server through the process
// runtime, and scripted players connect through the API's relay
// (GET /v1/sessions/{id}/connect). One player, the hunter, aims at the
// nearest opponent and holds fire; the others stand still. The match ends
// with one left, and the session records everyone's rank, which rates them.
//
// Skipped when arena-server has not been built, unless CI is set.

#include "hosting/hosting_test.h"
#include "hosting/relay_client.h"
#include "hosting/shifumi_server.h"

#include <boost/json/serialize.hpp>

#include <gmock/gmock.h>

#include <unistd.h>

#include <cmath>
#include <limits>
#include <map>

namespace webgames::testing {
namespace {

namespace json = boost::json;

std::string arena_server() {
  if (const char* p = std::getenv("ARENA_SERVER_PATH"); p != nullptr && *p != '\0') return p;
  return ARENA_SERVER_PATH;
}

class ArenaTest : public HostingTest {
 protected:
  void SetUp() override {
    HostingTest::SetUp();
    if (::access(arena_server().c_str(), X_OK) != 0) {
      if (ci_is_set()) FAIL() << "arena-server is missing at " << arena_server() << " (CI is set)";
      GTEST_SKIP() << "arena-server is not built at " << arena_server() << "; under CI=true this fails";
    }
    start_webgames(shifumi_serve_flags());
    // No countdown, so that the test is short; the match itself is the real one.
    json::object server{
        {"command", arena_server()},
        {"env",
         json::object{{"ARENA_COUNTDOWN_MS", "0"}, {"ARENA_TIME_LIMIT_S", "60"}, {"ARENA_JOIN_TIMEOUT_S", "20"}}},
        {"ports", json::array{json::object{{"name", "game"}, {"protocol", "tcp"}},
                              json::object{{"name", "ws"}, {"protocol", "ws"}}}},
        {"max_duration_s", 120}};
    // "ffa" as in examples/arena/game.toml but starting at once with two;
    // "four" waits for four.
    json::array queues{json::object{{"name", "ffa"},
                                    {"teams", 4},
                                    {"team_size", 1},
                                    {"min_players", 2},
                                    {"rules", json::object{{"start_below_max_after_s", 0}}}},
                       json::object{{"name", "four"}, {"teams", 4}, {"team_size", 1}}};
    create_game("arena", server, queues);
  }

  struct Client {
    Player* player = nullptr;
    std::unique_ptr<RelayClient> relay;
    std::string id;
    int slot = -1;
    std::optional<json::object> game_over;
    int states = 0;
    std::int64_t last_tick = -1;
  };

  // `n` guests queue in `queue` and join their session through the relay;
  // the session id, and the clients by slot once welcomed.
  std::string start_match(std::vector<Player>& players, std::vector<Client>& clients, const std::string& queue) {
    std::string session;
    std::vector<std::string> tokens;
    for (auto& p : players) {
      auto ready = expect_event(p, "session.ready", 30s);
      if (session.empty()) session = ready.str("session_id");
      EXPECT_EQ(ready.str("session_id"), session) << "everyone in one match";
      tokens.push_back(ready.str("join_token"));
    }
    std::vector<Client> joined(players.size());
    for (std::size_t i = 0; i < players.size(); ++i) {
      Client c;
      c.player = &players[i];
      c.relay = std::make_unique<RelayClient>(port(), "/v1/sessions/" + session + "/connect?token=" + tokens[i]);
      EXPECT_TRUE(c.relay->open()) << c.relay->status() << " " << c.relay->error_code();
      c.relay->send({{"type", "join"}, {"token", tokens[i]}});
      auto welcome = c.relay->read_until({"welcome"});
      if (!welcome) {
        ADD_FAILURE() << "no welcome for " << players[i].id() << " in " << queue;
        return "";
      }
      c.id = str_of(*welcome, "player");
      EXPECT_EQ(c.id, players[i].id());
      EXPECT_EQ(welcome->at("tick_rate").as_int64(), 30);
      for (const auto& p : welcome->at("players").as_array())
        if (str_of(p, "id") == c.id) c.slot = static_cast<int>(p.at("slot").as_int64());
      EXPECT_GE(c.slot, 0);
      if (c.slot >= 0 && c.slot < static_cast<int>(joined.size())) joined[c.slot] = std::move(c);
    }
    clients = std::move(joined);
    return session;
  }

  // Every client reads its messages in turn (they all get one state per
  // tick) until each has its game_over. The hunter (slot 0) aims at the
  // nearest living opponent and holds fire; the others never send a thing.
  static void play_to_the_end(std::vector<Client>& clients) {
    auto& hunter = clients[0];
    std::int64_t seq = 0, hunter_ack = 0;
    std::string target;
    auto deadline = std::chrono::steady_clock::now() + 60s;
    auto all_over = [&] {
      for (const auto& c : clients)
        if (!c.game_over) return false;
      return true;
    };
    while (!all_over()) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "no game_over within 60 s";
      for (auto& c : clients) {
        if (c.game_over) continue;
        auto m = c.relay->read();
        ASSERT_TRUE(m) << c.id << ": the connection ended before game_over";
        auto type = type_of(*m);
        if (type == "game_over") {
          c.game_over = *m;
          continue;
        }
        if (type == "error") FAIL() << c.id << " got an error: " << json::serialize(*m);
        if (type != "state") continue;
        // One state per tick, in order.
        auto tick = m->at("tick").as_int64();
        EXPECT_GT(tick, c.last_tick);
        EXPECT_EQ(m->at("time_ms").as_int64(), tick * 1000 / 30);
        c.last_tick = tick;
        ++c.states;
        if (&c != &hunter) continue;
        // The inputs applied so far: never one not sent yet.
        EXPECT_LE(m->at("ack").as_int64(), seq) << json::serialize(*m);
        hunter_ack = std::max(hunter_ack, m->at("ack").as_int64());
        double hx = 0, hy = 0, best = std::numeric_limits<double>::max();
        const auto& ps = m->at("players").as_array();
        for (const auto& p : ps)
          if (str_of(p, "id") == hunter.id) {
            hx = p.at("x").to_number<double>();
            hy = p.at("y").to_number<double>();
          }
        std::string nearest;
        double aim = 0;
        for (const auto& p : ps) {
          if (str_of(p, "id") == hunter.id || !p.at("alive").as_bool()) continue;
          double dx = p.at("x").to_number<double>() - hx, dy = p.at("y").to_number<double>() - hy;
          if (std::hypot(dx, dy) < best) {
            best = std::hypot(dx, dy);
            nearest = str_of(p, "id");
            aim = std::atan2(dy, dx);
          }
        }
        if (!nearest.empty() && nearest != target) {
          target = nearest;
          hunter.relay->send({{"type", "input"}, {"seq", ++seq}, {"dx", 0}, {"dy", 0}, {"aim", aim}, {"fire", true}});
        }
      }
    }
    EXPECT_GE(hunter_ack, 1) << "the states acknowledge the hunter's inputs";
  }

  // The game_over every client got, and the session's recorded results:
  // the hunter first, the others ranked 2, 3, … in the order they fell.
  void expect_results(std::vector<Client>& clients, const std::string& session, const std::string& queue) {
    const auto& hunter = clients[0];
    for (auto& c : clients) {
      ASSERT_TRUE(c.game_over);
      EXPECT_EQ(str_of(*c.game_over, "reason"), "last_standing") << json::serialize(*c.game_over);
      EXPECT_EQ(str_of(*c.game_over, "winner"), hunter.id) << json::serialize(*c.game_over);
      EXPECT_GT(c.states, 10) << "states every tick";
      EXPECT_EQ(c.relay->wait_close(), 1000) << "the server closes after game_over";
    }
    std::map<std::string, std::int64_t> told;
    for (const auto& s : clients[1].game_over->at("standings").as_array())
      told[str_of(s, "player")] = s.at("rank").as_int64();

    auto record = wait_session_state("arena", session, "ended", 15s);
    const auto& results = record.at("results").as_array();
    ASSERT_EQ(results.size(), clients.size()) << json::serialize(record);
    std::vector<std::int64_t> ranks;
    for (const auto& r : results) {
      auto id = str_of(r, "player_id");
      EXPECT_EQ(r.at("rank").as_int64(), told[id]) << json::serialize(r);
      EXPECT_EQ(r.at("rank").as_int64() == 1, id == hunter.id) << json::serialize(r);
      if (id == hunter.id) EXPECT_EQ(r.at("score").to_number<double>(), clients.size() - 1.0) << "kills";
      ranks.push_back(r.at("rank").as_int64());
    }
    std::sort(ranks.begin(), ranks.end());
    for (std::size_t i = 0; i < ranks.size(); ++i) EXPECT_EQ(ranks[i], static_cast<std::int64_t>(i + 1));

    // Ratings follow: the hunter up, everyone rated once.
    for (auto& c : clients) {
      json::object rating;
      EXPECT_TRUE(eventually(
          [&] {
            auto r = call(verb::get, "/v1/queues/arena/" + queue + "/rating", {}, c.player->account.token);
            if (r.status != 200u || r.body.at("matches").as_int64() != 1) return false;
            rating = r.body.as_object();
            return true;
          },
          5s))
          << "no rating after the match for " << c.id;
      if (&c == &hunter && !rating.empty()) EXPECT_GT(rating.at("mu").as_double(), 25.0) << json::serialize(rating);
    }
    auto log = read_text(sessions_dir() / session / "server.log");
    EXPECT_THAT(log, ::testing::HasSubstr(hunter.id + " joined over ws"));
    EXPECT_THAT(log, ::testing::HasSubstr("game over: last_standing, winner " + hunter.id));
    expect_no_servers_left();
  }
};

TEST_F(ArenaTest, TwoPlayersThroughTheRelayPlayToTheLastStanding) {
  std::vector<Player> players;
  players.push_back(join_queue("device-a", "arena", "ffa"));
  players.push_back(join_queue("device-b", "arena", "ffa"));
  std::vector<Client> clients;
  auto session = start_match(players, clients, "ffa");
  ASSERT_FALSE(session.empty());
  ASSERT_EQ(clients.size(), 2u);
  play_to_the_end(clients);
  expect_results(clients, session, "ffa");
}

TEST_F(ArenaTest, FourPlayersThroughTheRelayAreRankedInTheOrderTheyFell) {
  std::vector<Player> players;
  for (const char* device : {"device-a", "device-b", "device-c", "device-d"})
    players.push_back(join_queue(device, "arena", "four"));
  std::vector<Client> clients;
  auto session = start_match(players, clients, "four");
  ASSERT_FALSE(session.empty());
  ASSERT_EQ(clients.size(), 4u);
  play_to_the_end(clients);
  expect_results(clients, session, "four");
}

}  // namespace
}  // namespace webgames::testing
