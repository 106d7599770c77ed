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

void PlayerStreams::opened(const std::string& player, std::string_view login_id,
                           const std::shared_ptr<Subscription>& stream) {
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
    streams.push_back(Stream{stream, login_id.empty() ? 0 : std::hash<std::string_view>{}(login_id)});
    while (streams.size() > limit_) {
      if (auto oldest = streams.front().subscription.lock()) replaced.push_back(std::move(oldest));
      streams.erase(streams.begin());
    }
  }
  // Outside the lock, where the last reference may go too: a stream's end
  // takes its own lock, and its destruction the bus's.
  for (auto& s : replaced) s->end_now(Subscription::Ending::replaced);
}

void PlayerStreams::revoked(std::string_view login_id) {
  if (login_id.empty()) return;
  auto login = std::hash<std::string_view>{}(login_id);
  std::vector<std::shared_ptr<Subscription>> ended;
  {
    // Every player's streams: a logout names its login, not its player
    // (another replica's, through Redis). Logouts are rare next to opens.
    std::lock_guard lock(mutex_);
    for (auto& [player, streams] : players_)
      for (const auto& s : streams)
        if (s.login == login)
          if (auto subscription = s.subscription.lock()) ended.push_back(std::move(subscription));
  }
  for (auto& s : ended) s->end_now(Subscription::Ending::revoked);
}

}  // namespace webgames::api
