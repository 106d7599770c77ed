#include "director/port_allocator.h"

#include <fmt/format.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace webgames {

bool PortAllocator::bindable(std::uint16_t port, Protocol protocol) {
  int fd = ::socket(AF_INET, (protocol == Protocol::udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_ANY);
  bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

Result<std::map<std::string, int>> PortAllocator::take(const std::vector<PortSpec>& ports, const std::string& node,
                                                       const Probe& probe) {
  std::map<std::string, int> chosen;
  auto& used = used_[node];
  std::size_t range = static_cast<std::size_t>(last_ - first_) + 1;
  for (const auto& spec : ports) {
    bool found = false;
    for (std::size_t tries = 0; tries < range && !found; ++tries) {
      std::uint16_t candidate = next_;
      next_ = next_ == last_ ? first_ : static_cast<std::uint16_t>(next_ + 1);
      if (used.contains(candidate)) continue;
      if (probe ? !probe(candidate, spec.protocol) : !bindable(candidate, spec.protocol)) continue;
      used.insert(candidate);
      chosen[spec.name] = candidate;
      found = true;
    }
    if (!found) {
      release(chosen, node);
      return make_error(Errc::unavailable, node.empty()
                                               ? fmt::format("no free port in {}-{}", first_, last_)
                                               : fmt::format("no free port in {}-{} on node {}", first_, last_, node));
    }
  }
  return chosen;
}

void PortAllocator::reserve(const std::map<std::string, int>& ports, const std::string& node) {
  for (const auto& [name, port] : ports) used_[node].insert(port);
}

void PortAllocator::release(const std::map<std::string, int>& ports, const std::string& node) {
  auto it = used_.find(node);
  if (it == used_.end()) return;
  for (const auto& [name, port] : ports) it->second.erase(port);
  if (it->second.empty()) used_.erase(it);
}

std::size_t PortAllocator::in_use() const {
  std::size_t n = 0;
  for (const auto& [node, ports] : used_) n += ports.size();
  return n;
}

std::map<std::string, std::size_t> PortAllocator::in_use_by_node() const {
  std::map<std::string, std::size_t> out;
  for (const auto& [node, ports] : used_) out[node] = ports.size();
  return out;
}

}  // namespace webgames
