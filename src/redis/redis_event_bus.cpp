#include "redis/redis_event_bus.h"

#include "core/encoding.h"
#include "redis/event_streams.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <deque>
#include <limits>
#include <map>
#include <mutex>
#include <set>
#include <unordered_map>

namespace webgames::redis {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

// Appends one event to a player's stream and publishes it (see the header),
// unless a first try did: KEYS[1] the stream. ARGV[1] the event's text after
// its id (event_body), ARGV[2] the publish token, ARGV[3] how many of the
// newest entries to search for the token (0 on a first try), ARGV[4] MAXLEN
// ~, ARGV[5] the expiry in ms. Returns the event's id.
const char* const kPublishLua = R"lua(
local look = tonumber(ARGV[3])
if look > 0 then
  for _, entry in ipairs(redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', look)) do
    local f = entry[2]
    for j = 1, #f - 1, 2 do
      if f[j] == 'u' and f[j + 1] == ARGV[2] then return tonumber(string.match(entry[1], '^(%d+)')) end
    end
  end
end
return append_event(KEYS[1], ARGV[1], ARGV[2], ARGV[4], ARGV[5])
)lua";

constexpr std::size_t kPage = 100;       // entries per XRANGE
constexpr std::size_t kMaxPages = 20;    // a catch-up reads at most this many pages
constexpr std::size_t kRetryLook = 256;  // entries searched for a retried event's token
constexpr std::size_t kMaxBuffered = 10'000;

// The texts of an XRANGE reply's entries (field "e").
std::vector<std::string> entry_texts(Reply& reply) {
  std::vector<std::string> out;
  for (auto& entry : reply.elements) {
    if (entry.elements.size() < 2) continue;
    auto& fields = entry.elements[1].elements;
    for (std::size_t i = 0; i + 1 < fields.size(); i += 2)
      if (fields[i].str == "e") out.push_back(std::move(fields[i + 1].str));
  }
  return out;
}

}  // namespace

class RedisEventBus::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(asio::any_io_executor executor, std::shared_ptr<Client> client, EventBusOptions options)
      : strand_(asio::make_strand(std::move(executor))),
        client_(std::move(client)),
        options_(std::move(options)),
        script_(std::make_shared<Script>(std::string(kAppendEventLua) + kPublishLua)),
        token_prefix_(new_id("")),
        outbox_wake_(strand_, asio::steady_timer::time_point::max()) {}

  void start() {
    std::weak_ptr<Impl> weak = weak_from_this();
    Subscriber::Handlers h;
    h.subscribed = [weak](const std::string& channel) {
      if (auto self = weak.lock()) self->on_subscribed(channel);
    };
    h.up = [weak] {
      if (auto self = weak.lock()) self->subscriber_up_ = true;
    };
    h.message = [weak](const std::string& channel, std::string payload) {
      if (auto self = weak.lock()) self->on_message(channel, std::move(payload));
    };
    h.lost = [weak](const Error&) {
      if (auto self = weak.lock()) {
        self->subscriber_up_ = false;
        self->on_lost();
      }
    };
    asio::post(strand_, [self = shared_from_this(), h = std::move(h)]() mutable {
      self->subscriber_ = std::make_unique<Subscriber>(self->strand_, self->client_->options(), std::move(h));
      asio::co_spawn(
          self->strand_, [self] { return self->publisher(); }, asio::detached);
    });
  }

  void stop() {
    asio::post(strand_, [self = shared_from_this()] {
      self->stopped_ = true;
      self->outbox_wake_.cancel();
      for (auto* t : self->timers_) t->cancel();
      self->subscriber_.reset();
    });
  }

  // Publishing.

  // `done`, when set, runs once Redis has taken the event (or refused it,
  // or it was dropped), on the strand.
  void publish(const std::string& player, std::string_view type, const boost::json::object& data,
               std::function<void()> done = {}) {
    Outgoing e{0,  player, event_body(type, data),
               {}, false,  done ? std::make_shared<std::function<void()>>(std::move(done)) : nullptr};
    bool wake = false;
    std::shared_ptr<std::function<void()>> dropped_done;
    {
      std::lock_guard lock(outbox_mutex_);
      e.seq = ++last_seq_;
      e.token = fmt::format("{}.{}", token_prefix_, e.seq);
      if (outbox_.size() >= options_.outbox_limit) {
        auto& dropped = outbox_.front();
        if (dropped_++ % 1000 == 0)
          spdlog::error("redis event bus: {} events waiting for Redis; dropping the oldest (for {}), {} so far",
                        outbox_.size(), dropped.player, dropped_);
        dropped_done = std::move(dropped.done);
        outbox_.pop_front();
      }
      wake = outbox_.empty();
      outbox_.push_back(std::move(e));
    }
    if (wake) asio::post(strand_, [self = shared_from_this()] { self->outbox_wake_.cancel(); });
    if (dropped_done) asio::post(strand_, std::move(*dropped_done));
  }

  std::size_t pending() const {
    std::lock_guard lock(outbox_mutex_);
    return outbox_.size();
  }

  Result<void> ready() const {
    if (!client_->connected()) return make_error(Errc::unavailable, client_->status());
    if (!subscriber_up_)
      return make_error(Errc::unavailable,
                        fmt::format("redis {}: subscriber connection down", client_->options().address()));
    return {};
  }

  // Reading.

  asio::awaitable<Result<std::vector<std::string>>> read_after(const std::string& player, std::uint64_t since) {
    std::vector<std::string> out;
    auto from = since;
    for (std::size_t page = 0; page < kMaxPages && from < std::numeric_limits<std::uint64_t>::max(); ++page) {
      // Built before the co_await: GCC 12 cannot keep an initializer_list's temporaries across one.
      auto range = cmd(std::vector<std::string>{"XRANGE", key(player), fmt::format("{}-0", from + 1), "+", "COUNT",
                                                std::to_string(kPage)});
      auto r = co_await client_->call(std::move(range));
      if (!r) co_return r.error();
      auto texts = entry_texts(*r);
      auto n = r->elements.size();
      for (auto& t : texts) {
        from = std::max(from, event_id(t));
        out.push_back(std::move(t));
      }
      if (n < kPage) break;
    }
    co_return out;
  }

  std::shared_ptr<Subscription> subscribe(const std::string& player, std::uint64_t since,
                                          asio::any_io_executor executor) {
    auto sub = std::make_shared<Subscription>(std::move(executor));
    if (closed_) {
      sub->close();
      return sub;
    }
    auto id = next_watch_.fetch_add(1);
    std::weak_ptr<Impl> weak = weak_from_this();
    sub->set_detach([weak, player, id](Subscription*) {
      if (auto self = weak.lock()) asio::post(self->strand_, [self, player, id] { self->remove(player, id); });
    });
    asio::post(strand_, [self = shared_from_this(), player, id, weak_sub = std::weak_ptr<Subscription>(sub), since] {
      self->add(player, id, weak_sub, since);
    });
    return sub;
  }

  void close_all() {
    closed_ = true;
    asio::post(strand_, [self = shared_from_this()] {
      for (auto& [player, p] : self->players_)
        for (auto& [id, w] : p.watches)
          if (auto sub = w.sub.lock()) sub->close();
    });
  }

 private:
  struct Outgoing {
    std::uint64_t seq;
    std::string player;
    std::string body;                             // the event's text after its id
    std::string token;                            // the same on every try
    bool tried;                                   // sent before: it may have reached Redis
    std::shared_ptr<std::function<void()>> done;  // publish()'s
  };
  struct Watch {
    std::weak_ptr<Subscription> sub;
    std::uint64_t last = 0;             // the last id delivered (or the client's since)
    bool synced = false;                // caught up since the channel was confirmed: live messages go straight through
    bool running = false;               // a catch-up runs
    bool again = false;                 // the channel was confirmed again meanwhile: catch up once more
    std::vector<std::string> buffered;  // live messages that came during the catch-up
  };
  struct Player {
    std::map<std::uint64_t, Watch> watches;
    bool confirmed = false;  // Redis confirmed the channel on the current connection
  };

  std::string key(const std::string& player) const { return event_stream_key(options_.prefix, player); }
  std::optional<std::string> player_of(std::string_view channel) const {
    auto prefix = fmt::format("{}:events:{{", options_.prefix);
    if (!channel.starts_with(prefix) || !channel.ends_with('}')) return std::nullopt;
    return std::string(channel.substr(prefix.size(), channel.size() - prefix.size() - 1));
  }

  // Waits `d` on the strand, or until the bus stops.
  asio::awaitable<void> pause(milliseconds d) {
    asio::steady_timer t(strand_, d);
    timers_.insert(&t);
    co_await t.async_wait(kNoThrow);
    timers_.erase(&t);
  }

  asio::awaitable<void> publisher() {
    auto backoff = client_->options().backoff_min;
    while (!stopped_) {
      std::vector<Outgoing> batch;
      {
        std::lock_guard lock(outbox_mutex_);
        for (std::size_t i = 0; i < outbox_.size() && i < options_.batch; ++i) batch.push_back(outbox_[i]);
        if (batch.empty()) outbox_wake_.expires_at(asio::steady_timer::time_point::max());
      }
      if (batch.empty()) {
        co_await outbox_wake_.async_wait(kNoThrow);
        continue;
      }
      std::vector<Command> commands;
      commands.reserve(batch.size());
      for (const auto& e : batch)
        commands.push_back(eval(script_, {key(e.player)},
                                {e.body, e.token, e.tried ? std::to_string(kRetryLook) : "0",
                                 std::to_string(options_.history), std::to_string(options_.retention.count())}));
      auto replies = co_await client_->pipeline(std::move(commands));
      std::uint64_t acknowledged = 0;  // the last seq done with
      bool retry = !replies;
      if (replies) {
        for (std::size_t i = 0; i < batch.size(); ++i) {
          auto& r = (*replies)[i];
          if (!r && r.error().code == Errc::unavailable) {
            retry = true;
            break;
          }
          if (!r) spdlog::error("redis event bus: event for {} dropped: {}", batch[i].player, r.error().message);
          acknowledged = batch[i].seq;
        }
      }
      std::vector<std::shared_ptr<std::function<void()>>> done;
      {
        std::lock_guard lock(outbox_mutex_);
        for (; !outbox_.empty() && outbox_.front().seq <= acknowledged; outbox_.pop_front())
          if (outbox_.front().done) done.push_back(std::move(outbox_.front().done));
        for (auto& e : outbox_) {
          if (e.seq > batch.back().seq) break;
          e.tried = true;
        }
      }
      for (auto& d : done) (*d)();
      if (retry) {
        co_await pause(backoff);
        backoff = std::min(backoff * 2, client_->options().backoff_max);
      } else {
        backoff = client_->options().backoff_min;
      }
    }
  }

  // Subscriptions, on the strand.

  void add(const std::string& player, std::uint64_t id, std::weak_ptr<Subscription> sub, std::uint64_t since) {
    auto s = sub.lock();
    if (!s || stopped_) return;
    if (closed_) {
      s->close();
      return;
    }
    auto& p = players_[player];
    bool first = p.watches.empty();
    p.watches.emplace(id, Watch{std::move(sub), since});
    if (first) subscriber_->subscribe(key(player));
    if (p.confirmed) start_catch_up(player, id);
  }

  void remove(const std::string& player, std::uint64_t id) {
    auto it = players_.find(player);
    if (it == players_.end()) return;
    it->second.watches.erase(id);
    if (it->second.watches.empty()) {
      if (subscriber_) subscriber_->unsubscribe(key(player));
      players_.erase(it);
    }
  }

  Watch* find(const std::string& player, std::uint64_t id) {
    auto it = players_.find(player);
    if (it == players_.end()) return nullptr;
    auto w = it->second.watches.find(id);
    return w == it->second.watches.end() ? nullptr : &w->second;
  }

  static void deliver(Watch& w, Subscription& sub, std::string text) {
    auto id = event_id(text);
    if (id <= w.last) return;
    w.last = id;
    sub.push(std::move(text));
  }

  void on_subscribed(const std::string& channel) {
    auto player = player_of(channel);
    if (!player) return;
    auto it = players_.find(*player);
    if (it == players_.end()) return;
    it->second.confirmed = true;
    for (auto& [id, w] : it->second.watches) start_catch_up(*player, id);
  }

  void on_message(const std::string& channel, std::string payload) {
    auto player = player_of(channel);
    if (!player) return;
    auto it = players_.find(*player);
    if (it == players_.end()) return;
    for (auto& [id, w] : it->second.watches) {
      auto sub = w.sub.lock();
      if (!sub) continue;
      if (w.synced) {
        deliver(w, *sub, payload);
      } else if (w.buffered.size() < kMaxBuffered) {
        w.buffered.push_back(payload);
      } else {
        w.buffered.clear();  // the stream has them: one more catch-up reads them
        w.again = true;
      }
    }
  }

  void on_lost() {
    for (auto& [player, p] : players_) {
      p.confirmed = false;
      for (auto& [id, w] : p.watches) w.synced = false;
    }
  }

  void start_catch_up(const std::string& player, std::uint64_t id) {
    auto* w = find(player, id);
    if (!w) return;
    w->synced = false;
    if (w->running) {
      w->again = true;
      return;
    }
    w->running = true;
    asio::co_spawn(
        strand_, [self = shared_from_this(), player, id] { return self->catch_up(player, id); }, asio::detached);
  }

  asio::awaitable<void> catch_up(std::string player, std::uint64_t id) {
    auto backoff = client_->options().backoff_min;
    while (!stopped_) {
      auto* w = find(player, id);
      if (!w) co_return;
      w->again = false;
      auto texts = co_await read_after(player, w->last);
      w = find(player, id);
      if (!w) co_return;
      auto sub = w->sub.lock();
      if (!sub) co_return;
      if (!texts) {
        co_await pause(backoff);
        backoff = std::min(backoff * 2, client_->options().backoff_max);
        continue;
      }
      for (auto& t : *texts) deliver(*w, *sub, std::move(t));
      if (w->again) continue;
      for (auto& t : w->buffered) deliver(*w, *sub, std::move(t));
      w->buffered.clear();
      w->synced = true;
      w->running = false;
      co_return;
    }
  }

  asio::strand<asio::any_io_executor> strand_;
  std::shared_ptr<Client> client_;
  EventBusOptions options_;
  std::shared_ptr<const Script> script_;
  std::string token_prefix_;
  std::unique_ptr<Subscriber> subscriber_;
  std::unordered_map<std::string, Player> players_;
  std::set<asio::steady_timer*> timers_;
  std::atomic<std::uint64_t> next_watch_{1};
  std::atomic<bool> closed_{false};
  std::atomic<bool> subscriber_up_{false};
  bool stopped_ = false;

  mutable std::mutex outbox_mutex_;
  std::deque<Outgoing> outbox_;
  std::uint64_t last_seq_ = 0;
  std::uint64_t dropped_ = 0;
  asio::steady_timer outbox_wake_;
};

RedisEventBus::RedisEventBus(asio::any_io_executor executor, std::shared_ptr<Client> client, EventBusOptions options)
    : impl_(std::make_shared<Impl>(std::move(executor), std::move(client), std::move(options))) {
  impl_->start();
}

RedisEventBus::~RedisEventBus() { impl_->stop(); }

void RedisEventBus::publish(const std::string& player, std::string_view type, boost::json::object data) {
  impl_->publish(player, type, data);
}

void RedisEventBus::publish_all(std::vector<Published> events, std::function<void()> sent) {
  if (events.empty()) {
    if (sent) sent();
    return;
  }
  for (std::size_t i = 0; i + 1 < events.size(); ++i) impl_->publish(events[i].player, events[i].type, events[i].data);
  // Events leave the outbox in order: the last one taken means all were.
  impl_->publish(events.back().player, events.back().type, events.back().data, std::move(sent));
}

asio::awaitable<Result<std::vector<std::string>>> RedisEventBus::replay(const std::string& player,
                                                                        std::uint64_t since) {
  auto impl = impl_;
  co_return co_await impl->read_after(player, since);
}

std::shared_ptr<Subscription> RedisEventBus::subscribe(const std::string& player, std::uint64_t since,
                                                       asio::any_io_executor executor) {
  return impl_->subscribe(player, since, std::move(executor));
}

void RedisEventBus::close_all() { impl_->close_all(); }

std::size_t RedisEventBus::pending() const { return impl_->pending(); }

Result<void> RedisEventBus::ready() const { return impl_->ready(); }

}  // namespace webgames::redis
