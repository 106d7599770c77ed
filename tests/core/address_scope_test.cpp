// address_scope: what the limits on connections and requests count a
// client as.

#include "core/address_scope.h"

#include <gtest/gtest.h>

namespace webgames {
namespace {

namespace ip = boost::asio::ip;

TEST(AddressScope, AnIPv6ClientIsItsSlash64AndAnIPv4OneItself) {
  EXPECT_EQ(address_scope("2001:db8:1:2:abcd::9"), "2001:db8:1:2::/64");
  EXPECT_EQ(address_scope("2001:db8:1:2::1"), address_scope("2001:db8:1:2:ffff:ffff:ffff:ffff"));
  EXPECT_NE(address_scope("2001:db8:1:2::1"), address_scope("2001:db8:1:3::1"));
  EXPECT_EQ(address_scope("10.0.0.7"), "10.0.0.7");
  EXPECT_EQ(address_scope("::ffff:10.0.0.7"), "10.0.0.7") << "an IPv4 client on a dual-stack socket";
  EXPECT_EQ(address_scope("not an address"), "not an address");
}

TEST(AddressScope, TheAddressAndItsTextAgree) {
  for (const auto* text : {"2001:db8:1:2:abcd::9", "::1", "10.0.0.7", "::ffff:10.0.0.7"}) {
    auto scope = address_scope(ip::make_address(text));
    EXPECT_EQ(address_scope(scope.to_string()), address_scope(text)) << text;
  }
  EXPECT_EQ(address_scope(ip::make_address("2001:db8:1:2:abcd::9")), ip::make_address("2001:db8:1:2::"));
  EXPECT_EQ(unmapped(ip::make_address("::ffff:10.0.0.7")), ip::make_address("10.0.0.7"));
  EXPECT_EQ(unmapped(ip::make_address("::1")), ip::make_address("::1"));
}

}  // namespace
}  // namespace webgames
