#pragma once
// What the Postgres tests share: the URL of the fixture's server, a schema of
// its own per test, and private servers for the tests that stop one.

#include <memory>
#include <optional>
#include <string>

namespace webgames::testing {

// The fixture's server (scripts/postgres in $WEBGAMES_POSTGRES_DIR), or
// nothing when it does not run. Tests skip without it, except under CI=true,
// where they fail.
std::optional<std::string> fixture_postgres_url();
bool running_under_ci();

// A fresh, empty schema in the database at `url`, dropped with everything in
// it on destruction. url() connects with it as the search path, so that
// tables and schema_migrations land in it.
class TestSchema {
 public:
  explicit TestSchema(std::string admin_url);
  ~TestSchema();
  TestSchema(const TestSchema&) = delete;
  TestSchema& operator=(const TestSchema&) = delete;

  const std::string& name() const { return name_; }
  std::string url() const;
  // Runs SQL on an admin connection within the schema (test set-up only).
  void exec(const std::string& sql) const;

 private:
  std::string admin_url_;
  std::string name_;
};

// A PostgreSQL server of the test's own (scripts/postgres in a directory of
// its own), so that the test may stop and start it without disturbing others.
// Stopped and removed on destruction.
class PrivatePostgres {
 public:
  PrivatePostgres();  // starts it; throws when it cannot
  ~PrivatePostgres();
  PrivatePostgres(const PrivatePostgres&) = delete;
  PrivatePostgres& operator=(const PrivatePostgres&) = delete;

  const std::string& url() const { return url_; }
  void halt();   // stops the server, keeping its data and port
  void start();  // starts it again on the same port

 private:
  std::string script(const std::string& command) const;

  std::string dir_;
  std::string url_;
};

}  // namespace webgames::testing

// Skips the test without a server (fails instead under CI=true); else sets `var`.
#define WEBGAMES_REQUIRE_POSTGRES(var)                                                                   \
  auto var##_maybe = ::webgames::testing::fixture_postgres_url();                                        \
  if (!var##_maybe) {                                                                                    \
    if (::webgames::testing::running_under_ci()) FAIL() << "no PostgreSQL from the fixture (CI is set)"; \
    GTEST_SKIP() << "no PostgreSQL (ctest starts one: ctest -L postgres)";                               \
  }                                                                                                      \
  std::string var = *var##_maybe
