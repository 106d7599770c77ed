#include "hosting/container_hosting_test.h"

#include "hosting/relay_client.h"
#include "support/json_lines_client.h"

#include <boost/json/serialize.hpp>

#include <gmock/gmock.h>

#include <fstream>
#include <thread>

namespace webgames::testing {

namespace json = boost::json;

json::object ContainerHostingTest::image_server(const std::string& image, const json::object& env) {
  return json::object{{"image", image},
                      {"env", env},
                      {"ports", json::array{json::object{{"name", "game"}}}},
                      {"memory_mb", 64},
                      {"max_duration_s", 120}};
}

void end_game(std::uint16_t port) {
  JsonLinesClient c("127.0.0.1", port);
  c.send_line("end");
  c.wait_eof();
}

ContainerHostingTest::ShifumiMatch ContainerHostingTest::start_shifumi_match(const std::vector<std::string>& flags,
                                                                             const json::object& server,
                                                                             std::chrono::milliseconds timeout) {
  start_webgames(flags);
  create_game("shifumi", server, duel_queue());
  ShifumiMatch m{join_queue("device-a", "shifumi"), join_queue("device-b", "shifumi"), {}, {}, {}, 0};
  m.ra = expect_event(m.a, "session.ready", timeout);
  m.rb = expect_event(m.b, "session.ready", timeout);
  m.session = m.ra.str("session_id");
  EXPECT_EQ(m.session, m.rb.str("session_id"));
  if (auto* port = m.ra.data.if_contains("port"); port && port->is_int64())
    m.port = static_cast<std::uint16_t>(port->as_int64());
  return m;
}

std::pair<std::string, std::uint16_t> ContainerHostingTest::match(Player& a, Player& b,
                                                                  std::chrono::milliseconds timeout) {
  auto ra = expect_event(a, "session.ready", timeout);
  auto rb = expect_event(b, "session.ready", timeout);
  EXPECT_EQ(ra.str("session_id"), rb.str("session_id"));
  EXPECT_EQ(ra.str("host"), "127.0.0.1");
  auto* port = ra.data.if_contains("port");
  return {ra.str("session_id"), port && port->is_int64() ? static_cast<std::uint16_t>(port->as_int64()) : 0};
}

std::string ContainerHostingTest::expect_failed(Player& a, Player& b, const std::string& reason_part, bool requeue,
                                                std::chrono::milliseconds timeout) {
  std::string session;
  for (auto* p : {&a, &b}) {
    auto failed = expect_event(*p, "session.failed", timeout);
    EXPECT_THAT(failed.str("reason"), ::testing::HasSubstr(reason_part)) << failed.raw;
    auto* r = failed.data.if_contains("requeued");
    EXPECT_EQ(r != nullptr && r->is_bool() && r->get_bool(), requeue) << failed.raw;
    session = failed.str("session_id");
  }
  for (auto* p : {&a, &b}) call(verb::delete_, "/v1/tickets/" + p->ticket, {}, p->account.token);
  return session;
}

namespace {

// One round of Shifumi on two joined connections (JsonLinesClient over TCP,
// RelayClient through the API): a plays rock, b scissors, both hear game_over.
template <class Client>
void play_one_round(Client& ca, Client& cb, const Event& ra, const Event& rb) {
  ca.send({{"type", "join"}, {"token", ra.str("join_token")}});
  cb.send({{"type", "join"}, {"token", rb.str("join_token")}});
  auto read_type = [](Client& c, std::string_view type) {
    for (int i = 0; i < 20; ++i) {
      auto m = c.read();
      if (!m) return false;
      if (str_of(*m, "type") == type) return true;
    }
    return false;
  };
  ASSERT_TRUE(read_type(ca, "round"));
  ASSERT_TRUE(read_type(cb, "round"));
  ca.send({{"type", "move"}, {"move", "rock"}});
  cb.send({{"type", "move"}, {"move", "scissors"}});
  EXPECT_TRUE(read_type(ca, "game_over"));
  EXPECT_TRUE(read_type(cb, "game_over"));
}

}  // namespace

void ContainerHostingTest::play_shifumi_to_the_end(Player& a, Player& b, const Event& ra, const Event& rb,
                                                   std::chrono::milliseconds cleanup_timeout, Path path) {
  auto session = ra.str("session_id");
  auto port = static_cast<std::uint16_t>(ra.data.at("port").as_int64());
  if (path == Path::relay) {
    auto target = [&](const Event& ready) {
      return "/v1/sessions/" + session + "/connect?token=" + ready.str("join_token");
    };
    RelayClient ca(HostingTest::port(), target(ra)), cb(HostingTest::port(), target(rb));
    ASSERT_TRUE(ca.open()) << ca.status() << " " << ca.error_code();
    ASSERT_TRUE(cb.open()) << cb.status() << " " << cb.error_code();
    play_one_round(ca, cb, ra, rb);
  } else {
    JsonLinesClient ca("127.0.0.1", port), cb("127.0.0.1", port);
    play_one_round(ca, cb, ra, rb);
  }

  for (auto* p : {&a, &b}) {
    auto ended = expect_event(*p, "session.ended", 20s);
    EXPECT_EQ(ended.str("session_id"), session);
    EXPECT_EQ(ended.data.at("results").as_array().size(), 2u) << ended.raw;
  }
  auto record = wait_session_state("shifumi", session, "ended");
  EXPECT_EQ(record.at("results").as_array().size(), 2u);
  expect_no_containers_left(cleanup_timeout);
  EXPECT_TRUE(eventually([&] { return tcp_port_bindable(port); }, cleanup_timeout))
      << "port " << port << " is still held";
  // The server's stdout and stderr are the session's log.
  auto log_api = call(verb::get, "/v1/sessions/" + session + "/log", {}, developer().token);
  EXPECT_EQ(log_api.status, 200u);
  EXPECT_THAT(log_api.raw, ::testing::HasSubstr("shifumi-server: session " + session));
}

void ContainerHostingTest::expect_crash_noticed(std::vector<std::string> flags, std::chrono::milliseconds timeout) {
  flags.insert(flags.end(), {"--heartbeat-interval-ms", "60000", "--stop-grace-ms", "500"});
  start_webgames(flags);
  create_game("crash", image_server("webgames/test-server", json::object{{"TEST_MODE", "crash"}}), duel_queue());
  auto a = join_queue("device-a", "crash");
  auto b = join_queue("device-b", "crash");
  auto started = std::chrono::steady_clock::now();
  // Heartbeats are due only every minute: only the exit itself can tell this fast.
  auto session = expect_failed(a, b, "exited with status 3", true, timeout);
  EXPECT_LT(std::chrono::steady_clock::now() - started, timeout);
  expect_no_containers_left(30s);
  auto record = wait_session_state("crash", session, "failed");
  EXPECT_THAT(str_of(record, "reason"), ::testing::HasSubstr("exited with status 3"));
  EXPECT_THAT(read_text(sessions_dir() / session / "server.log"), ::testing::HasSubstr("crashing"));
}

void ContainerHostingTest::expect_kill9_adoption(std::vector<std::string> flags,
                                                 const std::function<void(const std::string&)>& running,
                                                 const std::function<std::size_t()>& count) {
  start_webgames(flags);
  create_game("adopt", image_server("webgames/test-server"), duel_queue());
  auto a = join_queue("device-a", "adopt");
  auto b = join_queue("device-b", "adopt");
  auto [session, port] = match(a, b, 30s);
  running(session);
  auto api_port = HostingTest::port();  // the servers call back there
  webgames().kill9();
  // The server outlives webgames…
  running(session);
  // …and the next start adopts it (and removes nothing else of ours).
  start_webgames(flags, api_port);
  auto adopted = wait_session_state("adopt", session, "ready", 5s);
  EXPECT_EQ(str_of(adopted, "state"), "ready");
  EXPECT_EQ(count(), 1u);
  // Still watched: its end is reported and its server removed.
  end_game(port);
  wait_session_state("adopt", session, "ended");
  EXPECT_TRUE(eventually([&] { return count() == 0; }, 15s));
  expect_no_containers_left(30s);
}

void ContainerHostingTest::expect_pool_replaces_and_hands_out(const std::vector<std::string>& flags,
                                                              const std::function<void(const std::string&)>& running,
                                                              const std::function<void(const std::string&)>& kill) {
  start_webgames(flags);
  create_game("pooled", image_server("webgames/test-server"), duel_queue(), pool_buffer(1));
  auto first = wait_pool_session("pooled", "idle", {}, 30s);
  ASSERT_FALSE(first.empty());
  running(first);
  kill(first);
  auto failed = wait_session_state("pooled", first, "failed", 15s);
  EXPECT_TRUE(failed.at("players").as_array().empty()) << json::serialize(failed);
  auto second = wait_pool_session("pooled", "idle", {first}, 30s);
  ASSERT_FALSE(second.empty());

  auto a = join_queue("device-a", "pooled");
  auto b = join_queue("device-b", "pooled");
  auto [session, port] = match(a, b);
  EXPECT_EQ(session, second) << "the match gets the live Idle server";
  auto log = sessions_dir() / second / "server.log";
  EXPECT_TRUE(
      eventually([&] { return read_text(log).find("allocated 2 players queue duel") != std::string::npos; }, 10s))
      << "the server was not told its match; its log: " << read_text(log);
  EXPECT_FALSE(wait_pool_session("pooled", "idle", {first, second}, 30s).empty()) << "the pool refills";

  end_game(port);
  wait_session_state("pooled", second, "ended");
  EXPECT_EQ(str_of(find_session("pooled", first).value_or(json::object{}), "state"), "failed")
      << "the dead server was never handed out";
  ASSERT_EQ(call(verb::delete_, "/v1/games/pooled", {}, developer().token).status, 204u);
  expect_no_containers_left(30s);
}

void ContainerHostingTest::expect_pool_kill9_adoption(const std::vector<std::string>& flags,
                                                      const std::function<void(const std::string&)>& running,
                                                      const std::function<void(const std::string&)>& kill,
                                                      const std::function<std::size_t()>& count) {
  start_webgames(flags);
  auto server = image_server("webgames/test-server");
  create_game("pooled", server, duel_queue(), pool_buffer(2));
  auto first = wait_pool_session("pooled", "idle", {}, 30s);
  auto second = wait_pool_session("pooled", "idle", {first}, 30s);
  ASSERT_FALSE(first.empty() || second.empty());
  auto a = join_queue("device-a", "pooled");
  auto b = join_queue("device-b", "pooled");
  auto [taken, port] = match(a, b);
  EXPECT_TRUE(taken == first || taken == second) << taken;
  auto kept = taken == first ? second : first;
  auto refill = wait_pool_session("pooled", "idle", {first, second}, 30s);
  ASSERT_FALSE(refill.empty());
  for (const auto& id : {taken, kept, refill}) running(id);

  auto api_port = HostingTest::port();  // the servers call back there
  webgames().kill9();
  a.events->close();
  b.events->close();
  kill(refill);  // dies while nobody watches
  start_webgames(flags, api_port);
  wait_session_state("pooled", taken, "ready", 10s);
  wait_session_state("pooled", refill, "failed", 15s);
  EXPECT_EQ(str_of(find_session("pooled", kept).value_or(json::object{}), "state"), "idle")
      << "adopted, back in the pool";
  // The dead one's place is taken by one new server, and no more.
  auto replacement = wait_pool_session("pooled", "idle", {taken, kept, refill}, 30s);
  ASSERT_FALSE(replacement.empty());
  std::this_thread::sleep_for(1500ms);  // pool refreshes
  EXPECT_EQ(sessions_of("pooled").size(), 4u);
  EXPECT_TRUE(eventually([&] { return count() == 3; }, 15s)) << "the dead server is removed; " << count() << " left";

  // Its pool turned off: the Idle servers stop; the match plays on.
  auto off = json::serialize(
      json::object{{"server", server}, {"queues", duel_queue()}, {"pool", json::object{{"policy", "off"}}}});
  ASSERT_EQ(call(verb::put, "/v1/games/pooled", off, developer().token).status, 200u);
  for (const auto& id : {kept, replacement}) {
    auto stopped = wait_session_state("pooled", id, "ended");
    EXPECT_NE(str_of(stopped, "reason").find("pool"), std::string::npos) << json::serialize(stopped);
  }
  EXPECT_TRUE(eventually([&] { return count() == 1; }, 15s)) << count() << " servers left";
  end_game(port);
  wait_session_state("pooled", taken, "ended");
  expect_no_containers_left(30s);
}

std::string proc_status(std::int64_t pid, const std::string& key) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);)
    if (line.starts_with(key + ":")) {
      auto v = line.substr(key.size() + 1);
      v.erase(0, v.find_first_not_of(" \t"));
      return v;
    }
  return "";
}

json::object ContainerHostingTest::expect_game_fails(const std::string& game, const json::object& server,
                                                     const std::string& reason_part, bool requeue) {
  start_webgames(runtime_flags(fast_flags()));
  create_game(game, server, duel_queue());
  auto a = join_queue("device-a", game);
  auto b = join_queue("device-b", game);
  auto session = expect_failed(a, b, reason_part, requeue);
  expect_no_containers_left(30s);
  auto record = wait_session_state(game, session, "failed");
  EXPECT_THAT(str_of(record, "reason"), ::testing::HasSubstr(reason_part));
  return record;
}

void ContainerHostingTest::expect_exit_at_once_fails() {
  auto record =
      expect_game_fails("quitter", image_server("webgames/test-server", json::object{{"TEST_MODE", "exit_at_once"}}),
                        "exited with status 2", true);
  EXPECT_THAT(read_text(sessions_dir() / str_of(record, "id") / "server.log"), ::testing::HasSubstr("exiting at once"));
}

void ContainerHostingTest::expect_out_of_memory_fails() {
  auto server = image_server("webgames/test-server", json::object{{"TEST_MODE", "oom"}});
  server["memory_mb"] = 32;
  expect_game_fails("hungry", server, "out of memory (limit 32 MiB)", true);
}

}  // namespace webgames::testing
