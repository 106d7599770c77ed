#include "domain/game.h"

#include <gtest/gtest.h>

namespace webgames {
namespace {

Game valid_game() {
  Game g;
  g.name = "shifumi";
  g.server.command = "/usr/bin/shifumi-server";
  g.server.ports = {{"game", Protocol::tcp}};
  g.queues = {{"duel", 2, 1, 0}};
  return g;
}

// The field named by the first rule `game` breaks; its message must say it
// too, first (docs/game-spec.md: "<field>: <reason>").
std::string broken_field(Game game) {
  auto r = validate_game(game);
  if (r) return "<valid>";
  EXPECT_TRUE(r.error().message.starts_with(r.error().field + ": ")) << r.error().message;
  return r.error().field;
}

TEST(ValidateGame, AcceptsAndFillsDefaults) {
  auto g = valid_game();
  ASSERT_TRUE(validate_game(g));
  EXPECT_EQ(g.title, "shifumi");
  EXPECT_EQ(g.queues[0].min_players, 2);
}

TEST(ValidateGame, NamesTheBrokenField) {
  auto g = valid_game();
  g.name = "Shifumi!";
  EXPECT_EQ(broken_field(g), "name");

  g = valid_game();
  g.name = std::string(65, 'a');
  EXPECT_EQ(broken_field(g), "name");

  using namespace std::string_literals;
  for (const auto& title : {"a\nb"s, "nul\0x"s, "\u202Eevil"s, "\u2066x"s, "bell\a"s, "c1\u0085"s, "del\x7f"s}) {
    g = valid_game();
    g.title = title;
    EXPECT_EQ(broken_field(g), "title") << title;
  }
  g = valid_game();
  g.title = "Shifumi: rock, paper, scissors \u2014 \u00e9t\u00e9 \u2603";  // printable, not ASCII
  EXPECT_EQ(broken_field(g), "<valid>");

  g = valid_game();
  g.server.image = "webgames/shifumi";  // both command and image
  EXPECT_EQ(broken_field(g), "server");

  g = valid_game();
  g.server.command.clear();  // neither
  EXPECT_EQ(broken_field(g), "server");

  g = valid_game();
  g.server.ports.clear();
  EXPECT_EQ(broken_field(g), "server.ports");

  g = valid_game();
  g.server.ports.push_back({"game", Protocol::udp});
  EXPECT_EQ(broken_field(g), "server.ports[1].name");

  g = valid_game();
  g.server.env["WEBGAMES_PORT"] = "1";
  EXPECT_EQ(broken_field(g), "server.env.WEBGAMES_PORT");

  g = valid_game();
  g.server.env["lower"] = "1";
  EXPECT_EQ(broken_field(g), "server.env.lower");

  g = valid_game();
  g.server.cpu = 0;
  EXPECT_EQ(broken_field(g), "server.cpu");

  g = valid_game();
  g.server.memory_mb = 8;
  EXPECT_EQ(broken_field(g), "server.memory_mb");

  g = valid_game();
  g.server.max_duration_s = 1;
  EXPECT_EQ(broken_field(g), "server.max_duration_s");

  g = valid_game();
  g.queues.clear();
  EXPECT_EQ(broken_field(g), "queues");

  g = valid_game();
  g.queues.push_back({"duel", 2, 1, 0});
  EXPECT_EQ(broken_field(g), "queues[1].name");

  g = valid_game();
  g.queues[0].team_size = 0;
  EXPECT_EQ(broken_field(g), "queues[0].team_size");

  g = valid_game();
  g.queues[0].teams = 64;
  g.queues[0].team_size = 100;  // 6400 players
  EXPECT_EQ(broken_field(g), "queues[0].team_size");

  g = valid_game();
  g.queues[0].min_players = 3;  // above 2 × 1
  EXPECT_EQ(broken_field(g), "queues[0].min_players");
}

// execve() would cut a command, argument or variable at its first NUL: the
// server run would not be the one registered.
TEST(ValidateGame, RefusesNulBytesInWhatIsExecuted) {
  using namespace std::string_literals;
  auto g = valid_game();
  g.server.command = "/bin/true\0x"s;
  EXPECT_EQ(broken_field(g), "server.command");
  g = valid_game();
  g.server.args = {"ok", "a\0b"s};
  EXPECT_EQ(broken_field(g), "server.args[1]");
  g = valid_game();
  g.server.env = {{"MODE", "fast\0slow"s}};
  EXPECT_EQ(broken_field(g), "server.env.MODE");
  g = valid_game();
  g.server.command.clear();
  g.server.image = "game:1\0"s;
  EXPECT_EQ(broken_field(g), "server.image");
}

TEST(ValidateGame, BoundsThePool) {
  auto with_pool = [](auto change) {
    auto g = valid_game();
    g.pool.policy = PoolPolicy::buffer;
    change(g.pool);
    return broken_field(g);
  };
  EXPECT_EQ(with_pool([](PoolSpec& p) { p.buffer = 2; }), "<valid>");
  EXPECT_EQ(with_pool([](PoolSpec& p) { p.buffer = -1; }), "pool.buffer");
  EXPECT_EQ(with_pool([](PoolSpec& p) { p.buffer = p.max_ready + 1; }), "pool.buffer");
  EXPECT_EQ(with_pool([](PoolSpec& p) { p.max_ready = PoolLimits::max_ready + 1; }), "pool.max_ready");
  EXPECT_EQ(with_pool([](PoolSpec& p) { p.min_ready = p.max_ready + 1; }), "pool.min_ready");
  EXPECT_EQ(with_pool([](PoolSpec& p) { p.idle_timeout_s = PoolLimits::max_idle_timeout_s + 1; }),
            "pool.idle_timeout_s");
  EXPECT_EQ(with_pool([](PoolSpec& p) { p.cold_start_probability = 0; }), "pool.cold_start_probability");
  EXPECT_EQ(with_pool([](PoolSpec& p) { p.cold_start_probability = 0.9; }), "pool.cold_start_probability");
}

TEST(Slug, AcceptsOnlyLowercaseDigitsAndDashes) {
  EXPECT_TRUE(is_slug("4v4-ranked"));
  EXPECT_FALSE(is_slug("-duel"));
  EXPECT_FALSE(is_slug(""));
  EXPECT_FALSE(is_slug("duel_1"));
}

}  // namespace
}  // namespace webgames
