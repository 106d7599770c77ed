#include "events/event_bus.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>

namespace webgames {

namespace asio = boost::asio;

Subscription::Subscription(asio::any_io_executor executor, std::function<void(Subscription*)> detach)
    : detach_(std::move(detach)), executor_(std::move(executor)) {}

Subscription::~Subscription() {
  if (detach_) detach_(this);
}

void Subscription::wake_locked() {
  if (waiter_) asio::post(executor_, std::move(waiter_));
}

void Subscription::push(std::string event) {
  std::lock_guard lock(mutex_);
  if (closed_) return;
  if (pending_.size() - taken_ >= kMaxQueuedEvents || pending_bytes_ + event.size() > kMaxQueuedBytes)
    return end_now_locked(Ending::too_slow);
  pending_bytes_ += event.size();
  pending_.push_back(std::move(event));
  wake_locked();
}

void Subscription::end_now(Ending why) {
  std::lock_guard lock(mutex_);
  if (!closed_) end_now_locked(why);
}

void Subscription::end_now_locked(Ending why) {
  pending_ = {};
  taken_ = 0;
  pending_bytes_ = 0;
  closed_ = true;
  ending_ = why;
  wake_locked();
}

Subscription::Ending Subscription::ending() {
  std::lock_guard lock(mutex_);
  return ending_;
}

void Subscription::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  wake_locked();
}

bool Subscription::closed() {
  std::lock_guard lock(mutex_);
  return closed_;
}

std::optional<std::string> Subscription::take() {
  std::lock_guard lock(mutex_);
  if (taken_ == pending_.size()) return std::nullopt;
  auto e = std::move(pending_[taken_++]);
  pending_bytes_ -= e.size();
  if (taken_ == pending_.size()) {
    pending_ = {};
    taken_ = 0;
  }
  return e;
}

bool Subscription::ended() {
  std::lock_guard lock(mutex_);
  return closed_ && taken_ == pending_.size();
}

void Subscription::on_ready(asio::any_completion_handler<void()> f) {
  std::lock_guard lock(mutex_);
  // Swapped, not move-assigned: Boost 1.81's move assignment wraps the
  // handler in itself without end.
  waiter_.swap(f);
  if (closed_ || taken_ < pending_.size()) wake_locked();
}

asio::awaitable<std::optional<std::string>> Subscription::next() {
  // The coroutine waits on a timer of its own, not in on_ready: it holds
  // this subscription, which would then hold it (a cycle that a stopped
  // loop never breaks), while a timer's wait belongs to the loop.
  asio::steady_timer wake(executor_, asio::steady_timer::time_point::max());
  for (;;) {
    if (auto e = take()) co_return e;
    if (ended()) co_return std::nullopt;
    on_ready([&wake] { wake.cancel(); });
    co_await wake.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

std::string event_text(std::uint64_t id, std::string_view type, const boost::json::object& data) {
  // Built by hand so that the id comes first (event_id reads it there).
  std::string text = "{\"id\":" + std::to_string(id) + ",\"type\":";
  text += boost::json::serialize(boost::json::string_view(type.data(), type.size()));
  text += ",\"data\":";
  text += boost::json::serialize(data);
  text += '}';
  return text;
}

std::uint64_t event_id(std::string_view text) {
  constexpr std::string_view prefix = "{\"id\":";
  if (!text.starts_with(prefix)) return 0;
  std::uint64_t id = 0;
  auto begin = text.data() + prefix.size();
  auto [ptr, ec] = std::from_chars(begin, text.data() + text.size(), id);
  return ec == std::errc() ? id : 0;
}

void EventBus::publish_all(std::vector<Published> events, std::function<void()> sent) {
  for (auto& e : events) publish(e.player, e.type, std::move(e.data));
  if (sent) sent();
}

}  // namespace webgames
