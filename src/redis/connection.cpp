#include "redis/connection.h"

#include <fmt/format.h>
#include <hiredis/hiredis.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>

#include <algorithm>
#include <array>

namespace webgames::redis {
namespace {

namespace asio = boost::asio;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

struct ReaderDeleter {
  void operator()(redisReader* r) const { redisReaderFree(r); }
};
using ReaderPtr = std::unique_ptr<redisReader, ReaderDeleter>;

// Parses what is buffered in `reader` into replies; false on a protocol error.
template <class Sink>
bool drain(redisReader& reader, Sink&& sink) {
  for (;;) {
    void* raw = nullptr;
    if (redisReaderGetReply(&reader, &raw) != REDIS_OK) return false;
    if (raw == nullptr) return true;
    auto reply = Reply::from(*static_cast<redisReply*>(raw));
    freeReplyObject(raw);
    if (!sink(std::move(reply))) return true;
  }
}

}  // namespace

Connection::Connection(asio::strand<asio::any_io_executor> strand, Options options, Handlers handlers)
    : strand_(std::move(strand)),
      options_(std::move(options)),
      handlers_(std::move(handlers)),
      backoff_(strand_),
      wake_(strand_, asio::steady_timer::time_point::max()) {}

void Connection::start() {
  asio::co_spawn(
      strand_, [self = shared_from_this()] { return self->run(); }, asio::detached);
}

void Connection::stop() {
  stopped_ = true;
  up_ = false;
  if (stream_) stream_->close();
  backoff_.cancel();
  wake_.cancel();
}

void Connection::write(std::string bytes) {
  if (!up_) return;
  if (out_.empty()) wake_.cancel();
  if (out_.empty())
    out_ = std::move(bytes);
  else
    out_ += bytes;
}

Error Connection::network_error(std::string_view what, const boost::system::error_code& ec) const {
  auto reason = ec == boost::beast::error::timeout ? std::string("timed out") : ec.message();
  return make_error(Errc::unavailable, fmt::format("redis {}: {}: {}", options_.address(), what, reason));
}

asio::awaitable<Result<void>> Connection::open(Stream& stream) {
  stream.expires_after(options_.connect_timeout);
  asio::ip::tcp::resolver resolver(strand_);
  auto [rec, endpoints] = co_await resolver.async_resolve(options_.host, std::to_string(options_.port), kNoThrow);
  if (rec) co_return network_error("resolve", rec);
  auto [cec, endpoint] = co_await stream.async_connect(endpoints, kNoThrow);
  if (cec) co_return network_error("connect", cec);
  boost::system::error_code ignored;
  stream.socket().set_option(asio::ip::tcp::no_delay(true), ignored);
  stream.socket().set_option(asio::socket_base::keep_alive(true), ignored);

  std::vector<Command> hello;
  if (!options_.password.empty()) {
    if (options_.user.empty())
      hello.push_back(cmd({"AUTH", options_.password}));
    else
      hello.push_back(cmd({"AUTH", options_.user, options_.password}));
  }
  if (options_.database != 0) hello.push_back(cmd({"SELECT", std::to_string(options_.database)}));
  if (!hello.empty()) {
    std::string bytes;
    for (const auto& c : hello) bytes += format(c);
    auto [wec, n] = co_await asio::async_write(stream, asio::buffer(bytes), kNoThrow);
    if (wec) co_return network_error("write", wec);
    ReaderPtr reader(redisReaderCreate());
    std::vector<Reply> replies;
    std::array<char, 4096> buf;
    while (replies.size() < hello.size()) {
      auto [rec2, got] = co_await stream.async_read_some(asio::buffer(buf), kNoThrow);
      if (rec2) co_return network_error("read", rec2);
      redisReaderFeed(reader.get(), buf.data(), got);
      if (!drain(*reader, [&](Reply r) {
            replies.push_back(std::move(r));
            return true;
          }))
        co_return make_error(Errc::unavailable, fmt::format("redis {}: protocol error", options_.address()));
    }
    for (std::size_t i = 0; i < hello.size(); ++i)
      if (replies[i].is_error())
        co_return make_error(Errc::unavailable,
                             fmt::format("redis {}: {}: {}", options_.address(), hello[i].args[0], replies[i].str));
  }
  stream.expires_never();
  co_return Result<void>{};
}

asio::awaitable<void> Connection::run() {
  auto backoff = options_.backoff_min;
  while (!stopped_) {
    if (handlers_.attempt) handlers_.attempt();
    stream_ = std::make_shared<Stream>(strand_);
    auto opened = co_await open(*stream_);
    if (stopped_) break;
    if (opened) {
      backoff = options_.backoff_min;
      up_ = true;
      out_.clear();
      auto generation = ++generation_;
      handlers_.up();
      asio::co_spawn(
          strand_, [self = shared_from_this(), s = stream_, generation] { return self->write_loop(s, generation); },
          asio::detached);
      co_await read_loop(stream_);
      if (stopped_) break;
    } else {
      stream_->close();
      handlers_.down(opened.error());
      if (stopped_) break;
    }
    backoff_.expires_after(backoff);
    co_await backoff_.async_wait(kNoThrow);
    backoff = std::min(backoff * 2, options_.backoff_max);
  }
}

void Connection::lose(std::uint64_t generation, Error error) {
  if (generation != generation_ || !up_) return;
  up_ = false;
  out_.clear();
  stream_->close();
  wake_.cancel();
  if (!stopped_) handlers_.down(error);
}

asio::awaitable<void> Connection::read_loop(std::shared_ptr<Stream> stream) {
  auto generation = generation_;
  ReaderPtr reader(redisReaderCreate());
  std::vector<char> buf(64 * 1024);
  while (up_ && generation == generation_) {
    auto [ec, n] = co_await stream->async_read_some(asio::buffer(buf), kNoThrow);
    if (ec) {
      lose(generation, ec == asio::error::eof
                           ? make_error(Errc::unavailable,
                                        fmt::format("redis {}: connection closed by the server", options_.address()))
                           : network_error("read", ec));
      co_return;
    }
    if (redisReaderFeed(reader.get(), buf.data(), n) != REDIS_OK || !drain(*reader, [&](Reply r) {
          handlers_.reply(std::move(r));
          return up_ && generation == generation_;
        })) {
      lose(generation, make_error(Errc::unavailable, fmt::format("redis {}: protocol error", options_.address())));
      co_return;
    }
  }
}

asio::awaitable<void> Connection::write_loop(std::shared_ptr<Stream> stream, std::uint64_t generation) {
  while (up_ && generation == generation_) {
    if (out_.empty()) {
      wake_.expires_at(asio::steady_timer::time_point::max());
      co_await wake_.async_wait(kNoThrow);
      continue;
    }
    std::string batch;
    batch.swap(out_);
    auto [ec, n] = co_await asio::async_write(*stream, asio::buffer(batch), kNoThrow);
    if (ec) {
      lose(generation, network_error("write", ec));
      co_return;
    }
  }
}

}  // namespace webgames::redis
