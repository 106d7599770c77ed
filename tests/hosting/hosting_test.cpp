#include "hosting/hosting_test.h"

#include "support/api_request.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <thread>

namespace webgames::testing {

namespace json = boost::json;
namespace fs = std::filesystem;

std::string Reply::str(std::string_view key) const { return str_of(body, key); }

std::string Reply::error_code() const {
  if (!body.is_object()) return "";
  auto* e = body.get_object().if_contains("error");
  return e ? str_of(*e, "code") : "";
}

std::string str_of(const json::value& v, std::string_view key) {
  if (!v.is_object()) return "";
  auto* f = v.get_object().if_contains(key);
  return f && f->is_string() ? std::string(f->get_string()) : "";
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
}

fs::path HostingTest::servers_dir() { return fs::path(WEBGAMES_SOURCE_DIR) / "tests" / "hosting" / "servers"; }

void HostingTest::SetUp() {
  become_child_subreaper();
  fs::create_directories(state_dir());
  // A range of its own for each test process (tests may run in parallel),
  // below 20000: scripts/lib/ports.sh gives the test Redis and PostgreSQL
  // servers ports from 20000 up, and a Redis restarted on its port must not
  // find a game server there.
  port_first_ = static_cast<std::uint16_t>(10000 + (::getpid() % 200) * 50);
  port_last_ = static_cast<std::uint16_t>(port_first_ + 49);
}

std::vector<std::string> HostingTest::fast_flags() {
  return {"--ready-timeout-ms",  "2000", "--heartbeat-interval-ms", "400",
          "--missed-heartbeats", "3",    "--stop-grace-ms",         "500"};
}

void HostingTest::start_webgames(std::vector<std::string> flags, std::uint16_t port) {
  if (webgames_) webgames_->kill9();
  WebgamesOptions o;
  o.binary = WEBGAMES_BINARY;
  o.data_dir = data_dir();
  o.log_file = dir_.path() / "webgames.log";
  o.port = port;
  o.flags = {"--port-first",        std::to_string(port_first_),
             "--port-last",         std::to_string(port_last_),
             "--shutdown-grace-ms", "2000"};
  o.flags.insert(o.flags.end(), flags.begin(), flags.end());
  webgames_ = std::make_unique<WebgamesProcess>(std::move(o));
}

void HostingTest::TearDown() {
  // A session is recorded (and seen) ended before its server is stopped:
  // servers of ended sessions get the stop's time to go before they count
  // as left behind.
  std::vector<ProcessInfo> left;
  eventually(
      [&] {
        reap_zombie_children(WebgamesProcess::live_pids());
        left = server_processes();
        return left.empty();
      },
      5s);
  if (!left.empty()) {
    if (!HasFailure()) ADD_FAILURE() << "game server processes left at the end of the test:" << describe(left);
    kill_processes(left);
    eventually([&] { return server_processes().empty(); }, 5s);
  }
  if (webgames_ && webgames_->running()) {
    auto status = webgames_->terminate(10s);
    EXPECT_TRUE(status && WIFEXITED(*status) && WEXITSTATUS(*status) == 0)
        << "webgames did not stop cleanly on SIGTERM";
  }
  // What a SIGTERM'ed webgames leaves running is adopted by its next start;
  // there is none here.
  kill_processes(server_processes());
  reap_zombie_children(WebgamesProcess::live_pids());
  if (HasFailure() && webgames_) std::cerr << "---- webgames log (tail)\n" << tail(webgames_->full_log(), 80) << "\n";
}

Reply HostingTest::call(verb method, std::string_view target, std::string_view body, std::string_view token) {
  auto r = api_request(port(), method, target, body, token);
  EXPECT_TRUE(r) << target << ": " << (r ? "" : r.error().message);
  Reply reply;
  if (!r) return reply;
  reply.status = r->status;
  reply.raw = r->body;
  boost::system::error_code ec;
  auto parsed = json::parse(r->body, ec);
  if (!ec) reply.body = std::move(parsed);
  return reply;
}

Account& HostingTest::developer() {
  if (!developer_) developer_ = register_developer("dev");
  return *developer_;
}

Account HostingTest::register_developer(const std::string& username) {
  auto r =
      call(verb::post, "/v1/auth/register",
           json::serialize(json::object{{"username", username}, {"password", "correct horse"}, {"role", "developer"}}));
  EXPECT_EQ(r.status, 201u) << r.raw;
  return Account{str_of(r.body.is_object() ? r.body.at("account") : json::value(), "id"), r.str("access_token"),
                 username};
}

Account HostingTest::guest(const std::string& device) {
  // Device ids are 8 to 128 characters.
  auto r = call(verb::post, "/v1/auth/guest", json::serialize(json::object{{"device_id", "hosting-test-" + device}}));
  EXPECT_EQ(r.status, 200u) << r.raw;
  if (r.status != 200) return {};
  return Account{str_of(r.body.at("account"), "id"), r.str("access_token"), str_of(r.body.at("account"), "username")};
}

void HostingTest::create_game(const std::string& name, const json::object& server, const json::array& queues,
                              const json::object& pool) {
  json::object game{{"name", name}, {"server", server}, {"queues", queues}};
  if (!pool.empty()) game["pool"] = pool;
  auto body = json::serialize(game);
  auto r = call(verb::post, "/v1/games", body, developer().token);
  ASSERT_EQ(r.status, 201u) << r.raw;
}

json::object HostingTest::script_server(const std::string& script, const json::object& env) const {
  json::object e{{"STATE_DIR", state_dir().string()}, {"END_FILE", end_file().string()}, {"HEARTBEAT_S", "0.1"}};
  for (const auto& kv : env) e[kv.key()] = kv.value();
  return json::object{{"command", (servers_dir() / script).string()},
                      {"env", std::move(e)},
                      {"ports", json::array{json::object{{"name", "game"}}}},
                      {"max_duration_s", 300}};
}

json::array HostingTest::duel_queue() {
  return json::array{json::object{{"name", "duel"}, {"teams", 2}, {"team_size", 1}}};
}

Reply HostingTest::queue(const Account& who, const std::string& game, const std::string& queue) {
  return call(verb::post, "/v1/queues/" + game + "/" + queue + "/tickets", "{}", who.token);
}

Player HostingTest::join_queue(const std::string& device, const std::string& game, const std::string& queue_name) {
  Player p;
  p.account = guest(device);
  p.events = std::make_unique<EventsClient>(port(), p.account.token);
  auto r = queue(p.account, game, queue_name);
  EXPECT_EQ(r.status, 201u) << r.raw;
  p.ticket = r.str("id");
  auto queued = expect_event(p, "ticket.queued", 5s);
  if (p.ticket.empty()) p.ticket = queued.str("ticket_id");  // the failure is reported; go on with the event's id
  EXPECT_EQ(queued.str("ticket_id"), p.ticket);
  return p;
}

Event HostingTest::expect_event(Player& p, std::string_view type, std::chrono::milliseconds timeout,
                                const std::function<bool(const Event&)>& where) {
  auto e = p.events->next_of(type, timeout, where);
  EXPECT_TRUE(e) << "player " << p.account.name << " (" << p.id() << ") was not told " << type << " within "
                 << timeout.count() << " ms; events:" << p.events->describe();
  return e.value_or(Event{});
}

json::array HostingTest::sessions_of(const std::string& game, int limit) {
  auto r = call(verb::get, "/v1/games/" + game + "/sessions?limit=" + std::to_string(limit), {}, developer().token);
  EXPECT_EQ(r.status, 200u) << r.raw;
  if (r.status != 200 || !r.body.is_object()) return {};
  return r.body.at("items").as_array();
}

std::optional<json::object> HostingTest::find_session(const std::string& game, const std::string& id) {
  for (const auto& s : sessions_of(game))
    if (str_of(s, "id") == id) return s.as_object();
  return std::nullopt;
}

json::object HostingTest::wait_session(const std::string& game, const std::string& id,
                                       const std::function<bool(const json::object&)>& done,
                                       std::chrono::milliseconds timeout, const std::string& what) {
  std::optional<json::object> last;
  bool ok = eventually(
      [&] {
        last = find_session(game, id);
        return last && done(*last);
      },
      timeout);
  EXPECT_TRUE(ok) << "session " << id << " of " << game << ": " << what << " within " << timeout.count()
                  << " ms; last seen: " << (last ? json::serialize(*last) : std::string("(not listed)"));
  return last.value_or(json::object{});
}

json::object HostingTest::pool_buffer(int n) { return json::object{{"policy", "buffer"}, {"buffer", n}}; }

std::string HostingTest::wait_pool_session(const std::string& game, const std::string& state,
                                           const std::vector<std::string>& except, std::chrono::milliseconds timeout) {
  std::string found;
  eventually(
      [&] {
        for (const auto& s : sessions_of(game)) {
          const auto& o = s.as_object();
          auto id = str_of(o, "id");
          auto* pooled = o.if_contains("pooled");
          if (str_of(o, "state") == state && pooled != nullptr && pooled->is_bool() && pooled->get_bool() &&
              std::find(except.begin(), except.end(), id) == except.end()) {
            found = id;
            return true;
          }
        }
        return false;
      },
      timeout);
  EXPECT_FALSE(found.empty()) << "no " << state << " pool server of " << game << " within " << timeout.count()
                              << " ms; log: " << tail(webgames().log());
  return found;
}

json::object HostingTest::wait_session_state(const std::string& game, const std::string& id, const std::string& state,
                                             std::chrono::milliseconds timeout) {
  return wait_session(
      game, id, [&](const json::object& s) { return str_of(s, "state") == state; }, timeout, "state " + state);
}

std::optional<ServerRecord> HostingTest::server_record(const std::string& session_id) {
  std::ifstream in(state_dir() / (session_id + ".env"));
  if (!in) return std::nullopt;
  ServerRecord record;
  std::string line;
  while (std::getline(in, line)) {
    auto eq = line.find('=');
    if (eq != std::string::npos) record[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return record;
}

ServerRecord HostingTest::wait_server_record(const std::string& session_id, std::chrono::milliseconds timeout) {
  std::optional<ServerRecord> record;
  bool ok = eventually([&] { return (record = server_record(session_id)).has_value(); }, timeout);
  EXPECT_TRUE(ok) << "no server record for session " << session_id;
  return record.value_or(ServerRecord{});
}

std::vector<ProcessInfo> HostingTest::server_processes() {
  // The process runtime sets HOME to the session's work directory; children
  // of the server inherit it.
  return processes_with_env_prefix("HOME=" + fs::absolute(sessions_dir()).string() + "/");
}

void HostingTest::expect_no_servers_left(std::chrono::milliseconds timeout) {
  std::vector<ProcessInfo> left;
  bool gone = eventually(
      [&] {
        reap_zombie_children(WebgamesProcess::live_pids());
        left = server_processes();
        return left.empty();
      },
      timeout);
  EXPECT_TRUE(gone) << "game server processes still running:" << describe(left);
  if (webgames_ && webgames_->running()) {
    std::vector<ProcessInfo> zombies;
    bool reaped = eventually(
        [&] {
          zombies = zombie_children_of(webgames_->pid());
          return zombies.empty();
        },
        timeout);
    EXPECT_TRUE(reaped) << "webgames has not reaped its exited servers:" << describe(zombies);
  }
}

void HostingTest::end_sessions() { std::ofstream(end_file()) << "end\n"; }

}  // namespace webgames::testing
