#include "webgames/sdk.h"

#include "fake_webgames.h"
#include "test_join_key.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

#include <thread>

namespace webgames::sdk {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

class SessionHttp : public ::testing::Test {
 protected:
  testing::FakeWebgames webgames;
  testing::TestJoinKey key;

  Session session(Options options = {}, std::string url = {}) {
    return Session::from_variables(testing::session_variables(url.empty() ? webgames.url() : url, key, "ses_1", 7000),
                                   std::move(options));
  }
  static Options quick() {
    Options o;
    o.heartbeat_interval = 50ms;
    o.request_timeout = 2s;
    o.retry_delay = 10ms;
    o.log = [](std::string_view) {};
    return o;
  }
};

TEST_F(SessionHttp, ReadyPostsWithTheSessionSecret) {
  auto s = session();
  ASSERT_TRUE(s.ready());
  auto calls = webgames.requests();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].method, "POST");
  EXPECT_EQ(calls[0].target, "/v1/sdk/sessions/ses_1/ready");
  EXPECT_EQ(calls[0].authorization, "Bearer secret-ses_1");
  EXPECT_EQ(calls[0].content_type, "application/json");
  EXPECT_EQ(calls[0].body, "{}");
}

TEST_F(SessionHttp, HeartbeatsFromReadyUntilEnd) {
  auto s = session(quick());
  ASSERT_TRUE(s.ready());
  ASSERT_TRUE(webgames.wait_for("/heartbeat", 3, 5s));
  ASSERT_TRUE(s.end({}));
  auto after_end = webgames.requests_to("/heartbeat").size();
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(webgames.requests_to("/heartbeat").size(), after_end);
  EXPECT_EQ(webgames.requests_to("/heartbeat")[0].target, "/v1/sdk/sessions/ses_1/heartbeat");
  EXPECT_EQ(webgames.requests().back().target, "/v1/sdk/sessions/ses_1/end");
}

TEST_F(SessionHttp, ReportsPlayersComingAndGoing) {
  auto s = session();
  ASSERT_TRUE(s.player_connected("acc_a"));
  ASSERT_TRUE(s.player_disconnected("acc_a"));
  ASSERT_TRUE(s.player_connected("a/b c"));  // escaped, cannot change the path
  auto calls = webgames.requests();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[0].target, "/v1/sdk/sessions/ses_1/players/acc_a/connected");
  EXPECT_EQ(calls[1].target, "/v1/sdk/sessions/ses_1/players/acc_a/disconnected");
  EXPECT_EQ(calls[2].target, "/v1/sdk/sessions/ses_1/players/a%2Fb%20c/connected");
}

TEST_F(SessionHttp, EndPostsTheResults) {
  auto s = session();
  std::vector<Result> results{
      {.player_id = "acc_a", .team = 0, .score = 2, .rank = 1, .data = {{"moves", json::array{"rock", "paper"}}}},
      {.player_id = "acc_b", .team = std::nullopt, .score = 0.5, .rank = 2, .data = {}},
      {.player_id = "", .team = 1, .score = 0, .rank = 2, .data = {}}};
  ASSERT_TRUE(s.end(results));
  auto calls = webgames.requests_to("/end");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].target, "/v1/sdk/sessions/ses_1/end");
  EXPECT_EQ(json::parse(calls[0].body), json::parse(R"({"results":[
      {"player_id":"acc_a","team":0,"score":2,"rank":1,"data":{"moves":["rock","paper"]}},
      {"player_id":"acc_b","score":0.5,"rank":2},
      {"team":1,"score":0,"rank":2}]})"));
}

TEST_F(SessionHttp, EndRefusesResultsThatBreakTheLimitsWithoutACall) {
  auto s = session();
  auto refused = [&](Result r) {
    auto outcome = s.end({r});
    return !outcome && outcome.error().code == "invalid_field" && outcome.error().http_status == 0;
  };
  EXPECT_TRUE(refused({.player_id = "acc_a", .team = {}, .score = 1, .rank = 0, .data = {}}));
  EXPECT_TRUE(refused({.player_id = "", .team = {}, .score = 1, .rank = 1, .data = {}}));
  EXPECT_TRUE(
      refused({.player_id = "acc_a", .team = {}, .score = 1, .rank = 1, .data = {{"x", std::string(17000, 'x')}}}));
  std::vector<Result> many(
      8, Result{.player_id = "acc_a", .team = {}, .score = 1, .rank = 1, .data = {{"x", std::string(9000, 'x')}}});
  EXPECT_FALSE(s.end(many));
  EXPECT_TRUE(webgames.requests().empty());
}

TEST_F(SessionHttp, AServerStartedForItsMatchHasItsAllocationWithoutACall) {
  auto s = session(quick());
  EXPECT_FALSE(s.pooled());
  auto allocation = s.wait_for_allocation();
  ASSERT_TRUE(allocation);
  EXPECT_EQ(allocation->players.size(), 2u);
  EXPECT_EQ(allocation->team_count, 2);
  EXPECT_TRUE(webgames.requests().empty());
}

class PooledSessionHttp : public SessionHttp {
 protected:
  Session pooled_session() {
    auto vars = testing::session_variables(webgames.url(), key, "ses_1", 7000);
    vars.erase("WEBGAMES_PLAYERS");
    vars["WEBGAMES_POOLED"] = "1";
    auto options = quick();
    options.allocation_wait = 100ms;
    return Session::from_variables(vars, options);
  }
  static constexpr std::string_view kPoll = "/allocation?wait=100ms";
};

TEST_F(PooledSessionHttp, LongPollsUntilAMatchTakesIt) {
  auto s = pooled_session();
  EXPECT_TRUE(s.pooled());
  EXPECT_TRUE(s.players().empty());
  webgames.answer_next(std::string(kPoll), 204, "", 2);  // no match within the wait: asked again
  webgames.answer_next(std::string(kPoll), 503, "", 1);  // a takeover: asked again after a pause
  webgames.answer_next(std::string(kPoll), 200,
                       R"({"session_id":"ses_1","game":"g","queue":"duel","region":"eu","teams":[["acc_a"],["acc_b"]],)"
                       R"("players":[{"id":"acc_a","name":"alice","team":0},{"id":"acc_b","name":"bob","team":1}]})");
  auto allocation = s.wait_for_allocation();
  ASSERT_TRUE(allocation) << allocation.error().message;
  EXPECT_EQ(allocation->queue, "duel");
  EXPECT_EQ(allocation->region, "eu");
  EXPECT_EQ(allocation->team_count, 2);
  ASSERT_EQ(s.players().size(), 2u);
  EXPECT_EQ(s.find_player("acc_b")->name, "bob");
  auto polls = webgames.requests_to(kPoll);
  ASSERT_EQ(polls.size(), 4u);
  EXPECT_EQ(polls[0].method, "GET");
  EXPECT_EQ(polls[0].target, "/v1/sdk/sessions/ses_1/allocation?wait=100ms");
  EXPECT_EQ(polls[0].authorization, "Bearer secret-ses_1");
  EXPECT_TRUE(s.wait_for_allocation()) << "known once: no call again";
  EXPECT_EQ(webgames.requests_to(kPoll).size(), 4u);
}

TEST_F(PooledSessionHttp, StopsWaitingWhenTheSessionEnded) {
  auto s = pooled_session();
  webgames.answer_next(std::string(kPoll), 409, R"({"error":{"code":"conflict","message":"the session is ended"}})");
  auto r = s.wait_for_allocation();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "conflict");

  std::stop_source stop;
  stop.request_stop();
  auto cancelled = pooled_session().wait_for_allocation(stop.get_token());
  ASSERT_FALSE(cancelled);
  EXPECT_EQ(cancelled.error().code, "cancelled");
}

TEST_F(SessionHttp, ReturnsWebgamesErrors) {
  webgames.answer_next("/ready", 403, R"({"error":{"code":"forbidden","message":"not your session"}})");
  auto s = session(quick());
  auto r = s.ready();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "forbidden");
  EXPECT_EQ(r.error().message, "not your session");
  EXPECT_EQ(r.error().http_status, 403);
  EXPECT_EQ(webgames.requests().size(), 1u);  // a 4xx is final
  EXPECT_THROW(r.value(), Exception);
}

TEST_F(SessionHttp, RetriesReadyAndEndOnServerErrors) {
  webgames.answer_next("/ready", 503, "", 2);
  webgames.answer_next("/end", 502, "", 1);
  auto s = session(quick());
  EXPECT_TRUE(s.ready());
  EXPECT_EQ(webgames.requests_to("/ready").size(), 3u);
  EXPECT_TRUE(s.end({}));
  EXPECT_EQ(webgames.requests_to("/end").size(), 2u);
}

TEST_F(SessionHttp, PlayerReportsAreNotRetried) {
  webgames.answer_next("/connected", 503);
  auto s = session(quick());
  auto r = s.player_connected("acc_a");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().http_status, 503);
  EXPECT_EQ(webgames.requests().size(), 1u);
}

TEST_F(SessionHttp, SaysUnavailableWhenNobodyListens) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor closed(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  auto url = "http://127.0.0.1:" + std::to_string(closed.local_endpoint().port());
  closed.close();
  auto options = quick();
  options.attempts = 2;
  auto s = session(options, url);
  auto r = s.ready();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "unavailable");
  EXPECT_EQ(r.error().http_status, 0);
}

TEST_F(SessionHttp, GivesUpAfterTheTimeout) {
  webgames.answer_next("/connected", 0);  // never answers
  auto options = quick();
  options.request_timeout = 200ms;
  auto s = session(options);
  auto start = std::chrono::steady_clock::now();
  auto r = s.player_connected("acc_a");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "unavailable");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST_F(SessionHttp, DestructionCancelsAHeartbeatInFlight) {
  webgames.answer_next("/heartbeat", 0);
  auto options = quick();
  options.request_timeout = 30s;
  std::chrono::steady_clock::time_point start;
  {
    auto s = session(options);
    ASSERT_TRUE(s.ready());
    ASSERT_TRUE(webgames.wait_for("/heartbeat", 1, 5s));
    start = std::chrono::steady_clock::now();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST_F(SessionHttp, LogsFailedHeartbeats) {
  webgames.answer_next("/heartbeat", 409, R"({"error":{"code":"conflict","message":"session ended"}})");
  std::mutex m;
  std::vector<std::string> lines;
  auto options = quick();
  options.log = [&](std::string_view line) {
    std::lock_guard lock(m);
    lines.emplace_back(line);
  };
  auto s = session(options);
  ASSERT_TRUE(s.ready());
  ASSERT_TRUE(webgames.wait_for("/heartbeat", 2, 5s));
  ASSERT_TRUE(s.end({}));
  std::lock_guard lock(m);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "heartbeat failed: conflict: session ended");
}

}  // namespace
}  // namespace webgames::sdk
