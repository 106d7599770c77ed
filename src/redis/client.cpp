#include "redis/client.h"

#include "redis/connection.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <charconv>
#include <deque>
#include <mutex>
#include <set>
#include <unordered_set>

namespace webgames::redis {

namespace asio = boost::asio;

std::string Options::address() const {
  return host.find(':') != std::string::npos ? fmt::format("[{}]:{}", host, port) : fmt::format("{}:{}", host, port);
}

Result<Options> parse_url(std::string_view url, std::string_view field) {
  auto bad = [&](std::string_view why) {
    return make_error(Errc::invalid_field, fmt::format("{} {}: {}", field, url, why), std::string(field));
  };
  constexpr std::string_view scheme = "redis://";
  if (!url.starts_with(scheme)) return bad("must start with redis://");
  auto rest = url.substr(scheme.size());
  Options o;
  if (auto slash = rest.find('/'); slash != std::string_view::npos) {
    auto db = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
    if (!db.empty()) {
      auto [ptr, ec] = std::from_chars(db.data(), db.data() + db.size(), o.database);
      if (ec != std::errc() || ptr != db.data() + db.size() || o.database < 0) return bad("the database is a number");
    }
  }
  if (auto at = rest.rfind('@'); at != std::string_view::npos) {
    auto credentials = rest.substr(0, at);
    rest = rest.substr(at + 1);
    auto colon = credentials.find(':');
    if (colon == std::string_view::npos) return bad("credentials are [user]:password");
    o.user = std::string(credentials.substr(0, colon));
    o.password = std::string(credentials.substr(colon + 1));
  }
  std::string_view port;
  if (rest.starts_with('[')) {
    auto close = rest.find(']');
    if (close == std::string_view::npos) return bad("unclosed [");
    o.host = std::string(rest.substr(1, close - 1));
    rest = rest.substr(close + 1);
    if (rest.starts_with(':'))
      port = rest.substr(1);
    else if (!rest.empty())
      return bad("expected :port after ]");
  } else if (auto colon = rest.rfind(':'); colon != std::string_view::npos) {
    o.host = std::string(rest.substr(0, colon));
    port = rest.substr(colon + 1);
  } else {
    o.host = std::string(rest);
  }
  if (o.host.empty()) return bad("no host");
  if (!port.empty()) {
    unsigned value = 0;
    auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || ptr != port.data() + port.size() || value == 0 || value > 65535)
      return bad("the port is 1 to 65535");
    o.port = static_cast<std::uint16_t>(value);
  }
  return o;
}

// One call (one command or a pipeline) from its caller's side and the
// connection's: the connection fills `replies` on the strand; `done` and
// `result` are shared with the caller under `mutex`.
struct Call {
  explicit Call(asio::any_io_executor caller) : wake(std::move(caller)) {}
  std::vector<Command> commands;
  std::vector<Result<Reply>> replies;
  std::size_t remaining = 0;
  std::mutex mutex;
  bool done = false;
  Result<std::vector<Result<Reply>>> result{std::vector<Result<Reply>>{}};
  asio::steady_timer wake;  // on the caller's executor
};

class Client::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(asio::any_io_executor executor, Options options)
      : strand_(asio::make_strand(std::move(executor))), options_(std::move(options)) {
    status_ = fmt::format("redis {}: connecting", options_.address());
  }

  void start() {
    std::weak_ptr<Impl> weak = weak_from_this();
    Connection::Handlers h;
    h.attempt = [weak] {
      if (auto self = weak.lock()) self->state_ = State::connecting;
    };
    h.up = [weak] {
      if (auto self = weak.lock()) self->on_up();
    };
    h.reply = [weak](Reply r) {
      if (auto self = weak.lock()) self->on_reply(std::move(r));
    };
    h.down = [weak](const Error& e) {
      if (auto self = weak.lock()) self->on_down(e);
    };
    connection_ = std::make_shared<Connection>(strand_, options_, std::move(h));
    asio::post(strand_, [c = connection_] { c->start(); });
  }

  void stop() {
    asio::post(strand_, [self = shared_from_this()] {
      self->state_ = State::stopped;
      self->connection_->stop();
      self->set_status(false, "client stopped");
      self->fail_all(make_error(Errc::unavailable, fmt::format("redis {}: client stopped", self->options_.address())));
    });
  }

  asio::awaitable<Result<std::vector<Result<Reply>>>> run(std::vector<Command> commands,
                                                          std::chrono::milliseconds timeout) {
    auto call = std::make_shared<Call>(co_await asio::this_coro::executor);
    if (commands.empty()) co_return std::vector<Result<Reply>>{};
    call->remaining = commands.size();
    call->replies.assign(commands.size(), Reply{});
    call->commands = std::move(commands);
    call->wake.expires_after(timeout);
    asio::post(strand_, [self = shared_from_this(), call] { self->submit(call); });
    for (;;) {
      auto [ec] = co_await call->wake.async_wait(asio::as_tuple(asio::use_awaitable));
      std::lock_guard lock(call->mutex);
      if (call->done) co_return std::move(call->result);
      if (!ec) {
        call->done = true;  // abandoned: its replies are dropped when they come
        co_return make_error(Errc::unavailable,
                             fmt::format("redis {}: no reply within {} ms", options_.address(), timeout.count()));
      }
    }
  }

  bool connected() const { return connected_.load(); }
  std::string status() const {
    std::lock_guard lock(status_mutex_);
    return status_;
  }
  const Options& options() const { return options_; }

 private:
  enum class State { connecting, up, backoff, stopped };
  struct Slot {
    std::shared_ptr<Call> call;  // null: our own SCRIPT LOAD
    std::size_t index = 0;
    bool resent = false;  // already sent again as EVAL
    std::string loading;  // the script's SHA1, for our own SCRIPT LOAD
  };

  void set_status(bool connected, std::string status) {
    connected_ = connected;
    std::lock_guard lock(status_mutex_);
    status_ = std::move(status);
  }

  static void complete(const std::shared_ptr<Call>& call, Result<std::vector<Result<Reply>>> result) {
    {
      std::lock_guard lock(call->mutex);
      if (call->done) return;
      call->done = true;
      call->result = std::move(result);
    }
    asio::post(call->wake.get_executor(), [call] { call->wake.cancel(); });
  }

  void submit(const std::shared_ptr<Call>& call) {
    {
      std::lock_guard lock(call->mutex);
      if (call->done) return;  // its deadline passed on the way
    }
    switch (state_) {
      case State::up:
        send(call);
        break;
      case State::connecting:
        if (waiting_.size() >= options_.max_in_flight)
          complete(call, make_error(Errc::unavailable, fmt::format("redis {}: too many calls waiting for a connection",
                                                                   options_.address())));
        else
          waiting_.push_back(call);
        break;
      default:
        complete(call, make_error(Errc::unavailable, status()));
    }
  }

  void send(const std::shared_ptr<Call>& call) {
    if (in_flight_.size() + call->commands.size() > options_.max_in_flight) {
      complete(call, make_error(Errc::unavailable, fmt::format("redis {}: more than {} commands in flight",
                                                               options_.address(), options_.max_in_flight)));
      return;
    }
    std::string bytes;
    for (std::size_t i = 0; i < call->commands.size(); ++i) {
      const auto& c = call->commands[i];
      if (c.script && loaded_.insert(c.script->sha1()).second) {
        bytes += format(cmd({"SCRIPT", "LOAD", c.script->source()}));
        in_flight_.push_back(Slot{nullptr, 0, false, c.script->sha1()});
      }
      bytes += format(c);
      in_flight_.push_back(Slot{call, i});
    }
    connection_->write(std::move(bytes));
  }

  void on_up() {
    state_ = State::up;
    loaded_.clear();
    set_status(true, "connected");
    auto waiting = std::move(waiting_);
    waiting_.clear();
    for (auto& call : waiting) submit(call);
  }

  void on_reply(Reply reply) {
    if (in_flight_.empty()) {
      spdlog::error("redis {}: a reply nobody asked for; reconnecting", options_.address());
      return;
    }
    auto slot = std::move(in_flight_.front());
    in_flight_.pop_front();
    if (!slot.call) {
      if (reply.is_error()) {  // the next use tries again (and falls back to EVAL meanwhile)
        spdlog::warn("redis {}: SCRIPT LOAD: {}", options_.address(), reply.str);
        loaded_.erase(slot.loading);
      }
      return;
    }
    const auto& command = slot.call->commands[slot.index];
    if (reply.is_error() && command.script && !slot.resent && reply.str.starts_with("NOSCRIPT")) {
      connection_->write(format(as_eval(command)));
      in_flight_.push_back(Slot{slot.call, slot.index, true});
      return;
    }
    auto& call = *slot.call;
    call.replies[slot.index] = reply.is_error() ? Result<Reply>(error_of(reply)) : Result<Reply>(std::move(reply));
    if (--call.remaining == 0) complete(slot.call, std::move(call.replies));
  }

  void on_down(const Error& e) {
    if (state_ != State::stopped) state_ = State::backoff;
    if (connected_) spdlog::warn("{}; reconnecting", e.message);
    set_status(false, e.message);
    loaded_.clear();
    fail_all(e);
  }

  void fail_all(const Error& e) {
    for (auto& slot : in_flight_)
      if (slot.call) complete(slot.call, e);
    in_flight_.clear();
    for (auto& call : waiting_) complete(call, e);
    waiting_.clear();
  }

  asio::strand<asio::any_io_executor> strand_;
  Options options_;
  std::shared_ptr<Connection> connection_;
  State state_ = State::connecting;
  std::deque<Slot> in_flight_;
  std::deque<std::shared_ptr<Call>> waiting_;
  std::unordered_set<std::string> loaded_;  // scripts loaded on this connection
  std::atomic<bool> connected_{false};
  mutable std::mutex status_mutex_;
  std::string status_;
};

Client::Client(asio::any_io_executor executor, Options options)
    : impl_(std::make_shared<Impl>(std::move(executor), std::move(options))) {
  impl_->start();
}

Client::~Client() { impl_->stop(); }

Task<Reply> Client::call(Command command, std::optional<std::chrono::milliseconds> timeout) const {
  auto impl = impl_;
  std::vector<Command> one;
  one.push_back(std::move(command));
  auto started = std::chrono::steady_clock::now();
  auto r = co_await impl->run(std::move(one), timeout.value_or(impl->options().timeout));
  if (auto* h = impl->options().round_trips) h->observe(std::chrono::steady_clock::now() - started);
  if (!r) co_return r.error();
  co_return std::move(r->front());
}

Task<std::vector<Result<Reply>>> Client::pipeline(std::vector<Command> commands,
                                                  std::optional<std::chrono::milliseconds> timeout) const {
  auto impl = impl_;
  auto started = std::chrono::steady_clock::now();
  auto r = co_await impl->run(std::move(commands), timeout.value_or(impl->options().timeout));
  if (auto* h = impl->options().round_trips) h->observe(std::chrono::steady_clock::now() - started);
  co_return std::move(r);
}

bool Client::connected() const { return impl_->connected(); }
std::string Client::status() const { return impl_->status(); }
const Options& Client::options() const { return impl_->options(); }

// Subscriber

class Subscriber::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(asio::strand<asio::any_io_executor> strand, Options options, Handlers handlers)
      : strand_(std::move(strand)), options_(std::move(options)), handlers_(std::move(handlers)) {}

  void start() {
    std::weak_ptr<Impl> weak = weak_from_this();
    Connection::Handlers h;
    h.up = [weak] {
      if (auto self = weak.lock()) self->on_up();
    };
    h.reply = [weak](Reply r) {
      if (auto self = weak.lock()) self->on_reply(std::move(r));
    };
    h.down = [weak](const Error& e) {
      if (auto self = weak.lock()) {
        self->connected_ = false;
        if (self->handlers_.lost) self->handlers_.lost(e);
      }
    };
    connection_ = std::make_shared<Connection>(strand_, options_, std::move(h));
    connection_->start();
  }

  void stop() {
    asio::post(strand_, [self = shared_from_this()] { self->connection_->stop(); });
  }

  void subscribe(const std::string& channel) {
    if (wanted_.insert(channel).second && connection_->up()) connection_->write(format(cmd({"SUBSCRIBE", channel})));
  }

  void unsubscribe(const std::string& channel) {
    if (wanted_.erase(channel) > 0 && connection_->up()) connection_->write(format(cmd({"UNSUBSCRIBE", channel})));
  }

  bool connected() const { return connected_.load(); }

 private:
  void on_up() {
    connected_ = true;
    if (handlers_.up) handlers_.up();
    if (wanted_.empty()) return;
    std::vector<std::string> words{"SUBSCRIBE"};
    words.insert(words.end(), wanted_.begin(), wanted_.end());
    connection_->write(format(cmd(std::move(words))));
  }

  void on_reply(Reply r) {
    if (r.type != Reply::Type::array || r.elements.size() < 3) return;
    auto kind = r.elements[0].text();
    auto channel = r.elements[1].text();
    if (!kind || !channel) return;
    if (*kind == "message") {
      if (handlers_.message) handlers_.message(std::string(*channel), std::move(r.elements[2].str));
    } else if (*kind == "subscribe") {
      if (wanted_.contains(std::string(*channel)) && handlers_.subscribed) handlers_.subscribed(std::string(*channel));
    }
  }

  asio::strand<asio::any_io_executor> strand_;
  Options options_;
  Handlers handlers_;
  std::shared_ptr<Connection> connection_;
  std::set<std::string> wanted_;
  std::atomic<bool> connected_{false};
};

Subscriber::Subscriber(asio::strand<asio::any_io_executor> strand, Options options, Handlers handlers)
    : impl_(std::make_shared<Impl>(std::move(strand), std::move(options), std::move(handlers))) {
  impl_->start();
}

Subscriber::~Subscriber() { impl_->stop(); }

void Subscriber::subscribe(const std::string& channel) { impl_->subscribe(channel); }
void Subscriber::unsubscribe(const std::string& channel) { impl_->unsubscribe(channel); }
bool Subscriber::connected() const { return impl_->connected(); }

}  // namespace webgames::redis
