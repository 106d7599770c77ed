// The players' events survive a kill -9 of `webgames serve`: after a
// restart on the same data directory, a client reconnecting with `since`
// gets exactly what came after it, and ids go on increasing.

#include "hosting/hosting_test.h"

#include <gmock/gmock.h>

namespace webgames::testing {
namespace {

std::vector<std::uint64_t> ids_of(const std::vector<Event>& events) {
  std::vector<std::uint64_t> out;
  for (const auto& e : events) out.push_back(e.id);
  return out;
}

std::vector<std::string> raws_of(const std::vector<Event>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.raw);
  return out;
}

class EventsRestartTest : public HostingTest {};

TEST_F(EventsRestartTest, EventsAreReplayedAfterAKill9AndIdsGoOn) {
  start_webgames(fast_flags());
  create_game("replay", script_server("good.sh"), duel_queue());
  auto a = join_queue("device-a", "replay");
  auto cancelled = call(verb::delete_, "/v1/tickets/" + a.ticket, {}, a.account.token);
  ASSERT_EQ(cancelled.status, 204u) << cancelled.raw;
  expect_event(a, "ticket.cancelled");
  auto before = a.events->received();
  ASSERT_GE(before.size(), 2u);
  auto port = this->port();

  webgames().kill9();
  ASSERT_TRUE(a.events->wait_closed(5s));
  a.events->close();
  start_webgames(fast_flags(), port);

  // Everything kept, as it was sent before the kill.
  EventsClient all(port, a.account.token, 0);
  for (std::size_t i = 0; i < before.size(); ++i) ASSERT_TRUE(all.next(5s)) << all.describe();
  EXPECT_EQ(raws_of(all.received()), raws_of(before));

  // Reconnecting with the last id seen: only what came after it.
  a.events = std::make_unique<EventsClient>(port, a.account.token, before.back().id);
  auto again = queue(a.account, "replay");
  ASSERT_EQ(again.status, 201u) << again.raw;
  auto queued = expect_event(a, "ticket.queued");
  EXPECT_GT(queued.id, before.back().id) << "ids go on after a restart";
  EXPECT_EQ(ids_of(a.events->received()), (std::vector<std::uint64_t>{queued.id})) << a.events->describe();
  ASSERT_TRUE(all.next(5s));
  EXPECT_EQ(all.received().back().raw, queued.raw);
  EXPECT_EQ(call(verb::delete_, "/v1/tickets/" + again.str("id"), {}, a.account.token).status, 204u);
}

}  // namespace
}  // namespace webgames::testing
