// Scenario 7: `webgames serve` is killed (SIGKILL) mid-session and started
// again on the same data directory (and port, which the servers were given
// as WEBGAMES_SDK_URL). A server that survived is adopted and its session
// ends normally; a server that died meanwhile fails its session (its
// players' tickets go back to the queue), and nothing of it is left.

#include "hosting/hosting_test.h"

#include <boost/json/serialize.hpp>

#include <gmock/gmock.h>

#include <signal.h>

#include <thread>

namespace webgames::testing {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;
using ::testing::HasSubstr;

bool pid_alive(pid_t pid) {
  auto info = process_info(pid);
  return info && info->state != 'Z';
}

class RestartTest : public HostingTest {
 protected:
  // Two players in a session of good.sh, Ready; returns its id.
  std::string start_session() {
    start_webgames(fast_flags());
    create_game("restart", script_server("good.sh"), duel_queue());
    a_ = join_queue("device-a", "restart");
    b_ = join_queue("device-b", "restart");
    auto session = expect_event(a_, "session.ready").str("session_id");
    EXPECT_EQ(expect_event(b_, "session.ready").str("session_id"), session);
    wait_session_state("restart", session, "ready");
    auto record = wait_server_record(session);
    server_pid_ = std::stoi(record["SERVER_PID"]);
    EXPECT_TRUE(pid_alive(server_pid_));
    wait_for_heartbeats(session);
    return session;
  }

  // good.sh has its answer to ready (a kill before it would fail it) and has
  // started its heartbeat child (it writes <session>.heartbeats then).
  void wait_for_heartbeats(const std::string& session) {
    auto marker = state_dir() / (session + ".heartbeats");
    EXPECT_TRUE(eventually([&] { return fs::exists(marker); }, 5s)) << "good.sh did not start its heartbeats";
  }

  // SIGKILL: no shutdown code of webgames runs.
  void kill_webgames() {
    webgames().kill9();
    EXPECT_TRUE(a_.events->wait_closed(5s)) << "the event stream outlived webgames";
    a_.events->close();
    b_.events->close();
  }

  Player a_, b_;
  pid_t server_pid_ = 0;
};

TEST_F(RestartTest, ARunningSessionIsAdoptedAfterAKill9AndEndsNormally) {
  auto session = start_session();
  ASSERT_FALSE(session.empty());
  auto port = this->port();
  kill_webgames();

  // The server lives on without webgames (its own process group), for
  // longer than the heartbeat deadline (3 x 400 ms).
  std::this_thread::sleep_for(1500ms);
  ASSERT_TRUE(pid_alive(server_pid_)) << "the game server died with webgames";

  start_webgames(fast_flags(), port);
  EXPECT_TRUE(eventually([&] { return webgames().log().find("adopted session " + session) != std::string::npos; }, 5s))
      << tail(webgames().log());
  // Still Ready after several heartbeat deadlines: its heartbeats reach the
  // new webgames, and it is the same process.
  auto deadline = std::chrono::steady_clock::now() + 2500ms;
  while (std::chrono::steady_clock::now() < deadline) {
    auto s = find_session("restart", session);
    ASSERT_TRUE(s);
    ASSERT_EQ(str_of(*s, "state"), "ready") << json::serialize(*s);
    std::this_thread::sleep_for(250ms);
  }
  EXPECT_TRUE(pid_alive(server_pid_));

  // The players come back to the new webgames (same tokens: same keys).
  a_.events = std::make_unique<EventsClient>(this->port(), a_.account.token);
  b_.events = std::make_unique<EventsClient>(this->port(), b_.account.token);
  auto view = call(verb::get, "/v1/sessions/" + session, {}, a_.account.token);
  ASSERT_EQ(view.status, 200u) << view.raw;
  EXPECT_TRUE(view.body.as_object().contains("assignment"))
      << "a fresh join token for the adopted session: " << view.raw;

  end_sessions();
  for (auto* p : {&a_, &b_}) {
    auto ended = expect_event(*p, "session.ended");
    EXPECT_EQ(ended.str("session_id"), session);
    // The new stream replays everything: the assignment the first run told
    // once, not told again by the adoption.
    auto events = p->events->received();
    EXPECT_EQ(
        std::count_if(events.begin(), events.end(),
                      [&](const Event& e) { return e.type == "session.ready" && e.str("session_id") == session; }),
        1)
        << p->events->describe();
  }
  auto ended = wait_session_state("restart", session, "ended");
  EXPECT_EQ(ended.at("results").as_array().size(), 2u) << json::serialize(ended);
  EXPECT_TRUE(eventually([&] { return !pid_alive(server_pid_); }, 5s));
  EXPECT_TRUE(eventually([&] { return !fs::exists(sessions_dir() / session / "work"); }, 5s));
  EXPECT_TRUE(fs::exists(sessions_dir() / session / "server.log"));
  expect_no_servers_left();
  // The port is free for the next session.
  auto s = find_session("restart", session);
  ASSERT_TRUE(s);
  EXPECT_TRUE(eventually([&] { return tcp_port_bindable(static_cast<std::uint16_t>(s->at("port").as_int64())); }, 3s));
}

TEST_F(RestartTest, ASessionWhoseServerDiedWhileWebgamesWasDownFailsAndNothingIsLeft) {
  auto session = start_session();
  ASSERT_FALSE(session.empty());
  auto port = this->port();
  kill_webgames();

  // The server dies while webgames is down (by its PID, as a crash would:
  // whatever it started lives on, as it would).
  ASSERT_EQ(::kill(server_pid_, SIGKILL), 0);
  ASSERT_TRUE(eventually(
      [&] {
        reap_zombie_children(WebgamesProcess::live_pids());  // as init would
        return !process_info(server_pid_);
      },
      3s));

  start_webgames(fast_flags(), port);
  auto failed = wait_session_state("restart", session, "failed");
  EXPECT_THAT(str_of(failed, "reason"), HasSubstr("gone")) << json::serialize(failed);
  EXPECT_TRUE(eventually([&] { return !fs::exists(sessions_dir() / session / "work"); }, 5s))
      << "the work dir of the dead server is still there";
  EXPECT_TRUE(fs::exists(sessions_dir() / session / "server.log"));
  // Nothing of the dead server is left: not its heartbeat child either.
  EXPECT_TRUE(eventually([&] { return !process_info(server_pid_); }, 5s));
  // The players' tickets were kept (the lobby's journal): the server was at
  // fault, so they went back to the queue and made a new match.
  std::string next;
  EXPECT_TRUE(eventually(
      [&] {
        auto t = call(verb::get, "/v1/tickets/" + a_.ticket, {}, a_.account.token);
        next = t.str("session_id");
        return t.str("state") == "matched" && !next.empty() && next != session;
      },
      10s))
      << "the ticket was not requeued after its session was lost";
  if (!next.empty()) {
    wait_session_state("restart", next, "ready");
    end_sessions();
    wait_session_state("restart", next, "ended");
  }
  expect_no_servers_left();
}

// The game's time limit (max_duration_s) holds for an adopted session too.
TEST_F(RestartTest, AnAdoptedSessionStillEndsAtItsMaximumDuration) {
  start_webgames(fast_flags());
  auto server = script_server("good.sh");
  server["max_duration_s"] = 10;  // the smallest allowed
  create_game("limited", server, duel_queue());
  a_ = join_queue("device-a", "limited");
  b_ = join_queue("device-b", "limited");
  auto adopted = expect_event(a_, "session.ready").str("session_id");
  ASSERT_FALSE(adopted.empty());
  wait_for_heartbeats(adopted);
  auto port = this->port();
  kill_webgames();
  start_webgames(fast_flags(), port);
  EXPECT_TRUE(eventually([&] { return webgames().log().find("adopted session " + adopted) != std::string::npos; }, 5s));

  // A session the new webgames starts itself, for comparison.
  auto c = join_queue("device-c", "limited");
  auto d = join_queue("device-d", "limited");
  auto control = expect_event(c, "session.ready").str("session_id");
  ASSERT_FALSE(control.empty());

  auto failed_control = wait_session_state("limited", control, "failed", 15s);
  EXPECT_THAT(str_of(failed_control, "reason"), HasSubstr("maximum duration")) << json::serialize(failed_control);
  auto failed_adopted = wait_session_state("limited", adopted, "failed", 5s);
  EXPECT_THAT(str_of(failed_adopted, "reason"), HasSubstr("maximum duration")) << json::serialize(failed_adopted);
  expect_no_servers_left();
}

// A server that ignores SIGTERM is in its stop grace when webgames is
// killed: the session is recorded as ended, so nobody adopts it; the
// restart's sweep finds it by the installation's marker and kills it.
TEST_F(RestartTest, AServerInItsStopGraceIsKilledByTheRestartSweep) {
  std::vector<std::string> flags{"--ready-timeout-ms",  "2000", "--heartbeat-interval-ms", "400",
                                 "--missed-heartbeats", "3",    "--stop-grace-ms",         "60000"};
  start_webgames(flags);
  create_game("stubborn", script_server("stubborn.sh"), duel_queue());
  a_ = join_queue("device-a", "stubborn");
  b_ = join_queue("device-b", "stubborn");
  auto session = expect_event(a_, "session.ready").str("session_id");
  ASSERT_FALSE(session.empty());
  auto record = wait_server_record(session);
  auto pid = std::stoi(record["SERVER_PID"]);
  end_sessions();
  auto ended = wait_session_state("stubborn", session, "ended");
  EXPECT_EQ(ended.at("results").as_array().size(), 2u) << json::serialize(ended);
  EXPECT_TRUE(eventually(
      [&] { return read_text(sessions_dir() / session / "server.log").find("SIGTERM ignored") != std::string::npos; },
      5s));
  auto port = this->port();
  kill_webgames();
  std::this_thread::sleep_for(300ms);
  ASSERT_TRUE(pid_alive(pid)) << "the stubborn server should outlive webgames";

  start_webgames(flags, port);
  EXPECT_TRUE(eventually([&] { return !pid_alive(pid); }, 5s)) << "the stubborn server outlived the restart";
  expect_no_servers_left();
  EXPECT_TRUE(eventually([&] { return !fs::exists(sessions_dir() / session / "work"); }, 5s));
  auto after = find_session("stubborn", session);
  ASSERT_TRUE(after);
  EXPECT_EQ(str_of(*after, "state"), "ended") << "the results survive: " << json::serialize(*after);
}

// webgames is killed as soon as the server runs (a few ms after its start):
// the restart finds the server (its record was written before it started)
// and adopts it, or fails the session and stops it; nothing is left behind.
TEST_F(RestartTest, AKill9RightAfterAServerStartsLeavesNoUntrackedServer) {
  start_webgames(fast_flags());
  create_game("early", script_server("good.sh"), duel_queue());
  a_ = join_queue("device-a", "early");
  b_ = join_queue("device-b", "early");
  auto matched = expect_event(a_, "ticket.matched");
  // The first server whose record appears: it runs.
  fs::path env_file;
  ASSERT_TRUE(eventually(
      [&] {
        for (const auto& e : fs::directory_iterator(state_dir()))
          if (e.path().extension() == ".env" && e.path().filename().string().front() != '.') env_file = e.path();
        return !env_file.empty();
      },
      10s));
  auto port = this->port();
  kill_webgames();
  auto session = env_file.stem().string();
  auto record = server_record(session);
  ASSERT_TRUE(record);
  auto pid = std::stoi((*record)["SERVER_PID"]);

  start_webgames(fast_flags(), port);
  auto s = wait_session(
      "early", session,
      [](const json::object& o) {
        auto state = str_of(o, "state");
        return state == "ready" || state == "starting" || state == "failed";
      },
      10s, "adopted or failed");
  if (str_of(s, "state") == "failed") {
    EXPECT_TRUE(eventually([&] { return !pid_alive(pid); }, 5s)) << "a failed session's server still runs";
  } else {
    EXPECT_TRUE(pid_alive(pid));
    EXPECT_TRUE(fs::exists(sessions_dir() / session / "work")) << "the work dir of a running server was removed";
    end_sessions();
    wait_session_state("early", session, "ended");
  }
  expect_no_servers_left();
}

}  // namespace
}  // namespace webgames::testing
