// What clients send is checked field by field, and nothing they send makes
// the parser throw; what the server sends has the documented shape.

#include "messages.h"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <string>

namespace arena {
namespace {

namespace json = boost::json;

std::string code_of(const ClientMessage& m) {
  if (auto* bad = std::get_if<BadMessage>(&m)) return bad->code + ": " + bad->reason;
  return "ok";
}

TEST(Messages, AnInputIsRead) {
  auto m = parse_client_message(R"({"type":"input","seq":12,"dx":1,"dy":-1,"aim":0.75,"fire":true,"extra":1})");
  auto* in = std::get_if<InputMessage>(&m);
  ASSERT_NE(in, nullptr) << code_of(m);
  EXPECT_EQ(in->seq, 12);
  EXPECT_EQ(in->input.dx, 1);
  EXPECT_EQ(in->input.dy, -1);
  EXPECT_DOUBLE_EQ(in->input.aim, 0.75);
  EXPECT_TRUE(in->has_aim);
  EXPECT_TRUE(in->input.fire);
  auto bare = parse_client_message(R"({"type":"input","seq":1.0,"dx":0,"dy":0})");
  ASSERT_TRUE(std::holds_alternative<InputMessage>(bare)) << code_of(bare);
  EXPECT_FALSE(std::get<InputMessage>(bare).has_aim);
  EXPECT_FALSE(std::get<InputMessage>(bare).input.fire);
}

TEST(Messages, EveryBadFieldIsNamed) {
  struct Case {
    const char* text;
    const char* expected;
  };
  for (auto [text, expected] : {
           Case{R"({"type":"input","dx":0,"dy":0})", "bad_input: seq"},
           Case{R"({"type":"input","seq":0,"dx":0,"dy":0})", "bad_input: seq"},
           Case{R"({"type":"input","seq":-4,"dx":0,"dy":0})", "bad_input: seq"},
           Case{R"({"type":"input","seq":1e300,"dx":0,"dy":0})", "bad_input: seq"},
           Case{R"({"type":"input","seq":18446744073709551615,"dx":0,"dy":0})", "bad_input: seq"},
           Case{R"({"type":"input","seq":"1","dx":0,"dy":0})", "bad_input: seq"},
           Case{R"({"type":"input","seq":1,"dy":0})", "bad_input: dx"},
           Case{R"({"type":"input","seq":1,"dx":2,"dy":0})", "bad_input: dx"},
           Case{R"({"type":"input","seq":1,"dx":0.5,"dy":0})", "bad_input: dx"},
           Case{R"({"type":"input","seq":1,"dx":0,"dy":true})", "bad_input: dy"},
           Case{R"({"type":"input","seq":1,"dx":0,"dy":0,"aim":"up"})", "bad_input: aim"},
           Case{R"({"type":"input","seq":1,"dx":0,"dy":0,"aim":1e300})", "bad_input: aim"},
           Case{R"({"type":"input","seq":1,"dx":0,"dy":0,"fire":1})", "bad_input: fire"},
           Case{R"({"type":"ping"})", "bad_input: id"},
           Case{R"({"type":"dance"})", "bad_request: unknown"},
           Case{R"({"type":3})", "bad_request: a message"},
           Case{R"([1,2])", "bad_request: a message"},
           Case{"{\"type\":\"input\",\"seq\":1", "bad_request: a message"},
           Case{"", "bad_request: a message"},
           Case{"\xff\xfe", "bad_request: a message"},
       }) {
    auto got = code_of(parse_client_message(text));
    EXPECT_EQ(got.rfind(expected, 0), 0u) << text << " gave " << got;
  }
}

TEST(Messages, PingAndJoin) {
  auto ping = parse_client_message(R"({"type":"ping","id":7})");
  ASSERT_TRUE(std::holds_alternative<PingMessage>(ping));
  EXPECT_EQ(std::get<PingMessage>(ping).id, 7);
  EXPECT_TRUE(std::holds_alternative<JoinMessage>(parse_client_message(R"({"type":"join","token":"x"})")));
  EXPECT_EQ(json::serialize(pong_message(7, 100)), R"({"type":"pong","id":7,"time_ms":100})");
}

TEST(Messages, TheStateHasTickTimeAckPlayersBulletsAndEvents) {
  Rules rules;
  rules.countdown_ticks = 0;
  Simulation sim(2, rules);
  Roster roster{{"acc_a", "alice", 0}, {"acc_b", "bob", 1}};
  sim.set_input(0, {.dx = 1, .dy = 0, .aim = 0.5, .fire = true});
  for (int i = 0; i < 3; ++i) sim.step();
  auto state = state_message(roster, sim, {true, false}, 9);
  EXPECT_EQ(state.at("type"), "state");
  EXPECT_EQ(state.at("tick"), 3);
  EXPECT_EQ(state.at("time_ms"), 100);
  EXPECT_EQ(state.at("phase"), "playing");
  EXPECT_EQ(state.at("ack"), 9);
  const auto& players = state.at("players").as_array();
  ASSERT_EQ(players.size(), 2u);
  EXPECT_EQ(players[0].at("id"), "acc_a");
  EXPECT_EQ(players[0].at("connected"), true);
  EXPECT_EQ(players[1].at("connected"), false);
  EXPECT_EQ(players[0].at("hp"), 3);
  const auto& bullets = state.at("bullets").as_array();
  ASSERT_EQ(bullets.size(), 1u);
  EXPECT_EQ(bullets[0].at("owner"), "acc_a");
  EXPECT_NEAR(bullets[0].at("vx").as_double(), 500 * std::cos(0.5), 0.01);
  EXPECT_TRUE(json::serialize(state).size() < 4096);

  auto welcome = welcome_message(roster[1], roster, sim, "waiting");
  EXPECT_EQ(welcome.at("player"), "acc_b");
  EXPECT_EQ(welcome.at("tick_rate"), 30);
  EXPECT_EQ(welcome.at("arena").at("walls").as_array().size(), 4u);
  EXPECT_EQ(welcome.at("rules").at("fire_cooldown_ms"), 400);
  EXPECT_EQ(welcome.at("rules").at("bullet_lifetime_ms"), 2000);
  EXPECT_EQ(welcome.at("players").as_array()[1].at("slot"), 1);
}

TEST(Messages, GameOverListsTheStandingsInRankOrder) {
  Rules rules;
  rules.countdown_ticks = 0;
  Simulation sim(3, rules);
  Roster roster{{"acc_a", "alice", 0}, {"acc_b", "bob", 1}, {"acc_c", "carol", 2}};
  sim.eliminate(0);
  sim.eliminate(1);
  auto over = game_over_message(roster, sim, "forfeit");
  EXPECT_EQ(over.at("winner"), "acc_c");
  EXPECT_EQ(over.at("reason"), "forfeit");
  const auto& standings = over.at("standings").as_array();
  ASSERT_EQ(standings.size(), 3u);
  EXPECT_EQ(standings[0].at("player"), "acc_c");
  EXPECT_EQ(standings[0].at("rank"), 1);
  EXPECT_EQ(standings[1].at("rank"), 2);
  EXPECT_EQ(standings[2].at("rank"), 2);
}

}  // namespace
}  // namespace arena
