// An open events stream lives no longer than the credentials it was opened
// with (found by an attacker's probe: a stream opened before a logout went on
// telling the player's events, join tokens included).

#include "hosting/hosting_test.h"

#include <fmt/format.h>

namespace webgames::testing {
namespace {

class EventsCredentialsTest : public HostingTest {};

TEST_F(EventsCredentialsTest, ALogoutClosesTheStreamsItsLoginOpenedAndNoOther) {
  start_webgames(fast_flags());
  create_game("creds", script_server("good.sh"), duel_queue());
  // One player, two logins (two devices' sessions of the same guest).
  auto phone = guest("same-device");
  auto laptop = guest("same-device");
  ASSERT_EQ(phone.id, laptop.id);
  ASSERT_NE(phone.token, laptop.token);
  EventsClient on_phone(port(), phone.token);
  EventsClient on_laptop(port(), laptop.token);

  auto out = call(verb::post, "/v1/auth/logout", {}, phone.token);
  ASSERT_EQ(out.status, 204u) << out.raw;
  ASSERT_TRUE(on_phone.wait_closed(5s)) << "the logged-out login's stream is closed";
  EXPECT_EQ(on_phone.close_reason().code, 4003);
  EXPECT_EQ(std::string(on_phone.close_reason().reason.c_str()), "logged out");

  // The other login's stream still tells the player's events.
  auto queued = queue(laptop, "creds");
  ASSERT_EQ(queued.status, 201u) << queued.raw;
  EXPECT_TRUE(on_laptop.next_of("ticket.queued", 5s)) << on_laptop.describe();
  EXPECT_FALSE(on_laptop.closed());
  EXPECT_EQ(call(verb::delete_, "/v1/tickets/" + queued.str("id"), {}, laptop.token).status, 204u);

  // And the logged-out token opens no new one.
  EXPECT_THROW(EventsClient(port(), phone.token), std::runtime_error);
}

TEST_F(EventsCredentialsTest, ADeletedApiKeyClosesTheStreamsItOpenedAndNoOther) {
  start_webgames(fast_flags());
  auto& dev = developer();
  auto key = [&](std::string_view name) {
    auto r = call(verb::post, "/v1/apikeys", fmt::format(R"({{"name":"{}"}})", name), dev.token);
    EXPECT_EQ(r.status, 201u) << r.raw;
    return std::pair{r.str("id"), r.str("key")};
  };
  auto [ci_id, ci] = key("ci");
  auto [deploy_id, deploy] = key("deploy");
  EventsClient by_ci(port(), ci);
  EventsClient by_deploy(port(), deploy);
  EventsClient by_login(port(), dev.token);

  ASSERT_EQ(call(verb::delete_, "/v1/apikeys/" + ci_id, {}, dev.token).status, 204u);
  ASSERT_TRUE(by_ci.wait_closed(5s)) << "the deleted key's stream is closed";
  EXPECT_EQ(by_ci.close_reason().code, 4003);
  // The other key's and the login's streams go on; the deleted key opens no new one.
  EXPECT_THROW(EventsClient(port(), ci), std::runtime_error);
  EXPECT_FALSE(by_deploy.closed());
  EXPECT_FALSE(by_login.closed());
}

}  // namespace
}  // namespace webgames::testing
