#include "sqlite/sqlite_catalog.h"

#include "sqlite/migrations.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

namespace webgames {
namespace {

class SqliteCatalogTest : public ::testing::Test {
 protected:
  testing::TempDir dir;
  std::filesystem::path file = dir.path() / "catalog.db";
  SqliteCatalog catalog{file};

  Account add_account(std::string username, Role role = Role::developer) {
    Account a{"acc_" + username, std::move(username), role, false, "hash", TimePoint{std::chrono::seconds(1)}};
    EXPECT_TRUE(catalog.create_account(a));
    return a;
  }

  static Game game(std::string name, std::string owner) {
    Game g;
    g.name = std::move(name);
    g.owner_id = std::move(owner);
    g.server.command = "/bin/true";
    g.server.ports = {{"game", Protocol::tcp}};
    g.queues = {{"duel", 2, 1, 2}};
    EXPECT_TRUE(validate_game(g));
    return g;
  }
};

TEST_F(SqliteCatalogTest, ReopeningKeepsDataAndSchema) {
  auto a = add_account("ada");
  ASSERT_TRUE(catalog.create_game(game("shifumi", a.id)));
  SqliteCatalog reopened(file);
  EXPECT_EQ(reopened.game_by_name("shifumi")->owner_id, a.id);
  EXPECT_EQ(reopened.account_by_username("ada")->id, a.id);
  EXPECT_FALSE(sqlite::migrations().empty());
}

TEST_F(SqliteCatalogTest, RefusesADatabaseFromTheFuture) {
  {
    sqlite::Connection db(file);
    db.exec("PRAGMA user_version = 9999");
  }
  EXPECT_THROW(SqliteCatalog{file}, std::runtime_error);
}

TEST_F(SqliteCatalogTest, AccountsAreFoundByIdAndUsername) {
  auto a = add_account("ada", Role::player);
  EXPECT_EQ(catalog.account_by_id(a.id)->username, "ada");
  EXPECT_EQ(catalog.account_by_username("ada")->role, Role::player);
  EXPECT_EQ(catalog.account_by_id("acc_none").error().code, Errc::not_found);
  Account dup = a;
  dup.id = "acc_other";
  EXPECT_EQ(catalog.create_account(dup).error().code, Errc::conflict);
}

TEST_F(SqliteCatalogTest, GamesBelongToTheirOwner) {
  auto ada = add_account("ada");
  auto bob = add_account("bob");
  ASSERT_TRUE(catalog.create_game(game("shifumi", ada.id)));
  ASSERT_TRUE(catalog.create_game(game("chess", ada.id)));
  ASSERT_TRUE(catalog.create_game(game("go", bob.id)));

  auto adas = catalog.games_of(ada.id).value();
  ASSERT_EQ(adas.size(), 2u);
  EXPECT_EQ(adas[0].name, "chess");  // sorted by name
  EXPECT_EQ(catalog.games_of(bob.id)->size(), 1u);

  auto taken = catalog.create_game(game("go", ada.id));
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().code, Errc::conflict);
  EXPECT_EQ(taken.error().field, "name");
}

TEST_F(SqliteCatalogTest, UpdateAndDeleteGames) {
  auto ada = add_account("ada");
  auto g = game("shifumi", ada.id);
  ASSERT_TRUE(catalog.create_game(g));
  g.title = "Shifumi Deluxe";
  g.queues[0].min_players = 1;
  ASSERT_TRUE(catalog.update_game(g));
  auto read = catalog.game_by_name("shifumi").value();
  EXPECT_EQ(read.title, "Shifumi Deluxe");
  EXPECT_EQ(read.queues[0].min_players, 1);

  ASSERT_TRUE(catalog.delete_game("shifumi"));
  EXPECT_EQ(catalog.game_by_name("shifumi").error().code, Errc::not_found);
  EXPECT_EQ(catalog.delete_game("shifumi").error().code, Errc::not_found);
  EXPECT_EQ(catalog.update_game(g).error().code, Errc::not_found);
}

TEST_F(SqliteCatalogTest, RefreshRotationIsCompareAndSwap) {
  auto ada = add_account("ada");
  LoginSession login{"lgn_1", ada.id, "hash-1", TimePoint{std::chrono::hours(1)}, false};
  ASSERT_TRUE(catalog.create_login(login));
  ASSERT_TRUE(catalog.rotate_refresh("lgn_1", "hash-1", "hash-2", login.expires_at));
  // A second refresh with the same (now stale) token loses.
  EXPECT_EQ(catalog.rotate_refresh("lgn_1", "hash-1", "hash-3", login.expires_at).error().code, Errc::not_found);
  EXPECT_EQ(catalog.login_by_refresh_hash("hash-2")->id, "lgn_1");
  ASSERT_TRUE(catalog.revoke_login("lgn_1"));
  EXPECT_EQ(catalog.rotate_refresh("lgn_1", "hash-2", "hash-4", login.expires_at).error().code, Errc::not_found);
}

TEST_F(SqliteCatalogTest, ApiKeysAreDeletedOnlyByTheirOwner) {
  auto ada = add_account("ada");
  auto bob = add_account("bob");
  ApiKey key{"key_1", ada.id, "ci", "hash", "wgk_abcdef", TimePoint{}};
  ASSERT_TRUE(catalog.create_api_key(key));
  EXPECT_EQ(catalog.api_key_by_hash("hash")->owner_id, ada.id);
  EXPECT_EQ(catalog.delete_api_key(bob.id, "key_1").error().code, Errc::not_found);
  EXPECT_EQ(catalog.api_keys_of(ada.id)->size(), 1u);
  ASSERT_TRUE(catalog.delete_api_key(ada.id, "key_1"));
  EXPECT_TRUE(catalog.api_keys_of(ada.id)->empty());
}

}  // namespace
}  // namespace webgames
