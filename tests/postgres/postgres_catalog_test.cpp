// PostgresCatalog: the shared Catalog suite (tests/store/catalog_suite.cpp) in
// a fresh schema per test, and what is Postgres's own: versioned migrations
// applied once, also by replicas starting at the same moment.
#include "postgres/postgres_catalog.h"

#include "postgres/migrations.h"
#include "postgres/postgres_test.h"
#include "store/catalog_suite.h"

#include <gtest/gtest.h>

#include <thread>

namespace webgames {
namespace {

using testing::TestSchema;

class PostgresUnderTest final : public testing::CatalogUnderTest {
 public:
  explicit PostgresUnderTest(const std::string& url) : schema_(url), catalog_(schema_.url(), 4) {}
  Catalog& catalog() override { return catalog_; }
  std::unique_ptr<Catalog> open_again() override { return std::make_unique<PostgresCatalog>(schema_.url(), 4); }

 private:
  TestSchema schema_;
  PostgresCatalog catalog_;
};

std::unique_ptr<testing::CatalogUnderTest> make_postgres() {
  auto url = testing::fixture_postgres_url();
  if (!url) {
    if (testing::running_under_ci()) ADD_FAILURE() << "no PostgreSQL from the fixture (CI is set)";
    return nullptr;
  }
  return std::make_unique<PostgresUnderTest>(*url);
}

using testing::CatalogSuite;
INSTANTIATE_TEST_SUITE_P(Postgres, CatalogSuite, ::testing::Values(testing::CatalogBackend{"postgres", &make_postgres}),
                         [](const auto& info) { return std::string(info.param.name); });

std::int64_t count(const std::string& url, const std::string& sql) {
  postgres::Connection db(url);
  return db.exec(sql).integer(0, 0);
}

TEST(PostgresMigrationsTest, AppliedOnceAndRecorded) {
  WEBGAMES_REQUIRE_POSTGRES(url);
  TestSchema schema(url);
  { PostgresCatalog first(schema.url(), 1); }
  PostgresCatalog again(schema.url(), 1);
  auto all = postgres::migrations();
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(count(schema.url(), "SELECT count(*) FROM schema_migrations"), static_cast<std::int64_t>(all.size()));
  EXPECT_EQ(count(schema.url(), "SELECT max(version) FROM schema_migrations"), all.back().version);
  // The versions match SQLite's, one for one.
  EXPECT_EQ(count(schema.url(), "SELECT count(*) FROM schema_migrations WHERE name = 'catalog' AND version = 1"), 1);
}

TEST(PostgresMigrationsTest, ReplicasStartingAtOnceMigrateOnce) {
  WEBGAMES_REQUIRE_POSTGRES(url);
  TestSchema schema(url);
  std::atomic<int> opened = 0;
  std::vector<std::thread> replicas;
  for (int i = 0; i < 4; ++i)
    replicas.emplace_back([&] {
      PostgresCatalog replica(schema.url(), 1);
      if (replica.ping()) ++opened;
    });
  for (auto& t : replicas) t.join();
  EXPECT_EQ(opened.load(), 4);
  EXPECT_EQ(count(schema.url(), "SELECT count(*) FROM schema_migrations"),
            static_cast<std::int64_t>(postgres::migrations().size()));
}

TEST(PostgresMigrationsTest, RefusesADatabaseFromTheFuture) {
  WEBGAMES_REQUIRE_POSTGRES(url);
  TestSchema schema(url);
  { PostgresCatalog first(schema.url(), 1); }
  schema.exec("INSERT INTO schema_migrations (version, name) VALUES (9999, 'future')");
  EXPECT_THROW(PostgresCatalog(schema.url(), 1), std::runtime_error);
}

TEST(PostgresCatalogTest, UnreachableAtOpenThrows) {
  // Port 1 on the loopback: refused at once.
  EXPECT_THROW(PostgresCatalog("postgres://postgres@127.0.0.1:1/postgres", 1), postgres::Unavailable);
}

}  // namespace
}  // namespace webgames
