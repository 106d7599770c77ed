#pragma once
// A registered game: how to start its dedicated server and how players are
// matched into it. Pure data and rules; no I/O.

#include "core/clock.h"
#include "core/error.h"
#include "domain/pool_spec.h"
#include "domain/queue_rules.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace webgames {

// tcp and udp: the game's own protocol. ws: WebSocket (over TCP), which
// browsers can open and the API's relay connects to
// (GET /v1/sessions/{id}/connect, docs/api/openapi.yaml).
enum class Protocol { tcp, udp, ws };
std::string_view to_string(Protocol p);  // "tcp", "udp", "ws"
std::optional<Protocol> parse_protocol(std::string_view text);
// What the port is at the transport layer, for publishing it: "tcp" or "udp".
std::string_view transport_of(Protocol p);

// A port the game server listens on. The runtime picks the number and passes
// it to the server (WEBGAMES_PORT for the first, WEBGAMES_PORT_<NAME> for all).
struct PortSpec {
  std::string name;  // [a-z0-9-], unique within the spec
  Protocol protocol = Protocol::tcp;
};

// How to start one dedicated server. Exactly one of `command` or `image`.
struct ServerSpec {
  std::string command;                     // executable path for the process runtime
  std::vector<std::string> args;           // its arguments
  std::string image;                       // container image for the container runtimes
  std::map<std::string, std::string> env;  // extra environment; WEBGAMES_* is reserved
  std::vector<PortSpec> ports;             // at least one
  double cpu = 1.0;                        // cores. Default: 1
  int memory_mb = 256;                     // Default: 256 MiB
  int max_duration_s = 3600;               // a session is ended after this. Default: one hour
  // For the container runtimes only (docs/docker.md); the process runtime ignores them.
  bool host_network = false;              // "network": "host" shares the host's network. Default: "bridge"
  int pids_limit = 256;                   // processes and threads in the container. Default: 256
  std::vector<std::string> capabilities;  // kept although all others are dropped ("NET_BIND_SERVICE"). Default: none
  bool read_only_root = false;            // a read-only root file system, /tmp a small tmpfs. Default: false
};

// One way to be matched inside a game: `teams` teams of up to `team_size`
// players; a match may start with `min_players` once its rules allow it.
struct QueueSpec {
  std::string name;
  int teams = 2;
  int team_size = 1;    // a team's maximum size
  int min_players = 0;  // 0 in input means rules.max_players; always filled in after validation
  QueueRules rules;     // docs/matchmaking.md
};

struct Game {
  // "gam_…", given when the game is registered and never changed. History
  // (sessions, ratings, logs, stats) belongs to the id: a game registered
  // later under the same name (after a delete) is another game, with none of it.
  std::string id;
  std::string name;      // unique across the installation among live games: [a-z0-9-], ≤ 64
  std::string owner_id;  // the developer account that registered it
  std::string title;     // human-readable name, ≤ 128 bytes; defaults to name
  ServerSpec server;
  std::vector<QueueSpec> queues;
  PoolSpec pool;  // warm servers kept ready for its matches (docs/pools.md). Default: off
  TimePoint created_at;
  TimePoint updated_at;
};

// Limits enforced by validate_game (documented in docs/game-spec.md).
struct GameLimits {
  static constexpr std::size_t max_name = 64;
  static constexpr std::size_t max_title = 128;
  static constexpr std::size_t max_command = 1024;
  static constexpr std::size_t max_args = 64;
  static constexpr std::size_t max_env = 64;
  static constexpr std::size_t max_env_value = 4096;
  static constexpr std::size_t max_ports = 16;
  static constexpr std::size_t max_capabilities = 16;
  static constexpr std::size_t max_queues = 32;
  static constexpr int max_teams = 64;
  static constexpr int max_team_size = 100;
  static constexpr int max_players = 1000;
};

// Checks every rule of a game spec; the Error names the first offending field
// as a path ("queues[1].team_size"). Fills defaults (title, min_players).
Result<void> validate_game(Game& game);

// [a-z0-9] then [a-z0-9-], 1 to `max` characters.
bool is_slug(std::string_view text, std::size_t max = GameLimits::max_name);

}  // namespace webgames
