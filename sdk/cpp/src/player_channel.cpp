#include "player_channel.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace webgames::sdk {

std::string_view to_string(Transport t) { return t == Transport::ws ? "ws" : "tcp"; }

namespace detail {

namespace asio = boost::asio;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

std::string error_message(std::string_view code, std::string_view reason) {
  return boost::json::serialize(boost::json::object{{"type", "error"}, {"code", code}, {"reason", reason}});
}

PlayerChannel::PlayerChannel(Transport transport, const asio::any_io_executor& executor, std::size_t max_queued)
    : PlayerConnection(transport),
      max_queued_(max_queued),
      wake_writer_(executor, asio::steady_timer::time_point::max()),
      closed_(executor, asio::steady_timer::time_point::max()) {}

void PlayerChannel::start() {
  asio::co_spawn(
      wake_writer_.get_executor(), [self = shared_from_this()] { return self->write_queued(); }, asio::detached);
}

void PlayerChannel::send(std::string_view message) {
  if (closing_) return;
  if (outbox_.size() >= max_queued_) {
    close_now();
    return;
  }
  outbox_.emplace_back(message);
  wake_writer_.cancel();
}

void PlayerChannel::close() {
  closing_ = true;
  wake_writer_.cancel();
}

void PlayerChannel::close_now() {
  closing_ = true;
  outbox_.clear();
  abort();
  wake_writer_.cancel();
}

asio::awaitable<void> PlayerChannel::wait_closed() {
  if (!writer_done_) co_await closed_.async_wait(kNoThrow);
}

asio::awaitable<void> PlayerChannel::linger(std::chrono::milliseconds how_long) {
  wake_writer_.expires_after(how_long);
  co_await wake_writer_.async_wait(kNoThrow);
}

asio::awaitable<void> PlayerChannel::write_queued() {
  while (is_open()) {
    if (outbox_.empty()) {
      if (closing_) break;
      wake_writer_.expires_at(asio::steady_timer::time_point::max());
      co_await wake_writer_.async_wait(kNoThrow);
      continue;
    }
    if (auto ec = co_await write_one(outbox_.front()); ec) break;
    outbox_.pop_front();
  }
  if (is_open()) co_await finish();
  abort();
  writer_done_ = true;
  closed_.cancel();
}

}  // namespace detail
}  // namespace webgames::sdk
