#pragma once
// Runtime: the driver that starts and stops game servers (a process, a
// container, a pod). One implementation per folder: process/, later docker/,
// swarm/, kubernetes/. The Director is its only caller.
//
// Threading: every method is called from the director's strand, and the
// runtime reports exits by calling the ExitHandler on that same strand.

#include "core/error.h"
#include "director/port_allocator.h"
#include "domain/game.h"

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace webgames {

// Where a server runs, chosen before its ports are taken: ports are per node.
struct Placement {
  std::string node;  // the runtime's node id (a Swarm node); empty: the host webgames runs on
  std::string host;  // where players connect; empty: the runtime's own (hosting.public_host)
};

struct LaunchRequest {
  std::string session_id;
  std::string game;
  std::string owner_id;
  ServerSpec spec;
  std::map<std::string, std::string> env;  // WEBGAMES_* for the server
  std::map<std::string, int> ports;        // port name -> host port chosen by the director
  std::filesystem::path work_dir;          // created by the runtime; removed by stop()
  std::filesystem::path log_file;          // stdout and stderr go here; kept after the session
  Placement placement;                     // from place(); the ports were taken on placement.node
};

struct LaunchedServer {
  std::string runtime_id;  // pid:starttime for processes; container id for Docker
  std::string host;        // where players connect
};

// Why a server went away.
struct ServerExit {
  std::string runtime_id;
  std::string description;  // "exited with status 3", "killed by signal 9"
  bool clean = false;       // exit status 0
  // The server never ran: the runtime could not create or start it (a
  // missing image, a port the host refuses, the engine down). The session
  // fails without requeueing its players: the same launch would fail again.
  bool launch_failed = false;
};

class Runtime {
 public:
  using ExitHandler = std::function<void(const ServerExit&)>;
  virtual ~Runtime() = default;

  virtual std::string_view name() const = 0;
  // Where exits are reported; set once, before the first start().
  virtual void on_exit(ExitHandler handler) = 0;

  // Chooses the node the server of `request` will run on, before the
  // director takes its ports there. unavailable holds the session in
  // Allocating (tried again, as when no port is free). Default: the host
  // webgames runs on.
  virtual Result<Placement> place(const LaunchRequest& request) {
    (void)request;
    return Placement{};
  }
  // Whether `port` is free on the node of `placement` (nothing there holds
  // it). Default: it can be bound on this host.
  virtual bool port_free(const Placement& placement, int port, Protocol protocol) {
    (void)placement;
    return PortAllocator::bindable(static_cast<std::uint16_t>(port), protocol);
  }

  // Starts the server, at request.placement; unavailable or invalid_field (a bad command) on failure.
  // A runtime whose engine answers asynchronously (Docker) returns at once
  // with the id the server will have, and reports a failed launch later as
  // an exit with launch_failed set, never from inside start().
  virtual Result<LaunchedServer> start(const LaunchRequest& request) = 0;
  // Asks the server to stop (SIGTERM or the runtime's equivalent), and forces
  // it after `grace`. Cleans up its work dir. The exit is still reported.
  virtual void stop(const std::string& runtime_id, std::chrono::milliseconds grace) = 0;

  // After a restart: takes back a server started by an earlier run, so that
  // its exit is reported again. false when it is no longer running.
  virtual bool adopt(const std::string& runtime_id, const std::filesystem::path& work_dir) = 0;
  // After a restart, for a session whose record names no server (webgames
  // was killed while starting it): the id of the server an earlier run
  // started for it, found by a marker the runtime gave the server before it
  // started; empty when none runs (or the runtime has no such marker: its
  // adoption_done() then removes the server). adopt() follows.
  virtual std::optional<LaunchedServer> find(const std::string& session_id) {
    (void)session_id;
    return std::nullopt;
  }
  // After a restart, for a server that adopt() refused: removes whatever it
  // left (its children, its work dir), so that nothing runs unaccounted for.
  virtual void clean_up_lost(const std::string& runtime_id, const std::filesystem::path& work_dir) = 0;
  // After a restart, once every unfinished session was adopted or cleaned
  // up: removes whatever else of this installation still runs (servers of
  // sessions that ended while webgames was down). Called once, from
  // Director::start; may finish the work later, on the strand.
  virtual void adoption_done() {}
};

}  // namespace webgames
