#pragma once
// The Catalog contract (store/catalog.h) as one test suite, run against every
// implementation: each one instantiates it with a factory of fresh, empty
// catalogs, e.g.
//   INSTANTIATE_TEST_SUITE_P(Sqlite, CatalogSuite, ::testing::Values(&make_sqlite_catalog));

#include "store/catalog.h"

#include <gtest/gtest.h>

#include <memory>

namespace webgames::testing {

// A fresh, empty catalog and whatever keeps it alive (a file, a schema);
// destroying it removes them. A factory returns nullptr when its database is
// not there: the test skips (the factory fails it instead under CI=true).
class CatalogUnderTest {
 public:
  virtual ~CatalogUnderTest() = default;
  virtual Catalog& catalog() = 0;
  // Another catalog on the same data: what another replica or process sees.
  virtual std::unique_ptr<Catalog> open_again() = 0;
};

using CatalogFactory = std::unique_ptr<CatalogUnderTest> (*)();

class CatalogSuite : public ::testing::TestWithParam<CatalogFactory> {
 protected:
  void SetUp() override {
    under_test = GetParam()();
    if (!under_test) GTEST_SKIP() << "no database for this Catalog";
  }
  Catalog& catalog() { return under_test->catalog(); }

  std::unique_ptr<CatalogUnderTest> under_test;

  Account add_account(std::string username, Role role = Role::developer);
  static Game game(std::string name, std::string owner);
};

}  // namespace webgames::testing
