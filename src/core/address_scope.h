#pragma once
// The address a client is counted as by the limits on its connections
// (http.max_connections_per_address) and its requests (limits.*): an IPv4
// address as itself, an IPv6 one as its /64 network. A home or a cloud
// machine holds a whole /64: counted one address at a time, its 2^64
// addresses would each have a budget of their own (found by an attacker's
// audit). An IPv4-mapped IPv6 address (::ffff:10.0.0.1, as a dual-stack
// socket reports an IPv4 peer) is its IPv4 address.

#include <boost/asio/ip/address.hpp>

#include <string>
#include <string_view>

namespace webgames {

// The IPv4 address of an IPv4-mapped one; any other as it is.
boost::asio::ip::address unmapped(const boost::asio::ip::address& address);

boost::asio::ip::address address_scope(const boost::asio::ip::address& address);
// The same, of an address's text ("2001:db8::/64" for an IPv6 one); a text
// that is no address, as it is.
std::string address_scope(std::string_view address);

}  // namespace webgames
