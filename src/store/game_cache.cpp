#include "store/game_cache.h"

#include "domain/game_json.h"

#include <boost/json/serialize.hpp>

#include <mutex>

namespace webgames {

GameCache::GameCache(const Clock& clock, std::chrono::milliseconds ttl, std::size_t capacity)
    : clock_(clock), ttl_(ttl), capacity_(capacity) {}

std::shared_ptr<const GameCache::Entry> GameCache::find(std::string_view name) const {
  std::shared_lock lock(mutex_);
  auto it = entries_.find(std::string(name));
  if (it == entries_.end() || clock_.now() >= it->second->expires_at) return nullptr;
  return it->second;
}

std::shared_ptr<const GameCache::Entry> GameCache::put(Game game, std::uint64_t read_generation) {
  auto now = clock_.now();
  auto json = boost::json::serialize(game_to_json(game));
  auto name = game.name;
  auto entry = std::make_shared<const Entry>(Entry{std::move(game), std::move(json), now + ttl_});
  std::unique_lock lock(mutex_);
  if (generation_.load() != read_generation) return entry;
  if (entries_.size() >= capacity_) {
    std::erase_if(entries_, [&](const auto& kv) { return now >= kv.second->expires_at; });
    if (entries_.size() >= capacity_) entries_.clear();  // all live: start over rather than grow
  }
  entries_[std::move(name)] = entry;
  return entry;
}

void GameCache::erase(std::string_view name) {
  std::unique_lock lock(mutex_);
  entries_.erase(std::string(name));
  generation_.fetch_add(1);
}

void GameCache::clear() {
  std::unique_lock lock(mutex_);
  entries_.clear();
  generation_.fetch_add(1);
}

}  // namespace webgames
