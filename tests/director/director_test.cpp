// The director's life cycle with a fake Runtime (our own interface) and a
// ManualClock: every timeout and failure path, deterministically.

#include "director/director.h"

#include "auth/join_token.h"
#include "core/encoding.h"
#include "events/embedded_event_bus.h"
#include "sqlite/sqlite_catalog.h"
#include "sqlite/sqlite_pool_sizer_store.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>

#include <algorithm>
#include <functional>
#include <optional>
#include <set>
#include <thread>

namespace webgames {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class FakeRuntime final : public Runtime {
 public:
  std::string_view name() const override { return "process"; }
  void on_exit(ExitHandler handler) override { exit_ = std::move(handler); }
  Result<LaunchedServer> start(const LaunchRequest& request) override {
    if (fail_start) return make_error(Errc::invalid_field, "server.command /nope is not an executable file");
    if (on_start) on_start(request);
    launched.push_back(request);
    return LaunchedServer{"fake:" + std::to_string(launched.size()),
                          request.placement.host.empty() ? "127.0.0.1" : request.placement.host};
  }
  void stop(const std::string& runtime_id, milliseconds) override {
    if (on_stop) on_stop(runtime_id);
    stopped.push_back(runtime_id);
  }
  std::optional<LaunchedServer> find(const std::string& session_id) override {
    auto it = found.find(session_id);
    if (it == found.end()) return std::nullopt;
    return LaunchedServer{it->second, "127.0.0.1"};
  }
  bool adopt(const std::string& runtime_id, const std::filesystem::path&) override {
    return alive.contains(runtime_id);
  }
  void clean_up_lost(const std::string& runtime_id, const std::filesystem::path&) override {
    cleaned.push_back(runtime_id);
  }
  // Nodes in turn, when the test names some (as a runtime of several nodes places).
  Result<Placement> place(const LaunchRequest&) override {
    if (nodes.empty()) return Placement{};
    return nodes[placed++ % nodes.size()];
  }
  bool port_free(const Placement& p, int port, Protocol) override { return !taken_elsewhere.contains({p.node, port}); }
  void exit(const std::string& runtime_id, std::string description, bool clean) {
    exit_(ServerExit{runtime_id, std::move(description), clean});
  }

  bool fail_start = false;
  std::vector<LaunchRequest> launched;
  std::vector<std::string> stopped;
  std::set<std::string> alive;
  std::vector<std::string> cleaned;
  std::map<std::string, std::string> found;  // session id -> runtime id, as by a marker
  std::function<void(const LaunchRequest&)> on_start;
  std::function<void(const std::string&)> on_stop;
  std::vector<Placement> nodes;
  std::size_t placed = 0;
  std::set<std::pair<std::string, int>> taken_elsewhere;  // (node, port) another program holds there

 private:
  ExitHandler exit_;
};

class DirectorTest : public ::testing::Test {
 protected:
  testing::TempDir dir;
  ManualClock clock;
  boost::asio::io_context io;
  boost::asio::strand<boost::asio::any_io_executor> strand{boost::asio::make_strand(io.get_executor())};
  SqliteCatalog catalog{dir.path() / "c.db"};
  EmbeddedEventBus events{clock};
  FakeRuntime runtime;
  PortAllocator ports{41000, 41001};
  SessionMetrics metrics;
  std::unique_ptr<Director> director;
  std::vector<std::pair<std::vector<Ticket>, bool>> done;

  void SetUp() override { director = make_director(); }

  std::vector<Ticket> unclaimed;  // what the last start() returned

  // `sizers`: where its pools' sizers keep what they learned (null: nowhere).
  // `bus`: where it tells players (null: `events`).
  std::unique_ptr<Director> make_director(std::vector<Ticket> matched = {}, PoolSizerStore* sizers = nullptr,
                                          EventBus* bus = nullptr) {
    DirectorOptions o;
    o.sessions_dir = dir.path() / "sessions";
    o.sdk_url = "http://127.0.0.1:1";
    o.ready_timeout = seconds(30);
    o.heartbeat_interval = seconds(5);
    o.missed_heartbeats = 3;
    o.tick = milliseconds(1);
    o.pool_refresh = milliseconds(0);  // the tests call set_pools
    auto d = std::make_unique<Director>(strand, runtime, ports, catalog, bus ? *bus : events, clock,
                                        KeyRing(Ed25519Key::generate()), o);
    d->on_tickets_done([this](std::vector<Ticket> t, bool requeue) { done.emplace_back(std::move(t), requeue); });
    d->set_metrics(&metrics);
    if (sizers) d->keep_pool_sizers(sizers, sizers->load().value());
    unclaimed = d->start(std::move(matched));
    return d;
  }

  // Lets the director's 1 ms tick run against the manual clock.
  void tick() {
    io.run_for(milliseconds(20));
    settle();
  }
  // Lets the journal land every write and the director act on each (start a
  // server, tell the players, stop a server).
  void settle() {
    for (int i = 0; i < 2000; ++i) {
      bool idle = director->pending_writes() == 0;
      io.restart();
      io.poll();
      if (idle && director->pending_writes() == 0) return;
      std::this_thread::sleep_for(milliseconds(1));
    }
    FAIL() << "the journal did not settle";
  }

  MatchToHost match() {
    MatchToHost m;
    m.match_id = "mat_1";
    m.game.id = "duel-game";  // history is keyed by the id
    m.game.name = "duel-game";
    m.game.owner_id = "acc_dev";
    m.game.server.command = "/bin/true";
    m.game.server.ports = {{"game", Protocol::tcp}};
    m.game.server.max_duration_s = 600;
    m.queue = QueueSpec{"duel", 2, 1, 2};
    for (int t = 0; t < 2; ++t) {
      Ticket ticket;
      ticket.id = "tkt_" + std::to_string(t);
      ticket.players = {"acc_p" + std::to_string(t)};
      ticket.created_at = clock.now();
      m.teams.push_back({ticket});
      m.player_names[ticket.players[0]] = "player" + std::to_string(t);
    }
    return m;
  }

  // The game of match(), with a warm pool.
  Game pooled_game(int buffer, int idle_timeout_s = 60) {
    auto g = match().game;
    g.pool.policy = PoolPolicy::buffer;
    g.pool.buffer = buffer;
    g.pool.idle_timeout_s = idle_timeout_s;
    return g;
  }
  // Heartbeats every live pool server, so that moving the clock fails none.
  void heartbeat_all() {
    for (const auto& r : runtime.launched)
      if (auto s = director->live_session(r.session_id); s && !is_final(s->state))
        (void)director->server_heartbeat(r.session_id, secret_of(r));
  }

  // `requeued` of each session.failed of session `id` in `player`'s stream.
  std::vector<bool> failures_told(const std::string& player, const std::string& id) {
    std::vector<bool> told;
    bool read = false;
    boost::asio::co_spawn(
        io,
        [&]() -> boost::asio::awaitable<void> {
          auto texts = co_await events.replay(player, 0);
          for (const auto& t : *texts) {
            auto e = boost::json::parse(t).as_object();
            if (e.at("type") == "session.failed" && e.at("data").at("session_id") == boost::json::string_view(id))
              told.push_back(e.at("data").at("requeued").as_bool());
          }
          read = true;
        },
        boost::asio::detached);
    while (!read) {
      io.restart();
      io.poll();
    }
    return told;
  }
  // match()'s tickets as the lobby restores them, matched to session `id`.
  std::vector<Ticket> matched_to(const std::string& id) {
    std::vector<Ticket> matched;
    for (auto& team : match().teams)
      for (auto t : team) {
        t.state = TicketState::matched;
        t.session_id = id;
        matched.push_back(std::move(t));
      }
    return matched;
  }

  // A match's session, ready, then saved failed with both players sent back
  // (told of it or not) as a director killed meanwhile left it; a new
  // director started with the lobby's tickets, still matched to it.
  // Returns the session's id.
  std::string failed_with_requeue_then_restarted(bool told) {
    auto [id, secret] = hosted_match();
    EXPECT_TRUE(director->server_ready(id, secret));
    settle();
    director.reset();
    runtime.launched.clear();
    runtime.alive.clear();
    auto failed = catalog.session_by_id(id).value();
    failed.state = SessionState::failed;
    failed.reason = "the server exited with status 1 before ending the session";
    failed.ended_at = clock.now();
    failed.requeued = {"acc_p0", "acc_p1"};
    failed.told = told;
    EXPECT_EQ(is_untold(failed), !told);
    EXPECT_TRUE(catalog.save_session(failed));
    ports = PortAllocator{41000, 41001};
    director = make_director(matched_to(id));
    return id;
  }

  Session only_session() {
    EXPECT_EQ(director->live_count(), 1u);
    auto sessions = catalog.sessions_of_game("duel-game", 10).value();
    EXPECT_FALSE(sessions.empty());
    return sessions.front();
  }
  std::string secret_of(const LaunchRequest& r) { return r.env.at("WEBGAMES_SDK_SECRET"); }

  // The session of a match() hosted now: its id and its server's SDK secret,
  // once the server was started (hosted_match) or has also said ready
  // (ready_match). REQUIRES: no server started before.
  struct Hosted {
    std::string id, secret;
  };
  Hosted hosted_match() {
    director->host(match());
    settle();
    EXPECT_EQ(runtime.launched.size(), 1u);
    if (runtime.launched.empty()) return {};
    return {runtime.launched[0].session_id, secret_of(runtime.launched[0])};
  }
  Hosted ready_match() {
    auto hosted = hosted_match();
    EXPECT_TRUE(director->server_ready(hosted.id, hosted.secret));
    return hosted;
  }
  // The types of `player`'s kept events in `bus` (null: `events`).
  std::vector<std::string> event_types(const std::string& player, EventBus* bus = nullptr) {
    std::vector<std::string> types;
    bool read = false;
    boost::asio::co_spawn(
        io,
        [&]() -> boost::asio::awaitable<void> {
          auto texts = co_await (bus ? *bus : events).replay(player, 0);
          if (texts)
            for (const auto& t : *texts) types.emplace_back(boost::json::parse(t).at("type").as_string());
          read = true;
        },
        boost::asio::detached);
    while (!read) {
      io.restart();
      io.poll();
    }
    return types;
  }
  Session recorded(const std::string& id) {
    director.reset();  // joins the journal: every write has landed
    return catalog.session_by_id(id).value();
  }
};

TEST_F(DirectorTest, LaunchesWithTheServersEnvironment) {
  director->host(match());
  settle();
  ASSERT_EQ(runtime.launched.size(), 1u);
  const auto& env = runtime.launched[0].env;
  EXPECT_EQ(env.at("WEBGAMES_PORT"), "41000");
  EXPECT_EQ(env.at("WEBGAMES_PORT_GAME"), "41000");
  EXPECT_EQ(env.at("WEBGAMES_SDK_URL"), "http://127.0.0.1:1");
  EXPECT_EQ(env.at("WEBGAMES_JOIN_KEY"), base64url_encode(director->join_keys()->signing().public_raw()));
  auto players = boost::json::parse(env.at("WEBGAMES_PLAYERS"));
  EXPECT_EQ(players.at("teams").as_array().size(), 2u);
  EXPECT_EQ(players.at("players").at(1).at("name"), "player1");
  auto id = env.at("WEBGAMES_SESSION_ID");
  EXPECT_EQ(recorded(id).state, SessionState::starting);
}

TEST_F(DirectorTest, ASessionsJoinTokensKeepTheKeyItsServerWasStartedWithAcrossARotation) {
  auto [id, secret] = ready_match();
  auto old_keys = director->join_keys();
  auto old_key = old_keys->signing();
  auto next = Ed25519Key::generate();
  director->use_join_keys(KeyRing(next, {old_key}));  // promoted: the old key is retired, still accepted
  auto assignment = director->assignment(id, "acc_p0");
  ASSERT_TRUE(assignment);
  auto token = std::string(assignment->at("join_token").as_string());
  EXPECT_TRUE(verify_join_token(token, KeyRing(old_key), id, clock.now())) << "signed with the server's key";
  EXPECT_FALSE(verify_join_token(token, KeyRing(next), id, clock.now()));

  // A session started after the rotation is given, and signed with, the new key.
  director->host(match());
  settle();
  ASSERT_EQ(runtime.launched.size(), 2u);
  EXPECT_EQ(runtime.launched[1].env.at("WEBGAMES_JOIN_KEY"), base64url_encode(next.public_raw()));
  EXPECT_EQ(recorded(runtime.launched[1].env.at("WEBGAMES_SESSION_ID")).join_key_id, next.key_id());
}

TEST_F(DirectorTest, ReadyHandsOutAssignmentsAndEndStopsTheServer) {
  auto [id, secret] = ready_match();
  auto assignment = director->assignment(id, "acc_p0");
  ASSERT_TRUE(assignment);
  EXPECT_EQ(assignment->at("port"), 41000);
  EXPECT_FALSE(assignment->at("join_token").as_string().empty());
  ASSERT_TRUE(director->server_player(id, secret, "acc_p0", true));
  EXPECT_EQ(director->live_session(id)->state, SessionState::running);

  auto results = boost::json::parse(R"({"results":[{"player_id":"acc_p0","score":2,"rank":1},{"team":1,"rank":2}]})");
  ASSERT_TRUE(director->server_end(id, secret, results));
  settle();
  ASSERT_EQ(runtime.stopped.size(), 1u);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_FALSE(done[0].second) << "an ended session does not requeue";
  runtime.exit("fake:1", "exited with status 0", true);
  EXPECT_EQ(director->live_count(), 0u);
  EXPECT_EQ(ports.in_use(), 0u) << "the port is released";
  auto s = recorded(id);
  EXPECT_EQ(s.state, SessionState::ended);
  EXPECT_NE(s.results.find("acc_p0"), std::string::npos);
}

// Its server's calls after the end answer 409 "ended" before its stop and
// after it alike, not 404 once it is gone (found by an attacker's probe: a
// pool server coded to exit on 409 looped on the 404); for 10 minutes.
TEST_F(DirectorTest, AnEndedSessionsServerIsAnswered409AfterItsStopToo) {
  auto [id, secret] = ready_match();
  ASSERT_TRUE(director->server_end(id, secret, boost::json::parse(R"({"results":[]})")));
  settle();
  EXPECT_EQ(director->server_heartbeat(id, secret).error().code, Errc::conflict);
  runtime.exit("fake:1", "exited with status 0", true);
  ASSERT_EQ(director->live_count(), 0u);
  auto late = director->server_heartbeat(id, secret);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, Errc::conflict);
  EXPECT_EQ(late.error().message, "the session is ended");
  EXPECT_EQ(director->server_heartbeat(id, "not-its-secret").error().code, Errc::forbidden);
  EXPECT_EQ(director->server_heartbeat("ses_never", secret).error().code, Errc::not_found);
  clock.advance(std::chrono::minutes(11));
  // Another session's end: what is remembered is trimmed as it grows.
  runtime.launched.clear();
  auto [other, other_secret] = ready_match();
  auto other_server = director->live_session(other)->runtime_id;
  ASSERT_TRUE(director->server_end(other, other_secret, boost::json::parse(R"({"results":[]})")));
  settle();
  runtime.exit(other_server, "exited with status 0", true);
  ASSERT_EQ(director->live_count(), 0u);
  EXPECT_EQ(director->server_heartbeat(id, secret).error().code, Errc::not_found) << "after 10 minutes";
}

TEST_F(DirectorTest, SessionsAreCountedAndTimed) {
  auto [id, secret] = hosted_match();
  clock.advance(milliseconds(300));
  ASSERT_TRUE(director->server_ready(id, secret));
  settle();  // the players are told
  ASSERT_TRUE(director->server_end(id, secret, boost::json::parse(R"({"results":[]})")));
  tick();  // the snapshot too: the session is ended, its server stopping
  auto text = metrics.render();
  for (const char* line :
       {R"(webgames_sessions_started_total{game="duel-game",runtime="process"} 1)",
        R"(webgames_sessions_ended_total{game="duel-game",runtime="process"} 1)",
        R"(webgames_sessions_failed_total{game="duel-game",runtime="process",reason="crashed"} 0)",
        R"(webgames_session_time_to_ready_seconds_bucket{game="duel-game",le="0.25"} 0)",
        R"(webgames_session_time_to_ready_seconds_bucket{game="duel-game",le="0.5"} 1)",
        R"(webgames_time_to_play_seconds_count{game="duel-game"} 2)", R"(webgames_sessions{state="ended"} 1)"})
    EXPECT_NE(text.find(line), std::string::npos) << line << " not in\n" << text;
}

TEST_F(DirectorTest, AnotherSessionsSecretIsForbidden) {
  director->host(match());
  director->host(match());
  settle();
  auto a = runtime.launched[0].session_id;
  auto b_secret = secret_of(runtime.launched[1]);
  auto r = director->server_ready(a, b_secret);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::forbidden);
  EXPECT_EQ(director->server_ready("ses_nope", b_secret).error().code, Errc::not_found);
}

TEST_F(DirectorTest, BadResultsAreRefusedAndChangeNothing) {
  auto [id, secret] = ready_match();
  for (auto body : {R"({"results":[{"player_id":"acc_stranger"}]})", R"({"results":[{"team":7}]})",
                    R"({"results":[{"score":1}]})", R"({"results":[{"team":0,"rank":0}]})", R"({"results":"none"})"}) {
    auto r = director->server_end(id, secret, boost::json::parse(body));
    EXPECT_FALSE(r) << body;
  }
  std::string big = R"({"results":[{"team":0,"data":")" + std::string(17 * 1024, 'x') + R"("}]})";
  EXPECT_EQ(director->server_end(id, secret, boost::json::parse(big)).error().field, "results[0].data");
  EXPECT_EQ(director->live_session(id)->state, SessionState::ready);
}

TEST_F(DirectorTest, NeverReadyFailsAndRequeues) {
  director->host(match());
  settle();
  clock.advance(seconds(31));
  tick();
  ASSERT_EQ(runtime.stopped.size(), 1u);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_TRUE(done[0].second);
  EXPECT_EQ(done[0].first.size(), 2u);
  runtime.exit("fake:1", "killed by signal 15", false);
  auto s = recorded(runtime.launched[0].session_id);
  EXPECT_EQ(s.state, SessionState::failed);
  EXPECT_NE(s.reason.find("ready"), std::string::npos);
  EXPECT_EQ(failure_kind(s.reason), "ready_timeout");
}

TEST_F(DirectorTest, MissedHeartbeatsFail) {
  auto [id, secret] = ready_match();
  clock.advance(seconds(14));
  tick();
  ASSERT_TRUE(director->server_heartbeat(id, secret));
  clock.advance(seconds(14));
  tick();
  EXPECT_TRUE(runtime.stopped.empty()) << "a heartbeat within 15 s keeps it alive";
  clock.advance(seconds(2));
  tick();
  ASSERT_EQ(runtime.stopped.size(), 1u);
  EXPECT_TRUE(done.at(0).second);
  EXPECT_NE(director->live_session(id)->reason.find("heartbeat"), std::string::npos);
  EXPECT_EQ(failure_kind(director->live_session(id)->reason), "heartbeat_lost");
}

TEST_F(DirectorTest, ACrashFailsAtOnceAndRequeues) {
  director->host(match());
  settle();
  auto id = runtime.launched[0].session_id;
  ASSERT_TRUE(director->server_ready(id, secret_of(runtime.launched[0])));
  runtime.exit("fake:1", "exited with status 3", false);
  settle();
  EXPECT_EQ(director->live_count(), 0u);
  EXPECT_TRUE(done.at(0).second);
  EXPECT_EQ(ports.in_use(), 0u);
  auto s = recorded(id);
  EXPECT_EQ(s.state, SessionState::failed);
  EXPECT_NE(s.reason.find("status 3"), std::string::npos);
  EXPECT_EQ(failure_kind(s.reason), "crashed");
}

TEST_F(DirectorTest, MaximumDurationEndsTheSessionWithoutRequeue) {
  auto [id, secret] = ready_match();
  auto started = clock.now();
  while (runtime.stopped.empty() && clock.now() - started < seconds(700)) {  // heart-beating all along
    clock.advance(seconds(5));
    (void)director->server_heartbeat(id, secret);
    tick();
  }
  ASSERT_EQ(runtime.stopped.size(), 1u);
  EXPECT_GE(clock.now() - started, seconds(600));
  EXPECT_FALSE(done.at(0).second);
  EXPECT_EQ(failure_kind(director->live_session(id)->reason), "time_limit");
}

TEST_F(DirectorTest, AFailedLaunchIsRecordedWithItsReason) {
  runtime.fail_start = true;
  director->host(match());
  settle();
  EXPECT_EQ(director->live_count(), 0u);
  EXPECT_EQ(ports.in_use(), 0u);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_FALSE(done[0].second) << "a broken command would fail again: no requeue";
  director.reset();
  auto s = catalog.sessions_of_game("duel-game", 10).value().at(0);
  EXPECT_EQ(s.state, SessionState::failed);
  EXPECT_NE(s.reason.find("not an executable"), std::string::npos);
  EXPECT_EQ(failure_kind(s.reason), "launch_failed");
}

TEST_F(DirectorTest, ExhaustedPortsHoldTheSessionInAllocating) {
  director->host(match());
  director->host(match());
  settle();
  director->host(match());  // two ports, three sessions
  settle();
  ASSERT_EQ(runtime.launched.size(), 2u);
  // The journal writes in the background: wait for the three records.
  auto waiting = catalog.sessions_of_game("duel-game", 10).value();
  for (int i = 0; i < 200 && waiting.size() < 3; ++i) {
    std::this_thread::sleep_for(milliseconds(5));
    waiting = catalog.sessions_of_game("duel-game", 10).value();
  }
  // Find the allocating one through the director's live view.
  std::string allocating;
  for (const auto& s : waiting)
    if (auto live = director->live_session(s.id); live && live->state == SessionState::allocating) allocating = s.id;
  ASSERT_FALSE(allocating.empty());
  EXPECT_NE(director->live_session(allocating)->reason.find("no free port"), std::string::npos);

  runtime.exit("fake:1", "exited with status 3", false);  // frees a port
  tick();
  tick();
  EXPECT_EQ(runtime.launched.size(), 3u);
  EXPECT_EQ(director->live_session(allocating)->state, SessionState::starting);
}

// The lobby saves a match's tickets with the session id it chose before the
// session's record exists. After a restart a matched ticket no live session
// holds is over only if its session holds it and has ended; otherwise it
// comes back with no session id (the lobby requeues it).
TEST_F(DirectorTest, AMatchedTicketIsOverOnlyIfItsSessionHeldItAndEnded) {
  auto m = match();
  m.session_id = "ses_chosen";
  EXPECT_EQ(director->host(m), "ses_chosen");
  settle();
  auto secret = secret_of(runtime.launched[0]);
  ASSERT_TRUE(director->server_ready("ses_chosen", secret));
  settle();
  ASSERT_TRUE(director->server_end("ses_chosen", secret, boost::json::parse(R"({"results":[]})")));
  director.reset();
  auto ticket = [](std::string id, std::string session) {
    Ticket t;
    t.id = std::move(id);
    t.state = TicketState::matched;
    t.session_id = std::move(session);
    return t;
  };
  director = make_director(
      {ticket("tkt_0", "ses_chosen"), ticket("tkt_9", "ses_chosen"), ticket("tkt_5", "ses_never_recorded")});
  std::map<std::string, std::string> session_of;
  for (const auto& t : unclaimed) session_of[t.id] = t.session_id;
  EXPECT_EQ(session_of, (std::map<std::string, std::string>{{"tkt_0", "ses_chosen"}, {"tkt_5", ""}, {"tkt_9", ""}}));
}

TEST_F(DirectorTest, RestartAdoptsLiveServersAndFailsLostOnes) {
  director->host(match());
  director->host(match());
  settle();
  auto adopted = runtime.launched[0].session_id;
  auto lost = runtime.launched[1].session_id;
  ASSERT_TRUE(director->server_ready(adopted, secret_of(runtime.launched[0])));
  director.reset();  // the control plane goes away; servers keep running
  runtime.alive = {"fake:1"};
  ports = PortAllocator{41000, 41001};  // a new process starts with no ports taken
  director = make_director();
  EXPECT_EQ(director->live_count(), 1u);
  EXPECT_EQ(director->live_session(adopted)->state, SessionState::ready);
  EXPECT_EQ(ports.in_use(), 1u) << "the adopted server keeps its port";
  // It still accepts its own secret, and can end normally.
  ASSERT_TRUE(director->server_end(adopted, secret_of(runtime.launched[0]), boost::json::parse(R"({"results":[]})")));
  director.reset();
  EXPECT_EQ(catalog.session_by_id(lost)->state, SessionState::failed);
  EXPECT_EQ(failure_kind(catalog.session_by_id(lost)->reason), "lost_on_restart");
  EXPECT_EQ(runtime.cleaned, std::vector<std::string>{"fake:2"}) << "what the lost server left is cleaned up";
  EXPECT_EQ(catalog.session_by_id(adopted)->state, SessionState::ended);
}

}  // namespace
}  // namespace webgames

namespace webgames {
namespace {

// Write-ahead: when the runtime is asked to start a server, the session's
// record (Starting, with its ports) is already in the catalog.
TEST_F(DirectorTest, TheSessionIsRecordedBeforeItsServerStarts) {
  std::optional<Session> at_start;
  runtime.on_start = [&](const LaunchRequest& r) {
    auto s = catalog.session_by_id(r.session_id);
    if (s) at_start = *s;
  };
  director->host(match());
  settle();
  ASSERT_EQ(runtime.launched.size(), 1u);
  ASSERT_TRUE(at_start) << "the server started before its session was recorded";
  EXPECT_EQ(at_start->state, SessionState::starting);
  EXPECT_EQ(at_start->ports.at("game"), 41000);
  EXPECT_FALSE(at_start->sdk_secret_hash.empty());
}

// The end: results (and the ratings hook) saved, then the server stopped.
TEST_F(DirectorTest, ResultsAreSavedBeforeTheServerIsStopped) {
  std::optional<Session> at_stop;
  std::vector<std::string> order;
  runtime.on_stop = [&](const std::string&) {
    order.push_back("stop");
    if (auto s = catalog.sessions_of_game("duel-game", 1); s && !s->empty()) at_stop = s->front();
  };
  director->on_session_ended([&](const Session&) { order.push_back("rated"); });
  auto [id, secret] = ready_match();
  settle();
  ASSERT_TRUE(director->server_end(id, secret, boost::json::parse(R"({"results":[{"player_id":"acc_p0","rank":1}]})")));
  settle();
  ASSERT_TRUE(at_stop);
  EXPECT_EQ(at_stop->state, SessionState::ended);
  EXPECT_NE(at_stop->results.find("acc_p0"), std::string::npos);
  EXPECT_EQ(order, (std::vector<std::string>{"rated", "stop"}));
}

// The end is told after the record is saved, and then the session is saved
// told; a director that starts tells each end left untold (its owner died
// in between) to the players whose stream does not hold it yet, once.
TEST_F(DirectorTest, AnEndLeftUntoldIsToldOnceByTheNextDirector) {
  auto [id, secret] = ready_match();
  settle();
  ASSERT_TRUE(director->server_end(id, secret, boost::json::parse(R"({"results":[]})")));
  settle();
  settle();  // the told mark lands after the events are stored
  EXPECT_TRUE(catalog.session_by_id(id)->told);
  EXPECT_TRUE(catalog.untold_sessions()->empty());

  // Another session ended, saved, and only its first player told before
  // the director died.
  auto untold = catalog.session_by_id(id).value();
  untold.id = "ses_untold";
  untold.told = false;
  untold.results = R"([{"player_id":"acc_p0","rank":1}])";
  ASSERT_TRUE(catalog.save_session(untold));
  events.publish("acc_p0", "session.ended",
                 boost::json::object{{"session_id", "ses_untold"}, {"results", boost::json::array{}}});
  auto before_p0 = event_types("acc_p0");
  auto before_p1 = event_types("acc_p1");
  director.reset();
  director = make_director();
  for (int i = 0; i < 5; ++i) settle();
  EXPECT_TRUE(catalog.untold_sessions()->empty()) << "the session is marked told";
  EXPECT_TRUE(catalog.session_by_id("ses_untold")->told);
  EXPECT_EQ(event_types("acc_p0"), before_p0) << "a player who was told is not told again";
  auto after_p1 = event_types("acc_p1");
  ASSERT_EQ(after_p1.size(), before_p1.size() + 1);
  EXPECT_EQ(after_p1.back(), "session.ended");
}

// A session adopted ready: its assignment is told again only to the players
// whose stream lacks it (the previous run died before that event was
// stored, as a replica's unsent events die with it), once.
TEST_F(DirectorTest, AnAdoptedReadySessionsAssignmentIsToldOnlyToThePlayersWhoLackIt) {
  auto [id, secret] = ready_match();
  settle();
  EXPECT_EQ(event_types("acc_p1"), std::vector<std::string>{"session.ready"});
  director.reset();  // the server runs on
  // The stream the next run reads: p0's assignment was stored, p1's lost.
  EmbeddedEventBus kept{clock};
  kept.publish("acc_p0", "session.ready", boost::json::object{{"session_id", id}});
  runtime.alive = {"fake:1"};
  ports = PortAllocator{41000, 41001};
  director = make_director({}, nullptr, &kept);
  for (int i = 0; i < 5; ++i) settle();
  EXPECT_EQ(event_types("acc_p0", &kept), std::vector<std::string>{"session.ready"}) << "p0 was told already";
  EXPECT_EQ(event_types("acc_p1", &kept), std::vector<std::string>{"session.ready"});
  director.reset();  // before `kept` goes
}

// A session whose server died while no director ran: the next one fails it
// and tells each player so once, requeued, their ticket going back to its
// queue (found by an attacker's probe: the end was told a second time, as
// not requeued, when its save landed before the untold ends were read).
TEST_F(DirectorTest, ASessionLostWhileNoDirectorRanIsToldFailedOnceAndRequeued) {
  for (int round = 0; round < 20; ++round) {
    auto [id, secret] = hosted_match();
    ASSERT_TRUE(director->server_ready(id, secret));
    settle();
    director.reset();
    runtime.launched.clear();
    runtime.alive.clear();  // its server died meanwhile
    ports = PortAllocator{41000, 41001};
    director = make_director(matched_to(id));
    for (int i = 0; i < 5; ++i) settle();
    for (const auto& player : {"acc_p0", "acc_p1"})
      ASSERT_EQ(failures_told(player, id), std::vector<bool>{true}) << player << ", round " << round;
    ASSERT_EQ(done.size(), 1u);
    EXPECT_TRUE(done.back().second) << "its tickets go back to their queue";
    done.clear();
  }
}

// The director saved a session failed, and was killed before telling its
// players or sending their tickets back: the next one does both, as the
// dead one would have (not "done, not requeued").
TEST_F(DirectorTest, AFailureSavedButNotToldIsToldAndRequeuedByTheNextDirector) {
  auto id = failed_with_requeue_then_restarted(false);
  for (int i = 0; i < 5; ++i) settle();
  for (const auto& player : {"acc_p0", "acc_p1"})
    EXPECT_EQ(failures_told(player, id), std::vector<bool>{true}) << player;
  ASSERT_EQ(done.size(), 1u);
  EXPECT_TRUE(done[0].second) << "its tickets go back to their queue";
  EXPECT_EQ(done[0].first.size(), 2u);
  EXPECT_TRUE(catalog.session_by_id(id).value().told);
}

// The failure landed and was told (requeued: true); the lobby's requeue of
// its tickets had not when webgames died (found by an audit: the restart
// took the tickets for played and the lobby dropped them, their players
// waiting for ever). They come back from start() as not played, with no
// session id: the lobby puts them back in their queue (Lobby::settle).
TEST_F(DirectorTest, TicketsAToldFailureSentBackAreNotPlayedThoughTheirRequeueNeverLanded) {
  failed_with_requeue_then_restarted(true);
  settle();
  ASSERT_EQ(unclaimed.size(), 2u);
  for (const auto& t : unclaimed) EXPECT_TRUE(t.session_id.empty()) << t.id << " taken for played";
}

// Two backfills of one session in one turn of the strand, before the first
// one's record has landed (one match of the lobby filling both teams): each
// newcomer is told session.ready once, by the write naming them (found by a
// review: the first write's landing told the second batch too, before its
// record existed, and the second write told it again).
TEST_F(DirectorTest, PlayersOfTwoBackfillsMadeAtOnceAreEachToldReadyOnce) {
  auto [id, secret] = ready_match();
  settle();
  auto ticket_of = [&](const std::string& player) {
    Ticket t;
    t.id = "tkt_" + player;
    t.players = {player};
    t.created_at = clock.now();
    return std::vector<Ticket>{t};
  };
  ASSERT_TRUE(director->add_players(id, 0, ticket_of("acc_x"), {{"acc_x", "x"}}));
  ASSERT_TRUE(director->add_players(id, 1, ticket_of("acc_y"), {{"acc_y", "y"}}));
  settle();
  for (const auto& player : {"acc_x", "acc_y"}) {
    auto types = event_types(player);
    EXPECT_EQ(std::count(types.begin(), types.end(), "session.ready"), 1) << player;
  }
  EXPECT_EQ(director->live_session(id)->players.size(), 4u);
}

// A session held in Allocating fails at its deadline, without requeue.
TEST_F(DirectorTest, ASessionHeldInAllocatingFailsAtItsDeadline) {
  director->host(match());
  director->host(match());
  auto held = director->host(match());  // two ports, three sessions
  settle();
  ASSERT_EQ(director->live_session(held)->state, SessionState::allocating);
  clock.advance(seconds(29));
  tick();
  ASSERT_EQ(director->live_session(held)->state, SessionState::allocating);
  clock.advance(seconds(2));
  tick();
  EXPECT_FALSE(director->live_session(held)) << "the held session is over";
  // (The two started ones missed their ready timeout meanwhile.)
  auto held_done = std::find_if(done.begin(), done.end(),
                                [&](const auto& d) { return !d.first.empty() && d.first[0].session_id == held; });
  ASSERT_NE(held_done, done.end());
  EXPECT_FALSE(held_done->second) << "no requeue: ports are still short";
  auto s = recorded(held);
  EXPECT_EQ(s.state, SessionState::failed);
  EXPECT_NE(s.reason.find("no server could be allocated within 30.0 s"), std::string::npos) << s.reason;
  EXPECT_NE(s.reason.find("no free port"), std::string::npos) << s.reason;
  EXPECT_EQ(failure_kind(s.reason), "no_capacity");
}

// webgames killed after the server started, before its id was saved: the
// record says Starting with no server; the restart finds the server by the
// runtime's marker and adopts it.
TEST_F(DirectorTest, RestartFindsAServerWhoseIdWasNeverSaved) {
  director->host(match());
  settle();
  auto id = runtime.launched[0].session_id;
  director.reset();
  auto record = catalog.session_by_id(id).value();
  record.runtime_id.clear();  // as written before the start
  record.host.clear();
  ASSERT_TRUE(catalog.save_session(record));
  runtime.found[id] = "fake:1";
  runtime.alive = {"fake:1"};
  ports = PortAllocator{41000, 41001};
  director = make_director();
  settle();
  ASSERT_EQ(director->live_count(), 1u);
  EXPECT_EQ(director->live_session(id)->runtime_id, "fake:1");
  EXPECT_EQ(director->live_session(id)->host, "127.0.0.1");
  EXPECT_EQ(ports.in_use(), 1u);
  ASSERT_TRUE(director->server_ready(id, secret_of(runtime.launched[0])));
  EXPECT_EQ(recorded(id).runtime_id, "fake:1") << "the found id is saved";
}

TEST_F(DirectorTest, PortsAreTakenPerNodeAndPlayersSentToTheirNode) {
  runtime.nodes = {Placement{"n1", "10.0.0.1"}, Placement{"n2", "10.0.0.2"}};
  runtime.taken_elsewhere = {{"n2", 41000}};            // another program's port, on n2 only
  for (int i = 0; i < 4; ++i) director->host(match());  // a range of two ports, two nodes
  settle();
  ASSERT_EQ(runtime.launched.size(), 3u) << "n1 has both ports free, n2 only 41001";
  std::map<std::string, std::set<int>> by_node;
  for (const auto& r : runtime.launched) by_node[r.placement.node].insert(r.ports.at("game"));
  EXPECT_EQ(by_node["n1"], (std::set<int>{41000, 41001}));
  EXPECT_EQ(by_node["n2"], (std::set<int>{41001}));
  EXPECT_EQ(director->live_session(runtime.launched[0].session_id)->host, "10.0.0.1");
  auto on_n2 = runtime.launched[1].session_id;
  EXPECT_EQ(director->live_session(on_n2)->host, "10.0.0.2") << "players are sent to the server's node";
  EXPECT_EQ(ports.in_use(), 3u);
  ASSERT_TRUE(director->server_ready(on_n2, secret_of(runtime.launched[1])));
  settle();
  auto assignment = director->assignment(on_n2, "acc_p0");
  ASSERT_TRUE(assignment) << assignment.error().message;
  EXPECT_EQ(assignment->at("host").as_string(), "10.0.0.2");

  // The node is recorded with the session: a restart holds each adopted
  // server's ports on its own node again.
  director.reset();
  EXPECT_EQ(catalog.session_by_id(on_n2)->node, "n2");
  runtime.alive = {"fake:2"};
  runtime.nodes.clear();
  ports = PortAllocator{41000, 41001};
  director = make_director();
  EXPECT_EQ(ports.in_use(), 1u);
  auto any = [](int, Protocol) { return true; };
  auto n1 = ports.take({{"game", Protocol::tcp}}, "n1", any);
  ASSERT_TRUE(n1);
  auto n2 = ports.take({{"game", Protocol::tcp}}, "n2", any);
  ASSERT_TRUE(n2);
  EXPECT_EQ(n2->at("game"), 41000) << "41001 is the adopted server's on n2";
  EXPECT_FALSE(ports.take({{"game", Protocol::tcp}}, "n2", any)) << "n2's range is exhausted";
}

}  // namespace
}  // namespace webgames

namespace webgames {
namespace {

TEST_F(DirectorTest, APoolMatchTakesAReadyServerWithoutAStart) {
  director->set_pools({pooled_game(1)});
  settle();
  ASSERT_EQ(runtime.launched.size(), 1u) << "buffer 1: one server started before any match";
  auto pooled = runtime.launched[0];
  EXPECT_EQ(pooled.env.at("WEBGAMES_POOLED"), "1");
  EXPECT_EQ(boost::json::parse(pooled.env.at("WEBGAMES_PLAYERS")).at("players").as_array().size(), 0u);
  auto id = pooled.session_id;
  ASSERT_TRUE(director->server_ready(id, secret_of(pooled)));
  EXPECT_EQ(director->live_session(id)->state, SessionState::idle);
  EXPECT_FALSE(director->allocation(id, secret_of(pooled)).value()) << "no match yet";
  bool woken = false;
  director->on_allocated(id, [&] { woken = true; });

  EXPECT_EQ(director->host(match()), id) << "the match gets the ready server";
  EXPECT_FALSE(woken) << "nobody learns of the match before its record landed";
  settle();
  EXPECT_TRUE(woken);
  ASSERT_EQ(runtime.launched.size(), 2u) << "no start for the match; one to refill the pool";
  EXPECT_TRUE(runtime.launched[1].env.contains("WEBGAMES_POOLED"));
  auto allocation = director->allocation(id, secret_of(pooled)).value();
  ASSERT_TRUE(allocation);
  EXPECT_EQ(allocation->at("queue"), "duel");
  EXPECT_EQ(allocation->at("teams").as_array().size(), 2u);
  EXPECT_EQ(allocation->at("players").at(1).at("name"), "player1");
  EXPECT_EQ(director->assignment(id, "acc_p0")->at("port"), 41000);
  ASSERT_TRUE(director->server_player(id, secret_of(pooled), "acc_p0", true));
  auto s = recorded(id);
  EXPECT_EQ(s.state, SessionState::running);
  EXPECT_TRUE(s.pooled);
  EXPECT_EQ(s.players.size(), 2u);
}

TEST_F(DirectorTest, ADeadPoolServerIsReplacedAndNeverHandedOut) {
  director->set_pools({pooled_game(1)});
  settle();
  ASSERT_TRUE(director->server_ready(runtime.launched[0].session_id, secret_of(runtime.launched[0])));
  runtime.exit("fake:1", "killed by signal 9", false);
  settle();
  EXPECT_EQ(director->pool_spare("duel-game"), 0);
  clock.advance(seconds(2));  // past the back-off after a failure
  tick();
  ASSERT_EQ(runtime.launched.size(), 2u) << "replaced";
  auto replacement = runtime.launched[1];
  // Not ready yet: a match cold-starts its own server rather than wait.
  auto id = director->host(match());
  settle();
  EXPECT_NE(id, replacement.session_id);
  ASSERT_EQ(runtime.launched.size(), 3u);
  EXPECT_FALSE(runtime.launched[2].env.contains("WEBGAMES_POOLED"));

  // A ready one that stopped answering is failed, not handed out.
  ASSERT_TRUE(director->server_ready(replacement.session_id, secret_of(replacement)));
  ASSERT_TRUE(director->server_ready(id, secret_of(runtime.launched[2])));
  clock.advance(seconds(16));
  (void)director->server_heartbeat(id, secret_of(runtime.launched[2]));
  EXPECT_NE(director->host(match()), replacement.session_id);
  tick();
  auto dead = recorded(runtime.launched[0].session_id);
  EXPECT_EQ(dead.state, SessionState::failed);
  EXPECT_TRUE(dead.players.empty()) << "never handed to players";
  auto stale = catalog.session_by_id(replacement.session_id).value();
  EXPECT_EQ(stale.state, SessionState::failed);
  EXPECT_TRUE(stale.players.empty());
}

TEST_F(DirectorTest, SurplusPoolServersStopAfterTheIdleTimeout) {
  director->set_pools({pooled_game(2, 10)});
  settle();
  ASSERT_EQ(runtime.launched.size(), 2u);
  for (const auto& r : runtime.launched) ASSERT_TRUE(director->server_ready(r.session_id, secret_of(r)));
  director->set_pools({pooled_game(1, 10)});
  tick();
  EXPECT_TRUE(runtime.stopped.empty()) << "a surplus server idles up to the timeout first";
  clock.advance(seconds(5));
  heartbeat_all();
  tick();
  EXPECT_TRUE(runtime.stopped.empty());
  clock.advance(seconds(6));
  heartbeat_all();
  tick();
  ASSERT_EQ(runtime.stopped.size(), 1u) << "one surplus server, stopped";
  EXPECT_EQ(director->pool_spare("duel-game"), 1);
  auto stopped = runtime.stopped[0] == "fake:1" ? runtime.launched[0] : runtime.launched[1];
  runtime.exit(runtime.stopped[0], "exited with status 0", true);
  auto s = recorded(stopped.session_id);
  EXPECT_EQ(s.state, SessionState::ended);
  EXPECT_NE(s.reason.find("idle"), std::string::npos);
}

TEST_F(DirectorTest, PolicyOffOrADeletedGameStopsThePool) {
  director->set_pools({pooled_game(2)});
  settle();
  ASSERT_EQ(runtime.launched.size(), 2u);
  ASSERT_TRUE(director->server_ready(runtime.launched[0].session_id, secret_of(runtime.launched[0])));
  director->set_pools({});  // the game's policy went off, or it was deleted
  settle();
  EXPECT_EQ(runtime.stopped.size(), 2u) << "the idle one and the starting one";
  for (const auto& id : runtime.stopped) runtime.exit(id, "exited with status 0", true);
  EXPECT_EQ(director->live_count(), 0u);
  EXPECT_EQ(ports.in_use(), 0u);
  EXPECT_EQ(director->quota_use("acc_dev").servers, 0);
  auto id = director->host(match());
  settle();
  EXPECT_FALSE(runtime.launched.back().env.contains("WEBGAMES_POOLED")) << "cold starts again";
  EXPECT_EQ(runtime.launched.back().session_id, id);
}

TEST_F(DirectorTest, ARestartAdoptsPoolServersAndHandsThemOut) {
  director->set_pools({pooled_game(2)});
  settle();
  ASSERT_EQ(runtime.launched.size(), 2u);
  auto idle = runtime.launched[0];
  ASSERT_TRUE(director->server_ready(idle.session_id, secret_of(idle)));
  settle();
  director.reset();            // webgames killed: its pool servers run on
  runtime.alive = {"fake:1"};  // but the second died meanwhile
  ports = PortAllocator{41000, 41001};
  director = make_director();
  settle();
  EXPECT_EQ(runtime.cleaned, std::vector<std::string>{"fake:2"});
  EXPECT_EQ(director->live_session(idle.session_id)->state, SessionState::idle);
  director->set_pools({pooled_game(1)});
  settle();
  EXPECT_EQ(runtime.launched.size(), 2u) << "the adopted server fills the pool: none started";
  EXPECT_EQ(director->host(match()), idle.session_id);
  settle();
  ASSERT_TRUE(director->allocation(idle.session_id, secret_of(idle)).value());
  EXPECT_EQ(recorded(runtime.launched[1].session_id).state, SessionState::failed);
}

TEST_F(DirectorTest, ARestartedDirectorsPoolGoesOnFromWhatItsSizerLearned) {
  SqlitePoolSizerStore store(dir.path() / "lobby.db");
  ports = PortAllocator{41000, 41199};
  director.reset();
  director = make_director({}, &store);
  auto game = match().game;
  game.pool.policy = PoolPolicy::predictive;
  director->set_pools({game});
  settle();
  EXPECT_EQ(director->pool_spare("duel-game"), 0) << "nobody played yet: the prior keeps none";
  for (int i = 0; i < 40; ++i) {  // 2 matches a second for 20 s
    clock.advance(milliseconds(500));
    director->host(match());
    settle();
  }
  const int learned = director->pool_spare("duel-game");
  ASSERT_GT(learned, 0) << "the forecast asks for ready servers";
  clock.advance(seconds(5));  // one period of saves
  tick();

  // kill -9: no stop(), only what the periodic save kept. Every server died with it.
  director.reset();
  ports = PortAllocator{41000, 41199};
  const auto launched = runtime.launched.size();
  director = make_director();
  director->set_pools({game});
  settle();
  EXPECT_EQ(director->pool_spare("duel-game"), 0) << "without the saved state, the prior: none";
  director.reset();
  ports = PortAllocator{41000, 41199};
  director = make_director({}, &store);
  director->set_pools({game});
  settle();
  EXPECT_GE(director->pool_spare("duel-game"), learned - 1) << "the restart goes on from the learned forecast";
  EXPECT_GT(runtime.launched.size(), launched) << "ready servers started before any new match";
}

}  // namespace
}  // namespace webgames
