#pragma once
// Hands out ports from a configured range, one set per session, per node: a
// port taken on one node is still free on another (Swarm), and a port is
// checked really free where it is wanted (another program may hold it) by a
// probe before it is handed out: by default, binding it once on this host.
// Not thread-safe: the director's strand owns it.

#include "core/error.h"
#include "domain/game.h"

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace webgames {

class PortAllocator {
 public:
  // REQUIRES: first <= last.
  PortAllocator(std::uint16_t first, std::uint16_t last) : first_(first), last_(last), next_(first) {}

  // Whether a port is free where it is wanted.
  using Probe = std::function<bool(int port, Protocol protocol)>;

  // One port per entry of `ports` on `node` ("": the host webgames runs
  // on), each not taken here on that node and accepted by `probe` (empty:
  // bindable()); unavailable when the range is exhausted there (nothing is
  // taken then).
  Result<std::map<std::string, int>> take(const std::vector<PortSpec>& ports, const std::string& node = {},
                                          const Probe& probe = {});
  // Marks ports of `node` as used (a server adopted after a restart).
  void reserve(const std::map<std::string, int>& ports, const std::string& node = {});
  void release(const std::map<std::string, int>& ports, const std::string& node = {});

  // Ports taken, on every node.
  std::size_t in_use() const;
  // Ports taken, per node that has some.
  std::map<std::string, std::size_t> in_use_by_node() const;
  // How many ports the range holds (on each node).
  std::size_t range_size() const { return static_cast<std::size_t>(last_ - first_) + 1; }

  // Whether `port` can be bound on this host (every address) now.
  static bool bindable(std::uint16_t port, Protocol protocol);

 private:
  std::uint16_t first_, last_, next_;
  std::map<std::string, std::set<int>> used_;  // by node
};

}  // namespace webgames
