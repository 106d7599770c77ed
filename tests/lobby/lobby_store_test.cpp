// The lobby's durable side: its records keep every field of a party and a
// ticket; SqliteLobbyStore keeps them across a reopen; LobbyJournal lands
// changes in order and its barrier waits for them.
#include "lobby/lobby_journal.h"
#include "lobby/lobby_records.h"
#include "sqlite/sqlite_lobby_store.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>

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
    ASSERT_TRUE(store.apply({{LobbyChange::Kind::put_ticket, "tkt_1", "first"},
                             {LobbyChange::Kind::put_ticket, "tkt_2", "two"},
                             {LobbyChange::Kind::put_party, "pty_1", "party"},
                             {LobbyChange::Kind::put_ticket, "tkt_1", "second"},
                             {LobbyChange::Kind::remove_ticket, "tkt_2", ""}}));
    ASSERT_TRUE(
        store.apply({{LobbyChange::Kind::put_party, "pty_2", "gone"}, {LobbyChange::Kind::remove_party, "pty_2", ""}}));
  }
  SqliteLobbyStore again(file);
  auto records = again.load();
  ASSERT_TRUE(records);
  EXPECT_EQ(records->tickets, std::vector<std::string>{"second"});
  EXPECT_EQ(records->parties, std::vector<std::string>{"party"});
}

// A store that records what it was given, batch by batch.
class RecordingStore final : public LobbyStore {
 public:
  Result<LobbyRecords> load() override { return LobbyRecords{}; }
  Result<void> apply(const std::vector<LobbyChange>& changes) override {
    std::lock_guard lock(mutex);
    for (const auto& c : changes) ids.push_back(c.id);
    ++batches;
    return {};
  }
  std::mutex mutex;
  std::vector<std::string> ids;
  int batches = 0;
};

TEST(LobbyJournal, ChangesLandInOrderBeforeALaterBarrier) {
  RecordingStore store;
  LobbyJournal journal(store);
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

}  // namespace
}  // namespace webgames
