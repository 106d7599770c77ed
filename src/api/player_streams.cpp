#include "api/player_streams.h"

#include <algorithm>

namespace webgames::api {

void PlayerStreams::drop_gone(Streams& streams) {
  std::erase_if(streams, [](const auto& s) { return s.expired(); });
}

void PlayerStreams::sweep_locked() {
  for (auto it = players_.begin(); it != players_.end();) {
    drop_gone(it->second);
    it = it->second.empty() ? players_.erase(it) : std::next(it);
  }
}

void PlayerStreams::opened(const std::string& player, const std::shared_ptr<Subscription>& stream) {
  std::vector<std::shared_ptr<Subscription>> replaced;
  {
    std::lock_guard lock(mutex_);
    // A sweep once per as many opens as there are players keeps the
    // players whose streams all went from piling up, at a constant cost per
    // open.
    if (++opened_since_sweep_ > players_.size()) {
      sweep_locked();
      opened_since_sweep_ = 0;
    }
    auto& streams = players_[player];
    drop_gone(streams);
    streams.push_back(stream);
    while (streams.size() > limit_) {
      if (auto oldest = streams.front().lock()) replaced.push_back(std::move(oldest));
      streams.erase(streams.begin());
    }
  }
  // Outside the lock, where the last reference may go too: a stream's end
  // takes its own lock, and its destruction the bus's.
  for (auto& s : replaced) s->end_now(Subscription::Ending::replaced);
}

}  // namespace webgames::api
