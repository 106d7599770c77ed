#include "domain/game_json.h"

#include "core/json_fields.h"

#include <gtest/gtest.h>

namespace webgames {
namespace {

constexpr std::string_view kShifumi = R"({
  "name": "shifumi", "title": "Shifumi",
  "server": {"command": "/bin/shifumi", "args": ["--rounds", "3"], "env": {"MODE": "fast"},
             "ports": [{"name": "game"}, {"name": "voice", "protocol": "udp"}, {"name": "ws", "protocol": "ws"}],
             "cpu": 0.25, "memory_mb": 64, "max_duration_s": 600},
  "queues": [{"name": "duel", "teams": 2, "team_size": 1}]
})";

TEST(GameJson, RoundTrips) {
  auto game = game_from_json(parse_json(kShifumi).value()).value();
  ASSERT_TRUE(validate_game(game));
  EXPECT_EQ(game.server.args.size(), 2u);
  EXPECT_EQ(game.server.ports[1].protocol, Protocol::udp);
  EXPECT_EQ(game.server.ports[2].protocol, Protocol::ws);
  EXPECT_EQ(transport_of(Protocol::ws), "tcp");  // published as TCP by the container runtimes
  EXPECT_EQ(game.server.env.at("MODE"), "fast");

  auto again = game_from_json(boost::json::value(game_to_json(game))).value();
  EXPECT_EQ(game_to_json(again), game_to_json(game));
}

Error parse_error(std::string_view text) {
  auto r = game_from_json(parse_json(text).value());
  EXPECT_FALSE(r) << text;
  return r ? Error{} : r.error();
}

TEST(GameJson, NamesTheFieldOfATypeError) {
  EXPECT_EQ(parse_error(R"({"name":"x","server":{"command":1},"queues":[]})").field, "server.command");
  EXPECT_EQ(parse_error(R"({"name":"x","server":{"command":"a","ports":[{"name":"g","protocol":"sctp"}]},"queues":[]})")
                .field,
            "server.ports[0].protocol");
  EXPECT_EQ(
      parse_error(R"({"name":"x","server":{"command":"a","ports":[{"name":"g"}]},"queues":[{"name":"d","teams":"2"}]})")
          .field,
      "queues[0].teams");
  EXPECT_EQ(parse_error(R"({"name":"x","server":{"command":"a","colour":"red"},"queues":[]})").field, "server.colour");
  EXPECT_EQ(parse_error(R"({"name":"x","queues":[]})").field, "server");
  EXPECT_EQ(parse_error(R"({"name":"x","server":{"command":"a","ports":[{"name":"g"}]}})").field, "queues");
  EXPECT_EQ(parse_error(R"({"name":"x","server":{"command":"a"},"queues":[]})").field, "server.ports");
  EXPECT_EQ(parse_error(R"({"server":{"command":"a"},"queues":[]})").field, "name");
  EXPECT_EQ(parse_error(R"({"name":"x","server":{"command":"a","env":{"A":1}},"queues":[]})").field, "server.env.A");
}

TEST(GameJson, ReadsThePoolTable) {
  auto game = game_from_json(parse_json(kShifumi).value()).value();
  EXPECT_EQ(game.pool.policy, PoolPolicy::off);  // absent: off, with the defaults
  EXPECT_EQ(game_to_json(game).at("pool").at("policy").as_string(), "off");

  auto pooled = game_from_json(parse_json(R"({"name":"x","server":{"command":"a","ports":[{"name":"g"}]},
      "queues":[{"name":"d"}],"pool":{"policy":"buffer","buffer":2,"idle_timeout_s":5}})")
                                   .value())
                    .value();
  ASSERT_TRUE(validate_game(pooled));
  EXPECT_EQ(pooled.pool.policy, PoolPolicy::buffer);
  EXPECT_EQ(pooled.pool.buffer, 2);
  EXPECT_EQ(pooled.pool.idle_timeout_s, 5);
  EXPECT_EQ(pooled.pool.max_ready, PoolSpec{}.max_ready);
  auto again = game_from_json(boost::json::value(game_to_json(pooled))).value();
  EXPECT_EQ(game_to_json(again), game_to_json(pooled));

  EXPECT_EQ(parse_error(
                R"({"name":"x","server":{"command":"a","ports":[{"name":"g"}]},"queues":[],"pool":{"policy":"warm"}})")
                .field,
            "pool.policy");
  EXPECT_EQ(
      parse_error(R"({"name":"x","server":{"command":"a","ports":[{"name":"g"}]},"queues":[],"pool":{"buffer":"1"}})")
          .field,
      "pool.buffer");
  EXPECT_EQ(parse_error(R"({"name":"x","server":{"command":"a","ports":[{"name":"g"}]},"queues":[],"pool":{"size":1}})")
                .field,
            "pool.size");
  EXPECT_EQ(
      parse_error(R"({"name":"x","server":{"command":"a","ports":[{"name":"g"}]},"queues":[],"pool":"buffer"})").field,
      "pool");
}

TEST(GameJson, BoundsArraysBeforeReadingThem) {
  std::string many = R"({"name":"x","server":{"command":"a","ports":[{"name":"g"}]},"queues":[)";
  for (int i = 0; i < 40; ++i) many += std::string(i ? "," : "") + R"({"name":"q"})";
  many += "]}";
  auto e = parse_error(many);
  EXPECT_EQ(e.field, "queues");
  EXPECT_EQ(e.code, Errc::invalid_field);
}

}  // namespace
}  // namespace webgames
