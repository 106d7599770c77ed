// Tenants: a game's history belongs to the game (its immutable id), never to
// a later game registered under the same name, and deleting a game ends its
// queues. Two developers, the real binary, real game servers.

#include "hosting/hosting_test.h"

#include <boost/json/serialize.hpp>

#include <thread>

namespace webgames::testing {
namespace {

namespace json = boost::json;

class TenantsTest : public HostingTest {
 protected:
  void SetUp() override {
    HostingTest::SetUp();
    start_webgames(fast_flags());
  }

  // A second developer, "bob" (developer() is the first).
  Account& bob() {
    if (!bob_) bob_ = register_developer("bob");
    return *bob_;
  }

  // POST /v1/games as `who`; returns the game's id.
  std::string create_game_as(const Account& who, const std::string& name) {
    auto body =
        json::serialize(json::object{{"name", name}, {"server", script_server("good.sh")}, {"queues", duel_queue()}});
    auto r = call(verb::post, "/v1/games", body, who.token);
    EXPECT_EQ(r.status, 201u) << r.raw;
    EXPECT_TRUE(r.str("id").starts_with("gam_")) << r.raw;
    return r.str("id");
  }

  Reply get(const std::string& target, const Account& who) { return call(verb::get, target, {}, who.token); }

 private:
  std::optional<Account> bob_;
};

// Developer A's game `g` hosts a match and is deleted while it runs; B then
// registers `g`. The running session finishes on A's spec; B sees none of
// A's sessions, logs, ratings or leaderboard, and a 404 exactly like a
// session that never existed.
TEST_F(TenantsTest, ANameRegisteredAgainIsANewGameWithNoneOfTheOldHistory) {
  auto a_game = create_game_as(developer(), "g");
  auto p1 = join_queue("tenant-p1", "g");
  auto p2 = join_queue("tenant-p2", "g");
  auto ready = expect_event(p1, "session.ready");
  expect_event(p2, "session.ready");
  auto session = ready.str("session_id");
  ASSERT_FALSE(session.empty());

  ASSERT_EQ(call(verb::delete_, "/v1/games/g", {}, developer().token).status, 204u);
  auto b_game = create_game_as(bob(), "g");
  EXPECT_NE(a_game, b_game);

  // A's session goes on with the spec it started with, and ends with results.
  end_sessions();
  EXPECT_EQ(expect_event(p1, "session.ended").str("session_id"), session);
  auto a_view = get("/v1/sessions/" + session, developer());
  ASSERT_EQ(a_view.status, 200u) << a_view.raw;
  EXPECT_EQ(a_view.str("game_id"), a_game);
  ASSERT_TRUE(eventually([&] { return get("/v1/sessions/" + session, developer()).str("state") == "ended"; }, 5s));
  // The end's ratings are recorded in the background: give them time to
  // (wrongly) show up.
  EXPECT_FALSE(eventually(
      [&] {
        auto board = get("/v1/queues/g/duel/leaderboard", p1.account);
        return board.status != 200 || !board.body.at("items").as_array().empty();
      },
      1s))
      << "the leaderboard of B's g is B's alone";

  auto b_sessions = get("/v1/games/g/sessions", bob());
  ASSERT_EQ(b_sessions.status, 200u) << b_sessions.raw;
  EXPECT_TRUE(b_sessions.body.at("items").as_array().empty()) << b_sessions.raw;
  EXPECT_EQ(get("/v1/queues/g/duel/rating", p1.account).body.at("matches"), 0) << "p1 has not played B's g";

  auto unknown = get("/v1/sessions/ses_doesnotexist", bob());
  for (const auto& target : {"/v1/sessions/" + session, "/v1/sessions/" + session + "/log"}) {
    auto r = get(target, bob());
    EXPECT_EQ(r.status, 404u) << target << " " << r.raw;
    EXPECT_EQ(r.body, unknown.body) << target << ": the same answer as for a session that does not exist";
  }
  EXPECT_EQ(get("/v1/sessions/" + session + "/log", developer()).status, 200u);
  expect_no_servers_left();
}

// Tickets waiting in a deleted game's queue are cancelled with reason
// game_deleted; a later game of the same name starts with an empty queue.
TEST_F(TenantsTest, DeletingAGameCancelsItsTicketsAndNoneReachesALaterGameOfTheName) {
  create_game_as(developer(), "g");
  auto early = join_queue("tenant-early", "g");
  ASSERT_EQ(call(verb::delete_, "/v1/games/g", {}, developer().token).status, 204u);
  auto cancelled = expect_event(early, "ticket.cancelled", 5s);
  EXPECT_EQ(cancelled.str("ticket_id"), early.ticket);
  EXPECT_EQ(cancelled.str("reason"), "game_deleted");
  EXPECT_FALSE(cancelled.str("message").empty());
  EXPECT_EQ(get("/v1/tickets/" + early.ticket, early.account).status, 404u);

  create_game_as(bob(), "g");
  auto late = join_queue("tenant-late", "g");
  // Several matchmaking ticks: alone in B's queue, the ticket waits.
  std::this_thread::sleep_for(800ms);
  auto waiting = get("/v1/tickets/" + late.ticket, late.account);
  EXPECT_EQ(waiting.str("state"), "queued") << waiting.raw;
  auto stats = get("/v1/games/g/queues/duel/stats", bob());
  ASSERT_EQ(stats.status, 200u) << stats.raw;
  EXPECT_EQ(stats.body.at("waiting_tickets"), 1) << stats.raw;
  EXPECT_EQ(get("/v1/games/g/queues/duel/stats", developer()).status, 404u) << "A's game is gone";

  // B's queue works: the next player is matched with the waiting one.
  auto next = join_queue("tenant-next", "g");
  auto ready = expect_event(late, "session.ready");
  EXPECT_EQ(expect_event(next, "session.ready").str("session_id"), ready.str("session_id"));
  auto sessions = get("/v1/games/g/sessions", bob()).body.at("items").as_array();
  ASSERT_EQ(sessions.size(), 1u);
  for (const auto& p : sessions[0].at("players").as_array()) EXPECT_NE(str_of(p, "id"), early.id());
  end_sessions();
  expect_event(late, "session.ended");
  expect_no_servers_left();
}

// A queue that a PUT removes ends like a deleted game's (reason
// queue_removed); the game's other queues go on.
TEST_F(TenantsTest, AQueueRemovedByAnUpdateCancelsItsTickets) {
  json::array queues = duel_queue();
  queues.push_back(json::object{{"name", "trio"}, {"teams", 3}, {"team_size", 1}});
  auto body = json::serialize(json::object{{"name", "g"}, {"server", script_server("good.sh")}, {"queues", queues}});
  ASSERT_EQ(call(verb::post, "/v1/games", body, developer().token).status, 201u);
  auto trio = join_queue("tenant-trio", "g", "trio");
  auto duel = join_queue("tenant-duel", "g", "duel");

  auto update = json::serialize(json::object{{"server", script_server("good.sh")}, {"queues", duel_queue()}});
  ASSERT_EQ(call(verb::put, "/v1/games/g", update, developer().token).status, 200u);
  auto cancelled = expect_event(trio, "ticket.cancelled", 5s);
  EXPECT_EQ(cancelled.str("reason"), "queue_removed");
  EXPECT_EQ(get("/v1/tickets/" + duel.ticket, duel.account).str("state"), "queued");
}

}  // namespace
}  // namespace webgames::testing
