// Parties through the API, on the injected clock: a party that holds no
// ticket and sees no change for hosting.party_idle_s is disbanded, every
// member told; a queued party is not. Found by an attacker's audit: a free
// guest's party was kept for ever. Frames are checked against the
// document (EventsClient).

#include "api/api_test_fixture.h"
#include "support/events_client.h"

#include <thread>

namespace webgames::testing {
namespace {

using boost::beast::http::verb;
using namespace std::chrono_literals;

class PartiesApiTest : public ApiTest {
 protected:
  bool start_in_setup() const override { return false; }
  std::string guest(const std::string& device) {
    auto r = call(verb::post, "/v1/auth/guest", R"({"device_id":")" + device + R"("})");
    EXPECT_EQ(r.status, 200u) << r.raw;
    return r.str("access_token");
  }
  // The party's status for `token`, once the lobby's tick had time to run.
  unsigned party_status(const std::string& id, const std::string& token) {
    std::this_thread::sleep_for(600ms);  // two ticks of 250 ms, on the steady clock
    return call(verb::get, "/v1/parties/" + id, {}, token).status;
  }
};

TEST_F(PartiesApiTest, AnIdlePartyIsDisbandedAndEveryMemberToldAQueuedOneIsNot) {
  config.party_idle_s = 3'600;
  config.ticket_ttl_s = 7'200;   // the queued party's ticket outlives the wait
  config.access_ttl_s = 86'400;  // and so do the tokens
  start();
  create_game(register_account("dev"), "chess");
  auto ada = guest("ada-device"), bob = guest("bob-device"), cy = guest("cy-device");
  auto idle = call(verb::post, "/v1/parties", "", ada);
  ASSERT_EQ(idle.status, 201u) << idle.raw;
  auto idle_id = idle.str("id");
  ASSERT_EQ(call(verb::post, "/v1/parties/join", R"({"code":")" + idle.str("code") + R"("})", bob).status, 200u);
  auto queued = call(verb::post, "/v1/parties", "", cy);
  ASSERT_EQ(queued.status, 201u) << queued.raw;
  ASSERT_EQ(call(verb::post, "/v1/queues/chess/duel/tickets", "{}", cy).status, 201u);
  EventsClient ada_events(app->port(), ada), bob_events(app->port(), bob);

  clock.advance(3'599s);
  EXPECT_EQ(party_status(idle_id, ada), 200u) << "disbanded before its idle time";
  clock.advance(11s);  // past the idle time, and past the next sweep (every 10 s)
  for (auto* events : {&ada_events, &bob_events}) {
    auto disbanded = events->next_of("party.disbanded", 5s);
    ASSERT_TRUE(disbanded) << events->describe();
    EXPECT_EQ(disbanded->str("party_id"), idle_id);
    EXPECT_EQ(disbanded->str("reason"), "idle");
  }
  EXPECT_EQ(party_status(idle_id, ada), 404u);
  EXPECT_EQ(call(verb::get, "/v1/parties/" + queued.str("id"), {}, cy).status, 200u) << "a queued party is not idle";
  EXPECT_EQ(call(verb::post, "/v1/parties", "", bob).status, 201u) << "a member is free again";
}

// A party made by a player who had queued alone is busy while that ticket
// lives: its idle time starts when the ticket ends (found by a review: it
// was counted from the party's making, and the party was disbanded at the
// first sweep after a long game).
TEST_F(PartiesApiTest, APartyIsNotIdleWhileAMemberPlaysAloneItsIdleTimeStartsAfter) {
  config.party_idle_s = 3'600;
  config.ticket_ttl_s = 7'200;
  config.access_ttl_s = 86'400;
  start();
  create_game(register_account("dev"), "chess");
  auto dee = guest("dee-device");
  auto ticket = call(verb::post, "/v1/queues/chess/duel/tickets", "{}", dee);
  ASSERT_EQ(ticket.status, 201u) << ticket.raw;
  auto party = call(verb::post, "/v1/parties", "", dee);
  ASSERT_EQ(party.status, 201u) << party.raw;

  clock.advance(3'601s);
  EXPECT_EQ(party_status(party.str("id"), dee), 200u) << "disbanded while its member's ticket waited";
  ASSERT_EQ(call(verb::delete_, "/v1/tickets/" + ticket.str("id"), {}, dee).status, 204u);
  clock.advance(11s);  // past the next sweep, far within the idle time since the ticket ended
  EXPECT_EQ(party_status(party.str("id"), dee), 200u) << "idle time counted from before the ticket ended";
}

}  // namespace
}  // namespace webgames::testing
