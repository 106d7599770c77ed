// host_address(): where containers on a bridge network reach the host, from
// what the engine says and what the host's interfaces say (injected here;
// the Docker tests check it against a real engine on a fresh bridge).

#include "docker/bridge_address.h"

#include <gtest/gtest.h>

#include <map>

namespace webgames::docker {
namespace {

InterfaceAddresses interfaces(std::map<std::string, std::vector<std::string>> table) {
  return [table](const std::string& name) {
    auto it = table.find(name);
    return it == table.end() ? std::vector<std::string>{} : it->second;
  };
}

TEST(BridgeAddressTest, AFreshEngineNamesNoGatewayAndTheBridgeInterfaceAnswers) {
  // dockerd 20.10 after creating docker0 itself: a subnet, no Gateway.
  NetworkInfo fresh{"bridge", "", {"172.17.0.0/16"}, "docker0"};
  EXPECT_EQ(host_address(fresh, interfaces({{"docker0", {"172.17.0.1"}}})).value(), "172.17.0.1");
  // A --bip that is not the first host: the interface is the truth.
  NetworkInfo bip{"bridge", "", {"10.9.0.0/24"}, "docker0"};
  EXPECT_EQ(host_address(bip, interfaces({{"docker0", {"192.168.5.5", "10.9.0.7"}}})).value(), "10.9.0.7");
}

TEST(BridgeAddressTest, FallsBackToTheEnginesGatewayThenTheSubnetsFirstHost) {
  auto none = interfaces({});
  EXPECT_EQ(host_address(NetworkInfo{"bridge", "172.18.0.1", {"172.18.0.0/16"}, "docker0"}, none).value(),
            "172.18.0.1");
  EXPECT_EQ(host_address(NetworkInfo{"bridge", "", {"172.17.0.0/16"}, "docker0"}, none).value(), "172.17.0.1");
  // An address of the interface outside the subnet is not the bridge's.
  EXPECT_EQ(
      host_address(NetworkInfo{"bridge", "", {"172.17.0.0/16"}, "docker0"}, interfaces({{"docker0", {"10.0.0.1"}}}))
          .value(),
      "172.17.0.1");
}

TEST(BridgeAddressTest, NothingToGoOnIsUnavailableAndSaysWhatToSet) {
  auto r = host_address(NetworkInfo{"bridge", "", {}, "docker0"}, interfaces({}));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::unavailable);
  EXPECT_NE(r.error().message.find("docker.sdk_host"), std::string::npos) << r.error().message;
}

TEST(BridgeAddressTest, SubnetArithmetic) {
  EXPECT_EQ(first_host("172.17.0.0/16"), "172.17.0.1");
  EXPECT_EQ(first_host("10.1.2.128/25"), "10.1.2.129");
  EXPECT_EQ(first_host("10.1.2.3/32"), std::nullopt);
  EXPECT_EQ(first_host("fd00::/64"), std::nullopt);
  EXPECT_EQ(first_host("172.17.0.0"), std::nullopt);
  EXPECT_TRUE(in_subnet("172.17.200.3", "172.17.0.0/16"));
  EXPECT_FALSE(in_subnet("172.18.0.1", "172.17.0.0/16"));
  EXPECT_FALSE(in_subnet("nonsense", "172.17.0.0/16"));
}

TEST(BridgeAddressTest, ReadsTheLoopbackInterface) {
  auto lo = ipv4_addresses_of("lo");
  ASSERT_FALSE(lo.empty());
  EXPECT_EQ(lo.front(), "127.0.0.1");
  EXPECT_TRUE(ipv4_addresses_of("no-such-interface0").empty());
}

}  // namespace
}  // namespace webgames::docker
