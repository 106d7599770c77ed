// GET /v1/sessions (filters, pages, hostile queries) and the log's ?offset=
// against the real server, its sessions written to its catalog.

#include "api/api_test_fixture.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>

namespace webgames::testing {
namespace {

using boost::beast::http::verb;

class SessionsApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    ada = register_account("ada");
    create_game(ada, "chess");
    create_game(ada, "go");
  }

  void add(const std::string& id, const std::string& game, SessionState state, std::int64_t matched_s,
           const std::string& player) {
    record_session(id, game, state, matched_s, {{"acc_" + player, player, 0, "tkt_" + id, false}});
  }

  std::vector<std::string> ids(std::string_view query) {
    auto r = call(verb::get, fmt::format("/v1/sessions{}", query), "", ada);
    EXPECT_EQ(r.status, 200u) << query << ": " << r.raw;
    std::vector<std::string> out;
    if (r.status != 200) return out;
    for (const auto& s : r.body.at("items").as_array()) out.emplace_back(s.at("id").as_string());
    return out;
  }

  std::string ada;
};

using Ids = std::vector<std::string>;

TEST_F(SessionsApiTest, FiltersCombine) {
  add("ses_1", "chess", SessionState::ended, 1000, "pat");
  add("ses_2", "chess", SessionState::failed, 2000, "sam");
  add("ses_3", "go", SessionState::running, 3000, "pat");
  add("ses_4", "go", SessionState::ended, 4000, "kim");

  EXPECT_EQ(ids(""), (Ids{"ses_4", "ses_3", "ses_2", "ses_1"}));
  EXPECT_EQ(ids("?game=chess"), (Ids{"ses_2", "ses_1"}));
  EXPECT_EQ(ids("?state=ended"), (Ids{"ses_4", "ses_1"}));
  EXPECT_EQ(ids("?player=pat"), (Ids{"ses_3", "ses_1"}));
  EXPECT_EQ(ids("?player=acc_kim"), (Ids{"ses_4"}));
  EXPECT_EQ(ids("?since=2000&until=4000"), (Ids{"ses_3", "ses_2"}));
  EXPECT_EQ(ids("?game=go&state=ended&player=kim"), (Ids{"ses_4"}));
  EXPECT_EQ(ids("?game=nosuchgame"), Ids{});
  // The old route answers as before.
  auto old = call(verb::get, "/v1/games/chess/sessions?limit=1", "", ada);
  ASSERT_EQ(old.status, 200u);
  EXPECT_EQ(old.body.at("items").at(0).at("id"), "ses_2");
  // Another developer sees none of them.
  auto bob = register_account("bob");
  auto bobs = call(verb::get, "/v1/sessions", "", bob);
  EXPECT_TRUE(bobs.body.at("items").as_array().empty());
  EXPECT_TRUE(call(verb::get, "/v1/sessions?game=chess", "", bob).body.at("items").as_array().empty());
  // Players have no list.
  auto pat = register_account("pat", "player");
  EXPECT_EQ(call(verb::get, "/v1/sessions", "", pat).status, 403u);
}

// An ended session's page holds each rated player's rating before and after
// it (stored with the ratings); a live one's none.
TEST_F(SessionsApiTest, AnEndedSessionShowsItsRatingChanges) {
  record_session("ses_rated", "chess", SessionState::ended, 1000,
                 {{"acc_pat", "pat", 0, "tkt_a", false}, {"acc_kim", "kim", 1, "tkt_b", false}});
  add("ses_unrated", "chess", SessionState::ended, 1001, "pat");
  add("ses_live", "chess", SessionState::running, 1002, "pat");
  auto game_id = store().game_by_name("chess")->id;
  std::vector<std::string> players{"acc_pat", "acc_kim"};
  ASSERT_TRUE(store().update_ratings(game_id, "duel", players, "ses_rated", [](std::vector<PlayerRating> r) {
    r[0].rating = Rating{27.5, 8};
    r[1].rating = Rating{22.5, 8};
    return r;
  }));

  auto rated = call(verb::get, "/v1/sessions/ses_rated", "", ada);
  ASSERT_EQ(rated.status, 200u) << rated.raw;
  const auto& changes = rated.body.at("rating_changes").as_array();
  ASSERT_EQ(changes.size(), 2u) << rated.raw;
  EXPECT_EQ(changes[0].at("player_id"), "acc_pat");
  EXPECT_EQ(changes[0].at("before").at("mu"), Rating::initial_mu);
  EXPECT_EQ(changes[0].at("after").at("mu"), 27.5);
  EXPECT_EQ(changes[0].at("after").at("ordinal"), 3.5);
  EXPECT_EQ(changes[1].at("after").at("mu"), 22.5);

  auto unrated = call(verb::get, "/v1/sessions/ses_unrated", "", ada);
  EXPECT_TRUE(unrated.body.at("rating_changes").as_array().empty()) << unrated.raw;
  auto live = call(verb::get, "/v1/sessions/ses_live", "", ada);
  EXPECT_FALSE(live.body.as_object().contains("rating_changes")) << live.raw;
}

TEST_F(SessionsApiTest, PagesFollowTheCursorToTheEnd) {
  for (int i = 0; i < 7; ++i) add(fmt::format("ses_{}", i), "chess", SessionState::ended, 1000 + i / 2, "pat");
  Ids seen;
  std::string cursor;
  int pages = 0;
  do {
    auto r = call(verb::get, "/v1/sessions?limit=3" + (cursor.empty() ? "" : "&cursor=" + cursor), "", ada);
    ASSERT_EQ(r.status, 200u) << r.raw;
    for (const auto& s : r.body.at("items").as_array()) seen.emplace_back(s.at("id").as_string());
    const auto& next = r.body.at("next_cursor");
    cursor = next.is_string() ? std::string(next.as_string()) : "";
    ASSERT_LT(++pages, 5);
  } while (!cursor.empty());
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, (Ids{"ses_6", "ses_4", "ses_5", "ses_2", "ses_3", "ses_0", "ses_1"}));
}

TEST_F(SessionsApiTest, HostileQueriesNameTheirParameter) {
  struct Case {
    std::string query;
    std::string field;
  };
  const Case cases[] = {
      {"?limit=0", "limit"},
      {"?limit=501", "limit"},
      {"?limit=-1", "limit"},
      {"?limit=1e3", "limit"},
      {"?limit=99999999999999999999999", "limit"},
      {"?state=dancing", "state"},
      {"?state=", "state"},
      {"?game=UPPER", "game"},
      {"?game=" + std::string(65, 'a'), "game"},
      {"?game=a%20b", "game"},
      {"?player=" + std::string(65, 'p'), "player"},
      {"?player=%27%20OR%201%3D1", "player"},
      {"?player=", "player"},
      {"?since=yesterday", "since"},
      {"?since=-5", "since"},
      {"?until=1.5", "until"},
      {"?since=500&until=400", "until"},
      {"?since=500&until=500", "until"},
      {"?cursor=not-a-cursor", "cursor"},
      {"?cursor=" + std::string(200, 'A'), "cursor"},
      {"?cursor=MTIzOg", "cursor"},  // "123:" with no id
      {"?limit=5&limit=6", "limit"},
      {"?owner=acc_bob", "owner"},
      {"?" + std::string(40, 'x') + "=1", std::string(32, 'x')},
  };
  for (const auto& c : cases) {
    auto r = call(verb::get, "/v1/sessions" + c.query, "", ada);
    EXPECT_EQ(r.status, 422u) << c.query << ": " << r.raw;
    EXPECT_EQ(r.error_code(), "invalid_field") << c.query;
    EXPECT_EQ(r.error_field(), c.field) << c.query;
  }
  EXPECT_EQ(call(verb::get, "/v1/sessions", "", "").status, 401u);
}

TEST_F(SessionsApiTest, TheLogIsReadFromAnOffset) {
  add("ses_log", "chess", SessionState::running, 1000, "pat");
  auto dir = std::filesystem::path(config.data_dir) / "sessions" / "ses_log";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "server.log") << "0123456789";

  auto whole = call(verb::get, "/v1/sessions/ses_log/log", "", ada);
  ASSERT_EQ(whole.status, 200u);
  EXPECT_EQ(whole.raw, "0123456789");
  auto from = call(verb::get, "/v1/sessions/ses_log/log?offset=4", "", ada);
  ASSERT_EQ(from.status, 200u);
  EXPECT_EQ(from.raw, "456789");
  EXPECT_EQ(call(verb::get, "/v1/sessions/ses_log/log?offset=10", "", ada).raw, "");
  EXPECT_EQ(call(verb::get, "/v1/sessions/ses_log/log?offset=4000", "", ada).raw, "");
  std::ofstream(dir / "server.log", std::ios::app) << "abc";
  EXPECT_EQ(call(verb::get, "/v1/sessions/ses_log/log?offset=10", "", ada).raw, "abc");

  for (std::string bad : {"-1", "x", "", "1125899906842625", "99999999999999999999999"}) {
    auto r = call(verb::get, "/v1/sessions/ses_log/log?offset=" + bad, "", ada);
    EXPECT_EQ(r.status, 422u) << bad;
    EXPECT_EQ(r.error_field(), "offset") << bad;
  }
}

}  // namespace
}  // namespace webgames::testing
