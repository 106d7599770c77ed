#include "webgames/players.h"

#include "player_channel.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>

#include <set>
#include <vector>

namespace webgames::sdk {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using asio::ip::tcp;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

// The token of a join message, or the refusal of anything else.
Expected<std::string> join_token(std::string_view message) {
  boost::system::error_code ec;
  auto value = json::parse(message, ec);
  auto* object = ec ? nullptr : value.if_object();
  auto* type = object ? object->if_contains("type") : nullptr;
  if (type == nullptr || !type->is_string() || type->get_string() != "join")
    return Error{"bad_request", "the first message must be {\"type\":\"join\",\"token\":...}"};
  auto* token = object->if_contains("token");
  if (token == nullptr || !token->is_string()) return Error{"bad_request", "join needs a \"token\""};
  return std::string(token->get_string());
}

}  // namespace

struct PlayerListener::Impl : std::enable_shared_from_this<Impl> {
  struct Port {
    Transport transport;
    tcp::acceptor acceptor;
  };

  asio::any_io_executor executor;
  const Session& session;
  PlayerEvents events;
  Options options;
  std::vector<std::unique_ptr<Port>> ports;
  std::set<std::shared_ptr<detail::PlayerChannel>> open;  // joined or not
  bool listener_gone = false;                             // no more callbacks

  Impl(asio::any_io_executor e, const Session& s, PlayerEvents ev, Options o)
      : executor(std::move(e)), session(s), events(std::move(ev)), options(o) {}

  detail::ChannelLimits limits() const {
    return {options.max_message_bytes, options.max_queued_messages, options.join_timeout, options.ws_idle_timeout};
  }

  static asio::awaitable<void> accept(std::shared_ptr<Impl> self, Port& port) {
    for (;;) {
      tcp::socket socket(self->executor);
      boost::system::error_code ec;
      co_await port.acceptor.async_accept(socket, asio::redirect_error(asio::use_awaitable, ec));
      if (ec == asio::error::operation_aborted || !port.acceptor.is_open()) co_return;
      if (ec) continue;  // a client that gave up while queued, or out of descriptors for a moment
      socket.set_option(tcp::no_delay(true), ec);  // games send small messages that should not wait
      auto limits = self->limits();
      spawn_serve(self, port.transport == Transport::ws ? detail::make_ws_channel(std::move(socket), limits)
                                                        : detail::make_tcp_channel(std::move(socket), limits));
    }
  }

  // Not a coroutine: GCC 12 miscompiles lambdas that capture a coroutine's locals.
  static void spawn_serve(const std::shared_ptr<Impl>& self, std::shared_ptr<detail::PlayerChannel> channel) {
    asio::co_spawn(self->executor, serve(self, std::move(channel)), asio::detached);
  }

  static asio::awaitable<void> serve(std::shared_ptr<Impl> self, std::shared_ptr<detail::PlayerChannel> channel) {
    self->open.insert(channel);
    // Awaited apart from the if: GCC 12 miscompiles a co_await in a condition here.
    bool opened = co_await channel->open();
    if (opened) {
      channel->start();
      co_await self->join_and_relay(channel);
    }
    self->open.erase(channel);
  }

  // The player a connection's first message joins as.
  Expected<Player> admit(std::string_view first) const {
    auto token = join_token(first);
    if (!token) return token.error();
    return session.verify_join(*token);
  }

  asio::awaitable<void> join_and_relay(const std::shared_ptr<detail::PlayerChannel>& channel) {
    asio::steady_timer deadline(executor, options.join_timeout);
    deadline.async_wait([weak = std::weak_ptr(channel), timeout = options.join_timeout](boost::system::error_code ec) {
      auto c = weak.lock();
      if (ec || !c) return;
      auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout).count();
      c->send(detail::error_message("join_timeout", "no join within " + std::to_string(seconds) + " s"));
      c->close();
    });
    auto first = co_await channel->read();
    deadline.cancel();
    if (!first || channel->closing()) co_return;
    auto player = admit(*first);
    if (!player) {
      channel->send(detail::error_message(player.error().code, player.error().message));
      channel->close();
      co_return;
    }
    channel->joined(std::move(*player));
    PlayerConnectionPtr connection = channel;
    if (!listener_gone && events.connected) events.connected(connection);
    for (;;) {
      auto message = co_await channel->read();
      if (!message) break;
      // What comes after the game closed the connection is not the game's to read.
      if (!channel->closing() && !listener_gone && events.message) events.message(connection, *message);
    }
    if (!listener_gone && events.disconnected) events.disconnected(connection);
  }

  void stop() {
    for (auto& port : ports) {
      boost::system::error_code ignored;
      port->acceptor.close(ignored);
    }
  }
};

PlayerListener::PlayerListener(asio::any_io_executor executor, const Session& session, PlayerEvents events,
                               Options options)
    : impl_(std::make_shared<Impl>(std::move(executor), session, std::move(events), options)) {}

PlayerListener::~PlayerListener() {
  impl_->listener_gone = true;
  impl_->stop();
  // Copied: closing may end a connection's coroutine, which erases it from the set.
  auto open = impl_->open;
  for (const auto& channel : open) channel->close_now();
}

std::uint16_t PlayerListener::listen(Transport transport, const tcp::endpoint& endpoint) {
  auto port = std::make_unique<Impl::Port>(Impl::Port{transport, tcp::acceptor(impl_->executor, endpoint)});
  auto number = port->acceptor.local_endpoint().port();
  impl_->ports.push_back(std::move(port));
  return number;
}

void PlayerListener::start() {
  for (auto& port : impl_->ports) asio::co_spawn(impl_->executor, Impl::accept(impl_, *port), asio::detached);
}

void PlayerListener::stop() { impl_->stop(); }

asio::awaitable<void> close_all(std::vector<PlayerConnectionPtr> connections, std::chrono::milliseconds limit) {
  for (auto& c : connections) c->close();
  asio::steady_timer timer(co_await asio::this_coro::executor, limit);
  timer.async_wait([connections](boost::system::error_code ec) {
    if (!ec)
      for (auto& c : connections) c->close_now();
  });
  for (auto& c : connections) co_await c->wait_closed();
  timer.cancel();
}

}  // namespace webgames::sdk
