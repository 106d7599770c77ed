#include "events/embedded_event_bus.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <stdexcept>

namespace webgames {

namespace asio = boost::asio;

EmbeddedEventBus::EmbeddedEventBus(const Clock& clock, EmbeddedEventBusOptions options, std::unique_ptr<EventLog> log)
    : clock_(clock), options_(options), log_(std::move(log)) {
  if (!log_) return;
  auto now = clock_.now();
  auto last = log_->last_id();
  auto kept = log_->load(now - options_.retention);
  if (!last) throw std::runtime_error(last.error().message);
  if (!kept) throw std::runtime_error(kept.error().message);
  next_id_ = *last;
  for (auto& e : *kept) {
    auto& stream = streams_[e.player];
    stream.history.push_back({e.id, e.at, std::move(e.text)});
    trim(stream, now);
  }
  writer_ = std::thread([this] { write_loop(); });
}

EmbeddedEventBus::~EmbeddedEventBus() {
  if (!writer_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  queued_.notify_one();
  writer_.join();
}

void EmbeddedEventBus::trim(Stream& s, TimePoint now) {
  while (!s.history.empty() && (s.history.size() > options_.history || now - s.history.front().at > options_.retention))
    s.history.pop_front();
}

void EmbeddedEventBus::commit(const std::string& player, Stored e) {
  auto& stream = streams_[player];
  for (auto* s : stream.subscribers) s->push(e.text);
  auto at = e.at;
  stream.history.push_back(std::move(e));
  trim(stream, at);
  if (++publishes_ % 1024 == 0) sweep(at);
}

void EmbeddedEventBus::publish(const std::string& player, std::string_view type, boost::json::object data) {
  std::vector<Published> one;
  one.push_back(Published{player, std::string(type), std::move(data)});
  publish_all(std::move(one));
}

void EmbeddedEventBus::publish_all(std::vector<Published> events, std::function<void()> sent) {
  auto now = clock_.now();
  {
    std::lock_guard lock(mutex_);
    // Queued under one lock: the writer takes them in one batch.
    bool wake = queue_.empty();
    for (auto& e : events) {
      auto id = ++next_id_;  // one sequence for all players: a dropped stream never reuses an id
      auto text = event_text(id, e.type, e.data);
      if (!log_)
        commit(e.player, {id, now, std::move(text)});
      else
        queue_.push_back({id, std::move(e.player), now, std::move(text)});
    }
    if (log_ && !queue_.empty()) {
      if (sent) sent_.push_back(std::move(sent));
      if (wake) queued_.notify_one();
      return;
    }
  }
  if (sent) sent();
}

// Appends what is queued in batches, then keeps and sends it. An event the
// log refused is still sent (and logged): a full disk should not silence
// the players, only cost them their replay after a restart.
void EmbeddedEventBus::write_loop() {
  auto last_prune = clock_.now();
  std::vector<LoggedEvent> batch;
  std::vector<std::function<void()>> sent;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      queued_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything is written
      batch.swap(queue_);
      sent.swap(sent_);
    }
    if (auto r = log_->append(batch); !r)
      spdlog::error("{} events not kept across a restart: {}", batch.size(), r.error().message);
    auto now = clock_.now();
    if (now - last_prune > std::chrono::seconds(10)) {
      last_prune = now;
      if (auto r = log_->prune(now - options_.retention); !r) spdlog::warn("{}", r.error().message);
    }
    {
      std::lock_guard lock(mutex_);
      for (auto& e : batch) commit(e.player, {e.id, e.at, std::move(e.text)});
      batch.clear();
    }
    for (auto& then : sent) then();
    sent.clear();
  }
}

asio::awaitable<Result<std::vector<std::string>>> EmbeddedEventBus::replay(const std::string& player,
                                                                           std::uint64_t since) {
  std::vector<std::string> out;
  {
    std::lock_guard lock(mutex_);
    if (auto it = streams_.find(player); it != streams_.end()) {
      trim(it->second, clock_.now());
      for (const auto& e : it->second.history)
        if (e.id > since) out.push_back(e.text);
    }
  }
  co_return out;
}

std::shared_ptr<Subscription> EmbeddedEventBus::subscribe(const std::string& player, std::uint64_t since,
                                                          asio::any_io_executor executor) {
  auto sub = std::make_shared<Subscription>(std::move(executor));
  std::lock_guard lock(mutex_);
  if (closed_) {
    sub->close();
    return sub;
  }
  auto& stream = streams_[player];
  trim(stream, clock_.now());
  for (const auto& e : stream.history)
    if (e.id > since) sub->push(e.text);
  stream.subscribers.push_back(sub.get());
  sub->set_detach([this, player](Subscription* s) { unsubscribe(player, s); });
  return sub;
}

void EmbeddedEventBus::sweep(TimePoint now) {
  for (auto it = streams_.begin(); it != streams_.end();) {
    trim(it->second, now);
    if (it->second.subscribers.empty() && it->second.history.empty())
      it = streams_.erase(it);
    else
      ++it;
  }
}

void EmbeddedEventBus::unsubscribe(const std::string& player, Subscription* s) {
  std::lock_guard lock(mutex_);
  auto it = streams_.find(player);
  if (it != streams_.end()) it->second.subscribers.remove(s);
}

void EmbeddedEventBus::close_all() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  for (auto& [player, stream] : streams_)
    for (auto* s : stream.subscribers) s->close();
}

}  // namespace webgames
