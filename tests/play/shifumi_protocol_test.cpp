#include "play/shifumi_protocol.h"

#include <gtest/gtest.h>

namespace webgames::play {
namespace {

TEST(ParseMove, AcceptsLettersAndWordsInAnyCase) {
  EXPECT_EQ(parse_move("r"), Move::rock);
  EXPECT_EQ(parse_move("P"), Move::paper);
  EXPECT_EQ(parse_move("  s \r"), Move::scissors);
  EXPECT_EQ(parse_move("Rock"), Move::rock);
  EXPECT_EQ(parse_move("paper"), Move::paper);
  EXPECT_EQ(parse_move("SCISSORS"), Move::scissors);
}

TEST(ParseMove, RefusesEverythingElse) {
  for (auto input : {"", " ", "x", "ro", "rocks", "rock paper", "1", "scissor", "pp"})
    EXPECT_FALSE(parse_move(input)) << input;
}

TEST(ShifumiLines, AreOneJsonObjectPerLine) {
  EXPECT_EQ(join_line("abc.def"), "{\"type\":\"join\",\"token\":\"abc.def\"}\n");
  EXPECT_EQ(move_line(Move::scissors), "{\"type\":\"move\",\"move\":\"scissors\"}\n");
  EXPECT_EQ(join_line("a\"b"), "{\"type\":\"join\",\"token\":\"a\\\"b\"}\n");
}

TEST(ParseServerMessage, ReadsEveryType) {
  auto welcome = parse_server_message(R"({"type":"welcome","player":"p1","name":"guest-ab","opponent":"guest-cd"})");
  ASSERT_TRUE(welcome) << welcome.error().message;
  const auto& w = std::get<Welcome>(*welcome);
  EXPECT_EQ(w.player, "p1");
  EXPECT_EQ(w.name, "guest-ab");
  EXPECT_EQ(w.opponent, "guest-cd");

  auto described = parse_server_message(R"({"type":"welcome","player":"p1","opponent":{"id":"p2","name":"bob"}})");
  ASSERT_TRUE(described);
  EXPECT_EQ(std::get<Welcome>(*described).opponent, "bob");
  auto alone = parse_server_message(R"({"type":"welcome","player":"p1","opponent":null})");
  ASSERT_TRUE(alone);
  EXPECT_EQ(std::get<Welcome>(*alone).opponent, "");

  auto round = parse_server_message(R"({"type":"round","round":2})");
  ASSERT_TRUE(round);
  EXPECT_EQ(std::get<RoundStarted>(*round).round, 2);

  auto result = parse_server_message(
      R"({"type":"result","round":2,"moves":{"p1":"rock","p2":"paper"},"winner":"p2","score":{"p1":1,"p2":1}})");
  ASSERT_TRUE(result) << result.error().message;
  const auto& r = std::get<RoundResult>(*result);
  EXPECT_EQ(r.round, 2);
  EXPECT_EQ(r.moves.at("p2"), "paper");
  EXPECT_EQ(r.winner, "p2");
  EXPECT_EQ(r.score.at("p1"), 1);

  auto tie = parse_server_message(R"({"type":"result","round":3,"moves":{},"winner":null,"score":{}})");
  ASSERT_TRUE(tie);
  EXPECT_FALSE(std::get<RoundResult>(*tie).winner);

  auto over = parse_server_message(R"({"type":"game_over","winner":"p1","score":{"p1":2,"p2":1},"reason":"forfeit"})");
  ASSERT_TRUE(over);
  EXPECT_EQ(std::get<GameOver>(*over).winner, "p1");
  EXPECT_EQ(std::get<GameOver>(*over).reason, "forfeit");

  auto error = parse_server_message(R"({"type":"error","code":"bad_token","reason":"bad join token"})");
  ASSERT_TRUE(error);
  EXPECT_EQ(std::get<ServerError>(*error).code, "bad_token");
  EXPECT_EQ(std::get<ServerError>(*error).reason, "bad join token");
  auto bare = parse_server_message(R"({"type":"error"})");
  ASSERT_TRUE(bare);
  EXPECT_EQ(std::get<ServerError>(*bare).reason, "no reason given");

  auto other = parse_server_message(R"({"type":"chat","text":"hi"})");
  ASSERT_TRUE(other);
  EXPECT_TRUE(std::holds_alternative<OtherMessage>(*other));
}

TEST(ParseServerMessage, RefusesBrokenMessages) {
  EXPECT_FALSE(parse_server_message("{"));
  EXPECT_FALSE(parse_server_message(R"({"round":1})"));
  EXPECT_FALSE(parse_server_message(R"({"type":"welcome"})"));
  EXPECT_FALSE(parse_server_message(R"({"type":"round","round":"one"})"));
  EXPECT_FALSE(parse_server_message(R"({"type":"result","round":1,"winner":7})"));
  EXPECT_FALSE(parse_server_message(R"({"type":"game_over","score":{"p1":"two"}})"));
  EXPECT_FALSE(parse_server_message(std::string(kMaxLineBytes + 1, ' ')));
}

TEST(Outcome, ComparesTheWinnerWithThePlayer) {
  EXPECT_EQ(outcome_for(std::string("p1"), "p1"), Outcome::win);
  EXPECT_EQ(outcome_for(std::string("p2"), "p1"), Outcome::lose);
  EXPECT_EQ(outcome_for(std::nullopt, "p1"), Outcome::draw);
  EXPECT_EQ(to_string(Outcome::lose), "lose");
}

TEST(ScoreLine, PutsThePlayerFirst) {
  EXPECT_EQ(score_line({{"p1", 2}, {"p2", 1}}, "p2"), "1-2");
  EXPECT_EQ(score_line({{"p1", 2}, {"p2", 1}}, "p1"), "2-1");
  EXPECT_EQ(score_line({}, "p1"), "0-0");
}

}  // namespace
}  // namespace webgames::play
