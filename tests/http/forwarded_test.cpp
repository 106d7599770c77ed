// TrustedProxies: which peers' X-Forwarded-For is believed, and which of its
// addresses is the client's.
#include "http/forwarded.h"

#include <gtest/gtest.h>

namespace webgames::http {
namespace {

Request with_forwarded(std::initializer_list<std::string_view> headers) {
  Request r{beast_http::verb::get, "/v1/account", 11};
  for (auto h : headers) r.insert("X-Forwarded-For", h);
  return r;
}

TEST(TrustedProxies, ParsesAddressesAndNetworks) {
  auto p = TrustedProxies::parse(" 127.0.0.1, 10.0.0.0/8 ,::1, fd00::/8");
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_TRUE(p->trusts("127.0.0.1"));
  EXPECT_FALSE(p->trusts("127.0.0.2"));
  EXPECT_TRUE(p->trusts("10.200.3.4"));
  EXPECT_FALSE(p->trusts("11.0.0.1"));
  EXPECT_TRUE(p->trusts("::1"));
  EXPECT_TRUE(p->trusts("fd12::7"));
  EXPECT_TRUE(p->trusts("::ffff:10.0.0.9"));  // an IPv4 peer on a dual-stack socket
  EXPECT_FALSE(p->trusts("not an address"));
  EXPECT_TRUE(TrustedProxies::parse("")->empty());
}

TEST(TrustedProxies, ABadEntryIsNamed) {
  for (auto text : {"127.0.0.1, localhost", "10.0.0.0/33", "1.2.3"}) {
    auto p = TrustedProxies::parse(text);
    ASSERT_FALSE(p) << text;
    EXPECT_EQ(p.error().code, Errc::invalid_field);
    EXPECT_EQ(p.error().field, "http.trusted_proxies");
  }
}

TEST(TrustedProxies, NoneTrustedIgnoresTheHeader) {
  TrustedProxies none;
  EXPECT_EQ(none.client_address("127.0.0.1", with_forwarded({"203.0.113.9"})), "127.0.0.1");
}

TEST(TrustedProxies, TheClientIsTheLastAddressNoTrustedProxyAdded) {
  auto p = *TrustedProxies::parse("127.0.0.1, 10.0.0.0/8");
  // The load balancer saw 203.0.113.9; what the client wrote before it is ignored.
  EXPECT_EQ(p.client_address("127.0.0.1", with_forwarded({"6.6.6.6, 203.0.113.9"})), "203.0.113.9");
  // Two proxies of ours in a row.
  EXPECT_EQ(p.client_address("127.0.0.1", with_forwarded({"203.0.113.9, 10.1.1.1"})), "203.0.113.9");
  // Several headers count as one list, in order.
  EXPECT_EQ(p.client_address("127.0.0.1", with_forwarded({"6.6.6.6", "198.51.100.4"})), "198.51.100.4");
  // An untrusted peer's header is not believed.
  EXPECT_EQ(p.client_address("198.51.100.7", with_forwarded({"203.0.113.9"})), "198.51.100.7");
  // A trusted peer without the header is the client itself.
  EXPECT_EQ(p.client_address("127.0.0.1", with_forwarded({})), "127.0.0.1");
  // Garbage to the left of trusted hops: the last trusted hop stands.
  EXPECT_EQ(p.client_address("127.0.0.1", with_forwarded({"junk, 10.0.0.5"})), "10.0.0.5");
}

}  // namespace
}  // namespace webgames::http
