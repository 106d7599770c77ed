// Rotating the access tokens' signing key on a running `webgames serve`
// (docs/auth.md#rotating-a-signing-key): `webgames ctl signing-keys rotate`
// twice, each step followed by SIGHUP. No token issued before stops working
// until its key's file is removed; tokens issued after carry the new key's id.

#include "hosting/hosting_test.h"

#include "core/encoding.h"

#include <fmt/format.h>
#include <boost/json/parse.hpp>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <thread>

namespace webgames::testing {
namespace {

class KeyRotationTest : public HostingTest {
 protected:
  // The "kid" of a JWT's header.
  static std::string key_id_of(const std::string& token) {
    auto header = base64url_decode(token.substr(0, token.find('.')));
    if (!header) return {};
    return std::string(boost::json::parse(*header).at("kid").as_string());
  }

  // One step of `webgames ctl signing-keys rotate` on this server's data
  // directory: the key id it made or promoted.
  std::string rotate() {
    auto out = scratch() / "rotate.out";
    auto command = fmt::format("{} ctl signing-keys rotate --kind token --data-dir {} --output json > {}",
                               WEBGAMES_BINARY, data_dir().string(), out.string());
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
    std::ifstream in(out);
    std::string line;
    std::getline(in, line);
    return std::string(boost::json::parse(line).at("key_id").as_string());
  }

  // SIGHUP, then waits until a new login's token is signed by `key_id`.
  Account reload_until_signing(const std::string& key_id) {
    EXPECT_EQ(::kill(webgames().pid(), SIGHUP), 0);
    for (int i = 0; i < 100; ++i) {
      auto who = guest("device-" + std::to_string(i) + "-after");
      if (key_id_of(who.token) == key_id) return who;
      std::this_thread::sleep_for(50ms);
    }
    ADD_FAILURE() << "still not signing with " << key_id << ":\n" << tail(webgames().log());
    return {};
  }

  unsigned status_with(const Account& who) { return call(verb::get, "/v1/account", {}, who.token).status; }
};

TEST_F(KeyRotationTest, TokensIssuedBeforeARotationWorkUntilTheirKeyIsRemoved) {
  start_webgames(fast_flags());
  auto before = guest("device-before");
  auto old_id = key_id_of(before.token);
  ASSERT_FALSE(old_id.empty());

  auto next_id = rotate();  // step 1: accepted everywhere, not signing yet
  ASSERT_NE(next_id, old_id);
  auto between = reload_until_signing(old_id);
  EXPECT_EQ(status_with(between), 200u);

  EXPECT_EQ(rotate(), next_id);  // step 2: the next key signs
  auto after = reload_until_signing(next_id);
  EXPECT_EQ(status_with(after), 200u);
  EXPECT_EQ(status_with(before), 200u) << "a token of the retired key";
  EXPECT_EQ(status_with(between), 200u);

  // Its tokens expired (by the operator's word), the retired key goes.
  ASSERT_TRUE(std::filesystem::remove(data_dir() / "keys" / ("token-retired-" + old_id + ".pem")));
  reload_until_signing(next_id);
  // The reload is asynchronous: the old token is refused once it has landed.
  unsigned refused = 0;
  for (int i = 0; i < 100 && refused != 401u; ++i, std::this_thread::sleep_for(50ms)) refused = status_with(before);
  EXPECT_EQ(refused, 401u);
  EXPECT_EQ(status_with(after), 200u);
  EXPECT_TRUE(webgames().running()) << "SIGHUP must not stop the server";
}

TEST_F(KeyRotationTest, AKeyFileThatIsNotAKeyLeavesTheKeysInUse) {
  start_webgames(fast_flags());
  auto before = guest("device-before");
  std::ofstream(data_dir() / "keys" / "token-next.pem") << "not a key\n";
  ASSERT_EQ(::kill(webgames().pid(), SIGHUP), 0);
  for (int i = 0; i < 100 && webgames().log().find("keys: not reloaded") == std::string::npos; ++i)
    std::this_thread::sleep_for(50ms);
  EXPECT_NE(webgames().log().find("token-next.pem"), std::string::npos) << tail(webgames().log());
  EXPECT_EQ(status_with(before), 200u);
  EXPECT_EQ(status_with(guest("device-after")), 200u);
  EXPECT_TRUE(webgames().running());
}

}  // namespace
}  // namespace webgames::testing
