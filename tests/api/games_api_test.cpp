// /v1/games against the real server: ownership, validation, CRUD.

#include "api/api_test_fixture.h"
#include "support/raw_connection.h"

#include <boost/json/serialize.hpp>

namespace webgames::testing {
namespace {

using boost::beast::http::verb;

class GamesApiTest : public ApiTest {};

TEST_F(GamesApiTest, CreateReadUpdateListDelete) {
  auto dev = register_account("ada");
  auto created = call(verb::post, "/v1/games", game_json("shifumi"), dev);
  ASSERT_EQ(created.status, 201u) << created.raw;
  EXPECT_EQ(created.str("title"), "shifumi");
  EXPECT_EQ(created.body.at("queues").at(0).at("min_players"), 2);

  auto read = call(verb::get, "/v1/games/shifumi", "", dev);
  ASSERT_EQ(read.status, 200u);
  EXPECT_EQ(read.body, created.body);

  auto updated = call(verb::put, "/v1/games/shifumi",
                      R"({"title":"Shifumi!","server":{"image":"webgames/shifumi","ports":[{"name":"game"}]},
                          "queues":[{"name":"duel","teams":2,"team_size":1},{"name":"ffa","teams":4,"team_size":1,"min_players":2}]})",
                      dev);
  ASSERT_EQ(updated.status, 200u) << updated.raw;
  EXPECT_EQ(updated.str("title"), "Shifumi!");
  EXPECT_EQ(call(verb::get, "/v1/games/shifumi", "", dev).body.at("queues").as_array().size(), 2u);

  create_game(dev, "chess");
  auto list = call(verb::get, "/v1/games", "", dev);
  ASSERT_EQ(list.status, 200u);
  ASSERT_EQ(list.body.at("items").as_array().size(), 2u);

  EXPECT_EQ(call(verb::delete_, "/v1/games/shifumi", "", dev).status, 204u);
  EXPECT_EQ(call(verb::get, "/v1/games/shifumi", "", dev).status, 404u);
}

// Found by an attacker's audit: a developer could register games without
// end, each one's queues matched and sampled every tick.
class GamesQuotaTest : public ApiTest {
 protected:
  bool start_in_setup() const override { return false; }
};

TEST_F(GamesQuotaTest, ADeveloperHoldsAtMostTheirGamesQuota) {
  config.quotas.games = 2;
  start();
  auto ada = register_account("ada");
  create_game(ada, "one");
  create_game(ada, "two");
  auto over = call(verb::post, "/v1/games", game_json("three"), ada);
  EXPECT_EQ(over.status, 429u) << over.raw;
  EXPECT_EQ(over.error_code(), "quota_exceeded");
  EXPECT_EQ(over.error_field(), "games");
  auto usage = call(verb::get, "/v1/usage", "", ada);
  ASSERT_EQ(usage.status, 200u) << usage.raw;
  EXPECT_EQ(usage.body.at("quotas").at("games").at("used"), 2);
  EXPECT_EQ(usage.body.at("quotas").at("games").at("limit"), 2);
  EXPECT_EQ(call(verb::post, "/v1/games", game_json("three"), register_account("bob")).status, 201u)
      << "another developer's own quota";
  EXPECT_EQ(call(verb::delete_, "/v1/games/one", "", ada).status, 204u);
  EXPECT_EQ(call(verb::post, "/v1/games", game_json("four"), ada).status, 201u);
}

TEST_F(GamesApiTest, NobodyTouchesAnotherDevelopersGame) {
  auto ada = register_account("ada");
  auto bob = register_account("bob");
  create_game(ada, "shifumi");

  for (auto [method, body] : {std::pair{verb::get, std::string()}, std::pair{verb::put, game_json("shifumi")},
                              std::pair{verb::delete_, std::string()}}) {
    auto r = call(method, "/v1/games/shifumi", body, bob);
    EXPECT_EQ(r.status, 404u) << r.raw;
    EXPECT_EQ(r.error_field(), "game");
  }
  EXPECT_TRUE(call(verb::get, "/v1/games", "", bob).body.at("items").as_array().empty());
  EXPECT_EQ(call(verb::get, "/v1/games/shifumi", "", ada).status, 200u);  // still there

  auto taken = call(verb::post, "/v1/games", game_json("shifumi"), bob);
  EXPECT_EQ(taken.status, 409u);
  EXPECT_EQ(taken.error_field(), "name");
}

TEST_F(GamesApiTest, PlayersCannotManageGames) {
  auto player = register_account("pat", "player");
  auto r = call(verb::post, "/v1/games", game_json("shifumi"), player);
  EXPECT_EQ(r.status, 403u);
  EXPECT_EQ(r.error_code(), "forbidden");
}

TEST_F(GamesApiTest, ValidationNamesTheField) {
  auto dev = register_account("ada");
  struct Case {
    std::string body;
    unsigned status;
    std::string_view field;
  };
  const std::string server = R"("server":{"command":"/bin/true","ports":[{"name":"game"}]})";
  const std::string queues = R"("queues":[{"name":"duel","teams":2,"team_size":1}])";
  const Case cases[] = {
      {R"({"name":")" + std::string(65, 'a') + R"(",)" + server + "," + queues + "}", 422, "name"},
      {R"({"name":"UPPER",)" + server + "," + queues + "}", 422, "name"},
      {R"({"name":"g",)" + queues + "}", 400, "server"},
      {R"({"name":"g",)" + server + "}", 400, "queues"},
      {R"({"name":"g",)" + server + R"(,"queues":[{"name":"duel","teams":0}]})", 422, "queues[0].teams"},
      {R"({"name":"g",)" + server + R"(,"queues":[{"name":"duel","team_size":"1"}]})", 400, "queues[0].team_size"},
      {R"({"name":"g","server":{"command":"/bin/true","ports":[{"name":"game","protocol":"icmp"}]},)" + queues + "}",
       422, "server.ports[0].protocol"},
      {R"({"name":"g","server":{"command":"/bin/true","ports":[]},)" + queues + "}", 422, "server.ports"},
      {R"({"name":"g","server":{"command":"/bin/true"},)" + queues + "}", 400, "server.ports"},
      {R"({"name":"g",)" + server + R"(,"queues":[{"name":"duel","rules":{"max_players":0}}]})", 422,
       "queues[0].rules.max_players"},
      {R"({"name":"g",)" + server + R"(,"queues":[{"name":"duel","rules":{"min_team_size":-1}}]})", 422,
       "queues[0].rules.min_team_size"},
      {R"({"name":"g","server":{"command":"/bin/true","ports":[{"name":"game"}],"memory_mb":1},)" + queues + "}", 422,
       "server.memory_mb"},
      {R"({"name":"g","server":{"ports":[{"name":"game"}]},)" + queues + "}", 422, "server"},
      {R"({"name":"g","server":{"command":"/bin/true","ports":[{"name":"game"}],"env":{"WEBGAMES_SESSION_ID":"x"}},)" +
           queues + "}",
       422, "server.env.WEBGAMES_SESSION_ID"},
      {"not json", 400, "body"},
  };
  for (const auto& c : cases) {
    auto r = call(verb::post, "/v1/games", c.body, dev);
    EXPECT_EQ(r.status, c.status) << c.body << " -> " << r.raw;
    EXPECT_EQ(r.error_field(), c.field) << c.body << " -> " << r.raw;
  }
  EXPECT_TRUE(call(verb::get, "/v1/games", "", dev).body.at("items").as_array().empty()) << "nothing half-created";
}

// A game in TOML (Content-Type: application/toml): stored as its JSON would
// be; an error gives the line its field is on, and a body that is not TOML
// the line of the fault.
TEST_F(GamesApiTest, TakesTheGameInTomlAndSaysTheLineOfAnError) {
  auto dev = register_account("ada");
  const std::string toml =
      "name = \"duel\"\ntitle = \"Duel\"\n\n[server]\ncommand = \"/bin/true\"\n"
      "ports = [{ name = \"game\" }]\n\n[[queues]]\nname = \"one\"\nteams = 2\nteam_size = 1\n";
  auto created = call_as("application/toml", verb::post, "/v1/games", toml, dev);
  ASSERT_EQ(created.status, 201u) << created.raw;
  EXPECT_EQ(created.str("title"), "Duel");
  EXPECT_EQ(created.body.at("queues").at(0).at("min_players"), 2);

  auto bad = toml;
  bad.replace(bad.find("team_size = 1"), 13, "team_size = 0");
  auto refused = call_as("application/toml; charset=utf-8", verb::put, "/v1/games/duel", bad, dev);
  EXPECT_EQ(refused.status, 422u) << refused.raw;
  EXPECT_EQ(refused.error_field(), "queues[0].team_size");
  EXPECT_EQ(refused.body.at("error").at("line"), 11) << refused.raw;

  auto broken = call_as("application/toml", verb::put, "/v1/games/duel", "name = \"duel\"\n[server\n", dev);
  EXPECT_EQ(broken.status, 400u) << broken.raw;
  EXPECT_EQ(broken.error_field(), "body");
  EXPECT_EQ(broken.body.at("error").at("line"), 2) << broken.raw;

  // Another's name taken: the line of `name`. A JSON body's errors have no line.
  auto bob = register_account("bob");
  auto taken = call_as("application/toml", verb::post, "/v1/games", toml, bob);
  EXPECT_EQ(taken.status, 409u) << taken.raw;
  EXPECT_EQ(taken.body.at("error").at("line"), 1) << taken.raw;
  auto json_refused = call(verb::put, "/v1/games/duel", R"({"name":"other"})", dev);
  EXPECT_EQ(json_refused.status, 422u);
  EXPECT_FALSE(json_refused.body.at("error").as_object().contains("line"));
  EXPECT_EQ(call(verb::get, "/v1/games/duel", "", dev).str("title"), "Duel");
}

TEST_F(GamesApiTest, TheNameInThePathCannotBeChanged) {
  auto dev = register_account("ada");
  create_game(dev, "shifumi");
  auto r = call(verb::put, "/v1/games/shifumi", game_json("other"), dev);
  EXPECT_EQ(r.status, 422u);
  EXPECT_EQ(r.error_field(), "name");
}

TEST_F(GamesApiTest, ApiKeysActOnlyOnTheirOwnersGames) {
  auto ada = register_account("ada");
  auto bob = register_account("bob");
  create_game(bob, "chess");
  auto key = call(verb::post, "/v1/apikeys", R"({"name":"ci"})", ada).str("key");
  auto created = call(verb::post, "/v1/games", game_json("shifumi"), key);
  ASSERT_EQ(created.status, 201u) << created.raw;
  EXPECT_EQ(call(verb::get, "/v1/games/shifumi", "", ada).status, 200u);
  EXPECT_EQ(call(verb::get, "/v1/games/chess", "", key).status, 404u);
}

TEST_F(GamesApiTest, AListLimitOutOfRangeIsRefusedNotClamped) {
  auto dev = register_account("ada");
  create_game(dev, "shifumi");
  EXPECT_EQ(call(verb::get, "/v1/games/shifumi/sessions?limit=500", "", dev).status, 200u);
  for (const auto* limit : {"0", "501", "-1", "ten", "5x"}) {
    auto r = call(verb::get, std::string("/v1/games/shifumi/sessions?limit=") + limit, "", dev);
    EXPECT_EQ(r.status, 422u) << limit << ": " << r.raw;
    EXPECT_EQ(r.error_field(), "limit") << limit;
  }
}

// Names are unique among live games, across developers: a taken name is a
// conflict for everyone. Once deleted, the name is free, and the game
// registered under it is a new game with a new id.
TEST_F(GamesApiTest, ANameIsFreeAfterItsDeleteAndTheNewGameHasANewId) {
  auto ada = register_account("ada");
  auto bob = register_account("bob");
  auto first = call(verb::post, "/v1/games", game_json("g"), ada);
  ASSERT_EQ(first.status, 201u) << first.raw;
  EXPECT_TRUE(first.str("id").starts_with("gam_")) << first.raw;
  EXPECT_EQ(call(verb::post, "/v1/games", game_json("g"), bob).status, 409u);
  // The id is not the client's to set or change.
  auto put = call(verb::put, "/v1/games/g", R"({"id":"gam_mine",)" + game_json("g").substr(1), ada);
  ASSERT_EQ(put.status, 200u) << put.raw;
  EXPECT_EQ(put.str("id"), first.str("id"));

  ASSERT_EQ(call(verb::delete_, "/v1/games/g", "", ada).status, 204u);
  auto second = call(verb::post, "/v1/games", game_json("g"), bob);
  ASSERT_EQ(second.status, 201u) << second.raw;
  EXPECT_NE(second.str("id"), first.str("id"));
  EXPECT_EQ(call(verb::get, "/v1/games/g", "", ada).status, 404u);
  EXPECT_EQ(call(verb::get, "/v1/games/g", "", bob).str("id"), second.str("id"));
}

// Another developer's sessions list, queue stats and API keys answer exactly
// as if they did not exist.
TEST_F(GamesApiTest, ADeveloperNeverSeesAnothersSessionsStatsOrKeys) {
  auto ada = register_account("ada");
  auto bob = register_account("bob");
  create_game(ada, "g");
  for (const auto* target : {"/v1/games/g/sessions", "/v1/games/g/queues/duel/stats"}) {
    auto theirs = call(verb::get, target, "", bob);
    auto none = call(verb::get, std::string(target).replace(10, 1, "nope"), "", bob);
    EXPECT_EQ(theirs.status, 404u) << target << " " << theirs.raw;
    EXPECT_EQ(theirs.body, none.body) << target;
  }
  auto key = call(verb::post, "/v1/apikeys", R"({"name":"ci"})", ada);
  ASSERT_EQ(key.status, 201u) << key.raw;
  auto key_id = key.str("id");
  EXPECT_TRUE(call(verb::get, "/v1/apikeys", "", bob).body.at("items").as_array().empty());
  auto theirs = call(verb::delete_, "/v1/apikeys/" + key_id, "", bob);
  auto none = call(verb::delete_, "/v1/apikeys/key_doesnotexist", "", bob);
  EXPECT_EQ(theirs.status, 404u) << theirs.raw;
  EXPECT_EQ(theirs.body, none.body);
  EXPECT_EQ(call(verb::get, "/v1/apikeys", "", ada).body.at("items").as_array().size(), 1u);
}

// Region names reach the game server (WEBGAMES_REGION) and the logs: tokens
// only (found by an attacker's probe: NUL, newlines and markup were kept, and
// a NUL cut the server's variable short).
TEST_F(GamesApiTest, RegionNamesInPingsAreTokens) {
  auto dev = register_account("ada");
  create_game(dev, "duel-game");
  auto player = register_account("pat", "player");
  for (const auto* body : {R"({"pings":{"e\u0000u":10}})", R"({"pings":{"eu\nx":10}})", R"({"pings":{"../eu":10}})",
                           R"({"pings":{"<b>eu</b>":10}})", R"({"pings":{"eu=1":10}})", R"({"pings":{"-eu":10}})"}) {
    auto t = call(verb::post, "/v1/queues/duel-game/duel/tickets", body, player);
    EXPECT_EQ(t.status, 422u) << body << " -> " << t.raw;
    EXPECT_EQ(t.error_field(), "pings") << body;
  }
  auto t =
      call(verb::post, "/v1/queues/duel-game/duel/tickets", R"({"pings":{"us-east-1":30,"EU_West.2":40}})", player);
  EXPECT_EQ(t.status, 201u) << t.raw;
}

// Two Idempotency-Key headers: which one would the retry repeat? Refused.
TEST_F(GamesApiTest, AnIdempotencyKeyGivenTwiceIsRefused) {
  auto dev = register_account("ada");
  create_game(dev, "duel-game");
  auto player = register_account("pat", "player");
  RawConnection c(app->port());
  c.send("POST /v1/queues/duel-game/duel/tickets HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + player +
         "\r\nIdempotency-Key: a\r\nIdempotency-Key: b\r\nContent-Length: 2\r\n\r\n{}");
  auto res = c.read_response();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 422u) << res->body();
  EXPECT_NE(res->body().find("idempotency-key"), std::string::npos) << res->body();
  EXPECT_EQ(call(verb::post, "/v1/queues/duel-game/duel/tickets", "{}", player).status, 201u) << "nothing was queued";
}

// A queue's stats break its waiting tickets down by skill, region and wait,
// each wait band with the rule steps in force (QueueBreakdown).
TEST_F(GamesApiTest, QueueStatsBreakTheWaitingTicketsDown) {
  auto dev = register_account("ada");
  auto created =
      call(verb::post, "/v1/games", R"({"name":"arena","server":{"command":"/bin/true","ports":[{"name":"game"}]},
      "queues":[{"name":"ffa","teams":4,"team_size":1,"rules":{
        "skill":{"window":[{"after_s":0,"max_difference":1},{"after_s":10,"max_difference":2}]},
        "latency":{"max_ping":[{"after_s":0,"max_ms":10},{"after_s":30,"max_ms":200}]}}}]})",
           dev);
  ASSERT_EQ(created.status, 201u) << created.raw;
  const char* tickets[] = {R"({"skill":20,"pings":{"eu":90,"us":30}})", R"({"skill":40,"pings":{"us":20}})",
                           R"({"skill":41})"};
  for (int i = 0; i < 3; ++i) {
    auto player = register_account("player" + std::to_string(i), "player");
    auto t = call(verb::post, "/v1/queues/arena/ffa/tickets", tickets[i], player);
    ASSERT_EQ(t.status, 201u) << t.raw;
  }
  clock.advance(std::chrono::seconds(12));
  auto stats = call(verb::get, "/v1/games/arena/queues/ffa/stats", "", dev);
  ASSERT_EQ(stats.status, 200u) << stats.raw;
  const auto& b = stats.body.at("breakdown");
  EXPECT_EQ(b.at("counted"), 3);
  EXPECT_EQ(b.at("complete"), true);
  std::int64_t by_skill = 0, by_region = 0;
  for (const auto& band : b.at("by_skill").as_array()) by_skill += band.at("tickets").as_int64();
  for (const auto& band : b.at("by_region").as_array()) by_region += band.at("tickets").as_int64();
  EXPECT_EQ(by_skill, 3);
  EXPECT_EQ(by_region, 3);
  EXPECT_EQ(b.at("by_region").at(0).at("region"), "us");  // two of the three are nearest to us
  bool found = false;
  for (const auto& band : b.at("by_wait").as_array()) {
    if (band.at("tickets").as_int64() == 0) continue;
    found = true;
    EXPECT_EQ(band.at("tickets"), 3) << band;
    EXPECT_EQ(band.at("from_ms"), 10000) << band;
    EXPECT_EQ(band.at("skill_step"), 1) << band;
    EXPECT_EQ(band.at("skill_window"), 2.0) << band;
    EXPECT_EQ(band.at("ping_step"), 0) << band;
    EXPECT_EQ(band.at("max_ping_ms"), 10.0) << band;
  }
  EXPECT_TRUE(found) << stats.raw;
}

}  // namespace
}  // namespace webgames::testing
