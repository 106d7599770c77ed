#include "api/api_test_fixture.h"

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
  auto r = api_request(app->port(), method, target, body, token);
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

std::string game_json(std::string_view name) {
  return fmt::format(
      R"({{"name":"{}","server":{{"command":"/bin/true","ports":[{{"name":"game"}}]}},"queues":[{{"name":"duel","teams":2,"team_size":1}}]}})",
      name);
}

}  // namespace webgames::testing
