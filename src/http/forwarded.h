#pragma once
// The client's address behind proxies. A request's peer is the client,
// unless the peer is a trusted proxy (`http.trusted_proxies`, such as the
// load balancer): then the client is the last address of X-Forwarded-For
// that is not a trusted proxy (each proxy appends the address it saw, so the
// entries to the left of that one are the client's to make up, and are
// ignored). Nothing is trusted by default: X-Forwarded-For is then ignored.

#include "core/error.h"
#include "http/message.h"

#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>

#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace webgames::http {

class TrustedProxies {
 public:
  TrustedProxies() = default;

  // "127.0.0.1, 10.0.0.0/8, ::1": addresses and networks (CIDR), comma
  // separated; empty: none. invalid_field (field `field`) naming the first
  // bad entry. (Other lists of networks are read the same way: the
  // addresses the connection limit does not count, http/server.h.)
  static Result<TrustedProxies> parse(std::string_view text, std::string_view field = "http.trusted_proxies");

  bool empty() const { return networks_.empty(); }
  bool trusts(std::string_view address) const;

  // The client's address for a request from `peer` (see above). Every
  // X-Forwarded-For header of the request counts, in order.
  std::string client_address(const std::string& peer, const Request& request) const;

 private:
  std::vector<std::variant<boost::asio::ip::network_v4, boost::asio::ip::network_v6>> networks_;
};

}  // namespace webgames::http
