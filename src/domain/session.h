#pragma once
// A match being hosted: the players, the server that hosts them, and where
// the session is in its life:
//
//   Allocating -> Starting -> Ready -> Running -> Ended
//                    |          ^
//                    v          |     a pool server: Starting -> Idle -> Ready;
//                   Idle -------'     one stopped unused: Starting or Idle -> Ended
//
//   and every state but Ended -> Failed.
//
// Allocating: waiting for a port (or other capacity). Starting: the server
// process runs but has not said ready. Idle: a pool server (`pooled`) said
// ready and waits for a match, with no players yet (docs/pools.md); a match
// makes it Ready. Ready: players have their assignment. Running: a player
// connected. Ended and Failed are final.

#include "core/clock.h"

#include <boost/json/object.hpp>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace webgames {

enum class SessionState { allocating, starting, idle, ready, running, ended, failed };
std::string_view to_string(SessionState s);
std::optional<SessionState> parse_session_state(std::string_view text);
bool is_final(SessionState s);
// Whether the life cycle above allows `from` -> `to`.
bool can_transition(SessionState from, SessionState to);

struct SessionPlayer {
  std::string id;
  std::string name;
  int team = 0;
  std::string ticket_id;
  bool connected = false;
};

struct Session {
  std::string id;       // "ses_…"
  std::string game_id;  // the game it was matched in (Game::id): its history is keyed by this
  std::string game;     // that game's name then
  std::string queue;
  std::string owner_id;  // the game's developer
  std::vector<SessionPlayer> players;
  int teams = 0;
  std::string region;  // the matchmaker's choice; "" when its tickets named none
  SessionState state = SessionState::allocating;
  std::string reason;  // why it is Allocating, or why it Failed (or why a pool server Ended unused)
  // Started for the game's warm pool before any match: players, teams,
  // queue and region are empty until a match takes it (Idle -> Ready).
  bool pooled = false;

  // The server hosting it.
  std::string runtime;     // "process", later "docker"…
  std::string runtime_id;  // pid for processes
  std::string host;
  std::string node;                  // the runtime's node its ports are on (Swarm); "": webgames' host
  std::map<std::string, int> ports;  // port name -> number
  int port = 0;                      // the spec's first port: where players connect
  int max_duration_s = 0;            // from the game's spec when the match formed
  double cpu = 0;                    // cores its server reserves (server.cpu when the match formed)
  int memory_mb = 0;                 // MiB its server reserves (server.memory_mb)
  std::string sdk_secret_hash;       // SHA-256 of the server's SDK secret
  std::string join_key_id;           // of the key its server checks join tokens with ("": the signing one)
  // Scaled mode: the fencing token of the lobby's lease its writer held (0:
  // the embedded default). Kept beside the record, not in it: a save with a
  // lower one than the stored is refused (Catalog::save_session).
  std::int64_t fence = 0;

  // Timings: when the oldest ticket was queued, then each step.
  TimePoint queued_at, matched_at, started_at, ready_at, ended_at;
  TimePoint last_heartbeat;

  std::string results;  // the server's end report, JSON text
  // Failed: the players whose tickets go back to their queue (session.failed's
  // `requeued`). Recorded with the failure, so that the next director, when
  // this one dies before telling it, tells and requeues the same.
  std::set<std::string> requeued;
  // Ended or Failed, and its players were told so (session.ended or
  // session.failed handed to the event bus). A final session with players
  // that is not told is told by the next director to start.
  bool told = false;
};

// A final session whose players may not have been told of its end yet.
bool is_untold(const Session& s);

// What a session used: its server ran from started_at to ended_at (or `now`
// while it runs), reserving cpu cores and memory_mb MiB.
struct SessionUsage {
  double server_seconds = 0;
  double cpu_seconds = 0;        // cores reserved × seconds
  double memory_mb_seconds = 0;  // MiB reserved × seconds
  SessionUsage& operator+=(const SessionUsage& o) {
    server_seconds += o.server_seconds;
    cpu_seconds += o.cpu_seconds;
    memory_mb_seconds += o.memory_mb_seconds;
    return *this;
  }
};
SessionUsage usage_of(const Session& s, TimePoint now);

// A developer's finished sessions of one game, summed.
struct GameUsage {
  std::string game_id;
  std::string game;  // its name in the latest of these sessions
  std::int64_t sessions = 0;
  SessionUsage used;
};

// What its server is told of its players: {"teams":[[ids]…],"players":[{id,
// name,team}…]} (WEBGAMES_PLAYERS, and the SDK's allocation).
boost::json::object session_roster(const Session& s);

// RFC 3339 in UTC with milliseconds: "2026-11-26T11:30:00.250Z".
std::string time_text(TimePoint t);

// The public view: what players and the game's developer see.
boost::json::object session_to_json(const Session& s);

// The whole record, secrets' hashes and runtime ids included, as stored.
boost::json::object session_record_to_json(const Session& s);
std::optional<Session> session_from_record(const boost::json::value& record);

}  // namespace webgames
