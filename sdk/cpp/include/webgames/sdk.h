#pragma once
// The Webgames server SDK for C++: everything a dedicated game server needs to
// talk to the Webgames that started it. The wire protocol it speaks, for any
// language, is docs/server-sdk.md; this header is the whole C++ API.
//
// A game server's life:
//   auto session = webgames::sdk::Session::from_environment();  // throws if misconfigured
//   ... listen on session.host():session.port() ...
//   session.ready().value();                 // Webgames now sends the players here
//   session.wait_for_allocation().value();   // a pool server waits here for its match
//   ... for each connection: session.verify_join(token), then player_connected(id) ...
//   session.end(results).value();            // then exit; Webgames sends SIGTERM anyway
//
// Error policy. Configuration errors (a missing or malformed WEBGAMES_*
// variable) throw std::runtime_error from from_environment(): the server cannot
// run. Everything else returns an Expected<T>: a join token refused, Webgames
// unreachable or answering an error. Expected<T>::value() throws sdk::Exception
// when it holds an Error, for callers that prefer exceptions.
//
// Thread safety. Every const method may be called from any thread. ready(),
// player_connected(), player_disconnected() and end() may be called from any
// thread too, concurrently with each other and with the heartbeat thread; the
// HTTP calls block the calling thread for at most Options::request_timeout per
// attempt.

#include <boost/json/object.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

namespace webgames::sdk {

// Why a call failed. `code` is stable, switch on it; `message` is for people.
struct Error {
  Error() = default;
  // A constructor rather than an aggregate, so that Expected<std::string>
  // never wonders whether a string is an Error.
  Error(std::string code, std::string message, int http_status = 0)
      : code(std::move(code)), message(std::move(message)), http_status(http_status) {}

  // For verify_join: one of the join_refusal codes below.
  // For an HTTP call: Webgames' error code ("forbidden", "not_found",
  // "conflict", ...; see docs/errors.md), "unavailable" when no answer came
  // (refused, reset, timed out), or "invalid_field" when the SDK refused to
  // send a request that breaks a limit.
  std::string code;
  std::string message;
  int http_status = 0;  // the answer's status; 0 when there was no answer
};

// The codes verify_join refuses a token with.
namespace join_refusal {
inline constexpr std::string_view malformed = "malformed";  // not a JWT, not base64url, not JSON, missing claims
inline constexpr std::string_view bad_signature = "bad_signature";  // not EdDSA, or not signed by the join key
inline constexpr std::string_view expired = "expired";              // "exp" is not after now
inline constexpr std::string_view wrong_session = "wrong_session";  // "sid" names another session
inline constexpr std::string_view not_a_player = "not_a_player";    // "sub" is not a player of this session
}  // namespace join_refusal

// Thrown by Expected<T>::value() when the result holds an Error.
struct Exception : std::runtime_error {
  explicit Exception(Error e) : std::runtime_error(e.code + ": " + e.message), error(std::move(e)) {}
  Error error;
};
[[noreturn]] void throw_exception_from_error(const Error& e, const boost::source_location& loc);

// A T, or the Error that prevented it. Expected<void> is success or an Error.
template <class T>
using Expected = boost::system::result<T, Error>;

// One player of the session, as Webgames matched them.
struct Player {
  std::string id;    // account id ("acc_..."): what join tokens carry as "sub"
  std::string name;  // display name
  int team = 0;      // 0-based index of the player's team
};

// One entry of the results reported by end(). Name a player, a team, or both.
struct Result {
  std::string player_id;     // empty: this entry is about a team
  std::optional<int> team;   // REQUIRES: set when player_id is empty
  double score = 0;          // the game's own score
  int rank = 0;              // REQUIRES: >= 1; 1 is the best; equal ranks tie
  boost::json::object data;  // anything the game wants to keep; at most 16 KiB serialized
};

struct Options {
  // How often ready() makes the heartbeat thread report. Webgames fails the
  // session after 3 missed heartbeats. Default: 5 s; WEBGAMES_HEARTBEAT_INTERVAL_MS,
  // which Webgames sets, overrides it.
  std::chrono::milliseconds heartbeat_interval{5000};
  // Longest time one HTTP attempt may take, connecting included. Default: 5 s.
  std::chrono::milliseconds request_timeout{5000};
  // Attempts for ready() and end() when no answer comes or Webgames answers
  // 5xx; the other calls try once. With the pauses below, about 11 s of
  // trying: longer than a replica's takeover of the lobby in a cluster (the
  // lease's 3 s and a restore), during which the load balancer answers 503.
  // Default: 8.
  int attempts = 8;
  // Pause before the second attempt, doubled before each next one up to
  // max_retry_delay. Defaults: 500 ms, 2 s.
  std::chrono::milliseconds retry_delay{500};
  std::chrono::milliseconds max_retry_delay{2000};
  // How long one allocation long poll may wait before it is asked again
  // (wait_for_allocation); at most 30 s. Default: 30 s.
  std::chrono::milliseconds allocation_wait{30'000};
  // Where the SDK reports what it cannot return (failed heartbeats).
  // Called from the heartbeat thread. Default (empty): a line on stderr.
  std::function<void(std::string_view)> log;
};

// What a session hosts: its match. For a server started for its match, the
// environment's; for a pool server, what Webgames says when a match takes it.
struct Allocation {
  std::vector<Player> players;
  int team_count = 0;
  std::string queue;   // the queue the match formed in
  std::string region;  // where the matchmaker placed it; empty for none
};

// The session this game server was started for. Movable, not copyable; a
// moved-from Session may only be destroyed or assigned to.
class Session {
 public:
  // Reads WEBGAMES_SESSION_ID, WEBGAMES_PORT, WEBGAMES_PORT_<NAME>,
  // WEBGAMES_HOST, WEBGAMES_SDK_URL, WEBGAMES_SDK_SECRET, WEBGAMES_JOIN_KEY
  // and WEBGAMES_PLAYERS (and WEBGAMES_POOLED, WEBGAMES_QUEUE, WEBGAMES_REGION).
  // Throws std::runtime_error naming the variable that is missing or malformed.
  static Session from_environment(Options options = {});
  // The same, from `variables` instead of the process environment (tests,
  // or a game that gets its configuration some other way).
  static Session from_variables(const std::map<std::string, std::string, std::less<>>& variables, Options options = {});

  Session(Session&&) noexcept;
  Session& operator=(Session&&) noexcept;
  ~Session();  // stops the heartbeat thread, cancelling a heartbeat in flight

  const std::string& id() const;
  // The address to listen on: WEBGAMES_HOST. Default: "0.0.0.0".
  const std::string& host() const;
  // WEBGAMES_PORT: the first port the game declared.
  std::uint16_t port() const;
  // WEBGAMES_PORT_<NAME> for the port the game spec names `name` ("game",
  // "voice-chat"): uppercased, '-' read as '_'. Empty if there is none.
  std::optional<std::uint16_t> port(std::string_view name) const;
  // Started for the game's warm pool (WEBGAMES_POOLED=1): no players until
  // wait_for_allocation() returns (docs/pools.md).
  bool pooled() const;
  // The players of the match: from the start, or for a pool server from
  // wait_for_allocation() on (empty before).
  const std::vector<Player>& players() const;
  // nullptr if `player_id` is not a player of this session.
  const Player* find_player(std::string_view player_id) const;
  int team_count() const;

  // Checks a join token offline: EdDSA signed by the join key, "typ" "join",
  // "sid" this session, "exp" after now, "sub" one of players() or a player
  // added by backfill (its token names its "team"). Returns that player, or
  // an Error whose code is one of join_refusal.
  Expected<Player> verify_join(std::string_view token) const;
  Expected<Player> verify_join(std::string_view token, std::chrono::system_clock::time_point now) const;

  // Tells Webgames the server listens and can take players, then starts a
  // background thread that sends a heartbeat every heartbeat_interval until
  // end() or destruction. REQUIRES: the server listens already.
  [[nodiscard]] Expected<void> ready();
  // The allocation step (docs/server-sdk.md#allocation). A server started
  // for its match returns its players at once, without a call. A pool
  // server, after ready(), blocks here until a match takes it: it asks
  // Webgames with a long poll (GET .../allocation?wait=, answered as soon as
  // the match is known) and asks again when the poll times out or Webgames
  // cannot be reached; then players() and team_count() hold the match's.
  // Returns an Error when Webgames refuses (the session ended: "conflict",
  // "not_found", "forbidden") or `stop` was requested ("cancelled").
  // REQUIRES: not called concurrently with players(), find_player(),
  // team_count() or verify_join() from another thread.
  [[nodiscard]] Expected<Allocation> wait_for_allocation(std::stop_token stop = {});
  // Report a player's connection coming and going; Webgames shows it and
  // may use it for timeouts. Call after verify_join succeeded.
  [[nodiscard]] Expected<void> player_connected(std::string_view player_id);
  [[nodiscard]] Expected<void> player_disconnected(std::string_view player_id);
  // Asks Webgames for `players` more players for `team` (docs/matchmaking.md
  // #backfill). Returns once the request is queued: the players come when
  // the matchmaker finds them, each with a join token verify_join accepts
  // (players() keeps listing those of the start).
  [[nodiscard]] Expected<void> backfill(int team, int players);
  // Stops the heartbeats and reports the results; the session is over.
  // `results` may be empty (nobody came). Refused without a call
  // ("invalid_field") when an entry breaks a REQUIRES of Result or the body
  // would exceed 64 KiB.
  [[nodiscard]] Expected<void> end(const std::vector<Result>& results);

 private:
  struct Impl;
  explicit Session(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace webgames::sdk
