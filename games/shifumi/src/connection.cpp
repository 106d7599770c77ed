#include "connection.h"

#include "messages.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/json/serialize.hpp>

namespace shifumi {

namespace asio = boost::asio;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr auto kLinger = std::chrono::seconds(1);

Connection::Connection(asio::ip::tcp::socket socket)
    : socket_(std::move(socket)),
      wake_writer_(socket_.get_executor(), asio::steady_timer::time_point::max()),
      closed_(socket_.get_executor(), asio::steady_timer::time_point::max()) {}

void Connection::start() {
  asio::co_spawn(
      socket_.get_executor(), [self = shared_from_this()] { return self->write_queued(); }, asio::detached);
}

asio::awaitable<std::optional<std::string>> Connection::read_line() {
  // The buffer's limit is the line limit: one byte more for the '\n'.
  auto [ec, n] =
      co_await asio::async_read_until(socket_, asio::dynamic_buffer(input_, kMaxLineBytes + 1), '\n', kNoThrow);
  if (ec == asio::error::not_found) {
    send(error_message("line_too_long", "a line is at most 4096 bytes"));
    close();
    co_return std::nullopt;
  }
  if (ec) {
    peer_closed_ = true;
    close();
    co_return std::nullopt;
  }
  std::string line = input_.substr(0, n - 1);
  input_.erase(0, n);
  if (line.ends_with('\r')) line.pop_back();
  co_return line;
}

void Connection::send(const boost::json::object& message) {
  if (closing_) return;
  if (outbox_.size() >= kMaxQueuedMessages) {
    close_now();
    return;
  }
  outbox_.push_back(boost::json::serialize(message) + "\n");
  wake_writer_.cancel();
}

void Connection::close() {
  closing_ = true;
  wake_writer_.cancel();
}

void Connection::close_now() {
  closing_ = true;
  outbox_.clear();
  boost::system::error_code ignored;
  socket_.close(ignored);  // fails the writer's and the reader's operations
  wake_writer_.cancel();
}

asio::awaitable<void> Connection::wait_closed() {
  if (!writer_done_) co_await closed_.async_wait(kNoThrow);
}

asio::awaitable<void> Connection::write_queued() {
  while (socket_.is_open()) {
    if (outbox_.empty()) {
      if (closing_) break;
      wake_writer_.expires_at(asio::steady_timer::time_point::max());
      co_await wake_writer_.async_wait(kNoThrow);
      continue;
    }
    auto [ec, n] = co_await asio::async_write(socket_, asio::buffer(outbox_.front()), kNoThrow);
    if (ec) break;
    outbox_.pop_front();
  }
  // Half-close, then wait for the client to close its side (the reader sees
  // that) for a little while: closing at once, with input unread, would reset
  // the connection and could cost the client our last lines.
  boost::system::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  if (socket_.is_open() && !peer_closed_) {
    wake_writer_.expires_after(kLinger);
    co_await wake_writer_.async_wait(kNoThrow);
  }
  socket_.close(ignored);
  writer_done_ = true;
  closed_.cancel();
}

}  // namespace shifumi
