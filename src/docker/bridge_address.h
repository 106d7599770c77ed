#pragma once
// Where containers on a Docker bridge network reach the host (webgames' SDK
// routes): the address they send to when they call WEBGAMES_SDK_URL.
//
// The engine is not a reliable witness of it. dockerd 20.10 reports the
// default bridge's IPAM config with a Gateway only when the bridge interface
// (docker0) already had its address when the engine started; on a machine
// where dockerd never ran it creates docker0 itself and reports the subnet
// alone. The kernel is the witness that does not depend on that history:
// containers route through the bridge interface, so its address is the one
// they reach the host by. The container's own gateway (inspect after start)
// would be as good, but the SDK URL is part of the environment, which is
// fixed at create, before there is a container to ask.
//
// So, in order: the address of the bridge interface (the network's
// com.docker.network.bridge.name, docker0 for the default bridge) that lies
// in the network's subnet; else the engine's Gateway (webgames may run in
// another network namespace than the engine, and not see its bridge); else
// the subnet's first host, which is where dockerd puts the bridge unless told
// otherwise (--bip).
//
// Pure apart from ipv4_addresses_of (getifaddrs); thread-safe.

#include "core/error.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace webgames::docker {

// What GET /networks/{name} says that matters here.
struct NetworkInfo {
  std::string name;
  std::string gateway;               // IPAM Config[].Gateway; empty when the engine does not say
  std::vector<std::string> subnets;  // IPAM Config[].Subnet, IPv4 "a.b.c.d/n"
  std::string bridge;                // Options com.docker.network.bridge.name; empty for other drivers
};

// The IPv4 addresses of one host interface (getifaddrs); empty when it has
// none or does not exist.
std::vector<std::string> ipv4_addresses_of(const std::string& interface);

// "172.17.0.0/16" -> "172.17.0.1"; nullopt when not an IPv4 CIDR with a host.
std::optional<std::string> first_host(std::string_view cidr);
// Whether IPv4 `address` lies in `cidr`.
bool in_subnet(std::string_view address, std::string_view cidr);

using InterfaceAddresses = std::function<std::vector<std::string>(const std::string& interface)>;

// The address containers on `network` reach the host by, as described above;
// unavailable when none of the three gives one.
Result<std::string> host_address(const NetworkInfo& network,
                                 const InterfaceAddresses& addresses_of = ipv4_addresses_of);

}  // namespace webgames::docker
