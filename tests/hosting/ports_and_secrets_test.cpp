// Scenario 9: a session waits (Allocating, with a reason) while no port of
// the range is free, and starts once one frees.
// Scenario 10: a server's secret opens its own session only; and what a
// server is given in its environment.

#include "hosting/hosting_test.h"

#include "support/api_request.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gmock/gmock.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <thread>

namespace webgames::testing {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;
using ::testing::HasSubstr;

// A TCP socket listening on 0.0.0.0:<a free port>, as another program would.
class HeldPort {
 public:
  HeldPort() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_ANY);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 1) != 0)
      throw std::runtime_error("cannot hold a port");
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~HeldPort() { release(); }
  std::uint16_t port() const { return port_; }
  void release() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

TEST_F(HostingTest, AnExhaustedPortRangeHoldsTheSessionUntilAPortFrees) {
  HeldPort held;
  set_port_range(held.port(), held.port());
  start_webgames(fast_flags());
  create_game("ports", script_server("good.sh"), duel_queue());
  auto a = join_queue("device-a", "ports");
  auto b = join_queue("device-b", "ports");
  expect_event(a, "ticket.matched");
  expect_event(b, "ticket.matched");

  // The developer sees the session waiting, and why.
  std::string session;
  json::object seen;
  bool waiting = eventually(
      [&] {
        auto items = sessions_of("ports");
        if (items.size() != 1) return false;
        seen = items[0].as_object();
        session = str_of(seen, "id");
        return str_of(seen, "state") == "allocating" && !str_of(seen, "reason").empty();
      },
      5s);
  ASSERT_TRUE(waiting) << "last seen: " << json::serialize(seen);
  EXPECT_THAT(str_of(seen, "reason"), HasSubstr(std::to_string(held.port()))) << json::serialize(seen);
  // It keeps waiting (for several director ticks), with no server started.
  std::this_thread::sleep_for(1200ms);
  auto still = find_session("ports", session);
  ASSERT_TRUE(still);
  EXPECT_EQ(str_of(*still, "state"), "allocating") << json::serialize(*still);
  EXPECT_TRUE(server_processes().empty()) << describe(server_processes());
  for (const auto& e : a.events->received()) EXPECT_NE(e.type, "session.failed") << e.raw;

  held.release();
  for (auto* p : {&a, &b}) {
    auto ready = expect_event(*p, "session.ready", 5s);
    EXPECT_EQ(ready.str("session_id"), session);
    auto* port = ready.data.if_contains("port");
    ASSERT_TRUE(port && port->is_int64()) << ready.raw;
    EXPECT_EQ(port->as_int64(), held.port());
  }
  auto ready = wait_session_state("ports", session, "ready");
  EXPECT_EQ(ready.if_contains("reason"), nullptr) << "the waiting reason stays: " << json::serialize(ready);

  end_sessions();
  expect_event(a, "session.ended");
  wait_session_state("ports", session, "ended");
  expect_no_servers_left();
  EXPECT_TRUE(eventually([&] { return tcp_port_bindable(held.port()); }, 3s));
}

TEST_F(HostingTest, AServerSecretOpensItsOwnSessionOnly) {
  // Nothing of the environment of webgames reaches a game server.
  ::setenv("HOSTING_TEST_CANARY", "leaked", 1);
  start_webgames(fast_flags());
  ::unsetenv("HOSTING_TEST_CANARY");
  create_game("secrets", script_server("good.sh"), duel_queue());
  // Two sessions: the first two players, then the next two.
  auto a1 = join_queue("device-a1", "secrets");
  auto a2 = join_queue("device-a2", "secrets");
  auto session_a = expect_event(a1, "session.ready").str("session_id");
  auto b1 = join_queue("device-b1", "secrets");
  auto b2 = join_queue("device-b2", "secrets");
  auto ready_b = expect_event(b1, "session.ready");
  auto session_b = ready_b.str("session_id");
  ASSERT_FALSE(session_a.empty());
  ASSERT_FALSE(session_b.empty());
  ASSERT_NE(session_a, session_b);
  auto record_a = wait_server_record(session_a);
  auto record_b = wait_server_record(session_b);

  // What server B was given.
  EXPECT_EQ(record_b["WEBGAMES_SESSION_ID"], session_b);
  EXPECT_EQ(record_b["WEBGAMES_PORT"], std::to_string(ready_b.data.at("port").as_int64()));
  EXPECT_EQ(record_b["WEBGAMES_PORT_GAME"], record_b["WEBGAMES_PORT"]);
  EXPECT_EQ(record_b["WEBGAMES_SDK_URL"], webgames().url());
  EXPECT_EQ(record_b["WEBGAMES_JOIN_KEY"].size(), 43u) << "an Ed25519 public key, base64url";
  EXPECT_EQ(record_b["WEBGAMES_JOIN_KEY"], record_a["WEBGAMES_JOIN_KEY"]);
  EXPECT_FALSE(record_b["WEBGAMES_SDK_SECRET"].empty());
  EXPECT_NE(record_b["WEBGAMES_SDK_SECRET"], record_a["WEBGAMES_SDK_SECRET"]);
  auto players = json::parse(record_b["WEBGAMES_PLAYERS"]);
  EXPECT_THAT(json::serialize(players), HasSubstr(b1.id()));
  EXPECT_THAT(json::serialize(players), HasSubstr(b2.id()));
  EXPECT_THAT(json::serialize(players), ::testing::Not(HasSubstr(a1.id())));
  auto work = fs::absolute(sessions_dir() / session_b / "work").string();
  EXPECT_EQ(record_b["HOME"], work);
  EXPECT_EQ(record_b["SERVER_CWD"], work);
  EXPECT_EQ(record_b.count("HOSTING_TEST_CANARY"), 0u) << "webgames' environment leaked into the server";
  EXPECT_EQ(record_b["STATE_DIR"], state_dir().string()) << "the game spec's env";
  // Its own process group, a child of webgames.
  auto info = process_info(std::stoi(record_b["SERVER_PID"]));
  ASSERT_TRUE(info);
  EXPECT_EQ(info->pgid, info->pid);
  EXPECT_EQ(info->ppid, webgames().pid());

  auto post = [&](const std::string& session, const std::string& path, const std::string& secret,
                  const std::string& body = "{}") {
    auto r = api_request(port(), verb::post, "/v1/sdk/sessions/" + session + "/" + path, body, secret);
    EXPECT_TRUE(r);
    return r ? r->status : 0u;
  };
  const auto& secret_a = record_a["WEBGAMES_SDK_SECRET"];
  const auto& secret_b = record_b["WEBGAMES_SDK_SECRET"];
  EXPECT_EQ(post(session_b, "heartbeat", secret_a), 403u);
  EXPECT_EQ(post(session_b, "ready", secret_a), 403u);
  EXPECT_EQ(post(session_b, "players/" + b1.id() + "/connected", secret_a), 403u);
  EXPECT_EQ(post(session_b, "players/" + b1.id() + "/disconnected", secret_a), 403u);
  EXPECT_EQ(post(session_b, "end", secret_a, R"({"results":[{"team":0,"rank":1}]})"), 403u);
  EXPECT_EQ(post(session_b, "heartbeat", "not-a-secret"), 403u);
  EXPECT_EQ(post(session_b, "heartbeat", b1.account.token), 403u) << "a player's access token is no secret";
  EXPECT_EQ(post(session_b, "heartbeat", ""), 401u);
  EXPECT_EQ(post("ses_doesnotexist", "heartbeat", secret_a), 404u);
  // An end report with a member the API does not know is refused, and
  // changes nothing (the server may send a corrected one).
  EXPECT_EQ(post(session_b, "end", secret_b, R"({"results":[],"winner":"b"})"), 400u);
  EXPECT_EQ(post(session_b, "end", secret_b, R"({"results":[{"team":0,"rank":0}]})"), 400u);
  // Its own secret works.
  EXPECT_EQ(post(session_a, "heartbeat", secret_a), 204u);
  EXPECT_EQ(post(session_b, "heartbeat", secret_b), 204u);

  // Nobody else sees the sessions: not another developer, not another player.
  auto other_dev = call(verb::post, "/v1/auth/register",
                        R"({"username":"other-dev","password":"correct horse","role":"developer"})");
  ASSERT_EQ(other_dev.status, 201u) << other_dev.raw;
  auto other_token = other_dev.str("access_token");
  EXPECT_EQ(call(verb::get, "/v1/games/secrets/sessions", {}, other_token).status, 404u);
  EXPECT_EQ(call(verb::get, "/v1/sessions/" + session_b, {}, other_token).status, 404u);
  EXPECT_EQ(call(verb::get, "/v1/sessions/" + session_b + "/log", {}, other_token).status, 404u);
  auto view_by_a1 = call(verb::get, "/v1/sessions/" + session_b, {}, a1.account.token);
  EXPECT_EQ(view_by_a1.status, 404u) << "a player of session A sees session B: " << view_by_a1.raw;
  auto view_by_b1 = call(verb::get, "/v1/sessions/" + session_b, {}, b1.account.token);
  EXPECT_EQ(view_by_b1.status, 200u) << view_by_b1.raw;

  // Session B did not move: not ended, nobody connected.
  auto b = find_session("secrets", session_b);
  ASSERT_TRUE(b);
  EXPECT_EQ(str_of(*b, "state"), "ready") << json::serialize(*b);
  for (const auto& p : b->at("players").as_array()) EXPECT_FALSE(p.at("connected").as_bool()) << json::serialize(*b);
  for (const auto& e : b1.events->received()) EXPECT_NE(e.type, "session.ended") << e.raw;

  end_sessions();
  for (auto* p : {&a1, &a2, &b1, &b2}) expect_event(*p, "session.ended");
  wait_session_state("secrets", session_a, "ended");
  auto ended_b = wait_session_state("secrets", session_b, "ended");
  // The results are the server's own (good.sh's), not the forged ones.
  EXPECT_EQ(ended_b.at("results").as_array().size(), 2u) << json::serialize(ended_b);
  expect_no_servers_left();
}

}  // namespace
}  // namespace webgames::testing
