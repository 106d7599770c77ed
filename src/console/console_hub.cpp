#include "console/console_hub.h"

#include "console/change_batch.h"
#include "domain/session.h"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <map>
#include <utility>

namespace webgames::console {
namespace {

namespace json = boost::json;

std::string frame(std::string_view type, const json::object& data) {
  std::string text = "{\"type\":\"";
  text += type;
  text += "\",\"data\":";
  text += json::serialize(data);
  text += '}';
  return text;
}

// What a console is told of a change: the record's fields without its owner.
json::object change_for_console(const json::object& data) {
  json::object out;
  for (std::string_view key : {"id", "game", "state", "reason", "at"})
    if (auto* v = data.if_contains(key)) out[key] = *v;
  return out;
}

boost::asio::awaitable<void> read_stream(std::shared_ptr<Subscription> subscription, ConsoleHub* hub) {
  while (auto text = co_await subscription->next()) hub->deliver(*text);
}

}  // namespace

json::object session_change(const Session& s, TimePoint at) {
  json::object data{{"id", s.id}, {"game", s.game}, {"owner_id", s.owner_id}, {"state", to_string(s.state)}};
  if (!s.reason.empty()) data["reason"] = s.reason;
  data["at"] = time_text(at);
  return data;
}

ConsoleFeed::ConsoleFeed(Scope scope, boost::asio::any_io_executor executor, std::chrono::milliseconds gather)
    : scope_(std::move(scope)), gather_(gather), timer_(std::move(executor)) {}

void ConsoleFeed::wake() {
  if (!waiting_) return;
  waiting_ = false;
  boost::asio::post(timer_.get_executor(), [weak = weak_from_this()] {
    if (auto self = weak.lock()) self->timer_.cancel();
  });
}

bool ConsoleFeed::push(std::string frame, std::size_t max) {
  std::lock_guard lock(mutex_);
  if (ended_) return true;
  if (frames_.size() >= max) return false;
  frames_.push_back(std::move(frame));
  wake();
  return true;
}

void ConsoleFeed::push_sample(std::string frame) {
  std::lock_guard lock(mutex_);
  if (ended_) return;
  if (sample_at_ != kNoSample) {
    frames_[sample_at_] = std::move(frame);
    ++dropped_;
    return;
  }
  sample_at_ = frames_.size();
  frames_.push_back(std::move(frame));
  wake();
}

void ConsoleFeed::end() {
  std::lock_guard lock(mutex_);
  ended_ = true;
  wake();
}

void ConsoleFeed::end_for(std::uint16_t close_code, std::string reason) {
  std::lock_guard lock(mutex_);
  if (!ended_) {
    close_code_ = close_code;
    close_text_ = std::move(reason);
  }
  ended_ = true;
  wake();
}

std::pair<std::uint16_t, std::string> ConsoleFeed::close_reason() const {
  std::lock_guard lock(mutex_);
  return {close_code_, close_text_};
}

boost::asio::awaitable<std::vector<std::string>> ConsoleFeed::next_batch() {
  constexpr auto no_throw = boost::asio::as_tuple(boost::asio::use_awaitable);
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (!frames_.empty() || ended_) break;
      waiting_ = true;
      timer_.expires_at(boost::asio::steady_timer::time_point::max());
    }
    co_await timer_.async_wait(no_throw);
  }
  bool ended = false;
  {
    std::lock_guard lock(mutex_);
    ended = ended_;
  }
  if (!ended && gather_.count() > 0) {
    timer_.expires_after(gather_);
    co_await timer_.async_wait(no_throw);
  }
  std::lock_guard lock(mutex_);
  sample_at_ = kNoSample;
  co_return std::exchange(frames_, {});
}

ConsoleHub::ConsoleHub(EventBus& events, std::size_t capacity, int interval_s, std::chrono::milliseconds gather)
    : events_(events), gather_(gather), history_(capacity, interval_s) {}

ConsoleHub::~ConsoleHub() {
  if (reading_) reading_->end();
}

void ConsoleHub::start(boost::asio::any_io_executor executor) {
  reading_ = events_.subscribe(std::string(kConsoleStream), 0, executor);
  boost::asio::co_spawn(executor, read_stream(reading_, this), boost::asio::detached);
}

std::shared_ptr<ConsoleFeed> ConsoleHub::open(Scope scope, boost::asio::any_io_executor executor,
                                              std::string login_id) {
  auto feed = std::make_shared<ConsoleFeed>(std::move(scope), std::move(executor), gather_);
  feed->login_id_ = std::move(login_id);
  std::lock_guard lock(mutex_);
  // The latest sample at once: a console opened now need not wait an interval.
  if (history_.latest() != nullptr) feed->push_sample(frame("overview.sample", history_.latest_in(feed->scope_)));
  std::erase_if(feeds_, [](const std::weak_ptr<ConsoleFeed>& f) { return f.expired(); });
  feeds_.push_back(feed);
  return feed;
}

void ConsoleHub::revoked(std::string_view login_id, std::uint16_t close_code, const std::string& reason) {
  if (login_id.empty()) return;
  std::vector<std::shared_ptr<ConsoleFeed>> ended;
  {
    std::lock_guard lock(mutex_);
    for (const auto& f : feeds_)
      if (auto feed = f.lock(); feed && feed->login_id_ == login_id) ended.push_back(std::move(feed));
  }
  for (auto& feed : ended) feed->end_for(close_code, reason);
}

std::size_t ConsoleHub::open_feeds() const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& f : feeds_) n += f.expired() ? 0 : 1;
  return n;
}

json::object ConsoleHub::overview(const Scope& scope, TimePoint at) const {
  std::lock_guard lock(mutex_);
  return history_.overview(scope, at);
}

std::vector<std::shared_ptr<ConsoleFeed>> ConsoleHub::live_feeds() {
  std::vector<std::shared_ptr<ConsoleFeed>> out;
  std::erase_if(feeds_, [&](const std::weak_ptr<ConsoleFeed>& f) {
    auto feed = f.lock();
    if (!feed) return true;
    out.push_back(std::move(feed));
    return false;
  });
  return out;
}

void ConsoleHub::deliver(std::string_view text) {
  boost::system::error_code ec;
  auto value = json::parse(text, ec);
  if (ec || !value.is_object()) return;
  const auto& event = value.get_object();
  auto* type = event.if_contains("type");
  auto* data = event.if_contains("data");
  if (type == nullptr || !type->is_string() || data == nullptr || !data->is_object()) return;
  deliver(type->get_string(), data->get_object());
}

void ConsoleHub::deliver(std::string_view type, const json::object& data) {
  std::lock_guard lock(mutex_);
  if (type == "overview.sample") {
    auto sample = sample_from_json(data);
    if (sample && history_.add(std::move(*sample))) fan_out_sample();
  } else if (type == "session.changed") {
    fan_out_change(data);
  } else if (type == kChangesEvent) {  // a ChangeBatch's
    if (auto* changes = data.if_contains("changes"); changes && changes->is_array())
      for (const auto& change : changes->get_array())
        if (change.is_object()) fan_out_change(change.get_object());
  }
}

void ConsoleHub::fan_out_sample() {
  std::map<std::string, std::string> frames;  // scope key -> its frame, made once
  for (const auto& feed : live_feeds()) {
    auto key = feed->scope_.key();
    auto it = frames.find(key);
    if (it == frames.end()) it = frames.emplace(key, frame("overview.sample", history_.latest_in(feed->scope_))).first;
    feed->push_sample(it->second);
  }
}

void ConsoleHub::fan_out_change(const json::object& data) {
  auto string_of = [&](std::string_view key) {
    auto* v = data.if_contains(key);
    return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
  };
  auto owner = string_of("owner_id");
  auto game = string_of("game");
  std::string text;
  for (const auto& feed : live_feeds()) {
    if (!feed->scope_.includes(owner, game)) continue;
    if (text.empty()) text = frame("session.changed", change_for_console(data));
    if (!feed->push(text, kMaxBacklog)) {
      spdlog::warn("console: a console {} frames behind is disconnected", kMaxBacklog);
      feed->end();
    }
  }
}

}  // namespace webgames::console
