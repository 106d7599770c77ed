// Scenario 8: parties stay together in team queues, and a player holds at
// most one ticket. What the server was given (WEBGAMES_PLAYERS) is read
// from the env record of the test server.

#include "ctl/http_client.h"
#include "hosting/hosting_test.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gmock/gmock.h>

#include <algorithm>

namespace webgames::testing {
namespace {

namespace json = boost::json;

json::array two_v_two() { return json::array{json::object{{"name", "2v2"}, {"teams", 2}, {"team_size", 2}}}; }

// The team of `player` in WEBGAMES_PLAYERS ({"teams":[[ids…]…],"players":[…]}), or -1.
int team_in_env(const json::value& players_env, const std::string& player) {
  const auto& teams = players_env.at("teams").as_array();
  for (std::size_t t = 0; t < teams.size(); ++t)
    for (const auto& id : teams[t].as_array())
      if (id.as_string() == player) return static_cast<int>(t);
  return -1;
}

// The team of `player` in a session's JSON, or -1.
int team_in_session(const json::value& session, const std::string& player) {
  for (const auto& p : session.at("players").as_array())
    if (str_of(p, "id") == player) return static_cast<int>(p.at("team").as_int64());
  return -1;
}

class LobbyTest : public HostingTest {
 protected:
  void SetUp() override {
    HostingTest::SetUp();
    // Matches start only when full.
    auto flags = fast_flags();
    flags.insert(flags.end(), {"--start-below-max-after-ms", "600000"});
    start_webgames(flags);
    create_game("teams", script_server("good.sh"), two_v_two());
    leader_ = guest_with_events("leader");
    mate_ = guest_with_events("mate");
    auto party = call(verb::post, "/v1/parties", "{}", leader_.account.token);
    ASSERT_EQ(party.status, 201u) << party.raw;
    party_id_ = party.str("id");
    auto joined = call(verb::post, "/v1/parties/join", json::serialize(json::object{{"code", party.str("code")}}),
                       mate_.account.token);
    ASSERT_EQ(joined.status, 200u) << joined.raw;
    ASSERT_EQ(joined.body.at("members").as_array().size(), 2u) << joined.raw;
  }

  Player guest_with_events(const std::string& device) {
    Player p;
    p.account = guest(device);
    p.events = std::make_unique<EventsClient>(port(), p.account.token);
    return p;
  }

  void queue_party() {
    auto r = queue(leader_.account, "teams", "2v2");
    ASSERT_EQ(r.status, 201u) << r.raw;
    leader_.ticket = mate_.ticket = r.str("id");
    EXPECT_EQ(r.str("party_id"), party_id_);
    EXPECT_EQ(r.body.at("players").as_array().size(), 2u) << r.raw;
    // Both members are told.
    for (auto* p : {&leader_, &mate_}) EXPECT_EQ(expect_event(*p, "ticket.queued", 5s).str("ticket_id"), r.str("id"));
  }

  void queue_solo(Player& p) {
    auto r = queue(p.account, "teams", "2v2");
    ASSERT_EQ(r.status, 201u) << r.raw;
    p.ticket = r.str("id");
  }

  // Every player gets the same session; the party is on one team and the
  // two solos on the other, as the server was told and as the session says.
  void expect_party_together(std::vector<Player*> solos) {
    std::vector<Player*> everyone{&leader_, &mate_, solos[0], solos[1]};
    std::string session;
    for (auto* p : everyone) {
      auto ready = expect_event(*p, "session.ready", 10s);
      if (session.empty()) session = ready.str("session_id");
      EXPECT_EQ(ready.str("session_id"), session);
      EXPECT_EQ(ready.str("ticket_id"), p->ticket);
    }
    ASSERT_FALSE(session.empty());

    auto record = wait_server_record(session);
    auto env = json::parse(record["WEBGAMES_PLAYERS"]);
    EXPECT_EQ(env.at("teams").as_array().size(), 2u) << record["WEBGAMES_PLAYERS"];
    int party_team = team_in_env(env, leader_.id());
    EXPECT_NE(party_team, -1);
    EXPECT_EQ(team_in_env(env, mate_.id()), party_team) << "the party was split: " << record["WEBGAMES_PLAYERS"];
    for (auto* s : solos) {
      int t = team_in_env(env, s->id());
      EXPECT_NE(t, -1);
      EXPECT_NE(t, party_team) << record["WEBGAMES_PLAYERS"];
    }

    auto view = call(verb::get, "/v1/sessions/" + session, {}, mate_.account.token);
    ASSERT_EQ(view.status, 200u) << view.raw;
    EXPECT_EQ(view.body.at("players").as_array().size(), 4u);
    EXPECT_EQ(team_in_session(view.body, leader_.id()), team_in_session(view.body, mate_.id())) << view.raw;
    for (auto* s : solos) EXPECT_NE(team_in_session(view.body, s->id()), team_in_session(view.body, leader_.id()));

    end_sessions();
    for (auto* p : everyone) EXPECT_EQ(expect_event(*p, "session.ended", 10s).str("session_id"), session);
    wait_session_state("teams", session, "ended");
    expect_no_servers_left();
  }

  Player leader_, mate_;
  std::string party_id_;
};

TEST_F(LobbyTest, APartyIsNeverSplitAndAPlayerHoldsOneTicket) {
  // A member cannot queue the party; the leader can, once.
  auto by_member = queue(mate_.account, "teams", "2v2");
  EXPECT_EQ(by_member.status, 403u) << by_member.raw;
  queue_party();
  auto twice = queue(leader_.account, "teams", "2v2");
  EXPECT_EQ(twice.status, 409u) << twice.raw;
  EXPECT_EQ(twice.error_code(), "conflict") << twice.raw;

  auto solo1 = guest_with_events("solo-1");
  auto solo2 = guest_with_events("solo-2");
  queue_solo(solo1);
  auto again = queue(solo1.account, "teams", "2v2");
  EXPECT_EQ(again.status, 409u) << "a second ticket for one player: " << again.raw;
  // Nor may a player who holds a ticket join a party.
  auto other_party = call(verb::post, "/v1/parties", "{}", solo2.account.token);
  ASSERT_EQ(other_party.status, 201u);
  auto join = call(verb::post, "/v1/parties/join", json::serialize(json::object{{"code", other_party.str("code")}}),
                   solo1.account.token);
  EXPECT_EQ(join.status, 409u) << join.raw;
  EXPECT_EQ(call(verb::delete_, "/v1/parties/" + other_party.str("id"), {}, solo2.account.token).status, 204u);

  queue_solo(solo2);
  expect_party_together({&solo1, &solo2});
}

// A request repeated with its Idempotency-Key (its answer was lost) gets the
// ticket the first one made; another key, or none, is a second ticket: 409.
TEST_F(LobbyTest, ARetryWithTheSameIdempotencyKeyGetsTheSameTicket) {
  auto solo = guest_with_events("idempotent");
  auto post = [&](const std::string& key, const std::string& body = R"({"pings":{"eu":20},"tags":{"mode":"x"}})") {
    ctl::Headers headers;
    if (!key.empty()) headers.emplace_back("Idempotency-Key", key);
    auto r = ctl::http_request({"127.0.0.1", std::to_string(port())}, verb::post, "/v1/queues/teams/2v2/tickets", body,
                               solo.account.token, std::chrono::seconds(10), headers);
    EXPECT_TRUE(r);
    return r ? *r : ctl::HttpResult{};
  };
  auto first = post("req-1");
  ASSERT_EQ(first.status, 201u) << first.body;
  auto again = post("req-1", R"({"tags":{"mode":"x"},  "pings":{"eu":20}})");  // the same, written otherwise
  EXPECT_EQ(again.status, 201u) << again.body;
  EXPECT_EQ(json::parse(again.body).at("id"), json::parse(first.body).at("id"));
  // The key reused for another request: said so, not answered with the first ticket.
  auto other = post("req-1", R"({"pings":{"eu":20},"tags":{"mode":"y"}})");
  EXPECT_EQ(other.status, 422u) << other.body;
  EXPECT_NE(other.body.find("another request body"), std::string::npos) << other.body;
  EXPECT_EQ(post("req-2").status, 409u);
  EXPECT_EQ(post("").status, 409u);
  auto bad = post(std::string(65, 'k'));
  EXPECT_EQ(bad.status, 422u) << bad.body;
  EXPECT_NE(bad.body.find("idempotency-key"), std::string::npos) << bad.body;
  expect_event(solo, "ticket.queued", 5s);
  EXPECT_FALSE(solo.events->next_of("ticket.queued", 300ms)) << "the retry queued a second ticket";
}

// The same four players, the solos first: a party of two fits only if the
// solos share a team.
TEST_F(LobbyTest, APartyQueuedAfterTwoSolosIsMatchedWithThem) {
  auto solo1 = guest_with_events("solo-1");
  auto solo2 = guest_with_events("solo-2");
  queue_solo(solo1);
  queue_solo(solo2);
  queue_party();
  for (auto* p : {&leader_, &mate_, &solo1, &solo2}) {
    auto matched = p->events->next_of("ticket.matched", 5s);
    ASSERT_TRUE(matched) << "four players who fit one 2v2 match were not matched within 5 s (" << p->account.name
                         << "); events:" << p->events->describe();
  }
  expect_party_together({&solo1, &solo2});
}

// A refused upgrade is plain HTTP, documented like every answer (status,
// Error body, X-Request-Id): EventsClient checks it against the document.
TEST_F(LobbyTest, TheEventStreamRefusesABadCredentialInDocumentedHttp) {
  try {
    EventsClient refused(port(), "not-a-token");
    ADD_FAILURE() << "the upgrade was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("HTTP 401"));
  }
}

// One player holds at most http.event_streams_per_player (8) streams: the
// ninth closes the player's oldest with 1008 and a reason, the others stay,
// and the newest is told what happens to the player.
TEST_F(LobbyTest, APlayersNinthEventStreamClosesTheirOldest) {
  std::vector<std::unique_ptr<EventsClient>> more;
  for (int i = 0; i < 7; ++i) more.push_back(std::make_unique<EventsClient>(port(), mate_.account.token));
  EXPECT_FALSE(mate_.events->wait_closed(300ms)) << "closed at the limit, not beyond it";

  auto newest = std::make_unique<EventsClient>(port(), mate_.account.token);
  ASSERT_TRUE(mate_.events->wait_closed(5s)) << "the oldest stream stayed open";
  EXPECT_EQ(mate_.events->close_reason().code, 1008);
  EXPECT_THAT(std::string(mate_.events->close_reason().reason.c_str()), ::testing::HasSubstr("replaced"));
  for (auto& stream : more) EXPECT_FALSE(stream->closed());

  auto r = queue(leader_.account, "teams", "2v2");
  ASSERT_EQ(r.status, 201u) << r.raw;
  EXPECT_TRUE(newest->next_of("ticket.queued", 5s)) << newest->describe();
  EXPECT_TRUE(more.back()->next_of("ticket.queued", 5s)) << more.back()->describe();
  // The leader's one stream is not the mate's to close.
  EXPECT_FALSE(leader_.events->closed());
}

}  // namespace
}  // namespace webgames::testing
