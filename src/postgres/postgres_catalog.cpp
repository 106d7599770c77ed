#include "postgres/postgres_catalog.h"

#include "domain/game_json.h"
#include "postgres/migrations.h"
#include "store/session_filter_sql.h"

#include <spdlog/spdlog.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cassert>

namespace webgames {
namespace {

using postgres::Param;
using postgres::Rows;

std::int64_t ms(TimePoint t) { return t.time_since_epoch().count(); }
TimePoint from_ms(std::int64_t v) { return TimePoint{std::chrono::milliseconds{v}}; }
Param flag(bool b) { return Param(b ? "true" : "false"); }
bool is_true(const Rows& rows, int row, int column) { return rows.text(row, column) == "t"; }

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Lost connections and server errors are thrown by postgres/connection.cpp;
// the Catalog contract turns them into `unavailable` values.
template <class F>
auto guarded(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const postgres::Unavailable& e) {
    spdlog::warn("catalog: {}", e.what());
    return make_error(Errc::unavailable, "the catalog database is unreachable; retry later");
  } catch (const std::exception& e) {
    spdlog::error("catalog: {}", e.what());
    return make_error(Errc::unavailable, "the catalog database failed; see the server log");
  }
}

Error not_found(std::string_view what, std::string field = {}) {
  return make_error(Errc::not_found, std::string(what) + " not found", std::move(field));
}

constexpr std::string_view kAccountColumns = "id, username, role, guest, password_hash, created_at";

Account read_account(const Rows& r) {
  return Account{r.text(0, 0),     r.text(0, 1), parse_role(r.text(0, 2)).value_or(Role::player),
                 is_true(r, 0, 3), r.text(0, 4), from_ms(r.integer(0, 5))};
}

constexpr std::string_view kKeyColumns = "id, owner_id, name, encode(key_hash, 'hex'), prefix, created_at";

ApiKey read_key(const Rows& r, int i) {
  return ApiKey{r.text(i, 0), r.text(i, 1), r.text(i, 2), r.bytes(i, 3), r.text(i, 4), from_ms(r.integer(i, 5))};
}

constexpr std::string_view kGameColumns = "name, owner_id, spec, created_at, updated_at, id";

Game read_game(const Rows& r, int i) {
  auto game = game_from_json(boost::json::parse(r.text(i, 2))).value();
  game.name = r.text(i, 0);
  game.owner_id = r.text(i, 1);
  game.created_at = from_ms(r.integer(i, 3));
  game.updated_at = from_ms(r.integer(i, 4));
  game.id = r.text(i, 5);
  return game;
}

// Reads the columns `record, game_id`: records written before games had ids
// (migration 004) take their game's id from the column.
Session read_session(const Rows& r, int i) {
  auto s = session_from_record(boost::json::parse(r.text(i, 0)));
  if (!s) throw std::runtime_error("sessions: unreadable record");
  if (s->game_id.empty()) s->game_id = r.text(i, 1);
  return std::move(*s);
}

}  // namespace

PostgresCatalog::PostgresCatalog(std::string url, std::size_t connections, metrics::Histogram* queries)
    : pool_(std::move(url), connections, std::chrono::seconds(5), queries) {
  auto db = pool_.acquire();
  postgres::migrate(*db);
}

Result<void> PostgresCatalog::ping() {
  return guarded([&]() -> Result<void> {
    auto db = pool_.acquire();
    db->exec("SELECT 1");
    return {};
  });
}

Result<void> PostgresCatalog::create_account(const Account& a) {
  return guarded([&]() -> Result<void> {
    auto db = pool_.acquire();
    auto r = db->exec_unique(
        fmt::format("INSERT INTO accounts ({}) VALUES ($1, $2, $3, $4, $5, $6)", kAccountColumns),
        {a.id, a.username, std::string(to_string(a.role)), flag(a.guest), a.password_hash, ms(a.created_at)});
    if (!r) return make_error(Errc::conflict, "username is taken", "username");
    return {};
  });
}

Result<Account> PostgresCatalog::account_by_id(std::string_view id) {
  return guarded([&]() -> Result<Account> {
    auto db = pool_.acquire();
    auto r = db->exec(fmt::format("SELECT {} FROM accounts WHERE id = $1", kAccountColumns), {id});
    if (r.empty()) return not_found("account");
    return read_account(r);
  });
}

Result<Account> PostgresCatalog::account_by_username(std::string_view username) {
  return guarded([&]() -> Result<Account> {
    auto db = pool_.acquire();
    auto r = db->exec(fmt::format("SELECT {} FROM accounts WHERE username = $1", kAccountColumns), {username});
    if (r.empty()) return not_found("account", "username");
    return read_account(r);
  });
}

Result<void> PostgresCatalog::set_role(std::string_view account_id, Role role) {
  return guarded([&]() -> Result<void> {
    auto db = pool_.acquire();
    auto r = db->exec("UPDATE accounts SET role = $1 WHERE id = $2", {to_string(role), account_id});
    if (r.affected() == 0) return not_found("account", "username");
    return {};
  });
}

Result<void> PostgresCatalog::create_login(const LoginSession& l) {
  return guarded([&]() -> Result<void> {
    auto db = pool_.acquire();
    auto r = db->exec_unique(
        "INSERT INTO logins (id, account_id, refresh_hash, expires_at, revoked) VALUES ($1, $2, $3, $4, $5)",
        {l.id, l.account_id, Param::bytes(l.refresh_hash), ms(l.expires_at), flag(l.revoked)});
    if (!r) return r.error();
    return {};
  });
}

Result<LoginSession> PostgresCatalog::login_by_refresh_hash(std::string_view refresh_hash) {
  return guarded([&]() -> Result<LoginSession> {
    auto db = pool_.acquire();
    auto r = db->exec(
        "SELECT id, account_id, encode(refresh_hash, 'hex'), expires_at, revoked FROM logins WHERE refresh_hash = $1",
        {Param::bytes(refresh_hash)});
    if (r.empty()) return not_found("login");
    return LoginSession{r.text(0, 0), r.text(0, 1), r.bytes(0, 2), from_ms(r.integer(0, 3)), is_true(r, 0, 4)};
  });
}

Result<void> PostgresCatalog::rotate_refresh(std::string_view login_id, std::string_view old_hash,
                                             std::string_view new_hash, TimePoint new_expiry, TimePoint now) {
  return guarded([&]() -> Result<void> {
    auto db = pool_.acquire();
    // One statement: the row lock makes a concurrent rotation wait, then
    // re-check the condition and change nothing; the spent token is kept
    // only by the rotation that replaced it.
    auto r = db->exec(
        "WITH rotated AS (UPDATE logins SET refresh_hash = $1, expires_at = $2 "
        "WHERE id = $3 AND refresh_hash = $4 AND NOT revoked RETURNING id) "
        "INSERT INTO spent_refresh_tokens (hash, login_id, spent_at) SELECT $4, id, $5 FROM rotated",
        {Param::bytes(new_hash), ms(new_expiry), login_id, Param::bytes(old_hash), ms(now)});
    if (r.affected() == 0) return not_found("login");
    db->exec("DELETE FROM spent_refresh_tokens WHERE login_id = $1 AND spent_at < $2",
             {login_id, ms(now - (new_expiry - now))});
    return {};
  });
}

Result<SpentRefresh> PostgresCatalog::spent_refresh(std::string_view refresh_hash) {
  return guarded([&]() -> Result<SpentRefresh> {
    auto db = pool_.acquire();
    auto r =
        db->exec("SELECT login_id, spent_at FROM spent_refresh_tokens WHERE hash = $1", {Param::bytes(refresh_hash)});
    if (r.empty()) return not_found("refresh_token");
    return SpentRefresh{r.text(0, 0), from_ms(r.integer(0, 1))};
  });
}

Result<void> PostgresCatalog::revoke_login(std::string_view login_id) {
  return guarded([&]() -> Result<void> {
    auto db = pool_.acquire();
    db->exec("UPDATE logins SET revoked = true WHERE id = $1", {login_id});
    return {};
  });
}

Result<bool> PostgresCatalog::login_revoked(std::string_view login_id) {
  return guarded([&]() -> Result<bool> {
    auto db = pool_.acquire();
    auto r = db->exec("SELECT revoked FROM logins WHERE id = $1", {login_id});
    if (r.empty()) return not_found("login");
    return is_true(r, 0, 0);
  });
}

Result<void> PostgresCatalog::create_api_key(const ApiKey& k) {
  return guarded([&]() -> Result<void> {
    auto db = pool_.acquire();
    auto r = db->exec_unique(
        "INSERT INTO api_keys (id, owner_id, name, key_hash, prefix, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        {k.id, k.owner_id, k.name, Param::bytes(k.key_hash), k.prefix, ms(k.created_at)});
    if (!r) return r.error();
    return {};
  });
}

Result<ApiKey> PostgresCatalog::api_key_by_hash(std::string_view key_hash) {
  return guarded([&]() -> Result<ApiKey> {
    auto db = pool_.acquire();
    auto r =
        db->exec(fmt::format("SELECT {} FROM api_keys WHERE key_hash = $1", kKeyColumns), {Param::bytes(key_hash)});
    if (r.empty()) return not_found("API key");
    return read_key(r, 0);
  });
}

Result<std::vector<ApiKey>> PostgresCatalog::api_keys_of(std::string_view owner_id) {
  return guarded([&]() -> Result<std::vector<ApiKey>> {
    auto db = pool_.acquire();
    auto r = db->exec(fmt::format("SELECT {} FROM api_keys WHERE owner_id = $1 ORDER BY created_at, id", kKeyColumns),
                      {owner_id});
    std::vector<ApiKey> out;
    for (int i = 0; i < r.size(); ++i) out.push_back(read_key(r, i));
    return out;
  });
}

Result<ApiKey> PostgresCatalog::api_key_by_id(std::string_view key_id) {
  return guarded([&]() -> Result<ApiKey> {
    auto db = pool_.acquire();
    auto r = db->exec(fmt::format("SELECT {} FROM api_keys WHERE id = $1", kKeyColumns), {key_id});
    if (r.empty()) return not_found("API key", "key");
    return read_key(r, 0);
  });
}

Result<void> PostgresCatalog::delete_api_key(std::string_view owner_id, std::string_view key_id) {
  return guarded([&]() -> Result<void> {
    auto db = pool_.acquire();
    auto r = db->exec("DELETE FROM api_keys WHERE id = $1 AND owner_id = $2", {key_id, owner_id});
    if (r.affected() == 0) return not_found("API key", "key");
    return {};
  });
}

Result<void> PostgresCatalog::create_game(const Game& g) {
  return guarded([&]() -> Result<void> {
    auto db = pool_.acquire();
    auto r = db->exec_unique(
        fmt::format("INSERT INTO games ({}) VALUES ($1, $2, $3, $4, $5, $6)", kGameColumns),
        {g.name, g.owner_id, boost::json::serialize(game_to_json(g)), ms(g.created_at), ms(g.updated_at), g.id});
    if (!r) return make_error(Errc::conflict, "a game with this name exists", "name");
    return {};
  });
}

Result<Game> PostgresCatalog::game_by_name(std::string_view name) {
  return guarded([&]() -> Result<Game> {
    auto db = pool_.acquire();
    auto r = db->exec(fmt::format("SELECT {} FROM games WHERE name = $1", kGameColumns), {name});
    if (r.empty()) return not_found("game", "game");
    return read_game(r, 0);
  });
}

Result<std::vector<Game>> PostgresCatalog::games_of(std::string_view owner_id) {
  return guarded([&]() -> Result<std::vector<Game>> {
    auto db = pool_.acquire();
    // COLLATE "C": byte order, as SQLite sorts, whatever the database's locale.
    auto r = db->exec(fmt::format("SELECT {} FROM games WHERE owner_id = $1 ORDER BY name COLLATE \"C\"", kGameColumns),
                      {owner_id});
    std::vector<Game> out;
    for (int i = 0; i < r.size(); ++i) out.push_back(read_game(r, i));
    return out;
  });
}

Result<std::vector<Game>> PostgresCatalog::pooled_games() {
  return guarded([&]() -> Result<std::vector<Game>> {
    auto db = pool_.acquire();
    auto r =
        db->exec(fmt::format("SELECT {} FROM games WHERE coalesce(spec::jsonb #>> '{{pool,policy}}', 'off') <> "
                             "'off' ORDER BY name COLLATE \"C\"",
                             kGameColumns));
    std::vector<Game> out;
    for (int i = 0; i < r.size(); ++i) out.push_back(read_game(r, i));
    return out;
  });
}

Result<std::vector<Game>> PostgresCatalog::all_games() {
  return guarded([&]() -> Result<std::vector<Game>> {
    auto db = pool_.acquire();
    auto r = db->exec(fmt::format("SELECT {} FROM games ORDER BY name COLLATE \"C\"", kGameColumns));
    std::vector<Game> out;
    for (int i = 0; i < r.size(); ++i) out.push_back(read_game(r, i));
    return out;
  });
}

Result<void> PostgresCatalog::update_game(const Game& g) {
  return guarded([&]() -> Result<void> {
    auto db = pool_.acquire();
    auto r = db->exec("UPDATE games SET spec = $1, updated_at = $2 WHERE id = $3 AND name = $4",
                      {boost::json::serialize(game_to_json(g)), ms(g.updated_at), g.id, g.name});
    if (r.affected() == 0) return not_found("game", "game");
    return {};
  });
}

Result<void> PostgresCatalog::delete_game(std::string_view game_id) {
  return guarded([&]() -> Result<void> {
    auto db = pool_.acquire();
    auto r = db->exec("DELETE FROM games WHERE id = $1", {game_id});
    if (r.affected() == 0) return not_found("game", "game");
    return {};
  });
}

Result<void> PostgresCatalog::save_session(const Session& s) {
  return guarded([&]() -> Result<void> {
    auto db = pool_.acquire();
    std::int64_t server_ms = s.started_at != TimePoint{} && s.ended_at != TimePoint{}
                                 ? std::max<std::int64_t>(0, ms(s.ended_at) - ms(s.started_at))
                                 : 0;
    auto r = db->exec(
        "INSERT INTO sessions (id, game, owner_id, state, record, created_at, updated_at, game_id, server_ms, cpu, "
        "memory_mb, untold, fence) SELECT $1::text, $2::text, $3::text, $4::text, $5::text, $6::bigint, $7::bigint, "
        "$8::text, $9::bigint, $10::double precision, $11::integer, $12::boolean, $13::bigint "
        // FOR SHARE: a raise of the floor waits for this write to commit, and a
        // write after it reads the new floor (found by an audit: a write of a
        // killed owner in flight could land after a takeover had read).
        "WHERE $13::bigint >= (SELECT floor FROM session_fence WHERE id = 1 FOR SHARE) ON CONFLICT (id) DO UPDATE "
        "SET state = "
        "excluded.state, record = excluded.record, updated_at = excluded.updated_at, server_ms = "
        "excluded.server_ms, untold = excluded.untold, fence = excluded.fence WHERE sessions.fence <= excluded.fence",
        {s.id, s.game, s.owner_id, std::string(to_string(s.state)), boost::json::serialize(session_record_to_json(s)),
         ms(s.matched_at), now_ms(), s.game_id, server_ms, Param::real(s.cpu), std::int64_t{s.memory_mb},
         is_untold(s) ? "true" : "false", s.fence});
    if (r.affected() == 0) return fenced_out(s);
    return {};
  });
}

Result<void> PostgresCatalog::raise_session_fence(std::int64_t fence) {
  return guarded([&]() -> Result<void> {
    auto db = pool_.acquire();
    db->exec("UPDATE session_fence SET floor = greatest(floor, $1) WHERE id = 1", {fence});
    return {};
  });
}

Result<Session> PostgresCatalog::session_by_id(std::string_view id) {
  return guarded([&]() -> Result<Session> {
    auto db = pool_.acquire();
    auto r = db->exec("SELECT record, game_id FROM sessions WHERE id = $1", {id});
    if (r.empty()) return not_found("session", "session");
    return read_session(r, 0);
  });
}

Result<std::vector<Session>> PostgresCatalog::sessions_of_game(std::string_view game_id, std::size_t limit) {
  return guarded([&]() -> Result<std::vector<Session>> {
    auto db = pool_.acquire();
    auto r = db->exec(
        "SELECT record, game_id FROM sessions WHERE game_id = $1 ORDER BY created_at DESC, id COLLATE \"C\" LIMIT $2",
        {game_id, static_cast<std::int64_t>(limit)});
    std::vector<Session> out;
    for (int i = 0; i < r.size(); ++i) out.push_back(read_session(r, i));
    return out;
  });
}

Result<SessionPage> PostgresCatalog::list_sessions(const SessionQuery& query) {
  return guarded([&]() -> Result<SessionPage> {
    auto db = pool_.acquire();
    auto filter = session_page_sql(query, SqlDialect::postgres);
    std::vector<Param> params;
    for (const auto& p : filter.params) std::visit([&](const auto& v) { params.emplace_back(v); }, p);
    auto r = db->exec(filter.sql, params);
    SessionPage page;
    for (int i = 0; i < r.size(); ++i) {
      if (page.items.size() == query.limit) {
        page.next = SessionCursor{from_ms(r.integer(i - 1, 2)), r.text(i - 1, 3)};
        break;
      }
      page.items.push_back(read_session(r, i));
    }
    return page;
  });
}

Result<std::vector<GameUsage>> PostgresCatalog::usage_of(std::string_view developer_id) {
  return guarded([&]() -> Result<std::vector<GameUsage>> {
    auto db = pool_.acquire();
    auto r = db->exec(
        "SELECT game_id, (SELECT game FROM sessions l WHERE l.owner_id = s.owner_id AND l.game_id = s.game_id "
        "ORDER BY created_at DESC LIMIT 1), COUNT(*), SUM(server_ms)::double precision, SUM(server_ms * cpu), "
        "SUM(server_ms * memory_mb)::double precision FROM sessions s WHERE owner_id = $1 AND state IN ('ended', "
        "'failed') GROUP BY owner_id, game_id ORDER BY game_id COLLATE \"C\"",
        {developer_id});
    std::vector<GameUsage> out;
    for (int i = 0; i < r.size(); ++i)
      out.push_back(GameUsage{r.text(i, 0), r.text(i, 1), r.integer(i, 2),
                              SessionUsage{r.real(i, 3) / 1000, r.real(i, 4) / 1000, r.real(i, 5) / 1000}});
    return out;
  });
}

Result<std::vector<Session>> PostgresCatalog::unfinished_sessions() {
  return guarded([&]() -> Result<std::vector<Session>> {
    auto db = pool_.acquire();
    auto r =
        db->exec("SELECT record, game_id FROM sessions WHERE state NOT IN ('ended', 'failed') ORDER BY created_at");
    std::vector<Session> out;
    for (int i = 0; i < r.size(); ++i) out.push_back(read_session(r, i));
    return out;
  });
}

Result<std::vector<Session>> PostgresCatalog::untold_sessions() {
  return guarded([&]() -> Result<std::vector<Session>> {
    auto db = pool_.acquire();
    auto r = db->exec("SELECT record, game_id FROM sessions WHERE untold ORDER BY created_at");
    std::vector<Session> out;
    for (int i = 0; i < r.size(); ++i) out.push_back(read_session(r, i));
    return out;
  });
}

namespace {

// The stored ratings of `ids` (absent players left out), in the order of `ids`.
std::vector<PlayerRating> read_ratings(postgres::Connection& db, std::string_view game_id, std::string_view queue,
                                       std::span<const std::string> ids) {
  std::vector<PlayerRating> out;
  for (const auto& id : ids) {
    auto r = db.exec("SELECT mu, sigma, matches FROM ratings WHERE game_id = $1 AND queue = $2 AND account_id = $3",
                     {game_id, queue, id});
    if (!r.empty())
      out.push_back(PlayerRating{id, Rating{r.real(0, 0), r.real(0, 1)}, static_cast<int>(r.integer(0, 2))});
  }
  return out;
}

}  // namespace

Result<std::vector<PlayerRating>> PostgresCatalog::ratings(std::string_view game_id, std::string_view queue,
                                                           std::span<const std::string> account_ids) {
  return guarded([&]() -> Result<std::vector<PlayerRating>> {
    auto db = pool_.acquire();
    return read_ratings(*db, game_id, queue, account_ids);
  });
}

Result<std::vector<RankedRating>> PostgresCatalog::leaderboard(std::string_view game_id, std::string_view queue,
                                                               std::size_t limit) {
  return guarded([&]() -> Result<std::vector<RankedRating>> {
    auto db = pool_.acquire();
    auto r = db->exec(
        "SELECT r.account_id, r.mu, r.sigma, r.matches, a.username FROM ratings r JOIN accounts a ON a.id = "
        "r.account_id WHERE r.game_id = $1 AND r.queue = $2 ORDER BY r.mu - 3 * r.sigma DESC, r.account_id COLLATE "
        "\"C\" LIMIT $3",
        {game_id, queue, static_cast<std::int64_t>(limit)});
    std::vector<RankedRating> out;
    for (int i = 0; i < r.size(); ++i)
      out.push_back(RankedRating{
          PlayerRating{r.text(i, 0), Rating{r.real(i, 1), r.real(i, 2)}, static_cast<int>(r.integer(i, 3))},
          r.text(i, 4)});
    return out;
  });
}

Result<void> PostgresCatalog::update_ratings(std::string_view game_id, std::string_view queue,
                                             std::span<const std::string> account_ids, std::string_view session_id,
                                             const RatingUpdate& update) {
  return guarded([&]() -> Result<void> {
    auto db = pool_.acquire();
    postgres::in_transaction(*db, [&] {
      // Rows that do not exist yet cannot be locked with FOR UPDATE: lock
      // each (game, queue, player) with an advisory lock instead, in one
      // order, so that two sessions ending at once for the same player
      // serialise (the second reads what the first wrote) without deadlock.
      std::vector<std::string> sorted(account_ids.begin(), account_ids.end());
      std::sort(sorted.begin(), sorted.end());
      sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
      for (const auto& id : sorted)
        db->exec("SELECT pg_advisory_xact_lock(hashtextextended($1 || chr(31) || $2 || chr(31) || $3, 0))",
                 {game_id, queue, id});
      auto current = with_initial_ratings(account_ids, read_ratings(*db, game_id, queue, account_ids));
      auto before = current;
      auto now = now_ms();
      std::int64_t position = 0;
      for (const auto& r : update(std::move(current))) {
        db->exec(
            "INSERT INTO ratings (game_id, queue, account_id, mu, sigma, matches, updated_at) VALUES ($1, $2, $3, $4, "
            "$5, $6, $7) ON CONFLICT (game_id, queue, account_id) DO UPDATE SET mu = excluded.mu, sigma = "
            "excluded.sigma, matches = excluded.matches, updated_at = excluded.updated_at",
            {game_id, queue, r.account_id, Param::real(r.rating.mu), Param::real(r.rating.sigma),
             static_cast<std::int64_t>(r.matches), now});
        if (session_id.empty()) continue;
        const auto& was = before[static_cast<std::size_t>(position)];
        assert(was.account_id == r.account_id);
        db->exec(
            "INSERT INTO rating_changes (session_id, account_id, position, mu_before, sigma_before, mu_after, "
            "sigma_after) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (session_id, account_id) DO UPDATE SET "
            "position = excluded.position, mu_before = excluded.mu_before, sigma_before = excluded.sigma_before, "
            "mu_after = excluded.mu_after, sigma_after = excluded.sigma_after",
            {session_id, r.account_id, position++, Param::real(was.rating.mu), Param::real(was.rating.sigma),
             Param::real(r.rating.mu), Param::real(r.rating.sigma)});
      }
    });
    return {};
  });
}

Result<std::vector<RatingChange>> PostgresCatalog::rating_changes(std::string_view session_id) {
  return guarded([&]() -> Result<std::vector<RatingChange>> {
    auto db = pool_.acquire();
    auto r = db->exec(
        "SELECT account_id, mu_before, sigma_before, mu_after, sigma_after FROM rating_changes WHERE session_id = $1 "
        "ORDER BY position",
        {session_id});
    std::vector<RatingChange> out;
    for (int row = 0; row < r.size(); ++row)
      out.push_back(
          RatingChange{r.text(row, 0), Rating{r.real(row, 1), r.real(row, 2)}, Rating{r.real(row, 3), r.real(row, 4)}});
    return out;
  });
}

}  // namespace webgames
