#pragma once
// The Catalog on PostgreSQL, for replicas that share one database. Same
// semantics as SqliteCatalog (store/catalog.h): the shared suite in
// tests/store runs against both.
//
// Opening migrates the schema (postgres/migrations.h). Thread-safe: each call
// borrows one of at most `connections` connections. A server that goes away
// makes calls return Errc::unavailable; the pool reconnects by itself once
// it answers again.

#include "postgres/connection.h"
#include "store/catalog.h"

#include <string>

namespace webgames {

class PostgresCatalog final : public Catalog {
 public:
  // `url` is a libpq connection string or URI (postgres://user@host:port/db).
  // REQUIRES: connections >= 1 (the number of threads that call at once).
  // Throws when the server cannot be reached or the schema cannot be migrated.
  // `queries`, when given, times every statement (it must outlive the catalog).
  PostgresCatalog(std::string url, std::size_t connections, metrics::Histogram* queries = nullptr);

  Result<void> ping() override;

  Result<void> create_account(const Account& account) override;
  Result<Account> account_by_id(std::string_view id) override;
  Result<Account> account_by_username(std::string_view username) override;
  Result<void> set_role(std::string_view account_id, Role role) override;

  Result<void> create_login(const LoginSession& login) override;
  Result<LoginSession> login_by_refresh_hash(std::string_view refresh_hash) override;
  Result<void> rotate_refresh(std::string_view login_id, std::string_view old_hash, std::string_view new_hash,
                              TimePoint new_expiry, TimePoint now) override;
  Result<SpentRefresh> spent_refresh(std::string_view refresh_hash) override;
  Result<void> revoke_login(std::string_view login_id) override;
  Result<bool> login_revoked(std::string_view login_id) override;

  Result<void> create_api_key(const ApiKey& key) override;
  Result<ApiKey> api_key_by_hash(std::string_view key_hash) override;
  Result<std::vector<ApiKey>> api_keys_of(std::string_view owner_id) override;
  Result<ApiKey> api_key_by_id(std::string_view key_id) override;
  Result<void> delete_api_key(std::string_view owner_id, std::string_view key_id) override;

  Result<void> create_game(const Game& game) override;
  Result<Game> game_by_name(std::string_view name) override;
  Result<std::vector<Game>> games_of(std::string_view owner_id) override;
  Result<std::vector<Game>> pooled_games() override;
  Result<std::vector<Game>> all_games() override;
  Result<void> update_game(const Game& game) override;
  Result<void> delete_game(std::string_view game_id) override;

  Result<void> save_session(const Session& session) override;
  Result<void> raise_session_fence(std::int64_t fence) override;
  Result<Session> session_by_id(std::string_view id) override;
  Result<std::vector<Session>> sessions_of_game(std::string_view game_id, std::size_t limit) override;
  Result<SessionPage> list_sessions(const SessionQuery& query) override;
  Result<std::vector<Session>> unfinished_sessions() override;
  Result<std::vector<Session>> untold_sessions() override;
  Result<std::vector<GameUsage>> usage_of(std::string_view developer_id) override;

  Result<std::vector<PlayerRating>> ratings(std::string_view game_id, std::string_view queue,
                                            std::span<const std::string> account_ids) override;
  Result<std::vector<RankedRating>> leaderboard(std::string_view game_id, std::string_view queue,
                                                std::size_t limit) override;
  Result<void> update_ratings(std::string_view game_id, std::string_view queue,
                              std::span<const std::string> account_ids, std::string_view session_id,
                              const RatingUpdate& update) override;
  Result<std::vector<RatingChange>> rating_changes(std::string_view session_id) override;

 private:
  postgres::ConnectionPool pool_;
};

}  // namespace webgames
