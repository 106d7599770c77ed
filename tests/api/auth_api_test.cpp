// /v1/auth/*, /v1/account and /v1/apikeys against the real server.

#include "api/api_test_fixture.h"
#include "support/raw_connection.h"

#include <fmt/format.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <filesystem>
#include <sstream>

namespace webgames::testing {
namespace {

using boost::beast::http::verb;
using std::chrono::minutes;

class AuthApiTest : public ApiTest {};

TEST_F(AuthApiTest, RegisterLoginAndReadTheAccount) {
  auto token = register_account("ada", "developer");
  auto me = call(verb::get, "/v1/account", "", token);
  ASSERT_EQ(me.status, 200u) << me.raw;
  EXPECT_EQ(me.str("username"), "ada");
  EXPECT_EQ(me.str("role"), "developer");

  auto login = call(verb::post, "/v1/auth/login", R"({"username":"ada","password":"correct horse"})");
  ASSERT_EQ(login.status, 200u);
  EXPECT_EQ(login.str("token_type"), "Bearer");
  EXPECT_FALSE(login.str("refresh_token").empty());
  EXPECT_EQ(call(verb::get, "/v1/account", "", login.str("access_token")).status, 200u);
}

TEST_F(AuthApiTest, GuestLogin) {
  auto first = call(verb::post, "/v1/auth/guest", R"({"device_id":"phone-12345678"})");
  auto again = call(verb::post, "/v1/auth/guest", R"({"device_id":"phone-12345678"})");
  ASSERT_EQ(first.status, 200u) << first.raw;
  EXPECT_EQ(first.body.at("account").at("id"), again.body.at("account").at("id"));
  EXPECT_EQ(first.body.at("account").at("role"), "player");
  EXPECT_EQ(call(verb::post, "/v1/auth/guest", R"({"device_id":"x"})").error_field(), "device_id");
}

TEST_F(AuthApiTest, RefreshRotatesAndLogoutRevokes) {
  auto reg = call(verb::post, "/v1/auth/register", R"({"username":"bob","password":"correct horse"})");
  ASSERT_EQ(reg.status, 201u);
  auto body = [](const std::string& t) { return boost::json::serialize(boost::json::object{{"refresh_token", t}}); };

  auto next = call(verb::post, "/v1/auth/refresh", body(reg.str("refresh_token")));
  ASSERT_EQ(next.status, 200u) << next.raw;
  auto replay = call(verb::post, "/v1/auth/refresh", body(reg.str("refresh_token")));
  EXPECT_EQ(replay.status, 401u);
  EXPECT_EQ(replay.error_code(), "unauthenticated");

  auto access = next.str("access_token");
  EXPECT_EQ(call(verb::post, "/v1/auth/logout", "", access).status, 204u);
  EXPECT_EQ(call(verb::get, "/v1/account", "", access).status, 401u);
  EXPECT_EQ(call(verb::post, "/v1/auth/refresh", body(next.str("refresh_token"))).status, 401u);
}

// The deny list of a process dies with it; the catalog's record of the
// logout does not: a restarted server refuses the logged-out token too.
TEST_F(AuthApiTest, ALoggedOutTokenIsStillRefusedAfterARestart) {
  auto token = register_account("ada", "player");
  auto other = register_account("bob", "player");
  EXPECT_EQ(call(verb::post, "/v1/auth/logout", "", token).status, 204u);
  TearDown();
  start();
  auto r = call(verb::get, "/v1/account", "", token);
  EXPECT_EQ(r.status, 401u) << r.raw;
  EXPECT_EQ(r.error_code(), "unauthenticated");
  EXPECT_EQ(call(verb::get, "/v1/account", "", token).status, 401u) << "refused again, from the deny list";
  EXPECT_EQ(call(verb::get, "/v1/account", "", other).status, 200u) << "another login goes on";
}

// Replicas share one keys directory (auth.keys_dir), not a data directory.
TEST_F(AuthApiTest, SigningKeysLiveInTheConfiguredDirectory) {
  TearDown();
  std::filesystem::remove_all(dir.path() / "data" / "keys");  // made by the start in SetUp
  config.keys_dir = (dir.path() / "shared-keys").string();
  start();
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "shared-keys" / "token-signing.pem"));
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "shared-keys" / "join-signing.pem"));
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "data" / "keys" / "token-signing.pem"));
}

TEST_F(AuthApiTest, AccessTokensExpireAfterFifteenMinutes) {
  auto token = register_account("ada", "player");
  EXPECT_EQ(call(verb::get, "/v1/account", "", token).status, 200u);
  clock.advance(minutes(15));
  auto expired = call(verb::get, "/v1/account", "", token);
  EXPECT_EQ(expired.status, 401u);
  EXPECT_EQ(expired.error_code(), "token_expired");
}

TEST_F(AuthApiTest, BadInputNamesTheField) {
  struct Case {
    std::string_view body;
    unsigned status;
    std::string_view code;
    std::string_view field;
  };
  const Case cases[] = {
      {R"({"username":"ada","password":)", 400, "invalid_request", "body"},
      {R"([1,2,3])", 400, "invalid_request", "body"},
      {R"({"username":42,"password":"correct horse"})", 400, "invalid_request", "username"},
      {R"({"password":"correct horse"})", 400, "invalid_request", "username"},
      {R"({"username":"ada","password":"correct horse","role":"admin"})", 422, "invalid_field", "role"},
      {R"({"username":"ada","password":"short"})", 422, "invalid_field", "password"},
      {R"({"username":"Ada!","password":"correct horse"})", 422, "invalid_field", "username"},
      {R"({"username":"ada","password":"correct horse","admin":true})", 400, "invalid_request", "admin"},
      // Not "the last one wins": no reader of the body can see another request than this one.
      {R"({"username":"ada","password":"correct horse","role":"player","role":"developer"})", 400, "invalid_request",
       "role"},
  };
  for (const auto& c : cases) {
    auto r = call(verb::post, "/v1/auth/register", c.body);
    EXPECT_EQ(r.status, c.status) << c.body << " -> " << r.raw;
    EXPECT_EQ(r.error_code(), c.code) << c.body;
    EXPECT_EQ(r.error_field(), c.field) << c.body;
  }
  auto long_name = call(verb::post, "/v1/auth/register",
                        R"({"username":")" + std::string(100, 'a') + R"(","password":"correct horse"})");
  EXPECT_EQ(long_name.status, 422u);
  EXPECT_EQ(long_name.error_field(), "username");

  register_account("taken", "player");
  auto dup = call(verb::post, "/v1/auth/register", R"({"username":"taken","password":"correct horse"})");
  EXPECT_EQ(dup.status, 409u);
  EXPECT_EQ(dup.error_field(), "username");
}

TEST_F(AuthApiTest, WrongPasswordIsRefused) {
  register_account("ada", "player");
  auto r = call(verb::post, "/v1/auth/login", R"({"username":"ada","password":"wrong horse"})");
  EXPECT_EQ(r.status, 401u);
  EXPECT_EQ(r.error_code(), "unauthenticated");
}

TEST_F(AuthApiTest, MissingOrBadCredentials) {
  auto none = call(verb::get, "/v1/account");
  EXPECT_EQ(none.status, 401u);
  EXPECT_EQ(none.error_field(), "authorization");
  auto garbage = call(verb::get, "/v1/account", "", "not-a-token");
  EXPECT_EQ(garbage.status, 401u);
  EXPECT_EQ(garbage.error_field(), "token");
  EXPECT_EQ(call(verb::get, "/v1/account", "", "wgk_unknown").status, 401u);
  auto too_long = call(verb::get, "/v1/account", "", std::string(3000, 'a'));
  EXPECT_EQ(too_long.status, 401u);
  EXPECT_EQ(too_long.error_field(), "authorization");
  EXPECT_NE(too_long.raw.find("longer than 2048 bytes"), std::string::npos) << too_long.raw;
}

TEST_F(AuthApiTest, TwoAuthorizationHeadersAreRefusedNotOneOfThemChosen) {
  auto token = register_account("twice");
  RawConnection c(app->port());
  c.send(
      fmt::format("GET /v1/account HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer {}\r\n"
                  "Authorization: Bearer someone-else\r\n\r\n",
                  token));
  auto res = c.read_response();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 401u) << res->body();
  auto error = boost::json::parse(res->body()).at("error");
  EXPECT_EQ(error.at("code"), "unauthenticated") << res->body();
  EXPECT_EQ(error.at("field"), "authorization") << res->body();
}

TEST_F(AuthApiTest, ApiKeysAreForDevelopersAndShownOnce) {
  auto player = register_account("pat", "player");
  EXPECT_EQ(call(verb::post, "/v1/apikeys", R"({"name":"ci"})", player).status, 403u);

  auto dev = register_account("ada", "developer");
  for (const auto* name : {R"({"name":"ci\u0000"})", R"({"name":"line\nbreak"})", R"({"name":"\u202Eic"})"}) {
    auto refused = call(verb::post, "/v1/apikeys", name, dev);
    EXPECT_EQ(refused.status, 422u) << name;
    EXPECT_EQ(refused.error_field(), "name") << name;
  }
  auto created = call(verb::post, "/v1/apikeys", R"({"name":"ci"})", dev);
  ASSERT_EQ(created.status, 201u) << created.raw;
  auto key = created.str("key");
  EXPECT_TRUE(key.starts_with("wgk_"));

  auto list = call(verb::get, "/v1/apikeys", "", dev);
  ASSERT_EQ(list.status, 200u);
  ASSERT_EQ(list.body.at("items").as_array().size(), 1u);
  EXPECT_EQ(list.raw.find(key), std::string::npos);  // the secret is never shown again

  EXPECT_EQ(call(verb::get, "/v1/account", "", key).status, 200u);
  EXPECT_EQ(call(verb::delete_, "/v1/apikeys/" + created.str("id"), "", dev).status, 204u);
  EXPECT_EQ(call(verb::get, "/v1/account", "", key).status, 401u);
  EXPECT_EQ(call(verb::delete_, "/v1/apikeys/" + created.str("id"), "", dev).status, 404u);
}

TEST_F(AuthApiTest, DeveloperSignupCanBeClosed) {
  TearDown();
  config.developer_signup = false;
  start();
  auto r = call(verb::post, "/v1/auth/register", R"({"username":"ada","password":"correct horse","role":"developer"})");
  EXPECT_EQ(r.status, 403u);
  EXPECT_EQ(r.error_field(), "role");
}

// Nothing secret reaches the logs: not passwords, not tokens, not keys.
TEST_F(AuthApiTest, SecretsNeverReachTheLogs) {
  TearDown();
  std::ostringstream captured;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured);
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("webgames", sink));
  spdlog::drop("access");
  spdlog::register_logger(std::make_shared<spdlog::logger>("access", sink));
  spdlog::set_level(spdlog::level::trace);
  config.access_log = true;
  start();

  auto reg =
      call(verb::post, "/v1/auth/register", R"({"username":"ada","password":"p4ssw0rd-secret","role":"developer"})");
  auto token = reg.str("access_token");
  call(verb::post, "/v1/auth/login", R"({"username":"ada","password":"wrong-secret-pw"})");
  auto key = call(verb::post, "/v1/apikeys", R"({"name":"ci"})", token).str("key");
  call(verb::get, "/v1/account?token=query-secret", "", key);
  call(verb::post, "/v1/auth/refresh",
       boost::json::serialize(boost::json::object{{"refresh_token", reg.str("refresh_token")}}));
  TearDown();

  auto logs = captured.str();
  spdlog::set_default_logger(previous);
  spdlog::drop("access");
  spdlog::set_level(spdlog::level::info);
  ASSERT_NE(logs.find("/v1/auth/login"), std::string::npos) << "the access log should have run";
  for (const auto& secret : {std::string("p4ssw0rd-secret"), std::string("wrong-secret-pw"), token, key,
                             reg.str("refresh_token"), std::string("query-secret")}) {
    ASSERT_FALSE(secret.empty());
    EXPECT_EQ(logs.find(secret), std::string::npos) << "leaked: " << secret;
  }
}

}  // namespace
}  // namespace webgames::testing
