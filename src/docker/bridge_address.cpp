#include "docker/bridge_address.h"

#include <fmt/format.h>

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include <charconv>

namespace webgames::docker {

namespace {

std::optional<std::uint32_t> parse_ipv4(std::string_view text) {
  in_addr addr{};
  if (::inet_pton(AF_INET, std::string(text).c_str(), &addr) != 1) return std::nullopt;
  return ntohl(addr.s_addr);
}

std::string format_ipv4(std::uint32_t host_order) {
  in_addr addr{htonl(host_order)};
  char text[INET_ADDRSTRLEN] = {};
  ::inet_ntop(AF_INET, &addr, text, sizeof text);
  return text;
}

struct Cidr {
  std::uint32_t network = 0;
  std::uint32_t mask = 0;
  int bits = 0;
};

std::optional<Cidr> parse_cidr(std::string_view cidr) {
  auto slash = cidr.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto base = parse_ipv4(cidr.substr(0, slash));
  int bits = -1;
  auto tail = cidr.substr(slash + 1);
  auto [end, ec] = std::from_chars(tail.data(), tail.data() + tail.size(), bits);
  if (!base || ec != std::errc{} || end != tail.data() + tail.size() || bits < 0 || bits > 32) return std::nullopt;
  std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
  return Cidr{*base & mask, mask, bits};
}

}  // namespace

std::vector<std::string> ipv4_addresses_of(const std::string& interface) {
  std::vector<std::string> out;
  ifaddrs* all = nullptr;
  if (::getifaddrs(&all) != 0) return out;
  for (auto* a = all; a != nullptr; a = a->ifa_next) {
    if (a->ifa_addr == nullptr || a->ifa_addr->sa_family != AF_INET || interface != a->ifa_name) continue;
    auto* in = reinterpret_cast<const sockaddr_in*>(a->ifa_addr);
    out.push_back(format_ipv4(ntohl(in->sin_addr.s_addr)));
  }
  ::freeifaddrs(all);
  return out;
}

std::optional<std::string> first_host(std::string_view cidr) {
  auto c = parse_cidr(cidr);
  if (!c || c->bits > 30) return std::nullopt;  // /31 and /32 have no network-and-hosts split
  return format_ipv4(c->network + 1);
}

bool in_subnet(std::string_view address, std::string_view cidr) {
  auto a = parse_ipv4(address);
  auto c = parse_cidr(cidr);
  return a && c && (*a & c->mask) == c->network;
}

Result<std::string> host_address(const NetworkInfo& network, const InterfaceAddresses& addresses_of) {
  std::vector<std::string> v4;
  for (const auto& s : network.subnets)
    if (parse_cidr(s)) v4.push_back(s);
  auto in_network = [&](const std::string& address) {
    if (v4.empty()) return parse_ipv4(address).has_value();
    for (const auto& s : v4)
      if (in_subnet(address, s)) return true;
    return false;
  };
  if (!network.bridge.empty())
    for (const auto& address : addresses_of(network.bridge))
      if (in_network(address)) return address;
  if (!network.gateway.empty() && parse_ipv4(network.gateway)) return network.gateway;
  for (const auto& s : v4)
    if (auto host = first_host(s)) return *host;
  return make_error(Errc::unavailable,
                    fmt::format("cannot tell where containers on the Docker network {} reach the host: its bridge {} "
                                "has no IPv4 address, and the engine names neither a gateway nor an IPv4 subnet "
                                "(set docker.sdk_host)",
                                network.name, network.bridge.empty() ? std::string("(none)") : network.bridge));
}

}  // namespace webgames::docker
