// Backfill end to end: a running session asks for a player through the
// server SDK; the next fitting ticket joins it (docs/matchmaking.md#backfill).

#include "hosting/hosting_test.h"

#include <boost/json/parse.hpp>

#include <gmock/gmock.h>

#include <fstream>

namespace webgames::testing {
namespace {

namespace json = boost::json;

int team_in_session(const json::object& session, const std::string& player) {
  for (const auto& p : session.at("players").as_array())
    if (str_of(p, "id") == player) return static_cast<int>(p.at("team").as_int64());
  return -1;
}

// The claims of a JWT, unverified (the signature is the SDK's tests' matter).
json::object claims_of(const std::string& token) {
  auto a = token.find('.'), b = token.find('.', a + 1);
  std::string part = token.substr(a + 1, b - a - 1), text;
  for (auto& c : part) c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (part.size() % 4) part += '=';
  static const std::string kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  unsigned bits = 0;
  int count = 0;
  for (char c : part) {
    if (c == '=') break;
    bits = (bits << 6) | static_cast<unsigned>(kAlphabet.find(c));
    count += 6;
    if (count >= 8) {
      count -= 8;
      text += static_cast<char>((bits >> count) & 0xFF);
    }
  }
  return json::parse(text).as_object();
}

class BackfillTest : public HostingTest {};

// Two teams of up to two, a match of two at once.
json::array duo_queue() {
  return {json::object{{"name", "duo"},
                       {"teams", 2},
                       {"team_size", 2},
                       {"min_players", 2},
                       {"rules", json::object{{"start_below_max_after_s", 0}}}}};
}

TEST_F(BackfillTest, ARunningSessionGetsAPlayerFromTheQueue) {
  start_webgames(fast_flags());
  // Two teams of up to two; two players start a match at once, then the
  // server asks for one more in team 1.
  auto queues = duo_queue();
  create_game("fill", script_server("backfill.sh", json::object{{"BACKFILL_TEAM", "1"}}), queues);
  auto a = join_queue("a", "fill", "duo");
  auto b = join_queue("b", "fill", "duo");
  auto sid = expect_event(a, "session.ready").str("session_id");
  ASSERT_FALSE(sid.empty());
  EXPECT_EQ(expect_event(b, "session.ready").str("session_id"), sid);
  // A matched ticket names the session hosting it.
  EXPECT_EQ(call(verb::get, "/v1/tickets/" + a.ticket, {}, a.account.token).str("session_id"), sid);
  auto record = state_dir() / (sid + ".backfill");
  ASSERT_TRUE(eventually([&] { return std::filesystem::exists(record); }, 10s)) << "the server never asked";
  std::string status;
  std::ifstream(record) >> status;
  EXPECT_EQ(status, "202");

  auto c = join_queue("c", "fill", "duo");
  // Found for the backfill: a match of its own, in the running session.
  auto matched = expect_event(c, "ticket.matched");
  EXPECT_TRUE(matched.str("match_id").starts_with("mat_")) << matched.raw;
  EXPECT_EQ(matched.str("session_id"), sid);
  auto ticket = call(verb::get, "/v1/tickets/" + c.ticket, {}, c.account.token);
  EXPECT_EQ(ticket.str("session_id"), sid) << ticket.raw;
  EXPECT_EQ(ticket.str("match_id"), matched.str("match_id")) << ticket.raw;
  auto ready = expect_event(c, "session.ready");
  EXPECT_EQ(ready.str("session_id"), sid);
  auto claims = claims_of(ready.str("join_token"));
  EXPECT_EQ(claims.at("sub").as_string(), c.id());
  EXPECT_EQ(claims.at("team").as_int64(), 1);
  auto session = wait_session(
      "fill", sid, [](const json::object& s) { return s.at("players").as_array().size() == 3; }, 10s, "3 players");
  EXPECT_EQ(team_in_session(session, c.id()), 1);
  EXPECT_NE(team_in_session(session, a.id()), team_in_session(session, b.id()));

  // The session ends for everyone, the newcomer included.
  end_sessions();
  wait_session_state("fill", sid, "ended");
  expect_event(c, "session.ended");
}

TEST_F(BackfillTest, RefusesATeamTheSessionDoesNotHave) {
  start_webgames(fast_flags());
  create_game("fill", script_server("backfill.sh", json::object{{"BACKFILL_TEAM", "5"}}), duel_queue());
  auto a = join_queue("a", "fill");
  auto b = join_queue("b", "fill");
  auto sid = expect_event(a, "session.ready").str("session_id");
  auto record = state_dir() / (sid + ".backfill");
  ASSERT_TRUE(eventually([&] { return std::filesystem::exists(record); }, 10s)) << "the server never asked";
  std::string status;
  std::ifstream(record) >> status;
  EXPECT_EQ(status, "422");
  end_sessions();
  wait_session_state("fill", sid, "ended");
}

// Found by an attacker's audit: a server asking in a loop took every pending
// request of its queue, and could grow a team past the queue's size.
TEST_F(BackfillTest, ASessionAsksOnceATeamAtATimeAndNoMoreThanTheTeamHoldsRoomFor) {
  start_webgames(fast_flags());
  auto queues = duo_queue();
  auto answers_of = [&](const std::string& sid) {
    auto record = state_dir() / (sid + ".backfill");
    EXPECT_TRUE(eventually([&] { return std::filesystem::exists(record); }, 10s)) << "the server never asked";
    std::string line;
    std::getline(std::ifstream(record), line);
    return line;
  };
  create_game("greedy", script_server("backfill.sh", json::object{{"BACKFILL_PLAYERS", "3"}}), queues);
  auto a = join_queue("a", "greedy", "duo");
  auto b = join_queue("b", "greedy", "duo");
  auto sid = expect_event(a, "session.ready").str("session_id");
  EXPECT_EQ(answers_of(sid), "422") << "3 players asked for a team of 2";
  end_sessions();
  wait_session_state("greedy", sid, "ended");

  create_game("again", script_server("backfill.sh", json::object{{"BACKFILL_TIMES", "3"}}), queues);
  auto c = join_queue("c", "again", "duo");
  auto d = join_queue("d", "again", "duo");
  auto again = expect_event(c, "session.ready").str("session_id");
  EXPECT_EQ(answers_of(again), "202 409 409") << "one request per team at a time";
}

}  // namespace
}  // namespace webgames::testing
