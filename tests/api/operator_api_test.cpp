// The operator role against the real server: every tenant readable, nothing
// of another tenant writable, no way to register as one.

#include "api/api_test_fixture.h"
#include "app/operator_account.h"

#include <boost/json/serialize.hpp>

#include <filesystem>
#include <fstream>

namespace webgames::testing {
namespace {

using boost::beast::http::verb;
namespace json = boost::json;

class OperatorApiTest : public ApiTest {
 protected:
  // A finished session of `game`, its server log written.
  void add_session(const std::string& id, const std::string& game, std::int64_t matched_s) {
    record_session(id, game, SessionState::ended, matched_s,
                   {{"acc_pat", "pat", 0, "tkt_1", false}, {"acc_sam", "sam", 1, "tkt_2", false}});
    auto dir = std::filesystem::path(config.data_dir) / "sessions" / id;
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "server.log") << "log of " << id << "\n";
  }
};

std::vector<std::string> names_of(const Reply& r, std::string_view key = "name") {
  std::vector<std::string> out;
  for (const auto& item : r.body.at("items").as_array()) out.emplace_back(item.at(key).as_string());
  return out;
}

TEST_F(OperatorApiTest, RegisteringAsAnOperatorIsRefused) {
  auto r =
      call(verb::post, "/v1/auth/register", R"({"username":"mallory","password":"correct horse","role":"operator"})");
  EXPECT_EQ(r.status, 403u) << r.raw;
  EXPECT_EQ(r.error_code(), "forbidden");
  EXPECT_EQ(r.error_field(), "role");
  EXPECT_NE(r.raw.find("webgames ctl operator create"), std::string::npos) << r.raw;
  // And no account was made.
  EXPECT_EQ(call(verb::post, "/v1/auth/login", R"({"username":"mallory","password":"correct horse"})").status, 401u);
}

TEST_F(OperatorApiTest, AnOperatorSeesEveryDevelopersGamesAndADeveloperOnlyTheirs) {
  auto ada = register_account("ada");
  auto bob = register_account("bob");
  create_game(ada, "chess");
  create_game(bob, "go");
  create_game(ada, "shifumi");
  auto root = make_operator("root");

  auto all = call(verb::get, "/v1/games", "", root);
  ASSERT_EQ(all.status, 200u) << all.raw;
  EXPECT_EQ(names_of(all), (std::vector<std::string>{"chess", "go", "shifumi"}));
  auto owners = all.body.at("owners").as_object();
  auto go_owner = all.body.at("items").at(1).at("owner_id").as_string();
  EXPECT_EQ(owners.at(go_owner), "bob");

  auto adas = call(verb::get, "/v1/games", "", ada);
  EXPECT_EQ(names_of(adas), (std::vector<std::string>{"chess", "shifumi"}));
  EXPECT_FALSE(adas.body.as_object().contains("owners"));
  EXPECT_EQ(names_of(call(verb::get, "/v1/games", "", bob)), (std::vector<std::string>{"go"}));

  EXPECT_EQ(call(verb::get, "/v1/games/go", "", root).status, 200u);
  EXPECT_EQ(call(verb::get, "/v1/games/go", "", ada).status, 404u);
  EXPECT_EQ(call(verb::get, "/v1/games/go/queues/duel/stats", "", root).status, 200u);
  EXPECT_EQ(call(verb::get, "/v1/games/go/queues/duel/stats", "", ada).status, 404u);
}

TEST_F(OperatorApiTest, AnOperatorReadsEverySessionAndLogButNoSecret) {
  auto ada = register_account("ada");
  auto bob = register_account("bob");
  create_game(ada, "chess");
  create_game(bob, "go");
  auto root = make_operator("root");
  add_session("ses_chess1", "chess", 100);
  add_session("ses_go1", "go", 200);

  auto all = call(verb::get, "/v1/sessions", "", root);
  ASSERT_EQ(all.status, 200u) << all.raw;
  EXPECT_EQ(names_of(all, "id"), (std::vector<std::string>{"ses_go1", "ses_chess1"}));
  EXPECT_EQ(all.raw.find("secret"), std::string::npos) << all.raw;
  EXPECT_EQ(names_of(call(verb::get, "/v1/sessions", "", ada), "id"), (std::vector<std::string>{"ses_chess1"}));
  EXPECT_EQ(names_of(call(verb::get, "/v1/sessions", "", bob), "id"), (std::vector<std::string>{"ses_go1"}));

  EXPECT_EQ(call(verb::get, "/v1/games/go/sessions", "", root).body.at("items").as_array().size(), 1u);
  EXPECT_EQ(call(verb::get, "/v1/games/go/sessions", "", ada).status, 404u);

  auto page = call(verb::get, "/v1/sessions/ses_go1", "", root);
  ASSERT_EQ(page.status, 200u) << page.raw;
  EXPECT_FALSE(page.body.as_object().contains("assignment"));
  EXPECT_EQ(page.raw.find("secret"), std::string::npos) << page.raw;
  EXPECT_EQ(call(verb::get, "/v1/sessions/ses_go1", "", ada).status, 404u);

  auto log = call(verb::get, "/v1/sessions/ses_go1/log", "", root);
  ASSERT_EQ(log.status, 200u);
  EXPECT_EQ(log.raw, "log of ses_go1\n");
  EXPECT_EQ(call(verb::get, "/v1/sessions/ses_go1/log", "", ada).status, 404u);

  // Usage: any developer's for an operator, only their own for a developer.
  auto bobs = call(verb::get, "/v1/usage?developer=bob", "", root);
  ASSERT_EQ(bobs.status, 200u) << bobs.raw;
  EXPECT_EQ(bobs.body.at("total").at("sessions"), 1);
  EXPECT_EQ(call(verb::get, "/v1/usage?developer=nobody", "", root).status, 404u);
  auto refused = call(verb::get, "/v1/usage?developer=bob", "", ada);
  EXPECT_EQ(refused.status, 403u);
  EXPECT_EQ(refused.error_field(), "developer");
  EXPECT_EQ(call(verb::get, "/v1/usage?developer=ada", "", ada).status, 200u);
  // Neither a second developer (which one?) nor a misspelt parameter is ignored.
  auto twice = call(verb::get, "/v1/usage?developer=bob&developer=ada", "", root);
  EXPECT_EQ(twice.status, 422u) << twice.raw;
  EXPECT_EQ(twice.error_field(), "developer");
  auto misspelt = call(verb::get, "/v1/usage?develper=bob", "", root);
  EXPECT_EQ(misspelt.status, 422u) << misspelt.raw;
  EXPECT_EQ(misspelt.error_field(), "develper");
}

TEST_F(OperatorApiTest, AnOperatorChangesNoOtherDevelopersGameOrKey) {
  auto ada = register_account("ada");
  create_game(ada, "chess");
  auto key = call(verb::post, "/v1/apikeys", R"({"name":"ci"})", ada);
  ASSERT_EQ(key.status, 201u);
  auto root = make_operator("root");

  auto put = call(verb::put, "/v1/games/chess", game_json("chess"), root);
  EXPECT_EQ(put.status, 403u) << put.raw;
  EXPECT_EQ(put.error_code(), "forbidden");
  EXPECT_EQ(put.error_field(), "game");
  EXPECT_NE(put.raw.find("operators read other developers' games but do not change them"), std::string::npos)
      << put.raw;
  auto del = call(verb::delete_, "/v1/games/chess", "", root);
  EXPECT_EQ(del.status, 403u);
  EXPECT_EQ(del.error_field(), "game");
  auto key_del = call(verb::delete_, "/v1/apikeys/" + key.str("id"), "", root);
  EXPECT_EQ(key_del.status, 403u) << key_del.raw;
  EXPECT_EQ(key_del.error_field(), "key");
  EXPECT_EQ(call(verb::delete_, "/v1/apikeys/key_none", "", root).status, 404u);
  // Still there, unchanged, and the key still works.
  EXPECT_EQ(call(verb::get, "/v1/games/chess", "", ada).status, 200u);
  EXPECT_EQ(call(verb::get, "/v1/games", "", key.str("key")).status, 200u);
  // An operator's keys list holds no one else's (and never a hash).
  auto keys = call(verb::get, "/v1/apikeys", "", root);
  EXPECT_TRUE(keys.body.at("items").as_array().empty());

  // Its own game it manages as a developer does.
  create_game(root, "ops-probe");
  EXPECT_EQ(call(verb::put, "/v1/games/ops-probe", game_json("ops-probe"), root).status, 200u);
  EXPECT_EQ(call(verb::delete_, "/v1/games/ops-probe", "", root).status, 204u);
}

TEST_F(OperatorApiTest, MakingAnOperatorPromotesAnExistingAccount) {
  auto ada = register_account("ada");
  auto made = webgames::make_operator(
      config, "ada", [] { return std::string("unused-password"); }, clock);
  ASSERT_TRUE(made);
  EXPECT_FALSE(made->created);
  EXPECT_TRUE(made->promoted);
  EXPECT_EQ(made->account.role, Role::operator_);
  EXPECT_TRUE(made->account.password_hash.empty());
  // The old token keeps its role until the next login; the new login is an operator's.
  auto login = call(verb::post, "/v1/auth/login", R"({"username":"ada","password":"correct horse"})");
  EXPECT_EQ(login.body.at("account").at("role"), "operator");
  auto again = webgames::make_operator(
      config, "ada", [] { return std::string(); }, clock);
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->promoted);

  auto bad = webgames::make_operator(
      config, "x", [] { return std::string("correct horse"); }, clock);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "username");
  auto weak = webgames::make_operator(
      config, "newop", [] { return std::string("short"); }, clock);
  ASSERT_FALSE(weak);
  EXPECT_EQ(weak.error().field, "password");
}

// [auth] operators: named accounts become operators when serve starts.
TEST_F(OperatorApiTest, TheConfigurationPromotesNamedAccountsAtStart) {
  register_account("ops");
  TearDown();
  config.operators = "nobody-yet, ops";
  start();
  auto login = call(verb::post, "/v1/auth/login", R"({"username":"ops","password":"correct horse"})");
  ASSERT_EQ(login.status, 200u) << login.raw;
  EXPECT_EQ(login.body.at("account").at("role"), "operator");
  EXPECT_EQ(call(verb::post, "/v1/auth/login", R"({"username":"nobody-yet","password":"correct horse"})").status, 401u);
}

}  // namespace
}  // namespace webgames::testing
