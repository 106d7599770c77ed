// The lobby's lease and its fenced store on a real redis-server: one holder
// at a time, a token that only grows, and a holder whose lease has passed
// can neither renew it nor write the lobby (nor tell players of it).
#include "redis/redis_lease.h"
#include "redis/redis_event_bus.h"
#include "redis/redis_lobby_store.h"
#include "redis/redis_pool_sizer_store.h"

#include "redis_test.h"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

namespace webgames::testing {
namespace {

using namespace std::chrono_literals;
using redis::LeaseGrant;
namespace json = boost::json;

class RedisLeaseTest : public ::testing::Test {
 protected:
  Loop loop;
  std::shared_ptr<redis::Client> client = std::make_shared<redis::Client>(loop.executor(), shared_redis());
  std::string prefix =
      "test-" + std::to_string(::getpid()) + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name();
  redis::Lease lease{client, "lobby", prefix};

  LeaseGrant acquire(const std::string& holder, std::chrono::milliseconds ttl = 10s) {
    auto g = sync(loop.executor(), lease.acquire(holder, holder + ".example:80", ttl));
    EXPECT_TRUE(g) << (g ? "" : g.error().message);
    return g ? *g : LeaseGrant{};
  }
};

TEST(LeaseGrantTest, ParsesItsStoredValueAndRefusesAnythingElse) {
  auto g = LeaseGrant::parse("42 rep_a 127.0.0.1:8080");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->token, 42);
  EXPECT_EQ(g->holder, "rep_a");
  EXPECT_EQ(g->address, "127.0.0.1:8080");
  EXPECT_EQ(g->value, "42 rep_a 127.0.0.1:8080");
  for (auto bad : {"", "42", "42 rep_a", "x rep_a h:1", "0 rep_a h:1", "-3 rep_a h:1", "4x rep_a h:1"})
    EXPECT_FALSE(LeaseGrant::parse(bad)) << bad;
}

TEST_F(RedisLeaseTest, OneHolderAtATimeAndTheOthersLearnWhoAndWhere) {
  auto a = acquire("rep_a");
  EXPECT_EQ(a.holder, "rep_a");
  auto seen_by_b = acquire("rep_b");
  EXPECT_EQ(seen_by_b.holder, "rep_a");
  EXPECT_EQ(seen_by_b.address, "rep_a.example:80");
  EXPECT_EQ(seen_by_b.token, a.token);
  EXPECT_TRUE(sync(loop.executor(), lease.renew(a, 10s)));
  // b, claiming a grant of its own with a's token, renews nothing.
  auto forged = *LeaseGrant::parse(std::to_string(a.token) + " rep_b rep_b.example:80");
  auto renew_b = sync(loop.executor(), lease.renew(forged, 10s));
  ASSERT_FALSE(renew_b);
  EXPECT_EQ(renew_b.error().code, Errc::conflict);
}

TEST_F(RedisLeaseTest, ALeaseNotRenewedPassesAndTheNextHolderGetsAHigherToken) {
  auto a = acquire("rep_a", 300ms);
  ASSERT_EQ(a.holder, "rep_a");
  LeaseGrant b;
  ASSERT_TRUE(eventually([&] { return (b = acquire("rep_b", 10s)).holder == "rep_b"; }, 5s));
  EXPECT_GT(b.token, a.token);
  auto late = sync(loop.executor(), lease.renew(a, 10s));
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, Errc::conflict) << late.error().message;
}

TEST_F(RedisLeaseTest, ReleasedItIsFreeAtOnceButOnlyItsHolderReleasesIt) {
  auto a = acquire("rep_a");
  ASSERT_TRUE(sync(loop.executor(), lease.release(LeaseGrant{a.token, "rep_x", "x:1", "1 rep_x x:1"})));
  EXPECT_EQ(acquire("rep_b").holder, "rep_a") << "a release by another holder freed the lease";
  ASSERT_TRUE(sync(loop.executor(), lease.release(a)));
  EXPECT_EQ(acquire("rep_b").holder, "rep_b");
}

TEST_F(RedisLeaseTest, TheLobbyStoreWritesOnlyUnderTheCurrentGrant) {
  redis::RedisLobbyStore store(loop.executor(), client, lease, prefix);
  LobbyWrite put{{{LobbyChange::Kind::put_party, "pty_1", R"({"id":"pty_1"})"},
                  {LobbyChange::Kind::put_ticket, "tkt_1", R"({"id":"tkt_1"})"},
                  {LobbyChange::Kind::put_ticket, "tkt_2", R"({"id":"tkt_2"})"}}};
  auto unheld = store.apply(put);
  ASSERT_FALSE(unheld);
  EXPECT_EQ(unheld.error().code, Errc::conflict);

  auto a = acquire("rep_a", 300ms);
  store.set_grant(a);
  ASSERT_TRUE(store.apply(put));
  ASSERT_TRUE(store.apply(LobbyWrite{{{LobbyChange::Kind::remove_ticket, "tkt_1", ""}}}));
  auto records = store.load();
  ASSERT_TRUE(records) << records.error().message;
  EXPECT_EQ(records->parties, std::vector<std::string>{R"({"id":"pty_1"})"});
  EXPECT_EQ(records->tickets, std::vector<std::string>{R"({"id":"tkt_2"})"});

  // a's lease passes and b takes it: a's next write is refused, whole.
  ASSERT_TRUE(eventually([&] { return acquire("rep_b", 10s).holder == "rep_b"; }, 5s));
  auto fenced = store.apply(LobbyWrite{
      {{LobbyChange::Kind::remove_party, "pty_1", ""}, {LobbyChange::Kind::put_ticket, "tkt_3", R"({"id":"tkt_3"})"}}});
  ASSERT_FALSE(fenced);
  EXPECT_EQ(fenced.error().code, Errc::conflict) << fenced.error().message;
  records = store.load();
  ASSERT_TRUE(records);
  EXPECT_EQ(records->parties.size(), 1u);
  EXPECT_EQ(records->tickets.size(), 1u);
}

// What the pools' sizers learned: replaced whole by each save, kept for
// the next owner, and written only under the current grant.
TEST_F(RedisLeaseTest, ThePoolSizerStoreSavesOnlyUnderTheCurrentGrant) {
  redis::RedisPoolSizerStore store(loop.executor(), client, lease, prefix);
  PoolSizerRecords saved{{"gam_1", R"({"a":1})"}, {"gam_2", R"({"b":2})"}};
  auto unheld = store.save(saved);
  ASSERT_FALSE(unheld);
  EXPECT_EQ(unheld.error().code, Errc::conflict);

  auto a = acquire("rep_a", 300ms);
  store.set_grant(a);
  ASSERT_TRUE(store.save(saved));
  ASSERT_TRUE(store.save(PoolSizerRecords{{"gam_2", R"({"b":3})"}}));
  redis::RedisPoolSizerStore next_owner(loop.executor(), client, lease, prefix);
  auto records = next_owner.load();
  ASSERT_TRUE(records) << records.error().message;
  EXPECT_EQ(*records, (PoolSizerRecords{{"gam_2", R"({"b":3})"}}));

  ASSERT_TRUE(eventually([&] { return acquire("rep_b", 10s).holder == "rep_b"; }, 5s));
  auto fenced = store.save(saved);
  ASSERT_FALSE(fenced);
  EXPECT_EQ(fenced.error().code, Errc::conflict);
  EXPECT_EQ(next_owner.load()->size(), 1u);
}

// The events of a write land with its changes, on the streams the bus
// reads, with ids after the bus's own; a write retried after it landed
// appends nothing twice; a fenced write appends nothing.
TEST_F(RedisLeaseTest, TheLobbyStoreAppendsItsEventsWithItsChangesOnce) {
  redis::EventBusOptions events;
  events.prefix = prefix;
  redis::RedisEventBus bus(loop.executor(), client, events);
  redis::RedisLobbyStore store(loop.executor(), client, lease, prefix, events);
  ASSERT_TRUE(store.writes_events());
  auto replay = [&](const std::string& player) {
    auto r = sync(loop.executor(), bus.replay(player, 0));
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? *r : std::vector<std::string>{};
  };
  bus.publish("ada", "party.joined", json::object{{"party_id", "pty_1"}});
  ASSERT_TRUE(eventually([&] { return replay("ada").size() == 1; }));

  auto a = acquire("rep_a", 300ms);
  store.set_grant(a);
  LobbyWrite write{{{LobbyChange::Kind::put_ticket, "tkt_1", R"({"id":"tkt_1"})"}},
                   {{"ada", "ticket.queued", json::object{{"ticket_id", "tkt_1"}}},
                    {"bob", "ticket.queued", json::object{{"ticket_id", "tkt_1"}}}},
                   1};
  ASSERT_TRUE(store.apply(write));
  auto ada = replay("ada");
  ASSERT_EQ(ada.size(), 2u);
  EXPECT_GT(event_id(ada[1]), event_id(ada[0]));
  auto event = json::parse(ada[1]).as_object();
  EXPECT_EQ(event.at("type"), "ticket.queued");
  EXPECT_EQ(event.at("data").at("ticket_id"), "tkt_1");
  EXPECT_EQ(replay("bob").size(), 1u);

  write.retried = true;  // as the journal does when the first try's answer was lost
  ASSERT_TRUE(store.apply(write));
  EXPECT_EQ(replay("ada").size(), 2u) << "a retried write appended its events again";
  write.seq = 2;
  ASSERT_TRUE(store.apply(write));
  EXPECT_EQ(replay("ada").size(), 3u) << "a new write with the same content must append";

  ASSERT_TRUE(eventually([&] { return acquire("rep_b", 10s).holder == "rep_b"; }, 5s));
  auto fenced = store.apply(LobbyWrite{{}, {{"cy", "ticket.queued", json::object{{"ticket_id", "tkt_2"}}}}, 3});
  ASSERT_FALSE(fenced);
  EXPECT_EQ(fenced.error().code, Errc::conflict);
  EXPECT_TRUE(replay("cy").empty()) << "a fenced write told a player";
}

}  // namespace
}  // namespace webgames::testing
