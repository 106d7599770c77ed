#pragma once
// Catalog: the durable records of an installation (accounts, credentials,
// games, sessions, ratings). SQLite in the embedded default, Postgres when scaled out.
//
// Every method BLOCKS on disk or network: call it from the blocking pool
// (app/blocking_pool.h), never from the event loop. Implementations are
// thread-safe. Expected failures come back as Errors: not_found, conflict
// (with the field that collides), unavailable (the database is down).

#include "core/error.h"
#include "domain/account.h"
#include "domain/credentials.h"
#include "domain/game.h"
#include "domain/rating.h"
#include "domain/session.h"

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace webgames {

// Where a page of sessions ends: the last one listed. Pages are ordered
// newest first (created_at, i.e. matched_at, descending; then id ascending).
struct SessionCursor {
  TimePoint created_at;
  std::string id;
};

// Which sessions list_sessions returns: every filter left empty matches all.
struct SessionQuery {
  std::string owner_id;  // the game's developer; "": every developer's (an operator's view)
  std::string game;      // the game's name when matched (Session::game); "": any
  std::optional<SessionState> state;
  std::string player;                  // a player's account id or username; "": any
  std::optional<TimePoint> since;      // matched at or after
  std::optional<TimePoint> until;      // matched before
  std::size_t limit = 50;              // REQUIRES: 1 ≤ limit ≤ 1000
  std::optional<SessionCursor> after;  // the page after this one
};

struct SessionPage {
  std::vector<Session> items;
  std::optional<SessionCursor> next;  // set when more sessions may follow
};

class Catalog {
 public:
  virtual ~Catalog() = default;

  // A cheap round trip (SELECT 1): ok when the database answers. /readyz asks.
  virtual Result<void> ping() = 0;

  // Accounts. create_account fails with conflict on "username" if taken.
  virtual Result<void> create_account(const Account& account) = 0;
  virtual Result<Account> account_by_id(std::string_view id) = 0;
  virtual Result<Account> account_by_username(std::string_view username) = 0;
  // Changes an account's role (`webgames ctl operator create` promotes one);
  // not_found (field "username") when there is no such account.
  virtual Result<void> set_role(std::string_view account_id, Role role) = 0;

  // Login sessions (refresh-token chains).
  virtual Result<void> create_login(const LoginSession& login) = 0;
  virtual Result<LoginSession> login_by_refresh_hash(std::string_view refresh_hash) = 0;
  // Replaces the refresh hash iff it is still `old_hash` and not revoked, so
  // that two concurrent refreshes with one token cannot both succeed, and
  // keeps `old_hash` as spent at `now` (spent_refresh), in the same
  // transaction. The login's tokens spent longer ago than a token lives
  // (new_expiry - now) are forgotten: they would be expired anyway.
  // Fails with not_found when the token was already rotated or revoked.
  virtual Result<void> rotate_refresh(std::string_view login_id, std::string_view old_hash, std::string_view new_hash,
                                      TimePoint new_expiry, TimePoint now) = 0;
  // The login whose rotation replaced `refresh_hash`, and when; not_found
  // when none did (or it was forgotten).
  virtual Result<SpentRefresh> spent_refresh(std::string_view refresh_hash) = 0;
  virtual Result<void> revoke_login(std::string_view login_id) = 0;
  virtual Result<bool> login_revoked(std::string_view login_id) = 0;

  // API keys.
  virtual Result<void> create_api_key(const ApiKey& key) = 0;
  virtual Result<ApiKey> api_key_by_hash(std::string_view key_hash) = 0;
  virtual Result<std::vector<ApiKey>> api_keys_of(std::string_view owner_id) = 0;
  // not_found (field "key") when there is no key with this id.
  virtual Result<ApiKey> api_key_by_id(std::string_view key_id) = 0;
  // not_found unless the key exists and belongs to `owner_id`.
  virtual Result<void> delete_api_key(std::string_view owner_id, std::string_view key_id) = 0;

  // Games. Names are unique across the installation among live games:
  // create fails with conflict on "name". Reads return any owner's game;
  // callers check ownership. REQUIRES: game.id set (new_id("gam_")) and never
  // used before. update_game and delete_game act on the game of that id
  // (the one the caller checked), never on another that took its name since.
  // A deleted game's name may be registered again: the new game has a new
  // id, and history keyed by the old id stays with the old one.
  virtual Result<void> create_game(const Game& game) = 0;
  virtual Result<Game> game_by_name(std::string_view name) = 0;
  virtual Result<std::vector<Game>> games_of(std::string_view owner_id) = 0;
  // Every live game of every owner, by name (an operator's view).
  virtual Result<std::vector<Game>> all_games() = 0;
  // By game.id, renamed to game.name; not_found if that game is gone.
  virtual Result<void> update_game(const Game& game) = 0;
  virtual Result<void> delete_game(std::string_view game_id) = 0;  // not_found if gone
  // Every game whose pool policy is not off (any owner), ordered by name:
  // the director keeps their warm pools (docs/pools.md).
  virtual Result<std::vector<Game>> pooled_games() = 0;

  // Sessions: the director writes each change through (insert or replace).
  // conflict (field "fence", fenced_out) when the stored session was written
  // with a higher Session::fence, or Session::fence is below the floor: by
  // or since a newer owner of the lobby, after this writer's lease passed
  // (docs/redis.md#the-lobby-one-owner-by-lease).
  virtual Result<void> save_session(const Session& session) = 0;
  // Raises the floor of session fences to `fence` (never lowers it): a new
  // owner of the lobby, before it adopts the sessions.
  virtual Result<void> raise_session_fence(std::int64_t fence) = 0;
  virtual Result<Session> session_by_id(std::string_view id) = 0;
  // The sessions of one game (Session::game_id, never the name: a later game
  // of the same name has none of them). Newest first, at most `limit`.
  virtual Result<std::vector<Session>> sessions_of_game(std::string_view game_id, std::size_t limit) = 0;
  // The sessions `query` matches, newest first, at most query.limit of them,
  // after query.after when set; `next` is set when the page is full.
  virtual Result<SessionPage> list_sessions(const SessionQuery& query) = 0;
  // Sessions not Ended or Failed: what a restarted director must reconcile.
  virtual Result<std::vector<Session>> unfinished_sessions() = 0;
  // Final sessions whose players may not have been told of the end
  // (is_untold): what a starting director tells, oldest first.
  virtual Result<std::vector<Session>> untold_sessions() = 0;
  // The developer's Ended and Failed sessions summed per game (by game id,
  // deleted games included), for their usage view; ordered by game id.
  // Server time runs from started_at to ended_at (usage_of in domain/session.h).
  virtual Result<std::vector<GameUsage>> usage_of(std::string_view developer_id) = 0;

  // Ratings per game (by Game::id, never the name) and queue. Players never
  // rated are left out.
  virtual Result<std::vector<PlayerRating>> ratings(std::string_view game_id, std::string_view queue,
                                                    std::span<const std::string> account_ids) = 0;
  // The best `limit` ratings by ordinal (mu − 3σ), best first, with the
  // players' usernames.
  virtual Result<std::vector<RankedRating>> leaderboard(std::string_view game_id, std::string_view queue,
                                                        std::size_t limit) = 0;
  // Reads the players' ratings (new players at the initial rating), lets
  // `update` compute the new ones and stores them, atomically: two sessions
  // ending at once for the same player both count. With a `session_id`,
  // each player's change (before and after) is stored with that session in
  // the same transaction (a second update for the same session and player
  // replaces its change). REQUIRES: `update` returns one rating per player,
  // in the order it got them.
  using RatingUpdate = std::function<std::vector<PlayerRating>(std::vector<PlayerRating> current)>;
  virtual Result<void> update_ratings(std::string_view game_id, std::string_view queue,
                                      std::span<const std::string> account_ids, std::string_view session_id,
                                      const RatingUpdate& update) = 0;
  // The changes update_ratings stored with `session_id`, in the order of its
  // players; empty when it rated nobody (unranked, failed, or unknown).
  virtual Result<std::vector<RatingChange>> rating_changes(std::string_view session_id) = 0;
};

// What save_session answers a writer fenced out by a newer one.
inline Error fenced_out(const Session& s) {
  return make_error(Errc::conflict,
                    "session " + s.id + " was written by a newer owner of the lobby (this write's fence: " +
                        std::to_string(s.fence) + ")",
                    "fence");
}

}  // namespace webgames
