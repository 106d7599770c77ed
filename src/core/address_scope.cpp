#include "core/address_scope.h"

#include <boost/asio/ip/network_v6.hpp>

namespace webgames {

namespace ip = boost::asio::ip;

ip::address unmapped(const ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped()) return ip::make_address_v4(ip::v4_mapped, address.to_v6());
  return address;
}

ip::address address_scope(const ip::address& address) {
  auto a = unmapped(address);
  if (a.is_v6()) return ip::network_v6(a.to_v6(), 64).network();
  return a;
}

std::string address_scope(std::string_view address) {
  boost::system::error_code ec;
  auto parsed = ip::make_address(address, ec);
  if (ec) return std::string(address);
  auto scope = address_scope(parsed);
  return scope.is_v6() ? ip::network_v6(scope.to_v6(), 64).canonical().to_string() : scope.to_string();
}

}  // namespace webgames
