#include "domain/game.h"
#include "domain/game_json.h"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

namespace webgames {
namespace {

using std::chrono::seconds;

Game game_with(QueueSpec q) {
  Game g;
  g.name = "arena";
  g.server.command = "/usr/bin/arena";
  g.server.ports = {{"game", Protocol::tcp}};
  g.queues = {std::move(q)};
  return g;
}

QueueSpec five_v_five() {
  QueueSpec q{"5v5", 2, 5, 0};
  q.rules.skill.window = {{seconds(0), 100}, {seconds(10), 200}, {seconds(30), 400}};
  q.rules.latency.max_ping = {{seconds(0), 60}, {seconds(20), 120}};
  q.rules.attributes = {{"mode", AttributeMust::equal}, {"platform", AttributeMust::differ}};
  q.rules.balance = true;
  return q;
}

// The error of validating `q` (field and message), or "<valid>".
std::pair<std::string, std::string> broken(QueueSpec q) {
  auto g = game_with(std::move(q));
  auto r = validate_game(g);
  if (r) return {"<valid>", ""};
  return {r.error().field, r.error().message};
}

TEST(QueueRules, SimpleFormFillsDefaults) {
  auto g = game_with(QueueSpec{"duel", 2, 1, 0});
  auto valid = validate_game(g);
  ASSERT_TRUE(valid) << valid.error().message;
  const auto& q = g.queues[0];
  EXPECT_EQ(q.rules.max_players, 2);
  EXPECT_EQ(q.min_players, 2);
  EXPECT_EQ(q.rules.min_team_size, 1);
  EXPECT_FALSE(q.rules.skill.enabled());
  EXPECT_FALSE(q.rules.latency.enabled());
}

TEST(QueueRules, FreeForAllBelowTheTeamCountAllowsEmptyTeams) {
  auto g = game_with(QueueSpec{"ffa", 4, 1, 3});
  auto valid = validate_game(g);
  ASSERT_TRUE(valid) << valid.error().message;
  EXPECT_EQ(g.queues[0].rules.min_team_size, 0);
}

TEST(QueueRules, AcceptsAFullRuleSet) {
  auto q = five_v_five();
  q.min_players = 8;
  q.rules.min_team_size = 4;
  EXPECT_EQ(broken(q).first, "<valid>");
}

TEST(QueueRules, RefusesContradictionsNamingTheRule) {
  auto q = five_v_five();
  q.rules.max_players = 11;
  EXPECT_EQ(broken(q).first, "queues[0].rules.max_players");

  q = five_v_five();
  q.rules.max_players = 8;
  q.min_players = 9;  // min above max
  EXPECT_EQ(broken(q).first, "queues[0].min_players");

  q = five_v_five();
  q.team_size = 0;
  EXPECT_EQ(broken(q).first, "queues[0].team_size");

  q = five_v_five();
  q.rules.min_team_size = 6;  // above the team's maximum
  EXPECT_EQ(broken(q).first, "queues[0].rules.min_team_size");

  q = five_v_five();
  q.min_players = 6;
  q.rules.min_team_size = 4;  // two teams of at least 4 need 8 players
  auto [field, message] = broken(q);
  EXPECT_EQ(field, "queues[0].rules.min_team_size");
  EXPECT_NE(message.find("above min_players"), std::string::npos) << message;

  q = five_v_five();
  q.rules.start_below_max_after = seconds(-1);
  std::tie(field, message) = broken(q);
  EXPECT_EQ(field, "queues[0].rules.start_below_max_after_s");
  EXPECT_NE(message.find("negative"), std::string::npos) << message;

  q = five_v_five();
  q.rules.skill.window[1].after = seconds(-5);
  EXPECT_EQ(broken(q).first, "queues[0].rules.skill.window[1].after_s");

  q = five_v_five();
  q.rules.skill.window[2].value = 150;  // narrows from 200
  std::tie(field, message) = broken(q);
  EXPECT_EQ(field, "queues[0].rules.skill.window[2].max_difference");
  EXPECT_NE(message.find("never narrow"), std::string::npos) << message;

  q = five_v_five();
  q.rules.latency.max_ping[1].value = 30;
  EXPECT_EQ(broken(q).first, "queues[0].rules.latency.max_ping[1].max_ms");

  q = five_v_five();
  q.rules.latency.max_ping[1].after = seconds(0);  // not after the first step
  EXPECT_EQ(broken(q).first, "queues[0].rules.latency.max_ping[1].after_s");

  q = five_v_five();
  q.rules.skill.window[0].after = seconds(5);  // nothing in force before 5 s
  EXPECT_EQ(broken(q).first, "queues[0].rules.skill.window[0].after_s");

  q = five_v_five();
  q.rules.attributes.push_back({"colour", AttributeMust::equal});
  std::tie(field, message) = broken(q);
  EXPECT_EQ(field, "queues[0].rules.attributes[2].tag");
  EXPECT_NE(message.find("unknown attribute \"colour\""), std::string::npos) << message;

  q = five_v_five();
  q.rules.attributes.push_back({"mode", AttributeMust::differ});
  EXPECT_EQ(broken(q).first, "queues[0].rules.attributes[2].tag");
}

TEST(QueueRules, WindowsWidenByStep) {
  std::vector<WindowStep> steps{{seconds(0), 100}, {seconds(10), 200}, {seconds(30), 400}};
  using std::chrono::milliseconds;
  EXPECT_EQ(window_at(steps, milliseconds(0)), 100);
  EXPECT_EQ(window_at(steps, milliseconds(9'999)), 100);
  EXPECT_EQ(window_at(steps, milliseconds(10'000)), 200);
  EXPECT_EQ(window_at(steps, milliseconds(3'600'000)), 400);
  EXPECT_EQ(next_step_after(steps, milliseconds(0)), milliseconds(10'000));
  EXPECT_EQ(next_step_after(steps, milliseconds(10'000)), milliseconds(30'000));
  EXPECT_EQ(next_step_after(steps, milliseconds(30'000)), std::nullopt);
}

TEST(QueueRules, JsonRoundTripsAndNamesBadFields) {
  auto text = R"({"name":"arena","server":{"command":"/a","ports":[{"name":"g"}]},
    "queues":[{"name":"5v5","teams":2,"team_size":5,"min_players":8,"rules":{
      "min_team_size":4,"start_below_max_after_s":20,
      "skill":{"default":1000,"window":[{"after_s":0,"max_difference":100},{"after_s":10,"max_difference":300}]},
      "latency":{"max_ping":[{"after_s":0,"max_ms":50}]},
      "attributes":[{"tag":"mode","must":"equal"}],"balance":true}}]})";
  auto parsed = game_from_json(boost::json::parse(text));
  ASSERT_TRUE(parsed) << parsed.error().message;
  ASSERT_TRUE(validate_game(*parsed));
  const auto& r = parsed->queues[0].rules;
  EXPECT_EQ(r.min_team_size, 4);
  EXPECT_EQ(r.max_players, 10);
  EXPECT_EQ(r.start_below_max_after, seconds(20));
  EXPECT_EQ(r.skill.default_skill, 1000);
  ASSERT_EQ(r.skill.window.size(), 2u);
  EXPECT_EQ(r.skill.window[1].value, 300);
  EXPECT_EQ(r.latency.max_ping[0].value, 50);
  EXPECT_TRUE(r.balance);

  auto again = game_from_json(game_to_json(*parsed));
  ASSERT_TRUE(again) << again.error().message;
  ASSERT_TRUE(validate_game(*again));
  EXPECT_EQ(game_to_json(*again), game_to_json(*parsed));

  auto error_of = [](std::string rules) {
    auto g = game_from_json(boost::json::parse(
        R"({"name":"a","server":{"command":"/a","ports":[{"name":"g"}]},"queues":[{"name":"q","rules":)" + rules +
        "}]}"));
    if (g) {
      auto v = validate_game(*g);
      return v ? std::string("<valid>") : v.error().field;
    }
    return g.error().field;
  };
  EXPECT_EQ(error_of(R"({"skil":{}})"), "queues[0].rules.skil");
  EXPECT_EQ(error_of(R"({"balance":1})"), "queues[0].rules.balance");
  EXPECT_EQ(error_of(R"({"attributes":[{"tag":"mode","must":"same"}]})"), "queues[0].rules.attributes[0].must");
  EXPECT_EQ(error_of(R"({"skill":{"window":[{"after_s":0}]}})"), "queues[0].rules.skill.window[0].max_difference");
  EXPECT_EQ(error_of(R"({"latency":{"max_ping":[{"after_s":-1,"max_ms":10}]}})"),
            "queues[0].rules.latency.max_ping[0].after_s");
  EXPECT_EQ(error_of(R"({})"), "<valid>");
}

}  // namespace
}  // namespace webgames
