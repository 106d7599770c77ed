#pragma once
// What the container runtimes' end-to-end tests share (Docker, Swarm, OCI):
// the scenarios every runtime must pass against the real `webgames serve`
// (a full Shifumi match, a failure of each kind, kill -9 and adoption), on
// the images of images/list. Each runtime's fixture says how to start
// webgames for it and how to tell that none of its servers is left.

#include "hosting/hosting_test.h"

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace webgames::testing {

// Sends "end" to a good test server: it reports the end and exits.
void end_game(std::uint16_t port);
// A line of /proc/<pid>/status ("NoNewPrivs:\t1" -> "1").
std::string proc_status(std::int64_t pid, const std::string& key);

class ContainerHostingTest : public HostingTest {
 protected:
  // Expects no server of this test's installation left within `timeout`.
  virtual void expect_no_containers_left(std::chrono::milliseconds timeout = 15s) = 0;

  // Flags of `serve` for this runtime, then `more`.
  virtual std::vector<std::string> runtime_flags(std::vector<std::string> more = {}) const = 0;

  // A server spec of `image` with one port "game".
  static boost::json::object image_server(const std::string& image, const boost::json::object& env = {});

  // Both players see session.ready of one session; returns it and its port.
  std::pair<std::string, std::uint16_t> match(Player& a, Player& b, std::chrono::milliseconds timeout = 20s);
  // Both players are told the session failed, with `reason_part`; their
  // tickets are then withdrawn so that no other session starts.
  std::string expect_failed(Player& a, Player& b, const std::string& reason_part, bool requeue,
                            std::chrono::milliseconds timeout = 20s);
  // webgames started with `flags`, game "shifumi" served by `server`, two
  // guests queued and told session.ready of one session.
  struct ShifumiMatch {
    Player a, b;
    Event ra, rb;
    std::string session;
    std::uint16_t port = 0;
  };
  ShifumiMatch start_shifumi_match(const std::vector<std::string>& flags, const boost::json::object& server,
                                   std::chrono::milliseconds timeout);
  // How the players reach the game server: straight to its port `game`
  // (TCP), or through the API's relay to its port `ws` (the server's spec
  // then has one).
  enum class Path { tcp, relay };
  // One round of Shifumi (game "shifumi") between the two players of `ra` and `rb` (their
  // session.ready) on `port`, then: both told the end with results, the
  // session ended with them, no container left, the port free again, the
  // server's output in the session log.
  void play_shifumi_to_the_end(Player& a, Player& b, const Event& ra, const Event& rb,
                               std::chrono::milliseconds cleanup_timeout, Path path = Path::tcp);
  // A server that crashes (`flags` start webgames): noticed within `timeout`
  // though heartbeats are due only every minute, the session failed with
  // the exit status, its output in the session log.
  void expect_crash_noticed(std::vector<std::string> flags, std::chrono::milliseconds timeout);
  // Kill -9 of webgames while a server runs, a restart with `flags`:
  // the session is adopted; its end is still noticed. `running` waits for
  // the server of a session; `count` counts this installation's servers.
  void expect_kill9_adoption(std::vector<std::string> flags, const std::function<void(const std::string&)>& running,
                             const std::function<std::size_t()>& count);
  // The whole failure scenario: webgames with fast timeouts, `game` served
  // by `server`, two guests queued, the failure told, no container left, the
  // session recorded as failed. Returns the session's record.
  boost::json::object expect_game_fails(const std::string& game, const boost::json::object& server,
                                        const std::string& reason_part, bool requeue);
  // Warm pools (docs/pools.md), game "pooled" of the test server with a pool
  // of `buffer 1`; `flags` start webgames, `running` waits for the server of
  // a session, `kill` kills it with the runtime's own means (docker kill,
  // runc kill). An Idle server killed fails with no players and is
  // replaced; the match gets the replacement (never the dead one), which
  // learns its players through the allocation long poll; the pool starts
  // another; the game deleted, no container is left.
  void expect_pool_replaces_and_hands_out(const std::vector<std::string>& flags,
                                          const std::function<void(const std::string&)>& running,
                                          const std::function<void(const std::string&)>& kill);
  // A pool of `buffer 2`: a match takes one server, the pool refills; kill -9
  // of webgames, and one Idle server killed while it is down. The restart
  // adopts the match's server and the live Idle one (back in the pool),
  // removes the dead one and starts its replacement; the pool turned off
  // stops the Idle servers; the match plays on to its end; nothing is left.
  // `count` counts this installation's servers.
  void expect_pool_kill9_adoption(const std::vector<std::string>& flags,
                                  const std::function<void(const std::string&)>& running,
                                  const std::function<void(const std::string&)>& kill,
                                  const std::function<std::size_t()>& count);
  // The test server exits with status 2 at once: the session fails, requeued, its output logged.
  void expect_exit_at_once_fails();
  // The test server allocates past its 32 MiB: the session fails for that reason.
  void expect_out_of_memory_fails();
};

}  // namespace webgames::testing
