#include "redis/redis_logouts.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <charconv>
#include <deque>
#include <mutex>

namespace webgames::redis {
namespace {

namespace asio = boost::asio;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kMaxQueued = 100'000;

std::int64_t ms(TimePoint t) { return t.time_since_epoch().count(); }

std::optional<std::int64_t> number(std::string_view text) {
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return n;
}

}  // namespace

class RedisLogouts::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(asio::any_io_executor executor, std::shared_ptr<Client> client, AccessTokens& tokens, std::string prefix)
      : strand_(asio::make_strand(std::move(executor))),
        client_(std::move(client)),
        tokens_(tokens),
        key_(prefix + ":logouts"),
        wake_(strand_, asio::steady_timer::time_point::max()) {}

  void start() {
    std::weak_ptr<Impl> weak = weak_from_this();
    Subscriber::Handlers h;
    h.subscribed = [weak](const std::string&) {
      if (auto self = weak.lock()) self->catch_up();
    };
    h.message = [weak](const std::string&, std::string payload) {
      if (auto self = weak.lock()) self->learn(payload);
    };
    asio::post(strand_, [self = shared_from_this(), h = std::move(h)]() mutable {
      self->subscriber_ = std::make_unique<Subscriber>(self->strand_, self->client_->options(), std::move(h));
      self->subscriber_->subscribe(self->key_);
      asio::co_spawn(
          self->strand_, [self] { return self->writer(); }, asio::detached);
    });
  }

  void stop() {
    asio::post(strand_, [self = shared_from_this()] {
      self->stopped_ = true;
      self->wake_.cancel();
      self->subscriber_.reset();
    });
  }

  void share(const std::string& login_id, TimePoint until) {
    bool wake;
    {
      std::lock_guard lock(mutex_);
      if (queue_.size() >= kMaxQueued) {
        spdlog::error("redis logouts: {} logouts waiting for Redis; dropping the oldest", queue_.size());
        queue_.pop_front();
      }
      wake = queue_.empty();
      queue_.push_back({login_id, until});
    }
    if (wake) asio::post(strand_, [self = shared_from_this()] { self->wake_.cancel(); });
  }

  std::size_t pending() const {
    std::lock_guard lock(mutex_);
    return queue_.size();
  }

 private:
  struct Logout {
    std::string login_id;
    TimePoint until;
  };

  // "<until ms> <login id>", as published.
  void learn(std::string_view payload) {
    auto space = payload.find(' ');
    if (space == std::string_view::npos) return;
    auto until = number(payload.substr(0, space));
    if (!until) return;
    tokens_.revoke_login(std::string(payload.substr(space + 1)), TimePoint{std::chrono::milliseconds{*until}});
  }

  // Reads every logout still in force (after a reconnect: those missed).
  void catch_up() {
    asio::co_spawn(
        strand_,
        [self = shared_from_this()]() -> asio::awaitable<void> {
          auto now = std::to_string(ms(self->tokens_now()));
          auto read = cmd(std::vector<std::string>{"ZRANGE", self->key_, now, "+inf", "BYSCORE", "WITHSCORES"});
          auto r = co_await self->client_->call(std::move(read));
          if (!r) {
            spdlog::warn("redis logouts: cannot read the logouts: {}", r.error().message);
            co_return;
          }
          for (std::size_t i = 0; i + 1 < r->elements.size(); i += 2)
            if (auto until = number(r->elements[i + 1].str))
              self->tokens_.revoke_login(r->elements[i].str, TimePoint{std::chrono::milliseconds{*until}});
        },
        asio::detached);
  }

  TimePoint tokens_now() const { return tokens_.clock().now(); }

  asio::awaitable<void> writer() {
    auto backoff = client_->options().backoff_min;
    while (!stopped_) {
      std::optional<Logout> next;
      {
        std::lock_guard lock(mutex_);
        if (!queue_.empty()) next = queue_.front();
        if (!next) wake_.expires_at(asio::steady_timer::time_point::max());
      }
      if (!next) {
        co_await wake_.async_wait(kNoThrow);
        continue;
      }
      auto until = std::to_string(ms(next->until));
      std::vector<Command> commands;
      commands.push_back(cmd(std::vector<std::string>{"ZADD", key_, "GT", until, next->login_id}));
      commands.push_back(
          cmd(std::vector<std::string>{"ZREMRANGEBYSCORE", key_, "-inf", fmt::format("({}", ms(tokens_now()))}));
      commands.push_back(cmd(std::vector<std::string>{"PEXPIREAT", key_, until, "GT"}));
      commands.push_back(cmd(std::vector<std::string>{"PUBLISH", key_, until + " " + next->login_id}));
      auto replies = co_await client_->pipeline(std::move(commands));
      bool done = replies && std::all_of(replies->begin(), replies->end(), [](const auto& r) { return r.has_value(); });
      if (!done) {
        asio::steady_timer pause(strand_, backoff);
        co_await pause.async_wait(kNoThrow);
        backoff = std::min(backoff * 2, client_->options().backoff_max);
        continue;
      }
      backoff = client_->options().backoff_min;
      std::lock_guard lock(mutex_);
      if (!queue_.empty()) queue_.pop_front();
    }
  }

  asio::strand<asio::any_io_executor> strand_;
  std::shared_ptr<Client> client_;
  AccessTokens& tokens_;
  std::string key_;
  std::unique_ptr<Subscriber> subscriber_;
  asio::steady_timer wake_;
  bool stopped_ = false;
  mutable std::mutex mutex_;
  std::deque<Logout> queue_;
};

RedisLogouts::RedisLogouts(asio::any_io_executor executor, std::shared_ptr<Client> client, AccessTokens& tokens,
                           std::string prefix)
    : impl_(std::make_shared<Impl>(std::move(executor), std::move(client), tokens, std::move(prefix))) {
  impl_->start();
}

RedisLogouts::~RedisLogouts() { impl_->stop(); }

void RedisLogouts::share(const std::string& login_id, TimePoint until) { impl_->share(login_id, until); }

std::size_t RedisLogouts::pending() const { return impl_->pending(); }

}  // namespace webgames::redis
