#include "support/events_client.h"

#include "support/openapi_contract.h"

#include <gtest/gtest.h>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <sys/socket.h>

#include <stdexcept>

namespace webgames::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
namespace json = boost::json;

namespace {

void set_receive_timeout(int fd, std::chrono::milliseconds timeout) {
  timeval tv{static_cast<time_t>(timeout.count() / 1000), static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

}  // namespace

std::string Event::str(std::string_view key) const {
  auto* v = data.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

namespace {

std::string events_target(const std::string& token, std::uint64_t since) {
  std::string target = "/v1/events?token=" + token;
  if (since > 0) target += "&since=" + std::to_string(since);
  return target;
}

}  // namespace

EventsClient::EventsClient(std::uint16_t port, const std::string& token, std::uint64_t since,
                           std::chrono::milliseconds timeout)
    : EventsClient(port, events_target(token, since), "Event", timeout) {}

std::unique_ptr<EventsClient> EventsClient::console(std::uint16_t port, const std::string& token,
                                                    const std::string& game) {
  std::string target = "/v1/console/events?token=" + token;
  if (!game.empty()) target += "&game=" + game;
  return std::make_unique<EventsClient>(port, target, "ConsoleEvent");
}

EventsClient::EventsClient(std::uint16_t port, const std::string& target, std::string schema,
                           std::chrono::milliseconds timeout)
    : ws_(io_), schema_(std::move(schema)) {
  auto& socket = ws_.next_layer();
  boost::system::error_code ec;
  socket.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
  if (ec) throw std::runtime_error("events: cannot connect: " + ec.message());
  set_receive_timeout(socket.native_handle(), timeout);

  websocket::response_type res;
  ws_.handshake(res, "127.0.0.1:" + std::to_string(port), target, ec);
  if (res.result_int() != 0)
    expect_documented("GET", target,
                      {res.result_int(), std::string(res[beast::http::field::content_type]),
                       std::string(res["X-Request-Id"]), res.body()});
  if (ec) {
    throw std::runtime_error("events: handshake refused: " + ec.message() + " (HTTP " +
                             std::to_string(res.result_int()) + ") " + res.body());
  }
  // From here the reader blocks as long as the stream is idle.
  set_receive_timeout(socket.native_handle(), std::chrono::milliseconds(0));
  reader_ = std::thread([this] { read_loop(); });
}

EventsClient::~EventsClient() { close(); }

void EventsClient::read_loop() {
  beast::flat_buffer buffer;
  for (;;) {
    boost::system::error_code ec;
    ws_.read(buffer, ec);
    if (ec) break;
    Event e;
    e.raw = beast::buffers_to_string(buffer.data());
    buffer.clear();
    json::value v = json::parse(e.raw, ec);
    auto problems = schema_ == "Event" ? OpenApiContract::document().check_event(e.raw)
                    : ec               ? std::vector<std::string>{"not JSON"}
                                       : OpenApiContract::document().check_schema(schema_, v);
    if (!ec && v.is_object()) {
      const auto& o = v.get_object();
      if (auto* id = o.if_contains("id"); id && id->is_number()) e.id = id->to_number<std::uint64_t>();
      if (auto* type = o.if_contains("type"); type && type->is_string()) e.type = std::string(type->get_string());
      if (auto* data = o.if_contains("data"); data && data->is_object()) e.data = data->get_object();
    }
    std::lock_guard lock(mutex_);
    for (auto& p : problems) undocumented_.push_back(std::move(p) + " in " + e.raw);
    events_.push_back(std::move(e));
    changed_.notify_all();
  }
  std::lock_guard lock(mutex_);
  closed_ = true;
  close_reason_ = ws_.reason();
  changed_.notify_all();
}

websocket::close_reason EventsClient::close_reason() const {
  std::lock_guard lock(mutex_);
  return close_reason_;
}

std::optional<Event> EventsClient::next(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (!changed_.wait_for(lock, timeout, [&] { return cursor_ < events_.size() || closed_; })) return std::nullopt;
  if (cursor_ >= events_.size()) return std::nullopt;
  return events_[cursor_++];
}

std::optional<Event> EventsClient::next_of(std::string_view type, std::chrono::milliseconds timeout,
                                           const std::function<bool(const Event&)>& where) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() < 0) return std::nullopt;
    auto e = next(left);
    if (!e) return std::nullopt;
    if (e->type == type && (!where || where(*e))) return e;
  }
}

std::vector<Event> EventsClient::received() const {
  std::lock_guard lock(mutex_);
  return events_;
}

std::string EventsClient::describe() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& e : events_) out += "\n    " + e.raw;
  if (out.empty()) out = " (no events)";
  if (closed_) out += "\n    (closed)";
  return out;
}

bool EventsClient::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

bool EventsClient::wait_closed(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return closed_; });
}

void EventsClient::close() {
  if (!reader_.joinable()) return;
  // Wakes the blocked read; the reader then marks the stream closed.
  ::shutdown(ws_.next_layer().native_handle(), SHUT_RDWR);
  reader_.join();
  for (const auto& problem : undocumented_)
    ADD_FAILURE() << "an event disagrees with docs/api/openapi.yaml: " << problem;
}

std::vector<std::string> EventsClient::undocumented() const {
  std::lock_guard lock(mutex_);
  return undocumented_;
}

}  // namespace webgames::testing
