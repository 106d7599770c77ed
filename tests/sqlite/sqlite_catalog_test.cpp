// SqliteCatalog: the shared Catalog suite (tests/store/catalog_suite.cpp) on a
// fresh file per test, and what is SQLite's own (its schema version).
#include "sqlite/sqlite_catalog.h"

#include "domain/game_json.h"
#include "sqlite/migrations.h"
#include "store/catalog_suite.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <boost/json/serialize.hpp>

namespace webgames {
namespace {

class SqliteUnderTest final : public testing::CatalogUnderTest {
 public:
  Catalog& catalog() override { return catalog_; }
  std::unique_ptr<Catalog> open_again() override { return std::make_unique<SqliteCatalog>(file_); }

 private:
  testing::TempDir dir_;
  std::filesystem::path file_ = dir_.path() / "catalog.db";
  SqliteCatalog catalog_{file_};
};

std::unique_ptr<testing::CatalogUnderTest> make_sqlite() { return std::make_unique<SqliteUnderTest>(); }

using testing::CatalogSuite;
INSTANTIATE_TEST_SUITE_P(Sqlite, CatalogSuite, ::testing::Values(testing::CatalogBackend{"sqlite", &make_sqlite}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(SqliteCatalogTest, MigratesOnceAndKeepsTheSchemaVersion) {
  testing::TempDir dir;
  auto file = dir.path() / "catalog.db";
  { SqliteCatalog first(file); }
  SqliteCatalog reopened(file);
  ASSERT_FALSE(sqlite::migrations().empty());
  sqlite::Connection db(file);
  auto st = db.prepare("PRAGMA user_version");
  ASSERT_TRUE(st.step());
  EXPECT_EQ(st.integer(0), sqlite::migrations().back().version);
}

TEST(SqliteCatalogTest, RefusesADatabaseFromTheFuture) {
  testing::TempDir dir;
  auto file = dir.path() / "catalog.db";
  {
    sqlite::Connection db(file);
    db.exec("PRAGMA user_version = 9999");
  }
  EXPECT_THROW(SqliteCatalog{file}, std::runtime_error);
}

Game game(std::string name, std::string owner) {
  Game g;
  g.name = std::move(name);
  g.owner_id = std::move(owner);
  g.server.command = "/bin/true";
  g.server.ports = {{"game", Protocol::tcp}};
  g.queues = {{"duel", 2, 1, 2}};
  EXPECT_TRUE(validate_game(g));
  return g;
}

// A catalog written before games had ids (schema 3) opens, and its history
// goes to the game it belonged to: the live game of the same name and owner,
// registered before the session; else to no live game.
TEST(SqliteCatalogTest, MigrationGivesGamesIdsAndKeepsTheirHistory) {
  testing::TempDir dir;
  auto old_file = dir.path() / "schema3.db";
  {
    sqlite::Connection db(old_file);
    for (const auto& m : sqlite::migrations())
      if (m.version <= 3) db.exec(m.sql);
    db.exec("PRAGMA user_version = 3");
    db.exec(
        "INSERT INTO accounts VALUES ('acc_ada','ada','developer',0,'h',0), ('acc_bob','bob','developer',0,'h',0),"
        "('acc_pat','pat','player',0,'h',0)");
    Game g = game("g", "acc_ada");
    g.created_at = g.updated_at = TimePoint{std::chrono::milliseconds(5000)};
    auto st = db.prepare("INSERT INTO games (name, owner_id, spec, created_at, updated_at) VALUES (?, ?, ?, ?, ?)");
    st.bind(1, "g").bind(2, "acc_ada").bind(3, boost::json::serialize(game_to_json(g)));
    st.bind(4, std::int64_t{5000}).bind(5, std::int64_t{5000});
    ASSERT_TRUE(st.step_done());
    auto insert_session = [&](const Session& s) {
      auto record = session_record_to_json(s);
      record.erase("game_id");  // as schema 3 wrote it
      auto ins = db.prepare(
          "INSERT INTO sessions (id, game, owner_id, state, record, created_at, updated_at) VALUES (?,?,?,?,?,?,?)");
      ins.bind(1, s.id).bind(2, s.game).bind(3, s.owner_id).bind(4, "ended");
      ins.bind(5, boost::json::serialize(record)).bind(6, s.matched_at.time_since_epoch().count());
      ins.bind(7, std::int64_t{0});
      ASSERT_TRUE(ins.step_done());
    };
    Game bobs = game("g", "acc_bob");
    insert_session(testing::session_of_game("ses_now", g, 6000));         // the live game's
    insert_session(testing::session_of_game("ses_bob", bobs, 1000));      // bob's deleted g
    insert_session(testing::session_of_game("ses_ada_before", g, 1000));  // an earlier g of ada's, deleted
    db.exec(
        "INSERT INTO ratings VALUES ('g','duel','acc_pat',30,7,3,6000), ('g','duel','acc_bob',30,7,3,1000),"
        "('gone','duel','acc_pat',20,5,1,1000)");
  }
  SqliteCatalog migrated(old_file);
  auto g = migrated.game_by_name("g").value();
  EXPECT_TRUE(g.id.starts_with("gam_")) << g.id;
  EXPECT_EQ(g.owner_id, "acc_ada");
  auto sessions = migrated.sessions_of_game(g.id, 10).value();
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(sessions[0].id, "ses_now");
  EXPECT_EQ(sessions[0].game_id, g.id);
  EXPECT_EQ(sessions[0].players.size(), 1u);
  EXPECT_FALSE(migrated.session_by_id("ses_bob")->game_id.starts_with("gam_"));
  EXPECT_NE(migrated.session_by_id("ses_ada_before")->game_id, g.id);
  std::vector<std::string> players{"acc_pat", "acc_bob"};
  auto ratings = migrated.ratings(g.id, "duel", players).value();
  ASSERT_EQ(ratings.size(), 1u);
  EXPECT_EQ(ratings[0].account_id, "acc_pat");
  EXPECT_EQ(ratings[0].matches, 3);
  EXPECT_EQ(migrated.leaderboard(g.id, "duel", 10)->size(), 1u);
}

// Schema 6 rebuilds the accounts table (to allow role "operator"): what
// refers to an account (logins, API keys, games) survives it, and the
// foreign keys still hold afterwards.
TEST(SqliteCatalogTest, OperatorMigrationKeepsWhatRefersToAccounts) {
  testing::TempDir dir;
  auto file = dir.path() / "schema5.db";
  {
    sqlite::Connection db(file);
    for (const auto& m : sqlite::migrations())
      if (m.version <= 5) db.exec(m.sql);
    db.exec("PRAGMA user_version = 5");
    db.exec("INSERT INTO accounts VALUES ('acc_ada','ada','developer',0,'h',0)");
    db.exec("INSERT INTO logins VALUES ('lgn_1','acc_ada',x'0102',99,0)");
    db.exec("INSERT INTO api_keys VALUES ('key_1','acc_ada','ci',x'0304','wgk_abc',0)");
    auto st = db.prepare("INSERT INTO games (name, owner_id, spec, created_at, updated_at, id) VALUES (?,?,?,0,0,?)");
    st.bind(1, "g").bind(2, "acc_ada").bind(3, boost::json::serialize(game_to_json(game("g", "acc_ada"))));
    st.bind(4, "gam_g");
    ASSERT_TRUE(st.step_done());
  }
  SqliteCatalog migrated(file);
  EXPECT_EQ(migrated.account_by_username("ada")->role, Role::developer);
  EXPECT_EQ(migrated.api_keys_of("acc_ada")->size(), 1u);
  EXPECT_EQ(migrated.login_revoked("lgn_1").value(), false);
  EXPECT_EQ(migrated.game_by_name("g")->owner_id, "acc_ada");
  // The connection that migrated (with foreign keys off) is back in the pool with them on.
  EXPECT_FALSE(migrated.create_api_key({"key_2", "acc_nobody", "x", "hash-2", "wgk_def", TimePoint{}}));
  ASSERT_TRUE(migrated.set_role("acc_ada", Role::operator_));
  EXPECT_EQ(migrated.account_by_id("acc_ada")->role, Role::operator_);

  sqlite::Connection db(file);
  EXPECT_THROW(db.exec("INSERT INTO accounts VALUES ('acc_x','x','admin',0,'h',0)"), std::runtime_error);
  // Foreign keys are on again and still point at accounts.
  EXPECT_THROW(db.exec("INSERT INTO logins VALUES ('lgn_2','acc_nobody',x'05',99,0)"), std::runtime_error);
  auto broken = db.prepare("PRAGMA foreign_key_check");
  EXPECT_FALSE(broken.step());
}

}  // namespace
}  // namespace webgames
