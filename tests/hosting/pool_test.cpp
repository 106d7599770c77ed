// Warm pools with the process runtime (docs/pools.md): a game whose pool is
// `buffer 1` keeps one good.sh started and Idle; a match gets that server
// (its players through the SDK's allocation long poll) and a new one is
// started; an Idle server that dies is replaced; after a kill -9 of
// webgames the pool servers are adopted, and turning the pool off stops
// them: no process is left.

#include "hosting/hosting_test.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <signal.h>

#include <thread>

namespace webgames::testing {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

bool pid_alive(pid_t pid) {
  auto info = process_info(pid);
  return info && info->state != 'Z';
}

class PoolTest : public HostingTest {
 protected:
  void create_pooled_game(const json::object& pool) {
    create_game("pooled", script_server("good.sh"), duel_queue(), pool);
  }

  // The id of a pool server of the game in `state` other than `except`, once there is one.
  std::string wait_pool_session(const std::string& state, const std::string& except = {}) {
    return HostingTest::wait_pool_session("pooled", state, {except});
  }

  pid_t server_pid(const std::string& session) { return std::stoi(wait_server_record(session)["SERVER_PID"]); }
};

TEST_F(PoolTest, AMatchGetsTheIdleServerAndAKill9LeaksNothing) {
  start_webgames(fast_flags());
  create_pooled_game(pool_buffer(1));
  auto idle = wait_pool_session("idle");
  ASSERT_FALSE(idle.empty());
  auto idle_pid = server_pid(idle);

  auto a = join_queue("device-a", "pooled");
  auto b = join_queue("device-b", "pooled");
  EXPECT_EQ(expect_event(a, "session.ready").str("session_id"), idle) << "the match gets the ready server";
  EXPECT_EQ(expect_event(b, "session.ready").str("session_id"), idle);
  auto allocation_file = state_dir() / (idle + ".allocation");
  ASSERT_TRUE(eventually([&] { return fs::exists(allocation_file); }, 5s)) << "the server was not told its match";
  auto allocation = json::parse(read_text(allocation_file));
  EXPECT_EQ(allocation.at("players").as_array().size(), 2u) << json::serialize(allocation);
  EXPECT_EQ(allocation.at("queue"), "duel");

  auto spare = wait_pool_session("idle", idle);  // the pool refilled
  ASSERT_FALSE(spare.empty());
  auto spare_pid = server_pid(spare);
  wait_session_state("pooled", idle, "ready");

  // kill -9: both servers run on, and the next webgames adopts them.
  auto port = this->port();
  webgames().kill9();
  a.events->close();
  b.events->close();
  start_webgames(fast_flags(), port);
  for (const auto& id : {idle, spare})
    EXPECT_TRUE(eventually([&] { return webgames().log().find("adopted session " + id) != std::string::npos; }, 5s))
        << tail(webgames().log());
  EXPECT_TRUE(pid_alive(idle_pid));
  EXPECT_TRUE(pid_alive(spare_pid));
  std::this_thread::sleep_for(1500ms);  // several heartbeat deadlines, and pool refreshes
  EXPECT_EQ(str_of(*find_session("pooled", spare), "state"), "idle") << "adopted, still in the pool";
  EXPECT_EQ(sessions_of("pooled").size(), 2u) << "no server started after the restart: the adopted one fills the pool";

  // Its pool turned off: the idle server is stopped; the match plays on.
  auto off = json::serialize(json::object{
      {"server", script_server("good.sh")}, {"queues", duel_queue()}, {"pool", json::object{{"policy", "off"}}}});
  ASSERT_EQ(call(verb::put, "/v1/games/pooled", off, developer().token).status, 200u);
  auto stopped = wait_session_state("pooled", spare, "ended");
  EXPECT_NE(str_of(stopped, "reason").find("pool"), std::string::npos) << json::serialize(stopped);
  EXPECT_TRUE(eventually([&] { return !pid_alive(spare_pid); }, 5s));
  end_sessions();
  wait_session_state("pooled", idle, "ended");
  expect_no_servers_left();
}

TEST_F(PoolTest, AnIdleServerThatDiesIsReplacedAndNeverHandedOut) {
  start_webgames(fast_flags());
  create_pooled_game(pool_buffer(1));
  auto first = wait_pool_session("idle");
  ASSERT_FALSE(first.empty());
  ASSERT_EQ(::kill(server_pid(first), SIGKILL), 0);
  auto failed = wait_session_state("pooled", first, "failed");
  EXPECT_TRUE(failed.at("players").as_array().empty());
  auto second = wait_pool_session("idle", first);
  ASSERT_FALSE(second.empty());
  auto a = join_queue("device-a", "pooled");
  auto b = join_queue("device-b", "pooled");
  EXPECT_EQ(expect_event(a, "session.ready").str("session_id"), second);
  EXPECT_EQ(expect_event(b, "session.ready").str("session_id"), second);
  end_sessions();
  wait_session_state("pooled", second, "ended");
  // The pool's next server is stopped with the game.
  ASSERT_EQ(call(verb::delete_, "/v1/games/pooled", {}, developer().token).status, 204u);
  expect_no_servers_left(10s);
}

}  // namespace
}  // namespace webgames::testing
