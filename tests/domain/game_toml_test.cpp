// Game specs in TOML (domain/game_toml.h): converted value for value, and
// the line a JSON path's value is on.

#include "domain/game_toml.h"

#include "core/json_fields.h"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

namespace webgames {
namespace {

namespace json = boost::json;

constexpr std::string_view kGame = R"(name = "duel"
title = "Duel"

[server]
command = "/bin/true"
ports = [{ name = "game" }]

[[queues]]
name = "one"
teams = 2
team_size = 1

[[queues]]
name = "two"
teams = 2
team_size = 0

[queues.rules.skill]
window = [{ after_s = 0, max_difference = 100 }]
)";

TEST(GameTomlTest, ConvertsValueForValue) {
  auto text = game_toml_as_json(kGame, "game.toml");
  ASSERT_TRUE(text) << text.error().message;
  auto game = json::parse(*text);
  EXPECT_EQ(game.at("name"), "duel");
  EXPECT_EQ(game.at("server").at("ports").at(0).at("name"), "game");
  EXPECT_EQ(game.at("queues").at(1).at("team_size"), 0);
  EXPECT_EQ(game.at("queues").at(1).at("rules").at("skill").at("window").at(0).at("max_difference"), 100);
}

TEST(GameTomlTest, NotTomlSaysWhere) {
  auto text = game_toml_as_json("name = \"a\"\nteams = = 2\n", "body");
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().code, Errc::invalid_request);
  EXPECT_TRUE(text.error().message.starts_with("body:2:")) << text.error().message;
  EXPECT_EQ(toml_line_of("name = \"a\"\nteams = = 2\n", ""), 2);
}

// Found by an attacker's probe: deeper TOML made JSON that was refused "as
// JSON", without a line.
TEST(GameTomlTest, NestingDeeperThanAJsonBodyMaySaysWhere) {
  auto nested = [](int arrays) {
    return "name = \"a\"\nvalue = " + std::string(arrays, '[') + std::string(arrays, ']') + "\n";
  };
  auto deepest = game_toml_as_json(nested(31), "body");  // the table, then 31 arrays: 32 levels
  ASSERT_TRUE(deepest) << deepest.error().message;
  EXPECT_TRUE(parse_json(*deepest)) << "what the TOML reader takes, the JSON reader takes";
  auto deeper = game_toml_as_json(nested(32), "body");
  ASSERT_FALSE(deeper);
  EXPECT_EQ(deeper.error().code, Errc::invalid_request);
  EXPECT_TRUE(deeper.error().message.starts_with("body:2:")) << deeper.error().message;
  EXPECT_NE(deeper.error().message.find("deeper than 32"), std::string::npos) << deeper.error().message;
  EXPECT_EQ(toml_line_of(nested(32), ""), 2);
}

// Found by an attacker's audit: a key of 200 000 dotted parts made as many
// nested tables, which toml++ frees recursively: the process crashed.
TEST(GameTomlTest, AKeyOfTooManyDottedPartsIsRefusedBeforeTheParse) {
  auto key = [](int parts) {
    std::string k = "a";
    for (int i = 1; i < parts; ++i) k += ".a";
    return k;
  };
  // Dots in strings, comments and floats are not a key's.
  const std::string dots(100, '.');
  auto plain = game_toml_as_json(
      "name = \"" + dots + "\" # " + dots + "\nr = '" + dots + "'\npi = 3.14\n[" + key(30) + "]\nx = 1\n", "body");
  ASSERT_TRUE(plain) << plain.error().message;
  for (const auto& text : {"name = \"a\"\n[" + key(200'000) + "]\n", "name = \"a\"\n" + key(34) + " = 1\n",
                           "name = \"a\"\nx = { " + key(34) + " = 1 }\n"}) {
    auto refused = game_toml_as_json(text, "body");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, Errc::invalid_request);
    EXPECT_EQ(refused.error().message, "body:2: a key of more than 33 dotted parts");
    EXPECT_EQ(toml_line_of(text, "name"), 2);
  }
}

TEST(GameTomlTest, LineOfAFieldOrItsNearestAncestor) {
  EXPECT_EQ(toml_line_of(kGame, "name"), 1);
  EXPECT_EQ(toml_line_of(kGame, "title"), 2);
  EXPECT_EQ(toml_line_of(kGame, "server.command"), 5);
  EXPECT_EQ(toml_line_of(kGame, "server.ports[0].name"), 6);
  EXPECT_EQ(toml_line_of(kGame, "queues[1].team_size"), 16);
  EXPECT_EQ(toml_line_of(kGame, "queues[1].rules.skill.window[0].max_difference"), 19);
  // Absent values: the nearest enclosing one the text holds.
  EXPECT_EQ(toml_line_of(kGame, "queues[0].min_players"), 8);
  EXPECT_EQ(toml_line_of(kGame, "server.env.FOO"), 4);
  EXPECT_EQ(toml_line_of(kGame, "queues[7].name"), toml_line_of(kGame, "queues"));
  EXPECT_EQ(toml_line_of(kGame, "pool"), 0);
  EXPECT_EQ(toml_line_of(kGame, ""), 0);
}

}  // namespace
}  // namespace webgames
