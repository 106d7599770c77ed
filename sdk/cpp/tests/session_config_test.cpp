#include "webgames/sdk.h"

#include "test_join_key.h"

#include <gtest/gtest.h>

namespace webgames::sdk {
namespace {

using Variables = std::map<std::string, std::string, std::less<>>;

class SessionConfig : public ::testing::Test {
 protected:
  testing::TestJoinKey key;
  Variables vars = testing::session_variables("http://127.0.0.1:8080", key, "ses_1", 7000);

  // The message from_variables throws with; empty if it does not throw.
  std::string failure(const Variables& v) {
    try {
      Session::from_variables(v);
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    return "";
  }
};

TEST_F(SessionConfig, ReadsTheSession) {
  vars["WEBGAMES_PORT_VOICE_CHAT"] = "7001";
  vars.erase("WEBGAMES_HOST");
  auto session = Session::from_variables(vars);
  EXPECT_EQ(session.id(), "ses_1");
  EXPECT_EQ(session.host(), "0.0.0.0");
  EXPECT_EQ(session.port(), 7000);
  EXPECT_EQ(session.port("game"), 7000);
  EXPECT_EQ(session.port("voice-chat"), 7001);
  EXPECT_EQ(session.port("other"), std::nullopt);
  ASSERT_EQ(session.players().size(), 2u);
  EXPECT_EQ(session.players()[0].id, "acc_a");
  EXPECT_EQ(session.players()[0].name, "alice");
  EXPECT_EQ(session.players()[1].team, 1);
  EXPECT_EQ(session.team_count(), 2);
  ASSERT_NE(session.find_player("acc_b"), nullptr);
  EXPECT_EQ(session.find_player("acc_b")->name, "bob");
  EXPECT_EQ(session.find_player("acc_c"), nullptr);
}

TEST_F(SessionConfig, NamesTheMissingVariable) {
  for (std::string name : {"WEBGAMES_SESSION_ID", "WEBGAMES_PORT", "WEBGAMES_SDK_URL", "WEBGAMES_SDK_SECRET",
                           "WEBGAMES_JOIN_KEY", "WEBGAMES_PLAYERS"}) {
    auto v = vars;
    v.erase(name);
    EXPECT_NE(failure(v).find(name + " is not set"), std::string::npos) << name;
  }
}

TEST_F(SessionConfig, NamesTheMalformedVariable) {
  auto with = [&](std::string name, std::string value) {
    auto v = vars;
    v[name] = value;
    auto message = failure(v);
    EXPECT_NE(message.find(name), std::string::npos) << name << "=" << value << ": " << message;
  };
  with("WEBGAMES_PORT", "0");
  with("WEBGAMES_PORT", "65536");
  with("WEBGAMES_PORT", "80a");
  with("WEBGAMES_PORT_GAME", "-1");
  with("WEBGAMES_SDK_URL", "https://127.0.0.1:8080");
  with("WEBGAMES_SDK_URL", "127.0.0.1:8080");
  with("WEBGAMES_SDK_URL", "http://:8080");
  with("WEBGAMES_JOIN_KEY", "not-a-key");
  with("WEBGAMES_JOIN_KEY", "AAAA");
  with("WEBGAMES_PLAYERS", "[]");
  with("WEBGAMES_PLAYERS", R"({"teams":[["a"]],"players":[{"id":"a","name":"n","team":1}]})");
  with("WEBGAMES_PLAYERS", R"({"teams":[["a"]],"players":[{"id":"","name":"n","team":0}]})");
}

TEST_F(SessionConfig, TakesAUrlWithAPathPrefix) {
  vars["WEBGAMES_SDK_URL"] = "http://webgames.internal/base/";
  EXPECT_EQ(failure(vars), "");
  vars["WEBGAMES_SDK_URL"] = "http://[::1]:8080";
  EXPECT_EQ(failure(vars), "");
}

}  // namespace
}  // namespace webgames::sdk
