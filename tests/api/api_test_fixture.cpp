#include "api/api_test_fixture.h"

#include "app/operator_account.h"
#include "sqlite/sqlite_catalog.h"
#include "support/api_request.h"

#include <fmt/format.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace webgames::testing {

namespace json = boost::json;

std::string Reply::error_code() const {
  if (!body.is_object() || !body.get_object().contains("error")) return "";
  return std::string(body.at("error").at("code").as_string());
}

std::string Reply::error_field() const {
  if (!body.is_object() || !body.get_object().contains("error")) return "";
  auto* f = body.at("error").as_object().if_contains("field");
  return f ? std::string(f->as_string()) : "";
}

std::string Reply::str(std::string_view key) const {
  if (!body.is_object()) return "";
  auto* v = body.get_object().if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : "";
}

void ApiTest::SetUp() {
  config.port = 0;
  config.threads = 2;
  config.data_dir = (dir.path() / "data").string();
  config.password_cost = "minimum";
  config.access_log = false;
  if (start_in_setup()) start();
}

void ApiTest::start() {
  app = std::make_unique<App>(config, clock);
  app->start();
}

void ApiTest::TearDown() {
  if (!app) return;
  app->shutdown();
  app->wait();
  app.reset();
}

Reply ApiTest::call(boost::beast::http::verb method, std::string_view target, std::string_view body,
                    std::string_view token) {
  return call_as("application/json", method, target, body, token);
}

Reply ApiTest::call_as(std::string_view content_type, boost::beast::http::verb method, std::string_view target,
                       std::string_view body, std::string_view token) {
  auto r = api_request(app->port(), method, target, body, token, std::chrono::seconds(10),
                       {{"Content-Type", std::string(content_type)}});
  EXPECT_TRUE(r) << (r ? "" : r.error().message);
  Reply reply;
  if (!r) return reply;
  reply.status = r->status;
  reply.raw = r->body;
  boost::system::error_code ec;
  auto parsed = json::parse(r->body, ec);
  if (!ec) reply.body = std::move(parsed);
  return reply;
}

std::string ApiTest::register_account(std::string_view username, std::string_view role) {
  auto r = call(boost::beast::http::verb::post, "/v1/auth/register",
                json::serialize(json::object{{"username", username}, {"password", "correct horse"}, {"role", role}}));
  EXPECT_EQ(r.status, 201u) << r.raw;
  return r.str("access_token");
}

std::string ApiTest::create_game(std::string_view token, std::string_view name) {
  auto r = call(boost::beast::http::verb::post, "/v1/games", game_json(name), token);
  EXPECT_EQ(r.status, 201u) << r.raw;
  return r.str("name");
}

Catalog& ApiTest::store() {
  if (!store_) store_ = std::make_unique<SqliteCatalog>(std::filesystem::path(config.data_dir) / "webgames.db");
  return *store_;
}

void ApiTest::record_session(const std::string& id, const std::string& game, SessionState state, std::int64_t matched_s,
                             std::vector<SessionPlayer> players) {
  auto g = store().game_by_name(game);
  ASSERT_TRUE(g) << game;
  Session s;
  s.id = id;
  s.game_id = g->id;
  s.game = g->name;
  s.queue = "duel";
  s.owner_id = g->owner_id;
  s.state = state;
  s.reason = state == SessionState::failed ? "server_exited" : "";
  s.players = std::move(players);
  s.teams = 2;
  s.sdk_secret_hash = "secret-hash-never-shown";
  s.matched_at = TimePoint{std::chrono::seconds(matched_s)};
  ASSERT_TRUE(store().save_session(s));
}

std::string ApiTest::make_operator(std::string_view username) {
  auto made = webgames::make_operator(
      config, username, [] { return std::string("correct horse"); }, clock);
  EXPECT_TRUE(made) << (made ? "" : made.error().message);
  auto login = call(boost::beast::http::verb::post, "/v1/auth/login",
                    boost::json::serialize(boost::json::object{{"username", username}, {"password", "correct horse"}}));
  EXPECT_EQ(login.status, 200u) << login.raw;
  EXPECT_EQ(login.body.at("account").at("role"), "operator");
  return login.str("access_token");
}

std::string game_json(std::string_view name) {
  return fmt::format(
      R"({{"name":"{}","server":{{"command":"/bin/true","ports":[{{"name":"game"}}]}},"queues":[{{"name":"duel","teams":2,"team_size":1}}]}})",
      name);
}

}  // namespace webgames::testing
