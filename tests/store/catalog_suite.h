#pragma once
// The Catalog contract (store/catalog.h) as one test suite, run against every
// implementation: each one instantiates it with a factory of fresh, empty
// catalogs, e.g.
//   INSTANTIATE_TEST_SUITE_P(Sqlite, CatalogSuite, ::testing::Values(CatalogBackend{"sqlite", &make_sqlite}),
//                            [](const auto& info) { return std::string(info.param.name); });

#include "store/catalog.h"

#include <gtest/gtest.h>

#include <memory>
#include <ostream>

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

// An implementation under test: its name (in test names) and its factory.
struct CatalogBackend {
  const char* name;
  std::unique_ptr<CatalogUnderTest> (*make)();
  friend void PrintTo(const CatalogBackend& b, std::ostream* os) { *os << b.name; }
};

class CatalogSuite : public ::testing::TestWithParam<CatalogBackend> {
 protected:
  void SetUp() override {
    under_test = GetParam().make();
    if (!under_test) GTEST_SKIP() << "no database for this Catalog";
  }
  Catalog& catalog() { return under_test->catalog(); }

  std::unique_ptr<CatalogUnderTest> under_test;

  Account add_account(std::string username, Role role = Role::developer);
  static Game game(std::string name, std::string owner);
};

// An ended duel session of game `g` (its id and name), matched at
// `matched_ms` ms after the epoch, with one player.
Session session_of_game(std::string id, const Game& g, std::int64_t matched_ms);

}  // namespace webgames::testing
