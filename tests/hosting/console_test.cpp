// The console's WebSocket, /v1/console/events, against the real binary: a
// match played on the process runtime shows on a developer's console as
// session.changed frames in the order of the session's life, and samples
// arrive; another developer's console sees none of it; a player's token and
// no token are refused in plain HTTP before the upgrade. Every frame is
// checked against the ConsoleEvent schema of docs/api/openapi.yaml.

#include "hosting/hosting_test.h"

#include "domain/session.h"

#include <gmock/gmock.h>
#include <boost/json/serialize.hpp>

#include <stdexcept>

namespace webgames::testing {
namespace {

namespace json = boost::json;

class ConsoleTest : public HostingTest {
 protected:
  void SetUp() override {
    HostingTest::SetUp();
    auto flags = fast_flags();
    flags.insert(flags.end(), {"--console-sample-s", "1"});
    start_webgames(flags);
  }

  // The message of the refusal of a console opened with `token` and `game`.
  std::string refusal(const std::string& token, const std::string& game = {}) {
    try {
      EventsClient::console(port(), token, game);
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    return "(not refused)";
  }
};

// The states of `session` in the console's session.changed frames, in order.
std::vector<std::string> states_of(const EventsClient& console, const std::string& session) {
  std::vector<std::string> out;
  for (const auto& e : console.received())
    if (e.type == "session.changed" && e.str("id") == session) out.push_back(e.str("state"));
  return out;
}

// Like the players' streams: a console lives no longer than its login.
TEST_F(ConsoleTest, ALogoutClosesTheConsolesItsLoginOpened) {
  auto console = EventsClient::console(port(), developer().token);
  auto out = call(verb::post, "/v1/auth/logout", {}, developer().token);
  ASSERT_EQ(out.status, 204u) << out.raw;
  ASSERT_TRUE(console->wait_closed(5s));
  EXPECT_EQ(console->close_reason().code, 4003);
  EXPECT_EQ(std::string(console->close_reason().reason.c_str()), "logged out");
}

TEST_F(ConsoleTest, AMatchShowsOnItsDevelopersConsoleInOrder) {
  create_game("console-duel", script_server("good.sh"), duel_queue());
  auto mine = EventsClient::console(port(), developer().token);
  auto other = register_developer("other-dev");
  auto theirs = EventsClient::console(port(), other.token);

  auto a = join_queue("console-a", "console-duel");
  auto b = join_queue("console-b", "console-duel");
  auto ready = expect_event(a, "session.ready");
  expect_event(b, "session.ready");
  auto session = ready.str("session_id");
  end_sessions();
  for (auto* p : {&a, &b}) expect_event(*p, "session.ended");

  auto ended = mine->next_of("session.changed", 10s,
                             [&](const Event& e) { return e.str("id") == session && e.str("state") == "ended"; });
  ASSERT_TRUE(ended) << mine->describe();
  EXPECT_EQ(ended->str("game"), "console-duel");
  auto states = states_of(*mine, session);
  ASSERT_GE(states.size(), 3u) << mine->describe();
  EXPECT_THAT(states, ::testing::IsSupersetOf({"starting", "ready", "ended"})) << mine->describe();
  // In the order of the life cycle: each step a transition the session allows.
  for (std::size_t i = 1; i < states.size(); ++i)
    EXPECT_TRUE(can_transition(*parse_session_state(states[i - 1]), *parse_session_state(states[i])))
        << states[i - 1] << " -> " << states[i] << " in " << mine->describe();

  // A sample arrives and shows the game's queue.
  auto sample =
      mine->next_of("overview.sample", 5s, [](const Event& e) { return e.data.at("queues").as_array().size() == 1; });
  ASSERT_TRUE(sample) << mine->describe();
  EXPECT_EQ(sample->data.at("queues").at(0).at("game"), "console-duel");
  EXPECT_TRUE(sample->data.at("now").as_object().contains("sessions_by_state"));

  // The other developer's console saw samples, and nothing of this game.
  EXPECT_TRUE(theirs->next_of("overview.sample", 5s)) << theirs->describe();
  EXPECT_EQ(theirs->describe().find("console-duel"), std::string::npos) << theirs->describe();
  mine->close();
  theirs->close();
}

// The live sessions a console's sample counts, in every state.
std::int64_t live_sessions(const Event& sample) {
  std::int64_t n = 0;
  for (const auto& kv : sample.data.at("now").at("sessions_by_state").as_object()) n += kv.value().as_int64();
  return n;
}

// A name deleted while its sessions run, then registered by another
// developer, is another game: the new owner's console counts none of the
// old game's sessions, and the old owner's still does (found by an
// attacker's audit: samples were keyed by the game's name).
TEST_F(ConsoleTest, ANameRegisteredAgainByAnotherDeveloperShowsNoneOfTheOldGamesSessions) {
  create_game("console-reused", script_server("good.sh"), duel_queue());
  auto a = join_queue("reused-a", "console-reused");
  auto b = join_queue("reused-b", "console-reused");
  expect_event(a, "session.ready");
  expect_event(b, "session.ready");
  ASSERT_EQ(call(verb::delete_, "/v1/games/console-reused", {}, developer().token).status, 204u);

  auto other = register_developer("reuser");
  json::object game{{"name", "console-reused"}, {"server", script_server("good.sh")}, {"queues", duel_queue()}};
  auto created = call(verb::post, "/v1/games", json::serialize(game), other.token);
  ASSERT_EQ(created.status, 201u) << created.raw;
  auto theirs = EventsClient::console(port(), other.token);
  auto mine = EventsClient::console(port(), developer().token);
  auto c = join_queue("reused-c", "console-reused");

  // Theirs: their waiting ticket, and no session at all.
  auto their_sample = theirs->next_of("overview.sample", 10s, [](const Event& e) {
    const auto& queues = e.data.at("queues").as_array();
    return queues.size() == 1 && queues.at(0).at("waiting").as_int64() == 1;
  });
  ASSERT_TRUE(their_sample) << theirs->describe();
  EXPECT_EQ(live_sessions(*their_sample), 0) << theirs->describe();
  EXPECT_TRUE(their_sample->data.at("now").at("servers_running").as_array().empty()) << theirs->describe();
  // Mine: the old game's session, still running, and no queue.
  auto my_sample = mine->next_of("overview.sample", 10s, [](const Event& e) { return live_sessions(e) == 1; });
  ASSERT_TRUE(my_sample) << mine->describe();
  EXPECT_TRUE(my_sample->data.at("queues").as_array().empty()) << mine->describe();

  end_sessions();
  for (auto* p : {&a, &b}) expect_event(*p, "session.ended");
  mine->close();
  theirs->close();
}

TEST_F(ConsoleTest, PlayersAndMissingTokensAreRefusedBeforeTheUpgrade) {
  auto player = guest("console-player");
  EXPECT_THAT(refusal(player.token), ::testing::HasSubstr("HTTP 403"));
  EXPECT_THAT(refusal(""), ::testing::HasSubstr("HTTP 401"));
  auto bad = refusal(developer().token, "Not-A-Game");
  EXPECT_THAT(bad, ::testing::HasSubstr("HTTP 422"));
  EXPECT_THAT(bad, ::testing::HasSubstr(R"("field":"game")"));
  EXPECT_THAT(refusal(developer().token, "no-such-game"), ::testing::HasSubstr("HTTP 404"));
}

}  // namespace
}  // namespace webgames::testing
