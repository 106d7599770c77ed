#pragma once
// At most N of something held at once per key: connections per client
// address (http.max_connections_per_address), relays per player of a
// session. take() claims a slot; the Slot gives it back when destroyed,
// whichever holder lets it go last (a connection upgraded to a WebSocket
// takes its slot along). A Slot may outlive the KeyedSlots it came from.
//
// Thread safety: every method, and Slot's destructor, from any thread.

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace webgames {

template <class Key, class Hash = std::hash<Key>>
class KeyedSlots {
  struct Held {
    std::mutex mutex;
    std::unordered_map<Key, std::size_t, Hash> by_key;
  };

 public:
  // REQUIRES: per_key >= 1.
  explicit KeyedSlots(std::size_t per_key) : per_key_(per_key) {}

  // One claim; gives it back when destroyed. Move-only.
  class Slot {
   public:
    Slot(Slot&&) noexcept = default;
    Slot& operator=(Slot&&) = delete;
    ~Slot() {
      if (!held_) return;  // moved from
      std::lock_guard lock(held_->mutex);
      auto it = held_->by_key.find(key_);
      if (it != held_->by_key.end() && --it->second == 0) held_->by_key.erase(it);
    }

   private:
    friend class KeyedSlots;
    Slot(std::shared_ptr<Held> held, Key key) : held_(std::move(held)), key_(std::move(key)) {}
    std::shared_ptr<Held> held_;
    Key key_;
  };

  // A slot of `key`, or nullopt when it already holds per_key.
  std::optional<Slot> take(const Key& key) {
    std::lock_guard lock(held_->mutex);
    auto& count = held_->by_key[key];
    if (count >= per_key_) return std::nullopt;
    ++count;
    return Slot(held_, key);
  }

  // Keys holding at least one slot.
  std::size_t keys() const {
    std::lock_guard lock(held_->mutex);
    return held_->by_key.size();
  }
  std::size_t per_key() const { return per_key_; }

 private:
  std::size_t per_key_;
  std::shared_ptr<Held> held_ = std::make_shared<Held>();
};

}  // namespace webgames
