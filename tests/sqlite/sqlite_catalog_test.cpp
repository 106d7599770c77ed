// SqliteCatalog: the shared Catalog suite (tests/store/catalog_suite.cpp) on a
// fresh file per test, and what is SQLite's own (its schema version).
#include "sqlite/sqlite_catalog.h"

#include "sqlite/migrations.h"
#include "store/catalog_suite.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace webgames
