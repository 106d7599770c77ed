#pragma once
// A real `webgames serve` (the App) on 127.0.0.1, port 0, with a temporary
// data directory and a ManualClock, and a client that speaks HTTP to it.

#include "app/app.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <boost/beast/http/verb.hpp>
#include <boost/json/value.hpp>

#include <memory>
#include <string>

namespace webgames::testing {

struct Reply {
  unsigned status = 0;
  std::string raw;
  boost::json::value body;  // null when the body is not JSON
  std::string error_code() const;
  std::string error_field() const;
  std::string str(std::string_view key) const;  // a top-level string field, or ""
};

class ApiTest : public ::testing::Test {
 protected:
  // Tests may adjust `config` before calling start() themselves; by default
  // SetUp starts the server with it.
  virtual bool start_in_setup() const { return true; }
  void SetUp() override;
  void TearDown() override;
  void start();

  Reply call(boost::beast::http::verb method, std::string_view target, std::string_view body = {},
             std::string_view token = {});
  // The same with the body sent as `content_type` ("application/toml").
  Reply call_as(std::string_view content_type, boost::beast::http::verb method, std::string_view target,
                std::string_view body, std::string_view token);
  // Registers and returns the access token.
  std::string register_account(std::string_view username, std::string_view role = "developer");
  std::string create_game(std::string_view token, std::string_view name);
  // An operator made as an administrator makes one (webgames ctl operator
  // create), in the running server's store; returns its access token.
  std::string make_operator(std::string_view username);
  // The running server's catalog, opened beside it (as another process would).
  Catalog& store();
  // Writes a session of the game named `game` (by its owner's account) into
  // the catalog, as the director records one, matched at `matched_s`.
  void record_session(const std::string& id, const std::string& game, SessionState state, std::int64_t matched_s,
                      std::vector<SessionPlayer> players);

  TempDir dir;
  ManualClock clock;
  Config config;
  std::unique_ptr<App> app;
  std::unique_ptr<Catalog> store_;
};

// A game body that passes validation.
std::string game_json(std::string_view name);

}  // namespace webgames::testing
