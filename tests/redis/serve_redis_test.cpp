// `webgames serve --live-state redis://…`: two real replicas (the built
// binary, sharing a data directory for their accounts and keys) on the
// fixture's Redis. A player's WebSocket on one replica is told what the
// other does for them; killed with SIGKILL, it reconnects with `since` to
// the other replica and gets exactly what came after.

#include "ctl/http_client.h"
#include "redis/redis_test.h"
#include "support/events_client.h"
#include "support/metrics_text.h"
#include "support/webgames_process.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <sys/socket.h>

#include <csignal>
#include <fstream>
#include <future>
#include <optional>
#include <thread>

namespace webgames::testing {
namespace {

namespace json = boost::json;
using boost::beast::http::verb;
using namespace std::chrono_literals;

// A player's WebSocket through one replica's relay (GET
// /v1/sessions/{id}/connect): blocking, every read bounded (5 s).
class RelaySocket {
 public:
  RelaySocket(std::uint16_t port, const std::string& target) {
    ws_.next_layer().connect({boost::asio::ip::make_address("127.0.0.1"), port}, error_);
    if (error_) return;
    timeval tv{5, 0};
    ::setsockopt(ws_.next_layer().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ws_.handshake("127.0.0.1:" + std::to_string(port), target, error_);
  }
  bool open() const { return !error_; }
  std::string error() const { return error_.message(); }
  void send(const json::object& message) {
    ws_.text(true);
    ws_.write(boost::asio::buffer(json::serialize(message)), error_);
  }
  // The next message of `type`, skipping others; empty once closed, silent for 5 s, or after 20 others.
  std::optional<json::object> next_of(std::string_view type) {
    for (int i = 0; i < 20; ++i) {
      boost::beast::flat_buffer buffer;
      ws_.read(buffer, error_);
      if (error_) return std::nullopt;
      boost::system::error_code ec;
      auto v = json::parse(boost::beast::buffers_to_string(buffer.data()), ec);
      if (ec || !v.is_object()) continue;
      const auto* t = v.as_object().if_contains("type");
      if (t && t->is_string() && t->get_string() == type) return v.as_object();
    }
    return std::nullopt;
  }

 private:
  boost::asio::io_context io_;
  boost::beast::websocket::stream<boost::asio::ip::tcp::socket> ws_{io_};
  boost::system::error_code error_;
};

std::string string_of(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

class ServeRedisTest : public ::testing::Test {
 protected:
  // A replica on the fixture's Redis (or `url`), ready: it knows where the
  // lobby runs. Its keys under this test's own prefix.
  std::unique_ptr<WebgamesProcess> replica(const std::string& name, std::string url = {},
                                           std::vector<std::string> more_flags = {}) {
    auto r = start_replica(name, url, std::move(more_flags));
    if (url.empty())
      EXPECT_TRUE(eventually([&] { return status(*r, verb::get, "/readyz") == 200u; }))
          << name << " is not ready: " << tail(r->log(), 20);
    return r;
  }
  std::unique_ptr<WebgamesProcess> start_replica(const std::string& name, const std::string& url = {},
                                                 std::vector<std::string> more_flags = {}) {
    WebgamesOptions o;
    o.binary = WEBGAMES_BINARY;
    o.data_dir = dir.path() / "data";
    o.log_file = dir.path() / (name + ".log");
    auto redis = url.empty() ? fmt::format("redis://127.0.0.1:{}", shared_redis().port) : url;
    o.flags = {"--live-state", redis, "--live-state-prefix", prefix, "--lease-ttl-ms", "1000"};
    o.flags.insert(o.flags.end(), more_flags.begin(), more_flags.end());
    return std::make_unique<WebgamesProcess>(std::move(o));
  }
  unsigned status(WebgamesProcess& on, verb method, std::string_view target, std::string_view token = {}) {
    auto r = ctl::http_request({"127.0.0.1", std::to_string(on.port())}, method, target, {}, token, 10s);
    return r ? r->status : 0u;
  }
  json::value call(WebgamesProcess& on, verb method, std::string_view target, std::string_view body = {},
                   std::string_view token = {}, unsigned expect = 200) {
    auto r = ctl::http_request({"127.0.0.1", std::to_string(on.port())}, method, target, body, token, 10s);
    EXPECT_TRUE(r) << target;
    if (!r) return {};
    EXPECT_EQ(r->status, expect) << target << ": " << r->body;
    boost::system::error_code ec;
    auto v = json::parse(r->body, ec);
    return ec ? json::value() : v;
  }

  // A new developer account's access token.
  std::string developer(WebgamesProcess& on) {
    auto dev = call(on, verb::post, "/v1/auth/register",
                    R"({"username":"dev","password":"correct horse","role":"developer"})", {}, 201);
    return std::string(dev.at("access_token").as_string());
  }
  // A developer's token and a game "relay" whose server is good.sh (it ends
  // once end_file() exists), created through `on`.
  std::string create_duel_game(WebgamesProcess& on) {
    auto dev_token = developer(on);
    json::object env{{"END_FILE", end_file().string()}, {"HEARTBEAT_S", "0.1"}, {"STATE_DIR", dir.path().string()}};
    json::object game{{"name", "duel"},
                      {"server", json::object{{"command", WEBGAMES_SOURCE_DIR "/tests/hosting/servers/good.sh"},
                                              {"env", std::move(env)},
                                              {"ports", json::array{json::object{{"name", "game"}}}}}},
                      {"queues", json::array{json::object{{"name", "duel"}, {"teams", 2}, {"team_size", 1}}}}};
    call(on, verb::post, "/v1/games", json::serialize(game), dev_token, 201);
    return dev_token;
  }
  std::string guest(WebgamesProcess& on, const std::string& device) {
    auto g = call(on, verb::post, "/v1/auth/guest", fmt::format(R"({{"device_id":"{}"}})", device));
    return std::string(g.at("access_token").as_string());
  }
  std::filesystem::path end_file() const { return dir.path() / "end"; }

  TempDir dir;
  // This test's own keys in the shared Redis.
  std::string prefix =
      fmt::format("test-{}-{:x}", ::getpid(),
                  std::hash<std::string>{}(::testing::UnitTest::GetInstance()->current_test_info()->name()));
};

TEST_F(ServeRedisTest, AWebSocketOnOneReplicaHearsTheOtherAndMovesWithoutLossOrRepeat) {
  auto a = replica("a");
  auto b = replica("b");
  auto dev_token = developer(*a);
  json::object game{{"name", "bus"},
                    {"server", json::object{{"command", WEBGAMES_SOURCE_DIR "/tests/hosting/servers/good.sh"},
                                            {"ports", json::array{json::object{{"name", "game"}}}}}},
                    {"queues", json::array{json::object{{"name", "duel"}, {"teams", 2}, {"team_size", 1}}}}};
  call(*a, verb::post, "/v1/games", json::serialize(game), dev_token, 201);
  auto guest = call(*a, verb::post, "/v1/auth/guest", R"({"device_id":"serve-redis-test"})");
  auto token = std::string(guest.at("access_token").as_string());

  // The stream on b; the ticket on a.
  EventsClient on_b(b->port(), token);
  auto ticket = call(*a, verb::post, "/v1/queues/bus/duel/tickets", "{}", token, 201);
  auto queued = on_b.next_of("ticket.queued", 10s);
  ASSERT_TRUE(queued) << on_b.describe();
  EXPECT_EQ(queued->str("ticket_id"), std::string(ticket.at("id").as_string()));

  // b dies; the player reconnects to a with the last id it saw.
  b->kill9();
  call(*a, verb::delete_, fmt::format("/v1/tickets/{}", std::string(ticket.at("id").as_string())), {}, token, 204);
  EventsClient on_a(a->port(), token, queued->id);
  auto cancelled = on_a.next_of("ticket.cancelled", 10s);
  ASSERT_TRUE(cancelled) << on_a.describe();
  EXPECT_GT(cancelled->id, queued->id);
  EXPECT_EQ(on_a.received().size(), 1u) << on_a.describe();
  // With since=0, the whole kept history, from Redis.
  EventsClient all(a->port(), token, 0);
  ASSERT_TRUE(all.next(10s));
  ASSERT_TRUE(all.next(10s));
  EXPECT_EQ(all.received()[0].raw, queued->raw);
  EXPECT_EQ(all.received()[1].raw, cancelled->raw);
}

// A replica whose Redis does not answer serves, and says so on /readyz.
TEST_F(ServeRedisTest, ReadinessNamesLiveStateWhileRedisDoesNotAnswer) {
  auto a = replica("a", "redis://127.0.0.1:1");
  auto r = call(*a, verb::get, "/readyz", {}, {}, 503);
  EXPECT_EQ(r.at("error").at("field").as_string(), "live_state");
  EXPECT_NE(std::string(r.at("error").at("message").as_string()).find("127.0.0.1:1"), std::string::npos);
  call(*a, verb::get, "/healthz");
  auto b = replica("b");
  // Ready once its connections are up (the answer is cached for a second).
  EXPECT_TRUE(eventually([&] {
    auto ready = ctl::http_request({"127.0.0.1", std::to_string(b->port())}, verb::get, "/readyz", {}, {}, 10s);
    return ready && ready->status == 200;
  }));
}

// /metrics of a replica on Redis: every metric docs/operations.md lists for
// `always` and `redis` (Redis round trips timed), none of `postgres`.
TEST_F(ServeRedisTest, MetricsTimeRedisRoundTripsAsDocumented) {
  auto a = replica("a");
  auto r = ctl::http_request({"127.0.0.1", std::to_string(a->port())}, verb::get, "/metrics", {}, {}, 10s);
  ASSERT_TRUE(r && r->status == 200u);
  auto exposed = parse_exposition(r->body);
  EXPECT_TRUE(exposed.errors.empty()) << r->body;
  auto documented = read_metrics_table(WEBGAMES_SOURCE_DIR "/docs/operations.md");
  ASSERT_GT(documented.size(), 20u);
  for (const auto& [name, doc] : documented) {
    auto it = exposed.metrics.find(name);
    EXPECT_EQ(it != exposed.metrics.end(), doc.when == "always" || doc.when == "redis")
        << name << " (" << doc.when << ")";
    if (it != exposed.metrics.end() && it->second.samples > 0)
      EXPECT_EQ(it->second.label_names, doc.label_names) << name;
  }
  EXPECT_GT(exposed.value("webgames_redis_command_duration_seconds_count").value_or(0), 0)
      << "the replica's Redis calls (its lease, its events) are not timed";
}

// A logout on one replica: the other refuses the login's access token too.
TEST_F(ServeRedisTest, ALogoutOnOneReplicaIsRefusedByTheOther) {
  auto a = replica("a");
  auto b = replica("b");
  auto guest = call(*a, verb::post, "/v1/auth/guest", R"({"device_id":"serve-redis-logout"})");
  auto token = std::string(guest.at("access_token").as_string());
  auto status_on = [&](WebgamesProcess& replica) {
    // /v1/account is answered where it is asked (no forwarding to the lobby's owner).
    return status(replica, verb::get, "/v1/account", token);
  };
  // b takes a's token (one keys directory); b has now seen the token and
  // keeps it in its cache: only the shared deny list can refuse it there.
  EXPECT_EQ(status_on(*b), 200u);

  call(*a, verb::post, "/v1/auth/logout", {}, token, 204);
  EXPECT_TRUE(eventually([&] { return status_on(*b) == 401u; }, 5s)) << "b still takes the logged-out token";
  // A replica started after the logout refuses it too.
  auto c = replica("c");
  EXPECT_TRUE(eventually([&] { return status_on(*c) == 401u; }, 5s)) << "a replica started later takes the token";
}

// The lobby and the director run on the replica holding the lobby's lease;
// the others forward those routes to it as they came. A party made through
// one replica is joined through the other; players queued through different
// replicas are matched into one session, told on whichever replica their
// events stream is, and its server's SDK calls reach the owner.
TEST_F(ServeRedisTest, TheLobbyRunsOnOneReplicaAndTheOthersForwardItsRoutesToIt) {
  auto a = replica("a");
  auto b = replica("b");
  create_duel_game(*b);
  auto ada = guest(*a, "forward-ada"), bob = guest(*b, "forward-bob");

  auto party = call(*b, verb::post, "/v1/parties", "{}", ada, 201);
  auto party_id = std::string(party.at("id").as_string());
  call(*a, verb::post, "/v1/parties/join", fmt::format(R"({{"code":"{}"}})", party.at("code").as_string()), bob);
  EXPECT_EQ(call(*b, verb::get, "/v1/parties/" + party_id, {}, bob).at("members").as_array().size(), 2u);
  call(*a, verb::post, "/v1/parties/" + party_id + "/leave", "{}", bob, 204);

  auto cy = guest(*a, "forward-cy"), dee = guest(*b, "forward-dee");
  EventsClient cy_events(b->port(), cy);
  EventsClient dee_events(a->port(), dee);
  call(*a, verb::post, "/v1/queues/duel/duel/tickets", "{}", cy, 201);
  call(*b, verb::post, "/v1/queues/duel/duel/tickets", "{}", dee, 201);
  auto ready = cy_events.next_of("session.ready", 20s);
  ASSERT_TRUE(ready) << cy_events.describe();
  ASSERT_TRUE(dee_events.next_of("session.ready", 20s)) << dee_events.describe();
  auto session = ready->str("session_id");
  EXPECT_EQ(call(*b, verb::get, "/v1/sessions/" + session, {}, dee).at("state").as_string(), "ready");

  { std::ofstream(end_file()) << "end\n"; }
  ASSERT_TRUE(cy_events.next_of("session.ended", 20s)) << cy_events.describe();
  ASSERT_TRUE(dee_events.next_of("session.ended", 20s)) << dee_events.describe();
  EXPECT_EQ(call(*a, verb::get, "/v1/sessions/" + session, {}, cy).at("state").as_string(), "ended");
}

// The relay from any replica (docs/hosting.md#the-relay-players-in-a-browser):
// the two players of one Shifumi session reach its server's ws port through
// the API, one through each replica (only one of them runs the lobby and the
// session's director; the other reads the session from the shared stores),
// and play it to the end.
TEST_F(ServeRedisTest, EitherReplicaRelaysItsPlayerToTheSessionsServer) {
  auto a = replica("a");
  auto b = replica("b");
  auto dev_token = developer(*a);
  json::object game{{"name", "shifumi"},
                    {"server", json::object{{"command", SHIFUMI_SERVER},
                                            {"env", json::object{{"SHIFUMI_ROUNDS", "1"}}},
                                            {"ports", json::array{json::object{{"name", "game"}, {"protocol", "tcp"}},
                                                                  json::object{{"name", "ws"}, {"protocol", "ws"}}}}}},
                    {"queues", json::array{json::object{{"name", "duel"}, {"teams", 2}, {"team_size", 1}}}}};
  call(*b, verb::post, "/v1/games", json::serialize(game), dev_token, 201);
  auto ada = guest(*a, "relay-ada"), bob = guest(*b, "relay-bob");
  EventsClient ada_events(a->port(), ada);
  EventsClient bob_events(b->port(), bob);
  call(*a, verb::post, "/v1/queues/shifumi/duel/tickets", "{}", ada, 201);
  call(*b, verb::post, "/v1/queues/shifumi/duel/tickets", "{}", bob, 201);
  auto ada_ready = ada_events.next_of("session.ready", 20s);
  ASSERT_TRUE(ada_ready) << ada_events.describe();
  auto bob_ready = bob_events.next_of("session.ready", 20s);
  ASSERT_TRUE(bob_ready) << bob_events.describe();
  auto session = ada_ready->str("session_id");

  auto connect = [&](WebgamesProcess& via, const Event& ready) {
    return std::make_unique<RelaySocket>(
        via.port(), fmt::format("/v1/sessions/{}/connect?token={}", session, ready.str("join_token")));
  };
  auto ada_socket = connect(*a, *ada_ready);
  auto bob_socket = connect(*b, *bob_ready);
  ASSERT_TRUE(ada_socket->open()) << ada_socket->error() << "\n" << tail(a->log(), 20);
  ASSERT_TRUE(bob_socket->open()) << bob_socket->error() << "\n" << tail(b->log(), 20);
  ada_socket->send({{"type", "join"}, {"token", ada_ready->str("join_token")}});
  bob_socket->send({{"type", "join"}, {"token", bob_ready->str("join_token")}});
  auto ada_welcome = ada_socket->next_of("welcome");
  ASSERT_TRUE(ada_welcome) << ada_socket->error();
  ASSERT_TRUE(bob_socket->next_of("welcome")) << bob_socket->error();

  // One round: paper beats rock.
  ASSERT_TRUE(ada_socket->next_of("round")) << ada_socket->error();
  ASSERT_TRUE(bob_socket->next_of("round")) << bob_socket->error();
  ada_socket->send({{"type", "move"}, {"move", "paper"}});
  bob_socket->send({{"type", "move"}, {"move", "rock"}});
  for (auto* socket : {ada_socket.get(), bob_socket.get()}) {
    auto over = socket->next_of("game_over");
    ASSERT_TRUE(over) << socket->error();
    EXPECT_EQ(string_of(*over, "winner"), string_of(*ada_welcome, "player")) << json::serialize(*over);
  }
  ASSERT_TRUE(ada_events.next_of("session.ended", 20s)) << ada_events.describe();
  ASSERT_TRUE(bob_events.next_of("session.ended", 20s)) << bob_events.describe();
}

// The owner killed with SIGKILL: another replica takes the lobby over once
// the lease has passed (TTL 1 s here), with its waiting tickets, its parties
// and its running session, whose server ran on and still ends it.
TEST_F(ServeRedisTest, AKilledOwnerIsReplacedWithItsTicketsPartiesAndSessions) {
  auto a = replica("a");  // the owner: it started first
  auto b = replica("b");
  create_duel_game(*b);
  auto ada = guest(*b, "takeover-ada"), bob = guest(*b, "takeover-bob"), cy = guest(*b, "takeover-cy");
  EventsClient ada_events(b->port(), ada);
  EventsClient cy_events(b->port(), cy);
  call(*b, verb::post, "/v1/queues/duel/duel/tickets", "{}", ada, 201);
  call(*b, verb::post, "/v1/queues/duel/duel/tickets", "{}", bob, 201);
  auto ready = ada_events.next_of("session.ready", 20s);
  ASSERT_TRUE(ready) << ada_events.describe();
  auto waiting = call(*b, verb::post, "/v1/queues/duel/duel/tickets", "{}", cy, 201);
  auto waiting_id = std::string(waiting.at("id").as_string());
  auto dee = guest(*b, "takeover-dee");
  auto party = call(*b, verb::post, "/v1/parties", "{}", dee, 201);

  a->kill9();
  auto killed = std::chrono::steady_clock::now();
  ASSERT_TRUE(eventually([&] { return status(*b, verb::get, "/v1/tickets/" + waiting_id, cy) == 200u; }, 10s))
      << b->log();
  auto takeover = std::chrono::steady_clock::now() - killed;
  EXPECT_LE(takeover, 5s) << "took over after "
                          << std::chrono::duration_cast<std::chrono::milliseconds>(takeover).count() << " ms";
  EXPECT_EQ(call(*b, verb::get, "/v1/tickets/" + waiting_id, {}, cy).at("state").as_string(), "queued");
  auto kept = call(*b, verb::get, fmt::format("/v1/parties/{}", party.at("id").as_string()), {}, dee);
  EXPECT_EQ(kept.at("code"), party.at("code"));
  EXPECT_EQ(kept.at("members").as_array().size(), 1u);

  // The adopted session: its server still runs, and ends it through b.
  auto session = ready->str("session_id");
  EXPECT_EQ(call(*b, verb::get, "/v1/sessions/" + session, {}, ada).at("state").as_string(), "ready");
  { std::ofstream(end_file()) << "end\n"; }
  ASSERT_TRUE(ada_events.next_of("session.ended", 20s)) << ada_events.describe() << b->log();
  // The rebuilt matchmaker matches the waiting ticket with a newcomer.
  auto eve = guest(*b, "takeover-eve");
  call(*b, verb::post, "/v1/queues/duel/duel/tickets", "{}", eve, 201);
  ASSERT_TRUE(cy_events.next_of("session.ready", 20s)) << cy_events.describe();
}

// An owner paused past its lease (SIGSTOP) and woken: a request waiting in
// its socket is answered 503 (retry), not by its stale lobby. Found on the
// cluster: a game server's `ready`, forwarded to the old owner by a replica
// that had not yet seen the takeover, got 404 for the new owner's session.
TEST_F(ServeRedisTest, AnOwnerWokenAfterItsLeasePassedAnswersNothingForTheLobby) {
  auto a = replica("a");  // the owner: it started first
  auto b = replica("b");
  create_duel_game(*b);
  auto ada = guest(*b, "paused-ada");
  ASSERT_EQ(::kill(a->pid(), SIGSTOP), 0);
  // b takes over (TTL 1 s): the party made then lives in b's lobby only.
  std::string party_id;
  ASSERT_TRUE(eventually(
      [&] {
        auto r = ctl::http_request({"127.0.0.1", std::to_string(b->port())}, verb::post, "/v1/parties", "{}", ada, 2s);
        if (!r || r->status != 201) return false;
        party_id = std::string(json::parse(r->body).at("id").as_string());
        return true;
      },
      10s))
      << b->log();

  // Asked of a while it sleeps, as a forwarding replica would.
  auto asked = std::async(std::launch::async, [&] {
    return ctl::http_request({"127.0.0.1", std::to_string(a->port())}, verb::get, "/v1/parties/" + party_id, {}, ada,
                             10s);
  });
  std::this_thread::sleep_for(200ms);  // the request waits in a's socket
  ASSERT_EQ(::kill(a->pid(), SIGCONT), 0);
  auto answer = asked.get();
  // Either a answered "retry", or it stopped (status 75) before reading it.
  if (answer) {
    EXPECT_EQ(answer->status, 503u) << answer->body;
  }
  ASSERT_TRUE(eventually([&] { return !a->running(); }, 10s)) << a->log();
  EXPECT_EQ(call(*b, verb::get, "/v1/parties/" + party_id, {}, ada).at("id").as_string(), party_id);
}

// A change forwarded to the owner, which dies before answering: it may or
// may not have been made, and the forwarding replica says so (502
// outcome_unknown, not 503 "retry", which a client reads as "not done"). A
// read in the same place is answered 503: retrying it is always safe. The
// message names no replica's address.
TEST_F(ServeRedisTest, AChangeTheOwnerDiedWithIsAnsweredOutcomeUnknownAndAReadRetry) {
  auto a = replica("a");  // the owner: it started first
  auto b = replica("b");
  create_duel_game(*b);
  auto ada = guest(*b, "unknown-ada");
  ASSERT_EQ(::kill(a->pid(), SIGSTOP), 0);  // a takes the requests in and does not answer
  auto ask = [&](verb method, std::string target, std::string body) {
    return std::async(std::launch::async, [&, method, target, body] {
      return ctl::http_request({"127.0.0.1", std::to_string(b->port())}, method, target, body, ada, 10s);
    });
  };
  auto change = ask(verb::post, "/v1/queues/duel/duel/tickets", "{}");
  auto read = ask(verb::get, "/v1/tickets/tkt_none", "");
  std::this_thread::sleep_for(300ms);  // both forwarded, waiting on a
  a->kill9();
  auto changed = change.get(), got = read.get();
  ASSERT_TRUE(changed && got);
  EXPECT_EQ(changed->status, 502u) << changed->body;
  auto error = json::parse(changed->body).at("error");
  EXPECT_EQ(error.at("code"), "outcome_unknown") << changed->body;
  EXPECT_EQ(std::string(error.at("message").as_string()).find("127.0.0.1"), std::string::npos) << changed->body;
  EXPECT_EQ(got->status, 503u) << got->body;
  EXPECT_EQ(json::parse(got->body).at("error").at("code"), "unavailable") << got->body;
}

// Found by an attacker's probe: a replica that took the lobby over used the
// games it had cached before, so a game deleted just before the owner died
// kept taking tickets. The new owner reads games afresh.
TEST_F(ServeRedisTest, ANewOwnerQueuesNoTicketForAGameDeletedBeforeTheTakeover) {
  auto a = replica("a");  // the owner: it started first
  auto b = replica("b");
  auto dev = create_duel_game(*b);
  auto ada = guest(*b, "deleted-ada");
  // b caches the game (any route that names it does).
  call(*b, verb::get, "/v1/queues/duel/duel/leaderboard", {}, ada);
  call(*b, verb::delete_, "/v1/games/duel", {}, dev, 204);  // forwarded to a, which deletes it
  a->kill9();
  ASSERT_TRUE(eventually([&] { return status(*b, verb::get, "/v1/parties/none", ada) == 404u; }, 10s)) << b->log();
  auto refused = call(*b, verb::post, "/v1/queues/duel/duel/tickets", "{}", ada, 404);
  EXPECT_EQ(refused.at("error").at("field"), "game") << refused;
}

// Rate limits are counted in Redis: replicas share them. Three logins to
// one account pass, spread over both replicas; the fourth is refused on
// either. Tickets are counted where the lobby runs, which every ticket
// request reaches: two pass, one through each replica, the third is
// refused.
// A name deleted by one developer and registered by another is the new
// one's on every replica at once: each replica's game cache hears of every
// write, wherever it was made (found by an attacker's audit: the other
// replica answered from the deleted game for up to the cache's TTL, 404 to
// the new owner). The cache's TTL here is a minute: only the news can do it.
TEST_F(ServeRedisTest, AGameWrittenOnOneReplicaIsReadAnewOnEveryOther) {
  std::vector<std::string> long_cache{"--game-cache-ttl-ms", "60000"};
  auto a = replica("a", {}, long_cache);
  auto b = replica("b", {}, long_cache);
  auto ada = developer(*a);
  auto bob = call(*b, verb::post, "/v1/auth/register",
                  R"({"username":"bob","password":"correct horse","role":"developer"})", {}, 201);
  auto bob_token = std::string(bob.at("access_token").as_string());
  json::object game{{"name", "reused"},
                    {"server", json::object{{"command", WEBGAMES_SOURCE_DIR "/tests/hosting/servers/good.sh"},
                                            {"ports", json::array{json::object{{"name", "game"}}}}}},
                    {"queues", json::array{json::object{{"name", "duel"}, {"teams", 2}, {"team_size", 1}}}}};
  call(*a, verb::post, "/v1/games", json::serialize(game), ada, 201);
  for (auto* on : {a.get(), b.get()}) call(*on, verb::get, "/v1/games/reused", {}, ada);  // cached on both

  // Deleted through b (run by the lobby's owner, either), registered again through a.
  call(*b, verb::delete_, "/v1/games/reused", {}, ada, 204);
  call(*a, verb::post, "/v1/games", json::serialize(game), bob_token, 201);
  for (auto* on : {a.get(), b.get()}) {
    EXPECT_TRUE(eventually([&] { return status(*on, verb::get, "/v1/games/reused", bob_token) == 200u; }, 2s))
        << "a replica still answers from the deleted game";
    EXPECT_EQ(status(*on, verb::get, "/v1/games/reused", ada), 404u);
  }
}

TEST_F(ServeRedisTest, ReplicasShareTheRateLimits) {
  std::vector<std::string> limits{"--limit-login-per-username", "3", "--limit-tickets-per-player", "2"};
  auto a = replica("a", {}, limits);
  auto b = replica("b", {}, limits);
  // Its own name: the fixture's Redis outlives this test (and its windows a rerun).
  auto name = fmt::format("lim{}x{}", ::getpid(), std::chrono::steady_clock::now().time_since_epoch().count() % 100000);
  auto account = fmt::format(R"({{"username":"{}","password":"correct horse"}})", name);
  call(*a, verb::post, "/v1/auth/register", account, {}, 201);
  call(*a, verb::post, "/v1/auth/login", account);
  call(*b, verb::post, "/v1/auth/login", account);
  call(*a, verb::post, "/v1/auth/login", account);
  for (auto* on : {b.get(), a.get()}) {
    auto over = call(*on, verb::post, "/v1/auth/login", account, {}, 429);
    EXPECT_EQ(over.at("error").at("code").as_string(), "rate_limited");
    EXPECT_EQ(over.at("error").at("field").as_string(), "username");
  }

  create_duel_game(*a);
  auto ada = guest(*b, name + "-ada");
  for (auto* on : {a.get(), b.get()}) {
    auto ticket = call(*on, verb::post, "/v1/queues/duel/duel/tickets", "{}", ada, 201);
    call(*on, verb::delete_, "/v1/tickets/" + std::string(ticket.at("id").as_string()), {}, ada, 204);
  }
  auto over = call(*a, verb::post, "/v1/queues/duel/duel/tickets", "{}", ada, 429);
  EXPECT_EQ(over.at("error").at("field").as_string(), "player");
}

}  // namespace
}  // namespace webgames::testing
