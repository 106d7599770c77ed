// Scenarios 1 and 2: Shifumi, the demo game, hosted for real. Two guests
// queue, get an address and join tokens, play over TCP to the end; and a
// live Shifumi server refuses every join token that is not right.
//
// Skipped when shifumi-server has not been built, unless CI is set: then a
// missing binary fails.

#include "hosting/hosting_test.h"
#include "hosting/shifumi_server.h"

#include "auth/ed25519.h"
#include "auth/jwt.h"
#include "core/encoding.h"
#include "support/json_lines_client.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gmock/gmock.h>

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <tuple>

namespace webgames::testing {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// What session.ready gave a player.
struct Assignment {
  std::string session;
  std::string host;
  std::uint16_t port = 0;
  std::string token;
};

class ShifumiTest : public HostingTest {
 protected:
  void SetUp() override {
    HostingTest::SetUp();
    REQUIRE_SHIFUMI();
    start_webgames(shifumi_serve_flags());
    create_game("shifumi", shifumi_server_spec(3, 120), duel_queue());
  }

  Assignment ready_of(Player& p) {
    auto ready = expect_event(p, "session.ready", 15s);
    Assignment a{ready.str("session_id"), ready.str("host"), 0, ready.str("join_token")};
    if (auto* port = ready.data.if_contains("port"); port && port->is_int64())
      a.port = static_cast<std::uint16_t>(port->as_int64());
    EXPECT_EQ(ready.str("ticket_id"), p.ticket);
    EXPECT_EQ(a.host, "127.0.0.1");
    EXPECT_GE(a.port, port_first());
    EXPECT_LE(a.port, port_last());
    if (auto* ports = ready.data.if_contains("ports"); ports && ports->is_object())
      EXPECT_EQ(ports->as_object().at("game").as_int64(), a.port) << ready.raw;
    else
      ADD_FAILURE() << "no ports in " << ready.raw;
    EXPECT_FALSE(a.token.empty());
    return a;
  }

  // The next message of one of `types` (others are skipped), or empty.
  static std::optional<json::object> read_until(JsonLinesClient& c, std::initializer_list<std::string_view> types) {
    for (int i = 0; i < 50; ++i) {
      auto m = c.read();
      if (!m) return std::nullopt;
      auto type = type_of(*m);
      for (auto t : types)
        if (type == t) return m;
      if (type == "error") {
        ADD_FAILURE() << "the server answered an error: " << json::serialize(*m);
        return std::nullopt;
      }
    }
    return std::nullopt;
  }

  // Both join and play: seat `winner` always plays rock, the other
  // scissors. Returns both game_over messages.
  std::vector<json::object> play(const Assignment& a0, const Assignment& a1, const std::string& id0,
                                 const std::string& id1) {
    JsonLinesClient c0(a0.host, a0.port), c1(a1.host, a1.port);
    std::vector<json::object> over;
    c0.send({{"type", "join"}, {"token", a0.token}});
    auto w0 = read_until(c0, {"welcome"});
    EXPECT_TRUE(w0) << "no welcome for player 0";
    if (w0) {
      EXPECT_EQ(str_of(*w0, "player"), id0) << json::serialize(*w0);
    }
    c1.send({{"type", "join"}, {"token", a1.token}});
    auto w1 = read_until(c1, {"welcome"});
    EXPECT_TRUE(w1) << "no welcome for player 1";
    if (w1) {
      EXPECT_EQ(str_of(*w1, "player"), id1) << json::serialize(*w1);
    }

    for (int round = 1; round <= 10; ++round) {
      auto r0 = read_until(c0, {"round", "game_over"});
      if (!r0) {
        ADD_FAILURE() << "player 0 heard neither round nor game_over";
        return over;
      }
      if (type_of(*r0) == "game_over") {
        over.push_back(*r0);
        break;
      }
      EXPECT_EQ(r0->at("round").as_int64(), round);
      auto r1 = read_until(c1, {"round"});
      EXPECT_TRUE(r1) << "player 1 heard no round";
      c0.send({{"type", "move"}, {"move", "rock"}});
      c1.send({{"type", "move"}, {"move", "scissors"}});
      for (auto* c : {&c0, &c1}) {
        auto result = read_until(*c, {"result"});
        EXPECT_TRUE(result) << "no result of round " << round;
        if (result) {
          EXPECT_EQ(str_of(*result, "winner"), id0) << json::serialize(*result);
        }
      }
    }
    auto o1 = read_until(c1, {"game_over"});
    EXPECT_TRUE(o1) << "player 1 heard no game_over";
    if (o1) over.push_back(*o1);
    // The server closes after game_over; it reports the end once we are gone.
    EXPECT_TRUE(c0.wait_eof());
    EXPECT_TRUE(c1.wait_eof());
    return over;
  }

  // Connects to a server, presents `token`, expects an error with `code`
  // and the connection closed.
  void expect_refused(const Assignment& where, const std::string& token, const std::string& code) {
    JsonLinesClient c(where.host, where.port);
    c.send({{"type", "join"}, {"token", token}});
    auto answer = c.read();
    ASSERT_TRUE(answer) << "no answer to a join with a bad token (" << code << ")";
    EXPECT_EQ(type_of(*answer), "error") << json::serialize(*answer);
    EXPECT_EQ(str_of(*answer, "code"), code) << json::serialize(*answer);
    EXPECT_FALSE(str_of(*answer, "reason").empty()) << json::serialize(*answer);
    EXPECT_TRUE(c.wait_eof()) << "the connection stayed open after a refused join (" << code << ")";
  }
};

// Scenario 1.
TEST_F(ShifumiTest, AFullMatchFromQueueToResults) {
  auto a = join_queue("device-a", "shifumi");
  auto b = join_queue("device-b", "shifumi");
  auto matched_a = expect_event(a, "ticket.matched");
  auto matched_b = expect_event(b, "ticket.matched");
  EXPECT_EQ(matched_a.str("ticket_id"), a.ticket);
  EXPECT_FALSE(matched_a.str("match_id").empty());
  EXPECT_EQ(matched_a.str("match_id"), matched_b.str("match_id"));
  auto ra = ready_of(a);
  auto rb = ready_of(b);
  ASSERT_FALSE(ra.session.empty());
  ASSERT_EQ(ra.session, rb.session);
  EXPECT_EQ(ra.port, rb.port);
  EXPECT_NE(ra.token, rb.token);
  const auto session = ra.session;
  const auto work = fs::absolute(sessions_dir() / session / "work");

  // The server: one process, in its own group, a child of webgames, in the
  // session's work directory.
  auto servers = server_processes();
  ASSERT_EQ(servers.size(), 1u) << describe(servers);
  auto server = servers[0];
  EXPECT_EQ(server.pgid, server.pid);
  EXPECT_EQ(server.ppid, webgames().pid());
  EXPECT_EQ(server.cwd, work);
  EXPECT_FALSE(tcp_port_bindable(ra.port)) << "the server does not hold its port";

  // Who sits where: seat i is team i.
  auto view = call(verb::get, "/v1/sessions/" + session, {}, a.account.token);
  ASSERT_EQ(view.status, 200u) << view.raw;
  EXPECT_TRUE(view.body.as_object().contains("assignment")) << view.raw;
  std::string id0, id1;
  Assignment as0, as1;
  for (const auto& p : view.body.at("players").as_array()) {
    bool is_a = str_of(p, "id") == a.id();
    (p.at("team").as_int64() == 0 ? id0 : id1) = str_of(p, "id");
    (p.at("team").as_int64() == 0 ? as0 : as1) = is_a ? ra : rb;
  }
  ASSERT_FALSE(id0.empty());
  ASSERT_FALSE(id1.empty());

  auto over = play(as0, as1, id0, id1);
  ASSERT_EQ(over.size(), 2u);
  for (const auto& o : over) {
    EXPECT_EQ(str_of(o, "winner"), id0) << json::serialize(o);
    EXPECT_EQ(o.at("score").at(id0).as_int64(), 2) << json::serialize(o);
    EXPECT_EQ(o.at("score").at(id1).as_int64(), 0) << json::serialize(o);
  }

  for (auto* p : {&a, &b}) {
    auto ended = expect_event(*p, "session.ended", 15s);
    EXPECT_EQ(ended.str("session_id"), session);
    auto* results = ended.data.if_contains("results");
    ASSERT_TRUE(results && results->is_array()) << ended.raw;
    EXPECT_EQ(results->as_array().size(), 2u) << ended.raw;
    // In order: queued, matched, ready, ended.
    std::vector<std::string> order;
    std::uint64_t last_id = 0;
    for (const auto& e : p->events->received()) {
      EXPECT_GT(e.id, last_id) << "event ids must increase";
      last_id = e.id;
      order.push_back(e.type);
    }
    EXPECT_THAT(order, ::testing::ElementsAre("ticket.queued", "ticket.matched", "session.ready", "session.ended"));
  }

  auto record = wait_session_state("shifumi", session, "ended");
  const auto& results = record.at("results").as_array();
  ASSERT_EQ(results.size(), 2u) << json::serialize(record);
  for (const auto& r : results) {
    auto rank = r.at("rank").as_int64();
    EXPECT_EQ(rank, str_of(r, "player_id") == id0 ? 1 : 2) << json::serialize(r);
  }
  const auto& timings = record.at("timings").as_object();
  std::string previous;
  for (auto step : {"queued_at", "matched_at", "started_at", "ready_at", "ended_at"}) {
    ASSERT_TRUE(timings.at(step).is_string()) << step << " missing: " << json::serialize(record);
    std::string at(timings.at(step).as_string());
    EXPECT_GE(at, previous) << step << " comes before the step before it: " << json::serialize(timings);
    previous = at;
  }

  // Afterwards: no server process, its port free, its work dir removed, its log kept.
  expect_no_servers_left();
  EXPECT_FALSE(process_info(server.pid) && process_info(server.pid)->state != 'Z');
  EXPECT_TRUE(eventually([&] { return tcp_port_bindable(ra.port); }, 3s)) << "port " << ra.port << " is still held";
  EXPECT_TRUE(eventually([&] { return !fs::exists(work); }, 3s)) << work << " is still there";
  auto log = read_text(sessions_dir() / session / "server.log");
  EXPECT_THAT(log, HasSubstr("shifumi-server: session " + session));
  auto log_api = call(verb::get, "/v1/sessions/" + session + "/log", {}, developer().token);
  EXPECT_EQ(log_api.status, 200u);
  EXPECT_THAT(log_api.raw, HasSubstr("game over"));

  // The result rated both players (OpenSkill): the winner up, the loser down.
  auto rating_of = [&](const Player& p) {
    json::object rating;
    EXPECT_TRUE(eventually(
        [&] {
          auto r = call(verb::get, "/v1/queues/shifumi/duel/rating", {}, p.account.token);
          if (r.status != 200u || r.body.at("matches").as_int64() != 1) return false;
          rating = r.body.as_object();
          return true;
        },
        5s))
        << "no rating after the match for " << p.id();
    return rating;
  };
  auto winner = rating_of(id0 == a.id() ? a : b), loser = rating_of(id0 == a.id() ? b : a);
  if (!winner.empty() && !loser.empty()) {
    EXPECT_GT(winner.at("mu").as_double(), 25.0) << json::serialize(winner);
    EXPECT_LT(loser.at("mu").as_double(), 25.0) << json::serialize(loser);
    EXPECT_LT(winner.at("sigma").as_double(), 25.0 / 3) << json::serialize(winner);
  }

  auto board = call(verb::get, "/v1/queues/shifumi/duel/leaderboard?limit=10", {}, b.account.token);
  ASSERT_EQ(board.status, 200u) << board.raw;
  const auto& lines = board.body.at("items").as_array();
  ASSERT_EQ(lines.size(), 2u) << board.raw;
  EXPECT_EQ(str_of(lines[0], "player_id"), id0) << board.raw;
  EXPECT_EQ(lines[0].at("rank").as_int64(), 1) << board.raw;
  EXPECT_EQ(call(verb::get, "/v1/queues/shifumi/duel/leaderboard?limit=0", {}, b.account.token).status, 422u);

  // The players are free to queue again, at their new skill.
  auto again = queue(a.account, "shifumi");
  EXPECT_EQ(again.status, 201u) << again.raw;
  auto a_rating = call(verb::get, "/v1/queues/shifumi/duel/rating", {}, a.account.token);
  EXPECT_DOUBLE_EQ(again.body.at("attributes").at("skill").as_double(), a_rating.body.at("mu").as_double())
      << again.raw;
  EXPECT_EQ(call(verb::delete_, "/v1/tickets/" + again.str("id"), {}, a.account.token).status, 204u);
}

// Scenario 2.
TEST_F(ShifumiTest, ALiveServerRefusesEveryWrongJoinToken) {
  auto a1 = join_queue("device-a1", "shifumi");
  auto a2 = join_queue("device-a2", "shifumi");
  auto in_a1 = ready_of(a1);
  auto in_a2 = ready_of(a2);
  auto b1 = join_queue("device-b1", "shifumi");
  auto b2 = join_queue("device-b2", "shifumi");
  auto in_b1 = ready_of(b1);
  auto in_b2 = ready_of(b2);
  ASSERT_FALSE(in_a1.session.empty());
  ASSERT_FALSE(in_b1.session.empty());
  ASSERT_NE(in_a1.session, in_b1.session);
  ASSERT_NE(in_a1.port, in_b1.port);

  // The join key is in the data directory; the servers were given its
  // public half.
  auto key = Ed25519Key::load_or_create(data_dir() / "keys" / "join-signing.pem");
  ASSERT_TRUE(key);
  auto servers = server_processes();
  ASSERT_EQ(servers.size(), 2u) << describe(servers);
  for (const auto& s : servers) {
    auto env = environment_of(s.pid);
    EXPECT_THAT(env, ::testing::Contains("WEBGAMES_JOIN_KEY=" + base64url_encode(key->public_raw())));
  }
  auto now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  auto claims = [&](const std::string& player, const std::string& session, std::int64_t exp) {
    return json::object{{"iss", "webgames"}, {"typ", "join"},   {"sub", player},
                        {"sid", session},    {"iat", now - 10}, {"exp", exp}};
  };
  // A well-formed token of ours is accepted: the forgeries below differ by one thing each.
  auto genuine = sign_jwt(claims(b1.id(), in_b1.session, now + 60), *key);
  auto forged = in_b1.token;
  auto sig = forged.rfind('.') + 10;
  forged[sig] = forged[sig] == 'A' ? 'B' : 'A';

  expect_refused(in_b1, in_a1.token, "wrong_session");  // another session's token
  expect_refused(in_b1, forged, "bad_signature");       // a byte of the signature flipped
  expect_refused(in_b1, sign_jwt(claims(b1.id(), in_b1.session, now - 60), *key), "expired");
  expect_refused(in_b1, sign_jwt(claims(a1.id(), in_b1.session, now + 60), *key), "not_a_player");
  expect_refused(in_b1, sign_jwt(claims(b1.id(), in_b1.session, now + 60), Ed25519Key::generate()), "bad_signature");
  expect_refused(in_b1, "not-a-token", "malformed");

  // Nobody got in.
  auto b = find_session("shifumi", in_b1.session);
  ASSERT_TRUE(b);
  for (const auto& p : b->at("players").as_array()) EXPECT_FALSE(p.at("connected").as_bool()) << json::serialize(*b);

  // The rightful players still play both matches to the end (player 1 of
  // each pair with our own genuine token for b1).
  auto seat_of = [&](const Player& p, const std::string& session) {
    auto view = call(verb::get, "/v1/sessions/" + session, {}, p.account.token);
    for (const auto& sp : view.body.at("players").as_array())
      if (str_of(sp, "id") == p.id()) return sp.at("team").as_int64();
    return std::int64_t{-1};
  };
  for (auto [p, q, ap, aq] : {std::tuple{&a1, &a2, in_a1, in_a2}, std::tuple{&b1, &b2, in_b1, in_b2}}) {
    if (p == &b1) ap.token = genuine;
    bool p_first = seat_of(*p, ap.session) == 0;
    auto over = p_first ? play(ap, aq, p->id(), q->id()) : play(aq, ap, q->id(), p->id());
    EXPECT_EQ(over.size(), 2u);
    for (auto* x : {p, q}) EXPECT_EQ(expect_event(*x, "session.ended", 15s).str("session_id"), ap.session);
    wait_session_state("shifumi", ap.session, "ended");
  }
  expect_no_servers_left();
}

}  // namespace
}  // namespace webgames::testing
