#include "http/forwarded.h"

#include "core/address_scope.h"

#include <fmt/format.h>
#include <boost/asio/ip/address.hpp>

namespace webgames::http {
namespace {

namespace ip = boost::asio::ip;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<TrustedProxies> TrustedProxies::parse(std::string_view text, std::string_view field) {
  TrustedProxies proxies;
  while (!text.empty()) {
    auto comma = text.find(',');
    auto entry = std::string(trim(text.substr(0, comma)));
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    if (entry.empty()) continue;
    boost::system::error_code ec;
    if (entry.find('/') == std::string::npos) {
      auto a = unmapped(ip::make_address(entry, ec));
      if (!ec && a.is_v4()) proxies.networks_.emplace_back(ip::network_v4(a.to_v4(), 32));
      if (!ec && a.is_v6()) proxies.networks_.emplace_back(ip::network_v6(a.to_v6(), 128));
    } else if (entry.find(':') == std::string::npos) {
      proxies.networks_.emplace_back(ip::make_network_v4(entry, ec));
    } else {
      proxies.networks_.emplace_back(ip::make_network_v6(entry, ec));
    }
    if (ec)
      return make_error(Errc::invalid_field,
                        fmt::format("{}: {} is not an IP address or network (10.0.0.0/8)", field, entry),
                        std::string(field));
  }
  return proxies;
}

bool TrustedProxies::trusts(std::string_view address) const {
  if (networks_.empty()) return false;
  boost::system::error_code ec;
  auto a = unmapped(ip::make_address(std::string(trim(address)), ec));
  if (ec) return false;
  for (const auto& n : networks_) {
    if (const auto* v4 = std::get_if<ip::network_v4>(&n)) {
      if (a.is_v4() && ip::network_v4(a.to_v4(), 32).is_subnet_of(*v4)) return true;
      if (a.is_v4() && v4->prefix_length() == 32 && v4->address() == a.to_v4()) return true;
    } else {
      const auto& v6 = std::get<ip::network_v6>(n);
      if (a.is_v6() && ip::network_v6(a.to_v6(), 128).is_subnet_of(v6)) return true;
      if (a.is_v6() && v6.prefix_length() == 128 && v6.address() == a.to_v6()) return true;
    }
  }
  return false;
}

std::string TrustedProxies::client_address(const std::string& peer, const Request& request) const {
  if (!trusts(peer)) return peer;
  // Every X-Forwarded-For header, in order, as one list.
  std::vector<std::string_view> hops;
  auto [first, last] = request.equal_range("X-Forwarded-For");
  for (auto it = first; it != last; ++it) {
    std::string_view value(it->value().data(), it->value().size());
    while (!value.empty()) {
      auto comma = value.find(',');
      auto hop = trim(value.substr(0, comma));
      if (!hop.empty()) hops.push_back(hop);
      value = comma == std::string_view::npos ? std::string_view{} : value.substr(comma + 1);
    }
  }
  std::string client = peer;
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    boost::system::error_code ec;
    auto a = ip::make_address(std::string(*it), ec);
    if (ec) break;  // made up by the client: the last proxy's address stands
    client = unmapped(a).to_string();
    if (!trusts(client)) break;
  }
  return client;
}

}  // namespace webgames::http
