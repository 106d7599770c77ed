#pragma once
// End-to-end tests of on-demand hosting: the real `webgames` binary (a child
// process on a temporary data directory), real game servers (the bash
// servers of tests/hosting/servers/ and Shifumi), real HTTP, WebSocket and
// TCP. Nothing of the OS is mocked.
//
// Every test ends with no game server process of its data directory left
// (TearDown checks, then kills what remains), and every wait is bounded.

#include "support/events_client.h"
#include "support/process_scan.h"
#include "support/temp_dir.h"
#include "support/webgames_process.h"

#include <gtest/gtest.h>
#include <boost/beast/http/verb.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace webgames::testing {

using namespace std::chrono_literals;
using boost::beast::http::verb;

struct Reply {
  unsigned status = 0;
  std::string raw;
  boost::json::value body;                      // null when the body is not JSON
  std::string str(std::string_view key) const;  // a top-level string field, or ""
  std::string error_code() const;
};

struct Account {
  std::string id;
  std::string token;
  std::string name;
};

// A player with an open event stream and, once queued, a ticket.
struct Player {
  Account account;
  std::unique_ptr<EventsClient> events;
  std::string ticket;
  const std::string& id() const { return account.id; }
};

// The env file a test server writes ($STATE_DIR/<session>.env).
using ServerRecord = std::map<std::string, std::string>;

// Polls `done` every 20 ms until it is true or `timeout` passes.
bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout);

std::string str_of(const boost::json::value& v, std::string_view key);

// The whole file, or "" when it cannot be read.
std::string read_text(const std::filesystem::path& path);

class HostingTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Flags for bash test servers: short timeouts, so failures show fast.
  static std::vector<std::string> fast_flags();
  // Starts (or restarts) `webgames serve` on data_dir(); `port` 0 picks one.
  void start_webgames(std::vector<std::string> flags, std::uint16_t port = 0);
  WebgamesProcess& webgames() { return *webgames_; }
  std::uint16_t port() const { return webgames_->port(); }

  Reply call(verb method, std::string_view target, std::string_view body = {}, std::string_view token = {});

  // A developer account (also the owner of the games the test creates).
  Account& developer();
  // Another developer account, registered now.
  Account register_developer(const std::string& username);
  Account guest(const std::string& device);
  // POST /v1/games, expecting 201; with `pool` when not empty (docs/pools.md).
  void create_game(const std::string& name, const boost::json::object& server, const boost::json::array& queues,
                   const boost::json::object& pool = {});
  // A server spec running tests/hosting/servers/<script> with STATE_DIR and
  // END_FILE (end_file()) set, plus `env`.
  boost::json::object script_server(const std::string& script, const boost::json::object& env = {}) const;
  static boost::json::array duel_queue();
  // POST /v1/queues/{game}/{queue}/tickets.
  Reply queue(const Account& who, const std::string& game, const std::string& queue = "duel");

  // A guest who opens the event stream, queues, and is told ticket.queued.
  Player join_queue(const std::string& device, const std::string& game, const std::string& queue = "duel");
  // The next event of `type` on the player's stream (skipping others); a
  // test failure listing what did arrive when none comes within `timeout`.
  Event expect_event(Player& p, std::string_view type, std::chrono::milliseconds timeout = 10s,
                     const std::function<bool(const Event&)>& where = {});

  // GET /v1/games/{game}/sessions as the developer: newest first.
  boost::json::array sessions_of(const std::string& game, int limit = 100);
  std::optional<boost::json::object> find_session(const std::string& game, const std::string& id);
  // Polls until the session exists and `done` holds; fails the test (and
  // returns what was last seen) otherwise.
  boost::json::object wait_session(const std::string& game, const std::string& id,
                                   const std::function<bool(const boost::json::object&)>& done,
                                   std::chrono::milliseconds timeout, const std::string& what);
  boost::json::object wait_session_state(const std::string& game, const std::string& id, const std::string& state,
                                         std::chrono::milliseconds timeout = 10s);
  // A warm pool of `n` servers (docs/pools.md): {"policy":"buffer","buffer":n}.
  static boost::json::object pool_buffer(int n);
  // The id of a pool server (`pooled`) of `game` in `state`, not one of
  // `except`, once there is one; fails the test (and returns "") otherwise.
  std::string wait_pool_session(const std::string& game, const std::string& state,
                                const std::vector<std::string>& except = {}, std::chrono::milliseconds timeout = 10s);

  // The test servers' records.
  std::optional<ServerRecord> server_record(const std::string& session_id);
  ServerRecord wait_server_record(const std::string& session_id, std::chrono::milliseconds timeout = 10s);

  std::filesystem::path data_dir() const { return dir_.path() / "data"; }
  std::filesystem::path sessions_dir() const { return data_dir() / "sessions"; }
  std::filesystem::path state_dir() const { return dir_.path() / "state"; }
  std::filesystem::path end_file() const { return dir_.path() / "state" / "end"; }
  std::filesystem::path scratch() const { return dir_.path(); }
  static std::filesystem::path servers_dir();

  // Game server processes of this test's data directory still alive.
  std::vector<ProcessInfo> server_processes();
  // Expects every game server process to be gone within `timeout`, and
  // webgames to have reaped its children.
  void expect_no_servers_left(std::chrono::milliseconds timeout = 5s);
  void end_sessions();  // creates end_file(): good.sh servers end

  // Replaces the range of ports for game servers (before start_webgames).
  void set_port_range(std::uint16_t first, std::uint16_t last) {
    port_first_ = first;
    port_last_ = last;
  }
  // The ports of this test's game servers (--port-first/--port-last).
  std::uint16_t port_first() const { return port_first_; }
  std::uint16_t port_last() const { return port_last_; }

 private:
  TempDir dir_;
  std::unique_ptr<WebgamesProcess> webgames_;
  std::optional<Account> developer_;
  std::uint16_t port_first_ = 0, port_last_ = 0;
};

}  // namespace webgames::testing
