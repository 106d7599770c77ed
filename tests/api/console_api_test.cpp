// GET /v1/console/overview against the real server: a developer's overview
// holds their games only, an operator's every tenant's; ?game= narrows it,
// and a bad one is an error naming the field. Every answer is checked
// against docs/api/openapi.yaml (api_request).

#include "api/api_test_fixture.h"

#include <boost/json/serialize.hpp>

#include <chrono>
#include <set>
#include <thread>

namespace webgames::testing {
namespace {

using boost::beast::http::verb;
namespace json = boost::json;

class ConsoleApiTest : public ApiTest {
 protected:
  bool start_in_setup() const override { return false; }
  void SetUp() override {
    ApiTest::SetUp();
    config.console_sample_s = 1;
    start();
  }

  // The games named in the overview's queues.
  static std::set<std::string> games_of(const Reply& overview) {
    std::set<std::string> out;
    for (const auto& q : overview.body.at("queues").as_array()) out.emplace(q.at("game").as_string());
    return out;
  }

  // The overview once its latest sample shows `games` (at most 10 s).
  Reply overview_showing(const std::string& token, const std::set<std::string>& games, const std::string& query = {}) {
    Reply r;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    do {
      r = call(verb::get, "/v1/console/overview" + query, "", token);
      if (r.status != 200u || games_of(r) == games) return r;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    } while (std::chrono::steady_clock::now() < deadline);
    return r;
  }
};

TEST_F(ConsoleApiTest, ADeveloperSeesTheirGamesAndAnOperatorEveryTenants) {
  auto ada = register_account("ada");
  auto bob = register_account("bob");
  create_game(ada, "chess");
  create_game(bob, "go");
  auto pat = register_account("pat", "player");
  auto sam = register_account("sam", "player");
  ASSERT_EQ(call(verb::post, "/v1/queues/chess/duel/tickets", "{}", pat).status, 201u);
  ASSERT_EQ(call(verb::post, "/v1/queues/go/duel/tickets", "{}", sam).status, 201u);
  auto root = make_operator("root");

  auto all = overview_showing(root, {"chess", "go"});
  ASSERT_EQ(all.status, 200u) << all.raw;
  EXPECT_EQ(games_of(all), (std::set<std::string>{"chess", "go"})) << all.raw;
  EXPECT_EQ(all.str("scope"), "all");
  EXPECT_EQ(all.body.at("now").at("tickets_waiting").as_int64(), 2);
  EXPECT_FALSE(all.body.at("history").at("samples").as_array().empty());
  EXPECT_EQ(all.body.at("history").at("interval_s").as_int64(), 1);

  auto adas = overview_showing(ada, {"chess"});
  EXPECT_EQ(games_of(adas), (std::set<std::string>{"chess"})) << adas.raw;
  EXPECT_EQ(adas.str("scope"), "tenant");
  EXPECT_EQ(adas.body.at("now").at("tickets_waiting").as_int64(), 1);
  const auto& last = adas.body.at("history").at("samples").as_array().back().as_object();
  EXPECT_TRUE(last.at("queues").as_object().contains("chess/duel")) << adas.raw;
  EXPECT_FALSE(last.at("queues").as_object().contains("go/duel")) << adas.raw;
  // Nothing of bob's, not even his owner id.
  EXPECT_EQ(adas.raw.find("go/duel"), std::string::npos) << adas.raw;
  EXPECT_EQ(adas.raw.find("owner"), std::string::npos) << adas.raw;

  EXPECT_EQ(games_of(overview_showing(bob, {"go"})), (std::set<std::string>{"go"}));

  auto one = overview_showing(root, {"go"}, "?game=go");
  EXPECT_EQ(games_of(one), (std::set<std::string>{"go"})) << one.raw;
  EXPECT_EQ(one.str("game"), "go");
}

TEST_F(ConsoleApiTest, ABadOrForeignGameIsAnErrorNamingTheField) {
  auto ada = register_account("ada");
  auto bob = register_account("bob");
  create_game(bob, "go");

  auto bad = call(verb::get, "/v1/console/overview?game=No%20Such", "", ada);
  EXPECT_EQ(bad.status, 422u) << bad.raw;
  EXPECT_EQ(bad.error_code(), "invalid_field");
  EXPECT_EQ(bad.error_field(), "game");
  // The overview is plain HTTP: its access token is in the header, never
  // the URL (where logs and proxies keep it).
  auto in_url = call(verb::get, "/v1/console/overview?token=x", "", ada);
  EXPECT_EQ(in_url.status, 422u) << in_url.raw;
  EXPECT_EQ(in_url.error_field(), "token");

  // Another developer's game is as absent as a game that does not exist.
  for (const auto* name : {"go", "nothing-here"}) {
    auto r = call(verb::get, std::string("/v1/console/overview?game=") + name, "", ada);
    EXPECT_EQ(r.status, 404u) << r.raw;
    EXPECT_EQ(r.error_field(), "game");
  }
}

TEST_F(ConsoleApiTest, PlayersAndAnonymousCallersAreRefused) {
  auto pat = register_account("pat", "player");
  auto r = call(verb::get, "/v1/console/overview", "", pat);
  EXPECT_EQ(r.status, 403u) << r.raw;
  EXPECT_EQ(r.error_code(), "forbidden");
  auto none = call(verb::get, "/v1/console/overview");
  EXPECT_EQ(none.status, 401u) << none.raw;
}

}  // namespace
}  // namespace webgames::testing
