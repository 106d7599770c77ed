// The lobby's durable side: its records keep every field of a party and a
// ticket; SqliteLobbyStore keeps them across a reopen; LobbyJournal lands
// changes in order and its barrier waits for them, and publishes what they
// tell players only once they have landed.
#include "lobby/lobby_journal.h"
#include "lobby/lobby_records.h"
#include "sqlite/sqlite_lobby_store.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>

#include <algorithm>
#include <future>
#include <thread>

namespace webgames {
namespace {

using namespace std::chrono_literals;

Ticket sample_ticket() {
  Ticket t;
  t.id = "tkt_1";
  t.game_id = "gam_arena";
  t.game = "arena";
  t.queue = "duel";
  t.players = {"acc_a", "acc_b"};
  t.party_id = "pty_1";
  t.attributes.skill = 27.5;
  t.attributes.pings = {{"eu", 30}, {"us", 95}};
  t.attributes.tags = {{"mode", "ranked"}};
  t.state = TicketState::matched;
  t.created_at = TimePoint{1'700'000'000'123ms};
  t.expires_at = TimePoint{1'700'000'600'123ms};
  t.match_id = "mat_1";
  t.session_id = "ses_1";
  t.requeues = 2;
  return t;
}

TEST(LobbyRecords, ATicketComesBackWithEveryFieldAndItsPlayersNames) {
  auto t = sample_ticket();
  PlayerNames names{{"acc_a", "ada"}, {"acc_b", "bob"}, {"acc_c", "not in the ticket"}};
  auto text = ticket_record(t, names);
  PlayerNames read;
  auto back = ticket_from_record(text, read);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->id, t.id);
  EXPECT_EQ(back->game_id, t.game_id);
  EXPECT_EQ(back->game, t.game);
  EXPECT_EQ(back->queue, t.queue);
  EXPECT_EQ(back->players, t.players);
  EXPECT_EQ(back->party_id, t.party_id);
  EXPECT_EQ(back->attributes.skill, t.attributes.skill);
  EXPECT_EQ(back->attributes.pings, t.attributes.pings);
  EXPECT_EQ(back->attributes.tags, t.attributes.tags);
  EXPECT_EQ(back->state, t.state);
  EXPECT_EQ(back->created_at, t.created_at);
  EXPECT_EQ(back->expires_at, t.expires_at);
  EXPECT_EQ(back->match_id, t.match_id);
  EXPECT_EQ(back->session_id, t.session_id);
  EXPECT_EQ(back->requeues, t.requeues);
  EXPECT_EQ(read, (PlayerNames{{"acc_a", "ada"}, {"acc_b", "bob"}}));
}

TEST(LobbyRecords, APartyComesBackWithItsMembersInOrder) {
  Party p{"pty_1", "ABCD2345", "acc_b", {"acc_b", "acc_a"}, TimePoint{1'700'000'000'000ms}};
  PlayerNames read;
  auto back = party_from_record(party_record(p, {{"acc_a", "ada"}}), read);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->id, p.id);
  EXPECT_EQ(back->code, p.code);
  EXPECT_EQ(back->leader_id, p.leader_id);
  EXPECT_EQ(back->members, p.members);
  EXPECT_EQ(back->created_at, p.created_at);
  EXPECT_EQ(read, (PlayerNames{{"acc_a", "ada"}}));
}

TEST(LobbyRecords, ADamagedRecordIsRefused) {
  PlayerNames names;
  for (std::string_view text :
       {"", "{", "[]", R"({"id":"tkt_1"})", R"({"id":"tkt_1","game":"g","queue":"q","players":["a"],"state":"lost"})",
        R"({"id":"tkt_1","game":"g","queue":"q","players":[],"state":"queued"})"})
    EXPECT_FALSE(ticket_from_record(text, names)) << text;
  for (std::string_view text : {"", "null", R"({"id":"pty_1","code":"C","leader_id":"x","members":["y"]})"})
    EXPECT_FALSE(party_from_record(text, names)) << text;
  EXPECT_TRUE(ticket_from_record(R"({"id":"tkt_1","game":"g","queue":"q","players":["a"],"state":"queued"})", names));
}

TEST(SqliteLobbyStore, KeepsTheLastRecordOfEachIdAcrossAReopen) {
  testing::TempDir dir;
  auto file = dir.path() / "lobby.db";
  {
    SqliteLobbyStore store(file);
    ASSERT_TRUE(store.apply(LobbyWrite{{{LobbyChange::Kind::put_ticket, "tkt_1", "first"},
                                        {LobbyChange::Kind::put_ticket, "tkt_2", "two"},
                                        {LobbyChange::Kind::put_party, "pty_1", "party"},
                                        {LobbyChange::Kind::put_ticket, "tkt_1", "second"},
                                        {LobbyChange::Kind::remove_ticket, "tkt_2", ""}}}));
    ASSERT_TRUE(store.apply(
        LobbyWrite{{{LobbyChange::Kind::put_party, "pty_2", "gone"}, {LobbyChange::Kind::remove_party, "pty_2", ""}}}));
  }
  SqliteLobbyStore again(file);
  auto records = again.load();
  ASSERT_TRUE(records);
  EXPECT_EQ(records->tickets, std::vector<std::string>{"second"});
  EXPECT_EQ(records->parties, std::vector<std::string>{"party"});
}

// A store that records what it was given, in one log shared with the bus
// below ("change <id>", "event <player>"); it fails its first `failures`
// writes as unavailable.
class RecordingStore final : public LobbyStore {
 public:
  Result<LobbyRecords> load() override { return LobbyRecords{}; }
  Result<void> apply(const LobbyWrite& write) override {
    std::lock_guard lock(mutex);
    retried.push_back(write.retried);
    if (failures > 0) {
      --failures;
      return make_error(Errc::unavailable, "away for a moment");
    }
    for (const auto& c : write.changes) {
      ids.push_back(c.id);
      log.push_back("change " + c.id);
    }
    ++writes;
    return {};
  }
  std::mutex mutex;
  std::vector<std::string> ids, log;
  std::vector<bool> retried;
  int failures = 0;
  int writes = 0;
};

// An EventBus that appends what it is given to the store's log.
class LoggingBus final : public EventBus {
 public:
  explicit LoggingBus(RecordingStore& store) : store_(store) {}
  void publish(const std::string& player, std::string_view, boost::json::object) override {
    std::lock_guard lock(store_.mutex);
    store_.log.push_back("event " + player);
  }
  boost::asio::awaitable<Result<std::vector<std::string>>> replay(const std::string&, std::uint64_t) override {
    co_return std::vector<std::string>{};
  }
  std::shared_ptr<Subscription> subscribe(const std::string&, std::uint64_t, boost::asio::any_io_executor) override {
    return nullptr;
  }
  void close_all() override {}

 private:
  RecordingStore& store_;
};

TEST(LobbyJournal, ChangesLandInOrderBeforeALaterBarrier) {
  RecordingStore store;
  LoggingBus bus(store);
  LobbyJournal journal(store, bus);
  std::vector<std::string> want;
  for (int i = 0; i < 500; ++i) {
    want.push_back(std::to_string(i));
    journal.change({LobbyChange::Kind::put_ticket, want.back(), "{}"});
  }
  auto barrier = boost::asio::post(journal.executor(), boost::asio::use_future([&store] {
                                     std::lock_guard lock(store.mutex);
                                     return store.ids.size();
                                   }));
  ASSERT_EQ(barrier.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(barrier.get(), want.size()) << "the barrier ran before every change made before it had landed";
  std::lock_guard lock(store.mutex);
  EXPECT_EQ(store.ids, want);
}

// What a Gather holds goes out in one write when it ends, and work waiting
// for it to land runs after that write.
TEST(LobbyJournal, AGatherLandsInOneWriteBeforeTheWorkWaitingForIt) {
  RecordingStore store;
  LoggingBus bus(store);
  LobbyJournal journal(store, bus);
  std::promise<std::pair<int, std::size_t>> landed;
  {
    LobbyJournal::Gather gather(journal);
    journal.change({LobbyChange::Kind::put_ticket, "tkt_1", "{}"});
    journal.tell("ada", "ticket.queued", {});
    {
      LobbyJournal::Gather inner(journal);
      journal.change({LobbyChange::Kind::put_ticket, "tkt_2", "{}"});
    }
    journal.after_landed([&] {
      std::lock_guard lock(store.mutex);
      landed.set_value({store.writes, store.ids.size()});
    });
    std::this_thread::sleep_for(50ms);  // time enough for a write, had one been posted
    std::lock_guard lock(store.mutex);
    EXPECT_EQ(store.writes, 0) << "a write went out while a Gather was open";
  }
  auto future = landed.get_future();
  ASSERT_EQ(future.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(future.get(), std::make_pair(1, std::size_t{2}));
  std::lock_guard lock(store.mutex);
  EXPECT_EQ(store.log, (std::vector<std::string>{"change tkt_1", "change tkt_2", "event ada"}));
}

// A change made for later costs no write of its own: it rides with the next
// one, or lands alone within LobbyJournal::kLater.
TEST(LobbyJournal, ALaterChangeRidesWithTheNextWriteOrLandsAloneSoon) {
  RecordingStore store;
  LoggingBus bus(store);
  LobbyJournal journal(store, bus);
  auto writes = [&] {
    std::lock_guard lock(store.mutex);
    return std::make_pair(store.writes, store.ids);
  };
  journal.change_later({LobbyChange::Kind::remove_ticket, "tkt_old", {}});
  journal.change({LobbyChange::Kind::put_ticket, "tkt_new", "{}"});
  boost::asio::post(journal.executor(), boost::asio::use_future([] {})).wait();
  EXPECT_EQ(writes(), std::make_pair(1, std::vector<std::string>{"tkt_old", "tkt_new"}));

  auto made = std::chrono::steady_clock::now();
  journal.change_later({LobbyChange::Kind::remove_ticket, "tkt_new", {}});
  while (writes().first < 2 && std::chrono::steady_clock::now() - made < 10s) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(writes(), std::make_pair(2, std::vector<std::string>{"tkt_old", "tkt_new", "tkt_new"}));
  EXPECT_GE(std::chrono::steady_clock::now() - made, LobbyJournal::kLater - 50ms) << "it did not wait for company";
}

// With a store that does not write events (SQLite), each is published once
// the changes told before it have landed, in the order told, and never for
// a write that has not landed yet.
TEST(LobbyJournal, EventsArePublishedOnlyOnceTheirChangesHaveLanded) {
  RecordingStore store;
  store.failures = 2;
  LoggingBus bus(store);
  {
    LobbyJournal journal(store, bus);
    journal.change({LobbyChange::Kind::put_ticket, "tkt_1", "{}"});
    journal.tell("ada", "ticket.queued", {});
    journal.tell("bob", "ticket.queued", {});
    journal.change({LobbyChange::Kind::put_ticket, "tkt_2", "{}"});
    journal.tell("cy", "ticket.queued", {});
    auto barrier = boost::asio::post(journal.executor(), boost::asio::use_future([] {}));
    ASSERT_EQ(barrier.wait_for(10s), std::future_status::ready);
  }
  std::lock_guard lock(store.mutex);
  // Writes may group the calls in any way; the order may not change.
  auto at = [&](const std::string& entry) {
    return std::find(store.log.begin(), store.log.end(), entry) - store.log.begin();
  };
  ASSERT_EQ(store.log.size(), 5u) << ::testing::PrintToString(store.log);
  EXPECT_LT(at("change tkt_1"), at("event ada"));
  EXPECT_LT(at("event ada"), at("event bob"));
  EXPECT_LT(at("event bob"), at("event cy"));
  EXPECT_LT(at("change tkt_2"), at("event cy"));
  ASSERT_GE(store.retried.size(), 3u);
  EXPECT_FALSE(store.retried[0]);
  EXPECT_TRUE(store.retried[1]) << "a write tried again must say so (its store must not append its events twice)";
}

}  // namespace
}  // namespace webgames
