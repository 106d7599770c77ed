// Rate limits through the API: over a limit, registration, logins, guest
// logins, ticket creation and party joins answer 429 rate_limited with Retry-After and
// the field naming what was limited; behind a trusted proxy the client's
// address is the one X-Forwarded-For names.

#include "api/api_test_fixture.h"
#include "support/raw_connection.h"

#include <fmt/format.h>
#include <boost/json/parse.hpp>

namespace webgames::testing {
namespace {

using boost::beast::http::verb;
using namespace std::chrono_literals;

class RateLimitsApiTest : public ApiTest {
 protected:
  bool start_in_setup() const override { return false; }
  void SetUp() override {
    ApiTest::SetUp();
    config.limits.window_s = 60;
    config.limits.login_per_username_address = 2;
    config.limits.login_per_username = 3;
    config.limits.guest_per_address = 2;
    config.limits.tickets_per_player = 1;
    config.trusted_proxies = "127.0.0.1";
  }
  // One POST on its own connection, with extra header lines ("Name: value\r\n").
  boost::beast::http::response<boost::beast::http::string_body> post(std::string_view target, std::string_view body,
                                                                     std::string_view headers = {}) {
    RawConnection c(app->port());
    c.send(
        fmt::format("POST {} HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n{}Content-Length: {}\r\n\r\n{}",
                    target, headers, body.size(), body));
    auto res = c.read_response();
    EXPECT_TRUE(res);
    return res ? *res : boost::beast::http::response<boost::beast::http::string_body>{};
  }
  // A guest login of `device` through a proxy that says it came from `forwarded_for`.
  boost::beast::http::response<boost::beast::http::string_body> guest(std::string_view device,
                                                                      std::string_view forwarded_for) {
    return post("/v1/auth/guest", fmt::format(R"({{"device_id":"{}"}})", device),
                fmt::format("X-Forwarded-For: {}\r\n", forwarded_for));
  }
  static std::string field_of(const std::string& body, std::string_view key) {
    auto doc = boost::json::parse(body);
    auto* error = doc.as_object().if_contains("error");
    if (error == nullptr) return "";
    auto* v = error->as_object().if_contains(key);
    return v ? std::string(v->as_string()) : "";
  }
};

TEST_F(RateLimitsApiTest, LoginsOverTheLimitAre429WithRetryAfter) {
  start();
  register_account("ada", "player");
  const auto login = R"({"username":"ada","password":"correct horse"})";
  EXPECT_EQ(post("/v1/auth/login", login).result_int(), 200u);
  clock.advance(20s);
  EXPECT_EQ(post("/v1/auth/login", login).result_int(), 200u);
  auto over = post("/v1/auth/login", login);
  EXPECT_EQ(over.result_int(), 429u) << over.body();
  EXPECT_EQ(field_of(over.body(), "code"), "rate_limited");
  EXPECT_EQ(field_of(over.body(), "field"), "username");
  EXPECT_EQ(std::string(over["Retry-After"]), "40");  // the window opened 20 s ago, on the injected clock
  // Even the right password waits; another account does not.
  register_account("bob", "player");
  EXPECT_EQ(post("/v1/auth/login", R"({"username":"bob","password":"correct horse"})").result_int(), 200u);
  clock.advance(40s);
  EXPECT_EQ(post("/v1/auth/login", login).result_int(), 200u);
}

// Found by an attacker's audit: wrong passwords from one address held the
// account's own logins at 429. Now they wait at that address only, until
// enough addresses reach the account's limit across all.
TEST_F(RateLimitsApiTest, OneAddressGuessingAPasswordDoesNotKeepThePlayerOut) {
  start();
  register_account("ada", "player");
  auto login_from = [&](std::string_view address, std::string_view password) {
    return post("/v1/auth/login", fmt::format(R"({{"username":"ada","password":"{}"}})", password),
                fmt::format("X-Forwarded-For: {}\r\n", address));
  };
  EXPECT_EQ(login_from("6.6.6.6", "guess one").result_int(), 401u);
  EXPECT_EQ(login_from("6.6.6.6", "guess two").result_int(), 401u);
  auto guesser = login_from("6.6.6.6", "guess three");
  EXPECT_EQ(guesser.result_int(), 429u) << guesser.body();
  EXPECT_EQ(field_of(guesser.body(), "field"), "username");
  EXPECT_EQ(login_from("203.0.113.1", "correct horse").result_int(), 200u) << "ada, from her own address";
  // That was the third login counted across addresses, the account's limit
  // here: from now on a second guesser waits, and so does ada.
  EXPECT_EQ(login_from("7.7.7.7", "guess four").result_int(), 429u);
  auto ada = login_from("203.0.113.1", "correct horse");
  EXPECT_EQ(ada.result_int(), 429u) << ada.body();
  EXPECT_EQ(field_of(ada.body(), "field"), "username");
}

TEST_F(RateLimitsApiTest, GuestsAreCountedPerForwardedAddressBehindATrustedProxy) {
  start();
  EXPECT_EQ(guest("device-1", "6.6.6.6, 203.0.113.1").result_int(), 200u);
  EXPECT_EQ(guest("device-2", "6.6.6.6, 203.0.113.1").result_int(), 200u);
  auto over = guest("device-3", "6.6.6.6, 203.0.113.1");
  EXPECT_EQ(over.result_int(), 429u) << over.body();
  EXPECT_EQ(field_of(over.body(), "field"), "address");
  EXPECT_EQ(std::string(over["Retry-After"]), "60");
  // Another client behind the same proxy has its own count (the 6.6.6.6 it
  // could have made up is not what counts).
  EXPECT_EQ(guest("device-4", "6.6.6.6, 203.0.113.2").result_int(), 200u);
}

TEST_F(RateLimitsApiTest, WithoutATrustedProxyTheHeaderIsIgnored) {
  config.trusted_proxies = "";
  start();
  EXPECT_EQ(guest("device-1", "203.0.113.1").result_int(), 200u);
  EXPECT_EQ(guest("device-2", "203.0.113.2").result_int(), 200u);
  EXPECT_EQ(guest("device-3", "203.0.113.3").result_int(), 429u);  // all from 127.0.0.1
}

TEST_F(RateLimitsApiTest, TicketsPerPlayer) {
  start();
  auto dev = register_account("dev");
  create_game(dev, "limited");
  auto player = call(verb::post, "/v1/auth/guest", R"({"device_id":"tickets-device"})").str("access_token");
  auto first = call(verb::post, "/v1/queues/limited/duel/tickets", "{}", player);
  ASSERT_EQ(first.status, 201u) << first.raw;
  ASSERT_EQ(call(verb::delete_, "/v1/tickets/" + first.str("id"), {}, player).status, 204u);
  auto over = call(verb::post, "/v1/queues/limited/duel/tickets", "{}", player);
  EXPECT_EQ(over.status, 429u) << over.raw;
  EXPECT_EQ(over.error_code(), "rate_limited");
  EXPECT_EQ(over.error_field(), "player");
  clock.advance(60s);
  EXPECT_EQ(call(verb::post, "/v1/queues/limited/duel/tickets", "{}", player).status, 201u);
}

// A party's code cannot be guessed by trying codes (found by an attacker's
// probe: joins were unlimited).
TEST_F(RateLimitsApiTest, PartyJoinsPerPlayerAndPerAddress) {
  config.limits.party_joins_per_player = 3;
  config.limits.party_joins_per_address = 5;
  start();
  auto join = [&](const std::string& token, std::string_view code) {
    return call(verb::post, "/v1/parties/join", fmt::format(R"({{"code":"{}"}})", code), token);
  };
  auto guesser = call(verb::post, "/v1/auth/guest", R"({"device_id":"guesser-1"})").str("access_token");
  for (auto code : {"AAAAAAAA", "AAAAAAAB", "AAAAAAAC"}) EXPECT_EQ(join(guesser, code).status, 404u) << code;
  auto over = join(guesser, "AAAAAAAD");
  EXPECT_EQ(over.status, 429u) << over.raw;
  EXPECT_EQ(over.error_code(), "rate_limited");
  EXPECT_EQ(over.error_field(), "player");
  // Another account from the same address (whose refused join counted
  // there): one more, then the address is spent.
  auto second = call(verb::post, "/v1/auth/guest", R"({"device_id":"guesser-2"})").str("access_token");
  EXPECT_EQ(join(second, "AAAAAAAE").status, 404u);
  auto spent = join(second, "AAAAAAAF");
  EXPECT_EQ(spent.status, 429u) << spent.raw;
  EXPECT_EQ(spent.error_field(), "address");
  clock.advance(60s);
  auto leader_login = call(verb::post, "/v1/auth/guest", R"({"device_id":"leader-device"})");
  ASSERT_EQ(leader_login.status, 200u) << leader_login.raw;
  auto leader = leader_login.str("access_token");
  auto party = call(verb::post, "/v1/parties", "", leader);
  ASSERT_EQ(party.status, 201u) << party.raw;
  EXPECT_EQ(join(second, party.str("code")).status, 200u);
}

// Found by an attacker's audit: guests are free, and each could make a
// party, kept for ever, with no limit.
TEST_F(RateLimitsApiTest, PartyCreationsPerPlayerAndPerAddress) {
  config.limits.party_creates_per_player = 2;
  config.limits.party_creates_per_address = 3;
  start();
  auto maker = call(verb::post, "/v1/auth/guest", R"({"device_id":"maker-device-1"})").str("access_token");
  for (int i = 0; i < 2; ++i) {
    auto party = call(verb::post, "/v1/parties", "", maker);
    ASSERT_EQ(party.status, 201u) << party.raw;
    ASSERT_EQ(call(verb::delete_, "/v1/parties/" + party.str("id"), {}, maker).status, 204u);
  }
  auto over = call(verb::post, "/v1/parties", "", maker);
  EXPECT_EQ(over.status, 429u) << over.raw;
  EXPECT_EQ(over.error_code(), "rate_limited");
  EXPECT_EQ(over.error_field(), "player");
  // The address counted all three: a new guest from it is refused there.
  auto second = call(verb::post, "/v1/auth/guest", R"({"device_id":"maker-device-2"})").str("access_token");
  auto spent = call(verb::post, "/v1/parties", "", second);
  EXPECT_EQ(spent.status, 429u) << spent.raw;
  EXPECT_EQ(spent.error_field(), "address");
  clock.advance(60s);
  EXPECT_EQ(call(verb::post, "/v1/parties", "", second).status, 201u);
}

}  // namespace
}  // namespace webgames::testing
