#include "redis/redis_game_changes.h"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

namespace webgames::redis {

namespace asio = boost::asio;

class RedisGameChanges::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(asio::any_io_executor executor, std::shared_ptr<Client> client, GameCache& cache, std::string prefix)
      : strand_(asio::make_strand(std::move(executor))),
        client_(std::move(client)),
        cache_(cache),
        channel_(prefix + ":games") {}

  void start() {
    std::weak_ptr<Impl> weak = weak_from_this();
    Subscriber::Handlers h;
    // Messages may have been missed while the subscription was down.
    h.subscribed = [weak](const std::string&) {
      if (auto self = weak.lock()) self->cache_.clear();
    };
    h.lost = [weak](const Error&) {
      if (auto self = weak.lock()) self->cache_.clear();
    };
    h.message = [weak](const std::string&, std::string name) {
      if (auto self = weak.lock()) self->cache_.erase(name);
    };
    asio::post(strand_, [self = shared_from_this(), h = std::move(h)]() mutable {
      self->subscriber_ = std::make_unique<Subscriber>(self->strand_, self->client_->options(), std::move(h));
      self->subscriber_->subscribe(self->channel_);
    });
  }

  void stop() {
    asio::post(strand_, [self = shared_from_this()] { self->subscriber_.reset(); });
  }

  asio::awaitable<void> share(std::string name) {
    auto publish = cmd(std::vector<std::string>{"PUBLISH", channel_, name});
    auto r = co_await client_->call(std::move(publish));
    if (!r)
      spdlog::warn(
          "redis game changes: the other replicas were not told of game {}'s change (their caches lag by "
          "at most their TTL): {}",
          name, r.error().message);
  }

 private:
  asio::strand<asio::any_io_executor> strand_;
  std::shared_ptr<Client> client_;
  GameCache& cache_;
  std::string channel_;
  std::unique_ptr<Subscriber> subscriber_;
};

RedisGameChanges::RedisGameChanges(asio::any_io_executor executor, std::shared_ptr<Client> client, GameCache& cache,
                                   std::string prefix)
    : impl_(std::make_shared<Impl>(std::move(executor), std::move(client), cache, std::move(prefix))) {
  impl_->start();
}

RedisGameChanges::~RedisGameChanges() { impl_->stop(); }

boost::asio::awaitable<void> RedisGameChanges::share(std::string name) {
  auto impl = impl_;  // alive until Redis answers
  co_await impl->share(std::move(name));
}

}  // namespace webgames::redis
