#include "sqlite/sqlite_catalog.h"

#include "domain/game_json.h"
#include "store/session_filter_sql.h"

#include <spdlog/spdlog.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cassert>

namespace webgames {
namespace {

std::int64_t ms(TimePoint t) { return t.time_since_epoch().count(); }
TimePoint from_ms(std::int64_t v) { return TimePoint{std::chrono::milliseconds{v}}; }

// SQLite reports I/O and corruption as exceptions from database.cpp; the
// Catalog contract turns them into `unavailable` values.
template <class F>
auto guarded(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::exception& e) {
    spdlog::error("catalog: {}", e.what());
    return make_error(Errc::unavailable, "the catalog database failed; see the server log");
  }
}

Error not_found(std::string_view what, std::string field = {}) {
  return make_error(Errc::not_found, std::string(what) + " not found", std::move(field));
}

constexpr std::string_view kAccountColumns = "id, username, role, guest, password_hash, created_at";

Account read_account(sqlite::Statement& st) {
  return Account{st.text(0),         st.text(1), parse_role(st.text(2)).value_or(Role::player),
                 st.integer(3) != 0, st.text(4), from_ms(st.integer(5))};
}

constexpr std::string_view kKeyColumns = "id, owner_id, name, key_hash, prefix, created_at";

ApiKey read_key(sqlite::Statement& st) {
  return ApiKey{st.text(0), st.text(1), st.text(2), st.text(3), st.text(4), from_ms(st.integer(5))};
}

constexpr std::string_view kGameColumns = "name, owner_id, spec, created_at, updated_at, id";

Game read_game(sqlite::Statement& st) {
  auto game = game_from_json(boost::json::parse(st.text(2))).value();
  game.name = st.text(0);
  game.owner_id = st.text(1);
  game.created_at = from_ms(st.integer(3));
  game.updated_at = from_ms(st.integer(4));
  game.id = st.text(5);
  return game;
}

}  // namespace

SqliteCatalog::SqliteCatalog(const std::filesystem::path& file) : pool_(file) {
  auto db = pool_.acquire();
  sqlite::migrate(*db);
}

Result<void> SqliteCatalog::ping() {
  return guarded([&]() -> Result<void> {
    auto db = pool_.acquire();
    auto st = db->prepare("SELECT 1");
    st.step();
    return {};
  });
}

Result<void> SqliteCatalog::create_account(const Account& a) {
  return guarded([&]() -> Result<void> {
    auto db = pool_.acquire();
    auto st = db->prepare(fmt::format("INSERT INTO accounts ({}) VALUES (?, ?, ?, ?, ?, ?)", kAccountColumns));
    st.bind(1, a.id).bind(2, a.username).bind(3, to_string(a.role)).bind(4, std::int64_t{a.guest});
    st.bind(5, a.password_hash).bind(6, ms(a.created_at));
    if (auto r = st.step_done(); !r) return make_error(Errc::conflict, "username is taken", "username");
    return {};
  });
}

Result<Account> SqliteCatalog::account_by_id(std::string_view id) {
  return guarded([&]() -> Result<Account> {
    auto db = pool_.acquire();
    auto st = db->prepare(fmt::format("SELECT {} FROM accounts WHERE id = ?", kAccountColumns));
    st.bind(1, id);
    if (!st.step()) return not_found("account");
    return read_account(st);
  });
}

Result<Account> SqliteCatalog::account_by_username(std::string_view username) {
  return guarded([&]() -> Result<Account> {
    auto db = pool_.acquire();
    auto st = db->prepare(fmt::format("SELECT {} FROM accounts WHERE username = ?", kAccountColumns));
    st.bind(1, username);
    if (!st.step()) return not_found("account", "username");
    return read_account(st);
  });
}

Result<void> SqliteCatalog::set_role(std::string_view account_id, Role role) {
  return guarded([&]() -> Result<void> {
    auto db = pool_.acquire();
    auto st = db->prepare("UPDATE accounts SET role = ? WHERE id = ?");
    st.bind(1, to_string(role)).bind(2, account_id);
    if (auto r = st.step_done(); !r) return r;
    if (db->changes() == 0) return not_found("account", "username");
    return {};
  });
}

Result<void> SqliteCatalog::create_login(const LoginSession& l) {
  return guarded([&]() -> Result<void> {
    auto db = pool_.acquire();
    auto st =
        db->prepare("INSERT INTO logins (id, account_id, refresh_hash, expires_at, revoked) VALUES (?, ?, ?, ?, ?)");
    st.bind(1, l.id).bind(2, l.account_id).bind_blob(3, l.refresh_hash).bind(4, ms(l.expires_at));
    st.bind(5, std::int64_t{l.revoked});
    return st.step_done();
  });
}

Result<LoginSession> SqliteCatalog::login_by_refresh_hash(std::string_view refresh_hash) {
  return guarded([&]() -> Result<LoginSession> {
    auto db = pool_.acquire();
    auto st =
        db->prepare("SELECT id, account_id, refresh_hash, expires_at, revoked FROM logins WHERE refresh_hash = ?");
    st.bind_blob(1, refresh_hash);
    if (!st.step()) return not_found("login");
    return LoginSession{st.text(0), st.text(1), st.text(2), from_ms(st.integer(3)), st.integer(4) != 0};
  });
}

Result<void> SqliteCatalog::rotate_refresh(std::string_view login_id, std::string_view old_hash,
                                           std::string_view new_hash, TimePoint new_expiry, TimePoint now) {
  return guarded([&]() -> Result<void> {
    auto db = pool_.acquire();
    bool rotated = false;
    sqlite::in_transaction(*db, [&] {
      auto st = db->prepare(
          "UPDATE logins SET refresh_hash = ?, expires_at = ? WHERE id = ? AND refresh_hash = ? AND revoked = 0");
      st.bind_blob(1, new_hash).bind(2, ms(new_expiry)).bind(3, login_id).bind_blob(4, old_hash);
      if (auto r = st.step_done(); !r) throw std::runtime_error(r.error().message);
      rotated = db->changes() != 0;
      if (!rotated) return;
      auto spent = db->prepare("INSERT INTO spent_refresh_tokens (hash, login_id, spent_at) VALUES (?, ?, ?)");
      spent.bind_blob(1, old_hash).bind(2, login_id).bind(3, ms(now));
      if (auto r = spent.step_done(); !r) throw std::runtime_error(r.error().message);
      auto forget = db->prepare("DELETE FROM spent_refresh_tokens WHERE login_id = ? AND spent_at < ?");
      forget.bind(1, login_id).bind(2, ms(now - (new_expiry - now)));
      if (auto r = forget.step_done(); !r) throw std::runtime_error(r.error().message);
    });
    if (!rotated) return not_found("login");
    return {};
  });
}

Result<SpentRefresh> SqliteCatalog::spent_refresh(std::string_view refresh_hash) {
  return guarded([&]() -> Result<SpentRefresh> {
    auto db = pool_.acquire();
    auto st = db->prepare("SELECT login_id, spent_at FROM spent_refresh_tokens WHERE hash = ?");
    st.bind_blob(1, refresh_hash);
    if (!st.step()) return not_found("refresh_token");
    return SpentRefresh{st.text(0), from_ms(st.integer(1))};
  });
}

Result<void> SqliteCatalog::revoke_login(std::string_view login_id) {
  return guarded([&]() -> Result<void> {
    auto db = pool_.acquire();
    auto st = db->prepare("UPDATE logins SET revoked = 1 WHERE id = ?");
    st.bind(1, login_id);
    return st.step_done();
  });
}

Result<bool> SqliteCatalog::login_revoked(std::string_view login_id) {
  return guarded([&]() -> Result<bool> {
    auto db = pool_.acquire();
    auto st = db->prepare("SELECT revoked FROM logins WHERE id = ?");
    st.bind(1, login_id);
    if (!st.step()) return not_found("login");
    return st.integer(0) != 0;
  });
}

Result<void> SqliteCatalog::create_api_key(const ApiKey& k) {
  return guarded([&]() -> Result<void> {
    auto db = pool_.acquire();
    auto st = db->prepare(fmt::format("INSERT INTO api_keys ({}) VALUES (?, ?, ?, ?, ?, ?)", kKeyColumns));
    st.bind(1, k.id).bind(2, k.owner_id).bind(3, k.name).bind_blob(4, k.key_hash).bind(5, k.prefix);
    st.bind(6, ms(k.created_at));
    return st.step_done();
  });
}

Result<ApiKey> SqliteCatalog::api_key_by_hash(std::string_view key_hash) {
  return guarded([&]() -> Result<ApiKey> {
    auto db = pool_.acquire();
    auto st = db->prepare(fmt::format("SELECT {} FROM api_keys WHERE key_hash = ?", kKeyColumns));
    st.bind_blob(1, key_hash);
    if (!st.step()) return not_found("API key");
    return read_key(st);
  });
}

Result<std::vector<ApiKey>> SqliteCatalog::api_keys_of(std::string_view owner_id) {
  return guarded([&]() -> Result<std::vector<ApiKey>> {
    auto db = pool_.acquire();
    auto st =
        db->prepare(fmt::format("SELECT {} FROM api_keys WHERE owner_id = ? ORDER BY created_at, id", kKeyColumns));
    st.bind(1, owner_id);
    std::vector<ApiKey> out;
    while (st.step()) out.push_back(read_key(st));
    return out;
  });
}

Result<ApiKey> SqliteCatalog::api_key_by_id(std::string_view key_id) {
  return guarded([&]() -> Result<ApiKey> {
    auto db = pool_.acquire();
    auto st = db->prepare(fmt::format("SELECT {} FROM api_keys WHERE id = ?", kKeyColumns));
    st.bind(1, key_id);
    if (!st.step()) return not_found("API key", "key");
    return read_key(st);
  });
}

Result<void> SqliteCatalog::delete_api_key(std::string_view owner_id, std::string_view key_id) {
  return guarded([&]() -> Result<void> {
    auto db = pool_.acquire();
    auto st = db->prepare("DELETE FROM api_keys WHERE id = ? AND owner_id = ?");
    st.bind(1, key_id).bind(2, owner_id);
    if (auto r = st.step_done(); !r) return r;
    if (db->changes() == 0) return not_found("API key", "key");
    return {};
  });
}

Result<void> SqliteCatalog::create_game(const Game& g) {
  return guarded([&]() -> Result<void> {
    auto db = pool_.acquire();
    auto st = db->prepare(fmt::format("INSERT INTO games ({}) VALUES (?, ?, ?, ?, ?, ?)", kGameColumns));
    st.bind(1, g.name).bind(2, g.owner_id).bind(3, boost::json::serialize(game_to_json(g)));
    st.bind(4, ms(g.created_at)).bind(5, ms(g.updated_at)).bind(6, g.id);
    if (auto r = st.step_done(); !r) return make_error(Errc::conflict, "a game with this name exists", "name");
    return {};
  });
}

Result<Game> SqliteCatalog::game_by_name(std::string_view name) {
  return guarded([&]() -> Result<Game> {
    auto db = pool_.acquire();
    auto st = db->prepare(fmt::format("SELECT {} FROM games WHERE name = ?", kGameColumns));
    st.bind(1, name);
    if (!st.step()) return not_found("game", "game");
    return read_game(st);
  });
}

Result<std::vector<Game>> SqliteCatalog::games_of(std::string_view owner_id) {
  return guarded([&]() -> Result<std::vector<Game>> {
    auto db = pool_.acquire();
    auto st = db->prepare(fmt::format("SELECT {} FROM games WHERE owner_id = ? ORDER BY name", kGameColumns));
    st.bind(1, owner_id);
    std::vector<Game> out;
    while (st.step()) out.push_back(read_game(st));
    return out;
  });
}

Result<std::vector<Game>> SqliteCatalog::pooled_games() {
  return guarded([&]() -> Result<std::vector<Game>> {
    auto db = pool_.acquire();
    auto st = db->prepare(fmt::format(
        "SELECT {} FROM games WHERE coalesce(json_extract(spec, '$.pool.policy'), 'off') <> 'off' ORDER BY name",
        kGameColumns));
    std::vector<Game> out;
    while (st.step()) out.push_back(read_game(st));
    return out;
  });
}

Result<std::vector<Game>> SqliteCatalog::all_games() {
  return guarded([&]() -> Result<std::vector<Game>> {
    auto db = pool_.acquire();
    auto st = db->prepare(fmt::format("SELECT {} FROM games ORDER BY name", kGameColumns));
    std::vector<Game> out;
    while (st.step()) out.push_back(read_game(st));
    return out;
  });
}

Result<void> SqliteCatalog::update_game(const Game& g) {
  return guarded([&]() -> Result<void> {
    auto db = pool_.acquire();
    auto st = db->prepare("UPDATE games SET spec = ?, updated_at = ? WHERE id = ? AND name = ?");
    st.bind(1, boost::json::serialize(game_to_json(g))).bind(2, ms(g.updated_at)).bind(3, g.id).bind(4, g.name);
    if (auto r = st.step_done(); !r) return r;
    if (db->changes() == 0) return not_found("game", "game");
    return {};
  });
}

Result<void> SqliteCatalog::delete_game(std::string_view game_id) {
  return guarded([&]() -> Result<void> {
    auto db = pool_.acquire();
    auto st = db->prepare("DELETE FROM games WHERE id = ?");
    st.bind(1, game_id);
    if (auto r = st.step_done(); !r) return r;
    if (db->changes() == 0) return not_found("game", "game");
    return {};
  });
}

}  // namespace webgames

namespace webgames {
namespace {

// Reads the columns `record, game_id`: records written before games had ids
// (migration 004) take their game's id from the column.
Session read_session(sqlite::Statement& st) {
  auto s = session_from_record(boost::json::parse(st.text(0)));
  if (!s) throw std::runtime_error("sessions: unreadable record");
  if (s->game_id.empty()) s->game_id = st.text(1);
  return std::move(*s);
}

}  // namespace

Result<void> SqliteCatalog::save_session(const Session& s) {
  return guarded([&]() -> Result<void> {
    auto db = pool_.acquire();
    auto st = db->prepare(
        "INSERT INTO sessions (id, game, owner_id, state, record, created_at, updated_at, game_id, server_ms, cpu, "
        "memory_mb, untold, fence) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?13 "
        "WHERE ?13 >= (SELECT floor FROM session_fence WHERE id = 1) ON CONFLICT (id) DO UPDATE SET state = "
        "excluded.state, record = excluded.record, updated_at = "
        "excluded.updated_at, server_ms = excluded.server_ms, untold = excluded.untold, fence = excluded.fence "
        "WHERE sessions.fence <= excluded.fence");
    auto now =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch());
    st.bind(1, s.id).bind(2, s.game).bind(3, s.owner_id).bind(4, to_string(s.state));
    st.bind(5, boost::json::serialize(session_record_to_json(s))).bind(6, ms(s.matched_at));
    st.bind(7, static_cast<std::int64_t>(now.count())).bind(8, s.game_id);
    auto server = s.started_at != TimePoint{} && s.ended_at != TimePoint{} ? ms(s.ended_at) - ms(s.started_at) : 0;
    st.bind(9, std::max<std::int64_t>(0, server)).bind_real(10, s.cpu).bind(11, std::int64_t{s.memory_mb});
    st.bind(12, std::int64_t{is_untold(s) ? 1 : 0}).bind(13, s.fence);
    if (auto done = st.step_done(); !done) return done;
    if (db->changes() == 0) return fenced_out(s);
    return {};
  });
}

Result<void> SqliteCatalog::raise_session_fence(std::int64_t fence) {
  return guarded([&]() -> Result<void> {
    auto db = pool_.acquire();
    auto st = db->prepare("UPDATE session_fence SET floor = max(floor, ?) WHERE id = 1");
    st.bind(1, fence);
    return st.step_done();
  });
}

Result<Session> SqliteCatalog::session_by_id(std::string_view id) {
  return guarded([&]() -> Result<Session> {
    auto db = pool_.acquire();
    auto st = db->prepare("SELECT record, game_id FROM sessions WHERE id = ?");
    st.bind(1, id);
    if (!st.step()) return not_found("session", "session");
    return read_session(st);
  });
}

Result<std::vector<Session>> SqliteCatalog::sessions_of_game(std::string_view game_id, std::size_t limit) {
  return guarded([&]() -> Result<std::vector<Session>> {
    auto db = pool_.acquire();
    auto st =
        db->prepare("SELECT record, game_id FROM sessions WHERE game_id = ? ORDER BY created_at DESC, id LIMIT ?");
    st.bind(1, game_id).bind(2, static_cast<std::int64_t>(limit));
    std::vector<Session> out;
    while (st.step()) out.push_back(read_session(st));
    return out;
  });
}

Result<SessionPage> SqliteCatalog::list_sessions(const SessionQuery& query) {
  return guarded([&]() -> Result<SessionPage> {
    auto db = pool_.acquire();
    auto filter = session_page_sql(query, SqlDialect::sqlite);
    auto st = db->prepare(filter.sql);
    int index = 0;
    for (const auto& p : filter.params) std::visit([&](const auto& v) { st.bind(++index, v); }, p);
    SessionPage page;
    SessionCursor last;
    while (st.step()) {
      if (page.items.size() == query.limit) {
        page.next = std::move(last);
        break;
      }
      page.items.push_back(read_session(st));
      last = SessionCursor{from_ms(st.integer(2)), st.text(3)};
    }
    return page;
  });
}

Result<std::vector<Session>> SqliteCatalog::unfinished_sessions() {
  return guarded([&]() -> Result<std::vector<Session>> {
    auto db = pool_.acquire();
    auto st =
        db->prepare("SELECT record, game_id FROM sessions WHERE state NOT IN ('ended', 'failed') ORDER BY created_at");
    std::vector<Session> out;
    while (st.step()) out.push_back(read_session(st));
    return out;
  });
}

Result<std::vector<Session>> SqliteCatalog::untold_sessions() {
  return guarded([&]() -> Result<std::vector<Session>> {
    auto db = pool_.acquire();
    auto st = db->prepare("SELECT record, game_id FROM sessions WHERE untold = 1 ORDER BY created_at");
    std::vector<Session> out;
    while (st.step()) out.push_back(read_session(st));
    return out;
  });
}

Result<std::vector<GameUsage>> SqliteCatalog::usage_of(std::string_view developer_id) {
  return guarded([&]() -> Result<std::vector<GameUsage>> {
    auto db = pool_.acquire();
    auto st = db->prepare(
        "SELECT game_id, (SELECT game FROM sessions l WHERE l.owner_id = s.owner_id AND l.game_id = s.game_id "
        "ORDER BY created_at DESC LIMIT 1), COUNT(*), SUM(server_ms), SUM(server_ms * cpu), SUM(server_ms * memory_mb) "
        "FROM sessions s WHERE owner_id = ? AND state IN ('ended', 'failed') GROUP BY game_id ORDER BY game_id");
    st.bind(1, developer_id);
    std::vector<GameUsage> out;
    while (st.step())
      out.push_back(GameUsage{st.text(0), st.text(1), st.integer(2),
                              SessionUsage{st.real(3) / 1000, st.real(4) / 1000, st.real(5) / 1000}});
    return out;
  });
}

namespace {

// The stored ratings of `ids` (absent players left out), on connection `db`.
std::vector<PlayerRating> read_ratings(sqlite::Connection& db, std::string_view game_id, std::string_view queue,
                                       std::span<const std::string> ids) {
  auto st = db.prepare("SELECT mu, sigma, matches FROM ratings WHERE game_id = ? AND queue = ? AND account_id = ?");
  std::vector<PlayerRating> out;
  for (const auto& id : ids) {
    st.bind(1, game_id).bind(2, queue).bind(3, id);
    if (st.step()) out.push_back(PlayerRating{id, Rating{st.real(0), st.real(1)}, static_cast<int>(st.integer(2))});
    st.reset();
  }
  return out;
}

}  // namespace

Result<std::vector<PlayerRating>> SqliteCatalog::ratings(std::string_view game_id, std::string_view queue,
                                                         std::span<const std::string> account_ids) {
  return guarded([&]() -> Result<std::vector<PlayerRating>> {
    auto db = pool_.acquire();
    return read_ratings(*db, game_id, queue, account_ids);
  });
}

Result<std::vector<RankedRating>> SqliteCatalog::leaderboard(std::string_view game_id, std::string_view queue,
                                                             std::size_t limit) {
  return guarded([&]() -> Result<std::vector<RankedRating>> {
    auto db = pool_.acquire();
    auto st = db->prepare(
        "SELECT r.account_id, r.mu, r.sigma, r.matches, a.username FROM ratings r JOIN accounts a ON a.id = "
        "r.account_id WHERE r.game_id = ? AND r.queue = ? ORDER BY r.mu - 3 * r.sigma DESC, r.account_id LIMIT ?");
    st.bind(1, game_id).bind(2, queue).bind(3, static_cast<std::int64_t>(limit));
    std::vector<RankedRating> out;
    while (st.step())
      out.push_back(RankedRating{
          PlayerRating{st.text(0), Rating{st.real(1), st.real(2)}, static_cast<int>(st.integer(3))}, st.text(4)});
    return out;
  });
}

Result<void> SqliteCatalog::update_ratings(std::string_view game_id, std::string_view queue,
                                           std::span<const std::string> account_ids, std::string_view session_id,
                                           const RatingUpdate& update) {
  return guarded([&]() -> Result<void> {
    auto db = pool_.acquire();
    sqlite::in_transaction(*db, [&] {
      auto current = with_initial_ratings(account_ids, read_ratings(*db, game_id, queue, account_ids));
      auto before = current;
      auto change = db->prepare(
          "INSERT OR REPLACE INTO rating_changes (session_id, account_id, position, mu_before, sigma_before, mu_after, "
          "sigma_after) VALUES (?, ?, ?, ?, ?, ?, ?)");
      std::int64_t position = 0;
      auto st = db->prepare(
          "INSERT INTO ratings (game_id, queue, account_id, mu, sigma, matches, updated_at) VALUES (?, ?, ?, ?, ?, ?, "
          "?) "
          "ON CONFLICT (game_id, queue, account_id) DO UPDATE SET mu = excluded.mu, sigma = excluded.sigma, "
          "matches = excluded.matches, updated_at = excluded.updated_at");
      auto now =
          std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch());
      for (const auto& r : update(std::move(current))) {
        st.bind(1, game_id).bind(2, queue).bind(3, r.account_id).bind_real(4, r.rating.mu).bind_real(5, r.rating.sigma);
        st.bind(6, static_cast<std::int64_t>(r.matches)).bind(7, static_cast<std::int64_t>(now.count()));
        if (auto done = st.step_done(); !done) throw std::runtime_error("cannot store a rating");
        st.reset();
        if (session_id.empty()) continue;
        auto was = static_cast<std::size_t>(position);
        assert(was < before.size() && before[was].account_id == r.account_id);
        change.bind(1, session_id).bind(2, r.account_id).bind(3, position++);
        change.bind_real(4, before[was].rating.mu).bind_real(5, before[was].rating.sigma);
        change.bind_real(6, r.rating.mu).bind_real(7, r.rating.sigma);
        if (auto done = change.step_done(); !done) throw std::runtime_error("cannot store a rating change");
        change.reset();
      }
    });
    return {};
  });
}

Result<std::vector<RatingChange>> SqliteCatalog::rating_changes(std::string_view session_id) {
  return guarded([&]() -> Result<std::vector<RatingChange>> {
    auto db = pool_.acquire();
    auto st = db->prepare(
        "SELECT account_id, mu_before, sigma_before, mu_after, sigma_after FROM rating_changes WHERE session_id = ? "
        "ORDER BY position");
    st.bind(1, session_id);
    std::vector<RatingChange> out;
    while (st.step())
      out.push_back(RatingChange{st.text(0), Rating{st.real(1), st.real(2)}, Rating{st.real(3), st.real(4)}});
    return out;
  });
}

}  // namespace webgames
