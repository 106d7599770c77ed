#include "events/event_hub.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>

namespace webgames {

namespace asio = boost::asio;

Subscription::Subscription(EventHub& hub, std::string player, asio::any_io_executor executor)
    : hub_(hub), player_(std::move(player)), wake_(executor, asio::steady_timer::time_point::max()) {}

Subscription::~Subscription() { hub_.unsubscribe(player_, this); }

void Subscription::push(std::string event) {
  {
    std::lock_guard lock(mutex_);
    pending_.push_back(std::move(event));
  }
  asio::post(wake_.get_executor(), [weak = weak_from_this()] {
    if (auto self = weak.lock()) self->wake_.cancel();
  });
}

void Subscription::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  asio::post(wake_.get_executor(), [weak = weak_from_this()] {
    if (auto self = weak.lock()) self->wake_.cancel();
  });
}

asio::awaitable<std::optional<std::string>> Subscription::next() {
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (!pending_.empty()) {
        auto e = std::move(pending_.front());
        pending_.pop_front();
        co_return e;
      }
      if (closed_) co_return std::nullopt;
      wake_.expires_at(asio::steady_timer::time_point::max());
    }
    co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

EventHub::EventHub(const Clock& clock, std::size_t history, std::chrono::seconds retention)
    : clock_(clock), history_(history), retention_(retention) {}

void EventHub::trim(Stream& s, TimePoint now) {
  while (!s.history.empty() && (s.history.size() > history_ || now - s.history.front().at > retention_))
    s.history.pop_front();
}

std::uint64_t EventHub::publish(const std::string& player, std::string_view type, boost::json::object data) {
  auto now = clock_.now();
  std::lock_guard lock(mutex_);
  auto& stream = streams_[player];
  auto id = ++next_id_;  // one sequence for all players: a dropped stream never reuses an id
  auto text = boost::json::serialize(boost::json::object{{"id", id}, {"type", type}, {"data", std::move(data)}});
  stream.history.push_back({id, now, text});
  trim(stream, now);
  for (auto* s : stream.subscribers) s->push(text);
  if (++publishes_ % 1024 == 0) sweep(now);
  return id;
}

std::shared_ptr<Subscription> EventHub::subscribe(const std::string& player, std::uint64_t since,
                                                  asio::any_io_executor executor) {
  auto sub = std::make_shared<Subscription>(*this, player, std::move(executor));
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
  return sub;
}

void EventHub::sweep(TimePoint now) {
  for (auto it = streams_.begin(); it != streams_.end();) {
    trim(it->second, now);
    if (it->second.subscribers.empty() && it->second.history.empty())
      it = streams_.erase(it);
    else
      ++it;
  }
}

void EventHub::unsubscribe(const std::string& player, Subscription* s) {
  std::lock_guard lock(mutex_);
  auto it = streams_.find(player);
  if (it != streams_.end()) it->second.subscribers.remove(s);
}

void EventHub::close_all() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  for (auto& [player, stream] : streams_)
    for (auto* s : stream.subscribers) s->close();
}

}  // namespace webgames
