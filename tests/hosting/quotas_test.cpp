// Quotas: one developer's flood of matches and tickets does not starve
// another developer's players. Real binary, real servers, a tiny port range.

#include "hosting/hosting_test.h"

#include <gmock/gmock.h>
#include <boost/json/serialize.hpp>

namespace webgames::testing {
namespace {

namespace json = boost::json;
using ::testing::HasSubstr;

class QuotasTest : public HostingTest {
 protected:
  void SetUp() override {
    HostingTest::SetUp();
    // Four ports: without quotas, four solo matches of one developer would
    // take them all.
    set_port_range(port_first(), static_cast<std::uint16_t>(port_first() + 3));
    auto flags = fast_flags();
    // Held sessions must outlive the test's first half: no allocate timeout within it.
    flags.insert(flags.end(), {"--quota-servers", "2", "--quota-tickets", "3", "--start-below-max-after-ms", "600000",
                               "--allocate-timeout-ms", "120000"});
    start_webgames(flags);
  }

  void create_game_as(const Account& who, const std::string& name, const json::array& queues,
                      const json::object& env = {}) {
    auto body =
        json::serialize(json::object{{"name", name}, {"server", script_server("good.sh", env)}, {"queues", queues}});
    auto r = call(verb::post, "/v1/games", body, who.token);
    ASSERT_EQ(r.status, 201u) << r.raw;
  }

  json::array sessions_as(const Account& who, const std::string& game) {
    auto r = call(verb::get, "/v1/games/" + game + "/sessions", {}, who.token);
    EXPECT_EQ(r.status, 200u) << r.raw;
    return r.status == 200 ? r.body.at("items").as_array() : json::array{};
  }

  static std::size_t count_state(const json::array& sessions, const std::string& state) {
    return static_cast<std::size_t>(std::count_if(sessions.begin(), sessions.end(),
                                                  [&](const json::value& s) { return str_of(s, "state") == state; }));
  }
};

TEST_F(QuotasTest, OneDeveloperFloodsAndTheOthersMatchStillStarts) {
  // The flooder: one player per match.
  create_game_as(developer(), "flood", json::array{json::object{{"name", "solo"}, {"teams", 1}, {"team_size", 1}}},
                 json::object{{"RESULTS", R"({"results":[{"team":0,"score":1,"rank":1}]})"}});
  std::vector<Player> flood;
  for (int i = 0; i < 5; ++i) flood.push_back(join_queue("flood-" + std::to_string(i), "flood", "solo"));
  for (int i = 0; i < 2; ++i) expect_event(flood[static_cast<std::size_t>(i)], "session.ready");
  json::array sessions;
  ASSERT_TRUE(eventually(
      [&] {
        sessions = sessions_as(developer(), "flood");
        return sessions.size() == 5 && count_state(sessions, "allocating") == 3;
      },
      5s))
      << json::serialize(sessions);
  for (const auto& s : sessions)
    if (str_of(s, "state") == "allocating") {
      EXPECT_THAT(str_of(s, "reason"), HasSubstr("quota servers")) << json::serialize(s);
      EXPECT_EQ(s.at("port"), 0) << "a session held by its quota takes no port";
    }

  // Another developer's match starts on the ports left.
  auto bob = register_developer("bob");
  create_game_as(bob, "duel", duel_queue());
  auto a = join_queue("bob-a", "duel");
  auto b = join_queue("bob-b", "duel");
  auto ready = expect_event(a, "session.ready");
  EXPECT_EQ(expect_event(b, "session.ready").str("session_id"), ready.str("session_id"));

  // Tickets: three may wait in the flooder's queues, the fourth is refused
  // naming the quota; the other developer's players still queue.
  create_game_as(developer(), "big", json::array{json::object{{"name", "tens"}, {"teams", 2}, {"team_size", 5}}});
  for (int i = 0; i < 3; ++i) EXPECT_EQ(queue(guest("big-" + std::to_string(i)), "big", "tens").status, 201u);
  auto refused = queue(guest("big-3"), "big", "tens");
  EXPECT_EQ(refused.status, 429u) << refused.raw;
  EXPECT_EQ(refused.error_code(), "quota_exceeded");
  EXPECT_EQ(str_of(refused.body.at("error"), "field"), "tickets");
  EXPECT_EQ(queue(guest("bob-c"), "duel").status, 201u);

  // The usage view: the flooder's quotas in use and sessions per game.
  auto usage = call(verb::get, "/v1/usage", {}, developer().token);
  ASSERT_EQ(usage.status, 200u) << usage.raw;
  EXPECT_EQ(usage.body.at("quotas").at("servers").at("limit"), 2) << usage.raw;
  EXPECT_EQ(usage.body.at("quotas").at("servers").at("used"), 2) << usage.raw;
  EXPECT_EQ(usage.body.at("quotas").at("tickets").at("used"), 3) << usage.raw;
  EXPECT_EQ(usage.body.at("total").at("sessions"), 5) << usage.raw;
  ASSERT_EQ(usage.body.at("games").as_array().size(), 1u) << usage.raw;
  EXPECT_EQ(str_of(usage.body.at("games").at(0), "game"), "flood");

  // As servers end, the held sessions start; all end, and usage is recorded.
  end_sessions();
  ASSERT_TRUE(eventually([&] { return count_state(sessions_as(developer(), "flood"), "ended") == 5; }, 20s))
      << json::serialize(sessions_as(developer(), "flood"));
  for (const auto& s : sessions_as(developer(), "flood")) {
    EXPECT_GT(s.at("usage").at("server_seconds").as_double(), 0.0) << json::serialize(s);
    EXPECT_EQ(s.at("usage").at("memory_mb"), 256);
  }
  auto after = call(verb::get, "/v1/usage", {}, bob.token);
  ASSERT_EQ(after.status, 200u) << after.raw;
  ASSERT_EQ(after.body.at("games").as_array().size(), 1u) << "only bob's own games: " << after.raw;
  EXPECT_EQ(str_of(after.body.at("games").at(0), "game"), "duel");
  EXPECT_GE(after.body.at("total").at("cpu_seconds").as_double(), 0.0);
  expect_no_servers_left();
}

}  // namespace
}  // namespace webgames::testing
