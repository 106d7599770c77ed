// The WebSocket relay, GET /v1/sessions/{id}/connect: two players play
// Shifumi to the end through the API, reaching the real shifumi-server on
// its `ws` port; what the relay refuses before the upgrade; a server that
// closes closes the player (1000), one that dies too (1001); hostile input
// closes cleanly and the relay goes on.
//
// Skipped when shifumi-server has not been built, unless CI is set.

#include "hosting/hosting_test.h"
#include "hosting/relay_client.h"
#include "hosting/shifumi_server.h"

#include "support/json_lines_client.h"
#include "support/openapi_contract.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gmock/gmock.h>

#include <signal.h>
#include <sys/socket.h>

namespace webgames::testing {
namespace {

namespace json = boost::json;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

class RelayTest : public HostingTest {
 protected:
  void SetUp() override {
    HostingTest::SetUp();
    REQUIRE_SHIFUMI();
    start_webgames(shifumi_serve_flags());
    auto spec = shifumi_server_spec(3, 120);
    spec["ports"] = json::array{json::object{{"name", "game"}, {"protocol", "tcp"}},
                                json::object{{"name", "ws"}, {"protocol", "ws"}}};
    create_game("shifumi", spec, duel_queue());
  }

  struct Seat {
    Player* player;
    std::string token;
  };
  // Queues two guests until their session is ready: the session id and
  // both seats, in the order of their teams.
  std::pair<std::string, std::array<Seat, 2>> ready_session(Player& a, Player& b) {
    auto ra = expect_event(a, "session.ready", 15s);
    auto rb = expect_event(b, "session.ready", 15s);
    EXPECT_EQ(ra.str("session_id"), rb.str("session_id"));
    auto* ports = ra.data.if_contains("ports");
    EXPECT_TRUE(ports && ports->is_object() && ports->as_object().contains("ws")) << ra.raw;
    auto view = call(verb::get, "/v1/sessions/" + ra.str("session_id"), {}, a.account.token);
    std::array<Seat, 2> seats{};
    for (const auto& p : view.body.at("players").as_array()) {
      bool is_a = str_of(p, "id") == a.id();
      seats[p.at("team").as_int64()] = Seat{is_a ? &a : &b, is_a ? ra.str("join_token") : rb.str("join_token")};
    }
    return {ra.str("session_id"), seats};
  }

  // Both joined: seat 0 plays rock, seat 1 scissors, until game_over.
  // Returns both game_over messages.
  static std::vector<json::object> play_to_the_end(RelayClient& c0, RelayClient& c1, const std::string& id0) {
    std::vector<json::object> over;
    for (int round = 1; round <= 10 && over.empty(); ++round) {
      auto r0 = c0.read_until({"round", "game_over"});
      if (!r0) {
        ADD_FAILURE() << "player 0 heard neither round nor game_over";
        return over;
      }
      if (type_of(*r0) == "game_over") {
        over.push_back(*r0);
        break;
      }
      EXPECT_TRUE(c1.read_until({"round"}));
      c0.send({{"type", "move"}, {"move", "rock"}});
      c1.send({{"type", "move"}, {"move", "scissors"}});
      for (auto* c : {&c0, &c1}) {
        auto result = c->read_until({"result"});
        EXPECT_TRUE(result) << "no result of round " << round;
        if (result) {
          EXPECT_EQ(str_of(*result, "winner"), id0) << json::serialize(*result);
        }
      }
    }
    if (auto o1 = c1.read_until({"game_over"})) over.push_back(*o1);
    return over;
  }

  std::string connect_target(const std::string& session, const std::string& token) {
    return "/v1/sessions/" + session + "/connect?token=" + token;
  }
};

TEST_F(RelayTest, TwoPlayersPlayShifumiThroughTheRelayToTheEnd) {
  auto a = join_queue("device-a", "shifumi");
  auto b = join_queue("device-b", "shifumi");
  auto [session, seats] = ready_session(a, b);
  ASSERT_FALSE(session.empty());
  const std::string id0 = seats[0].player->id(), id1 = seats[1].player->id();

  RelayClient c0(port(), connect_target(session, seats[0].token));
  RelayClient c1(port(), connect_target(session, seats[1].token));
  ASSERT_TRUE(c0.open()) << c0.status() << " " << c0.error_code();
  ASSERT_TRUE(c1.open()) << c1.status() << " " << c1.error_code();
  c0.send({{"type", "join"}, {"token", seats[0].token}});
  auto w0 = c0.read_until({"welcome"});
  ASSERT_TRUE(w0);
  EXPECT_EQ(str_of(*w0, "player"), id0);
  c1.send({{"type", "join"}, {"token", seats[1].token}});
  ASSERT_TRUE(c1.read_until({"welcome"}));

  auto over = play_to_the_end(c0, c1, id0);
  ASSERT_EQ(over.size(), 2u);
  for (const auto& o : over) EXPECT_EQ(str_of(o, "winner"), id0) << json::serialize(o);

  // The server closes after game_over (1000, normal): the relay passes the close on.
  EXPECT_EQ(c0.wait_close(), 1000);
  EXPECT_EQ(c1.wait_close(), 1000);

  auto record = wait_session_state("shifumi", session, "ended", 15s);
  const auto& results = record.at("results").as_array();
  ASSERT_EQ(results.size(), 2u) << json::serialize(record);
  for (const auto& r : results)
    EXPECT_EQ(r.at("rank").as_int64(), str_of(r, "player_id") == id0 ? 1 : 2) << json::serialize(r);
  auto log = read_text(sessions_dir() / session / "server.log");
  EXPECT_THAT(log, ::testing::HasSubstr(id0 + " joined over ws"));

  // Once ended, the relay refuses the session: 409, before any upgrade.
  RelayClient late(port(), connect_target(session, seats[0].token));
  EXPECT_EQ(late.status(), 409u);
  EXPECT_EQ(late.error_code(), "conflict/session");
  expect_no_servers_left();
}

TEST_F(RelayTest, RefusesBeforeTheUpgradeSurvivesHostileInputAndTellsOfAServersDeath) {
  auto a = join_queue("device-a", "shifumi");
  auto b = join_queue("device-b", "shifumi");
  auto [session, seats] = ready_session(a, b);
  ASSERT_FALSE(session.empty());

  RelayClient unknown(port(), connect_target("ses_nosuchsession", seats[0].token));
  EXPECT_EQ(unknown.status(), 404u);
  EXPECT_EQ(unknown.error_code(), "not_found/session");
  RelayClient no_token(port(), "/v1/sessions/" + session + "/connect");
  EXPECT_EQ(no_token.status(), 401u);
  EXPECT_EQ(no_token.error_code(), "unauthenticated/token");
  RelayClient garbage(port(), connect_target(session, "not.a.token"));
  EXPECT_EQ(garbage.status(), 401u);
  EXPECT_EQ(garbage.error_code(), "unauthenticated/token");
  // A player's access token is not a join token.
  RelayClient access(port(), connect_target(session, seats[0].player->account.token));
  EXPECT_EQ(access.status(), 401u);
  EXPECT_EQ(access.error_code(), "unauthenticated/token");
  auto plain = call(verb::get, "/v1/sessions/" + session + "/connect?token=" + seats[0].token);
  EXPECT_EQ(plain.status, 426u) << plain.raw;

  // What webgames holds open now; the hostile connections below must not add to it.
  auto open_files = [&] {
    auto dir = std::filesystem::path("/proc") / std::to_string(webgames().pid()) / "fd";
    return std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator());
  };
  const auto files_before = open_files();

  // An oversized frame: the player is closed with 1009 (too big), the
  // server keeps going, and a new connection plays on.
  {
    RelayClient hostile(port(), connect_target(session, seats[0].token));
    ASSERT_TRUE(hostile.open());
    hostile.send({{"type", "join"}, {"token", seats[0].token}});
    ASSERT_TRUE(hostile.read_until({"welcome"}));
    hostile.send_text(std::string(200 * 1024, 'x'));
    auto code = hostile.wait_close();
    EXPECT_TRUE(code == 1009 || code == -1) << code;  // -1: the reset of the unread rest came first
  }
  // Garbage that is not a WebSocket frame at all.
  {
    JsonLinesClient raw("127.0.0.1", port());
    raw.send_line("GET /v1/sessions/" + session + "/connect?token=" + seats[1].token +
                  " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n" +
                  std::string(5000, '\xff'));
    raw.wait_eof();
  }
  // Both relayed connections and their game server sides are gone: nothing leaked.
  EXPECT_TRUE(eventually([&] { return open_files() <= files_before; }, 5s))
      << open_files() << " files open in webgames, " << files_before << " before";
  RelayClient again(port(), connect_target(session, seats[0].token));
  ASSERT_TRUE(again.open()) << again.status() << " " << again.error_code();
  again.send({{"type", "join"}, {"token", seats[0].token}});
  EXPECT_TRUE(again.read_until({"welcome"}));
  EXPECT_EQ(call(verb::get, "/healthz").status, 200u);

  // One join token holds at most 4 relays at once (found by an attacker's
  // probe: one token opened connections to the game server without end).
  {
    std::vector<std::unique_ptr<RelayClient>> held;
    for (int i = 0; i < 3; ++i) {
      held.push_back(std::make_unique<RelayClient>(port(), connect_target(session, seats[0].token)));
      ASSERT_TRUE(held.back()->open()) << i << ": " << held.back()->error_code();
    }
    RelayClient fifth(port(), connect_target(session, seats[0].token));
    EXPECT_EQ(fifth.status(), 409u);
    EXPECT_EQ(fifth.error_code(), "conflict/token");
    RelayClient other_player(port(), connect_target(session, seats[1].token));
    EXPECT_TRUE(other_player.open()) << other_player.error_code();
    held.clear();  // their slots come back once the relay sees them closed
    EXPECT_TRUE(eventually([&] { return RelayClient(port(), connect_target(session, seats[0].token)).open(); }, 5s));
  }

  // The game server dying (no close frame) closes the player's side with
  // 1001 (going away); the players are requeued into a new session, which
  // they play through the relay to its end.
  auto servers = server_processes();
  ASSERT_EQ(servers.size(), 1u);
  ::kill(servers[0].pid, SIGKILL);
  EXPECT_EQ(again.wait_close(), 1001);
  expect_event(a, "session.failed", 15s);
  auto [next, next_seats] = ready_session(a, b);
  ASSERT_FALSE(next.empty());
  ASSERT_NE(next, session);
  RelayClient c0(port(), connect_target(next, next_seats[0].token));
  RelayClient c1(port(), connect_target(next, next_seats[1].token));
  ASSERT_TRUE(c0.open() && c1.open());
  c0.send({{"type", "join"}, {"token", next_seats[0].token}});
  c1.send({{"type", "join"}, {"token", next_seats[1].token}});
  ASSERT_TRUE(c0.read_until({"welcome"}));
  ASSERT_TRUE(c1.read_until({"welcome"}));
  auto over = play_to_the_end(c0, c1, next_seats[0].player->id());
  EXPECT_EQ(over.size(), 2u);
  EXPECT_EQ(c0.wait_close(), 1000);
  EXPECT_EQ(c1.wait_close(), 1000);
  wait_session_state("shifumi", next, "ended", 15s);
  expect_no_servers_left();
}

}  // namespace
}  // namespace webgames::testing
