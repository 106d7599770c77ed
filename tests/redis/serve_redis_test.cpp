// `webgames serve --live-state redis://…`: two real replicas (the built
// binary, sharing a data directory for their accounts and keys) on the
// fixture's Redis. A player's WebSocket on one replica is told what the
// other does for them; killed with SIGKILL, it reconnects with `since` to
// the other replica and gets exactly what came after.

#include "ctl/http_client.h"
#include "redis/redis_test.h"
#include "support/events_client.h"
#include "support/webgames_process.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace webgames::testing {
namespace {

namespace json = boost::json;
using boost::beast::http::verb;
using namespace std::chrono_literals;

class ServeRedisTest : public ::testing::Test {
 protected:
  std::unique_ptr<WebgamesProcess> replica(const std::string& name, std::string url = {}) {
    WebgamesOptions o;
    o.binary = WEBGAMES_BINARY;
    o.data_dir = dir.path() / "data";
    o.log_file = dir.path() / (name + ".log");
    o.flags = {"--live-state", url.empty() ? fmt::format("redis://127.0.0.1:{}", shared_redis().port) : url};
    return std::make_unique<WebgamesProcess>(std::move(o));
  }
  json::value call(WebgamesProcess& on, verb method, std::string_view target, std::string_view body = {},
                   std::string_view token = {}, unsigned expect = 200) {
    auto r = ctl::http_request({"127.0.0.1", std::to_string(on.port())}, method, target, body, token, 10s);
    EXPECT_TRUE(r) << target;
    if (!r) return {};
    EXPECT_EQ(r->status, expect) << target << ": " << r->body;
    boost::system::error_code ec;
    auto v = json::parse(r->body, ec);
    return ec ? json::value() : v;
  }

  TempDir dir;
};

TEST_F(ServeRedisTest, AWebSocketOnOneReplicaHearsTheOtherAndMovesWithoutLossOrRepeat) {
  auto a = replica("a");
  auto b = replica("b");
  auto dev = call(*a, verb::post, "/v1/auth/register",
                  R"({"username":"dev","password":"correct horse","role":"developer"})", {}, 201);
  auto dev_token = std::string(dev.at("access_token").as_string());
  json::object game{{"name", "bus"},
                    {"server", json::object{{"command", WEBGAMES_SOURCE_DIR "/tests/hosting/servers/good.sh"},
                                            {"ports", json::array{json::object{{"name", "game"}}}}}},
                    {"queues", json::array{json::object{{"name", "duel"}, {"teams", 2}, {"team_size", 1}}}}};
  call(*a, verb::post, "/v1/games", json::serialize(game), dev_token, 201);
  auto guest = call(*a, verb::post, "/v1/auth/guest", R"({"device_id":"serve-redis-test"})");
  auto token = std::string(guest.at("access_token").as_string());

  // The stream on b; the ticket on a.
  EventsClient on_b(b->port(), token);
  auto ticket = call(*a, verb::post, "/v1/queues/bus/duel/tickets", "{}", token, 201);
  auto queued = on_b.next_of("ticket.queued", 10s);
  ASSERT_TRUE(queued) << on_b.describe();
  EXPECT_EQ(queued->str("ticket_id"), std::string(ticket.at("id").as_string()));

  // b dies; the player reconnects to a with the last id it saw.
  b->kill9();
  call(*a, verb::delete_, fmt::format("/v1/tickets/{}", std::string(ticket.at("id").as_string())), {}, token, 204);
  EventsClient on_a(a->port(), token, queued->id);
  auto cancelled = on_a.next_of("ticket.cancelled", 10s);
  ASSERT_TRUE(cancelled) << on_a.describe();
  EXPECT_GT(cancelled->id, queued->id);
  EXPECT_EQ(on_a.received().size(), 1u) << on_a.describe();
  // With since=0, the whole kept history, from Redis.
  EventsClient all(a->port(), token, 0);
  ASSERT_TRUE(all.next(10s));
  ASSERT_TRUE(all.next(10s));
  EXPECT_EQ(all.received()[0].raw, queued->raw);
  EXPECT_EQ(all.received()[1].raw, cancelled->raw);
}

// A replica whose Redis does not answer serves, and says so on /readyz.
TEST_F(ServeRedisTest, ReadinessNamesLiveStateWhileRedisDoesNotAnswer) {
  auto a = replica("a", "redis://127.0.0.1:1");
  auto r = call(*a, verb::get, "/readyz", {}, {}, 503);
  EXPECT_EQ(r.at("error").at("field").as_string(), "live_state");
  EXPECT_NE(std::string(r.at("error").at("message").as_string()).find("127.0.0.1:1"), std::string::npos);
  call(*a, verb::get, "/healthz");
  auto b = replica("b");
  // Ready once its connections are up (the answer is cached for a second).
  EXPECT_TRUE(eventually([&] {
    auto ready = ctl::http_request({"127.0.0.1", std::to_string(b->port())}, verb::get, "/readyz", {}, {}, 10s);
    return ready && ready->status == 200;
  }));
}

// A logout on one replica: the other refuses the login's access token too.
TEST_F(ServeRedisTest, ALogoutOnOneReplicaIsRefusedByTheOther) {
  auto a = replica("a");
  auto b = replica("b");
  auto guest = call(*a, verb::post, "/v1/auth/guest", R"({"device_id":"serve-redis-logout"})");
  auto token = std::string(guest.at("access_token").as_string());
  auto status_on = [&](WebgamesProcess& replica) {
    auto r = ctl::http_request({"127.0.0.1", std::to_string(replica.port())}, verb::get, "/v1/tickets/tkt_none", {},
                               token, 10s);
    return r ? r->status : 0u;
  };
  // b takes a's token (one keys directory): authenticated, no such ticket;
  // b has now seen the token and keeps it in its cache: only the shared
  // deny list can refuse it there.
  EXPECT_EQ(status_on(*b), 404u);

  call(*a, verb::post, "/v1/auth/logout", {}, token, 204);
  EXPECT_TRUE(eventually([&] { return status_on(*b) == 401u; }, 5s)) << "b still takes the logged-out token";
  // A replica started after the logout refuses it too.
  auto c = replica("c");
  EXPECT_TRUE(eventually([&] { return status_on(*c) == 401u; }, 5s)) << "a replica started later takes the token";
}

}  // namespace
}  // namespace webgames::testing
