#include "events/event_bus.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>

namespace webgames {

namespace asio = boost::asio;

Subscription::Subscription(asio::any_io_executor executor, std::function<void(Subscription*)> detach)
    : detach_(std::move(detach)), wake_(std::move(executor), asio::steady_timer::time_point::max()) {}

Subscription::~Subscription() {
  if (detach_) detach_(this);
}

void Subscription::wake() {
  asio::post(wake_.get_executor(), [weak = weak_from_this()] {
    if (auto self = weak.lock()) self->wake_.cancel();
  });
}

void Subscription::push(std::string event) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    pending_.push_back(std::move(event));
  }
  wake();
}

void Subscription::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  wake();
}

bool Subscription::closed() {
  std::lock_guard lock(mutex_);
  return closed_;
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
