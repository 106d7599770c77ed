#pragma once
// Hands out host ports from a configured range, one set per session, and
// checks that each is really free (another program may hold it) by binding
// it once before handing it out. Not thread-safe: the director's strand owns it.

#include "core/error.h"
#include "domain/game.h"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace webgames {

class PortAllocator {
 public:
  // REQUIRES: first <= last.
  PortAllocator(std::uint16_t first, std::uint16_t last) : first_(first), last_(last), next_(first) {}

  // One port per entry of `ports`; unavailable when the range is exhausted
  // (nothing is taken then).
  Result<std::map<std::string, int>> take(const std::vector<PortSpec>& ports);
  // Marks ports as used (a server adopted after a restart).
  void reserve(const std::map<std::string, int>& ports);
  void release(const std::map<std::string, int>& ports);

  std::size_t in_use() const { return used_.size(); }

 private:
  static bool bindable(std::uint16_t port, Protocol protocol);

  std::uint16_t first_, last_, next_;
  std::set<int> used_;
};

}  // namespace webgames
