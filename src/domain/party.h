#pragma once
// Players who want to play together. The leader queues the whole party; a
// player is in at most one party.

#include "core/clock.h"

#include <algorithm>
#include <string>
#include <vector>

namespace webgames {

struct Party {
  std::string id;    // "pty_…"
  std::string code;  // short invite code others join with
  std::string leader_id;
  std::vector<std::string> members;  // account ids, leader first
  TimePoint created_at;

  bool has(const std::string& player) const {
    return std::find(members.begin(), members.end(), player) != members.end();
  }
};

// Most members a party may have. Default: 16.
inline constexpr std::size_t kMaxPartySize = 16;

}  // namespace webgames
